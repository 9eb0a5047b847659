# Kezek — en: application_form
