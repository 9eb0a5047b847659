# Kezek — en: orgs
