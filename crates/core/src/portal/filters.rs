//! The values the portal's filters accept in a region, and the catalog's and the bulletin's
//! filters read from GET parameters against them. The pages ignore a value that is not accepted;
//! the open-data API answers 400 naming it. Both read through here, so they accept the same.

use std::collections::HashMap;

use chrono::Datelike;

use super::bulletin::BulletinFilter;
use super::catalog::CatalogFilter;
use super::kato_range;
use crate::db::{Db, Executor};
use crate::domain::Kato;
use crate::orgs::{GroupKind, Ownership};
use crate::reference::{self, ReferenceKind};

/// Birth years offered: children of preschool age, this year and the seven before it.
const YEARS_BACK: i32 = 7;
/// Longer searches are cut: nobody types a name this long, and the search stays cheap.
pub const MAX_SEARCH_CHARS: usize = 100;

/// What may be chosen in a region's filters, as codes.
#[derive(Debug, Clone, Default)]
pub struct Accepted {
    /// 9-digit KATO codes: the region's own (the whole region), its units and the localities of
    /// its active organizations.
    pub localities: Vec<String>,
    pub languages: Vec<String>,
    pub correction_types: Vec<String>,
    /// The region's active organizations.
    pub organizations: Vec<i64>,
    pub birth_years: Vec<i64>,
}

/// The region's localities as `(code, name_kk, name_ru)`, by code: the region itself, its direct
/// units and wherever an active organization of the region is.
pub async fn localities(
    pool: impl Executor<'_>,
    region_code: &str,
) -> Result<Vec<(String, String, String)>, crate::db::Error> {
    let (low, high) = kato_range(region_code);
    crate::db::portal::localities(pool, &low, &high).await
}

/// The region's active organizations as `(id, name_kk, name_ru)`, by Russian name.
pub async fn organizations(
    pool: impl Executor<'_>,
    region_code: &str,
) -> Result<Vec<(i64, String, String)>, crate::db::Error> {
    let (low, high) = kato_range(region_code);
    crate::db::portal::organizations(pool, &low, &high).await
}

/// The birth years offered at `now`, newest first.
pub fn birth_years(now: i64) -> Vec<i64> {
    let year = crate::domain::time::local_date(now).year();
    (0..=YEARS_BACK)
        .map(|back| i64::from(year - back))
        .collect()
}

/// Everything the region's filters accept, read from the database.
pub async fn accepted(db: &Db, region_code: &str, now: i64) -> Result<Accepted, crate::db::Error> {
    let pool = db.pool();
    let codes = |items: Vec<reference::ReferenceItem>| items.into_iter().map(|i| i.code).collect();
    Ok(Accepted {
        localities: localities(pool, region_code)
            .await?
            .into_iter()
            .map(|(code, _, _)| code)
            .collect(),
        languages: codes(reference::list(pool, ReferenceKind::Language, false).await?),
        correction_types: codes(reference::list(pool, ReferenceKind::CorrectionType, false).await?),
        organizations: organizations(pool, region_code)
            .await?
            .into_iter()
            .map(|(id, _, _)| id)
            .collect(),
        birth_years: birth_years(now),
    })
}

/// A filter read from GET parameters: the values kept (for forms and links to other pages, in
/// a fixed order) and the names of the parameters whose value is not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read<F> {
    pub filter: F,
    pub kept: Vec<(&'static str, String)>,
    pub rejected: Vec<&'static str>,
}

struct Reader<'a> {
    typed: &'a HashMap<String, String>,
    kept: Vec<(&'static str, String)>,
    rejected: Vec<&'static str>,
}

impl Reader<'_> {
    /// The parameter's value if `accept` takes it; an empty value is "any", not a mistake.
    fn pick<T>(&mut self, name: &'static str, accept: impl Fn(&str) -> Option<T>) -> Option<T> {
        let value = self
            .typed
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())?;
        match accept(value) {
            Some(chosen) => {
                self.kept.push((name, value.to_owned()));
                Some(chosen)
            }
            None => {
                self.rejected.push(name);
                None
            }
        }
    }

    fn code(&mut self, name: &'static str, accepted: &[String]) -> Option<String> {
        self.pick(name, |v| {
            accepted.iter().any(|c| c == v).then(|| v.to_owned())
        })
    }

    /// A locality of the region, as the significant digits of its KATO code.
    fn locality(&mut self, accepted: &[String]) -> Option<String> {
        self.pick("kato", |v| {
            accepted
                .iter()
                .any(|c| c == v)
                .then(|| Kato::parse(v).ok().map(|k| k.prefix().to_owned()))
                .flatten()
        })
    }

    fn kind(&mut self) -> Option<GroupKind> {
        self.pick("kind", GroupKind::parse)
    }

    fn done<F>(self, filter: F) -> Read<F> {
        Read {
            filter,
            kept: self.kept,
            rejected: self.rejected,
        }
    }
}

