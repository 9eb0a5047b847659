//! What every fuzz test shares: how many cases, and inputs shaped like what people and bots type
//! (near-valid identifiers, separators, other scripts' digits, control characters).

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

/// 10⁵ cases unless `KEZEK_FUZZ_CASES` says otherwise. The inputs come from a fixed seed, so CI
/// tests the same 10⁵ and a red run is reproducible; `KEZEK_FUZZ_SEED=<number>` or
/// `KEZEK_FUZZ_SEED=random` explores others (a deeper run on demand:
/// `KEZEK_FUZZ_SEED=random KEZEK_FUZZ_CASES=1000000`). Failures are not persisted: the message
/// shows the minimal input.
pub fn config() -> Config {
    let cases = std::env::var("KEZEK_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let rng_seed = match std::env::var("KEZEK_FUZZ_SEED").as_deref() {
        Ok("random") => RngSeed::Random,
        Ok(seed) => RngSeed::Fixed(seed.parse().unwrap_or(DEFAULT_SEED)),
        Err(_) => RngSeed::Fixed(DEFAULT_SEED),
    };
    Config {
        cases,
        rng_seed,
        failure_persistence: None,
        ..Config::default()
    }
}

const DEFAULT_SEED: u64 = 20_261_202;

/// Characters that upset parsers: digits of several scripts, separators, signs, letters,
/// whitespace of several kinds and control characters.
pub const TRICKY: &[char] = &[
    '0',
    '1',
    '2',
    '3',
    '4',
    '5',
    '6',
    '7',
    '8',
    '9',
    '+',
    '-',
    '.',
    '(',
    ')',
    ' ',
    '\t',
    '\n',
    '\r',
    '\0',
    '\u{7f}',
    '\u{a0}',
    '\u{2007}',
    '\u{200b}',
    '\u{feff}',
    '٣',
    '０',
    '９',
    '²',
    'a',
    'Ә',
    'ж',
    '/',
    '\\',
    ',',
    '%',
    '?',
    '#',
    ':',
    '@',
    '=',
    '"',
    '\'',
    '<',
    '\u{1F600}',
];

/// Mostly strings from [`TRICKY`] (so that near-valid inputs are common), sometimes arbitrary
/// Unicode.
pub fn input() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(TRICKY), 0..24)
            .prop_map(|chars| chars.into_iter().collect()),
        1 => any_text(),
    ]
}

/// `valid` with one character replaced, inserted or removed.
pub fn mutated(valid: String) -> impl Strategy<Value = String> {
    let len = valid.chars().count();
    (0..=len, prop::sample::select(TRICKY), 0u8..3).prop_map(move |(at, c, how)| {
        let mut chars: Vec<char> = valid.chars().collect();
        match how {
            0 if at < chars.len() => chars[at] = c,
            1 => chars.insert(at, c),
            _ if at < chars.len() => {
                chars.remove(at);
            }
            _ => {}
        }
        chars.into_iter().collect()
    })
}

/// `n` ASCII digits.
pub fn digits(n: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(0u8..10, n).prop_map(|d| d.iter().map(|d| char::from(b'0' + d)).collect())
}

/// Arbitrary Unicode, up to 24 characters. (`any::<String>()` is a regex strategy that proptest
/// compiles again for every case: ten times slower.)
pub fn any_text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..24).prop_map(|chars| chars.into_iter().collect())
}
