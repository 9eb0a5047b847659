# Kezek — ru: reference
