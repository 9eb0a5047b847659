//! How one direction changes: the transaction under its region's protocol head, and what every
//! change leaves besides the direction's row (history, protocol entry, audit, parent's notice).

use serde_json::Value;

use super::{Direction, DirectionError, allocate_group, by_id, protocol};
use crate::app::App;
use crate::applications::store::record_event;
use crate::audit::{self, Actor, AuditEntry};
use crate::db::Tx;
use crate::db::directions as store;
use crate::domain::Phone;
use crate::i18n::Lang;
use crate::region_rules::{self, RegionRules};

// ---- Who is told, in which language ----

/// The parent's id and phone, and the language their SMS is written in (`Lang::of_parent`).
async fn parent_of(
    tx: &mut Tx,
    application_id: i64,
) -> Result<Option<(i64, Phone, Lang)>, crate::db::Error> {
    let row = store::parent_of(&mut **tx, application_id).await?;
    Ok(row.and_then(|(id, phone, language, application_language)| {
        let phone = Phone::parse(&phone).ok()?;
        Some((
            id,
            phone,
            Lang::of_parent(language.as_deref(), &application_language),
        ))
    }))
}

/// Leaves the parent a notice, with the same text by SMS when `sms`.
#[allow(clippy::too_many_arguments)]
pub(super) async fn tell_parent(
    app: &App,
    tx: &mut Tx,
    application_id: i64,
    direction_id: i64,
    key: &str,
    args: &[(&str, String)],
    sms: bool,
    now: i64,
) -> Result<(), crate::db::Error> {
    let Some((user_id, phone, lang)) = parent_of(tx, application_id).await? else {
        return Ok(());
    };
    let link = format!("/cabinet/directions/{direction_id}");
    if sms {
        crate::notifications::notify_with_sms(
            tx,
            user_id,
            &phone,
            lang,
            &app.i18n,
            key,
            args,
            Some(&link),
            now,
        )
        .await?;
    } else {
        crate::notifications::notify(tx, user_id, key, args, Some(&link), now).await?;
    }
    Ok(())
}

/// Audits a change; `actor` is `None` for the system (allocation, expiry).
pub(super) async fn audit_change(
    tx: &mut Tx,
    actor: Option<&Actor>,
    at: i64,
    action: &str,
    direction_id: i64,
    detail: serde_json::Value,
) -> Result<(), crate::db::Error> {
    let subject = format!("direction:{direction_id}");
    audit::record(
        tx,
        AuditEntry {
            at,
            actor_user_id: actor.map(|a| a.user_id),
            action,
            subject: Some(&subject),
            ip: actor.map(|a| a.ip.as_str()),
            detail: Some(detail),
        },
    )
    .await
}

// ---- The protocol entry of a direction ----

pub(super) async fn protocol_entry(
    tx: &mut Tx,
    d: &Direction,
    event: protocol::Event,
    at: i64,
) -> Result<protocol::NewEntry, crate::db::Error> {
    let facts = store::entry_facts(&mut **tx, d.id).await?;
    Ok(protocol::NewEntry {
        at,
        event,
        direction_id: d.id,
        organization_bin: facts.organization_bin,
        organization_name: facts.organization_name,
        group_name: facts.group_name,
        application_number: facts
            .application_number
            .unwrap_or_else(|| d.application_id.to_string()),
        child_masked: crate::queue::mask_child(&facts.last_name, &facts.first_name),
        position: d.position_at_issue,
        category: d.category_at_issue.clone(),
    })
}

// ---- Changing one direction ----

/// Opens the transaction of a change: finds the direction's region, takes its protocol head and
/// reads the direction again under it.
pub(super) async fn begin_change(
    app: &App,
    direction_id: i64,
) -> Result<(Tx, protocol::Chain, Direction), DirectionError> {
    let region = by_id(app.db.pool(), direction_id)
        .await?
        .ok_or(DirectionError::NotFound)?
        .region_code;
    let mut tx = app.db.begin().await?;
    let chain = protocol::lock(&mut tx, &region).await?;
    let d = by_id(&mut *tx, direction_id)
        .await?
        .ok_or(DirectionError::NotFound)?;
    Ok((tx, chain, d))
}

