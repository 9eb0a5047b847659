//! The home page's live figures for one region: free places now, children waiting,
//! organizations, and directions issued this month (a month of Kazakhstan's local calendar).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::kato_range;
use crate::db::Db;
use crate::db::portal::figures as store;
use crate::domain::time::{OFFSET_SECS as LOCAL_OFFSET_SECS, local_date};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionFigures {
    /// The region's 2-digit KATO code.
    pub region_code: String,
    /// Open vacancies of the region's active organizations and groups.
    pub free_places: i64,
    /// Children with at least one application waiting in the queue (a child waiting in two
    /// queues counts once).
    pub children_waiting: i64,
    /// Active organizations.
    pub organizations: i64,
    /// Directions issued since the first day of this month, local time, whatever became of them.
    pub directions_this_month: i64,
    /// The month counted, `YYYY-MM`.
    pub month: String,
}

/// The first second of the local month around `now` and of the next one, in unix seconds, and
/// the month as `YYYY-MM`.
pub fn month_bounds(now: i64) -> (i64, i64, String) {
    let today = local_date(now);
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    let start_of = |day: NaiveDate| {
        day.and_hms_opt(0, 0, 0)
            .map_or(0, |t| t.and_utc().timestamp() - LOCAL_OFFSET_SECS)
    };
    (
        start_of(first),
        start_of(next),
        first.format("%Y-%m").to_string(),
    )
}

pub async fn of_region(
    db: &Db,
    region_code: &str,
    now: i64,
) -> Result<RegionFigures, crate::db::Error> {
    let pool = db.pool();
    let (low, high) = kato_range(region_code);
    let free_places = store::free_places(pool, &low, &high).await?;
    let children_waiting = store::children_waiting(pool, region_code).await?;
    let organizations = store::organizations(pool, &low, &high).await?;
    let (from, until, month) = month_bounds(now);
    let directions_this_month = store::directions_issued(pool, region_code, from, until).await?;
    Ok(RegionFigures {
        region_code: region_code.to_owned(),
        free_places,
        children_waiting,
        organizations,
        directions_this_month,
        month,
    })
}

#[cfg(test)]
mod tests {
    use super::month_bounds;

    fn at(text: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp()
    }

    #[test]
    fn the_month_is_kazakhstans() {
        // 31 May 20:00 UTC is already 1 June in Kazakhstan (UTC+5).
        let (from, until, month) = month_bounds(at("2026-05-31T20:00:00Z"));
        assert_eq!(month, "2026-06");
        assert_eq!(from, at("2026-06-01T00:00:00+05:00"));
        assert_eq!(until, at("2026-07-01T00:00:00+05:00"));
        let (from, until, month) = month_bounds(at("2026-12-31T18:59:59Z"));
        assert_eq!(month, "2026-12");
        assert_eq!(
            (from, until),
            (
                at("2026-12-01T00:00:00+05:00"),
                at("2027-01-01T00:00:00+05:00")
            )
        );
    }
}
