//! The open-data API's portal data on the portal tests' world (`crate::portal::world`): the
//! catalog, an organization's card and the free-places bulletin equal what the world created,
//! each filter narrows them, a value the pages would ignore is a 400 with its code, held ETags
//! get 304, and no parent or child is named.

use axum::http::{Request, StatusCode, header};
use serde_json::Value;

use crate::harness::{Client, TestApp};
use crate::portal::world;

pub fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// The personal data the world holds: children's names and IINs, parents' phones.
pub async fn personal_data(t: &TestApp) -> Vec<String> {
    let children: Vec<(String, String, String)> =
        sqlx::query_as("SELECT iin, first_name, last_name FROM children")
            .fetch_all(t.app.db.pool())
            .await
            .unwrap();
    let phones: Vec<String> = sqlx::query_scalar("SELECT phone FROM users")
        .fetch_all(t.app.db.pool())
        .await
        .unwrap();
    assert!(!children.is_empty() && !phones.is_empty());
    children
        .into_iter()
        .flat_map(|(iin, first, last)| [iin, first, last])
        .chain(phones)
        .collect()
}

/// No word of the answer is a name, an IIN or a phone (whole words: a child called Бала may
/// go to Балапан).
pub fn assert_no_personal_data(body: &str, secrets: &[String]) {
    let text = json(body).to_string();
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).collect();
    for secret in secrets {
        let secret = secret.trim_start_matches('+');
        assert!(!words.contains(&secret), "{secret} in {body}");
    }
}

