//! An organization's public page (`/catalog/{id}`): card, groups, open places, queue sizes and
//! where it is. An unknown or closed organization is "not found".

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;

use super::Choices;
use crate::error::{PageError, PageResult};
use crate::page::Page;
use kezek_core::domain::time;
use kezek_core::orgs::Ownership;
use kezek_core::portal::map;
use kezek_core::portal::organization::{self, OrganizationProfile};

struct GroupView {
    name: String,
    birth_year: i64,
    language: String,
    kind: String,
    correction: String,
    capacity: i64,
    enrolled: i64,
    free_places: i64,
}

struct PlaceView {
    group: String,
    available_from: String,
    published: String,
    state: String,
}

struct QueueView {
    birth_year: i64,
    kind: String,
    waiting: u64,
}

/// Where it is: the coordinates, the plain link, and the tile when a tile server is configured.
struct Location {
    latitude: String,
    longitude: String,
    link: String,
    tile: Option<String>,
}

#[derive(Template)]
#[template(path = "catalog_org.html")]
struct OrganizationTemplate<'a> {
    page: &'a Page,
    name: String,
    address: String,
    locality: String,
    phone: Option<String>,
    ownership: String,
    languages: String,
    working_hours: Option<String>,
    photo: Option<String>,
    groups: Vec<GroupView>,
    places: Vec<PlaceView>,
    queue: Vec<QueueView>,
    location: Option<Location>,
    organization_id: i64,
    summary: kezek_core::reviews::RatingSummary,
    /// The newest published reviews; all of them are on `/reviews/org/{id}`.
    reviews: Vec<kezek_core::reviews::PublishedReview>,
}

/// Reviews shown on the organization's page before "all reviews".
const REVIEWS_SHOWN: usize = 3;

fn location(page: &Page, profile: &OrganizationProfile) -> Option<Location> {
    let (lat, lon) = (
        profile.organization.latitude?,
        profile.organization.longitude?,
    );
    if !map::on_map(lat, lon) {
        return None;
    }
    Some(Location {
        latitude: format!("{lat:.6}"),
        longitude: format!("{lon:.6}"),
        link: map::openstreetmap_link(lat, lon),
        tile: page
            .app
            .settings
            .map_tile_url
            .as_deref()
            .and_then(|template| map::tile_url(template, lat, lon)),
    })
}

pub async fn page(page: Page, Path(raw_id): Path<String>) -> PageResult {
    let page = page.titled("catalog-title");
    let id = raw_id
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(PageError::NotFound)?;
    let profile = organization::profile(&page.app.db, id)
        .await?
        .ok_or(PageError::NotFound)?;
    // Its own region's localities name its places; the choices are the same lists.
    let region = profile
        .organization
        .kato
        .get(..2)
        .and_then(kezek_core::domain::region::find)
        .unwrap_or(page.ctx.region);
    let choices = Choices::load(&page, region).await?;
    let (summary, mut reviews) = tokio::try_join!(
        kezek_core::reviews::summary(&page.app.db, id),
        kezek_core::reviews::for_organization(&page.app.db, id)
    )?;
    reviews.truncate(REVIEWS_SHOWN);
    let lang = page.lang_code();
    let kind_text = |kind: &str, correction: Option<&str>| match correction {
        Some(c) => format!("{} ({})", page.group_kind(kind), choices.correction_name(c)),
        None => page.group_kind(kind),
    };
    let org = &profile.organization;
    let languages = profile.languages();
    let template = OrganizationTemplate {
        page: &page,
        name: org.name(lang).to_owned(),
        address: org.address.clone(),
        locality: profile.locality(lang).to_owned(),
        phone: org.phone.clone(),
        ownership: Ownership::parse(&org.ownership)
            .map_or_else(|| org.ownership.clone(), |o| page.t(o.message_key())),
        languages: languages
            .iter()
            .map(|l| choices.language_name(l))
            .collect::<Vec<_>>()
            .join(", "),
        working_hours: org.working_hours.clone(),
        photo: org
            .photo
            .as_ref()
            .map(|_| format!("/photos/org/{}", org.id)),
        groups: profile
            .groups
            .iter()
            .map(|g| GroupView {
                name: g.name.clone(),
                birth_year: g.birth_year,
                language: choices.language_name(&g.language).to_owned(),
                kind: page.group_kind(&g.kind),
                correction: g
                    .correction_type
                    .as_deref()
                    .map(|c| choices.correction_name(c).to_owned())
                    .unwrap_or_default(),
                capacity: g.capacity,
                enrolled: g.enrolled,
                free_places: g.open_vacancies,
            })
            .collect(),
        places: profile
            .places
            .iter()
            .map(|p| PlaceView {
                group: p.group_name.clone(),
                available_from: time::iso_day(&p.available_from),
                published: time::seconds(p.published_at),
                state: page.t(p.state.message_key()),
            })
            .collect(),
        queue: profile
            .queue
            .iter()
            .map(|q| QueueView {
                birth_year: q.birth_year,
                kind: kind_text(q.kind.as_str(), q.correction_type.as_deref()),
                waiting: q.waiting,
            })
            .collect(),
        location: location(&page, &profile),
        organization_id: id,
        summary,
        reviews,
    };
    page.render(StatusCode::OK, &template)
}
