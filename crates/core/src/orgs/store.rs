//! Storage of organizations and groups (their rules are in `rules.rs`).

use super::{Group, GroupKind, Organization, Ownership};
use crate::db::orgs::groups::{self, GroupCard};
use crate::db::orgs::{self as stored, Card};
use crate::db::{Db, Executor, Tx};
use crate::domain::{Bin, Kato};

pub use crate::db::orgs::ORGANIZATION_COLUMNS;
pub use crate::db::orgs::groups::GROUP_COLUMNS;

pub async fn organization<'c>(
    ex: impl Executor<'c>,
    id: i64,
) -> Result<Option<Organization>, crate::db::Error> {
    stored::by_id(ex, id).await
}

pub async fn organization_by_bin<'c>(
    ex: impl Executor<'c>,
    bin: &str,
) -> Result<Option<Organization>, crate::db::Error> {
    stored::by_bin(ex, bin).await
}

pub async fn group<'c>(ex: impl Executor<'c>, id: i64) -> Result<Option<Group>, crate::db::Error> {
    groups::by_id(ex, id).await
}

/// The groups of one organization, active first, by birth year and name.
pub async fn groups_of<'c>(
    ex: impl Executor<'c>,
    organization_id: i64,
) -> Result<Vec<Group>, crate::db::Error> {
    groups::of_organization(ex, organization_id).await
}

/// The editable part of an organization's card: what the forms and the CSV import write.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganizationInput {
    pub bin: Bin,
    pub name_kk: String,
    pub name_ru: String,
    pub kato: Kato,
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub ownership: Ownership,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub working_hours: Option<String>,
    pub languages: Vec<String>,
    pub description: Option<String>,
    pub head_name: Option<String>,
}

impl OrganizationInput {
    /// The stored card as an input, e.g. to prefill a form or to change a few fields.
    /// `None` only if the row holds something the domain types refuse (written by hand).
    pub fn from_stored(org: &Organization) -> Option<OrganizationInput> {
        Some(OrganizationInput {
            bin: Bin::parse(&org.bin).ok()?,
            name_kk: org.name_kk.clone(),
            name_ru: org.name_ru.clone(),
            kato: Kato::parse(&org.kato).ok()?,
            address: org.address.clone(),
            phone: org.phone.clone(),
            email: org.email.clone(),
            website: org.website.clone(),
            ownership: Ownership::parse(&org.ownership)?,
            latitude: org.latitude,
            longitude: org.longitude,
            working_hours: org.working_hours.clone(),
            languages: split_languages(org.languages.as_deref()),
            description: org.description.clone(),
            head_name: org.head_name.clone(),
        })
    }

    fn card<'a>(&'a self, languages: Option<&'a str>) -> Card<'a> {
        Card {
            bin: self.bin.as_str(),
            name_kk: &self.name_kk,
            name_ru: &self.name_ru,
            kato: self.kato.as_str(),
            address: &self.address,
            phone: self.phone.as_deref(),
            email: self.email.as_deref(),
            website: self.website.as_deref(),
            ownership: self.ownership.as_str(),
            latitude: self.latitude,
            longitude: self.longitude,
            working_hours: self.working_hours.as_deref(),
            languages,
            description: self.description.as_deref(),
            head_name: self.head_name.as_deref(),
        }
    }

    /// The card for the audit log's before/after detail.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "bin": self.bin.as_str(),
            "name_kk": self.name_kk,
            "name_ru": self.name_ru,
            "kato": self.kato.as_str(),
            "address": self.address,
            "phone": self.phone,
            "email": self.email,
            "website": self.website,
            "ownership": self.ownership.as_str(),
            "latitude": self.latitude,
            "longitude": self.longitude,
            "working_hours": self.working_hours,
            "languages": self.languages,
            "description": self.description,
            "head_name": self.head_name,
        })
    }
}

/// The editable part of a group; the counters are moved only by vacancies and enrollment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupInput {
    pub name: String,
    pub birth_year: i64,
    pub age_group: Option<String>,
    pub language: String,
    pub kind: GroupKind,
    pub correction_type: Option<String>,
    pub capacity: i64,
}

impl GroupInput {
    fn card(&self) -> GroupCard<'_> {
        GroupCard {
            name: &self.name,
            birth_year: self.birth_year,
            age_group: self.age_group.as_deref(),
            language: &self.language,
            kind: self.kind.as_str(),
            correction_type: self.correction_type.as_deref(),
            capacity: self.capacity,
        }
    }

    pub fn from_stored(group: &Group) -> Option<GroupInput> {
        Some(GroupInput {
            name: group.name.clone(),
            birth_year: group.birth_year,
            age_group: group.age_group.clone(),
            language: group.language.clone(),
            kind: GroupKind::parse(&group.kind)?,
            correction_type: group.correction_type.clone(),
            capacity: group.capacity,
        })
    }
}

