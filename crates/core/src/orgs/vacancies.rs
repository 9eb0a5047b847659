//! Free places: publishing and withdrawing vacancies, recording departures and the enrolled
//! count. Every change moves a group's counters with one guarded UPDATE, so the capacity rule
//! (enrolled + open directions + open vacancies ≤ capacity) holds under concurrent requests on
//! both databases; the table's CHECK constraint is the last line of defence.

use chrono::NaiveDate;
use serde_json::json;

use super::{Group, store};
use crate::audit::{self};
use crate::db::orgs::vacancies as stored;
pub use crate::db::orgs::vacancies::Vacancy;
use crate::db::{Db, Tx};

pub use crate::audit::Actor;

/// At most this many places in one publication: more is a typing mistake.
pub const MAX_PUBLISH: i64 = 50;

#[derive(Debug, thiserror::Error)]
pub enum VacancyError {
    #[error("only {free} place(s) can still be published")]
    Capacity { free: i64 },
    #[error("the number of places must be between 1 and {MAX_PUBLISH}")]
    Count,
    #[error("the enrolled count must be between 0 and the free capacity")]
    Enrolled { max: i64 },
    #[error("the group has no enrolled child to record a departure for")]
    NobodyEnrolled,
    #[error("the group is closed")]
    GroupInactive,
    #[error("the vacancy is no longer open")]
    NotOpen,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Internal(#[from] crate::db::Error),
}

impl VacancyError {
    pub fn message_key(&self) -> &'static str {
        match self {
            VacancyError::Capacity { .. } => "vacancy-error-capacity",
            VacancyError::Count => "vacancy-error-count",
            VacancyError::Enrolled { .. } => "vacancy-error-enrolled",
            VacancyError::NobodyEnrolled => "vacancy-error-nobody-enrolled",
            VacancyError::GroupInactive => "vacancy-error-group-inactive",
            VacancyError::NotOpen => "vacancy-error-not-open",
            VacancyError::NotFound => "error-not-found",
            VacancyError::Internal(_) => "error-internal",
        }
    }
}

async fn open_group(tx: &mut Tx, group_id: i64) -> Result<Group, VacancyError> {
    let group = store::group(&mut **tx, group_id)
        .await?
        .ok_or(VacancyError::NotFound)?;
    if group.active == 0 {
        return Err(VacancyError::GroupInactive);
    }
    Ok(group)
}

async fn insert_vacancy(
    tx: &mut Tx,
    group_id: i64,
    available_from: NaiveDate,
    actor: &Actor,
    now: i64,
) -> Result<i64, crate::db::Error> {
    let available_from = available_from.format("%Y-%m-%d").to_string();
    stored::insert_open(&mut **tx, group_id, &available_from, now, actor.user_id).await
}

/// The capacity rule for a publication: the group's open vacancies grow by `count` only while
/// enrolled children, open directions and open vacancies still fit in its places. `false` when
/// they would not (nothing changed). The table's `CHECK` refuses anything this lets through.
pub async fn hold_places(
    tx: &mut Tx,
    group_id: i64,
    count: i64,
    now: i64,
) -> Result<bool, crate::db::Error> {
    stored::hold_places(&mut **tx, group_id, count, now).await
}

/// Publishes `count` free places of a group, available from `available_from`.
pub async fn publish(
    db: &Db,
    actor: &Actor,
    group_id: i64,
    count: i64,
    available_from: NaiveDate,
    now: i64,
) -> Result<Vec<i64>, VacancyError> {
    if !(1..=MAX_PUBLISH).contains(&count) {
        return Err(VacancyError::Count);
    }
    let mut tx = db.begin().await?;
    let before = open_group(&mut tx, group_id).await?;
    if !hold_places(&mut tx, group_id, count, now).await? {
        // Re-read: a concurrent publication may have taken the places since `before`.
        let now_free = store::group(&mut *tx, group_id)
            .await?
            .map_or(0, |g| g.seats().unpublished_free());
        return Err(VacancyError::Capacity {
            free: now_free.max(0),
        });
    }
    let mut ids = Vec::with_capacity(count as usize);
    for _ in 0..count {
        ids.push(insert_vacancy(&mut tx, group_id, available_from, actor, now).await?);
    }
    let subject = format!("group:{group_id}");
    let detail = json!({
        "count": count,
        "available_from": available_from.to_string(),
        "vacancy_ids": ids,
        "before": { "open_vacancies": before.open_vacancies },
        "after": { "open_vacancies": before.open_vacancies + count },
    });
    audit::record_by(&mut tx, actor, now, "vacancy.published", &subject, detail).await?;
    tx.commit().await?;
    Ok(ids)
}

