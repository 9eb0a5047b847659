//! Where many applications stand at once, for the pages that show parents their own places: the
//! standings of any number of (application, queue) pairs in one statement and their histories in
//! another, so that twenty applications cost the reads of one. Each pair is one arm of a
//! `UNION ALL` over the partition source that `standing` and `history` read, so the numbers are
//! theirs.

use std::collections::HashMap;

use super::{
    OrgStanding, Partition, QueueKey, Scope, Standing, count_waiting, partition_of, queue_event,
};
use crate::db::Conn;
use crate::db::queue::standings::{self as db, Standee};
use crate::domain::application::ApplicationStatus;
use crate::domain::queue::{Counts, PositionChange, QueueEvent, QueueRules};

/// An application in one of its queues, under the rules of its region.
#[derive(Debug, Clone)]
pub struct Place<'a> {
    pub key: &'a QueueKey,
    pub partition: Partition,
    pub rules: &'a QueueRules,
}

/// The standing of each of `places`, in the order given; `None` where the application is not
/// waiting. One statement per hundred waiting places, none when nothing waits.
pub async fn standings(
    conn: &mut Conn,
    places: &[Place<'_>],
) -> Result<Vec<Option<Standing>>, crate::db::Error> {
    // As in `standing`: only a queued application with a queue date-time stands anywhere.
    let waiting: Vec<(usize, i64)> = places
        .iter()
        .enumerate()
        .filter(|(_, p)| p.key.status == ApplicationStatus::Queued)
        .filter_map(|(i, p)| Some((i, p.key.queue_at?)))
        .collect();
    let mut found: HashMap<usize, (Counts, u64)> = waiting
        .iter()
        .map(|&(i, _)| (i, (Counts::default(), 0)))
        .collect();
    let standees: Vec<Standee> = waiting
        .iter()
        .map(|&(i, queue_at)| Standee {
            place: i,
            slice: places[i].partition.slice(),
            category: places[i].key.category,
            queue_at,
            id: places[i].key.id,
        })
        .collect();
    for row in db::category_counts(conn, &standees).await? {
        let Some((counts, index)) = usize::try_from(row.place)
            .ok()
            .and_then(|i| found.get_mut(&i))
        else {
            continue;
        };
        count_waiting(counts, row.category, row.waiting);
        *index += row.earlier.max(0) as u64;
    }
    Ok(places
        .iter()
        .enumerate()
        .map(|(i, p)| {
            found
                .get(&i)
                .map(|(counts, index)| Standing::new(p.rules, counts, p.key.category, *index))
        })
        .collect())
}

/// Every change of each place's position, in the order of `places`, as `history` replays it. One
/// statement per hundred places.
pub async fn histories(
    conn: &mut Conn,
    places: &[Place<'_>],
) -> Result<Vec<Vec<PositionChange>>, crate::db::Error> {
    let mut events: Vec<Vec<db::PlacedEvent>> = places.iter().map(|_| Vec::new()).collect();
    let slices: Vec<_> = places.iter().map(|p| p.partition.slice()).collect();
    for row in db::histories(conn, &slices).await? {
        if let Some(list) = usize::try_from(row.place)
            .ok()
            .and_then(|i| events.get_mut(i))
        {
            list.push(row);
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
    conn: &mut Conn,
    key: &QueueKey,
    organizations: Vec<(i64, String, String)>,
    rules: &QueueRules,
) -> Result<Vec<OrgStanding>, crate::db::Error> {
    // An application of an unknown kind or without a birth year is in no queue.
    let (organizations, places): (Vec<_>, Vec<_>) = organizations
        .into_iter()
        .filter_map(|o| {
            let partition = partition_of(key, Scope::Organization(o.0))?;
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

struct OwnApplication {
    key: QueueKey,
    number: Option<String>,
}

/// The parent's waiting applications of `partition`'s kind, correction type and birth year, by
/// id, each with its standing in `partition`: two statements however many the parent has.
pub async fn own_positions(
    conn: &mut Conn,
    parent_user_id: i64,
    partition: &Partition,
    rules: &QueueRules,
) -> Result<Vec<OwnPosition>, crate::db::Error> {
    let applications: Vec<OwnApplication> = db::queued_of_parent(&mut *conn, parent_user_id)
        .await?
        .into_iter()
        .map(|r| OwnApplication {
            key: r.key,
            number: r.number,
        })
        .collect();
    let mine: Vec<&OwnApplication> = applications
        .iter()
        .filter(|a| partition_of(&a.key, partition.scope.clone()).as_ref() == Some(partition))
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