/// The catalog's filter: `q` (cut to `MAX_SEARCH_CHARS`), `free` (`1`, or `0` for any), `kato`,
/// `ownership`, `language`, `kind` and `correction`.
pub fn catalog(typed: &HashMap<String, String>, accepted: &Accepted) -> Read<CatalogFilter> {
    let mut r = Reader {
        typed,
        kept: Vec::new(),
        rejected: Vec::new(),
    };
    let search = typed
        .get("q")
        .map(|s| s.trim().chars().take(MAX_SEARCH_CHARS).collect::<String>())
        .filter(|s| !s.is_empty());
    if let Some(s) = &search {
        r.kept.push(("q", s.clone()));
    }
    let with_free_places = r
        .pick("free", |v| match v {
            "1" => Some(true),
            "0" => Some(false),
            _ => None,
        })
        .unwrap_or(false);
    if !with_free_places {
        r.kept.retain(|(name, _)| *name != "free");
    }
    let filter = CatalogFilter {
        search,
        locality: r.locality(&accepted.localities),
        ownership: r.pick("ownership", Ownership::parse),
        language: r.code("language", &accepted.languages),
        kind: r.kind(),
        correction_type: r.code("correction", &accepted.correction_types),
        with_free_places,
    };
    r.done(filter)
}

/// The bulletin's filter: `kato`, `org`, `year`, `language`, `kind` and `correction`.
pub fn bulletin(typed: &HashMap<String, String>, accepted: &Accepted) -> Read<BulletinFilter> {
    let mut r = Reader {
        typed,
        kept: Vec::new(),
        rejected: Vec::new(),
    };
    let filter = BulletinFilter {
        locality: r.locality(&accepted.localities),
        organization_id: r.pick("org", |v| {
            v.parse()
                .ok()
                .filter(|id| accepted.organizations.contains(id))
        }),
        birth_year: r.pick("year", |v| {
            v.parse().ok().filter(|y| accepted.birth_years.contains(y))
        }),
        language: r.code("language", &accepted.languages),
        kind: r.kind(),
        correction_type: r.code("correction", &accepted.correction_types),
    };
    r.done(filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepted() -> Accepted {
        Accepted {
            localities: vec!["710000000".into(), "711200000".into()],
            languages: vec!["kk".into(), "ru".into()],
            correction_types: vec!["speech".into()],
            organizations: vec![3, 5],
            birth_years: vec![2023, 2022],
        }
    }

    fn typed(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn accepted_values_make_the_filter_and_are_kept_in_order() {
        let read = catalog(
            &typed(&[
                ("correction", "speech"),
                ("kato", " 711200000 "),
                ("q", "  ёлочка "),
                ("free", "1"),
                ("ownership", "state"),
                ("language", "ru"),
                ("kind", "correctional"),
            ]),
            &accepted(),
        );
        assert!(read.rejected.is_empty());
        assert_eq!(read.filter.locality.as_deref(), Some("7112"));
        assert_eq!(read.filter.search.as_deref(), Some("ёлочка"));
        assert!(read.filter.with_free_places);
        let names: Vec<&str> = read.kept.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            names,
            [
                "q",
                "free",
                "kato",
                "ownership",
                "language",
                "kind",
                "correction"
            ]
        );
    }

    #[test]
    fn other_values_are_rejected_by_name_and_empty_ones_mean_any() {
        let read = bulletin(
            &typed(&[
                ("kato", "750000000"),
                ("org", "4"),
                ("year", "2015"),
                ("language", "de"),
                ("kind", "nursery"),
                ("correction", ""),
            ]),
            &accepted(),
        );
        assert_eq!(read.filter, BulletinFilter::default());
        assert_eq!(read.rejected, ["kato", "org", "year", "language", "kind"]);
        assert!(read.kept.is_empty());
        let read = bulletin(&typed(&[("org", "5"), ("year", "2022")]), &accepted());
        assert_eq!(read.filter.organization_id, Some(5));
        assert_eq!(read.filter.birth_year, Some(2022));
        let read = catalog(&typed(&[("free", "yes"), ("q", "   ")]), &accepted());
        assert_eq!(read.rejected, ["free"]);
        assert_eq!(read.filter, CatalogFilter::default());
        let read = catalog(&typed(&[("free", "0")]), &accepted());
        assert!(read.rejected.is_empty() && read.kept.is_empty());
    }
}
