//! Applications: the application rows, their preferred organizations, attached documents and
//! history (`application_events`). The operator's verification and the parents' drafts are in
//! the submodules.

pub mod drafts;
pub mod verification;

use std::collections::HashMap;

use kezek_domain::application::{ApplicationStatus, Verification};
use kezek_domain::queue::Category;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, FromRow, Row};

use crate::{Conn, Error, Executor};

/// An application as stored. An unknown status or verification state is a decode error.
#[derive(Debug, Clone)]
pub struct ApplicationRow {
    pub id: i64,
    pub number: Option<String>,
    pub child_id: i64,
    pub parent_user_id: i64,
    pub kind: String,
    pub correction_type: Option<String>,
    pub language: String,
    pub region_code: String,
    pub kato: String,
    pub status: ApplicationStatus,
    pub pmpk_number: Option<String>,
    pub pmpk_date: Option<String>,
    pub pmpk_expires: Option<String>,
    pub pmpk_verification: Option<Verification>,
    pub referral_verification: Option<Verification>,
    pub privilege_category: Option<String>,
    pub privilege_verification: Option<Verification>,
    pub registered_at: i64,
}

/// A stored code read as the domain's enum: a code it does not name is a decode error.
fn decode<T>(column: &str, code: String) -> Result<T, Error>
where
    T: TryFrom<String>,
    T::Error: std::error::Error + Send + Sync + 'static,
{
    T::try_from(code).map_err(|e| Error::ColumnDecode {
        index: column.to_owned(),
        source: Box::new(e),
    })
}

/// A nullable code column; NULL is `None`.
fn optional_code<T>(row: &AnyRow, column: &str) -> Result<Option<T>, Error>
where
    T: TryFrom<String>,
    T::Error: std::error::Error + Send + Sync + 'static,
{
    let code: Option<String> = row.try_get(column)?;
    code.map(|c| decode(column, c)).transpose()
}

impl FromRow<'_, AnyRow> for ApplicationRow {
    fn from_row(row: &AnyRow) -> Result<Self, Error> {
        Ok(ApplicationRow {
            id: row.try_get("id")?,
            number: row.try_get("number")?,
            child_id: row.try_get("child_id")?,
            parent_user_id: row.try_get("parent_user_id")?,
            kind: row.try_get("kind")?,
            correction_type: row.try_get("correction_type")?,
            language: row.try_get("language")?,
            region_code: row.try_get("region_code")?,
            kato: row.try_get("kato")?,
            status: decode("status", row.try_get("status")?)?,
            pmpk_number: row.try_get("pmpk_number")?,
            pmpk_date: row.try_get("pmpk_date")?,
            pmpk_expires: row.try_get("pmpk_expires")?,
            pmpk_verification: optional_code(row, "pmpk_verification")?,
            referral_verification: optional_code(row, "referral_verification")?,
            privilege_category: row.try_get("privilege_category")?,
            privilege_verification: optional_code(row, "privilege_verification")?,
            registered_at: row.try_get("registered_at")?,
        })
    }
}

const COLUMNS: &str = "id, number, child_id, parent_user_id, kind, correction_type, language, region_code, kato, \
     status, pmpk_number, pmpk_date, pmpk_expires, pmpk_verification, referral_verification, \
     privilege_category, privilege_verification, registered_at";

#[derive(Debug, Clone, FromRow)]
pub struct PreferenceRow {
    pub position: i64,
    pub organization_id: i64,
    pub name_kk: String,
    pub name_ru: String,
}

#[derive(Debug, Clone, FromRow)]
pub struct EventRow {
    pub at: i64,
    pub event: String,
    pub detail: Option<String>,
}

/// An organization a parent may choose for an application.
#[derive(Debug, Clone, FromRow)]
pub struct SuitableOrganization {
    pub id: i64,
    pub name_kk: String,
    pub name_ru: String,
    pub kato: String,
    pub address: String,
}

