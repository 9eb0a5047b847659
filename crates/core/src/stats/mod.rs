//! Public statistics of a region or one of its localities: children waiting by birth year and
//! group kind, correctional demand against correctional places, places published and directions
//! issued per month, and the median wait from registration to a direction. Plain
//! serde-serializable results, so the page, its CSV files and a JSON API share them.
//!
//! An area is a KATO prefix (`71` for Astana, `7112` for one of its districts): applications
//! count by the locality the parent chose, places and directions by their organization's KATO.
//! Everything is counted by `GROUP BY` in portable SQL; months are bucketed by a `CASE` over
//! month boundaries computed here in Kazakhstan time, since SQLite and PostgreSQL share no date
//! functions. Only the median reads single rows: two numbers per direction of the window.

pub mod calc;

use std::collections::BTreeMap;

use crate::cache::TtlCache;
use crate::db::stats as store;
use crate::db::{Db, Error as DbError, Executor, stats::Flow};
use serde::Serialize;

pub use calc::{Month, WaitSummary};

/// How many months the monthly figures cover, the current one included.
pub const MONTHS: usize = 12;

/// Children waiting of one birth year in one kind of queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaitingCount {
    pub birth_year: i64,
    /// `regular`, `correctional` or `sanatorium`.
    pub kind: String,
    /// Children: a child has at most one active application of a kind (the UNIQUE
    /// `applications.active_key`), so each counts once per kind.
    pub children: i64,
}

/// Correctional demand and places of one correction type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorrectionalDemand {
    /// The reference code of the correction type (`speech`, …).
    pub correction_type: String,
    /// Children with a queued correctional application of this type (one per child, as above).
    pub waiting_children: i64,
    /// Places in active correctional groups of this type of active organizations.
    pub capacity: i64,
    /// Of those, places published in the bulletin and not yet offered.
    pub free_places: i64,
}

/// One month's flow of places.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MonthFlow {
    pub month: Month,
    /// Free places (vacancies) published that month.
    pub places_published: i64,
    /// Directions issued that month, whatever became of them later.
    pub directions_issued: i64,
}

/// The median wait of the directions issued in one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthWait {
    pub month: Month,
    #[serde(flatten)]
    pub summary: WaitSummary,
}

/// Median waits from registration to an application's first direction, per month of issue and
/// over the whole window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaitTimes {
    pub months: Vec<MonthWait>,
    pub overall: WaitSummary,
}

/// The smallest and largest 9-digit KATO codes under a prefix: a range the indexes can use.
fn kato_range(prefix: &str) -> (String, String) {
    (format!("{prefix:0<9}"), format!("{prefix:9<9}"))
}

/// Children waiting in the area by birth year and group kind, youngest year last.
pub async fn waiting_by_year_and_kind(
    pool: impl Executor<'_>,
    prefix: &str,
) -> Result<Vec<WaitingCount>, crate::db::Error> {
    let (low, high) = kato_range(prefix);
    let rows = store::waiting_by_year_and_kind(pool, &low, &high).await?;
    Ok(rows
        .into_iter()
        .map(|(birth_year, kind, children)| WaitingCount {
            birth_year,
            kind,
            children,
        })
        .collect())
}

/// Correctional demand against correctional places in the area, per correction type (every type
/// with either), ordered by code.
pub async fn correctional_demand(
    db: &crate::db::Db,
    prefix: &str,
) -> Result<Vec<CorrectionalDemand>, crate::db::Error> {
    let (low, high) = kato_range(prefix);
    let waiting = store::correctional_waiting(db.pool(), &low, &high).await?;
    let places = store::correctional_places(db.pool(), &low, &high).await?;
    let mut by_type: BTreeMap<String, CorrectionalDemand> = BTreeMap::new();
    let empty = |code: &str| CorrectionalDemand {
        correction_type: code.to_owned(),
        waiting_children: 0,
        capacity: 0,
        free_places: 0,
    };
    for (code, children) in waiting {
        let row = by_type.entry(code.clone()).or_insert_with(|| empty(&code));
        row.waiting_children = children;
    }
    for (code, capacity, free) in places {
        let row = by_type.entry(code.clone()).or_insert_with(|| empty(&code));
        row.capacity = capacity;
        row.free_places = free;
    }
    Ok(by_type.into_values().collect())
}

/// Counts per month index from `(index, count)` rows, zero for the months without any.
fn per_month(rows: Vec<(i64, i64)>) -> Vec<i64> {
    let mut counts = vec![0; MONTHS];
    for (index, count) in rows {
        if let Some(slot) = usize::try_from(index).ok().and_then(|i| counts.get_mut(i)) {
            *slot += count;
        }
    }
    counts
}

