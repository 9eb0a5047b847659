//! Parent and staff accounts: sign-up by SMS code, login, password reset, password and phone
//! changes. HTML pages (and later the JSON API) call these functions; they decide, handlers translate.

pub mod attempts;
pub mod codes;
pub mod flows;
pub mod hasher;
pub mod sessions;
pub mod users;

use fluent_bundle::FluentValue;
use serde_json::json;

use crate::app::App;
use crate::audit::{self, AuditEntry};
use crate::db::{Backend, Tx};
use crate::domain::otp::{SendRefusal, generate_code};
use crate::domain::password::{PasswordError, check_new_password};
use crate::domain::{Iin, IinError, Person, Phone, PhoneError, Role};
use crate::i18n::Lang;
use crate::outbox;
use codes::{CodeCheck, Purpose};
use hasher::HashError;
use users::{StaffBinding, User};

/// What stands for a one-time code in the outbox once the message is out.
const CODE_MASK: &str = "******";
/// Younger people cannot be applicants (a parent or legal representative).
const MIN_APPLICANT_AGE: u32 = 16;

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("invalid phone number")]
    Phone(#[from] PhoneError),
    #[error("the data policy was not accepted")]
    PolicyNotAccepted,
    #[error("no code sent: {0:?}")]
    SendRefused(SendRefusal),
    #[error("the code is missing")]
    CodeMissing,
    #[error("wrong code")]
    CodeWrong { attempts_left: i64 },
    #[error("the code expired or was not requested")]
    CodeExpired,
    #[error("too many wrong codes")]
    CodeLocked,
    #[error("password refused: {0:?}")]
    Password(PasswordError),
    #[error("invalid IIN: {0:?}")]
    Iin(IinError),
    #[error("the IIN is unknown to the register")]
    IinUnknown,
    #[error("the person is too young to be an applicant")]
    IinMinor,
    #[error("the IIN already belongs to an applicant")]
    IinTaken,
    #[error("the register of individuals is unavailable")]
    RegistryUnavailable,
    #[error("the phone number belongs to another account")]
    PhoneTaken,
    #[error("the sign-up expired")]
    FlowExpired,
    #[error("wrong phone or password")]
    LoginFailed,
    #[error("too many failed logins")]
    LoginLocked,
    #[error("the account is blocked")]
    Blocked,
    #[error("wrong current password")]
    CurrentPasswordWrong,
    #[error("no organization has this BIN")]
    OrganizationUnknown,
    #[error("no unit of the classifier has this KATO code")]
    KatoUnknown,
    #[error("too busy to check passwords")]
    Busy,
    #[error("too many look-ups in the register")]
    LookupsLimited,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<crate::db::Error> for AccountError {
    fn from(e: crate::db::Error) -> Self {
        AccountError::Internal(e.into())
    }
}

impl From<HashError> for AccountError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => AccountError::Busy,
            HashError::Internal(msg) => AccountError::Internal(anyhow::anyhow!(msg)),
        }
    }
}

