//! Per-request context: language, region, the logged-in user, the client address and the
//! CSRF token. One middleware builds it (and refuses forged state-changing requests).

use std::net::SocketAddr;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::cookies::{self, CookieJarSettings};
use super::error::{PageError, error_page};
use super::page::Page;
use kezek_core::accounts::{self, CurrentUser};
use kezek_core::app::App;
use kezek_core::domain::region::{self, Region};
use kezek_core::i18n::Lang;
use kezek_core::tokens::{random_token, same_secret};

/// Forms are small; uploads (later) are limited by their own routes.
const FORM_BODY_LIMIT: usize = 256 * 1024;

/// How much of an upload is read ahead for its CSRF token, the form's first part.
const UPLOAD_TOKEN_LIMIT: usize = 4096;

#[derive(Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub region: &'static Region,
    pub user: Option<CurrentUser>,
    pub session_token: Option<String>,
    /// A sign-up in progress (after its phone was verified).
    pub signup_token: Option<String>,
    pub csrf: String,
    pub ip: String,
    /// Path and query of this request, where the switchers bring the visitor back to.
    pub path: String,
    /// A message key to show once, left by the previous request.
    pub flash: Option<String>,
}

impl Ctx {
    /// The context [`middleware`] left in the request, for extractors that only read it.
    pub fn of(parts: &Parts) -> Result<&Ctx, PageError> {
        parts.extensions.get::<Ctx>().ok_or_else(|| {
            PageError::Internal(anyhow::anyhow!(
                "no request context: the route is outside context::middleware"
            ))
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ctx::of(parts).cloned()
    }
}

pub fn jar(app: &App) -> CookieJarSettings {
    CookieJarSettings {
        secure: app.settings.secure_cookies,
    }
}

fn language(app: &App, headers: &HeaderMap) -> Lang {
    jar(app)
        .get(headers, cookies::LANG)
        .and_then(Lang::parse)
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .or_else(|| Lang::parse(&app.settings.default_language))
        .unwrap_or(Lang::Ru)
}

fn client_ip(app: &App, req: &Request) -> String {
    if app.settings.trust_proxy {
        // The proxy appends the address it saw; earlier entries are whatever the client sent.
        if let Some(ip) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            return ip.to_owned();
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "local".to_owned(), |c| c.0.ip().to_string())
}

/// A state-changing request must come from our own pages: same origin when the browser
/// says so, and carrying the token of the visitor's CSRF cookie.
fn same_origin(headers: &HeaderMap) -> bool {
    if headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| site == "cross-site")
    {
        return false;
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, origin_host)| origin_host == host),
        (Some(_), None) => false,
        (None, _) => true,
    }
}

/// Whether the handler already sets cookie `name` (its value then wins).
fn sets_cookie(headers: &HeaderMap, name: &str) -> bool {
    headers.get_all(header::SET_COOKIE).iter().any(|v| {
        v.to_str().is_ok_and(|v| {
            v.strip_prefix("__Host-")
                .unwrap_or(v)
                .starts_with(&format!("{name}="))
        })
    })
}

fn form_token(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v)
}

/// `path_and_query` without any `csrf` parameter: the address is copied into the switchers'
/// links and `back` fields, and the token must never travel in an address (logs, Referer).
pub fn without_token(path_and_query: &str) -> String {
    let Some((path, query)) = path_and_query.split_once('?') else {
        return path_and_query.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            !name.eq_ignore_ascii_case("csrf") && !name.is_empty()
        })
        .collect();
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", kept.join("&"))
    }
}

/// The body that hands on the bytes read ahead, then the rest of the request's body.
struct ReadAhead {
    head: Option<Bytes>,
    rest: Body,
}

impl http_body::Body for ReadAhead {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        if let Some(head) = self.head.take() {
            return std::task::Poll::Ready(Some(Ok(http_body::Frame::data(head))));
        }
        std::pin::Pin::new(&mut self.rest).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.head.is_none() && self.rest.is_end_stream()
    }
}

/// The token of an upload, its first part (`csrf`, the hidden input our forms put first), read
/// ahead up to [`UPLOAD_TOKEN_LIMIT`]; and the body to hand on, whole again.
async fn upload_token(content_type: &str, mut body: Body) -> (Option<String>, Body) {
    let boundary = content_type.split(';').skip(1).find_map(|p| {
        let (name, value) = p.trim().split_once('=')?;
        name.eq_ignore_ascii_case("boundary")
            .then(|| value.trim_matches('"').to_owned())
    });
    let Some(boundary) = boundary.filter(|b| !b.is_empty()) else {
        return (None, body);
    };
    let mut head = Vec::new();
    let token = loop {
        match first_part_token(&head, &boundary) {
            FirstPart::Token(token) => break token,
            FirstPart::NeedMore if head.len() < UPLOAD_TOKEN_LIMIT => {}
            FirstPart::NeedMore | FirstPart::Other => break None,
        }
        let frame = std::future::poll_fn(|cx| {
            http_body::Body::poll_frame(std::pin::Pin::new(&mut body), cx)
        })
        .await;
        match frame {
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    head.extend_from_slice(&data);
                }
            }
            Some(Err(_)) | None => break None,
        }
    };
    let body = Body::new(ReadAhead {
        head: Some(Bytes::from(head)),
        rest: body,
    });
    (token, body)
}

