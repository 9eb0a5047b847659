//! The queue as the database holds it: a partition's counts per category, pages of the ordered
//! queue, a parent's standing and its history (for many applications at once in `standings`),
//! and the next application a free place goes to. The order itself is `domain::queue`; here each
//! category is one index range read in order.

use crate::db::Executor;
use crate::db::queue as db;
use crate::domain::application::{ApplicationStatus, Verification};
use crate::domain::queue::{
    Ahead, Category, Change, Counts, PositionChange, QueueEvent, QueueRules,
};
use crate::orgs::GroupKind;

use crate::db::queue::{HistoryRow, LineRow};

/// One queue: children of one birth year waiting for one kind of group (and correction type),
/// either for one organization they listed or in one locality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partition {
    pub kind: GroupKind,
    pub correction_type: Option<String>,
    pub birth_year: i64,
    pub scope: Scope,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Organization(i64),
    /// The significant digits of a KATO unit (`Kato::prefix`): applications anywhere under it.
    Locality(String),
}

mod candidates;
mod standings;
pub use candidates::{Candidate, Taken, Waiting, group_queues, next_candidate, pick, refused};
pub use standings::{OwnPosition, Place, at_choices, histories, own_positions, standings};

impl Partition {
    /// The partition as the statements select it.
    fn slice(&self) -> db::Slice<'_> {
        db::Slice {
            kind: self.kind.as_str(),
            correction_type: self.correction_type.as_deref(),
            birth_year: self.birth_year,
            scope: match &self.scope {
                Scope::Organization(id) => db::Scope::Organization(*id),
                Scope::Locality(prefix) => db::Scope::Locality(prefix),
            },
        }
    }
}

/// How many wait in each category.
pub async fn counts(
    ex: impl Executor<'_>,
    partition: &Partition,
) -> Result<Counts, crate::db::Error> {
    let rows = db::counts(ex, &partition.slice()).await?;
    let mut counts = Counts::default();
    for row in rows {
        count_waiting(&mut counts, row.category, row.waiting);
    }
    Ok(counts)
}

/// Adds `n` waiting applications of `category` to `counts`.
fn count_waiting(counts: &mut Counts, category: Category, n: i64) {
    let n = n.max(0) as u64;
    match category {
        Category::Extraordinary => counts.extraordinary += n,
        Category::FirstPriority => counts.first_priority += n,
        Category::General => counts.general += n,
    }
}

/// How many of `category` are ahead of (`queue_at`, `id`) in the partition.
async fn index_in_category(
    ex: impl Executor<'_>,
    partition: &Partition,
    category: Category,
    queue_at: i64,
    id: i64,
) -> Result<u64, crate::db::Error> {
    let count = db::index_in_category(ex, &partition.slice(), category, queue_at, id).await?;
    Ok(count.max(0) as u64)
}

/// Whether the line's claim still waits for a decision; a verification state no variant names is
/// a decode error.
fn claim_pending(row: &LineRow) -> Result<bool, crate::db::Error> {
    let Some(code) = row.privilege_verification.clone() else {
        return Ok(false);
    };
    let state = Verification::try_from(code).map_err(|e| crate::db::Error::ColumnDecode {
        index: "privilege_verification".to_owned(),
        source: Box::new(e),
    })?;
    Ok(state == Verification::Pending)
}

/// One line of the public queue: nothing that names the child in full.
#[derive(Debug, Clone)]
pub struct QueueLine {
    /// 1-based.
    pub position: u64,
    pub application_id: i64,
    pub number: String,
    pub child_masked: String,
    pub registered_at: i64,
    pub category: Category,
    /// Unix seconds until which the child is skipped by directions.
    pub stop_until: Option<i64>,
    /// A claim still waits for the department's decision (it counts only once approved).
    pub claim_pending: bool,
    pub parent_user_id: i64,
}

