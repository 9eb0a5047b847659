# Kezek — kk: verification
