//! Verification by the education department: the operator's inbox of pending ПМПК conclusions,
//! phthisiatricians' referrals and privilege claims of the applications in their area; the
//! decision (approve, or reject with a reason) with its history, audit and the parent's SMS and
//! cabinet notice; the look-up by application number or child's IIN (always audited); and the
//! ПМПК conclusions close to expiry, flagged to the operator and, once per conclusion, to the
//! parent.
//!
//! An application outside the operator's area answers as if it did not exist. A decision never
//! touches the application's status or `registered_at`: a rejected privilege claim leaves the
//! child in the general queue with the original date.

use super::store::{self, ApplicationRow};
use crate::app::App;
use crate::audit::{self, Actor};
use crate::db::applications::verification as db;
pub use crate::db::applications::verification::{AttachedDocument, ChildSummary};
use crate::db::{Db, Tx};
use crate::domain::application::Verification;
use crate::domain::{Kato, Phone};
use crate::i18n::Lang;
use crate::orgs::area::Area;
use chrono::NaiveDate;
use serde_json::json;

/// What an operator verifies on an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum What {
    /// The ПМПК conclusion of a correctional application.
    Pmpk,
    /// The phthisiatrician's referral of a sanatorium application.
    Referral,
    /// A privilege (extraordinary / first-priority) claim.
    Privilege,
}

impl What {
    pub const ALL: [What; 3] = [What::Pmpk, What::Referral, What::Privilege];

    /// The code in URLs, events and `application_documents.purpose`.
    pub fn as_str(self) -> &'static str {
        match self {
            What::Pmpk => "pmpk",
            What::Referral => "referral",
            What::Privilege => "privilege",
        }
    }

    pub fn parse(code: &str) -> Option<What> {
        What::ALL.into_iter().find(|w| w.as_str() == code)
    }

    /// The column holding this item's verification state (a fixed name, never user input).
    fn column(self) -> &'static str {
        match self {
            What::Pmpk => "pmpk_verification",
            What::Referral => "referral_verification",
            What::Privilege => "privilege_verification",
        }
    }

    /// The item's state on an application; `None` when it does not apply.
    pub fn state(self, application: &ApplicationRow) -> Option<Verification> {
        match self {
            What::Pmpk => application.pmpk_verification,
            What::Referral => application.referral_verification,
            What::Privilege => application.privilege_verification,
        }
    }

    /// The application event a decision records, e.g. `pmpk_approved`.
    pub fn event(self, approve: bool) -> String {
        format!(
            "{}_{}",
            self.as_str(),
            if approve { "approved" } else { "rejected" }
        )
    }

    /// The label of the item, as the operator reads it.
    pub fn message_key(self) -> &'static str {
        match self {
            What::Pmpk => "verification-what-pmpk",
            What::Referral => "verification-what-referral",
            What::Privilege => "verification-what-privilege",
        }
    }

    /// The parent's SMS and cabinet notice about a decision.
    fn notice_key(self, approve: bool) -> &'static str {
        match (self, approve) {
            (What::Pmpk, true) => "verification-sms-pmpk-approved",
            (What::Pmpk, false) => "verification-sms-pmpk-rejected",
            (What::Referral, true) => "verification-sms-referral-approved",
            (What::Referral, false) => "verification-sms-referral-rejected",
            (What::Privilege, true) => "verification-sms-privilege-approved",
            (What::Privilege, false) => "verification-sms-privilege-rejected",
        }
    }
}

/// The items of an application still waiting for an operator (an inactive one has none).
pub fn pending_of(application: &ApplicationRow) -> Vec<What> {
    if !application.status.is_active() {
        return Vec::new();
    }
    What::ALL
        .into_iter()
        .filter(|w| w.state(application).is_some_and(Verification::can_decide))
        .collect()
}

/// A reason longer than this is refused (it goes into an SMS and the history).
pub const MAX_REASON_CHARS: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum VerificationError {
    /// No such application, not in the operator's area, or without such an item.
    #[error("not found")]
    NotFound,
    /// The item was already approved or rejected.
    #[error("already decided")]
    AlreadyDecided,
    #[error("a reason is required to reject")]
    ReasonRequired,
    #[error("the reason is too long")]
    ReasonTooLong,
    #[error(transparent)]
    Internal(#[from] crate::db::Error),
}

impl VerificationError {
    pub fn message_key(&self) -> &'static str {
        match self {
            VerificationError::NotFound => "error-not-found",
            VerificationError::AlreadyDecided => "verification-error-already-decided",
            VerificationError::ReasonRequired => "verification-error-reason-required",
            VerificationError::ReasonTooLong => "verification-error-reason-too-long",
            VerificationError::Internal(_) => "error-internal",
        }
    }
}

