//! The public portal's pages beside the home page: the free-places bulletin (`/bulletin`, with
//! `/bulletin.json` and the Atom feed `/bulletin.atom`), the catalog of organizations
//! (`/catalog`) and an organization's page (`/catalog/{id}`). The data comes from
//! `kezek_core::portal`; these handlers read the filters and translate.
//!
//! Filters are GET parameters checked against what may be chosen (`kezek_core::portal::filters`, which
//! the open-data API shares): a value that is not among the choices is ignored, never an error.

mod bulletin;
mod catalog;
mod organization;

use std::collections::HashMap;

use axum::Router;
use axum::routing::get;

use crate::error::PageResult;
use crate::page::Page;
use kezek_core::app::App;
use kezek_core::domain::region::Region;
use kezek_core::orgs::GroupKind;
use kezek_core::paging::Pager;
use kezek_core::portal::filters::{self, Accepted};
use kezek_core::reference::{self, ReferenceKind};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/bulletin", get(bulletin::page))
        .route("/bulletin.json", get(bulletin::json))
        .route("/bulletin.atom", get(bulletin::atom))
        .route("/catalog", get(catalog::page))
        .route("/catalog/{id}", get(organization::page))
}

/// Lines on one page of the bulletin and of the catalog.
const PAGE_SIZE: i64 = 50;

type Options = Vec<(String, String)>;

/// The choices the portal's filters share, in the visitor's language.
struct Choices {
    localities: Options,
    languages: Options,
    kinds: Options,
    correction_types: Options,
}

impl Choices {
    async fn load(page: &Page, region: &Region) -> PageResult<Choices> {
        let lang = page.lang_code();
        let pool = page.app.db.pool();
        let items = |list: Vec<reference::ReferenceItem>| -> Options {
            list.into_iter()
                .map(|i| {
                    let name = i.name(lang).to_owned();
                    (i.code, name)
                })
                .collect()
        };
        Ok(Choices {
            localities: super::queue::locality_options(page, region.code).await?,
            languages: items(reference::list(pool, ReferenceKind::Language, false).await?),
            kinds: GroupKind::ALL
                .iter()
                .map(|k| (k.as_str().to_owned(), page.t(k.message_key())))
                .collect(),
            correction_types: items(
                reference::list(pool, ReferenceKind::CorrectionType, false).await?,
            ),
        })
    }

    /// The codes that may be chosen, with the bulletin's organizations and birth years.
    fn accepted(&self, organizations: &Options, years: &Options) -> Accepted {
        let codes = |options: &Options| options.iter().map(|(code, _)| code.clone()).collect();
        Accepted {
            localities: codes(&self.localities),
            languages: codes(&self.languages),
            correction_types: codes(&self.correction_types),
            organizations: organizations
                .iter()
                .filter_map(|(id, _)| id.parse().ok())
                .collect(),
            birth_years: years.iter().filter_map(|(y, _)| y.parse().ok()).collect(),
        }
    }

    fn language_name<'a>(&'a self, code: &'a str) -> &'a str {
        name_in(&self.languages, code)
    }

    fn correction_name<'a>(&'a self, code: &'a str) -> &'a str {
        name_in(&self.correction_types, code)
    }
}

fn name_in<'a>(options: &'a Options, code: &'a str) -> &'a str {
    options
        .iter()
        .find(|(c, _)| c == code)
        .map_or(code, |(_, name)| name.as_str())
}

fn birth_years(now: i64) -> Options {
    filters::birth_years(now)
        .into_iter()
        .map(|y| (y.to_string(), y.to_string()))
        .collect()
}

/// Filters as typed and, once read (`kezek_core::portal::filters`), the values kept for the form and
/// the links to other pages of the same list.
struct Query<'a> {
    typed: &'a HashMap<String, String>,
    kept: Vec<(&'static str, String)>,
}

impl<'a> Query<'a> {
    fn new(typed: &'a HashMap<String, String>) -> Query<'a> {
        Query {
            typed,
            kept: Vec::new(),
        }
    }

    /// 1-based, 1 when missing or unreadable (see [`kezek_core::paging::requested`]).
    fn page_no(&self) -> u64 {
        kezek_core::paging::requested(self.typed.get("page").map(String::as_str))
    }

    fn value(&self, name: &str) -> String {
        self.kept
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// The kept filters (and a page number) as a query string.
    fn query_string(&self, extra: &[(&str, String)]) -> String {
        let pairs: Vec<(&str, String)> = self
            .kept
            .iter()
            .map(|(n, v)| (*n, v.clone()))
            .chain(extra.iter().cloned())
            .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// Links to the previous and next pages of a list at `path`.
fn pager(path: &str, q: &Query<'_>, pager: &Pager) -> (Option<String>, Option<String>) {
    let link = |n: u64| format!("{path}?{}", q.query_string(&[("page", n.to_string())]));
    (pager.prev().map(link), pager.next().map(link))
}
