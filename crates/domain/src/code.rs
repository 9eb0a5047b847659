//! Codes the domain's enums are stored as: a stored value that names no variant is an error the
//! storage layer reports (`TryFrom<String>`, used when rows are decoded), never a silent default.

/// A stored code that names no variant of `kind`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {code:?}")]
pub struct UnknownCode {
    pub kind: &'static str,
    pub code: String,
}

/// Implements `TryFrom<String>` (for row decoding) and `FromStr` for an enum that has
/// `fn parse(&str) -> Option<Self>`.
#[macro_export]
macro_rules! stored_code {
    ($ty:ty, $kind:literal) => {
        impl ::std::convert::TryFrom<String> for $ty {
            type Error = $crate::code::UnknownCode;
            fn try_from(code: String) -> Result<Self, Self::Error> {
                <$ty>::parse(&code).ok_or($crate::code::UnknownCode { kind: $kind, code })
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::code::UnknownCode;
            fn from_str(code: &str) -> Result<Self, Self::Err> {
                <$ty>::try_from(code.to_owned())
            }
        }
    };
}

crate::stored_code!(crate::direction::DirectionStatus, "direction status");
crate::stored_code!(crate::application::ApplicationStatus, "application status");
crate::stored_code!(crate::application::Verification, "verification state");
crate::stored_code!(crate::role::Role, "role");
crate::stored_code!(crate::queue::Category, "queue category");
crate::stored_code!(crate::calendar::DayKind, "calendar day kind");
crate::stored_code!(crate::review::ReviewStatus, "review status");

#[cfg(test)]
mod tests {
    use super::UnknownCode;
    use crate::application::{ApplicationStatus, Verification};
    use crate::direction::DirectionStatus;
    use crate::queue::Category;

    #[test]
    fn every_code_reads_back_and_a_stranger_is_an_error() {
        for s in DirectionStatus::ALL {
            assert_eq!(DirectionStatus::try_from(s.as_str().to_owned()), Ok(s));
        }
        for s in ApplicationStatus::ALL {
            assert_eq!(s.as_str().parse::<ApplicationStatus>(), Ok(s));
        }
        assert_eq!(
            "approved".parse::<Verification>(),
            Ok(Verification::Approved)
        );
        for c in Category::ALL {
            assert_eq!(Category::try_from(c.as_str().to_owned()), Ok(c));
        }
        assert_eq!(
            "privileged".parse::<Category>(),
            Err(UnknownCode {
                kind: "queue category",
                code: "privileged".into()
            })
        );
        assert_eq!(
            DirectionStatus::try_from("lost".to_owned()),
            Err(UnknownCode {
                kind: "direction status",
                code: "lost".into()
            })
        );
    }
}
