//! Directions (направления): offers of a free place, issued automatically in queue order.
//!
//! Every change of a direction is one transaction that first takes its region's protocol head
//! (see `protocol::lock`): on PostgreSQL that row lock serializes direction changes per region, on
//! SQLite the write transaction does. Inside it the vacancy, the group's counters, the
//! application, its history, the public protocol, the audit log and the parent's notice (with
//! the SMS, through the outbox) change together or not at all. The UNIQUE `open_vacancy` and
//! `open_child` columns make "one open direction per place" and "one open direction per child"
//! hold whatever runs concurrently; the group's CHECK keeps the capacity rule.
//!
//! - `allocate` / `allocate_group` issue directions for open vacancies (allocate.rs);
//! - the parent `accept`s or `refuse`s; the organization `enroll`s, `return_direction`s (with a
//!   reason) or `extend`s (once);
//! - `expire_due` annuls directions past their deadline (a scheduled job);
//! - a refused, expired or returned direction frees the place (offered to the next child at
//!   once) and puts the child on the stop-list.

mod allocate;
pub mod protocol;

use serde_json::json;
use sqlx::{Any, Executor, FromRow};

pub use allocate::{allocate, allocate_group};

use crate::app::App;
use crate::applications::store::record_event;
use crate::audit::{self, Actor, AuditEntry};
use crate::db::Tx;
use crate::domain::Phone;
use crate::domain::direction::{self as rules_of, DirectionStatus, ExtensionError};
use crate::i18n::Lang;
use crate::region_rules::{self, AfterStopList, RegionRules};

/// A return's reason longer than this is a pasted document, not a reason.
pub const REASON_MAX_CHARS: usize = 500;

const DAY_SECS: i64 = 86_400;

#[derive(Debug, thiserror::Error)]
pub enum DirectionError {
    /// No such direction, or not the caller's (the two are not told apart).
    #[error("not found")]
    NotFound,
    /// Already accepted, closed or changed meanwhile.
    #[error("the direction cannot change so")]
    NotOpen,
    #[error("the deadline has passed")]
    DeadlinePassed,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("the reason is too long")]
    ReasonTooLong,
    #[error(transparent)]
    Extension(#[from] ExtensionError),
    #[error(transparent)]
    Internal(#[from] sqlx::Error),
}

impl DirectionError {
    pub fn message_key(&self) -> &'static str {
        match self {
            DirectionError::NotFound => "error-not-found",
            DirectionError::NotOpen => "direction-error-not-open",
            DirectionError::DeadlinePassed => "direction-error-deadline-passed",
            DirectionError::ReasonRequired => "direction-error-reason-required",
            DirectionError::ReasonTooLong => "direction-error-reason-too-long",
            DirectionError::Extension(ExtensionError::AlreadyExtended) => {
                "direction-error-already-extended"
            }
            DirectionError::Extension(ExtensionError::NotAccepted) => {
                "direction-error-not-accepted"
            }
            DirectionError::Extension(ExtensionError::Days { .. }) => {
                "direction-error-extension-days"
            }
            DirectionError::Internal(_) => "error-internal",
        }
    }
}

/// A direction as stored.
#[derive(Debug, Clone, FromRow)]
pub struct Direction {
    pub id: i64,
    pub application_id: i64,
    pub child_id: i64,
    pub vacancy_id: i64,
    pub group_id: i64,
    pub organization_id: i64,
    pub region_code: String,
    pub status: String,
    pub position_at_issue: i64,
    pub category_at_issue: String,
    pub issued_at: i64,
    pub accept_by: i64,
    pub accepted_at: Option<i64>,
    pub enroll_by: Option<i64>,
    pub extended_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub closed_by: Option<i64>,
    pub close_reason: Option<String>,
}

impl Direction {
    pub fn status(&self) -> DirectionStatus {
        DirectionStatus::parse(&self.status).unwrap_or(DirectionStatus::Expired)
    }

