//! What a parent's "Заявки" and "Подробнее" show, read in a fixed number of statements however
//! many applications or choices there are: the applications with their children, the
//! organizations they list, the rules of their regions and their places in the queues
//! (`queue::standings`). Data only: the pages translate.

use chrono::NaiveDate;

use super::store::{self, ApplicationRow, PreferenceRow};
use crate::children::{self, Child};
use crate::db::Conn;
use crate::orgs::GroupKind;
use crate::queue::{self, OrgStanding, Place, QueueKey, Scope, Standing};
use crate::region_rules;

/// An application as the lists show it.
#[derive(Debug, Clone)]
pub struct ApplicationSummary {
    pub application: ApplicationRow,
    pub child: Option<Child>,
    /// The organizations it lists, in the order listed.
    pub organizations: Vec<PreferenceRow>,
    /// Where it stands in the queue of the organization listed first; `None` while not waiting.
    pub first_choice: Option<Standing>,
}

/// An application as "Подробнее" shows it.
#[derive(Debug, Clone)]
pub struct ApplicationDetail {
    pub summary: ApplicationSummary,
    /// The birth year of its queues (the child's).
    pub birth_year: Option<i64>,
    /// Its place at each organization it lists, in the order listed, with the history of each.
    pub positions: Vec<OrgStanding>,
}

/// A parent's applications of one group type, newest first, deleted ones left out, with their
/// places at their first choices: five statements.
pub async fn of_parent(
    conn: &mut Conn,
    parent_user_id: i64,
    kind: GroupKind,
    today: NaiveDate,
) -> Result<Vec<ApplicationSummary>, crate::db::Error> {
    let listed = store::listed_for_parent(&mut *conn, parent_user_id, kind).await?;
    let children = children::children_of(&mut *conn, parent_user_id).await?;
    let listed = listed
        .into_iter()
        .map(|(application, key)| (application, Some(key)))
        .collect();
    summarize(conn, listed, &children, today).await
}

/// One application as the lists show it, with its `child` as already read: four statements.
pub async fn summary(
    conn: &mut Conn,
    application: ApplicationRow,
    child: Option<Child>,
    today: NaiveDate,
) -> Result<ApplicationSummary, crate::db::Error> {
    let key = queue::key(&mut *conn, application.id).await?;
    let summaries = summarize(conn, vec![(application, key)], child.as_slice(), today).await?;
    Ok(summaries
        .into_iter()
        .next()
        .expect("one summary for each application summarized"))
}

/// One application with its place at every organization it lists: six statements however many
/// it lists.
pub async fn detail(
    conn: &mut Conn,
    application: ApplicationRow,
    today: NaiveDate,
) -> Result<ApplicationDetail, crate::db::Error> {
    let key = queue::key(&mut *conn, application.id).await?;
    let child =
        children::child_of(&mut *conn, application.parent_user_id, application.child_id).await?;
    let organizations = store::preferences_of_all(conn, &[application.id])
        .await?
        .remove(&application.id)
        .unwrap_or_default();
    let rules = region_rules::current(&mut *conn, &application.region_code, today).await?;
    let positions = match &key {
        Some(key) => {
            let choices = organizations
                .iter()
                .map(|p| (p.organization_id, p.name_kk.clone(), p.name_ru.clone()))
                .collect();
            queue::at_choices(conn, key, choices, &rules.queue).await?
        }
        None => Vec::new(),
    };
    // The first position is the first choice's: `at_choices` keeps the order listed.
    let first_choice = positions.first().and_then(|p| p.standing.clone());
    Ok(ApplicationDetail {
        summary: ApplicationSummary {
            application,
            child,
            organizations,
            first_choice,
        },
        birth_year: key.and_then(|k| k.birth_year),
        positions,
    })
}

/// Summaries of `listed` (each application with its queue key, when found) in the order given,
/// their children found among `children`: three statements however many.
async fn summarize(
    conn: &mut Conn,
    listed: Vec<(ApplicationRow, Option<QueueKey>)>,
    children: &[Child],
    today: NaiveDate,
) -> Result<Vec<ApplicationSummary>, crate::db::Error> {
    let ids: Vec<i64> = listed.iter().map(|(a, _)| a.id).collect();
    let mut organizations = store::preferences_of_all(conn, &ids).await?;
    let regions: Vec<&str> = listed.iter().map(|(a, _)| a.region_code.as_str()).collect();
    let rules = region_rules::current_in(&mut *conn, &regions, today).await?;
    // Each application in the queue of the organization it listed first, under its region's rules.
    let mut places = Vec::new();
    let mut place_of = Vec::with_capacity(listed.len());
    for (application, key) in &listed {
        let first = organizations
            .get(&application.id)
            .and_then(|o| o.first())
            .map(|p| p.organization_id);
        let place = key.as_ref().zip(first).and_then(|(key, first)| {
            Some(Place {
                key,
                partition: queue::partition_of(key, Scope::Organization(first))?,
                rules: &rules.get(&application.region_code)?.queue,
            })
        });
        place_of.push(place.map(|p| {
            places.push(p);
            places.len() - 1
        }));
    }
    let mut standings = queue::standings(conn, &places).await?;
    Ok(listed
        .into_iter()
        .zip(place_of)
        .map(|((application, _), place)| ApplicationSummary {
            child: children
                .iter()
                .find(|c| c.id == application.child_id)
                .cloned(),
            organizations: organizations.remove(&application.id).unwrap_or_default(),
            first_choice: place.and_then(|i| standings[i].take()),
            application,
        })
        .collect())
}
