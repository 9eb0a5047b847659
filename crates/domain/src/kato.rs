//! KATO, the classifier of administrative-territorial units: 9 digits, 2 for the region, 2 for
//! the district, 2 for the rural district or town, 3 for the settlement. A unit's level and
//! parent follow from which digits are zero; a unit "covers" every code under it.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Kato(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KatoError {
    #[error("a KATO code has 9 digits")]
    Format,
    #[error("the region part of a KATO code cannot be 00")]
    NoRegion,
    #[error("a KATO code cannot skip a level (e.g. a settlement without its district)")]
    SkippedLevel,
}

impl KatoError {
    pub fn message_key(&self) -> &'static str {
        match self {
            KatoError::Format => "kato-error-format",
            KatoError::NoRegion => "kato-error-no-region",
            KatoError::SkippedLevel => "kato-error-skipped-level",
        }
    }
}

/// Where each level's digits end.
const LEVEL_ENDS: [usize; 4] = [2, 4, 6, 9];

impl Kato {
    pub fn parse(input: &str) -> Result<Kato, KatoError> {
        let code = input.trim();
        if code.len() != 9 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(KatoError::Format);
        }
        if &code[..2] == "00" {
            return Err(KatoError::NoRegion);
        }
        // Once a level is all zeros, every lower level must be too.
        let mut seen_zero = false;
        for window in LEVEL_ENDS.windows(2) {
            let part = &code[window[0]..window[1]];
            let zero = part.bytes().all(|b| b == b'0');
            if seen_zero && !zero {
                return Err(KatoError::SkippedLevel);
            }
            seen_zero |= zero;
        }
        Ok(Kato(code.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 1 region (or city of republican significance), 2 district, 3 rural district or town, 4 settlement.
    pub fn level(&self) -> u8 {
        let significant = self.significant_len();
        LEVEL_ENDS
            .iter()
            .position(|&end| end == significant)
            .map_or(4, |i| i as u8 + 1)
    }

    /// The digits that identify the unit; every code under it starts with them.
    pub fn prefix(&self) -> &str {
        &self.0[..self.significant_len()]
    }

    fn significant_len(&self) -> usize {
        LEVEL_ENDS
            .iter()
            .rev()
            .copied()
            .find(|&end| {
                let start = LEVEL_ENDS
                    .iter()
                    .rev()
                    .find(|&&e| e < end)
                    .copied()
                    .unwrap_or(0);
                self.0[start..end].bytes().any(|b| b != b'0')
            })
            .unwrap_or(2)
    }

    /// The unit one level up; `None` for a region.
    pub fn parent(&self) -> Option<Kato> {
        let level = self.level() as usize;
        if level == 1 {
            return None;
        }
        let keep = LEVEL_ENDS[level - 2];
        Some(Kato(format!("{:0<9}", &self.0[..keep])))
    }

    /// The 2-digit code of the region the unit lies in.
    pub fn region_code(&self) -> &str {
        &self.0[..2]
    }

    /// Whether `other` is this unit or lies within it.
    pub fn covers(&self, other: &Kato) -> bool {
        other.0.starts_with(self.prefix())
    }
}

impl fmt::Display for Kato {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parents_and_areas() {
        let astana = Kato::parse("710000000").unwrap();
        let district = Kato::parse("711200000").unwrap();
        let village = Kato::parse("195231100").unwrap();
        assert_eq!(
            (astana.level(), district.level(), village.level()),
            (1, 2, 4)
        );
        assert_eq!(astana.prefix(), "71");
        assert_eq!(district.prefix(), "7112");
        assert_eq!(district.parent(), Some(astana.clone()));
        assert_eq!(village.parent().unwrap().as_str(), "195231000");
        assert_eq!(village.parent().unwrap().level(), 3);
        assert_eq!(astana.parent(), None);
        assert!(astana.covers(&district) && district.covers(&district));
        assert!(!district.covers(&astana));
        assert!(!Kato::parse("751200000").unwrap().covers(&district));
        assert_eq!(village.region_code(), "19");
    }

    #[test]
    fn malformed_codes_are_refused() {
        assert_eq!(Kato::parse("71000000"), Err(KatoError::Format));
        assert_eq!(Kato::parse("71000000x"), Err(KatoError::Format));
        assert_eq!(Kato::parse("001000000"), Err(KatoError::NoRegion));
        assert_eq!(Kato::parse("710010000"), Err(KatoError::SkippedLevel));
        assert_eq!(Kato::parse("710000001"), Err(KatoError::SkippedLevel));
    }

    proptest::proptest! {
        #[test]
        fn a_parent_covers_its_child(code in "[1-9][0-9]{8}") {
            if let Some((kato, parent)) = Kato::parse(&code).ok().and_then(|k| k.parent().map(|p| (k, p))) {
                proptest::prop_assert!(parent.covers(&kato));
                proptest::prop_assert_eq!(parent.level() + 1, kato.level());
                proptest::prop_assert!(Kato::parse(parent.as_str()).is_ok());
            }
        }
    }
}
