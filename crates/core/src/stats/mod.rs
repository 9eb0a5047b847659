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

use serde::Serialize;
use sqlx::AnyPool;

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

/// `CASE WHEN column < $first+1 THEN 0 … END`: the index of the month, with the month
/// boundaries bound from `$first` on (`MONTHS + 1` of them).
fn month_case(column: &str, first: usize) -> String {
    let mut sql = String::from("CASE");
    for i in 0..MONTHS {
        sql.push_str(&format!(" WHEN {column} < ${} THEN {i}", first + i + 1));
    }
    sql.push_str(" END");
    sql
}

/// Children waiting in the area by birth year and group kind, youngest year last. Counting
/// rows rather than distinct children lets the partial index of waiting applications answer
/// alone (kind, birth year and KATO are in it); the active-application key makes it the same.
pub async fn waiting_by_year_and_kind(
    pool: &AnyPool,
    prefix: &str,
) -> Result<Vec<WaitingCount>, crate::db::Error> {
    let (low, high) = kato_range(prefix);
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT birth_year, kind, CAST(COUNT(*) AS BIGINT) FROM applications
         WHERE status = 'queued' AND birth_year IS NOT NULL AND kato >= $1 AND kato <= $2
         GROUP BY birth_year, kind
         ORDER BY birth_year, kind",
    )
    .bind(low)
    .bind(high)
    .fetch_all(pool)
    .await?;
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
    pool: &AnyPool,
    prefix: &str,
) -> Result<Vec<CorrectionalDemand>, crate::db::Error> {
    let (low, high) = kato_range(prefix);
    let waiting: Vec<(String, i64)> = sqlx::query_as(
        "SELECT correction_type, CAST(COUNT(*) AS BIGINT) FROM applications
         WHERE status = 'queued' AND kind = 'correctional' AND correction_type IS NOT NULL
           AND kato >= $1 AND kato <= $2
         GROUP BY correction_type",
    )
    .bind(&low)
    .bind(&high)
    .fetch_all(pool)
    .await?;
    let places: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT g.correction_type, CAST(SUM(g.capacity) AS BIGINT),
                CAST(SUM(g.open_vacancies) AS BIGINT)
         FROM org_groups g JOIN organizations o ON o.id = g.organization_id
         WHERE g.kind = 'correctional' AND g.correction_type IS NOT NULL AND g.active = 1
           AND o.active = 1 AND o.kato >= $1 AND o.kato <= $2
         GROUP BY g.correction_type",
    )
    .bind(&low)
    .bind(&high)
    .fetch_all(pool)
    .await?;
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
    pool: &AnyPool,
    prefix: &str,
    now: i64,
) -> Result<Vec<MonthFlow>, crate::db::Error> {
    let months = calc::last_months(now, MONTHS);
    let bounds = calc::month_bounds(&months);
    let (low, high) = kato_range(prefix);
    let last = MONTHS + 3;
    let published_sql = format!(
        "SELECT CAST({} AS BIGINT), CAST(COUNT(*) AS BIGINT)
         FROM vacancies v JOIN org_groups g ON g.id = v.group_id
         JOIN organizations o ON o.id = g.organization_id
         WHERE o.kato >= $1 AND o.kato <= $2 AND v.published_at >= $3 AND v.published_at < ${last}
         GROUP BY 1",
        month_case("v.published_at", 3)
    );
    let issued_sql = format!(
        "SELECT CAST({} AS BIGINT), CAST(COUNT(*) AS BIGINT)
         FROM directions d JOIN organizations o ON o.id = d.organization_id
         WHERE o.kato >= $1 AND o.kato <= $2 AND d.issued_at >= $3 AND d.issued_at < ${last}
         GROUP BY 1",
        month_case("d.issued_at", 3)
    );
    let mut counts = Vec::with_capacity(2);
    // The SQL is built from constants only; every value is bound.
    for sql in [published_sql, issued_sql] {
        let mut query = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(sql))
            .bind(low.clone())
            .bind(high.clone());
        for bound in &bounds {
            query = query.bind(*bound);
        }
        counts.push(per_month(query.fetch_all(pool).await?));
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
    pool: &AnyPool,
    prefix: &str,
    now: i64,
) -> Result<WaitTimes, crate::db::Error> {
    let months = calc::last_months(now, MONTHS);
    let bounds = calc::month_bounds(&months);
    let (low, high) = kato_range(prefix);
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT a.registered_at, d.issued_at
         FROM directions d JOIN applications a ON a.id = d.application_id
         JOIN organizations o ON o.id = d.organization_id
         WHERE o.kato >= $1 AND o.kato <= $2 AND d.issued_at >= $3 AND d.issued_at < $4
           AND NOT EXISTS (SELECT 1 FROM directions e WHERE e.application_id = d.application_id
                           AND (e.issued_at < d.issued_at OR (e.issued_at = d.issued_at AND e.id < d.id)))",
    )
    .bind(low)
    .bind(high)
    .bind(bounds[0])
    .bind(bounds[MONTHS])
    .fetch_all(pool)
    .await?;
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
    fn the_month_case_names_one_bind_per_boundary() {
        let sql = super::month_case("x", 3);
        assert!(sql.starts_with("CASE WHEN x < $4 THEN 0 WHEN x < $5 THEN 1"));
        assert!(sql.ends_with("WHEN x < $15 THEN 11 END"), "{sql}");
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

/// The four figures as the public pages and the API read them: reused for
/// `settings.public_figures_ttl` per area (`crate::cache`).
pub mod shared {
    use super::{CorrectionalDemand, MonthFlow, WaitTimes, WaitingCount};
    use crate::app::App;

    pub async fn waiting(app: &App, prefix: &str) -> Result<Vec<WaitingCount>, crate::db::Error> {
        let cache = &app.public_figures.waiting;
        cache
            .get_or_compute(prefix, || {
                super::waiting_by_year_and_kind(app.db.pool(), prefix)
            })
            .await
    }

    pub async fn correctional(
        app: &App,
        prefix: &str,
    ) -> Result<Vec<CorrectionalDemand>, crate::db::Error> {
        let cache = &app.public_figures.correctional;
        cache
            .get_or_compute(prefix, || super::correctional_demand(app.db.pool(), prefix))
            .await
    }

    pub async fn monthly(app: &App, prefix: &str) -> Result<Vec<MonthFlow>, crate::db::Error> {
        let cache = &app.public_figures.monthly;
        cache
            .get_or_compute(prefix, || {
                super::monthly_flow(app.db.pool(), prefix, app.now())
            })
            .await
    }

    pub async fn wait_times(app: &App, prefix: &str) -> Result<WaitTimes, crate::db::Error> {
        let cache = &app.public_figures.wait_times;
        cache
            .get_or_compute(prefix, || {
                super::wait_times(app.db.pool(), prefix, app.now())
            })
            .await
    }
}
