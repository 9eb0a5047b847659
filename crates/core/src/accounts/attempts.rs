//! The login lockout: every password check of a login or a phone change is reserved (recorded)
//! before the password is hashed, in the transaction that checks the limits, so that no burst,
//! however parallel and across however many processes, gets more checks than the limits allow.

use crate::app::App;
use crate::db::accounts::login_attempts::{self as store, Limits};
use crate::db::{Backend, Tx};
use crate::tokens::sha256_hex;

/// The window the failures are counted in, which is also how long a lockout lasts.
pub const WINDOW_SECS: i64 = 15 * 60;
/// Failed checks per phone within the window before checks are refused.
pub const FAILURES_PER_PHONE: i64 = 10;
/// Failed checks per address within the window, for every phone behind it together.
pub const FAILURES_PER_IP: i64 = 50;

/// A check that was allowed and recorded as a failure until `succeeded` says otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Attempt {
    id: i64,
}

/// A PostgreSQL advisory lock key for `kind` and `value`, far from the fixed keys the
/// migrations and the register look-ups use.
fn lock_key(kind: &str, value: &str) -> i64 {
    let digest = sha256_hex(&["login-lock", kind, value]);
    i64::from_str_radix(&digest[..15], 16).unwrap_or(0) | (1 << 60)
}

/// Serializes the reservations of one phone and of one address across processes. Both locks
/// are taken in ascending key order, so two transactions never wait on each other in a circle.
/// SQLite's write transaction (`BEGIN IMMEDIATE`) already serializes every writer.
async fn lock(app: &App, tx: &mut Tx, phone: &str, ip: &str) -> Result<(), crate::db::Error> {
    if app.db.backend() == Backend::Postgres {
        let mut keys = [lock_key("phone", phone), lock_key("ip", ip)];
        keys.sort_unstable();
        for key in keys {
            crate::db::audit::lock_counting(&mut **tx, key).await?;
        }
    }
    Ok(())
}

/// Reserves one password check of `phone` (E.164) from `ip` inside `tx`; `None` when the phone
/// or the address has used up its checks for the window (the lockout).
pub async fn reserve(
    app: &App,
    tx: &mut Tx,
    phone: &str,
    ip: &str,
    now: i64,
) -> Result<Option<Attempt>, crate::db::Error> {
    lock(app, tx, phone, ip).await?;
    let limits = Limits {
        since: now - WINDOW_SECS,
        per_phone: FAILURES_PER_PHONE,
        per_ip: FAILURES_PER_IP,
    };
    Ok(store::reserve(&mut **tx, phone, ip, now, &limits)
        .await?
        .map(|id| Attempt { id }))
}

/// The password was right: the check no longer counts towards the lockout.
pub async fn succeeded(app: &App, attempt: Attempt) -> Result<(), crate::db::Error> {
    store::mark_succeeded(app.db.pool(), attempt.id).await
}

/// The check never ran (the hasher was busy): it is not counted.
pub async fn release(app: &App, attempt: Attempt) -> Result<(), crate::db::Error> {
    store::release(app.db.pool(), attempt.id).await
}

/// Deletes the checks older than the window; they count for nothing any more.
pub async fn purge_old(app: &App, now: i64) -> Result<u64, crate::db::Error> {
    store::purge_before(app.db.pool(), now - WINDOW_SECS).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn lock_keys_differ_by_kind_and_stay_clear_of_the_fixed_keys() {
        let phone = super::lock_key("phone", "+77010000000");
        let ip = super::lock_key("ip", "+77010000000");
        assert_ne!(phone, ip);
        assert!(phone > 7_271_002 && ip > 7_271_002);
    }
}