/// The queue at positions `offset..offset + limit` (0-based offset), with the partition's counts.
pub async fn page(
    ex: &mut crate::db::Conn,
    partition: &Partition,
    rules: &QueueRules,
    offset: u64,
    limit: u64,
) -> Result<(Counts, Vec<QueueLine>), crate::db::Error> {
    let counts = counts(&mut *ex, partition).await?;
    let slots = rules.slots(&counts, offset, limit);
    let mut lines = Vec::with_capacity(slots.len());
    let mut fetched: Vec<(Category, u64, Vec<LineRow>)> = Vec::new();
    for category in Category::ALL {
        let indexes: Vec<u64> = slots
            .iter()
            .filter(|(c, _)| *c == category)
            .map(|(_, i)| *i)
            .collect();
        let (Some(first), Some(last)) = (indexes.iter().min(), indexes.iter().max()) else {
            continue;
        };
        let rows = db::lines(
            &mut *ex,
            &partition.slice(),
            category,
            (last - first + 1) as i64,
            *first as i64,
        )
        .await?;
        fetched.push((category, *first, rows));
    }
    for (i, (category, index)) in slots.into_iter().enumerate() {
        let Some((_, first, rows)) = fetched.iter().find(|(c, _, _)| *c == category) else {
            continue;
        };
        let Some(row) = rows.get((index - first) as usize) else {
            continue;
        };
        lines.push(QueueLine {
            position: offset + i as u64 + 1,
            application_id: row.id,
            number: row.number.clone().unwrap_or_default(),
            child_masked: mask_child(&row.last_name, &row.first_name),
            registered_at: row.registered_at,
            category,
            stop_until: row.stop_until,
            claim_pending: claim_pending(row)?,
            parent_user_id: row.parent_user_id,
        });
    }
    Ok((counts, lines))
}

/// The active organizations under the KATO unit `kato_prefix` (`Kato::prefix`) with an active
/// group of `kind` (and `correction_type`): those whose queues the public queue offers, as
/// (id, name in Kazakh, in Russian) by Russian name.
pub async fn organizations(
    ex: impl Executor<'_>,
    kato_prefix: &str,
    kind: GroupKind,
    correction_type: Option<&str>,
) -> Result<Vec<(i64, String, String)>, crate::db::Error> {
    db::organizations(ex, kato_prefix, kind.as_str(), correction_type).await
}

/// How the public sees a child: initials only ("Ж*** А.").
pub fn mask_child(last_name: &str, first_name: &str) -> String {
    let initial = |s: &str| {
        s.trim()
            .chars()
            .next()
            .map(|c| c.to_uppercase().to_string())
    };
    match (initial(last_name), initial(first_name)) {
        (Some(l), Some(f)) => format!("{l}*** {f}."),
        (Some(l), None) => format!("{l}***"),
        (None, Some(f)) => format!("{f}."),
        (None, None) => "***".to_owned(),
    }
}

/// What decides an application's place in its queues, as stored (category and status decoded).
pub use crate::db::applications::QueueKeyColumns as QueueKey;

/// The partition of `scope` that `key` waits in; `None` without a birth year or for a kind the
/// queue does not know.
pub fn partition_of(key: &QueueKey, scope: Scope) -> Option<Partition> {
    Some(Partition {
        kind: GroupKind::parse(&key.kind)?,
        correction_type: key.correction_type.clone(),
        birth_year: key.birth_year?,
        scope,
    })
}

pub async fn key(
    ex: impl Executor<'_>,
    application_id: i64,
) -> Result<Option<QueueKey>, crate::db::Error> {
    db::key(ex, application_id).await
}

/// Where a waiting application stands in one queue and who is ahead of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// 1-based.
    pub position: u64,
    pub total: u64,
    pub category: Category,
    pub ahead: Ahead,
}

impl Standing {
    /// The standing of the `index`-th (0-based, in queue order) of `category` in a partition
    /// holding `counts`.
    fn new(rules: &QueueRules, counts: &Counts, category: Category, index: u64) -> Standing {
        Standing {
            position: rules.position(counts, category, index) + 1,
            total: counts.extraordinary + counts.first_priority + counts.general,
            category,
            ahead: rules.ahead(counts, category, index),
        }
    }

    /// Ahead because of a higher category (or the interleave), not an earlier date.
    pub fn ahead_by_category(&self) -> u64 {
        self.ahead_total() - self.ahead_by_date()
    }

    /// Ahead in the same category: registered earlier.
    pub fn ahead_by_date(&self) -> u64 {
        match self.category {
            Category::Extraordinary => self.ahead.extraordinary,
            Category::FirstPriority => self.ahead.first_priority,
            Category::General => self.ahead.general,
        }
    }

    pub fn ahead_total(&self) -> u64 {
        self.ahead.extraordinary + self.ahead.first_priority + self.ahead.general
    }
}

