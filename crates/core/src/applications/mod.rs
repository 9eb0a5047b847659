//! Applications ("Заявки"): a child's place in the queue for regular, correctional or sanatorium
//! groups. Submitting checks everything against the child, the reference data, the region's rules
//! and the organizations' groups; it is idempotent and never creates two active applications.

mod check;
pub mod drafts;
pub mod read;
pub mod store;
pub mod verification;

use chrono::NaiveDate;
use serde_json::json;

pub use check::{ApplicationInput, PmpkConclusion, PrivilegeClaim};
pub use store::{ApplicationRow, EventRow, PreferenceRow};

use crate::app::App;
use crate::audit::{self, Actor};
use crate::domain::Iin;
use crate::domain::application::{ApplicationStatus, application_number};
use crate::orgs::rules::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum ApplicationError {
    #[error("invalid fields: {0:?}")]
    Invalid(FieldErrors),
    #[error("the child already has an active application of this type")]
    ActiveExists,
    #[error("not found")]
    NotFound,
    #[error("a signed application cannot be deleted")]
    CannotDelete,
    #[error(transparent)]
    Internal(#[from] crate::db::Error),
}

impl ApplicationError {
    pub fn message_key(&self) -> &'static str {
        match self {
            ApplicationError::Invalid(_) => "application-error-invalid",
            ApplicationError::ActiveExists => "application-error-active-exists",
            ApplicationError::NotFound => "error-not-found",
            ApplicationError::CannotDelete => "application-error-cannot-delete",
            ApplicationError::Internal(_) => "error-internal",
        }
    }
}

