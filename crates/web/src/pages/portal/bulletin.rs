//! "Бюллетень свободных мест" as a page with filters, as JSON and as an Atom feed. The three
//! read the same filters; the JSON and the feed also take `?region=` (a feed reader has no
//! region cookie).

use std::collections::HashMap;

use askama::Template;
use axum::Json;
use axum::extract::Query as QueryParams;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;

use super::{Choices, Options, PAGE_SIZE, Query, birth_years, pager};
use crate::error::PageResult;
use crate::page::{FormState, Page};
use kezek_core::domain::region::{self, Region};
use kezek_core::domain::{Names, time};
use kezek_core::paging;
use kezek_core::portal::atom::{self, Entry, Feed};
use kezek_core::portal::bulletin::{self, BulletinFilter, BulletinPage, BulletinPlace};
use kezek_core::portal::{filters, page_count};

/// Entries in the feed: the newest places.
const FEED_SIZE: i64 = 100;

struct Filters<'a> {
    choices: Choices,
    organizations: Options,
    years: Options,
    query: Query<'a>,
    filter: BulletinFilter,
}

/// The region's active organizations, by name, for the organization filter.
async fn organization_options(page: &Page, region: &Region) -> PageResult<Options> {
    // The region's organizations change rarely; a minute-old list is read from the cache.
    let rows = page
        .app
        .public_figures
        .organizations
        .get_or_compute(region.code, || async {
            filters::organizations(page.app.db.pool(), region.code)
                .await
                .map(std::sync::Arc::new)
        })
        .await?;
    let lang = page.lang_code();
    let mut options: Options = rows
        .iter()
        .map(|(id, kk, ru)| {
            (
                id.to_string(),
                Names::new(kk, ru, None).get(lang).to_owned(),
            )
        })
        .collect();
    options.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(options)
}

async fn read_filters<'a>(
    page: &Page,
    region: &Region,
    typed: &'a HashMap<String, String>,
) -> PageResult<Filters<'a>> {
    let choices = Choices::load(page, region).await?;
    let organizations = organization_options(page, region).await?;
    let years = birth_years(page.app.now());
    let mut query = Query::new(typed);
    let read = filters::bulletin(typed, &choices.accepted(&organizations, &years));
    query.kept = read.kept;
    let filter = read.filter;
    Ok(Filters {
        choices,
        organizations,
        years,
        query,
        filter,
    })
}

struct PlaceView {
    org_href: String,
    organization: String,
    address: String,
    group: String,
    birth_year: i64,
    language: String,
    kind: String,
    available_from: String,
    published_iso: String,
    published: String,
    state: &'static str,
    state_text: String,
}

fn place_view(page: &Page, choices: &Choices, p: &BulletinPlace) -> PlaceView {
    let mut kind = page.group_kind(&p.kind);
    if let Some(c) = &p.correction_type {
        kind = format!("{kind} ({})", choices.correction_name(c));
    }
    PlaceView {
        org_href: format!("/catalog/{}", p.organization_id),
        organization: p.organization_name(page.lang_code()).to_owned(),
        address: p.address.clone(),
        group: p.group_name.clone(),
        birth_year: p.birth_year,
        language: choices.language_name(&p.language).to_owned(),
        kind,
        available_from: time::iso_day(&p.available_from),
        published_iso: atom::date(p.published_at),
        published: time::seconds(p.published_at),
        state: p.state.as_str(),
        state_text: page.t(p.state.message_key()),
    }
}

#[derive(Template)]
#[template(path = "bulletin.html")]
struct BulletinTemplate<'a> {
    page: &'a Page,
    form: FormState,
    choices: Choices,
    organizations: Options,
    years: Options,
    /// Some filter is chosen: "nothing found" rather than "no free places".
    filtered: bool,
    total: u64,
    places: Vec<PlaceView>,
    page_no: u64,
    pages: u64,
    prev_href: Option<String>,
    next_href: Option<String>,
    feed_href: String,
    json_href: String,
}

pub async fn page(
    page: Page,
    QueryParams(typed): QueryParams<HashMap<String, String>>,
) -> PageResult {
    let page = page.titled("bulletin-title");
    let region = page.ctx.region;
    let f = read_filters(&page, region, &typed).await?;
    let (filter, db) = (&f.filter, &page.app.db);
    let (paged, places) = paging::fetch(
        f.query.page_no(),
        PAGE_SIZE as u64,
        |offset, limit| async move {
            let (places, total) = bulletin::places(db, region.code, filter, offset, limit).await?;
            Ok::<_, anyhow::Error>((u64::try_from(total).unwrap_or(0), places))
        },
    )
    .await?;
    let (prev_href, next_href) = pager("/bulletin", &f.query, &paged);
    let mut form = FormState::default();
    for name in ["kato", "org", "year", "language", "kind", "correction"] {
        form.set_value(name, f.query.value(name));
    }
    let places = places
        .iter()
        .map(|p| place_view(&page, &f.choices, p))
        .collect();
    let with_region = f.query.query_string(&[("region", region.code.to_owned())]);
    let feed_href = format!("/bulletin.atom?{with_region}");
    let json_href = format!("/bulletin.json?{with_region}");
    page.render(
        StatusCode::OK,
        &BulletinTemplate {
            page: &page,
            form,
            choices: f.choices,
            organizations: f.organizations,
            years: f.years,
            filtered: !f.query.kept.is_empty(),
            total: paged.total,
            places,
            page_no: paged.page,
            pages: paged.pages,
            prev_href,
            next_href,
            feed_href,
            json_href,
        },
    )
}

