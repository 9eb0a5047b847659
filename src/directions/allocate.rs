//! Issuing directions: each open vacancy, oldest published first, goes to the first eligible
//! application in its organization's queue (`queue::next_candidate`). Vacancies are handled in
//! batches, one transaction per batch under the region's protocol head, so that thousands of
//! places are given out quickly while every direction is still all-or-nothing with its SMS.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

use serde_json::json;
use sqlx::FromRow;

use super::{deadline_text, protocol};
use crate::app::App;
use crate::db::Tx;
use crate::domain::Phone;
use crate::domain::calendar::Calendar;
use crate::domain::direction as rules_of;
use crate::i18n::Lang;
use crate::orgs::Group;
use crate::region_rules::{self, RegionRules};

/// At most this many directions in one transaction…
const BATCH_DIRECTIONS: usize = 100;
/// …and at most this long holding the region (other writers wait meanwhile).
const BATCH_TIME: Duration = Duration::from_millis(300);

/// An open vacancy with its group and organization.
#[derive(Debug, Clone, FromRow)]
struct OpenVacancy {
    vacancy_id: i64,
    #[sqlx(flatten)]
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

fn open_vacancies_sql(condition: &str) -> String {
    format!(
        "SELECT v.id AS vacancy_id, g.id, g.organization_id, g.name, g.birth_year, g.age_group,
                g.language, g.kind, g.correction_type, g.capacity, g.enrolled, g.open_directions,
                g.open_vacancies, g.active, o.kato, o.bin, o.name_kk, o.name_ru, o.address
         FROM vacancies v
         JOIN org_groups g ON g.id = v.group_id
         JOIN organizations o ON o.id = g.organization_id
         WHERE v.status = 'open' AND g.active = 1 AND o.active = 1{condition}
         ORDER BY v.published_at, v.id"
    )
}

/// Issues directions for every open vacancy that has an eligible application; returns how many.
pub async fn allocate(app: &App, now: i64) -> Result<usize, sqlx::Error> {
    let vacancies: Vec<OpenVacancy> = sqlx::query_as(sqlx::AssertSqlSafe(open_vacancies_sql("")))
        .fetch_all(app.db.pool())
        .await?;
    allocate_vacancies(app, vacancies, now).await
}

/// Issues directions for the open vacancies of one group (right after places were published or
/// freed, so the parent sees the direction at once); returns how many.
pub async fn allocate_group(app: &App, group_id: i64, now: i64) -> Result<usize, sqlx::Error> {
    let vacancies: Vec<OpenVacancy> =
        sqlx::query_as(sqlx::AssertSqlSafe(open_vacancies_sql(" AND g.id = $1")))
            .bind(group_id)
            .fetch_all(app.db.pool())
            .await?;
    allocate_vacancies(app, vacancies, now).await
}

enum BatchError {
    /// Another process issued a direction to the same child meanwhile: redo the batch.
    Conflict,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for BatchError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => BatchError::Conflict,
            _ => BatchError::Db(e),
        }
    }
}

