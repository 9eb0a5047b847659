# Kezek — kk: application_form
