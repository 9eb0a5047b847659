//! The register of individuals (ГБД ФЛ), looked up by IIN behind an adapter.
//! An unavailable register means "verification pending", never a lost submission. Besides a
//! person's identity, the register records their first-priority social statuses, which put a
//! child's application in the first-priority category as soon as it is filed.

pub mod embedded;
pub mod http;
pub mod import;
pub mod lookups;

pub use embedded::EmbeddedRegistry;
pub use http::HttpRegistry;

use crate::domain::{Iin, Person};

/// The register this installation asks, chosen by configuration.
pub enum Registry {
    Embedded(EmbeddedRegistry),
    Http(HttpRegistry),
}

/// The first-priority social statuses the register can record for a person: the codes of the
/// `privilege_category` reference list with the `first_priority` attribute (migration 0002).
/// Whether one still counts is decided against the reference list when an application is filed.
pub const FIRST_PRIORITY_STATUSES: [&str; 5] = [
    "parent_disability",
    "orphan",
    "large_family",
    "special_needs",
    "teacher",
];

/// What the register says about a person: who they are, and their social statuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryEntry {
    pub person: Person,
    /// Status codes, each once, in the register's order; empty when none.
    pub social_statuses: Vec<String>,
}

impl Registry {
    pub async fn lookup(&self, iin: &Iin) -> Result<Option<Person>, RegistryError> {
        Ok(self.lookup_entry(iin).await?.map(|entry| entry.person))
    }

    /// The person and their social statuses.
    pub async fn lookup_entry(&self, iin: &Iin) -> Result<Option<RegistryEntry>, RegistryError> {
        match self {
            Registry::Embedded(r) => r.lookup_entry(iin).await,
            Registry::Http(r) => r.lookup_entry(iin).await,
        }
    }

    /// The person's social statuses; nobody with this IIN has none.
    pub async fn social_statuses(&self, iin: &Iin) -> Result<Vec<String>, RegistryError> {
        Ok(self
            .lookup_entry(iin)
            .await?
            .map(|entry| entry.social_statuses)
            .unwrap_or_default())
    }
}

/// Status codes from a list the register gives: trimmed, blanks dropped, each once.
pub(crate) fn clean_statuses<'a>(codes: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut statuses: Vec<String> = Vec::new();
    for code in codes.into_iter().map(str::trim) {
        if !code.is_empty() && !statuses.iter().any(|s| s == code) {
            statuses.push(code.to_owned());
        }
    }
    statuses
}

/// The semicolon-separated form `registry_persons.social_statuses` keeps (`None` for none).
pub(crate) fn join_statuses(statuses: &[String]) -> Option<String> {
    (!statuses.is_empty()).then(|| statuses.join(";"))
}

/// The statuses of a `registry_persons.social_statuses` value.
pub(crate) fn split_statuses(stored: Option<&str>) -> Vec<String> {
    clean_statuses(stored.unwrap_or_default().split(';'))
}

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// Worth asking again later: down, slow, refusing us, or answering nonsense statuses.
    #[error("the register of individuals is unavailable: {0}")]
    Unavailable(String),
    /// The register answered, but with data we must not trust for this IIN.
    #[error("the register returned invalid data: {0}")]
    InvalidData(String),
}
