//! Who a free place goes to: the waiting applications of many groups' queues read in one
//! statement, then the first eligible in queue order picked in memory, so that issuing thousands
//! of directions costs a few reads per hundred places instead of one per place.

use std::collections::{HashMap, HashSet};

use crate::db::Tx;
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

/// Groups whose queues one statement reads. Every statement lists exactly this many (padded with
/// groups of no organization), so that its text never changes and both databases plan it once.
const GROUPS_PER_READ: usize = 25;

/// The waiting applications of each group's organization queue (same kind, correction type and
/// birth year), in (queue_at, id) order, one list per group in the order given. A group of an
/// unknown kind has an empty queue.
pub async fn group_queues(
    tx: &mut Tx,
    groups: &[&Group],
    now: i64,
) -> Result<Vec<Vec<Waiting>>, crate::db::Error> {
    let mut out: Vec<Vec<Waiting>> = vec![Vec::new(); groups.len()];
    let known: Vec<(usize, &Group)> = groups
        .iter()
        .enumerate()
        .filter(|(_, g)| GroupKind::parse(&g.kind).is_some())
        .map(|(k, g)| (k, *g))
        .collect();
    // The wanted queues as a VALUES table joined to the organizations' preferences: one plan for
    // every read. The documents a kind needs are part of the join's condition.
    let wanted = crate::db::values(GROUPS_PER_READ, &[None; 6]);
    let now_bind = GROUPS_PER_READ * 6 + 1;
    let sql = format!(
        "WITH w (g, organization_id, kind, birth_year, correction_key, language)
              AS (VALUES {wanted})
         SELECT w.g, a.id, a.child_id, a.category, a.queue_at,
                CASE WHEN a.language = w.language
                      AND (a.stop_until IS NULL OR a.stop_until <= ${now_bind})
                      AND (w.kind = 'regular'
                           OR (w.kind = 'correctional' AND a.pmpk_verification = 'approved')
                           OR (w.kind = 'sanatorium' AND a.referral_verification = 'approved'))
                      AND NOT EXISTS (SELECT 1 FROM directions d WHERE d.open_child = a.child_id)
                     THEN 1 ELSE 0 END AS eligible
         FROM w CROSS JOIN application_preferences p CROSS JOIN applications a
         WHERE p.organization_id = w.organization_id AND p.kind = w.kind
           AND p.birth_year = w.birth_year
           AND COALESCE(p.correction_type, '') = w.correction_key
           AND a.id = p.application_id AND a.status = 'queued'"
    );
    for chunk in known.chunks(GROUPS_PER_READ) {
        let mut q = sqlx::query_as::<_, (i64, i64, i64, String, i64, i64)>(sqlx::AssertSqlSafe(
            sql.clone(),
        ));
        for k in 0..GROUPS_PER_READ {
            q = match chunk.get(k) {
                Some((slot, group)) => q
                    .bind(*slot as i64)
                    .bind(group.organization_id)
                    .bind(group.kind.clone())
                    .bind(group.birth_year)
                    .bind(group.correction_type.clone().unwrap_or_default())
                    .bind(group.language.clone()),
                // Padding: no organization has id 0.
                None => q
                    .bind(-1_i64)
                    .bind(0_i64)
                    .bind(String::new())
                    .bind(0_i64)
                    .bind(String::new())
                    .bind(String::new()),
            };
        }
        q = q.bind(now);
        for (g, id, child_id, category, queue_at, eligible) in q.fetch_all(&mut **tx).await? {
            let Some(list) = usize::try_from(g).ok().and_then(|g| out.get_mut(g)) else {
                continue;
            };
            list.push(Waiting {
                child_id,
                entry: Entry {
                    id,
                    category: Category::parse(&category).unwrap_or(Category::General),
                    queue_at,
                },
                eligible: eligible == 1,
            });
        }
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
    for chunk in vacancy_ids.chunks(crate::db::ROWS_PER_STATEMENT) {
        let sql = format!(
            "SELECT vacancy_id, child_id FROM directions
             WHERE status = 'refused' AND vacancy_id IN ({})",
            crate::db::binds(1, chunk.len())
        );
        let mut q = sqlx::query_as::<_, (i64, i64)>(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        for (vacancy, child) in q.fetch_all(&mut **tx).await? {
            refused.entry(vacancy).or_default().insert(child);
        }
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
