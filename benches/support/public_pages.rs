//! (e) The public portal's pages and the open-data API through the real router, with random
//! filters over the generated region: what a visitor or a mirror waits for.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use kezek_datagen::{Generated, Rng};

use super::{Series, WARM_UP, get, more, random_partition};

/// One kind of request: its name in the table and how to make a random one.
struct Target {
    name: &'static str,
    uri: fn(&mut Rng, &Generated) -> String,
}

fn district(rng: &mut Rng, g: &Generated) -> String {
    rng.pick(&g.localities).clone()
}

fn organization(rng: &mut Rng, g: &Generated) -> i64 {
    *rng.pick(&g.organization_ids)
}

fn year(rng: &mut Rng, g: &Generated) -> String {
    rng.pick(&g.birth_years).to_string()
}

/// The bulletin's filters as visitors combine them: none, a district, a year and kind, a
/// language, one organization.
fn bulletin_query(rng: &mut Rng, g: &Generated) -> String {
    match rng.below(5) {
        0 => String::new(),
        1 => format!("kato={}", district(rng, g)),
        2 => format!(
            "kato={}&year={}&kind=regular",
            district(rng, g),
            year(rng, g)
        ),
        3 => format!("language={}", if rng.chance(50.0) { "kk" } else { "ru" }),
        _ => format!("org={}", organization(rng, g)),
    }
}

const TARGETS: &[Target] = &[
    Target {
        name: "GET / (home, live figures, latest reviews)",
        uri: |_, _| "/".to_owned(),
    },
    Target {
        name: "GET /bulletin (random filters)",
        uri: |rng, g| format!("/bulletin?{}", bulletin_query(rng, g)),
    },
    Target {
        name: "GET /bulletin.json (random filters)",
        uri: |rng, g| format!("/bulletin.json?{}", bulletin_query(rng, g)),
    },
    Target {
        name: "GET /bulletin.atom",
        uri: |_, _| "/bulletin.atom".to_owned(),
    },
    Target {
        name: "GET /catalog (search or filters)",
        uri: |rng, g| match rng.below(5) {
            0 => "/catalog".to_owned(),
            1 => format!("/catalog?q={}", rng.below(900) + 1),
            2 => "/catalog?q=%D1%81%D0%B0%D0%B4".to_owned(),
            3 => format!("/catalog?kato={}&free=1", district(rng, g)),
            _ => format!(
                "/catalog?language=kk&kind=correctional&page={}",
                rng.below(3) + 1
            ),
        },
    },
    Target {
        name: "GET /catalog/{id} (organization's page)",
        uri: |rng, g| format!("/catalog/{}", organization(rng, g)),
    },
    Target {
        name: "GET /statistics (region or district)",
        uri: |rng, g| {
            if rng.chance(50.0) {
                "/statistics".to_owned()
            } else {
                format!("/statistics?kato={}", district(rng, g))
            }
        },
    },
    Target {
        name: "GET /reviews",
        uri: |_, _| "/reviews".to_owned(),
    },
    Target {
        name: "GET /protocol (first or a random page)",
        uri: |rng, _| format!("/protocol?page={}", rng.below(50) + 1),
    },
    Target {
        name: "GET /api/v1/queue (random queue and page)",
        uri: |rng, g| {
            let organization_scope = rng.chance(50.0);
            let partition = random_partition(rng, g, organization_scope);
            let mut uri = format!(
                "/api/v1/queue?region={}&kind={}&year={}",
                g.region_code,
                partition.kind.as_str(),
                partition.birth_year
            );
            if let Some(c) = &partition.correction_type {
                uri.push_str(&format!("&correction={c}"));
            }
            if let kezek_core::queue::Scope::Organization(id) = partition.scope {
                uri.push_str(&format!("&org={id}"));
            }
            uri
        },
    },
    Target {
        name: "GET /api/v1/protocol",
        uri: |rng, g| {
            format!(
                "/api/v1/protocol?region={}&page={}",
                g.region_code,
                rng.below(20) + 1
            )
        },
    },
];

/// Times every target; fails on any answer but 200.
pub async fn measure(
    router: &axum::Router,
    g: &Generated,
    rng: &mut Rng,
    iterations: usize,
    budget: Duration,
) -> anyhow::Result<Vec<Series>> {
    let mut results = Vec::new();
    for target in TARGETS {
        let mut series = Series::new(target.name);
        let started = Instant::now();
        let mut i = 0;
        while more(&series, iterations, started, budget) {
            i += 1;
            let uri = (target.uri)(rng, g);
            let (status, body, elapsed) = get(router, &uri, &g.region_code).await?;
            anyhow::ensure!(
                status == StatusCode::OK,
                "{uri}: {status}: {}",
                String::from_utf8_lossy(&body)
                    .chars()
                    .take(300)
                    .collect::<String>()
            );
            if i > WARM_UP {
                series.samples.push(elapsed);
            }
        }
        eprintln!("{}: done", target.name);
        results.push(series);
    }
    Ok(results)
}
