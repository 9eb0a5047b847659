//! Kazakhstan's working-day calendar: weekends, public holidays (with a holiday falling on a
//! weekend moved to the next working day, religious holidays excepted) and the exceptions a
//! government decree adds, which administrators enter.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};

/// An exception entered by an administrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    DayOff,
    WorkingDay,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::DayOff => "day_off",
            DayKind::WorkingDay => "working_day",
        }
    }

    pub fn parse(code: &str) -> Option<DayKind> {
        match code {
            "day_off" => Some(DayKind::DayOff),
            "working_day" => Some(DayKind::WorkingDay),
            _ => None,
        }
    }
}

/// A statutory day off: the holiday itself or the day it moved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    /// Message key of the holiday's name, e.g. "holiday-nauryz".
    pub name_key: &'static str,
    /// The weekday off given for a holiday that fell on a weekend.
    pub transferred: bool,
}

/// Fixed-date holidays: (month, day, name key, religious).
const FIXED_HOLIDAYS: [(u32, u32, &str, bool); 14] = [
    (1, 1, "holiday-new-year", false),
    (1, 2, "holiday-new-year", false),
    (1, 7, "holiday-orthodox-christmas", true),
    (3, 8, "holiday-womens-day", false),
    (3, 21, "holiday-nauryz", false),
    (3, 22, "holiday-nauryz", false),
    (3, 23, "holiday-nauryz", false),
    (5, 1, "holiday-unity-day", false),
    (5, 7, "holiday-defenders-day", false),
    (5, 9, "holiday-victory-day", false),
    (7, 6, "holiday-capital-day", false),
    (8, 30, "holiday-constitution-day", false),
    (10, 25, "holiday-republic-day", false),
    (12, 16, "holiday-independence-day", false),
];

