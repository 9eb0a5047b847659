# Kezek — ru: notifications
