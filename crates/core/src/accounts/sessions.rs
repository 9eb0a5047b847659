//! Server-side sessions: the cookie carries a random token, the table only its hash, so
//! several `kezek serve` processes share sessions and a stolen table opens none.

use crate::db::Executor;
use crate::db::accounts::sessions as store;
use crate::tokens::{random_token, sha256_hex};

/// Writing `last_seen_at` on every request would make every page view a write.
const TOUCH_EVERY_SECS: i64 = 60;

pub fn hash(token: &str) -> String {
    sha256_hex(&["session", token])
}

pub async fn create<'c>(
    ex: impl Executor<'c>,
    user_id: i64,
    ip: &str,
    now: i64,
) -> Result<String, crate::db::Error> {
    let token = random_token();
    store::insert(ex, &hash(&token), user_id, ip, now).await?;
    Ok(token)
}

/// The user of a live session, extending its idle deadline.
pub async fn resolve(
    pool: impl Executor<'_> + Copy,
    token: &str,
    now: i64,
    idle_secs: i64,
    absolute_secs: i64,
) -> Result<Option<i64>, crate::db::Error> {
    let token_hash = hash(token);
    let Some((user_id, created_at, last_seen_at)) = store::find(pool, &token_hash).await? else {
        return Ok(None);
    };
    if now - last_seen_at >= idle_secs || now - created_at >= absolute_secs {
        delete(pool, token).await?;
        return Ok(None);
    }
    if now - last_seen_at >= TOUCH_EVERY_SECS {
        store::touch(pool, &token_hash, now).await?;
    }
    Ok(Some(user_id))
}

pub async fn delete<'c>(ex: impl Executor<'c>, token: &str) -> Result<(), crate::db::Error> {
    store::delete(ex, &hash(token)).await
}

/// Ends every session of a user except the one whose token is `keep`.
pub async fn delete_all_for_user<'c>(
    ex: impl Executor<'c>,
    user_id: i64,
    keep: Option<&str>,
) -> Result<(), crate::db::Error> {
    store::delete_all_for_user_but(ex, user_id, keep.map(hash).unwrap_or_default()).await
}

pub async fn purge_expired(
    pool: impl Executor<'_>,
    now: i64,
    idle_secs: i64,
    absolute_secs: i64,
) -> Result<u64, crate::db::Error> {
    store::purge_expired(pool, now - idle_secs, now - absolute_secs).await
}