/// The SQL pattern of every KATO code in `area` (its prefix is digits only).
fn area_pattern(area: &Kato) -> String {
    format!("{}%", area.prefix())
}

fn in_area(area: &Kato, application: &ApplicationRow) -> bool {
    Kato::parse(&application.kato).is_ok_and(|k| area.covers(&k))
}

/// One pending item of the inbox.
#[derive(Debug, Clone)]
pub struct InboxItem {
    pub application: ApplicationRow,
    pub what: What,
}

#[derive(Debug, Clone)]
pub struct InboxPage {
    pub items: Vec<InboxItem>,
    /// Pending items in the area altogether.
    pub total: i64,
}

/// The pending items of active applications in `area`, oldest registration first.
pub async fn inbox(
    db: &Db,
    area: &Kato,
    offset: i64,
    limit: i64,
) -> Result<InboxPage, crate::db::Error> {
    let items = What::ALL.map(|w| (w.as_str(), w.column()));
    let total = db::pending_count(db.pool(), &items, area_pattern(area)).await?;
    let keys = db::pending_page(
        db.pool(),
        &items,
        area_pattern(area),
        offset.max(0),
        limit.max(0),
    )
    .await?;
    let mut items = Vec::with_capacity(keys.len());
    for (id, what) in keys {
        let (Some(application), Some(what)) = (by_id(db, id).await?, What::parse(&what)) else {
            continue;
        };
        if in_area(area, &application) {
            items.push(InboxItem { application, what });
        }
    }
    Ok(InboxPage { items, total })
}

async fn by_id(db: &Db, id: i64) -> Result<Option<ApplicationRow>, crate::db::Error> {
    db::by_id(db.pool(), id).await
}

/// An active application of the area by id (for showing an item again after a refused
/// decision); one outside the area is `None`, like one that does not exist.
pub async fn find_in_area(
    db: &Db,
    area: &Kato,
    id: i64,
) -> Result<Option<ApplicationRow>, crate::db::Error> {
    Ok(by_id(db, id)
        .await?
        .filter(|a| in_area(area, a) && a.status.is_active()))
}

/// The language of the parent's SMS about an application: see [`sms_lang`]. Russian for an
/// application that does not exist (nothing will be sent then anyway).
pub async fn parent_sms_lang(db: &Db, application_id: i64) -> Result<Lang, crate::db::Error> {
    match by_id(db, application_id).await? {
        Some(a) => sms_lang(db, &a).await,
        None => Ok(Lang::Ru),
    }
}

pub async fn child_of(db: &Db, child_id: i64) -> Result<Option<ChildSummary>, crate::db::Error> {
    db::child_of(db.pool(), child_id).await
}

pub async fn documents_of(
    db: &Db,
    application_id: i64,
) -> Result<Vec<AttachedDocument>, crate::db::Error> {
    db::documents_of(db.pool(), application_id).await
}

/// The parent's phone, for the SMS.
async fn parent_phone(tx: &mut Tx, user_id: i64) -> Result<Option<Phone>, crate::db::Error> {
    let phone = db::phone_of(&mut **tx, user_id).await?;
    Ok(phone.and_then(|p| Phone::parse(&p).ok()))
}

/// The operator's area from their staff binding; `None` leaves them nothing to see.
pub async fn area_of(db: &Db, operator_user_id: i64) -> Result<Option<Kato>, crate::db::Error> {
    Ok(Area::of_operator(db, operator_user_id)
        .await?
        .and_then(|area| Kato::parse(area.code()).ok()))
}

