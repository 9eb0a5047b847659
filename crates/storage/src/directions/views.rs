//! What the pages read about directions: a direction with its organization, group, application
//! and child, a parent's and an organization's lists, open ones first, newest first.

use sqlx::{AssertSqlSafe, FromRow};

use super::{COLUMNS, DirectionRow};
use crate::{Error, Executor};

/// A direction with what the pages show beside it.
#[derive(Debug, Clone, FromRow)]
pub struct DirectionViewRow {
    #[sqlx(flatten)]
    pub direction: DirectionRow,
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

fn view_sql(condition: &str) -> String {
    format!(
        "SELECT {COLUMNS}, o.bin AS organization_bin, o.name_kk AS organization_name_kk,
                o.name_ru AS organization_name_ru, o.address, g.name AS group_name,
                g.language AS group_language, g.kind AS group_kind,
                a.number AS application_number, a.parent_user_id,
                c.last_name AS child_last_name, c.first_name AS child_first_name,
                c.middle_name AS child_middle_name
         FROM directions d
         JOIN organizations o ON o.id = d.organization_id
         JOIN org_groups g ON g.id = d.group_id
         JOIN applications a ON a.id = d.application_id
         JOIN children c ON c.id = d.child_id
         WHERE {condition}
         ORDER BY CASE WHEN d.status IN ('issued', 'accepted') THEN 0 ELSE 1 END, d.id DESC"
    )
}

/// A parent's directions.
pub async fn of_parent(
    e: impl Executor<'_>,
    parent_user_id: i64,
) -> Result<Vec<DirectionViewRow>, Error> {
    sqlx::query_as(AssertSqlSafe(view_sql("a.parent_user_id = $1")))
        .bind(parent_user_id)
        .fetch_all(e)
        .await
}

/// One of a parent's directions; another parent's is `None`.
pub async fn one_of_parent(
    e: impl Executor<'_>,
    parent_user_id: i64,
    id: i64,
) -> Result<Option<DirectionViewRow>, Error> {
    sqlx::query_as(AssertSqlSafe(view_sql(
        "a.parent_user_id = $1 AND d.id = $2",
    )))
    .bind(parent_user_id)
    .bind(id)
    .fetch_optional(e)
    .await
}

/// How many directions of an organization the staff page shows at most (open ones come first).
pub const STAFF_LIST_LIMIT: usize = 500;

/// An organization's directions, at most `STAFF_LIST_LIMIT`.
pub async fn of_organization(
    e: impl Executor<'_>,
    organization_id: i64,
) -> Result<Vec<DirectionViewRow>, Error> {
    let sql = format!(
        "{} LIMIT {STAFF_LIST_LIMIT}",
        view_sql("d.organization_id = $1")
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(organization_id)
        .fetch_all(e)
        .await
}
