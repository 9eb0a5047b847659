//! The open-data API: the masked queue and the protocol as JSON, errors as JSON with stable
//! codes, ETags answered with 304, and an OpenAPI document naming exactly the routes that exist.

use axum::http::{Request, StatusCode, header};
use serde_json::Value;

use crate::fixtures::{family, waiting_child};
use crate::harness::TestApp;

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

#[tokio::test]
async fn the_queue_is_open_data_without_personal_data() {
    let t = TestApp::start().await;
    let f = family(&t, "+7 701 310 00 01").await;
    waiting_child(&t, &f, "Айгерим", "Сапарова", "kk").await;
    waiting_child(&t, &f, "Бота", "Нурланова", "kk").await;
    let url = format!(
        "/api/v1/queue?region=71&kind=regular&year=2022&org={}",
        f.balapan
    );
    let mut visitor = t.client();
    let r = visitor.get(&url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(r.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert!(
        r.headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .starts_with("public")
    );
    let page = json(&r.body);
    assert_eq!(page["total"], 2);
    assert_eq!(page["organization_id"], f.balapan);
    let entries = page["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["position"], 1);
    assert_eq!(entries[0]["child"], "С*** А.");
    assert_eq!(entries[1]["child"], "Н*** Б.");
    assert_eq!(entries[0]["status"], "waiting");
    assert_eq!(entries[0]["category"], "general");
    assert!(
        entries[0]["registered_at"]
            .as_str()
            .unwrap()
            .ends_with("+05:00")
    );
    // No names, IINs or internal ids.
    for secret in ["Айгерим", "Сапарова", "parent_user_id", "application_id"] {
        assert!(!r.body.contains(secret), "{secret} in {}", r.body);
    }

    // The same answer again costs nothing: 304 for the ETag held.
    let etag = r.headers[header::ETAG].clone();
    let again = visitor
        .send(
            Request::get(&url)
                .header(header::IF_NONE_MATCH, etag.clone())
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    // A new child in the queue changes the answer and its ETag.
    waiting_child(&t, &f, "Дана", "Ержанова", "kk").await;
    let changed = visitor
        .send(
            Request::get(&url)
                .header(header::IF_NONE_MATCH, etag.clone())
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_ne!(changed.headers[header::ETAG], etag);
    assert_eq!(json(&changed.body)["total"], 3);

    // The locality's queue holds them too.
    let r = visitor
        .get("/api/v1/queue?region=71&kato=710000000&kind=regular&year=2022")
        .await;
    assert_eq!(json(&r.body)["total"], 3);
}

#[tokio::test]
async fn wrong_parameters_get_a_json_error_never_a_500() {
    let t = TestApp::start().await;
    let f = family(&t, "+7 701 310 00 02").await;
    let mut visitor = t.client();
    for (query, code) in [
        ("kind=regular&year=2022", "missing_region"),
        ("region=99&kind=regular&year=2022", "unknown_region"),
        ("region=71&kind=nursery&year=2022", "bad_kind"),
        ("region=71&year=2022", "bad_kind"),
        ("region=71&kind=regular&year=soon", "bad_year"),
        ("region=71&kind=correctional&year=2022", "bad_correction"),
        (
            "region=71&kind=correctional&year=2022&correction=magic",
            "bad_correction",
        ),
        (
            "region=71&kind=regular&year=2022&kato=750000000",
            "bad_kato",
        ),
        ("region=71&kind=regular&year=2022&org=999999", "bad_org"),
        ("region=71&kind=regular&year=2022&org=x", "bad_org"),
        ("region=71&kind=regular&year=2022&page=0", "bad_page"),
    ] {
        let r = visitor.get(&format!("/api/v1/queue?{query}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}: {}", r.body);
        assert_eq!(json(&r.body)["error"], code, "{query}");
    }
    let r = visitor
        .get(&format!(
            "/api/v1/queue?region=71&kind=correctional&year=2022&correction=speech&org={}",
            f.balapan
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(json(&r.body)["total"], 0);
    let r = visitor.get("/api/v1/protocol?region=7").await;
    assert_eq!(json(&r.body)["error"], "unknown_region");
}

#[tokio::test]
async fn the_protocol_is_published_with_its_head() {
    let t = TestApp::start().await;
    let f = family(&t, "+7 701 310 00 03").await;
    waiting_child(&t, &f, "Айгерим", "Сапарова", "kk").await;
    let group: i64 = sqlx::query_scalar("SELECT id FROM org_groups WHERE name = 'Балапандар'")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    let today = kezek_domain::time::local_date(t.app.now());
    kezek_core::orgs::vacancies::publish(&t.app.db, &f.parent, group, 1, today, t.app.now())
        .await
        .unwrap();
    assert_eq!(
        kezek_core::directions::allocate_group(&t.app, group, t.app.now())
            .await
            .unwrap(),
        1
    );
    let mut visitor = t.client();
    let r = visitor.get("/api/v1/protocol?region=71").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let page = json(&r.body);
    assert_eq!(page["head_seq"], 1);
    let entries = page["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["event"], "issued");
    assert_eq!(entries[0]["child"], "С*** А.");
    assert_eq!(entries[0]["position"], 1);
    assert_eq!(entries[0]["hash"], page["head_hash"]);
    assert!(!r.body.contains("Айгерим"));
    // Another region's protocol is empty.
    let r = visitor.get("/api/v1/protocol?region=75").await;
    assert_eq!(json(&r.body)["entries"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn the_openapi_document_describes_the_routes_that_answer() {
    let t = TestApp::start().await;
    // An organization for the paths naming one.
    let f = family(&t, "+7 701 310 00 04").await;
    let mut visitor = t.client();
    let r = visitor.get("/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers.contains_key(header::ETAG));
    let doc = json(&r.body);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for expected in ["/api/v1/queue", "/api/v1/protocol", "/api/v1/organizations"] {
        assert!(paths.contains_key(expected), "{expected} not documented");
    }
    for (path, item) in paths {
        let get = &item["get"];
        assert!(get.is_object(), "{path}: only GET is offered");
        for status in ["200", "304"] {
            assert!(get["responses"][status].is_object(), "{path}: {status}");
        }
        // Every documented route exists and answers JSON, even without its parameters.
        let r = visitor
            .get(&path.replace("{id}", &f.balapan.to_string()))
            .await;
        assert_ne!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.body);
        assert_eq!(
            r.headers[header::CONTENT_TYPE],
            "application/json",
            "{path}"
        );
    }
    for schema in [
        "QueuePage",
        "QueueEntry",
        "ProtocolPage",
        "ApiError",
        "OrganizationsPage",
        "OrganizationLine",
        "VacanciesPage",
        "Vacancy",
        "OrganizationCard",
        "OpenGroup",
        "QueueLength",
        "Statistics",
        "CorrectionalPlaces",
        "MonthlyWait",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "{schema} not described"
        );
    }
}
