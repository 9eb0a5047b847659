//! The embedded register of individuals (`registry_persons`): a person by IIN, and the
//! import's writes.

use kezek_domain::Person;
use sqlx::FromRow;

use crate::{Error, Executor};

/// A person as stored; birth date and sex are decoded by the caller.
#[derive(Debug, Clone, FromRow)]
pub struct PersonRow {
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: String,
    pub sex: String,
    pub nationality: Option<String>,
    pub social_statuses: Option<String>,
}

pub async fn person(e: impl Executor<'_>, iin: &str) -> Result<Option<PersonRow>, Error> {
    sqlx::query_as(
        "SELECT last_name, first_name, middle_name, birth_date, sex, nationality, social_statuses
             FROM registry_persons WHERE iin = $1",
    )
    .bind(iin)
    .fetch_optional(e)
    .await
}

/// Whether the register holds this IIN.
pub async fn exists(e: impl Executor<'_>, iin: &str) -> Result<bool, Error> {
    let existed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registry_persons WHERE iin = $1")
        .bind(iin)
        .fetch_one(e)
        .await?;
    Ok(existed > 0)
}

/// Inserts or updates a person. `social_statuses` (the codes joined, or `None` for no status)
/// replaces the recorded ones when given; the outer `None` leaves them as they are.
pub async fn upsert(
    e: impl Executor<'_>,
    person: &Person,
    social_statuses: Option<Option<String>>,
    now: i64,
) -> Result<(), Error> {
    let sql = match social_statuses {
        None => {
            "INSERT INTO registry_persons (iin, last_name, first_name, middle_name, birth_date, sex, nationality, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (iin) DO UPDATE SET last_name = excluded.last_name, first_name = excluded.first_name,
                    middle_name = excluded.middle_name, birth_date = excluded.birth_date, sex = excluded.sex,
                    nationality = excluded.nationality, updated_at = excluded.updated_at"
        }
        Some(_) => {
            "INSERT INTO registry_persons (iin, last_name, first_name, middle_name, birth_date, sex, nationality, updated_at,
                    social_statuses)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                 ON CONFLICT (iin) DO UPDATE SET last_name = excluded.last_name, first_name = excluded.first_name,
                    middle_name = excluded.middle_name, birth_date = excluded.birth_date, sex = excluded.sex,
                    nationality = excluded.nationality, updated_at = excluded.updated_at,
                    social_statuses = excluded.social_statuses"
        }
    };
    let mut query = sqlx::query(sql)
        .bind(person.iin.as_str())
        .bind(&person.last_name)
        .bind(&person.first_name)
        .bind(person.middle_name.as_deref())
        .bind(person.birth_date.format("%Y-%m-%d").to_string())
        .bind(person.sex.code())
        .bind(person.nationality.as_deref())
        .bind(now);
    if let Some(statuses) = social_statuses {
        query = query.bind(statuses);
    }
    query.execute(e).await?;
    Ok(())
}
