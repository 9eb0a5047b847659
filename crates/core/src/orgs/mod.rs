//! Preschool organizations and their groups: the card, the groups with their capacity, free
//! places (vacancies) and departures, and the CSV import that sets up a district.

pub mod area;
pub mod cards;
pub mod import;
pub mod rules;
pub mod store;
pub mod vacancies;

use serde::Serialize;

/// What a group is for; correctional groups also have a correction type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    Regular,
    Correctional,
    Sanatorium,
}

impl GroupKind {
    pub const ALL: [GroupKind; 3] = [
        GroupKind::Regular,
        GroupKind::Correctional,
        GroupKind::Sanatorium,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::Regular => "regular",
            GroupKind::Correctional => "correctional",
            GroupKind::Sanatorium => "sanatorium",
        }
    }

    pub fn parse(code: &str) -> Option<GroupKind> {
        GroupKind::ALL
            .into_iter()
            .find(|k| k.as_str() == code.trim())
    }

    pub fn message_key(self) -> &'static str {
        match self {
            GroupKind::Regular => "group-kind-regular",
            GroupKind::Correctional => "group-kind-correctional",
            GroupKind::Sanatorium => "group-kind-sanatorium",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ownership {
    State,
    Private,
}

impl Ownership {
    pub fn as_str(self) -> &'static str {
        match self {
            Ownership::State => "state",
            Ownership::Private => "private",
        }
    }

    pub fn parse(code: &str) -> Option<Ownership> {
        match code.trim() {
            "state" => Some(Ownership::State),
            "private" => Some(Ownership::Private),
            _ => None,
        }
    }

    pub fn message_key(self) -> &'static str {
        match self {
            Ownership::State => "ownership-state",
            Ownership::Private => "ownership-private",
        }
    }
}

/// The languages an organization teaches in: those its card lists (comma-separated) and those
/// of its groups, sorted, each once.
pub fn languages_taught<'a>(
    card: Option<&'a str>,
    groups: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let mut languages: Vec<String> = card
        .unwrap_or_default()
        .split(',')
        .chain(groups)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    languages.sort();
    languages.dedup();
    languages
}

/// An organization's card, as stored.
pub use crate::db::orgs::OrganizationRow as Organization;

/// A group of an organization with its counters (`seats()` gives the capacity rule).
pub use crate::db::orgs::groups::GroupRow as Group;

#[cfg(test)]
mod tests {
    #[test]
    fn the_card_and_the_groups_languages_are_listed_once_in_order() {
        assert_eq!(
            super::languages_taught(Some("ru, kk,"), ["kk", "en", " "]),
            ["en", "kk", "ru"]
        );
        assert!(super::languages_taught(None, []).is_empty());
    }
}
