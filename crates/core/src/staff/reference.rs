//! Administrators' edits of the reference lists, each recorded in the audit log in the same
//! transaction as the change itself.

use serde_json::json;

use super::Actor;
use crate::audit::{self};
use crate::db::{Db, Tx};
use crate::reference::{self, ReferenceError, ReferenceItem, ReferenceKind, items};

#[derive(Debug, thiserror::Error)]
pub enum ReferenceEditError {
    /// "Add" never overwrites: an existing code is edited on its own page.
    #[error("the code already exists")]
    Exists,
    #[error(transparent)]
    Reference(#[from] ReferenceError),
}

impl From<crate::db::Error> for ReferenceEditError {
    fn from(e: crate::db::Error) -> Self {
        ReferenceEditError::Reference(e.into())
    }
}

impl ReferenceEditError {
    pub fn message_key(&self) -> &'static str {
        match self {
            ReferenceEditError::Exists => "admin-reference-error-exists",
            ReferenceEditError::Reference(e) => e.message_key(),
        }
    }
}

fn subject(kind: ReferenceKind, code: &str) -> String {
    format!("{}:{code}", kind.as_str())
}

async fn record(
    tx: &mut Tx,
    actor: &Actor,
    now: i64,
    action: &str,
    subject: &str,
    before: Option<&ReferenceItem>,
    after: Option<&ReferenceItem>,
) -> Result<(), crate::db::Error> {
    let detail = json!({ "before": before, "after": after });
    audit::record_by(tx, actor, now, action, subject, detail).await
}

/// Adds a new item; an existing code is refused.
pub async fn add(
    db: &Db,
    actor: &Actor,
    item: &ReferenceItem,
    now: i64,
) -> Result<(), ReferenceEditError> {
    save(db, actor, item, now, false).await
}

/// Changes an existing item (its kind and code stay).
pub async fn update(
    db: &Db,
    actor: &Actor,
    item: &ReferenceItem,
    now: i64,
) -> Result<(), ReferenceEditError> {
    save(db, actor, item, now, true).await
}

async fn save(
    db: &Db,
    actor: &Actor,
    item: &ReferenceItem,
    now: i64,
    existing: bool,
) -> Result<(), ReferenceEditError> {
    let item = items::validate(item)?;
    let mut tx = db.begin().await?;
    let before = reference::get(&mut *tx, item.kind, &item.code).await?;
    match (&before, existing) {
        (Some(_), false) => return Err(ReferenceEditError::Exists),
        (None, true) => return Err(ReferenceError::NotFound.into()),
        (Some(b), true) if *b == item => return Ok(()),
        _ => {}
    }
    reference::save(&mut *tx, &item).await?;
    let subject = subject(item.kind, &item.code);
    record(
        &mut tx,
        actor,
        now,
        "reference.saved",
        &subject,
        before.as_ref(),
        Some(&item),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes an item no row uses; a code in use is refused (it can be made inactive instead).
pub async fn delete(
    db: &Db,
    actor: &Actor,
    kind: ReferenceKind,
    code: &str,
    now: i64,
) -> Result<(), ReferenceError> {
    let mut tx = db.begin().await?;
    let before = reference::get(&mut *tx, kind, code)
        .await?
        .ok_or(ReferenceError::NotFound)?;
    reference::delete_in(&mut tx, kind, code).await?;
    record(
        &mut tx,
        actor,
        now,
        "reference.deleted",
        &subject(kind, code),
        Some(&before),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
