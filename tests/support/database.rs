//! One database per test, copied from a template migrated once per set of migrations.
//!
//! nextest runs every test in its own process, so "once" has to hold across processes: the
//! template is named by a hash of what decides the schema (the files in `migrations/` and
//! `crates/storage/src/migrate.rs`, which renders them per backend), and the first process to miss it
//! creates it under a lock while the others wait and then reuse it.
//!
//! - SQLite: `<temp dir>/kezek-test-templates/<hash>.db`, made under a `File::lock` on
//!   `<hash>.lock`, written by `VACUUM INTO` (one self-contained file, no -wal or -shm beside it)
//!   and renamed into place, so a file under the final name is always complete. Each test
//!   copies it into its own temporary directory. It stays for later runs with the same hash.
//! - PostgreSQL: the database `kezek_tpl_<hash>`, made under an advisory lock on the server,
//!   migrated under another name, closed to connections and renamed when done; nobody can
//!   connect to it afterwards (autovacuum included), so each test can
//!   `CREATE DATABASE kezek_t_<random> TEMPLATE kezek_tpl_<hash>`. The test's database is
//!   dropped (`WITH (FORCE)`) when its [`TestDatabase`] goes, passed or panicked.
//!
//! The app's own `migrate::run` at start then finds every migration recorded with its
//! checksum and applies nothing.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, AssertSqlSafe, Connection};

use super::on_postgres;

/// Serializes template creation among test processes on one PostgreSQL server (any number
/// distinct from the app's own migration lock, 7271001).
const TEMPLATE_LOCK: i64 = 7271099;

/// A test's own database. On PostgreSQL it is dropped when this is dropped.
pub struct TestDatabase {
    url: String,
    /// The server's admin URL and the database's name, to drop it.
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    /// A database with every migration applied, copied from the template.
    pub async fn migrated(dir: &Path) -> TestDatabase {
        if on_postgres() {
            let template = postgres_template().await;
            Self::create_postgres(Some(&template)).await
        } else {
            let path = dir.join("kezek.db");
            std::fs::copy(sqlite_template().await, &path)
                .expect("the SQLite template can be copied");
            TestDatabase {
                url: sqlite_url(&path),
                postgres: None,
            }
        }
    }