fn split_languages(stored: Option<&str>) -> Vec<String> {
    stored
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

fn join_languages(languages: &[String]) -> Option<String> {
    (!languages.is_empty()).then(|| languages.join(","))
}

pub async fn insert_organization(
    tx: &mut Tx,
    input: &OrganizationInput,
    now: i64,
) -> Result<i64, crate::db::Error> {
    let languages = join_languages(&input.languages);
    stored::insert(tx, &input.card(languages.as_deref()), now).await
}

/// `RowNotFound` when there is no such organization.
pub async fn update_organization(
    tx: &mut Tx,
    id: i64,
    input: &OrganizationInput,
    now: i64,
) -> Result<(), crate::db::Error> {
    let languages = join_languages(&input.languages);
    stored::update(tx, id, &input.card(languages.as_deref()), now).await
}

/// `RowNotFound` when there is no such organization.
pub async fn set_organization_active(
    tx: &mut Tx,
    id: i64,
    active: bool,
    now: i64,
) -> Result<(), crate::db::Error> {
    stored::set_active(tx, id, active, now).await
}

/// Case folding for the search. Done in Rust because SQLite's LOWER() and LIKE fold ASCII
/// only (and PostgreSQL's depend on the server's locale), which would make Cyrillic names
/// unsearchable by their lower-case spelling.
pub fn fold(text: &str) -> String {
    text.to_lowercase().replace('ё', "е")
}

/// Organizations whose KATO code starts with `kato_prefix` ("" = all), optionally only active
/// ones, filtered by a case-insensitive search in names/BIN/address, paged (offset, limit),
/// ordered by name_ru; plus the total count.
pub async fn organizations_in_area(
    db: &Db,
    kato_prefix: &str,
    search: Option<&str>,
    only_active: bool,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Organization>, i64), crate::db::Error> {
    let offset = offset.max(0);
    let limit = limit.max(0);
    let search = search.map(fold).filter(|s| !s.trim().is_empty());
    let Some(search) = search else {
        let total = stored::count_in_area(db.pool(), kato_prefix, only_active).await?;
        let page = stored::page_in_area(db.pool(), kato_prefix, only_active, offset, limit).await?;
        return Ok((page, total));
    };
    // Only the searchable columns of the area travel; full rows are read for one page.
    let search = search.trim();
    let candidates = stored::searchable_in_area(db.pool(), kato_prefix, only_active).await?;
    let matching: Vec<i64> = candidates
        .into_iter()
        .filter(|(_, bin, kk, ru, address)| {
            bin.contains(search)
                || fold(kk).contains(search)
                || fold(ru).contains(search)
                || fold(address).contains(search)
        })
        .map(|(id, ..)| id)
        .collect();
    let total = matching.len() as i64;
    let ids: Vec<i64> = matching
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect();
    if ids.is_empty() {
        return Ok((Vec::new(), total));
    }
    let page = stored::with_ids(db.pool(), &ids).await?;
    Ok((page, total))
}

pub async fn insert_group(
    tx: &mut Tx,
    organization_id: i64,
    input: &GroupInput,
    now: i64,
) -> Result<i64, crate::db::Error> {
    groups::insert(tx, organization_id, &input.card(), now).await
}

#[derive(Debug, thiserror::Error)]
pub enum GroupUpdateError {
    /// Enrolled children, open directions and open vacancies already take `taken` places.
    #[error("{taken} place(s) are taken, the capacity cannot be lower")]
    CapacityTooSmall { taken: i64 },
    #[error("the organization already has a group with this name")]
    NameTaken,
    #[error("no such group")]
    NotFound,
    #[error(transparent)]
    Database(#[from] crate::db::Error),
}

impl GroupUpdateError {
    /// The message for the form; `CapacityTooSmall`'s text takes `$taken`.
    pub fn message_key(&self) -> &'static str {
        match self {
            GroupUpdateError::CapacityTooSmall { .. } => "group-error-capacity-below-taken",
            GroupUpdateError::NameTaken => "group-error-name-taken",
            GroupUpdateError::NotFound => "group-error-not-found",
            GroupUpdateError::Database(_) => "group-error-not-saved",
        }
    }
}

/// Capacity below enrolled + open directions + open vacancies is refused as
/// `CapacityTooSmall`: the statement carries the rule in its WHERE, so a vacancy published at the
/// same moment cannot slip between a check and the write.
pub async fn update_group(
    tx: &mut Tx,
    id: i64,
    input: &GroupInput,
    now: i64,
) -> Result<(), GroupUpdateError> {
    let current = groups::organization_and_taken(&mut **tx, id).await?;
    let Some((organization_id, _)) = current else {
        return Err(GroupUpdateError::NotFound);
    };
    if groups::name_taken(&mut **tx, organization_id, &input.name, id).await? {
        return Err(GroupUpdateError::NameTaken);
    }
    let written = groups::update(&mut **tx, id, &input.card(), now)
        .await
        .map_err(|e| match &e {
            crate::db::Error::Database(d) if d.is_unique_violation() => GroupUpdateError::NameTaken,
            _ => GroupUpdateError::Database(e),
        })?;
    if written {
        return Ok(());
    }
    let taken = groups::taken(&mut **tx, id).await?;
    Err(GroupUpdateError::CapacityTooSmall { taken })
}

/// `RowNotFound` when there is no such group.
pub async fn set_group_active(
    tx: &mut Tx,
    id: i64,
    active: bool,
    now: i64,
) -> Result<(), crate::db::Error> {
    groups::set_active(tx, id, active, now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_and_folding() {
        assert_eq!(fold("Ясли-сад «ЁЛОЧКА»"), "ясли-сад «елочка»");
        assert_eq!(fold("БӨБЕКЖАЙЫ"), "бөбекжайы");
    }

    #[test]
    fn stored_rows_round_trip() {
        let languages = Some("kk,ru".to_owned());
        assert_eq!(split_languages(languages.as_deref()), vec!["kk", "ru"]);
        assert_eq!(join_languages(&split_languages(None)), None);
    }
}
