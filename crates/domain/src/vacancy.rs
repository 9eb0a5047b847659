//! A free place (vacancy) from its publication to its end: open in the bulletin, held by a
//! direction, filled by an enrolment, or withdrawn by the organization.

/// Where a published place stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VacancyStatus {
    /// Published and waiting for the allocation to offer it.
    Open,
    /// Offered: a direction holds it until the parent enrols, refuses or lets it expire.
    Directed,
    /// A child was enrolled on it.
    Filled,
    /// Taken back by the organization before anyone was directed.
    Withdrawn,
}

impl VacancyStatus {
    pub const ALL: [VacancyStatus; 4] = [
        VacancyStatus::Open,
        VacancyStatus::Directed,
        VacancyStatus::Filled,
        VacancyStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VacancyStatus::Open => "open",
            VacancyStatus::Directed => "directed",
            VacancyStatus::Filled => "filled",
            VacancyStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<VacancyStatus> {
        VacancyStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

crate::stored_code!(VacancyStatus, "vacancy status");

#[cfg(test)]
mod tests {
    use super::VacancyStatus;
    use crate::UnknownCode;

    #[test]
    fn every_code_reads_back_and_a_stranger_is_an_error() {
        for s in VacancyStatus::ALL {
            assert_eq!(VacancyStatus::try_from(s.as_str().to_owned()), Ok(s));
        }
        assert_eq!(
            "reserved".parse::<VacancyStatus>(),
            Err(UnknownCode {
                kind: "vacancy status",
                code: "reserved".to_owned()
            })
        );
    }
}
