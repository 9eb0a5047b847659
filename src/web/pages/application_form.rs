//! The application_form pages (being written).

use axum::Router;

use crate::app::App;

pub fn routes() -> Router<App> {
    Router::new()
}
