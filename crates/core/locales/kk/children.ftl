# Kezek — kk: children («Менің балаларым»)

children-title = Менің балаларым
children-add = Бала қосу
children-none = Сіз әлі бала қосқан жоқсыз. Баланы кезекке қою үшін «Бала қосу» батырмасын басыңыз.
children-details = Толығырақ
children-edit = Өзгерту
children-back = «Менің балаларым» тізіміне оралу
children-new-intro = Баланың ЖСН-ін енгізіп, «ЖСН-ді тексеру» батырмасын басыңыз. Жүйе жеке тұлғалардың мемлекеттік дерекқорындағы мәліметтерді көрсетеді.
children-check-data = Деректерді тексеріңіз. «Жынысы» және «Ұлты» өрістерін толтырып, бәрі дұрыс болса, «Сақтау» батырмасын басыңыз.
children-registry-note = Аты-жөні, ЖСН және туған күні жеке тұлғалардың мемлекеттік дерекқорынан алынады және өзгертілмейді.
children-label-iin = Баланың ЖСН-і
children-label-sex = Жынысы
children-label-nationality = Ұлты
children-nationality-none = көрсетілмеген
children-required-note = Жұлдызшамен * белгіленген өрістерді толтыру міндетті.
flash-children-added = Бала қосылды.
flash-children-updated = Баланың деректері сақталды.
children-error-school-age = Балаға 7 жас толған — мектеп жасындағы балалар балабақшаға кезекке қойылмайды.
children-error-already-added = Бұл бала «Менің балаларым» бөлімінде бар.
children-error-own-iin = Бұл сіздің өз ЖСН-іңіз. Баланың ЖСН-ін енгізіңіз.
children-error-added-by-another = Бұл баланы басқа өтініш беруші қосқан. Егер бұл қате болса, байланыс орталығына хабарласыңыз.
children-error-applicant = Бұл ЖСН тіркелген өтініш берушіге тиесілі, оны бала ретінде қосуға болмайды.
children-error-sex = Жынысын таңдаңыз.
children-error-nationality = Ұлтын тізімнен таңдаңыз.
children-back-to-application = Өтінішке оралу
