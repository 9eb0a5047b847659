//! The pure arithmetic behind the statistics: calendar months in Kazakhstan time (UTC+5), the
//! boundaries that bucket timestamps into them, and medians of waits in days.

use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};

use crate::domain::time::{OFFSET_SECS as LOCAL_OFFSET_SECS, local_date};

const DAY_SECS: f64 = 86_400.0;

/// A calendar month in Kazakhstan time. Serializes as `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
}

impl Month {
    /// The local month of the instant `at` (unix seconds).
    pub fn of(at: i64) -> Month {
        let day = local_date(at);
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// The first second of the month, local midnight of its first day, in unix seconds.
    pub fn start(self) -> i64 {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map_or(0, |t| t.and_utc().timestamp() - LOCAL_OFFSET_SECS)
    }

    /// `YYYY-MM`: the stable form used in CSV files and JSON.
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// `MM.YYYY`, as dates are written on the site.
    pub fn label(self) -> String {
        format!("{:02}.{:04}", self.month, self.year)
    }
}

impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.code())
    }
}

/// The `count` months up to and including the local month of `now`, oldest first.
pub fn last_months(now: i64, count: usize) -> Vec<Month> {
    let mut months = Vec::with_capacity(count);
    let mut month = Month::of(now);
    for _ in 0..count {
        months.push(month);
        month = month.previous();
    }
    months.reverse();
    months
}

/// The start of each month and the end of the last one: `months.len() + 1` ascending instants,
/// so that month `i` holds `bounds[i] <= at < bounds[i + 1]`.
pub fn month_bounds(months: &[Month]) -> Vec<i64> {
    let mut bounds: Vec<i64> = months.iter().map(|m| m.start()).collect();
    if let Some(last) = months.last() {
        bounds.push(last.next().start());
    }
    bounds
}

/// Which month (index into the months of `bounds`) the instant falls in, if any.
pub fn month_index(bounds: &[i64], at: i64) -> Option<usize> {
    if bounds.len() < 2 || at < bounds[0] || at >= bounds[bounds.len() - 1] {
        return None;
    }
    // The first bound after `at`, minus one, is the month that starts at or before it.
    Some(bounds.partition_point(|b| *b <= at) - 1)
}

/// The median of the values, the mean of the two middle ones for an even count; `None` when
/// there are none. The slice is sorted in place.
pub fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[mid] as f64
    } else {
        // Halves first, so two large values cannot overflow.
        values[mid - 1] as f64 / 2.0 + values[mid] as f64 / 2.0
    })
}

/// Seconds as days, rounded to one decimal: the precision the page and the CSV show.
pub fn days_rounded(seconds: f64) -> f64 {
    (seconds / DAY_SECS * 10.0).round() / 10.0
}

/// One direction's wait: when its application was registered and when the direction was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wait {
    pub registered_at: i64,
    pub issued_at: i64,
}

/// The waits of one month (or of the whole window): how many and their median in days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WaitSummary {
    pub directions: i64,
    pub median_days: Option<f64>,
}

