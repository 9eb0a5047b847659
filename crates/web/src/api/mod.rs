//! The open-data API (`/api/v1/…`): read-only JSON without personal data, described by an
//! OpenAPI document generated from the handlers' annotations, with ETags and cache headers so
//! that anyone may mirror it without polling the pages.

mod organization;
mod organizations;
mod protocol;
mod queue;
mod statistics;
mod vacancies;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::Cause;
use kezek_core::app::App;
use kezek_core::domain::region::{self, Region};
use kezek_core::portal::filters::Accepted;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kezek open data",
        description = "Read-only data of the kindergarten queue: organizations, groups, free places, \
                       the masked queue, statistics and the protocol of directions. No personal data: \
                       children appear as initials only. Every response carries an ETag; send it back \
                       in If-None-Match to get 304 Not Modified.",
    ),
    components(schemas(ApiError))
)]
struct ApiDoc;

/// The API's routes and, at `/api/v1/openapi.json`, the document describing exactly them.
pub fn routes() -> Router<App> {
    let (router, document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(queue::queue))
        .routes(routes!(protocol::protocol))
        .routes(routes!(organizations::organizations))
        .routes(routes!(organization::organization))
        .routes(routes!(vacancies::vacancies))
        .routes(routes!(statistics::statistics))
        .split_for_parts();
    let document = serde_json::to_vec(&document).unwrap_or_default();
    router.route(
        "/api/v1/openapi.json",
        get(move |headers: HeaderMap| async move { cached_bytes(&headers, document) }),
    )
}

/// What a request got wrong (400) or what is missing (404): a stable `error` code to act on and a
/// `message` for people.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    pub error: String,
    pub message: String,
}

/// Why a request gets no data, answered as an [`ApiError`]; `?` makes any error an internal one.
#[derive(Debug)]
pub enum Problem {
    /// A parameter is missing or wrong: 400 with its stable code.
    BadRequest {
        error: String,
        message: &'static str,
    },
    NotFound(&'static str),
    /// Our failure: logged with its causes (by `web::error::middleware`), never shown.
    Internal(anyhow::Error),
}

pub type ApiResult<T = Response> = Result<T, Problem>;

impl<E: Into<anyhow::Error>> From<E> for Problem {
    fn from(e: E) -> Problem {
        Problem::Internal(e.into())
    }
}

impl Problem {
    pub fn bad_request(error: &str, message: &'static str) -> Problem {
        Problem::BadRequest {
            error: error.to_owned(),
            message,
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let (status, error, message, cause) = match self {
            Problem::BadRequest { error, message } => {
                (StatusCode::BAD_REQUEST, error, message, None)
            }
            Problem::NotFound(message) => {
                (StatusCode::NOT_FOUND, "not_found".to_owned(), message, None)
            }
            Problem::Internal(cause) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal".to_owned(),
                "the request could not be answered; try again later",
                Some(cause),
            ),
        };
        let body = ApiError {
            error,
            message: message.to_owned(),
        };
        let mut response = (status, axum::Json(body)).into_response();
        open_to_all(response.headers_mut());
        if let Some(cause) = cause {
            Cause::attach(&mut response, cause);
        }
        response
    }
}

/// The region named by the `region` parameter (its 2-digit KATO code).
pub fn region_param(code: Option<&str>) -> ApiResult<&'static Region> {
    match code.map(str::trim) {
        Some(code) => region::find(code).ok_or_else(|| {
            Problem::bad_request(
                "unknown_region",
                "region must be the 2-digit KATO code of a region, e.g. 71 for Astana",
            )
        }),
        None => Err(Problem::bad_request(
            "missing_region",
            "the region parameter is required (the 2-digit KATO code of a region)",
        )),
    }
}

