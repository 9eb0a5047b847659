//! Rules that differ between regions, kept as dated versions an administrator adds: the number
//! of preferred organizations, the queue's category order and interleave, the direction deadlines
//! and the stop-list. The version in force is the latest whose effective date has come.

use std::collections::HashMap;

use crate::audit::{self, Actor};
use crate::db::region_rules as store;
use crate::db::{Db, Error, Executor};
use crate::domain::code::UnknownCode;
use crate::domain::queue::{Category, QueueRules};
use crate::domain::region;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;

/// More than ten choices makes the queue per organization meaningless; fewer than one, no application.
pub const MAX_PREFERRED_ORGS_RANGE: std::ops::RangeInclusive<i64> = 1..=10;
pub const INTERLEAVE_RANGE: std::ops::RangeInclusive<i64> = 0..=20;
pub const ACCEPT_DAYS_RANGE: std::ops::RangeInclusive<i64> = 1..=30;
pub const ENROLL_DAYS_RANGE: std::ops::RangeInclusive<i64> = 1..=60;
pub const EXTENSION_DAYS_RANGE: std::ops::RangeInclusive<i64> = 0..=30;
pub const STOP_LIST_DAYS_RANGE: std::ops::RangeInclusive<i64> = 0..=365;

/// What happens to the child's place in the queue after a refused or expired direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AfterStopList {
    /// Back at the original position once the stop-list ends.
    Keep,
    /// To the end of the queue, as if registered when the direction was annulled.
    End,
}

impl AfterStopList {
    pub fn as_str(self) -> &'static str {
        match self {
            AfterStopList::Keep => "keep",
            AfterStopList::End => "end",
        }
    }

    pub fn parse(code: &str) -> Option<AfterStopList> {
        match code {
            "keep" => Some(AfterStopList::Keep),
            "end" => Some(AfterStopList::End),
            _ => None,
        }
    }
}

/// One version of a region's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionRules {
    pub region_code: String,
    pub effective_from: NaiveDate,
    pub max_preferred_orgs: i64,
    pub queue: QueueRules,
    pub accept_working_days: i64,
    pub enroll_working_days: i64,
    pub extension_max_days: i64,
    pub stop_list_days: i64,
    pub after_stop_list: AfterStopList,
    pub created_at: i64,
    pub created_by: Option<i64>,
}

impl RegionRules {
    /// What applies where no version exists (a database restored from before the rules).
    pub fn defaults(region_code: &str) -> RegionRules {
        RegionRules {
            region_code: region_code.to_owned(),
            effective_from: NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date"),
            max_preferred_orgs: 4,
            queue: QueueRules::default(),
            accept_working_days: 3,
            enroll_working_days: 5,
            extension_max_days: 30,
            stop_list_days: 10,
            after_stop_list: AfterStopList::Keep,
            created_at: 0,
            created_by: None,
        }
    }
}

pub use crate::db::region_rules::{HistoryRow, VersionRow};

/// A stored value the rules cannot be read from: the statement fails, as a decode error.
fn undecodable(column: &str, source: impl std::error::Error + Send + Sync + 'static) -> Error {
    Error::ColumnDecode {
        index: column.to_owned(),
        source: Box::new(source),
    }
}

fn stored_date(column: &str, day: &str) -> Result<NaiveDate, Error> {
    NaiveDate::parse_from_str(day, "%Y-%m-%d").map_err(|e| undecodable(column, e))
}

fn date_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

impl TryFrom<VersionRow> for RegionRules {
    type Error = Error;

