//! A direction (направление) as pure rules: its statuses, which changes are allowed, and the
//! deadlines, counted on Kazakhstan's working-day calendar in local time (UTC+5).
//!
//! - To accept: until the end (23:59:59 local) of the `accept_working_days`-th working day after
//!   the day of issue.
//! - To enroll: until the end of the `enroll_working_days`-th working day after the day of
//!   acceptance.
//! - One extension adds 1 to `extension_max_days` calendar days to the enrollment deadline.

use chrono::{NaiveDate, NaiveTime};

use super::calendar::Calendar;

use super::time::{OFFSET_SECS as LOCAL_OFFSET_SECS, local_date};

const DAY_SECS: i64 = 86_400;

/// Where a direction stands. `Issued` and `Accepted` are open: they hold the place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DirectionStatus {
    Issued,
    Accepted,
    Enrolled,
    Refused,
    Expired,
    Returned,
}

impl DirectionStatus {
    pub const ALL: [DirectionStatus; 6] = [
        DirectionStatus::Issued,
        DirectionStatus::Accepted,
        DirectionStatus::Enrolled,
        DirectionStatus::Refused,
        DirectionStatus::Expired,
        DirectionStatus::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DirectionStatus::Issued => "issued",
            DirectionStatus::Accepted => "accepted",
            DirectionStatus::Enrolled => "enrolled",
            DirectionStatus::Refused => "refused",
            DirectionStatus::Expired => "expired",
            DirectionStatus::Returned => "returned",
        }
    }

    pub fn parse(code: &str) -> Option<DirectionStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    pub fn message_key(self) -> &'static str {
        match self {
            DirectionStatus::Issued => "direction-status-issued",
            DirectionStatus::Accepted => "direction-status-accepted",
            DirectionStatus::Enrolled => "direction-status-enrolled",
            DirectionStatus::Refused => "direction-status-refused",
            DirectionStatus::Expired => "direction-status-expired",
            DirectionStatus::Returned => "direction-status-returned",
        }
    }

    /// Still holding the place (and the child).
    pub fn is_open(self) -> bool {
        matches!(self, DirectionStatus::Issued | DirectionStatus::Accepted)
    }

    /// Whether the status may change to `next`. Staff may enroll a child whose parent came
    /// without pressing "Принять" first; every other change starts from an open direction.
    pub fn can_become(self, next: DirectionStatus) -> bool {
        use DirectionStatus::*;
        matches!(
            (self, next),
            (Issued, Accepted)
                | (Issued | Accepted, Enrolled)
                | (Issued | Accepted, Refused)
                | (Issued | Accepted, Expired)
                | (Issued | Accepted, Returned)
        )
    }
}

/// The last second (23:59:59 local) of `day`, in unix seconds.
pub fn end_of_local_day(day: NaiveDate) -> i64 {
    let last = NaiveTime::from_hms_opt(23, 59, 59).expect("a valid time");
    day.and_time(last).and_utc().timestamp() - LOCAL_OFFSET_SECS
}

/// Until when a direction issued at `issued_at` may be accepted.
pub fn accept_by(calendar: &Calendar, issued_at: i64, accept_working_days: i64) -> i64 {
    let days = accept_working_days.clamp(0, 366) as u32;
    end_of_local_day(calendar.add_working_days(local_date(issued_at), days))
}

/// Until when a direction accepted at `accepted_at` may be brought to the organization.
pub fn enroll_by(calendar: &Calendar, accepted_at: i64, enroll_working_days: i64) -> i64 {
    let days = enroll_working_days.clamp(0, 366) as u32;
    end_of_local_day(calendar.add_working_days(local_date(accepted_at), days))
}

/// Why an extension cannot be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ExtensionError {
    #[error("the direction was already extended once")]
    AlreadyExtended,
    #[error("the direction has to be accepted first")]
    NotAccepted,
    #[error("the extension must be 1 to {max} calendar days")]
    Days { max: i64 },
}

/// The enrollment deadline after one extension by `days` calendar days.
pub fn extend(
    status: DirectionStatus,
    enroll_by: Option<i64>,
    already_extended: bool,
    days: i64,
    extension_max_days: i64,
) -> Result<i64, ExtensionError> {
    if already_extended {
        return Err(ExtensionError::AlreadyExtended);
    }
    let (DirectionStatus::Accepted, Some(enroll_by)) = (status, enroll_by) else {
        return Err(ExtensionError::NotAccepted);
    };
    if !(1..=extension_max_days).contains(&days) {
        return Err(ExtensionError::Days {
            max: extension_max_days.max(0),
        });
    }
    Ok(enroll_by + days * DAY_SECS)
}

/// When an open direction lapses: the acceptance deadline while issued, the enrollment one once
/// accepted. `None` for a closed direction.
pub fn deadline(status: DirectionStatus, accept_by: i64, enroll_by: Option<i64>) -> Option<i64> {
    match status {
        DirectionStatus::Issued => Some(accept_by),
        DirectionStatus::Accepted => Some(enroll_by.unwrap_or(accept_by)),
        _ => None,
    }
}

