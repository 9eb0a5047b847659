# Kezek — ru: admin cabinet

admin-title = Кабинет администратора
admin-staff-title = Учетные записи сотрудников
admin-staff-hint = учетные записи организаций, отделов образования и администраторов, их роли и доступ.
admin-reference-title = Справочники
admin-reference-hint = языки обучения, виды коррекции, льготные категории, национальности, возрастные группы.
admin-regions-title = Правила регионов
admin-regions-hint = Сколько детских садов родитель может выбрать в одном заявлении: от 1 до 10.
admin-audit-title = Журнал аудита
admin-audit-hint = Все действия сотрудников и все входы, сначала новые. Записи нельзя изменить или удалить.
admin-pages = Страницы
admin-page-previous = Предыдущая страница
admin-page-next = Следующая страница
admin-page-newer = Более новые записи
admin-page-older = Более старые записи
admin-yes = да
admin-no = нет

## Staff accounts
admin-staff-new-title = Новая учетная запись сотрудника
admin-staff-edit-title = Учетная запись сотрудника
admin-staff-caption = Учетные записи сотрудников в порядке создания
admin-staff-empty = Учетных записей сотрудников пока нет.
admin-label-binding = Организация или территория
admin-label-status = Состояние
admin-status-active = Действует
admin-status-blocked = Заблокирована
admin-status-blocked-since = Заблокирована с { $time }
admin-staff-binding-hint = Сотруднику организации нужен БИН его организации, оператору отдела образования — код КАТО его региона или района. Администратору не нужно ни то, ни другое.
admin-staff-binding-title = Роль и организация или территория
admin-staff-access-title = Доступ
admin-staff-own-account = Это ваша учетная запись: ее нельзя заблокировать, и от роли администратора нельзя отказаться.
admin-staff-block-hint = Заблокированный сотрудник сразу выходит из системы и не может войти.
admin-button-create = Создать учетную запись
admin-button-block = Заблокировать
admin-button-unblock = Разблокировать
admin-staff-error-role = Выберите роль: администратор, оператор отдела образования или сотрудник организации.
admin-staff-error-bin-required = Укажите БИН организации сотрудника.
admin-staff-error-kato-required = Укажите код КАТО региона или района оператора.
admin-staff-error-self-demote = Нельзя лишить роли администратора самого себя.
admin-staff-error-self-block = Нельзя заблокировать собственную учетную запись.
flash-admin-staff-created = Учетная запись сотрудника создана.
flash-admin-staff-saved = Роль и привязка сохранены.
flash-admin-staff-blocked = Учетная запись заблокирована, ее сеансы завершены.
flash-admin-staff-unblocked = Учетная запись разблокирована.

## Reference data
admin-reference-caption = Записи справочника
admin-reference-empty = Справочник пуст.
admin-reference-add-title = Добавить запись
admin-reference-edit-title = Запись справочника
admin-reference-code-hint = Строчные латинские буквы, цифры и знак подчеркивания, например «speech». Код потом изменить нельзя.
admin-reference-attribute-hint = Льготные категории: «extraordinary» (внеочередная) или «first_priority» (первоочередная). Возрастные группы: возраст, например «3-4». Остальные справочники: оставьте пустым.
admin-reference-delete-title = Удалить запись
admin-reference-delete-hint = Используемый код удалить нельзя — сделайте его неактивным.
admin-label-code = Код
admin-label-name-kk = Название на казахском
admin-label-name-ru = Название на русском
admin-label-name-en = Название на английском
admin-label-position = Порядок в списках
admin-label-attribute = Признак
admin-label-active = Активна (предлагается для выбора)
admin-button-add = Добавить
admin-button-delete = Удалить
admin-reference-error-position = Укажите порядок целым числом.
admin-reference-error-exists = Запись с таким кодом уже есть — измените ее.
flash-admin-reference-saved = Запись сохранена.
flash-admin-reference-deleted = Запись удалена.

## Region rules
admin-regions-caption = Правила каждого региона
admin-label-region = Регион
admin-label-max-preferred = Наибольшее число желаемых организаций
admin-label-updated = Изменено
admin-never-changed = не менялось
admin-region-error-unknown = Такого региона нет.
admin-region-error-max-preferred = Укажите число от 1 до 10.
flash-admin-region-saved = Правила региона сохранены.

## Audit log
admin-audit-caption = Записи журнала аудита, сначала новые
admin-audit-empty = Подходящих записей нет.
admin-label-action-prefix = Действие (начало, например «staff.»)
admin-label-subject = Объект (номер телефона, код)
admin-column-subject = Объект
admin-button-filter = Показать
admin-label-time = Время (UTC+5)
admin-label-actor = Кто
admin-label-action = Действие
admin-label-ip = IP-адрес
admin-label-detail = Подробности
admin-actor-system = система
