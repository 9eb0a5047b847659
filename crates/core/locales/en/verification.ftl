# Kezek — en: verification

## The operator's inbox
verification-title = Verification
verification-inbox-link = Verify documents and privileges
verification-intro = PMPK conclusions, phthisiatricians' referrals and privilege claims of applications in your area are waiting for verification. Open the documents, then approve, or reject with a reason.
verification-inbox-heading = Waiting for verification
verification-inbox-caption = Applications waiting for verification
verification-inbox-count = { $count ->
    [one] { $count } item
   *[other] { $count } items
}
verification-inbox-empty = No applications are waiting for verification.
verification-col-number = Application number
verification-col-child = Child
verification-col-birth-date = Date of birth
verification-col-kind = Group type
verification-col-what = To verify
verification-col-registered = Registered (date and time)
verification-col-documents = Documents
verification-col-expires = Conclusion valid until
verification-col-status = Status
verification-what-pmpk = PMPK conclusion
verification-what-referral = Phthisiatrician's referral
verification-what-privilege = Privilege (priority)
verification-pmpk-details = Conclusion No. { $number } of { $date }, valid until { $expires }
verification-privilege-category = Category: { $category }
verification-no-documents = No documents attached.
verification-approve = Approve
verification-reject = Reject
verification-reason-label = Reason for rejecting
verification-reason-hint = Required to reject; the parent receives it by SMS.
verification-decide-label = Decision on application { $number }: { $what }
verification-error-already-decided = This item has already been decided.
verification-error-reason-required = Give the reason for rejecting.
verification-error-reason-too-long = The reason is too long: 500 characters at most.

## Search
verification-search-heading = Find an application
verification-search-label = Application number or child's IIN
verification-search-button = Find
verification-search-hint = Every search is recorded in the audit log.
verification-search-none = There is no such application in your area.
verification-search-results = Applications found
verification-state-pending = Waiting for verification
verification-state-approved = Approved
verification-state-rejected = Rejected

## Expiring ПМПК conclusions
verification-expiring-heading = PMPK conclusions expiring
verification-expiring-caption = PMPK conclusions expiring within 30 days or already expired
verification-expiring-none = No PMPK conclusions are about to expire.
verification-expired = expired

## After a decision
flash-verification-approved = Decided: approved. The parent has been notified.
flash-verification-rejected = Decided: rejected. The parent has been notified with the reason.
flash-verification-already-decided = This item had already been decided.

## SMS and cabinet notices to the parent
verification-sms-pmpk-approved = Kezek: the PMPK conclusion of application No. { $number } was confirmed by the education department.
verification-sms-pmpk-rejected = Kezek: the PMPK conclusion of application No. { $number } was rejected. Reason: { $reason }
verification-sms-referral-approved = Kezek: the phthisiatrician's referral of application No. { $number } was confirmed by the education department.
verification-sms-referral-rejected = Kezek: the phthisiatrician's referral of application No. { $number } was rejected. Reason: { $reason }
verification-sms-privilege-approved = Kezek: the privilege of application No. { $number } was confirmed by the education department.
verification-sms-privilege-rejected = Kezek: the privilege of application No. { $number } was not confirmed. Reason: { $reason }. The application stays in the general queue with its original registration date.
verification-sms-pmpk-expiring = Kezek: the PMPK conclusion of application No. { $number } expires on { $expires }. Please renew it.
