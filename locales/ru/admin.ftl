# Kezek — ru: admin cabinet
