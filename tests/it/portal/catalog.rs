//! The catalog of organizations and an organization's page.

use axum::http::{StatusCode, header};

use super::{visitor, world};
use crate::harness::TestApp;

/// The catalog lines' organization ids, in order.
fn listed(body: &str) -> Vec<i64> {
    body.match_indices("<td><a href=\"/catalog/")
        .map(|(i, m)| {
            let rest = &body[i + m.len()..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

#[tokio::test]
async fn the_catalog_searches_cyrillic_in_any_case_and_each_filter_narrows_it() {
    let t = TestApp::start().await;
    let w = world(&t).await;
    let mut c = visitor(&t).await;
    let r = c.get("/catalog").await;
    assert_eq!(r.status, StatusCode::OK);
    let mut all = listed(&r.body);
    all.sort();
    let mut expected = vec![w.balapan, w.akbota, w.yolochka];
    expected.sort();
    assert_eq!(all, expected, "open organizations of the region only");
    assert!(r.body.contains("Найдено организаций: 3"));
    // A line: name, address, locality, languages, free places.
    assert!(
        r.body.contains("<td>Астана, ул. Сарайшык, 5</td>\n    <td>район Есиль</td>\n    <td>Русский</td>\n    <td>2</td>"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("<td>Казахский, Русский</td>"),
        "Балапан teaches in both"
    );

    let one = |id: i64| vec![id];
    for (query, expected) in [
        ("q=ёлочка", one(w.yolochka)),
        ("q=%D0%81%D0%9B%D0%9E%D0%A7%D0%9A%D0%90", one(w.yolochka)), // ЁЛОЧКА
        ("q=елочка", one(w.yolochka)),
        ("q=ШЫРША+БӨБЕКЖАЙЫ", one(w.yolochka)),
        ("q=бАлАпАн", one(w.balapan)),
        ("q=кабанбай", one(w.akbota)),
        ("q=абая+астана", one(w.balapan)),
        ("q=120340001111", one(w.yolochka)),
        ("q=алматы", vec![]),
        ("kato=711200000", one(w.yolochka)),
        ("ownership=private", one(w.akbota)),
        ("language=ru&ownership=state", vec![w.balapan, w.yolochka]),
        ("kind=sanatorium", one(w.yolochka)),
        ("kind=correctional", one(w.balapan)),
        ("correction=speech", one(w.balapan)),
        ("free=1&language=kk", one(w.balapan)),
    ] {
        let r = c.get(&format!("/catalog?{query}")).await;
        assert_eq!(r.status, StatusCode::OK, "{query}");
        let mut found = listed(&r.body);
        found.sort();
        let mut expected = expected.clone();
        expected.sort();
        assert_eq!(found, expected, "{query}");
    }
    let r = c.get("/catalog?q=%C3%8BLOCHKA&free=1").await;
    assert!(
        r.body
            .contains("Организаций по выбранным условиям не найдено.")
    );
    let r = c.get("/catalog?q=ёлочка").await;
    assert!(r.body.contains("value=\"ёлочка\""), "the search is kept");
    let r = c.get("/catalog?free=1").await;
    assert!(r.body.contains("name=\"free\" value=\"1\" checked"));
    assert_eq!(listed(&r.body).len(), 2, "Ақбота has no free place");

    for query in [
        "ownership=xyz&kato=123&language=qq&kind=x&correction=y&page=abc",
        "kato=751100000",
        "free=yes",
        "page=0",
    ] {
        let r = c.get(&format!("/catalog?{query}")).await;
        assert_eq!(r.status, StatusCode::OK, "{query}");
        assert_eq!(listed(&r.body).len(), 3, "{query} is ignored");
    }
    // Beyond the last page: the last page, never "page 2 of 1".
    for past in ["2", "368934881474191034", "99999999999999999999999"] {
        let r = c.get(&format!("/catalog?page={past}")).await;
        assert_eq!(listed(&r.body).len(), 3, "{past}");
        assert!(r.body.contains("Страница 1 из 1"), "{past}: {}", r.body);
    }
}

#[tokio::test]
async fn an_organizations_page_shows_its_card_groups_places_queue_and_location() {
    let t = TestApp::start().await;
    let w = world(&t).await;
    let mut c = visitor(&t).await;
    let r = c.get(&format!("/catalog/{}", w.balapan)).await;
    assert_eq!(r.status, StatusCode::OK);
    let body = &r.body;
    for text in [
        "<h1>Балапан</h1>",
        "Астана, ул. Абая, 12",
        "<dd>Государственная</dd>",
        "<th scope=\"row\">Балапандар</th>",
        "<td>Коррекционная</td>\n      <td>Нарушения речи</td>\n      <td>12</td>",
        "<td>Выдано направление</td>",
        "Координаты организации не указаны.",
    ] {
        assert!(body.contains(text), "{text}: {body}");
    }
    // Queues: two children wait for the 2022 regular group (the third has a direction), one in
    // the speech queue; the 2021 queue of Ақбота is not Балапан's.
    assert!(
        body.contains("<tr><td>2022</td><td>Обычная</td><td>2</td></tr>"),
        "{body}"
    );
    assert!(
        body.contains("<tr><td>2022</td><td>Коррекционная (Нарушения речи)</td><td>1</td></tr>")
    );
    assert!(!body.contains("<td>2021</td>"));
    assert!(
        !body.contains("Сапарова") && !body.contains("Айгерим"),
        "no child is named"
    );
    assert!(!body.contains("openstreetmap") && !body.contains("/photos/org/"));

    let r = c.get(&format!("/catalog/{}", w.yolochka)).await;
    let body = &r.body;
    assert!(body.contains("<h1>Ясли-сад «Ёлочка» &#38; &#60;Ко&#62;</h1>"));
    assert!(body.contains("<dd>51.128207</dd>") && body.contains("<dd>71.430411</dd>"));
    assert!(body.contains(
        "href=\"https://www.openstreetmap.org/?mlat=51.128207&#38;mlon=71.430411#map=17/51.128207/71.430411\""
    ));
    assert!(
        !body.contains("<img class=\"map-tile\""),
        "no tile server configured"
    );
    assert!(body.contains("tel:+77172000001"));
    // Nobody waits for its groups: each queue shows 0.
    assert!(
        body.contains("<tr><td>2023</td><td>Обычная</td><td>0</td></tr>"),
        "{body}"
    );
    assert!(body.contains("<tr><td>2022</td><td>Санаторная</td><td>0</td></tr>"));
    let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.contains("img-src 'self' data:;"), "{csp}");

    // In Kazakh the Kazakh name.
    c.accept_language = "kk".into();
    c.cookies.remove("kezek_lang");
    let r = c.get(&format!("/catalog/{}", w.yolochka)).await;
    assert!(r.body.contains("<h1>Шырша бөбекжайы</h1>"), "{}", r.body);

    // Another region's organization has its page too; closed and unknown ones do not.
    assert_eq!(
        c.get(&format!("/catalog/{}", w.almaty)).await.status,
        StatusCode::OK
    );
    c.accept_language = "ru".into();
    for path in [
        format!("/catalog/{}", w.closed),
        "/catalog/999999".to_owned(),
        "/catalog/abc".to_owned(),
        "/catalog/-1".to_owned(),
        "/catalog/99999999999999999999".to_owned(),
    ] {
        let r = c.get(&path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            r.body.contains("Страница не найдена."),
            "{path}: {}",
            r.body
        );
    }

    // The queue page links the chosen organization to its page.
    let r = c
        .get(&format!(
            "/queue?kato=710000000&kind=regular&year=2022&org={}",
            w.balapan
        ))
        .await;
    assert!(r.body.contains(&format!(
        "<a href=\"/catalog/{}\">О дошкольной организации</a>",
        w.balapan
    )));
}

#[tokio::test]
async fn a_configured_tile_server_shows_one_tile_and_is_allowed_by_the_policy() {
    let t = TestApp::start_with(|s| {
        s.map_tile_url = Some("https://tiles.example:8443/osm/{z}/{x}/{y}.png".into())
    })
    .await;
    let w = world(&t).await;
    let mut c = visitor(&t).await;
    let r = c.get(&format!("/catalog/{}", w.yolochka)).await;
    assert!(
        r.body.contains("<img class=\"map-tile\" src=\"https://tiles.example:8443/osm/16/45771/21902.png\" width=\"256\" height=\"256\" alt=\"Карта окрестностей: Ясли-сад «Ёлочка» &#38; &#60;Ко&#62;\">"),
        "{}",
        r.body
    );
    let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(
        csp.contains("img-src 'self' data: https://tiles.example:8443;"),
        "{csp}"
    );
    // Without coordinates, no tile.
    let r = c.get(&format!("/catalog/{}", w.balapan)).await;
    assert!(!r.body.contains("tiles.example/") && !r.body.contains("map-tile"));
}

#[tokio::test]
async fn every_portal_page_answers_in_each_language_with_labelled_fields() {
    let t = TestApp::start().await;
    let w = world(&t).await;
    let mut c = visitor(&t).await;
    for path in [
        "/".to_owned(),
        "/bulletin".to_owned(),
        "/catalog".to_owned(),
        format!("/catalog/{}", w.balapan),
    ] {
        for lang in ["kk", "ru", "en"] {
            c.get(&format!("/lang/{lang}?back=/")).await;
            let r = c.get(&path).await;
            assert_eq!(r.status, StatusCode::OK, "{path} {lang}");
            assert!(r.body.contains(&format!("<html lang=\"{lang}\">")));
            for (i, _) in r.body.match_indices(" id=\"f-") {
                let rest = &r.body[i + 5..];
                let id = &rest[..rest.find('"').unwrap()];
                assert!(
                    r.body.contains(&format!("<label for=\"{id}\"")),
                    "{path} {lang}: {id} has a label"
                );
            }
            assert_eq!(
                r.body.matches("<table").count(),
                r.body.matches("<caption").count(),
                "{path}: every table has a caption"
            );
        }
    }
}
