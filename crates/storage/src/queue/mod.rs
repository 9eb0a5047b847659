//! The queue as the database holds it: the statements over one partition's waiting
//! applications (its counts, pages, a standing, its history), for many partitions at once in
//! `standings`, and the groups' queues a free place is given from in `candidates`.

use sqlx::{AssertSqlSafe, FromRow};

use kezek_domain::queue::Category;

use crate::applications::QueueKeyColumns;
use crate::{Error, Executor};

pub mod candidates;
pub mod standings;

/// One queue as the statements select it: children of one birth year waiting for one kind of
/// group (stored code) and correction type, for one organization or in one locality.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice<'a> {
    pub kind: &'a str,
    pub correction_type: Option<&'a str>,
    pub birth_year: i64,
    pub scope: Scope<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    Organization(i64),
    /// The significant digits of a KATO unit: applications anywhere under it.
    Locality(&'a str),
}

enum Arg {
    Int(i64),
    Text(String),
}

macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut q = $query;
        for arg in $args {
            q = match arg {
                Arg::Int(v) => q.bind(*v),
                Arg::Text(s) => q.bind(s.clone()),
            };
        }
        q
    }};
}
use bind_args;

impl Slice<'_> {
    /// `FROM … WHERE …` selecting the waiting applications `a` of the partition, and its binds.
    fn sql_source(&self) -> (String, Vec<Arg>) {
        self.sql_source_from(1)
    }

    /// As `sql_source`, its binds numbered from `$first` (to join several partitions in one
    /// statement).
    fn sql_source_from(&self, first: usize) -> (String, Vec<Arg>) {
        let p = |k: usize| format!("${}", first + k - 1);
        let mut args = vec![Arg::Text(self.kind.to_owned()), Arg::Int(self.birth_year)];
        let mut sql = match &self.scope {
            Scope::Organization(id) => {
                args.push(Arg::Int(*id));
                // CROSS JOIN keeps SQLite starting from the organization's preferences (a few
                // hundred rows) instead of scanning every queued application of the kind.
                format!(
                    "FROM application_preferences p CROSS JOIN applications a
                 WHERE a.id = p.application_id AND p.kind = {} AND p.birth_year = {} AND p.organization_id = {}",
                    p(1),
                    p(2),
                    p(3)
                )
            }
            Scope::Locality(prefix) => {
                // KATO codes are digits: the unit and everything under it is one index range.
                args.push(Arg::Text(format!("{prefix:0<9}")));
                args.push(Arg::Text(format!("{prefix:9<9}")));
                format!(
                    "FROM applications a WHERE a.kind = {} AND a.birth_year = {} AND a.kato >= {} AND a.kato <= {}",
                    p(1),
                    p(2),
                    p(3),
                    p(4)
                )
            }
        };
        sql.push_str(" AND a.status = 'queued'");
        // The preferences' copy of the correction type keeps the organization's queue in its index.
        let table = match &self.scope {
            Scope::Organization(_) => "p",
            Scope::Locality(_) => "a",
        };
        match &self.correction_type {
            Some(c) => {
                args.push(Arg::Text((*c).to_owned()));
                sql.push_str(&format!(" AND {table}.correction_type = {}", p(args.len())));
            }
            None => sql.push_str(&format!(" AND {table}.correction_type IS NULL")),
        }
        (sql, args)
    }

    fn next_param(args: &[Arg]) -> usize {
        args.len() + 1
    }

    /// `FROM … WHERE …` joining the events `e` that changed the partition's queue to every
    /// application `a` that ever was in it, whatever its status now; binds from `$first`.
    fn sql_history_from(&self, first: usize) -> (String, Vec<Arg>) {
        let (from_where, args) = self.sql_source_from(first);
        let members = from_where.replace(" AND a.status = 'queued'", "");
        let sql = format!(
            "{} AND e.event IN ({QUEUE_EVENTS})",
            members.replacen(
                "WHERE",
                "JOIN application_events e ON e.application_id = a.id WHERE",
                1
            )
        );
        (sql, args)
    }
}

/// Events that change the queue, as the history replays them. A direction takes the child out of
/// the queue; a refused, expired or returned one brings it back (at `queue_at` in the detail).
const QUEUE_EVENTS: &str = "'submitted', 'privilege_approved', 'registry_status_applied', \
    'direction_issued', 'deleted', 'direction_refused', 'direction_expired', 'direction_returned'";

/// How many of one category wait in a partition.
#[derive(Debug, Clone, FromRow)]
pub struct Waiting {
    #[sqlx(try_from = "String")]
    pub category: Category,
    pub waiting: i64,
}

/// How many wait in the partition, per category; an unknown stored category is an error.
pub async fn counts(e: impl Executor<'_>, slice: &Slice<'_>) -> Result<Vec<Waiting>, Error> {
    let (from_where, args) = slice.sql_source();
    let sql = format!("SELECT a.category, COUNT(*) AS waiting {from_where} GROUP BY a.category");
    bind_args!(sqlx::query_as(AssertSqlSafe(sql)), &args)
        .fetch_all(e)
        .await
}