impl AccountError {
    /// The form field the message belongs beside; `None` for a message over the whole form.
    pub fn field(&self) -> Option<&'static str> {
        use AccountError::*;
        match self {
            Phone(_) | SendRefused(_) | PhoneTaken => Some("phone"),
            PolicyNotAccepted => Some("policy"),
            CodeMissing | CodeWrong { .. } | CodeExpired | CodeLocked => Some("code"),
            Password(PasswordError::Mismatch) => Some("password2"),
            Password(_) => Some("password"),
            Iin(_) | IinUnknown | IinMinor | IinTaken => Some("iin"),
            LookupsLimited => Some("iin"),
            CurrentPasswordWrong => Some("current_password"),
            OrganizationUnknown => Some("org_bin"),
            KatoUnknown => Some("kato"),
            RegistryUnavailable | FlowExpired | LoginFailed | LoginLocked | Blocked | Busy
            | Internal(_) => None,
        }
    }

    /// The translated message for the person at the keyboard.
    pub fn message(&self, app: &App, lang: Lang) -> String {
        use AccountError::*;
        let key = match self {
            Phone(e) => e.message_key(),
            PolicyNotAccepted => "error-policy-required",
            SendRefused(r) => {
                let minutes = (r.retry_after_secs() + 59) / 60;
                return app.i18n.get_with(
                    lang,
                    r.message_key(),
                    &[
                        ("seconds", FluentValue::from(r.retry_after_secs())),
                        ("minutes", FluentValue::from(minutes)),
                    ],
                );
            }
            CodeMissing => "code-error-missing",
            CodeWrong { attempts_left } => {
                return app.i18n.get_with(
                    lang,
                    "code-error-wrong",
                    &[("attempts", FluentValue::from(*attempts_left))],
                );
            }
            CodeExpired => "code-error-expired",
            CodeLocked => "code-error-locked",
            Password(e) => e.message_key(),
            Iin(e) => e.message_key(),
            IinUnknown => "iin-error-unknown",
            IinMinor => "iin-error-minor",
            IinTaken => "iin-error-taken",
            RegistryUnavailable => "registry-error-unavailable",
            PhoneTaken => "phone-error-taken",
            FlowExpired => "signup-error-expired",
            LoginFailed => "login-error-failed",
            LoginLocked => "login-error-locked",
            Blocked => "login-error-blocked",
            CurrentPasswordWrong => "password-error-current",
            OrganizationUnknown => "staff-error-org-unknown",
            KatoUnknown => "staff-error-kato-unknown",
            Busy => "error-busy",
            LookupsLimited => "registry-error-lookups-limited",
            Internal(_) => "error-internal",
        };
        app.i18n.get(lang, key)
    }
}

/// Who is behind a request with a live session.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i64,
    pub role: Role,
    pub phone: String,
}

fn audit_entry<'a>(
    at: i64,
    actor: Option<i64>,
    action: &'a str,
    subject: Option<&'a str>,
    ip: &'a str,
) -> AuditEntry<'a> {
    AuditEntry {
        at,
        actor_user_id: actor,
        action,
        subject,
        ip: Some(ip),
        detail: None,
    }
}

/// Serialises work on one phone number across processes (PostgreSQL); on SQLite the
/// write transaction already does.
async fn lock_phone(app: &App, tx: &mut Tx, phone: &Phone) -> Result<(), crate::db::Error> {
    if app.db.backend() == Backend::Postgres {
        let key: i64 = phone.digits().parse().unwrap_or(0);
        crate::db::accounts::lock_phone(&mut **tx, key).await?;
    }
    Ok(())
}

/// Sends a one-time code for `purpose` to `phone_input`. The answer is the same whether or
/// not the phone has an account: an account holder asking to register gets a reminder
/// instead of a code, and a stranger asking for a reset gets nothing.
pub async fn request_code(
    app: &App,
    purpose: Purpose,
    phone_input: &str,
    ip: &str,
    lang: Lang,
) -> Result<Phone, AccountError> {
    let phone = Phone::parse(phone_input)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    lock_phone(app, &mut tx, &phone).await?;
    let (by_phone, by_ip) = codes::recent_sends(&mut tx, &phone, ip, now).await?;
    app.otp_policy
        .check(now, &by_phone, &by_ip)
        .map_err(AccountError::SendRefused)?;
    let registered = users::by_phone(&mut *tx, &phone).await?.is_some();
    let code = generate_code();
    let text = |key, code: &str| {
        app.i18n
            .get_with(lang, key, &[("code", FluentValue::from(code))])
    };
    // A message with a code is queued with its masked twin, which is all the outbox keeps once
    // the message is delivered or its code has expired.
    let with_code = |key| Some((text(key, &code), Some(text(key, CODE_MASK))));
    let message = match (purpose, registered) {
        (Purpose::Register, false) => with_code("sms-code-register"),
        (Purpose::Register, true) => Some((app.i18n.get(lang, "sms-already-registered"), None)),
        (Purpose::Reset, true) => with_code("sms-code-reset"),
        (Purpose::Reset, false) => None,
        (Purpose::ChangePhone, false) => with_code("sms-code-change-phone"),
        (Purpose::ChangePhone, true) => Some((app.i18n.get(lang, "sms-phone-in-use"), None)),
    };
    codes::issue(&mut tx, &app.code_key, &phone, purpose, &code, ip, now).await?;
    match message {
        Some((body, Some(redacted))) => {
            outbox::enqueue_redactable(&mut tx, &phone, &body, &redacted, now).await?;
        }
        Some((body, None)) => {
            outbox::enqueue(&mut tx, &phone, &body, now).await?;
        }
        None => {}
    }
    let mut entry = audit_entry(now, None, "auth.code.sent", Some(phone.as_e164()), ip);
    entry.detail = Some(json!({ "purpose": purpose.as_str() }));
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    app.sms_wakeup.notify_one();
    Ok(phone)
}

