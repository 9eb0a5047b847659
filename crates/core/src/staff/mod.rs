//! The administrators' back office: staff accounts (creation, role and binding, blocking),
//! audited edits of the reference lists, and reading the audit log.
//! Handlers call these functions; the rules and the audit entries live here.

pub mod audit_log;
mod binding;
mod error;
pub mod reference;

use serde_json::json;
use sqlx::{Any, AssertSqlSafe, Executor, FromRow};

use crate::accounts::users::StaffBinding;
use crate::accounts::{self};
use crate::app::App;
use crate::audit::{self};
use crate::db::{Db, Tx};
use crate::domain::Role;
pub use crate::orgs::vacancies::Actor;
pub use binding::{binding_for, staff_role};
pub use error::StaffError;

/// A staff account as the administrator sees it, with the names of what it is bound to.
#[derive(Debug, Clone)]
pub struct StaffMember {
    pub id: i64,
    pub phone: String,
    pub role: Role,
    pub binding: StaffBinding,
    pub org_name_kk: Option<String>,
    pub org_name_ru: Option<String>,
    pub kato_name_kk: Option<String>,
    pub kato_name_ru: Option<String>,
    pub blocked_at: Option<i64>,
}

impl StaffMember {
    pub fn blocked(&self) -> bool {
        self.blocked_at.is_some()
    }

    /// The organization's or area's name in the interface language (both have kk and ru only).
    pub fn bound_name(&self, lang: &str) -> Option<&str> {
        let (kk, ru) = if self.binding.org_bin.is_some() {
            (&self.org_name_kk, &self.org_name_ru)
        } else {
            (&self.kato_name_kk, &self.kato_name_ru)
        };
        let ru = ru.as_deref()?;
        Some(crate::domain::Names::new(kk.as_deref().unwrap_or(""), ru, None).get(lang))
    }
}

#[derive(FromRow)]
struct StaffRow {
    id: i64,
    phone: String,
    role: String,
    org_bin: Option<String>,
    kato: Option<String>,
    org_name_kk: Option<String>,
    org_name_ru: Option<String>,
    kato_name_kk: Option<String>,
    kato_name_ru: Option<String>,
    blocked_at: Option<i64>,
}

impl From<StaffRow> for StaffMember {
    fn from(r: StaffRow) -> StaffMember {
        StaffMember {
            id: r.id,
            phone: r.phone,
            // Only staff rows are selected, so an unreadable role is the least powerful staff one.
            role: Role::parse(&r.role).unwrap_or(Role::Organization),
            binding: StaffBinding {
                org_bin: r.org_bin,
                kato: r.kato,
            },
            org_name_kk: r.org_name_kk,
            org_name_ru: r.org_name_ru,
            kato_name_kk: r.kato_name_kk,
            kato_name_ru: r.kato_name_ru,
            blocked_at: r.blocked_at,
        }
    }
}

const STAFF_QUERY: &str = "SELECT u.id, u.phone, u.role, s.org_bin, s.kato,
        o.name_kk AS org_name_kk, o.name_ru AS org_name_ru,
        k.name_kk AS kato_name_kk, k.name_ru AS kato_name_ru, u.blocked_at
    FROM users u
    LEFT JOIN staff s ON s.user_id = u.id
    LEFT JOIN organizations o ON o.bin = s.org_bin
    LEFT JOIN kato k ON k.code = s.kato
    WHERE u.role <> 'parent'";

/// Staff accounts in the order they were created.
pub async fn list_staff<'c>(
    ex: impl Executor<'c, Database = Any>,
    offset: i64,
    limit: i64,
) -> Result<Vec<StaffMember>, crate::db::Error> {
    let rows: Vec<StaffRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{STAFF_QUERY} ORDER BY u.id LIMIT $1 OFFSET $2"
    )))
    .bind(limit)
    .bind(offset)
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(StaffMember::from).collect())
}

/// A staff account; `None` for a parent or an unknown id.
pub async fn staff_member<'c>(
    ex: impl Executor<'c, Database = Any>,
    id: i64,
) -> Result<Option<StaffMember>, crate::db::Error> {
    let row: Option<StaffRow> =
        sqlx::query_as(AssertSqlSafe(format!("{STAFF_QUERY} AND u.id = $1")))
            .bind(id)
            .fetch_optional(ex)
            .await?;
    Ok(row.map(StaffMember::from))
}

