# Kezek — kk: documents