pub(super) async fn rules_for(
    tx: &mut Tx,
    region: &str,
    now: i64,
) -> Result<RegionRules, crate::db::Error> {
    region_rules::current(&mut **tx, region, crate::domain::time::local_date(now)).await
}

/// After a place was freed: offer it to the next child; a failure only delays it to the
/// scheduled run.
pub(super) async fn reallocate(app: &App, group_id: i64) {
    if let Err(e) = allocate_group(app, group_id, app.now()).await {
        tracing::warn!(group = group_id, error = %e, "allocating a freed place failed; the next run will");
    }
}

/// One of `parent`'s open directions, under its region's lock.
pub(super) async fn parents_change(
    app: &App,
    parent: &Actor,
    direction_id: i64,
) -> Result<(Tx, protocol::Chain, Direction), DirectionError> {
    let (tx, chain, d) = begin_change(app, direction_id).await?;
    let owner = store::owner(app.db.pool(), d.application_id).await?;
    if owner != Some(parent.user_id) {
        return Err(DirectionError::NotFound);
    }
    Ok((tx, chain, d))
}

/// One of `organization_id`'s directions, under its region's lock.
pub(super) async fn organizations_change(
    app: &App,
    organization_id: i64,
    direction_id: i64,
) -> Result<(Tx, protocol::Chain, Direction), DirectionError> {
    let (tx, chain, d) = begin_change(app, direction_id).await?;
    if d.organization_id != organization_id {
        return Err(DirectionError::NotFound);
    }
    Ok((tx, chain, d))
}

// ---- The trail of an accepted, enrolled or extended direction ----

/// What a parent's or the organization's change leaves besides the direction's own row.
pub(super) struct Trail<'a> {
    /// Who changed it.
    pub actor: &'a Actor,
    /// The application's history event and its detail.
    pub event: (&'a str, Value),
    /// The protocol entry, for a change the public protocol shows.
    pub protocol: Option<(&'a mut protocol::Chain, protocol::Event)>,
    /// The audit action and its detail.
    pub audit: (&'a str, Value),
    /// The parent's notice (no SMS) and its arguments after the application's `number`.
    pub notice: (&'a str, Vec<(&'a str, String)>),
}

/// Leaves `trail` for `d` in this order: the history event, the protocol entry with the chain's
/// new head, the audit entry, the parent's notice. The notice names the application as its
/// protocol entry does (by id when it has no number), else by its number (empty when none).
pub(super) async fn leave_trail(
    app: &App,
    tx: &mut Tx,
    d: &Direction,
    now: i64,
    trail: Trail<'_>,
) -> Result<(), crate::db::Error> {
    let Trail {
        actor,
        event: (event, event_detail),
        protocol,
        audit: (action, audit_detail),
        notice: (key, notice_args),
    } = trail;
    record_event(
        tx,
        d.application_id,
        now,
        Some(actor.user_id),
        event,
        event_detail,
    )
    .await?;
    let mut number = None;
    if let Some((chain, event)) = protocol {
        let entry = protocol_entry(tx, d, event, now).await?;
        chain.push(tx, &entry).await?;
        chain.save(tx).await?;
        number = Some(entry.application_number);
    }
    audit_change(tx, Some(actor), now, action, d.id, audit_detail).await?;
    let number = match number {
        Some(number) => number,
        None => {
            let number = store::application_number(&mut **tx, d.application_id).await?;
            number.unwrap_or_default()
        }
    };
    let mut args = vec![("number", number)];
    args.extend(notice_args);
    tell_parent(app, tx, d.application_id, d.id, key, &args, false, now).await
}

/// What a change guarded by the row's status leaves when it changed `rows`: none means the
/// direction (or its application) changed meanwhile.
pub(super) fn guarded(rows: u64) -> Result<(), DirectionError> {
    if rows == 0 {
        return Err(DirectionError::NotOpen);
    }
    Ok(())
}
