//! The working-day calendar: a year's statutory days off and the administrators' exceptions
//! (`kezek_core::calendar_days`), with the form adding an exception and a button removing each.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Path, Query};
use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate, Weekday};

use super::display_phone;
use crate::access::Admin;
use crate::error::{PageError, PageResult};
use crate::page::{Fields, FormState, Page, field, parse_date, see_other_with_flash};
use kezek_core::calendar_days::{self, CalendarDayError, DayKind};
use kezek_core::domain::calendar::statutory_days_off;
use kezek_core::domain::time;

fn weekday_key(day: NaiveDate) -> &'static str {
    match day.weekday() {
        Weekday::Mon => "admin-weekday-mon",
        Weekday::Tue => "admin-weekday-tue",
        Weekday::Wed => "admin-weekday-wed",
        Weekday::Thu => "admin-weekday-thu",
        Weekday::Fri => "admin-weekday-fri",
        Weekday::Sat => "admin-weekday-sat",
        Weekday::Sun => "admin-weekday-sun",
    }
}

fn kind_key(kind: DayKind) -> &'static str {
    match kind {
        DayKind::DayOff => "admin-day-kind-day-off",
        DayKind::WorkingDay => "admin-day-kind-working-day",
    }
}

struct HolidayView {
    date: String,
    weekday: String,
    name: String,
    /// The weekday off given for a holiday that fell on a weekend.
    transferred: bool,
    /// An exception makes it a working day.
    worked: bool,
}

struct ExceptionView {
    /// `YYYY-MM-DD`, for the remove button's address.
    iso: String,
    date: String,
    weekday: String,
    kind: String,
    note: String,
    created_at: String,
    created_by: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_calendar.html")]
struct CalendarTemplate<'a> {
    page: &'a Page,
    year: i32,
    previous_year: Option<i32>,
    next_year: Option<i32>,
    holidays: Vec<HolidayView>,
    exceptions: Vec<ExceptionView>,
    form: FormState,
    kinds: Vec<(String, String)>,
}

fn iso(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

async fn render(page: Page, year: i32, form: FormState, status: StatusCode) -> PageResult {
    let exceptions = calendar_days::list(page.app.db.pool(), year).await?;
    let holidays = statutory_days_off(year)
        .into_iter()
        .map(|h| HolidayView {
            date: time::day(h.date),
            weekday: page.t(weekday_key(h.date)),
            name: page.t(h.name_key),
            transferred: h.transferred,
            worked: exceptions
                .iter()
                .any(|e| e.day == h.date && e.kind == DayKind::WorkingDay),
        })
        .collect();
    let exceptions = exceptions
        .into_iter()
        .map(|e| ExceptionView {
            iso: iso(e.day),
            date: time::day(e.day),
            weekday: page.t(weekday_key(e.day)),
            kind: page.t(kind_key(e.kind)),
            note: e.note.unwrap_or_default(),
            created_at: time::minutes(e.created_at),
            created_by: e.created_by_phone.as_deref().map(display_phone),
        })
        .collect();
    let kinds = [DayKind::DayOff, DayKind::WorkingDay]
        .into_iter()
        .map(|k| (k.as_str().to_owned(), page.t(kind_key(k))))
        .collect();
    let page = page.titled("admin-calendar-title");
    page.render(
        status,
        &CalendarTemplate {
            page: &page,
            year,
            previous_year: Some(year - 1).filter(|y| calendar_days::YEARS.contains(y)),
            next_year: Some(year + 1).filter(|y| calendar_days::YEARS.contains(y)),
            holidays,
            exceptions,
            form,
            kinds,
        },
    )
}

fn this_year(page: &Page) -> i32 {
    time::local_year(page.app.now())
}

/// `/admin/calendar?year=2026`; without a year (or with one out of range), this year.
pub async fn show(
    _: Admin,
    page: Page,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let year = query
        .get("year")
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| calendar_days::YEARS.contains(y))
        .unwrap_or_else(|| this_year(&page));
    render(page, year, FormState::default(), StatusCode::OK).await
}

fn year_page(year: i32) -> String {
    format!("/admin/calendar?year={year}")
}

pub async fn add(Admin(actor): Admin, page: Page, Form(fields): Form<Fields>) -> PageResult {
    let mut form = FormState::with_values(&fields);
    let day = parse_date(field(&fields, "day"));
    if day.is_none() {
        form.set_error(Some("day"), page.t("admin-calendar-error-date"));
    }
    let kind = DayKind::parse(field(&fields, "kind"));
    if kind.is_none() {
        form.set_error(Some("kind"), page.t("admin-calendar-error-kind"));
    }
    let year = day
        .map(|d| d.year())
        .filter(|y| calendar_days::YEARS.contains(y))
        .unwrap_or_else(|| this_year(&page));
    let (Some(day), Some(kind)) = (day, kind) else {
        return render(page, year, form, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let note = Some(field(&fields, "note"));
    match calendar_days::add(&page.app.db, &actor, day, kind, note, page.app.now()).await {
        Ok(()) => Ok(see_other_with_flash(
            &page.app,
            &year_page(day.year()),
            "flash-admin-calendar-added",
        )),
        Err(CalendarDayError::Internal(e)) => Err(e.into()),
        Err(e) => {
            form.set_error(e.field(), page.t(e.message_key()));
            render(page, year, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

pub async fn remove(Admin(actor): Admin, page: Page, Path(day): Path<String>) -> PageResult {
    let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(|_| PageError::NotFound)?;
    match calendar_days::remove(&page.app.db, &actor, day, page.app.now()).await {
        Ok(()) => Ok(see_other_with_flash(
            &page.app,
            &year_page(day.year()),
            "flash-admin-calendar-removed",
        )),
        Err(CalendarDayError::Internal(e)) => Err(e.into()),
        Err(_) => Err(PageError::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use kezek_core::i18n::{I18n, Lang};

    #[test]
    fn every_holiday_has_a_name_in_every_language() {
        let i18n = I18n::new();
        for year in 2024..=2031 {
            for h in super::statutory_days_off(year) {
                for lang in Lang::ALL {
                    assert!(i18n.has(lang, h.name_key), "{} {}", lang.code(), h.name_key);
                }
            }
        }
    }
}
