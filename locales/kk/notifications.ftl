# Kezek — kk: notifications
