//! A sign-up in progress after its phone was verified: the browser holds a random token in
//! a cookie, the table holds its hash, the verified phone and, after step two, the password hash.

use sqlx::FromRow;

use crate::db::Tx;
use crate::tokens::{random_token, sha256_hex};

/// Time a parent has from the verified code to the last step.
pub const FLOW_TTL_SECS: i64 = 30 * 60;

#[derive(Debug, Clone, FromRow)]
pub struct Flow {
    pub phone: String,
    pub password_hash: Option<String>,
}

fn hash(token: &str) -> String {
    sha256_hex(&["flow", token])
}

pub async fn start(
    tx: &mut Tx,
    purpose: &str,
    phone: &str,
    now: i64,
) -> Result<String, crate::db::Error> {
    let token = random_token();
    sqlx::query(
        "INSERT INTO auth_flows (token_hash, purpose, phone, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash(&token))
    .bind(purpose)
    .bind(phone)
    .bind(now)
    .bind(now + FLOW_TTL_SECS)
    .execute(&mut **tx)
    .await?;
    Ok(token)
}

pub async fn get(
    pool: &sqlx::AnyPool,
    token: &str,
    purpose: &str,
    now: i64,
) -> Result<Option<Flow>, crate::db::Error> {
    sqlx::query_as(
        "SELECT phone, password_hash FROM auth_flows WHERE token_hash = $1 AND purpose = $2 AND expires_at > $3",
    )
    .bind(hash(token))
    .bind(purpose)
    .bind(now)
    .fetch_optional(pool)
    .await
}

pub async fn set_password(
    pool: &sqlx::AnyPool,
    token: &str,
    password_hash: &str,
) -> Result<(), crate::db::Error> {
    sqlx::query("UPDATE auth_flows SET password_hash = $1 WHERE token_hash = $2")
        .bind(password_hash)
        .bind(hash(token))
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn finish(tx: &mut Tx, token: &str) -> Result<(), crate::db::Error> {
    sqlx::query("DELETE FROM auth_flows WHERE token_hash = $1")
        .bind(hash(token))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn purge_expired(pool: &sqlx::AnyPool, now: i64) -> Result<u64, crate::db::Error> {
    Ok(sqlx::query("DELETE FROM auth_flows WHERE expires_at < $1")
        .bind(now)
        .execute(pool)
        .await?
        .rows_affected())
}
