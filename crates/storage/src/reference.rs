//! Reference data: the entries of the reference lists (`reference_items`), the columns that
//! use their codes, and the KATO classifier.

use kezek_domain::Kato;
use kezek_domain::reference::ReferenceKind;
use serde::Serialize;
use sqlx::{AssertSqlSafe, FromRow};

use crate::{Error, Executor};

/// One entry of a reference list.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, Serialize)]
pub struct ReferenceItem {
    #[sqlx(try_from = "String")]
    pub kind: ReferenceKind,
    pub code: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub position: i64,
    /// privilege_category: `extraordinary` or `first_priority`; age_group: `from-to` years.
    pub attribute: Option<String>,
    pub active: i64,
}

impl ReferenceItem {
    /// The name in the interface language; Russian for anything unknown.
    pub fn name(&self, lang: &str) -> &str {
        match lang {
            "kk" => &self.name_kk,
            "en" => &self.name_en,
            _ => &self.name_ru,
        }
    }
}

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

pub async fn list(
    e: impl Executor<'_>,
    kind: ReferenceKind,
    include_inactive: bool,
) -> Result<Vec<ReferenceItem>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM reference_items WHERE kind = $1 AND (active = 1 OR $2 = 1)
         ORDER BY position, code"
    )))
    .bind(kind.as_str())
    .bind(i64::from(include_inactive))
    .fetch_all(e)
    .await
}

pub async fn get(
    e: impl Executor<'_>,
    kind: ReferenceKind,
    code: &str,
) -> Result<Option<ReferenceItem>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM reference_items WHERE kind = $1 AND code = $2"
    )))
    .bind(kind.as_str())
    .bind(code)
    .fetch_optional(e)
    .await
}

/// Inserts the item, or updates the one with the same kind and code.
pub async fn upsert(e: impl Executor<'_>, item: &ReferenceItem) -> Result<(), Error> {
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
    .execute(e)
    .await?;
    Ok(())
}

/// How many rows of `usage`'s table hold `code` in its column.
pub async fn uses(e: impl Executor<'_>, usage: &Usage, code: &str) -> Result<i64, Error> {
    // `_` is a LIKE wildcard and codes may contain it.
    let pattern = format!("%,{},%", code.replace('_', "\\_"));
    let (condition, value) = if usage.list {
        let column = format!("',' || REPLACE({}, ' ', '') || ','", usage.column);
        (format!("{column} LIKE $1 ESCAPE '\\'"), pattern.as_str())
    } else {
        (format!("{} = $1", usage.column), code)
    };
    sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM {} WHERE {condition}",
        usage.table
    )))
    .bind(value)
    .fetch_one(e)
    .await
}

pub async fn delete(e: impl Executor<'_>, kind: ReferenceKind, code: &str) -> Result<(), Error> {
    sqlx::query("DELETE FROM reference_items WHERE kind = $1 AND code = $2")
        .bind(kind.as_str())
        .bind(code)
        .execute(e)
        .await?;
    Ok(())
}

const KATO_COLUMNS: &str = "code, parent_code, level, name_kk, name_ru";

/// A unit of the classifier (region, district, rural district or town, settlement).
#[derive(Debug, Clone, PartialEq, Eq, FromRow, Serialize)]
pub struct KatoUnit {
    pub code: String,
    pub parent_code: Option<String>,
    pub level: i64,
    pub name_kk: String,
    pub name_ru: String,
}

impl KatoUnit {
    /// The classifier has Kazakh and Russian names only; everyone else reads Russian.
    pub fn name(&self, lang: &str) -> &str {
        kezek_domain::Names::new(&self.name_kk, &self.name_ru, None).get(lang)
    }
}

pub async fn kato_unit(e: impl Executor<'_>, code: &str) -> Result<Option<KatoUnit>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {KATO_COLUMNS} FROM kato WHERE code = $1"
    )))
    .bind(code)
    .fetch_optional(e)
    .await
}

/// The units directly under `parent_code`, by code.
pub async fn kato_children(
    e: impl Executor<'_>,
    parent_code: &str,
) -> Result<Vec<KatoUnit>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {KATO_COLUMNS} FROM kato WHERE parent_code = $1 ORDER BY code"
    )))
    .bind(parent_code)
    .fetch_all(e)
    .await
}

/// The regions and cities of republican significance, by code.
pub async fn kato_regions(e: impl Executor<'_>) -> Result<Vec<KatoUnit>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {KATO_COLUMNS} FROM kato WHERE level = 1 ORDER BY code"
    )))
    .fetch_all(e)
    .await
}

/// The name of a unit in Kazakh and Russian.
pub async fn kato_names(
    e: impl Executor<'_>,
    code: &str,
) -> Result<Option<(String, String)>, Error> {
    sqlx::query_as("SELECT name_kk, name_ru FROM kato WHERE code = $1")
        .bind(code)
        .fetch_optional(e)
        .await
}

/// Every code of the classifier.
pub async fn kato_codes(e: impl Executor<'_>) -> Result<Vec<String>, Error> {
    sqlx::query_scalar("SELECT code FROM kato")
        .fetch_all(e)
        .await
}

/// Inserts a unit or renames and re-parents the one with its code.
pub async fn upsert_kato(
    e: impl Executor<'_>,
    code: &Kato,
    name_kk: &str,
    name_ru: &str,
    now: i64,
) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO kato (code, parent_code, level, name_kk, name_ru, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (code) DO UPDATE SET parent_code = excluded.parent_code,
                level = excluded.level, name_kk = excluded.name_kk, name_ru = excluded.name_ru,
                updated_at = excluded.updated_at",
    )
    .bind(code.as_str())
    .bind(code.parent().map(|p| p.to_string()))
    .bind(i64::from(code.level()))
    .bind(name_kk)
    .bind(name_ru)
    .bind(now)
    .execute(e)
    .await?;
    Ok(())
}
