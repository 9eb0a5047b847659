//! The embedded register of individuals: a table filled from CSV by `kezek registry import`,
//! for installations (and demos) without a connection to the state gateway.

use chrono::NaiveDate;

use super::{RegistryEntry, RegistryError, split_statuses};
use crate::db::Db;
use crate::domain::{Iin, Person, Sex};

#[derive(Clone)]
pub struct EmbeddedRegistry {
    db: Db,
}

impl EmbeddedRegistry {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    pub async fn lookup(&self, iin: &Iin) -> Result<Option<Person>, RegistryError> {
        Ok(self.lookup_entry(iin).await?.map(|entry| entry.person))
    }

    pub async fn lookup_entry(&self, iin: &Iin) -> Result<Option<RegistryEntry>, RegistryError> {
        let row = crate::db::registry::person(self.db.pool(), iin.as_str())
            .await
            .map_err(|e| RegistryError::Unavailable(e.to_string()))?;
        let Some(row) = row else { return Ok(None) };
        let invalid =
            |what: &str| RegistryError::InvalidData(format!("{what} of {}", iin.masked()));
        let person = Person {
            iin: iin.clone(),
            last_name: row.last_name,
            first_name: row.first_name,
            middle_name: row.middle_name,
            birth_date: NaiveDate::parse_from_str(&row.birth_date, "%Y-%m-%d")
                .map_err(|_| invalid("birth date"))?,
            sex: Sex::from_code(&row.sex).ok_or_else(|| invalid("sex"))?,
            nationality: row.nationality,
        };
        Ok(Some(RegistryEntry {
            person,
            social_statuses: split_statuses(row.social_statuses.as_deref()),
        }))
    }
}