    /// A database with nothing in it, for tests of migrating itself.
    pub async fn empty(dir: &Path) -> TestDatabase {
        if on_postgres() {
            Self::create_postgres(None).await
        } else {
            TestDatabase {
                url: sqlite_url(&dir.join("kezek.db")),
                postgres: None,
            }
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    async fn create_postgres(template: Option<&str>) -> TestDatabase {
        let admin = admin_url();
        let name = format!("kezek_t_{}", &kezek_core::tokens::random_token()[..16]);
        let mut conn = admin_connection(&admin).await;
        let sql = match template {
            Some(template) => format!("CREATE DATABASE {name} TEMPLATE {template}"),
            None => format!("CREATE DATABASE {name}"),
        };
        execute(&mut conn, sql).await;
        let _ = conn.close().await;
        TestDatabase {
            url: database_url(&admin, &name),
            postgres: Some((admin, name)),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((admin, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs inside the test's runtime (or while a panic unwinds it), where nothing may
        // block on async work: the statement runs on a plain thread with a runtime of its own.
        // FORCE ends the app's pooled connections that are still open.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let mut conn = AnyConnection::connect(&admin).await?;
                sqlx::raw_sql(AssertSqlSafe(format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
                .execute(&mut conn)
                .await?;
                conn.close().await?;
                Ok::<_, anyhow::Error>(())
            })
        })
        .join();
        // A panic here, while a failed test unwinds, would abort the process and hide its
        // message: report instead.
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("the test database {} was not dropped: {e}", self.url),
            Err(_) => eprintln!("dropping the test database {} panicked", self.url),
        }
    }
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

fn admin_url() -> String {
    std::env::var("KEZEK_TEST_DATABASE_URL")
        .expect("KEZEK_TEST_DB=postgres needs KEZEK_TEST_DATABASE_URL (scripts/test sets both)")
}

/// `admin` with its database replaced by `name`.
fn database_url(admin: &str, name: &str) -> String {
    let base = admin.rsplit_once('/').expect("URL has a database").0;
    format!("{base}/{name}")
}

async fn admin_connection(admin: &str) -> AnyConnection {
    sqlx::any::install_default_drivers();
    AnyConnection::connect(admin)
        .await
        .expect("the test PostgreSQL server answers")
}

async fn execute(conn: &mut AnyConnection, sql: String) {
    sqlx::raw_sql(AssertSqlSafe(sql.clone()))
        .execute(conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// The first 16 hex digits of the SHA-256 of the migration files (names and contents, in
/// order) and of the code that renders and applies them.
fn schema_hash() -> String {
    // The migrations and their runner live in kezek-storage.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/storage");
    let root = root.as_path();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("migrations"))
        .expect("migrations/ is readable")
        .map(|entry| entry.expect("migrations/ is readable").path())
        .collect();
    files.sort();
    files.push(root.join("src/migrate.rs"));
    let mut hash = Sha256::new();
    for file in files {
        let name = file.strip_prefix(root).expect("under the crate");
        hash.update(name.to_string_lossy().as_bytes());
        hash.update([0]);
        let text = std::fs::read(&file).expect("a migration file is readable");
        hash.update((text.len() as u64).to_le_bytes());
        hash.update(text);
    }
    hex::encode(hash.finalize())[..16].to_owned()
}

/// The migrated SQLite template's path, created by the first test process that needs it.
async fn sqlite_template() -> PathBuf {
    let dir = std::env::temp_dir().join("kezek-test-templates");
    let hash = schema_hash();
    let template = dir.join(format!("{hash}.db"));
    // Only a complete template is ever renamed to this name, so seeing it is enough.
    if template.exists() {
        return template;
    }
    std::fs::create_dir_all(&dir).expect("the template directory can be created");
    let lock = std::fs::File::create(dir.join(format!("{hash}.lock")))
        .expect("the template lock file can be created");
    lock.lock().expect("the template lock can be taken");
    if template.exists() {
        return template;
    }
    // Migrate in a scratch directory, then write one checkpointed file beside the template
    // and rename it: a creator killed half-way leaves no template behind, only scratch.
    let scratch = tempfile::tempdir_in(&dir).expect("a scratch directory for the template");
    let db = kezek_core::db::Db::connect_url(&sqlite_url(&scratch.path().join("work.db")), 1)
        .await
        .expect("the scratch SQLite database opens");
    kezek_core::db::migrate::run(&db)
        .await
        .expect("the migrations apply to the SQLite template");
    let written = scratch.path().join("template.db");
    let quoted = written.display().to_string().replace('\'', "''");
    sqlx::raw_sql(AssertSqlSafe(format!("VACUUM INTO '{quoted}'")))
        .execute(db.pool())
        .await
        .expect("the SQLite template can be written");
    db.close().await;
    std::fs::rename(&written, &template).expect("the SQLite template can be put in place");
    template
}

/// The migrated PostgreSQL template's name, created by the first test process that needs it.
async fn postgres_template() -> String {
    let admin = admin_url();
    let hash = schema_hash();
    let template = format!("kezek_tpl_{hash}");
    let mut conn = admin_connection(&admin).await;
    if !database_exists(&mut conn, &template).await {
        execute(
            &mut conn,
            format!("SELECT pg_advisory_lock({TEMPLATE_LOCK})"),
        )
        .await;
        if !database_exists(&mut conn, &template).await {
            // Migrated under another name and renamed when complete; a creator that died
            // half-way left only that other name, dropped here.
            let building = format!("kezek_tplnew_{hash}");
            execute(
                &mut conn,
                format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"),
            )
            .await;
            execute(&mut conn, format!("CREATE DATABASE {building}")).await;
            let db = kezek_core::db::Db::connect_url(&database_url(&admin, &building), 1)
                .await
                .expect("the new template database opens");
            kezek_core::db::migrate::run(&db)
                .await
                .expect("the migrations apply to the PostgreSQL template");
            // Copying from a template needs it to have no sessions. Refusing connections from
            // now on keeps autovacuum out too, whose visits would make a copy wait.
            db.close().await;
            execute(
                &mut conn,
                format!("ALTER DATABASE {building} WITH ALLOW_CONNECTIONS false"),
            )
            .await;
            execute(
                &mut conn,
                format!("ALTER DATABASE {building} RENAME TO {template}"),
            )
            .await;
        }
        execute(
            &mut conn,
            format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK})"),
        )
        .await;
    }
    let _ = conn.close().await;
    template
}

async fn database_exists(conn: &mut AnyConnection, name: &str) -> bool {
    sqlx::query_scalar::<_, i32>("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(name)
        .fetch_optional(conn)
        .await
        .expect("pg_database can be read")
        .is_some()
}
