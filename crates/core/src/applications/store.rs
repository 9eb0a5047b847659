//! Storage of applications, their preferred organizations, attached documents and history.

use std::collections::HashMap;

use serde_json::Value;
use sqlx::{Any, AnyConnection, Executor, FromRow};

use super::ApplicationInput;
use crate::db::{Db, Tx};
use crate::orgs::GroupKind;
use crate::queue::QueueKey;

#[derive(Debug, Clone, FromRow)]
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
    pub status: String,
    pub pmpk_number: Option<String>,
    pub pmpk_date: Option<String>,
    pub pmpk_expires: Option<String>,
    pub pmpk_verification: Option<String>,
    pub referral_verification: Option<String>,
    pub privilege_category: Option<String>,
    pub privilege_verification: Option<String>,
    pub registered_at: i64,
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

fn ymd(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

/// One active application per child and group type: the key the UNIQUE constraint watches.
fn active_key(input: &ApplicationInput) -> String {
    format!("{}:{}", input.child_id, input.kind.as_str())
}

/// Inserts the application row; a UNIQUE violation means a duplicate submission or an active
/// application of the same type.
pub async fn insert(
    tx: &mut Tx,
    parent: i64,
    region_code: &str,
    input: &ApplicationInput,
    now: i64,
) -> Result<i64, crate::db::Error> {
    let pmpk = input.pmpk.clone().unwrap_or_default();
    let correctional = input.kind == GroupKind::Correctional;
    let pending = |applies: bool| applies.then_some("pending");
    sqlx::query_scalar(
        "INSERT INTO applications (child_id, parent_user_id, kind, correction_type, language, region_code, kato,
            status, active_key, submission_key, pmpk_number, pmpk_date, pmpk_expires, pmpk_verification,
            referral_verification, privilege_category, privilege_verification, consent_at, registered_at,
            created_at, updated_at, birth_year, category, queue_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $17, $17,
            (SELECT CAST(substr(c.birth_date, 1, 4) AS BIGINT) FROM children c WHERE c.id = $1), 'general', $17)
         RETURNING id",
    )
    .bind(input.child_id)
    .bind(parent)
    .bind(input.kind.as_str())
    .bind(input.correction_type.as_deref())
    .bind(&input.language)
    .bind(region_code)
    .bind(&input.kato)
    .bind(active_key(input))
    .bind(&input.submission_key)
    .bind(correctional.then(|| pmpk.number.trim().to_owned()))
    .bind(ymd(pmpk.date).filter(|_| correctional))
    .bind(ymd(pmpk.expires).filter(|_| correctional))
    .bind(pending(correctional))
    .bind(pending(input.kind == GroupKind::Sanatorium))
    .bind(input.privilege.as_ref().map(|p| p.category.clone()))
    .bind(pending(input.privilege.is_some()))
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// Sets the public number and stores the preferences and attached documents.
pub async fn finish_insert(
    tx: &mut Tx,
    id: i64,
    number: &str,
    input: &ApplicationInput,
) -> Result<(), crate::db::Error> {
    sqlx::query("UPDATE applications SET number = $1 WHERE id = $2")
        .bind(number)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    for (position, organization_id) in input.organization_ids.iter().enumerate() {
        // The queue's partition keys are copied (they never change): see migration 0015.
        sqlx::query(
            "INSERT INTO application_preferences
                (application_id, position, organization_id, kind, birth_year, correction_type)
             SELECT $1, $2, $3, a.kind, a.birth_year, a.correction_type FROM applications a WHERE a.id = $1",
        )
            .bind(id)
            .bind(position as i64 + 1)
            .bind(organization_id)
            .execute(&mut **tx)
            .await?;
    }
    let mut documents: Vec<(i64, &str)> = Vec::new();
    if let Some(doc) = input.pmpk.as_ref().and_then(|p| p.document_id) {
        documents.push((doc, "pmpk"));
    }
    if let Some(doc) = input
        .referral_document_id
        .filter(|_| input.kind == GroupKind::Sanatorium)
    {
        documents.push((doc, "referral"));
    }
    for doc in input.privilege.iter().flat_map(|p| p.document_ids.iter()) {
        documents.push((*doc, "privilege"));
    }
    for (document_id, purpose) in documents {
        sqlx::query("INSERT INTO application_documents (application_id, document_id, purpose) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(document_id)
            .bind(purpose)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

pub async fn record_event(
    tx: &mut Tx,
    application_id: i64,
    at: i64,
    actor: Option<i64>,
    event: &str,
    detail: Value,
) -> Result<(), crate::db::Error> {
    sqlx::query("INSERT INTO application_events (application_id, at, actor_user_id, event, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(application_id)
        .bind(at)
        .bind(actor)
        .bind(event)
        .bind(detail.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Of `statuses` (codes the register of individuals records for a child), those that are active
/// first-priority categories of the reference list, in the register's order.
pub async fn first_priority_categories<'c>(
    ex: impl Executor<'c, Database = Any>,
    statuses: &[String],
) -> Result<Vec<String>, crate::db::Error> {
    if statuses.is_empty() {
        return Ok(Vec::new());
    }
    let known: Vec<String> = sqlx::query_scalar(
        "SELECT code FROM reference_items
         WHERE kind = 'privilege_category' AND attribute = 'first_priority' AND active = 1",
    )
    .fetch_all(ex)
    .await?;
    Ok(statuses
        .iter()
        .filter(|s| known.contains(s))
        .cloned()
        .collect())
}

/// A verified first-priority status found in the register: the application counts as
/// first-priority at once (an extraordinary category, verified, is never lowered).
pub async fn apply_first_priority(tx: &mut Tx, id: i64, now: i64) -> Result<(), crate::db::Error> {
    sqlx::query(
        "UPDATE applications SET category = 'first_priority', updated_at = $1
         WHERE id = $2 AND category = 'general'",
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The register's statuses applied to an application when it was filed (the
/// `registry_status_applied` event), for the derived social status.
pub async fn registry_statuses_of(
    db: &Db,
    application_id: i64,
) -> Result<Vec<String>, crate::db::Error> {
    let detail: Option<Option<String>> = sqlx::query_scalar(
        "SELECT detail FROM application_events
         WHERE application_id = $1 AND event = 'registry_status_applied' ORDER BY id DESC LIMIT 1",
    )
    .bind(application_id)
    .fetch_optional(db.pool())
    .await?;
    let detail: Value = detail
        .flatten()
        .and_then(|d| serde_json::from_str(&d).ok())
        .unwrap_or(Value::Null);
    Ok(detail["statuses"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect())
}

pub async fn by_submission_key<'c>(
    ex: impl Executor<'c, Database = Any>,
    parent: i64,
    key: &str,
) -> Result<Option<i64>, crate::db::Error> {
    sqlx::query_scalar(
        "SELECT id FROM applications WHERE submission_key = $1 AND parent_user_id = $2",
    )
    .bind(key)
    .bind(parent)
    .fetch_optional(ex)
    .await
}

/// A parent's application; another parent's (or a missing one) is `None`.
pub async fn of_parent<'c>(
    ex: impl Executor<'c, Database = Any>,
    parent: i64,
    id: i64,
) -> Result<Option<ApplicationRow>, crate::db::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM applications WHERE id = $1 AND parent_user_id = $2 AND status <> 'deleted'"
    )))
    .bind(id)
    .bind(parent)
    .fetch_optional(ex)
    .await
}

/// An application with what decides its place in the queues.
#[derive(FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    application: ApplicationRow,
    #[sqlx(flatten)]
    key: QueueKey,
}

/// A parent's applications of one group type with their queue keys, newest first, deleted ones
/// left out.
pub async fn listed_for_parent<'c>(
    ex: impl Executor<'c, Database = Any>,
    parent: i64,
    kind: GroupKind,
) -> Result<Vec<(ApplicationRow, QueueKey)>, crate::db::Error> {
    let rows: Vec<ListedRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS}, birth_year, category, queue_at FROM applications
         WHERE parent_user_id = $1 AND kind = $2 AND status <> 'deleted'
         ORDER BY registered_at DESC, id DESC"
    )))
    .bind(parent)
    .bind(kind.as_str())
    .fetch_all(ex)
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
    conn: &mut AnyConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<PreferenceRow>>, crate::db::Error> {
    let mut found: HashMap<i64, Vec<PreferenceRow>> = HashMap::new();
    for chunk in ids.chunks(crate::db::ROWS_PER_STATEMENT) {
        let sql = format!(
            "SELECT p.application_id, p.position, p.organization_id, o.name_kk, o.name_ru
             FROM application_preferences p JOIN organizations o ON o.id = p.organization_id
             WHERE p.application_id IN ({}) ORDER BY p.application_id, p.position",
            crate::db::binds(1, chunk.len())
        );
        let mut q = sqlx::query_as::<_, ListedPreference>(sqlx::AssertSqlSafe(sql));
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

pub async fn events_of(db: &Db, application_id: i64) -> Result<Vec<EventRow>, crate::db::Error> {
    sqlx::query_as(
        "SELECT at, event, detail FROM application_events WHERE application_id = $1 ORDER BY id",
    )
    .bind(application_id)
    .fetch_all(db.pool())
    .await
}

/// Leaves the queue: the status changes and the active key is released (a new application of
/// the same type may be filed later).
pub async fn set_deleted(tx: &mut Tx, id: i64, now: i64) -> Result<(), crate::db::Error> {
    sqlx::query("UPDATE applications SET status = 'deleted', active_key = NULL, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Active organizations of the region (or of one locality, when `kato_prefix` is longer) with
/// an open group of this kind, correction type and birth year: the only ones a parent may choose.
pub async fn suitable_organizations(
    db: &Db,
    kato_prefix: &str,
    kind: GroupKind,
    correction_type: Option<&str>,
    birth_year: i64,
) -> Result<Vec<SuitableOrganization>, crate::db::Error> {
    sqlx::query_as(
        "SELECT o.id, o.name_kk, o.name_ru, o.kato, o.address FROM organizations o
         WHERE o.active = 1 AND o.kato LIKE $1
           AND EXISTS (SELECT 1 FROM org_groups g WHERE g.organization_id = o.id AND g.active = 1
                       AND g.kind = $2 AND g.birth_year = $3
                       AND (g.correction_type = $4 OR $4 IS NULL AND g.correction_type IS NULL))
         ORDER BY o.name_ru, o.id",
    )
    .bind(format!("{kato_prefix}%"))
    .bind(kind.as_str())
    .bind(birth_year)
    .bind(correction_type)
    .fetch_all(db.pool())
    .await
}

/// A document attached to an application, as "Подробнее" lists it.
#[derive(Debug, Clone, FromRow)]
pub struct AttachedDocumentRow {
    pub document_id: i64,
    pub purpose: String,
    pub file_name: String,
    pub kind: String,
}

/// The documents attached to an application (ПМПК conclusion, referral, privilege evidence),
/// in the order of purpose and upload; deleted documents are left out.
pub async fn documents_of(
    db: &Db,
    application_id: i64,
) -> Result<Vec<AttachedDocumentRow>, crate::db::Error> {
    sqlx::query_as(
        "SELECT d.id AS document_id, ad.purpose, d.file_name, d.kind FROM application_documents ad
         JOIN documents d ON d.id = ad.document_id
         WHERE ad.application_id = $1 AND d.deleted_at IS NULL
         ORDER BY CASE ad.purpose WHEN 'pmpk' THEN 1 WHEN 'referral' THEN 2 ELSE 3 END, d.id",
    )
    .bind(application_id)
    .fetch_all(db.pool())
    .await
}

/// When the parent consented to the use of data (unix seconds).
pub async fn consent_at<'c>(
    ex: impl Executor<'c, Database = Any>,
    application_id: i64,
) -> Result<Option<i64>, crate::db::Error> {
    sqlx::query_scalar("SELECT consent_at FROM applications WHERE id = $1")
        .bind(application_id)
        .fetch_optional(ex)
        .await
}
