//! The public portal's data, for the pages and later the JSON API alike: the home page's live
//! figures, the free-places bulletin (with its Atom feed), the catalog of organizations and an
//! organization's public page. Nothing here names a child.

pub mod atom;
pub mod bulletin;
pub mod catalog;
pub mod figures;
pub mod filters;
pub mod map;
pub mod organization;

use sqlx::Arguments;
use sqlx::any::AnyArguments;

/// The KATO codes under a unit given by its significant digits (a region's 2, `Kato::prefix`):
/// codes are digits of one length, so "under" is one index range, `prefix000…` to `prefix999…`.
pub fn kato_range(prefix: &str) -> (String, String) {
    (format!("{prefix:0<9}"), format!("{prefix:9<9}"))
}

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

/// How many pages `total` lines make, at least one.
pub fn page_count(total: i64, page_size: i64) -> i64 {
    if page_size <= 0 {
        return 1;
    }
    ((total.max(0) + page_size - 1) / page_size).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_placeholders() {
        assert_eq!(
            kato_range("7101"),
            ("710100000".to_owned(), "710199999".to_owned())
        );
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
        assert_eq!(
            (page_count(0, 50), page_count(50, 50), page_count(51, 50)),
            (1, 1, 2)
        );
    }
}