/// Checks a code inside `tx`, auditing wrong tries. The caller commits `tx` even on error,
/// so wrong tries are counted.
async fn check_code(
    tx: &mut Tx,
    key: &codes::CodeKey,
    phone: &Phone,
    purpose: Purpose,
    code: &str,
    ip: &str,
    now: i64,
) -> Result<(), AccountError> {
    if code.trim().is_empty() {
        return Err(AccountError::CodeMissing);
    }
    match codes::check(tx, key, phone, purpose, code, now).await? {
        CodeCheck::Accepted => Ok(()),
        outcome => {
            let action = if outcome == CodeCheck::Locked {
                "auth.code.locked"
            } else {
                "auth.code.failed"
            };
            let mut entry = audit_entry(now, None, action, Some(phone.as_e164()), ip);
            entry.detail = Some(json!({ "purpose": purpose.as_str() }));
            audit::record(tx, entry).await?;
            Err(match outcome {
                CodeCheck::Wrong { attempts_left } => AccountError::CodeWrong { attempts_left },
                CodeCheck::Locked => AccountError::CodeLocked,
                _ => AccountError::CodeExpired,
            })
        }
    }
}

/// Checks the code sent to a phone that is to join an account, and that no account has it yet.
async fn prove_unused_phone(
    tx: &mut Tx,
    key: &codes::CodeKey,
    phone: &Phone,
    purpose: Purpose,
    code: &str,
    ip: &str,
    now: i64,
) -> Result<(), AccountError> {
    check_code(tx, key, phone, purpose, code, ip, now).await?;
    if users::by_phone(&mut **tx, phone).await?.is_some() {
        return Err(AccountError::PhoneTaken);
    }
    Ok(())
}

/// Commits `tx` and passes `result` on: what the transaction recorded (a wrong try, an
/// audit entry) stays recorded whether the step succeeded or not.
async fn commit_then<T>(tx: Tx, result: Result<T, AccountError>) -> Result<T, AccountError> {
    tx.commit().await?;
    result
}

/// Sign-up step 1: the code from the SMS proves the phone; returns the sign-up token.
pub async fn start_registration(
    app: &App,
    phone_input: &str,
    code: &str,
    ip: &str,
) -> Result<String, AccountError> {
    let phone = Phone::parse(phone_input)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let result = async {
        prove_unused_phone(
            &mut tx,
            &app.code_key,
            &phone,
            Purpose::Register,
            code,
            ip,
            now,
        )
        .await?;
        Ok(flows::start(&mut tx, "register", phone.as_e164(), now).await?)
    }
    .await;
    commit_then(tx, result).await
}

async fn registration(app: &App, token: &str) -> Result<flows::Flow, AccountError> {
    flows::get(app.db.pool(), token, "register", app.now())
        .await?
        .ok_or(AccountError::FlowExpired)
}

/// Whether `token` is a live sign-up, and whether its password step is done.
pub async fn registration_stage(app: &App, token: &str) -> Result<Option<bool>, AccountError> {
    Ok(flows::get(app.db.pool(), token, "register", app.now())
        .await?
        .map(|f| f.password_hash.is_some()))
}

