//! Storage of the reference lists. A code that some row still uses cannot be deleted: those
//! rows would point at nothing. Deactivating it hides it from new choices instead.

use super::{ReferenceError, ReferenceItem, ReferenceKind};
use crate::db::reference as store;
use crate::db::{Db, Executor, Tx};

pub use store::{Usage, usages};

pub async fn list<'c>(
    ex: impl Executor<'c>,
    kind: ReferenceKind,
    include_inactive: bool,
) -> Result<Vec<ReferenceItem>, crate::db::Error> {
    store::list(ex, kind, include_inactive).await
}

pub async fn get<'c>(
    ex: impl Executor<'c>,
    kind: ReferenceKind,
    code: &str,
) -> Result<Option<ReferenceItem>, crate::db::Error> {
    store::get(ex, kind, code).await
}

pub fn valid_code(code: &str) -> bool {
    (1..=40).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The queue order and the age checks read the attribute, so it must be one they understand.
fn valid_attribute(kind: ReferenceKind, attribute: Option<&str>) -> bool {
    match kind {
        ReferenceKind::PrivilegeCategory => {
            matches!(attribute, Some("extraordinary" | "first_priority"))
        }
        ReferenceKind::AgeGroup => attribute
            .and_then(|a| a.split_once('-'))
            .and_then(|(from, to)| Some((from.parse::<u8>().ok()?, to.parse::<u8>().ok()?)))
            .is_some_and(|(from, to)| from < to && to <= 7),
        _ => true,
    }
}

/// Checks an item as an administrator typed it and returns it trimmed.
pub fn validate(item: &ReferenceItem) -> Result<ReferenceItem, ReferenceError> {
    let mut clean = item.clone();
    clean.code = item.code.trim().to_owned();
    if !valid_code(&clean.code) {
        return Err(ReferenceError::Code);
    }
    for name in [&mut clean.name_kk, &mut clean.name_ru, &mut clean.name_en] {
        *name = name.trim().to_owned();
        if name.is_empty() {
            return Err(ReferenceError::Name);
        }
    }
    clean.attribute = item
        .attribute
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned);
    if !valid_attribute(clean.kind, clean.attribute.as_deref()) {
        return Err(ReferenceError::Attribute);
    }
    clean.active = i64::from(item.active != 0);
    Ok(clean)
}

/// Inserts the item, or updates the one with the same kind and code.
pub async fn save<'c>(ex: impl Executor<'c>, item: &ReferenceItem) -> Result<(), ReferenceError> {
    let item = validate(item)?;
    store::upsert(ex, &item).await?;
    Ok(())
}

/// Deletes an unused item in its own transaction.
pub async fn delete(db: &Db, kind: ReferenceKind, code: &str) -> Result<(), ReferenceError> {
    let mut tx = db.begin().await?;
    delete_in(&mut tx, kind, code).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes an unused item inside the caller's transaction (so the caller can audit it there).
pub async fn delete_in(tx: &mut Tx, kind: ReferenceKind, code: &str) -> Result<(), ReferenceError> {
    if get(&mut **tx, kind, code).await?.is_none() {
        return Err(ReferenceError::NotFound);
    }
    for usage in usages(kind) {
        if store::uses(&mut **tx, usage, code).await? > 0 {
            return Err(ReferenceError::InUse);
        }
    }
    store::delete(&mut **tx, kind, code).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: ReferenceKind, code: &str, attribute: Option<&str>) -> ReferenceItem {
        ReferenceItem {
            kind,
            code: code.into(),
            name_kk: " Атауы ".into(),
            name_ru: "Название".into(),
            name_en: "Name".into(),
            position: 1,
            attribute: attribute.map(Into::into),
            active: 1,
        }
    }

    #[test]
    fn codes_are_short_lowercase_identifiers() {
        assert!(valid_code("delayed_development"));
        assert!(valid_code("kk"));
        assert!(!valid_code(""));
        assert!(!valid_code("Kazakh"));
        assert!(!valid_code("a-b"));
        assert!(!valid_code("қаз"));
        assert!(!valid_code(&"a".repeat(41)));
    }

    #[test]
    fn validation_trims_and_checks_names() {
        let clean = validate(&item(ReferenceKind::Language, " uz ", Some(" "))).unwrap();
        assert_eq!(clean.code, "uz");
        assert_eq!(clean.name_kk, "Атауы");
        assert_eq!(clean.attribute, None);
        let mut nameless = item(ReferenceKind::Language, "uz", None);
        nameless.name_en = "  ".into();
        assert!(matches!(validate(&nameless), Err(ReferenceError::Name)));
        assert!(matches!(
            validate(&item(ReferenceKind::Language, "U Z", None)),
            Err(ReferenceError::Code)
        ));
    }

    #[test]
    fn attributes_the_queue_reads_are_checked() {
        use ReferenceKind::*;
        assert!(validate(&item(PrivilegeCategory, "a", Some("extraordinary"))).is_ok());
        assert!(validate(&item(PrivilegeCategory, "a", Some("first_priority"))).is_ok());
        assert!(validate(&item(PrivilegeCategory, "a", None)).is_err());
        assert!(validate(&item(PrivilegeCategory, "a", Some("urgent"))).is_err());
        assert!(validate(&item(AgeGroup, "a", Some("1-2"))).is_ok());
        assert!(validate(&item(AgeGroup, "a", Some("3-2"))).is_err());
        assert!(validate(&item(AgeGroup, "a", Some("1-9"))).is_err());
        assert!(validate(&item(AgeGroup, "a", Some("young"))).is_err());
        assert!(validate(&item(AgeGroup, "a", None)).is_err());
    }

    #[test]
    fn every_kind_round_trips_and_has_a_message() {
        for kind in ReferenceKind::ALL {
            assert_eq!(ReferenceKind::parse(kind.as_str()), Some(kind));
            assert!(kind.message_key().starts_with("reference-kind-"));
        }
        assert_eq!(ReferenceKind::parse("colour"), None);
        assert!(usages(ReferenceKind::Language).iter().any(|u| u.list));
    }
}
