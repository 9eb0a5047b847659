# Kezek — ru: directions (направления) and the public protocol

## Statuses
direction-status-issued = Выдано, ожидает принятия
direction-status-accepted = Принято, ожидает зачисления
direction-status-enrolled = Ребенок зачислен
direction-status-refused = Отказ
direction-status-expired = Аннулировано: истек срок
direction-status-returned = Возвращено организацией

## Errors
direction-error-not-open = Это действие уже недоступно: направление принято, закрыто или изменено.
direction-error-deadline-passed = Срок направления истек.
direction-error-reason-required = Укажите причину возврата.
direction-error-reason-too-long = Причина слишком длинная: не больше 500 символов.
direction-error-already-extended = Направление уже продлевалось: продлить его можно только один раз.
direction-error-not-accepted = Продлить можно только принятое родителем направление.
direction-error-extension-days = Укажите число календарных дней от 1 до { $max }.

## SMS and notices
direction-sms-issued = Kezek: по заявлению № { $number } выдано направление в { $organization }, группа «{ $group }», адрес: { $address }. Примите его в личном кабинете до { $deadline } включительно.
direction-sms-expired = Kezek: направление по заявлению № { $number } аннулировано: истек срок. Заявление вернется в очередь после стоп-листа ({ $stop_until }).
direction-sms-returned = Kezek: организация вернула направление по заявлению № { $number }. Причина: { $reason }. Заявление вернется в очередь после стоп-листа ({ $stop_until }).
direction-notice-accepted = Вы приняли направление по заявлению № { $number }. Обратитесь в дошкольную организацию для зачисления до { $deadline } включительно.
direction-notice-refused = Вы отказались от направления по заявлению № { $number }. Заявление вернется в очередь после стоп-листа ({ $stop_until }).
direction-notice-enrolled = Ребенок зачислен в дошкольную организацию, заявление № { $number } подписано.
direction-notice-extended = Срок зачисления по заявлению № { $number } продлен до { $deadline } включительно.

## Application history
applications-event-direction-extended = Срок зачисления продлен

## The parent's pages
directions-title = Направления
directions-intro = Направление выдается автоматически по очереди, когда освобождается место. О нем приходит SMS и уведомление в личном кабинете.
directions-none = Направлений пока нет.
directions-open = Подробнее
directions-detail-title = Направление
directions-back = Вернуться к списку направлений
directions-back-to-direction = Вернуться к направлению
directions-label-number = Номер заявления
directions-label-child = Ребенок
directions-label-organization = Дошкольная организация
directions-label-group = Группа
directions-label-address = Адрес
directions-label-status = Статус
directions-label-deadline = Срок
directions-label-reason = Причина
directions-label-issued = Выдано
directions-label-position = Место в очереди при выдаче
directions-label-category = Категория
directions-accept-by = принять до { $date } включительно
directions-enroll-by = зачислить до { $date } включительно
directions-extended = срок продлен
directions-accept-hint = Примите направление до окончания срока, иначе оно будет аннулировано, а место передано следующему ребенку.
directions-enroll-hint = Обратитесь в дошкольную организацию с документами до окончания срока для зачисления ребенка.
directions-accept = Принять
directions-refuse = Отказаться
directions-refuse-title = Отказ от направления
directions-refuse-question = Отказаться от направления?
directions-refuse-consequence-keep = Место перейдет следующему ребенку в очереди. Заявление на { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[other] { $days } дней
} попадет в стоп-лист, затем вернется в очередь на прежнее место.
directions-refuse-consequence-end = Место перейдет следующему ребенку в очереди. Заявление на { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[other] { $days } дней
} попадет в стоп-лист, затем встанет в конец очереди.
directions-refuse-confirm = Да, отказаться
directions-cancel = Отмена
flash-direction-accepted = Направление принято. Обратитесь в дошкольную организацию для зачисления.
flash-direction-refused = Вы отказались от направления.

## The organization's page
org-directions-title = Направления в организацию
org-directions-intro = Сначала показаны открытые направления. Зачислите ребенка, когда родитель принесет документы; верните направление, указав причину; продлить срок зачисления можно один раз.
org-directions-none = Направлений в организацию пока нет.
org-directions-enroll = Зачислить
org-directions-return = Вернуть
org-directions-reason = Причина возврата
org-directions-extend = Продлить
org-directions-days = Продлить на календарных дней
flash-direction-enrolled = Ребенок зачислен, заявление подписано.
flash-direction-returned = Направление возвращено, место снова свободно.
flash-direction-extended = Срок зачисления продлен.

## The public protocol
protocol-title = Протокол направлений
protocol-head-title = Проверка протокола
protocol-explanation = Каждое выданное, принятое, отклоненное, возвращенное, аннулированное направление и каждое зачисление записываются сюда по порядку. Каждая запись содержит хеш предыдущей (SHA-256), поэтому изменение или удаление любой прошлой записи меняет хеш последней. Сохраните хеш последней записи и сравните его позже.
protocol-entries = Записей
protocol-head-hash = Хеш последней записи
protocol-verify-hint = Скачайте протокол и проверьте цепочку командой
protocol-download-csv = Скачать протокол (CSV)
protocol-download-json = Скачать протокол (JSON)
protocol-empty = В протоколе региона пока нет записей.
protocol-table-caption = Записи протокола, новые сверху
protocol-col-at = Дата и время
protocol-col-event = Событие
protocol-col-organization = Организация
protocol-col-group = Группа
protocol-col-number = Номер заявления
protocol-col-child = Ребенок
protocol-col-position = Место в очереди
protocol-col-category = Категория
protocol-col-hash = Хеш
protocol-pages = Страницы протокола
protocol-page-newer = ← Новее
protocol-page-older = Раньше →
protocol-event-issued = Выдано
protocol-event-accepted = Принято
protocol-event-refused = Отказ
protocol-event-returned = Возвращено
protocol-event-expired = Аннулировано
protocol-event-enrolled = Зачислен
