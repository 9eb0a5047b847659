# Kezek — ru: orgs

group-kind-regular = Обычная
group-kind-correctional = Коррекционная
group-kind-sanatorium = Санаторная
ownership-state = Государственная
ownership-private = Частная

## Проверки карточки организации и групп (формы и импорт CSV)
org-error-name-required = Укажите наименование.
org-error-too-long = Слишком длинный текст.
org-error-address-required = Укажите адрес.
org-error-email-invalid = Укажите адрес электронной почты вида name@example.kz.
org-error-website-invalid = Адрес сайта должен начинаться с http:// или https://.
org-error-latitude-range = Широта должна быть от −90 до 90.
org-error-longitude-range = Долгота должна быть от −180 до 180.
org-error-coordinates-pair = Укажите и широту, и долготу или не указывайте ни то, ни другое.
org-error-language-unknown = Выберите языки из списка.
group-error-name-required = Укажите название группы.
group-error-name-too-long = Название группы — не длиннее 100 символов.
group-error-name-taken = В организации уже есть группа с таким названием.
group-error-birth-year-range = Год рождения должен быть в пределах последних семи лет.
group-error-language-required = Выберите язык обучения.
group-error-language-unknown = Выберите язык обучения из списка.
group-error-correction-type-required = Для коррекционной группы укажите тип коррекции.
group-error-correction-type-unknown = Выберите тип коррекции из списка.
group-error-correction-type-not-correctional = Тип коррекции указывается только для коррекционной группы.
group-error-age-group-unknown = Выберите возрастную группу из списка.
group-error-capacity-range = Вместимость — от 1 до 100 мест.
group-error-capacity-below-taken = { $taken ->
    [one] Уже занято { $taken } место, вместимость не может быть меньше.
    [few] Уже занято { $taken } места, вместимость не может быть меньше.
   *[other] Уже занято { $taken } мест, вместимость не может быть меньше.
}
group-error-not-found = Группа не найдена.
group-error-not-saved = Не удалось сохранить группу. Попробуйте ещё раз.
