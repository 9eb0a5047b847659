//! What the pages read about directions: a direction with its organization, group, application
//! and child (`DirectionView`), a parent's and an organization's lists, the deadline as text.

use super::Direction;
use crate::db::Executor;
pub use crate::db::directions::views::STAFF_LIST_LIMIT;
use crate::db::directions::views::{self as store, DirectionViewRow};

/// A direction with what the pages show beside it.
#[derive(Debug, Clone)]
pub struct DirectionView {
    pub direction: Direction,
    pub organization_bin: String,
    pub organization_name_kk: String,
    pub organization_name_ru: String,
    pub address: String,
    pub group_name: String,
    pub group_language: String,
    pub group_kind: String,
    pub application_number: Option<String>,
    pub parent_user_id: i64,
    pub child_last_name: String,
    pub child_first_name: String,
    pub child_middle_name: Option<String>,
}

impl DirectionView {
    pub fn organization_name(&self, lang: &str) -> &str {
        crate::domain::Names::new(&self.organization_name_kk, &self.organization_name_ru, None)
            .get(lang)
    }

    pub fn child_full_name(&self) -> String {
        crate::domain::names::full_name(
            &self.child_last_name,
            &self.child_first_name,
            self.child_middle_name.as_deref(),
        )
    }

    pub fn child_masked(&self) -> String {
        crate::queue::mask_child(&self.child_last_name, &self.child_first_name)
    }

    pub fn number(&self) -> String {
        self.application_number
            .clone()
            .unwrap_or_else(|| self.direction.application_id.to_string())
    }
}

impl From<DirectionViewRow> for DirectionView {
    fn from(r: DirectionViewRow) -> DirectionView {
        DirectionView {
            direction: r.direction,
            organization_bin: r.organization_bin,
            organization_name_kk: r.organization_name_kk,
            organization_name_ru: r.organization_name_ru,
            address: r.address,
            group_name: r.group_name,
            group_language: r.group_language,
            group_kind: r.group_kind,
            application_number: r.application_number,
            parent_user_id: r.parent_user_id,
            child_last_name: r.child_last_name,
            child_first_name: r.child_first_name,
            child_middle_name: r.child_middle_name,
        }
    }
}

/// A parent's directions, open ones first, newest first.
pub async fn of_parent<'c>(
    ex: impl Executor<'c>,
    parent_user_id: i64,
) -> Result<Vec<DirectionView>, crate::db::Error> {
    let rows = store::of_parent(ex, parent_user_id).await?;
    Ok(rows.into_iter().map(DirectionView::from).collect())
}

/// One of a parent's directions; another parent's is `None`.
pub async fn one_of_parent<'c>(
    ex: impl Executor<'c>,
    parent_user_id: i64,
    id: i64,
) -> Result<Option<DirectionView>, crate::db::Error> {
    let row = store::one_of_parent(ex, parent_user_id, id).await?;
    Ok(row.map(DirectionView::from))
}

/// An organization's directions, open ones first, newest first (at most `STAFF_LIST_LIMIT`).
pub async fn of_organization<'c>(
    ex: impl Executor<'c>,
    organization_id: i64,
) -> Result<Vec<DirectionView>, crate::db::Error> {
    let rows = store::of_organization(ex, organization_id).await?;
    Ok(rows.into_iter().map(DirectionView::from).collect())
}

/// A deadline as the parent reads it: the local date (the deadline is that day's end).
pub fn deadline_text(at: i64) -> String {
    crate::domain::time::day_of(at)
}
