# Kezek — ru: children