/// Files an application; returns its id. Sending the same form twice (same submission key)
/// returns the first application instead of making a second.
pub async fn submit(
    app: &App,
    actor: &Actor,
    region_code: &str,
    input: &ApplicationInput,
) -> Result<i64, ApplicationError> {
    if let Some(id) =
        store::by_submission_key(app.db.pool(), actor.user_id, &input.submission_key).await?
    {
        return Ok(id);
    }
    let now = app.now();
    let child = check::validate(app, actor.user_id, region_code, input, now).await?;
    // Asked before the transaction: a slow register must not hold the database.
    let statuses = registry_statuses(app, &child.iin).await;
    let mut tx = app.db.begin().await?;
    let id = match store::insert(&mut tx, actor.user_id, region_code, input, now).await {
        Ok(id) => id,
        Err(crate::db::Error::Database(e)) if e.is_unique_violation() => {
            drop(tx);
            // Either this very form was sent twice at once, or another application is active.
            return match store::by_submission_key(
                app.db.pool(),
                actor.user_id,
                &input.submission_key,
            )
            .await?
            {
                Some(id) => Ok(id),
                None => Err(ApplicationError::ActiveExists),
            };
        }
        Err(e) => return Err(e.into()),
    };
    let number = application_number(region_code, id);
    store::finish_insert(&mut tx, id, &number, input).await?;
    store::record_event(
        &mut tx,
        id,
        now,
        Some(actor.user_id),
        "submitted",
        json!({ "number": number }),
    )
    .await?;
    // A verified first-priority status found in the register applies at once; an extraordinary
    // claim waits for the department (`verification`).
    let applied = store::first_priority_categories(&mut *tx, &statuses).await?;
    if !applied.is_empty() {
        store::apply_first_priority(&mut tx, id, now).await?;
        store::record_event(
            &mut tx,
            id,
            now,
            None,
            REGISTRY_STATUS_APPLIED,
            json!({ "statuses": applied }),
        )
        .await?;
    }
    crate::notifications::notify(
        &mut tx,
        actor.user_id,
        "notifications-application-submitted",
        &[("number", number.clone()), ("child", child.full_name())],
        Some(&format!("/cabinet/applications/{id}")),
        now,
    )
    .await?;
    let category = if applied.is_empty() {
        "general"
    } else {
        "first_priority"
    };
    let detail = json!({ "after": { "number": number, "child_id": input.child_id, "kind": input.kind.as_str(), "category": category } });
    audit::record_by(
        &mut tx,
        actor,
        now,
        "application.submitted",
        &number,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The event recording that the register's first-priority statuses put a new application in the
/// first-priority category; its detail is `{"statuses": [codes]}`.
pub const REGISTRY_STATUS_APPLIED: &str = "registry_status_applied";

/// The social statuses the register of individuals records for the child with `child_iin`. A
/// register that cannot answer must not stop anything: this is then empty (and logged), the
/// application is filed as general, and the department can still verify a claim.
pub async fn registry_statuses(app: &App, child_iin: &str) -> Vec<String> {
    let iin = match Iin::parse(child_iin) {
        Ok(iin) => iin,
        Err(e) => {
            tracing::warn!(error = %e, "a child's stored IIN does not parse; no register statuses");
            return Vec::new();
        }
    };
    match app.registry.social_statuses(&iin).await {
        Ok(statuses) => statuses,
        Err(e) => {
            tracing::warn!(error = %e, "register of individuals lookup failed; the application counts as general until verified");
            Vec::new()
        }
    }
}

/// The child's register statuses that the reference list counts as first-priority: what an
/// application of this child is filed with (see `submit`).
pub async fn registry_first_priority(
    app: &App,
    child_iin: &str,
) -> Result<Vec<String>, crate::db::Error> {
    let statuses = registry_statuses(app, child_iin).await;
    store::first_priority_categories(app.db.pool(), &statuses).await
}

/// Deletes a parent's application (it leaves the queue); a signed one cannot be deleted.
pub async fn delete(app: &App, actor: &Actor, application_id: i64) -> Result<(), ApplicationError> {
    let now = app.now();
    // The region's protocol head comes first, as in every change that may touch a direction:
    // no direction can be issued to this application while it is being deleted.
    let region = store::of_parent(app.db.pool(), actor.user_id, application_id)
        .await?
        .ok_or(ApplicationError::NotFound)?
        .region_code;
    let mut tx = app.db.begin().await?;
    let mut chain = crate::directions::lock_region(&mut tx, &region).await?;
    let application = crate::db::applications::of_parent(&mut *tx, actor.user_id, application_id)
        .await?
        .ok_or(ApplicationError::NotFound)?;
    let status = application.status;
    if !status.can_delete() {
        return Err(if status == ApplicationStatus::Signed {
            ApplicationError::CannotDelete
        } else {
            ApplicationError::NotFound
        });
    }
    // An open direction is closed with it: the place goes back to the bulletin, to be offered
    // to the next child once this commits.
    let freed_group = crate::directions::close_for_deleted_application(
        app,
        &mut tx,
        &mut chain,
        actor,
        application_id,
        now,
    )
    .await?;
    chain.save(&mut tx).await?;
    store::set_deleted(&mut tx, application_id, now).await?;
    store::record_event(
        &mut tx,
        application_id,
        now,
        Some(actor.user_id),
        "deleted",
        json!({}),
    )
    .await?;
    let number = application.number.clone().unwrap_or_default();
    let detail =
        json!({ "before": { "status": status.as_str() }, "after": { "status": "deleted" } });
    audit::record_by(&mut tx, actor, now, "application.deleted", &number, detail).await?;
    tx.commit().await?;
    if let Some(group_id) = freed_group
        && let Err(e) = crate::directions::allocate_group(app, group_id, app.now()).await
    {
        tracing::warn!(group = group_id, error = %e, "allocating a freed place failed; the next run will");
    }
    Ok(())
}

/// The ПМПК conclusion's dates as stored, for showing and for the expiry warning.
pub fn pmpk_expiry(application: &ApplicationRow) -> Option<NaiveDate> {
    application
        .pmpk_expires
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// A conclusion expiring within this many days is flagged to the parent and the operator.
pub const PMPK_EXPIRY_WARNING_DAYS: i64 = 30;

/// Whether a ПМПК conclusion expiring on `expires` needs renewing soon, as of `today`.
pub fn pmpk_expires_soon(expires: NaiveDate, today: NaiveDate) -> bool {
    (expires - today).num_days() <= PMPK_EXPIRY_WARNING_DAYS
}

#[cfg(test)]
mod tests {
    #[test]
    fn expiry_is_flagged_a_month_ahead() {
        let d = |s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(super::pmpk_expires_soon(d("2026-12-20"), d("2026-11-25")));
        assert!(!super::pmpk_expires_soon(d("2027-01-30"), d("2026-11-25")));
        assert!(
            super::pmpk_expires_soon(d("2026-11-01"), d("2026-11-25")),
            "expired too"
        );
    }
}
