//! Administrators' exceptions to the statutory calendar, one row per day (`calendar_days`).
//! A day is stored as `YYYY-MM-DD` text, so that both databases compare it as a string.

use chrono::NaiveDate;
use kezek_domain::calendar::DayKind;
use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::{Error, Executor};

/// One exception, with the phone of the administrator who entered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub note: Option<String>,
    pub created_at: i64,
    pub created_by: Option<i64>,
    /// The phone of the administrator who entered it.
    pub created_by_phone: Option<String>,
}

impl<'r> FromRow<'r, AnyRow> for CalendarDay {
    fn from_row(row: &'r AnyRow) -> Result<CalendarDay, Error> {
        Ok(CalendarDay {
            day: day(row)?,
            kind: kind(row)?,
            note: row.try_get("note")?,
            created_at: row.try_get("created_at")?,
            created_by: row.try_get("created_by")?,
            created_by_phone: row.try_get("created_by_phone")?,
        })
    }
}

/// A stored day that is not a `YYYY-MM-DD` date is an error, not a day skipped.
fn day(row: &AnyRow) -> Result<NaiveDate, Error> {
    let text: String = row.try_get("day")?;
    NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|e| Error::ColumnDecode {
        index: "day".into(),
        source: Box::new(e),
    })
}

fn kind(row: &AnyRow) -> Result<DayKind, Error> {
    let code: String = row.try_get("kind")?;
    DayKind::try_from(code).map_err(|e| Error::ColumnDecode {
        index: "kind".into(),
        source: Box::new(e),
    })
}

/// Every stored exception: the day and what it becomes.
pub async fn overrides(e: impl Executor<'_>) -> Result<Vec<(NaiveDate, DayKind)>, Error> {
    let rows = sqlx::query("SELECT day, kind FROM calendar_days")
        .fetch_all(e)
        .await?;
    rows.iter().map(|r| Ok((day(r)?, kind(r)?))).collect()
}

/// The exceptions from `first` to `last` (both `YYYY-MM-DD`), in date order.
pub async fn between(
    e: impl Executor<'_>,
    first: &str,
    last: &str,
) -> Result<Vec<CalendarDay>, Error> {
    sqlx::query_as(
        "SELECT d.day, d.kind, d.note, d.created_at, d.created_by, u.phone AS created_by_phone
         FROM calendar_days d LEFT JOIN users u ON u.id = d.created_by
         WHERE d.day >= $1 AND d.day <= $2 ORDER BY d.day",
    )
    .bind(first)
    .bind(last)
    .fetch_all(e)
    .await
}

/// The stored kind and note of `day`, as the audit log shows them.
pub async fn kind_and_note(
    e: impl Executor<'_>,
    day: &str,
) -> Result<Option<(String, Option<String>)>, Error> {
    sqlx::query_as("SELECT kind, note FROM calendar_days WHERE day = $1")
        .bind(day)
        .fetch_optional(e)
        .await
}

/// Stores an exception for `day`, replacing the one the day had.
pub async fn put(
    e: impl Executor<'_>,
    day: &str,
    kind: DayKind,
    note: Option<&str>,
    now: i64,
    by: i64,
) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO calendar_days (day, kind, note, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, note = excluded.note,
             created_at = excluded.created_at, created_by = excluded.created_by",
    )
    .bind(day)
    .bind(kind.as_str())
    .bind(note)
    .bind(now)
    .bind(by)
    .execute(e)
    .await?;
    Ok(())
}

/// Removes the exception of `day`; whether there was one.
pub async fn remove(e: impl Executor<'_>, day: &str) -> Result<bool, Error> {
    let deleted = sqlx::query("DELETE FROM calendar_days WHERE day = $1")
        .bind(day)
        .execute(e)
        .await?
        .rows_affected();
    Ok(deleted > 0)
}
