//! Fuzz pass over what the web layer takes from a request before any use case sees it: the
//! addresses it redirects back to, page numbers, form and query fields, an upload's token read
//! ahead of its files, and dates typed in forms. 10⁵ generated inputs each.

use kezek_domain::paging::{Pager, requested};
use kezek_domain::text::{forbidden_char, visible, without_forbidden};
use kezek_fuzz::{config, digits, input};
use kezek_web::context::{FirstPart, first_part_token, without_token};
use kezek_web::page::{local_path, parse_date, see_other};
use kezek_web::text::{checked_elsewhere, multiline, pairs, refused};
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

    #[test]
    fn fuzz_page_numbers(
        raw in prop_oneof![
            input(),
            digits(20),
            digits(30),
            Just("368934881474191034".to_owned()),
            (any::<i64>()).prop_map(|n| n.to_string()),
        ],
        total in 0u64..1_000_000_000_000,
        per_page in 0u64..500,
    ) {
        let page = requested(Some(&raw));
        prop_assert!(page >= 1);
        let pager = Pager::new(page, total, per_page);
        prop_assert!((1..=pager.pages).contains(&pager.page));
        prop_assert!(pager.limit() >= 1);
        let offset = u64::try_from(pager.offset()).expect("an offset is never negative");
        prop_assert!(offset == 0 || offset < total, "{} of {}", offset, total);
        prop_assert_eq!(pager.next().is_some(), pager.page < pager.pages);
    }

    #[test]
    fn fuzz_form_and_query_fields(
        fields in prop::collection::vec((input(), input()), 0..6),
        noise in prop::collection::vec(prop::sample::select(&["%", "%0", "%ZZ", "=", "&", "+", "%00", "%C3"][..]), 0..3),
    ) {
        let mut encoded = serde_urlencoded::to_string(&fields).expect("pairs encode");
        encoded.push_str(&noise.concat());
        let sent = pairs(encoded.as_bytes());
        let refused: Vec<_> = refused(&sent).into_iter().cloned().collect();
        for (name, value) in &sent {
            let bad = forbidden_char(name, false).is_some()
                || (!checked_elsewhere(name) && forbidden_char(value, multiline(name)).is_some());
            prop_assert_eq!(bad, refused.contains(&(name.clone(), value.clone())), "{:?}={:?}", name, value);
            // What the refusal page shows and offers back holds no such character.
            prop_assert!(!visible(value).chars().any(char::is_control));
            prop_assert_eq!(forbidden_char(&without_forbidden(value, multiline(name)), multiline(name)), None);
        }
    }

    #[test]
    fn fuzz_upload_tokens(
        pieces in prop::collection::vec(
            prop::sample::select(&[
                "--B\r\n", "--b\r\n", "Content-Disposition: form-data; name=\"csrf\"",
                "content-disposition: form-data; name=\"csrf\"; filename=\"x\"",
                "Content-Disposition: form-data; name=\"photo\"", "\r\n", "\r\n\r\n",
                "\r\n--B", "\r\n--B--\r\n", "0123abcd", "\u{0}", "é", "--", "B",
            ][..]),
            0..10,
        ),
        bytes in prop::collection::vec(any::<u8>(), 0..8),
        cut in 0usize..400,
    ) {
        let mut head = pieces.concat().into_bytes();
        head.extend(bytes);
        let answer = first_part_token(&head, "B");
        if let FirstPart::Token(Some(token)) = &answer {
            prop_assert!(!token.contains("\r\n--B"));
        }
        // The reader asks again with more bytes only after "need more": a prefix that already
        // decided must decide the same way with the rest appended.
        let prefix = &head[..cut.min(head.len())];
        let early = first_part_token(prefix, "B");
        if early != FirstPart::NeedMore {
            prop_assert_eq!(early, answer);
        }
    }

    #[test]
    fn fuzz_addresses_lose_their_token(path in address(), query in prop::collection::vec((prop_oneof![Just("csrf".to_owned()), Just("CSRF".to_owned()), Just("page".to_owned()), input()], input()), 0..4)) {
        let path = path.split('?').next().unwrap_or_default().to_owned();
        let address = if query.is_empty() {
            path.clone()
        } else {
            format!("{path}?{}", serde_urlencoded::to_string(&query).expect("pairs encode"))
        };
        let kept = without_token(&address);
        prop_assert!(kept.starts_with(path.as_str()));
        if let Some((_, q)) = kept.split_once('?') {
            for pair in q.split('&') {
                let name = pair.split('=').next().unwrap_or_default();
                prop_assert!(!name.eq_ignore_ascii_case("csrf"), "{:?} kept {:?}", address, kept);
            }
        }
    }
}
