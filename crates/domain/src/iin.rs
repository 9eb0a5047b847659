//! The IIN (ИИН), Kazakhstan's 12-digit personal identification number.
//! An `Iin` value can only exist if its digits, birth date, century and check digit are valid.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Why a string is not an IIN; each variant names the first rule that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum IinError {
    #[error("an IIN is exactly 12 digits")]
    Format,
    #[error("the 7th digit of an IIN must be 1 to 6")]
    Century,
    #[error("the first 6 digits of an IIN are not a real date")]
    Date,
    #[error("the IIN's check digit is wrong (probably a typo)")]
    Checksum,
}

impl IinError {
    pub fn message_key(&self) -> &'static str {
        match self {
            IinError::Format => "iin-error-format",
            IinError::Century => "iin-error-century",
            IinError::Date => "iin-error-date",
            IinError::Checksum => "iin-error-checksum",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Sex {
    #[serde(rename = "M")]
    Male,
    #[serde(rename = "F")]
    Female,
}

impl Sex {
    /// The one-letter code used in the register, the database and CSV files.
    pub fn code(self) -> &'static str {
        match self {
            Sex::Male => "M",
            Sex::Female => "F",
        }
    }

    pub fn from_code(code: &str) -> Option<Sex> {
        match code.trim() {
            "M" | "m" => Some(Sex::Male),
            "F" | "f" => Some(Sex::Female),
            _ => None,
        }
    }

    pub fn message_key(self) -> &'static str {
        match self {
            Sex::Male => "sex-male",
            Sex::Female => "sex-female",
        }
    }
}

/// A valid IIN. Birth date and sex are decoded once at parse time so that the accessors
/// cannot fail; they are pure functions of `digits`, so the derived comparisons stay honest.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Iin {
    digits: String,
    birth_date: NaiveDate,
    sex: Sex,
}

const FIRST_WEIGHTS: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

fn weighted_mod11(d: &[u8; 11], weights: &[u32; 11]) -> u32 {
    d.iter()
        .zip(weights)
        .map(|(&x, &w)| u32::from(x) * w)
        .sum::<u32>()
        % 11
}

/// The check digit for the first 11 digits, or `None` when both weightings give 10:
/// such a prefix is never issued, so no 12th digit can make it valid.
pub(crate) fn check_digit(d: &[u8; 11]) -> Option<u8> {
    let mut s = weighted_mod11(d, &FIRST_WEIGHTS);
    if s == 10 {
        s = weighted_mod11(d, &SECOND_WEIGHTS);
    }
    (s != 10).then_some(s as u8)
}

/// Century and sex from the 7th digit. Odd digits are men, even are women.
fn century_and_sex(code: u8) -> Option<(i32, Sex)> {
    let century = match code {
        1 | 2 => 1800,
        3 | 4 => 1900,
        5 | 6 => 2000,
        _ => return None,
    };
    let sex = if code % 2 == 1 {
        Sex::Male
    } else {
        Sex::Female
    };
    Some((century, sex))
}

impl Iin {
    /// Accepts what people actually type or paste: surrounding and inner whitespace is ignored.
    pub fn parse(input: &str) -> Result<Iin, IinError> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IinError::Format);
        }
        let d: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
        let (century, sex) = century_and_sex(d[6]).ok_or(IinError::Century)?;
        let two = |i: usize| u32::from(d[i]) * 10 + u32::from(d[i + 1]);
        let year = century + two(0) as i32;
        let birth_date = NaiveDate::from_ymd_opt(year, two(2), two(4)).ok_or(IinError::Date)?;
        let mut prefix = [0u8; 11];
        prefix.copy_from_slice(&d[..11]);
        if check_digit(&prefix) != Some(d[11]) {
            return Err(IinError::Checksum);
        }
        Ok(Iin {
            digits,
            birth_date,
            sex,
        })
    }

    /// Builds the IIN with the given serial (digits 8–11), for demo data and tests.
    /// `None` when the serial is above 9999, the year is outside 1800..=2099, or this
    /// prefix has no valid check digit (the caller should try another serial).
    pub fn generate(birth_date: NaiveDate, sex: Sex, serial: u16) -> Option<Iin> {
        if serial > 9999 {
            return None;
        }
        let year = birth_date.year();
        let century_code = match year {
            1800..=1899 => 1,
            1900..=1999 => 3,
            2000..=2099 => 5,
            _ => return None,
        } + u8::from(sex == Sex::Female);
        let prefix = format!(
            "{:02}{:02}{:02}{}{:04}",
            year % 100,
            birth_date.month(),
            birth_date.day(),
            century_code,
            serial
        );
        let mut d = [0u8; 11];
        for (slot, b) in d.iter_mut().zip(prefix.bytes()) {
            *slot = b - b'0';
        }
        let check = check_digit(&d)?;
        Some(Iin {
            digits: format!("{prefix}{check}"),
            birth_date,
            sex,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.digits
    }

    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    pub fn sex(&self) -> Sex {
        self.sex
    }

    /// For public lists: the birth date part stays (it is what a parent recognises their child
    /// by in a queue), the part that identifies the person is hidden.
    pub fn masked(&self) -> String {
        format!("{}******", &self.digits[..6])
    }
}

impl fmt::Display for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.digits)
    }
}