/// What the bytes read ahead of an upload say (public for the fuzz pass, like the reader).
#[derive(Debug, PartialEq, Eq)]
pub enum FirstPart {
    Token(Option<String>),
    NeedMore,
    Other,
}

/// Reads the value of a multipart body's first part when it is the `csrf` field.
pub fn first_part_token(head: &[u8], boundary: &str) -> FirstPart {
    let opening = format!("--{boundary}\r\n");
    if head.len() < opening.len() {
        return if opening.as_bytes().starts_with(head) {
            FirstPart::NeedMore
        } else {
            FirstPart::Other
        };
    }
    let Some(rest) = head.strip_prefix(opening.as_bytes()) else {
        return FirstPart::Other;
    };
    let Some(headers_end) = rest.windows(4).position(|w| w == b"\r\n\r\n") else {
        return FirstPart::NeedMore;
    };
    let headers = String::from_utf8_lossy(&rest[..headers_end]).to_ascii_lowercase();
    let is_token = headers.lines().any(|line| {
        line.strip_prefix("content-disposition:").is_some_and(|d| {
            d.split(';').any(|p| p.trim() == "name=\"csrf\"") && !d.contains("filename")
        })
    });
    if !is_token {
        return FirstPart::Other;
    }
    let value = &rest[headers_end + 4..];
    let closing = format!("\r\n--{boundary}");
    match value
        .windows(closing.len())
        .position(|w| w == closing.as_bytes())
    {
        Some(end) => FirstPart::Token(std::str::from_utf8(&value[..end]).ok().map(str::to_owned)),
        None => FirstPart::NeedMore,
    }
}

