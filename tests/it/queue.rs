//! The public queue page and a parent's standing: order by category and date, masked children,
//! the viewer's own child highlighted, filters that never break the page, paging, and the
//! history of a position with its causes.

use axum::http::StatusCode;

use crate::fixtures::{self, Family, family, many_lookups};
use crate::harness::TestApp;

/// A waiting child (see `fixtures::waiting_child`) and its application's public number.
async fn waiting_child(t: &TestApp, f: &Family, first_name: &str, surname: &str) -> (i64, String) {
    let (id, _) = fixtures::waiting_child(t, f, first_name, surname, "kk").await;
    let number: String = sqlx::query_scalar("SELECT number FROM applications WHERE id = $1")
        .bind(id)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    (id, number)
}

/// What a verified claim does, without the paperwork: the application's category and the event.
async fn set_category(t: &TestApp, id: i64, category: &str) {
    let pool = t.app.db.pool();
    sqlx::query("UPDATE applications SET category = $1 WHERE id = $2")
        .bind(category)
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO application_events (application_id, at, event, detail)
         VALUES ($1, $2, 'privilege_approved', '{}')",
    )
    .bind(id)
    .bind(t.app.now())
    .execute(pool)
    .await
    .unwrap();
}

fn queue_url(f: &Family) -> String {
    format!(
        "/queue?kato=710000000&kind=regular&year=2022&org={}",
        f.balapan
    )
}

/// The application numbers in the order the page lists them.
fn numbers_in_order(body: &str, numbers: &[String]) -> Vec<String> {
    let mut found: Vec<(usize, String)> = numbers
        .iter()
        .filter_map(|n| body.find(&format!("<td>{n}")).map(|at| (at, n.clone())))
        .collect();
    found.sort();
    found.into_iter().map(|(_, n)| n).collect()
}

#[tokio::test]
async fn the_queue_is_ordered_by_category_then_date_and_children_are_masked() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+7 701 300 00 01").await;
    let mut apps = Vec::new();
    for (first, last) in [
        ("Айгерим", "Сапарова"),
        ("Бота", "Нурланова"),
        ("Дана", "Ержанова"),
        ("Жанна", "Касымова"),
        ("Зарина", "Алиева"),
        ("Ирина", "Петрова"),
    ] {
        apps.push(waiting_child(&t, &f, first, last).await);
    }
    // The fifth is extraordinary, the sixth first-priority: with 1 : 3 the order is
    // E5, P6, G1, G2, G3, G4.
    set_category(&t, apps[4].0, "extraordinary").await;
    set_category(&t, apps[5].0, "first_priority").await;
    let numbers: Vec<String> = apps.iter().map(|(_, n)| n.clone()).collect();

    let mut visitor = t.client();
    let r = visitor.get(&queue_url(&f)).await;
    assert_eq!(r.status, StatusCode::OK);
    let expected = [4, 5, 0, 1, 2, 3].map(|i| numbers[i].clone()).to_vec();
    assert_eq!(numbers_in_order(&r.body, &numbers), expected);
    assert!(r.body.contains("Всего в очереди: 6"), "{}", r.body);
    assert!(r.body.contains("С*** А."), "masked initials shown");
    assert!(!r.body.contains("Сапарова") && !r.body.contains("Айгерим"));
    assert!(r.body.contains("Внеочередная") && r.body.contains("Первоочередная"));
    assert!(!r.body.contains("class=\"mine\""), "a visitor owns nothing");

    // The parent sees their children highlighted and a link to each one's page of the queue.
    let mut parent = std::mem::replace(&mut f.client, t.client());
    let r = parent.get(&queue_url(&f)).await;
    assert!(r.body.contains("class=\"mine\""));
    assert!(
        r.body
            .contains(&format!("Заявление {}: 1-е место.", numbers[4])),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!("#a{}", apps[4].0)));

    // The locality's queue holds the same children in the same order.
    let r = visitor
        .get("/queue?kato=710000000&kind=regular&year=2022")
        .await;
    assert_eq!(numbers_in_order(&r.body, &numbers), expected);
}

