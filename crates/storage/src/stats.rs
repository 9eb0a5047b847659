//! The public statistics' counts over an area's KATO range (`low`..=`high`, 9-digit codes):
//! everything by `GROUP BY` in portable SQL, months bucketed by a `CASE` over boundaries the
//! caller computes in Kazakhstan time, since SQLite and PostgreSQL share no date functions.

use sqlx::AssertSqlSafe;

use crate::{Error, Executor};

/// `(birth year, group kind, applications)` waiting in the range, youngest year last. Counting
/// rows rather than distinct children lets the partial index of waiting applications answer
/// alone (kind, birth year and KATO are in it); the active-application key makes it the same.
pub async fn waiting_by_year_and_kind(
    e: impl Executor<'_>,
    low: &str,
    high: &str,
) -> Result<Vec<(i64, String, i64)>, Error> {
    sqlx::query_as(
        "SELECT birth_year, kind, CAST(COUNT(*) AS BIGINT) FROM applications
         WHERE status = 'queued' AND birth_year IS NOT NULL AND kato >= $1 AND kato <= $2
         GROUP BY birth_year, kind
         ORDER BY birth_year, kind",
    )
    .bind(low)
    .bind(high)
    .fetch_all(e)
    .await
}

/// `(correction type, applications)` waiting for a correctional group in the range.
pub async fn correctional_waiting(
    e: impl Executor<'_>,
    low: &str,
    high: &str,
) -> Result<Vec<(String, i64)>, Error> {
    sqlx::query_as(
        "SELECT correction_type, CAST(COUNT(*) AS BIGINT) FROM applications
         WHERE status = 'queued' AND kind = 'correctional' AND correction_type IS NOT NULL
           AND kato >= $1 AND kato <= $2
         GROUP BY correction_type",
    )
    .bind(low)
    .bind(high)
    .fetch_all(e)
    .await
}

/// `(correction type, capacity, free places)` of the active correctional groups of the active
/// organizations in the range.
pub async fn correctional_places(
    e: impl Executor<'_>,
    low: &str,
    high: &str,
) -> Result<Vec<(String, i64, i64)>, Error> {
    sqlx::query_as(
        "SELECT g.correction_type, CAST(SUM(g.capacity) AS BIGINT),
                CAST(SUM(g.open_vacancies) AS BIGINT)
         FROM org_groups g JOIN organizations o ON o.id = g.organization_id
         WHERE g.kind = 'correctional' AND g.correction_type IS NOT NULL AND g.active = 1
           AND o.active = 1 AND o.kato >= $1 AND o.kato <= $2
         GROUP BY g.correction_type",
    )
    .bind(low)
    .bind(high)
    .fetch_all(e)
    .await
}

/// What `monthly` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Places published, by their organization's KATO.
    Published,
    /// Directions issued, by their organization's KATO.
    Issued,
}

/// `CASE WHEN column < $first+1 THEN 0 … END`: the index of the month, with `months + 1` month
/// boundaries bound from `$first` on.
fn month_case(column: &str, first: usize, months: usize) -> String {
    let mut sql = String::from("CASE");
    for i in 0..months {
        sql.push_str(&format!(" WHEN {column} < ${} THEN {i}", first + i + 1));
    }
    sql.push_str(" END");
    sql
}

/// `(month index, count)` of `flow` in the range, for the months between consecutive `bounds`
/// (unix seconds, oldest first); months without any are missing.
pub async fn monthly(
    e: impl Executor<'_>,
    flow: Flow,
    low: &str,
    high: &str,
    bounds: &[i64],
) -> Result<Vec<(i64, i64)>, Error> {
    let months = bounds.len().saturating_sub(1);
    let last = months + 3;
    // The SQL is built from constants only; every value is bound.
    let sql = match flow {
        Flow::Published => format!(
            "SELECT CAST({} AS BIGINT), CAST(COUNT(*) AS BIGINT)
             FROM vacancies v JOIN org_groups g ON g.id = v.group_id
             JOIN organizations o ON o.id = g.organization_id
             WHERE o.kato >= $1 AND o.kato <= $2 AND v.published_at >= $3 AND v.published_at < ${last}
             GROUP BY 1",
            month_case("v.published_at", 3, months)
        ),
        Flow::Issued => format!(
            "SELECT CAST({} AS BIGINT), CAST(COUNT(*) AS BIGINT)
             FROM directions d JOIN organizations o ON o.id = d.organization_id
             WHERE o.kato >= $1 AND o.kato <= $2 AND d.issued_at >= $3 AND d.issued_at < ${last}
             GROUP BY 1",
            month_case("d.issued_at", 3, months)
        ),
    };
    let mut query = sqlx::query_as::<_, (i64, i64)>(AssertSqlSafe(sql))
        .bind(low.to_owned())
        .bind(high.to_owned());
    for bound in bounds {
        query = query.bind(*bound);
    }
    query.fetch_all(e).await
}

/// `(registered_at, issued_at)` of each application's first direction, for first directions
/// issued in the range in `from..to`.
pub async fn first_directions(
    e: impl Executor<'_>,
    low: &str,
    high: &str,
    from: i64,
    to: i64,
) -> Result<Vec<(i64, i64)>, Error> {
    sqlx::query_as(
        "SELECT a.registered_at, d.issued_at
         FROM directions d JOIN applications a ON a.id = d.application_id
         JOIN organizations o ON o.id = d.organization_id
         WHERE o.kato >= $1 AND o.kato <= $2 AND d.issued_at >= $3 AND d.issued_at < $4
           AND NOT EXISTS (SELECT 1 FROM directions e WHERE e.application_id = d.application_id
                           AND (e.issued_at < d.issued_at OR (e.issued_at = d.issued_at AND e.id < d.id)))",
    )
    .bind(low)
    .bind(high)
    .bind(from)
    .bind(to)
    .fetch_all(e)
    .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_month_case_names_one_bind_per_boundary() {
        let sql = super::month_case("x", 3, 12);
        assert!(sql.starts_with("CASE WHEN x < $4 THEN 0 WHEN x < $5 THEN 1"));
        assert!(sql.ends_with("WHEN x < $15 THEN 11 END"), "{sql}");
    }
}
