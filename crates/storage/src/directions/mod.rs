//! Directions (offers of a free place) as stored: the direction's row and the statements one
//! change of it runs on the direction, its vacancy, its group's counters and its application.
//! Issuing many at once is `issue`, the pages' reads `views`, the public hash chain `protocol`.

pub mod issue;
pub mod protocol;
pub mod views;

use kezek_domain::direction::{self, DirectionStatus};
use sqlx::{AssertSqlSafe, FromRow};

use crate::{Error, Executor};

/// A direction as stored.
#[derive(Debug, Clone, FromRow)]
pub struct DirectionRow {
    pub id: i64,
    pub application_id: i64,
    pub child_id: i64,
    pub vacancy_id: i64,
    pub group_id: i64,
    pub organization_id: i64,
    pub region_code: String,
    /// Decoded on read: a status no variant names fails the query.
    #[sqlx(try_from = "String")]
    pub status: DirectionStatus,
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

impl DirectionRow {
    pub fn status(&self) -> DirectionStatus {
        self.status
    }

    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }

    /// When the open direction lapses (acceptance while issued, enrollment once accepted).
    pub fn deadline(&self) -> Option<i64> {
        direction::deadline(self.status, self.accept_by, self.enroll_by)
    }

    pub fn is_overdue(&self, now: i64) -> bool {
        direction::is_overdue(self.status, self.accept_by, self.enroll_by, now)
    }
}

const COLUMNS: &str = "d.id, d.application_id, d.child_id, d.vacancy_id, d.group_id, \
    d.organization_id, d.region_code, d.status, d.position_at_issue, d.category_at_issue, \
    d.issued_at, d.accept_by, d.accepted_at, d.enroll_by, d.extended_at, d.closed_at, \
    d.closed_by, d.close_reason";

pub async fn by_id(e: impl Executor<'_>, id: i64) -> Result<Option<DirectionRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM directions d WHERE d.id = $1"
    )))
    .bind(id)
    .fetch_optional(e)
    .await
}

/// The open direction of an application, if any.
pub async fn open_of_application(
    e: impl Executor<'_>,
    application_id: i64,
) -> Result<Option<DirectionRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM directions d
         WHERE d.application_id = $1 AND d.status IN ('issued', 'accepted')"
    )))
    .bind(application_id)
    .fetch_optional(e)
    .await
}

/// The open directions whose deadline is before `now`, by id.
pub async fn overdue(e: impl Executor<'_>, now: i64) -> Result<Vec<i64>, Error> {
    sqlx::query_scalar(
        "SELECT id FROM directions
         WHERE (status = 'issued' AND accept_by < $1) OR (status = 'accepted' AND enroll_by < $1)
         ORDER BY id",
    )
    .bind(now)
    .fetch_all(e)
    .await
}

// ---- One direction's changes; each returns the rows it changed (0: changed meanwhile) ----

/// An issued direction is accepted: the enrollment deadline starts.
pub async fn accept(e: impl Executor<'_>, id: i64, now: i64, enroll_by: i64) -> Result<u64, Error> {
    sqlx::query(
        "UPDATE directions SET status = 'accepted', accepted_at = $1, enroll_by = $2
         WHERE id = $3 AND status = 'issued'",
    )
    .bind(now)
    .bind(enroll_by)
    .bind(id)
    .execute(e)
    .await
    .map(|r| r.rows_affected())
}

/// An open direction ends in enrollment, freeing its place's and child's open slots.
pub async fn enroll(e: impl Executor<'_>, id: i64, now: i64, by: i64) -> Result<u64, Error> {
    sqlx::query(
        "UPDATE directions SET status = 'enrolled', closed_at = $1, closed_by = $2,
                open_vacancy = NULL, open_child = NULL
         WHERE id = $3 AND status IN ('issued', 'accepted')",
    )
    .bind(now)
    .bind(by)
    .bind(id)
    .execute(e)
    .await
    .map(|r| r.rows_affected())
}

/// An accepted direction's enrollment deadline moves, once.
pub async fn extend(e: impl Executor<'_>, id: i64, enroll_by: i64, now: i64) -> Result<u64, Error> {
    sqlx::query(
        "UPDATE directions SET enroll_by = $1, extended_at = $2
         WHERE id = $3 AND status = 'accepted' AND extended_at IS NULL",
    )
    .bind(enroll_by)
    .bind(now)
    .bind(id)
    .execute(e)
    .await
    .map(|r| r.rows_affected())
}

/// An open direction closes without enrollment (`status` refused, expired or returned).
pub async fn close(
    e: impl Executor<'_>,
    id: i64,
    status: DirectionStatus,
    now: i64,
    by: Option<i64>,
    reason: Option<&str>,
) -> Result<u64, Error> {
    sqlx::query(
        "UPDATE directions SET status = $1, closed_at = $2, closed_by = $3, close_reason = $4,
                open_vacancy = NULL, open_child = NULL
         WHERE id = $5 AND status IN ('issued', 'accepted')",
    )
    .bind(status.as_str())
    .bind(now)
    .bind(by)
    .bind(reason)
    .bind(id)
    .execute(e)
    .await
    .map(|r| r.rows_affected())
}

