//! Creating and changing organizations' cards and groups from the cabinets: validated against
//! the reference data, and every change audited with its before and after.

use serde_json::{Value, json};

use super::rules::{self, FieldErrors};
use super::store::{self, GroupInput, GroupUpdateError, OrganizationInput};
use super::vacancies::Actor;
use crate::audit::{self};
use crate::db::Db;
use crate::storage::{self, FileKind, Storage, UploadError};

/// A photo for a card: large enough for a good picture, small enough for a cheap phone.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum CardError {
    #[error("invalid fields: {0:?}")]
    Invalid(FieldErrors),
    #[error("capacity below the {taken} place(s) taken")]
    CapacityTooSmall { taken: i64 },
    #[error("photo refused: {0}")]
    Photo(UploadError),
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Internal(#[from] crate::db::Error),
    #[error("file storage failed: {0}")]
    Storage(#[from] std::io::Error),
}

impl From<GroupUpdateError> for CardError {
    fn from(e: GroupUpdateError) -> Self {
        match e {
            GroupUpdateError::CapacityTooSmall { taken } => CardError::CapacityTooSmall { taken },
            GroupUpdateError::NameTaken => {
                CardError::Invalid(vec![("name", "group-error-name-taken")])
            }
            GroupUpdateError::NotFound => CardError::NotFound,
            GroupUpdateError::Database(e) => CardError::Internal(e),
        }
    }
}

/// Checks a card against the reference data and the classifier.
async fn check_card(db: &Db, input: &OrganizationInput, now: i64) -> Result<(), CardError> {
    let known = rules::known_codes(db, now).await?;
    let mut errors = rules::validate_organization(input, &known)
        .err()
        .unwrap_or_default();
    if crate::reference::kato_unit(db.pool(), input.kato.as_str())
        .await?
        .is_none()
    {
        errors.push(("kato", "org-error-kato-unknown"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(CardError::Invalid(errors))
    }
}

pub async fn create_organization(
    db: &Db,
    actor: &Actor,
    input: &OrganizationInput,
    now: i64,
) -> Result<i64, CardError> {
    check_card(db, input, now).await?;
    let mut tx = db.begin().await?;
    if store::organization_by_bin(&mut *tx, input.bin.as_str())
        .await?
        .is_some()
    {
        return Err(CardError::Invalid(vec![("bin", "org-error-bin-taken")]));
    }
    let id = store::insert_organization(&mut tx, input, now).await?;
    audit::record_by(
        &mut tx,
        actor,
        now,
        "org.created",
        input.bin.as_str(),
        json!({ "after": input.to_json() }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves a card as the department (or an administrator) does. The BIN never changes here: it
/// identifies the organization. A changed KATO code moves the organization to another
/// locality, which is audited on its own as `org.area_changed`.
pub async fn update_organization(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: &OrganizationInput,
    now: i64,
) -> Result<(), CardError> {
    update_card(db, actor, id, input, now, false).await
}

/// Saves a card as the organization's own staff do: everything but the BIN and the KATO code.
/// Where an organization stands decides which department serves it, so moving it is the
/// department's act, not its staff's.
pub async fn update_own_organization(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: &OrganizationInput,
    now: i64,
) -> Result<(), CardError> {
    update_card(db, actor, id, input, now, true).await
}

async fn update_card(
    db: &Db,
    actor: &Actor,
    id: i64,
    input: &OrganizationInput,
    now: i64,
    kato_fixed: bool,
) -> Result<(), CardError> {
    check_card(db, input, now).await?;
    let mut tx = db.begin().await?;
    let before = store::organization(&mut *tx, id)
        .await?
        .ok_or(CardError::NotFound)?;
    if before.bin != input.bin.as_str() {
        return Err(CardError::Invalid(vec![("bin", "org-error-bin-fixed")]));
    }
    let moved = before.kato != input.kato.as_str();
    if moved && kato_fixed {
        return Err(CardError::Invalid(vec![("kato", "org-error-kato-fixed")]));
    }
    let before_json = OrganizationInput::from_stored(&before).map_or(Value::Null, |b| b.to_json());
    store::update_organization(&mut tx, id, input, now).await?;
    let detail = json!({ "before": before_json, "after": input.to_json() });
    audit::record_by(&mut tx, actor, now, "org.updated", &before.bin, detail).await?;
    if moved {
        let detail = json!({
            "before": { "kato": before.kato },
            "after": { "kato": input.kato.as_str() },
        });
        audit::record_by(&mut tx, actor, now, "org.area_changed", &before.bin, detail).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn set_organization_active(
    db: &Db,
    actor: &Actor,
    id: i64,
    active: bool,
    now: i64,
) -> Result<(), CardError> {
    let mut tx = db.begin().await?;
    let before = store::organization(&mut *tx, id)
        .await?
        .ok_or(CardError::NotFound)?;
    store::set_organization_active(&mut tx, id, active, now).await?;
    let action = if active {
        "org.activated"
    } else {
        "org.deactivated"
    };
    let detail =
        json!({ "before": { "active": before.active == 1 }, "after": { "active": active } });
    audit::record_by(&mut tx, actor, now, action, &before.bin, detail).await?;
    tx.commit().await?;
    Ok(())
}

async fn check_group(db: &Db, input: &GroupInput, now: i64) -> Result<(), CardError> {
    let known = rules::known_codes(db, now).await?;
    rules::validate_group(input, &known).map_err(CardError::Invalid)
}

fn group_json(input: &GroupInput) -> Value {
    json!({
        "name": input.name,
        "birth_year": input.birth_year,
        "age_group": input.age_group,
        "language": input.language,
        "kind": input.kind.as_str(),
        "correction_type": input.correction_type,
        "capacity": input.capacity,
    })
}

pub async fn create_group(
    db: &Db,
    actor: &Actor,
    organization_id: i64,
    input: &GroupInput,
    now: i64,
) -> Result<i64, CardError> {
    check_group(db, input, now).await?;
    let mut tx = db.begin().await?;
    let org = store::organization(&mut *tx, organization_id)
        .await?
        .ok_or(CardError::NotFound)?;
    let taken = store::groups_of(&mut *tx, organization_id)
        .await?
        .iter()
        .any(|g| g.name == input.name.trim());
    if taken {
        return Err(CardError::Invalid(vec![("name", "group-error-name-taken")]));
    }
    let id = store::insert_group(&mut tx, organization_id, input, now).await?;
    let detail = json!({ "organization": org.bin, "after": group_json(input) });
    audit::record_by(
        &mut tx,
        actor,
        now,
        "group.created",
        &format!("group:{id}"),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_group(
    db: &Db,
    actor: &Actor,
    group_id: i64,
    input: &GroupInput,
    now: i64,
) -> Result<(), CardError> {
    check_group(db, input, now).await?;
    let mut tx = db.begin().await?;
    let before = store::group(&mut *tx, group_id)
        .await?
        .ok_or(CardError::NotFound)?;
    let before_json = GroupInput::from_stored(&before).map_or(Value::Null, |b| group_json(&b));
    store::update_group(&mut tx, group_id, input, now).await?;
    let detail = json!({ "before": before_json, "after": group_json(input) });
    audit::record_by(
        &mut tx,
        actor,
        now,
        "group.updated",
        &format!("group:{group_id}"),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn set_group_active(
    db: &Db,
    actor: &Actor,
    group_id: i64,
    active: bool,
    now: i64,
) -> Result<(), CardError> {
    let mut tx = db.begin().await?;
    let before = store::group(&mut *tx, group_id)
        .await?
        .ok_or(CardError::NotFound)?;
    store::set_group_active(&mut tx, group_id, active, now).await?;
    let action = if active {
        "group.reopened"
    } else {
        "group.closed"
    };
    let detail =
        json!({ "before": { "active": before.active == 1 }, "after": { "active": active } });
    audit::record_by(
        &mut tx,
        actor,
        now,
        action,
        &format!("group:{group_id}"),
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Replaces (or with `None`, removes) an organization's photo. The new file is stored first and
/// the old one deleted only after the change is committed, so a failure loses neither.
pub async fn set_photo(
    db: &Db,
    files: &Storage,
    actor: &Actor,
    organization_id: i64,
    upload: Option<(&str, &[u8])>,
    now: i64,
) -> Result<(), CardError> {
    let new_key = match upload {
        Some((name, bytes)) => {
            let kind = storage::check_upload(
                name,
                bytes,
                MAX_PHOTO_BYTES,
                &[FileKind::Jpeg, FileKind::Png],
            )
            .map_err(CardError::Photo)?;
            Some(files.put(storage::ORG_PHOTOS, kind, bytes).await?)
        }
        None => None,
    };
    let result = async {
        let mut tx = db.begin().await?;
        let before = store::organization(&mut *tx, organization_id)
            .await?
            .ok_or(CardError::NotFound)?;
        crate::db::orgs::set_photo(&mut *tx, organization_id, new_key.as_deref(), now).await?;
        let detail = json!({ "before": { "photo": before.photo }, "after": { "photo": new_key } });
        audit::record_by(
            &mut tx,
            actor,
            now,
            "org.photo_changed",
            &before.bin,
            detail,
        )
        .await?;
        tx.commit().await?;
        Ok::<_, CardError>(before.photo)
    }
    .await;
    match result {
        Ok(old) => {
            if let Some(old) = old
                && let Err(e) = files.delete(&old).await
            {
                tracing::warn!(error = %e, key = old, "old photo not deleted");
            }
            Ok(())
        }
        Err(e) => {
            if let Some(key) = &new_key {
                let _ = files.delete(key).await;
            }
            Err(e)
        }
    }
}
