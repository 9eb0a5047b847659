//! The web server: routes, middleware (context, CSRF, error pages, security headers) and static
//! assets.

pub mod access;
pub mod api;
pub mod charts;
pub mod context;
pub mod cookies;
pub mod error;
pub mod page;
mod pages;
pub mod public_cache;
pub mod shed;
pub mod text;

use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use kezek_core::app::App;
use pages::{
    admin, application_form, applications, auth, cabinet, children, department, directions,
    documents, moderation, notifications, org, org_reviews, portal, public, queue, reviews,
    statistics, verification,
};

const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");

/// The pages' Content-Security-Policy: nothing from other hosts, except the map tiles of a tile
/// server the installation configured (`map_tile_origin`, `scheme://host[:port]`).
fn content_security_policy(map_tile_origin: Option<&str>) -> HeaderValue {
    let tiles = map_tile_origin
        .filter(|o| {
            o.bytes()
                .all(|b| b.is_ascii_graphic() && b != b';' && b != b',')
        })
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{tiles}; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ))
    .expect("the policy is visible ASCII")
}

/// Pages load nothing from other hosts, are never framed, and leak no URLs to other sites.
async fn security_headers(csp: HeaderValue, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, csp);
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        // Pages carry personal data and per-visitor tokens.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

pub fn router(app: App) -> Router {
    let csp = content_security_policy(app.settings.map_tile_origin().as_deref());
    let shedder = std::sync::Arc::new(shed::Shedder::new(app.settings.anonymous_limits));
    let cache = std::sync::Arc::new(public_cache::PublicCache::new(
        app.settings.public_cache_ttl,
    ));
    let (shed_app, cache_app) = (app.clone(), app.clone());
    Router::new()
        .route("/", get(public::home))
        .route("/policy", get(public::policy))
        .route("/lang/{code}", get(public::switch_language))
        .route("/region", get(public::switch_region))
        .route(
            "/register",
            get(auth::register_form).post(auth::register_submit),
        )
        .route(
            "/register/password",
            get(auth::register_password_form).post(auth::register_password_submit),
        )
        .route(
            "/register/iin",
            get(auth::register_iin_form).post(auth::register_iin_submit),
        )
        .route("/login", get(auth::login_form).post(auth::login_submit))
        .route("/logout", post(auth::logout))
        .route(
            "/password/forgot",
            get(auth::forgot_form).post(auth::forgot_submit),
        )
        .route("/password/reset", post(auth::reset_submit))
        .route("/cabinet", get(cabinet::cabinet))
        .route(
            "/cabinet/password",
            get(cabinet::password_form).post(cabinet::password_submit),
        )
        .route(
            "/cabinet/phone",
            get(cabinet::phone_form).post(cabinet::phone_submit),
        )
        .route("/staff", get(cabinet::staff))
        .route("/org", get(org::dashboard))
        .route("/org/card", get(org::card_form).post(org::card_submit))
        .route(
            "/org/photo",
            post(org::photo_submit).layer(axum::extract::DefaultBodyLimit::max(
                kezek_core::orgs::cards::MAX_PHOTO_BYTES + 64 * 1024,
            )),
        )
        .route("/org/photo/remove", post(org::photo_remove))
        .route(
            "/org/groups/new",
            get(org::new_group_form).post(org::new_group_submit),
        )
        .route("/org/groups/{id}", get(org::group_page))
        .route(
            "/org/groups/{id}/edit",
            get(org::edit_group_form).post(org::edit_group_submit),
        )
        .route("/org/groups/{id}/open", post(org::set_group_open))
        .route("/org/groups/{id}/vacancies", post(org::publish))
        .route("/org/groups/{id}/departures", post(org::departure))
        .route("/org/groups/{id}/enrolled", post(org::enrolled))
        .route("/org/vacancies/{id}/withdraw", post(org::withdraw))
        .merge(department::routes())
        .merge(admin::routes())
        .merge(children::routes())
        .merge(notifications::routes())
        .merge(documents::routes())
        .merge(application_form::routes())
        .merge(applications::routes())
        .merge(verification::routes())
        .merge(queue::routes())
        .merge(statistics::routes())
        .merge(portal::routes())
        .merge(directions::routes())
        .merge(api::routes())
        .merge(reviews::routes())
        .merge(org_reviews::routes())
        .merge(moderation::routes())
        .fallback(public::not_found)
        .layer(middleware::from_fn_with_state(
            app.clone(),
            error::middleware,
        ))
        // Inside the context (they need to know who asks), outermost first: shed, then reuse.
        .layer(middleware::from_fn(move |req, next| {
            public_cache::middleware(cache_app.clone(), cache.clone(), req, next)
        }))
        .layer(middleware::from_fn(move |req, next| {
            shed::middleware(shed_app.clone(), shedder.clone(), req, next)
        }))
        .layer(middleware::from_fn_with_state(
            app.clone(),
            context::middleware,
        ))
        .route("/healthz", get(public::healthz))
        .route("/photos/org/{id}", get(public::org_photo))
        .route(
            "/static/app.css",
            get(|| async { asset("text/css; charset=utf-8", CSS) }),
        )
        .route(
            "/static/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", JS) }),
        )
        .layer(middleware::from_fn(move |req, next| {
            security_headers(csp.clone(), req, next)
        }))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(app)
}

/// Serves until `shutdown` resolves, then closes idle connections and lets the requests in
/// flight finish for at most `shutdown_grace`.
///
/// Every connection must send a whole request head within `header_read_timeout` of opening or
/// of its previous answer (hyper starts that timer whenever the connection waits for a head),
/// so slow or stalled clients (slowloris) and idle keep-alive connections are closed and cannot
/// hold the server, nor its shutdown, for long. Handlers see the peer address as
/// `ConnectInfo<SocketAddr>`, as `axum::serve` gave it.
pub async fn serve(
    app: App,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;

    let header_read_timeout = app.settings.header_read_timeout;
    let shutdown_grace = app.settings.shutdown_grace;
    let router = router(app);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_read_timeout)
        .keep_alive(true);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(peer));
            router.clone().oneshot(req)
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%peer, error = %e, "connection closed");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(shutdown_grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            secs = shutdown_grace.as_secs(),
            "requests still in flight after the shutdown grace; stopping anyway"
        );
    }
    Ok(())
}

/// A failed `accept`: a connection the client already reset is skipped; anything else (e.g. out
/// of file descriptors) is logged and retried after a pause, so the loop does not spin.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused
    ) {
        return;
    }
    tracing::error!(error = %e, "accepting a connection failed");
    tokio::time::sleep(Duration::from_secs(1)).await;
}
