//! Notifications in the cabinet ("the bell"): short notices left for a user by the events that
//! concern them, listed newest first and marked as read by their reader.
//!
//! A notice is stored as a Fluent key with its arguments, never as text, so it reads in the
//! language the user has chosen on the site when they look, not the one of the moment it was
//! written. Notices are written in the same transaction as the event that causes them; an event
//! that also texts the parent uses [`notify_with_sms`], which leaves the notice and queues the
//! SMS together, so "every SMS to a parent also leaves a notice" holds by construction.

use fluent_bundle::FluentValue;
use serde_json::{Map, Value};

use crate::db::notifications as store;
use crate::db::{Db, Tx};
use crate::domain::Phone;
use crate::i18n::{I18n, Lang};
use crate::outbox;

/// What SMS texts in the catalogues start with, so the recipient knows who writes. In the
/// cabinet the site itself is the sender, so the list leaves it out.
const SMS_SIGNATURE: &str = "Kezek:";

#[derive(Debug, thiserror::Error)]
pub enum NotificationError {
    /// No such notice, or it belongs to someone else (the two are not told apart).
    #[error("no such notification")]
    NotFound,
    #[error(transparent)]
    Db(#[from] crate::db::Error),
}

#[derive(Debug, Clone)]
pub struct Notification {
    pub id: i64,
    pub user_id: i64,
    pub created_at: i64,
    pub message_key: String,
    /// JSON object of the Fluent arguments.
    pub args: String,
    pub link: Option<String>,
    pub read_at: Option<i64>,
}

impl From<store::NotificationRow> for Notification {
    fn from(r: store::NotificationRow) -> Notification {
        Notification {
            id: r.id,
            user_id: r.user_id,
            created_at: r.created_at,
            message_key: r.message_key,
            args: r.args,
            link: r.link,
            read_at: r.read_at,
        }
    }
}

impl Notification {
    pub fn is_unread(&self) -> bool {
        self.read_at.is_none()
    }

    /// The notice in `lang`, as the cabinet shows it (without the SMS signature).
    pub fn text(&self, i18n: &I18n, lang: Lang) -> String {
        let text = render(i18n, lang, &self.message_key, &self.args);
        match text.strip_prefix(SMS_SIGNATURE) {
            Some(rest) => rest.trim_start().to_owned(),
            None => text,
        }
    }

