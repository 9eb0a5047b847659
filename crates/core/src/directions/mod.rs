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

use crate::db::directions as store;
use crate::db::{Executor, Tx};
use crate::domain::direction::ExtensionError;

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

/// A direction as stored; its deadline rules are the domain's (`kezek_domain::direction`).
pub use crate::db::directions::DirectionRow as Direction;

pub async fn by_id<'c>(
    ex: impl Executor<'c>,
    id: i64,
) -> Result<Option<Direction>, crate::db::Error> {
    store::by_id(ex, id).await
}

/// The open direction of an application, if any.
pub async fn open_of_application<'c>(
    ex: impl Executor<'c>,
    application_id: i64,
) -> Result<Option<Direction>, crate::db::Error> {
    store::open_of_application(ex, application_id).await
}

/// Takes the region's protocol head for a change that may touch a direction (see the module
/// documentation): the caller must `save` the chain before committing if it pushed entries.
pub async fn lock_region(
    tx: &mut Tx,
    region_code: &str,
) -> Result<protocol::Chain, crate::db::Error> {
    protocol::lock(tx, region_code).await
}
