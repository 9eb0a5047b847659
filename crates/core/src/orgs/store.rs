//! Storage of organizations and groups (their rules are in `rules.rs`).

use sqlx::{Any, Executor};

use super::{Group, GroupKind, Organization, Ownership};
use crate::db::{Db, Tx};
use crate::domain::{Bin, Kato};

pub const ORGANIZATION_COLUMNS: &str = "id, bin, name_kk, name_ru, kato, address, phone, email, website, ownership, \
     latitude, longitude, working_hours, languages, description, head_name, active, photo";

pub const GROUP_COLUMNS: &str = "id, organization_id, name, birth_year, age_group, language, kind, correction_type, \
     capacity, enrolled, open_directions, open_vacancies, active";

pub async fn organization<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
) -> Result<Option<Organization>, crate::db::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORGANIZATION_COLUMNS} FROM organizations WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await
}

pub async fn organization_by_bin<'c>(
    ex: impl Executor<'c, Database = Any>,
    bin: &str,
) -> Result<Option<Organization>, crate::db::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {ORGANIZATION_COLUMNS} FROM organizations WHERE bin = $1"
    )))
    .bind(bin)
    .fetch_optional(ex)
    .await
}

pub async fn group<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
) -> Result<Option<Group>, crate::db::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {GROUP_COLUMNS} FROM org_groups WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// The groups of one organization, active first, by birth year and name.
pub async fn groups_of<'c>(
    ex: impl Executor<'c, Database = Any>,
    organization_id: i64,
) -> Result<Vec<Group>, crate::db::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {GROUP_COLUMNS} FROM org_groups WHERE organization_id = $1
         ORDER BY active DESC, birth_year DESC, name"
    )))
    .bind(organization_id)
    .fetch_all(ex)
    .await
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

/// A coordinate as a DOUBLE PRECISION argument, also when missing. sqlx 0.9's `Any` driver
/// sends a missing `f64` to PostgreSQL as a REAL (and a missing `f32` as a DOUBLE PRECISION): a
/// connection whose cached INSERT was first prepared for an organization without coordinates
/// then refuses one with coordinates ("incorrect binary data format"). A missing `f32` is
/// therefore what declares the parameter DOUBLE PRECISION; on SQLite both are NULL.
fn add_coordinate(args: &mut sqlx::any::AnyArguments, value: Option<f64>) {
    use sqlx::Arguments;
    let _ = match value {
        Some(v) => args.add(v),
        None => args.add(None::<f32>),
    };
}

/// The card's columns as query arguments `$1`..`$15`: bin, names, kato, address, phone, email,
/// website, ownership, coordinates, working hours, languages, description, head.
fn card_arguments(input: &OrganizationInput) -> sqlx::any::AnyArguments {
    use sqlx::Arguments;
    let mut args = sqlx::any::AnyArguments::default();
    // Adding a value to `AnyArguments` cannot fail for these types.
    let _ = args.add(input.bin.as_str());
    let _ = args.add(input.name_kk.as_str());
    let _ = args.add(input.name_ru.as_str());
    let _ = args.add(input.kato.as_str());
    let _ = args.add(input.address.as_str());
    let _ = args.add(input.phone.as_deref());
    let _ = args.add(input.email.as_deref());
    let _ = args.add(input.website.as_deref());
    let _ = args.add(input.ownership.as_str());
    add_coordinate(&mut args, input.latitude);
    add_coordinate(&mut args, input.longitude);
    let _ = args.add(input.working_hours.as_deref());
    let _ = args.add(join_languages(&input.languages));
    let _ = args.add(input.description.as_deref());
    let _ = args.add(input.head_name.as_deref());
    args
}

