//! Drafts of "Добавить заявление": what a parent had filled in (values and already-uploaded
//! document ids) when they left the form for "Добавить ребенка", kept under the form's
//! submission key so the form can come back exactly as it was. A draft is read only by the
//! parent who saved it; drafts older than a week may be purged.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::db::Db;

/// How long a draft is worth keeping.
pub const MAX_AGE_SECS: i64 = 7 * 86_400;

/// The longest submission key a draft is stored under.
const MAX_KEY_LEN: usize = 128;

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

/// Saves (or replaces) the parent's draft under `key`. A key already holding another parent's
/// draft is refused with [`DraftError::Key`] and that draft is left untouched.
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
    let saved =
        crate::db::applications::drafts::save(db.pool(), parent_user_id, key, json, now).await?;
    if saved == 0 {
        return Err(DraftError::Key);
    }
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