    fn try_from(r: VersionRow) -> Result<RegionRules, Error> {
        let precedence = QueueRules::parse_precedence(&r.precedence).ok_or_else(|| {
            undecodable(
                "precedence",
                UnknownCode {
                    kind: "category order",
                    code: r.precedence.clone(),
                },
            )
        })?;
        let effective_from = stored_date("effective_from", &r.effective_from)?;
        let after_stop_list = AfterStopList::parse(&r.after_stop_list).ok_or_else(|| {
            undecodable(
                "after_stop_list",
                UnknownCode {
                    kind: "after-stop-list rule",
                    code: r.after_stop_list.clone(),
                },
            )
        })?;
        Ok(RegionRules {
            effective_from,
            max_preferred_orgs: r.max_preferred_orgs,
            queue: QueueRules {
                precedence,
                interleave_first_priority: r.interleave_first_priority.clamp(0, 1000) as u32,
                interleave_general: r.interleave_general.clamp(0, 1000) as u32,
            },
            accept_working_days: r.accept_working_days,
            enroll_working_days: r.enroll_working_days,
            extension_max_days: r.extension_max_days,
            stop_list_days: r.stop_list_days,
            after_stop_list,
            created_at: r.created_at,
            created_by: r.created_by,
            region_code: r.region_code,
        })
    }
}

/// The rules in force in `region_code` on `today`.
pub async fn current<'c>(
    ex: impl Executor<'c>,
    region_code: &str,
    today: NaiveDate,
) -> Result<RegionRules, Error> {
    match store::in_force(ex, region_code, &date_text(today)).await? {
        Some(row) => row.try_into(),
        None => Ok(RegionRules::defaults(region_code)),
    }
}

/// The rules in force on `today` in each of `region_codes`, in one statement: every code asked
/// is in the answer, as `current` would give it.
pub async fn current_in<'c>(
    ex: impl Executor<'c>,
    region_codes: &[&str],
    today: NaiveDate,
) -> Result<HashMap<String, RegionRules>, Error> {
    let mut codes = region_codes.to_vec();
    codes.sort_unstable();
    codes.dedup();
    if codes.is_empty() {
        return Ok(HashMap::new());
    }
    let mut rules = HashMap::new();
    for r in store::in_force_in(ex, &codes, &date_text(today)).await? {
        rules.insert(r.region_code.clone(), RegionRules::try_from(r)?);
    }
    for code in codes {
        rules
            .entry(code.to_owned())
            .or_insert_with(|| RegionRules::defaults(code));
    }
    Ok(rules)
}

/// How many organizations an application in `region_code` may list on `today`.
pub async fn max_preferred_orgs<'c>(
    ex: impl Executor<'c>,
    region_code: &str,
    today: NaiveDate,
) -> Result<i64, Error> {
    Ok(current(ex, region_code, today).await?.max_preferred_orgs)
}

/// Every version of a region's rules, newest effective date first.
pub async fn versions<'c>(
    ex: impl Executor<'c>,
    region_code: &str,
) -> Result<Vec<RegionRules>, Error> {
    store::versions(ex, region_code)
        .await?
        .into_iter()
        .map(RegionRules::try_from)
        .collect()
}

/// Every region's rules in force on `today`, in the order of `region::REGIONS`.
pub async fn all_current(db: &Db, today: NaiveDate) -> Result<Vec<RegionRules>, Error> {
    let mut rules = Vec::with_capacity(region::REGIONS.len());
    for r in region::REGIONS.iter() {
        rules.push(current(db.pool(), r.code, today).await?);
    }
    Ok(rules)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RegionRuleError {
    #[error("no such region")]
    UnknownRegion,
    #[error("the maximum number of preferred organizations is out of range")]
    MaxPreferredOrgs,
    #[error("the category order must name each category once")]
    Precedence,
    #[error("the interleave is out of range")]
    Interleave,
    #[error("the days to accept are out of range")]
    AcceptDays,
    #[error("the working days to enroll are out of range")]
    EnrollDays,
    #[error("the extension is out of range")]
    ExtensionDays,
    #[error("the stop-list days are out of range")]
    StopListDays,
    #[error("the effective date cannot be in the past")]
    EffectiveInPast,
}

impl RegionRuleError {
    pub fn message_key(self) -> &'static str {
        match self {
            RegionRuleError::UnknownRegion => "admin-region-error-unknown",
            RegionRuleError::MaxPreferredOrgs => "admin-region-error-max-preferred",
            RegionRuleError::Precedence => "admin-region-error-precedence",
            RegionRuleError::Interleave => "admin-region-error-interleave",
            RegionRuleError::AcceptDays => "admin-region-error-accept-days",
            RegionRuleError::EnrollDays => "admin-region-error-enroll-days",
            RegionRuleError::ExtensionDays => "admin-region-error-extension-days",
            RegionRuleError::StopListDays => "admin-region-error-stop-list-days",
            RegionRuleError::EffectiveInPast => "admin-region-error-effective-past",
        }
    }
}

