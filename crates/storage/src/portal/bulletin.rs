//! The bulletin's lines: published places still free or offered, with their organization and
//! group, filtered and paged.

use kezek_domain::vacancy::VacancyStatus;
use sqlx::{AssertSqlSafe, FromRow};

use super::{Bind, Conditions};
use crate::{Db, Error};

/// What the bulletin is narrowed to: KATO ranges as `(low, high)`, codes as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceFilter {
    pub region: (String, String),
    pub locality: Option<(String, String)>,
    pub organization_id: Option<i64>,
    pub birth_year: Option<i64>,
    pub language: Option<String>,
    pub kind: Option<String>,
    pub correction_type: Option<String>,
}

/// One published place as stored.
#[derive(Debug, Clone, FromRow)]
pub struct PlaceRow {
    pub vacancy_id: i64,
    #[sqlx(try_from = "String")]
    pub status: VacancyStatus,
    pub published_at: i64,
    pub last_direction_at: Option<i64>,
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

fn conditions(filter: &PlaceFilter) -> Conditions {
    let mut c = Conditions::default();
    c.push(
        "v.status IN ('open', 'directed') AND g.active = 1 AND o.active = 1",
        [],
    );
    let (low, high) = filter.region.clone();
    c.push(
        "o.kato >= ? AND o.kato <= ?",
        [Bind::Text(low), Bind::Text(high)],
    );
    if let Some((low, high)) = filter.locality.clone() {
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
    if let Some(kind) = &filter.kind {
        c.push("g.kind = ?", [Bind::Text(kind.clone())]);
    }
    if let Some(correction) = &filter.correction_type {
        c.push("g.correction_type = ?", [Bind::Text(correction.clone())]);
    }
    c
}

const FROM: &str = "FROM vacancies v
     JOIN org_groups g ON g.id = v.group_id
     JOIN organizations o ON o.id = g.organization_id";

/// The places matching `filter`, newest first, `limit` of them from `offset`; and how many
/// match in all.
pub async fn places(
    db: &Db,
    filter: &PlaceFilter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<PlaceRow>, i64), Error> {
    let c = conditions(filter);
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
        AssertSqlSafe(sql),
        c.arguments(&[limit.max(0), offset.max(0)]),
    )
    .fetch_all(db.pool())
    .await?;
    Ok((rows, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(prefix: &str) -> (String, String) {
        (format!("{prefix:0<9}"), format!("{prefix:9<9}"))
    }

    #[test]
    fn each_filter_adds_its_condition() {
        let none = conditions(&PlaceFilter {
            region: range("71"),
            ..Default::default()
        });
        assert_eq!(none.binds.len(), 2);
        let all = conditions(&PlaceFilter {
            region: range("71"),
            locality: Some(range("7101")),
            organization_id: Some(3),
            birth_year: Some(2022),
            language: Some("kk".into()),
            kind: Some("correctional".into()),
            correction_type: Some("speech".into()),
        });
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
