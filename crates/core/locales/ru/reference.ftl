# Kezek — ru: reference

bin-error-format = БИН должен состоять из 12 цифр.
bin-error-checksum = БИН введен неверно: не сходится контрольная цифра.
kato-error-format = Код КАТО должен состоять из 9 цифр.
kato-error-no-region = Код КАТО должен начинаться с кода области.
kato-error-skipped-level = Код КАТО пропускает уровень (например, населенный пункт без района).

reference-kind-language = Языки обучения
reference-kind-correction-type = Типы коррекции
reference-kind-privilege-category = Льготные категории
reference-kind-nationality = Национальности
reference-kind-age-group = Возрастные группы
reference-error-in-use = Этот код уже используется, удалить его нельзя. Его можно сделать неактивным.
reference-error-code = Код — от 1 до 40 строчных латинских букв, цифр или знаков подчеркивания.
reference-error-name = Укажите название на всех трех языках.
reference-error-attribute = Для льготной категории укажите «extraordinary» или «first_priority», для возрастной группы — возраст в виде «3-4».
reference-error-not-found = Такой записи в справочнике нет.
