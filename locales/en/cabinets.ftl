# Kezek — en: cabinets

## Free places
vacancy-error-capacity = That many places cannot be published: { $free } still free.
vacancy-error-count = Enter a number of places from 1 to 50.
vacancy-error-enrolled = The number of children must be from 0 to { $max }.
vacancy-error-nobody-enrolled = Nobody is enrolled in the group, so no departure can be recorded.
vacancy-error-group-inactive = The group is closed.
vacancy-error-not-open = This place was already withdrawn or taken.