/// A document attached to an application, as "Подробнее" lists it.
#[derive(Debug, Clone, FromRow)]
pub struct AttachedDocumentRow {
    pub document_id: i64,
    pub purpose: String,
    pub file_name: String,
    pub kind: String,
}

/// The columns that decide an application's place in its queues, as stored.
#[derive(Debug, Clone, FromRow)]
pub struct QueueKeyColumns {
    pub id: i64,
    pub kind: String,
    pub correction_type: Option<String>,
    pub birth_year: Option<i64>,
    #[sqlx(try_from = "String")]
    pub category: Category,
    pub queue_at: Option<i64>,
    #[sqlx(try_from = "String")]
    pub status: ApplicationStatus,
    pub kato: String,
    pub region_code: String,
}

/// A new application as filed: the values its row starts with.
#[derive(Debug, Clone)]
pub struct NewApplication<'a> {
    pub child_id: i64,
    pub parent_user_id: i64,
    pub kind: &'a str,
    pub correction_type: Option<&'a str>,
    pub language: &'a str,
    pub region_code: &'a str,
    pub kato: &'a str,
    /// One active application per child and group type: the key the UNIQUE constraint watches.
    pub active_key: String,
    pub submission_key: &'a str,
    pub pmpk_number: Option<String>,
    pub pmpk_date: Option<String>,
    pub pmpk_expires: Option<String>,
    pub pmpk_verification: Option<&'a str>,
    pub referral_verification: Option<&'a str>,
    pub privilege_category: Option<String>,
    pub privilege_verification: Option<&'a str>,
    pub now: i64,
}

/// Inserts the application row; a UNIQUE violation means a duplicate submission or an active
/// application of the same type.
pub async fn insert(e: impl Executor<'_>, a: &NewApplication<'_>) -> Result<i64, Error> {
    sqlx::query_scalar(
        "INSERT INTO applications (child_id, parent_user_id, kind, correction_type, language, region_code, kato,
            status, active_key, submission_key, pmpk_number, pmpk_date, pmpk_expires, pmpk_verification,
            referral_verification, privilege_category, privilege_verification, consent_at, registered_at,
            created_at, updated_at, birth_year, category, queue_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $17, $17,
            (SELECT CAST(substr(c.birth_date, 1, 4) AS BIGINT) FROM children c WHERE c.id = $1), 'general', $17)
         RETURNING id",
    )
    .bind(a.child_id)
    .bind(a.parent_user_id)
    .bind(a.kind)
    .bind(a.correction_type)
    .bind(a.language)
    .bind(a.region_code)
    .bind(a.kato)
    .bind(&a.active_key)
    .bind(a.submission_key)
    .bind(a.pmpk_number.as_deref())
    .bind(a.pmpk_date.as_deref())
    .bind(a.pmpk_expires.as_deref())
    .bind(a.pmpk_verification)
    .bind(a.referral_verification)
    .bind(a.privilege_category.as_deref())
    .bind(a.privilege_verification)
    .bind(a.now)
    .fetch_one(e)
    .await
}

