# Kezek — ru: cabinets
