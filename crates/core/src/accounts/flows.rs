//! A sign-up in progress after its phone was verified: the browser holds a random token in
//! a cookie, the table holds its hash, the verified phone and, after step two, the password hash.

use crate::db::accounts::flows as store;
use crate::db::{Executor, Tx};
use crate::tokens::{random_token, sha256_hex};

pub use store::Flow;

/// Time a parent has from the verified code to the last step.
pub const FLOW_TTL_SECS: i64 = 30 * 60;

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
    store::insert(
        &mut **tx,
        &hash(&token),
        purpose,
        phone,
        now,
        now + FLOW_TTL_SECS,
    )
    .await?;
    Ok(token)
}

pub async fn get(
    pool: impl Executor<'_>,
    token: &str,
    purpose: &str,
    now: i64,
) -> Result<Option<Flow>, crate::db::Error> {
    store::live(pool, &hash(token), purpose, now).await
}

pub async fn set_password(
    pool: impl Executor<'_>,
    token: &str,
    password_hash: &str,
) -> Result<(), crate::db::Error> {
    store::set_password(pool, &hash(token), password_hash).await
}

/// Times the password step of one sign-up may be hashed (typed again after going back, say).
pub const MAX_PASSWORD_HASHINGS: i64 = 5;

/// Counts one hashing of the sign-up's password before it is made; `false` once the sign-up
/// has had its `MAX_PASSWORD_HASHINGS` (or ended), so one token cannot keep the hasher busy.
pub async fn reserve_password_hashing(
    pool: impl Executor<'_>,
    token: &str,
    now: i64,
) -> Result<bool, crate::db::Error> {
    store::reserve_password_hashing(pool, &hash(token), now, MAX_PASSWORD_HASHINGS).await
}

pub async fn finish(tx: &mut Tx, token: &str) -> Result<(), crate::db::Error> {
    store::delete(&mut **tx, &hash(token)).await
}

pub async fn purge_expired(pool: impl Executor<'_>, now: i64) -> Result<u64, crate::db::Error> {
    store::purge_expired(pool, now).await
}