/// The 1-based `page` parameter, 1 when absent. A page past the end answers no rows (rather than
/// the last page, as the pages do), so a client paging until it gets none always stops.
pub fn page_param(page: Option<&str>) -> ApiResult<i64> {
    match page.map(str::trim) {
        None | Some("") => Ok(1),
        Some(p) => match p.parse::<i64>() {
            Ok(p) if (1..=1_000_000).contains(&p) => Ok(p),
            _ => Err(Problem::bad_request(
                "bad_page",
                "page must be a number from 1",
            )),
        },
    }
}

/// What a filtered listing starts from: the region, the page number and every filter value the
/// region accepts.
pub async fn listing(
    app: &App,
    region: Option<&str>,
    page: Option<&str>,
) -> ApiResult<(&'static Region, i64, Accepted)> {
    let region = region_param(region)?;
    let page_no = page_param(page)?;
    let accepted = kezek_core::portal::filters::accepted(&app.db, region.code, app.now()).await?;
    Ok((region, page_no, accepted))
}

/// The 400 for the first filter parameter `kezek_core::portal::filters` did not accept.
pub fn all_accepted(rejected: &[&str]) -> ApiResult<()> {
    match rejected.first() {
        Some(name) => Err(bad_filter(name)),
        None => Ok(()),
    }
}

/// The 400 for the filter parameter `name`: `bad_` and its name.
pub fn bad_filter(name: &str) -> Problem {
    let message = match name {
        "kato" => "kato must be the 9-digit KATO code of a locality of the region",
        "ownership" => "ownership must be state or private",
        "language" => "language must be a language of instruction's code, e.g. kk or ru",
        "kind" => "kind must be regular, correctional or sanatorium",
        "correction" => "correction must be a correction type's code",
        "free" => "free must be 1 (only organizations with free places) or 0",
        "org" => "org must be the id of an active organization of the region",
        "year" => "year must be a birth year of preschool age, e.g. 2022",
        _ => "a parameter has a value that is not accepted",
    };
    Problem::bad_request(&format!("bad_{name}"), message)
}

/// Named GET parameters with a value, as `kezek_core::portal::filters` reads them.
pub fn typed<const N: usize>(
    pairs: [(&str, Option<String>); N],
) -> std::collections::HashMap<String, String> {
    pairs
        .into_iter()
        .filter_map(|(name, value)| Some((name.to_owned(), value?)))
        .collect()
}

/// How long a client or proxy may reuse an answer without asking again.
const MAX_AGE_SECS: u32 = 60;

/// `value` as JSON with its ETag, or 304 when the client already holds it.
pub fn cached<T: Serialize>(headers: &HeaderMap, value: &T) -> ApiResult {
    Ok(cached_bytes(headers, serde_json::to_vec(value)?))
}

fn cached_bytes(headers: &HeaderMap, bytes: Vec<u8>) -> Response {
    let etag = format!("\"{}\"", &hex::encode(Sha256::digest(&bytes))[..32]);
    let fresh = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*");
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            bytes,
        )
            .into_response()
    };
    let h = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, value);
    }
    if let Ok(value) = HeaderValue::from_str(&format!("public, max-age={MAX_AGE_SECS}")) {
        h.insert(header::CACHE_CONTROL, value);
    }
    open_to_all(h);
    response
}

/// Open data: any site may read it from a browser.
fn open_to_all(headers: &mut HeaderMap) {
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_etag_sent_back_gets_304_and_another_gets_the_body() {
        let first = cached(&HeaderMap::new(), &serde_json::json!({"a": 1})).unwrap();
        assert_eq!(first.status(), StatusCode::OK);
        let etag = first.headers()[header::ETAG].clone();
        let mut again = HeaderMap::new();
        again.insert(header::IF_NONE_MATCH, etag.clone());
        let second = cached(&again, &serde_json::json!({"a": 1})).unwrap();
        assert_eq!(second.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(second.headers()[header::ETAG], etag);
        let third = cached(&again, &serde_json::json!({"a": 2})).unwrap();
        assert_eq!(third.status(), StatusCode::OK);
        assert_ne!(third.headers()[header::ETAG], etag);
    }
}
