//! Issuing directions: each open vacancy, oldest published first, goes to the first eligible
//! application in its organization's queue (`queue::next_candidate`). Vacancies are handled in
//! batches, one transaction per batch under the region's protocol head, so that thousands of
//! places are given out quickly while every direction is still all-or-nothing with its SMS.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use serde_json::json;

use super::{deadline_text, protocol};
use crate::app::App;
use crate::db::Tx;
use crate::db::directions::issue::{self as store, NewDirection, OpenVacancyRow, Parties};
use crate::domain::Phone;
use crate::domain::calendar::Calendar;
use crate::domain::direction as rules_of;
use crate::i18n::Lang;
use crate::notifications::NewNotice;
use crate::orgs::Group;
use crate::queue::{Candidate, Taken};
use crate::region_rules::{self, RegionRules};

/// An open vacancy with its group and organization.
#[derive(Debug, Clone)]
struct OpenVacancy {
    vacancy_id: i64,
    group: Group,
    kato: String,
    bin: String,
    name_kk: String,
    name_ru: String,
    address: String,
}

impl OpenVacancy {
    fn region(&self) -> String {
        self.kato.chars().take(2).collect()
    }
}

impl From<OpenVacancyRow> for OpenVacancy {
    fn from(r: OpenVacancyRow) -> OpenVacancy {
        OpenVacancy {
            vacancy_id: r.vacancy_id,
            group: r.group,
            kato: r.kato,
            bin: r.bin,
            name_kk: r.name_kk,
            name_ru: r.name_ru,
            address: r.address,
        }
    }
}

/// Issues directions for every open vacancy that has an eligible application; returns how many.
pub async fn allocate(app: &App, now: i64) -> Result<usize, crate::db::Error> {
    let vacancies = store::open_vacancies(app.db.pool()).await?;
    let vacancies = vacancies.into_iter().map(OpenVacancy::from).collect();
    allocate_vacancies(app, vacancies, now).await
}

/// Issues directions for the open vacancies of one group (right after places were published or
/// freed, so the parent sees the direction at once); returns how many.
pub async fn allocate_group(app: &App, group_id: i64, now: i64) -> Result<usize, crate::db::Error> {
    let vacancies = store::open_vacancies_of_group(app.db.pool(), group_id).await?;
    let vacancies = vacancies.into_iter().map(OpenVacancy::from).collect();
    allocate_vacancies(app, vacancies, now).await
}

enum BatchError {
    /// Another process issued a direction to the same child meanwhile: redo the batch.
    Conflict,
    Db(crate::db::Error),
}

impl From<crate::db::Error> for BatchError {
    fn from(e: crate::db::Error) -> Self {
        match &e {
            crate::db::Error::Database(d) if d.is_unique_violation() => BatchError::Conflict,
            _ => BatchError::Db(e),
        }
    }
}

async fn allocate_vacancies(
    app: &App,
    vacancies: Vec<OpenVacancy>,
    now: i64,
) -> Result<usize, crate::db::Error> {
    if vacancies.is_empty() {
        return Ok(0);
    }
    let calendar = crate::calendar_days::calendar(app.db.pool()).await?;
    let mut by_region: BTreeMap<String, VecDeque<OpenVacancy>> = BTreeMap::new();
    for v in vacancies {
        by_region.entry(v.region()).or_default().push_back(v);
    }
    let mut issued = 0;
    for (region, mut pending) in by_region {
        let rules =
            region_rules::current(app.db.pool(), &region, crate::domain::time::local_date(now))
                .await?;
        // Groups found with nobody to offer a place to in this run.
        let mut exhausted: HashSet<i64> = HashSet::new();
        let mut conflicts = 0;
        while !pending.is_empty() {
            match batch(
                app,
                &region,
                &rules,
                &calendar,
                &mut pending,
                &mut exhausted,
                now,
            )
            .await
            {
                Ok(n) => issued += n,
                Err(BatchError::Conflict) => {
                    conflicts += 1;
                    if conflicts > 10 {
                        tracing::warn!(
                            region,
                            "allocation keeps conflicting; the next run will go on"
                        );
                        break;
                    }
                }
                Err(BatchError::Db(e)) => {
                    if issued > 0 {
                        app.sms_wakeup.notify_one();
                    }
                    return Err(e);
                }
            }
        }
    }
    if issued > 0 {
        app.sms_wakeup.notify_one();
    }
    Ok(issued)
}

/// What the directions of a batch add besides themselves, written with a few multi-row
/// statements at the batch's end: issuing thousands of places takes seconds, not minutes.
#[derive(Default)]
struct Deferred {
    /// Directions per group: the counters move once per group.
    groups: BTreeMap<i64, i64>,
    /// (application, detail) of each `direction_issued` event.
    events: Vec<(i64, String)>,
    entries: Vec<protocol::NewEntry>,
    /// (direction, detail) of each audit entry.
    audits: Vec<(i64, String)>,
}

