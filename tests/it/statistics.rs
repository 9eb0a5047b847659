//! The statistics page and its CSV files: every figure equals what the test created (children
//! waiting by birth year and kind, correctional demand and places, places and directions per
//! month, the median wait), the locality filter narrows them, a bad `kato` is ignored, unknown
//! files are 404, and the page renders its charts with accessible names in all three languages.

use std::collections::BTreeMap;

use axum::http::{StatusCode, header};
use kezek_core::accounts::users::StaffBinding;
use kezek_core::applications::{self, PmpkConclusion};
use kezek_core::audit::Actor;
use kezek_core::documents::DocumentKind;
use kezek_core::orgs::vacancies;
use kezek_domain::{Role, Sex};

use crate::fixtures::{Family, family, regular, waiting_child};
use crate::harness::{Client, TestApp};

/// A third organization, in the Esil district of Astana, with a regular and two correctional
/// groups for children born in 2022.
const DISTRICT_ORG: &str = "bin,name_kk,name_ru,kato,address,phone,ownership,latitude,longitude
060540002222,Жұлдыз,Звездочка,711200000,\"Астана, ул. Сыганак, 5\",,state,,
";
const DISTRICT_GROUPS: &str = "org_bin,name,birth_year,language,kind,correction_type,capacity
060540002222,Жұлдыздар,2022,kk,regular,,10
060540002222,Сөйлеу,2022,ru,correctional,speech,8
060540002222,Көру,2022,ru,correctional,vision,5
";
const DAY: i64 = 86_400;