    pub fn is_open(&self) -> bool {
        self.status().is_open()
    }

    /// When the open direction lapses (acceptance while issued, enrollment once accepted).
    pub fn deadline(&self) -> Option<i64> {
        rules_of::deadline(self.status(), self.accept_by, self.enroll_by)
    }

    pub fn is_overdue(&self, now: i64) -> bool {
        rules_of::is_overdue(self.status(), self.accept_by, self.enroll_by, now)
    }
}

const COLUMNS: &str = "d.id, d.application_id, d.child_id, d.vacancy_id, d.group_id, \
    d.organization_id, d.region_code, d.status, d.position_at_issue, d.category_at_issue, \
    d.issued_at, d.accept_by, d.accepted_at, d.enroll_by, d.extended_at, d.closed_at, \
    d.closed_by, d.close_reason";

pub async fn by_id<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
) -> Result<Option<Direction>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM directions d WHERE d.id = $1"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// The open direction of an application, if any.
pub async fn open_of_application<'c>(
    ex: impl Executor<'c, Database = Any>,
    application_id: i64,
) -> Result<Option<Direction>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM directions d
         WHERE d.application_id = $1 AND d.status IN ('issued', 'accepted')"
    )))
    .bind(application_id)
    .fetch_optional(ex)
    .await
}

/// A direction with what the pages show beside it.
#[derive(Debug, Clone, FromRow)]
pub struct DirectionView {
    #[sqlx(flatten)]
    pub direction: Direction,
    pub organization_bin: String,
    pub organization_name_kk: String,
    pub organization_name_ru: String,
    pub address: String,
    pub group_name: String,
    pub group_language: String,
    pub group_kind: String,
    pub application_number: Option<String>,
    pub parent_user_id: i64,
    pub child_last_name: String,
    pub child_first_name: String,
    pub child_middle_name: Option<String>,
}

impl DirectionView {
    pub fn organization_name(&self, lang: &str) -> &str {
        if lang == "kk" {
            &self.organization_name_kk
        } else {
            &self.organization_name_ru
        }
    }

    pub fn child_full_name(&self) -> String {
        [
            Some(self.child_last_name.as_str()),
            Some(self.child_first_name.as_str()),
            self.child_middle_name.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    }

    pub fn child_masked(&self) -> String {
        crate::queue::mask_child(&self.child_last_name, &self.child_first_name)
    }

    pub fn number(&self) -> String {
        self.application_number
            .clone()
            .unwrap_or_else(|| self.direction.application_id.to_string())
    }
}

fn view_sql(condition: &str) -> String {
    format!(
        "SELECT {COLUMNS}, o.bin AS organization_bin, o.name_kk AS organization_name_kk,
                o.name_ru AS organization_name_ru, o.address, g.name AS group_name,
                g.language AS group_language, g.kind AS group_kind,
                a.number AS application_number, a.parent_user_id,
                c.last_name AS child_last_name, c.first_name AS child_first_name,
                c.middle_name AS child_middle_name
         FROM directions d
         JOIN organizations o ON o.id = d.organization_id
         JOIN org_groups g ON g.id = d.group_id
         JOIN applications a ON a.id = d.application_id
         JOIN children c ON c.id = d.child_id
         WHERE {condition}
         ORDER BY CASE WHEN d.status IN ('issued', 'accepted') THEN 0 ELSE 1 END, d.id DESC"
    )
}

/// A parent's directions, open ones first, newest first.
pub async fn of_parent<'c>(
    ex: impl Executor<'c, Database = Any>,
    parent_user_id: i64,
) -> Result<Vec<DirectionView>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(view_sql("a.parent_user_id = $1")))
        .bind(parent_user_id)
        .fetch_all(ex)
        .await
}

