//! Renders a hot public page once per change instead of once per visitor: the queue, the
//! bulletin, the catalog, the home page and the open-data API, for visitors without a login.
//! A page is reused while nothing changed through this process and for at most
//! `public_cache_ttl` (changes made by other processes), and only when it is the same for
//! everyone who asks: same language, region and address, no message to show, no cookie set.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::context::Ctx;
use kezek_core::app::App;

/// Bytes of bodies kept at most: a few thousand pages, well inside the server's memory aim.
const MAX_BYTES: usize = 32 << 20;
/// A body larger than this is served but not kept (no public page comes close).
const MAX_BODY: usize = 2 << 20;
/// Addresses longer than this are someone's experiment, not a page a crowd shares.
const MAX_KEY: usize = 512;

#[derive(Clone)]
struct Entry {
    at: Instant,
    /// `App::public_changes` when the page was rendered.
    changes: u64,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

pub struct PublicCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

/// Whether `path` is one of the pages every visitor without a login sees alike.
fn shared(path: &str) -> bool {
    matches!(
        path,
        "/" | "/queue"
            | "/bulletin"
            | "/bulletin.json"
            | "/bulletin.atom"
            | "/catalog"
            | "/protocol"
            | "/statistics"
    ) || path
        .strip_prefix("/catalog/")
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        || (path.starts_with("/api/v1/") && path != "/api/v1/openapi.json")
}

/// Whether a form at `path` changes only its sender's account (logging in on distribution day
/// must not make every public page render again).
fn account_only(path: &str) -> bool {
    matches!(path, "/login" | "/logout" | "/register")
        || path.starts_with("/register/")
        || path.starts_with("/password/")
}

impl PublicCache {
    pub fn new(ttl: Duration) -> PublicCache {
        PublicCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn get(&self, key: &str, changes: u64, now: Instant) -> Option<Entry> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|e| e.changes == changes && now.duration_since(e.at) < self.ttl)
            .cloned()
    }

    fn put(&self, key: String, entry: Entry) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let mut bytes: usize = entries.values().map(|e| e.body.len()).sum();
        if bytes + entry.body.len() > MAX_BYTES {
            let now = Instant::now();
            entries
                .retain(|_, e| e.changes == entry.changes && now.duration_since(e.at) < self.ttl);
            bytes = entries.values().map(|e| e.body.len()).sum();
            if bytes + entry.body.len() > MAX_BYTES {
                // Still full of fresh pages: start again rather than scan for the oldest on
                // every insert; the hot pages are back after one render each.
                entries.clear();
            }
        }
        entries.insert(key, entry);
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }
}

fn response_of(entry: Entry) -> Response {
    let mut response = Response::new(Body::from(entry.body));
    *response.status_mut() = entry.status;
    *response.headers_mut() = entry.headers;
    response
}

/// Serves a shared page from the cache, or renders it and keeps it. Any other request passes
/// through; one that may change something (not GET or HEAD) makes every kept page stale.
pub async fn middleware(
    app: App,
    cache: std::sync::Arc<PublicCache>,
    req: Request,
    next: Next,
) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        let private = account_only(req.uri().path());
        let response = next.run(req).await;
        if !private {
            app.public_changes.bump();
        }
        return response;
    }
    let key = match req.extensions().get::<Ctx>() {
        Some(ctx)
            if !cache.ttl.is_zero()
                && *req.method() == Method::GET
                && ctx.user.is_none()
                && ctx.flash.is_none()
                && ctx.path.len() <= MAX_KEY
                && shared(req.uri().path()) =>
        {
            format!("{}|{}|{}", ctx.lang.code(), ctx.region.code, ctx.path)
        }
        _ => return next.run(req).await,
    };
    let changes = app.public_changes.current();
    if let Some(entry) = cache.get(&key, changes, Instant::now()) {
        return response_of(entry);
    }
    let conditional = req.headers().contains_key(header::IF_NONE_MATCH);
    let response = next.run(req).await;
    if response.status() != StatusCode::OK
        || conditional
        || response.headers().contains_key(header::SET_COOKIE)
        || http_body::Body::size_hint(response.body())
            .upper()
            .is_none_or(|n| n > MAX_BODY as u64)
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(body) => body,
        Err(e) => {
            // Its size was known, so the handler's body itself failed.
            tracing::error!(error = %e, "a public page's body failed");
            return (StatusCode::SERVICE_UNAVAILABLE, "Service unavailable").into_response();
        }
    };
    let entry = Entry {
        at: Instant::now(),
        changes,
        status: parts.status,
        headers: parts.headers,
        body,
    };
    cache.put(key, entry.clone());
    response_of(entry)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(changes: u64, body: &'static [u8]) -> Entry {
        Entry {
            at: Instant::now(),
            changes,
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from_static(body),
        }
    }

    #[test]
    fn a_page_is_kept_until_a_change_or_its_lifetime_ends() {
        let cache = PublicCache::new(Duration::from_millis(500));
        cache.put("ru|71|/queue".into(), entry(3, b"page"));
        let now = Instant::now();
        assert!(cache.get("ru|71|/queue", 3, now).is_some());
        assert!(
            cache.get("ru|71|/queue", 4, now).is_none(),
            "a change makes it stale"
        );
        assert!(
            cache.get("kk|71|/queue", 3, now).is_none(),
            "another language is another page"
        );
        let later = now + Duration::from_millis(600);
        assert!(cache.get("ru|71|/queue", 3, later).is_none(), "too old");
    }

    #[test]
    fn the_kept_bytes_stay_bounded() {
        static BIG: [u8; 1 << 20] = [b'x'; 1 << 20];
        let cache = PublicCache::new(Duration::from_secs(60));
        for i in 0..100 {
            cache.put(format!("ru|71|/catalog/{i}"), entry(0, &BIG));
        }
        assert!(
            cache.len() * BIG.len() <= MAX_BYTES,
            "{} pages",
            cache.len()
        );
    }

    #[test]
    fn logging_in_changes_no_public_page_and_other_forms_may() {
        for path in [
            "/login",
            "/logout",
            "/register",
            "/register/password",
            "/password/reset",
        ] {
            assert!(account_only(path), "{path}");
        }
        for path in [
            "/org/groups/3/vacancies",
            "/loginx",
            "/cabinet/applications/new",
        ] {
            assert!(!account_only(path), "{path}");
        }
    }

    #[test]
    fn only_pages_alike_for_everyone_are_shared() {
        for path in [
            "/",
            "/queue",
            "/bulletin.json",
            "/catalog/12",
            "/api/v1/queue",
        ] {
            assert!(shared(path), "{path}");
        }
        for path in [
            "/cabinet",
            "/login",
            "/catalog/12/reviews",
            "/api/v1/openapi.json",
            "/reviews",
            "/static/app.css",
        ] {
            assert!(!shared(path), "{path}");
        }
    }
}
