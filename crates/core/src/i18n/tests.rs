//! Every key exists in every language, and every key the code and templates use exists.

use std::collections::BTreeSet;
use std::path::Path;

use super::{I18n, Lang};

fn keys(lang: Lang) -> BTreeSet<String> {
    I18n::keys(lang).into_iter().collect()
}

#[test]
fn every_language_has_every_key() {
    let all: BTreeSet<String> = Lang::ALL.iter().flat_map(|l| keys(*l)).collect();
    for lang in Lang::ALL {
        let have = keys(lang);
        let missing: Vec<_> = all.difference(&have).collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
    }
}

/// Keys written in the sources: the string argument of `t(`, `t1(`, `i18n.get(lang, …)`,
/// `titled(`, `error(` and flash redirects, and the `=> "…-…"` arms of `message_key` functions.
fn keys_used_in(dir: &Path, found: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            keys_used_in(&path, found);
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for (i, _) in text.match_indices('"') {
            let before = &text[..i];
            let rest = &text[i + 1..];
            let Some(end) = rest.find('"') else { continue };
            let candidate = &rest[..end];
            let is_key = !candidate.is_empty()
                && candidate.contains('-')
                && candidate
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !is_key {
                continue;
            }
            let trimmed = before.trim_end();
            let called = [".t(", ".t1(", ".titled(", ".error(", "=>"]
                .iter()
                .any(|p| trimmed.ends_with(p))
                || trimmed.ends_with("lang,")
                || trimmed.ends_with("StatusCode::FORBIDDEN,")
                || trimmed.ends_with("StatusCode::NOT_FOUND,")
                || trimmed.ends_with("StatusCode::INTERNAL_SERVER_ERROR,")
                || (trimmed.ends_with(',')
                    && before
                        .rfind("see_other_with_flash(")
                        .is_some_and(|p| i - p < 120));
            // Field-error keys travel as plain tuples: recognise them by their shape.
            let called = called || (candidate.contains("-error-") && !candidate.starts_with('-'));
            if called && !candidate.starts_with("kezek") {
                found.insert(candidate.to_owned());
            }
        }
    }
}

#[test]
fn every_key_used_exists() {
    // The catalogues serve this crate's texts (messages, errors) and kezek-web's pages.
    let core = Path::new(env!("CARGO_MANIFEST_DIR"));
    let web = core.join("../web");
    let mut used = BTreeSet::new();
    for dir in [core.join("src"), web.join("src"), web.join("templates")] {
        assert!(dir.is_dir(), "{} is not a folder", dir.display());
        keys_used_in(&dir, &mut used);
    }
    assert!(used.len() > 80, "the scan found too few keys: {used:?}");
    let known = keys(Lang::Ru);
    let missing: Vec<_> = used.difference(&known).collect();
    assert!(
        missing.is_empty(),
        "used but not in the catalogues: {missing:?}"
    );
}

#[test]
fn russian_plurals_follow_the_rules() {
    use fluent_bundle::FluentValue;
    let i18n = I18n::new();
    let wrong = |n: i64| {
        i18n.get_with(
            Lang::Ru,
            "code-error-wrong",
            &[("attempts", FluentValue::from(n))],
        )
    };
    assert!(wrong(1).contains("1 попытка"), "{}", wrong(1));
    assert!(wrong(3).contains("3 попытки"), "{}", wrong(3));
    assert!(wrong(5).contains("5 попыток"), "{}", wrong(5));
    let kk = i18n.get_with(
        Lang::Kk,
        "code-error-wrong",
        &[("attempts", FluentValue::from(2))],
    );
    assert!(kk.contains("2 әрекет"), "{kk}");
}

#[test]
fn the_russian_interface_uses_the_guide_wording() {
    let i18n = I18n::new();
    for (key, text) in [
        ("nav-register", "Регистрация"),
        ("nav-login", "Вход"),
        ("button-login", "Войти в систему"),
        ("link-forgot-password", "Забыли пароль?"),
        ("button-request-code", "Запросить код"),
        ("button-send", "Отправить"),
        ("button-save", "Сохранить"),
        ("button-check-iin", "Проверить ИИН"),
    ] {
        assert_eq!(i18n.get(Lang::Ru, key), text);
    }
}

#[test]
fn a_parent_is_written_to_in_their_site_language_then_the_applications() {
    assert_eq!(Lang::of_parent(Some("en"), "kk"), Lang::En);
    assert_eq!(Lang::of_parent(None, "kk"), Lang::Kk);
    assert_eq!(Lang::of_parent(Some("xx"), "kk"), Lang::Kk);
    assert_eq!(Lang::of_parent(None, "tt"), Lang::Ru);
}

#[test]
fn accept_language_picks_the_preferred_supported_language() {
    assert_eq!(Lang::from_accept_language("kk-KZ,ru;q=0.8"), Some(Lang::Kk));
    assert_eq!(
        Lang::from_accept_language("de-DE,en;q=0.5,ru;q=0.9"),
        Some(Lang::Ru)
    );
    assert_eq!(Lang::from_accept_language("de,fr"), None);
    assert_eq!(Lang::from_accept_language("ru;q=0,en"), Some(Lang::En));
}