/// One of a parent's directions; another parent's is `None`.
pub async fn one_of_parent<'c>(
    ex: impl Executor<'c, Database = Any>,
    parent_user_id: i64,
    id: i64,
) -> Result<Option<DirectionView>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(view_sql(
        "a.parent_user_id = $1 AND d.id = $2",
    )))
    .bind(parent_user_id)
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// How many directions of an organization the staff page shows at most (open ones come first).
pub const STAFF_LIST_LIMIT: usize = 500;

/// An organization's directions, open ones first, newest first.
pub async fn of_organization<'c>(
    ex: impl Executor<'c, Database = Any>,
    organization_id: i64,
) -> Result<Vec<DirectionView>, sqlx::Error> {
    let sql = format!(
        "{} LIMIT {STAFF_LIST_LIMIT}",
        view_sql("d.organization_id = $1")
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(organization_id)
        .fetch_all(ex)
        .await
}

// ---- Who is told, in which language ----

/// The parent's id and phone, and the language their SMS is written in: the one they use on
/// the site, else the application's, else Russian.
async fn parent_of(
    tx: &mut Tx,
    application_id: i64,
) -> Result<Option<(i64, Phone, Lang)>, sqlx::Error> {
    let row: Option<(i64, String, Option<String>, String)> = sqlx::query_as(
        "SELECT a.parent_user_id, u.phone, u.language, a.language FROM applications a
         JOIN users u ON u.id = a.parent_user_id WHERE a.id = $1",
    )
    .bind(application_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.and_then(|(id, phone, language, application_language)| {
        let phone = Phone::parse(&phone).ok()?;
        let lang = language
            .as_deref()
            .and_then(Lang::parse)
            .or_else(|| Lang::parse(&application_language))
            .unwrap_or(Lang::Ru);
        Some((id, phone, lang))
    }))
}

/// Leaves the parent a notice, with the same text by SMS when `sms`.
#[allow(clippy::too_many_arguments)]
async fn tell_parent(
    app: &App,
    tx: &mut Tx,
    application_id: i64,
    direction_id: i64,
    key: &str,
    args: &[(&str, String)],
    sms: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    let Some((user_id, phone, lang)) = parent_of(tx, application_id).await? else {
        return Ok(());
    };
    let link = format!("/cabinet/directions/{direction_id}");
    if sms {
        crate::notifications::notify_with_sms(
            tx,
            user_id,
            &phone,
            lang,
            &app.i18n,
            key,
            args,
            Some(&link),
            now,
        )
        .await?;
    } else {
        crate::notifications::notify(tx, user_id, key, args, Some(&link), now).await?;
    }
    Ok(())
}

/// A deadline as the parent reads it: the local date (the deadline is that day's end).
pub fn deadline_text(at: i64) -> String {
    rules_of::local_date(at).format("%d.%m.%Y").to_string()
}

/// Audits a change; `actor` is `None` for the system (allocation, expiry).
async fn audit_change(
    tx: &mut Tx,
    actor: Option<&Actor>,
    at: i64,
    action: &str,
    direction_id: i64,
    detail: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let subject = format!("direction:{direction_id}");
    audit::record(
        tx,
        AuditEntry {
            at,
            actor_user_id: actor.map(|a| a.user_id),
            action,
            subject: Some(&subject),
            ip: actor.map(|a| a.ip.as_str()),
            detail: Some(detail),
        },
    )
    .await
}

// ---- The protocol entry of a direction ----

#[derive(FromRow)]
struct EntryFacts {
    organization_bin: String,
    organization_name: String,
    group_name: String,
    application_number: Option<String>,
    last_name: String,
    first_name: String,
}

async fn protocol_entry(
    tx: &mut Tx,
    d: &Direction,
    event: protocol::Event,
    at: i64,
) -> Result<protocol::NewEntry, sqlx::Error> {
    let facts: EntryFacts = sqlx::query_as(
        "SELECT o.bin AS organization_bin, o.name_ru AS organization_name, g.name AS group_name,
                a.number AS application_number, c.last_name, c.first_name
         FROM directions d
         JOIN organizations o ON o.id = d.organization_id
         JOIN org_groups g ON g.id = d.group_id
         JOIN applications a ON a.id = d.application_id
         JOIN children c ON c.id = d.child_id
         WHERE d.id = $1",
    )
    .bind(d.id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(protocol::NewEntry {
        at,
        event,
        direction_id: d.id,
        organization_bin: facts.organization_bin,
        organization_name: facts.organization_name,
        group_name: facts.group_name,
        application_number: facts
            .application_number
            .unwrap_or_else(|| d.application_id.to_string()),
        child_masked: crate::queue::mask_child(&facts.last_name, &facts.first_name),
        position: d.position_at_issue,
        category: d.category_at_issue.clone(),
    })
}

// ---- Changing one direction ----

/// Opens the transaction of a change: finds the direction's region, takes its protocol head and
/// reads the direction again under it.
async fn begin_change(
    app: &App,
    direction_id: i64,
) -> Result<(Tx, protocol::Chain, Direction), DirectionError> {
    let region = by_id(app.db.pool(), direction_id)
        .await?
        .ok_or(DirectionError::NotFound)?
        .region_code;
    let mut tx = app.db.begin().await?;
    let chain = protocol::lock(&mut tx, &region).await?;
    let d = by_id(&mut *tx, direction_id)
        .await?
        .ok_or(DirectionError::NotFound)?;
    Ok((tx, chain, d))
}

async fn rules_for(tx: &mut Tx, region: &str, now: i64) -> Result<RegionRules, sqlx::Error> {
    region_rules::current(&mut **tx, region, rules_of::local_date(now)).await
}

/// How a direction ends without enrollment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Closing {
    /// The parent said no.
    Refused,
    /// A deadline passed.
    Expired,
    /// The organization sent it back, with a reason.
    Returned { reason: String },
    /// The parent deleted the application: no stop-list, the application is gone.
    Deleted,
}

impl Closing {
    fn status(&self) -> DirectionStatus {
        match self {
            Closing::Refused | Closing::Deleted => DirectionStatus::Refused,
            Closing::Expired => DirectionStatus::Expired,
            Closing::Returned { .. } => DirectionStatus::Returned,
        }
    }

    fn reason(&self) -> Option<&str> {
        match self {
            Closing::Returned { reason } => Some(reason),
            Closing::Deleted => Some("deleted"),
            _ => None,
        }
    }
}

/// Closes an open direction in the caller's transaction (whose chain is locked): the place goes
/// back to the bulletin, the application back to the queue (after the stop-list), with its
/// history, the protocol, the audit log and the parent's notice.
async fn close_in(
    app: &App,
    tx: &mut Tx,
    chain: &mut protocol::Chain,
    d: &Direction,
    closing: &Closing,
    actor: Option<&Actor>,
    now: i64,
) -> Result<(), DirectionError> {
    let status = closing.status();
    if !d.status().can_become(status) {
        return Err(DirectionError::NotOpen);
    }
    let changed = sqlx::query(
        "UPDATE directions SET status = $1, closed_at = $2, closed_by = $3, close_reason = $4,
                open_vacancy = NULL, open_child = NULL
         WHERE id = $5 AND status IN ('issued', 'accepted')",
    )
    .bind(status.as_str())
    .bind(now)
    .bind(actor.map(|a| a.user_id))
    .bind(closing.reason())
    .bind(d.id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(DirectionError::NotOpen);
    }
    sqlx::query("UPDATE vacancies SET status = 'open' WHERE id = $1 AND status = 'directed'")
        .bind(d.vacancy_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE org_groups SET open_directions = open_directions - 1,
                open_vacancies = open_vacancies + 1, updated_at = $1
         WHERE id = $2",
    )
    .bind(now)
    .bind(d.group_id)
    .execute(&mut **tx)
    .await?;
    let event = match closing {
        Closing::Refused | Closing::Deleted => "direction_refused",
        Closing::Expired => "direction_expired",
        Closing::Returned { .. } => "direction_returned",
    };
    let mut stop_until = None;
    if *closing != Closing::Deleted {
        let rules = rules_for(tx, &d.region_code, now).await?;
        let until = now + rules.stop_list_days.max(0) * DAY_SECS;
        let to_end = rules.after_stop_list == AfterStopList::End;
        let queue_at: Option<Option<i64>> = sqlx::query_scalar(
            "UPDATE applications SET status = 'queued', stop_until = $1, updated_at = $2,
                    queue_at = CASE WHEN $3 = 1 THEN $2 ELSE queue_at END
             WHERE id = $4 AND status = 'direction_issued'
             RETURNING queue_at",
        )
        .bind(until)
        .bind(now)
        .bind(i64::from(to_end))
        .bind(d.application_id)
        .fetch_optional(&mut **tx)
        .await?;
        match queue_at {
            Some(queue_at) => {
                stop_until = Some(until);
                let mut detail =
                    json!({ "direction_id": d.id, "queue_at": queue_at, "stop_until": until });
                if let Some(reason) = closing.reason() {
                    detail["reason"] = json!(reason);
                }
                record_event(
                    tx,
                    d.application_id,
                    now,
                    actor.map(|a| a.user_id),
                    event,
                    detail,
                )
                .await?;
            }
            None => tracing::warn!(
                direction = d.id,
                application = d.application_id,
                "a closed direction's application was not waiting for it"
            ),
        }
    }
    let protocol_event = match status {
        DirectionStatus::Expired => protocol::Event::Expired,
        DirectionStatus::Returned => protocol::Event::Returned,
        _ => protocol::Event::Refused,
    };
    let entry = protocol_entry(tx, d, protocol_event, now).await?;
    chain.push(tx, &entry).await?;
    audit_change(
        tx,
        actor,
        now,
        &format!("direction.{}", status.as_str()),
        d.id,
        json!({
            "before": { "status": d.status },
            "after": { "status": status.as_str(), "reason": closing.reason(), "stop_until": stop_until },
        }),
    )
    .await?;
    if *closing != Closing::Deleted {
        let number = entry.application_number.clone();
        let stop = stop_until.map(deadline_text).unwrap_or_default();
        let (key, sms, args) = match closing {
            Closing::Refused => (
                "direction-notice-refused",
                false,
                vec![("number", number), ("stop_until", stop)],
            ),
            Closing::Expired => (
                "direction-sms-expired",
                true,
                vec![("number", number), ("stop_until", stop)],
            ),
            Closing::Returned { reason } => (
                "direction-sms-returned",
                true,
                vec![
                    ("number", number),
                    ("reason", reason.clone()),
                    ("stop_until", stop),
                ],
            ),
            Closing::Deleted => unreachable!("no notice for a deleted application"),
        };
        tell_parent(app, tx, d.application_id, d.id, key, &args, sms, now).await?;
    }
    Ok(())
}

/// After a place was freed: offer it to the next child; a failure only delays it to the
/// scheduled run.
async fn reallocate(app: &App, group_id: i64) {
    if let Err(e) = allocate_group(app, group_id, app.now()).await {
        tracing::warn!(group = group_id, error = %e, "allocating a freed place failed; the next run will");
    }
}

/// One of `parent`'s open directions, under its region's lock.
async fn parents_change(
    app: &App,
    parent: &Actor,
    direction_id: i64,
) -> Result<(Tx, protocol::Chain, Direction), DirectionError> {
    let (tx, chain, d) = begin_change(app, direction_id).await?;
    let owner: Option<i64> =
        sqlx::query_scalar("SELECT parent_user_id FROM applications WHERE id = $1")
            .bind(d.application_id)
            .fetch_optional(app.db.pool())
            .await?;
    if owner != Some(parent.user_id) {
        return Err(DirectionError::NotFound);
    }
    Ok((tx, chain, d))
}

/// One of `organization_id`'s directions, under its region's lock.
async fn organizations_change(
    app: &App,
    organization_id: i64,
    direction_id: i64,
) -> Result<(Tx, protocol::Chain, Direction), DirectionError> {
    let (tx, chain, d) = begin_change(app, direction_id).await?;
    if d.organization_id != organization_id {
        return Err(DirectionError::NotFound);
    }
    Ok((tx, chain, d))
}

/// The parent accepts the place: the enrollment deadline starts.
pub async fn accept(app: &App, parent: &Actor, direction_id: i64) -> Result<(), DirectionError> {
    let now = app.now();
    let (mut tx, mut chain, d) = parents_change(app, parent, direction_id).await?;
    if !d.status().can_become(DirectionStatus::Accepted) {
        return Err(DirectionError::NotOpen);
    }
    if d.is_overdue(now) {
        return Err(DirectionError::DeadlinePassed);
    }
    let rules = rules_for(&mut tx, &d.region_code, now).await?;
    let calendar = crate::calendar_days::calendar(&mut *tx).await?;
    let enroll_by = rules_of::enroll_by(&calendar, now, rules.enroll_working_days);
    let changed = sqlx::query(
        "UPDATE directions SET status = 'accepted', accepted_at = $1, enroll_by = $2
         WHERE id = $3 AND status = 'issued'",
    )
    .bind(now)
    .bind(enroll_by)
    .bind(d.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(DirectionError::NotOpen);
    }
    record_event(
        &mut tx,
        d.application_id,
        now,
        Some(parent.user_id),
        "direction_accepted",
        json!({ "direction_id": d.id, "enroll_by": enroll_by }),
    )
    .await?;
    let entry = protocol_entry(&mut tx, &d, protocol::Event::Accepted, now).await?;
    chain.push(&mut tx, &entry).await?;
    chain.save(&mut tx).await?;
    audit_change(
        &mut tx,
        Some(parent),
        now,
        "direction.accepted",
        d.id,
        json!({ "before": { "status": d.status }, "after": { "status": "accepted", "enroll_by": enroll_by } }),
    )
    .await?;
    tell_parent(
        app,
        &mut tx,
        d.application_id,
        d.id,
        "direction-notice-accepted",
        &[
            ("number", entry.application_number.clone()),
            ("deadline", deadline_text(enroll_by)),
        ],
        false,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The parent refuses the place: it goes to the next child, theirs to the stop-list.
pub async fn refuse(app: &App, parent: &Actor, direction_id: i64) -> Result<(), DirectionError> {
    let now = app.now();
    let (mut tx, mut chain, d) = parents_change(app, parent, direction_id).await?;
    close_in(
        app,
        &mut tx,
        &mut chain,
        &d,
        &Closing::Refused,
        Some(parent),
        now,
    )
    .await?;
    chain.save(&mut tx).await?;
    tx.commit().await?;
    reallocate(app, d.group_id).await;
    Ok(())
}

/// The organization enrolls the child: the application is signed and leaves the queue for good.
pub async fn enroll(
    app: &App,
    staff: &Actor,
    organization_id: i64,
    direction_id: i64,
) -> Result<(), DirectionError> {
    let now = app.now();
    let (mut tx, mut chain, d) = organizations_change(app, organization_id, direction_id).await?;
    if !d.status().can_become(DirectionStatus::Enrolled) {
        return Err(DirectionError::NotOpen);
    }
    let changed = sqlx::query(
        "UPDATE directions SET status = 'enrolled', closed_at = $1, closed_by = $2,
                open_vacancy = NULL, open_child = NULL
         WHERE id = $3 AND status IN ('issued', 'accepted')",
    )
    .bind(now)
    .bind(staff.user_id)
    .bind(d.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(DirectionError::NotOpen);
    }
    let signed = sqlx::query(
        "UPDATE applications SET status = 'signed', active_key = NULL, updated_at = $1
         WHERE id = $2 AND status = 'direction_issued'",
    )
    .bind(now)
    .bind(d.application_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if signed == 0 {
        return Err(DirectionError::NotOpen);
    }
    sqlx::query(
        "UPDATE vacancies SET status = 'filled', closed_at = $1, closed_by = $2
         WHERE id = $3 AND status = 'directed'",
    )
    .bind(now)
    .bind(staff.user_id)
    .bind(d.vacancy_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE org_groups SET open_directions = open_directions - 1, enrolled = enrolled + 1,
                updated_at = $1
         WHERE id = $2",
    )
    .bind(now)
    .bind(d.group_id)
    .execute(&mut *tx)
    .await?;
    record_event(
        &mut tx,
        d.application_id,
        now,
        Some(staff.user_id),
        "signed",
        json!({ "direction_id": d.id, "organization_id": d.organization_id, "group_id": d.group_id }),
    )
    .await?;
    let entry = protocol_entry(&mut tx, &d, protocol::Event::Enrolled, now).await?;
    chain.push(&mut tx, &entry).await?;
    chain.save(&mut tx).await?;
    audit_change(
        &mut tx,
        Some(staff),
        now,
        "direction.enrolled",
        d.id,
        json!({ "before": { "status": d.status }, "after": { "status": "enrolled" } }),
    )
    .await?;
    tell_parent(
        app,
        &mut tx,
        d.application_id,
        d.id,
        "direction-notice-enrolled",
        &[("number", entry.application_number.clone())],
        false,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The organization sends the direction back (the child did not come, documents missing…).
pub async fn return_direction(
    app: &App,
    staff: &Actor,
    organization_id: i64,
    direction_id: i64,
    reason: &str,
) -> Result<(), DirectionError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(DirectionError::ReasonRequired);
    }
    if reason.chars().count() > REASON_MAX_CHARS {
        return Err(DirectionError::ReasonTooLong);
    }
    let now = app.now();
    let (mut tx, mut chain, d) = organizations_change(app, organization_id, direction_id).await?;
    let closing = Closing::Returned {
        reason: reason.to_owned(),
    };
    close_in(app, &mut tx, &mut chain, &d, &closing, Some(staff), now).await?;
    chain.save(&mut tx).await?;
    tx.commit().await?;
    app.sms_wakeup.notify_one();
    reallocate(app, d.group_id).await;
    Ok(())
}

/// The organization gives the parent more time to bring the documents, once.
pub async fn extend(
    app: &App,
    staff: &Actor,
    organization_id: i64,
    direction_id: i64,
    days: i64,
) -> Result<i64, DirectionError> {
    let now = app.now();
    let (mut tx, _chain, d) = organizations_change(app, organization_id, direction_id).await?;
    let rules = rules_for(&mut tx, &d.region_code, now).await?;
    let enroll_by = rules_of::extend(
        d.status(),
        d.enroll_by,
        d.extended_at.is_some(),
        days,
        rules.extension_max_days,
    )?;
    if d.is_overdue(now) {
        return Err(DirectionError::DeadlinePassed);
    }
    let changed = sqlx::query(
        "UPDATE directions SET enroll_by = $1, extended_at = $2
         WHERE id = $3 AND status = 'accepted' AND extended_at IS NULL",
    )
    .bind(enroll_by)
    .bind(now)
    .bind(d.id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(DirectionError::NotOpen);
    }
    record_event(
        &mut tx,
        d.application_id,
        now,
        Some(staff.user_id),
        "direction_extended",
        json!({ "direction_id": d.id, "days": days, "enroll_by": enroll_by }),
    )
    .await?;
    audit_change(
        &mut tx,
        Some(staff),
        now,
        "direction.extended",
        d.id,
        json!({ "before": { "enroll_by": d.enroll_by }, "after": { "enroll_by": enroll_by, "days": days } }),
    )
    .await?;
    let number: Option<String> =
        sqlx::query_scalar("SELECT number FROM applications WHERE id = $1")
            .bind(d.application_id)
            .fetch_one(&mut *tx)
            .await?;
    tell_parent(
        app,
        &mut tx,
        d.application_id,
        d.id,
        "direction-notice-extended",
        &[
            ("number", number.unwrap_or_default()),
            ("deadline", deadline_text(enroll_by)),
        ],
        false,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(enroll_by)
}

/// Annuls every open direction whose deadline has passed, then offers the freed places to the
/// next children. Meant for a scheduled job; returns how many expired.
pub async fn expire_due(app: &App, now: i64) -> Result<usize, sqlx::Error> {
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM directions
         WHERE (status = 'issued' AND accept_by < $1) OR (status = 'accepted' AND enroll_by < $1)
         ORDER BY id",
    )
    .bind(now)
    .fetch_all(app.db.pool())
    .await?;
    let mut expired = 0;
    let mut groups = Vec::new();
    for id in due {
        let result = async {
            let (mut tx, mut chain, d) = begin_change(app, id).await?;
            if !d.is_overdue(now) {
                return Err(DirectionError::NotOpen);
            }
            close_in(app, &mut tx, &mut chain, &d, &Closing::Expired, None, now).await?;
            chain.save(&mut tx).await?;
            tx.commit().await?;
            Ok::<_, DirectionError>(d.group_id)
        }
        .await;
        match result {
            Ok(group) => {
                expired += 1;
                if !groups.contains(&group) {
                    groups.push(group);
                }
            }
            // Accepted, enrolled or extended meanwhile.
            Err(DirectionError::NotOpen | DirectionError::NotFound) => {}
            Err(DirectionError::Internal(e)) => return Err(e),
            Err(e) => tracing::warn!(direction = id, error = %e, "expiring a direction failed"),
        }
    }
    if expired > 0 {
        app.sms_wakeup.notify_one();
    }
    for group in groups {
        allocate_group(app, group, now).await?;
    }
    Ok(expired)
}

/// Closes the open direction of an application being deleted, in the deletion's transaction
/// (which has taken the region's protocol head first, see `lock_region`): the place goes back
/// to the bulletin with no stop-list. Returns the group to offer the place in after the commit.
pub async fn close_for_deleted_application(
    app: &App,
    tx: &mut Tx,
    chain: &mut protocol::Chain,
    actor: &Actor,
    application_id: i64,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let Some(d) = open_of_application(&mut **tx, application_id).await? else {
        return Ok(None);
    };
    // The place's region is the application's; should they ever differ, that chain is taken too.
    let mut other = None;
    if d.region_code != chain.region_code {
        other = Some(protocol::lock(tx, &d.region_code).await?);
    }
    let closed = match other.as_mut() {
        Some(other) => close_in(app, tx, other, &d, &Closing::Deleted, Some(actor), now).await,
        None => close_in(app, tx, chain, &d, &Closing::Deleted, Some(actor), now).await,
    };
    if let Some(other) = other.as_mut() {
        other.save(tx).await?;
    }
    match closed {
        Ok(()) => Ok(Some(d.group_id)),
        Err(DirectionError::Internal(e)) => Err(e),
        Err(e) => {
            tracing::warn!(direction = d.id, error = %e, "closing the direction of a deleted application");
            Ok(None)
        }
    }
}

/// Takes the region's protocol head for a change that may touch a direction (see the module
/// documentation): the caller must `save` the chain before committing if it pushed entries.
pub async fn lock_region(tx: &mut Tx, region_code: &str) -> Result<protocol::Chain, sqlx::Error> {
    protocol::lock(tx, region_code).await
}
