# Kezek — ru: application_form
