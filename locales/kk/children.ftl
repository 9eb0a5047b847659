# Kezek — kk: children
