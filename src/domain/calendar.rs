//! Kazakhstan's working-day calendar: weekends, public holidays (with a holiday falling on a
//! weekend moved to the next working day, religious holidays excepted) and the exceptions a
//! government decree adds, which administrators enter.

use std::collections::BTreeMap;

use chrono::NaiveDate;

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

/// Statutory days off of `year`, in date order.
pub fn statutory_days_off(year: i32) -> Vec<Holiday> {
    todo!("{year}")
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
        todo!("{day} {:?}", self.overrides)
    }

    /// The `n`-th working day after `from` (`from` itself not counted); `n == 0` gives `from`.
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        todo!("{from} {n}")
    }
}
