# Kezek — en: notifications

## The bell and the list
notifications-title = Notifications
notifications-list-label = List of notifications
notifications-empty = No notifications yet.
notifications-unread-summary = { $count ->
    [one] { $count } unread notification
   *[other] { $count } unread notifications
}
notifications-all-read = All notifications are read.
notifications-unread-marker = New
notifications-received = Received
notifications-open = Open
notifications-mark-read = Mark as read
notifications-mark-all-read = Mark all as read
notifications-pages = Pages of notifications
notifications-page-newer = ← Newer
notifications-page-older = Older →

## Notices
notifications-phone-changed = The phone number of your account was changed to { $phone }. If this was not you, call the contact centre.

notifications-application-submitted = Application No. { $number } for { $child } is accepted and in the queue.
