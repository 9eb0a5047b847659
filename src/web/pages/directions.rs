//! Pages of the directions area.

use axum::Router;

use crate::app::App;

pub fn routes() -> Router<App> {
    Router::new()
}
