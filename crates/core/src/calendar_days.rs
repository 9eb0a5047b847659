//! Administrators' exceptions to the statutory calendar (a government decree moving a day off,
//! or an extra holiday), one row per day, and the working-day calendar they make with the
//! statutory days off of `crate::domain::calendar`. Every change is audited.

use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::{Value, json};
use sqlx::{Any, Executor, FromRow};

use crate::audit::{self, Actor};
use crate::db::Db;
pub use crate::domain::calendar::DayKind;
use crate::domain::calendar::{Calendar, statutory_days_off};

/// A note says which decree or why; longer text belongs in the decree itself.
pub const NOTE_MAX_CHARS: usize = 200;

/// Years an exception may be entered for: a bound that catches a mistyped year (0226, 2206).
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// One exception.
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

#[derive(Debug, thiserror::Error)]
pub enum CalendarDayError {
    #[error("the day is outside the calendar's years")]
    Year,
    #[error("the note is too long")]
    NoteTooLong,
    #[error("the day is already a day off")]
    AlreadyDayOff,
    #[error("the day is already a working day")]
    AlreadyWorkingDay,
    #[error("no exception for that day")]
    NotFound,
    #[error(transparent)]
    Internal(#[from] crate::db::Error),
}

impl CalendarDayError {
    pub fn message_key(&self) -> &'static str {
        match self {
            CalendarDayError::Year => "admin-calendar-error-year",
            CalendarDayError::NoteTooLong => "admin-calendar-error-note",
            CalendarDayError::AlreadyDayOff => "admin-calendar-error-already-off",
            CalendarDayError::AlreadyWorkingDay => "admin-calendar-error-already-working",
            CalendarDayError::NotFound => "error-not-found",
            CalendarDayError::Internal(_) => "error-internal",
        }
    }

    /// The form field the problem concerns.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            CalendarDayError::Year => Some("day"),
            CalendarDayError::NoteTooLong => Some("note"),
            CalendarDayError::AlreadyDayOff | CalendarDayError::AlreadyWorkingDay => Some("kind"),
            CalendarDayError::NotFound | CalendarDayError::Internal(_) => None,
        }
    }
}

/// Whether `day` is a working day by statute alone: not a weekend and not a statutory day off.
pub fn statutory_working_day(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
        && !statutory_days_off(day.year()).iter().any(|h| h.date == day)
}

/// Checks an exception before it is stored: it must change something, so a day off goes on a
/// statutory working day and a working day on a weekend or a statutory day off.
pub fn check(day: NaiveDate, kind: DayKind, note: Option<&str>) -> Result<(), CalendarDayError> {
    if !YEARS.contains(&day.year()) {
        return Err(CalendarDayError::Year);
    }
    if note.is_some_and(|n| n.chars().count() > NOTE_MAX_CHARS) {
        return Err(CalendarDayError::NoteTooLong);
    }
    match (kind, statutory_working_day(day)) {
        (DayKind::DayOff, false) => Err(CalendarDayError::AlreadyDayOff),
        (DayKind::WorkingDay, true) => Err(CalendarDayError::AlreadyWorkingDay),
        _ => Ok(()),
    }
}

fn day_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// The working-day calendar: the statutory one with every stored exception.
pub async fn calendar<'c>(
    ex: impl Executor<'c, Database = Any>,
) -> Result<Calendar, crate::db::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT day, kind FROM calendar_days")
        .fetch_all(ex)
        .await?;
    Ok(Calendar::new(rows.into_iter().filter_map(|(day, kind)| {
        Some((
            NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?,
            DayKind::parse(&kind)?,
        ))
    })))
}

#[derive(FromRow)]
struct Row {
    day: String,
    kind: String,
    note: Option<String>,
    created_at: i64,
    created_by: Option<i64>,
    created_by_phone: Option<String>,
}

impl Row {
    fn into_day(self) -> Option<CalendarDay> {
        Some(CalendarDay {
            day: NaiveDate::parse_from_str(&self.day, "%Y-%m-%d").ok()?,
            kind: DayKind::parse(&self.kind)?,
            note: self.note,
            created_at: self.created_at,
            created_by: self.created_by,
            created_by_phone: self.created_by_phone,
        })
    }
}

