//! The open-data statistics on the portal tests' world: children waiting, correctional demand,
//! the monthly flow and the median wait equal what the world created, for the region and for a
//! locality; a locality outside the region is a 400, never another region's figures.

use axum::http::{StatusCode, header};
use serde_json::{Value, json as j};

use crate::api_portal::{
    assert_errors, assert_no_personal_data, assert_not_modified, json, personal_data,
};
use crate::harness::TestApp;
use crate::portal::world;

/// The last of the twelve months: the current one.
fn this_month(figures: &Value, list: &str) -> Value {
    let months = figures[list].as_array().unwrap();
    assert_eq!(months.len(), 12, "{list}");
    months[11].clone()
}

#[tokio::test]
async fn the_statistics_count_what_the_world_created_for_the_region_and_a_locality() {
    let t = TestApp::start().await;
    let _w = world(&t).await;
    let secrets = personal_data(&t).await;
    let month = {
        let now = t.app.now() + 5 * 3600;
        chrono::DateTime::from_timestamp(now, 0)
            .unwrap()
            .format("%Y-%m")
            .to_string()
    };
    // The child with a direction registered three and a half days before it was issued.
    let issued: i64 = sqlx::query_scalar("SELECT issued_at FROM directions")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    sqlx::query(
        "UPDATE applications SET registered_at = $1
         WHERE id = (SELECT application_id FROM directions)",
    )
    .bind(issued - 3 * 86_400 - 43_200)
    .execute(t.app.db.pool())
    .await
    .unwrap();
    let median = 3.5;

    let mut c = t.client();
    let url = "/api/v1/statistics?region=71";
    let r = c.get(url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert_no_personal_data(&r.body, &secrets);
    let figures = json(&r.body);
    assert_eq!(figures["kato"], "710000000");
    // Two children wait in the regular queue (the third has a direction), Бота also for speech.
    assert_eq!(
        figures["waiting"],
        j!([
            {"birth_year": 2022, "kind": "correctional", "children": 1},
            {"birth_year": 2022, "kind": "regular", "children": 2},
        ])
    );
    assert_eq!(
        figures["correctional"],
        j!([{"correction_type": "speech", "waiting_children": 1, "capacity": 12, "free_places": 1}])
    );
    // Six places published this month in Astana (the closed organization's too), one direction.
    assert_eq!(
        this_month(&figures, "monthly"),
        j!({"month": month, "places_published": 6, "directions_issued": 1})
    );
    assert_eq!(
        this_month(&figures["wait_times"], "months"),
        j!({"month": month, "directions": 1, "median_days": median})
    );
    assert_eq!(
        figures["wait_times"]["overall"],
        j!({"directions": 1, "median_days": median})
    );
    assert_not_modified(&mut c, url, &r.headers[header::ETAG]).await;

    // Есиль district: Ёлочка's two places, nobody waiting there, no correctional group.
    let r = c.get("/api/v1/statistics?region=71&kato=711200000").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let district = json(&r.body);
    assert_eq!(district["kato"], "711200000");
    assert_eq!(district["waiting"], j!([]));
    assert_eq!(district["correctional"], j!([]));
    assert_eq!(
        this_month(&district, "monthly"),
        j!({"month": month, "places_published": 2, "directions_issued": 0})
    );
    assert_eq!(
        district["wait_times"]["overall"],
        j!({"directions": 0, "median_days": null})
    );
    // The region's own code is the whole region.
    let r = c.get("/api/v1/statistics?region=71&kato=710000000").await;
    assert_eq!(json(&r.body), figures);

    assert_errors(
        &mut c,
        "/api/v1/statistics",
        &[
            ("kato=711200000", "missing_region"),
            ("region=00", "unknown_region"),
            ("region=71&kato=750000000", "bad_kato"),
            ("region=75&kato=711200000", "bad_kato"),
            ("region=71&kato=7112", "bad_kato"),
            ("region=71&kato=71120000%27", "bad_kato"),
        ],
    )
    .await;
}