pub async fn insert_organization(
    tx: &mut Tx,
    input: &OrganizationInput,
    now: i64,
) -> Result<i64, crate::db::Error> {
    sqlx::query_scalar_with(
        "INSERT INTO organizations (bin, name_kk, name_ru, kato, address, phone, email, website, ownership,
            latitude, longitude, working_hours, languages, description, head_name, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16, $16)
         RETURNING id",
        card_arguments(input),
    )
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// `RowNotFound` when there is no such organization.
pub async fn update_organization(
    tx: &mut Tx,
    id: i64,
    input: &OrganizationInput,
    now: i64,
) -> Result<(), crate::db::Error> {
    let done = sqlx::query_with(
        "UPDATE organizations SET bin = $1, name_kk = $2, name_ru = $3, kato = $4, address = $5,
            phone = $6, email = $7, website = $8, ownership = $9, latitude = $10, longitude = $11,
            working_hours = $12, languages = $13, description = $14, head_name = $15, updated_at = $16
         WHERE id = $17",
        card_arguments(input),
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    found(done.rows_affected())
}

fn found(rows: u64) -> Result<(), crate::db::Error> {
    if rows == 0 {
        Err(crate::db::Error::RowNotFound)
    } else {
        Ok(())
    }
}

/// `RowNotFound` when there is no such organization.
pub async fn set_organization_active(
    tx: &mut Tx,
    id: i64,
    active: bool,
    now: i64,
) -> Result<(), crate::db::Error> {
    let done = sqlx::query("UPDATE organizations SET active = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(active))
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    found(done.rows_affected())
}

/// `%`, `_` and the escape character itself stand for themselves in a `LIKE … ESCAPE '\'`.
fn like_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
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
    let area = format!("{}%", like_escape(kato_prefix));
    let active_min = i64::from(only_active);
    let offset = offset.max(0);
    let limit = limit.max(0);
    let search = search.map(fold).filter(|s| !s.trim().is_empty());
    let Some(search) = search else {
        let total: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM organizations WHERE kato LIKE $1 ESCAPE '\\' AND active >= $2",
        )
        .bind(&area)
        .bind(active_min)
        .fetch_one(db.pool())
        .await?;
        let page = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ORGANIZATION_COLUMNS} FROM organizations
             WHERE kato LIKE $1 ESCAPE '\\' AND active >= $2
             ORDER BY name_ru, id LIMIT $3 OFFSET $4"
        )))
        .bind(&area)
        .bind(active_min)
        .bind(limit)
        .bind(offset)
        .fetch_all(db.pool())
        .await?;
        return Ok((page, total));
    };
    // Only the searchable columns of the area travel; full rows are read for one page.
    let search = search.trim();
    let candidates: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT id, bin, name_kk, name_ru, address FROM organizations
         WHERE kato LIKE $1 ESCAPE '\\' AND active >= $2
         ORDER BY name_ru, id",
    )
    .bind(&area)
    .bind(active_min)
    .fetch_all(db.pool())
    .await?;
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
    let placeholders = (1..=ids.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {ORGANIZATION_COLUMNS} FROM organizations WHERE id IN ({placeholders}) ORDER BY name_ru, id"
    );
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    for id in &ids {
        query = query.bind(*id);
    }
    Ok((query.fetch_all(db.pool()).await?, total))
}

pub async fn insert_group(
    tx: &mut Tx,
    organization_id: i64,
    input: &GroupInput,
    now: i64,
) -> Result<i64, crate::db::Error> {
    sqlx::query_scalar(
        "INSERT INTO org_groups (organization_id, name, birth_year, age_group, language, kind,
            correction_type, capacity, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)
         RETURNING id",
    )
    .bind(organization_id)
    .bind(&input.name)
    .bind(input.birth_year)
    .bind(input.age_group.as_deref())
    .bind(&input.language)
    .bind(input.kind.as_str())
    .bind(input.correction_type.as_deref())
    .bind(input.capacity)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
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
/// `CapacityTooSmall`: the UPDATE carries the rule in its WHERE, so a vacancy published at the
/// same moment cannot slip between a check and the write.
pub async fn update_group(
    tx: &mut Tx,
    id: i64,
    input: &GroupInput,
    now: i64,
) -> Result<(), GroupUpdateError> {
    let current: Option<(i64, i64)> = sqlx::query_as(
        "SELECT organization_id, enrolled + open_directions + open_vacancies FROM org_groups WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((organization_id, _)) = current else {
        return Err(GroupUpdateError::NotFound);
    };
    let clash: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM org_groups WHERE organization_id = $1 AND name = $2 AND id <> $3",
    )
    .bind(organization_id)
    .bind(&input.name)
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    if clash > 0 {
        return Err(GroupUpdateError::NameTaken);
    }
    let done = sqlx::query(
        "UPDATE org_groups SET name = $1, birth_year = $2, age_group = $3, language = $4, kind = $5,
            correction_type = $6, capacity = $7, updated_at = $8
         WHERE id = $9 AND enrolled + open_directions + open_vacancies <= $7",
    )
    .bind(&input.name)
    .bind(input.birth_year)
    .bind(input.age_group.as_deref())
    .bind(&input.language)
    .bind(input.kind.as_str())
    .bind(input.correction_type.as_deref())
    .bind(input.capacity)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await
    .map_err(|e| match &e {
        crate::db::Error::Database(d) if d.is_unique_violation() => GroupUpdateError::NameTaken,
        _ => GroupUpdateError::Database(e),
    })?;
    if done.rows_affected() > 0 {
        return Ok(());
    }
    let taken: i64 = sqlx::query_scalar(
        "SELECT enrolled + open_directions + open_vacancies FROM org_groups WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    Err(GroupUpdateError::CapacityTooSmall { taken })
}

/// `RowNotFound` when there is no such group.
pub async fn set_group_active(
    tx: &mut Tx,
    id: i64,
    active: bool,
    now: i64,
) -> Result<(), crate::db::Error> {
    let done = sqlx::query("UPDATE org_groups SET active = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(active))
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    found(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_and_folding() {
        assert_eq!(like_escape("7_1%\\"), "7\\_1\\%\\\\");
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
