//! Free places (`vacancies`) and departures (`departures`), and the guarded UPDATEs of a
//! group's counters that keep enrolled + open directions + open vacancies ≤ capacity.

use serde::Serialize;
use sqlx::FromRow;

use crate::{Error, Executor};

/// A published place. The status is stored as text (`open`, `withdrawn`, …).
#[derive(Debug, Clone, FromRow, Serialize)]
pub struct Vacancy {
    pub id: i64,
    pub group_id: i64,
    pub available_from: String,
    pub status: String,
    pub published_at: i64,
}

/// A new open vacancy of the group from `available_from` (`YYYY-MM-DD`); its id.
pub async fn insert_open(
    e: impl Executor<'_>,
    group_id: i64,
    available_from: &str,
    now: i64,
    by: i64,
) -> Result<i64, Error> {
    sqlx::query_scalar(
        "INSERT INTO vacancies (group_id, available_from, status, published_at, published_by)
         VALUES ($1, $2, 'open', $3, $4) RETURNING id",
    )
    .bind(group_id)
    .bind(available_from)
    .bind(now)
    .bind(by)
    .fetch_one(e)
    .await
}

/// Grows the group's open vacancies by `count` only while everything still fits in its
/// places; whether it did.
pub async fn hold_places(
    e: impl Executor<'_>,
    group_id: i64,
    count: i64,
    now: i64,
) -> Result<bool, Error> {
    let moved = sqlx::query(
        "UPDATE org_groups SET open_vacancies = open_vacancies + $1, updated_at = $2
         WHERE id = $3 AND enrolled + open_directions + open_vacancies + $1 <= capacity",
    )
    .bind(count)
    .bind(now)
    .bind(group_id)
    .execute(e)
    .await?
    .rows_affected();
    Ok(moved == 1)
}

/// The group of a vacancy of `organization_id`; `None` for another organization's.
pub async fn group_of(
    e: impl Executor<'_>,
    organization_id: i64,
    vacancy_id: i64,
) -> Result<Option<i64>, Error> {
    sqlx::query_scalar(
        "SELECT v.group_id FROM vacancies v JOIN org_groups g ON g.id = v.group_id
         WHERE v.id = $1 AND g.organization_id = $2",
    )
    .bind(vacancy_id)
    .bind(organization_id)
    .fetch_optional(e)
    .await
}

/// Withdraws an open vacancy; whether it was open.
pub async fn withdraw(
    e: impl Executor<'_>,
    vacancy_id: i64,
    now: i64,
    by: i64,
) -> Result<bool, Error> {
    let closed = sqlx::query(
        "UPDATE vacancies SET status = 'withdrawn', closed_at = $1, closed_by = $2
         WHERE id = $3 AND status = 'open'",
    )
    .bind(now)
    .bind(by)
    .bind(vacancy_id)
    .execute(e)
    .await?
    .rows_affected();
    Ok(closed > 0)
}

/// One open vacancy fewer in the group.
pub async fn release_place(e: impl Executor<'_>, group_id: i64, now: i64) -> Result<(), Error> {
    sqlx::query(
        "UPDATE org_groups SET open_vacancies = open_vacancies - 1, updated_at = $1 WHERE id = $2",
    )
    .bind(now)
    .bind(group_id)
    .execute(e)
    .await?;
    Ok(())
}

/// A child left: one enrolled fewer and one open vacancy more, if anyone is enrolled; whether
/// it moved.
pub async fn free_enrolled_place(
    e: impl Executor<'_>,
    group_id: i64,
    now: i64,
) -> Result<bool, Error> {
    let moved = sqlx::query(
        "UPDATE org_groups SET enrolled = enrolled - 1, open_vacancies = open_vacancies + 1, updated_at = $1
         WHERE id = $2 AND enrolled > 0",
    )
    .bind(now)
    .bind(group_id)
    .execute(e)
    .await?
    .rows_affected();
    Ok(moved > 0)
}

/// Records a departure on `left_on` (`YYYY-MM-DD`).
pub async fn insert_departure(
    e: impl Executor<'_>,
    group_id: i64,
    left_on: &str,
    note: Option<&str>,
    now: i64,
    by: i64,
) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO departures (group_id, left_on, note, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(group_id)
    .bind(left_on)
    .bind(note)
    .bind(now)
    .bind(by)
    .execute(e)
    .await?;
    Ok(())
}

/// Sets the enrolled count unless it would not fit beside the open directions and vacancies;
/// whether it did.
pub async fn set_enrolled(
    e: impl Executor<'_>,
    group_id: i64,
    enrolled: i64,
    now: i64,
) -> Result<bool, Error> {
    let moved = sqlx::query(
        "UPDATE org_groups SET enrolled = $1, updated_at = $2
         WHERE id = $3 AND $1 + open_directions + open_vacancies <= capacity",
    )
    .bind(enrolled)
    .bind(now)
    .bind(group_id)
    .execute(e)
    .await?
    .rows_affected();
    Ok(moved > 0)
}

/// The group's open vacancies, soonest first.
pub async fn open_of_group(e: impl Executor<'_>, group_id: i64) -> Result<Vec<Vacancy>, Error> {
    sqlx::query_as(
        "SELECT id, group_id, available_from, status, published_at FROM vacancies
         WHERE group_id = $1 AND status = 'open' ORDER BY available_from, id",
    )
    .bind(group_id)
    .fetch_all(e)
    .await
}
