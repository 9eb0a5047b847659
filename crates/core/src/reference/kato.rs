//! Reading the KATO classifier as stored: units, their children, the regions, names.

use serde::Serialize;
use sqlx::{Any, AssertSqlSafe, Executor, FromRow};

const COLUMNS: &str = "code, parent_code, level, name_kk, name_ru";

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
        crate::domain::Names::new(&self.name_kk, &self.name_ru, None).get(lang)
    }
}

pub async fn kato_unit<'c>(
    ex: impl Executor<'c, Database = Any>,
    code: &str,
) -> Result<Option<KatoUnit>, crate::db::Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM kato WHERE code = $1"
    )))
    .bind(code)
    .fetch_optional(ex)
    .await
}

/// The units directly under `parent_code`, by code.
pub async fn kato_children<'c>(
    ex: impl Executor<'c, Database = Any>,
    parent_code: &str,
) -> Result<Vec<KatoUnit>, crate::db::Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM kato WHERE parent_code = $1 ORDER BY code"
    )))
    .bind(parent_code)
    .fetch_all(ex)
    .await
}

/// The regions and cities of republican significance, by code (`domain::REGIONS` has the
/// display order).
pub async fn kato_regions<'c>(
    ex: impl Executor<'c, Database = Any>,
) -> Result<Vec<KatoUnit>, crate::db::Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM kato WHERE level = 1 ORDER BY code"
    )))
    .fetch_all(ex)
    .await
}

pub async fn kato_name<'c>(
    ex: impl Executor<'c, Database = Any>,
    code: &str,
    lang: &str,
) -> Result<Option<String>, crate::db::Error> {
    Ok(kato_unit(ex, code)
        .await?
        .map(|unit| unit.name(lang).to_owned()))
}
