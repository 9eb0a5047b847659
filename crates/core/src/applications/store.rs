//! Applications, their preferred organizations, attached documents and history: the
//! statements are in `db::applications`; here the rows are shaped for the pages and the form's
//! input becomes the new row.

use std::collections::HashMap;

use serde_json::Value;

use super::ApplicationInput;
use crate::db::applications as db;
use crate::db::{Conn, Db, Executor, Tx};
use crate::orgs::GroupKind;
use crate::queue::QueueKey;

pub use db::{AttachedDocumentRow, EventRow, PreferenceRow, SuitableOrganization};

/// An application as the pages read it; its status and verification states are the domain's
/// enums (an unknown stored code fails to decode).
pub use db::ApplicationRow;

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
    let row = db::NewApplication {
        child_id: input.child_id,
        parent_user_id: parent,
        kind: input.kind.as_str(),
        correction_type: input.correction_type.as_deref(),
        language: &input.language,
        region_code,
        kato: &input.kato,
        active_key: active_key(input),
        submission_key: &input.submission_key,
        pmpk_number: correctional.then(|| pmpk.number.trim().to_owned()),
        pmpk_date: ymd(pmpk.date).filter(|_| correctional),
        pmpk_expires: ymd(pmpk.expires).filter(|_| correctional),
        pmpk_verification: pending(correctional),
        referral_verification: pending(input.kind == GroupKind::Sanatorium),
        privilege_category: input.privilege.as_ref().map(|p| p.category.clone()),
        privilege_verification: pending(input.privilege.is_some()),
        now,
    };
    db::insert(&mut **tx, &row).await
}

/// Sets the public number and stores the preferences and attached documents.
pub async fn finish_insert(
    tx: &mut Tx,
    id: i64,
    number: &str,
    input: &ApplicationInput,
) -> Result<(), crate::db::Error> {
    db::set_number(&mut **tx, id, number).await?;
    for (position, organization_id) in input.organization_ids.iter().enumerate() {
        db::add_preference(&mut **tx, id, position as i64 + 1, *organization_id).await?;
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
    // A paper listed twice is attached once (and `1,2,1` is no primary-key violation).
    let privilege = input
        .privilege
        .as_ref()
        .map(|p| crate::domain::application::unique_in_order(&p.document_ids))
        .unwrap_or_default();
    for doc in privilege {
        documents.push((doc, "privilege"));
    }
    for (document_id, purpose) in documents {
        db::attach_document(&mut **tx, id, document_id, purpose).await?;
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
    db::record_event(
        &mut **tx,
        application_id,
        at,
        actor,
        event,
        detail.to_string(),
    )
    .await
}

/// Of `statuses` (codes the register of individuals records for a child), those that are active
/// first-priority categories of the reference list, in the register's order.
pub async fn first_priority_categories<'c>(
    ex: impl Executor<'c>,
    statuses: &[String],
) -> Result<Vec<String>, crate::db::Error> {
    if statuses.is_empty() {
        return Ok(Vec::new());
    }
    let known = db::first_priority_codes(ex).await?;
    Ok(statuses
        .iter()
        .filter(|s| known.contains(s))
        .cloned()
        .collect())
}

/// A verified first-priority status found in the register: the application counts as
/// first-priority at once (an extraordinary category, verified, is never lowered).
pub async fn apply_first_priority(tx: &mut Tx, id: i64, now: i64) -> Result<(), crate::db::Error> {
    db::apply_first_priority(&mut **tx, id, now).await
}

/// The register's statuses applied to an application when it was filed (the
/// `registry_status_applied` event), for the derived social status.
pub async fn registry_statuses_of(
    db: &Db,
    application_id: i64,
) -> Result<Vec<String>, crate::db::Error> {
    let detail = db::registry_status_detail(db.pool(), application_id).await?;
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
    ex: impl Executor<'c>,
    parent: i64,
    key: &str,
) -> Result<Option<i64>, crate::db::Error> {
    db::by_submission_key(ex, parent, key).await
}

/// A parent's application; another parent's (or a missing one) is `None`.
pub async fn of_parent<'c>(
    ex: impl Executor<'c>,
    parent: i64,
    id: i64,
) -> Result<Option<ApplicationRow>, crate::db::Error> {
    db::of_parent(ex, parent, id).await
}

/// A parent's applications of one group type with their queue keys, newest first, deleted ones
/// left out.
pub async fn listed_for_parent<'c>(
    ex: impl Executor<'c>,
    parent: i64,
    kind: GroupKind,
) -> Result<Vec<(ApplicationRow, QueueKey)>, crate::db::Error> {
    db::listed_for_parent(ex, parent, kind.as_str()).await
}

/// The preferred organizations of each of `ids` (those that list any), in the order listed: one
/// statement per `ROWS_PER_STATEMENT` applications.
pub async fn preferences_of_all(
    conn: &mut Conn,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<PreferenceRow>>, crate::db::Error> {
    db::preferences_of_all(conn, ids).await
}

pub async fn events_of(db: &Db, application_id: i64) -> Result<Vec<EventRow>, crate::db::Error> {
    db::events_of(db.pool(), application_id).await
}

/// Leaves the queue: the status changes and the active key is released (a new application of
/// the same type may be filed later).
pub async fn set_deleted(tx: &mut Tx, id: i64, now: i64) -> Result<(), crate::db::Error> {
    db::set_deleted(&mut **tx, id, now).await
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
    db::suitable_organizations(
        db.pool(),
        format!("{kato_prefix}%"),
        kind.as_str(),
        correction_type,
        birth_year,
    )
    .await
}

/// The documents attached to an application (ПМПК conclusion, referral, privilege evidence),
/// in the order of purpose and upload; deleted documents are left out.
pub async fn documents_of(
    db: &Db,
    application_id: i64,
) -> Result<Vec<AttachedDocumentRow>, crate::db::Error> {
    db::documents_of(db.pool(), application_id).await
}

/// When the parent consented to the use of data (unix seconds).
pub async fn consent_at<'c>(
    ex: impl Executor<'c>,
    application_id: i64,
) -> Result<Option<i64>, crate::db::Error> {
    db::consent_at(ex, application_id).await
}
