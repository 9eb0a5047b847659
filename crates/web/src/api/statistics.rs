//! `GET /api/v1/statistics`: the four public statistics of `kezek_core::stats` for a region or one of
//! its localities, the figures the statistics page draws and offers as CSV.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiResult, bad_filter, cached, region_param};
use kezek_core::app::App;
use kezek_core::domain::Kato;
use kezek_core::portal::filters;
use kezek_core::stats::WaitSummary;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatisticsQuery {
    /// The region's 2-digit KATO code, e.g. `71`.
    region: Option<String>,
    /// A locality of the region (its 9-digit KATO code, as the statistics page offers them);
    /// the whole region when absent.
    kato: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Statistics {
    region: String,
    /// The area counted: the region's own code or the locality's.
    kato: String,
    /// Children waiting by birth year and group kind: one per child and kind.
    waiting: Vec<WaitingChildren>,
    /// Correctional demand against correctional places, per correction type.
    correctional: Vec<CorrectionalPlaces>,
    /// The last 12 months (Kazakhstan time), oldest first.
    monthly: Vec<MonthlyFlow>,
    /// Median days from registration to an application's first direction.
    wait_times: WaitTimes,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WaitingChildren {
    birth_year: i64,
    /// `regular`, `correctional` or `sanatorium`.
    kind: String,
    children: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectionalPlaces {
    /// The correction type's code, e.g. `speech`.
    correction_type: String,
    /// Children with a waiting correctional application of this type.
    waiting_children: i64,
    /// Places in open correctional groups of this type.
    capacity: i64,
    /// Of those, published in the bulletin and not yet offered.
    free_places: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MonthlyFlow {
    /// `YYYY-MM`.
    month: String,
    places_published: i64,
    directions_issued: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WaitTimes {
    /// The directions issued in each of the last 12 months, oldest first.
    months: Vec<MonthlyWait>,
    /// All of those months together.
    overall: Wait,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MonthlyWait {
    /// `YYYY-MM`.
    month: String,
    #[serde(flatten)]
    wait: Wait,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Wait {
    /// First directions counted.
    directions: i64,
    /// Rounded to one decimal; absent without directions.
    median_days: Option<f64>,
}

impl From<WaitSummary> for Wait {
    fn from(s: WaitSummary) -> Wait {
        Wait {
            directions: s.directions,
            median_days: s.median_days,
        }
    }
}

/// The public statistics of a region or one of its localities.
#[utoipa::path(
    get,
    path = "/api/v1/statistics",
    tag = "statistics",
    params(StatisticsQuery),
    responses(
        (status = 200, description = "The figures", body = Statistics),
        (status = 304, description = "Not modified since the ETag sent in If-None-Match"),
        (status = 400, description = "A parameter is missing or wrong", body = super::ApiError),
    )
)]
pub async fn statistics(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<StatisticsQuery>,
) -> ApiResult {
    let region = region_param(q.region.as_deref())?;
    let pool = app.db.pool();
    let region_kato = format!("{:0<9}", region.code);
    let kato = match q.kato.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => region_kato,
        Some(asked) => {
            let localities = filters::localities(pool, region.code).await?;
            if !localities.iter().any(|(code, _, _)| code == asked) {
                return Err(bad_filter("kato"));
            }
            asked.to_owned()
        }
    };
    let prefix = Kato::parse(&kato)?.prefix().to_owned();
    let (figures, now) = (&app.public_figures.statistics, app.now());
    let (waiting, correctional, monthly, waits) = tokio::try_join!(
        figures.waiting(&app.db, &prefix),
        figures.correctional(&app.db, &prefix),
        figures.monthly(&app.db, &prefix, now),
        figures.wait_times(&app.db, &prefix, now),
    )?;
    let body = Statistics {
        region: region.code.to_owned(),
        kato,
        waiting: waiting
            .into_iter()
            .map(|w| WaitingChildren {
                birth_year: w.birth_year,
                kind: w.kind,
                children: w.children,
            })
            .collect(),
        correctional: correctional
            .into_iter()
            .map(|c| CorrectionalPlaces {
                correction_type: c.correction_type,
                waiting_children: c.waiting_children,
                capacity: c.capacity,
                free_places: c.free_places,
            })
            .collect(),
        monthly: monthly
            .into_iter()
            .map(|m| MonthlyFlow {
                month: m.month.code(),
                places_published: m.places_published,
                directions_issued: m.directions_issued,
            })
            .collect(),
        wait_times: WaitTimes {
            months: waits
                .months
                .into_iter()
                .map(|m| MonthlyWait {
                    month: m.month.code(),
                    wait: m.summary.into(),
                })
                .collect(),
            overall: waits.overall.into(),
        },
    };
    cached(&headers, &body)
}
