# Kezek — kk: applications

application-status-queued = Кезекте
application-status-direction-issued = Жолдама берілді
application-status-signed = Қабылданды (қол қойылған)
application-status-deleted = Жойылды
application-error-no-organization = Кемінде бір мектепке дейінгі ұйымды таңдаңыз.
application-error-too-many-organizations = { $max } ұйымнан артық таңдауға болмайды.
application-error-repeated-organization = Ұйым екі рет көрсетілген.
