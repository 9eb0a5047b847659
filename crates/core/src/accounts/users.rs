//! User accounts, the applicant behind a parent account, and staff bindings: the statements
//! are in `db::accounts::users`; here the role is decoded.

use crate::db::Executor;
use crate::db::accounts::users as store;
use crate::domain::{Person, Phone, Role};

pub use store::{Applicant, StaffBinding};

#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub phone: String,
    pub role: Role,
    pub password_hash: String,
    /// Set when an administrator blocked the account: it cannot log in.
    pub blocked_at: Option<i64>,
}

impl From<store::UserRow> for User {
    fn from(row: store::UserRow) -> User {
        User {
            id: row.id,
            phone: row.phone,
            role: row.role,
            password_hash: row.password_hash,
            blocked_at: row.blocked_at,
        }
    }
}

pub async fn by_phone<'c>(
    ex: impl Executor<'c>,
    phone: &Phone,
) -> Result<Option<User>, crate::db::Error> {
    Ok(store::by_phone(ex, phone).await?.map(User::from))
}

pub async fn by_id<'c>(ex: impl Executor<'c>, id: i64) -> Result<Option<User>, crate::db::Error> {
    Ok(store::by_id(ex, id).await?.map(User::from))
}

pub async fn insert<'c>(
    ex: impl Executor<'c>,
    phone: &Phone,
    password_hash: &str,
    role: Role,
    now: i64,
) -> Result<i64, crate::db::Error> {
    store::insert(ex, phone, password_hash, role, now).await
}

pub async fn insert_applicant<'c>(
    ex: impl Executor<'c>,
    user_id: i64,
    person: &Person,
) -> Result<(), crate::db::Error> {
    store::insert_applicant(ex, user_id, person).await
}

pub async fn insert_staff<'c>(
    ex: impl Executor<'c>,
    user_id: i64,
    binding: &StaffBinding,
) -> Result<(), crate::db::Error> {
    store::insert_staff(ex, user_id, binding).await
}

pub async fn applicant<'c>(
    ex: impl Executor<'c>,
    user_id: i64,
) -> Result<Option<Applicant>, crate::db::Error> {
    store::applicant(ex, user_id).await
}

pub async fn staff_binding<'c>(
    ex: impl Executor<'c>,
    user_id: i64,
) -> Result<StaffBinding, crate::db::Error> {
    Ok(store::staff_binding(ex, user_id).await?.unwrap_or_default())
}

pub async fn iin_taken<'c>(ex: impl Executor<'c>, iin: &str) -> Result<bool, crate::db::Error> {
    Ok(store::applicants_with_iin(ex, iin).await? > 0)
}

pub async fn set_password<'c>(
    ex: impl Executor<'c>,
    user_id: i64,
    password_hash: &str,
    now: i64,
) -> Result<(), crate::db::Error> {
    store::set_password(ex, user_id, password_hash, now).await
}

pub async fn set_phone<'c>(
    ex: impl Executor<'c>,
    user_id: i64,
    phone: &Phone,
    now: i64,
) -> Result<(), crate::db::Error> {
    store::set_phone(ex, user_id, phone, now).await
}

/// Remembers the interface language a user works in (for SMS sent when they are not looking).
pub async fn set_language<'c>(
    ex: impl Executor<'c>,
    user_id: i64,
    lang: &str,
) -> Result<(), crate::db::Error> {
    store::set_language(ex, user_id, lang).await
}

pub async fn language<'c>(
    ex: impl Executor<'c>,
    user_id: i64,
) -> Result<Option<String>, crate::db::Error> {
    Ok(store::language(ex, user_id).await?.flatten())
}
