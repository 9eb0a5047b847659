# Kezek — kk: reference
