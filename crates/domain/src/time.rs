//! Kazakhstan's one time zone (UTC+5 since 1 March 2024) and the way dates and times are written
//! here: the only place that knows the offset or the formats.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};

/// Seconds east of UTC of the country's single time zone.
pub const OFFSET_SECS: i64 = 5 * 3600;

fn offset() -> FixedOffset {
    FixedOffset::east_opt(OFFSET_SECS as i32).expect("UTC+5 is a valid offset")
}

/// Unix seconds as a local date and time; `None` outside chrono's range.
pub fn local(at: i64) -> Option<DateTime<FixedOffset>> {
    DateTime::from_timestamp(at, 0).map(|t| t.with_timezone(&offset()))
}

/// The local calendar day of a unix time (a child turns seven at local midnight).
pub fn local_date(at: i64) -> NaiveDate {
    local(at).map(|t| t.date_naive()).unwrap_or_default()
}

/// The local calendar year of a unix time.
pub fn local_year(at: i64) -> i32 {
    local_date(at).year()
}

/// Unix seconds of a local day's midnight.
pub fn midnight(day: NaiveDate) -> i64 {
    day.and_time(chrono::NaiveTime::MIN).and_utc().timestamp() - OFFSET_SECS
}

/// A day as people here write it: `DD.MM.YYYY`.
pub fn day(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

/// A stored `YYYY-MM-DD` day as `DD.MM.YYYY`; anything else is shown as it is.
pub fn iso_day(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").map_or_else(|_| iso.to_owned(), self::day)
}

/// The local day of a unix time, `DD.MM.YYYY`.
pub fn day_of(at: i64) -> String {
    day(local_date(at))
}

fn formatted(at: i64, format: &str) -> String {
    local(at)
        .map(|t| t.format(format).to_string())
        .unwrap_or_default()
}

/// A local time to the minute: `DD.MM.YYYY HH:MM`.
pub fn minutes(at: i64) -> String {
    formatted(at, "%d.%m.%Y %H:%M")
}

/// A local time to the second, `DD.MM.YYYY HH:MM:SS`: the queue orders by it.
pub fn seconds(at: i64) -> String {
    formatted(at, "%d.%m.%Y %H:%M:%S")
}

/// The machine-readable value of `<time datetime>`: `YYYY-MM-DDTHH:MM+05:00`.
pub fn machine(at: i64) -> String {
    formatted(at, "%Y-%m-%dT%H:%M%:z")
}

/// RFC 3339 in local time, as the open-data API gives times.
pub fn rfc3339(at: i64) -> String {
    local(at).map(|t| t.to_rfc3339()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_local_day_starts_at_local_midnight() {
        // 2026-03-01 19:00 UTC is already 2 March in Kazakhstan.
        let at = NaiveDate::from_ymd_opt(2026, 3, 1)
            .unwrap()
            .and_hms_opt(19, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp();
        assert_eq!(local_date(at), NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        assert_eq!(midnight(local_date(at)), at);
        assert_eq!(
            local_year(midnight(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()) - 1),
            2026
        );
    }

    #[test]
    fn times_are_written_as_here() {
        assert_eq!(minutes(0), "01.01.1970 05:00");
        assert_eq!(seconds(59), "01.01.1970 05:00:59");
        assert_eq!(machine(0), "1970-01-01T05:00+05:00");
        assert_eq!(rfc3339(0), "1970-01-01T05:00:00+05:00");
        assert_eq!(day_of(0), "01.01.1970");
        assert_eq!(iso_day("2021-02-06"), "06.02.2021");
        assert_eq!(iso_day("not a day"), "not a day");
    }
}
