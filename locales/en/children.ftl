# Kezek — en: children