/// Approves or rejects a pending item of an application in the operator's area. Rejecting
/// needs a reason. The parent gets an SMS (in `lang_for_sms`) and a cabinet notice.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    app: &App,
    actor: &Actor,
    application_id: i64,
    what: What,
    approve: bool,
    reason: Option<&str>,
    lang_for_sms: Lang,
) -> Result<(), VerificationError> {
    let area = area_of(&app.db, actor.user_id)
        .await?
        .ok_or(VerificationError::NotFound)?;
    let application = by_id(&app.db, application_id)
        .await?
        .filter(|a| in_area(&area, a) && a.status.is_active())
        .ok_or(VerificationError::NotFound)?;
    match what.state(&application) {
        None => return Err(VerificationError::NotFound),
        Some(state) if !state.can_decide() => return Err(VerificationError::AlreadyDecided),
        Some(_) => {}
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(VerificationError::ReasonRequired);
    }
    if reason.is_some_and(|r| r.chars().count() > MAX_REASON_CHARS) {
        return Err(VerificationError::ReasonTooLong);
    }
    let after = if approve {
        Verification::Approved
    } else {
        Verification::Rejected
    };

    let now = app.now();
    let mut tx = app.db.begin().await?;
    // Only a still-pending item changes: of two operators deciding at once, one wins.
    let changed = db::decide(&mut *tx, what.column(), after, application_id, now).await?;
    if changed != 1 {
        return Err(VerificationError::AlreadyDecided);
    }
    if what == What::Privilege && approve {
        // Only now does the claim count in the queue; a rejected one never did.
        db::apply_privilege_category(&mut *tx, application_id).await?;
    }
    store::record_event(
        &mut tx,
        application_id,
        now,
        Some(actor.user_id),
        &what.event(approve),
        json!({ "reason": reason }),
    )
    .await?;
    let number = application.number.clone().unwrap_or_default();
    let detail = json!({
        "what": what.as_str(),
        "before": { what.column(): Verification::Pending.as_str() },
        "after": { what.column(): after.as_str() },
        "reason": reason,
    });
    audit::record_by(&mut tx, actor, now, "verification.decided", &number, detail).await?;
    let args = [
        ("number", number.clone()),
        ("reason", reason.unwrap_or_default().to_owned()),
    ];
    let link = format!("/cabinet/applications/{application_id}");
    notify_parent(
        app,
        &mut tx,
        application.parent_user_id,
        lang_for_sms,
        what.notice_key(approve),
        &args,
        &link,
        now,
    )
    .await?;
    tx.commit().await?;
    app.sms_wakeup.notify_one();
    Ok(())
}

/// The SMS and the cabinet notice together; without a readable phone, the notice alone.
#[allow(clippy::too_many_arguments)]
async fn notify_parent(
    app: &App,
    tx: &mut Tx,
    parent_user_id: i64,
    lang: Lang,
    key: &str,
    args: &[(&str, String)],
    link: &str,
    now: i64,
) -> Result<(), crate::db::Error> {
    match parent_phone(tx, parent_user_id).await? {
        Some(phone) => {
            crate::notifications::notify_with_sms(
                tx,
                parent_user_id,
                &phone,
                lang,
                &app.i18n,
                key,
                args,
                Some(link),
                now,
            )
            .await?;
        }
        None => {
            tracing::error!(
                user_id = parent_user_id,
                "a parent without a valid phone: notice only"
            );
            crate::notifications::notify(tx, parent_user_id, key, args, Some(link), now).await?;
        }
    }
    Ok(())
}

/// A 12-digit query is a child's IIN; anything else an application number.
fn is_iin_query(query: &str) -> bool {
    query.len() == 12 && query.bytes().all(|b| b.is_ascii_digit())
}

/// Finds applications (not deleted) in `area` by application number or the child's IIN.
/// Every look-up is audited (`verification.lookup`, subject = the query), found or not; an
/// empty query looks nothing up.
pub async fn find(
    db: &Db,
    actor: &Actor,
    area: &Kato,
    query: &str,
    now: i64,
) -> Result<Vec<ApplicationRow>, crate::db::Error> {
    let query = query.trim();
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let by_iin = is_iin_query(query);
    let mut tx = db.begin().await?;
    let found = if by_iin {
        db::by_child_iin(&mut *tx, query.to_owned(), area_pattern(area)).await?
    } else {
        db::by_number(&mut *tx, query.to_uppercase(), area_pattern(area)).await?
    };
    let found: Vec<ApplicationRow> = found.into_iter().filter(|a| in_area(area, a)).collect();
    let detail = json!({
        "by": if by_iin { "iin" } else { "number" },
        "area": area.as_str(),
        "found": found.iter().filter_map(|a| a.number.clone()).collect::<Vec<_>>(),
    });
    audit::record_by(&mut tx, actor, now, "verification.lookup", query, detail).await?;
    tx.commit().await?;
    Ok(found)
}

