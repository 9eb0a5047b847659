# Kezek — kk: directions (жолдамалар) and the public protocol

## Statuses
direction-status-issued = Берілді, қабылдауды күтуде
direction-status-accepted = Қабылданды, қабылдануды (зачисление) күтуде
direction-status-enrolled = Бала қабылданды
direction-status-refused = Бас тарту
direction-status-expired = Күші жойылды: мерзімі өтті
direction-status-returned = Ұйым қайтарды

## Errors
direction-error-not-open = Бұл әрекет енді қолжетімсіз: жолдама қабылданған, жабылған немесе өзгертілген.
direction-error-deadline-passed = Жолдаманың мерзімі өтті.
direction-error-reason-required = Қайтару себебін көрсетіңіз.
direction-error-reason-too-long = Себеп тым ұзын: 500 таңбадан аспауы керек.
direction-error-already-extended = Жолдама бұрын ұзартылған: оны тек бір рет ұзартуға болады.
direction-error-not-accepted = Тек ата-ана қабылдаған жолдаманы ұзартуға болады.
direction-error-extension-days = 1-ден { $max }-ге дейінгі күнтізбелік күн санын көрсетіңіз.

## SMS and notices
direction-sms-issued = Kezek: № { $number } өтініш бойынша { $organization } ұйымына жолдама берілді, топ «{ $group }», мекенжайы: { $address }. Оны жеке кабинетте { $deadline } қоса алғанға дейін қабылдаңыз.
direction-sms-expired = Kezek: № { $number } өтініш бойынша жолдаманың күші жойылды: мерзімі өтті. Өтініш стоп-парақтан кейін ({ $stop_until }) кезекке қайтады.
direction-sms-returned = Kezek: ұйым № { $number } өтініш бойынша жолдаманы қайтарды. Себебі: { $reason }. Өтініш стоп-парақтан кейін ({ $stop_until }) кезекке қайтады.
direction-notice-accepted = Сіз № { $number } өтініш бойынша жолдаманы қабылдадыңыз. Баланы қабылдату үшін мектепке дейінгі ұйымға { $deadline } қоса алғанға дейін барыңыз.
direction-notice-refused = Сіз № { $number } өтініш бойынша жолдамадан бас тарттыңыз. Өтініш стоп-парақтан кейін ({ $stop_until }) кезекке қайтады.
direction-notice-enrolled = Бала мектепке дейінгі ұйымға қабылданды, № { $number } өтінішке қол қойылды.
direction-notice-extended = № { $number } өтініш бойынша қабылдау мерзімі { $deadline } қоса алғанға дейін ұзартылды.

## Application history
applications-event-direction-extended = Қабылдау мерзімі ұзартылды

## The parent's pages
directions-title = Жолдамалар
directions-intro = Орын босағанда жолдама кезек бойынша автоматты түрде беріледі. Ол туралы SMS және жеке кабинетке хабарлама келеді.
directions-none = Әзірге жолдамалар жоқ.
directions-open = Толығырақ
directions-detail-title = Жолдама
directions-back = Жолдамалар тізіміне оралу
directions-back-to-direction = Жолдамаға оралу
directions-label-number = Өтініш нөмірі
directions-label-child = Бала
directions-label-organization = Мектепке дейінгі ұйым
directions-label-group = Топ
directions-label-address = Мекенжайы
directions-label-status = Мәртебесі
directions-label-deadline = Мерзімі
directions-label-reason = Себебі
directions-label-issued = Берілген уақыты
directions-label-position = Берілген кездегі кезектегі орны
directions-label-category = Санаты
directions-accept-by = { $date } қоса алғанға дейін қабылдау
directions-enroll-by = { $date } қоса алғанға дейін қабылдату
directions-extended = мерзімі ұзартылды
directions-accept-hint = Жолдаманы мерзімі біткенше қабылдаңыз, әйтпесе оның күші жойылып, орын келесі балаға беріледі.
directions-enroll-hint = Баланы қабылдату үшін мерзімі біткенше құжаттармен мектепке дейінгі ұйымға барыңыз.
directions-accept = Қабылдау
directions-refuse = Бас тарту
directions-refuse-title = Жолдамадан бас тарту
directions-refuse-question = Жолдамадан бас тартасыз ба?
directions-refuse-consequence-keep = Орын кезектегі келесі балаға беріледі. Өтініш { $days } күнге стоп-параққа енгізіліп, содан кейін кезектегі бұрынғы орнына қайтады.
directions-refuse-consequence-end = Орын кезектегі келесі балаға беріледі. Өтініш { $days } күнге стоп-параққа енгізіліп, содан кейін кезектің соңына тұрады.
directions-refuse-confirm = Иә, бас тарту
directions-cancel = Болдырмау
flash-direction-accepted = Жолдама қабылданды. Баланы қабылдату үшін мектепке дейінгі ұйымға барыңыз.
flash-direction-refused = Сіз жолдамадан бас тарттыңыз.

## The organization's page
org-directions-title = Ұйымға берілген жолдамалар
org-directions-intro = Алдымен ашық жолдамалар көрсетіледі. Ата-ана құжаттарды әкелгенде баланы қабылдаңыз; жолдаманы себебін көрсетіп қайтарыңыз; қабылдау мерзімін бір рет ұзартуға болады.
org-directions-none = Ұйымға әзірге жолдамалар жоқ.
org-directions-enroll = Қабылдау (зачислить)
org-directions-return = Қайтару
org-directions-reason = Қайтару себебі
org-directions-extend = Ұзарту
org-directions-days = Ұзартылатын күнтізбелік күн саны
flash-direction-enrolled = Бала қабылданды, өтінішке қол қойылды.
flash-direction-returned = Жолдама қайтарылды, орын қайтадан бос.
flash-direction-extended = Қабылдау мерзімі ұзартылды.

## The public protocol
protocol-title = Жолдамалар хаттамасы
protocol-head-title = Хаттаманы тексеру
protocol-explanation = Әрбір берілген, қабылданған, бас тартылған, қайтарылған, күші жойылған жолдама және әрбір қабылдау осында ретімен жазылады. Әр жазба алдыңғы жазбаның хешін (SHA-256) қамтиды, сондықтан кез келген бұрынғы жазбаны өзгерту немесе жою соңғы жазбаның хешін өзгертеді. Соңғы жазбаның хешін сақтап, кейін салыстырыңыз.
protocol-entries = Жазбалар саны
protocol-head-hash = Соңғы жазбаның хеші
protocol-verify-hint = Хаттаманы жүктеп алып, тізбекті мына командамен тексеріңіз
protocol-download-csv = Хаттаманы жүктеу (CSV)
protocol-download-json = Хаттаманы жүктеу (JSON)
protocol-empty = Өңір хаттамасында әзірге жазбалар жоқ.
protocol-table-caption = Хаттама жазбалары, жаңалары жоғарыда
protocol-col-at = Күні мен уақыты
protocol-col-event = Оқиға
protocol-col-organization = Ұйым
protocol-col-group = Топ
protocol-col-number = Өтініш нөмірі
protocol-col-child = Бала
protocol-col-position = Кезектегі орны
protocol-col-category = Санаты
protocol-col-hash = Хеш
protocol-pages = Хаттама беттері
protocol-page-newer = ← Жаңарақ
protocol-page-older = Ертерек →
protocol-event-issued = Берілді
protocol-event-accepted = Қабылданды
protocol-event-refused = Бас тарту
protocol-event-returned = Қайтарылды
protocol-event-expired = Күші жойылды
protocol-event-enrolled = Қабылданды (зачислен)