/// Median waits per month of issue (one per month of `bounds`) and over all of them. Waits
/// outside the window are left out; a wait below zero (a clock set back) counts as zero.
pub fn wait_summaries(bounds: &[i64], waits: &[Wait]) -> (Vec<WaitSummary>, WaitSummary) {
    let months = bounds.len().saturating_sub(1);
    let mut per_month: Vec<Vec<i64>> = vec![Vec::new(); months];
    let mut all = Vec::with_capacity(waits.len());
    for w in waits {
        if let Some(i) = month_index(bounds, w.issued_at) {
            let wait = (w.issued_at - w.registered_at).max(0);
            per_month[i].push(wait);
            all.push(wait);
        }
    }
    let summary = |values: &mut Vec<i64>| WaitSummary {
        directions: values.len() as i64,
        median_days: median(values).map(days_rounded),
    };
    let months = per_month.iter_mut().map(summary).collect();
    (months, summary(&mut all))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unix seconds of a local (UTC+5) date and time.
    fn local(y: i32, m: u32, d: u32, h: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp()
            - crate::domain::time::OFFSET_SECS
    }

    #[test]
    fn months_follow_local_time_not_utc() {
        // 31 January 20:00 UTC is already 1 February in Astana.
        let at = NaiveDate::from_ymd_opt(2026, 1, 31)
            .unwrap()
            .and_hms_opt(20, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp();
        assert_eq!(
            Month::of(at),
            Month {
                year: 2026,
                month: 2
            }
        );
        assert_eq!(Month::of(at).start(), local(2026, 2, 1, 0));
        assert_eq!(Month::of(local(2026, 2, 1, 0) - 1).month, 1);
    }

    #[test]
    fn the_last_twelve_months_cross_the_year_and_end_with_this_one() {
        let months = last_months(local(2026, 3, 15, 12), 12);
        assert_eq!(months.len(), 12);
        assert_eq!(months[0].code(), "2025-04");
        assert_eq!(months[8].code(), "2025-12");
        assert_eq!(months[9].code(), "2026-01");
        assert_eq!(months[11].code(), "2026-03");
        assert_eq!(months[11].label(), "03.2026");
        assert_eq!(serde_json::to_string(&months[0]).unwrap(), "\"2025-04\"");
    }

    #[test]
    fn timestamps_fall_into_their_month_and_outside_the_window_into_none() {
        let months = last_months(local(2026, 3, 15, 12), 3);
        let bounds = month_bounds(&months);
        assert_eq!(bounds.len(), 4);
        assert_eq!(bounds[0], local(2026, 1, 1, 0));
        assert_eq!(bounds[3], local(2026, 4, 1, 0));
        assert_eq!(month_index(&bounds, local(2026, 1, 1, 0)), Some(0));
        assert_eq!(month_index(&bounds, local(2026, 1, 31, 23)), Some(0));
        assert_eq!(month_index(&bounds, local(2026, 2, 1, 0)), Some(1));
        assert_eq!(month_index(&bounds, local(2026, 3, 31, 23)), Some(2));
        assert_eq!(month_index(&bounds, local(2025, 12, 31, 23)), None);
        assert_eq!(month_index(&bounds, local(2026, 4, 1, 0)), None);
        assert_eq!(month_index(&[], 0), None);
        assert_eq!(month_index(&[5], 5), None);
    }

    #[test]
    fn medians_of_odd_even_and_no_values() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [7]), Some(7.0));
        assert_eq!(median(&mut [9, 1, 5]), Some(5.0));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2.5));
        assert_eq!(median(&mut [i64::MAX, i64::MAX]), Some(i64::MAX as f64));
    }

    #[test]
    fn days_are_rounded_to_one_decimal() {
        assert_eq!(days_rounded(0.0), 0.0);
        assert_eq!(days_rounded(86_400.0 * 30.0), 30.0);
        assert_eq!(days_rounded(86_400.0 * 1.5 + 100.0), 1.5);
        assert_eq!(days_rounded(86_400.0 * 2.96), 3.0);
    }

    #[test]
    fn waits_are_summarised_per_month_of_issue_and_overall() {
        let months = last_months(local(2026, 3, 15, 12), 3);
        let bounds = month_bounds(&months);
        let day = 86_400;
        let waits = [
            // January: 40 and 10 days → 25.
            Wait {
                registered_at: local(2025, 12, 1, 9),
                issued_at: local(2025, 12, 1, 9) + 40 * day,
            },
            Wait {
                registered_at: local(2026, 1, 5, 9) - 10 * day,
                issued_at: local(2026, 1, 5, 9),
            },
            // March: 100 days, and the zero below → 50.
            Wait {
                registered_at: local(2026, 3, 2, 9) - 100 * day,
                issued_at: local(2026, 3, 2, 9),
            },
            // Before the window: left out.
            Wait {
                registered_at: local(2025, 1, 1, 9),
                issued_at: local(2025, 12, 31, 9),
            },
            // A clock set back: zero, not negative.
            Wait {
                registered_at: local(2026, 3, 3, 9) + 60,
                issued_at: local(2026, 3, 3, 9),
            },
        ];
        let (per_month, overall) = wait_summaries(&bounds, &waits);
        assert_eq!(
            per_month[0],
            WaitSummary {
                directions: 2,
                median_days: Some(25.0)
            }
        );
        assert_eq!(
            per_month[1],
            WaitSummary {
                directions: 0,
                median_days: None
            }
        );
        assert_eq!(
            per_month[2],
            WaitSummary {
                directions: 2,
                median_days: Some(50.0)
            }
        );
        // 0, 10, 40, 100 → (10 + 40) / 2.
        assert_eq!(
            overall,
            WaitSummary {
                directions: 4,
                median_days: Some(25.0)
            }
        );
    }
}