async fn allocate_vacancies(
    app: &App,
    vacancies: Vec<OpenVacancy>,
    now: i64,
) -> Result<usize, sqlx::Error> {
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
            region_rules::current(app.db.pool(), &region, rules_of::local_date(now)).await?;
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

/// Rows per multi-row INSERT: far below both databases' limits on binds.
const ROWS_PER_INSERT: usize = 200;

/// `VALUES` rows of `shape`, where `None` is a bind and `Some(sql)` a literal: for 2 rows of
/// `[None, Some("NULL"), None]`, `($1, NULL, $2), ($3, NULL, $4)`.
fn values(rows: usize, shape: &[Option<&str>]) -> String {
    let binds = shape.iter().filter(|s| s.is_none()).count();
    (0..rows)
        .map(|r| {
            let mut k = r * binds;
            let cells: Vec<String> = shape
                .iter()
                .map(|cell| match cell {
                    Some(literal) => (*literal).to_owned(),
                    None => {
                        k += 1;
                        format!("${k}")
                    }
                })
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Deferred {
    async fn flush(
        &self,
        tx: &mut Tx,
        chain: &mut protocol::Chain,
        now: i64,
    ) -> Result<(), sqlx::Error> {
        for (group, n) in &self.groups {
            let moved = sqlx::query(
                "UPDATE org_groups SET open_vacancies = open_vacancies - $1,
                        open_directions = open_directions + $1, updated_at = $2
                 WHERE id = $3 AND open_vacancies >= $1",
            )
            .bind(*n)
            .bind(now)
            .bind(*group)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if moved == 0 {
                // The counters disagree with the vacancies: give nothing out; a person checks.
                tracing::error!(group, "open vacancies without open_vacancies counted");
                return Err(sqlx::Error::Protocol(format!(
                    "group {group}: more open vacancies than open_vacancies counted"
                )));
            }
        }
        chain.push_many(tx, &self.entries).await?;
        for chunk in self.events.chunks(ROWS_PER_INSERT) {
            let rows = values(
                chunk.len(),
                &[None, None, Some("NULL"), Some("'direction_issued'"), None],
            );
            let sql = format!(
                "INSERT INTO application_events (application_id, at, actor_user_id, event, detail)
                 VALUES {rows}"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (application, detail) in chunk {
                q = q.bind(*application).bind(now).bind(detail.clone());
            }
            q.execute(&mut **tx).await?;
        }
        for chunk in self.audits.chunks(ROWS_PER_INSERT) {
            let rows = values(
                chunk.len(),
                &[
                    None,
                    Some("NULL"),
                    Some("'direction.issued'"),
                    None,
                    Some("NULL"),
                    None,
                ],
            );
            let sql = format!(
                "INSERT INTO audit_log (at, actor_user_id, action, subject, ip, detail) VALUES {rows}"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (direction, detail) in chunk {
                q = q
                    .bind(now)
                    .bind(format!("direction:{direction}"))
                    .bind(detail.clone());
            }
            q.execute(&mut **tx).await?;
        }
        Ok(())
    }
}

/// One transaction: directions for the vacancies at the front of `pending`, until the batch is
/// full. What it handled leaves `pending` only when it commits.
async fn batch(
    app: &App,
    region: &str,
    rules: &RegionRules,
    calendar: &Calendar,
    pending: &mut VecDeque<OpenVacancy>,
    exhausted: &mut HashSet<i64>,
    now: i64,
) -> Result<usize, BatchError> {
    let started = Instant::now();
    let mut tx = app.db.begin().await?;
    let mut chain = protocol::lock(&mut tx, region).await?;
    let mut deferred = Deferred::default();
    let mut issued = 0;
    let mut handled = 0;
    let mut newly_exhausted: HashSet<i64> = HashSet::new();
    while let Some(v) = pending.get(handled) {
        if issued >= BATCH_DIRECTIONS || (handled > 0 && started.elapsed() > BATCH_TIME) {
            break;
        }
        handled += 1;
        let group_id = v.group.id;
        if exhausted.contains(&group_id) || newly_exhausted.contains(&group_id) {
            continue;
        }
        match issue(app, &mut tx, rules, calendar, v, &mut deferred, now).await? {
            Outcome::Issued => issued += 1,
            Outcome::NoCandidate => {
                newly_exhausted.insert(group_id);
            }
            Outcome::Skipped => {}
        }
    }
    deferred.flush(&mut tx, &mut chain, now).await?;
    chain.save(&mut tx).await?;
    tx.commit().await?;
    pending.drain(..handled);
    exhausted.extend(newly_exhausted);
    Ok(issued)
}

enum Outcome {
    Issued,
    /// Nobody in the organization's queue can take a place of this group now.
    NoCandidate,
    /// The vacancy was withdrawn or taken meanwhile, or nobody but those who refused it fits.
    Skipped,
}

/// The application's number, the child's names and the parent to tell.
#[derive(FromRow)]
struct Parties {
    number: Option<String>,
    last_name: String,
    first_name: String,
    parent_user_id: i64,
    phone: String,
    user_language: Option<String>,
    application_language: String,
}

/// Offers vacancy `v` to the first eligible application, in the batch's transaction.
async fn issue(
    app: &App,
    tx: &mut Tx,
    rules: &RegionRules,
    calendar: &Calendar,
    v: &OpenVacancy,
    deferred: &mut Deferred,
    now: i64,
) -> Result<Outcome, sqlx::Error> {
    // An application that changed under us (the guard below) is passed over for the next one.
    for _ in 0..3 {
        let Some(candidate) =
            crate::queue::next_candidate(tx, &v.group, &rules.queue, now, v.vacancy_id).await?
        else {
            // A place someone refused excludes them only from itself: the group's other places
            // may still find a child.
            let refused: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM directions WHERE vacancy_id = $1 AND status = 'refused' LIMIT 1",
            )
            .bind(v.vacancy_id)
            .fetch_optional(&mut **tx)
            .await?;
            return Ok(if refused.is_some() {
                Outcome::Skipped
            } else {
                Outcome::NoCandidate
            });
        };
        let took = sqlx::query(
            "UPDATE vacancies SET status = 'directed' WHERE id = $1 AND status = 'open'",
        )
        .bind(v.vacancy_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if took == 0 {
            return Ok(Outcome::Skipped);
        }
        let waiting = sqlx::query(
            "UPDATE applications SET status = 'direction_issued', updated_at = $1
             WHERE id = $2 AND status = 'queued'",
        )
        .bind(now)
        .bind(candidate.application_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if waiting == 0 {
            sqlx::query("UPDATE vacancies SET status = 'open' WHERE id = $1")
                .bind(v.vacancy_id)
                .execute(&mut **tx)
                .await?;
            continue;
        }
        let accept_by = rules_of::accept_by(calendar, now, rules.accept_working_days);
        let position = candidate.position as i64;
        let category = candidate.category.as_str();
        let direction_id: i64 = sqlx::query_scalar(
            "INSERT INTO directions (application_id, child_id, vacancy_id, group_id,
                 organization_id, region_code, status, open_vacancy, open_child, position_at_issue,
                 category_at_issue, issued_at, accept_by)
             VALUES ($1, $2, $3, $4, $5, $6, 'issued', $3, $2, $7, $8, $9, $10)
             RETURNING id",
        )
        .bind(candidate.application_id)
        .bind(candidate.child_id)
        .bind(v.vacancy_id)
        .bind(v.group.id)
        .bind(v.group.organization_id)
        .bind(v.region())
        .bind(position)
        .bind(category)
        .bind(now)
        .bind(accept_by)
        .fetch_one(&mut **tx)
        .await?;
        let parties: Parties = sqlx::query_as(
            "SELECT a.number, c.last_name, c.first_name, a.parent_user_id, u.phone,
                    u.language AS user_language, a.language AS application_language
             FROM applications a
             JOIN children c ON c.id = a.child_id
             JOIN users u ON u.id = a.parent_user_id
             WHERE a.id = $1",
        )
        .bind(candidate.application_id)
        .fetch_one(&mut **tx)
        .await?;
        let number = parties
            .number
            .clone()
            .unwrap_or_else(|| candidate.application_id.to_string());
        *deferred.groups.entry(v.group.id).or_default() += 1;
        deferred.events.push((
            candidate.application_id,
            json!({
                "direction_id": direction_id,
                "organization_id": v.group.organization_id,
                "group_id": v.group.id,
                "position": position,
            })
            .to_string(),
        ));
        deferred.entries.push(protocol::NewEntry {
            at: now,
            event: protocol::Event::Issued,
            direction_id,
            organization_bin: v.bin.clone(),
            organization_name: v.name_ru.clone(),
            group_name: v.group.name.clone(),
            application_number: number.clone(),
            child_masked: crate::queue::mask_child(&parties.last_name, &parties.first_name),
            position,
            category: category.to_owned(),
        });
        deferred.audits.push((
            direction_id,
            json!({
                "after": {
                    "status": "issued",
                    "application_id": candidate.application_id,
                    "vacancy_id": v.vacancy_id,
                    "group_id": v.group.id,
                    "position": position,
                    "category": category,
                    "accept_by": accept_by,
                }
            })
            .to_string(),
        ));
        if let Ok(phone) = Phone::parse(&parties.phone) {
            let lang = parties
                .user_language
                .as_deref()
                .and_then(Lang::parse)
                .or_else(|| Lang::parse(&parties.application_language))
                .unwrap_or(Lang::Ru);
            let organization = if lang == Lang::Kk {
                &v.name_kk
            } else {
                &v.name_ru
            };
            let args = [
                ("number", number),
                ("organization", organization.clone()),
                ("group", v.group.name.clone()),
                ("address", v.address.clone()),
                ("deadline", deadline_text(accept_by)),
            ];
            let link = format!("/cabinet/directions/{direction_id}");
            crate::notifications::notify_with_sms(
                tx,
                parties.parent_user_id,
                &phone,
                lang,
                &app.i18n,
                "direction-sms-issued",
                &args,
                Some(&link),
                now,
            )
            .await?;
        }
        return Ok(Outcome::Issued);
    }
    Ok(Outcome::Skipped)
}