impl Deferred {
    async fn flush(
        &self,
        tx: &mut Tx,
        chain: &mut protocol::Chain,
        now: i64,
    ) -> Result<(), crate::db::Error> {
        for (group, n) in &self.groups {
            let moved = store::count_directed(&mut **tx, *group, *n, now).await?;
            if moved == 0 {
                // The counters disagree with the vacancies: give nothing out; a person checks.
                tracing::error!(group, "open vacancies without open_vacancies counted");
                return Err(crate::db::Error::Protocol(format!(
                    "group {group}: more open vacancies than open_vacancies counted"
                )));
            }
        }
        chain.push_many(tx, &self.entries).await?;
        store::record_issued_events(tx, &self.events, now).await?;
        store::audit_issued(tx, &self.audits, now).await?;
        Ok(())
    }
}

/// One transaction: directions for the vacancies at the front of `pending`, at most
/// `BATCH_VACANCIES` of them. The queues of their groups are read in a few statements, the
/// candidates picked in memory in the vacancies' order, and everything written with multi-row
/// statements. What it handled leaves `pending` only when it commits.
async fn batch(
    app: &App,
    region: &str,
    rules: &RegionRules,
    calendar: &Calendar,
    pending: &mut VecDeque<OpenVacancy>,
    exhausted: &mut HashSet<i64>,
    now: i64,
) -> Result<usize, BatchError> {
    let mut tx = app.db.begin().await?;
    let mut chain = protocol::lock(&mut tx, region).await?;
    let handled = pending.len().min(BATCH_VACANCIES);
    let (issued, newly_exhausted) = {
        let window: Vec<&OpenVacancy> = pending
            .range(..handled)
            .filter(|v| !exhausted.contains(&v.group.id))
            .collect();
        let (picks, newly_exhausted) = choose(&mut tx, rules, &window, now).await?;
        let issued = issue(app, &mut tx, &mut chain, rules, calendar, &picks, now).await?;
        (issued, newly_exhausted)
    };
    chain.save(&mut tx).await?;
    tx.commit().await?;
    pending.drain(..handled);
    exhausted.extend(newly_exhausted);
    Ok(issued)
}

/// Vacancies considered in one transaction: the region is held meanwhile (a few hundred ms).
const BATCH_VACANCIES: usize = 200;

