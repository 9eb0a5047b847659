//! Reviews of preschool organizations: where one stands between its writing and its publication.

use serde::Serialize;

/// Where a review stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewStatus {
    /// Written or edited, waiting for a moderator.
    Pending,
    Published,
    /// Refused by a moderator, with a reason the author sees.
    Rejected,
    /// Was published; a moderator took it down after reports, with a reason.
    Hidden,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 4] = [
        ReviewStatus::Pending,
        ReviewStatus::Published,
        ReviewStatus::Rejected,
        ReviewStatus::Hidden,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "pending",
            ReviewStatus::Published => "published",
            ReviewStatus::Rejected => "rejected",
            ReviewStatus::Hidden => "hidden",
        }
    }

    pub fn parse(s: &str) -> Option<ReviewStatus> {
        ReviewStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn message_key(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "reviews-status-pending",
            ReviewStatus::Published => "reviews-status-published",
            ReviewStatus::Rejected => "reviews-status-rejected",
            ReviewStatus::Hidden => "reviews-status-hidden",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ReviewStatus;
    use crate::UnknownCode;

    #[test]
    fn every_code_reads_back_and_a_stranger_is_an_error() {
        for s in ReviewStatus::ALL {
            assert_eq!(ReviewStatus::try_from(s.as_str().to_owned()), Ok(s));
        }
        assert_eq!(
            "deleted".parse::<ReviewStatus>(),
            Err(UnknownCode {
                kind: "review status",
                code: "deleted".into()
            })
        );
    }
}
