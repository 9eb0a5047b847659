//! The public portal's reads: the free-places bulletin (`bulletin`), the catalog of
//! organizations (`catalog`), the home page's figures and an organization's queues
//! (`figures`), and the values the filters accept (here). KATO ranges arrive as
//! `(low, high)` codes, one index range each.

pub mod bulletin;
pub mod catalog;
pub mod figures;

use sqlx::Arguments;
use sqlx::any::AnyArguments;

use crate::{Error, Executor};

/// A bind value of a query whose conditions depend on the filters chosen.
#[derive(Debug, Clone)]
enum Bind {
    Int(i64),
    Text(String),
}

/// `WHERE` conditions and their binds, numbered `$1`, `$2`, … in the order they are added.
#[derive(Debug, Default, Clone)]
struct Conditions {
    sql: Vec<String>,
    binds: Vec<Bind>,
}

impl Conditions {
    /// Adds a condition; each `?` in `sql` becomes the next `$n`, bound to the next value.
    fn push(&mut self, sql: &str, values: impl IntoIterator<Item = Bind>) {
        let mut out = String::with_capacity(sql.len() + 8);
        let mut values = values.into_iter();
        for c in sql.chars() {
            if c == '?' {
                let value = values.next().expect("a value for each placeholder");
                self.binds.push(value);
                out.push_str(&format!("${}", self.binds.len()));
            } else {
                out.push(c);
            }
        }
        self.sql.push(out);
    }

    fn where_clause(&self) -> String {
        if self.sql.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.sql.join(" AND "))
        }
    }

    /// The next free placeholder number.
    fn next(&self) -> usize {
        self.binds.len() + 1
    }

    fn arguments(&self, extra: &[i64]) -> AnyArguments {
        let mut args = AnyArguments::default();
        // Adding an integer or a string to `AnyArguments` cannot fail.
        for bind in &self.binds {
            let _ = match bind {
                Bind::Int(v) => args.add(*v),
                Bind::Text(s) => args.add(s.clone()),
            };
        }
        for v in extra {
            let _ = args.add(*v);
        }
        args
    }
}

/// The region's localities as `(code, name_kk, name_ru)`, by code: the unit `low` itself, its
/// direct units and wherever an active organization between `low` and `high` is.
pub async fn localities(
    e: impl Executor<'_>,
    low: &str,
    high: &str,
) -> Result<Vec<(String, String, String)>, Error> {
    sqlx::query_as(
        "SELECT k.code, k.name_kk, k.name_ru FROM kato k
         WHERE k.code = $1 OR k.parent_code = $1
            OR k.code IN (SELECT o.kato FROM organizations o WHERE o.active = 1 AND o.kato >= $2 AND o.kato <= $3)
         ORDER BY k.code",
    )
    .bind(low)
    .bind(low)
    .bind(high)
    .fetch_all(e)
    .await
}

/// The active organizations between `low` and `high` as `(id, name_kk, name_ru)`, by Russian name.
pub async fn organizations(
    e: impl Executor<'_>,
    low: &str,
    high: &str,
) -> Result<Vec<(i64, String, String)>, Error> {
    sqlx::query_as(
        "SELECT id, name_kk, name_ru FROM organizations
         WHERE active = 1 AND kato >= $1 AND kato <= $2 ORDER BY name_ru, id",
    )
    .bind(low)
    .bind(high)
    .fetch_all(e)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut c = Conditions::default();
        c.push(
            "o.kato >= ? AND o.kato <= ?",
            [Bind::Text("a".into()), Bind::Text("b".into())],
        );
        c.push("g.birth_year = ?", [Bind::Int(2022)]);
        assert_eq!(
            c.where_clause(),
            "WHERE o.kato >= $1 AND o.kato <= $2 AND g.birth_year = $3"
        );
        assert_eq!(c.next(), 4);
    }
}
