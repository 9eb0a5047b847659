//! Fuzz pass over what the web layer takes from a request before any use case sees it: the
//! addresses it redirects back to, and dates typed in forms. 10⁵ generated inputs each.

use kezek_fuzz::{config, input};
use kezek_web::page::{local_path, parse_date, see_other};
use proptest::prelude::*;

/// Pieces of the addresses an attacker tries in `back`: hosts, schemes, encoded and raw
/// separators and control characters, traversal, non-ASCII.
const PIECES: &[&str] = &[
    "/",
    "//",
    "\\",
    "/\\",
    "%09",
    "%0a",
    "%00",
    "%2f",
    "%2F",
    "%5c",
    "%252f",
    "..",
    ".",
    "evil.example",
    "kezek.invalid",
    "?",
    "#",
    "@",
    ":",
    "http:",
    "https://",
    "javascript:",
    "\t",
    "\n",
    "\r",
    "\0",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "é",
    "сад",
    "a",
    "login",
    "=",
    "&",
    " ",
];

fn address() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::collection::vec(prop::sample::select(PIECES), 0..8).prop_map(|p| p.concat()),
        1 => input().prop_map(|s| format!("/{s}")),
        1 => input(),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fuzz_back_addresses(raw in address()) {
        if let Some(path) = local_path(&raw) {
            prop_assert!(path.starts_with('/') && !path.starts_with("//"), "{:?} → {:?}", raw, path);
            prop_assert!(!path.contains('\\'), "{:?} → {:?}", raw, path);
            prop_assert!(path.bytes().all(|b| b.is_ascii_graphic()), "{:?} → {:?}", raw, path);
            // Normalised once, it stays as it is.
            prop_assert_eq!(local_path(&path), Some(path.clone()));
        }
        let target = local_path(&raw).unwrap_or_else(|| "/".to_owned());
        let response = see_other(&target);
        prop_assert_eq!(response.status().as_u16(), 303);
        prop_assert_eq!(
            response.headers().get("location").and_then(|v| v.to_str().ok()),
            Some(target.as_str())
        );
    }

    #[test]
    fn fuzz_redirects_never_fail(raw in address()) {
        // Whatever address a page passes on, the answer is a redirect, never a 500.
        let response = see_other(&raw);
        prop_assert_eq!(response.status().as_u16(), 303);
        let location = response.headers().get("location").and_then(|v| v.to_str().ok());
        prop_assert!(location.is_some_and(|l| l.bytes().all(|b| b.is_ascii_graphic())));
    }

    #[test]
    fn fuzz_typed_dates(
        text in prop_oneof![
            input(),
            (0u32..40, 0u32..14, 0i32..10_000).prop_map(|(d, m, y)| format!("{d:02}.{m:02}.{y}")),
            (-1i32..10_000, 0u32..14, 0u32..40).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        ]
    ) {
        if let Some(day) = parse_date(&text) {
            prop_assert_eq!(parse_date(&day.format("%d.%m.%Y").to_string()), Some(day));
            prop_assert_eq!(parse_date(&day.format("%Y-%m-%d").to_string()), Some(day));
        }
    }
}
