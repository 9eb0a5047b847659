# Kezek — ru: documents
