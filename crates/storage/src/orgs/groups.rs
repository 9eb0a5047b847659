//! The groups of an organization (`org_groups`): what they are for, their capacity and the
//! counters the vacancies and directions move.

use kezek_domain::seats::Seats;
use serde::Serialize;
use sqlx::{AssertSqlSafe, FromRow};

use crate::{Error, Executor, Tx};

pub const GROUP_COLUMNS: &str = "id, organization_id, name, birth_year, age_group, language, kind, correction_type, \
     capacity, enrolled, open_directions, open_vacancies, active";

/// A group with its counters, as stored.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct GroupRow {
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    pub birth_year: i64,
    pub age_group: Option<String>,
    pub language: String,
    pub kind: String,
    pub correction_type: Option<String>,
    pub capacity: i64,
    pub enrolled: i64,
    pub open_directions: i64,
    pub open_vacancies: i64,
    pub active: i64,
}

impl GroupRow {
    pub fn seats(&self) -> Seats {
        Seats {
            capacity: self.capacity,
            enrolled: self.enrolled,
            open_directions: self.open_directions,
            open_vacancies: self.open_vacancies,
        }
    }
}

/// The editable columns of a group.
#[derive(Debug, Clone, Copy)]
pub struct GroupCard<'a> {
    pub name: &'a str,
    pub birth_year: i64,
    pub age_group: Option<&'a str>,
    pub language: &'a str,
    pub kind: &'a str,
    pub correction_type: Option<&'a str>,
    pub capacity: i64,
}

pub async fn by_id(e: impl Executor<'_>, id: i64) -> Result<Option<GroupRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {GROUP_COLUMNS} FROM org_groups WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(e)
    .await
}

/// The groups of one organization, active first, by birth year and name.
pub async fn of_organization(
    e: impl Executor<'_>,
    organization_id: i64,
) -> Result<Vec<GroupRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {GROUP_COLUMNS} FROM org_groups WHERE organization_id = $1
         ORDER BY active DESC, birth_year DESC, name"
    )))
    .bind(organization_id)
    .fetch_all(e)
    .await
}

/// The organization's group of that name, if any.
pub async fn by_name(
    e: impl Executor<'_>,
    organization_id: i64,
    name: &str,
) -> Result<Option<GroupRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {GROUP_COLUMNS} FROM org_groups WHERE organization_id = $1 AND name = $2"
    )))
    .bind(organization_id)
    .bind(name)
    .fetch_optional(e)
    .await
}

/// A new active group; its id.
pub async fn insert(
    tx: &mut Tx,
    organization_id: i64,
    card: &GroupCard<'_>,
    now: i64,
) -> Result<i64, Error> {
    sqlx::query_scalar(
        "INSERT INTO org_groups (organization_id, name, birth_year, age_group, language, kind,
            correction_type, capacity, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)
         RETURNING id",
    )
    .bind(organization_id)
    .bind(card.name)
    .bind(card.birth_year)
    .bind(card.age_group)
    .bind(card.language)
    .bind(card.kind)
    .bind(card.correction_type)
    .bind(card.capacity)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// The group's organization and the places enrolled children, open directions and open
/// vacancies take.
pub async fn organization_and_taken(
    e: impl Executor<'_>,
    id: i64,
) -> Result<Option<(i64, i64)>, Error> {
    sqlx::query_as(
        "SELECT organization_id, enrolled + open_directions + open_vacancies FROM org_groups WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(e)
    .await
}

/// Whether another group of the organization than `id` is named `name`.
pub async fn name_taken(
    e: impl Executor<'_>,
    organization_id: i64,
    name: &str,
    id: i64,
) -> Result<bool, Error> {
    let clash: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM org_groups WHERE organization_id = $1 AND name = $2 AND id <> $3",
    )
    .bind(organization_id)
    .bind(name)
    .bind(id)
    .fetch_one(e)
    .await?;
    Ok(clash > 0)
}

/// Writes the group's card unless its capacity would fall below the places taken; whether it
/// was written.
pub async fn update(
    e: impl Executor<'_>,
    id: i64,
    card: &GroupCard<'_>,
    now: i64,
) -> Result<bool, Error> {
    let done = sqlx::query(
        "UPDATE org_groups SET name = $1, birth_year = $2, age_group = $3, language = $4, kind = $5,
            correction_type = $6, capacity = $7, updated_at = $8
         WHERE id = $9 AND enrolled + open_directions + open_vacancies <= $7",
    )
    .bind(card.name)
    .bind(card.birth_year)
    .bind(card.age_group)
    .bind(card.language)
    .bind(card.kind)
    .bind(card.correction_type)
    .bind(card.capacity)
    .bind(now)
    .bind(id)
    .execute(e)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// The places enrolled children, open directions and open vacancies take in the group.
pub async fn taken(e: impl Executor<'_>, id: i64) -> Result<i64, Error> {
    sqlx::query_scalar(
        "SELECT enrolled + open_directions + open_vacancies FROM org_groups WHERE id = $1",
    )
    .bind(id)
    .fetch_one(e)
    .await
}

/// `RowNotFound` when there is no such group.
pub async fn set_active(tx: &mut Tx, id: i64, active: bool, now: i64) -> Result<(), Error> {
    let done = sqlx::query("UPDATE org_groups SET active = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(active))
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(Error::RowNotFound);
    }
    Ok(())
}

/// Open vacancies per organization of `ids`, over all its groups; organizations without
/// groups are missing.
pub async fn open_vacancies_per_organization(
    e: impl Executor<'_>,
    ids: &[i64],
) -> Result<Vec<(i64, i64)>, Error> {
    // PostgreSQL sums BIGINT into NUMERIC, which the Any driver cannot read as an integer.
    let sql = format!(
        "SELECT organization_id, CAST(SUM(open_vacancies) AS BIGINT) FROM org_groups
         WHERE organization_id IN ({}) GROUP BY organization_id",
        crate::binds(1, ids.len())
    );
    let mut query = sqlx::query_as::<_, (i64, i64)>(AssertSqlSafe(sql));
    for id in ids {
        query = query.bind(*id);
    }
    query.fetch_all(e).await
}