/// Sets the public number of a new application.
pub async fn set_number(e: impl Executor<'_>, id: i64, number: &str) -> Result<(), Error> {
    sqlx::query("UPDATE applications SET number = $1 WHERE id = $2")
        .bind(number)
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

/// Adds a preferred organization at `position` (from 1).
pub async fn add_preference(
    e: impl Executor<'_>,
    id: i64,
    position: i64,
    organization_id: i64,
) -> Result<(), Error> {
    // The queue's partition keys are copied (they never change): see migration 0015.
    sqlx::query(
        "INSERT INTO application_preferences
            (application_id, position, organization_id, kind, birth_year, correction_type)
         SELECT $1, $2, $3, a.kind, a.birth_year, a.correction_type FROM applications a WHERE a.id = $1",
    )
    .bind(id)
    .bind(position)
    .bind(organization_id)
    .execute(e)
    .await?;
    Ok(())
}

/// Attaches an uploaded document for `purpose` (`pmpk`, `referral` or `privilege`).
pub async fn attach_document(
    e: impl Executor<'_>,
    id: i64,
    document_id: i64,
    purpose: &str,
) -> Result<(), Error> {
    sqlx::query("INSERT INTO application_documents (application_id, document_id, purpose) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(document_id)
        .bind(purpose)
        .execute(e)
        .await?;
    Ok(())
}

/// Adds an entry to the application's history; `detail` is JSON text.
pub async fn record_event(
    e: impl Executor<'_>,
    application_id: i64,
    at: i64,
    actor: Option<i64>,
    event: &str,
    detail: String,
) -> Result<(), Error> {
    sqlx::query("INSERT INTO application_events (application_id, at, actor_user_id, event, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(application_id)
        .bind(at)
        .bind(actor)
        .bind(event)
        .bind(detail)
        .execute(e)
        .await?;
    Ok(())
}

/// The codes of the active first-priority categories of the reference list.
pub async fn first_priority_codes(e: impl Executor<'_>) -> Result<Vec<String>, Error> {
    sqlx::query_scalar(
        "SELECT code FROM reference_items
         WHERE kind = 'privilege_category' AND attribute = 'first_priority' AND active = 1",
    )
    .fetch_all(e)
    .await
}

/// Puts a general application in the first-priority category (an extraordinary one is never
/// lowered).
pub async fn apply_first_priority(e: impl Executor<'_>, id: i64, now: i64) -> Result<(), Error> {
    sqlx::query(
        "UPDATE applications SET category = 'first_priority', updated_at = $1
         WHERE id = $2 AND category = 'general'",
    )
    .bind(now)
    .bind(id)
    .execute(e)
    .await?;
    Ok(())
}

/// The detail of the latest `registry_status_applied` event of an application.
pub async fn registry_status_detail(
    e: impl Executor<'_>,
    application_id: i64,
) -> Result<Option<Option<String>>, Error> {
    sqlx::query_scalar(
        "SELECT detail FROM application_events
         WHERE application_id = $1 AND event = 'registry_status_applied' ORDER BY id DESC LIMIT 1",
    )
    .bind(application_id)
    .fetch_optional(e)
    .await
}

/// The parent's application filed under a submission key.
pub async fn by_submission_key(
    e: impl Executor<'_>,
    parent: i64,
    key: &str,
) -> Result<Option<i64>, Error> {
    sqlx::query_scalar(
        "SELECT id FROM applications WHERE submission_key = $1 AND parent_user_id = $2",
    )
    .bind(key)
    .bind(parent)
    .fetch_optional(e)
    .await
}

/// A parent's application; another parent's (or a missing one) is `None`.
pub async fn of_parent(
    e: impl Executor<'_>,
    parent: i64,
    id: i64,
) -> Result<Option<ApplicationRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM applications WHERE id = $1 AND parent_user_id = $2 AND status <> 'deleted'"
    )))
    .bind(id)
    .bind(parent)
    .fetch_optional(e)
    .await
}

/// An application with what decides its place in the queues.
#[derive(FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    application: ApplicationRow,
    #[sqlx(flatten)]
    key: QueueKeyColumns,
}

/// A parent's applications of one group type with their queue keys, newest first, deleted ones
/// left out.
pub async fn listed_for_parent(
    e: impl Executor<'_>,
    parent: i64,
    kind: &str,
) -> Result<Vec<(ApplicationRow, QueueKeyColumns)>, Error> {
    let rows: Vec<ListedRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS}, birth_year, category, queue_at FROM applications
         WHERE parent_user_id = $1 AND kind = $2 AND status <> 'deleted'
         ORDER BY registered_at DESC, id DESC"
    )))
    .bind(parent)
    .bind(kind)
    .fetch_all(e)
    .await?;
    Ok(rows.into_iter().map(|r| (r.application, r.key)).collect())
}

