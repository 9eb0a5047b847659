# Kezek — en: documents
