//! The public protocol's hash chains: one head row per region (`protocol_heads`, whose row lock
//! serializes a region's direction changes on PostgreSQL) and the entries (`protocol_entries`).
//! The hashes are computed by the caller.

use sqlx::{AssertSqlSafe, FromRow};

use crate::{Conn, Error, Executor};

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct RecordRow {
    pub seq: i64,
    pub at: i64,
    pub event: String,
    pub direction_id: i64,
    pub organization_bin: String,
    pub organization_name: String,
    pub group_name: String,
    pub application_number: String,
    pub child_masked: String,
    pub position: i64,
    pub category: String,
    pub prev_hash: String,
    pub hash: String,
}

async fn touch_head(conn: &mut Conn, region_code: &str) -> Result<u64, Error> {
    sqlx::query("UPDATE protocol_heads SET seq = seq WHERE region_code = $1")
        .bind(region_code)
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected())
}

/// Locks the region's head row for the rest of the transaction, creating it (at `seq` 0 and
/// `genesis`) for a region that has none yet; its seq and hash.
pub async fn lock_head(
    conn: &mut Conn,
    region_code: &str,
    genesis: &str,
) -> Result<(i64, String), Error> {
    if touch_head(conn, region_code).await? == 0 {
        sqlx::query(
            "INSERT INTO protocol_heads (region_code, seq, hash) VALUES ($1, 0, $2)
             ON CONFLICT (region_code) DO NOTHING",
        )
        .bind(region_code)
        .bind(genesis)
        .execute(&mut *conn)
        .await?;
        touch_head(conn, region_code).await?;
    }
    sqlx::query_as("SELECT seq, hash FROM protocol_heads WHERE region_code = $1")
        .bind(region_code)
        .fetch_one(&mut *conn)
        .await
}

/// Appends one entry to the region's chain.
pub async fn insert(e: impl Executor<'_>, region_code: &str, r: &RecordRow) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO protocol_entries (region_code, seq, at, event, direction_id,
             organization_bin, organization_name, group_name, application_number, child_masked,
             position, category, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(region_code)
    .bind(r.seq)
    .bind(r.at)
    .bind(&r.event)
    .bind(r.direction_id)
    .bind(&r.organization_bin)
    .bind(&r.organization_name)
    .bind(&r.group_name)
    .bind(&r.application_number)
    .bind(&r.child_masked)
    .bind(r.position)
    .bind(&r.category)
    .bind(&r.prev_hash)
    .bind(&r.hash)
    .execute(e)
    .await?;
    Ok(())
}

/// Appends entries with one statement (the caller keeps them to 100 a statement).
pub async fn insert_many(
    e: impl Executor<'_>,
    region_code: &str,
    records: &[RecordRow],
) -> Result<(), Error> {
    let mut sql = String::from(
        "INSERT INTO protocol_entries (region_code, seq, at, event, direction_id,
             organization_bin, organization_name, group_name, application_number,
             child_masked, position, category, prev_hash, hash) VALUES ",
    );
    for i in 0..records.len() {
        let base = i * 14;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        sql.push_str(
            &(1..=14)
                .map(|k| format!("${}", base + k))
                .collect::<Vec<_>>()
                .join(", "),
        );
        sql.push(')');
    }
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for r in records {
        query = query
            .bind(region_code.to_owned())
            .bind(r.seq)
            .bind(r.at)
            .bind(r.event.clone())
            .bind(r.direction_id)
            .bind(r.organization_bin.clone())
            .bind(r.organization_name.clone())
            .bind(r.group_name.clone())
            .bind(r.application_number.clone())
            .bind(r.child_masked.clone())
            .bind(r.position)
            .bind(r.category.clone())
            .bind(r.prev_hash.clone())
            .bind(r.hash.clone());
    }
    query.execute(e).await?;
    Ok(())
}

/// Writes the region's head after the entries appended.
pub async fn save_head(
    e: impl Executor<'_>,
    region_code: &str,
    seq: i64,
    hash: &str,
) -> Result<(), Error> {
    sqlx::query("UPDATE protocol_heads SET seq = $1, hash = $2 WHERE region_code = $3")
        .bind(seq)
        .bind(hash)
        .bind(region_code)
        .execute(e)
        .await?;
    Ok(())
}

const RECORD_COLUMNS: &str = "seq, at, event, direction_id, organization_bin, organization_name, \
    group_name, application_number, child_masked, position, category, prev_hash, hash";

/// The region's head (seq, hash), if it has one.
pub async fn head(e: impl Executor<'_>, region_code: &str) -> Result<Option<(i64, String)>, Error> {
    sqlx::query_as("SELECT seq, hash FROM protocol_heads WHERE region_code = $1")
        .bind(region_code)
        .fetch_optional(e)
        .await
}

/// A page of the region's entries, newest first.
pub async fn page(
    e: impl Executor<'_>,
    region_code: &str,
    offset: i64,
    limit: i64,
) -> Result<Vec<RecordRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {RECORD_COLUMNS} FROM protocol_entries WHERE region_code = $1
         ORDER BY seq DESC LIMIT $2 OFFSET $3"
    )))
    .bind(region_code)
    .bind(limit)
    .bind(offset)
    .fetch_all(e)
    .await
}

/// The region's whole chain, oldest first.
pub async fn all(e: impl Executor<'_>, region_code: &str) -> Result<Vec<RecordRow>, Error> {
    sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {RECORD_COLUMNS} FROM protocol_entries WHERE region_code = $1 ORDER BY seq"
    )))
    .bind(region_code)
    .fetch_all(e)
    .await
}
