# Kezek — ru: notifications

## The bell and the list
notifications-title = Уведомления
notifications-list-label = Список уведомлений
notifications-empty = Уведомлений пока нет.
notifications-unread-summary = { $count ->
    [one] { $count } непрочитанное уведомление
    [few] { $count } непрочитанных уведомления
    [many] { $count } непрочитанных уведомлений
   *[other] { $count } непрочитанного уведомления
}
notifications-all-read = Все уведомления прочитаны.
notifications-unread-marker = Новое
notifications-received = Получено
notifications-open = Открыть
notifications-mark-read = Отметить прочитанным
notifications-mark-all-read = Отметить все прочитанными
notifications-pages = Страницы уведомлений
notifications-page-newer = ← Новее
notifications-page-older = Раньше →

## Notices
notifications-phone-changed = Номер телефона вашей учетной записи изменен на { $phone }. Если это были не вы, обратитесь в контакт-центр.

notifications-application-submitted = Заявление № { $number } на ребенка { $child } принято и стоит в очереди.
