# Kezek — kk: department cabinet