#[derive(FromRow)]
struct ListedPreference {
    application_id: i64,
    #[sqlx(flatten)]
    preference: PreferenceRow,
}

/// The preferred organizations of each of `ids` (those that list any), in the order listed: one
/// statement per `ROWS_PER_STATEMENT` applications.
pub async fn preferences_of_all(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<PreferenceRow>>, Error> {
    let mut found: HashMap<i64, Vec<PreferenceRow>> = HashMap::new();
    for chunk in ids.chunks(crate::ROWS_PER_STATEMENT) {
        let sql = format!(
            "SELECT p.application_id, p.position, p.organization_id, o.name_kk, o.name_ru
             FROM application_preferences p JOIN organizations o ON o.id = p.organization_id
             WHERE p.application_id IN ({}) ORDER BY p.application_id, p.position",
            crate::binds(1, chunk.len())
        );
        let mut q = sqlx::query_as::<_, ListedPreference>(AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        for row in q.fetch_all(&mut *conn).await? {
            found
                .entry(row.application_id)
                .or_default()
                .push(row.preference);
        }
    }
    Ok(found)
}

/// The application's history, oldest first.
pub async fn events_of(e: impl Executor<'_>, application_id: i64) -> Result<Vec<EventRow>, Error> {
    sqlx::query_as(
        "SELECT at, event, detail FROM application_events WHERE application_id = $1 ORDER BY id",
    )
    .bind(application_id)
    .fetch_all(e)
    .await
}

/// Leaves the queue: the status changes and the active key is released (a new application of
/// the same type may be filed later).
pub async fn set_deleted(e: impl Executor<'_>, id: i64, now: i64) -> Result<(), Error> {
    sqlx::query("UPDATE applications SET status = 'deleted', active_key = NULL, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

/// Active organizations whose KATO code matches `kato_pattern` with an open group of this
/// kind, correction type and birth year.
pub async fn suitable_organizations(
    e: impl Executor<'_>,
    kato_pattern: String,
    kind: &str,
    correction_type: Option<&str>,
    birth_year: i64,
) -> Result<Vec<SuitableOrganization>, Error> {
    sqlx::query_as(
        "SELECT o.id, o.name_kk, o.name_ru, o.kato, o.address FROM organizations o
         WHERE o.active = 1 AND o.kato LIKE $1
           AND EXISTS (SELECT 1 FROM org_groups g WHERE g.organization_id = o.id AND g.active = 1
                       AND g.kind = $2 AND g.birth_year = $3
                       AND (g.correction_type = $4 OR $4 IS NULL AND g.correction_type IS NULL))
         ORDER BY o.name_ru, o.id",
    )
    .bind(kato_pattern)
    .bind(kind)
    .bind(birth_year)
    .bind(correction_type)
    .fetch_all(e)
    .await
}

/// The documents attached to an application (ПМПК conclusion, referral, privilege evidence),
/// in the order of purpose and upload; deleted documents are left out.
pub async fn documents_of(
    e: impl Executor<'_>,
    application_id: i64,
) -> Result<Vec<AttachedDocumentRow>, Error> {
    sqlx::query_as(
        "SELECT d.id AS document_id, ad.purpose, d.file_name, d.kind FROM application_documents ad
         JOIN documents d ON d.id = ad.document_id
         WHERE ad.application_id = $1 AND d.deleted_at IS NULL
         ORDER BY CASE ad.purpose WHEN 'pmpk' THEN 1 WHEN 'referral' THEN 2 ELSE 3 END, d.id",
    )
    .bind(application_id)
    .fetch_all(e)
    .await
}

/// When the parent consented to the use of data (unix seconds).
pub async fn consent_at(e: impl Executor<'_>, application_id: i64) -> Result<Option<i64>, Error> {
    sqlx::query_scalar("SELECT consent_at FROM applications WHERE id = $1")
        .bind(application_id)
        .fetch_optional(e)
        .await
}
