//! The BIN (business identification number) of an organization: 12 digits whose last is a
//! check digit computed like an IIN's.

use std::fmt;

use super::iin::check_digit;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bin(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BinError {
    #[error("a BIN has 12 digits")]
    Format,
    #[error("the BIN's check digit does not match")]
    Checksum,
}

impl BinError {
    pub fn message_key(&self) -> &'static str {
        match self {
            BinError::Format => "bin-error-format",
            BinError::Checksum => "bin-error-checksum",
        }
    }
}

impl Bin {
    pub fn parse(input: &str) -> Result<Bin, BinError> {
        let digits: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BinError::Format);
        }
        let bytes = digits.as_bytes();
        let mut first: [u8; 11] = [0; 11];
        for (slot, b) in first.iter_mut().zip(bytes) {
            *slot = b - b'0';
        }
        match check_digit(&first) {
            Some(d) if d == bytes[11] - b'0' => Ok(Bin(digits)),
            _ => Err(BinError::Checksum),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Bin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_and_invalid_bins() {
        assert_eq!(Bin::parse("990140000384").unwrap().as_str(), "990140000384");
        assert_eq!(
            Bin::parse(" 9901 4000 0384 ").unwrap().as_str(),
            "990140000384"
        );
        assert_eq!(Bin::parse("990140000385"), Err(BinError::Checksum));
        assert_eq!(Bin::parse("99014000038"), Err(BinError::Format));
        assert_eq!(Bin::parse("99014000038a"), Err(BinError::Format));
    }

    proptest::proptest! {
        #[test]
        fn exactly_one_check_digit_fits(prefix in "[0-9]{11}") {
            let valid = (0..10).filter(|d| Bin::parse(&format!("{prefix}{d}")).is_ok()).count();
            proptest::prop_assert!(valid <= 1);
        }
    }
}
