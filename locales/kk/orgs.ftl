# Kezek — kk: orgs
