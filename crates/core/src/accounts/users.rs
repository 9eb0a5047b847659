//! Storage of user accounts, the applicant behind a parent account, and staff bindings.

use sqlx::{Any, Executor, FromRow};

use crate::domain::{Person, Phone, Role};

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub phone: String,
    pub role: Role,
    pub password_hash: String,
    /// Set when an administrator blocked the account: it cannot log in.
    pub blocked_at: Option<i64>,
}

#[derive(FromRow)]
struct UserRow {
    id: i64,
    phone: String,
    role: String,
    password_hash: String,
    blocked_at: Option<i64>,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> User {
        User {
            id: row.id,
            phone: row.phone,
            // Roles are written only by this program; an unknown one is treated as the least powerful.
            role: Role::parse(&row.role).unwrap_or(Role::Parent),
            password_hash: row.password_hash,
            blocked_at: row.blocked_at,
        }
    }
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
        match &self.middle_name {
            Some(m) if !m.is_empty() => format!("{} {} {}", self.last_name, self.first_name, m),
            _ => format!("{} {}", self.last_name, self.first_name),
        }
    }
}

#[derive(Debug, Clone, Default, FromRow)]
pub struct StaffBinding {
    pub org_bin: Option<String>,
    pub kato: Option<String>,
}

const USER_COLUMNS: &str = "SELECT id, phone, role, password_hash, blocked_at FROM users";

pub async fn by_phone<'c>(
    ex: impl Executor<'c, Database = Any>,
    phone: &Phone,
) -> Result<Option<User>, crate::db::Error> {
    let row: Option<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{USER_COLUMNS} WHERE phone = $1"
    )))
    .bind(phone.as_e164())
    .fetch_optional(ex)
    .await?;
    Ok(row.map(User::from))
}

pub async fn by_id<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
) -> Result<Option<User>, crate::db::Error> {
    let row: Option<UserRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{USER_COLUMNS} WHERE id = $1")))
            .bind(id)
            .fetch_optional(ex)
            .await?;
    Ok(row.map(User::from))
}

pub async fn insert<'c>(
    ex: impl Executor<'c, Database = Any>,
    phone: &Phone,
    password_hash: &str,
    role: Role,
    now: i64,
) -> Result<i64, crate::db::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (phone, password_hash, role, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(phone.as_e164())
    .bind(password_hash)
    .bind(role.as_str())
    .bind(now)
    .fetch_one(ex)
    .await
}

pub async fn insert_applicant<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: i64,
    person: &Person,
) -> Result<(), crate::db::Error> {
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
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn insert_staff<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: i64,
    binding: &StaffBinding,
) -> Result<(), crate::db::Error> {
    sqlx::query("INSERT INTO staff (user_id, org_bin, kato) VALUES ($1, $2, $3)")
        .bind(user_id)
        .bind(binding.org_bin.as_deref())
        .bind(binding.kato.as_deref())
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn applicant<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: i64,
) -> Result<Option<Applicant>, crate::db::Error> {
    sqlx::query_as(
        "SELECT iin, last_name, first_name, middle_name, birth_date, sex FROM applicants WHERE user_id = $1",
    )
    .bind(user_id)
    .fetch_optional(ex)
    .await
}

pub async fn staff_binding<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: i64,
) -> Result<StaffBinding, crate::db::Error> {
    Ok(
        sqlx::query_as("SELECT org_bin, kato FROM staff WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(ex)
            .await?
            .unwrap_or_default(),
    )
}

pub async fn iin_taken<'c>(
    ex: impl Executor<'c, Database = Any>,
    iin: &str,
) -> Result<bool, crate::db::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applicants WHERE iin = $1")
        .bind(iin)
        .fetch_one(ex)
        .await?;
    Ok(n > 0)
}

pub async fn set_password<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: i64,
    password_hash: &str,
    now: i64,
) -> Result<(), crate::db::Error> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(password_hash)
        .bind(now)
        .bind(user_id)
        .execute(ex)
        .await?;
    Ok(())
}

pub async fn set_phone<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: i64,
    phone: &Phone,
    now: i64,
) -> Result<(), crate::db::Error> {
    sqlx::query("UPDATE users SET phone = $1, updated_at = $2 WHERE id = $3")
        .bind(phone.as_e164())
        .bind(now)
        .bind(user_id)
        .execute(ex)
        .await?;
    Ok(())
}

/// Remembers the interface language a user works in (for SMS sent when they are not looking).
pub async fn set_language<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: i64,
    lang: &str,
) -> Result<(), crate::db::Error> {
    sqlx::query(
        "UPDATE users SET language = $1 WHERE id = $2 AND (language IS NULL OR language <> $1)",
    )
    .bind(lang)
    .bind(user_id)
    .execute(ex)
    .await?;
    Ok(())
}

pub async fn language<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: i64,
) -> Result<Option<String>, crate::db::Error> {
    Ok(
        sqlx::query_scalar::<_, Option<String>>("SELECT language FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(ex)
            .await?
            .flatten(),
    )
}
