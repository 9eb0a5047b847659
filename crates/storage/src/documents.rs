//! Parents' documents as stored: the row of each uploaded file (its content lives in the file
//! storage under `storage_key`), the owner's quota, and which applications a document is
//! attached to.

use sqlx::FromRow;

use crate::{Error, Executor};

/// A document row; the kind is decoded by the caller.
#[derive(Debug, Clone, FromRow)]
pub struct DocumentRow {
    pub id: i64,
    pub owner_user_id: i64,
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
    pub uploaded_at: i64,
}

/// A document to store.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    pub owner_user_id: i64,
    pub kind: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub storage_key: &'a str,
    pub uploaded_at: i64,
}

/// Locks the owner's user row until the transaction ends (PostgreSQL only: `FOR UPDATE`).
pub async fn lock_owner(e: impl Executor<'_>, owner_user_id: i64) -> Result<(), Error> {
    sqlx::query("SELECT id FROM users WHERE id = $1 FOR UPDATE")
        .bind(owner_user_id)
        .execute(e)
        .await?;
    Ok(())
}

pub async fn insert(e: impl Executor<'_>, d: &NewDocument<'_>) -> Result<i64, Error> {
    sqlx::query_scalar(
        "INSERT INTO documents (owner_user_id, kind, file_name, content_type, size_bytes,
                                storage_key, uploaded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(d.owner_user_id)
    .bind(d.kind)
    .bind(d.file_name)
    .bind(d.content_type)
    .bind(d.size_bytes)
    .bind(d.storage_key)
    .bind(d.uploaded_at)
    .fetch_one(e)
    .await
}

/// How many documents the owner keeps (not deleted) and the bytes they take up.
pub async fn usage(e: impl Executor<'_>, owner_user_id: i64) -> Result<(i64, i64), Error> {
    // PostgreSQL sums BIGINTs into a NUMERIC, which the Any driver cannot read back.
    sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) FROM documents
         WHERE owner_user_id = $1 AND deleted_at IS NULL",
    )
    .bind(owner_user_id)
    .fetch_one(e)
    .await
}

/// The localities (KATO codes) of the applications a document is attached to.
pub async fn localities_of(e: impl Executor<'_>, document_id: i64) -> Result<Vec<String>, Error> {
    sqlx::query_scalar(
        "SELECT a.kato FROM application_documents ad
                 JOIN applications a ON a.id = ad.application_id WHERE ad.document_id = $1",
    )
    .bind(document_id)
    .fetch_all(e)
    .await
}

/// A document that is not deleted.
pub async fn find(e: impl Executor<'_>, id: i64) -> Result<Option<DocumentRow>, Error> {
    sqlx::query_as(
        "SELECT id, owner_user_id, kind, file_name, content_type, size_bytes, storage_key,
                uploaded_at
         FROM documents WHERE id = $1 AND deleted_at IS NULL",
    )
    .bind(id)
    .fetch_optional(e)
    .await
}

/// How many live documents with this id, owner and kind there are (0 or 1).
pub async fn count_owned(
    e: impl Executor<'_>,
    id: i64,
    owner_user_id: i64,
    kind: &str,
) -> Result<i64, Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM documents WHERE id = $1 AND owner_user_id = $2 AND kind = $3 AND deleted_at IS NULL",
    )
    .bind(id)
    .bind(owner_user_id)
    .bind(kind)
    .fetch_one(e)
    .await
}

/// Live documents uploaded before `cutoff` and attached to no application: `(id, storage_key)`.
pub async fn unattached_before(
    e: impl Executor<'_>,
    cutoff: i64,
) -> Result<Vec<(i64, String)>, Error> {
    sqlx::query_as(
        "SELECT d.id, d.storage_key FROM documents d
         WHERE d.deleted_at IS NULL AND d.uploaded_at < $1
           AND NOT EXISTS (SELECT 1 FROM application_documents a WHERE a.document_id = d.id)",
    )
    .bind(cutoff)
    .fetch_all(e)
    .await
}

/// Marks a document deleted if it is still live and attached to nothing; returns the rows
/// changed.
pub async fn mark_unattached_deleted(
    e: impl Executor<'_>,
    id: i64,
    now: i64,
) -> Result<u64, Error> {
    let done = sqlx::query(
        "UPDATE documents SET deleted_at = $1 WHERE id = $2 AND deleted_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM application_documents a WHERE a.document_id = $2)",
    )
    .bind(now)
    .bind(id)
    .execute(e)
    .await?;
    Ok(done.rows_affected())
}
