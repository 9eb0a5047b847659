//! Who a free place goes to: the waiting applications of many groups' queues read in one
//! statement, then the first eligible in queue order picked in memory, so that issuing thousands
//! of directions costs a few reads per hundred places instead of one per place.

use std::collections::{HashMap, HashSet};

use crate::db::Tx;
use crate::db::queue::candidates::{self as db, GroupQueue};
use crate::domain::queue::{Category, Entry, QueueRules};
use crate::orgs::{Group, GroupKind};

/// The application a free place of a group goes to: the first in the organization's queue for the
/// group's kind, correction type and birth year who wants its language, has verified documents
/// where the kind needs them, is not on the stop-list and holds no other open direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub application_id: i64,
    pub child_id: i64,
    /// 1-based, in the organization's queue.
    pub position: u64,
    pub category: Category,
}

/// One waiting application of a group's queue, in queue-read order.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub child_id: i64,
    pub entry: Entry,
    /// Language, documents, stop-list and open directions allow a place of this group now.
    pub eligible: bool,
}

/// The waiting applications of each group's organization queue (same kind, correction type and
/// birth year), in (queue_at, id) order, one list per group in the order given. A group of an
/// unknown kind has an empty queue.
pub async fn group_queues(
    tx: &mut Tx,
    groups: &[&Group],
    now: i64,
) -> Result<Vec<Vec<Waiting>>, crate::db::Error> {
    let mut out: Vec<Vec<Waiting>> = vec![Vec::new(); groups.len()];
    let known: Vec<GroupQueue> = groups
        .iter()
        .enumerate()
        .filter(|(_, g)| GroupKind::parse(&g.kind).is_some())
        .map(|(slot, g)| GroupQueue {
            slot,
            organization_id: g.organization_id,
            kind: &g.kind,
            birth_year: g.birth_year,
            correction_type: g.correction_type.as_deref(),
            language: &g.language,
        })
        .collect();
    for row in db::waiting(tx, &known, now).await? {
        let Some(list) = usize::try_from(row.g).ok().and_then(|g| out.get_mut(g)) else {
            continue;
        };
        list.push(Waiting {
            child_id: row.child_id,
            entry: Entry {
                id: row.id,
                category: row.category,
                queue_at: row.queue_at,
            },
            eligible: row.eligible == 1,
        });
    }
    for list in &mut out {
        list.sort_by_key(|w| (w.entry.queue_at, w.entry.id));
    }
    Ok(out)
}

/// What earlier places of the same run changed in the queues read before them.
#[derive(Debug, Default)]
pub struct Taken {
    /// Applications given a direction: they have left every queue.
    pub applications: HashSet<i64>,
    /// Their children: each holds an open direction now, so their other applications wait on.
    pub children: HashSet<i64>,
}

/// The first eligible of a group's queue for one place, given what `taken` already took and the
/// children who refused this very place (`refused`).
pub fn pick(
    rules: &QueueRules,
    queue: &[Waiting],
    taken: &Taken,
    refused: &HashSet<i64>,
) -> Option<Candidate> {
    let waiting: Vec<&Waiting> = queue
        .iter()
        .filter(|w| !taken.applications.contains(&w.entry.id))
        .collect();
    let entries: Vec<Entry> = waiting.iter().map(|w| w.entry).collect();
    let (i, position) = rules.first_eligible(&entries, |i| {
        let w = waiting[i];
        w.eligible && !taken.children.contains(&w.child_id) && !refused.contains(&w.child_id)
    })?;
    Some(Candidate {
        application_id: waiting[i].entry.id,
        child_id: waiting[i].child_id,
        position: position + 1,
        category: waiting[i].entry.category,
    })
}

/// Per vacancy of `vacancy_ids`, the children who refused a direction to it: a parent who said
/// no to a place is not offered the same place again (without a stop-list it would come straight
/// back). A lapsed direction is no such "no": after the stop-list the place may be offered again.
pub async fn refused(
    tx: &mut Tx,
    vacancy_ids: &[i64],
) -> Result<HashMap<i64, HashSet<i64>>, crate::db::Error> {
    let mut refused: HashMap<i64, HashSet<i64>> = HashMap::new();
    for (vacancy, child) in db::refused(tx, vacancy_ids).await? {
        refused.entry(vacancy).or_default().insert(child);
    }
    Ok(refused)
}

/// Who the place `vacancy_id` of `group` would go to now.
pub async fn next_candidate(
    tx: &mut Tx,
    group: &Group,
    rules: &QueueRules,
    now: i64,
    vacancy_id: i64,
) -> Result<Option<Candidate>, crate::db::Error> {
    let queues = group_queues(tx, &[group], now).await?;
    let refused = refused(tx, &[vacancy_id])
        .await?
        .remove(&vacancy_id)
        .unwrap_or_default();
    Ok(queues
        .first()
        .and_then(|queue| pick(rules, queue, &Taken::default(), &refused)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(id: i64, child_id: i64, category: Category, eligible: bool) -> Waiting {
        Waiting {
            child_id,
            entry: Entry {
                id,
                category,
                queue_at: id,
            },
            eligible,
        }
    }

    #[test]
    fn taken_applications_leave_the_queue_and_their_children_wait() {
        let rules = QueueRules::default();
        let queue = vec![
            waiting(1, 10, Category::General, true),
            waiting(2, 20, Category::General, false),
            waiting(3, 30, Category::General, true),
            waiting(4, 30, Category::General, true),
            waiting(5, 50, Category::General, true),
        ];
        let none = HashSet::new();
        let first = pick(&rules, &queue, &Taken::default(), &none).unwrap();
        assert_eq!((first.application_id, first.position), (1, 1));

        let mut taken = Taken::default();
        taken.applications.insert(1);
        taken.children.insert(10);
        let second = pick(&rules, &queue, &taken, &none).unwrap();
        // Application 2 is ahead but not eligible; the taken one no longer counts.
        assert_eq!((second.application_id, second.position), (3, 2));

        // Child 30 took a place with application 3: its application 4 waits, but is passed over.
        taken.applications.insert(3);
        taken.children.insert(30);
        let third = pick(&rules, &queue, &taken, &none).unwrap();
        assert_eq!((third.application_id, third.position), (5, 3));

        let refused: HashSet<i64> = [50].into();
        assert_eq!(pick(&rules, &queue, &taken, &refused), None);
    }

    #[test]
    fn categories_go_first_by_the_rules() {
        let rules = QueueRules::default();
        let queue = vec![
            waiting(1, 10, Category::General, true),
            waiting(2, 20, Category::Extraordinary, true),
        ];
        let found = pick(&rules, &queue, &Taken::default(), &HashSet::new()).unwrap();
        assert_eq!((found.application_id, found.position), (2, 1));
    }
}
