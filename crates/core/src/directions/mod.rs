//! Directions (направления): offers of a free place, issued automatically in queue order.
//!
//! Every change of a direction is one transaction that first takes its region's protocol head
//! (see `protocol::lock`): on PostgreSQL that row lock serializes direction changes per region, on
//! SQLite the write transaction does. Inside it the vacancy, the group's counters, the
//! application, its history, the public protocol, the audit log and the parent's notice (with
//! the SMS, through the outbox) change together or not at all. The UNIQUE `open_vacancy` and
//! `open_child` columns make "one open direction per place" and "one open direction per child"
//! hold whatever runs concurrently; the group's CHECK keeps the capacity rule.
//!
//! - `allocate` / `allocate_group` issue directions for open vacancies (allocate.rs);
//! - the parent `accept`s or `refuse`s (parent.rs); the organization `enroll`s,
//!   `return_direction`s (with a reason) or `extend`s (once) (staff.rs);
//! - `expire_due` annuls directions past their deadline (a scheduled job, closing.rs);
//! - a refused, expired or returned direction frees the place (offered to the next child at
//!   once) and puts the child on the stop-list (closing.rs).
//!
//! change.rs holds what every change shares (the region's lock, the trail it leaves); views.rs
//! the pages' reads.

mod allocate;
mod change;
mod closing;
mod parent;
pub mod protocol;
mod staff;
mod views;

pub use allocate::{allocate, allocate_group};
pub use closing::{Closing, close_for_deleted_application, expire_due};
pub use parent::{accept, refuse};
pub use staff::{REASON_MAX_CHARS, enroll, extend, return_direction};
pub use views::{
    DirectionView, STAFF_LIST_LIMIT, deadline_text, of_organization, of_parent, one_of_parent,
};

use crate::db::directions::{self as store, DirectionRow};
use crate::db::{Executor, Tx};
use crate::domain::direction::{self as rules_of, DirectionStatus, ExtensionError};

#[derive(Debug, thiserror::Error)]
pub enum DirectionError {
    /// No such direction, or not the caller's (the two are not told apart).
    #[error("not found")]
    NotFound,
    /// Already accepted, closed or changed meanwhile.
    #[error("the direction cannot change so")]
    NotOpen,
    #[error("the deadline has passed")]
    DeadlinePassed,
    #[error("a reason is required")]
    ReasonRequired,
    #[error("the reason is too long")]
    ReasonTooLong,
    #[error(transparent)]
    Extension(#[from] ExtensionError),
    #[error(transparent)]
    Internal(#[from] crate::db::Error),
}

impl DirectionError {
    pub fn message_key(&self) -> &'static str {
        match self {
            DirectionError::NotFound => "error-not-found",
            DirectionError::NotOpen => "direction-error-not-open",
            DirectionError::DeadlinePassed => "direction-error-deadline-passed",
            DirectionError::ReasonRequired => "direction-error-reason-required",
            DirectionError::ReasonTooLong => "direction-error-reason-too-long",
            DirectionError::Extension(ExtensionError::AlreadyExtended) => {
                "direction-error-already-extended"
            }
            DirectionError::Extension(ExtensionError::NotAccepted) => {
                "direction-error-not-accepted"
            }
            DirectionError::Extension(ExtensionError::Days { .. }) => {
                "direction-error-extension-days"
            }
            DirectionError::Internal(_) => "error-internal",
        }
    }
}

/// A direction as stored.
#[derive(Debug, Clone)]
pub struct Direction {
    pub id: i64,
    pub application_id: i64,
    pub child_id: i64,
    pub vacancy_id: i64,
    pub group_id: i64,
    pub organization_id: i64,
    pub region_code: String,
    pub status: DirectionStatus,
    pub position_at_issue: i64,
    pub category_at_issue: String,
    pub issued_at: i64,
    pub accept_by: i64,
    pub accepted_at: Option<i64>,
    pub enroll_by: Option<i64>,
    pub extended_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub closed_by: Option<i64>,
    pub close_reason: Option<String>,
}

impl Direction {
    pub fn status(&self) -> DirectionStatus {
        self.status
    }

    pub fn is_open(&self) -> bool {
        self.status().is_open()
    }

    /// When the open direction lapses (acceptance while issued, enrollment once accepted).
    pub fn deadline(&self) -> Option<i64> {
        rules_of::deadline(self.status(), self.accept_by, self.enroll_by)
    }

    pub fn is_overdue(&self, now: i64) -> bool {
        rules_of::is_overdue(self.status(), self.accept_by, self.enroll_by, now)
    }
}

impl From<DirectionRow> for Direction {
    fn from(r: DirectionRow) -> Direction {
        Direction {
            id: r.id,
            application_id: r.application_id,
            child_id: r.child_id,
            vacancy_id: r.vacancy_id,
            group_id: r.group_id,
            organization_id: r.organization_id,
            region_code: r.region_code,
            status: r.status,
            position_at_issue: r.position_at_issue,
            category_at_issue: r.category_at_issue,
            issued_at: r.issued_at,
            accept_by: r.accept_by,
            accepted_at: r.accepted_at,
            enroll_by: r.enroll_by,
            extended_at: r.extended_at,
            closed_at: r.closed_at,
            closed_by: r.closed_by,
            close_reason: r.close_reason,
        }
    }
}

pub async fn by_id<'c>(
    ex: impl Executor<'c>,
    id: i64,
) -> Result<Option<Direction>, crate::db::Error> {
    Ok(store::by_id(ex, id).await?.map(Direction::from))
}

/// The open direction of an application, if any.
pub async fn open_of_application<'c>(
    ex: impl Executor<'c>,
    application_id: i64,
) -> Result<Option<Direction>, crate::db::Error> {
    Ok(store::open_of_application(ex, application_id)
        .await?
        .map(Direction::from))
}

/// Takes the region's protocol head for a change that may touch a direction (see the module
/// documentation): the caller must `save` the chain before committing if it pushed entries.
pub async fn lock_region(
    tx: &mut Tx,
    region_code: &str,
) -> Result<protocol::Chain, crate::db::Error> {
    protocol::lock(tx, region_code).await
}