/// 304 for the ETag the answer carried.
pub async fn assert_not_modified(c: &mut Client, url: &str, etag: &axum::http::HeaderValue) {
    let again = c
        .send(
            Request::get(url)
                .header(header::IF_NONE_MATCH, etag.clone())
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{url}");
    assert!(again.body.is_empty());
}

pub async fn assert_errors(c: &mut Client, path: &str, cases: &[(&str, &str)]) {
    for (query, code) in cases {
        let r = c.get(&format!("{path}?{query}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}: {}", r.body);
        assert_eq!(
            r.headers[header::CONTENT_TYPE],
            "application/json",
            "{query}"
        );
        assert_eq!(json(&r.body)["error"], *code, "{query}");
    }
}

fn ids(page: &Value, list: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = page[list]
        .as_array()
        .unwrap_or_else(|| panic!("no {list}: {page}"))
        .iter()
        .map(|o| o["id"].as_i64().unwrap())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn the_catalog_lists_the_regions_open_organizations_and_each_filter_narrows_it() {
    let t = TestApp::start().await;
    let w = world(&t).await;
    let secrets = personal_data(&t).await;
    let mut c = t.client();
    let url = "/api/v1/organizations?region=71";
    let r = c.get(url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    assert_no_personal_data(&r.body, &secrets);
    let page = json(&r.body);
    assert_eq!((&page["total"], &page["pages"]), (&3.into(), &1.into()));
    let lines = page["organizations"].as_array().unwrap();
    let names: Vec<&str> = lines
        .iter()
        .map(|o| o["name_ru"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Акбота", "Балапан", "Ясли-сад «Ёлочка» & <Ко>"],
        "open organizations of the region, by Russian name"
    );
    let yolochka = &lines[2];
    assert_eq!(yolochka["id"], w.yolochka);
    assert_eq!(yolochka["bin"], "120340001111");
    assert_eq!(yolochka["kato"], "711200000");
    assert_eq!(yolochka["locality_ru"], "район Есиль");
    assert_eq!(yolochka["ownership"], "state");
    assert_eq!(yolochka["languages"], serde_json::json!(["ru"]));
    assert_eq!(yolochka["free_places"], 2);
    assert_eq!(lines[1]["languages"], serde_json::json!(["kk", "ru"]));
    assert_eq!(lines[1]["free_places"], 2, "Балапан: one place offered");
    assert_eq!(lines[0]["free_places"], 0);
    assert_not_modified(&mut c, url, &r.headers[header::ETAG]).await;

    let one = |id: i64| vec![id];
    for (query, expected) in [
        ("q=%D0%81%D0%9B%D0%9E%D0%A7%D0%9A%D0%90", one(w.yolochka)), // ЁЛОЧКА
        ("q=абая+астана", one(w.balapan)),
        ("q=алматы", vec![]),
        ("kato=711200000", one(w.yolochka)),
        ("kato=710000000", vec![w.balapan, w.akbota, w.yolochka]),
        ("ownership=private", one(w.akbota)),
        ("language=ru&ownership=state", vec![w.balapan, w.yolochka]),
        ("kind=sanatorium", one(w.yolochka)),
        ("correction=speech", one(w.balapan)),
        ("free=1&language=kk", one(w.balapan)),
        ("free=0&kind=", vec![w.balapan, w.akbota, w.yolochka]),
    ] {
        let r = c.get(&format!("{url}&{query}")).await;
        assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.body);
        let mut expected = expected.clone();
        expected.sort();
        assert_eq!(ids(&json(&r.body), "organizations"), expected, "{query}");
    }
    let r = c.get("/api/v1/organizations?region=75").await;
    assert_eq!(ids(&json(&r.body), "organizations"), one(w.almaty));
    let r = c.get(&format!("{url}&page=2")).await;
    let page = json(&r.body);
    assert_eq!(page["page"], 2);
    assert!(page["organizations"].as_array().unwrap().is_empty());

    assert_errors(
        &mut c,
        "/api/v1/organizations",
        &[
            ("kind=regular", "missing_region"),
            ("region=99", "unknown_region"),
            ("region=71&kato=751100000", "bad_kato"),
            ("region=71&kato=71", "bad_kato"),
            ("region=71&ownership=municipal", "bad_ownership"),
            ("region=71&language=qq", "bad_language"),
            ("region=71&kind=nursery", "bad_kind"),
            ("region=71&correction=magic", "bad_correction"),
            ("region=71&free=yes", "bad_free"),
            ("region=71&page=0", "bad_page"),
            ("region=71&page=x", "bad_page"),
        ],
    )
    .await;
}

#[tokio::test]
async fn the_vacancies_are_the_bulletins_places_and_each_filter_narrows_them() {
    let t = TestApp::start().await;
    let w = world(&t).await;
    let secrets = personal_data(&t).await;
    let mut c = t.client();
    let url = "/api/v1/vacancies?region=71";
    let r = c.get(url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_no_personal_data(&r.body, &secrets);
    let page = json(&r.body);
    assert_eq!(page["total"], 5, "{page}");
    let places = page["vacancies"].as_array().unwrap();
    assert_eq!(places.len(), 5);
    let states: Vec<&str> = places
        .iter()
        .map(|p| p["state"].as_str().unwrap())
        .collect();
    assert_eq!(states.iter().filter(|s| **s == "offered").count(), 1);
    let offered = places.iter().find(|p| p["state"] == "offered").unwrap();
    assert_eq!(offered["id"], w.offered_vacancy);
    assert_eq!(offered["organization_id"], w.balapan);
    assert_eq!(offered["group_name"], "Балапандар");
    assert_eq!(
        (
            &offered["birth_year"],
            &offered["language"],
            &offered["kind"]
        ),
        (&2022.into(), &"kk".into(), &"regular".into())
    );
    let today = kezek_domain::time::local_date(t.app.now()).to_string();
    assert_eq!(offered["available_from"], today.as_str());
    let published = offered["published_at"].as_str().unwrap();
    assert!(
        published.starts_with(&today) && published.ends_with("+05:00"),
        "{published}"
    );
    assert!(
        !r.body.contains("Алматы") && !r.body.contains("Закрытая"),
        "another region's and a closed organization's places are not listed"
    );
    assert_not_modified(&mut c, url, &r.headers[header::ETAG]).await;

    for (query, expected) in [
        ("kato=711200000".to_owned(), 2),
        (format!("org={}", w.balapan), 3),
        (format!("org={}", w.akbota), 0),
        ("year=2023".to_owned(), 1),
        ("language=ru".to_owned(), 3),
        ("kind=sanatorium".to_owned(), 1),
        ("kind=correctional&correction=speech".to_owned(), 1),
        ("kind=regular&year=2022&language=kk".to_owned(), 2),
        ("kind=&year=&org=".to_owned(), 5),
    ] {
        let r = c.get(&format!("{url}&{query}")).await;
        assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.body);
        let page = json(&r.body);
        assert_eq!(page["total"], expected, "{query}");
        assert_eq!(
            page["vacancies"].as_array().unwrap().len(),
            expected,
            "{query}"
        );
    }
    let r = c.get("/api/v1/vacancies?region=75").await;
    assert_eq!(json(&r.body)["total"], 1, "Алма of Almaty");

    assert_errors(
        &mut c,
        "/api/v1/vacancies",
        &[
            ("", "missing_region"),
            ("region=7", "unknown_region"),
            ("region=71&kato=751100000", "bad_kato"),
            (&format!("region=71&org={}", w.almaty), "bad_org"),
            (&format!("region=71&org={}", w.closed), "bad_org"),
            ("region=71&org=x", "bad_org"),
            ("region=71&year=1990", "bad_year"),
            ("region=71&language=de", "bad_language"),
            ("region=71&kind=nursery", "bad_kind"),
            ("region=71&correction=magic", "bad_correction"),
            ("region=71&page=-1", "bad_page"),
        ],
    )
    .await;
}

#[tokio::test]
async fn an_organizations_card_has_its_groups_places_queues_rating_and_location() {
    let t = TestApp::start().await;
    let w = world(&t).await;
    // Two published reviews and one waiting for moderation.
    t.register_parent("+7 701 600 00 09", crate::fixtures::PASSWORD)
        .await;
    let users: Vec<i64> = sqlx::query_scalar("SELECT id FROM users ORDER BY id")
        .fetch_all(t.app.db.pool())
        .await
        .unwrap();
    for (author, rating, status) in [
        (users[0], 5, "published"),
        (users[1], 4, "published"),
        (users[2], 1, "pending"),
    ] {
        sqlx::query(
            "INSERT INTO reviews (organization_id, author_user_id, rating, body, status,
                created_at, updated_at) VALUES ($1, $2, $3, 'Жақсы', $4, $5, $5)",
        )
        .bind(w.balapan)
        .bind(author)
        .bind(rating)
        .bind(status)
        .bind(t.app.now())
        .execute(t.app.db.pool())
        .await
        .unwrap();
    }
    let secrets = personal_data(&t).await;
    let mut c = t.client();
    let url = format!("/api/v1/organizations/{}", w.balapan);
    let r = c.get(&url).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_no_personal_data(&r.body, &secrets);
    let card = json(&r.body);
    assert_eq!(card["id"], w.balapan);
    assert_eq!(card["name_ru"], "Балапан");
    assert_eq!(card["address"], "Астана, ул. Абая, 12");
    assert_eq!(card["ownership"], "state");
    assert_eq!(card["languages"], serde_json::json!(["kk", "ru"]));
    assert_eq!(card["location"], Value::Null, "no coordinates");
    assert_eq!(
        card["rating"],
        serde_json::json!({"reviews": 2, "average": 4.5})
    );
    let groups = card["groups"].as_array().unwrap();
    let group = |name: &str| {
        groups
            .iter()
            .find(|g| g["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {groups:?}"))
    };
    let regular = group("Балапандар");
    assert_eq!(
        (
            &regular["birth_year"],
            &regular["language"],
            &regular["kind"],
            &regular["capacity"],
            &regular["enrolled"],
            &regular["free_places"],
        ),
        (
            &2022.into(),
            &"kk".into(),
            &"regular".into(),
            &25.into(),
            &0.into(),
            &1.into()
        ),
        "one of the two places is offered"
    );
    let speech = group("Логопеды");
    assert_eq!(speech["correction_type"], "speech");
    assert_eq!(speech["capacity"], 12);
    assert_eq!(groups.len(), 2);
    let vacancies = card["vacancies"].as_array().unwrap();
    assert_eq!(vacancies.len(), 3);
    assert!(vacancies.iter().all(|v| v["organization_id"] == w.balapan));
    assert_eq!(
        card["queues"],
        serde_json::json!([
            {"birth_year": 2022, "kind": "regular", "correction_type": null, "waiting": 2},
            {"birth_year": 2022, "kind": "correctional", "correction_type": "speech", "waiting": 1},
        ]),
        "the third child has a direction; Ақбота's 2021 queue is not Балапан's"
    );
    assert_not_modified(&mut c, &url, &r.headers[header::ETAG]).await;

    let r = c
        .get(&format!("/api/v1/organizations/{}", w.yolochka))
        .await;
    let card = json(&r.body);
    assert_eq!(card["name_ru"], "Ясли-сад «Ёлочка» & <Ко>");
    assert_eq!(card["locality_ru"], "район Есиль");
    assert_eq!(card["phone"], "+77172000001");
    assert_eq!(card["location"]["latitude"], 51.128207);
    assert_eq!(card["location"]["longitude"], 71.430411);
    assert!(
        card["location"]["map_link"]
            .as_str()
            .unwrap()
            .contains("openstreetmap.org")
    );
    assert_eq!(
        card["rating"],
        serde_json::json!({"reviews": 0, "average": null})
    );
    assert_eq!(
        json(
            &c.get(&format!("/api/v1/organizations/{}", w.almaty))
                .await
                .body
        )["kato"],
        "751100000",
        "any region's organization has its card"
    );

    for id in [
        w.closed.to_string(),
        "999999".to_owned(),
        "abc".to_owned(),
        "-1".to_owned(),
        "0".to_owned(),
    ] {
        let r = c.get(&format!("/api/v1/organizations/{id}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{id}: {}", r.body);
        assert_eq!(r.headers[header::CONTENT_TYPE], "application/json", "{id}");
        assert_eq!(json(&r.body)["error"], "not_found", "{id}");
    }
}
