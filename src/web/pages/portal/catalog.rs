//! "Каталог дошкольных организаций": the region's organizations with a text search and filters.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Query as QueryParams;
use axum::http::StatusCode;
use axum::response::Response;

use super::{Choices, Options, PAGE_SIZE, Query, internal, pager};
use crate::orgs::{GroupKind, Ownership};
use crate::portal::catalog::{self, CatalogFilter};
use crate::portal::page_count;
use crate::web::page::{FormState, Page};

/// Longer searches are cut: nobody types a name this long, and the search stays cheap.
const MAX_SEARCH_CHARS: usize = 100;

struct LineView {
    href: String,
    name: String,
    address: String,
    locality: String,
    languages: String,
    free_places: i64,
}

#[derive(Template)]
#[template(path = "catalog.html")]
struct CatalogTemplate<'a> {
    page: &'a Page,
    form: FormState,
    choices: Choices,
    ownerships: Options,
    with_free_places: bool,
    total: i64,
    lines: Vec<LineView>,
    page_no: i64,
    pages: i64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

pub async fn page(
    page: Page,
    QueryParams(typed): QueryParams<HashMap<String, String>>,
) -> Response {
    let page = page.titled("catalog-title");
    let region = page.ctx.region;
    let choices = match Choices::load(&page, region).await {
        Ok(c) => c,
        Err(e) => return internal(&page, e),
    };
    let ownerships: Options = [Ownership::State, Ownership::Private]
        .iter()
        .map(|o| (o.as_str().to_owned(), page.t(o.message_key())))
        .collect();
    let mut query = Query::new(&typed);
    let search: Option<String> = typed
        .get("q")
        .map(|s| s.trim().chars().take(MAX_SEARCH_CHARS).collect::<String>())
        .filter(|s| !s.is_empty());
    if let Some(s) = &search {
        query.kept.push(("q", s.clone()));
    }
    let with_free_places = typed.get("free").is_some_and(|v| v == "1");
    if with_free_places {
        query.kept.push(("free", "1".to_owned()));
    }
    let filter = CatalogFilter {
        search,
        locality: query.locality(&choices.localities),
        ownership: query
            .pick("ownership", &ownerships)
            .and_then(|o| Ownership::parse(&o)),
        language: query.pick("language", &choices.languages),
        kind: query
            .pick("kind", &choices.kinds)
            .and_then(|k| GroupKind::parse(&k)),
        correction_type: query.pick("correction", &choices.correction_types),
        with_free_places,
    };
    let page_no = query.page_no();
    let lang = page.lang_code();
    let (found, total) = match catalog::search(
        &page.app.db,
        region.code,
        lang,
        &filter,
        (page_no - 1) * PAGE_SIZE,
        PAGE_SIZE,
    )
    .await
    {
        Ok(found) => found,
        Err(e) => return internal(&page, e),
    };
    let pages = page_count(total, PAGE_SIZE);
    let (prev_href, next_href) = pager("/catalog", &query, page_no, pages);
    let mut form = FormState::default();
    for name in ["q", "kato", "ownership", "language", "kind", "correction"] {
        form.set_value(name, query.value(name));
    }
    let lines = found
        .iter()
        .map(|e| LineView {
            href: format!("/catalog/{}", e.id),
            name: e.name(lang).to_owned(),
            address: e.address.clone(),
            locality: e.locality(lang).to_owned(),
            languages: e
                .languages
                .iter()
                .map(|l| choices.language_name(l))
                .collect::<Vec<_>>()
                .join(", "),
            free_places: e.free_places,
        })
        .collect();
    page.render(
        StatusCode::OK,
        &CatalogTemplate {
            page: &page,
            form,
            choices,
            ownerships,
            with_free_places,
            total,
            lines,
            page_no,
            pages,
            prev_href,
            next_href,
        },
    )
}