/// The exceptions of `year`, in date order.
pub async fn list<'c>(
    ex: impl Executor<'c, Database = Any>,
    year: i32,
) -> Result<Vec<CalendarDay>, crate::db::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT d.day, d.kind, d.note, d.created_at, d.created_by, u.phone AS created_by_phone
         FROM calendar_days d LEFT JOIN users u ON u.id = d.created_by
         WHERE d.day >= $1 AND d.day <= $2 ORDER BY d.day",
    )
    .bind(format!("{year:04}-01-01"))
    .bind(format!("{year:04}-12-31"))
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().filter_map(Row::into_day).collect())
}

/// The stored exception of `day` as the audit log shows it, `null` when there is none.
async fn audited_row(tx: &mut crate::db::Tx, day: &str) -> Result<Value, crate::db::Error> {
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT kind, note FROM calendar_days WHERE day = $1")
            .bind(day)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map_or(
        Value::Null,
        |(kind, note)| json!({ "kind": kind, "note": note }),
    ))
}

/// Stores an exception for `day`, replacing the one the day had; a blank note is none.
pub async fn add(
    db: &Db,
    actor: &Actor,
    day: NaiveDate,
    kind: DayKind,
    note: Option<&str>,
    now: i64,
) -> Result<(), CalendarDayError> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    check(day, kind, note)?;
    let text = day_text(day);
    let mut tx = db.begin().await?;
    let before = audited_row(&mut tx, &text).await?;
    sqlx::query(
        "INSERT INTO calendar_days (day, kind, note, created_at, created_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, note = excluded.note,
             created_at = excluded.created_at, created_by = excluded.created_by",
    )
    .bind(&text)
    .bind(kind.as_str())
    .bind(note)
    .bind(now)
    .bind(actor.user_id)
    .execute(&mut *tx)
    .await?;
    let after = json!({ "kind": kind.as_str(), "note": note });
    audit::record_by(
        &mut tx,
        actor,
        now,
        "calendar.changed",
        &text,
        json!({ "before": before, "after": after }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the exception of `day`, so the statutory calendar applies to it again.
pub async fn remove(
    db: &Db,
    actor: &Actor,
    day: NaiveDate,
    now: i64,
) -> Result<(), CalendarDayError> {
    let text = day_text(day);
    let mut tx = db.begin().await?;
    let before = audited_row(&mut tx, &text).await?;
    let deleted = sqlx::query("DELETE FROM calendar_days WHERE day = $1")
        .bind(&text)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if deleted == 0 {
        return Err(CalendarDayError::NotFound);
    }
    audit::record_by(
        &mut tx,
        actor,
        now,
        "calendar.changed",
        &text,
        json!({ "before": before, "after": Value::Null }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn an_exception_must_change_the_day() {
        // Saturday 7 March 2026, Monday 23 March (Nauryz), Tuesday 10 March.
        let (saturday, nauryz, tuesday) = (date(2026, 3, 7), date(2026, 3, 23), date(2026, 3, 10));
        assert!(check(saturday, DayKind::WorkingDay, None).is_ok());
        assert!(check(nauryz, DayKind::WorkingDay, None).is_ok());
        assert!(check(tuesday, DayKind::DayOff, Some("decree")).is_ok());
        assert!(matches!(
            check(saturday, DayKind::DayOff, None),
            Err(CalendarDayError::AlreadyDayOff)
        ));
        assert!(matches!(
            check(nauryz, DayKind::DayOff, None),
            Err(CalendarDayError::AlreadyDayOff)
        ));
        assert!(matches!(
            check(tuesday, DayKind::WorkingDay, None),
            Err(CalendarDayError::AlreadyWorkingDay)
        ));
    }

    #[test]
    fn notes_and_years_are_limited() {
        let tuesday = date(2026, 3, 10);
        let long = "д".repeat(NOTE_MAX_CHARS);
        assert!(check(tuesday, DayKind::DayOff, Some(&long)).is_ok());
        let longer = format!("{long}д");
        let e = check(tuesday, DayKind::DayOff, Some(&longer)).unwrap_err();
        assert_eq!(
            (e.field(), e.message_key()),
            (Some("note"), "admin-calendar-error-note")
        );
        assert!(matches!(
            check(date(1999, 3, 10), DayKind::DayOff, None),
            Err(CalendarDayError::Year)
        ));
    }
}
