# Kezek — en: reference

bin-error-format = A BIN has 12 digits.
bin-error-checksum = This BIN is wrong: its check digit does not match.
kato-error-format = A KATO code has 9 digits.
kato-error-no-region = A KATO code starts with its region's code.
kato-error-skipped-level = This KATO code skips a level (e.g. a settlement without its district).

reference-kind-language = Languages of instruction
reference-kind-correction-type = Correction types
reference-kind-privilege-category = Privilege categories
reference-kind-nationality = Nationalities
reference-kind-age-group = Age groups
reference-error-in-use = This code is in use and cannot be deleted. You can make it inactive instead.
reference-error-code = A code is 1 to 40 lowercase Latin letters, digits or underscores.
reference-error-name = Give the name in all three languages.
reference-error-attribute = A privilege category needs "extraordinary" or "first_priority"; an age group needs the ages as "3-4".
reference-error-not-found = There is no such entry in the reference list.
