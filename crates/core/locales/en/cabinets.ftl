# Kezek — en: cabinets

## Free places
vacancy-error-capacity = That many places cannot be published: { $free } still free.
vacancy-error-count = Enter a number of places from 1 to 50.
vacancy-error-enrolled = The number of children must be from 0 to { $max }.
vacancy-error-nobody-enrolled = Nobody is enrolled in the group, so no departure can be recorded.
vacancy-error-group-inactive = The group is closed.
vacancy-error-not-open = This place was already withdrawn or taken.

## Organization cabinet
org-title = Preschool organization account
org-group-title = Group
org-groups = Groups
org-groups-caption = The organization's groups and free places
org-no-groups = The organization has no groups yet.
org-group-heading = Group "{ $name }"
label-address = Address
label-group = Group
label-birth-year = Birth year
label-language = Language of instruction
label-group-kind = Group type
label-capacity = Places in all
label-enrolled = Children enrolled
label-open-vacancies = Free places published
label-unpublished-free = Can still be published
org-publish-title = Publish free places
label-places-count = Number of places
label-available-from = Free from
button-publish = Publish
org-open-vacancies-title = Published free places
org-no-open-vacancies = No places are published.
org-vacancy-from = Place free from { $date }
button-withdraw = Withdraw
org-departure-title = A child leaves
org-departure-hint = The place of a child who leaves is published as free at once.
label-left-on = Date of leaving
label-note = Note
button-record-departure = Record the departure
org-enrolled-title = Number of children enrolled
flash-vacancies-published = The free places are published in the bulletin.
flash-departure-recorded = The departure is recorded and the place published as free.
flash-enrolled-saved = The number of children is saved.
flash-vacancy-withdrawn = The place was withdrawn.
error-date = Enter a date, for example 01.09.2026.
error-forbidden = You have no access to this page.
error-no-organization = Your account is not linked to a preschool organization. Please contact the administrator.

## Bulletin
home-bulletin-lead = Free places in the region's preschool organizations, as soon as they are published.
bulletin-title = Free places bulletin
bulletin-empty = There are no free places in this region right now.

## Card and group forms
org-card-title = Organization card
org-group-form-title = Group
link-back = Back
link-edit-card = Edit the card
link-add-group = Add a group
link-edit-group = Edit the group
button-close-group = Close the group
button-reopen-group = Open the group
org-group-closed = The group is closed: no free places are published in it.
label-name-kk = Name in Kazakh
label-name-ru = Name in Russian
label-ownership = Ownership
label-org-phone = Organization's phone
label-email = Email
label-website = Website
label-working-hours = Working hours
label-languages = Languages of instruction
label-head-name = Head's full name
label-description = Description
label-latitude = Latitude
label-longitude = Longitude
label-group-name = Group name
label-age-group = Age group
label-correction-type = Correction type
hint-correction-type = Only for a correctional group.
flash-card-saved = The card is saved.
flash-group-saved = The group is saved.
org-error-kato-unknown = This KATO code is not in the classifier.
org-error-bin-taken = An organization with this BIN already exists.
org-error-bin-fixed = An organization's BIN cannot be changed.
org-error-ownership = Choose the ownership.
group-error-kind = Choose the group type.

## Photo and uploads
org-photo-title = Organization photo
org-photo-alt = Photo of the preschool organization
label-photo = Photo file
hint-photo = JPEG or PNG, at most 5 MB.
button-upload-photo = Upload the photo
button-remove-photo = Remove the photo
flash-photo-saved = The photo is saved.
flash-photo-removed = The photo is removed.
upload-error-empty = Choose a file.
upload-error-too-large = The file is too large.
upload-error-kind = This file does not fit: upload a document in an accepted format.
upload-error-name = The file's extension does not match its content.
org-error-kato-fixed = The organization's KATO code is changed by the education department, not by the organization's staff. Ask the department if the organization has moved.
