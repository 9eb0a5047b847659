//! Storage of one-time SMS codes: issued hashed, checked with a bounded number of wrong tries.
//! Each row is one SMS sent, so the same rows are the ledger the send limits count.

use crate::db::accounts::codes::{self as store, CodeRow, NewCode};
use crate::db::{Db, Tx};
use crate::domain::Phone;
use crate::domain::otp::{CODE_TTL_SECS, MAX_WRONG_ATTEMPTS};
use crate::tokens::{hmac_sha256_hex, random_token, same_secret};

/// The key one-time codes are hashed under (HMAC-SHA256). A six-digit code has a million
/// values: a salted plain hash of one falls to an offline search in microseconds, a keyed one
/// cannot be searched without the key. It is the `otp_key` setting when one is given (then a
/// dump of the whole database reveals no code), else it lives in the database
/// (`server_secrets`, row `otp_hmac_key`), made at random by the first process that starts and
/// shared by every other, so that a copy of the `otp_codes` table alone reveals no code.
#[derive(Clone)]
pub struct CodeKey(Vec<u8>);

impl CodeKey {
    const NAME: &'static str = "otp_hmac_key";

    /// The configured key, else the database's, made now if there is none yet.
    pub async fn load(
        configured: Option<&str>,
        db: &Db,
        now: i64,
    ) -> Result<CodeKey, crate::db::Error> {
        if let Some(key) = configured {
            return Ok(CodeKey(key.as_bytes().to_vec()));
        }
        let fresh = random_token();
        let key =
            crate::db::accounts::secrets::get_or_insert(db.pool(), Self::NAME, &fresh, now).await?;
        Ok(CodeKey(key.into_bytes()))
    }

    #[cfg(test)]
    fn fixed(key: &str) -> CodeKey {
        CodeKey(key.as_bytes().to_vec())
    }
}

impl std::fmt::Debug for CodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CodeKey(***)")
    }
}

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

fn hash_code(key: &CodeKey, salt: &str, phone: &Phone, purpose: Purpose, code: &str) -> String {
    let digest = hmac_sha256_hex(
        &key.0,
        &["otp", salt, phone.as_e164(), purpose.as_str(), code],
    );
    format!("{salt}:{digest}")
}

/// Send times (unix seconds) to this phone in the last day and from this address in the last hour.
pub async fn recent_sends(
    tx: &mut Tx,
    phone: &Phone,
    ip: &str,
    now: i64,
) -> Result<(Vec<i64>, Vec<i64>), crate::db::Error> {
    let by_phone = store::sent_to_phone(&mut **tx, phone.as_e164(), now - 86_400).await?;
    let by_ip = store::sent_from_ip(&mut **tx, ip, now - 3_600).await?;
    Ok((by_phone, by_ip))
}

async fn latest_open(
    tx: &mut Tx,
    phone: &Phone,
    purpose: Purpose,
) -> Result<Option<CodeRow>, crate::db::Error> {
    store::latest_open(&mut **tx, phone.as_e164(), purpose.as_str()).await
}

/// Records a new code. Wrong tries on the previous unused code of the last hour carry over,
/// so asking for a new code does not buy five more guesses.
pub async fn issue(
    tx: &mut Tx,
    key: &CodeKey,
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
    store::insert(
        &mut **tx,
        NewCode {
            phone: phone.as_e164(),
            purpose: purpose.as_str(),
            code_hash: hash_code(key, salt, phone, purpose, code),
            created_at: now,
            expires_at: now + CODE_TTL_SECS,
            failed_attempts: carried,
            ip,
        },
    )
    .await?;
    Ok(())
}

/// Checks `code` against the latest code sent for `purpose`, using it up when it matches.
/// The updates are conditional so that two concurrent checks cannot both win or both miscount.
pub async fn check(
    tx: &mut Tx,
    key: &CodeKey,
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
    if same_secret(&hash_code(key, salt, phone, purpose, code), &row.code_hash) {
        let used = store::consume(&mut **tx, row.id, now, MAX_WRONG_ATTEMPTS).await?;
        return Ok(if used {
            CodeCheck::Accepted
        } else {
            CodeCheck::Expired
        });
    }
    let counted = store::count_wrong_try(&mut **tx, row.id, MAX_WRONG_ATTEMPTS).await?;
    let attempts_left = MAX_WRONG_ATTEMPTS - row.failed_attempts - 1;
    Ok(if !counted || attempts_left <= 0 {
        CodeCheck::Locked
    } else {
        CodeCheck::Wrong { attempts_left }
    })
}

/// Makes the code used up at `now` by `check` usable again, when the step it was for could not
/// finish for a reason that is not the owner's (the password hasher was busy).
pub async fn give_back(
    pool: impl crate::db::Executor<'_>,
    phone: &Phone,
    purpose: Purpose,
    now: i64,
) -> Result<(), crate::db::Error> {
    store::give_back(pool, phone.as_e164(), purpose.as_str(), now).await
}

pub async fn purge_old(
    pool: impl crate::db::Executor<'_>,
    now: i64,
) -> Result<u64, crate::db::Error> {
    store::purge_sent_before(pool, now - 2 * 86_400).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_hashes_depend_on_the_key() {
        let phone = Phone::parse("+77010000000").unwrap();
        let a = hash_code(
            &CodeKey::fixed("one"),
            "salt",
            &phone,
            Purpose::Reset,
            "123456",
        );
        let b = hash_code(
            &CodeKey::fixed("two"),
            "salt",
            &phone,
            Purpose::Reset,
            "123456",
        );
        assert_ne!(a, b);
        assert!(a.starts_with("salt:"));
        assert!(!a.contains("123456"));
    }
}
