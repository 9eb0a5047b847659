//! Storage of the reference lists. A code that some row still uses cannot be deleted: those
//! rows would point at nothing. Deactivating it hides it from new choices instead.

use sqlx::{Any, AssertSqlSafe, Executor};

use super::{ReferenceError, ReferenceItem, ReferenceKind};
use crate::db::{Db, Tx};

const COLUMNS: &str = "kind, code, name_kk, name_ru, name_en, position, attribute, active";

/// A column that holds codes of one reference kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub table: &'static str,
    pub column: &'static str,
    /// The column holds a comma-separated list of codes rather than one code.
    pub list: bool,
}

const fn one(table: &'static str, column: &'static str) -> Usage {
    Usage {
        table,
        column,
        list: false,
    }
}

const LANGUAGE_USAGES: [Usage; 2] = [
    one("org_groups", "language"),
    Usage {
        table: "organizations",
        column: "languages",
        list: true,
    },
];
const CORRECTION_TYPE_USAGES: [Usage; 1] = [one("org_groups", "correction_type")];
const AGE_GROUP_USAGES: [Usage; 1] = [one("org_groups", "age_group")];
const NATIONALITY_USAGES: [Usage; 1] = [one("children", "nationality")];

/// Every column that refers to a kind's codes. A new table that stores such codes (children's
/// nationality, applications' privilege category…) must be added here, or deleting a code
/// would leave it dangling.
pub fn usages(kind: ReferenceKind) -> &'static [Usage] {
    match kind {
        ReferenceKind::Language => &LANGUAGE_USAGES,
        ReferenceKind::CorrectionType => &CORRECTION_TYPE_USAGES,
        ReferenceKind::AgeGroup => &AGE_GROUP_USAGES,
        ReferenceKind::Nationality => &NATIONALITY_USAGES,
        ReferenceKind::PrivilegeCategory => &[],
    }
}

pub async fn list<'c>(
    ex: impl Executor<'c, Database = Any>,
    kind: ReferenceKind,
    include_inactive: bool,
) -> Result<Vec<ReferenceItem>, crate::db::Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM reference_items WHERE kind = $1 AND (active = 1 OR $2 = 1)
         ORDER BY position, code"
    )))
    .bind(kind.as_str())
    .bind(i64::from(include_inactive))
    .fetch_all(ex)
    .await
}

pub async fn get<'c>(
    ex: impl Executor<'c, Database = Any>,
    kind: ReferenceKind,
    code: &str,
) -> Result<Option<ReferenceItem>, crate::db::Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM reference_items WHERE kind = $1 AND code = $2"
    )))
    .bind(kind.as_str())
    .bind(code)
    .fetch_optional(ex)
    .await
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
pub async fn save<'c>(
    ex: impl Executor<'c, Database = Any>,
    item: &ReferenceItem,
) -> Result<(), ReferenceError> {
    let item = validate(item)?;
    sqlx::query(
        "INSERT INTO reference_items (kind, code, name_kk, name_ru, name_en, position, attribute, active)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (kind, code) DO UPDATE SET name_kk = excluded.name_kk, name_ru = excluded.name_ru,
            name_en = excluded.name_en, position = excluded.position, attribute = excluded.attribute,
            active = excluded.active",
    )
    .bind(item.kind.as_str())
    .bind(&item.code)
    .bind(&item.name_kk)
    .bind(&item.name_ru)
    .bind(&item.name_en)
    .bind(item.position)
    .bind(item.attribute.as_deref())
    .bind(item.active)
    .execute(ex)
    .await?;
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
    // `_` is a LIKE wildcard and codes may contain it.
    let pattern = format!("%,{},%", code.replace('_', "\\_"));
    for usage in usages(kind) {
        let (condition, value) = if usage.list {
            let column = format!("',' || REPLACE({}, ' ', '') || ','", usage.column);
            (format!("{column} LIKE $1 ESCAPE '\\'"), pattern.as_str())
        } else {
            (format!("{} = $1", usage.column), code)
        };
        let used: i64 = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {} WHERE {condition}",
            usage.table
        )))
        .bind(value)
        .fetch_one(&mut **tx)
        .await?;
        if used > 0 {
            return Err(ReferenceError::InUse);
        }
    }
    sqlx::query("DELETE FROM reference_items WHERE kind = $1 AND code = $2")
        .bind(kind.as_str())
        .bind(code)
        .execute(&mut **tx)
        .await?;
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
