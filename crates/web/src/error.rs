//! What a page handler answers when it cannot serve the page: a refusal ("Вход", 403, 404, …) or
//! our own failure. One layer, which knows the visitor, draws it in their language and logs causes.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::context::Ctx;
use super::page::{Page, see_other_with_flash};
use kezek_core::app::App;

/// A page handler's answer; `?` makes any error an internal one.
pub type PageResult<T = Response> = Result<T, PageError>;

#[derive(Debug)]
pub enum PageError {
    /// A visitor on a page for logged-in users: "Вход", with a message saying why.
    LoginRequired,
    /// Logged in, but the page is not for this user's role.
    Forbidden,
    NotFound,
    /// Refused with a status and message of its own, e.g. staff bound to no organization.
    Refused(StatusCode, &'static str),
    /// Our failure: logged with its causes, never shown to the visitor.
    Internal(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for PageError {
    fn from(e: E) -> PageError {
        PageError::Internal(e.into())
    }
}

/// What [`middleware`] draws for a refused request.
#[derive(Clone, Copy)]
enum Draw {
    Login,
    Page(StatusCode, &'static str),
}

/// An internal error's cause, carried in the response to [`middleware`], which logs it once with
/// the request's method and path. The open-data API's errors carry it too (`web::api::Problem`).
#[derive(Clone)]
pub struct Cause(Arc<anyhow::Error>);

impl Cause {
    pub fn attach(response: &mut Response, cause: anyhow::Error) {
        response.extensions_mut().insert(Cause(Arc::new(cause)));
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let draw = match &self {
            PageError::LoginRequired => Draw::Login,
            PageError::Forbidden => Draw::Page(StatusCode::FORBIDDEN, "error-forbidden"),
            PageError::NotFound => Draw::Page(StatusCode::NOT_FOUND, "error-not-found"),
            PageError::Refused(status, message_key) => Draw::Page(*status, message_key),
            PageError::Internal(_) => {
                Draw::Page(StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
            }
        };
        // The bare status (or redirect) is what a route outside the layer would answer.
        let mut response = match draw {
            Draw::Login => Redirect::to("/login").into_response(),
            Draw::Page(status, _) => status.into_response(),
        };
        response.extensions_mut().insert(draw);
        if let PageError::Internal(cause) = self {
            Cause::attach(&mut response, cause);
        }
        response
    }
}

/// Logs the cause of every failed request and draws refused pages for the visitor: "Вход" with
/// its message, or the translated error page in the layout. Runs inside `context::middleware`.
pub async fn middleware(State(app): State<App>, req: Request, next: Next) -> Response {
    let ctx = req.extensions().get::<Ctx>().cloned();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let mut response = next.run(req).await;
    if let Some(Cause(cause)) = response.extensions_mut().remove::<Cause>() {
        tracing::error!(%method, path, error = %format_args!("{cause:#}"), "request failed");
    }
    let (Some(draw), Some(ctx)) = (response.extensions_mut().remove::<Draw>(), ctx) else {
        return response;
    };
    match draw {
        Draw::Login => see_other_with_flash(&app, "/login", "flash-login-required"),
        Draw::Page(status, message_key) => {
            error_page(Page::of(app, ctx).await, status, message_key)
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate<'a> {
    page: &'a Page,
    message: String,
}

/// A translated error page with a way back home.
pub fn error_page(page: Page, status: StatusCode, message_key: &str) -> Response {
    let page = page.titled("error-title");
    let template = ErrorTemplate {
        message: page.t(message_key),
        page: &page,
    };
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "the error page failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal error").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use anyhow::Context;
    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, header};
    use axum::middleware;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;
    use kezek_core::config::{Secret, Settings, SettingsInput};

    async fn app(dir: &std::path::Path) -> App {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let url = format!("sqlite://{}?mode=rwc", dir.join("kezek.db").display());
        let settings = Settings::resolve(SettingsInput {
            data_dir: Some(dir.to_owned()),
            database_url: Some(Secret::new(url)),
            ..Default::default()
        })
        .unwrap();
        App::start(settings).await.unwrap()
    }

    async fn failing() -> PageResult {
        let cause: Result<(), _> = Err(std::io::Error::other("disk on fire"));
        cause.context("reading the figures")?;
        Ok(().into_response())
    }

    async fn private() -> PageResult {
        Err(PageError::LoginRequired)
    }

    /// The log lines written while `f` runs.
    #[derive(Clone, Default)]
    struct Log(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Log {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[tokio::test]
    async fn failures_are_drawn_for_the_visitor_and_their_causes_only_logged() {
        let dir = tempfile::tempdir().unwrap();
        let app = app(dir.path()).await;
        let router = Router::new()
            .route("/fail", get(failing))
            .route("/private", get(private))
            .layer(middleware::from_fn_with_state(
                app.clone(),
                super::middleware,
            ))
            .layer(middleware::from_fn_with_state(
                app.clone(),
                crate::context::middleware,
            ))
            .with_state(app);
        let log = Log::default();
        let writer = log.clone();
        let _guard = tracing::subscriber::set_default(
            tracing_subscriber::fmt()
                .with_writer(move || writer.clone())
                .with_ansi(false)
                .finish(),
        );
        let get = |path: &str| {
            Request::get(path)
                .header(header::ACCEPT_LANGUAGE, "ru")
                .body(Body::empty())
                .unwrap()
        };

        let r = router.clone().oneshot(get("/fail")).await.unwrap();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert!(body.contains("Что-то пошло не так"), "{body}");
        assert!(body.contains("<html lang=\"ru\">"), "the layout: {body}");
        assert!(!body.contains("disk on fire"), "{body}");
        let logged = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
        assert!(
            logged.contains("reading the figures: disk on fire")
                && logged.contains("GET")
                && logged.contains("/fail"),
            "{logged}"
        );

        let r = router.oneshot(get("/private")).await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()[header::LOCATION], "/login");
        assert!(
            r.headers()
                .get_all(header::SET_COOKIE)
                .iter()
                .any(|c| c.to_str().unwrap().contains("flash-login-required")),
            "{:?}",
            r.headers()
        );
    }
}
