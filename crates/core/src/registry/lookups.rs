//! Look-ups in the register of individuals made for a person at the keyboard ("Проверить ИИН"
//! in "Добавить ребенка", the sign-up's IIN step): each is counted against the account and the
//! address and audited before the register is asked, so the register is no oracle for
//! strangers' names.

use serde_json::json;

use crate::app::App;
use crate::audit::{self, AuditEntry};
use crate::db::Backend;
use crate::domain::Iin;

/// The audit action of one look-up; the entries are also what the limits count.
pub const ACTION: &str = "registry.lookup";
/// Look-ups one account (or one sign-up's phone) may make in a day. Adding a child takes two
/// ("Проверить ИИН", then "Сохранить"), so a parent adding three children with a few retries
/// stays far below it.
pub const PER_ACCOUNT_PER_DAY: i64 = 30;
/// Look-ups one address may make in an hour, for every account behind it together (a family or
/// an office sharing one address included).
pub const PER_ADDRESS_PER_HOUR: i64 = 60;

/// The limits in force (`Settings::registry_lookup_limits`); the default is the numbers above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LookupLimits {
    pub per_account_per_day: i64,
    pub per_address_per_hour: i64,
}

impl Default for LookupLimits {
    fn default() -> Self {
        LookupLimits {
            per_account_per_day: PER_ACCOUNT_PER_DAY,
            per_address_per_hour: PER_ADDRESS_PER_HOUR,
        }
    }
}

const DAY_SECS: i64 = 86_400;
const HOUR_SECS: i64 = 3_600;
/// The advisory lock all look-ups' counting takes on PostgreSQL (migrations take 7271001).
const LOCK_KEY: i64 = 7_271_002;

/// Who asks: the account (`user:ID`) or the sign-up in progress (`signup:+7…`).
#[derive(Debug, Clone)]
pub struct Asker<'a> {
    pub subject: String,
    pub user_id: Option<i64>,
    pub ip: &'a str,
    /// Which step asks, for the audit entry: `child` or `signup`.
    pub step: &'static str,
}

impl<'a> Asker<'a> {
    pub fn parent(user_id: i64, ip: &'a str) -> Asker<'a> {
        Asker {
            subject: format!("user:{user_id}"),
            user_id: Some(user_id),
            ip,
            step: "child",
        }
    }

    pub fn signup(phone_e164: &str, ip: &'a str) -> Asker<'a> {
        Asker {
            subject: format!("signup:{phone_e164}"),
            user_id: None,
            ip,
            step: "signup",
        }
    }
}

/// Counts and records one look-up of `iin` for `asker`; `false` (and nothing recorded) when
/// the account or the address has used up its look-ups. The count and the entry are one
/// serialized transaction, so a parallel burst cannot overrun the limits.
pub async fn reserve(app: &App, asker: &Asker<'_>, iin: &Iin) -> Result<bool, crate::db::Error> {
    let now = app.now();
    let mut tx = app.db.begin().await?;
    if app.db.backend() == Backend::Postgres {
        crate::db::audit::lock_counting(&mut *tx, LOCK_KEY).await?;
    }
    let by_account =
        audit::count_for_subject(&mut tx, ACTION, &asker.subject, now - DAY_SECS).await?;
    let by_address = audit::count_for_ip(&mut tx, ACTION, asker.ip, now - HOUR_SECS).await?;
    let limits = app.settings.registry_lookup_limits;
    if by_account >= limits.per_account_per_day || by_address >= limits.per_address_per_hour {
        tracing::warn!(
            subject = asker.subject,
            ip = asker.ip,
            by_account,
            by_address,
            "register look-ups refused: limit reached"
        );
        return Ok(false);
    }
    let entry = AuditEntry {
        at: now,
        actor_user_id: asker.user_id,
        action: ACTION,
        subject: Some(&asker.subject),
        ip: Some(asker.ip),
        detail: Some(json!({ "iin": iin.as_str(), "step": asker.step })),
    };
    audit::record(&mut tx, entry).await?;
    tx.commit().await?;
    Ok(true)
}
