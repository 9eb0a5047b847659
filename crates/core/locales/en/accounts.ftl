# Kezek — English interface.

site-name = Kezek
skip-to-content = Skip to content
nav-account = Account
nav-register = Sign up
nav-login = Log in
nav-logout = Log out
nav-cabinet = My account
switcher-region = Region
switcher-apply = Choose
switcher-language = Language
footer-contact-centre = Contact centre

## Home
home-title = Kindergarten waiting queue
home-lead = Put your child in the queue for a preschool organization, follow your number and receive a direction — fairly and openly.
home-region = Region: { $region }
home-how-title = How it works
home-how-1 = Sign up with your phone number and IIN.
home-how-2 = Add your child under "My children".
home-how-3 = File an application and choose preschool organizations.
home-how-4 = Directions are issued automatically in queue order — we will tell you by SMS.

## Data policy
policy-title = User data policy
policy-p1 = Kezek processes your personal data (phone number, IIN, name and date of birth, your children's and applications' data) only to queue children for preschool organizations and to issue directions.
policy-p2 = Applicant and child data are checked against the state register of individuals. Public queue lists never show full names or full IINs.
policy-p3 = Your password is stored only as an irreversible hash. SMS codes are valid for 5 minutes and must not be shared with anyone.
policy-p4 = Only you and the staff who need it for their work can see your data; each of their actions is recorded in a log.
policy-p5 = You can change your phone number and password in your account. For questions, call the contact centre.

## Registration
register-title = Sign up
register-step-1 = Step 1 of 3: phone number
register-step-2 = Step 2 of 3: password
register-step-3 = Step 3 of 3: applicant's details
register-policy-before = I have read and accept the
register-policy-link = user data policy
register-policy-after = { "" }
register-have-account = Already signed up?
label-phone = Phone number
hint-phone = For example: +7 701 123 45 67
label-code = Code from the SMS
label-password = Password
label-new-password = New password
label-password-repeat = Repeat the password
label-current-password = Current password
hint-password = At least 8 characters. A few words you can remember work best.
label-applicant-iin = Applicant's IIN
label-iin = IIN
label-full-name = Full name
label-birth-date = Date of birth
button-request-code = Request code
button-resend-code = Send the code again
button-send = Send
button-save = Save
button-check-iin = Check IIN
code-sent = If the number is right, a code was sent to { $phone }. It is valid for 5 minutes.

## Login
login-title = Log in
button-login = Log in
link-forgot-password = Forgot your password?
login-no-account = No account yet?
forgot-title = Password recovery
forgot-intro = Enter the phone number you signed up with. We will send a code to it.
reset-code-sent-to = Phone number: { $phone }

## Cabinet
cabinet-title = My account
cabinet-applicant = Applicant's details
cabinet-settings = Settings
cabinet-password-title = Change password
cabinet-phone-title = Change phone number
cabinet-phone-current = Current number: { $phone }
label-new-phone = New phone number
link-back-to-cabinet = Back to my account
staff-title-admin = Administrator's account
staff-title-department = Education department account
staff-title-organization = Preschool organization account
label-role = Role
label-org-bin = Organization BIN
label-kato = KATO code
role-parent = Applicant
role-admin = Administrator
role-department = Education department operator
role-organization = Preschool organization staff
sex-male = Male
sex-female = Female

## One-time messages after a redirect
flash-registered = You are signed up. Log in with your phone number and password.
flash-signup-expired = The time to sign up ran out. Please start again and request a new code.
flash-logged-out = You have logged out.
flash-password-reset = Your password was changed. Log in with the new password.
flash-password-changed = Your password was changed.
flash-phone-changed = Your phone number was changed.
flash-login-required = Please log in to continue.

## SMS texts
sms-code-register = Kezek: your sign-up code is { $code }. Do not share it.
sms-code-reset = Kezek: your password recovery code is { $code }. Do not share it.
sms-code-change-phone = Kezek: your code to change the phone number is { $code }. Do not share it.
sms-already-registered = Kezek: this number already has an account. If you forgot the password, use "Forgot your password?" on the login page.
sms-phone-in-use = Kezek: this number already belongs to another account and cannot be added again.
sms-phone-changed = Kezek: the phone number of your account was changed to { $phone }. If this was not you, call the contact centre.

## Errors
error-title = Error
error-home = Go to the home page
error-not-found = Page not found.
error-internal = Something went wrong on our side. What you typed is still on the page — please try again in a minute.
error-busy = The server is very busy right now. Please wait a moment and press the button again.
error-too-many-requests = Too many requests from your address. Please wait a few seconds and reload the page.
error-csrf = This page is out of date. Go back, reload the page and try again.
error-control-characters-form = What you sent contains invisible control characters (such as NUL) that cannot be saved. Nothing was saved. Send the form without these characters (everything else you typed is kept), or go back.
button-send-without-control-characters = Send without these characters
error-control-characters-address = The page address contains invisible control characters (such as NUL). Remove them and try again.
error-field-control-characters = This field contains invisible control characters (such as NUL). Remove them.
error-control-characters-removed = Some fields held invisible control characters (such as NUL); they were removed. Check the form and send it again.
error-policy-required = To continue, confirm that you have read the user data policy.
phone-error-invalid = Enter a Kazakhstan mobile number, for example +7 701 123 45 67.
phone-error-taken = This number already belongs to another account.
code-error-missing = Enter the code from the SMS.
code-error-wrong = Wrong code. { $attempts ->
    [one] { $attempts } attempt left.
   *[other] { $attempts } attempts left.
}
code-error-expired = The code has expired or was not requested. Request a new code.
code-error-locked = Too many wrong attempts. Request a new code later.
otp-error-too-soon = You can request a new code in { $seconds } { $seconds ->
    [one] second
   *[other] seconds
}.
otp-error-hourly-limit = Too many SMS this hour. Try again in { $minutes } { $minutes ->
    [one] minute
   *[other] minutes
}.
otp-error-daily-limit = Too many SMS today. Try again in { $minutes } { $minutes ->
    [one] minute
   *[other] minutes
}.
otp-error-ip-limit = Too many codes were requested from your connection. Try again in { $minutes } { $minutes ->
    [one] minute
   *[other] minutes
}.
password-error-too-short = The password must have at least 8 characters.
password-error-too-long = The password must have at most 128 characters.
password-error-common = This password is too common and easy to guess. Please choose another.
password-error-mismatch = The passwords do not match.
password-error-current = The current password is wrong.
iin-error-format = An IIN has 12 digits.
iin-error-century = This IIN is wrong: the seventh digit must be 1 to 6.
iin-error-date = This IIN is wrong: its first six digits are not a date of birth.
iin-error-checksum = This IIN is wrong: its check digit does not match. Check every digit.
iin-error-unknown = This IIN is not in the state register of individuals. Please check the number.
iin-error-minor = Only an adult — a parent or legal representative — can be an applicant.
iin-error-taken = An applicant with this IIN is already signed up. Log in or recover the password.
registry-error-unavailable = The register of individuals is unavailable right now. What you typed is kept — please try again in a few minutes.
signup-error-expired = The time to sign up ran out. Please start again.
login-error-failed = Wrong phone number or password.
login-error-locked = Too many failed login attempts. Wait 15 minutes or recover your password.

staff-error-org-unknown = No organization has this BIN. Import the organizations first (kezek org import).
staff-error-kato-unknown = This KATO code is not in the classifier.
login-error-blocked = This account is blocked. Please contact the administrator.
registry-error-lookups-limited = Too many IIN checks from your account or address. Please try again later (tomorrow at the latest); what you typed is kept.
label-name-to-confirm = Name
