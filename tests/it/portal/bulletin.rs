//! The free-places bulletin: the page's filters, JSON, the Atom feed and paging.

use axum::http::{StatusCode, header};

use super::{visitor, world};
use crate::harness::TestApp;

/// How many places (table rows of the bulletin) a page lists.
fn rows(body: &str) -> usize {
    body.matches("<tr class=\"place-").count()
}

#[tokio::test]
async fn each_bulletin_filter_narrows_the_list_and_bad_ones_are_ignored() {
    let t = TestApp::start().await;
    let w = world(&t).await;
    let mut c = visitor(&t).await;
    let r = c.get("/bulletin").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(rows(&r.body), 5, "{}", r.body);
    assert!(r.body.contains("Найдено мест: 5"));
    assert!(
        !r.body.contains("Детский сад Алматы") && !r.body.contains("Закрытая"),
        "another region's and a closed organization's places are not listed"
    );
    assert_eq!(r.body.matches("<td>Выдано направление</td>").count(), 1);
    assert_eq!(r.body.matches("<td>Свободно</td>").count(), 4);
    assert!(r.body.contains(&format!("href=\"/catalog/{}\"", w.balapan)));
    assert!(r.body.contains("&#60;Ко&#62;"), "names are escaped");
    let today = kezek_domain::time::local_date(t.app.now())
        .format("%d.%m.%Y")
        .to_string();
    assert!(r.body.contains(&format!(">{today} ")), "published when");
    assert!(
        r.body
            .contains("rel=\"alternate\" type=\"application/atom+xml\"")
            && r.body.contains("href=\"/bulletin.atom?region=71\""),
        "the feed is announced"
    );

    let balapan = w.balapan.to_string();
    for (query, expected) in [
        ("kato=711200000", 2),
        (&format!("org={balapan}") as &str, 3),
        ("year=2023", 1),
        ("language=ru", 3),
        ("kind=sanatorium", 1),
        ("kind=correctional", 1),
        ("correction=speech", 1),
        ("kind=regular&year=2022&language=kk", 2),
        (&format!("org={}", w.akbota), 0),
    ] {
        let r = c.get(&format!("/bulletin?{query}")).await;
        assert_eq!(r.status, StatusCode::OK, "{query}");
        assert_eq!(rows(&r.body), expected, "{query}: {}", r.body);
        // The chosen values are kept in the form.
        let (name, value) = query.split('&').next().unwrap().split_once('=').unwrap();
        assert!(
            r.body.contains(&format!("value=\"{value}\" selected")),
            "{name} kept"
        );
    }
    let r = c.get(&format!("/bulletin?org={}", w.akbota)).await;
    assert!(r.body.contains("По выбранным условиям свободных мест нет."));

    for query in [
        "kato=abc&org=x&year=1800&language=xx&kind=nonsense&correction=zzz&page=-3",
        "kato=751100000",
        &format!("org={}", w.almaty),
        &format!("org={}", w.closed),
        "page=99999999999999999999",
    ] {
        let r = c.get(&format!("/bulletin?{query}")).await;
        assert_eq!(r.status, StatusCode::OK, "{query}");
        assert_eq!(rows(&r.body), 5, "{query} is ignored");
        assert_eq!(
            r.body.matches("\" selected>").count(),
            1,
            "{query}: nothing chosen but the region"
        );
    }
}

#[tokio::test]
async fn the_bulletin_as_json_has_the_same_filters_and_no_personal_data() {
    let t = TestApp::start().await;
    let w = world(&t).await;
    let mut c = t.client();
    let r = c.get("/bulletin.json?region=71").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["region_code"], "71");
    assert_eq!(
        (v["total"].as_i64(), v["page"].as_i64(), v["pages"].as_i64()),
        (Some(5), Some(1), Some(1))
    );
    let places = v["places"].as_array().unwrap();
    assert_eq!(places.len(), 5);
    let offered: Vec<&serde_json::Value> =
        places.iter().filter(|p| p["state"] == "offered").collect();
    assert_eq!(offered.len(), 1);
    assert_eq!(offered[0]["vacancy_id"].as_i64(), Some(w.offered_vacancy));
    assert_eq!(offered[0]["organization_id"].as_i64(), Some(w.balapan));
    assert_eq!(offered[0]["group_name"], "Балапандар");
    assert_eq!(offered[0]["birth_year"].as_i64(), Some(2022));
    for key in [
        "published_at",
        "changed_at",
        "available_from",
        "language",
        "kind",
        "kato",
        "address",
    ] {
        assert!(!offered[0][key].is_null(), "{key}");
    }
    for personal in ["Сапарова", "Айгерим", "child", "iin", "application"] {
        assert!(!r.body.contains(personal), "{personal} in {}", r.body);
    }

    let r = c
        .get("/bulletin.json?region=71&language=ru&kind=regular")
        .await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["total"].as_i64(), Some(1));
    assert_eq!(v["places"][0]["group_name"], "Ёлочки");
    // Another region by its code; a bad code falls back to the visitor's region.
    let r = c.get("/bulletin.json?region=75").await;
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        (v["region_code"].as_str(), v["total"].as_i64()),
        (Some("75"), Some(1))
    );
    let r = c.get("/bulletin.json?region=99&kind=bad&page=x").await;
    assert_eq!(r.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        (v["region_code"].as_str(), v["total"].as_i64()),
        (Some("71"), Some(5))
    );
}

