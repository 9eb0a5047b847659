//! What the pages read about directions: a direction with its organization, group, application
//! and child (`DirectionView`), a parent's and an organization's lists, the deadline as text.

use sqlx::{Any, Executor, FromRow};

use super::{COLUMNS, Direction};

/// A direction with what the pages show beside it.
#[derive(Debug, Clone, FromRow)]
pub struct DirectionView {
    #[sqlx(flatten)]
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
        [
            Some(self.child_last_name.as_str()),
            Some(self.child_first_name.as_str()),
            self.child_middle_name.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ")
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

/// A parent's directions, open ones first, newest first.
pub async fn of_parent<'c>(
    ex: impl Executor<'c, Database = Any>,
    parent_user_id: i64,
) -> Result<Vec<DirectionView>, crate::db::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(view_sql("a.parent_user_id = $1")))
        .bind(parent_user_id)
        .fetch_all(ex)
        .await
}

/// One of a parent's directions; another parent's is `None`.
pub async fn one_of_parent<'c>(
    ex: impl Executor<'c, Database = Any>,
    parent_user_id: i64,
    id: i64,
) -> Result<Option<DirectionView>, crate::db::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(view_sql(
        "a.parent_user_id = $1 AND d.id = $2",
    )))
    .bind(parent_user_id)
    .bind(id)
    .fetch_optional(ex)
    .await
}

/// How many directions of an organization the staff page shows at most (open ones come first).
pub const STAFF_LIST_LIMIT: usize = 500;

/// An organization's directions, open ones first, newest first.
pub async fn of_organization<'c>(
    ex: impl Executor<'c, Database = Any>,
    organization_id: i64,
) -> Result<Vec<DirectionView>, crate::db::Error> {
    let sql = format!(
        "{} LIMIT {STAFF_LIST_LIMIT}",
        view_sql("d.organization_id = $1")
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(organization_id)
        .fetch_all(ex)
        .await
}

/// A deadline as the parent reads it: the local date (the deadline is that day's end).
pub fn deadline_text(at: i64) -> String {
    crate::domain::time::day_of(at)
}
