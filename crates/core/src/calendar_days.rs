//! Administrators' exceptions to the statutory calendar (a government decree moving a day off,
//! or an extra holiday), one row per day, and the working-day calendar they make with the
//! statutory days off of `crate::domain::calendar`. Every change is audited.

use crate::audit::{self, Actor};
pub use crate::db::calendar_days::CalendarDay;
use crate::db::{Db, Executor};
pub use crate::domain::calendar::DayKind;
use crate::domain::calendar::{Calendar, statutory_days_off};
use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::{Value, json};

/// A note says which decree or why; longer text belongs in the decree itself.
pub const NOTE_MAX_CHARS: usize = 200;

/// Years an exception may be entered for: a bound that catches a mistyped year (0226, 2206).
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

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
pub async fn calendar<'c>(ex: impl Executor<'c>) -> Result<Calendar, crate::db::Error> {
    Ok(Calendar::new(
        crate::db::calendar_days::overrides(ex).await?,
    ))
}

/// The exceptions of `year`, in date order.
pub async fn list<'c>(
    ex: impl Executor<'c>,
    year: i32,
) -> Result<Vec<CalendarDay>, crate::db::Error> {
    crate::db::calendar_days::between(ex, &format!("{year:04}-01-01"), &format!("{year:04}-12-31"))
        .await
}

/// The stored exception of `day` as the audit log shows it, `null` when there is none.
async fn audited_row(tx: &mut crate::db::Tx, day: &str) -> Result<Value, crate::db::Error> {
    let row = crate::db::calendar_days::kind_and_note(&mut **tx, day).await?;
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
    crate::db::calendar_days::put(&mut *tx, &text, kind, note, now, actor.user_id).await?;
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
    if !crate::db::calendar_days::remove(&mut *tx, &text).await? {
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
