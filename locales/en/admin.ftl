# Kezek — en: admin cabinet

admin-title = Administrator's account
admin-staff-title = Staff accounts
admin-staff-hint = accounts of organizations, departments and administrators, their roles and access.
admin-reference-title = Reference data
admin-reference-hint = languages, correction types, privilege categories, nationalities, age groups.
admin-regions-title = Region rules
admin-regions-hint = How many kindergartens a parent may choose in one application: from 1 to 10.
admin-audit-title = Audit log
admin-audit-hint = Every action of staff and every login, newest first. Entries cannot be changed or deleted.
admin-pages = Pages
admin-page-previous = Previous page
admin-page-next = Next page
admin-page-newer = Newer entries
admin-page-older = Older entries
admin-yes = yes
admin-no = no

## Staff accounts
admin-staff-new-title = New staff account
admin-staff-edit-title = Staff account
admin-staff-caption = Staff accounts in the order they were created
admin-staff-empty = There are no staff accounts yet.
admin-label-binding = Organization or area
admin-label-status = Status
admin-status-active = Active
admin-status-blocked = Blocked
admin-status-blocked-since = Blocked since { $time }
admin-staff-binding-hint = Organization staff need their organization's BIN; department operators the KATO code of their region or district. Administrators need neither.
admin-staff-binding-title = Role and organization or area
admin-staff-access-title = Access
admin-staff-own-account = This is your own account: you cannot block it or give up the administrator's role.
admin-staff-block-hint = A blocked employee is logged out at once and cannot log in.
admin-button-create = Create the account
admin-button-block = Block
admin-button-unblock = Unblock
admin-staff-error-role = Choose the role: administrator, department operator or organization staff.
admin-staff-error-bin-required = Enter the BIN of the employee's organization.
admin-staff-error-kato-required = Enter the KATO code of the operator's region or district.
admin-staff-error-self-demote = You cannot take the administrator's role away from yourself.
admin-staff-error-self-block = You cannot block your own account.
flash-admin-staff-created = The staff account is created.
flash-admin-staff-saved = The role and binding are saved.
flash-admin-staff-blocked = The account is blocked and its sessions ended.
flash-admin-staff-unblocked = The account is unblocked.

## Reference data
admin-reference-caption = The entries of the list
admin-reference-empty = The list is empty.
admin-reference-add-title = Add an entry
admin-reference-edit-title = Reference entry
admin-reference-code-hint = Lowercase Latin letters, digits and underscores, e.g. "speech". The code cannot be changed later.
admin-reference-attribute-hint = Privilege categories: "extraordinary" or "first_priority". Age groups: the ages, e.g. "3-4". Other lists: leave empty.
admin-reference-delete-title = Delete the entry
admin-reference-delete-hint = A code still in use cannot be deleted: make it inactive instead.
admin-label-code = Code
admin-label-name-kk = Name in Kazakh
admin-label-name-ru = Name in Russian
admin-label-name-en = Name in English
admin-label-position = Position in lists
admin-label-attribute = Attribute
admin-label-active = Active (offered in new choices)
admin-button-add = Add
admin-button-delete = Delete
admin-reference-error-position = Enter the position as a whole number.
admin-reference-error-exists = An entry with this code already exists; edit it instead.
flash-admin-reference-saved = The entry is saved.
flash-admin-reference-deleted = The entry is deleted.

## Region rules
admin-regions-caption = Rules of each region
admin-label-region = Region
admin-label-max-preferred = Maximum number of preferred organizations
admin-label-updated = Changed
admin-never-changed = not changed
admin-region-error-unknown = There is no such region.
admin-region-error-max-preferred = Enter a number from 1 to 10.
flash-admin-region-saved = The region's rules are saved.

## Audit log
admin-audit-caption = Audit log entries, newest first
admin-audit-empty = No entries match.
admin-label-action-prefix = Action (beginning, e.g. "staff.")
admin-label-subject = Subject (phone number, code)
admin-column-subject = Subject
admin-button-filter = Show
admin-label-time = Time (UTC+5)
admin-label-actor = Who
admin-label-action = Action
admin-label-ip = IP address
admin-label-detail = Details
admin-actor-system = system
