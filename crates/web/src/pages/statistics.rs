//! "Статистика": the public statistics of the region chosen in the switcher or one of its
//! localities, four charts drawn on the server, each with its table and a CSV download
//! (`/statistics/{chart}.csv?kato=…`, columns listed in `docs/statistics.md`).

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::error::{PageError, PageResult};
use crate::page::{FormState, Page};
use kezek_core::app::App;
use kezek_core::domain::Kato;
use kezek_core::domain::region;
use kezek_core::reference::{self, ReferenceKind};

mod views;

use views::{ChartView, Figures, StatisticId};

pub fn routes() -> Router<App> {
    Router::new()
        .route("/statistics", get(statistics_page))
        .route("/statistics/{file}", get(download))
}

#[derive(Template)]
#[template(path = "statistics.html")]
struct StatisticsTemplate<'a> {
    page: &'a Page,
    form: FormState,
    localities: Vec<(String, String)>,
    area: String,
    charts: Vec<ChartView>,
}

/// The area the figures are for: its 9-digit KATO code, the prefix its codes share, its name.
struct Area {
    kato: String,
    prefix: String,
    name: String,
    /// Chosen with the filter, not the whole region.
    chosen: bool,
}

/// The locality asked for when it is one of the region's, else the whole region; anything else
/// in `kato` is ignored.
async fn area(
    page: &Page,
    region_code: &str,
    asked: Option<&String>,
) -> PageResult<(Area, Vec<(String, String)>)> {
    let localities = super::queue::locality_options(page, region_code).await?;
    let region_kato = format!("{region_code:0<9}");
    let asked = asked.map(|k| k.trim()).filter(|k| *k != region_kato);
    let chosen = asked
        .and_then(|k| localities.iter().find(|(code, _)| code == k))
        .and_then(|(code, name)| Kato::parse(code).ok().map(|k| (k, name.clone())));
    let region_name = region::find(region_code).map_or(region_code, |r| r.name(page.lang_code()));
    Ok((
        match chosen {
            Some((kato, name)) => Area {
                kato: kato.as_str().to_owned(),
                prefix: kato.prefix().to_owned(),
                name,
                chosen: true,
            },
            None => Area {
                kato: region_kato,
                prefix: region_code.to_owned(),
                name: region_name.to_owned(),
                chosen: false,
            },
        },
        localities,
    ))
}

/// Correction types' names in the visitor's language, by code.
async fn correction_names(page: &Page) -> PageResult<HashMap<String, String>> {
    let lang = page.lang_code();
    Ok(
        reference::list(page.app.db.pool(), ReferenceKind::CorrectionType, true)
            .await?
            .into_iter()
            .map(|i| {
                let name = i.name(lang).to_owned();
                (i.code, name)
            })
            .collect(),
    )
}

async fn figures(page: &Page, id: StatisticId, prefix: &str) -> PageResult<Figures> {
    let (shared, db, now) = (
        &page.app.public_figures.statistics,
        &page.app.db,
        page.app.now(),
    );
    Ok(match id {
        StatisticId::Waiting => Figures::Waiting(shared.waiting(db, prefix).await?),
        StatisticId::Correctional => Figures::Correctional(
            shared.correctional(db, prefix).await?,
            correction_names(page).await?,
        ),
        StatisticId::Monthly => Figures::Monthly(shared.monthly(db, prefix, now).await?),
        StatisticId::WaitTime => Figures::WaitTime(shared.wait_times(db, prefix, now).await?),
    })
}

pub async fn statistics_page(page: Page, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let page = page.titled("statistics-title");
    let (area, localities) = area(&page, page.ctx.region.code, q.get("kato")).await?;
    let mut form = FormState::default();
    if area.chosen {
        form.set_value("kato", area.kato.clone());
    }
    let mut charts = Vec::with_capacity(StatisticId::ALL.len());
    for id in StatisticId::ALL {
        let f = figures(&page, id, &area.prefix).await?;
        charts.push(views::chart_view(&page, &f, &area.kato));
    }
    let template = StatisticsTemplate {
        area: page.t1("statistics-area", "area", &area.name),
        page: &page,
        form,
        localities,
        charts,
    };
    page.render(StatusCode::OK, &template)
}

/// `/statistics/{chart}.csv?kato=…`: the area is the KATO code's region (so a link works
/// whatever region the visitor has chosen), or the visitor's region when the code is not one.
pub async fn download(
    page: Page,
    Path(file): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> PageResult {
    let id = file
        .strip_suffix(".csv")
        .and_then(StatisticId::parse)
        .ok_or(PageError::NotFound)?;
    let region_code = q
        .get("kato")
        .and_then(|k| k.trim().get(..2))
        .and_then(region::find)
        .map_or(page.ctx.region.code, |r| r.code);
    let (area, _) = area(&page, region_code, q.get("kato")).await?;
    let figures = figures(&page, id, &area.prefix).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"kezek-statistics-{}-{}.csv\"",
                    id.as_str(),
                    area.kato
                ),
            ),
        ],
        views::csv(&figures),
    )
        .into_response())
}