/// The first day of Kurban ait follows the lunar calendar; the government announces it, so only
/// the known years are listed.
fn kurban_ait(year: i32) -> Option<NaiveDate> {
    let (month, day) = match year {
        2024 => (6, 16),
        2025 => (6, 6),
        2026 => (5, 27),
        2027 => (5, 16),
        2028 => (5, 5),
        2029 => (4, 24),
        2030 => (4, 13),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Statutory days off of `year`, in date order.
pub fn statutory_days_off(year: i32) -> Vec<Holiday> {
    // (date, name key, religious), in date order.
    let mut holidays: Vec<(NaiveDate, &'static str, bool)> = FIXED_HOLIDAYS
        .iter()
        .filter_map(|&(month, day, key, religious)| {
            Some((NaiveDate::from_ymd_opt(year, month, day)?, key, religious))
        })
        .chain(kurban_ait(year).map(|d| (d, "holiday-kurban-ait", true)))
        .collect();
    holidays.sort_by_key(|h| h.0);
    let holiday_dates: BTreeSet<NaiveDate> = holidays.iter().map(|h| h.0).collect();

    let mut off: BTreeMap<NaiveDate, Holiday> = BTreeMap::new();
    for &(date, name_key, religious) in &holidays {
        if !is_weekend(date) {
            off.entry(date).or_insert(Holiday {
                date,
                name_key,
                transferred: false,
            });
        } else if !religious {
            // Earlier holidays took their days first, so a later one skips those too.
            let moved = date
                .iter_days()
                .skip(1)
                .find(|d| !is_weekend(*d) && !holiday_dates.contains(d) && !off.contains_key(d));
            if let Some(moved) = moved {
                off.insert(
                    moved,
                    Holiday {
                        date: moved,
                        name_key,
                        transferred: true,
                    },
                );
            }
        }
    }
    off.into_values().collect()
}

#[derive(Debug, Clone, Default)]
pub struct Calendar {
    overrides: BTreeMap<NaiveDate, DayKind>,
}

impl Calendar {
    pub fn new(overrides: impl IntoIterator<Item = (NaiveDate, DayKind)>) -> Calendar {
        Calendar {
            overrides: overrides.into_iter().collect(),
        }
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        self.is_working_day_in(day, &mut YearDaysOff::default())
    }

    /// The `n`-th working day after `from` (`from` itself not counted); `n == 0` gives `from`.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut year = YearDaysOff::default();
        let mut day = from;
        let mut left = n;
        while left > 0 {
            // The calendar's end is far beyond any real deadline; stop there rather than panic.
            let Some(next) = day.succ_opt() else {
                return day;
            };
            day = next;
            if self.is_working_day_in(day, &mut year) {
                left -= 1;
            }
        }
        day
    }

    fn is_working_day_in(&self, day: NaiveDate, year: &mut YearDaysOff) -> bool {
        match self.overrides.get(&day) {
            Some(DayKind::DayOff) => false,
            Some(DayKind::WorkingDay) => true,
            None => !is_weekend(day) && !year.contains(day),
        }
    }
}

/// One year's statutory days off, recomputed only when a walk over days crosses into another
/// year.
#[derive(Default)]
struct YearDaysOff {
    year: Option<i32>,
    days: BTreeSet<NaiveDate>,
}

impl YearDaysOff {
    fn contains(&mut self, day: NaiveDate) -> bool {
        if self.year != Some(day.year()) {
            self.year = Some(day.year());
            self.days = statutory_days_off(day.year())
                .into_iter()
                .map(|h| h.date)
                .collect();
        }
        self.days.contains(&day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn listed(year: i32) -> Vec<(String, &'static str, bool)> {
        statutory_days_off(year)
            .into_iter()
            .map(|h| {
                (
                    h.date.format("%m-%d").to_string(),
                    h.name_key,
                    h.transferred,
                )
            })
            .collect()
    }

    #[test]
    fn year_2026() {
        let expected = [
            ("01-01", "holiday-new-year", false),
            ("01-02", "holiday-new-year", false),
            ("01-07", "holiday-orthodox-christmas", false),
            ("03-09", "holiday-womens-day", true),
            ("03-23", "holiday-nauryz", false),
            ("03-24", "holiday-nauryz", true),
            ("03-25", "holiday-nauryz", true),
            ("05-01", "holiday-unity-day", false),
            ("05-07", "holiday-defenders-day", false),
            ("05-11", "holiday-victory-day", true),
            ("05-27", "holiday-kurban-ait", false),
            ("07-06", "holiday-capital-day", false),
            ("08-31", "holiday-constitution-day", true),
            ("10-26", "holiday-republic-day", true),
            ("12-16", "holiday-independence-day", false),
        ];
        let expected: Vec<_> = expected
            .into_iter()
            .map(|(d, k, t)| (d.to_owned(), k, t))
            .collect();
        assert_eq!(listed(2026), expected);
    }

    #[test]
    fn religious_holidays_on_a_weekend_are_not_moved() {
        // 2023: New Year's Sunday moves past Monday 2 January (itself a holiday) to the 3rd;
        // Orthodox Christmas on Saturday 7 January gives nothing.
        let days = listed(2023);
        assert!(days.contains(&("01-03".to_owned(), "holiday-new-year", true)));
        assert!(!days.iter().any(|d| d.1 == "holiday-orthodox-christmas"));
        // Kurban ait on Sunday 16 May 2027.
        assert!(!listed(2027).iter().any(|d| d.1 == "holiday-kurban-ait"));
        // Years without a known date.
        assert!(!listed(2031).iter().any(|d| d.1 == "holiday-kurban-ait"));
    }

    #[test]
    fn nauryz_2026_on_saturday_to_monday() {
        let calendar = Calendar::default();
        for d in 21..=25 {
            assert!(!calendar.is_working_day(date(2026, 3, d)), "{d}");
        }
        assert!(calendar.is_working_day(date(2026, 3, 20)));
        assert!(calendar.is_working_day(date(2026, 3, 26)));
    }

    #[test]
    fn working_days_skip_independence_day() {
        let calendar = Calendar::default();
        assert_eq!(
            calendar.add_working_days(date(2026, 12, 11), 5),
            date(2026, 12, 21)
        );
        assert_eq!(
            calendar.add_working_days(date(2026, 12, 11), 0),
            date(2026, 12, 11)
        );
        assert_eq!(
            calendar.add_working_days(date(2026, 12, 11), 1),
            date(2026, 12, 14)
        );
    }

    #[test]
    fn overrides_win() {
        let calendar = Calendar::new([
            (date(2026, 12, 12), DayKind::WorkingDay),
            (date(2026, 12, 14), DayKind::DayOff),
        ]);
        assert!(calendar.is_working_day(date(2026, 12, 12)));
        assert!(!calendar.is_working_day(date(2026, 12, 14)));
        // Sat 12, Tue 15, Thu 17.
        assert_eq!(
            calendar.add_working_days(date(2026, 12, 11), 3),
            date(2026, 12, 17)
        );
        let holiday_worked = Calendar::new([(date(2026, 12, 16), DayKind::WorkingDay)]);
        assert!(holiday_worked.is_working_day(date(2026, 12, 16)));
    }

    #[test]
    fn day_kind_codes_round_trip() {
        for kind in [DayKind::DayOff, DayKind::WorkingDay] {
            assert_eq!(DayKind::parse(kind.as_str()), Some(kind));
            assert_eq!(DayKind::try_from(kind.as_str().to_owned()), Ok(kind));
        }
        assert_eq!(DayKind::parse("holiday"), None);
        assert_eq!(
            "holiday".parse::<DayKind>(),
            Err(crate::UnknownCode {
                kind: "calendar day kind",
                code: "holiday".into()
            })
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn adding_working_days_lands_on_working_days_in_order(
            start in 0u64..(365 * 9),
            n in 0u32..40,
            overrides in prop::collection::vec((0u64..(365 * 9), any::<bool>()), 0..10),
        ) {
            let base = date(2023, 1, 1);
            let calendar = Calendar::new(overrides.into_iter().map(|(d, working)| {
                let kind = if working { DayKind::WorkingDay } else { DayKind::DayOff };
                (base + chrono::Days::new(d), kind)
            }));
            let from = base + chrono::Days::new(start);
            let day = calendar.add_working_days(from, n);
            let next = calendar.add_working_days(from, n + 1);
            prop_assert!(next > day);
            prop_assert!(calendar.is_working_day(next));
            if n > 0 {
                prop_assert!(calendar.is_working_day(day));
            }
            let counted = from
                .iter_days()
                .skip(1)
                .take_while(|d| *d <= day)
                .filter(|d| calendar.is_working_day(*d))
                .count();
            prop_assert_eq!(counted, n as usize);
        }
    }
}
