# Kezek — en: applications

application-status-queued = In the queue
application-status-direction-issued = Direction issued
application-status-signed = Enrolled (signed)
application-status-deleted = Deleted
application-error-no-organization = Choose at least one preschool organization.
application-error-too-many-organizations = You can choose at most { $max } organizations.
application-error-repeated-organization = An organization is listed twice.

application-error-invalid = Check the fields marked below.
application-error-active-exists = The child already has an active application of this type.
application-error-cannot-delete = A signed application cannot be deleted: the child is enrolled.
application-error-child = Choose a child from "My children".
application-error-child-school-age = The child is 7 or older: no application to a preschool organization can be filed.
application-error-pmpk-number = Enter the number of the PMPK conclusion.
application-error-pmpk-date = Enter the date of the PMPK conclusion (not later than today).
application-error-pmpk-expired = The PMPK conclusion has expired or its expiry date is missing.
application-error-pmpk-document = Attach the PMPK conclusion (PDF, JPEG or PNG).
application-error-referral-document = Attach the phthisiatrician's referral (PDF, JPEG or PNG).
application-error-locality = Choose a locality of the chosen region.
application-error-organization-unsuitable = Choose organizations from the list offered: they have groups of this type for the child's birth year.
application-error-privilege-category = Choose the extraordinary category from the list.
application-error-privilege-documents = Attach the documents supporting the category.
application-error-consent = Confirm your consent to the use of data.
