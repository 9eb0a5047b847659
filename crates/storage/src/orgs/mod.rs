//! Preschool organizations (`organizations`): the card as stored and its changes. Their groups
//! are in `groups`, the free places and departures in `vacancies`.

pub mod groups;
pub mod vacancies;

use serde::Serialize;
use sqlx::{Arguments, AssertSqlSafe, FromRow};

use crate::{Error, Executor, Tx};

pub const ORGANIZATION_COLUMNS: &str = "id, bin, name_kk, name_ru, kato, address, phone, email, website, ownership, \
     latitude, longitude, working_hours, languages, description, head_name, active, photo";

/// An organization's card, as stored.
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct OrganizationRow {
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

impl OrganizationRow {
    /// The name in the visitor's language (`kezek_domain::Names`).
    pub fn name(&self, lang: &str) -> &str {
        kezek_domain::Names::new(&self.name_kk, &self.name_ru, None).get(lang)
    }
}

/// The card's columns as they are written, in the order of `card_arguments`.
#[derive(Debug, Clone, Copy)]
pub struct Card<'a> {
    pub bin: &'a str,
    pub name_kk: &'a str,
    pub name_ru: &'a str,
    pub kato: &'a str,
    pub address: &'a str,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub website: Option<&'a str>,
    pub ownership: &'a str,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub working_hours: Option<&'a str>,
    /// Comma-separated language codes, `None` for none.
    pub languages: Option<&'a str>,
    pub description: Option<&'a str>,
    pub head_name: Option<&'a str>,
}

pub async fn by_id(e: impl Executor<'_>, id: i64) -> Result<Option<OrganizationRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {ORGANIZATION_COLUMNS} FROM organizations WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(e)
    .await
}

pub async fn by_bin(e: impl Executor<'_>, bin: &str) -> Result<Option<OrganizationRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {ORGANIZATION_COLUMNS} FROM organizations WHERE bin = $1"
    )))
    .bind(bin)
    .fetch_optional(e)
    .await
}

/// A coordinate as a DOUBLE PRECISION argument, also when missing. sqlx 0.9's `Any` driver
/// sends a missing `f64` to PostgreSQL as a REAL (and a missing `f32` as a DOUBLE PRECISION): a
/// connection whose cached INSERT was first prepared for an organization without coordinates
/// then refuses one with coordinates ("incorrect binary data format"). A missing `f32` is
/// therefore what declares the parameter DOUBLE PRECISION; on SQLite both are NULL.
fn add_coordinate(args: &mut sqlx::any::AnyArguments, value: Option<f64>) {
    let _ = match value {
        Some(v) => args.add(v),
        None => args.add(None::<f32>),
    };
}

/// The card's columns as query arguments `$1`..`$15`: bin, names, kato, address, phone, email,
/// website, ownership, coordinates, working hours, languages, description, head.
fn card_arguments(card: &Card<'_>) -> sqlx::any::AnyArguments {
    let mut args = sqlx::any::AnyArguments::default();
    // Adding a value to `AnyArguments` cannot fail for these types.
    let _ = args.add(card.bin);
    let _ = args.add(card.name_kk);
    let _ = args.add(card.name_ru);
    let _ = args.add(card.kato);
    let _ = args.add(card.address);
    let _ = args.add(card.phone);
    let _ = args.add(card.email);
    let _ = args.add(card.website);
    let _ = args.add(card.ownership);
    add_coordinate(&mut args, card.latitude);
    add_coordinate(&mut args, card.longitude);
    let _ = args.add(card.working_hours);
    let _ = args.add(card.languages);
    let _ = args.add(card.description);
    let _ = args.add(card.head_name);
    args
}

/// A new active organization; its id.
pub async fn insert(tx: &mut Tx, card: &Card<'_>, now: i64) -> Result<i64, Error> {
    sqlx::query_scalar_with(
        "INSERT INTO organizations (bin, name_kk, name_ru, kato, address, phone, email, website, ownership,
            latitude, longitude, working_hours, languages, description, head_name, active, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16, $16)
         RETURNING id",
        card_arguments(card),
    )
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// `RowNotFound` when there is no such organization.
pub async fn update(tx: &mut Tx, id: i64, card: &Card<'_>, now: i64) -> Result<(), Error> {
    let done = sqlx::query_with(
        "UPDATE organizations SET bin = $1, name_kk = $2, name_ru = $3, kato = $4, address = $5,
            phone = $6, email = $7, website = $8, ownership = $9, latitude = $10, longitude = $11,
            working_hours = $12, languages = $13, description = $14, head_name = $15, updated_at = $16
         WHERE id = $17",
        card_arguments(card),
    )
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    found(done.rows_affected())
}