/// The enrolled child's application is signed and leaves the queue for good.
pub async fn sign_application(
    e: impl Executor<'_>,
    application_id: i64,
    now: i64,
) -> Result<u64, Error> {
    sqlx::query(
        "UPDATE applications SET status = 'signed', active_key = NULL, updated_at = $1
         WHERE id = $2 AND status = 'direction_issued'",
    )
    .bind(now)
    .bind(application_id)
    .execute(e)
    .await
    .map(|r| r.rows_affected())
}

/// The application of a closed direction waits again, skipped until `stop_until`; `to_end`
/// moves it to the end of the queue. Its queue date-time after, or `None` when it was not
/// waiting for the direction.
pub async fn requeue_application(
    e: impl Executor<'_>,
    application_id: i64,
    stop_until: i64,
    now: i64,
    to_end: bool,
) -> Result<Option<Option<i64>>, Error> {
    sqlx::query_scalar(
        "UPDATE applications SET status = 'queued', stop_until = $1, updated_at = $2,
                queue_at = CASE WHEN $3 = 1 THEN $2 ELSE queue_at END
         WHERE id = $4 AND status = 'direction_issued'
         RETURNING queue_at",
    )
    .bind(stop_until)
    .bind(now)
    .bind(i64::from(to_end))
    .bind(application_id)
    .fetch_optional(e)
    .await
}

/// The directed vacancy of an enrolled child is filled.
pub async fn fill_vacancy(
    e: impl Executor<'_>,
    vacancy_id: i64,
    now: i64,
    by: i64,
) -> Result<(), Error> {
    sqlx::query(
        "UPDATE vacancies SET status = 'filled', closed_at = $1, closed_by = $2
         WHERE id = $3 AND status = 'directed'",
    )
    .bind(now)
    .bind(by)
    .bind(vacancy_id)
    .execute(e)
    .await?;
    Ok(())
}

/// The directed vacancy of a closed direction is open again.
pub async fn reopen_vacancy(e: impl Executor<'_>, vacancy_id: i64) -> Result<(), Error> {
    sqlx::query("UPDATE vacancies SET status = 'open' WHERE id = $1 AND status = 'directed'")
        .bind(vacancy_id)
        .execute(e)
        .await?;
    Ok(())
}

/// The group's counters after an enrollment: one open direction fewer, one child more.
pub async fn count_enrolled(e: impl Executor<'_>, group_id: i64, now: i64) -> Result<(), Error> {
    sqlx::query(
        "UPDATE org_groups SET open_directions = open_directions - 1, enrolled = enrolled + 1,
                updated_at = $1
         WHERE id = $2",
    )
    .bind(now)
    .bind(group_id)
    .execute(e)
    .await?;
    Ok(())
}

/// The group's counters after a closing: one open direction fewer, one open vacancy more.
pub async fn count_reopened(e: impl Executor<'_>, group_id: i64, now: i64) -> Result<(), Error> {
    sqlx::query(
        "UPDATE org_groups SET open_directions = open_directions - 1,
                open_vacancies = open_vacancies + 1, updated_at = $1
         WHERE id = $2",
    )
    .bind(now)
    .bind(group_id)
    .execute(e)
    .await?;
    Ok(())
}

// ---- Who a change concerns ----

/// The parent of an application: id, phone, the language they use on the site, the
/// application's language.
pub async fn parent_of(
    e: impl Executor<'_>,
    application_id: i64,
) -> Result<Option<(i64, String, Option<String>, String)>, Error> {
    sqlx::query_as(
        "SELECT a.parent_user_id, u.phone, u.language, a.language FROM applications a
         JOIN users u ON u.id = a.parent_user_id WHERE a.id = $1",
    )
    .bind(application_id)
    .fetch_optional(e)
    .await
}

/// The parent who owns an application.
pub async fn owner(e: impl Executor<'_>, application_id: i64) -> Result<Option<i64>, Error> {
    sqlx::query_scalar("SELECT parent_user_id FROM applications WHERE id = $1")
        .bind(application_id)
        .fetch_optional(e)
        .await
}

/// An existing application's number (`None` before it has one).
pub async fn application_number(
    e: impl Executor<'_>,
    application_id: i64,
) -> Result<Option<String>, Error> {
    sqlx::query_scalar("SELECT number FROM applications WHERE id = $1")
        .bind(application_id)
        .fetch_one(e)
        .await
}

/// What a direction's protocol entry names besides the direction.
#[derive(Debug, Clone, FromRow)]
pub struct EntryFacts {
    pub organization_bin: String,
    pub organization_name: String,
    pub group_name: String,
    pub application_number: Option<String>,
    pub last_name: String,
    pub first_name: String,
}

pub async fn entry_facts(e: impl Executor<'_>, direction_id: i64) -> Result<EntryFacts, Error> {
    sqlx::query_as(
        "SELECT o.bin AS organization_bin, o.name_ru AS organization_name, g.name AS group_name,
                a.number AS application_number, c.last_name, c.first_name
         FROM directions d
         JOIN organizations o ON o.id = d.organization_id
         JOIN org_groups g ON g.id = d.group_id
         JOIN applications a ON a.id = d.application_id
         JOIN children c ON c.id = d.child_id
         WHERE d.id = $1",
    )
    .bind(direction_id)
    .fetch_one(e)
    .await
}