/// The application's standing in `partition`; `None` unless it is waiting there.
pub async fn standing(
    ex: &mut crate::db::Conn,
    key: &QueueKey,
    partition: &Partition,
    rules: &QueueRules,
) -> Result<Option<Standing>, crate::db::Error> {
    let Some(queue_at) = key
        .queue_at
        .filter(|_| key.status == ApplicationStatus::Queued)
    else {
        return Ok(None);
    };
    let category = key.category;
    let counts = counts(&mut *ex, partition).await?;
    let index = index_in_category(&mut *ex, partition, category, queue_at, key.id).await?;
    Ok(Some(Standing::new(rules, &counts, category, index)))
}

/// The cause key shown for an event of the partition's history: one's own events and others'
/// read differently ("you were verified" / "a claim ahead was verified").
fn cause(event: &str, own: bool, category: Category) -> &'static str {
    match (event, own) {
        ("submitted", true) => "queue-cause-own-submitted",
        ("submitted", false) => match category {
            Category::Extraordinary => "queue-cause-joined-extraordinary",
            Category::FirstPriority => "queue-cause-joined-first-priority",
            Category::General => "queue-cause-joined-general",
        },
        ("privilege_approved", true) => "queue-cause-own-verified",
        ("privilege_approved", false) => "queue-cause-verified",
        ("registry_status_applied", true) => "queue-cause-own-registry",
        ("registry_status_applied", false) => "queue-cause-registry",
        ("direction_issued", true) => "queue-cause-own-direction",
        ("direction_issued", false) => "queue-cause-direction-ahead",
        ("deleted", true) => "queue-cause-own-deleted",
        ("deleted", false) => "queue-cause-deleted",
        (_, true) => "queue-cause-own-returned",
        (_, false) => "queue-cause-returned",
    }
}

/// Every change of `key`'s position in `partition`, replayed from the applications' events.
pub async fn history(
    ex: impl Executor<'_>,
    key: &QueueKey,
    partition: &Partition,
    rules: &QueueRules,
) -> Result<Vec<PositionChange>, crate::db::Error> {
    // Replay from the start: what happened before `key` joined decides where it joined.
    let rows = db::history(ex, &partition.slice()).await?;
    let events: Vec<QueueEvent> = rows.into_iter().map(|r| queue_event(r, key.id)).collect();
    Ok(rules.position_history(&events, key.id))
}

/// An event of the partition's history as the replay reads it, seen by the application `me`.
fn queue_event(r: HistoryRow, me: i64) -> QueueEvent {
    let category = r.category;
    let own = r.application_id == me;
    let queue_at_in_detail = || {
        r.detail
            .as_deref()
            .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
            .and_then(|d| d["queue_at"].as_i64())
    };
    let change = match r.event.as_str() {
        "submitted" => Change::Joined {
            category: Category::General,
            queue_at: r.registered_at,
        },
        "privilege_approved" | "registry_status_applied" => Change::Category(category),
        "direction_issued" | "deleted" => Change::Left,
        _ => Change::Joined {
            category,
            queue_at: queue_at_in_detail().unwrap_or(r.registered_at),
        },
    };
    QueueEvent {
        at: r.at,
        application_id: r.application_id,
        cause: cause(&r.event, own, category).to_owned(),
        change,
    }
}

/// An application's place in the queue of one organization it listed.
#[derive(Debug, Clone)]
pub struct OrgStanding {
    pub organization_id: i64,
    pub name_kk: String,
    pub name_ru: String,
    /// `None` while the application is not waiting (a direction is open, or it was signed).
    pub standing: Option<Standing>,
    pub history: Vec<PositionChange>,
}

/// Where an application stands in each organization it listed, in the order it listed them:
/// three statements however many it listed (see `at_choices`).
pub async fn of_application(
    db: &crate::db::Db,
    key: &QueueKey,
    rules: &QueueRules,
) -> Result<Vec<OrgStanding>, crate::db::Error> {
    let mut conn = db.pool().acquire().await?;
    let organizations = db::choices(&mut *conn, key.id).await?;
    at_choices(&mut conn, key, organizations, rules).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_sees_initials_only() {
        assert_eq!(mask_child("Жумабаев", "алихан"), "Ж*** А.");
        assert_eq!(mask_child(" ", ""), "***");
    }
}
