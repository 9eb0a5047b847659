//! Issuing directions in batches: the open vacancies in publication order, and the multi-row
//! statements that direct them, take their applications out of the queue, insert the
//! directions and leave their events and audit entries, a few statements per hundred places.

use std::collections::HashSet;

use sqlx::{AssertSqlSafe, FromRow};

use crate::{Conn, Error, Executor, ROWS_PER_STATEMENT, binds, values};

/// An open vacancy with its group (with its counters) and organization.
#[derive(Debug, Clone, FromRow)]
pub struct OpenVacancyRow {
    pub vacancy_id: i64,
    #[sqlx(flatten)]
    pub group: crate::orgs::groups::GroupRow,
    pub kato: String,
    pub bin: String,
    pub name_kk: String,
    pub name_ru: String,
    pub address: String,
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

/// Every open vacancy of an active group of an active organization, oldest published first.
pub async fn open_vacancies(e: impl Executor<'_>) -> Result<Vec<OpenVacancyRow>, Error> {
    sqlx::query_as(AssertSqlSafe(open_vacancies_sql("")))
        .fetch_all(e)
        .await
}

/// As `open_vacancies`, of one group.
pub async fn open_vacancies_of_group(
    e: impl Executor<'_>,
    group_id: i64,
) -> Result<Vec<OpenVacancyRow>, Error> {
    sqlx::query_as(AssertSqlSafe(open_vacancies_sql(" AND g.id = $1")))
        .bind(group_id)
        .fetch_all(e)
        .await
}

/// Which of `ids` are still open vacancies.
pub async fn still_open(conn: &mut Conn, ids: &[i64]) -> Result<HashSet<i64>, Error> {
    let mut open = HashSet::new();
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "SELECT id FROM vacancies WHERE status = 'open' AND id IN ({})",
            binds(1, chunk.len())
        );
        let mut q = sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        open.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(open)
}

/// `UPDATE <table_and_set> WHERE <guard> AND id IN (ids)`, with `first_binds` bound before the
/// ids; `false` unless every row matched (a chunk that did not stops there).
async fn guarded_update(
    conn: &mut Conn,
    table_and_set: &str,
    guard: &str,
    first_binds: &[i64],
    ids: &[i64],
) -> Result<bool, Error> {
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "UPDATE {table_and_set} WHERE {guard} AND id IN ({})",
            binds(first_binds.len() + 1, chunk.len())
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for value in first_binds.iter().chain(chunk) {
            q = q.bind(*value);
        }
        if q.execute(&mut *conn).await?.rows_affected() != chunk.len() as u64 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The open vacancies `ids` become directed; `false` if one was no longer open.
pub async fn direct_vacancies(conn: &mut Conn, ids: &[i64]) -> Result<bool, Error> {
    guarded_update(
        conn,
        "vacancies SET status = 'directed'",
        "status = 'open'",
        &[],
        ids,
    )
    .await
}

/// The queued applications `ids` leave the queue for their direction; `false` if one was no
/// longer queued.
pub async fn take_applications(conn: &mut Conn, ids: &[i64], now: i64) -> Result<bool, Error> {
    guarded_update(
        conn,
        "applications SET status = 'direction_issued', updated_at = $1",
        "status = 'queued'",
        &[now],
        ids,
    )
    .await
}

/// A direction to insert.
#[derive(Debug, Clone)]
pub struct NewDirection {
    pub application_id: i64,
    pub child_id: i64,
    pub vacancy_id: i64,
    pub group_id: i64,
    pub organization_id: i64,
    pub region_code: String,
    pub position_at_issue: i64,
    pub category_at_issue: String,
    pub issued_at: i64,
    pub accept_by: i64,
}

/// Inserts issued directions (at most `ROWS_PER_STATEMENT`), each holding its vacancy and
/// child open; (direction, vacancy) of each.
pub async fn insert(
    e: impl Executor<'_>,
    directions: &[NewDirection],
) -> Result<Vec<(i64, i64)>, Error> {
    let rows = values(
        directions.len(),
        &[
            None,
            None,
            None,
            None,
            None,
            None,
            Some("'issued'"),
            None,
            None,
            None,
            None,
            None,
            None,
        ],
    );
    let sql = format!(
        "INSERT INTO directions (application_id, child_id, vacancy_id, group_id,
             organization_id, region_code, status, open_vacancy, open_child, position_at_issue,
             category_at_issue, issued_at, accept_by)
         VALUES {rows} RETURNING id, vacancy_id"
    );
    let mut q = sqlx::query_as::<_, (i64, i64)>(AssertSqlSafe(sql));
    for d in directions {
        q = q
            .bind(d.application_id)
            .bind(d.child_id)
            .bind(d.vacancy_id)
            .bind(d.group_id)
            .bind(d.organization_id)
            .bind(d.region_code.clone())
            .bind(d.vacancy_id)
            .bind(d.child_id)
            .bind(d.position_at_issue)
            .bind(d.category_at_issue.clone())
            .bind(d.issued_at)
            .bind(d.accept_by);
    }
    q.fetch_all(e).await
}

