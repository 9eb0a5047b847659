//! Reference data: the KATO classifier and the reference lists (languages of instruction,
//! correction types, privilege categories, nationalities, age groups).

pub mod items;
pub mod kato;
pub mod kato_import;

pub use items::{Usage, delete, delete_in, get, list, save, usages};
pub use kato::{kato_children, kato_name, kato_regions, kato_unit};

pub use crate::db::reference::{KatoUnit, ReferenceItem};
pub use crate::domain::reference::ReferenceKind;

/// What reading an unknown kind's code fails with.
pub type UnknownKind = crate::domain::UnknownCode;

#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("the code is in use")]
    InUse,
    #[error("a code is 1 to 40 lowercase Latin letters, digits or underscores")]
    Code,
    #[error("every name (kk, ru, en) is required")]
    Name,
    #[error("the attribute does not fit this kind of reference")]
    Attribute,
    #[error("no such reference item")]
    NotFound,
    #[error(transparent)]
    Internal(#[from] crate::db::Error),
}

impl ReferenceError {
    pub fn message_key(&self) -> &'static str {
        match self {
            ReferenceError::InUse => "reference-error-in-use",
            ReferenceError::Code => "reference-error-code",
            ReferenceError::Name => "reference-error-name",
            ReferenceError::Attribute => "reference-error-attribute",
            ReferenceError::NotFound => "reference-error-not-found",
            ReferenceError::Internal(_) => "error-internal",
        }
    }
}
