# Kezek — ru: applications

application-status-queued = В очереди
application-status-direction-issued = Выдано направление
application-status-signed = Зачислен (подписано)
application-status-deleted = Удалено
application-error-no-organization = Выберите хотя бы одну дошкольную организацию.
application-error-too-many-organizations = Можно выбрать не больше { $max } организаций.
application-error-repeated-organization = Организация указана дважды.