/// Sign-up step 2: the password, typed twice.
pub async fn registration_set_password(
    app: &App,
    token: &str,
    password: &str,
    confirmation: &str,
) -> Result<(), AccountError> {
    registration(app, token).await?;
    check_new_password(password, confirmation).map_err(AccountError::Password)?;
    if !flows::reserve_password_hashing(app.db.pool(), token, app.now()).await? {
        return Err(AccountError::FlowExpired);
    }
    let hash = app.hasher.hash(password).await?;
    flows::set_password(app.db.pool(), token, &hash).await?;
    Ok(())
}

/// Looks up an applicant's IIN in the register, refusing one that cannot be an applicant.
pub async fn applicant_person(
    app: &App,
    token: &str,
    iin_input: &str,
    ip: &str,
) -> Result<Person, AccountError> {
    let flow = registration(app, token).await?;
    look_up_applicant(app, &flow.phone, iin_input, ip).await
}

/// The register's record of the applicant, for the sign-up of `phone`: counted and audited as
/// a look-up (`registry::lookups`) before anything is looked up.
async fn look_up_applicant(
    app: &App,
    phone: &str,
    iin_input: &str,
    ip: &str,
) -> Result<Person, AccountError> {
    let iin = Iin::parse(iin_input).map_err(AccountError::Iin)?;
    let asker = crate::registry::lookups::Asker::signup(phone, ip);
    if !crate::registry::lookups::reserve(app, &asker, &iin).await? {
        return Err(AccountError::LookupsLimited);
    }
    if users::iin_taken(app.db.pool(), iin.as_str()).await? {
        return Err(AccountError::IinTaken);
    }
    let person = match app.registry.lookup(&iin).await {
        Ok(Some(person)) => person,
        Ok(None) => return Err(AccountError::IinUnknown),
        Err(e) => {
            tracing::warn!(error = %e, "register of individuals lookup failed");
            return Err(AccountError::RegistryUnavailable);
        }
    };
    // Coming of age happens at local midnight, not UTC's.
    let today = kezek_domain::time::local_date(app.now());
    if today.years_since(person.birth_date).unwrap_or(0) < MIN_APPLICANT_AGE {
        return Err(AccountError::IinMinor);
    }
    Ok(person)
}

