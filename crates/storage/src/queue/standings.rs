//! Many standings and histories in one statement each: every (application, queue) pair is one
//! arm of a `UNION ALL` over the partition source that `counts`, `index_in_category` and
//! `history` read, so the numbers are theirs.

use sqlx::{AssertSqlSafe, FromRow};

use kezek_domain::queue::Category;

use super::{Arg, HistoryRow, Slice, bind_args};
use crate::applications::QueueKeyColumns;
use crate::{Conn, Error, Executor};

/// Arms of one statement: below SQLite's limit of 500 terms in a compound SELECT and, at eight
/// binds an arm at most, far below both databases' limits on binds. A family's applications or
/// one application's choices are a handful.
const ARMS_PER_STATEMENT: usize = 100;

/// A waiting application whose standing is asked for, in its partition.
#[derive(Debug, Clone, Copy)]
pub struct Standee<'a> {
    /// Names the answer's rows.
    pub place: usize,
    pub slice: Slice<'a>,
    pub category: Category,
    pub queue_at: i64,
    pub id: i64,
}

/// The waiting applications of one category in a standee's partition.
#[derive(Debug, Clone, FromRow)]
pub struct CategoryCount {
    pub place: i64,
    #[sqlx(try_from = "String")]
    pub category: Category,
    pub waiting: i64,
    /// Of them, those ahead of the standee in its own category (0 in the others).
    pub earlier: i64,
}

/// Per standee, its partition's counts per category and how many are ahead of it in its own:
/// one statement per `ARMS_PER_STATEMENT` standees.
pub async fn category_counts(
    conn: &mut Conn,
    standees: &[Standee<'_>],
) -> Result<Vec<CategoryCount>, Error> {
    let mut out = Vec::new();
    for chunk in standees.chunks(ARMS_PER_STATEMENT) {
        let mut arms = Vec::with_capacity(chunk.len());
        let mut args = Vec::new();
        for standee in chunk {
            let i = standee.place;
            let (from_where, source_args) = standee.slice.sql_source_from(args.len() + 1);
            args.extend(source_args);
            let n = args.len() + 1;
            // `counts` and `index_in_category` in one pass over the partition.
            arms.push(format!(
                "SELECT {i} AS place, a.category AS category, COUNT(*) AS waiting,
                        SUM(CASE WHEN a.category = ${n}
                                  AND (a.queue_at < ${at} OR (a.queue_at = ${at} AND a.id < ${id}))
                                 THEN 1 ELSE 0 END) AS earlier
                 {from_where} GROUP BY a.category",
                at = n + 1,
                id = n + 2,
            ));
            args.push(Arg::Text(standee.category.as_str().to_owned()));
            args.push(Arg::Int(standee.queue_at));
            args.push(Arg::Int(standee.id));
        }
        let sql = arms.join(" UNION ALL ");
        let rows: Vec<CategoryCount> = bind_args!(sqlx::query_as(AssertSqlSafe(sql)), &args)
            .fetch_all(&mut *conn)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// An event of the partition of the `place`-th slice.
#[derive(Debug, Clone, FromRow)]
pub struct PlacedEvent {
    pub place: i64,
    pub event_id: i64,
    #[sqlx(flatten)]
    pub event: HistoryRow,
}

/// The events of each of `slices` (their `place` is the index in `slices`), as `history` reads
/// them but unordered: one statement per `ARMS_PER_STATEMENT` slices.
pub async fn histories(conn: &mut Conn, slices: &[Slice<'_>]) -> Result<Vec<PlacedEvent>, Error> {
    let mut out = Vec::new();
    for (c, chunk) in slices.chunks(ARMS_PER_STATEMENT).enumerate() {
        let mut arms = Vec::with_capacity(chunk.len());
        let mut args = Vec::new();
        for (j, slice) in chunk.iter().enumerate() {
            let i = c * ARMS_PER_STATEMENT + j;
            let (source, source_args) = slice.sql_history_from(args.len() + 1);
            args.extend(source_args);
            arms.push(format!(
                "SELECT {i} AS place, e.id AS event_id, e.application_id, e.at, e.event, e.detail,
                        a.category, a.registered_at
                 {source}"
            ));
        }
        let sql = arms.join(" UNION ALL ");
        let rows: Vec<PlacedEvent> = bind_args!(sqlx::query_as(AssertSqlSafe(sql)), &args)
            .fetch_all(&mut *conn)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// A parent's waiting application with its queue key.
#[derive(Debug, Clone, FromRow)]
pub struct OwnApplicationRow {
    #[sqlx(flatten)]
    pub key: QueueKeyColumns,
    pub number: Option<String>,
}

/// The parent's waiting applications, by id.
pub async fn queued_of_parent(
    e: impl Executor<'_>,
    parent_user_id: i64,
) -> Result<Vec<OwnApplicationRow>, Error> {
    sqlx::query_as(
        "SELECT id, number, kind, correction_type, birth_year, category, queue_at, status, kato,
                region_code
         FROM applications WHERE parent_user_id = $1 AND status = 'queued' ORDER BY id",
    )
    .bind(parent_user_id)
    .fetch_all(e)
    .await
}