/// The region asked for with `?region=`, else the visitor's.
fn region_of(page: &Page, typed: &HashMap<String, String>) -> &'static Region {
    typed
        .get("region")
        .and_then(|code| region::find(code.trim()))
        .unwrap_or(page.ctx.region)
}

/// Lists and feeds change when places are published: readers may keep them a minute.
const CACHE: &str = "public, max-age=60";

pub async fn json(
    page: Page,
    QueryParams(typed): QueryParams<HashMap<String, String>>,
) -> PageResult {
    let region = region_of(&page, &typed);
    let f = read_filters(&page, region, &typed).await?;
    // Like the open-data API: a page past the end has no places, so a reader paging until it
    // gets none always stops.
    let page_no = f.query.page_no();
    let (places, total) = bulletin::places(
        &page.app.db,
        region.code,
        &f.filter,
        paging::offset_of(page_no, PAGE_SIZE as u64),
        PAGE_SIZE,
    )
    .await?;
    let body = BulletinPage {
        region_code: region.code.to_owned(),
        page: i64::try_from(page_no).unwrap_or(i64::MAX),
        pages: page_count(total, PAGE_SIZE),
        page_size: PAGE_SIZE,
        total,
        places,
    };
    Ok(([(header::CACHE_CONTROL, CACHE)], Json(body)).into_response())
}

/// `https://host` of the site: the configured public address, else the one the request came to.
fn site_base(page: &Page, headers: &HeaderMap) -> String {
    if let Some(url) = &page.app.settings.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

pub async fn atom(
    page: Page,
    headers: HeaderMap,
    QueryParams(typed): QueryParams<HashMap<String, String>>,
) -> PageResult {
    let region = region_of(&page, &typed);
    let f = read_filters(&page, region, &typed).await?;
    let (places, _) = bulletin::places(&page.app.db, region.code, &f.filter, 0, FEED_SIZE).await?;
    let base = site_base(&page, &headers);
    let host = base.split("://").nth(1).unwrap_or("localhost");
    let filters = f.query.query_string(&[]);
    let with_region = f.query.query_string(&[("region", region.code.to_owned())]);
    let back = if filters.is_empty() {
        "/bulletin".to_owned()
    } else {
        format!("/bulletin?{filters}")
    };
    let lang = page.lang_code();
    let entries: Vec<Entry> = places
        .iter()
        .map(|p| {
            let view = place_view(&page, &f.choices, p);
            let title = page.t_with(
                "bulletin-feed-entry-title",
                &[
                    ("organization", view.organization.clone()),
                    ("group", view.group.clone()),
                    ("year", p.birth_year.to_string()),
                ],
            );
            let summary = page.t_with(
                "bulletin-feed-entry-summary",
                &[
                    ("state", view.state_text.clone()),
                    ("language", view.language.clone()),
                    ("kind", view.kind.clone()),
                    ("from", view.available_from.clone()),
                    ("published", view.published.clone()),
                    ("address", view.address.clone()),
                ],
            );
            Entry {
                id: atom::tag_uri(host, &format!("vacancy/{}", p.vacancy_id)),
                title,
                updated: p.changed_at,
                link: format!("{base}{}", view.org_href),
                summary,
            }
        })
        .collect();
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or_else(|| page.app.now());
    let feed = Feed {
        id: atom::tag_uri(
            host,
            &format!(
                "bulletin/{}{}{filters}",
                region.code,
                if filters.is_empty() { "" } else { "?" }
            ),
        ),
        title: format!("{} — {}", page.t("bulletin-title"), region.name(lang)),
        updated,
        self_link: format!("{base}/bulletin.atom?{with_region}"),
        // Through the region switcher, so the page shows the feed's region.
        alternate_link: format!(
            "{base}/region?{}",
            serde_urlencoded::to_string([("code", region.code), ("back", back.as_str())])
                .unwrap_or_default()
        ),
        lang: lang.to_owned(),
        entries,
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        atom::render(&feed),
    )
        .into_response())
}
