# Kezek — en: admin cabinet
