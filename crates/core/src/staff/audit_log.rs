//! Reading the audit log for administrators: newest first, filtered, paged by id so that
//! entries written meanwhile never shift a page.

use crate::db::Executor;
use crate::db::audit::Side;
use crate::domain::Phone;

pub const PAGE_SIZE: i64 = 50;

pub use crate::db::audit::AuditRow;

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// e.g. `staff.` or `auth.login`
    pub action_prefix: String,
    /// The exact subject; a phone number is matched in any common spelling.
    pub subject: String,
}

/// Which page to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    Newest,
    /// Entries older than this id.
    Before(i64),
    /// Entries newer than this id (the page just above it).
    After(i64),
}

#[derive(Debug, Clone)]
pub struct AuditPage {
    /// Newest first.
    pub entries: Vec<AuditRow>,
    /// The cursor for `Cursor::Before` when older entries exist.
    pub older: Option<i64>,
    /// The cursor for `Cursor::After` when newer entries exist.
    pub newer: Option<i64>,
}

/// Phones are stored in E.164; an administrator may type them as on a business card.
fn subject_value(subject: &str) -> String {
    let subject = subject.trim();
    if (subject.starts_with('+') || subject.starts_with('8'))
        && let Ok(phone) = Phone::parse(subject)
    {
        return phone.as_e164().to_owned();
    }
    subject.to_owned()
}

async fn fetch(
    e: impl Executor<'_>,
    filter: &AuditFilter,
    side: Side,
    id: i64,
    limit: i64,
) -> Result<Vec<AuditRow>, crate::db::Error> {
    let subject = subject_value(&filter.subject);
    crate::db::audit::entries(e, &filter.action_prefix, &subject, side, id, limit).await
}

async fn any_beyond(
    e: impl Executor<'_>,
    filter: &AuditFilter,
    side: Side,
    id: i64,
) -> Result<bool, crate::db::Error> {
    let subject = subject_value(&filter.subject);
    crate::db::audit::any_beyond(e, &filter.action_prefix, &subject, side, id).await
}

pub async fn page(
    pool: impl Executor<'_> + Copy,
    filter: &AuditFilter,
    cursor: Cursor,
    limit: i64,
) -> Result<AuditPage, crate::db::Error> {
    let mut entries = match cursor {
        Cursor::Newest => fetch(pool, filter, Side::Older, i64::MAX, limit).await?,
        Cursor::Before(id) => fetch(pool, filter, Side::Older, id, limit).await?,
        Cursor::After(id) => {
            let mut rows = fetch(pool, filter, Side::Newer, id, limit).await?;
            rows.reverse();
            rows
        }
    };
    entries.truncate(limit as usize);
    let (older, newer) = match (entries.first(), entries.last()) {
        (Some(first), Some(last)) => (
            any_beyond(pool, filter, Side::Older, last.id)
                .await?
                .then_some(last.id),
            any_beyond(pool, filter, Side::Newer, first.id)
                .await?
                .then_some(first.id),
        ),
        _ => (None, None),
    };
    Ok(AuditPage {
        entries,
        older,
        newer,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn phones_are_matched_as_stored() {
        assert_eq!(super::subject_value("+7 700 100 00 90"), "+77001000090");
        assert_eq!(super::subject_value("language:uz"), "language:uz");
    }
}
