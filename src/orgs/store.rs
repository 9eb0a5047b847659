//! Storage of organizations and groups.

use sqlx::{Any, Executor};

use super::{Group, Organization};

pub const ORGANIZATION_COLUMNS: &str = "id, bin, name_kk, name_ru, kato, address, phone, email, website, ownership, \
     latitude, longitude, working_hours, languages, description, head_name, active";

pub const GROUP_COLUMNS: &str = "id, organization_id, name, birth_year, age_group, language, kind, correction_type, \
     capacity, enrolled, open_directions, open_vacancies, active";

pub async fn organization<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
) -> Result<Option<Organization>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORGANIZATION_COLUMNS} FROM organizations WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await
}

pub async fn organization_by_bin<'c>(
    ex: impl Executor<'c, Database = Any>,
    bin: &str,
) -> Result<Option<Organization>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORGANIZATION_COLUMNS} FROM organizations WHERE bin = $1"
    )))
    .bind(bin)
    .fetch_optional(ex)
    .await
}

pub async fn group<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
) -> Result<Option<Group>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {GROUP_COLUMNS} FROM org_groups WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// The groups of one organization, active first, by birth year and name.
pub async fn groups_of<'c>(
    ex: impl Executor<'c, Database = Any>,
    organization_id: i64,
) -> Result<Vec<Group>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {GROUP_COLUMNS} FROM org_groups WHERE organization_id = $1
         ORDER BY active DESC, birth_year DESC, name"
    )))
    .bind(organization_id)
    .fetch_all(ex)
    .await
}
