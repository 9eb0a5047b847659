//! The children parents add by IIN (one parent per IIN, watched by a UNIQUE index).

use sqlx::{AssertSqlSafe, FromRow};

use crate::{Error, Executor};

/// A child as stored; the birth date and sex are decoded by the caller.
#[derive(Debug, Clone, FromRow)]
pub struct ChildRow {
    pub id: i64,
    pub parent_user_id: i64,
    pub iin: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: String,
    pub sex: String,
    pub nationality: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const CHILD_COLUMNS: &str = "SELECT id, parent_user_id, iin, last_name, first_name, middle_name, \
     birth_date, sex, nationality, created_at, updated_at FROM children";

/// The children of a parent, in the order they were added.
pub async fn of_parent(e: impl Executor<'_>, parent_user_id: i64) -> Result<Vec<ChildRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{CHILD_COLUMNS} WHERE parent_user_id = $1 ORDER BY id"
    )))
    .bind(parent_user_id)
    .fetch_all(e)
    .await
}

/// One child, only if it belongs to this parent.
pub async fn of_parent_by_id(
    e: impl Executor<'_>,
    parent_user_id: i64,
    child_id: i64,
) -> Result<Option<ChildRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "{CHILD_COLUMNS} WHERE id = $1 AND parent_user_id = $2"
    )))
    .bind(child_id)
    .bind(parent_user_id)
    .fetch_optional(e)
    .await
}

/// The parent the child with this IIN belongs to.
pub async fn owner_of(e: impl Executor<'_>, iin: &str) -> Result<Option<i64>, Error> {
    sqlx::query_scalar("SELECT parent_user_id FROM children WHERE iin = $1")
        .bind(iin)
        .fetch_optional(e)
        .await
}

/// The applicant account whose own IIN this is.
pub async fn applicant_with_iin(e: impl Executor<'_>, iin: &str) -> Result<Option<i64>, Error> {
    sqlx::query_scalar("SELECT user_id FROM applicants WHERE iin = $1")
        .bind(iin)
        .fetch_optional(e)
        .await
}

/// A child to add, as the register knows them and the parent chose.
#[derive(Debug, Clone)]
pub struct NewChild<'a> {
    pub parent_user_id: i64,
    pub iin: &'a str,
    pub last_name: &'a str,
    pub first_name: &'a str,
    pub middle_name: Option<&'a str>,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    pub sex: &'a str,
    pub nationality: Option<&'a str>,
    pub now: i64,
}

/// Adds a child; a UNIQUE violation means another parent has the IIN.
pub async fn insert(e: impl Executor<'_>, c: &NewChild<'_>) -> Result<i64, Error> {
    sqlx::query_scalar(
        "INSERT INTO children (parent_user_id, iin, last_name, first_name, middle_name,
             birth_date, sex, nationality, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(c.parent_user_id)
    .bind(c.iin)
    .bind(c.last_name)
    .bind(c.first_name)
    .bind(c.middle_name)
    .bind(&c.birth_date)
    .bind(c.sex)
    .bind(c.nationality)
    .bind(c.now)
    .fetch_one(e)
    .await
}

/// Sets what the parent chose for their child.
pub async fn set_choices(
    e: impl Executor<'_>,
    parent_user_id: i64,
    child_id: i64,
    sex: &str,
    nationality: Option<&str>,
    now: i64,
) -> Result<(), Error> {
    sqlx::query(
        "UPDATE children SET sex = $1, nationality = $2, updated_at = $3
         WHERE id = $4 AND parent_user_id = $5",
    )
    .bind(sex)
    .bind(nationality)
    .bind(now)
    .bind(child_id)
    .bind(parent_user_id)
    .execute(e)
    .await?;
    Ok(())
}
