# Kezek — en: reference
