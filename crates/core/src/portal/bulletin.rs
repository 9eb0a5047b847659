//! "Бюллетень свободных мест": every published place of a region that is still free or already
//! offered by a direction, one line per place, filtered and paged. The same lines feed the page,
//! `/bulletin.json` and the Atom feed.

use super::kato_range;
use crate::db::Db;
use crate::db::portal::bulletin::{self as store, PlaceFilter, PlaceRow};
use crate::orgs::GroupKind;
use serde::Serialize;

/// What the visitor narrowed the bulletin to; `None` is "any". The web layer checks each value
/// against what may be chosen, so here every value is taken as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulletinFilter {
    /// The significant digits of a KATO unit inside the region (`Kato::prefix`).
    pub locality: Option<String>,
    pub organization_id: Option<i64>,
    pub birth_year: Option<i64>,
    /// A language of instruction's code.
    pub language: Option<String>,
    pub kind: Option<GroupKind>,
    pub correction_type: Option<String>,
}

/// Where a published place stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceState {
    /// Free: waiting for the next child in the queue.
    Open,
    /// A direction for it is issued and not yet used or closed.
    Offered,
}

impl PlaceState {
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceState::Open => "open",
            PlaceState::Offered => "offered",
        }
    }

    pub fn message_key(self) -> &'static str {
        match self {
            PlaceState::Open => "bulletin-state-open",
            PlaceState::Offered => "bulletin-state-offered",
        }
    }
}

/// One published place: its organization and group, nothing about any child.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BulletinPlace {
    pub vacancy_id: i64,
    pub state: PlaceState,
    /// Unix seconds.
    pub published_at: i64,
    /// When the place last changed (published, offered, or back from a direction), unix seconds.
    pub changed_at: i64,
    /// `YYYY-MM-DD`.
    pub available_from: String,
    pub organization_id: i64,
    pub organization_name_kk: String,
    pub organization_name_ru: String,
    pub address: String,
    pub kato: String,
    pub group_id: i64,
    pub group_name: String,
    pub birth_year: i64,
    pub language: String,
    pub kind: String,
    pub correction_type: Option<String>,
}

impl BulletinPlace {
    /// The organization's name in the visitor's language: Kazakh for kk, Russian otherwise.
    pub fn organization_name(&self, lang: &str) -> &str {
        crate::domain::Names::new(&self.organization_name_kk, &self.organization_name_ru, None)
            .get(lang)
    }
}

/// One page of the bulletin as `/bulletin.json` gives it.
#[derive(Debug, Clone, Serialize)]
pub struct BulletinPage {
    pub region_code: String,
    /// 1-based.
    pub page: i64,
    pub pages: i64,
    pub page_size: i64,
    /// Places matching the filters, on all pages.
    pub total: i64,
    pub places: Vec<BulletinPlace>,
}

impl From<PlaceRow> for BulletinPlace {
    fn from(r: PlaceRow) -> BulletinPlace {
        BulletinPlace {
            vacancy_id: r.vacancy_id,
            state: if r.status == crate::domain::vacancy::VacancyStatus::Directed {
                PlaceState::Offered
            } else {
                PlaceState::Open
            },
            published_at: r.published_at,
            changed_at: r
                .last_direction_at
                .map_or(r.published_at, |d| d.max(r.published_at)),
            available_from: r.available_from,
            organization_id: r.organization_id,
            organization_name_kk: r.organization_name_kk,
            organization_name_ru: r.organization_name_ru,
            address: r.address,
            kato: r.kato,
            group_id: r.group_id,
            group_name: r.group_name,
            birth_year: r.birth_year,
            language: r.language,
            kind: r.kind,
            correction_type: r.correction_type,
        }
    }
}

/// The filter as storage reads it: KATO ranges and codes.
fn place_filter(region_code: &str, filter: &BulletinFilter) -> PlaceFilter {
    PlaceFilter {
        region: kato_range(region_code),
        locality: filter.locality.as_deref().map(kato_range),
        organization_id: filter.organization_id,
        birth_year: filter.birth_year,
        language: filter.language.clone(),
        kind: filter.kind.map(|k| k.as_str().to_owned()),
        correction_type: filter.correction_type.clone(),
    }
}

/// The region's places matching `filter`, newest first, `limit` of them from `offset`; and how
/// many match in all.
pub async fn places(
    db: &Db,
    region_code: &str,
    filter: &BulletinFilter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<BulletinPlace>, i64), crate::db::Error> {
    let (rows, total) =
        store::places(db, &place_filter(region_code, filter), offset, limit).await?;
    Ok((rows.into_iter().map(BulletinPlace::from).collect(), total))
}
