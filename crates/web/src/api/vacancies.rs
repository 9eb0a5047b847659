//! `GET /api/v1/vacancies`: the free-places bulletin of a region, filtered as the bulletin page is
//! (`kezek_core::portal::filters`), but a value it would ignore is a 400.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiResult, all_accepted, cached, listing, typed};
use kezek_core::app::App;
use kezek_core::domain::time;
use kezek_core::paging::offset_of;
use kezek_core::portal::bulletin::{self, BulletinPlace};
use kezek_core::portal::{filters, page_count};

const PER_PAGE: i64 = 50;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VacanciesQuery {
    /// The region's 2-digit KATO code, e.g. `71`.
    region: Option<String>,
    /// A locality of the region (its 9-digit KATO code); the whole region when absent.
    kato: Option<String>,
    /// One active organization of the region (its id).
    org: Option<String>,
    /// The group's birth year: this year or one of the seven before it.
    year: Option<String>,
    /// The group's language of instruction (`kk`, `ru`, …).
    language: Option<String>,
    /// `regular`, `correctional` or `sanatorium`.
    kind: Option<String>,
    /// The correction type's code, e.g. `speech`.
    correction: Option<String>,
    /// 1-based page of 50 places, newest first.
    page: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VacanciesPage {
    region: String,
    /// Places matching, on all pages.
    total: i64,
    page: i64,
    pages: i64,
    per_page: i64,
    /// Newest first.
    vacancies: Vec<Vacancy>,
}

/// One published place: its organization and group, nothing about any child.
#[derive(Debug, Serialize, ToSchema)]
pub struct Vacancy {
    id: i64,
    /// `open` (free, waiting for the next child in the queue) or `offered` (a direction for it
    /// is issued and not yet used or closed).
    state: String,
    /// Kazakhstan time, RFC 3339.
    published_at: String,
    /// When the place last changed: published, offered, or back from a direction.
    changed_at: String,
    /// `YYYY-MM-DD`.
    available_from: String,
    organization_id: i64,
    organization_name_kk: String,
    organization_name_ru: String,
    address: String,
    kato: String,
    group_id: i64,
    group_name: String,
    birth_year: i64,
    language: String,
    kind: String,
    correction_type: Option<String>,
}

impl From<BulletinPlace> for Vacancy {
    fn from(p: BulletinPlace) -> Vacancy {
        Vacancy {
            id: p.vacancy_id,
            state: p.state.as_str().to_owned(),
            published_at: time::rfc3339(p.published_at),
            changed_at: time::rfc3339(p.changed_at),
            available_from: p.available_from,
            organization_id: p.organization_id,
            organization_name_kk: p.organization_name_kk,
            organization_name_ru: p.organization_name_ru,
            address: p.address,
            kato: p.kato,
            group_id: p.group_id,
            group_name: p.group_name,
            birth_year: p.birth_year,
            language: p.language,
            kind: p.kind,
            correction_type: p.correction_type,
        }
    }
}

/// The free-places bulletin: every published place of the region still free or offered by a
/// direction, with the bulletin page's filters.
#[utoipa::path(
    get,
    path = "/api/v1/vacancies",
    tag = "vacancies",
    params(VacanciesQuery),
    responses(
        (status = 200, description = "The page", body = VacanciesPage),
        (status = 304, description = "Not modified since the ETag sent in If-None-Match"),
        (status = 400, description = "A parameter is missing or wrong", body = super::ApiError),
    )
)]
pub async fn vacancies(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<VacanciesQuery>,
) -> ApiResult {
    let (region, page_no, accepted) = listing(&app, q.region.as_deref(), q.page.as_deref()).await?;
    let typed = typed([
        ("kato", q.kato),
        ("org", q.org),
        ("year", q.year),
        ("language", q.language),
        ("kind", q.kind),
        ("correction", q.correction),
    ]);
    let read = filters::bulletin(&typed, &accepted);
    all_accepted(&read.rejected)?;
    let (places, total) = bulletin::places(
        &app.db,
        region.code,
        &read.filter,
        offset_of(page_no as u64, PER_PAGE as u64),
        PER_PAGE,
    )
    .await?;
    let body = VacanciesPage {
        region: region.code.to_owned(),
        total,
        page: page_no,
        pages: page_count(total, PER_PAGE),
        per_page: PER_PAGE,
        vacancies: places.into_iter().map(Vacancy::from).collect(),
    };
    cached(&headers, &body)
}
