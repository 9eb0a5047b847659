# Kezek — ru: verification
