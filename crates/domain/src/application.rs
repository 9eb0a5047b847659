//! An application's life as pure rules: its statuses and which changes are allowed, the
//! organizations a parent may prefer, and the social status that follows from what is known.

use std::collections::HashSet;

/// Where an application stands. Queued applications wait in the queue; a direction (the queue
/// issue) offers a place; a signed one is enrolled and leaves the queue for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApplicationStatus {
    Queued,
    DirectionIssued,
    Signed,
    Deleted,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 4] = [
        ApplicationStatus::Queued,
        ApplicationStatus::DirectionIssued,
        ApplicationStatus::Signed,
        ApplicationStatus::Deleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationStatus::Queued => "queued",
            ApplicationStatus::DirectionIssued => "direction_issued",
            ApplicationStatus::Signed => "signed",
            ApplicationStatus::Deleted => "deleted",
        }
    }

    pub fn parse(code: &str) -> Option<ApplicationStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }

    pub fn message_key(self) -> &'static str {
        match self {
            ApplicationStatus::Queued => "application-status-queued",
            ApplicationStatus::DirectionIssued => "application-status-direction-issued",
            ApplicationStatus::Signed => "application-status-signed",
            ApplicationStatus::Deleted => "application-status-deleted",
        }
    }

    /// Still holding a place in the queue (or an offer): only one such application per child
    /// and group type.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Queued | ApplicationStatus::DirectionIssued
        )
    }

    /// The parent may delete an application until the child is enrolled.
    pub fn can_delete(self) -> bool {
        self.is_active()
    }

    /// Whether the status may change to `next`.
    pub fn can_become(self, next: ApplicationStatus) -> bool {
        use ApplicationStatus::*;
        matches!(
            (self, next),
            (Queued, DirectionIssued)
                | (Queued, Deleted)
                | (DirectionIssued, Queued)
                | (DirectionIssued, Signed)
                | (DirectionIssued, Deleted)
        )
    }
}

/// An operator's decision on a document or claim that needs one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    Pending,
    Approved,
    Rejected,
}

