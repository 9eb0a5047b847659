# Kezek — en: department cabinet
