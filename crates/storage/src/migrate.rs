//! Schema migrations, written once for both databases. A migration file may use
//! `{{id}}` (an auto-increment primary key) and `{{blob}}`, and may hold lines meant for
//! one backend only between `--@sqlite` / `--@postgres` and `--@end`.

use sha2::{Digest, Sha256};
use sqlx::AssertSqlSafe;

use super::{Backend, Db};

struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "accounts",
        sql: include_str!("../migrations/0001_accounts.sql"),
    },
    Migration {
        version: 2,
        name: "reference",
        sql: include_str!("../migrations/0002_reference.sql"),
    },
    Migration {
        version: 3,
        name: "organizations",
        sql: include_str!("../migrations/0003_organizations.sql"),
    },
    Migration {
        version: 4,
        name: "region_rules",
        sql: include_str!("../migrations/0004_region_rules.sql"),
    },
    Migration {
        version: 5,
        name: "organization_photos",
        sql: include_str!("../migrations/0005_organization_photos.sql"),
    },
    Migration {
        version: 6,
        name: "children",
        sql: include_str!("../migrations/0006_children.sql"),
    },
    Migration {
        version: 7,
        name: "notifications",
        sql: include_str!("../migrations/0007_notifications.sql"),
    },
    Migration {
        version: 8,
        name: "documents",
        sql: include_str!("../migrations/0008_documents.sql"),
    },
    Migration {
        version: 9,
        name: "applications",
        sql: include_str!("../migrations/0009_applications.sql"),
    },
    Migration {
        version: 10,
        name: "application_drafts",
        sql: include_str!("../migrations/0010_application_drafts.sql"),
    },
    Migration {
        version: 11,
        name: "user_language",
        sql: include_str!("../migrations/0011_user_language.sql"),
    },
    Migration {
        version: 12,
        name: "queue",
        sql: include_str!("../migrations/0012_queue.sql"),
    },
    Migration {
        version: 13,
        name: "registry_status",
        sql: include_str!("../migrations/0013_registry_status.sql"),
    },
    Migration {
        version: 14,
        name: "directions_by_vacancy",
        sql: include_str!("../migrations/0014_directions_by_vacancy.sql"),
    },
    Migration {
        version: 15,
        name: "queue_indexes",
        sql: include_str!("../migrations/0015_queue_indexes.sql"),
    },
    Migration {
        version: 16,
        name: "reviews",
        sql: include_str!("../migrations/0016_reviews.sql"),
    },
    Migration {
        version: 17,
        name: "accounts_hardening",
        sql: include_str!("../migrations/0017_accounts_hardening.sql"),
    },
];

/// Applies the migrations not yet applied. Safe to run from several processes at once.
pub async fn run(db: &Db) -> anyhow::Result<usize> {
    let mut conn = db.pool().acquire().await?;
    if db.backend() == Backend::Postgres {
        // Two `kezek serve` starting together must not both migrate.
        sqlx::query("SELECT pg_advisory_lock(7271001)")
            .execute(&mut *conn)
            .await?;
    }
    let result = apply_pending(db, &mut conn).await;
    if db.backend() == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_unlock(7271001)")
            .execute(&mut *conn)
            .await?;
    }
    result
}

async fn apply_pending(db: &Db, conn: &mut sqlx::AnyConnection) -> anyhow::Result<usize> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS kezek_migrations (
            version BIGINT PRIMARY KEY, name TEXT NOT NULL,
            checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .execute(&mut *conn)
    .await?;
    let applied: Vec<(i64, String)> =
        sqlx::query_as("SELECT version, checksum FROM kezek_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await?;
    let mut count = 0;
    for m in MIGRATIONS {
        let sql = render(m.sql, db.backend());
        let checksum = hex::encode(Sha256::digest(m.sql.as_bytes()));
        if let Some((_, recorded)) = applied.iter().find(|(v, _)| *v == m.version) {
            if *recorded != checksum {
                anyhow::bail!(
                    "migration {} ({}) was changed after it was applied; add a new migration instead",
                    m.version,
                    m.name
                );
            }
            continue;
        }
        let begin = match db.backend() {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        sqlx::raw_sql(begin).execute(&mut *conn).await?;
        let outcome = async {
            sqlx::raw_sql(AssertSqlSafe(sql)).execute(&mut *conn).await?;
            sqlx::query(
                "INSERT INTO kezek_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(m.version)
            .bind(m.name)
            .bind(&checksum)
            .bind(chrono::Utc::now().timestamp())
            .execute(&mut *conn)
            .await?;
            Ok::<_, sqlx::Error>(())
        }
        .await;
        match outcome {
            Ok(()) => {
                sqlx::raw_sql("COMMIT").execute(&mut *conn).await?;
                tracing::info!(version = m.version, name = m.name, "applied migration");
                count += 1;
            }
            Err(e) => {
                let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
                anyhow::bail!("migration {} ({}) failed: {e}", m.version, m.name);
            }
        }
    }
    Ok(count)
}

/// Turns the shared migration text into one backend's SQL.
fn render(sql: &str, backend: Backend) -> String {
    let (id, blob, mine, other) = match backend {
        Backend::Sqlite => (
            "INTEGER PRIMARY KEY AUTOINCREMENT",
            "BLOB",
            "--@sqlite",
            "--@postgres",
        ),
        Backend::Postgres => (
            "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
            "BYTEA",
            "--@postgres",
            "--@sqlite",
        ),
    };
    let mut out = String::with_capacity(sql.len());
    let mut skipping = false;
    for line in sql.lines() {
        let marker = line.trim();
        if marker == mine {
            continue;
        } else if marker == other {
            skipping = true;
            continue;
        } else if marker == "--@end" {
            skipping = false;
            continue;
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.replace("{{id}}", id).replace("{{blob}}", blob)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_sections_are_kept_or_dropped() {
        let sql = "CREATE TABLE t (id {{id}});\n--@sqlite\nSELECT 'lite';\n--@end\n--@postgres\nSELECT 'pg';\n--@end\n";
        let lite = render(sql, Backend::Sqlite);
        assert!(
            lite.contains("AUTOINCREMENT") && lite.contains("'lite'") && !lite.contains("'pg'")
        );
        let pg = render(sql, Backend::Postgres);
        assert!(pg.contains("IDENTITY") && pg.contains("'pg'") && !pg.contains("'lite'"));
    }

    #[test]
    fn versions_increase() {
        assert!(MIGRATIONS.windows(2).all(|w| w[0].version < w[1].version));
    }
}
