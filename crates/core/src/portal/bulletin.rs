//! "Бюллетень свободных мест": every published place of a region that is still free or already
//! offered by a direction, one line per place, filtered and paged. The same lines feed the page,
//! `/bulletin.json` and the Atom feed.

use serde::Serialize;
use sqlx::FromRow;

use super::{Bind, Conditions, kato_range};
use crate::db::Db;
use crate::orgs::GroupKind;

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

#[derive(FromRow)]
struct PlaceRow {
    vacancy_id: i64,
    status: String,
    published_at: i64,
    last_direction_at: Option<i64>,
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

impl From<PlaceRow> for BulletinPlace {
    fn from(r: PlaceRow) -> BulletinPlace {
        BulletinPlace {
            vacancy_id: r.vacancy_id,
            state: if r.status == "directed" {
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

fn conditions(region_code: &str, filter: &BulletinFilter) -> Conditions {
    let mut c = Conditions::default();
    c.push(
        "v.status IN ('open', 'directed') AND g.active = 1 AND o.active = 1",
        [],
    );
    let (low, high) = kato_range(region_code);
    c.push(
        "o.kato >= ? AND o.kato <= ?",
        [Bind::Text(low), Bind::Text(high)],
    );
    if let Some(prefix) = &filter.locality {
        let (low, high) = kato_range(prefix);
        c.push(
            "o.kato >= ? AND o.kato <= ?",
            [Bind::Text(low), Bind::Text(high)],
        );
    }
    if let Some(id) = filter.organization_id {
        c.push("o.id = ?", [Bind::Int(id)]);
    }
    if let Some(year) = filter.birth_year {
        c.push("g.birth_year = ?", [Bind::Int(year)]);
    }
    if let Some(language) = &filter.language {
        c.push("g.language = ?", [Bind::Text(language.clone())]);
    }
    if let Some(kind) = filter.kind {
        c.push("g.kind = ?", [Bind::Text(kind.as_str().to_owned())]);
    }
    if let Some(correction) = &filter.correction_type {
        c.push("g.correction_type = ?", [Bind::Text(correction.clone())]);
    }
    c
}

const FROM: &str = "FROM vacancies v
     JOIN org_groups g ON g.id = v.group_id
     JOIN organizations o ON o.id = g.organization_id";

/// The region's places matching `filter`, newest first, `limit` of them from `offset`; and how
/// many match in all.
pub async fn places(
    db: &Db,
    region_code: &str,
    filter: &BulletinFilter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<BulletinPlace>, i64), crate::db::Error> {
    let c = conditions(region_code, filter);
    let where_clause = c.where_clause();
    let total: i64 = sqlx::query_scalar_with(
        sqlx::AssertSqlSafe(format!("SELECT COUNT(*) {FROM} {where_clause}")),
        c.arguments(&[]),
    )
    .fetch_one(db.pool())
    .await?;
    let n = c.next();
    // The latest direction of a place tells when it was offered or came back.
    let sql = format!(
        "SELECT v.id AS vacancy_id, v.status, v.published_at, v.available_from,
                (SELECT MAX(COALESCE(d.closed_at, d.issued_at)) FROM directions d
                 WHERE d.vacancy_id = v.id) AS last_direction_at,
                o.id AS organization_id, o.name_kk AS organization_name_kk,
                o.name_ru AS organization_name_ru, o.address, o.kato,
                g.id AS group_id, g.name AS group_name, g.birth_year, g.language, g.kind,
                g.correction_type
         {FROM} {where_clause}
         ORDER BY v.published_at DESC, v.id DESC
         LIMIT ${n} OFFSET ${}",
        n + 1
    );
    let rows: Vec<PlaceRow> = sqlx::query_as_with(
        sqlx::AssertSqlSafe(sql),
        c.arguments(&[limit.max(0), offset.max(0)]),
    )
    .fetch_all(db.pool())
    .await?;
    Ok((rows.into_iter().map(BulletinPlace::from).collect(), total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_filter_adds_its_condition() {
        let none = conditions("71", &BulletinFilter::default());
        assert_eq!(none.binds.len(), 2);
        let all = conditions(
            "71",
            &BulletinFilter {
                locality: Some("7101".into()),
                organization_id: Some(3),
                birth_year: Some(2022),
                language: Some("kk".into()),
                kind: Some(GroupKind::Correctional),
                correction_type: Some("speech".into()),
            },
        );
        let sql = all.where_clause();
        for part in [
            "o.kato >= $3 AND o.kato <= $4",
            "o.id = $5",
            "g.birth_year = $6",
            "g.language = $7",
            "g.kind = $8",
            "g.correction_type = $9",
        ] {
            assert!(sql.contains(part), "{part} in {sql}");
        }
    }
}
