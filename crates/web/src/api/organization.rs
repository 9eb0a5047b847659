//! `GET /api/v1/organizations/{id}`: an organization's card as its public page shows it — open
//! groups, published places, queue sizes, rating and where it is. No person is named: not the
//! head of the organization, not a child.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use serde::Serialize;
use utoipa::ToSchema;

use super::vacancies::Vacancy;
use super::{ApiResult, Problem, cached};
use kezek_core::app::App;
use kezek_core::orgs::Group;
use kezek_core::portal::map;
use kezek_core::portal::organization::{self, QueueSize};

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationCard {
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
    /// The organization's reception phone, as on its page.
    phone: Option<String>,
    working_hours: Option<String>,
    /// Language codes: the card's and those of the open groups.
    languages: Vec<String>,
    /// Absent when unknown or not a place on the map.
    location: Option<Location>,
    rating: Rating,
    /// Open groups, youngest first.
    groups: Vec<OpenGroup>,
    /// Places published and still free or offered, newest first (at most 200).
    vacancies: Vec<Vacancy>,
    /// Children waiting for the organization, per birth year (youngest first), kind and
    /// correction type.
    queues: Vec<QueueLength>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Location {
    latitude: f64,
    longitude: f64,
    /// The place on OpenStreetMap.
    map_link: String,
}

/// Published reviews' rating, 1 to 5.
#[derive(Debug, Serialize, ToSchema)]
pub struct Rating {
    reviews: i64,
    /// Absent without reviews.
    average: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpenGroup {
    id: i64,
    name: String,
    birth_year: i64,
    language: String,
    /// `regular`, `correctional` or `sanatorium`.
    kind: String,
    correction_type: Option<String>,
    capacity: i64,
    enrolled: i64,
    /// Places published now and not yet offered.
    free_places: i64,
}

impl From<Group> for OpenGroup {
    fn from(g: Group) -> OpenGroup {
        OpenGroup {
            id: g.id,
            name: g.name,
            birth_year: g.birth_year,
            language: g.language,
            kind: g.kind,
            correction_type: g.correction_type,
            capacity: g.capacity,
            enrolled: g.enrolled,
            free_places: g.open_vacancies,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueLength {
    birth_year: i64,
    kind: String,
    correction_type: Option<String>,
    /// Children whose waiting application lists the organization.
    waiting: u64,
}

impl From<QueueSize> for QueueLength {
    fn from(q: QueueSize) -> QueueLength {
        QueueLength {
            birth_year: q.birth_year,
            kind: q.kind.as_str().to_owned(),
            correction_type: q.correction_type,
            waiting: q.waiting,
        }
    }
}

/// An active organization's card; an unknown or closed one is 404.
#[utoipa::path(
    get,
    path = "/api/v1/organizations/{id}",
    tag = "organizations",
    params(("id" = i64, Path, description = "The organization's id, as the catalog gives it")),
    responses(
        (status = 200, description = "The card", body = OrganizationCard),
        (status = 304, description = "Not modified since the ETag sent in If-None-Match"),
        (status = 404, description = "No active organization has this id", body = super::ApiError),
    )
)]
pub async fn organization(
    State(app): State<App>,
    headers: HeaderMap,
    Path(raw_id): Path<String>,
) -> ApiResult {
    // Taken as text so that a non-numeric id is the same JSON 404 as an unknown one.
    let Some(id) = raw_id.trim().parse::<i64>().ok().filter(|id| *id > 0) else {
        return Err(Problem::NotFound("no organization has this id"));
    };
    let profile = organization::profile(&app.db, id)
        .await?
        .ok_or(Problem::NotFound("no active organization has this id"))?;
    let summary = kezek_core::reviews::summary(&app.db, id).await?;
    let languages = profile.languages();
    let org = profile.organization;
    let location = match (org.latitude, org.longitude) {
        (Some(latitude), Some(longitude)) if map::on_map(latitude, longitude) => Some(Location {
            latitude,
            longitude,
            map_link: map::openstreetmap_link(latitude, longitude),
        }),
        _ => None,
    };
    let body = OrganizationCard {
        id: org.id,
        bin: org.bin,
        name_kk: org.name_kk,
        name_ru: org.name_ru,
        address: org.address,
        kato: org.kato,
        locality_kk: profile.locality_kk,
        locality_ru: profile.locality_ru,
        ownership: org.ownership,
        phone: org.phone,
        working_hours: org.working_hours,
        languages,
        location,
        rating: Rating {
            reviews: summary.count,
            average: summary.average,
        },
        groups: profile.groups.into_iter().map(OpenGroup::from).collect(),
        vacancies: profile.places.into_iter().map(Vacancy::from).collect(),
        queues: profile.queue.into_iter().map(QueueLength::from).collect(),
    };
    cached(&headers, &body)
}
