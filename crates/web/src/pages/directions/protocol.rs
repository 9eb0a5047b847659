//! The public protocol of a region (`/protocol`), paged, and its downloads (`/protocol.csv`,
//! `/protocol.json`).

use std::collections::HashMap;

use askama::Template;
use axum::extract::Query;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

use super::category_text;
use crate::error::{PageError, PageResult};
use crate::page::Page;
use kezek_core::directions::protocol;
use kezek_core::domain::time;

/// Protocol entries per page.
const PROTOCOL_PAGE: i64 = 50;

pub struct ProtocolRow {
    pub seq: i64,
    pub at: String,
    pub event: String,
    pub organization: String,
    pub group: String,
    pub number: String,
    pub child: String,
    pub position: i64,
    pub category: String,
    pub hash: String,
    pub hash_short: String,
}

#[derive(Template)]
#[template(path = "protocol.html")]
struct ProtocolTemplate<'a> {
    page: &'a Page,
    region_code: &'static str,
    head_seq: i64,
    head_hash: String,
    rows: Vec<ProtocolRow>,
    newer_href: Option<String>,
    older_href: Option<String>,
}

pub async fn protocol_page(page: Page, Query(query): Query<HashMap<String, String>>) -> PageResult {
    let region = page.ctx.region.code;
    let number = query
        .get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| (1..=1_000_000).contains(p))
        .unwrap_or(1);
    let pool = page.app.db.pool();
    let (head_seq, head_hash) = protocol::head(pool, region).await?;
    let records = protocol::page(
        pool,
        region,
        kezek_core::paging::offset_of(number as u64, PROTOCOL_PAGE as u64),
        PROTOCOL_PAGE,
    )
    .await?;
    let page = page.titled("protocol-title");
    let rows = records
        .into_iter()
        .map(|r| ProtocolRow {
            seq: r.seq,
            at: time::minutes(r.at),
            event: protocol::Event::parse(&r.event)
                .map_or_else(|| r.event.clone(), |e| page.t(e.message_key())),
            organization: r.organization_name,
            group: r.group_name,
            number: r.application_number,
            child: r.child_masked,
            position: r.position,
            category: category_text(&page, &r.category),
            hash_short: r.hash.chars().take(12).collect(),
            hash: r.hash,
        })
        .collect();
    let newer_href = (number > 1).then(|| format!("/protocol?page={}", number - 1));
    let older_href =
        (number * PROTOCOL_PAGE < head_seq).then(|| format!("/protocol?page={}", number + 1));
    page.render(
        StatusCode::OK,
        &ProtocolTemplate {
            page: &page,
            region_code: region,
            head_seq,
            head_hash,
            rows,
            newer_href,
            older_href,
        },
    )
}

/// The region asked for (`?region=71`), else the visitor's.
fn download_region(page: &Page, query: &HashMap<String, String>) -> Option<&'static str> {
    match query.get("region") {
        Some(code) => kezek_core::domain::region::find(code).map(|r| r.code),
        None => Some(page.ctx.region.code),
    }
}

async fn download(page: Page, query: HashMap<String, String>, json: bool) -> PageResult {
    let region = download_region(&page, &query).ok_or(PageError::NotFound)?;
    let records = protocol::all(page.app.db.pool(), region).await?;
    let (body, content_type, extension) = if json {
        (
            protocol::to_json(region, &records),
            "application/json; charset=utf-8",
            "json",
        )
    } else {
        (protocol::to_csv(&records), "text/csv; charset=utf-8", "csv")
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"kezek-protocol-{region}.{extension}\""),
            ),
        ],
        body,
    )
        .into_response())
}

pub async fn protocol_csv(page: Page, Query(query): Query<HashMap<String, String>>) -> PageResult {
    download(page, query, false).await
}

pub async fn protocol_json(page: Page, Query(query): Query<HashMap<String, String>>) -> PageResult {
    download(page, query, true).await
}