/// How many of `category` are ahead of (`queue_at`, `id`) in the partition.
pub async fn index_in_category(
    e: impl Executor<'_>,
    slice: &Slice<'_>,
    category: Category,
    queue_at: i64,
    id: i64,
) -> Result<i64, Error> {
    let (from_where, mut args) = slice.sql_source();
    let n = Slice::next_param(&args);
    let sql = format!(
        "SELECT COUNT(*) {from_where} AND a.category = ${n}
         AND (a.queue_at < ${} OR (a.queue_at = ${} AND a.id < ${}))",
        n + 1,
        n + 1,
        n + 2
    );
    args.push(Arg::Text(category.as_str().to_owned()));
    args.push(Arg::Int(queue_at));
    args.push(Arg::Int(id));
    bind_args!(sqlx::query_scalar(AssertSqlSafe(sql)), &args)
        .fetch_one(e)
        .await
}

/// A line of the public queue as stored, with the child's names.
#[derive(Debug, Clone, FromRow)]
pub struct LineRow {
    pub id: i64,
    pub number: Option<String>,
    pub last_name: String,
    pub first_name: String,
    pub registered_at: i64,
    pub stop_until: Option<i64>,
    pub privilege_verification: Option<String>,
    pub parent_user_id: i64,
}

/// The `limit` waiting applications of `category` from its `offset`-th (0-based), in queue
/// order.
pub async fn lines(
    e: impl Executor<'_>,
    slice: &Slice<'_>,
    category: Category,
    limit: i64,
    offset: i64,
) -> Result<Vec<LineRow>, Error> {
    let (from_where, mut args) = slice.sql_source();
    let n = Slice::next_param(&args);
    // The page's ids first (one index range), then their rows and children.
    let sql = format!(
        "SELECT a.id, a.number, c.last_name, c.first_name, a.registered_at, a.stop_until,
                a.privilege_verification, a.parent_user_id
         FROM applications a JOIN children c ON c.id = a.child_id
         WHERE a.id IN (SELECT a.id {from_where} AND a.category = ${n}
                        ORDER BY a.queue_at, a.id LIMIT ${} OFFSET ${})
         ORDER BY a.queue_at, a.id",
        n + 1,
        n + 2
    );
    args.push(Arg::Text(category.as_str().to_owned()));
    args.push(Arg::Int(limit));
    args.push(Arg::Int(offset));
    bind_args!(sqlx::query_as(AssertSqlSafe(sql)), &args)
        .fetch_all(e)
        .await
}

/// The active organizations under the KATO unit `kato_prefix` with an active group of `kind`
/// (and `correction_type`), as (id, name in Kazakh, in Russian) by Russian name.
pub async fn organizations(
    e: impl Executor<'_>,
    kato_prefix: &str,
    kind: &str,
    correction_type: Option<&str>,
) -> Result<Vec<(i64, String, String)>, Error> {
    sqlx::query_as(
        "SELECT DISTINCT o.id, o.name_kk, o.name_ru FROM organizations o
         JOIN org_groups g ON g.organization_id = o.id
         WHERE o.active = 1 AND g.active = 1 AND o.kato >= $1 AND o.kato <= $2 AND g.kind = $3
           AND ($4 = '' OR g.correction_type = $4)
         ORDER BY o.name_ru, o.id",
    )
    .bind(format!("{kato_prefix:0<9}"))
    .bind(format!("{kato_prefix:9<9}"))
    .bind(kind.to_owned())
    .bind(correction_type.unwrap_or_default().to_owned())
    .fetch_all(e)
    .await
}

/// What decides the application's place in its queues.
pub async fn key(
    e: impl Executor<'_>,
    application_id: i64,
) -> Result<Option<QueueKeyColumns>, Error> {
    sqlx::query_as(
        "SELECT id, kind, correction_type, birth_year, category, queue_at, status, kato, region_code
         FROM applications WHERE id = $1",
    )
    .bind(application_id)
    .fetch_optional(e)
    .await
}

/// An event of a partition's history, with the category and registration of its application.
#[derive(Debug, Clone, FromRow)]
pub struct HistoryRow {
    pub application_id: i64,
    pub at: i64,
    pub event: String,
    pub detail: Option<String>,
    #[sqlx(try_from = "String")]
    pub category: Category,
    pub registered_at: i64,
}

/// Every event that changed the partition's queue, from the start, in the order they happened.
pub async fn history(e: impl Executor<'_>, slice: &Slice<'_>) -> Result<Vec<HistoryRow>, Error> {
    let (source, args) = slice.sql_history_from(1);
    let sql = format!(
        "SELECT e.application_id, e.at, e.event, e.detail, a.category, a.registered_at
         {source} ORDER BY e.at, e.id"
    );
    bind_args!(sqlx::query_as(AssertSqlSafe(sql)), &args)
        .fetch_all(e)
        .await
}

/// The organizations the application listed, in its order, as (id, name in Kazakh, in Russian).
pub async fn choices(
    e: impl Executor<'_>,
    application_id: i64,
) -> Result<Vec<(i64, String, String)>, Error> {
    sqlx::query_as(
        "SELECT o.id, o.name_kk, o.name_ru FROM application_preferences p
         JOIN organizations o ON o.id = p.organization_id
         WHERE p.application_id = $1 ORDER BY p.position",
    )
    .bind(application_id)
    .fetch_all(e)
    .await
}