fn found(rows: u64) -> Result<(), Error> {
    if rows == 0 {
        Err(Error::RowNotFound)
    } else {
        Ok(())
    }
}

/// `RowNotFound` when there is no such organization.
pub async fn set_active(tx: &mut Tx, id: i64, active: bool, now: i64) -> Result<(), Error> {
    let done = sqlx::query("UPDATE organizations SET active = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(active))
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    found(done.rows_affected())
}

/// Replaces the organization's photo (its storage key; `None` for none).
pub async fn set_photo(
    e: impl Executor<'_>,
    id: i64,
    key: Option<&str>,
    now: i64,
) -> Result<(), Error> {
    sqlx::query("UPDATE organizations SET photo = $1, updated_at = $2 WHERE id = $3")
        .bind(key)
        .bind(now)
        .bind(id)
        .execute(e)
        .await?;
    Ok(())
}

/// The active reference codes a card or a group may use: (kind, code) of the languages,
/// correction types and age groups.
pub async fn usable_codes(e: impl Executor<'_>) -> Result<Vec<(String, String)>, Error> {
    sqlx::query_as(
        "SELECT kind, code FROM reference_items
         WHERE active = 1 AND kind IN ('language', 'correction_type', 'age_group')",
    )
    .fetch_all(e)
    .await
}

/// How many units of the KATO classifier have this code: 0 or 1.
pub async fn kato_count(e: impl Executor<'_>, code: &str) -> Result<i64, Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM kato WHERE code = $1")
        .bind(code)
        .fetch_one(e)
        .await
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

fn area_pattern(kato_prefix: &str) -> String {
    format!("{}%", like_escape(kato_prefix))
}

/// How many organizations have a KATO code starting with `kato_prefix` ("" = all), only the
/// active ones if `only_active`.
pub async fn count_in_area(
    e: impl Executor<'_>,
    kato_prefix: &str,
    only_active: bool,
) -> Result<i64, Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM organizations WHERE kato LIKE $1 ESCAPE '\\' AND active >= $2",
    )
    .bind(area_pattern(kato_prefix))
    .bind(i64::from(only_active))
    .fetch_one(e)
    .await
}

/// One page of the organizations of an area, by `name_ru`.
pub async fn page_in_area(
    e: impl Executor<'_>,
    kato_prefix: &str,
    only_active: bool,
    offset: i64,
    limit: i64,
) -> Result<Vec<OrganizationRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {ORGANIZATION_COLUMNS} FROM organizations
         WHERE kato LIKE $1 ESCAPE '\\' AND active >= $2
         ORDER BY name_ru, id LIMIT $3 OFFSET $4"
    )))
    .bind(area_pattern(kato_prefix))
    .bind(i64::from(only_active))
    .bind(limit)
    .bind(offset)
    .fetch_all(e)
    .await
}

/// The searchable columns of an area's organizations, by `name_ru`: id, bin, name_kk, name_ru
/// and address.
pub async fn searchable_in_area(
    e: impl Executor<'_>,
    kato_prefix: &str,
    only_active: bool,
) -> Result<Vec<(i64, String, String, String, String)>, Error> {
    sqlx::query_as(
        "SELECT id, bin, name_kk, name_ru, address FROM organizations
         WHERE kato LIKE $1 ESCAPE '\\' AND active >= $2
         ORDER BY name_ru, id",
    )
    .bind(area_pattern(kato_prefix))
    .bind(i64::from(only_active))
    .fetch_all(e)
    .await
}

/// The organizations of `ids` (one page of them), by `name_ru`.
pub async fn with_ids(e: impl Executor<'_>, ids: &[i64]) -> Result<Vec<OrganizationRow>, Error> {
    let sql = format!(
        "SELECT {ORGANIZATION_COLUMNS} FROM organizations WHERE id IN ({}) ORDER BY name_ru, id",
        crate::binds(1, ids.len())
    );
    let mut query = sqlx::query_as(AssertSqlSafe(sql));
    for id in ids {
        query = query.bind(*id);
    }
    query.fetch_all(e).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn wildcards_in_an_area_are_literal() {
        assert_eq!(super::like_escape("7_1%\\"), "7\\_1\\%\\\\");
        assert_eq!(super::area_pattern("75"), "75%");
    }
}
