//! The policy for new passwords, after NIST SP 800-63B: a length range and a blocklist of
//! passwords attackers try first, with no "must contain a digit" rules that only breed `Password1!`.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Lowercase, one per line; matched against the trimmed, lowercased password.
const COMMON_PASSWORDS: &str = include_str!("common-passwords.txt");

pub const MIN_CHARS: usize = 8;
/// Long enough for any passphrase, short enough that hashing a submitted one stays cheap.
pub const MAX_CHARS: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must be at least 8 characters long")]
    TooShort,
    #[error("the password must be at most 128 characters long")]
    TooLong,
    #[error("this password is too common and easy to guess")]
    Common,
    #[error("the two passwords do not match")]
    Mismatch,
}

impl PasswordError {
    pub fn message_key(&self) -> &'static str {
        match self {
            PasswordError::TooShort => "password-error-too-short",
            PasswordError::TooLong => "password-error-too-long",
            PasswordError::Common => "password-error-common",
            PasswordError::Mismatch => "password-error-mismatch",
        }
    }
}

/// Checks a new password and its confirmation. The password itself is judged before the
/// confirmation so that a person is not asked to retype twice a password that will be refused.
pub fn check_new_password(password: &str, confirmation: &str) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordError::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordError::TooLong);
    }
    if is_common(password) {
        return Err(PasswordError::Common);
    }
    if password != confirmation {
        return Err(PasswordError::Mismatch);
    }
    Ok(())
}

/// True for blocklisted passwords and for the patterns a blocklist cannot enumerate:
/// one repeated character (whitespace included) and runs of consecutive digits.
pub fn is_common(password: &str) -> bool {
    let normalized = password.trim().to_lowercase();
    normalized.is_empty()
        || is_one_repeated_char(&normalized)
        || is_digit_run(&normalized)
        || common_passwords().contains(normalized.as_str())
}

/// The blocklist as a set, built once: a linear scan of ten thousand lines on every sign-up
/// and reset is work an anonymous burst could multiply.
fn common_passwords() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON_PASSWORDS.lines().map(str::trim).collect())
}

fn is_one_repeated_char(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => chars.all(|c| c == first),
        None => false,
    }
}

/// "12345678", "87654321", "1234567890" and "0987654321": each digit is one more (or one less)
/// than the one before, with 9 and 0 treated as neighbours as they are on the keyboard row.
fn is_digit_run(s: &str) -> bool {
    let digits: Option<Vec<u8>> = s
        .bytes()
        .map(|b| b.is_ascii_digit().then(|| b - b'0'))
        .collect();
    let Some(digits) = digits else { return false };
    if digits.len() < 2 {
        return false;
    }
    let steps = |step: u8| digits.windows(2).all(|w| (w[0] + step) % 10 == w[1]);
    steps(1) || steps(9)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(p: &str) -> Result<(), PasswordError> {
        check_new_password(p, p)
    }

    #[test]
    fn length_is_counted_in_characters() {
        assert_eq!(check("Kx7#mq2"), Err(PasswordError::TooShort));
        assert_eq!(check(""), Err(PasswordError::TooShort));
        assert_eq!(check("Kx7#mq2v"), Ok(()));
        // Eight Cyrillic letters are sixteen bytes but eight characters.
        assert_eq!(check("жаңақала"), Ok(()));
        assert_eq!(check("бөрікжж"), Err(PasswordError::TooShort));
        let long: String = "correct horse battery staple ".repeat(5);
        assert_eq!(check(&long[..128]), Ok(()));
        assert_eq!(check(&long[..129]), Err(PasswordError::TooLong));
        assert_eq!(check(&"әб".repeat(64)), Ok(()));
        assert_eq!(
            check(&format!("{}в", "әб".repeat(64))),
            Err(PasswordError::TooLong)
        );
    }

    #[test]
    fn no_composition_rules() {
        assert_eq!(check("correct horse battery staple"), Ok(()));
        assert_eq!(check("tulpantulip"), Ok(()));
        assert_eq!(check("93847261"), Ok(()));
    }

    #[test]
    fn blocklisted_passwords_are_common() {
        for p in [
            "password",
            "PASSWORD1",
            "  qwerty123  ",
            "12345678",
            "iloveyou",
            "1q2w3e4r",
            "Astana2024",
            "йцукенгш",
            "ЙЦУКЕНГШ",
        ] {
            assert_eq!(check(p), Err(PasswordError::Common), "{p:?}");
        }
    }

    #[test]
    fn patterns_are_common() {
        for p in [
            "aaaaaaaaaaaa",
            "zzzzzzzz",
            "        ",
            " \t \t \t \t",
            "ææææææææ",
            "23456789",
            "98765432",
            "7890123456",
            "3210987654",
        ] {
            assert_eq!(check(p), Err(PasswordError::Common), "{p:?}");
        }
        assert!(!is_common("12345679"));
        assert!(!is_common("aaaaaaab"));
    }

    #[test]
    fn check_order_is_length_then_common_then_mismatch() {
        assert_eq!(
            check_new_password("short", "other"),
            Err(PasswordError::TooShort)
        );
        assert_eq!(
            check_new_password("password", "different"),
            Err(PasswordError::Common)
        );
        assert_eq!(
            check_new_password("Kx7#mq2v", "Kx7#mq2w"),
            Err(PasswordError::Mismatch)
        );
        // The confirmation must match exactly, not just case-insensitively.
        assert_eq!(
            check_new_password("Kx7#mq2v", "kx7#mq2v"),
            Err(PasswordError::Mismatch)
        );
    }

    #[test]
    fn blocklist_is_well_formed() {
        let entries: Vec<&str> = COMMON_PASSWORDS.lines().collect();
        assert!(entries.len() >= 300);
        let mut seen = std::collections::HashSet::new();
        for e in &entries {
            assert_eq!(*e, e.trim(), "{e:?}");
            assert_eq!(*e, e.to_lowercase(), "{e:?}");
            assert!(
                e.chars().count() >= MIN_CHARS,
                "{e:?} can never be chosen anyway"
            );
            assert!(seen.insert(*e), "{e:?} twice");
        }
    }

    #[test]
    fn message_keys() {
        assert_eq!(
            PasswordError::TooShort.message_key(),
            "password-error-too-short"
        );
        assert_eq!(
            PasswordError::TooLong.message_key(),
            "password-error-too-long"
        );
        assert_eq!(PasswordError::Common.message_key(), "password-error-common");
        assert_eq!(
            PasswordError::Mismatch.message_key(),
            "password-error-mismatch"
        );
    }
}
