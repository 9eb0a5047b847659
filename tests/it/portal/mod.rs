//! The public portal: the home page's figures equal what was created, each bulletin filter
//! narrows the list (page, JSON and Atom alike), the catalog's search finds Cyrillic names in
//! any case and each filter narrows it, an organization's page shows its groups, places, queue
//! and location (a map tile only when a tile server is configured), bad filters are ignored and
//! unknown or closed organizations are "not found".

use axum::http::StatusCode;
use kezek_core::audit::Actor;
use kezek_domain::Role;

use crate::fixtures::{family, waiting_child};
use crate::harness::{Client, TestApp};

mod bulletin;
mod catalog;

/// Beside the fixture's Балапан (state; 2022 kk regular, 2022 ru speech) and Ақбота (private;
/// 2021 kk regular), both in Astana as a whole: Ёлочка in Есиль district with coordinates, a
/// kindergarten of Almaty (another region) and one of Astana that is closed.
const MORE_ORGS: &str = "bin,name_kk,name_ru,kato,address,phone,ownership,latitude,longitude
120340001111,Шырша бөбекжайы,Ясли-сад «Ёлочка» & <Ко>,711200000,\"Астана, ул. Сарайшык, 5\",+77172000001,state,51.128207,71.430411
130450002229,Алматы балабақшасы,Детский сад Алматы,751100000,\"Алматы, ул. Толе би, 1\",,state,,
140560003336,Жабық бақша,Закрытый сад,710000000,\"Астана, ул. Мира, 3\",,state,,
";
const MORE_GROUPS: &str = "org_bin,name,birth_year,language,kind,correction_type,capacity
120340001111,Ёлочки,2023,ru,regular,,15
120340001111,Санаторная,2022,ru,sanatorium,,10
130450002229,Алма,2022,kk,regular,,10
140560003336,Закрытая,2022,kk,regular,,10
";

pub struct World {
    pub balapan: i64,
    pub akbota: i64,
    pub yolochka: i64,
    pub almaty: i64,
    pub closed: i64,
    /// The Balapan place offered by a direction.
    pub offered_vacancy: i64,
}

async fn org_id(t: &TestApp, bin: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM organizations WHERE bin = $1")
        .bind(bin)
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

/// Places published: Балапандар 2 (one then offered to the first child), Логопеды 1, Ёлочки 1,
/// Санаторная 1, Алма 1 (Almaty), Закрытая 1 (its organization then closed). Three children
/// wait for Балапан (the first, speaking Kazakh, gets the direction); Бота also waits in the
/// speech queue.
pub async fn world(t: &TestApp) -> World {
    let f = family(t, "+7 701 600 00 01").await;
    kezek_core::orgs::import::import_files(
        &t.app.db,
        ("o", MORE_ORGS.as_bytes()),
        ("g", MORE_GROUPS.as_bytes()),
        t.app.now(),
    )
    .await
    .unwrap();
    let staff = kezek_core::accounts::create_staff(
        &t.app,
        Role::Organization,
        "+77007006001",
        "staff password 1",
        kezek_core::accounts::users::StaffBinding {
            org_bin: Some("990140000384".into()),
            kato: None,
        },
    )
    .await
    .unwrap();
    let actor = Actor {
        user_id: staff,
        ip: "198.51.100.60".into(),
    };
    let today = kezek_domain::time::local_date(t.app.now());
    for (group, count) in [
        ("Балапандар", 2),
        ("Логопеды", 1),
        ("Ёлочки", 1),
        ("Санаторная", 1),
        ("Алма", 1),
        ("Закрытая", 1),
    ] {
        let id = group_id(t, group).await;
        kezek_core::orgs::vacancies::publish(&t.app.db, &actor, id, count, today, t.app.now())
            .await
            .unwrap();
        t.clock.advance(1);
    }
    let closed = org_id(t, "140560003336").await;
    sqlx::query("UPDATE organizations SET active = 0 WHERE id = $1")
        .bind(closed)
        .execute(t.app.db.pool())
        .await
        .unwrap();
    let (first, _) = waiting_child(t, &f, "Айгерим", "Сапарова", "kk").await;
    // Russian speakers: not offered the Kazakh group's second place.
    let (bota, _) = waiting_child(t, &f, "Бота", "Нурланова", "ru").await;
    waiting_child(t, &f, "Дана", "Ержанова", "ru").await;
    // Бота waits in a second queue too (speech, for Балапан): still one child.
    let second: i64 = sqlx::query_scalar(
        "INSERT INTO applications (child_id, parent_user_id, kind, correction_type, language,
            region_code, kato, status, submission_key, pmpk_verification, consent_at,
            registered_at, created_at, updated_at, birth_year, category, queue_at)
         SELECT child_id, parent_user_id, 'correctional', 'speech', 'ru', region_code, kato,
            'queued', 'portal-second-queue', 'pending', consent_at, registered_at, created_at,
            updated_at, birth_year, 'general', queue_at
         FROM applications WHERE id = $1 RETURNING id",
    )
    .bind(bota)
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO application_preferences (application_id, position, organization_id, kind,
            birth_year, correction_type) VALUES ($1, 1, $2, 'correctional', 2022, 'speech')",
    )
    .bind(second)
    .bind(f.balapan)
    .execute(t.app.db.pool())
    .await
    .unwrap();
    let balapandar = group_id(t, "Балапандар").await;
    assert_eq!(
        kezek_core::directions::allocate_group(&t.app, balapandar, t.app.now())
            .await
            .unwrap(),
        1
    );
    let offered_vacancy: i64 =
        sqlx::query_scalar("SELECT vacancy_id FROM directions WHERE application_id = $1")
            .bind(first)
            .fetch_one(t.app.db.pool())
            .await
            .unwrap();
    World {
        balapan: f.balapan,
        akbota: f.akbota,
        yolochka: org_id(t, "120340001111").await,
        almaty: org_id(t, "130450002229").await,
        closed,
        offered_vacancy,
    }
}