/// Checks a version before it is stored; `today` forbids rewriting the past.
pub fn check(rules: &RegionRules, today: NaiveDate) -> Result<(), RegionRuleError> {
    match problems(rules, today).first() {
        Some(&(_, e)) => Err(e),
        None => Ok(()),
    }
}

/// Every problem of a version, each with the field it concerns (named as the table's column),
/// so that a form can show them all at once; empty when the version can be stored.
pub fn problems(rules: &RegionRules, today: NaiveDate) -> Vec<(&'static str, RegionRuleError)> {
    use RegionRuleError as E;
    if region::find(&rules.region_code).is_none() {
        return vec![("region_code", E::UnknownRegion)];
    }
    let q = &rules.queue;
    let ranges: [(
        &'static str,
        &std::ops::RangeInclusive<i64>,
        i64,
        RegionRuleError,
    ); 7] = [
        (
            "max_preferred_orgs",
            &MAX_PREFERRED_ORGS_RANGE,
            rules.max_preferred_orgs,
            E::MaxPreferredOrgs,
        ),
        (
            "interleave_first_priority",
            &INTERLEAVE_RANGE,
            i64::from(q.interleave_first_priority),
            E::Interleave,
        ),
        (
            "interleave_general",
            &INTERLEAVE_RANGE,
            i64::from(q.interleave_general),
            E::Interleave,
        ),
        (
            "accept_working_days",
            &ACCEPT_DAYS_RANGE,
            rules.accept_working_days,
            E::AcceptDays,
        ),
        (
            "enroll_working_days",
            &ENROLL_DAYS_RANGE,
            rules.enroll_working_days,
            E::EnrollDays,
        ),
        (
            "extension_max_days",
            &EXTENSION_DAYS_RANGE,
            rules.extension_max_days,
            E::ExtensionDays,
        ),
        (
            "stop_list_days",
            &STOP_LIST_DAYS_RANGE,
            rules.stop_list_days,
            E::StopListDays,
        ),
    ];
    let mut found = Vec::new();
    if rules.effective_from < today {
        found.push(("effective_from", E::EffectiveInPast));
    }
    let [a, b, c] = q.precedence;
    if a == b || b == c || a == c {
        found.push(("precedence", E::Precedence));
    }
    found.extend(
        ranges
            .into_iter()
            .filter(|(_, range, value, _)| !range.contains(value))
            .map(|(field, _, _, e)| (field, e)),
    );
    found
}

/// The six possible category orders, the statutory one first.
pub fn precedence_choices() -> [[Category; 3]; 6] {
    use Category::{Extraordinary as E, FirstPriority as P, General as G};
    [
        [E, P, G],
        [E, G, P],
        [P, E, G],
        [P, G, E],
        [G, E, P],
        [G, P, E],
    ]
}

/// A stored version with the phone of the administrator who added it.
#[derive(Debug, Clone)]
pub struct Version {
    pub rules: RegionRules,
    pub created_by_phone: Option<String>,
}

/// Every version of a region's rules with their authors, newest effective date first.
pub async fn history<'c>(ex: impl Executor<'c>, region_code: &str) -> Result<Vec<Version>, Error> {
    store::history(ex, region_code)
        .await?
        .into_iter()
        .map(|r| {
            Ok(Version {
                rules: r.version.try_into()?,
                created_by_phone: r.created_by_phone,
            })
        })
        .collect()
}

