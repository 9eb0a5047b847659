//! Preschool organizations and their groups: the card, the groups with their capacity, free
//! places (vacancies) and departures, and the CSV import that sets up a district.

pub mod area;
pub mod cards;
pub mod import;
pub mod rules;
pub mod store;
pub mod vacancies;

use serde::Serialize;

use crate::db::orgs::OrganizationRow;
use crate::db::orgs::groups::GroupRow;

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

/// An organization's card, as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Organization {
    pub id: i64,
    pub bin: String,
    pub name_kk: String,
    pub name_ru: String,
    pub kato: String,
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub ownership: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub working_hours: Option<String>,
    /// Comma-separated language codes.
    pub languages: Option<String>,
    pub description: Option<String>,
    pub head_name: Option<String>,
    pub active: i64,
    /// Storage key of the photo, if any.
    pub photo: Option<String>,
}

impl Organization {
    /// The name in the visitor's language: Kazakh for kk, Russian otherwise.
    pub fn name(&self, lang: &str) -> &str {
        crate::domain::Names::new(&self.name_kk, &self.name_ru, None).get(lang)
    }
}

impl From<OrganizationRow> for Organization {
    fn from(r: OrganizationRow) -> Organization {
        Organization {
            id: r.id,
            bin: r.bin,
            name_kk: r.name_kk,
            name_ru: r.name_ru,
            kato: r.kato,
            address: r.address,
            phone: r.phone,
            email: r.email,
            website: r.website,
            ownership: r.ownership,
            latitude: r.latitude,
            longitude: r.longitude,
            working_hours: r.working_hours,
            languages: r.languages,
            description: r.description,
            head_name: r.head_name,
            active: r.active,
            photo: r.photo,
        }
    }
}

/// A group of an organization with its counters.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: i64,
    pub organization_id: i64,
    pub name: String,
    pub birth_year: i64,
    pub age_group: Option<String>,
    pub language: String,
    pub kind: String,
    pub correction_type: Option<String>,
    pub capacity: i64,
    pub enrolled: i64,
    pub open_directions: i64,
    pub open_vacancies: i64,
    pub active: i64,
}

impl Group {
    /// Places neither taken, nor offered by a direction, nor already published as free.
    pub fn unpublished_free_places(&self) -> i64 {
        self.capacity - self.enrolled - self.open_directions - self.open_vacancies
    }
}

impl From<GroupRow> for Group {
    fn from(r: GroupRow) -> Group {
        Group {
            id: r.id,
            organization_id: r.organization_id,
            name: r.name,
            birth_year: r.birth_year,
            age_group: r.age_group,
            language: r.language,
            kind: r.kind,
            correction_type: r.correction_type,
            capacity: r.capacity,
            enrolled: r.enrolled,
            open_directions: r.open_directions,
            open_vacancies: r.open_vacancies,
            active: r.active,
        }
    }
}
