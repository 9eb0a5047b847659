//! Storage of one-time SMS codes: issued hashed, checked with a bounded number of wrong tries.
//! Each row is one SMS sent, so the same rows are the ledger the send limits count.

use sqlx::FromRow;

use crate::db::Tx;
use crate::domain::Phone;
use crate::domain::otp::{CODE_TTL_SECS, MAX_WRONG_ATTEMPTS};
use crate::tokens::{random_token, same_secret, sha256_hex};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Register,
    Reset,
    ChangePhone,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::Reset => "reset",
            Purpose::ChangePhone => "change_phone",
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
pub enum CodeCheck {
    Accepted,
    Wrong {
        attempts_left: i64,
    },
    /// None was sent, or the last one expired or was used.
    Expired,
    /// Too many wrong tries on this phone's codes.
    Locked,
}

fn hash_code(salt: &str, phone: &Phone, purpose: Purpose, code: &str) -> String {
    let digest = sha256_hex(&["otp", salt, phone.as_e164(), purpose.as_str(), code]);
    format!("{salt}:{digest}")
}

/// Send times (unix seconds) to this phone in the last day and from this address in the last hour.
pub async fn recent_sends(
    tx: &mut Tx,
    phone: &Phone,
    ip: &str,
    now: i64,
) -> Result<(Vec<i64>, Vec<i64>), crate::db::Error> {
    let by_phone =
        sqlx::query_scalar("SELECT created_at FROM otp_codes WHERE phone = $1 AND created_at > $2")
            .bind(phone.as_e164())
            .bind(now - 86_400)
            .fetch_all(&mut **tx)
            .await?;
    let by_ip =
        sqlx::query_scalar("SELECT created_at FROM otp_codes WHERE ip = $1 AND created_at > $2")
            .bind(ip)
            .bind(now - 3_600)
            .fetch_all(&mut **tx)
            .await?;
    Ok((by_phone, by_ip))
}

#[derive(FromRow)]
struct CodeRow {
    id: i64,
    code_hash: String,
    expires_at: i64,
    failed_attempts: i64,
    created_at: i64,
}

async fn latest_open(
    tx: &mut Tx,
    phone: &Phone,
    purpose: Purpose,
) -> Result<Option<CodeRow>, crate::db::Error> {
    sqlx::query_as(
        "SELECT id, code_hash, expires_at, failed_attempts, created_at FROM otp_codes
         WHERE phone = $1 AND purpose = $2 AND consumed_at IS NULL ORDER BY id DESC LIMIT 1",
    )
    .bind(phone.as_e164())
    .bind(purpose.as_str())
    .fetch_optional(&mut **tx)
    .await
}

/// Records a new code. Wrong tries on the previous unused code of the last hour carry over,
/// so asking for a new code does not buy five more guesses.
pub async fn issue(
    tx: &mut Tx,
    phone: &Phone,
    purpose: Purpose,
    code: &str,
    ip: &str,
    now: i64,
) -> Result<(), crate::db::Error> {
    let carried = match latest_open(tx, phone, purpose).await? {
        Some(prev) if prev.created_at > now - 3_600 => prev.failed_attempts,
        _ => 0,
    };
    let salt = &random_token()[..16];
    sqlx::query(
        "INSERT INTO otp_codes (phone, purpose, code_hash, created_at, expires_at, failed_attempts, ip)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(phone.as_e164())
    .bind(purpose.as_str())
    .bind(hash_code(salt, phone, purpose, code))
    .bind(now)
    .bind(now + CODE_TTL_SECS)
    .bind(carried)
    .bind(ip)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Checks `code` against the latest code sent for `purpose`, using it up when it matches.
/// The updates are conditional so that two concurrent checks cannot both win or both miscount.
pub async fn check(
    tx: &mut Tx,
    phone: &Phone,
    purpose: Purpose,
    code: &str,
    now: i64,
) -> Result<CodeCheck, crate::db::Error> {
    let Some(row) = latest_open(tx, phone, purpose).await? else {
        return Ok(CodeCheck::Expired);
    };
    if row.failed_attempts >= MAX_WRONG_ATTEMPTS {
        return Ok(CodeCheck::Locked);
    }
    if row.expires_at <= now {
        return Ok(CodeCheck::Expired);
    }
    let salt = row.code_hash.split(':').next().unwrap_or_default();
    let code = code.trim();
    if same_secret(&hash_code(salt, phone, purpose, code), &row.code_hash) {
        let used = sqlx::query(
            "UPDATE otp_codes SET consumed_at = $1 WHERE id = $2 AND consumed_at IS NULL AND failed_attempts < $3",
        )
        .bind(now)
        .bind(row.id)
        .bind(MAX_WRONG_ATTEMPTS)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        return Ok(if used == 1 {
            CodeCheck::Accepted
        } else {
            CodeCheck::Expired
        });
    }
    let counted = sqlx::query(
        "UPDATE otp_codes SET failed_attempts = failed_attempts + 1 WHERE id = $1 AND failed_attempts < $2",
    )
    .bind(row.id)
    .bind(MAX_WRONG_ATTEMPTS)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let attempts_left = MAX_WRONG_ATTEMPTS - row.failed_attempts - 1;
    Ok(if counted == 0 || attempts_left <= 0 {
        CodeCheck::Locked
    } else {
        CodeCheck::Wrong { attempts_left }
    })
}

pub async fn purge_old(pool: &sqlx::AnyPool, now: i64) -> Result<u64, crate::db::Error> {
    Ok(sqlx::query("DELETE FROM otp_codes WHERE created_at < $1")
        .bind(now - 2 * 86_400)
        .execute(pool)
        .await?
        .rows_affected())
}
