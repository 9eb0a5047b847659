//! Kezek's storage: the one crate that speaks SQL. One connection pool for SQLite or
//! PostgreSQL, through sqlx's `Any` driver, so that every statement is written once; the
//! migrations; and the statements, grouped by what they store. Timestamps are unix seconds
//! (BIGINT), ids BIGINT, flags BIGINT 0/1.

pub mod accounts;
pub mod applications;
pub mod audit;
pub mod bulk;
pub mod calendar_days;
pub mod children;
pub mod directions;
pub mod documents;
pub mod migrate;
pub mod notifications;
pub mod orgs;
pub mod outbox;
pub mod portal;
pub mod queue;
pub mod reference;
pub mod region_rules;
pub mod registry;
pub mod reviews;
pub mod staff;
pub mod stats;

use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Transaction};

/// What a statement fails with. The layers above name it through this crate, never sqlx.
pub use sqlx::Error;

/// One connection, or a transaction borrowed as one (`&mut *tx`).
pub type Conn = sqlx::AnyConnection;

/// Where a statement runs: the pool (`db.pool()`), a connection, or a transaction (`&mut *tx`).
pub trait Executor<'c>: sqlx::Executor<'c, Database = Any> {}
impl<'c, E: sqlx::Executor<'c, Database = Any>> Executor<'c> for E {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub type Tx = Transaction<'static, Any>;

#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

impl Db {
    pub async fn connect_url(url: &str, max_connections: u32) -> anyhow::Result<Db> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            if let Some(path) = sqlite_path(url)
                && let Some(parent) = std::path::Path::new(path).parent()
            {
                std::fs::create_dir_all(parent)?;
            }
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers work during a write; the busy timeout makes
                        // concurrent writers wait for each other instead of failing.
                        sqlx::raw_sql(
                            "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=15000; \
                             PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;",
                        )
                        .execute(&mut *conn)
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await
            .map_err(|e| anyhow::anyhow!("cannot open the database {}: {e}", redact_url(url)))?;
        Ok(Db { pool, backend })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a transaction that may write. On SQLite it takes the write lock at once,
    /// so two writers queue up instead of one failing at its first write.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Refreshes the planner's statistics where nothing else does. SQLite has no autovacuum:
    /// without `PRAGMA optimize` the queue's pages pick the wrong index as the tables grow
    /// (docs/performance.md). PostgreSQL's autovacuum does it by itself.
    pub async fn refresh_statistics(&self) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Sqlite {
            sqlx::raw_sql("PRAGMA optimize").execute(&self.pool).await?;
        }
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Shows a database URL with any password replaced, for logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_owned(),
    }
}

fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sqlite_path_is_found() {
        assert_eq!(
            super::sqlite_path("sqlite://data/kezek.db?mode=rwc"),
            Some("data/kezek.db")
        );
        assert_eq!(super::sqlite_path("sqlite::memory:"), None);
    }
}

/// Rows per multi-row statement: far below both databases' limits on binds.
pub const ROWS_PER_STATEMENT: usize = 200;

/// `VALUES` rows of `shape`, where `None` is a bind and `Some(sql)` a literal: for 2 rows of
/// `[None, Some("NULL"), None]`, `($1, NULL, $2), ($3, NULL, $4)`.
pub fn values(rows: usize, shape: &[Option<&str>]) -> String {
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

/// `$first, $first+1, …` for `n` binds: the inside of an `IN (…)` list.
pub fn binds(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|k| format!("${k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod sql_text_tests {
    #[test]
    fn values_and_binds_number_the_parameters() {
        assert_eq!(
            super::values(2, &[None, Some("NULL"), None]),
            "($1, NULL, $2), ($3, NULL, $4)"
        );
        assert_eq!(super::binds(3, 3), "$3, $4, $5");
        assert_eq!(super::binds(1, 0), "");
    }
}