impl FromStr for Iin {
    type Err = IinError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Iin::parse(s)
    }
}

impl TryFrom<String> for Iin {
    type Error = IinError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Iin::parse(&s)
    }
}

impl From<Iin> for String {
    fn from(iin: Iin) -> String {
        iin.digits
    }
}

impl AsRef<str> for Iin {
    fn as_ref(&self) -> &str {
        &self.digits
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn known_valid_iins() {
        // 9·1+0+0+5·4+1·5+7·6+4·7+0+1·9+2·10+3·11 = 166 ≡ 1 (mod 11)
        let iin = Iin::parse("900517401231").unwrap();
        assert_eq!(iin.birth_date(), date(1990, 5, 17));
        assert_eq!(iin.sex(), Sex::Female);
        // 1+10+0+4+0+6+35+0+9+20+33 = 118 ≡ 8
        let iin = Iin::parse("150101501238").unwrap();
        assert_eq!(iin.birth_date(), date(2015, 1, 1));
        assert_eq!(iin.sex(), Sex::Male);
        // 8+14+3+8+15+6+21+0+0+40+22 = 137 ≡ 5
        let iin = Iin::parse("871231300425").unwrap();
        assert_eq!(iin.birth_date(), date(1987, 12, 31));
        assert_eq!(iin.sex(), Sex::Male);
        // 0+0+0+8+10+54+35+0+0+0+77 = 184 ≡ 8; 2000 is a leap year, so 29 February exists.
        let iin = Iin::parse("000229500078").unwrap();
        assert_eq!(iin.birth_date(), date(2000, 2, 29));
    }

    #[test]
    fn checksum_ten_uses_second_weights() {
        // First weights: 1+10+0+4+0+6+35+0+0+20+0 = 76 ≡ 10.
        // Second weights: 3+20+0+6+0+8+45+0+0+2+0 = 84 ≡ 7.
        let iin = Iin::parse("150101500207").unwrap();
        assert_eq!(iin.as_str(), "150101500207");
        assert_eq!(Iin::parse("150101500200"), Err(IinError::Checksum));
    }

    #[test]
    fn checksum_ten_twice_is_never_valid() {
        // 76 + 7·11 = 153 ≡ 10 and 84 + 7·2 = 98 ≡ 10: no check digit can save it.
        for last in 0..=9 {
            assert_eq!(
                Iin::parse(&format!("15010150027{last}")),
                Err(IinError::Checksum)
            );
        }
        let d = date(2015, 1, 1);
        assert_eq!(Iin::generate(d, Sex::Male, 27), None);
        assert_eq!(
            Iin::generate(d, Sex::Male, 20).unwrap().as_str(),
            "150101500207"
        );
    }

    #[test]
    fn whitespace_is_ignored() {
        assert_eq!(
            Iin::parse("  900517401231\n").unwrap().as_str(),
            "900517401231"
        );
        assert_eq!(
            Iin::parse("900517 4 0123 1").unwrap().as_str(),
            "900517401231"
        );
    }

    #[test]
    fn errors() {
        assert_eq!(Iin::parse(""), Err(IinError::Format));
        assert_eq!(Iin::parse("90051740123"), Err(IinError::Format));
        assert_eq!(Iin::parse("9005174012311"), Err(IinError::Format));
        assert_eq!(Iin::parse("90051740123a"), Err(IinError::Format));
        assert_eq!(Iin::parse("９00517401231"), Err(IinError::Format));
        assert_eq!(Iin::parse("900517-401231"), Err(IinError::Format));
        assert_eq!(Iin::parse("900517001231"), Err(IinError::Century));
        assert_eq!(Iin::parse("900517701231"), Err(IinError::Century));
        assert_eq!(Iin::parse("901317401231"), Err(IinError::Date));
        assert_eq!(Iin::parse("900532401231"), Err(IinError::Date));
        // 1900 is not a leap year.
        assert_eq!(Iin::parse("000229300078"), Err(IinError::Date));
        assert_eq!(Iin::parse("900517401232"), Err(IinError::Checksum));
    }

    #[test]
    fn message_keys() {
        assert_eq!(IinError::Format.message_key(), "iin-error-format");
        assert_eq!(IinError::Century.message_key(), "iin-error-century");
        assert_eq!(IinError::Date.message_key(), "iin-error-date");
        assert_eq!(IinError::Checksum.message_key(), "iin-error-checksum");
    }

    #[test]
    fn masked_keeps_birth_date_only() {
        assert_eq!(Iin::parse("900517401231").unwrap().masked(), "900517******");
    }

    #[test]
    fn serde_is_a_validated_string() {
        let iin = Iin::parse("900517401231").unwrap();
        let json = serde_json::to_string(&iin).unwrap();
        assert_eq!(json, "\"900517401231\"");
        assert_eq!(serde_json::from_str::<Iin>(&json).unwrap(), iin);
        assert!(serde_json::from_str::<Iin>("\"900517401232\"").is_err());
        assert_eq!(serde_json::to_string(&Sex::Female).unwrap(), "\"F\"");
    }

    #[test]
    fn display_and_from_str() {
        let iin: Iin = "900517401231".parse().unwrap();
        assert_eq!(iin.to_string(), "900517401231");
    }

    #[test]
    fn sex_codes() {
        assert_eq!(Sex::from_code("M"), Some(Sex::Male));
        assert_eq!(Sex::from_code("f"), Some(Sex::Female));
        assert_eq!(Sex::from_code("X"), None);
        assert_eq!(Sex::from_code(""), None);
        assert_eq!(Sex::Male.code(), "M");
        assert_eq!(Sex::Female.message_key(), "sex-female");
    }

    #[test]
    fn generate_rejects_out_of_range() {
        assert_eq!(Iin::generate(date(1799, 12, 31), Sex::Male, 1), None);
        assert_eq!(Iin::generate(date(2100, 1, 1), Sex::Male, 1), None);
        assert_eq!(Iin::generate(date(2000, 1, 1), Sex::Male, 10000), None);
        let oldest = (0..100)
            .find_map(|s| Iin::generate(date(1800, 1, 1), Sex::Female, s))
            .unwrap();
        assert_eq!(&oldest.as_str()[6..7], "2");
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        let first = date(1800, 1, 1);
        let days = (date(2099, 12, 31) - first).num_days();
        (0..=days).prop_map(move |n| first + chrono::Duration::days(n))
    }

    fn any_sex() -> impl Strategy<Value = Sex> {
        prop_oneof![Just(Sex::Male), Just(Sex::Female)]
    }

    fn any_iin() -> impl Strategy<Value = Iin> {
        (any_date(), any_sex(), 0u16..=9999)
            .prop_filter_map("checksum 10 twice", |(d, s, n)| Iin::generate(d, s, n))
    }

    proptest! {
        #[test]
        fn generated_iins_round_trip(d in any_date(), s in any_sex(), n in 0u16..=9999) {
            if let Some(iin) = Iin::generate(d, s, n) {
                let parsed = Iin::parse(iin.as_str()).unwrap();
                prop_assert_eq!(parsed.birth_date(), d);
                prop_assert_eq!(parsed.sex(), s);
                prop_assert_eq!(&parsed, &iin);
                prop_assert_eq!(&iin.as_str()[7..11], format!("{n:04}"));
            }
        }

        #[test]
        fn a_wrong_check_digit_never_parses(iin in any_iin(), other in 0u8..=9) {
            let mut s = iin.as_str().to_owned();
            prop_assume!(s.as_bytes()[11] != b'0' + other);
            s.replace_range(11.., &other.to_string());
            prop_assert_eq!(Iin::parse(&s), Err(IinError::Checksum));
        }

        #[test]
        fn a_single_digit_change_never_gives_the_same_iin(iin in any_iin(), pos in 0usize..12, digit in 0u8..=9) {
            let mut s = iin.as_str().as_bytes().to_vec();
            prop_assume!(s[pos] != b'0' + digit);
            s[pos] = b'0' + digit;
            let changed = String::from_utf8(s).unwrap();
            if let Ok(other) = Iin::parse(&changed) {
                prop_assert_ne!(other, iin);
            }
        }

        #[test]
        fn parse_never_panics(s in any::<String>()) {
            let _ = Iin::parse(&s);
        }

        #[test]
        fn parse_never_panics_on_digit_soup(s in "[0-9 ]{0,16}") {
            if let Ok(iin) = Iin::parse(&s) {
                prop_assert_eq!(iin.as_str().len(), 12);
            }
        }
    }
}
