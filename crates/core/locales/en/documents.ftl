# Kezek — en: documents

documents-error-quota = Your documents already take up all the space allowed (100 MB). Upload a smaller file or remove documents you no longer need.
documents-error-count = You already keep 200 documents, as many as allowed. Remove documents you no longer need before uploading more.
documents-error-files-per-post = At most 10 files can be sent at once; the files past the tenth were not uploaded. Send the rest with the next step.