pub async fn middleware(State(app): State<App>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let cookie_jar = jar(&app);
    let lang = language(&app, headers);
    let region = cookie_jar
        .get(headers, cookies::REGION)
        .and_then(region::find)
        .or_else(|| region::find(&app.settings.default_region))
        .unwrap_or(&region::REGIONS[0]);
    let existing_csrf = cookie_jar
        .get(headers, cookies::CSRF)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_owned);
    let new_csrf = existing_csrf.is_none();
    let csrf = existing_csrf.clone().unwrap_or_else(random_token);
    let flash = cookie_jar
        .get(headers, cookies::FLASH)
        .filter(|k| k.starts_with("flash-") && app.i18n.has(lang, k))
        .map(str::to_owned);
    let session_token = cookie_jar.get(headers, cookies::SESSION).map(str::to_owned);
    let user = match &session_token {
        Some(token) => match accounts::current_user(&app, token).await {
            Ok(user) => user,
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                return (StatusCode::SERVICE_UNAVAILABLE, "Service unavailable").into_response();
            }
        },
        None => None,
    };
    let stale_session = session_token.is_some() && user.is_none();
    let ip = client_ip(&app, &req);
    let path = without_token(req.uri().path_and_query().map_or("/", |p| p.as_str()));
    let ctx = Ctx {
        lang,
        region,
        session_token: if stale_session { None } else { session_token },
        user,
        signup_token: cookie_jar.get(headers, cookies::SIGNUP).map(str::to_owned),
        csrf,
        ip,
        path,
        flash: flash.clone(),
    };

    // No query parameter may carry a control character (PostgreSQL refuses NUL outright).
    let query = crate::text::pairs(req.uri().query().unwrap_or_default().as_bytes());
    let refused = crate::text::refused(&query);
    if !refused.is_empty() {
        tracing::info!(path = %req.uri().path(), "refused control characters in the address");
        if req.uri().path().starts_with("/api/") {
            return crate::api::Problem::bad_request(
                "bad_text",
                "parameters must not contain control characters",
            )
            .into_response();
        }
        let page = Page::new(app.clone(), ctx.clone(), "error-title");
        let back = req.uri().path().to_owned();
        return crate::text::refusal(
            page,
            StatusCode::BAD_REQUEST,
            "error-control-characters-address",
            &refused,
            &back,
            None,
        );
    }

    let mut req = req;
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if multipart {
        // Uploads are not read into memory here: only their first part, the token, is read
        // ahead, and handed on with the rest of the body.
        let (parts, body) = req.into_parts();
        let (sent, body) = match parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
        {
            Some(header) => (Some(header.to_owned()), body),
            None => {
                let content_type = parts
                    .headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                upload_token(content_type, body).await
            }
        };
        let valid = same_origin(&parts.headers)
            && existing_csrf
                .as_deref()
                .zip(sent.as_deref())
                .is_some_and(|(cookie, sent)| same_secret(cookie, sent));
        if !valid {
            tracing::warn!(path = %parts.uri.path(), "refused an upload without a valid CSRF token");
            let page = Page::new(app.clone(), ctx.clone(), "error-title");
            return error_page(page, StatusCode::FORBIDDEN, "error-csrf");
        }
        req = Request::from_parts(parts, body);
    } else if !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let (parts, body) = req.into_parts();
        let bytes: Bytes = match axum::body::to_bytes(body, FORM_BODY_LIMIT).await {
            Ok(b) => b,
            Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "Request too large").into_response(),
        };
        let sent = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or_else(|| form_token(&bytes));
        let valid = same_origin(&parts.headers)
            && existing_csrf
                .as_deref()
                .zip(sent.as_deref())
                .is_some_and(|(cookie, sent)| same_secret(cookie, sent));
        if !valid {
            tracing::warn!(path = %parts.uri.path(), "refused a request without a valid CSRF token");
            let page = Page::new(app.clone(), ctx.clone(), "error-title");
            let mut response = error_page(page, StatusCode::FORBIDDEN, "error-csrf");
            if new_csrf {
                response.headers_mut().append(
                    header::SET_COOKIE,
                    jar(&app).set(cookies::CSRF, &ctx.csrf, None, true),
                );
            }
            return response;
        }
        // Nor may a form's field: refused before any handler sees it, the fields named.
        let urlencoded = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if urlencoded {
            let fields = crate::text::pairs(&bytes);
            let refused = crate::text::refused(&fields);
            if !refused.is_empty() {
                tracing::info!(path = %parts.uri.path(), "refused control characters in a form");
                let page = Page::new(app.clone(), ctx.clone(), "error-title");
                return crate::text::refusal(
                    page,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "error-control-characters-form",
                    &refused,
                    &ctx.path,
                    Some(crate::text::Resend {
                        action: &ctx.path,
                        fields: &fields,
                    }),
                );
            }
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }

    req.extensions_mut().insert(ctx.clone());
    let mut response = next.run(req).await;
    let jar = jar(&app);
    let set = response.headers_mut();
    if new_csrf {
        set.append(
            header::SET_COOKIE,
            jar.set(cookies::CSRF, &ctx.csrf, None, true),
        );
    }
    if stale_session && !sets_cookie(set, cookies::SESSION) {
        set.append(header::SET_COOKIE, jar.clear(cookies::SESSION));
    }
    if flash.is_some() && !sets_cookie(set, cookies::FLASH) {
        set.append(header::SET_COOKIE, jar.clear(cookies::FLASH));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_site_requests_are_not_same_origin() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "kezek.kz".parse().unwrap());
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, "https://kezek.kz".parse().unwrap());
        assert!(same_origin(&h));
        h.insert(header::ORIGIN, "https://evil.example".parse().unwrap());
        assert!(!same_origin(&h));
        h.remove(header::ORIGIN);
        h.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(!same_origin(&h));
    }

    #[test]
    fn the_token_never_stays_in_the_address() {
        for (given, kept) in [
            ("/org/card", "/org/card"),
            ("/org/card?csrf=ab", "/org/card"),
            ("/a?x=1&csrf=ab&y=2", "/a?x=1&y=2"),
            ("/a?CSRF=ab&csrf&x=1", "/a?x=1"),
        ] {
            assert_eq!(without_token(given), kept);
        }
    }

    #[test]
    fn an_uploads_token_is_its_first_part() {
        let form = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n--XyZ\r\n\
                     Content-Disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\n\r\n....";
        assert!(matches!(first_part_token(form, "XyZ"), FirstPart::Token(Some(t)) if t == "abc"));
        for cut in [0, 3, 20, 50, 60] {
            assert!(
                matches!(first_part_token(&form[..cut], "XyZ"), FirstPart::NeedMore),
                "{cut}"
            );
        }
        let photo_first =
            b"--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"csrf\"\r\n\r\n";
        assert!(matches!(
            first_part_token(photo_first, "XyZ"),
            FirstPart::Other
        ));
        assert!(matches!(
            first_part_token(b"--Other\r\n", "XyZ"),
            FirstPart::Other
        ));
    }

    #[test]
    fn the_token_is_read_from_a_form() {
        assert_eq!(form_token(b"phone=1&csrf=abc").as_deref(), Some("abc"));
        assert_eq!(form_token(b"phone=1"), None);
    }
}
