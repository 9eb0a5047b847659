# Kezek — en: directions (offers of a place) and the public protocol

## Statuses
direction-status-issued = Issued, waiting to be accepted
direction-status-accepted = Accepted, waiting for enrollment
direction-status-enrolled = The child is enrolled
direction-status-refused = Refused
direction-status-expired = Annulled: the deadline passed
direction-status-returned = Returned by the organization

## Errors
direction-error-not-open = This is no longer possible: the direction was accepted, closed or changed.
direction-error-deadline-passed = The direction's deadline has passed.
direction-error-reason-required = Give the reason for returning it.
direction-error-reason-too-long = The reason is too long: at most 500 characters.
direction-error-already-extended = The direction was already extended: it can be extended only once.
direction-error-not-accepted = Only a direction the parent has accepted can be extended.
direction-error-extension-days = Enter a number of calendar days from 1 to { $max }.

## SMS and notices
direction-sms-issued = Kezek: application No. { $number } has a direction to { $organization }, group "{ $group }", address: { $address }. Accept it in your cabinet by { $deadline } inclusive.
direction-sms-expired = Kezek: the direction for application No. { $number } was annulled: the deadline passed. The application returns to the queue after the stop-list ({ $stop_until }).
direction-sms-returned = Kezek: the organization returned the direction for application No. { $number }. Reason: { $reason }. The application returns to the queue after the stop-list ({ $stop_until }).
direction-notice-accepted = You accepted the direction for application No. { $number }. Go to the preschool organization to enroll the child by { $deadline } inclusive.
direction-notice-refused = You refused the direction for application No. { $number }. The application returns to the queue after the stop-list ({ $stop_until }).
direction-notice-enrolled = The child is enrolled in the preschool organization; application No. { $number } is signed.
direction-notice-extended = The enrollment deadline for application No. { $number } was extended to { $deadline } inclusive.

## Application history
applications-event-direction-extended = The enrollment deadline was extended

## The parent's pages
directions-title = Directions
directions-intro = A direction is issued automatically in queue order when a place becomes free. You get an SMS and a notice in your cabinet.
directions-none = No directions yet.
directions-open = Details
directions-detail-title = Direction
directions-back = Back to the directions
directions-back-to-direction = Back to the direction
directions-label-number = Application number
directions-label-child = Child
directions-label-organization = Preschool organization
directions-label-group = Group
directions-label-address = Address
directions-label-status = Status
directions-label-deadline = Deadline
directions-label-reason = Reason
directions-label-issued = Issued
directions-label-position = Place in the queue when issued
directions-label-category = Category
directions-accept-by = accept by { $date } inclusive
directions-enroll-by = enroll by { $date } inclusive
directions-extended = deadline extended
directions-accept-hint = Accept the direction before the deadline, or it is annulled and the place goes to the next child.
directions-enroll-hint = Take the documents to the preschool organization before the deadline to enroll the child.
directions-accept = Accept
directions-refuse = Refuse
directions-refuse-title = Refusing the direction
directions-refuse-question = Refuse the direction?
directions-refuse-consequence-keep = The place goes to the next child in the queue. The application is on the stop-list for { $days ->
    [one] { $days } day
   *[other] { $days } days
}, then returns to its original place in the queue.
directions-refuse-consequence-end = The place goes to the next child in the queue. The application is on the stop-list for { $days ->
    [one] { $days } day
   *[other] { $days } days
}, then goes to the end of the queue.
directions-refuse-confirm = Yes, refuse
directions-cancel = Cancel
flash-direction-accepted = Direction accepted. Go to the preschool organization to enroll the child.
flash-direction-refused = You refused the direction.

## The organization's page
org-directions-title = Directions to the organization
org-directions-intro = Open directions come first. Enroll the child when the parent brings the documents; return a direction with its reason; the enrollment deadline can be extended once.
org-directions-none = No directions to the organization yet.
org-directions-enroll = Enroll
org-directions-return = Return
org-directions-reason = Reason for returning
org-directions-extend = Extend
org-directions-days = Extend by calendar days
flash-direction-enrolled = The child is enrolled; the application is signed.
flash-direction-returned = The direction was returned; the place is free again.
flash-direction-extended = The enrollment deadline was extended.

## The public protocol
protocol-title = Protocol of directions
protocol-head-title = Checking the protocol
protocol-explanation = Every issued, accepted, refused, returned and annulled direction and every enrollment is written here in order. Each entry carries the hash (SHA-256) of the one before, so changing or removing any past entry changes the hash of the last one. Keep the last entry's hash and compare it later.
protocol-entries = Entries
protocol-head-hash = Hash of the last entry
protocol-verify-hint = Download the protocol and check the chain with
protocol-download-csv = Download the protocol (CSV)
protocol-download-json = Download the protocol (JSON)
protocol-empty = The region's protocol has no entries yet.
protocol-table-caption = Protocol entries, newest first
protocol-col-at = Date and time
protocol-col-event = Event
protocol-col-organization = Organization
protocol-col-group = Group
protocol-col-number = Application number
protocol-col-child = Child
protocol-col-position = Place in the queue
protocol-col-category = Category
protocol-col-hash = Hash
protocol-pages = Protocol pages
protocol-page-newer = ← Newer
protocol-page-older = Older →
protocol-event-issued = Issued
protocol-event-accepted = Accepted
protocol-event-refused = Refused
protocol-event-returned = Returned
protocol-event-expired = Annulled
protocol-event-enrolled = Enrolled
