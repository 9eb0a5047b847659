//! Closing a direction without enrollment (refused, expired, returned, or its application
//! deleted): the place goes back to the bulletin, the child to the queue after the stop-list.

use serde_json::json;

use super::change::{audit_change, begin_change, guarded, protocol_entry, rules_for, tell_parent};
use super::{
    Direction, DirectionError, allocate_group, deadline_text, open_of_application, protocol,
};
use crate::app::App;
use crate::applications::store::record_event;
use crate::audit::Actor;
use crate::db::Tx;
use crate::db::directions as store;
use crate::domain::direction::DirectionStatus;
use crate::region_rules::AfterStopList;

const DAY_SECS: i64 = 86_400;

/// How a direction ends without enrollment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Closing {
    /// The parent said no.
    Refused,
    /// A deadline passed.
    Expired,
    /// The organization sent it back, with a reason.
    Returned { reason: String },
    /// The parent deleted the application: no stop-list, the application is gone.
    Deleted,
}

impl Closing {
    fn status(&self) -> DirectionStatus {
        match self {
            Closing::Refused | Closing::Deleted => DirectionStatus::Refused,
            Closing::Expired => DirectionStatus::Expired,
            Closing::Returned { .. } => DirectionStatus::Returned,
        }
    }

    fn reason(&self) -> Option<&str> {
        match self {
            Closing::Returned { reason } => Some(reason),
            Closing::Deleted => Some("deleted"),
            _ => None,
        }
    }
}

/// Closes an open direction in the caller's transaction (whose chain is locked): the place goes
/// back to the bulletin, the application back to the queue (after the stop-list), with its
/// history, the protocol, the audit log and the parent's notice.
pub(super) async fn close_in(
    app: &App,
    tx: &mut Tx,
    chain: &mut protocol::Chain,
    d: &Direction,
    closing: &Closing,
    actor: Option<&Actor>,
    now: i64,
) -> Result<(), DirectionError> {
    let status = closing.status();
    if !d.status().can_become(status) {
        return Err(DirectionError::NotOpen);
    }
    let by = actor.map(|a| a.user_id);
    guarded(store::close(&mut **tx, d.id, status, now, by, closing.reason()).await?)?;
    store::reopen_vacancy(&mut **tx, d.vacancy_id).await?;
    store::count_reopened(&mut **tx, d.group_id, now).await?;
    let event = match closing {
        Closing::Refused | Closing::Deleted => "direction_refused",
        Closing::Expired => "direction_expired",
        Closing::Returned { .. } => "direction_returned",
    };
    let mut stop_until = None;
    if *closing != Closing::Deleted {
        let rules = rules_for(tx, &d.region_code, now).await?;
        let until = now + rules.stop_list_days.max(0) * DAY_SECS;
        let to_end = rules.after_stop_list == AfterStopList::End;
        let queue_at =
            store::requeue_application(&mut **tx, d.application_id, until, now, to_end).await?;
        match queue_at {
            Some(queue_at) => {
                stop_until = Some(until);
                let mut detail =
                    json!({ "direction_id": d.id, "queue_at": queue_at, "stop_until": until });
                if let Some(reason) = closing.reason() {
                    detail["reason"] = json!(reason);
                }
                record_event(
                    tx,
                    d.application_id,
                    now,
                    actor.map(|a| a.user_id),
                    event,
                    detail,
                )
                .await?;
            }
            None => tracing::warn!(
                direction = d.id,
                application = d.application_id,
                "a closed direction's application was not waiting for it"
            ),
        }
    }
    let protocol_event = match status {
        DirectionStatus::Expired => protocol::Event::Expired,
        DirectionStatus::Returned => protocol::Event::Returned,
        _ => protocol::Event::Refused,
    };
    let entry = protocol_entry(tx, d, protocol_event, now).await?;
    chain.push(tx, &entry).await?;
    audit_change(
        tx,
        actor,
        now,
        &format!("direction.{}", status.as_str()),
        d.id,
        json!({
            "before": { "status": d.status.as_str() },
            "after": { "status": status.as_str(), "reason": closing.reason(), "stop_until": stop_until },
        }),
    )
    .await?;
    if *closing != Closing::Deleted {
        let number = entry.application_number.clone();
        let stop = stop_until.map(deadline_text).unwrap_or_default();
        let (key, sms, args) = match closing {
            Closing::Refused => (
                "direction-notice-refused",
                false,
                vec![("number", number), ("stop_until", stop)],
            ),
            Closing::Expired => (
                "direction-sms-expired",
                true,
                vec![("number", number), ("stop_until", stop)],
            ),
            Closing::Returned { reason } => (
                "direction-sms-returned",
                true,
                vec![
                    ("number", number),
                    ("reason", reason.clone()),
                    ("stop_until", stop),
                ],
            ),
            Closing::Deleted => unreachable!("no notice for a deleted application"),
        };
        tell_parent(app, tx, d.application_id, d.id, key, &args, sms, now).await?;
    }
    Ok(())
}

