//! The catalog's two reads of a KATO range: its active organizations, and their active groups.

use sqlx::FromRow;

use crate::{Error, Executor};

/// An active organization with its locality's names.
#[derive(Debug, Clone, FromRow)]
pub struct OrganizationRow {
    pub id: i64,
    pub bin: String,
    pub name_kk: String,
    pub name_ru: String,
    pub address: String,
    pub kato: String,
    pub locality_kk: Option<String>,
    pub locality_ru: Option<String>,
    pub ownership: String,
    pub languages: Option<String>,
}

/// What an active group of an active organization offers.
#[derive(Debug, Clone, FromRow)]
pub struct GroupRow {
    pub organization_id: i64,
    pub language: String,
    pub kind: String,
    pub correction_type: Option<String>,
    pub open_vacancies: i64,
}

pub async fn organizations(
    e: impl Executor<'_>,
    low: &str,
    high: &str,
) -> Result<Vec<OrganizationRow>, Error> {
    sqlx::query_as(
        "SELECT o.id, o.bin, o.name_kk, o.name_ru, o.address, o.kato, k.name_kk AS locality_kk,
                k.name_ru AS locality_ru, o.ownership, o.languages
         FROM organizations o LEFT JOIN kato k ON k.code = o.kato
         WHERE o.active = 1 AND o.kato >= $1 AND o.kato <= $2",
    )
    .bind(low)
    .bind(high)
    .fetch_all(e)
    .await
}

pub async fn groups(e: impl Executor<'_>, low: &str, high: &str) -> Result<Vec<GroupRow>, Error> {
    sqlx::query_as(
        "SELECT g.organization_id, g.language, g.kind, g.correction_type, g.open_vacancies
         FROM org_groups g JOIN organizations o ON o.id = g.organization_id
         WHERE g.active = 1 AND o.active = 1 AND o.kato >= $1 AND o.kato <= $2",
    )
    .bind(low)
    .bind(high)
    .fetch_all(e)
    .await
}
