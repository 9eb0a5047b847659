# Kezek — ru: applications

application-status-queued = В очереди
application-status-direction-issued = Выдано направление
application-status-signed = Зачислен (подписано)
application-status-deleted = Удалено
application-error-no-organization = Выберите хотя бы одну дошкольную организацию.
application-error-too-many-organizations = Можно выбрать не больше { $max } организаций.
application-error-repeated-organization = Организация указана дважды.

application-error-invalid = Проверьте поля, отмеченные ниже.
application-error-active-exists = У ребенка уже есть действующее заявление этого типа.
application-error-cannot-delete = Подписанное заявление удалить нельзя: ребенок зачислен в дошкольную организацию.
application-error-child = Выберите ребенка из списка «Мои дети».
application-error-child-school-age = Ребенку уже исполнилось 7 лет: заявление в дошкольную организацию подать нельзя.
application-error-pmpk-number = Укажите номер заключения ПМПК.
application-error-pmpk-date = Укажите дату заключения ПМПК (не позже сегодняшней).
application-error-pmpk-expired = Срок действия заключения ПМПК истек или не указан.
application-error-pmpk-document = Прикрепите заключение ПМПК (PDF, JPEG или PNG).
application-error-referral-document = Прикрепите направление фтизиатра (PDF, JPEG или PNG).
application-error-locality = Выберите населенный пункт выбранного региона.
application-error-organization-unsuitable = Выберите организации из предложенного списка: в них есть группы нужного типа для года рождения ребенка.
application-error-privilege-category = Выберите категорию внеочередности из списка.
application-error-privilege-documents = Прикрепите документы, подтверждающие категорию.
application-error-consent = Подтвердите согласие на использование сведений.
