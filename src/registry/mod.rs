//! The register of individuals (ГБД ФЛ), looked up by IIN behind an adapter.
//! An unavailable register means "verification pending", never a lost submission.

pub mod embedded;
pub mod http;
pub mod import;

pub use embedded::EmbeddedRegistry;
pub use http::HttpRegistry;

use crate::domain::{Iin, Person};

/// The register this installation asks, chosen by configuration.
pub enum Registry {
    Embedded(EmbeddedRegistry),
    Http(HttpRegistry),
}

impl Registry {
    pub async fn lookup(&self, iin: &Iin) -> Result<Option<Person>, RegistryError> {
        match self {
            Registry::Embedded(r) => r.lookup(iin).await,
            Registry::Http(r) => r.lookup(iin).await,
        }
    }
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
