//! The administrators' back office: staff accounts (creation, role and binding, blocking),
//! audited edits of the reference lists, and reading the audit log.
//! Handlers call these functions; the rules and the audit entries live here.

pub mod audit_log;
mod binding;
mod error;
pub mod reference;

use serde_json::json;

use crate::accounts::users::StaffBinding;
use crate::accounts::{self};
use crate::app::App;
use crate::audit::{self};
use crate::db::accounts::{sessions, users};
use crate::db::staff::StaffRow;
use crate::db::{Db, Executor, Tx};
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

impl From<StaffRow> for StaffMember {
    fn from(r: StaffRow) -> StaffMember {
        StaffMember {
            id: r.id,
            phone: r.phone,
            role: r.role,
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

/// Staff accounts in the order they were created.
pub async fn list_staff<'c>(
    ex: impl Executor<'c>,
    offset: i64,
    limit: i64,
) -> Result<Vec<StaffMember>, crate::db::Error> {
    let rows = crate::db::staff::list(ex, offset, limit).await?;
    Ok(rows.into_iter().map(StaffMember::from).collect())
}

/// A staff account; `None` for a parent or an unknown id.
pub async fn staff_member<'c>(
    ex: impl Executor<'c>,
    id: i64,
) -> Result<Option<StaffMember>, crate::db::Error> {
    let row = crate::db::staff::member(ex, id).await?;
    Ok(row.map(StaffMember::from))
}

/// Whether the account is blocked (login refuses blocked accounts).
pub async fn is_blocked<'c>(ex: impl Executor<'c>, user_id: i64) -> Result<bool, crate::db::Error> {
    let blocked_at = users::blocked_at(ex, user_id).await?;
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
        users::set_role(&mut *tx, id, role, now).await?;
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
        users::upsert_staff(&mut *tx, id, &binding).await?;
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
    users::set_blocked_at(&mut *tx, id, blocked_at, now).await?;
    if blocked {
        sessions::delete_all_for_user(&mut *tx, id).await?;
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
