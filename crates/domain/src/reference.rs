//! The kinds of reference lists (languages of instruction, correction types, privilege
//! categories, nationalities, age groups) and the codes they are stored as.

use serde::Serialize;

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

crate::stored_code!(ReferenceKind, "reference kind");
