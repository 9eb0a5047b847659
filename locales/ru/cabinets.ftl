# Kezek — ru: cabinets

## Free places
vacancy-error-capacity = Столько мест опубликовать нельзя: свободно еще { $free }.
vacancy-error-count = Укажите число мест от 1 до 50.
vacancy-error-enrolled = Число воспитанников должно быть от 0 до { $max }.
vacancy-error-nobody-enrolled = В группе нет воспитанников, выбытие отметить нельзя.
vacancy-error-group-inactive = Группа закрыта.
vacancy-error-not-open = Это место уже снято с публикации или занято.
