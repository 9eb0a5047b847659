# Kezek — en: children ("My children")

children-title = My children
children-add = Add a child
children-none = You have not added any children yet. Choose "Add a child" to put a child in the queue.
children-details = Details
children-edit = Edit
children-back = Back to "My children"
children-new-intro = Enter the child's IIN and choose "Check IIN". The data from the state register of individuals will be shown.
children-check-data = Check the data. Fill in "Sex" and "Nationality" and, if everything is right, choose "Save".
children-registry-note = The full name, IIN and date of birth come from the state register of individuals and cannot be changed.
children-label-iin = Child's IIN
children-label-sex = Sex
children-label-nationality = Nationality
children-nationality-none = not given
children-required-note = Fields marked with an asterisk * are required.
flash-children-added = The child was added.
flash-children-updated = The child's data was saved.
children-error-school-age = The child is already 7 — children of school age are not put in a kindergarten queue.
children-error-already-added = This child is already in "My children".
children-error-own-iin = This is your own IIN. Enter the child's IIN.
children-error-added-by-another = This child was already added by another applicant. If this is a mistake, please call the contact centre.
children-error-applicant = This IIN belongs to a registered applicant and cannot be added as a child.
children-error-sex = Choose the sex.
children-error-nationality = Choose a nationality from the list.
children-back-to-application = Back to the application