/// The candidate of each vacancy of `window` that is still open, in the window's order, as if
/// each direction were issued before the next vacancy looked at the queue; and the groups found
/// with nobody to offer a place to.
async fn choose<'v>(
    tx: &mut Tx,
    rules: &RegionRules,
    window: &[&'v OpenVacancy],
    now: i64,
) -> Result<(Vec<(&'v OpenVacancy, Candidate)>, HashSet<i64>), crate::db::Error> {
    let ids: Vec<i64> = window.iter().map(|v| v.vacancy_id).collect();
    let open = store::still_open(tx, &ids).await?;
    let refused = crate::queue::refused(tx, &ids).await?;
    let mut slot_of_group: HashMap<i64, usize> = HashMap::new();
    let mut groups: Vec<&Group> = Vec::new();
    for v in window.iter().filter(|v| open.contains(&v.vacancy_id)) {
        slot_of_group.entry(v.group.id).or_insert_with(|| {
            groups.push(&v.group);
            groups.len() - 1
        });
    }
    let queues = crate::queue::group_queues(tx, &groups, now).await?;
    let nobody_refused = HashSet::new();
    let mut taken = Taken::default();
    let mut picks = Vec::new();
    let mut exhausted = HashSet::new();
    for &v in window {
        let (Some(&slot), false) = (
            slot_of_group.get(&v.group.id),
            exhausted.contains(&v.group.id),
        ) else {
            continue;
        };
        if !open.contains(&v.vacancy_id) {
            continue;
        }
        let refused_here = refused.get(&v.vacancy_id).unwrap_or(&nobody_refused);
        match crate::queue::pick(&rules.queue, &queues[slot], &taken, refused_here) {
            Some(candidate) => {
                taken.applications.insert(candidate.application_id);
                taken.children.insert(candidate.child_id);
                picks.push((v, candidate));
            }
            // A place someone refused excludes them only from itself: the group's other places
            // may still find a child.
            None if refused_here.is_empty() => {
                exhausted.insert(v.group.id);
            }
            None => {}
        }
    }
    Ok((picks, exhausted))
}

/// The picked vacancies' or applications' guarded change, `false` when one of them changed
/// meanwhile: the batch is redone.
fn all_matched(matched: bool) -> Result<(), BatchError> {
    if matched {
        Ok(())
    } else {
        Err(BatchError::Conflict)
    }
}

async fn parties(
    tx: &mut Tx,
    applications: &[i64],
) -> Result<HashMap<i64, Parties>, crate::db::Error> {
    let found = store::parties(tx, applications).await?;
    Ok(found.into_iter().map(|p| (p.application_id, p)).collect())
}

/// Issues the picked directions: the vacancies and applications change state (guarded), the
/// directions are inserted, and each gets its event, protocol entry, audit entry, cabinet notice
/// and SMS.
async fn issue(
    app: &App,
    tx: &mut Tx,
    chain: &mut protocol::Chain,
    rules: &RegionRules,
    calendar: &Calendar,
    picks: &[(&OpenVacancy, Candidate)],
    now: i64,
) -> Result<usize, BatchError> {
    if picks.is_empty() {
        return Ok(0);
    }
    let vacancy_ids: Vec<i64> = picks.iter().map(|(v, _)| v.vacancy_id).collect();
    let application_ids: Vec<i64> = picks.iter().map(|(_, c)| c.application_id).collect();
    all_matched(store::direct_vacancies(tx, &vacancy_ids).await?)?;
    all_matched(store::take_applications(tx, &application_ids, now).await?)?;
    let accept_by = rules_of::accept_by(calendar, now, rules.accept_working_days);
    let mut direction_of: HashMap<i64, i64> = HashMap::new();
    for chunk in picks.chunks(crate::db::ROWS_PER_STATEMENT) {
        let new: Vec<NewDirection> = chunk
            .iter()
            .map(|(v, c)| NewDirection {
                application_id: c.application_id,
                child_id: c.child_id,
                vacancy_id: v.vacancy_id,
                group_id: v.group.id,
                organization_id: v.group.organization_id,
                region_code: v.region(),
                position_at_issue: c.position as i64,
                category_at_issue: c.category.as_str().to_owned(),
                issued_at: now,
                accept_by,
            })
            .collect();
        for (direction, vacancy) in store::insert(&mut **tx, &new).await? {
            direction_of.insert(vacancy, direction);
        }
    }
    let parties = parties(tx, &application_ids).await?;
    let mut deferred = Deferred::default();
    let mut notices = Vec::with_capacity(picks.len());
    for (v, candidate) in picks {
        let (Some(&direction_id), Some(parties)) = (
            direction_of.get(&v.vacancy_id),
            parties.get(&candidate.application_id),
        ) else {
            return Err(BatchError::Db(crate::db::Error::Protocol(format!(
                "vacancy {}: the direction or its application was not read back",
                v.vacancy_id
            ))));
        };
        let note = Issued {
            vacancy: v,
            candidate,
            direction_id,
            accept_by,
            now,
        };
        notices.push(note.record(&mut deferred, parties));
    }
    deferred.flush(tx, chain, now).await?;
    crate::notifications::notify_many(tx, &app.i18n, &notices, now).await?;
    Ok(picks.len())
}

/// One direction just inserted, to be recorded.
struct Issued<'a> {
    vacancy: &'a OpenVacancy,
    candidate: &'a Candidate,
    direction_id: i64,
    accept_by: i64,
    now: i64,
}

impl Issued<'_> {
    /// Adds its event, protocol entry and audit entry to `deferred`; returns the parent's notice.
    fn record(&self, deferred: &mut Deferred, parties: &Parties) -> NewNotice {
        let (v, c) = (self.vacancy, self.candidate);
        let number = parties
            .number
            .clone()
            .unwrap_or_else(|| c.application_id.to_string());
        let position = c.position as i64;
        let category = c.category.as_str();
        *deferred.groups.entry(v.group.id).or_default() += 1;
        deferred.events.push((
            c.application_id,
            json!({
                "direction_id": self.direction_id,
                "organization_id": v.group.organization_id,
                "group_id": v.group.id,
                "position": position,
            })
            .to_string(),
        ));
        deferred.entries.push(protocol::NewEntry {
            at: self.now,
            event: protocol::Event::Issued,
            direction_id: self.direction_id,
            organization_bin: v.bin.clone(),
            organization_name: v.name_ru.clone(),
            group_name: v.group.name.clone(),
            application_number: number.clone(),
            child_masked: crate::queue::mask_child(&parties.last_name, &parties.first_name),
            position,
            category: category.to_owned(),
        });
        deferred.audits.push((
            self.direction_id,
            json!({
                "after": {
                    "status": "issued",
                    "application_id": c.application_id,
                    "vacancy_id": v.vacancy_id,
                    "group_id": v.group.id,
                    "position": position,
                    "category": category,
                    "accept_by": self.accept_by,
                }
            })
            .to_string(),
        ));
        let lang = Lang::of_parent(
            parties.user_language.as_deref(),
            &parties.application_language,
        );
        let organization = crate::domain::Names::new(&v.name_kk, &v.name_ru, None).get(lang.code());
        NewNotice {
            user_id: parties.parent_user_id,
            sms_to: Phone::parse(&parties.phone).ok(),
            lang,
            key: "direction-sms-issued",
            args: vec![
                ("number", number),
                ("organization", organization.to_owned()),
                ("group", v.group.name.clone()),
                ("address", v.address.clone()),
                ("deadline", deadline_text(self.accept_by)),
            ],
            link: Some(format!("/cabinet/directions/{}", self.direction_id)),
        }
    }
}
