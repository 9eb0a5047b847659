//! The embedded register of individuals: a table filled from CSV by `kezek registry import`,
//! for installations (and demos) without a connection to the state gateway.

use chrono::NaiveDate;
use sqlx::FromRow;

use super::RegistryError;
use crate::db::Db;
use crate::domain::{Iin, Person, Sex};

#[derive(Clone)]
pub struct EmbeddedRegistry {
    db: Db,
}

#[derive(FromRow)]
struct Row {
    last_name: String,
    first_name: String,
    middle_name: Option<String>,
    birth_date: String,
    sex: String,
    nationality: Option<String>,
}

impl EmbeddedRegistry {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    pub async fn lookup(&self, iin: &Iin) -> Result<Option<Person>, RegistryError> {
        let row: Option<Row> = sqlx::query_as(
            "SELECT last_name, first_name, middle_name, birth_date, sex, nationality
             FROM registry_persons WHERE iin = $1",
        )
        .bind(iin.as_str())
        .fetch_optional(self.db.pool())
        .await
        .map_err(|e| RegistryError::Unavailable(e.to_string()))?;
        let Some(row) = row else { return Ok(None) };
        let invalid =
            |what: &str| RegistryError::InvalidData(format!("{what} of {}", iin.masked()));
        Ok(Some(Person {
            iin: iin.clone(),
            last_name: row.last_name,
            first_name: row.first_name,
            middle_name: row.middle_name,
            birth_date: NaiveDate::parse_from_str(&row.birth_date, "%Y-%m-%d")
                .map_err(|_| invalid("birth date"))?,
            sex: Sex::from_code(&row.sex).ok_or_else(|| invalid("sex"))?,
            nationality: row.nationality,
        }))
    }
}