/// The last day a conclusion may expire on to be flagged on `today`.
fn warning_cutoff(today: NaiveDate) -> String {
    (today + chrono::Days::new(super::PMPK_EXPIRY_WARNING_DAYS as u64))
        .format("%Y-%m-%d")
        .to_string()
}

/// Active correctional applications whose ПМПК conclusion expires within
/// [`super::PMPK_EXPIRY_WARNING_DAYS`] of `today` (or has expired), soonest first; `area`
/// limits them, `None` means everywhere (for the scheduled warning).
async fn expiring(
    db: &Db,
    area: Option<&Kato>,
    today: NaiveDate,
) -> Result<Vec<ApplicationRow>, crate::db::Error> {
    let pattern = area.map_or_else(|| "%".to_owned(), area_pattern);
    let rows = db::pmpk_expiring_by(db.pool(), warning_cutoff(today), pattern).await?;
    Ok(rows
        .into_iter()
        .filter(|a| area.is_none_or(|area| in_area(area, a)))
        .filter(|a| super::pmpk_expiry(a).is_some_and(|d| super::pmpk_expires_soon(d, today)))
        .collect())
}

/// The ПМПК conclusions of the area to renew soon (or already expired), for the operator.
pub async fn expiring_pmpk(
    db: &Db,
    area: &Kato,
    today: NaiveDate,
) -> Result<Vec<ApplicationRow>, crate::db::Error> {
    expiring(db, Some(area), today).await
}

/// The language of an SMS nobody asked for at the moment: the one the parent last used the
/// site in; failing that the application's language of instruction when the site speaks it;
/// else Russian.
async fn sms_lang(db: &Db, application: &ApplicationRow) -> Result<Lang, crate::db::Error> {
    let used = crate::accounts::users::language(db.pool(), application.parent_user_id).await?;
    Ok(used
        .as_deref()
        .and_then(Lang::parse)
        .or_else(|| Lang::parse(&application.language))
        .unwrap_or(Lang::Ru))
}

/// Leaves each parent whose child's ПМПК conclusion expires soon one SMS and cabinet notice
/// per application and conclusion (a renewed conclusion, with another expiry date, is warned
/// about again). Idempotent: a `pmpk_expiry_warned` event marks those already warned. Meant
/// for a scheduled job; returns how many parents were warned now.
pub async fn warn_expiring_pmpk(app: &App, now: i64) -> Result<usize, crate::db::Error> {
    let today = crate::domain::time::local_date(now);
    let mut warned = 0;
    for application in expiring(&app.db, None, today).await? {
        let Some(expires) = application.pmpk_expires.clone() else {
            continue;
        };
        let marker = json!({ "expires": expires }).to_string();
        let mut tx = app.db.begin().await?;
        // The marker and the notice go together; an existing marker means "already warned".
        let inserted = db::mark_pmpk_expiry_warned(&mut *tx, application.id, now, &marker).await?;
        if inserted == 0 {
            continue;
        }
        let shown = NaiveDate::parse_from_str(&expires, "%Y-%m-%d")
            .map_or(expires.clone(), |d| d.format("%d.%m.%Y").to_string());
        let args = [
            ("number", application.number.clone().unwrap_or_default()),
            ("expires", shown),
        ];
        let link = format!("/cabinet/applications/{}", application.id);
        notify_parent(
            app,
            &mut tx,
            application.parent_user_id,
            sms_lang(&app.db, &application).await?,
            "verification-sms-pmpk-expiring",
            &args,
            &link,
            now,
        )
        .await?;
        tx.commit().await?;
        warned += 1;
    }
    if warned > 0 {
        app.sms_wakeup.notify_one();
    }
    Ok(warned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_round_trip_and_name_their_events() {
        for what in What::ALL {
            assert_eq!(What::parse(what.as_str()), Some(what));
        }
        assert_eq!(What::Pmpk.event(true), "pmpk_approved");
        assert_eq!(What::Privilege.event(false), "privilege_rejected");
        assert_eq!(What::parse("status"), None);
    }

    #[test]
    fn twelve_digits_are_an_iin() {
        assert!(is_iin_query("220512500017"));
        assert!(!is_iin_query("71-0000001"));
        assert!(!is_iin_query("22051250001"));
    }
}
