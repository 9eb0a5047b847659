//! The cabinet's notices ("the bell"): a Fluent key with its JSON arguments per user, and when
//! it was read.

use sqlx::{AssertSqlSafe, FromRow};

use crate::{Error, Executor};

#[derive(Debug, Clone, FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub user_id: i64,
    pub created_at: i64,
    pub message_key: String,
    /// JSON object of the Fluent arguments.
    pub args: String,
    pub link: Option<String>,
    pub read_at: Option<i64>,
}

/// A notice to leave: the user, the key, its JSON arguments and a local path.
#[derive(Debug, Clone)]
pub struct NewNotification<'a> {
    pub user_id: i64,
    pub key: &'a str,
    pub args: String,
    pub link: Option<String>,
}

/// Leaves a notice; returns its id.
pub async fn insert(
    e: impl Executor<'_>,
    user_id: i64,
    key: &str,
    args: String,
    link: Option<&str>,
    now: i64,
) -> Result<i64, Error> {
    sqlx::query_scalar(
        "INSERT INTO notifications (user_id, created_at, message_key, args, link)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(user_id)
    .bind(now)
    .bind(key)
    .bind(args)
    .bind(link)
    .fetch_one(e)
    .await
}

/// Leaves many notices with multi-row statements.
pub async fn insert_many(
    conn: &mut crate::Conn,
    notices: &[NewNotification<'_>],
    now: i64,
) -> Result<(), Error> {
    for chunk in notices.chunks(crate::ROWS_PER_STATEMENT) {
        let rows = crate::values(chunk.len(), &[None, None, None, None, None]);
        let sql = format!(
            "INSERT INTO notifications (user_id, created_at, message_key, args, link) VALUES {rows}"
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for n in chunk {
            q = q
                .bind(n.user_id)
                .bind(now)
                .bind(n.key)
                .bind(n.args.clone())
                .bind(n.link.clone());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// How many notices the user has not read.
pub async fn unread_count(e: impl Executor<'_>, user_id: i64) -> Result<i64, Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .fetch_one(e)
        .await
}

/// A page of the user's notices, newest first.
pub async fn list(
    e: impl Executor<'_>,
    user_id: i64,
    offset: i64,
    limit: i64,
) -> Result<Vec<NotificationRow>, Error> {
    sqlx::query_as(
        "SELECT id, user_id, created_at, message_key, args, link, read_at FROM notifications
         WHERE user_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3",
    )
    .bind(user_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(e)
    .await
}

/// Marks one of the user's notices as read, keeping the first time; returns the rows matched.
pub async fn mark_read(
    e: impl Executor<'_>,
    user_id: i64,
    id: i64,
    now: i64,
) -> Result<u64, Error> {
    // Both databases count the rows the WHERE matched, so an already read notice counts too.
    let done = sqlx::query(
        "UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3",
    )
    .bind(now)
    .bind(id)
    .bind(user_id)
    .execute(e)
    .await?;
    Ok(done.rows_affected())
}

/// Marks every unread notice of the user as read; returns how many there were.
pub async fn mark_all_read(e: impl Executor<'_>, user_id: i64, now: i64) -> Result<u64, Error> {
    let done =
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now)
            .bind(user_id)
            .execute(e)
            .await?;
    Ok(done.rows_affected())
}