async fn district_org(t: &TestApp) -> i64 {
    kezek_core::orgs::import::import_files(
        &t.app.db,
        ("o", DISTRICT_ORG.as_bytes()),
        ("g", DISTRICT_GROUPS.as_bytes()),
        t.app.now(),
    )
    .await
    .unwrap();
    sqlx::query_scalar("SELECT id FROM organizations WHERE bin = '060540002222'")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

async fn group_id(t: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM org_groups WHERE name = $1")
        .bind(name)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

async fn staff(t: &TestApp, phone: &str, bin: &str) -> Actor {
    let user_id = kezek_core::accounts::create_staff(
        &t.app,
        Role::Organization,
        phone,
        "staff password 1",
        StaffBinding {
            org_bin: Some(bin.into()),
            kato: None,
        },
    )
    .await
    .unwrap();
    Actor {
        user_id,
        ip: "198.51.100.20".into(),
    }
}

/// A new child of the family born on `born` with a regular application for `organization` in
/// the locality `kato`.
async fn child_applying(
    t: &TestApp,
    f: &Family,
    born: (i32, u32, u32),
    organization: i64,
    kato: &str,
) -> i64 {
    let iin = t.add_person("Омарова", "Дана", born, Sex::Female).await;
    let child = kezek_core::children::add_child(&t.app, &f.parent, &iin, "F", "")
        .await
        .unwrap();
    t.clock.advance(1);
    let mut input = regular(f, &format!("key-{iin}"));
    input.child_id = child.id;
    input.kato = kato.into();
    input.organization_ids = vec![organization];
    applications::submit(&t.app, &f.parent, "71", &input)
        .await
        .unwrap()
}

/// The family's own child's correctional (speech) application for Balapan.
async fn correctional_application(t: &TestApp, f: &Family) {
    let document = kezek_core::documents::upload(
        &t.app,
        &f.parent,
        f.parent.user_id,
        DocumentKind::PmpkConclusion,
        "pmpk.pdf",
        b"%PDF-1.7 conclusion",
        t.app.now(),
    )
    .await
    .unwrap();
    let today = kezek_domain::time::local_date(t.app.now());
    let mut input = regular(f, "corr-1");
    input.kind = kezek_core::orgs::GroupKind::Correctional;
    input.correction_type = Some("speech".into());
    input.language = "ru".into();
    input.pmpk = Some(PmpkConclusion {
        number: "ПМПК-17/2026".into(),
        date: Some(today - chrono::Days::new(10)),
        expires: Some(today + chrono::Days::new(365)),
        document_id: Some(document.id),
    });
    applications::submit(&t.app, &f.parent, "71", &input)
        .await
        .unwrap();
}

async fn csv(client: &mut Client, url: &str) -> String {
    let r = client.get(url).await;
    assert_eq!(r.status, StatusCode::OK, "{url}: {}", r.body);
    assert_eq!(
        r.headers.get(header::CONTENT_TYPE).unwrap(),
        "text/csv; charset=utf-8"
    );
    let disposition = r.headers.get(header::CONTENT_DISPOSITION).unwrap();
    assert!(
        disposition
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"kezek-statistics-"),
        "{disposition:?}"
    );
    r.body
}

#[tokio::test]
async fn waiting_children_and_correctional_places_are_counted_for_the_region_and_a_locality() {
    let t = TestApp::start().await;
    let f = family(&t, "+7 701 600 00 01").await;
    let zhuldyz = district_org(&t).await;
    // The family's child waits in the regular and the correctional queue: once in each kind.
    applications::submit(&t.app, &f.parent, "71", &regular(&f, "reg-1"))
        .await
        .unwrap();
    correctional_application(&t, &f).await;
    for (first, last) in [
        ("Айгерим", "Сапарова"),
        ("Бота", "Нурланова"),
        ("Дана", "Ержанова"),
    ] {
        waiting_child(&t, &f, first, last, "kk").await;
    }
    child_applying(&t, &f, (2021, 6, 1), f.akbota, "710000000").await;
    child_applying(&t, &f, (2022, 7, 7), zhuldyz, "711200000").await;
    // Two free places in the district's speech group; the vision group has none.
    let actor = staff(&t, "+7 701 600 00 91", "060540002222").await;
    let today = kezek_domain::time::local_date(t.app.now());
    vacancies::publish(
        &t.app.db,
        &actor,
        group_id(&t, "Сөйлеу").await,
        2,
        today,
        t.app.now(),
    )
    .await
    .unwrap();

    let mut visitor = t.client();
    assert_eq!(
        csv(&mut visitor, "/statistics/waiting.csv").await,
        "birth_year,group_kind,children\n2021,regular,1\n2022,correctional,1\n2022,regular,5\n"
    );
    assert_eq!(
        csv(&mut visitor, "/statistics/waiting.csv?kato=711200000").await,
        "birth_year,group_kind,children\n2022,regular,1\n"
    );
    assert_eq!(
        csv(&mut visitor, "/statistics/correctional.csv?kato=710000000").await,
        "correction_type,correction_type_name,waiting_children,capacity,free_places\n\
         speech,Нарушения речи,1,20,2\nvision,Нарушения зрения,0,5,0\n"
    );
    assert_eq!(
        csv(&mut visitor, "/statistics/correctional.csv?kato=711200000").await,
        "correction_type,correction_type_name,waiting_children,capacity,free_places\n\
         speech,Нарушения речи,0,8,2\nvision,Нарушения зрения,0,5,0\n"
    );

    // The page shows the same figures in its tables, with the charts before them.
    let r = visitor.get("/statistics").await;
    assert_eq!(r.status, StatusCode::OK);
    for text in [
        "Данные: Астана",
        "<th scope=\"col\">Год рождения</th><th scope=\"col\">Обычная</th><th scope=\"col\">Коррекционная</th>",
        "<tr><th scope=\"row\">2021</th><td>1</td><td>0</td></tr>",
        "<tr><th scope=\"row\">2022</th><td>5</td><td>1</td></tr>",
        "<tr><th scope=\"row\">Нарушения речи</th><td>1</td><td>20</td><td>2</td></tr>",
        "<tr><th scope=\"row\">Нарушения зрения</th><td>0</td><td>5</td><td>0</td></tr>",
        "<caption id=\"waiting-caption\">Таблица: Дети в очереди по году рождения и типу группы</caption>",
        "href=\"/statistics/waiting.csv?kato=710000000\"",
        "href=\"/statistics/wait-time.csv?kato=710000000\"",
    ] {
        assert!(r.body.contains(text), "{text} in {}", r.body);
    }
    let r = visitor.get("/statistics?kato=711200000").await;
    for text in [
        "Данные: район Есиль",
        "<option value=\"711200000\" selected>",
        "<tr><th scope=\"row\">2022</th><td>1</td></tr>",
        "<tr><th scope=\"row\">Нарушения речи</th><td>0</td><td>8</td><td>2</td></tr>",
        "href=\"/statistics/correctional.csv?kato=711200000\"",
    ] {
        assert!(r.body.contains(text), "{text} in {}", r.body);
    }
    assert!(!r.body.contains("<th scope=\"row\">2021</th>"));

    // A code that is not one of the region's localities is ignored: the region's figures.
    for kato in ["abc", "7112", "711200000x", "750000000", "71120000%27"] {
        let r = visitor.get(&format!("/statistics?kato={kato}")).await;
        assert_eq!(r.status, StatusCode::OK, "{kato}");
        assert!(r.body.contains("Данные: Астана"), "{kato}");
        assert!(
            r.body
                .contains("<tr><th scope=\"row\">2022</th><td>5</td><td>1</td></tr>")
        );
        assert!(!r.body.contains("selected>район"), "{kato}");
    }
    // A control character in the address is refused like in every address (see `web::text`).
    let r = visitor.get("/statistics?kato=%00").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("В адресе страницы"), "{}", r.body);
    assert_eq!(
        csv(&mut visitor, "/statistics/waiting.csv?kato=71xyz").await,
        csv(&mut visitor, "/statistics/waiting.csv").await
    );
    // A code of another region gives that region's figures: the link means what it says.
    assert_eq!(
        csv(&mut visitor, "/statistics/waiting.csv?kato=750000000").await,
        "birth_year,group_kind,children\n"
    );
    for url in [
        "/statistics/nothing.csv",
        "/statistics/waiting.json",
        "/statistics/waiting",
    ] {
        assert_eq!(
            visitor.get(url).await.status,
            StatusCode::NOT_FOUND,
            "{url}"
        );
    }
}