/// Places published and directions issued in the area in each of the last `MONTHS` months
/// (Kazakhstan time), oldest first.
pub async fn monthly_flow(
    db: &crate::db::Db,
    prefix: &str,
    now: i64,
) -> Result<Vec<MonthFlow>, crate::db::Error> {
    let months = calc::last_months(now, MONTHS);
    let bounds = calc::month_bounds(&months);
    let (low, high) = kato_range(prefix);
    let mut counts = Vec::with_capacity(2);
    for flow in [Flow::Published, Flow::Issued] {
        counts.push(per_month(
            store::monthly(db.pool(), flow, &low, &high, &bounds).await?,
        ));
    }
    Ok(months
        .into_iter()
        .enumerate()
        .map(|(i, month)| MonthFlow {
            month,
            places_published: counts[0][i],
            directions_issued: counts[1][i],
        })
        .collect())
}

/// Median waits from registration (`registered_at`, never moved) to each application's first
/// direction, for first directions issued in the area in the last `MONTHS` months.
pub async fn wait_times(
    pool: impl Executor<'_>,
    prefix: &str,
    now: i64,
) -> Result<WaitTimes, crate::db::Error> {
    let months = calc::last_months(now, MONTHS);
    let bounds = calc::month_bounds(&months);
    let (low, high) = kato_range(prefix);
    let rows = store::first_directions(pool, &low, &high, bounds[0], bounds[MONTHS]).await?;
    let waits: Vec<calc::Wait> = rows
        .into_iter()
        .map(|(registered_at, issued_at)| calc::Wait {
            registered_at,
            issued_at,
        })
        .collect();
    let (per_month, overall) = calc::wait_summaries(&bounds, &waits);
    Ok(WaitTimes {
        months: months
            .into_iter()
            .zip(per_month)
            .map(|(month, summary)| MonthWait { month, summary })
            .collect(),
        overall,
    })
}

/// The four figures as the public pages and the API read them, each reused for
/// `settings.public_figures_ttl` per area: a crowd on the statistics page costs one count a minute.
pub struct Shared {
    waiting: TtlCache<Vec<WaitingCount>>,
    correctional: TtlCache<Vec<CorrectionalDemand>>,
    monthly: TtlCache<Vec<MonthFlow>>,
    wait_times: TtlCache<WaitTimes>,
}

impl Shared {
    pub fn new(ttl: std::time::Duration) -> Shared {
        Shared {
            waiting: TtlCache::new(ttl),
            correctional: TtlCache::new(ttl),
            monthly: TtlCache::new(ttl),
            wait_times: TtlCache::new(ttl),
        }
    }

    pub async fn waiting(&self, db: &Db, prefix: &str) -> Result<Vec<WaitingCount>, DbError> {
        self.waiting
            .get_or_compute(prefix, || waiting_by_year_and_kind(db.pool(), prefix))
            .await
    }

    pub async fn correctional(
        &self,
        db: &Db,
        prefix: &str,
    ) -> Result<Vec<CorrectionalDemand>, DbError> {
        self.correctional
            .get_or_compute(prefix, || correctional_demand(db, prefix))
            .await
    }

    pub async fn monthly(
        &self,
        db: &Db,
        prefix: &str,
        now: i64,
    ) -> Result<Vec<MonthFlow>, DbError> {
        self.monthly
            .get_or_compute(prefix, || monthly_flow(db, prefix, now))
            .await
    }

    pub async fn wait_times(&self, db: &Db, prefix: &str, now: i64) -> Result<WaitTimes, DbError> {
        self.wait_times
            .get_or_compute(prefix, || wait_times(db.pool(), prefix, now))
            .await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_prefix_spans_every_code_under_it() {
        assert_eq!(
            super::kato_range("71"),
            ("710000000".to_owned(), "719999999".to_owned())
        );
        assert_eq!(
            super::kato_range("7112"),
            ("711200000".to_owned(), "711299999".to_owned())
        );
    }

    #[test]
    fn month_rows_fill_twelve_slots_and_ignore_strays() {
        let counts = super::per_month(vec![(0, 3), (11, 2), (12, 9), (-1, 9)]);
        assert_eq!(counts.len(), 12);
        assert_eq!(counts[0], 3);
        assert_eq!(counts[11], 2);
        assert_eq!(counts.iter().sum::<i64>(), 5);
    }
}
