//! The organization's actions on its directions: `enroll` the child, `return_direction` with a
//! reason, `extend` the enrollment deadline once.

use serde_json::json;

use super::change::{Trail, guarded, leave_trail, organizations_change, reallocate, rules_for};
use super::closing::{Closing, close_in};
use super::{DirectionError, deadline_text, protocol};
use crate::app::App;
use crate::audit::Actor;
use crate::db::directions as store;
use crate::domain::direction::{self as rules_of, DirectionStatus};

/// A return's reason longer than this is a pasted document, not a reason.
pub const REASON_MAX_CHARS: usize = 500;

/// The organization enrolls the child: the application is signed and leaves the queue for good.
pub async fn enroll(
    app: &App,
    staff: &Actor,
    organization_id: i64,
    direction_id: i64,
) -> Result<(), DirectionError> {
    let now = app.now();
    let (mut tx, mut chain, d) = organizations_change(app, organization_id, direction_id).await?;
    if !d.status().can_become(DirectionStatus::Enrolled) {
        return Err(DirectionError::NotOpen);
    }
    guarded(store::enroll(&mut *tx, d.id, now, staff.user_id).await?)?;
    guarded(store::sign_application(&mut *tx, d.application_id, now).await?)?;
    store::fill_vacancy(&mut *tx, d.vacancy_id, now, staff.user_id).await?;
    store::count_enrolled(&mut *tx, d.group_id, now).await?;
    let trail = Trail {
        actor: staff,
        event: (
            "signed",
            json!({ "direction_id": d.id, "organization_id": d.organization_id, "group_id": d.group_id }),
        ),
        protocol: Some((&mut chain, protocol::Event::Enrolled)),
        audit: (
            "direction.enrolled",
            json!({ "before": { "status": d.status.as_str() }, "after": { "status": "enrolled" } }),
        ),
        notice: ("direction-notice-enrolled", vec![]),
    };
    leave_trail(app, &mut tx, &d, now, trail).await?;
    tx.commit().await?;
    Ok(())
}

/// The organization sends the direction back (the child did not come, documents missing…).
pub async fn return_direction(
    app: &App,
    staff: &Actor,
    organization_id: i64,
    direction_id: i64,
    reason: &str,
) -> Result<(), DirectionError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(DirectionError::ReasonRequired);
    }
    if reason.chars().count() > REASON_MAX_CHARS {
        return Err(DirectionError::ReasonTooLong);
    }
    let now = app.now();
    let (mut tx, mut chain, d) = organizations_change(app, organization_id, direction_id).await?;
    let closing = Closing::Returned {
        reason: reason.to_owned(),
    };
    close_in(app, &mut tx, &mut chain, &d, &closing, Some(staff), now).await?;
    chain.save(&mut tx).await?;
    tx.commit().await?;
    app.sms_wakeup.notify_one();
    reallocate(app, d.group_id).await;
    Ok(())
}

/// The organization gives the parent more time to bring the documents, once.
pub async fn extend(
    app: &App,
    staff: &Actor,
    organization_id: i64,
    direction_id: i64,
    days: i64,
) -> Result<i64, DirectionError> {
    let now = app.now();
    let (mut tx, _chain, d) = organizations_change(app, organization_id, direction_id).await?;
    let rules = rules_for(&mut tx, &d.region_code, now).await?;
    let enroll_by = rules_of::extend(
        d.status(),
        d.enroll_by,
        d.extended_at.is_some(),
        days,
        rules.extension_max_days,
    )?;
    if d.is_overdue(now) {
        return Err(DirectionError::DeadlinePassed);
    }
    guarded(store::extend(&mut *tx, d.id, enroll_by, now).await?)?;
    let trail = Trail {
        actor: staff,
        event: (
            "direction_extended",
            json!({ "direction_id": d.id, "days": days, "enroll_by": enroll_by }),
        ),
        protocol: None,
        audit: (
            "direction.extended",
            json!({ "before": { "enroll_by": d.enroll_by }, "after": { "enroll_by": enroll_by, "days": days } }),
        ),
        notice: (
            "direction-notice-extended",
            vec![("deadline", deadline_text(enroll_by))],
        ),
    };
    leave_trail(app, &mut tx, &d, now, trail).await?;
    tx.commit().await?;
    Ok(enroll_by)
}
