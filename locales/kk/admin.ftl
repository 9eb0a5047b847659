# Kezek — kk: admin cabinet
