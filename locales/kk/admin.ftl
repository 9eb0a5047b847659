# Kezek — kk: admin cabinet

admin-title = Әкімшінің кабинеті
admin-staff-title = Қызметкерлердің есептік жазбалары
admin-staff-hint = ұйымдардың, білім бөлімдерінің және әкімшілердің есептік жазбалары, олардың рөлдері мен қолжетімділігі.
admin-reference-title = Анықтамалықтар
admin-reference-hint = оқыту тілдері, түзету түрлері, жеңілдік санаттары, ұлттар, жас топтары.
admin-regions-title = Өңірлердің ережелері
admin-regions-hint = Ата-ана бір өтініште неше балабақша таңдай алады: 1-ден 10-ға дейін.
admin-audit-title = Аудит журналы
admin-audit-hint = Қызметкерлердің барлық әрекеттері және барлық кірулер, алдымен жаңалары. Жазбаларды өзгертуге немесе жоюға болмайды.
admin-pages = Беттер
admin-page-previous = Алдыңғы бет
admin-page-next = Келесі бет
admin-page-newer = Жаңарақ жазбалар
admin-page-older = Ескірек жазбалар
admin-yes = иә
admin-no = жоқ

## Staff accounts
admin-staff-new-title = Қызметкердің жаңа есептік жазбасы
admin-staff-edit-title = Қызметкердің есептік жазбасы
admin-staff-caption = Қызметкерлердің есептік жазбалары құрылу ретімен
admin-staff-empty = Қызметкерлердің есептік жазбалары әзірге жоқ.
admin-label-binding = Ұйым немесе аумақ
admin-label-status = Күйі
admin-status-active = Қолданыста
admin-status-blocked = Бұғатталған
admin-status-blocked-since = { $time } бастап бұғатталған
admin-staff-binding-hint = Ұйым қызметкеріне өз ұйымының БСН-і, білім бөлімінің операторына өз өңірінің немесе ауданының ҚАТО коды қажет. Әкімшіге екеуі де қажет емес.
admin-staff-binding-title = Рөлі және ұйымы немесе аумағы
admin-staff-access-title = Қолжетімділік
admin-staff-own-account = Бұл сіздің өз есептік жазбаңыз: оны бұғаттауға және әкімші рөлінен бас тартуға болмайды.
admin-staff-block-hint = Бұғатталған қызметкер жүйеден бірден шығарылады және кіре алмайды.
admin-button-create = Есептік жазба құру
admin-button-block = Бұғаттау
admin-button-unblock = Бұғаттан шығару
admin-staff-error-role = Рөлді таңдаңыз: әкімші, білім бөлімінің операторы немесе ұйым қызметкері.
admin-staff-error-bin-required = Қызметкер ұйымының БСН-ін көрсетіңіз.
admin-staff-error-kato-required = Оператордың өңірінің немесе ауданының ҚАТО кодын көрсетіңіз.
admin-staff-error-self-demote = Өзіңізді әкімші рөлінен айыруға болмайды.
admin-staff-error-self-block = Өз есептік жазбаңызды бұғаттауға болмайды.
flash-admin-staff-created = Қызметкердің есептік жазбасы құрылды.
flash-admin-staff-saved = Рөлі мен байланысы сақталды.
flash-admin-staff-blocked = Есептік жазба бұғатталды, оның сеанстары аяқталды.
flash-admin-staff-unblocked = Есептік жазба бұғаттан шығарылды.

## Reference data
admin-reference-caption = Анықтамалық жазбалары
admin-reference-empty = Анықтамалық бос.
admin-reference-add-title = Жазба қосу
admin-reference-edit-title = Анықтамалық жазбасы
admin-reference-code-hint = Кіші латын әріптері, сандар және астыңғы сызық, мысалы «speech». Кодты кейін өзгертуге болмайды.
admin-reference-attribute-hint = Жеңілдік санаттары: «extraordinary» (кезектен тыс) немесе «first_priority» (бірінші кезектегі). Жас топтары: жасы, мысалы «3-4». Басқа анықтамалықтар: бос қалдырыңыз.
admin-reference-delete-title = Жазбаны жою
admin-reference-delete-hint = Қолданыстағы кодты жоюға болмайды — оны белсенді емес етіңіз.
admin-label-code = Коды
admin-label-name-kk = Қазақша атауы
admin-label-name-ru = Орысша атауы
admin-label-name-en = Ағылшынша атауы
admin-label-position = Тізімдегі реті
admin-label-attribute = Белгісі
admin-label-active = Белсенді (таңдауға ұсынылады)
admin-button-add = Қосу
admin-button-delete = Жою
admin-reference-error-position = Ретін бүтін санмен көрсетіңіз.
admin-reference-error-exists = Мұндай коды бар жазба бұрыннан бар — соны өзгертіңіз.
flash-admin-reference-saved = Жазба сақталды.
flash-admin-reference-deleted = Жазба жойылды.

## Region rules
admin-regions-caption = Әр өңірдің ережелері
admin-label-region = Өңір
admin-label-max-preferred = Таңдалатын ұйымдардың ең көп саны
admin-label-updated = Өзгертілген
admin-never-changed = өзгертілмеген
admin-region-error-unknown = Мұндай өңір жоқ.
admin-region-error-max-preferred = 1-ден 10-ға дейінгі санды көрсетіңіз.
flash-admin-region-saved = Өңірдің ережелері сақталды.

## Audit log
admin-audit-caption = Аудит журналының жазбалары, алдымен жаңалары
admin-audit-empty = Сәйкес жазбалар жоқ.
admin-label-action-prefix = Әрекет (басы, мысалы «staff.»)
admin-label-subject = Нысан (телефон нөмірі, код)
admin-column-subject = Нысан
admin-button-filter = Көрсету
admin-label-time = Уақыты (UTC+5)
admin-label-actor = Кім
admin-label-action = Әрекет
admin-label-ip = IP мекенжайы
admin-label-detail = Толығырақ
admin-actor-system = жүйе