    /// The link, if it still is a path on this site (stored rows are never trusted blindly).
    pub fn local_link(&self) -> Option<&str> {
        self.link.as_deref().filter(|l| is_local_path(l))
    }
}

/// A path on this site: `/…`, but not `//host…` or `/\host…`, which browsers take for
/// another site; no control characters.
fn is_local_path(link: &str) -> bool {
    link.starts_with('/')
        && !link.starts_with("//")
        && !link.starts_with("/\\")
        && !link.chars().any(char::is_control)
}

fn args_json(args: &[(&str, String)]) -> String {
    let map: Map<String, Value> = args
        .iter()
        .map(|(name, value)| ((*name).to_owned(), Value::String(value.clone())))
        .collect();
    Value::Object(map).to_string()
}

/// A stored key and its JSON arguments as text in `lang`. Numbers stay numbers, so Fluent
/// can choose plural forms by them.
pub fn render(i18n: &I18n, lang: Lang, key: &str, args_json: &str) -> String {
    let map = match serde_json::from_str::<Map<String, Value>>(args_json) {
        Ok(map) => map,
        Err(e) => {
            tracing::error!(key, error = %e, "notification arguments are not a JSON object");
            Map::new()
        }
    };
    let args: Vec<(&str, FluentValue<'_>)> = map
        .iter()
        .map(|(name, value)| {
            let value = match value {
                Value::String(s) => FluentValue::from(s.as_str()),
                Value::Number(n) => n
                    .as_f64()
                    .map_or_else(|| FluentValue::from(n.to_string()), FluentValue::from),
                other => FluentValue::from(other.to_string()),
            };
            (name.as_str(), value)
        })
        .collect();
    i18n.get_with(lang, key, &args)
}

/// Leaves `key` (with its arguments and an optional local path to follow) for `user_id`.
/// Returns the new notice's id.
pub async fn notify(
    tx: &mut Tx,
    user_id: i64,
    key: &str,
    args: &[(&str, String)],
    link: Option<&str>,
    now: i64,
) -> Result<i64, crate::db::Error> {
    let link = link.filter(|l| {
        // A link elsewhere would turn a notice into a phishing vector; callers pass our paths.
        let local = is_local_path(l);
        if !local {
            tracing::error!(
                key,
                link = l,
                "a notification link is not a local path; dropped"
            );
        }
        local
    });
    store::insert(&mut **tx, user_id, key, args_json(args), link, now).await
}

/// Leaves the notice and queues the same message as an SMS to `phone`, rendered in `lang`,
/// in the caller's transaction: either both happen or neither. The catalogue texts of such
/// keys start with "Kezek:" for the SMS. After committing, the caller rings
/// `app.sms_wakeup` so the relay sends at once.
#[allow(clippy::too_many_arguments)] // one flat call that every SMS-sending event makes
pub async fn notify_with_sms(
    tx: &mut Tx,
    user_id: i64,
    phone: &Phone,
    lang: Lang,
    i18n: &I18n,
    key: &str,
    args: &[(&str, String)],
    link: Option<&str>,
    now: i64,
) -> Result<i64, crate::db::Error> {
    let id = notify(tx, user_id, key, args, link, now).await?;
    let text = render(i18n, lang, key, &args_json(args));
    outbox::enqueue(tx, phone, &text, now).await?;
    Ok(id)
}

/// A notice for `notify_many`, with its SMS when the user has a phone to send it to.
pub struct NewNotice {
    pub user_id: i64,
    pub sms_to: Option<Phone>,
    pub lang: Lang,
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    pub link: Option<String>,
}

/// Leaves many notices and their SMS with multi-row statements, in the caller's transaction.
pub async fn notify_many(
    tx: &mut Tx,
    i18n: &I18n,
    notices: &[NewNotice],
    now: i64,
) -> Result<(), crate::db::Error> {
    let rows: Vec<store::NewNotification> = notices
        .iter()
        .map(|n| store::NewNotification {
            user_id: n.user_id,
            key: n.key,
            args: args_json(&n.args),
            link: n.link.clone().filter(|l| is_local_path(l)),
        })
        .collect();
    store::insert_many(tx, &rows, now).await?;
    let messages: Vec<(Phone, String)> = notices
        .iter()
        .filter_map(|n| {
            let to = n.sms_to.clone()?;
            Some((to, render(i18n, n.lang, n.key, &args_json(&n.args))))
        })
        .collect();
    outbox::enqueue_many(tx, &messages, now).await
}

/// How many notices `user_id` has not read: what the bell shows.
pub async fn unread_count(db: &Db, user_id: i64) -> Result<i64, crate::db::Error> {
    store::unread_count(db.pool(), user_id).await
}

/// A page of `user_id`'s notices, newest first.
pub async fn list(
    db: &Db,
    user_id: i64,
    offset: i64,
    limit: i64,
) -> Result<Vec<Notification>, crate::db::Error> {
    let rows = store::list(db.pool(), user_id, offset, limit).await?;
    Ok(rows.into_iter().map(Notification::from).collect())
}

/// Marks one of `user_id`'s notices as read (again is fine: the first time is kept).
/// Someone else's notice is `NotFound`, exactly like one that does not exist.
pub async fn mark_read(db: &Db, user_id: i64, id: i64, now: i64) -> Result<(), NotificationError> {
    if store::mark_read(db.pool(), user_id, id, now).await? == 0 {
        return Err(NotificationError::NotFound);
    }
    Ok(())
}

/// Marks every unread notice of `user_id` as read; returns how many there were.
pub async fn mark_all_read(db: &Db, user_id: i64, now: i64) -> Result<u64, crate::db::Error> {
    store::mark_all_read(db.pool(), user_id, now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notice(key: &str, args: &[(&str, String)], link: Option<&str>) -> Notification {
        Notification {
            id: 1,
            user_id: 1,
            created_at: 0,
            message_key: key.to_owned(),
            args: args_json(args),
            link: link.map(str::to_owned),
            read_at: None,
        }
    }

    #[test]
    fn arguments_travel_as_a_json_object() {
        let json = args_json(&[("phone", "+7 705 *** ** 22".into()), ("n", "3".into())]);
        let back: Map<String, Value> = serde_json::from_str(&json).unwrap();
        assert_eq!(back["phone"], "+7 705 *** ** 22");
        assert_eq!(back["n"], "3");
        assert_eq!(args_json(&[]), "{}");
    }

    #[test]
    fn a_notice_reads_in_the_readers_language_without_the_sms_signature() {
        let i18n = I18n::new();
        let n = notice(
            "notifications-phone-changed",
            &[("phone", "+7 705 *** ** 22".into())],
            None,
        );
        let ru = n.text(&i18n, Lang::Ru);
        let kk = n.text(&i18n, Lang::Kk);
        let en = n.text(&i18n, Lang::En);
        for text in [&ru, &kk, &en] {
            assert!(text.contains("+7 705 *** ** 22"), "{text}");
        }
        assert!(ru != kk && kk != en && ru != en);

        // An SMS key keeps its signature in the SMS and loses it in the cabinet.
        let args = args_json(&[("phone", "+7 705 *** ** 22".into())]);
        let sms = render(&i18n, Lang::Ru, "sms-phone-changed", &args);
        assert!(sms.starts_with(SMS_SIGNATURE), "{sms}");
        let shown = notice(
            "sms-phone-changed",
            &[("phone", "+7 705 *** ** 22".into())],
            None,
        )
        .text(&i18n, Lang::Ru);
        assert!(
            !shown.starts_with(SMS_SIGNATURE) && sms.ends_with(&shown),
            "{shown}"
        );
    }

    #[test]
    fn numbers_in_stored_arguments_choose_plural_forms() {
        let i18n = I18n::new();
        let one = render(
            &i18n,
            Lang::Ru,
            "notifications-unread-summary",
            r#"{"count":1}"#,
        );
        let five = render(
            &i18n,
            Lang::Ru,
            "notifications-unread-summary",
            r#"{"count":5}"#,
        );
        assert_ne!(
            one.replace('1', ""),
            five.replace('5', ""),
            "{one} / {five}"
        );
    }

    #[test]
    fn broken_arguments_still_show_the_message() {
        let i18n = I18n::new();
        let text = render(&i18n, Lang::En, "notifications-title", "not json");
        assert_eq!(text, i18n.get(Lang::En, "notifications-title"));
    }

    #[test]
    fn only_local_paths_are_links() {
        for ok in ["/cabinet", "/applications/12?x=1", "/"] {
            assert!(is_local_path(ok), "{ok}");
        }
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/a\nb",
            "",
        ] {
            assert!(!is_local_path(bad), "{bad:?}");
        }
        assert_eq!(notice("k", &[], Some("//evil.example")).local_link(), None);
    }
}