/// Sign-up step 3: the applicant's IIN; saves the account. Returns the new user's id.
pub async fn complete_registration(
    app: &App,
    token: &str,
    iin_input: &str,
    ip: &str,
) -> Result<i64, AccountError> {
    let flow = registration(app, token).await?;
    let password_hash = flow.password_hash.ok_or(AccountError::FlowExpired)?;
    let person = look_up_applicant(app, &flow.phone, iin_input, ip).await?;
    let phone = Phone::parse(&flow.phone)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    if users::by_phone(&mut *tx, &phone).await?.is_some() {
        return Err(AccountError::PhoneTaken);
    }
    if users::iin_taken(&mut *tx, person.iin.as_str()).await? {
        return Err(AccountError::IinTaken);
    }
    let user_id = users::insert(&mut *tx, &phone, &password_hash, Role::Parent, now).await?;
    users::insert_applicant(&mut *tx, user_id, &person).await?;
    flows::finish(&mut tx, token).await?;
    audit::record(
        &mut tx,
        audit_entry(
            now,
            Some(user_id),
            "account.registered",
            Some(phone.as_e164()),
            ip,
        ),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(user_id, "parent account registered");
    Ok(user_id)
}

/// "Войти в систему": returns the user and a new session token.
pub async fn login(
    app: &App,
    phone_input: &str,
    password: &str,
    ip: &str,
) -> Result<(User, String), AccountError> {
    let phone = Phone::parse(phone_input)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let Some(attempt) = attempts::reserve(app, &mut tx, phone.as_e164(), ip, now).await? else {
        return refuse_locked(tx, phone.as_e164(), ip, now).await;
    };
    let user = users::by_phone(&mut *tx, &phone).await?;
    // No transaction stays open while the password is hashed: on SQLite it would hold the write lock.
    tx.commit().await?;
    let valid = verify_reserved(
        app,
        attempt,
        password,
        user.as_ref().map(|u| u.password_hash.as_str()),
    )
    .await?;
    let mut tx = app.db.begin().await?;
    let outcome = match user {
        // Only someone who knows the password learns that the account is blocked.
        Some(user) if valid && user.blocked_at.is_some() => {
            let entry = audit_entry(
                now,
                Some(user.id),
                "auth.login.blocked",
                Some(phone.as_e164()),
                ip,
            );
            audit::record(&mut tx, entry).await?;
            Err(AccountError::Blocked)
        }
        Some(user) if valid => {
            let token = sessions::create(&mut *tx, user.id, ip, now).await?;
            let entry = audit_entry(
                now,
                Some(user.id),
                "auth.login.succeeded",
                Some(phone.as_e164()),
                ip,
            );
            audit::record(&mut tx, entry).await?;
            Ok((user, token))
        }
        _ => {
            let entry = audit_entry(now, None, "auth.login.failed", Some(phone.as_e164()), ip);
            audit::record(&mut tx, entry).await?;
            Err(AccountError::LoginFailed)
        }
    };
    commit_then(tx, outcome).await
}

/// Audits a password check refused by the lockout and commits `tx`.
async fn refuse_locked<T>(mut tx: Tx, phone: &str, ip: &str, now: i64) -> Result<T, AccountError> {
    let entry = audit_entry(now, None, "auth.login.locked", Some(phone), ip);
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Err(AccountError::LoginLocked)
}

/// Runs the password check `attempt` reserved: a right password stops counting as a failure,
/// a check the busy hasher never ran is not counted at all.
async fn verify_reserved(
    app: &App,
    attempt: attempts::Attempt,
    password: &str,
    hash: Option<&str>,
) -> Result<bool, AccountError> {
    match app.hasher.verify(password, hash).await {
        Ok(true) => {
            attempts::succeeded(app, attempt).await?;
            Ok(true)
        }
        Ok(false) => Ok(false),
        Err(e) => {
            attempts::release(app, attempt).await?;
            Err(e.into())
        }
    }
}

/// Checks the current password of a signed-in user before a change to the account (`step`):
/// it is a password check like a login's, reserved under the same lockout, and a wrong one
/// counts as a failed login.
async fn check_current_password(
    app: &App,
    user: &CurrentUser,
    current: &str,
    ip: &str,
    step: &str,
) -> Result<(), AccountError> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let Some(attempt) = attempts::reserve(app, &mut tx, &user.phone, ip, now).await? else {
        return refuse_locked(tx, &user.phone, ip, now).await;
    };
    let stored = users::by_id(&mut *tx, user.id).await?;
    tx.commit().await?;
    let Some(stored) = stored else {
        attempts::release(app, attempt).await?;
        return Err(AccountError::FlowExpired);
    };
    if verify_reserved(app, attempt, current, Some(&stored.password_hash)).await? {
        return Ok(());
    }
    let mut entry = audit_entry(
        now,
        Some(user.id),
        "auth.login.failed",
        Some(&user.phone),
        ip,
    );
    entry.detail = Some(json!({ "step": step }));
    let mut tx = app.db.begin().await?;
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Err(AccountError::CurrentPasswordWrong)
}

