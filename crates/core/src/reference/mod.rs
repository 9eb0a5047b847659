//! Reference data: the KATO classifier and the reference lists (languages of instruction,
//! correction types, privilege categories, nationalities, age groups).

pub mod items;
pub mod kato;
pub mod kato_import;

use serde::Serialize;
use sqlx::FromRow;

pub use items::{Usage, delete, delete_in, get, list, save, usages};
pub use kato::{KatoUnit, kato_children, kato_name, kato_regions, kato_unit};

/// The reference lists kept in `reference_items`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferenceKind {
    Language,
    CorrectionType,
    PrivilegeCategory,
    Nationality,
    AgeGroup,
}

impl ReferenceKind {
    pub const ALL: [ReferenceKind; 5] = [
        ReferenceKind::Language,
        ReferenceKind::CorrectionType,
        ReferenceKind::PrivilegeCategory,
        ReferenceKind::Nationality,
        ReferenceKind::AgeGroup,
    ];

    /// The value of `reference_items.kind`, also used in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            ReferenceKind::Language => "language",
            ReferenceKind::CorrectionType => "correction_type",
            ReferenceKind::PrivilegeCategory => "privilege_category",
            ReferenceKind::Nationality => "nationality",
            ReferenceKind::AgeGroup => "age_group",
        }
    }

    pub fn parse(value: &str) -> Option<ReferenceKind> {
        ReferenceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == value.trim())
    }

    pub fn message_key(self) -> &'static str {
        match self {
            ReferenceKind::Language => "reference-kind-language",
            ReferenceKind::CorrectionType => "reference-kind-correction-type",
            ReferenceKind::PrivilegeCategory => "reference-kind-privilege-category",
            ReferenceKind::Nationality => "reference-kind-nationality",
            ReferenceKind::AgeGroup => "reference-kind-age-group",
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown reference kind {0:?}")]
pub struct UnknownKind(String);

/// Lets `ReferenceItem` read its kind straight from the row.
impl TryFrom<String> for ReferenceKind {
    type Error = UnknownKind;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        ReferenceKind::parse(&value).ok_or(UnknownKind(value))
    }
}

/// One entry of a reference list.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, Serialize)]
pub struct ReferenceItem {
    #[sqlx(try_from = "String")]
    pub kind: ReferenceKind,
    pub code: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub position: i64,
    /// privilege_category: `extraordinary` or `first_priority`; age_group: `from-to` years.
    pub attribute: Option<String>,
    pub active: i64,
}

impl ReferenceItem {
    /// The name in the interface language; Russian for anything unknown.
    pub fn name(&self, lang: &str) -> &str {
        match lang {
            "kk" => &self.name_kk,
            "en" => &self.name_en,
            _ => &self.name_ru,
        }
    }
}

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
