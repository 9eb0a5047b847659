//! `GET /api/v1/protocol`: the region's hash-chained protocol of directions, newest first.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiResult, cached, page_param, region_param};
use kezek_core::app::App;
use kezek_core::directions::protocol;
use kezek_core::domain::time;
use kezek_core::paging::offset_of;

const PER_PAGE: i64 = 100;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProtocolQuery {
    /// The region's 2-digit KATO code, e.g. `71`.
    region: Option<String>,
    /// 1-based page of 100 entries, newest first.
    page: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProtocolPage {
    region: String,
    /// The latest entry's number and hash: note them to detect a later rewrite of history
    /// (`kezek protocol verify FILE --head HASH`).
    head_seq: i64,
    head_hash: String,
    page: i64,
    per_page: i64,
    entries: Vec<ProtocolEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProtocolEntry {
    seq: i64,
    /// Kazakhstan time, RFC 3339.
    at: String,
    /// `issued`, `accepted`, `refused`, `returned`, `expired` or `enrolled`.
    event: String,
    direction_id: i64,
    organization_bin: String,
    organization_name: String,
    group_name: String,
    application_number: String,
    /// The child's initials only.
    child: String,
    /// Place in the organization's queue when the direction was issued.
    position: i64,
    category: String,
    prev_hash: String,
    /// sha256(prev_hash + "\n" + the entry's CSV line), hex.
    hash: String,
}

/// The protocol of directions of a region: every issued, accepted, refused, returned, expired and
/// enrolled direction, each entry chained to the previous one by its hash.
#[utoipa::path(
    get,
    path = "/api/v1/protocol",
    tag = "protocol",
    params(ProtocolQuery),
    responses(
        (status = 200, description = "The page", body = ProtocolPage),
        (status = 304, description = "Not modified since the ETag sent in If-None-Match"),
        (status = 400, description = "A parameter is missing or wrong", body = super::ApiError),
    )
)]
pub async fn protocol(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<ProtocolQuery>,
) -> ApiResult {
    let region = region_param(q.region.as_deref())?;
    let page_no = page_param(q.page.as_deref())?;
    let pool = app.db.pool();
    let (head_seq, head_hash) = protocol::head(pool, region.code).await?;
    let records = protocol::page(
        pool,
        region.code,
        offset_of(page_no as u64, PER_PAGE as u64),
        PER_PAGE,
    )
    .await?;
    let body = ProtocolPage {
        region: region.code.to_owned(),
        head_seq,
        head_hash,
        page: page_no,
        per_page: PER_PAGE,
        entries: records
            .into_iter()
            .map(|r| ProtocolEntry {
                seq: r.seq,
                at: time::rfc3339(r.at),
                event: r.event,
                direction_id: r.direction_id,
                organization_bin: r.organization_bin,
                organization_name: r.organization_name,
                group_name: r.group_name,
                application_number: r.application_number,
                child: r.child_masked,
                position: r.position,
                category: r.category,
                prev_hash: r.prev_hash,
                hash: r.hash,
            })
            .collect(),
    };
    cached(&headers, &body)
}
