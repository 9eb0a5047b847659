//! The parent's answers to a direction: `accept` starts the enrollment deadline, `refuse` gives
//! the place to the next child and puts theirs on the stop-list.

use serde_json::json;

use super::change::{Trail, guarded, leave_trail, parents_change, reallocate, rules_for};
use super::closing::{Closing, close_in};
use super::{DirectionError, deadline_text, protocol};
use crate::app::App;
use crate::audit::Actor;
use crate::db::directions as store;
use crate::domain::direction::{self as rules_of, DirectionStatus};

/// The parent accepts the place: the enrollment deadline starts.
pub async fn accept(app: &App, parent: &Actor, direction_id: i64) -> Result<(), DirectionError> {
    let now = app.now();
    let (mut tx, mut chain, d) = parents_change(app, parent, direction_id).await?;
    if !d.status().can_become(DirectionStatus::Accepted) {
        return Err(DirectionError::NotOpen);
    }
    if d.is_overdue(now) {
        return Err(DirectionError::DeadlinePassed);
    }
    let rules = rules_for(&mut tx, &d.region_code, now).await?;
    let calendar = crate::calendar_days::calendar(&mut *tx).await?;
    let enroll_by = rules_of::enroll_by(&calendar, now, rules.enroll_working_days);
    guarded(store::accept(&mut *tx, d.id, now, enroll_by).await?)?;
    let trail = Trail {
        actor: parent,
        event: (
            "direction_accepted",
            json!({ "direction_id": d.id, "enroll_by": enroll_by }),
        ),
        protocol: Some((&mut chain, protocol::Event::Accepted)),
        audit: (
            "direction.accepted",
            json!({ "before": { "status": d.status.as_str() }, "after": { "status": "accepted", "enroll_by": enroll_by } }),
        ),
        notice: (
            "direction-notice-accepted",
            vec![("deadline", deadline_text(enroll_by))],
        ),
    };
    leave_trail(app, &mut tx, &d, now, trail).await?;
    tx.commit().await?;
    Ok(())
}

/// The parent refuses the place: it goes to the next child, theirs to the stop-list.
pub async fn refuse(app: &App, parent: &Actor, direction_id: i64) -> Result<(), DirectionError> {
    let now = app.now();
    let (mut tx, mut chain, d) = parents_change(app, parent, direction_id).await?;
    close_in(
        app,
        &mut tx,
        &mut chain,
        &d,
        &Closing::Refused,
        Some(parent),
        now,
    )
    .await?;
    chain.save(&mut tx).await?;
    tx.commit().await?;
    reallocate(app, d.group_id).await;
    Ok(())
}