/// Withdraws one open vacancy of `organization_id` (a vacancy of another organization is "not
/// found"); returns its group.
pub async fn withdraw(
    db: &Db,
    actor: &Actor,
    organization_id: i64,
    vacancy_id: i64,
    now: i64,
) -> Result<i64, VacancyError> {
    let mut tx = db.begin().await?;
    let group_id = stored::group_of(&mut *tx, organization_id, vacancy_id).await?;
    let group_id = group_id.ok_or(VacancyError::NotFound)?;
    if !stored::withdraw(&mut *tx, vacancy_id, now, actor.user_id).await? {
        return Err(VacancyError::NotOpen);
    }
    stored::release_place(&mut *tx, group_id, now).await?;
    let subject = format!("group:{group_id}");
    let detail = json!({ "vacancy_id": vacancy_id, "before": { "status": "open" }, "after": { "status": "withdrawn" } });
    audit::record_by(&mut tx, actor, now, "vacancy.withdrawn", &subject, detail).await?;
    tx.commit().await?;
    Ok(group_id)
}

/// A child left the group: the place is freed and published at once as a vacancy from `left_on`.
pub async fn record_departure(
    db: &Db,
    actor: &Actor,
    group_id: i64,
    left_on: NaiveDate,
    note: Option<&str>,
    now: i64,
) -> Result<i64, VacancyError> {
    let mut tx = db.begin().await?;
    let before = open_group(&mut tx, group_id).await?;
    if !stored::free_enrolled_place(&mut *tx, group_id, now).await? {
        return Err(VacancyError::NobodyEnrolled);
    }
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    let left = left_on.format("%Y-%m-%d").to_string();
    stored::insert_departure(&mut *tx, group_id, &left, note, now, actor.user_id).await?;
    let vacancy_id = insert_vacancy(&mut tx, group_id, left_on, actor, now).await?;
    let subject = format!("group:{group_id}");
    let detail = json!({
        "left_on": left_on.to_string(),
        "vacancy_id": vacancy_id,
        "before": { "enrolled": before.enrolled, "open_vacancies": before.open_vacancies },
        "after": { "enrolled": before.enrolled - 1, "open_vacancies": before.open_vacancies + 1 },
    });
    audit::record_by(&mut tx, actor, now, "group.departure", &subject, detail).await?;
    tx.commit().await?;
    Ok(vacancy_id)
}

/// Sets how many children attend the group (those enrolled before Kezek, or after a recount).
pub async fn set_enrolled(
    db: &Db,
    actor: &Actor,
    group_id: i64,
    enrolled: i64,
    now: i64,
) -> Result<(), VacancyError> {
    let mut tx = db.begin().await?;
    let before = open_group(&mut tx, group_id).await?;
    let max = before.seats().max_enrolled();
    if enrolled < 0 {
        return Err(VacancyError::Enrolled { max });
    }
    if !stored::set_enrolled(&mut *tx, group_id, enrolled, now).await? {
        return Err(VacancyError::Enrolled { max });
    }
    let subject = format!("group:{group_id}");
    let detail =
        json!({ "before": { "enrolled": before.enrolled }, "after": { "enrolled": enrolled } });
    audit::record_by(&mut tx, actor, now, "group.enrolled_set", &subject, detail).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn open_vacancies_of_group(
    db: &Db,
    group_id: i64,
) -> Result<Vec<Vacancy>, crate::db::Error> {
    stored::open_of_group(db.pool(), group_id).await
}
