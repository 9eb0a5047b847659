# Kezek — en: orgs

group-kind-regular = Regular
group-kind-correctional = Correctional
group-kind-sanatorium = Sanatorium
ownership-state = State
ownership-private = Private

## Organization card and group checks (forms and the CSV import)
org-error-name-required = Enter the name.
org-error-too-long = The text is too long.
org-error-address-required = Enter the address.
org-error-email-invalid = Enter an email address like name@example.kz.
org-error-website-invalid = The website address must start with http:// or https://.
org-error-latitude-range = The latitude must be between −90 and 90.
org-error-longitude-range = The longitude must be between −180 and 180.
org-error-coordinates-pair = Give both the latitude and the longitude, or neither.
org-error-language-unknown = Choose languages from the list.
group-error-name-required = Enter the group's name.
group-error-name-too-long = The group's name must be at most 100 characters.
group-error-name-taken = The organization already has a group with this name.
group-error-birth-year-range = The birth year must be within the last seven years.
group-error-language-required = Choose the language of instruction.
group-error-language-unknown = Choose the language of instruction from the list.
group-error-correction-type-required = A correctional group needs a correction type.
group-error-correction-type-unknown = Choose the correction type from the list.
group-error-correction-type-not-correctional = Only a correctional group has a correction type.
group-error-age-group-unknown = Choose the age group from the list.
group-error-capacity-range = The capacity must be from 1 to 100 places.
group-error-capacity-below-taken = { $taken ->
    [one] { $taken } place is already taken; the capacity cannot be lower.
   *[other] { $taken } places are already taken; the capacity cannot be lower.
}
group-error-not-found = The group was not found.
group-error-not-saved = The group could not be saved. Try again.
