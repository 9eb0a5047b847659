# Kezek — en: applications

application-status-queued = In the queue
application-status-direction-issued = Direction issued
application-status-signed = Enrolled (signed)
application-status-deleted = Deleted
application-error-no-organization = Choose at least one preschool organization.
application-error-too-many-organizations = You can choose at most { $max } organizations.
application-error-repeated-organization = An organization is listed twice.
