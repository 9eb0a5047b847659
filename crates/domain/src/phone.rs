//! Kazakhstan phone numbers, the parent's login and SMS address.
//! Stored in E.164 so that one phone typed in any of the usual ways is one account.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum PhoneError {
    #[error("not a Kazakhstan phone number (+7 7xx xxx xx xx)")]
    Invalid,
}

impl PhoneError {
    pub fn message_key(&self) -> &'static str {
        match self {
            PhoneError::Invalid => "phone-error-invalid",
        }
    }
}

/// A Kazakhstan number: country code 7, then a 10-digit national number starting with 7.
/// Russia shares country code 7 but its national numbers start with 3, 4, 8 or 9.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone {
    /// "+7" followed by the 10-digit national number.
    e164: String,
}

impl Phone {
    /// Accepts `+7…`, `8…` (domestic trunk prefix), `7…` and bare 10-digit national numbers,
    /// with the separators people use when writing numbers down.
    pub fn parse(input: &str) -> Result<Phone, PhoneError> {
        let trimmed = input.trim();
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut digits = String::with_capacity(12);
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                '-' | '.' | '(' | ')' => {}
                c if c.is_whitespace() => {}
                _ => return Err(PhoneError::Invalid),
            }
        }
        let national = match (plus, digits.len()) {
            (true, 11) => digits.strip_prefix('7'),
            (false, 11) => digits
                .strip_prefix('8')
                .or_else(|| digits.strip_prefix('7')),
            (false, 10) => Some(digits.as_str()),
            _ => None,
        }
        .ok_or(PhoneError::Invalid)?;
        if !national.starts_with('7') {
            return Err(PhoneError::Invalid);
        }
        Ok(Phone {
            e164: format!("+7{national}"),
        })
    }

    /// "+77011234567": the canonical form, used as the database key.
    pub fn as_e164(&self) -> &str {
        &self.e164
    }

    /// "77011234567": what SMS gateways expect.
    pub fn digits(&self) -> &str {
        &self.e164[1..]
    }

    /// "+7 701 123 45 67", the way numbers are written in Kazakhstan.
    pub fn display(&self) -> String {
        let n = &self.e164[2..];
        format!("+7 {} {} {} {}", &n[..3], &n[3..6], &n[6..8], &n[8..])
    }

    /// "+7 701 *** ** 67": enough for the owner to recognise their number, not enough to call it.
    pub fn masked(&self) -> String {
        let n = &self.e164[2..];
        format!("+7 {} *** ** {}", &n[..3], &n[8..])
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl FromStr for Phone {
    type Err = PhoneError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Phone::parse(s)
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Phone::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(phone: Phone) -> String {
        phone.e164
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepted_shapes() {
        for input in [
            "+7 701 123 45 67",
            "+77011234567",
            "87011234567",
            "77011234567",
            "7011234567",
            "8 (701) 123-45-67",
            "+7 (701) 123-45-67",
            "8.701.123.45.67",
            "  +7-701-123-4567 ",
            "8\u{a0}701\u{a0}123\u{a0}45\u{a0}67",
        ] {
            let phone = Phone::parse(input).unwrap_or_else(|_| panic!("{input:?} should parse"));
            assert_eq!(phone.as_e164(), "+77011234567", "{input:?}");
        }
    }

    #[test]
    fn city_numbers_are_accepted() {
        assert_eq!(
            Phone::parse("8 (727) 250-00-00").unwrap().as_e164(),
            "+77272500000"
        );
        assert_eq!(
            Phone::parse("+7 7172 55 55 55").unwrap().as_e164(),
            "+77172555555"
        );
    }

    #[test]
    fn rejections() {
        for input in [
            "",
            "+7",
            "701123456",
            "+7 701 123 45 6",
            "+7 701 123 45 678",
            "+7 70I 123 45 67",
            "seven",
            "+1 701 123 4567",
            "+17011234567",
            "+7 912 345 67 89",
            "89123456789",
            "79123456789",
            "9123456789",
            "+7 495 123 45 67",
            "+87011234567",
            "7+7011234567",
            "+ 7 701 123 45 67x",
            "97011234567",
            "+7 701 123 45 67 ext 2",
            "+7\u{663}01234567",
        ] {
            assert_eq!(Phone::parse(input), Err(PhoneError::Invalid), "{input:?}");
        }
        assert_eq!(PhoneError::Invalid.message_key(), "phone-error-invalid");
    }

    #[test]
    fn renderings() {
        let phone = Phone::parse("87011234567").unwrap();
        assert_eq!(phone.as_e164(), "+77011234567");
        assert_eq!(phone.digits(), "77011234567");
        assert_eq!(phone.display(), "+7 701 123 45 67");
        assert_eq!(phone.to_string(), "+7 701 123 45 67");
        assert_eq!(phone.masked(), "+7 701 *** ** 67");
    }

    #[test]
    fn serde_is_e164() {
        let phone = Phone::parse("8 701 123 45 67").unwrap();
        assert_eq!(serde_json::to_string(&phone).unwrap(), "\"+77011234567\"");
        assert_eq!(
            serde_json::from_str::<Phone>("\"+77011234567\"").unwrap(),
            phone
        );
        assert!(serde_json::from_str::<Phone>("\"+79123456789\"").is_err());
    }

    proptest! {
        #[test]
        fn every_shape_gives_the_same_e164(rest in "[0-9]{9}") {
            let n = format!("7{rest}");
            let (a, b, c, d) = (&n[..3], &n[3..6], &n[6..8], &n[8..]);
            let expected = format!("+7{n}");
            for input in [
                format!("+7{n}"),
                format!("8{n}"),
                format!("7{n}"),
                n.clone(),
                format!("+7 {a} {b} {c} {d}"),
                format!("8 ({a}) {b}-{c}-{d}"),
                format!("+7 ({a}) {b}-{c}-{d}"),
                format!("8.{a}.{b}.{c}.{d}"),
            ] {
                let phone = Phone::parse(&input).unwrap();
                prop_assert_eq!(phone.as_e164(), expected.as_str());
                prop_assert_eq!(Phone::parse(&phone.display()).unwrap(), phone.clone());
            }
        }

        #[test]
        fn parse_never_panics(s in any::<String>()) {
            if let Ok(phone) = Phone::parse(&s) {
                prop_assert_eq!(phone.as_e164().len(), 12);
            }
        }
    }
}
