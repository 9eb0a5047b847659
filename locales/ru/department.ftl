# Kezek — ru: department cabinet