/// The application's number, the child's names and the parent to tell.
#[derive(Debug, Clone, FromRow)]
pub struct Parties {
    pub application_id: i64,
    pub number: Option<String>,
    pub last_name: String,
    pub first_name: String,
    pub parent_user_id: i64,
    pub phone: String,
    pub user_language: Option<String>,
    pub application_language: String,
}

/// The parties of each of `applications` that exists.
pub async fn parties(conn: &mut Conn, applications: &[i64]) -> Result<Vec<Parties>, Error> {
    let mut out = Vec::new();
    for chunk in applications.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "SELECT a.id AS application_id, a.number, c.last_name, c.first_name,
                    a.parent_user_id, u.phone, u.language AS user_language,
                    a.language AS application_language
             FROM applications a
             JOIN children c ON c.id = a.child_id
             JOIN users u ON u.id = a.parent_user_id
             WHERE a.id IN ({})",
            binds(1, chunk.len())
        );
        let mut q = sqlx::query_as::<_, Parties>(AssertSqlSafe(sql));
        for id in chunk {
            q = q.bind(*id);
        }
        out.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// The group's counters after `n` of its open vacancies were directed; 0 when it counts fewer
/// open vacancies than that.
pub async fn count_directed(
    e: impl Executor<'_>,
    group_id: i64,
    n: i64,
    now: i64,
) -> Result<u64, Error> {
    sqlx::query(
        "UPDATE org_groups SET open_vacancies = open_vacancies - $1,
                open_directions = open_directions + $1, updated_at = $2
         WHERE id = $3 AND open_vacancies >= $1",
    )
    .bind(n)
    .bind(now)
    .bind(group_id)
    .execute(e)
    .await
    .map(|r| r.rows_affected())
}

/// The `direction_issued` events, as (application, detail).
pub async fn record_issued_events(
    conn: &mut Conn,
    events: &[(i64, String)],
    now: i64,
) -> Result<(), Error> {
    for chunk in events.chunks(ROWS_PER_STATEMENT) {
        let rows = values(
            chunk.len(),
            &[None, None, Some("NULL"), Some("'direction_issued'"), None],
        );
        let sql = format!(
            "INSERT INTO application_events (application_id, at, actor_user_id, event, detail)
             VALUES {rows}"
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (application, detail) in chunk {
            q = q.bind(*application).bind(now).bind(detail.clone());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The system's `direction.issued` audit entries, as (direction, detail).
pub async fn audit_issued(
    conn: &mut Conn,
    audits: &[(i64, String)],
    now: i64,
) -> Result<(), Error> {
    for chunk in audits.chunks(ROWS_PER_STATEMENT) {
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
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (direction, detail) in chunk {
            q = q
                .bind(now)
                .bind(format!("direction:{direction}"))
                .bind(detail.clone());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}