impl Verification {
    pub fn as_str(self) -> &'static str {
        match self {
            Verification::Pending => "pending",
            Verification::Approved => "approved",
            Verification::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> Option<Verification> {
        match code {
            "pending" => Some(Verification::Pending),
            "approved" => Some(Verification::Approved),
            "rejected" => Some(Verification::Rejected),
            _ => None,
        }
    }

    /// Only a pending item is decided, and only once.
    pub fn can_decide(self) -> bool {
        self == Verification::Pending
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PreferenceError {
    #[error("choose at least one organization")]
    None,
    #[error("at most {max} organizations")]
    TooMany { max: usize },
    #[error("an organization is listed twice")]
    Repeated,
}

impl PreferenceError {
    pub fn message_key(self) -> &'static str {
        match self {
            PreferenceError::None => "application-error-no-organization",
            PreferenceError::TooMany { .. } => "application-error-too-many-organizations",
            PreferenceError::Repeated => "application-error-repeated-organization",
        }
    }
}

/// Checks the organizations a parent listed, in order of preference.
pub fn check_preferences(organization_ids: &[i64], max: usize) -> Result<(), PreferenceError> {
    if organization_ids.is_empty() {
        return Err(PreferenceError::None);
    }
    if organization_ids.len() > max {
        return Err(PreferenceError::TooMany { max });
    }
    let mut seen = HashSet::new();
    if !organization_ids.iter().all(|id| seen.insert(*id)) {
        return Err(PreferenceError::Repeated);
    }
    Ok(())
}

/// The social status shown on an application: it is derived, never typed. A correctional
/// application means special educational needs; a verified privilege category adds itself.
pub fn social_status(correctional: bool, verified_categories: &[&str]) -> Vec<String> {
    let mut statuses: Vec<String> = Vec::new();
    if correctional {
        statuses.push("special_needs".to_owned());
    }
    for category in verified_categories {
        if !statuses.iter().any(|s| s == category) {
            statuses.push((*category).to_owned());
        }
    }
    statuses
}

/// The most privilege documents one application may carry: a category needs one or two
/// papers, so ten leaves room for a family's whole folder while bounding the checks per form.
pub const MAX_PRIVILEGE_DOCUMENTS: usize = 10;

/// `items` without repeats, each kept where it was first seen. (`Vec::dedup` drops only
/// adjacent repeats, so `1,2,1` would keep both `1`s.)
pub fn unique_in_order<T: Copy + Eq + std::hash::Hash>(items: &[T]) -> Vec<T> {
    let mut seen = HashSet::new();
    items.iter().copied().filter(|i| seen.insert(*i)).collect()
}

/// The public number of an application: its region and a zero-padded serial.
pub fn application_number(region_code: &str, id: i64) -> String {
    format!("{region_code}-{id:07}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus::*;

    #[test]
    fn repeats_go_and_the_first_order_stays() {
        assert_eq!(unique_in_order(&[1, 2, 1]), vec![1, 2]);
        assert_eq!(unique_in_order(&[3, 1, 3, 2, 1]), vec![3, 1, 2]);
        assert_eq!(unique_in_order::<i64>(&[]), Vec::<i64>::new());
    }

    proptest::proptest! {
        #[test]
        fn unique_in_order_keeps_each_value_once(items in proptest::collection::vec(0i64..8, 0..40)) {
            let unique = unique_in_order(&items);
            let set: HashSet<i64> = items.iter().copied().collect();
            proptest::prop_assert_eq!(unique.len(), set.len());
            let firsts: Vec<i64> = items
                .iter()
                .enumerate()
                .filter(|(n, i)| !items[..*n].contains(i))
                .map(|(_, i)| *i)
                .collect();
            proptest::prop_assert_eq!(unique, firsts);
        }
    }

    #[test]
    fn signed_and_deleted_applications_are_final() {
        for next in ApplicationStatus::ALL {
            assert!(!Signed.can_become(next));
            assert!(!Deleted.can_become(next));
        }
        assert!(Queued.can_delete() && DirectionIssued.can_delete());
        assert!(!Signed.can_delete() && !Deleted.can_delete());
        assert!(Queued.can_become(DirectionIssued) && DirectionIssued.can_become(Signed));
        assert!(
            !Queued.can_become(Signed),
            "enrollment goes through a direction"
        );
    }

    #[test]
    fn statuses_round_trip() {
        for s in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(
            Verification::parse("approved"),
            Some(Verification::Approved)
        );
        assert!(Verification::Pending.can_decide() && !Verification::Rejected.can_decide());
    }

    #[test]
    fn preferences_are_one_to_the_limit_without_repeats() {
        assert_eq!(check_preferences(&[], 4), Err(PreferenceError::None));
        assert_eq!(
            check_preferences(&[1, 2, 3, 4, 5], 4),
            Err(PreferenceError::TooMany { max: 4 })
        );
        assert_eq!(
            check_preferences(&[1, 2, 1], 4),
            Err(PreferenceError::Repeated)
        );
        assert_eq!(check_preferences(&[3, 1], 4), Ok(()));
    }

    #[test]
    fn social_status_is_derived() {
        assert_eq!(social_status(true, &[]), ["special_needs"]);
        assert_eq!(
            social_status(true, &["special_needs", "large_family"]),
            ["special_needs", "large_family"]
        );
        assert!(social_status(false, &[]).is_empty());
        assert_eq!(application_number("71", 42), "71-0000042");
    }

    proptest::proptest! {
        #[test]
        fn accepted_preferences_are_distinct_and_bounded(ids in proptest::collection::vec(1i64..20, 0..8), max in 1usize..6) {
            if check_preferences(&ids, max).is_ok() {
                let distinct: HashSet<_> = ids.iter().collect();
                proptest::prop_assert_eq!(distinct.len(), ids.len());
                proptest::prop_assert!(!ids.is_empty() && ids.len() <= max);
            }
        }
    }
}