/// A visitor of the Astana portal, reading Russian.
pub async fn visitor(t: &TestApp) -> Client {
    let mut c = t.client();
    c.get("/region?code=71&back=/").await;
    c
}

#[tokio::test]
async fn the_home_page_shows_the_regions_live_figures() {
    let t = TestApp::start().await;
    let _w = world(&t).await;
    let figures = kezek_core::portal::figures::of_region(&t.app.db, "71", t.app.now())
        .await
        .unwrap();
    assert_eq!(
        (
            figures.free_places,
            figures.children_waiting,
            figures.organizations,
            figures.directions_this_month
        ),
        (4, 2, 3, 1),
        "open places of open organizations; two children wait (one in two queues); three \
         organizations open; one direction: {figures:?}"
    );
    let mut c = visitor(&t).await;
    let r = c.get("/").await;
    assert_eq!(r.status, StatusCode::OK);
    for (figure, href) in [
        ("Свободных мест сейчас: <strong>4</strong>", "/bulletin"),
        ("Детей в очереди: <strong>2</strong>", "/queue"),
        ("Дошкольных организаций: <strong>3</strong>", "/catalog"),
        (
            "Направлений выдано в этом месяце: <strong>1</strong>",
            "/statistics",
        ),
    ] {
        assert!(r.body.contains(figure), "{figure}: {}", r.body);
        assert!(r.body.contains(&format!("<a href=\"{href}\">")), "{href}");
    }
    assert!(r.body.contains("href=\"/protocol\""));
    assert!(r.body.contains("Регистрация") && r.body.contains("Вход"));

    // Another region counts its own.
    c.get("/region?code=75&back=/").await;
    let r = c.get("/").await;
    assert!(r.body.contains("Свободных мест сейчас: <strong>1</strong>"));
    assert!(
        r.body
            .contains("Дошкольных организаций: <strong>1</strong>")
    );
    assert!(r.body.contains("Детей в очереди: <strong>0</strong>"));

    // Next month the direction is last month's.
    t.clock.advance(40 * 86_400);
    let later = kezek_core::portal::figures::of_region(&t.app.db, "71", t.app.now())
        .await
        .unwrap();
    assert_eq!(later.directions_this_month, 0);
    assert_ne!(later.month, figures.month);
}

#[tokio::test]
async fn region_figures_are_counted_at_most_once_a_minute() {
    let t =
        TestApp::start_with(|s| s.public_figures_ttl = std::time::Duration::from_secs(60)).await;
    let _w = world(&t).await;
    let mut c = visitor(&t).await;
    let shown = "Свободных мест сейчас: <strong>4</strong>";
    assert!(c.get("/").await.body.contains(shown));
    // A place withdrawn: the figure a minute old is still what the home page shows…
    sqlx::query(
        "UPDATE vacancies SET status = 'withdrawn'
         WHERE id = (SELECT MIN(id) FROM vacancies WHERE status = 'open')",
    )
    .execute(t.app.db.pool())
    .await
    .unwrap();
    assert!(c.get("/").await.body.contains(shown));
    // …while the count itself is fresh.
    let now = kezek_core::portal::figures::of_region(&t.app.db, "71", t.app.now())
        .await
        .unwrap();
    assert_eq!(now.free_places, 3);
}
