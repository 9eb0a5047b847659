//! Control characters in what visitors send: every query parameter and urlencoded form field is
//! checked here (from `context::middleware`), the application form's multipart fields where they
//! are read; a refused request is answered with the fields named and their values shown.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::page::Page;
use kezek_core::domain::text::{forbidden_char, visible, without_forbidden};

/// The fields written in a `<textarea>`: they may hold tabs and line breaks.
const MULTILINE_FIELDS: &[&str] = &["answer", "description", "reason", "text"];

/// Secrets are never sent back to the browser (as in `page::FormState`).
const SECRETS: &[&str] = &["csrf", "password", "password2", "current_password"];

/// Fields checked by rules of their own: `back` is a redirect address (`page::local_path`
/// refuses any control character in it and leads home), `csrf` is compared as a secret, and
/// passwords are only ever hashed — one set before this rule existed must still log in.
const CHECKED_ELSEWHERE: &[&str] = &["back", "csrf", "password", "password2", "current_password"];

/// Whether the field `name` is left to a rule of its own (see `CHECKED_ELSEWHERE`).
pub fn checked_elsewhere(name: &str) -> bool {
    CHECKED_ELSEWHERE.contains(&name)
}

pub fn multiline(name: &str) -> bool {
    MULTILINE_FIELDS.contains(&name)
}

/// The fields of `pairs` (names and values) holding a character no such field may hold.
pub fn refused(pairs: &[(String, String)]) -> Vec<&(String, String)> {
    pairs
        .iter()
        .filter(|(name, value)| {
            forbidden_char(name, false).is_some()
                || (!checked_elsewhere(name) && forbidden_char(value, multiline(name)).is_some())
        })
        .collect()
}

/// The name and value pairs of a query string or an urlencoded body; nothing when it is no
/// such thing (the handler's own extractor then refuses it).
pub fn pairs(encoded: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(encoded).unwrap_or_default()
}

pub struct RefusedField {
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "refused_text.html")]
struct RefusedTemplate<'a> {
    page: &'a Page,
    message: String,
    fields: Vec<RefusedField>,
    /// A refused form, to send again without the characters: where it posts and its fields.
    resend: Option<(String, Vec<(String, String)>)>,
}

/// What the refusal of a posted form offers: the same form, to its own address, every field
/// (but the secrets) without the refused characters, so nothing typed is lost.
pub struct Resend<'a> {
    pub action: &'a str,
    pub fields: &'a [(String, String)],
}

/// The page that refuses `fields`: each by its label (the form's `label-…` message) and the
/// value as sent, control characters written as their codes; its links lead back to `back`.
pub fn refusal(
    mut page: Page,
    status: StatusCode,
    message_key: &str,
    fields: &[&(String, String)],
    back: &str,
    resend: Option<Resend<'_>>,
) -> Response {
    // The address sent may be the one refused: the switchers and the way back use `back`.
    page.ctx.path = back.to_owned();
    let page = page.titled("error-title");
    let fields = fields
        .iter()
        .map(|(name, value)| {
            let key = format!("label-{}", name.replace('_', "-"));
            RefusedField {
                label: if page.app.i18n.has(page.lang(), &key) {
                    page.t(&key)
                } else {
                    visible(name)
                },
                value: visible(value),
            }
        })
        .collect();
    let resend = resend.map(|r| {
        let kept = r
            .fields
            .iter()
            .filter(|(name, _)| !SECRETS.contains(&name.as_str()))
            .map(|(name, value)| {
                (
                    without_forbidden(name, false),
                    without_forbidden(value, multiline(name)),
                )
            })
            .filter(|(name, _)| !name.is_empty())
            .collect();
        (r.action.to_owned(), kept)
    });
    let template = RefusedTemplate {
        message: page.t(message_key),
        page: &page,
        fields,
        resend,
    };
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "the refused-text page failed to render");
            (status, "Control characters are not allowed").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_but_addresses_and_tokens_is_checked() {
        let sent =
            pairs(b"name_ru=%D0%91%00&text=a%0D%0Ab&back=%2F%00&csrf=%01&%07=x&address=a%09b&password=a%09b");
        let names: Vec<&str> = refused(&sent).iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["name_ru", "\u{7}", "address"]);
        assert!(pairs(b"%ZZ=%").len() <= 1);
    }

    /// A `<textarea>` left out of the list would refuse every line break typed in it (an
    /// organization's description was).
    #[test]
    fn every_textarea_of_the_templates_may_hold_line_breaks() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let html = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let names = html
                .split("<textarea")
                .skip(1)
                .filter_map(|tag| tag.split_once("name=\"").map(|(_, rest)| rest))
                .chain(html.split("m::textarea(form, \"").skip(1))
                .filter_map(|rest| rest.split('"').next())
                .filter(|name| !name.contains('{'));
            for name in names {
                seen += 1;
                assert!(
                    multiline(name),
                    "the textarea `{name}` is not in MULTILINE_FIELDS"
                );
            }
        }
        assert!(seen >= 5, "the templates' textareas were found ({seen})");
    }
}
