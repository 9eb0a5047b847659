# Kezek — en: verification
