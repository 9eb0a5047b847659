//! `GET /api/v1/queue`: one page of a queue, as the public page shows it (children masked).

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiResult, Problem, cached, page_param, region_param};
use kezek_core::app::App;
use kezek_core::domain::{Kato, time};
use kezek_core::orgs::GroupKind;
use kezek_core::paging::{Pager, offset_of};
use kezek_core::queue::{self, Partition, Scope};
use kezek_core::reference::{self, ReferenceKind};

const PER_PAGE: u64 = 50;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// The region's 2-digit KATO code, e.g. `71`.
    region: Option<String>,
    /// A locality within the region (its KATO code); the whole region when absent.
    kato: Option<String>,
    /// `regular`, `correctional` or `sanatorium`.
    kind: Option<String>,
    /// The children's birth year.
    year: Option<String>,
    /// The correction type's code; required for `correctional`.
    correction: Option<String>,
    /// One organization's queue (its id) instead of the locality's.
    org: Option<String>,
    /// 1-based page of 50 entries.
    page: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueuePage {
    region: String,
    kato: String,
    kind: String,
    birth_year: i64,
    correction_type: Option<String>,
    organization_id: Option<i64>,
    /// Applications waiting in this queue.
    total: u64,
    page: u64,
    pages: u64,
    per_page: u64,
    /// The categories in the region's order of precedence.
    precedence: Vec<String>,
    /// First-priority and general applications taking turns, `a : b` (0 : 0 = strictly by
    /// category).
    interleave: String,
    entries: Vec<QueueEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QueueEntry {
    /// 1-based place in this queue.
    position: u64,
    /// The application's number.
    number: String,
    /// The child's initials only.
    child: String,
    /// Registration date-time (Kazakhstan time, RFC 3339): what orders a category.
    registered_at: String,
    /// `extraordinary`, `first_priority` or `general`.
    category: String,
    /// `waiting`, `stop_list` (passed over by directions until `stop_until`) or `claim_pending`
    /// (a claimed privilege is being checked; it counts only once verified).
    status: String,
    stop_until: Option<String>,
}

/// One page of a queue: a locality's (or the region's) or one organization's, for one kind of
/// group, birth year and correction type, in the order directions follow.
#[utoipa::path(
    get,
    path = "/api/v1/queue",
    tag = "queue",
    params(QueueQuery),
    responses(
        (status = 200, description = "The page", body = QueuePage),
        (status = 304, description = "Not modified since the ETag sent in If-None-Match"),
        (status = 400, description = "A parameter is missing or wrong", body = super::ApiError),
    )
)]
pub async fn queue(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<QueueQuery>,
) -> ApiResult {
    let region = region_param(q.region.as_deref())?;
    let kato = match q.kato.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => Kato::parse(&format!("{:0<9}", region.code)).ok(),
        Some(k) => Kato::parse(k)
            .ok()
            .filter(|k| k.as_str().starts_with(region.code)),
    };
    let Some(kato) = kato else {
        return Err(Problem::bad_request(
            "bad_kato",
            "kato must be a 9-digit KATO code within the region",
        ));
    };
    let Some(kind) = q.kind.as_deref().and_then(GroupKind::parse) else {
        return Err(Problem::bad_request(
            "bad_kind",
            "kind must be regular, correctional or sanatorium",
        ));
    };
    let Some(birth_year) = q
        .year
        .as_deref()
        .and_then(|y| y.trim().parse::<i64>().ok())
        .filter(|y| (1900..=9999).contains(y))
    else {
        return Err(Problem::bad_request(
            "bad_year",
            "year must be a birth year, e.g. 2022",
        ));
    };
    let correction_type = match kind {
        GroupKind::Correctional => {
            let known =
                reference::list(app.db.pool(), ReferenceKind::CorrectionType, false).await?;
            let Some(code) = q
                .correction
                .as_deref()
                .map(str::trim)
                .filter(|c| known.iter().any(|i| i.code == *c))
            else {
                return Err(Problem::bad_request(
                    "bad_correction",
                    "correction must be a correction type's code for a correctional queue",
                ));
            };
            Some(code.to_owned())
        }
        _ => None,
    };
    let organization_id = match q.org.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        None => None,
        Some(o) => {
            let Ok(id) = o.parse::<i64>() else {
                return Err(Problem::bad_request(
                    "bad_org",
                    "org must be an organization's id",
                ));
            };
            match kezek_core::orgs::store::organization(app.db.pool(), id).await? {
                Some(org) if org.active == 1 && org.kato.starts_with(region.code) => Some(id),
                _ => {
                    return Err(Problem::bad_request(
                        "bad_org",
                        "org is not an organization of the region",
                    ));
                }
            }
        }
    };
    let page_no = page_param(q.page.as_deref())? as u64;
    let partition = Partition {
        kind,
        correction_type: correction_type.clone(),
        birth_year,
        scope: match organization_id {
            Some(id) => Scope::Organization(id),
            None => Scope::Locality(kato.prefix().to_owned()),
        },
    };
    let now = app.now();
    let today = time::local_date(now);
    let rules = kezek_core::region_rules::current(app.db.pool(), region.code, today)
        .await?
        .queue;
    let mut conn = app.db.pool().acquire().await?;
    let offset = offset_of(page_no, PER_PAGE) as u64;
    let (counts, lines) = queue::page(&mut conn, &partition, &rules, offset, PER_PAGE).await?;
    let total = counts.total();
    let body = QueuePage {
        region: region.code.to_owned(),
        kato: kato.as_str().to_owned(),
        kind: kind.as_str().to_owned(),
        birth_year,
        correction_type,
        organization_id,
        total,
        page: page_no,
        pages: Pager::new(page_no, total, PER_PAGE).pages,
        per_page: PER_PAGE,
        precedence: rules
            .precedence
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect(),
        interleave: format!(
            "{} : {}",
            rules.interleave_first_priority, rules.interleave_general
        ),
        entries: lines
            .into_iter()
            .map(|l| {
                let stopped = l.stop_until.filter(|until| *until > now);
                QueueEntry {
                    position: l.position,
                    number: l.number,
                    child: l.child_masked,
                    registered_at: time::rfc3339(l.registered_at),
                    category: l.category.as_str().to_owned(),
                    status: match (stopped, l.claim_pending) {
                        (Some(_), _) => "stop_list",
                        (None, true) => "claim_pending",
                        (None, false) => "waiting",
                    }
                    .to_owned(),
                    stop_until: stopped.map(time::rfc3339),
                }
            })
            .collect(),
    };
    cached(&headers, &body)
}
