# Kezek — ru: orgs