/// Whether an open direction has lapsed at `now`.
pub fn is_overdue(
    status: DirectionStatus,
    accept_by: i64,
    enroll_by: Option<i64>,
    now: i64,
) -> bool {
    deadline(status, accept_by, enroll_by).is_some_and(|d| now > d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
            .and_utc()
            .timestamp()
            - LOCAL_OFFSET_SECS
    }

    #[test]
    fn statuses_round_trip_and_only_two_are_open() {
        for s in DirectionStatus::ALL {
            assert_eq!(DirectionStatus::parse(s.as_str()), Some(s));
            assert!(s.message_key().starts_with("direction-status-"));
        }
        let open: Vec<_> = DirectionStatus::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .collect();
        assert_eq!(open, [DirectionStatus::Issued, DirectionStatus::Accepted]);
        assert_eq!(DirectionStatus::parse("open"), None);
    }

    #[test]
    fn closed_directions_never_change_again() {
        use DirectionStatus::*;
        for from in [Enrolled, Refused, Expired, Returned] {
            for to in DirectionStatus::ALL {
                assert!(!from.can_become(to), "{from:?} → {to:?}");
            }
        }
        assert!(Issued.can_become(Accepted));
        assert!(!Accepted.can_become(Accepted));
        assert!(!Accepted.can_become(Issued));
        assert!(
            Issued.can_become(Enrolled),
            "staff may enroll without acceptance"
        );
        for to in [Enrolled, Refused, Expired, Returned] {
            assert!(Accepted.can_become(to));
        }
    }

    #[test]
    fn local_days_end_at_local_midnight() {
        // 20:00 UTC on 1 June is already 2 June in Kazakhstan.
        let t = NaiveDate::from_ymd_opt(2026, 6, 1)
            .unwrap()
            .and_hms_opt(20, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp();
        assert_eq!(local_date(t), NaiveDate::from_ymd_opt(2026, 6, 2).unwrap());
        let end = end_of_local_day(NaiveDate::from_ymd_opt(2026, 6, 2).unwrap());
        assert_eq!(end, at(2026, 6, 2, 23, 59) + 59);
        assert_eq!(
            local_date(end),
            NaiveDate::from_ymd_opt(2026, 6, 2).unwrap()
        );
        assert_eq!(
            local_date(end + 1),
            NaiveDate::from_ymd_opt(2026, 6, 3).unwrap()
        );
    }

    #[test]
    fn deadlines_count_working_days_after_the_day() {
        let calendar = Calendar::default();
        // Thursday 4 June 2026: three working days are Fri 5, Mon 8, Tue 9 June.
        let issued = at(2026, 6, 4, 10, 0);
        let by = accept_by(&calendar, issued, 3);
        assert_eq!(by, at(2026, 6, 9, 23, 59) + 59);
        // Issued late in the evening local time counts from that local day.
        assert_eq!(accept_by(&calendar, at(2026, 6, 4, 23, 30), 3), by);
        // Five working days from Tuesday 9 June: 10, 11, 12, 15, 16 June.
        assert_eq!(
            enroll_by(&calendar, at(2026, 6, 9, 12, 0), 5),
            at(2026, 6, 16, 23, 59) + 59
        );
        // Holidays do not count: from Friday 20 March 2026, Nauryz (21–23) and the days moved
        // for it (24, 25 March) are off, so one working day later is Thursday 26 March.
        assert_eq!(
            accept_by(&calendar, at(2026, 3, 20, 9, 0), 1),
            at(2026, 3, 26, 23, 59) + 59
        );
    }

    #[test]
    fn one_extension_of_limited_days() {
        use DirectionStatus::*;
        let enroll = 1_000_000;
        assert_eq!(
            extend(Accepted, Some(enroll), false, 30, 30),
            Ok(enroll + 30 * DAY_SECS)
        );
        assert_eq!(
            extend(Accepted, Some(enroll), false, 1, 30),
            Ok(enroll + DAY_SECS)
        );
        assert_eq!(
            extend(Accepted, Some(enroll), true, 5, 30),
            Err(ExtensionError::AlreadyExtended)
        );
        assert_eq!(
            extend(Accepted, Some(enroll), false, 31, 30),
            Err(ExtensionError::Days { max: 30 })
        );
        assert_eq!(
            extend(Accepted, Some(enroll), false, 0, 30),
            Err(ExtensionError::Days { max: 30 })
        );
        assert_eq!(
            extend(Issued, None, false, 5, 30),
            Err(ExtensionError::NotAccepted)
        );
        assert_eq!(
            extend(Refused, Some(enroll), false, 5, 30),
            Err(ExtensionError::NotAccepted)
        );
    }

    #[test]
    fn overdue_follows_the_deadline_of_the_status() {
        use DirectionStatus::*;
        assert!(!is_overdue(Issued, 100, None, 100));
        assert!(is_overdue(Issued, 100, None, 101));
        assert!(!is_overdue(Accepted, 100, Some(200), 150));
        assert!(is_overdue(Accepted, 100, Some(200), 201));
        assert!(!is_overdue(Expired, 100, Some(200), 1_000));
    }
}
