# Kezek — en: notifications