/// A minimal well-formedness check of the feed: every element closed in order, only the five
/// predefined entities; returns the elements as paths ("feed/entry/title") with their text.
fn xml_elements(xml: &str) -> Vec<(String, String)> {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
        .expect("an XML declaration");
    let mut stack: Vec<String> = Vec::new();
    let mut found = Vec::new();
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(&entity),
                "entity {entity}"
            );
        }
        if let (Some(last), false) = (found.last_mut(), text.trim().is_empty()) {
            let (_, t): &mut (String, String) = last;
            t.push_str(text);
        }
        let close = rest[open..].find('>').expect("a tag ends") + open;
        let tag = &rest[open + 1..close];
        assert!(!tag.contains('<'), "{tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "closing {name}");
        } else {
            let name = tag.split_whitespace().next().unwrap().trim_end_matches('/');
            let mut path = stack.clone();
            path.push(name.to_owned());
            if tag.ends_with('/') {
                // An empty element: its attributes stand for its content.
                found.push((path.join("/"), tag.to_owned()));
            } else {
                found.push((path.join("/"), String::new()));
                stack.push(name.to_owned());
            }
        }
        rest = &rest[close + 1..];
    }
    assert!(stack.is_empty(), "unclosed {stack:?}");
    assert!(rest.trim().is_empty());
    found
}

#[tokio::test]
async fn the_bulletin_atom_feed_is_well_formed_with_one_entry_per_place() {
    let t = TestApp::start().await;
    let w = world(&t).await;
    let mut c = t.client();
    let r = c.get("/bulletin.atom?region=71").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/atom+xml; charset=utf-8"
    );
    let elements = xml_elements(&r.body);
    let at = |path: &str| -> Vec<&str> {
        elements
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, t)| t.as_str())
            .collect()
    };
    assert!(
        r.body
            .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"ru\">")
    );
    assert_eq!(at("feed/id"), ["tag:kezek.test,2026:kezek/bulletin/71"]);
    assert_eq!(at("feed/title"), ["Бюллетень свободных мест — Астана"]);
    assert_eq!(at("feed/updated").len(), 1);
    assert!(at("feed/link").iter().any(|l| l.contains("rel=\"self\"")
        && l.contains("href=\"http://kezek.test/bulletin.atom?region=71\"")));
    assert_eq!(at("feed/entry").len(), 5);
    let ids = at("feed/entry/id");
    assert!(
        ids.contains(&format!("tag:kezek.test,2026:kezek/vacancy/{}", w.offered_vacancy).as_str())
    );
    assert!(
        ids.iter()
            .all(|id| id.starts_with("tag:kezek.test,2026:kezek/vacancy/"))
    );
    let links = at("feed/entry/link");
    assert!(
        links.contains(
            &format!(
                "link rel=\"alternate\" type=\"text/html\" href=\"http://kezek.test/catalog/{}\"/",
                w.yolochka
            )
            .as_str()
        ),
        "{links:?}"
    );
    for updated in at("feed/entry/updated") {
        assert!(
            chrono::DateTime::parse_from_rfc3339(updated).is_ok(),
            "{updated}"
        );
    }
    let titles = at("feed/entry/title");
    assert!(
        titles.contains(&"Ясли-сад «Ёлочка» &amp; &lt;Ко&gt;: группа «Ёлочки», 2023 г. р."),
        "{titles:?}"
    );
    let summaries = at("feed/entry/summary");
    assert_eq!(
        summaries
            .iter()
            .filter(|s| s.starts_with("Выдано направление."))
            .count(),
        1
    );
    assert!(
        summaries
            .iter()
            .any(|s| s.contains("Тип группы: Коррекционная (Нарушения речи)")),
        "{summaries:?}"
    );

    let r = c
        .get("/bulletin.atom?region=71&kind=sanatorium&org=bad")
        .await;
    let elements = xml_elements(&r.body);
    assert_eq!(
        elements.iter().filter(|(p, _)| p == "feed/entry").count(),
        1
    );
    assert!(
        r.body
            .contains("<id>tag:kezek.test,2026:kezek/bulletin/71?kind=sanatorium</id>")
    );
}

#[tokio::test]
async fn the_bulletin_is_paged() {
    let t = TestApp::start().await;
    let (_, group, actor) = crate::vacancies::group_with_capacity(&t, 60).await;
    let today = kezek_domain::time::local_date(t.app.now());
    for count in [50, 5] {
        kezek_core::orgs::vacancies::publish(&t.app.db, &actor, group, count, today, t.app.now())
            .await
            .unwrap();
    }
    let mut c = visitor(&t).await;
    let r = c.get("/bulletin").await;
    assert_eq!(rows(&r.body), 50);
    assert!(r.body.contains("Страница 1 из 2") && r.body.contains("href=\"/bulletin?page=2\""));
    let r = c.get("/bulletin?page=2").await;
    assert_eq!(rows(&r.body), 5);
    assert!(r.body.contains("href=\"/bulletin?page=1\" rel=\"prev\""));
    let v: serde_json::Value =
        serde_json::from_str(&c.get("/bulletin.json?page=2").await.body).unwrap();
    assert_eq!(
        (v["pages"].as_i64(), v["places"].as_array().unwrap().len()),
        (Some(2), 5)
    );
}
