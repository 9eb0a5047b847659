//! Drafts of "Добавить заявление": what a parent had filled in (values and already-uploaded
//! document ids) when they left the form for "Добавить ребенка", kept under the form's
//! submission key so the form can come back exactly as it was. A draft is read only by the
//! parent who saved it; drafts older than a week may be purged. A draft is bounded (each value,
//! the number of values, the whole) and a parent keeps a bounded number of them, so a draft
//! cannot fill the database.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::db::{Backend, Db};
use crate::domain::application::MAX_PRIVILEGE_DOCUMENTS;

/// How long a draft is worth keeping.
pub const MAX_AGE_SECS: i64 = 7 * 86_400;

/// The longest submission key a draft is stored under.
const MAX_KEY_LEN: usize = 128;

/// The longest value one field of the form may hold, in bytes. The form's longest real values
/// (a ПМПК conclusion's number, a KATO code, an id) are a few dozen characters; 2 KiB is a
/// thousand Cyrillic letters.
pub const MAX_FIELD_BYTES: usize = 2 * 1024;
/// The longest field name kept (the form's own are short: `pmpk_expires`, `org_10`).
pub const MAX_NAME_BYTES: usize = 64;
/// How many values a draft holds at most: the form has about twenty and a slot per preferred
/// organization.
pub const MAX_FIELDS: usize = 64;
/// The whole draft as stored (JSON), in bytes.
pub const MAX_DRAFT_BYTES: usize = 16 * 1024;
/// How many drafts one parent keeps: each "Добавить ребенка" from a new form makes one, and
/// a parent rarely has more than a couple of forms open; saving one more drops the oldest.
pub const MAX_DRAFTS_PER_PARENT: i64 = 10;

/// What the form held: its plain values by name and the documents it carried.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    #[serde(default)]
    pub pmpk_document: Option<i64>,
    #[serde(default)]
    pub referral_document: Option<i64>,
    #[serde(default)]
    pub privilege_documents: Vec<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    /// The key is not one a form of ours makes, or another parent's draft holds it.
    #[error("the submission key cannot hold a draft")]
    Key,
    /// Over one of the limits above; nothing was stored.
    #[error("the draft is larger than allowed")]
    TooLarge,
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Database(#[from] crate::db::Error),
}

/// Whether `key` looks like a submission key: short, letters, digits, `-` and `_` only (it
/// travels in addresses).
pub fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether `draft` keeps within the limits: each value, each name, how many there are, the
/// documents it carries, and its stored size.
pub fn within_limits(draft: &Draft, json: &str) -> bool {
    draft.values.len() <= MAX_FIELDS
        && draft
            .values
            .iter()
            .all(|(name, value)| name.len() <= MAX_NAME_BYTES && value.len() <= MAX_FIELD_BYTES)
        && draft.privilege_documents.len() <= MAX_PRIVILEGE_DOCUMENTS
        && json.len() <= MAX_DRAFT_BYTES
}

/// Saves (or replaces) the parent's draft under `key`. A key already holding another parent's
/// draft is refused with [`DraftError::Key`] and that draft is left untouched; a draft over the
/// limits with [`DraftError::TooLarge`]. Beyond [`MAX_DRAFTS_PER_PARENT`] the parent's oldest
/// drafts go.
pub async fn save(
    db: &Db,
    parent_user_id: i64,
    key: &str,
    draft: &Draft,
    now: i64,
) -> Result<(), DraftError> {
    if !valid_key(key) {
        return Err(DraftError::Key);
    }
    let json = serde_json::to_string(draft)?;
    if !within_limits(draft, &json) {
        return Err(DraftError::TooLarge);
    }
    let mut tx = db.begin().await?;
    if db.backend() == Backend::Postgres {
        // Two saves of one parent at once must not both leave an extra draft behind.
        // (SQLite's BEGIN IMMEDIATE already lets one writer in at a time.)
        crate::db::documents::lock_owner(&mut *tx, parent_user_id).await?;
    }
    let saved =
        crate::db::applications::drafts::save(&mut *tx, parent_user_id, key, json, now).await?;
    if saved == 0 {
        return Err(DraftError::Key);
    }
    crate::db::applications::drafts::keep_newest(
        &mut *tx,
        parent_user_id,
        key,
        MAX_DRAFTS_PER_PARENT - 1,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The parent's own draft under `key`; another parent's is as absent as a missing one. A draft
/// that no longer reads (a changed shape) is treated as absent too.
pub async fn load(
    db: &Db,
    parent_user_id: i64,
    key: &str,
) -> Result<Option<Draft>, crate::db::Error> {
    if !valid_key(key) {
        return Ok(None);
    }
    let json = crate::db::applications::drafts::load(db.pool(), parent_user_id, key).await?;
    Ok(json.and_then(|j| {
        serde_json::from_str(&j)
            .inspect_err(|e| tracing::warn!(error = %e, "an application draft does not read"))
            .ok()
    }))
}

/// Deletes drafts older than [`MAX_AGE_SECS`]; returns how many.
pub async fn purge_old(db: &Db, now: i64) -> Result<u64, crate::db::Error> {
    crate::db::applications::drafts::purge_before(db.pool(), now - MAX_AGE_SECS).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_short_keys_hold_drafts() {
        assert!(valid_key(&"a1".repeat(32)));
        assert!(valid_key("key-1_x"));
        for bad in ["", "a b", "a/b", "a&child=1", "ключ", &"a".repeat(129)] {
            assert!(!valid_key(bad), "{bad:?}");
        }
    }

    #[test]
    fn drafts_keep_within_their_limits() {
        let fits = |draft: &Draft| within_limits(draft, &serde_json::to_string(draft).unwrap());
        let mut draft = Draft::default();
        draft
            .values
            .insert("pmpk_number".into(), "я".repeat(MAX_FIELD_BYTES / 2));
        assert!(fits(&draft));
        draft
            .values
            .insert("pmpk_number".into(), "a".repeat(MAX_FIELD_BYTES + 1));
        assert!(!fits(&draft), "one value too long");
        let mut many = Draft::default();
        for n in 0..=MAX_FIELDS {
            many.values.insert(format!("f{n}"), String::new());
        }
        assert!(!fits(&many), "too many values");
        let mut big = Draft::default();
        for n in 0..10 {
            big.values
                .insert(format!("f{n}"), "a".repeat(MAX_FIELD_BYTES));
        }
        assert!(!fits(&big), "the whole too large");
        let papers = Draft {
            privilege_documents: (0..=MAX_PRIVILEGE_DOCUMENTS as i64).collect(),
            ..Draft::default()
        };
        assert!(!fits(&papers), "too many documents");
    }

    #[test]
    fn drafts_read_back_and_tolerate_missing_parts() {
        let mut draft = Draft {
            pmpk_document: Some(7),
            privilege_documents: vec![8, 9],
            ..Draft::default()
        };
        draft.values.insert("pmpk_number".into(), "ПМПК-1".into());
        let json = serde_json::to_string(&draft).unwrap();
        assert_eq!(serde_json::from_str::<Draft>(&json).unwrap(), draft);
        assert_eq!(
            serde_json::from_str::<Draft>("{}").unwrap(),
            Draft::default()
        );
    }
}
