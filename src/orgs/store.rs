//! Storage of organizations and groups, and the rules a card and a group must satisfy (shared
//! by the cabinet forms and the CSV import).

use std::collections::BTreeSet;

use chrono::Datelike;
use sqlx::{Any, AnyConnection, Executor};

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
) -> Result<Option<Organization>, sqlx::Error> {
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
) -> Result<Option<Organization>, sqlx::Error> {
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
) -> Result<Option<Group>, sqlx::Error> {
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
) -> Result<Vec<Group>, sqlx::Error> {
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
    let _ = args.add(input.latitude);
    let _ = args.add(input.longitude);
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
) -> Result<i64, sqlx::Error> {
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
) -> Result<(), sqlx::Error> {
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

fn found(rows: u64) -> Result<(), sqlx::Error> {
    if rows == 0 {
        Err(sqlx::Error::RowNotFound)
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
) -> Result<(), sqlx::Error> {
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
fn fold(text: &str) -> String {
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
) -> Result<(Vec<Organization>, i64), sqlx::Error> {
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
) -> Result<i64, sqlx::Error> {
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
    Database(#[from] sqlx::Error),
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
        sqlx::Error::Database(d) if d.is_unique_violation() => GroupUpdateError::NameTaken,
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
) -> Result<(), sqlx::Error> {
    let done = sqlx::query("UPDATE org_groups SET active = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(active))
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    found(done.rows_affected())
}

/// The active reference codes a group or a card may use, and the year birth years are
/// checked against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownCodes {
    pub languages: BTreeSet<String>,
    pub correction_types: BTreeSet<String>,
    pub age_groups: BTreeSet<String>,
    pub current_year: i64,
}

/// The calendar year in Kazakhstan (UTC+5) at `now`: a group of children born this year
/// opens on 1 January local time, not five hours later.
pub fn year_at(now: i64) -> i64 {
    chrono::DateTime::from_timestamp(now + 5 * 3600, 0).map_or(1970, |t| i64::from(t.year()))
}

/// Loads the active codes; `now` fixes the current year, so a test clock gives stable results.
pub async fn known_codes(db: &Db, now: i64) -> Result<KnownCodes, sqlx::Error> {
    let mut conn = db.pool().acquire().await?;
    known_codes_with(&mut conn, now).await
}

/// [`known_codes`] inside a transaction (the import reads and writes in one).
pub async fn known_codes_with(
    conn: &mut AnyConnection,
    now: i64,
) -> Result<KnownCodes, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT kind, code FROM reference_items
         WHERE active = 1 AND kind IN ('language', 'correction_type', 'age_group')",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut known = KnownCodes {
        current_year: year_at(now),
        ..KnownCodes::default()
    };
    for (kind, code) in rows {
        let set = match kind.as_str() {
            "language" => &mut known.languages,
            "correction_type" => &mut known.correction_types,
            _ => &mut known.age_groups,
        };
        set.insert(code);
    }
    Ok(known)
}

/// A field name and the message key (locales/*/orgs.ftl) of what is wrong with it.
pub type FieldErrors = Vec<(&'static str, &'static str)>;

pub const MAX_GROUP_NAME: usize = 100;
pub const MAX_GROUP_CAPACITY: i64 = 100;
/// Children from birth to seven attend preschool organizations.
pub const MAX_CHILD_AGE: i64 = 7;
pub const MAX_ORGANIZATION_NAME: usize = 300;
pub const MAX_ADDRESS: usize = 300;
pub const MAX_SHORT_TEXT: usize = 200;
pub const MAX_DESCRIPTION: usize = 4000;

fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

/// The rules that need no reference data; `current_year` `None` skips the birth-year range.
pub(crate) fn group_shape_errors(input: &GroupInput, current_year: Option<i64>) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if input.name.trim().is_empty() {
        errors.push(("name", "group-error-name-required"));
    } else if too_long(&input.name, MAX_GROUP_NAME) {
        errors.push(("name", "group-error-name-too-long"));
    }
    if let Some(year) = current_year
        && !(year - MAX_CHILD_AGE..=year).contains(&input.birth_year)
    {
        errors.push(("birth_year", "group-error-birth-year-range"));
    }
    if input.language.trim().is_empty() {
        errors.push(("language", "group-error-language-required"));
    }
    match (input.kind, &input.correction_type) {
        (GroupKind::Correctional, None) => {
            errors.push(("correction_type", "group-error-correction-type-required"))
        }
        (GroupKind::Regular | GroupKind::Sanatorium, Some(_)) => errors.push((
            "correction_type",
            "group-error-correction-type-not-correctional",
        )),
        _ => {}
    }
    if !(1..=MAX_GROUP_CAPACITY).contains(&input.capacity) {
        errors.push(("capacity", "group-error-capacity-range"));
    }
    errors
}

pub fn validate_group(input: &GroupInput, known: &KnownCodes) -> Result<(), FieldErrors> {
    let mut errors = group_shape_errors(input, Some(known.current_year));
    if !input.language.trim().is_empty() && !known.languages.contains(&input.language) {
        errors.push(("language", "group-error-language-unknown"));
    }
    if input.kind == GroupKind::Correctional
        && let Some(code) = &input.correction_type
        && !known.correction_types.contains(code)
    {
        errors.push(("correction_type", "group-error-correction-type-unknown"));
    }
    if let Some(code) = &input.age_group
        && !known.age_groups.contains(code)
    {
        errors.push(("age_group", "group-error-age-group-unknown"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn email_looks_valid(email: &str) -> bool {
    let mut parts = email.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty()
        && !email.chars().any(char::is_whitespace)
        && domain
            .find('.')
            .is_some_and(|dot| dot > 0 && dot + 1 < domain.len())
        && !domain.ends_with('.')
}

fn website_looks_valid(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !url.chars().any(char::is_whitespace))
}

/// The card's rules. BIN and KATO code are already valid by type; whether the KATO code
/// exists in the classifier is the caller's database check.
pub fn validate_organization(
    input: &OrganizationInput,
    known: &KnownCodes,
) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    for (field, name) in [("name_kk", &input.name_kk), ("name_ru", &input.name_ru)] {
        if name.trim().is_empty() {
            errors.push((field, "org-error-name-required"));
        } else if too_long(name, MAX_ORGANIZATION_NAME) {
            errors.push((field, "org-error-too-long"));
        }
    }
    if input.address.trim().is_empty() {
        errors.push(("address", "org-error-address-required"));
    } else if too_long(&input.address, MAX_ADDRESS) {
        errors.push(("address", "org-error-too-long"));
    }
    let short_fields = [
        ("phone", &input.phone),
        ("working_hours", &input.working_hours),
        ("head_name", &input.head_name),
        ("email", &input.email),
        ("website", &input.website),
    ];
    for (field, value) in short_fields {
        if value
            .as_deref()
            .is_some_and(|v| too_long(v, MAX_SHORT_TEXT))
        {
            errors.push((field, "org-error-too-long"));
        }
    }
    if input
        .description
        .as_deref()
        .is_some_and(|d| too_long(d, MAX_DESCRIPTION))
    {
        errors.push(("description", "org-error-too-long"));
    }
    if input
        .email
        .as_deref()
        .is_some_and(|e| !email_looks_valid(e))
    {
        errors.push(("email", "org-error-email-invalid"));
    }
    if input
        .website
        .as_deref()
        .is_some_and(|w| !website_looks_valid(w))
    {
        errors.push(("website", "org-error-website-invalid"));
    }
    match (input.latitude, input.longitude) {
        (Some(lat), Some(lon)) => {
            if !(-90.0..=90.0).contains(&lat) {
                errors.push(("latitude", "org-error-latitude-range"));
            }
            if !(-180.0..=180.0).contains(&lon) {
                errors.push(("longitude", "org-error-longitude-range"));
            }
        }
        (Some(_), None) => errors.push(("longitude", "org-error-coordinates-pair")),
        (None, Some(_)) => errors.push(("latitude", "org-error-coordinates-pair")),
        (None, None) => {}
    }
    if input
        .languages
        .iter()
        .any(|code| !known.languages.contains(code))
    {
        errors.push(("languages", "org-error-language-unknown"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> KnownCodes {
        let set = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect();
        KnownCodes {
            languages: set(&["kk", "ru"]),
            correction_types: set(&["speech", "vision"]),
            age_groups: set(&["junior", "middle"]),
            current_year: 2025,
        }
    }

    fn group() -> GroupInput {
        GroupInput {
            name: "Күншуақ".into(),
            birth_year: 2021,
            age_group: Some("middle".into()),
            language: "kk".into(),
            kind: GroupKind::Regular,
            correction_type: None,
            capacity: 25,
        }
    }

    fn fields(result: Result<(), FieldErrors>) -> Vec<&'static str> {
        result
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.0)
            .collect()
    }

    #[test]
    fn group_rules() {
        assert_eq!(validate_group(&group(), &known()), Ok(()));
        let speech = GroupInput {
            kind: GroupKind::Correctional,
            correction_type: Some("speech".into()),
            ..group()
        };
        assert_eq!(validate_group(&speech, &known()), Ok(()));
        let cases: [(GroupInput, &str); 9] = [
            (
                GroupInput {
                    name: " ".into(),
                    ..group()
                },
                "name",
            ),
            (
                GroupInput {
                    name: "я".repeat(101),
                    ..group()
                },
                "name",
            ),
            (
                GroupInput {
                    birth_year: 2017,
                    ..group()
                },
                "birth_year",
            ),
            (
                GroupInput {
                    birth_year: 2026,
                    ..group()
                },
                "birth_year",
            ),
            (
                GroupInput {
                    language: "xx".into(),
                    ..group()
                },
                "language",
            ),
            (
                GroupInput {
                    age_group: Some("old".into()),
                    ..group()
                },
                "age_group",
            ),
            (
                GroupInput {
                    capacity: 0,
                    ..group()
                },
                "capacity",
            ),
            (
                GroupInput {
                    capacity: 101,
                    ..group()
                },
                "capacity",
            ),
            (
                GroupInput {
                    correction_type: Some("speech".into()),
                    ..group()
                },
                "correction_type",
            ),
        ];
        for (input, field) in cases {
            assert_eq!(
                fields(validate_group(&input, &known())),
                vec![field],
                "{input:?}"
            );
        }
        let missing = GroupInput {
            correction_type: None,
            ..speech.clone()
        };
        let unknown = GroupInput {
            correction_type: Some("x".into()),
            ..speech
        };
        assert_eq!(
            fields(validate_group(&missing, &known())),
            vec!["correction_type"]
        );
        assert_eq!(
            fields(validate_group(&unknown, &known())),
            vec!["correction_type"]
        );
        let edge = GroupInput {
            birth_year: 2018,
            name: "я".repeat(100),
            capacity: 100,
            ..group()
        };
        assert_eq!(validate_group(&edge, &known()), Ok(()));
    }

    fn card() -> OrganizationInput {
        OrganizationInput {
            bin: Bin::parse("990140000384").unwrap(),
            name_kk: "Балапан".into(),
            name_ru: "Балапан".into(),
            kato: Kato::parse("710000000").unwrap(),
            address: "Кенесары, 1".into(),
            phone: None,
            email: Some("info@balapan.kz".into()),
            website: Some("https://balapan.kz".into()),
            ownership: Ownership::State,
            latitude: Some(51.1),
            longitude: Some(71.4),
            working_hours: None,
            languages: vec!["kk".into(), "ru".into()],
            description: None,
            head_name: None,
        }
    }

    #[test]
    fn card_rules() {
        assert_eq!(validate_organization(&card(), &known()), Ok(()));
        let none = OrganizationInput {
            latitude: None,
            longitude: None,
            email: None,
            website: None,
            ..card()
        };
        assert_eq!(validate_organization(&none, &known()), Ok(()));
        let cases: [(OrganizationInput, &str); 10] = [
            (
                OrganizationInput {
                    name_ru: "".into(),
                    ..card()
                },
                "name_ru",
            ),
            (
                OrganizationInput {
                    address: " ".into(),
                    ..card()
                },
                "address",
            ),
            (
                OrganizationInput {
                    email: Some("a@b".into()),
                    ..card()
                },
                "email",
            ),
            (
                OrganizationInput {
                    email: Some("a@@b.kz".into()),
                    ..card()
                },
                "email",
            ),
            (
                OrganizationInput {
                    email: Some("a@b.".into()),
                    ..card()
                },
                "email",
            ),
            (
                OrganizationInput {
                    website: Some("balapan.kz".into()),
                    ..card()
                },
                "website",
            ),
            (
                OrganizationInput {
                    latitude: Some(90.5),
                    ..card()
                },
                "latitude",
            ),
            (
                OrganizationInput {
                    longitude: Some(-181.0),
                    ..card()
                },
                "longitude",
            ),
            (
                OrganizationInput {
                    longitude: None,
                    ..card()
                },
                "longitude",
            ),
            (
                OrganizationInput {
                    languages: vec!["de".into()],
                    ..card()
                },
                "languages",
            ),
        ];
        for (input, field) in cases {
            assert_eq!(
                fields(validate_organization(&input, &known())),
                vec![field],
                "{input:?}"
            );
        }
    }

    #[test]
    fn the_year_is_kazakhstan_time() {
        // 2024-12-31 20:00 UTC is already 2025 in Astana.
        assert_eq!(year_at(1_735_675_200), 2025);
        assert_eq!(year_at(1_735_675_200 - 3 * 3600), 2024);
    }

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
