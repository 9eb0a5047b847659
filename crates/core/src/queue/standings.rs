//! Where many applications stand at once, for the pages that show parents their own places: the
//! standings of any number of (application, queue) pairs in one statement and their histories in
//! another, so that twenty applications cost the reads of one. Each pair is one arm of a
//! `UNION ALL` over the partition source that `standing` and `history` read, so the numbers are
//! theirs.

use std::collections::HashMap;

use sqlx::{AnyConnection, FromRow};

use super::{
    Arg, HistoryRow, OrgStanding, Partition, QueueKey, Scope, Standing, count_waiting, queue_event,
};
use crate::domain::queue::{Counts, PositionChange, QueueEvent, QueueRules};

/// An application in one of its queues, under the rules of its region.
#[derive(Debug, Clone)]
pub struct Place<'a> {
    pub key: &'a QueueKey,
    pub partition: Partition,
    pub rules: &'a QueueRules,
}

/// Arms of one statement: below SQLite's limit of 500 terms in a compound SELECT and, at eight
/// binds an arm at most, far below both databases' limits on binds. A family's applications or
/// one application's choices are a handful.
const ARMS_PER_STATEMENT: usize = 100;

/// The waiting applications of one category in a place's partition.
#[derive(FromRow)]
struct CategoryCount {
    place: i64,
    category: String,
    waiting: i64,
    /// Of them, those ahead of the place's application in its own category (0 in the others).
    earlier: i64,
}

/// The standing of each of `places`, in the order given; `None` where the application is not
/// waiting. One statement per `ARMS_PER_STATEMENT` waiting places, none when nothing waits.
pub async fn standings(
    conn: &mut AnyConnection,
    places: &[Place<'_>],
) -> Result<Vec<Option<Standing>>, crate::db::Error> {
    // As in `standing`: only a queued application with a queue date-time stands anywhere.
    let waiting: Vec<(usize, i64)> = places
        .iter()
        .enumerate()
        .filter(|(_, p)| p.key.status == "queued")
        .filter_map(|(i, p)| Some((i, p.key.queue_at?)))
        .collect();
    let mut found: HashMap<usize, (Counts, u64)> = waiting
        .iter()
        .map(|&(i, _)| (i, (Counts::default(), 0)))
        .collect();
    for chunk in waiting.chunks(ARMS_PER_STATEMENT) {
        let mut arms = Vec::with_capacity(chunk.len());
        let mut args = Vec::new();
        for &(i, queue_at) in chunk {
            let place = &places[i];
            let (from_where, source_args) = place.partition.sql_source_from(args.len() + 1);
            args.extend(source_args);
            let n = args.len() + 1;
            // `counts` and `index_in_category` of `standing`, in one pass over the partition.
            arms.push(format!(
                "SELECT {i} AS place, a.category AS category, COUNT(*) AS waiting,
                        SUM(CASE WHEN a.category = ${n}
                                  AND (a.queue_at < ${at} OR (a.queue_at = ${at} AND a.id < ${id}))
                                 THEN 1 ELSE 0 END) AS earlier
                 {from_where} GROUP BY a.category",
                at = n + 1,
                id = n + 2,
            ));
            args.push(Arg::Text(place.key.category().as_str().to_owned()));
            args.push(Arg::Int(queue_at));
            args.push(Arg::Int(place.key.id));
        }
        let sql = arms.join(" UNION ALL ");
        let rows: Vec<CategoryCount> = bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &args)
            .fetch_all(&mut *conn)
            .await?;
        for row in rows {
            let Some((counts, index)) = usize::try_from(row.place)
                .ok()
                .and_then(|i| found.get_mut(&i))
            else {
                continue;
            };
            count_waiting(counts, &row.category, row.waiting);
            *index += row.earlier.max(0) as u64;
        }
    }
    Ok(places
        .iter()
        .enumerate()
        .map(|(i, p)| {
            found
                .get(&i)
                .map(|(counts, index)| Standing::new(p.rules, counts, p.key.category(), *index))
        })
        .collect())
}

/// An event of a place's partition.
#[derive(FromRow)]
struct PlacedEvent {
    place: i64,
    event_id: i64,
    #[sqlx(flatten)]
    event: HistoryRow,
}

