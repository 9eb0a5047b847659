# Kezek — ru: verification

## The operator's inbox
verification-title = Проверка документов
verification-inbox-link = Проверка документов и льгот
verification-intro = Заключения ПМПК, направления фтизиатра и заявленные льготы по заявлениям вашей территории ждут проверки. Откройте документы, затем одобрите или отклоните с указанием причины.
verification-inbox-heading = Ожидают проверки
verification-inbox-caption = Заявления, ожидающие проверки
verification-inbox-count = { $count ->
    [one] { $count } запись
    [few] { $count } записи
    [many] { $count } записей
   *[other] { $count } записи
}
verification-inbox-empty = Нет заявлений, ожидающих проверки.
verification-col-number = Номер заявления
verification-col-child = Ребенок
verification-col-birth-date = Дата рождения
verification-col-kind = Тип группы
verification-col-what = Что проверить
verification-col-registered = Дата и время регистрации
verification-col-documents = Документы
verification-col-expires = Срок действия заключения
verification-col-status = Статус
verification-what-pmpk = Заключение ПМПК
verification-what-referral = Направление фтизиатра
verification-what-privilege = Льгота (внеочередность)
verification-pmpk-details = Заключение № { $number } от { $date }, действует до { $expires }
verification-privilege-category = Категория: { $category }
verification-no-documents = Документы не приложены.
verification-approve = Одобрить
verification-reject = Отклонить
verification-reason-label = Причина отказа
verification-reason-hint = Обязательно при отклонении; родитель получит ее в SMS.
verification-decide-label = Решение по заявлению { $number }: { $what }
verification-error-already-decided = Решение по этому пункту уже принято.
verification-error-reason-required = Укажите причину отказа.
verification-error-reason-too-long = Причина слишком длинная: не больше 500 символов.

## Search
verification-search-heading = Поиск заявления
verification-search-label = Номер заявления или ИИН ребенка
verification-search-button = Найти
verification-search-hint = Каждый поиск записывается в журнал аудита.
verification-search-none = В вашей территории такого заявления нет.
verification-search-results = Найденные заявления
verification-state-pending = Ожидает проверки
verification-state-approved = Одобрено
verification-state-rejected = Отклонено

## Expiring ПМПК conclusions
verification-expiring-heading = Истекает срок заключения ПМПК
verification-expiring-caption = Заключения ПМПК, срок которых истекает в ближайшие 30 дней или уже истек
verification-expiring-none = Нет заключений ПМПК с истекающим сроком.
verification-expired = срок истек

## After a decision
flash-verification-approved = Решение принято: одобрено. Родитель получил уведомление.
flash-verification-rejected = Решение принято: отклонено. Родитель получил уведомление с причиной.
flash-verification-already-decided = Решение по этому пункту уже было принято.

## SMS and cabinet notices to the parent
verification-sms-pmpk-approved = Kezek: заключение ПМПК по заявлению № { $number } подтверждено отделом образования.
verification-sms-pmpk-rejected = Kezek: заключение ПМПК по заявлению № { $number } отклонено. Причина: { $reason }
verification-sms-referral-approved = Kezek: направление фтизиатра по заявлению № { $number } подтверждено отделом образования.
verification-sms-referral-rejected = Kezek: направление фтизиатра по заявлению № { $number } отклонено. Причина: { $reason }
verification-sms-privilege-approved = Kezek: льгота по заявлению № { $number } подтверждена отделом образования.
verification-sms-privilege-rejected = Kezek: льгота по заявлению № { $number } не подтверждена. Причина: { $reason }. Заявление остается в общей очереди с прежней датой регистрации.
verification-sms-pmpk-expiring = Kezek: срок заключения ПМПК по заявлению № { $number } истекает { $expires }. Обновите заключение.
