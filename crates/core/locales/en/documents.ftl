# Kezek — en: documents

documents-error-quota = Your documents already take up all the space allowed (100 MB). Upload a smaller file or remove documents you no longer need.
