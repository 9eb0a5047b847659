# Kezek — en: department cabinet

department-area = Area: { $area }
department-add-org = Add an organization
department-search-label = Search by name, BIN or address
department-show-closed = Show closed organizations too
department-search-button = Search
department-orgs = Organizations of the area
department-found = { $count ->
    [one] { $count } organization found
   *[other] { $count } organizations found
}
department-none = No organizations found.
department-orgs-caption = Preschool organizations
department-page-of = Page { $page } of { $pages }
department-pages = Pages of the list
department-page-prev = Previous page
department-page-next = Next page
department-col-name = Name
department-col-status = Status
department-status-active = Open
department-status-closed = Closed
department-back-to-list = All organizations
department-org-title = Organization
department-new-org-title = New organization
department-org-closed-note = The organization is closed: its free places are not shown in the bulletin.
department-close-org = Close the organization
department-reopen-org = Reopen the organization
department-group-closed = closed
department-vacancies-caption = Published free places by group and date
department-error-no-area = Your account is not bound to an area. Please contact the administrator.
department-error-kato-outside-area = This KATO code is outside your area.
flash-department-org-created = The organization was added.
flash-department-org-closed = The organization was closed; its free places are no longer shown in the bulletin.
flash-department-org-reopened = The organization was reopened.
