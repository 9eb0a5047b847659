//! User accounts, the applicant behind a parent account, and staff bindings.

use kezek_domain::{Person, Phone, Role};
use sqlx::{AssertSqlSafe, FromRow};

use crate::{Error, Executor};

/// A user as stored. A role this program never writes is a decode error, not a guess.
#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: i64,
    pub phone: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub password_hash: String,
    pub blocked_at: Option<i64>,
}

/// The applicant's data as shown in the personal cabinet.
#[derive(Debug, Clone, FromRow)]
pub struct Applicant {
    pub iin: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: String,
    pub sex: String,
}

impl Applicant {
    pub fn full_name(&self) -> String {
        kezek_domain::names::full_name(
            &self.last_name,
            &self.first_name,
            self.middle_name.as_deref(),
        )
    }
}

/// What a staff account is bound to: an organization (by BIN) or an area (by KATO code).
#[derive(Debug, Clone, Default, FromRow)]
pub struct StaffBinding {
    pub org_bin: Option<String>,
    pub kato: Option<String>,
}

const USER_COLUMNS: &str = "SELECT id, phone, role, password_hash, blocked_at FROM users";

pub async fn by_phone(e: impl Executor<'_>, phone: &Phone) -> Result<Option<UserRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!("{USER_COLUMNS} WHERE phone = $1")))
        .bind(phone.as_e164())
        .fetch_optional(e)
        .await
}

pub async fn by_id(e: impl Executor<'_>, id: i64) -> Result<Option<UserRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!("{USER_COLUMNS} WHERE id = $1")))
        .bind(id)
        .fetch_optional(e)
        .await
}

pub async fn insert(
    e: impl Executor<'_>,
    phone: &Phone,
    password_hash: &str,
    role: Role,
    now: i64,
) -> Result<i64, Error> {
    sqlx::query_scalar(
        "INSERT INTO users (phone, password_hash, role, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(phone.as_e164())
    .bind(password_hash)
    .bind(role.as_str())
    .bind(now)
    .fetch_one(e)
    .await
}

pub async fn insert_applicant(
    e: impl Executor<'_>,
    user_id: i64,
    person: &Person,
) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO applicants (user_id, iin, last_name, first_name, middle_name, birth_date, sex)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(user_id)
    .bind(person.iin.as_str())
    .bind(&person.last_name)
    .bind(&person.first_name)
    .bind(person.middle_name.as_deref())
    .bind(person.birth_date.format("%Y-%m-%d").to_string())
    .bind(person.sex.code())
    .execute(e)
    .await?;
    Ok(())
}

pub async fn insert_staff(
    e: impl Executor<'_>,
    user_id: i64,
    binding: &StaffBinding,
) -> Result<(), Error> {
    sqlx::query("INSERT INTO staff (user_id, org_bin, kato) VALUES ($1, $2, $3)")
        .bind(user_id)
        .bind(binding.org_bin.as_deref())
        .bind(binding.kato.as_deref())
        .execute(e)
        .await?;
    Ok(())
}

pub async fn applicant(e: impl Executor<'_>, user_id: i64) -> Result<Option<Applicant>, Error> {
    sqlx::query_as(
        "SELECT iin, last_name, first_name, middle_name, birth_date, sex FROM applicants WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(e)
    .await
}

/// The binding of a staff account; `None` when it has none.
pub async fn staff_binding(
    e: impl Executor<'_>,
    user_id: i64,
) -> Result<Option<StaffBinding>, Error> {
    sqlx::query_as("SELECT org_bin, kato FROM staff WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(e)
        .await
}

/// How many applicants have this IIN.
pub async fn applicants_with_iin(e: impl Executor<'_>, iin: &str) -> Result<i64, Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM applicants WHERE iin = $1")
        .bind(iin)
        .fetch_one(e)
        .await
}

pub async fn set_password(
    e: impl Executor<'_>,
    user_id: i64,
    password_hash: &str,
    now: i64,
) -> Result<(), Error> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(now)
        .bind(user_id)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn set_phone(
    e: impl Executor<'_>,
    user_id: i64,
    phone: &Phone,
    now: i64,
) -> Result<(), Error> {
    sqlx::query("UPDATE users SET phone = $1, updated_at = $2 WHERE id = $3")
        .bind(phone.as_e164())
        .bind(now)
        .bind(user_id)
        .execute(e)
        .await?;
    Ok(())
}

/// Remembers the interface language a user works in, writing only when it changed.
pub async fn set_language(e: impl Executor<'_>, user_id: i64, lang: &str) -> Result<(), Error> {
    sqlx::query(
        "UPDATE users SET language = $1 WHERE id = $2 AND (language IS NULL OR language <> $1)",
    )
    .bind(lang)
    .bind(user_id)
    .execute(e)
    .await?;
    Ok(())
}

/// The user's language; the outer `None` for an unknown user.
pub async fn language(e: impl Executor<'_>, user_id: i64) -> Result<Option<Option<String>>, Error> {
    sqlx::query_scalar::<_, Option<String>>("SELECT language FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(e)
        .await
}

pub async fn set_role(
    e: impl Executor<'_>,
    user_id: i64,
    role: Role,
    now: i64,
) -> Result<(), Error> {
    sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
        .bind(role.as_str())
        .bind(now)
        .bind(user_id)
        .execute(e)
        .await?;
    Ok(())
}

/// Inserts or replaces the binding of a staff account.
pub async fn upsert_staff(
    e: impl Executor<'_>,
    user_id: i64,
    binding: &StaffBinding,
) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO staff (user_id, org_bin, kato) VALUES ($1, $2, $3)
             ON CONFLICT (user_id) DO UPDATE SET org_bin = excluded.org_bin, kato = excluded.kato",
    )
    .bind(user_id)
    .bind(binding.org_bin.as_deref())
    .bind(binding.kato.as_deref())
    .execute(e)
    .await?;
    Ok(())
}

pub async fn set_blocked_at(
    e: impl Executor<'_>,
    user_id: i64,
    blocked_at: Option<i64>,
    now: i64,
) -> Result<(), Error> {
    sqlx::query("UPDATE users SET blocked_at = $1, updated_at = $2 WHERE id = $3")
        .bind(blocked_at)
        .bind(now)
        .bind(user_id)
        .execute(e)
        .await?;
    Ok(())
}

/// `blocked_at` of the user; the outer `None` for an unknown user.
pub async fn blocked_at(e: impl Executor<'_>, user_id: i64) -> Result<Option<Option<i64>>, Error> {
    sqlx::query_scalar("SELECT blocked_at FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(e)
        .await
}
