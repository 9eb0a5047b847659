# Kezek — kk: cabinets