/// Whether the account is blocked (login refuses blocked accounts).
pub async fn is_blocked<'c>(
    ex: impl Executor<'c, Database = Any>,
    user_id: i64,
) -> Result<bool, crate::db::Error> {
    let blocked_at: Option<Option<i64>> =
        sqlx::query_scalar("SELECT blocked_at FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(ex)
            .await?;
    Ok(blocked_at.flatten().is_some())
}

/// Creates a staff account from the cabinet; the account service checks the phone, the
/// password and that the binding exists.
pub async fn create(
    app: &App,
    actor: &Actor,
    role: Role,
    phone: &str,
    password: &str,
    binding: StaffBinding,
) -> Result<i64, StaffError> {
    let binding = binding_for(
        role,
        binding.org_bin.as_deref().unwrap_or(""),
        binding.kato.as_deref().unwrap_or(""),
    )?;
    Ok(accounts::create_staff_as(app, Some(actor), role, phone, password, binding).await?)
}

async fn check_exists(tx: &mut Tx, binding: &StaffBinding) -> Result<(), StaffError> {
    if let Some(bin) = &binding.org_bin
        && crate::orgs::store::organization_by_bin(&mut **tx, bin)
            .await?
            .is_none()
    {
        return Err(StaffError::OrganizationUnknown);
    }
    if let Some(kato) = &binding.kato
        && crate::reference::kato_unit(&mut **tx, kato)
            .await?
            .is_none()
    {
        return Err(StaffError::KatoUnknown);
    }
    Ok(())
}

fn binding_json(role: Role, b: &StaffBinding) -> serde_json::Value {
    json!({ "role": role.as_str(), "org_bin": b.org_bin, "kato": b.kato })
}

/// Changes a staff member's role and what they are bound to: an organization for its staff,
/// an area (region or district) for a department operator, nothing for an administrator.
/// Widening or narrowing an operator's area is a change of the KATO code.
pub async fn change_binding(
    db: &Db,
    actor: &Actor,
    id: i64,
    role: Role,
    binding: StaffBinding,
    now: i64,
) -> Result<(), StaffError> {
    let binding = binding_for(
        role,
        binding.org_bin.as_deref().unwrap_or(""),
        binding.kato.as_deref().unwrap_or(""),
    )?;
    if actor.user_id == id && role != Role::Admin {
        return Err(StaffError::SelfDemote);
    }
    let mut tx = db.begin().await?;
    let member = staff_member(&mut *tx, id)
        .await?
        .ok_or(StaffError::NotFound)?;
    check_exists(&mut tx, &binding).await?;
    let before = binding_json(member.role, &member.binding);
    let after = binding_json(role, &binding);
    if member.role != role {
        sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3")
            .bind(role.as_str())
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let detail = json!({ "user_id": id, "before": before, "after": after });
        audit::record_by(
            &mut tx,
            actor,
            now,
            "staff.role_changed",
            &member.phone,
            detail,
        )
        .await?;
    }
    if member.binding.org_bin != binding.org_bin || member.binding.kato != binding.kato {
        sqlx::query(
            "INSERT INTO staff (user_id, org_bin, kato) VALUES ($1, $2, $3)
             ON CONFLICT (user_id) DO UPDATE SET org_bin = excluded.org_bin, kato = excluded.kato",
        )
        .bind(id)
        .bind(binding.org_bin.as_deref())
        .bind(binding.kato.as_deref())
        .execute(&mut *tx)
        .await?;
        let detail = json!({ "user_id": id, "before": before, "after": after });
        audit::record_by(
            &mut tx,
            actor,
            now,
            "staff.binding_changed",
            &member.phone,
            detail,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Blocks or unblocks a staff account. Blocking also ends its sessions at once, so a
/// dismissed employee is out now rather than when their session expires.
pub async fn set_blocked(
    db: &Db,
    actor: &Actor,
    id: i64,
    blocked: bool,
    now: i64,
) -> Result<(), StaffError> {
    if blocked && actor.user_id == id {
        return Err(StaffError::SelfBlock);
    }
    let mut tx = db.begin().await?;
    let member = staff_member(&mut *tx, id)
        .await?
        .ok_or(StaffError::NotFound)?;
    if member.blocked() == blocked {
        return Ok(());
    }
    let blocked_at = blocked.then_some(now);
    sqlx::query("UPDATE users SET blocked_at = $1, updated_at = $2 WHERE id = $3")
        .bind(blocked_at)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if blocked {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    let action = if blocked {
        "staff.blocked"
    } else {
        "staff.unblocked"
    };
    let detail = json!({
        "user_id": id,
        "before": { "blocked_at": member.blocked_at },
        "after": { "blocked_at": blocked_at },
    });
    audit::record_by(&mut tx, actor, now, action, &member.phone, detail).await?;
    tx.commit().await?;
    Ok(())
}