/// Annuls every open direction whose deadline has passed, then offers the freed places to the
/// next children. Meant for a scheduled job; returns how many expired.
pub async fn expire_due(app: &App, now: i64) -> Result<usize, crate::db::Error> {
    let due = store::overdue(app.db.pool(), now).await?;
    let mut expired = 0;
    let mut groups = Vec::new();
    for id in due {
        let result = async {
            let (mut tx, mut chain, d) = begin_change(app, id).await?;
            if !d.is_overdue(now) {
                return Err(DirectionError::NotOpen);
            }
            close_in(app, &mut tx, &mut chain, &d, &Closing::Expired, None, now).await?;
            chain.save(&mut tx).await?;
            tx.commit().await?;
            Ok::<_, DirectionError>(d.group_id)
        }
        .await;
        match result {
            Ok(group) => {
                expired += 1;
                if !groups.contains(&group) {
                    groups.push(group);
                }
            }
            // Accepted, enrolled or extended meanwhile.
            Err(DirectionError::NotOpen | DirectionError::NotFound) => {}
            Err(DirectionError::Internal(e)) => return Err(e),
            Err(e) => tracing::warn!(direction = id, error = %e, "expiring a direction failed"),
        }
    }
    if expired > 0 {
        app.sms_wakeup.notify_one();
    }
    for group in groups {
        allocate_group(app, group, now).await?;
    }
    Ok(expired)
}

/// Closes the open direction of an application being deleted, in the deletion's transaction
/// (which has taken the region's protocol head first, see `lock_region`): the place goes back
/// to the bulletin with no stop-list. Returns the group to offer the place in after the commit.
pub async fn close_for_deleted_application(
    app: &App,
    tx: &mut Tx,
    chain: &mut protocol::Chain,
    actor: &Actor,
    application_id: i64,
    now: i64,
) -> Result<Option<i64>, crate::db::Error> {
    let Some(d) = open_of_application(&mut **tx, application_id).await? else {
        return Ok(None);
    };
    // The place's region is the application's; should they ever differ, that chain is taken too.
    let mut other = None;
    if d.region_code != chain.region_code {
        other = Some(protocol::lock(tx, &d.region_code).await?);
    }
    let closed = match other.as_mut() {
        Some(other) => close_in(app, tx, other, &d, &Closing::Deleted, Some(actor), now).await,
        None => close_in(app, tx, chain, &d, &Closing::Deleted, Some(actor), now).await,
    };
    if let Some(other) = other.as_mut() {
        other.save(tx).await?;
    }
    match closed {
        Ok(()) => Ok(Some(d.group_id)),
        Err(DirectionError::Internal(e)) => Err(e),
        Err(e) => {
            tracing::warn!(direction = d.id, error = %e, "closing the direction of a deleted application");
            Ok(None)
        }
    }
}
