# Kezek — kk: cabinets

## Free places
vacancy-error-capacity = Мұнша орын жариялауға болмайды: тағы { $free } орын бос.
vacancy-error-count = Орын санын 1-ден 50-ге дейін көрсетіңіз.
vacancy-error-enrolled = Тәрбиеленушілер саны 0-ден { $max }-ге дейін болуы керек.
vacancy-error-nobody-enrolled = Топта тәрбиеленушілер жоқ, шығуды белгілеуге болмайды.
vacancy-error-group-inactive = Топ жабық.
vacancy-error-not-open = Бұл орын жариялаудан алынған немесе бос емес.

## Organization cabinet
org-title = Мектепке дейінгі ұйымның кабинеті
org-group-title = Топ
org-groups = Топтар
org-groups-caption = Ұйымның топтары мен бос орындары
org-no-groups = Ұйымда әзірге топтар жоқ.
org-group-heading = «{ $name }» тобы
label-address = Мекенжайы
label-group = Топ
label-birth-year = Туған жылы
label-language = Оқыту тілі
label-group-kind = Топ түрі
label-capacity = Барлық орын
label-enrolled = Тәрбиеленушілер
label-open-vacancies = Жарияланған бос орындар
label-unpublished-free = Тағы жариялауға болады
org-publish-title = Бос орындарды жариялау
label-places-count = Орын саны
label-available-from = Бос болатын күні
button-publish = Жариялау
org-open-vacancies-title = Жарияланған бос орындар
org-no-open-vacancies = Жарияланған орындар жоқ.
org-vacancy-from = Орын { $date } бастап бос
button-withdraw = Жариялаудан алу
org-departure-title = Тәрбиеленушінің шығуы
org-departure-hint = Шыққан баланың орны бірден бос орын ретінде жарияланады.
label-left-on = Шыққан күні
label-note = Ескертпе
button-record-departure = Шығуды белгілеу
org-enrolled-title = Тәрбиеленушілер саны
flash-vacancies-published = Бос орындар бюллетеньде жарияланды.
flash-departure-recorded = Шығу белгіленді, орын бос деп жарияланды.
flash-enrolled-saved = Тәрбиеленушілер саны сақталды.
flash-vacancy-withdrawn = Орын жариялаудан алынды.
error-date = Күнді енгізіңіз, мысалы 01.09.2026.
error-forbidden = Бұл бетке кіруге рұқсатыңыз жоқ.
error-no-organization = Есептік жазбаңыз мектепке дейінгі ұйымға байланыстырылмаған. Әкімшіге хабарласыңыз.

## Bulletin
home-bulletin-lead = Өңірдегі мектепке дейінгі ұйымдардағы бос орындар — жарияланған бойда.
bulletin-title = Бос орындар бюллетені
bulletin-empty = Бұл өңірде қазір бос орындар жоқ.

## Card and group forms
org-card-title = Ұйымның картасы
org-group-form-title = Топ
link-back = Артқа
link-edit-card = Картаны өзгерту
link-add-group = Топ қосу
link-edit-group = Топты өзгерту
button-close-group = Топты жабу
button-reopen-group = Топты ашу
org-group-closed = Топ жабық: онда бос орындар жарияланбайды.
label-name-kk = Қазақша атауы
label-name-ru = Орысша атауы
label-ownership = Меншік нысаны
label-org-phone = Ұйымның телефоны
label-email = Электрондық пошта
label-website = Сайт
label-working-hours = Жұмыс уақыты
label-languages = Оқыту тілдері
label-head-name = Басшының аты-жөні
label-description = Сипаттама
label-latitude = Ендік
label-longitude = Бойлық
label-group-name = Топтың атауы
label-age-group = Жас тобы
label-correction-type = Түзету түрі
hint-correction-type = Тек түзету тобы үшін.
flash-card-saved = Карта сақталды.
flash-group-saved = Топ сақталды.
org-error-kato-unknown = Мұндай ӘАОЖ (КАТО) коды жіктеуіште жоқ.
org-error-bin-taken = Мұндай БСН-і бар ұйым бар.
org-error-bin-fixed = Ұйымның БСН-ін өзгертуге болмайды.
org-error-ownership = Меншік нысанын таңдаңыз.
group-error-kind = Топ түрін таңдаңыз.

## Photo and uploads
org-photo-title = Ұйымның фотосы
org-photo-alt = Мектепке дейінгі ұйымның фотосы
label-photo = Фото файлы
hint-photo = JPEG немесе PNG, 5 МБ-тан аспайды.
button-upload-photo = Фотоны жүктеу
button-remove-photo = Фотоны жою
flash-photo-saved = Фото сақталды.
flash-photo-removed = Фото жойылды.
upload-error-empty = Файлды таңдаңыз.
upload-error-too-large = Файл тым үлкен.
upload-error-kind = Бұл файл жарамайды: қажетті форматтағы құжатты жүктеңіз.
upload-error-name = Файлдың кеңейтімі оның мазмұнына сәйкес келмейді.
org-error-kato-fixed = Ұйымның ҚАТО кодын ұйым қызметкерлері емес, білім басқармасы өзгертеді. Ұйым көшсе, басқармаға хабарласыңыз.