pub async fn logout(
    app: &App,
    user: &CurrentUser,
    token: &str,
    ip: &str,
) -> Result<(), AccountError> {
    let mut tx = app.db.begin().await?;
    sessions::delete(&mut *tx, token).await?;
    let entry = audit_entry(
        app.now(),
        Some(user.id),
        "auth.logout",
        Some(&user.phone),
        ip,
    );
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The user behind a session token, if the session is still alive.
pub async fn current_user(app: &App, token: &str) -> Result<Option<CurrentUser>, AccountError> {
    let s = &app.settings;
    let Some(user_id) = sessions::resolve(
        app.db.pool(),
        token,
        app.now(),
        s.session_idle_secs,
        s.session_absolute_secs,
    )
    .await?
    else {
        return Ok(None);
    };
    Ok(users::by_id(app.db.pool(), user_id)
        .await?
        .filter(|u| u.blocked_at.is_none())
        .map(|u| CurrentUser {
            id: u.id,
            role: u.role,
            phone: u.phone,
        }))
}

/// "Забыли пароль?": the code from the SMS and the new password, typed twice. Ends every
/// session of the account.
pub async fn reset_password(
    app: &App,
    phone_input: &str,
    code: &str,
    password: &str,
    confirmation: &str,
    ip: &str,
) -> Result<(), AccountError> {
    let phone = Phone::parse(phone_input)?;
    if code.trim().is_empty() {
        return Err(AccountError::CodeMissing);
    }
    check_new_password(password, confirmation).map_err(AccountError::Password)?;
    let now = app.now();
    // The code is checked (and used up) before anything is hashed: only the holder of the
    // code sent to the phone reaches the hasher, and only once per code. Wrong tries are
    // counted against the code (`MAX_WRONG_ATTEMPTS`, carried over resends), and codes are
    // only sent within the per-phone and per-address sending limits.
    let mut tx = app.db.begin().await?;
    let user = async {
        check_code(
            &mut tx,
            &app.code_key,
            &phone,
            Purpose::Reset,
            code,
            ip,
            now,
        )
        .await?;
        // A code for a phone without an account was never sent, so this is a lucky guess.
        users::by_phone(&mut *tx, &phone)
            .await?
            .ok_or(AccountError::CodeExpired)
    }
    .await;
    let user = commit_then(tx, user).await?;
    let hash = match app.hasher.hash(password).await {
        Ok(hash) => hash,
        Err(e) => {
            codes::give_back(app.db.pool(), &phone, Purpose::Reset, now).await?;
            return Err(e.into());
        }
    };
    let mut tx = app.db.begin().await?;
    users::set_password(&mut *tx, user.id, &hash, now).await?;
    sessions::delete_all_for_user(&mut *tx, user.id, None).await?;
    let entry = audit_entry(
        now,
        Some(user.id),
        "auth.password.reset",
        Some(phone.as_e164()),
        ip,
    );
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the password of a logged-in user and ends their other sessions.
pub async fn change_password(
    app: &App,
    user: &CurrentUser,
    session_token: &str,
    current: &str,
    password: &str,
    confirmation: &str,
    ip: &str,
) -> Result<(), AccountError> {
    // The new password's rules are checked first: they cost nothing, the current password a hash.
    check_new_password(password, confirmation).map_err(AccountError::Password)?;
    check_current_password(app, user, current, ip, "change_password").await?;
    let hash = app.hasher.hash(password).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    users::set_password(&mut *tx, user.id, &hash, now).await?;
    sessions::delete_all_for_user(&mut *tx, user.id, Some(session_token)).await?;
    let entry = audit_entry(
        now,
        Some(user.id),
        "auth.password.changed",
        Some(&user.phone),
        ip,
    );
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// What a signed-in user types to move the account to a new phone.
pub struct PhoneChange<'a> {
    pub phone: &'a str,
    pub code: &'a str,
    /// The account's current password: a session alone must not be enough to take the
    /// account over (the phone is where its password resets go).
    pub current_password: &'a str,
}

/// Moves an account to a new phone once the current password and the code sent to the new
/// phone are confirmed; the old phone is told, and every other session of the account ends.
pub async fn change_phone(
    app: &App,
    user: &CurrentUser,
    session_token: &str,
    change: PhoneChange<'_>,
    ip: &str,
    lang: Lang,
) -> Result<Phone, AccountError> {
    let phone = Phone::parse(change.phone)?;
    if change.code.trim().is_empty() {
        return Err(AccountError::CodeMissing);
    }
    if change.current_password.is_empty() {
        return Err(AccountError::CurrentPasswordWrong);
    }
    check_current_password(app, user, change.current_password, ip, "change_phone").await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let result = async {
        prove_unused_phone(
            &mut tx,
            &app.code_key,
            &phone,
            Purpose::ChangePhone,
            change.code,
            ip,
            now,
        )
        .await?;
        users::set_phone(&mut *tx, user.id, &phone, now).await?;
        sessions::delete_all_for_user(&mut *tx, user.id, Some(session_token)).await?;
        if let Ok(old) = Phone::parse(&user.phone) {
            let text = app.i18n.get_with(
                lang,
                "sms-phone-changed",
                &[("phone", FluentValue::from(phone.masked()))],
            );
            outbox::enqueue(&mut tx, &old, &text, now).await?;
        }
        // The SMS went to the old phone; the account itself keeps a notice too, so the
        // change is on record in the cabinet whichever phone the owner now holds.
        crate::notifications::notify(
            &mut tx,
            user.id,
            "notifications-phone-changed",
            &[("phone", phone.masked())],
            None,
            now,
        )
        .await?;
        let mut entry = audit_entry(
            now,
            Some(user.id),
            "auth.phone.changed",
            Some(&user.phone),
            ip,
        );
        entry.detail = Some(json!({ "before": user.phone, "after": phone.as_e164() }));
        audit::record(&mut tx, entry).await?;
        Ok(phone)
    }
    .await;
    let result = commit_then(tx, result).await;
    app.sms_wakeup.notify_one();
    result
}

/// Checks that a staff binding names an organization or a classifier unit that exists.
pub async fn check_binding(app: &App, binding: &StaffBinding) -> Result<(), AccountError> {
    if let Some(bin) = &binding.org_bin
        && crate::orgs::store::organization_by_bin(app.db.pool(), bin)
            .await?
            .is_none()
    {
        return Err(AccountError::OrganizationUnknown);
    }
    if let Some(kato) = &binding.kato
        && crate::reference::kato_unit(app.db.pool(), kato)
            .await?
            .is_none()
    {
        return Err(AccountError::KatoUnknown);
    }
    Ok(())
}

/// `kezek staff add`: an administrator, department operator or organization staff account.
pub async fn create_staff(
    app: &App,
    role: Role,
    phone_input: &str,
    password: &str,
    binding: StaffBinding,
) -> Result<i64, AccountError> {
    create_staff_as(app, None, role, phone_input, password, binding).await
}

/// A staff account created by `actor` (an administrator), or from the command line (`None`).
pub async fn create_staff_as(
    app: &App,
    actor: Option<&crate::audit::Actor>,
    role: Role,
    phone_input: &str,
    password: &str,
    binding: StaffBinding,
) -> Result<i64, AccountError> {
    let phone = Phone::parse(phone_input)?;
    check_binding(app, &binding).await?;
    check_new_password(password, password).map_err(AccountError::Password)?;
    let hash = app.hasher.hash(password).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    if users::by_phone(&mut *tx, &phone).await?.is_some() {
        return Err(AccountError::PhoneTaken);
    }
    let user_id = users::insert(&mut *tx, &phone, &hash, role, now).await?;
    users::insert_staff(&mut *tx, user_id, &binding).await?;
    let mut entry = audit_entry(
        now,
        actor.map(|a| a.user_id),
        "staff.created",
        Some(phone.as_e164()),
        actor.map_or("cli", |a| a.ip.as_str()),
    );
    entry.detail = Some(json!({
        "after": { "role": role.as_str(), "org_bin": binding.org_bin, "kato": binding.kato }
    }));
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(user_id)
}

/// Deletes expired sessions, sign-ups, old codes, old login attempts and old SMS, and masks
/// the codes in SMS whose codes have expired.
pub async fn housekeeping(app: &App) -> Result<(), crate::db::Error> {
    let now = app.now();
    let s = &app.settings;
    sessions::purge_expired(
        app.db.pool(),
        now,
        s.session_idle_secs,
        s.session_absolute_secs,
    )
    .await?;
    flows::purge_expired(app.db.pool(), now).await?;
    codes::purge_old(app.db.pool(), now).await?;
    attempts::purge_old(app, now).await?;
    outbox::housekeeping(&app.db, now).await?;
    Ok(())
}