/// For each region with a version not yet in force on `today`, the nearest such date.
pub async fn scheduled<'c>(
    ex: impl Executor<'c>,
    today: NaiveDate,
) -> Result<Vec<(String, NaiveDate)>, Error> {
    store::scheduled(ex, &date_text(today))
        .await?
        .into_iter()
        .map(|(code, day)| Ok((code, stored_date("effective_from", &day)?)))
        .collect()
}

fn as_json(r: &RegionRules) -> serde_json::Value {
    json!({
        "effective_from": r.effective_from.to_string(),
        "max_preferred_orgs": r.max_preferred_orgs,
        "precedence": r.queue.precedence_text(),
        "interleave_first_priority": r.queue.interleave_first_priority,
        "interleave_general": r.queue.interleave_general,
        "accept_working_days": r.accept_working_days,
        "enroll_working_days": r.enroll_working_days,
        "extension_max_days": r.extension_max_days,
        "stop_list_days": r.stop_list_days,
        "after_stop_list": r.after_stop_list.as_str(),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error(transparent)]
    Invalid(#[from] RegionRuleError),
    #[error(transparent)]
    Internal(#[from] Error),
}

/// Adds (or replaces, for the same effective date not yet in force) a version and records it
/// in the audit log with the version it follows.
pub async fn save_version(
    db: &Db,
    actor: &Actor,
    rules: &RegionRules,
    today: NaiveDate,
    now: i64,
) -> Result<(), SaveError> {
    check(rules, today)?;
    let mut tx = db.begin().await?;
    let before = current(&mut *tx, &rules.region_code, rules.effective_from).await?;
    let row = VersionRow {
        region_code: rules.region_code.clone(),
        effective_from: date_text(rules.effective_from),
        max_preferred_orgs: rules.max_preferred_orgs,
        precedence: rules.queue.precedence_text(),
        interleave_first_priority: i64::from(rules.queue.interleave_first_priority),
        interleave_general: i64::from(rules.queue.interleave_general),
        accept_working_days: rules.accept_working_days,
        enroll_working_days: rules.enroll_working_days,
        extension_max_days: rules.extension_max_days,
        stop_list_days: rules.stop_list_days,
        after_stop_list: rules.after_stop_list.as_str().to_owned(),
        created_at: now,
        created_by: Some(actor.user_id),
    };
    store::replace(&mut tx, &row).await?;
    let detail = json!({ "before": as_json(&before), "after": as_json(rules) });
    audit::record_by(
        &mut tx,
        actor,
        now,
        "region.rules_changed",
        &rules.region_code,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }

    #[test]
    fn every_problem_is_found_beside_its_field() {
        let mut rules = RegionRules::defaults("71");
        rules.effective_from = day(10);
        assert_eq!(check(&rules, day(10)), Ok(()));
        assert_eq!(
            check(&rules, day(11)),
            Err(RegionRuleError::EffectiveInPast)
        );

        rules.max_preferred_orgs = 11;
        rules.queue.interleave_general = 21;
        rules.queue.precedence = [Category::General; 3];
        rules.stop_list_days = -1;
        let fields: Vec<_> = problems(&rules, day(1)).into_iter().map(|p| p.0).collect();
        assert_eq!(
            fields,
            [
                "precedence",
                "max_preferred_orgs",
                "interleave_general",
                "stop_list_days"
            ]
        );
        assert_eq!(check(&rules, day(1)), Err(RegionRuleError::Precedence));

        let unknown = RegionRules::defaults("99");
        assert_eq!(check(&unknown, day(1)), Err(RegionRuleError::UnknownRegion));
    }

    #[test]
    fn the_six_orders_are_distinct_permutations() {
        let choices = precedence_choices();
        for (i, p) in choices.iter().enumerate() {
            let text = p.map(Category::as_str).join(",");
            assert_eq!(QueueRules::parse_precedence(&text), Some(*p));
            assert!(!choices[..i].contains(p));
        }
        assert_eq!(choices[0], Category::ALL);
    }
}
