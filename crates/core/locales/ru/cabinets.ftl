# Kezek — ru: cabinets

## Free places
vacancy-error-capacity = Столько мест опубликовать нельзя: свободно еще { $free }.
vacancy-error-count = Укажите число мест от 1 до 50.
vacancy-error-enrolled = Число воспитанников должно быть от 0 до { $max }.
vacancy-error-nobody-enrolled = В группе нет воспитанников, выбытие отметить нельзя.
vacancy-error-group-inactive = Группа закрыта.
vacancy-error-not-open = Это место уже снято с публикации или занято.

## Organization cabinet
org-title = Кабинет дошкольной организации
org-group-title = Группа
org-groups = Группы
org-groups-caption = Группы организации и свободные места
org-no-groups = У организации пока нет групп.
org-group-heading = Группа «{ $name }»
label-address = Адрес
label-group = Группа
label-birth-year = Год рождения
label-language = Язык обучения
label-group-kind = Тип группы
label-capacity = Мест всего
label-enrolled = Воспитанников
label-open-vacancies = Свободных мест опубликовано
label-unpublished-free = Можно опубликовать еще
org-publish-title = Опубликовать свободные места
label-places-count = Количество мест
label-available-from = Свободно с
button-publish = Опубликовать
org-open-vacancies-title = Опубликованные свободные места
org-no-open-vacancies = Опубликованных мест нет.
org-vacancy-from = Место свободно с { $date }
button-withdraw = Снять с публикации
org-departure-title = Выбытие воспитанника
org-departure-hint = Место выбывшего ребенка сразу публикуется как свободное.
label-left-on = Дата выбытия
label-note = Примечание
button-record-departure = Отметить выбытие
org-enrolled-title = Число воспитанников
flash-vacancies-published = Свободные места опубликованы в бюллетене.
flash-departure-recorded = Выбытие отмечено, место опубликовано как свободное.
flash-enrolled-saved = Число воспитанников сохранено.
flash-vacancy-withdrawn = Место снято с публикации.
error-date = Введите дату, например 01.09.2026.
error-forbidden = У вас нет доступа к этой странице.
error-no-organization = Ваша учетная запись не привязана к дошкольной организации. Обратитесь к администратору.

## Bulletin
home-bulletin-lead = Свободные места в дошкольных организациях региона — сразу после публикации.
bulletin-title = Бюллетень свободных мест
bulletin-empty = В этом регионе сейчас нет свободных мест.

## Card and group forms
org-card-title = Карточка организации
org-group-form-title = Группа
link-back = Назад
link-edit-card = Изменить карточку
link-add-group = Добавить группу
link-edit-group = Изменить группу
button-close-group = Закрыть группу
button-reopen-group = Открыть группу
org-group-closed = Группа закрыта: свободные места в ней не публикуются.
label-name-kk = Наименование на казахском
label-name-ru = Наименование на русском
label-ownership = Форма собственности
label-org-phone = Телефон организации
label-email = Электронная почта
label-website = Сайт
label-working-hours = Режим работы
label-languages = Языки обучения
label-head-name = ФИО руководителя
label-description = Описание
label-latitude = Широта
label-longitude = Долгота
label-group-name = Название группы
label-age-group = Возрастная группа
label-correction-type = Тип коррекции
hint-correction-type = Только для коррекционной группы.
flash-card-saved = Карточка сохранена.
flash-group-saved = Группа сохранена.
org-error-kato-unknown = Такого кода КАТО нет в классификаторе.
org-error-bin-taken = Организация с таким БИН уже есть.
org-error-bin-fixed = БИН организации изменить нельзя.
org-error-ownership = Выберите форму собственности.
group-error-kind = Выберите тип группы.

## Photo and uploads
org-photo-title = Фото организации
org-photo-alt = Фото дошкольной организации
label-photo = Файл фото
hint-photo = JPEG или PNG, не больше 5 МБ.
button-upload-photo = Загрузить фото
button-remove-photo = Удалить фото
flash-photo-saved = Фото сохранено.
flash-photo-removed = Фото удалено.
upload-error-empty = Выберите файл.
upload-error-too-large = Файл слишком большой.
upload-error-kind = Этот файл не подходит: загрузите документ нужного формата.
upload-error-name = Расширение файла не соответствует его содержимому.
org-error-kato-fixed = Код КАТО организации меняет управление образования, а не сотрудники организации. Если организация переехала, обратитесь в управление.
