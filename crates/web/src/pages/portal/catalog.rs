//! "Каталог дошкольных организаций": the region's organizations with a text search and filters.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Query as QueryParams;
use axum::http::StatusCode;

use super::{Choices, Options, PAGE_SIZE, Query, pager};
use crate::error::PageResult;
use crate::page::{FormState, Page};
use kezek_core::orgs::Ownership;
use kezek_core::paging;
use kezek_core::portal::{catalog, filters};

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
    total: u64,
    lines: Vec<LineView>,
    page_no: u64,
    pages: u64,
    prev_href: Option<String>,
    next_href: Option<String>,
}

pub async fn page(
    page: Page,
    QueryParams(typed): QueryParams<HashMap<String, String>>,
) -> PageResult {
    let page = page.titled("catalog-title");
    let region = page.ctx.region;
    let choices = Choices::load(&page, region).await?;
    let ownerships: Options = [Ownership::State, Ownership::Private]
        .iter()
        .map(|o| (o.as_str().to_owned(), page.t(o.message_key())))
        .collect();
    let mut query = Query::new(&typed);
    let read = filters::catalog(&typed, &choices.accepted(&Vec::new(), &Vec::new()));
    query.kept = read.kept;
    let filter = read.filter;
    let with_free_places = filter.with_free_places;
    let lang = page.lang_code();
    let (filter, app) = (&filter, &page.app);
    let (paged, found) = paging::fetch(
        query.page_no(),
        PAGE_SIZE as u64,
        |offset, limit| async move {
            let (found, total) = catalog::search(
                &app.db,
                &app.public_figures.catalog,
                region.code,
                lang,
                filter,
                offset,
                limit,
            )
            .await?;
            Ok::<_, anyhow::Error>((u64::try_from(total).unwrap_or(0), found))
        },
    )
    .await?;
    let (prev_href, next_href) = pager("/catalog", &query, &paged);
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
            total: paged.total,
            lines,
            page_no: paged.page,
            pages: paged.pages,
            prev_href,
            next_href,
        },
    )
}
