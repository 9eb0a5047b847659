//! Bulk writes for generated data (the benchmark's and drills' region, the demo): multi-row
//! INSERTs with literal values, and what a database filled at once needs afterwards.

use sqlx::AssertSqlSafe;

use crate::{Backend, Conn, Db, Error, Executor};

/// A value of a generated row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    Text(String),
    Null,
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_owned())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

/// Buffers rows of one table and writes them as multi-row INSERTs with literal values. Binding
/// thousands of parameters costs more than the insert itself (sqlx's SQLite driver spends time
/// quadratic in their number), and literals have no bind limit; every value is an integer or a
/// string quoted by `literal`, and table and column names are the caller's constants.
pub struct Inserter {
    table: &'static str,
    columns: &'static [&'static str],
    buf: Vec<Value>,
}

/// Rows per statement: a statement of a few hundred KB, well under SQLite's 1 MB default limit.
const ROWS_PER_CHUNK: usize = 500;

/// A value as SQL text: integers as digits, text in single quotes (doubled inside, standard SQL
/// that SQLite and PostgreSQL, with its default standard_conforming_strings, read alike). NUL
/// cannot be stored in PostgreSQL's text and is dropped.
fn literal(v: &Value, out: &mut String) {
    match v {
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Text(s) => {
            out.push('\'');
            for c in s.chars().filter(|c| *c != '\0') {
                if c == '\'' {
                    out.push('\'');
                }
                out.push(c);
            }
            out.push('\'');
        }
        Value::Null => out.push_str("NULL"),
    }
}

impl Inserter {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Inserter {
        Inserter {
            table,
            columns,
            buf: Vec::new(),
        }
    }

    fn sql(&self) -> String {
        let n = self.columns.len();
        let mut sql = format!(
            "INSERT INTO {} ({}) VALUES ",
            self.table,
            self.columns.join(", ")
        );
        for (r, row) in self.buf.chunks(n).enumerate() {
            if r > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for (c, v) in row.iter().enumerate() {
                if c > 0 {
                    sql.push_str(", ");
                }
                literal(v, &mut sql);
            }
            sql.push(')');
        }
        sql
    }

    /// Buffers a row of one value per column; `flush_full` or `flush` writes it.
    pub fn push(&mut self, row: Vec<Value>) {
        assert_eq!(row.len(), self.columns.len(), "a row of {}", self.table);
        self.buf.extend(row);
    }

    pub fn is_full(&self) -> bool {
        self.buf.len() >= ROWS_PER_CHUNK * self.columns.len()
    }

    /// Writes the buffered rows, if any.
    pub async fn flush(&mut self, conn: &mut Conn) -> Result<(), Error> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let sql = self.sql();
        self.buf.clear();
        sqlx::raw_sql(AssertSqlSafe(sql)).execute(conn).await?;
        Ok(())
    }
}

/// Once any of `tables` has a full chunk, writes all of them, in the order given: a table's rows
/// reach the database only after the rows they refer to.
pub async fn flush_full(conn: &mut Conn, tables: &mut [&mut Inserter]) -> Result<(), Error> {
    if tables.iter().any(|t| t.is_full()) {
        for t in tables.iter_mut() {
            t.flush(conn).await?;
        }
    }
    Ok(())
}

/// The largest id in `table`, 0 when it is empty: generated rows take explicit ids after it.
pub async fn max_id(e: impl Executor<'_>, table: &'static str) -> Result<i64, Error> {
    sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT COALESCE(MAX(id), 0) FROM {table}"
    )))
    .fetch_one(e)
    .await
}

/// How many rows `table` holds.
pub async fn count(e: impl Executor<'_>, table: &'static str) -> Result<i64, Error> {
    sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(e)
        .await
}

/// Every child's IIN, so that generated ones do not collide with them.
pub async fn child_iins(e: impl Executor<'_>) -> Result<Vec<String>, Error> {
    sqlx::query_scalar("SELECT iin FROM children")
        .fetch_all(e)
        .await
}

/// The preferences' copy of their application's queue keys, as filing an application writes it,
/// for preferences inserted without it.
pub async fn copy_queue_keys_to_preferences(e: impl Executor<'_>) -> Result<(), Error> {
    sqlx::query(
        "UPDATE application_preferences SET
            kind = (SELECT a.kind FROM applications a WHERE a.id = application_preferences.application_id),
            birth_year = (SELECT a.birth_year FROM applications a WHERE a.id = application_preferences.application_id),
            correction_type = (SELECT a.correction_type FROM applications a WHERE a.id = application_preferences.application_id)
         WHERE kind IS NULL",
    )
    .execute(e)
    .await?;
    Ok(())
}

/// After rows were written with explicit ids into `tables`: moves PostgreSQL's identity
/// sequences past them (later inserts would collide), and gives the planner the statistics (and
/// PostgreSQL the visibility map, without which index-only scans visit every row's page) that a
/// database which grew slowly would have.
pub async fn finish(db: &Db, tables: &[&'static str]) -> Result<(), Error> {
    if db.backend() == Backend::Postgres {
        for table in tables {
            sqlx::query(AssertSqlSafe(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                 (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )))
            .execute(db.pool())
            .await?;
        }
        sqlx::raw_sql("VACUUM ANALYZE").execute(db.pool()).await?;
    } else {
        // What `PRAGMA optimize` in `serve`'s housekeeping gives a database that grew slowly.
        sqlx::raw_sql("ANALYZE").execute(db.pool()).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Inserter, Value};

    #[test]
    fn values_are_written_as_literals() {
        let mut i = Inserter::new("t", &["a", "b", "c"]);
        i.push(vec![Value::Int(-7), "O'Brien".into(), Value::Null]);
        i.push(vec![Value::Int(1), "Ж\0".into(), None::<i64>.into()]);
        assert_eq!(
            i.sql(),
            "INSERT INTO t (a, b, c) VALUES (-7, 'O''Brien', NULL), (1, 'Ж', NULL)"
        );
        assert!(!i.is_full());
    }
}
