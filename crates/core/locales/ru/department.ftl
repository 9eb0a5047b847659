# Kezek — ru: department cabinet

department-area = Территория: { $area }
department-add-org = Добавить организацию
department-search-label = Поиск по наименованию, БИН или адресу
department-show-closed = Показывать и закрытые организации
department-search-button = Найти
department-orgs = Организации территории
department-found = { $count ->
    [one] Найдена { $count } организация
    [few] Найдены { $count } организации
   *[other] Найдено { $count } организаций
}
department-none = Организации не найдены.
department-orgs-caption = Дошкольные организации
department-page-of = Страница { $page } из { $pages }
department-pages = Страницы списка
department-page-prev = Предыдущая страница
department-page-next = Следующая страница
department-col-name = Наименование
department-col-status = Состояние
department-status-active = Работает
department-status-closed = Закрыта
department-back-to-list = Ко всем организациям
department-org-title = Организация
department-new-org-title = Новая организация
department-org-closed-note = Организация закрыта: ее свободные места не показываются в бюллетене.
department-close-org = Закрыть организацию
department-reopen-org = Открыть организацию снова
department-group-closed = закрыта
department-vacancies-caption = Опубликованные свободные места по группам и датам
department-error-no-area = Ваша учетная запись не привязана к территории. Обратитесь к администратору.
department-error-kato-outside-area = Этот код КАТО не относится к вашей территории.
flash-department-org-created = Организация добавлена.
flash-department-org-closed = Организация закрыта, ее свободные места больше не показываются в бюллетене.
flash-department-org-reopened = Организация снова открыта.
