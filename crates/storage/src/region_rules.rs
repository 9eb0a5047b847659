//! The dated versions of each region's rules (`region_rule_versions`): effective dates are
//! `YYYY-MM-DD` text, the category order a comma-separated list; both are decoded by the caller.

use sqlx::{AssertSqlSafe, FromRow};

use crate::{Conn, Error, Executor};

/// One version as stored.
#[derive(Debug, Clone, FromRow)]
pub struct VersionRow {
    pub region_code: String,
    pub effective_from: String,
    pub max_preferred_orgs: i64,
    pub precedence: String,
    pub interleave_first_priority: i64,
    pub interleave_general: i64,
    pub accept_working_days: i64,
    pub enroll_working_days: i64,
    pub extension_max_days: i64,
    pub stop_list_days: i64,
    pub after_stop_list: String,
    pub created_at: i64,
    pub created_by: Option<i64>,
}

/// A version with the phone of the administrator who added it.
#[derive(Debug, Clone, FromRow)]
pub struct HistoryRow {
    #[sqlx(flatten)]
    pub version: VersionRow,
    pub created_by_phone: Option<String>,
}

const COLUMNS: &str = "region_code, effective_from, max_preferred_orgs, precedence, \
    interleave_first_priority, interleave_general, accept_working_days, enroll_working_days, \
    extension_max_days, stop_list_days, after_stop_list, created_at, created_by";

/// The version in force in `region_code` on `today` (`YYYY-MM-DD`), if any.
pub async fn in_force(
    e: impl Executor<'_>,
    region_code: &str,
    today: &str,
) -> Result<Option<VersionRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM region_rule_versions
         WHERE region_code = $1 AND effective_from <= $2
         ORDER BY effective_from DESC LIMIT 1"
    )))
    .bind(region_code)
    .bind(today.to_owned())
    .fetch_optional(e)
    .await
}

/// The versions in force on `today` in each of `region_codes` (distinct, not empty) that has one.
pub async fn in_force_in(
    e: impl Executor<'_>,
    region_codes: &[&str],
    today: &str,
) -> Result<Vec<VersionRow>, Error> {
    let sql = format!(
        "SELECT {COLUMNS} FROM region_rule_versions v
         WHERE v.region_code IN ({}) AND v.effective_from = (
             SELECT MAX(w.effective_from) FROM region_rule_versions w
             WHERE w.region_code = v.region_code AND w.effective_from <= $1)",
        crate::binds(2, region_codes.len())
    );
    let mut q = sqlx::query_as::<_, VersionRow>(AssertSqlSafe(sql)).bind(today.to_owned());
    for code in region_codes {
        q = q.bind(*code);
    }
    q.fetch_all(e).await
}

/// Every version of a region's rules, newest effective date first.
pub async fn versions(e: impl Executor<'_>, region_code: &str) -> Result<Vec<VersionRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM region_rule_versions WHERE region_code = $1 ORDER BY effective_from DESC"
    )))
    .bind(region_code)
    .fetch_all(e)
    .await
}

/// Every version of a region's rules with their authors, newest effective date first.
pub async fn history(e: impl Executor<'_>, region_code: &str) -> Result<Vec<HistoryRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS}, (SELECT u.phone FROM users u WHERE u.id = v.created_by) AS created_by_phone
         FROM region_rule_versions v WHERE region_code = $1 ORDER BY effective_from DESC"
    )))
    .bind(region_code)
    .fetch_all(e)
    .await
}

/// For each region with a version not yet in force on `today`, the nearest effective date.
pub async fn scheduled(e: impl Executor<'_>, today: &str) -> Result<Vec<(String, String)>, Error> {
    sqlx::query_as(
        "SELECT region_code, MIN(effective_from) FROM region_rule_versions
         WHERE effective_from > $1 GROUP BY region_code",
    )
    .bind(today.to_owned())
    .fetch_all(e)
    .await
}

/// Stores `v`, replacing the version of the same region and effective date if there is one.
pub async fn replace(conn: &mut Conn, v: &VersionRow) -> Result<(), Error> {
    sqlx::query("DELETE FROM region_rule_versions WHERE region_code = $1 AND effective_from = $2")
        .bind(&v.region_code)
        .bind(&v.effective_from)
        .execute(&mut *conn)
        .await?;
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO region_rule_versions ({COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    )))
    .bind(&v.region_code)
    .bind(&v.effective_from)
    .bind(v.max_preferred_orgs)
    .bind(&v.precedence)
    .bind(v.interleave_first_priority)
    .bind(v.interleave_general)
    .bind(v.accept_working_days)
    .bind(v.enroll_working_days)
    .bind(v.extension_max_days)
    .bind(v.stop_list_days)
    .bind(&v.after_stop_list)
    .bind(v.created_at)
    .bind(v.created_by)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
