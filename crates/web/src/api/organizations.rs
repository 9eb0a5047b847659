//! `GET /api/v1/organizations`: the catalog of a region's preschool organizations, searched and
//! filtered as the catalog page is (`kezek_core::portal::filters`), but a value it would ignore is a 400.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiResult, all_accepted, cached, listing, typed};
use kezek_core::app::App;
use kezek_core::paging::offset_of;
use kezek_core::portal::catalog::{self, CatalogEntry};
use kezek_core::portal::{filters, page_count};

const PER_PAGE: i64 = 50;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationsQuery {
    /// The region's 2-digit KATO code, e.g. `71`.
    region: Option<String>,
    /// A locality of the region (its 9-digit KATO code); the whole region when absent.
    kato: Option<String>,
    /// Words each found in a name (kk or ru), the BIN or the address, in any case.
    q: Option<String>,
    /// `state` or `private`.
    ownership: Option<String>,
    /// A language of instruction's code (`kk`, `ru`, …): the card's or an open group's.
    language: Option<String>,
    /// Has an open group of this kind: `regular`, `correctional` or `sanatorium`.
    kind: Option<String>,
    /// Has an open group of this correction type (its code, e.g. `speech`).
    correction: Option<String>,
    /// `1`: only organizations with free places published now; `0` or absent: any.
    free: Option<String>,
    /// 1-based page of 50 organizations.
    page: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationsPage {
    region: String,
    /// Organizations matching, on all pages.
    total: i64,
    page: i64,
    pages: i64,
    per_page: i64,
    /// By Russian name.
    organizations: Vec<OrganizationLine>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationLine {
    /// Its card: `/api/v1/organizations/{id}`.
    id: i64,
    bin: String,
    name_kk: String,
    name_ru: String,
    address: String,
    kato: String,
    locality_kk: Option<String>,
    locality_ru: Option<String>,
    /// `state` or `private`.
    ownership: String,
    /// Language codes: the card's and those of the open groups.
    languages: Vec<String>,
    /// Free places published now in its open groups.
    free_places: i64,
}

impl From<CatalogEntry> for OrganizationLine {
    fn from(e: CatalogEntry) -> OrganizationLine {
        OrganizationLine {
            id: e.id,
            bin: e.bin,
            name_kk: e.name_kk,
            name_ru: e.name_ru,
            address: e.address,
            kato: e.kato,
            locality_kk: e.locality_kk,
            locality_ru: e.locality_ru,
            ownership: e.ownership,
            languages: e.languages,
            free_places: e.free_places,
        }
    }
}

/// The catalog of a region's active preschool organizations, with the search and filters of the
/// catalog page.
#[utoipa::path(
    get,
    path = "/api/v1/organizations",
    tag = "organizations",
    params(OrganizationsQuery),
    responses(
        (status = 200, description = "The page", body = OrganizationsPage),
        (status = 304, description = "Not modified since the ETag sent in If-None-Match"),
        (status = 400, description = "A parameter is missing or wrong", body = super::ApiError),
    )
)]
pub async fn organizations(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<OrganizationsQuery>,
) -> ApiResult {
    let (region, page_no, accepted) = listing(&app, q.region.as_deref(), q.page.as_deref()).await?;
    let typed = typed([
        ("kato", q.kato),
        ("q", q.q),
        ("ownership", q.ownership),
        ("language", q.language),
        ("kind", q.kind),
        ("correction", q.correction),
        ("free", q.free),
    ]);
    let read = filters::catalog(&typed, &accepted);
    all_accepted(&read.rejected)?;
    let (found, total) = catalog::search(
        &app.db,
        &app.public_figures.catalog,
        region.code,
        "ru",
        &read.filter,
        offset_of(page_no as u64, PER_PAGE as u64),
        PER_PAGE,
    )
    .await?;
    let body = OrganizationsPage {
        region: region.code.to_owned(),
        total,
        page: page_no,
        pages: page_count(total, PER_PAGE),
        per_page: PER_PAGE,
        organizations: found.into_iter().map(OrganizationLine::from).collect(),
    };
    cached(&headers, &body)
}