#[tokio::test]
async fn filters_never_break_the_page() {
    let t = TestApp::start().await;
    let f = family(&t, "+7 701 300 00 02").await;
    let mut visitor = t.client();
    for url in [
        "/queue",
        "/queue?kato=&kind=&year=",
        "/queue?kato=abc&kind=nonsense&year=3000&org=x&page=-4",
        "/queue?kato=710000000&kind=correctional&year=2022",
        "/queue?kato=710000000&kind=regular&year=2022&page=999",
    ] {
        let r = visitor.get(url).await;
        assert_eq!(r.status, StatusCode::OK, "{url}");
    }
    // Correctional without its type: the page asks for the choice instead of listing.
    let r = visitor
        .get("/queue?kato=710000000&kind=correctional&year=2022")
        .await;
    assert!(r.body.contains("Выберите населенный пункт"), "{}", r.body);
    // Only organizations with a group of that kind are offered: Balapan has a speech group,
    // Akbota has none.
    let r = visitor
        .get("/queue?kato=710000000&kind=correctional&year=2022&correction=speech")
        .await;
    assert!(r.body.contains(&format!("value=\"{}\"", f.balapan)));
    assert!(!r.body.contains(&format!("value=\"{}\"", f.akbota)));
    // An organization the filters do not offer is ignored, not trusted.
    let r = visitor
        .get(&format!(
            "/queue?kato=710000000&kind=correctional&year=2022&correction=speech&org={}",
            f.akbota
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains(&format!("value=\"{}\" selected", f.akbota)));
    // Kazakh and English pages have the same filters.
    let r = visitor.get("/lang/kk?back=/queue").await;
    assert_eq!(r.location(), Some("/queue"));
    assert!(visitor.get("/queue").await.body.contains("Кезек түрі"));
}

#[tokio::test]
async fn long_queues_are_paged_and_the_jump_link_finds_the_right_page() {
    let t = TestApp::start_with(many_lookups).await;
    let mut f = family(&t, "+7 701 300 00 03").await;
    let mut last = (0, String::new());
    for i in 0..55 {
        last = waiting_child(&t, &f, &format!("Бала{i}"), "Тестова").await;
    }
    let mut parent = std::mem::replace(&mut f.client, t.client());
    let r = parent.get(&queue_url(&f)).await;
    assert!(r.body.contains("Страница 1 из 2"), "{}", r.body);
    assert!(!r.body.contains(&format!("<td>{}", last.1)));
    assert!(r.body.contains("rel=\"next\""));
    let jump = format!("page=2#a{}", last.0);
    assert!(r.body.contains(&jump), "the jump link leads to page 2");
    let r = parent.get(&format!("{}&page=2", queue_url(&f))).await;
    assert!(r.body.contains("<td>55</td>"));
    assert!(r.body.contains(&format!("<td>{}", last.1)));
    assert!(r.body.contains("rel=\"prev\""));

    // Page numbers past the end (one whose offset overflowed u64 showed rows 35+ as "page … of
    // 2") show the last page; zero, negative and nonsense show the first.
    for past_the_end in [
        "3",
        "368934881474191034",
        "18446744073709551615",
        "18446744073709551616",
        "99999999999999999999999999999",
    ] {
        let r = parent
            .get(&format!("{}&page={past_the_end}", queue_url(&f)))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{past_the_end}");
        assert!(
            r.body.contains("Страница 2 из 2"),
            "{past_the_end}: {}",
            r.body
        );
        assert!(r.body.contains("<td>51</td>") && r.body.contains("<td>55</td>"));
        assert!(!r.body.contains("<td>50</td>") && !r.body.contains("<td>56</td>"));
        assert!(r.body.contains("rel=\"prev\"") && !r.body.contains("rel=\"next\""));
    }
    for first in ["0", "-1", "-368934881474191034", "abc", "1.5", ""] {
        let r = parent.get(&format!("{}&page={first}", queue_url(&f))).await;
        assert_eq!(r.status, StatusCode::OK, "{first}");
        assert!(r.body.contains("Страница 1 из 2"), "{first}: {}", r.body);
        assert!(r.body.contains("<td>1</td>") && !r.body.contains("<td>51</td>"));
    }
}

/// Every paged list of the site and of the open-data API takes any page number without a 500:
/// the pages show their last (here: only) page, the API answers an empty page or a 400.
#[tokio::test]
async fn every_paged_list_takes_any_page_number() {
    let t = TestApp::start().await;
    let mut c = t.client();
    for page in [
        "0",
        "-1",
        "abc",
        "368934881474191034",
        "18446744073709551616",
        "9223372036854775807",
    ] {
        for path in [
            "/catalog",
            "/bulletin",
            "/reviews",
            "/protocol",
            "/bulletin.json",
        ] {
            let r = c.get(&format!("{path}?page={page}")).await;
            assert_eq!(r.status, StatusCode::OK, "{path}?page={page}: {}", r.body);
            assert!(!r.body.contains("rel=\"next\""), "{path}?page={page}");
        }
        for path in [
            "/api/v1/organizations?region=71",
            "/api/v1/vacancies?region=71",
            "/api/v1/protocol?region=71",
        ] {
            let r = c.get(&format!("{path}&page={page}")).await;
            assert!(
                r.status == StatusCode::OK || r.status == StatusCode::BAD_REQUEST,
                "{path}&page={page}: {} {}",
                r.status,
                r.body
            );
        }
    }
}

#[tokio::test]
async fn details_explain_the_position_and_its_history() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+7 701 300 00 04").await;
    let (first, _) = waiting_child(&t, &f, "Алия", "Омарова").await;
    let (_second, _) = waiting_child(&t, &f, "Бекзат", "Омаров").await;
    let (mine, _) = waiting_child(&t, &f, "Гульнара", "Омарова").await;
    let mut parent = std::mem::replace(&mut f.client, t.client());
    let r = parent.get(&format!("/cabinet/applications/{mine}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("3-е место из 3"), "{}", r.body);
    assert!(
        r.body
            .contains("впереди по более ранней дате регистрации: 2")
    );
    assert!(r.body.contains("впереди по категории: 0"));

    // A privileged application arrives: it goes ahead, and the history says so.
    let (privileged, _) = waiting_child(&t, &f, "Дамир", "Омаров").await;
    t.clock.advance(60);
    set_category(&t, privileged, "extraordinary").await;
    let r = parent.get(&format!("/cabinet/applications/{mine}")).await;
    assert!(r.body.contains("4-е место из 4"), "{}", r.body);
    assert!(r.body.contains("впереди по категории: 1"));
    assert!(r.body.contains("заявление зарегистрировано"));
    assert!(
        r.body
            .contains("3 → 4: подтверждена льгота другого заявления"),
        "{}",
        r.body
    );

    // The first one is deleted: everyone behind moves up, with the cause.
    kezek_core::applications::delete(&t.app, &f.parent, first)
        .await
        .unwrap();
    let r = parent.get(&format!("/cabinet/applications/{mine}")).await;
    assert!(r.body.contains("3-е место из 3"), "{}", r.body);
    assert!(
        r.body.contains("4 → 3: удалено заявление впереди"),
        "{}",
        r.body
    );
    // The list shows the place too.
    let r = parent.get("/cabinet/applications").await;
    assert!(r.body.contains("3-е место из 3"), "{}", r.body);
}
