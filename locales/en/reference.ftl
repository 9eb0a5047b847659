# Kezek — en: reference

bin-error-format = A BIN has 12 digits.
bin-error-checksum = This BIN is wrong: its check digit does not match.
kato-error-format = A KATO code has 9 digits.
kato-error-no-region = A KATO code starts with its region's code.
kato-error-skipped-level = This KATO code skips a level (e.g. a settlement without its district).
