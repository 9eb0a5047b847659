# Kezek — en: cabinets