/// `YYYY-MM` of an instant in Kazakhstan time.
fn month_code(at: i64) -> String {
    chrono::DateTime::from_timestamp(at + 5 * 3600, 0)
        .unwrap()
        .format("%Y-%m")
        .to_string()
}

/// The twelve months up to the one of `now`, oldest first.
fn last_twelve(now: i64) -> Vec<String> {
    let date = chrono::DateTime::from_timestamp(now + 5 * 3600, 0)
        .unwrap()
        .date_naive();
    let first = chrono::NaiveDate::from_ymd_opt(
        chrono::Datelike::year(&date),
        chrono::Datelike::month(&date),
        1,
    )
    .unwrap();
    (0..12)
        .rev()
        .map(|back| {
            (first - chrono::Months::new(back))
                .format("%Y-%m")
                .to_string()
        })
        .collect()
}

fn median_days(mut waits: Vec<i64>) -> String {
    waits.sort();
    let n = waits.len();
    let median = if n % 2 == 1 {
        waits[n / 2] as f64
    } else {
        (waits[n / 2 - 1] + waits[n / 2]) as f64 / 2.0
    };
    format!("{:.1}", median / DAY as f64)
}

async fn registered(t: &TestApp, application: i64) -> i64 {
    sqlx::query_scalar("SELECT registered_at FROM applications WHERE id = $1")
        .bind(application)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn places_directions_and_waits_are_counted_per_month() {
    let t = TestApp::start().await;
    let f = family(&t, "+7 701 600 00 02").await;
    district_org(&t).await;
    let first = applications::submit(&t.app, &f.parent, "71", &regular(&f, "reg-1"))
        .await
        .unwrap();
    let (second, _) = waiting_child(&t, &f, "Айгерим", "Сапарова", "kk").await;
    waiting_child(&t, &f, "Бота", "Нурланова", "kk").await;
    let (r1, r2) = (registered(&t, first).await, registered(&t, second).await);
    let balapan = staff(&t, "+7 701 600 00 92", "990140000384").await;
    let zhuldyz = staff(&t, "+7 701 600 00 93", "060540002222").await;
    let groups = (
        group_id(&t, "Балапандар").await,
        group_id(&t, "Сөйлеу").await,
    );
    let publish = |actor: &Actor, group: i64, count: i64| {
        let today = kezek_domain::time::local_date(t.app.now());
        let (db, actor, now) = (t.app.db.clone(), actor.clone(), t.app.now());
        async move {
            vacancies::publish(&db, &actor, group, count, today, now)
                .await
                .unwrap();
        }
    };

    // Two places in the district (no one there wants them), then twice a place at Balapan,
    // each going by direction to the first child waiting for it.
    t.clock.advance(3 * DAY);
    let tp1 = t.app.now();
    publish(&zhuldyz, groups.1, 2).await;
    t.clock.advance(10 * DAY);
    let tp2 = t.app.now();
    publish(&balapan, groups.0, 1).await;
    assert_eq!(
        kezek_core::directions::allocate_group(&t.app, groups.0, tp2)
            .await
            .unwrap(),
        1
    );
    t.clock.advance(25 * DAY);
    let tp3 = t.app.now();
    publish(&balapan, groups.0, 1).await;
    assert_eq!(
        kezek_core::directions::allocate_group(&t.app, groups.0, tp3)
            .await
            .unwrap(),
        1
    );

    let months = last_twelve(t.app.now());
    let mut region: BTreeMap<String, (i64, i64)> =
        months.iter().map(|m| (m.clone(), (0, 0))).collect();
    let mut district = region.clone();
    region.get_mut(&month_code(tp1)).unwrap().0 += 2;
    district.get_mut(&month_code(tp1)).unwrap().0 += 2;
    for at in [tp2, tp3] {
        let m = region.get_mut(&month_code(at)).unwrap();
        m.0 += 1;
        m.1 += 1;
    }
    let expected = |counts: &BTreeMap<String, (i64, i64)>| {
        let mut text = "month,places_published,directions_issued\n".to_owned();
        for (m, (p, d)) in counts {
            text.push_str(&format!("{m},{p},{d}\n"));
        }
        text
    };
    let mut visitor = t.client();
    assert_eq!(
        csv(&mut visitor, "/statistics/monthly.csv").await,
        expected(&region)
    );
    assert_eq!(
        csv(&mut visitor, "/statistics/monthly.csv?kato=711200000").await,
        expected(&district)
    );

    // The first direction went to the first application, the second to the next one.
    let waits = [(tp2, tp2 - r1), (tp3, tp3 - r2)];
    let mut text = "month,first_directions,median_wait_days\n".to_owned();
    for m in &months {
        let of_month: Vec<i64> = waits
            .iter()
            .filter(|(at, _)| month_code(*at) == *m)
            .map(|(_, w)| *w)
            .collect();
        match of_month.len() {
            0 => text.push_str(&format!("{m},0,\n")),
            n => text.push_str(&format!("{m},{n},{}\n", median_days(of_month))),
        }
    }
    let overall = median_days(waits.iter().map(|(_, w)| *w).collect());
    text.push_str(&format!("all,2,{overall}\n"));
    assert_eq!(csv(&mut visitor, "/statistics/wait-time.csv").await, text);
    let district_waits = csv(&mut visitor, "/statistics/wait-time.csv?kato=711200000").await;
    assert!(district_waits.ends_with("\nall,0,\n"), "{district_waits}");

    // The page: a line of medians and bars per month, the overall median in words (Russian
    // decimal comma), the table's last row the whole window.
    let r = visitor.get("/statistics").await;
    let overall_ru = overall.replace('.', ",");
    for text in [
        format!("медиана {overall_ru} дн. (2 направл.)"),
        format!("<tr><th scope=\"row\">За 12 месяцев</th><td>2</td><td>{overall_ru}</td></tr>"),
        "<title id=\"monthly-chart-title\">Свободные места и направления по месяцам</title>".into(),
        "<title id=\"wait-time-chart-title\">Медианное время ожидания направления</title>".into(),
    ] {
        assert!(r.body.contains(&text), "{text} in {}", r.body);
    }

    // A year later everything has left the window.
    t.clock.advance(400 * DAY);
    let monthly = csv(&mut visitor, "/statistics/monthly.csv").await;
    assert_eq!(monthly.lines().count(), 13);
    assert!(
        monthly.lines().skip(1).all(|l| l.ends_with(",0,0")),
        "{monthly}"
    );
    let waits = csv(&mut visitor, "/statistics/wait-time.csv").await;
    assert!(waits.ends_with("\nall,0,\n"), "{waits}");
}

#[tokio::test]
async fn the_page_renders_accessible_charts_in_every_language_even_without_data() {
    let t = TestApp::start().await;
    let mut visitor = t.client();
    for (lang, title, no_data) in [
        ("ru", "Статистика", "Нет данных"),
        ("kk", "Статистика", "Деректер жоқ"),
        ("en", "Statistics", "No data"),
    ] {
        let r = visitor.get(&format!("/lang/{lang}?back=/statistics")).await;
        assert_eq!(r.location(), Some("/statistics"));
        let r = visitor.get("/statistics").await;
        assert_eq!(r.status, StatusCode::OK, "{lang}");
        assert!(r.body.contains(&format!("<html lang=\"{lang}\">")));
        assert!(r.body.contains(&format!("<h1>{title}</h1>")), "{lang}");
        assert!(r.body.contains(no_data), "{lang}");
        for id in ["waiting", "correctional", "monthly", "wait-time"] {
            let svg = format!("role=\"img\" aria-labelledby=\"{id}-chart-title {id}-chart-desc\"");
            assert!(r.body.contains(&svg), "{lang} {id}");
            assert!(r.body.contains(&format!("<title id=\"{id}-chart-title\">")));
            assert!(r.body.contains(&format!("<desc id=\"{id}-chart-desc\">")));
            assert!(
                r.body
                    .contains(&format!("href=\"/statistics/{id}.csv?kato=710000000\""))
            );
        }
        assert_eq!(r.body.matches("<svg ").count(), 4);
        // The monthly table lists its twelve months even when they are all zero.
        assert!(r.body.contains("<td>0</td><td>0</td></tr>"), "{lang}");
        assert!(r.body.contains("<label for=\"f-kato\">"));
    }
    // Headers of the CSV files do not depend on the language.
    assert_eq!(
        csv(&mut visitor, "/statistics/waiting.csv").await,
        "birth_year,group_kind,children\n"
    );
}
