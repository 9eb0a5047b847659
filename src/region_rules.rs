//! Rules that differ between regions, kept as settings an administrator edits: for now the
//! number of preferred organizations an application may name.

use serde_json::json;
use sqlx::{Any, Executor, FromRow};

use crate::audit::{self};
use crate::db::Db;
use crate::domain::region;
use crate::orgs::vacancies::Actor;

/// Used when a region has no row (e.g. a database restored from before the rules existed).
pub const DEFAULT_MAX_PREFERRED_ORGS: i64 = 4;
/// More than ten choices makes the queue per organization meaningless; fewer than one, no application.
pub const MAX_PREFERRED_ORGS_RANGE: std::ops::RangeInclusive<i64> = 1..=10;

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct RegionRule {
    pub region_code: String,
    pub max_preferred_orgs: i64,
    pub updated_at: i64,
    pub updated_by: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum RegionRuleError {
    #[error("no such region")]
    UnknownRegion,
    #[error("the maximum number of preferred organizations is out of range")]
    MaxPreferredOrgs,
    #[error(transparent)]
    Internal(#[from] sqlx::Error),
}

impl RegionRuleError {
    pub fn message_key(&self) -> &'static str {
        match self {
            RegionRuleError::UnknownRegion => "admin-region-error-unknown",
            RegionRuleError::MaxPreferredOrgs => "admin-region-error-max-preferred",
            RegionRuleError::Internal(_) => "error-internal",
        }
    }
}

/// How many organizations an application in `region_code` may list.
pub async fn max_preferred_orgs<'c>(
    ex: impl Executor<'c, Database = Any>,
    region_code: &str,
) -> Result<i64, sqlx::Error> {
    let value: Option<i64> =
        sqlx::query_scalar("SELECT max_preferred_orgs FROM region_rules WHERE region_code = $1")
            .bind(region_code)
            .fetch_optional(ex)
            .await?;
    Ok(value.unwrap_or(DEFAULT_MAX_PREFERRED_ORGS))
}

/// Every region's rules in the order of `region::REGIONS`; a missing row shows the defaults.
pub async fn all<'c>(
    ex: impl Executor<'c, Database = Any>,
) -> Result<Vec<RegionRule>, sqlx::Error> {
    let rows: Vec<RegionRule> = sqlx::query_as(
        "SELECT region_code, max_preferred_orgs, updated_at, updated_by FROM region_rules",
    )
    .fetch_all(ex)
    .await?;
    Ok(region::REGIONS
        .iter()
        .map(|r| {
            rows.iter()
                .find(|row| row.region_code == r.code)
                .cloned()
                .unwrap_or(RegionRule {
                    region_code: r.code.to_owned(),
                    max_preferred_orgs: DEFAULT_MAX_PREFERRED_ORGS,
                    updated_at: 0,
                    updated_by: None,
                })
        })
        .collect())
}

/// Sets a region's maximum and records the change; the same value again changes nothing.
pub async fn set_max_preferred_orgs(
    db: &Db,
    actor: &Actor,
    region_code: &str,
    value: i64,
    now: i64,
) -> Result<(), RegionRuleError> {
    if region::find(region_code).is_none() {
        return Err(RegionRuleError::UnknownRegion);
    }
    if !MAX_PREFERRED_ORGS_RANGE.contains(&value) {
        return Err(RegionRuleError::MaxPreferredOrgs);
    }
    let mut tx = db.begin().await?;
    let before = max_preferred_orgs(&mut *tx, region_code).await?;
    if before == value {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO region_rules (region_code, max_preferred_orgs, updated_at, updated_by)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (region_code) DO UPDATE SET max_preferred_orgs = excluded.max_preferred_orgs,
            updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(region_code)
    .bind(value)
    .bind(now)
    .bind(actor.user_id)
    .execute(&mut *tx)
    .await?;
    let detail = json!({
        "before": { "max_preferred_orgs": before },
        "after": { "max_preferred_orgs": value },
    });
    audit::record_by(
        &mut tx,
        actor,
        now,
        "region.rules_changed",
        region_code,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
