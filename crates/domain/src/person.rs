//! A record of the state register of individuals (ГБД ФЛ), as returned for an IIN.
//! Applicants and children are both persons; the register is the source of their names.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::iin::{Iin, Sex};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub iin: Iin,
    pub last_name: String,
    pub first_name: String,
    /// Patronymic; not everyone has one.
    pub middle_name: Option<String>,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub nationality: Option<String>,
}

/// A register record that contradicts its own IIN, which points to a data-entry error upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PersonError {
    #[error("the birth date {recorded} does not match the IIN, which says {from_iin}")]
    BirthDateMismatch {
        recorded: NaiveDate,
        from_iin: NaiveDate,
    },
    #[error("the sex {} does not match the IIN, which says {}", recorded.code(), from_iin.code())]
    SexMismatch { recorded: Sex, from_iin: Sex },
}

impl Person {
    /// "Last First Middle", the order used in Kazakh and Russian official documents.
    pub fn full_name(&self) -> String {
        crate::names::full_name(
            &self.last_name,
            &self.first_name,
            self.middle_name.as_deref(),
        )
    }

    /// What a look-up in the register shows before the person is saved: the first name and
    /// the surname's initial ("Айгерим А."). Enough for a parent to recognise their child (or
    /// an applicant themselves); not enough to learn a stranger's full name from an IIN.
    pub fn name_to_confirm(&self) -> String {
        let first = self.first_name.trim();
        match self.last_name.trim().chars().next() {
            Some(initial) if first.is_empty() => format!("{}.", initial.to_uppercase()),
            Some(initial) => format!("{first} {}.", initial.to_uppercase()),
            None => first.to_owned(),
        }
    }

    pub fn check_consistent(&self) -> Result<(), PersonError> {
        if self.birth_date != self.iin.birth_date() {
            return Err(PersonError::BirthDateMismatch {
                recorded: self.birth_date,
                from_iin: self.iin.birth_date(),
            });
        }
        if self.sex != self.iin.sex() {
            return Err(PersonError::SexMismatch {
                recorded: self.sex,
                from_iin: self.iin.sex(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_to_confirm_hides_the_surname_and_patronymic() {
        let p = person();
        assert_eq!(p.name_to_confirm(), "Айгерим А.");
        let shown = p.name_to_confirm();
        assert!(!shown.contains("Ахметова") && !shown.contains("Серікқызы"));
        let only_last = Person {
            first_name: " ".into(),
            ..person()
        };
        assert_eq!(only_last.name_to_confirm(), "А.");
    }

    fn person() -> Person {
        let iin = Iin::parse("900517401231").unwrap();
        Person {
            birth_date: iin.birth_date(),
            sex: iin.sex(),
            iin,
            last_name: "Ахметова".into(),
            first_name: "Айгерим".into(),
            middle_name: Some("Серікқызы".into()),
            nationality: Some("Казашка".into()),
        }
    }

    #[test]
    fn full_name() {
        let mut p = person();
        assert_eq!(p.full_name(), "Ахметова Айгерим Серікқызы");
        p.middle_name = None;
        assert_eq!(p.full_name(), "Ахметова Айгерим");
        p.middle_name = Some("  ".into());
        assert_eq!(p.full_name(), "Ахметова Айгерим");
    }

    #[test]
    fn consistent_record() {
        assert_eq!(person().check_consistent(), Ok(()));
    }

    #[test]
    fn birth_date_mismatch() {
        let mut p = person();
        p.birth_date = NaiveDate::from_ymd_opt(1990, 5, 18).unwrap();
        let err = p.check_consistent().unwrap_err();
        assert!(matches!(err, PersonError::BirthDateMismatch { .. }));
        assert_eq!(
            err.to_string(),
            "the birth date 1990-05-18 does not match the IIN, which says 1990-05-17"
        );
    }

    #[test]
    fn sex_mismatch() {
        let mut p = person();
        p.sex = Sex::Male;
        let err = p.check_consistent().unwrap_err();
        assert_eq!(
            err,
            PersonError::SexMismatch {
                recorded: Sex::Male,
                from_iin: Sex::Female
            }
        );
        assert_eq!(
            err.to_string(),
            "the sex M does not match the IIN, which says F"
        );
    }

    #[test]
    fn serde_round_trip() {
        let p = person();
        let json = serde_json::to_string(&p).unwrap();
        assert!(json.contains("\"iin\":\"900517401231\""));
        assert!(json.contains("\"sex\":\"F\""));
        assert_eq!(serde_json::from_str::<Person>(&json).unwrap(), p);
    }
}