/// Every change of each place's position, in the order of `places`, as `history` replays it. One
/// statement per `ARMS_PER_STATEMENT` places.
pub async fn histories(
    conn: &mut AnyConnection,
    places: &[Place<'_>],
) -> Result<Vec<Vec<PositionChange>>, crate::db::Error> {
    let mut events: Vec<Vec<PlacedEvent>> = places.iter().map(|_| Vec::new()).collect();
    for (c, chunk) in places.chunks(ARMS_PER_STATEMENT).enumerate() {
        let mut arms = Vec::with_capacity(chunk.len());
        let mut args = Vec::new();
        for (j, place) in chunk.iter().enumerate() {
            let i = c * ARMS_PER_STATEMENT + j;
            let (source, source_args) = place.partition.sql_history_from(args.len() + 1);
            args.extend(source_args);
            arms.push(format!(
                "SELECT {i} AS place, e.id AS event_id, e.application_id, e.at, e.event, e.detail,
                        a.category, a.registered_at
                 {source}"
            ));
        }
        let sql = arms.join(" UNION ALL ");
        let rows: Vec<PlacedEvent> = bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), &args)
            .fetch_all(&mut *conn)
            .await?;
        for row in rows {
            if let Some(list) = usize::try_from(row.place)
                .ok()
                .and_then(|i| events.get_mut(i))
            {
                list.push(row);
            }
        }
    }
    Ok(places
        .iter()
        .zip(events)
        .map(|(place, mut rows)| {
            // The replay's order, as `history` reads it.
            rows.sort_by_key(|r| (r.event.at, r.event_id));
            let replayed: Vec<QueueEvent> = rows
                .into_iter()
                .map(|r| queue_event(r.event, place.key.id))
                .collect();
            place.rules.position_history(&replayed, place.key.id)
        })
        .collect())
}

/// Where `key` stands in the queue of each of `organizations` (id, name in Kazakh, in Russian),
/// in the order given, with the history of each position: two statements however many.
pub async fn at_choices(
    conn: &mut AnyConnection,
    key: &QueueKey,
    organizations: Vec<(i64, String, String)>,
    rules: &QueueRules,
) -> Result<Vec<OrgStanding>, crate::db::Error> {
    // An application of an unknown kind or without a birth year is in no queue.
    let (organizations, places): (Vec<_>, Vec<_>) = organizations
        .into_iter()
        .filter_map(|o| {
            let partition = key.partition(Scope::Organization(o.0))?;
            Some((
                o,
                Place {
                    key,
                    partition,
                    rules,
                },
            ))
        })
        .unzip();
    let standings = standings(conn, &places).await?;
    let histories = histories(conn, &places).await?;
    Ok(organizations
        .into_iter()
        .zip(standings.into_iter().zip(histories))
        .map(
            |((organization_id, name_kk, name_ru), (standing, history))| OrgStanding {
                organization_id,
                name_kk,
                name_ru,
                standing,
                history,
            },
        )
        .collect())
}

/// One of a parent's applications waiting in the queue the parent looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnPosition {
    pub application_id: i64,
    pub number: String,
    pub standing: Standing,
}

#[derive(FromRow)]
struct OwnApplication {
    #[sqlx(flatten)]
    key: QueueKey,
    number: Option<String>,
}

/// The parent's waiting applications of `partition`'s kind, correction type and birth year, by
/// id, each with its standing in `partition`: two statements however many the parent has.
pub async fn own_positions(
    conn: &mut AnyConnection,
    parent_user_id: i64,
    partition: &Partition,
    rules: &QueueRules,
) -> Result<Vec<OwnPosition>, crate::db::Error> {
    let applications: Vec<OwnApplication> = sqlx::query_as(
        "SELECT id, number, kind, correction_type, birth_year, category, queue_at, status, kato,
                region_code
         FROM applications WHERE parent_user_id = $1 AND status = 'queued' ORDER BY id",
    )
    .bind(parent_user_id)
    .fetch_all(&mut *conn)
    .await?;
    let mine: Vec<&OwnApplication> = applications
        .iter()
        .filter(|a| a.key.partition(partition.scope.clone()).as_ref() == Some(partition))
        .collect();
    let places: Vec<Place> = mine
        .iter()
        .map(|a| Place {
            key: &a.key,
            partition: partition.clone(),
            rules,
        })
        .collect();
    let standings = standings(conn, &places).await?;
    Ok(mine
        .into_iter()
        .zip(standings)
        .filter_map(|(a, standing)| {
            Some(OwnPosition {
                application_id: a.key.id,
                number: a.number.clone().unwrap_or_default(),
                standing: standing?,
            })
        })
        .collect())
}
