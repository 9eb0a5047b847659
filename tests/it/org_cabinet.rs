//! The organization staff's cabinet through the real pages: their groups, publishing free
//! places that appear in the public bulletin, and no way into another organization.

use axum::http::StatusCode;

use crate::harness::TestApp;
use crate::vacancies::group_with_capacity;

async fn second_organization(t: &TestApp) -> i64 {
    let db = t.app.db.pool();
    let org: i64 = sqlx::query_scalar(
        "INSERT INTO organizations (bin, name_kk, name_ru, kato, address, ownership, created_at, updated_at)
         VALUES ('050440001239', 'Ақбота', 'Акбота', '710000000', 'ул. Кенесары, 5', 'private', 0, 0) RETURNING id",
    )
    .fetch_one(db)
    .await
    .unwrap();
    kezek_core::accounts::create_staff(
        &t.app,
        kezek_domain::Role::Organization,
        "+77007000002",
        "staff password 2",
        kezek_core::accounts::users::StaffBinding {
            org_bin: Some("050440001239".into()),
            kato: None,
        },
    )
    .await
    .unwrap();
    org
}

#[tokio::test]
async fn staff_publish_free_places_that_appear_in_the_bulletin() {
    let t = TestApp::start().await;
    let (_, group, _) = group_with_capacity(&t, 3).await;
    let mut c = t.client();
    assert_eq!(
        c.login("+77007000001", "staff password 1").await.location(),
        Some("/org")
    );
    let r = c.get("/org").await;
    assert!(
        r.body.contains("Балапандар") && r.body.contains(&format!("/org/groups/{group}")),
        "{}",
        r.body
    );

    let path = format!("/org/groups/{group}/vacancies");
    let r = c
        .post(&path, &[("count", "4"), ("available_from", "2026-12-01")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("свободно еще 3"), "{}", r.body);
    assert!(r.body.contains("value=\"4\""), "the typed count is kept");
    let r = c
        .post(&path, &[("count", "2"), ("available_from", "01.12.2026")])
        .await;
    assert_eq!(r.location(), Some(format!("/org/groups/{group}").as_str()));
    let r = c.get(&format!("/org/groups/{group}")).await;
    assert!(
        r.body.contains("опубликованы в бюллетене") && r.body.contains("01.12.2026"),
        "{}",
        r.body
    );

    let mut visitor = t.client();
    visitor.get("/region?code=71&back=/").await;
    let r = visitor.get("/bulletin").await;
    assert!(
        r.body.contains("Балапан") && r.body.contains("Балапандар"),
        "{}",
        r.body
    );
    visitor.get("/region?code=75&back=/").await;
    assert!(
        !visitor.get("/bulletin").await.body.contains("Балапан"),
        "another region's bulletin"
    );
}

#[tokio::test]
async fn staff_cannot_reach_another_organizations_groups() {
    let t = TestApp::start().await;
    let (_, group, actor) = group_with_capacity(&t, 3).await;
    let vacancy = kezek_core::orgs::vacancies::publish(
        &t.app.db,
        &actor,
        group,
        1,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        t.app.now(),
    )
    .await
    .unwrap()[0];
    second_organization(&t).await;
    let mut other = t.client();
    other.login("+77007000002", "staff password 2").await;
    assert!(!other.get("/org").await.body.contains("Балапандар"));
    assert_eq!(
        other.get(&format!("/org/groups/{group}")).await.status,
        StatusCode::NOT_FOUND
    );
    let r = other
        .post(
            &format!("/org/groups/{group}/vacancies"),
            &[("count", "1"), ("available_from", "2026-12-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = other
        .post(
            &format!("/org/groups/{group}/departures"),
            &[("left_on", "2026-12-01")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = other
        .post(&format!("/org/vacancies/{vacancy}/withdraw"), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let open: i64 = sqlx::query_scalar("SELECT open_vacancies FROM org_groups WHERE id = $1")
        .bind(group)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(open, 1, "nothing changed");

    let (mut parent, _) = t.register_parent("+77007000003", "parent password 1").await;
    parent.login("+77007000003", "parent password 1").await;
    assert_eq!(parent.get("/org").await.status, StatusCode::FORBIDDEN);
    let mut anonymous = t.client();
    assert_eq!(anonymous.get("/org").await.location(), Some("/login"));
}

#[tokio::test]
async fn the_demo_loads_twice_and_its_logins_work() {
    let t = TestApp::start().await;
    kezek_datagen::demo::load(&t.app).await.unwrap();
    let count = |table: &'static str| {
        let pool = t.app.db.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {table}"
            )))
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let first = (
        count("org_groups").await,
        count("children").await,
        count("applications").await,
    );
    let guide = kezek_datagen::demo::load(&t.app).await.unwrap();
    assert!(guide.contains("+7 700 100 00 92"));
    assert_eq!(
        first,
        (
            count("org_groups").await,
            count("children").await,
            count("applications").await
        ),
        "loading twice creates nothing twice"
    );
    // A queue to look at: the generated children wait in Astana.
    assert!(first.2 >= 600, "{first:?}");
    let mut c = t.client();
    assert_eq!(
        c.login(
            kezek_datagen::demo::PARENT_PHONE,
            kezek_datagen::demo::PARENT_PASSWORD
        )
        .await
        .location(),
        Some("/cabinet")
    );
    let mut staff = t.client();
    assert_eq!(
        staff
            .login("+77001000092", kezek_datagen::demo::STAFF_PASSWORD)
            .await
            .location(),
        Some("/org")
    );
    let r = staff.get("/org").await;
    assert!(
        r.body.contains("Балапандар") && r.body.contains("Солнышко"),
        "{}",
        r.body
    );
    let sons: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM children c JOIN users u ON u.id = c.parent_user_id WHERE u.phone = $1")
            .bind(kezek_datagen::demo::PARENT_PHONE)
            .fetch_one(t.app.db.pool())
            .await
            .unwrap();
    assert_eq!(sons, 1, "the demo parent's son is in \"Мои дети\" once");
}

#[tokio::test]
async fn staff_edit_the_card_and_manage_groups() {
    let t = TestApp::start().await;
    let (_, group, actor) = group_with_capacity(&t, 10).await;
    let mut c = t.client();
    c.login("+77007000001", "staff password 1").await;
    let r = c.get("/org/card").await;
    assert!(
        r.body.contains("value=\"ул. Абая, 1\""),
        "the form shows the card: {}",
        r.body
    );

    let card = |email: &'static str| {
        vec![
            ("name_kk", "Балапан бөбекжайы"),
            ("name_ru", "Ясли-сад «Балапан»"),
            ("kato", "710000000"),
            ("address", "ул. Абая, 1"),
            ("ownership", "state"),
            ("email", email),
            ("language-kk", "1"),
            ("language-ru", "1"),
            ("latitude", "51,17"),
            ("longitude", "71.44"),
            ("bin", "050440001239"),
        ]
    };
    let r = c.post("/org/card", &card("not-an-email")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("name@example.kz") && r.body.contains("value=\"Ясли-сад «Балапан»\""),
        "{}",
        r.body
    );
    let r = c.post("/org/card", &card("info@balapan.kz")).await;
    assert_eq!(r.location(), Some("/org"), "{}", r.body);
    let (bin, email, lat): (String, Option<String>, Option<f64>) =
        sqlx::query_as("SELECT bin, email, latitude FROM organizations WHERE bin = '990140000384'")
            .fetch_one(t.app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        (bin.as_str(), email.as_deref(), lat),
        ("990140000384", Some("info@balapan.kz"), Some(51.17)),
        "the BIN cannot be changed from the form"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'org.updated' AND detail LIKE '%before%'",
    )
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    assert_eq!(audited, 1);

    let group_form = |kind: &'static str, correction: &'static str| {
        vec![
            ("name", "Логопеды"),
            ("birth_year", "2022"),
            ("language", "ru"),
            ("kind", kind),
            ("correction_type", correction),
            ("capacity", "12"),
        ]
    };
    let r = c
        .post("/org/groups/new", &group_form("correctional", ""))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("укажите тип коррекции"), "{}", r.body);
    let r = c
        .post("/org/groups/new", &group_form("correctional", "speech"))
        .await;
    let created = r.location().unwrap().to_owned();
    assert!(created.starts_with("/org/groups/"), "{}", r.body);

    kezek_core::orgs::vacancies::set_enrolled(&t.app.db, &actor, group, 8, t.app.now())
        .await
        .unwrap();
    let r = c
        .post(
            &format!("/org/groups/{group}/edit"),
            &[
                ("name", "Балапандар"),
                ("birth_year", "2022"),
                ("language", "kk"),
                ("kind", "regular"),
                ("capacity", "5"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains('8'),
        "the message names what is taken: {}",
        r.body
    );

    c.post(&format!("/org/groups/{group}/open"), &[]).await;
    let r = c
        .post(
            &format!("/org/groups/{group}/vacancies"),
            &[("count", "1"), ("available_from", "2026-12-01")],
        )
        .await;
    assert!(
        r.body.contains("Группа закрыта"),
        "a closed group publishes nothing: {}",
        r.body
    );
}

#[tokio::test]
async fn staff_upload_a_photo_checked_by_its_content() {
    let t = TestApp::start().await;
    let (org, _, _) = group_with_capacity(&t, 3).await;
    let mut c = t.client();
    c.login("+77007000001", "staff password 1").await;
    let png = [
        &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..],
        &[7u8; 100],
    ]
    .concat();

    let r = c
        .upload("/org/photo", "photo", "photo.png", &png, false)
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "an upload needs the CSRF token"
    );
    let r = c
        .upload(
            "/org/photo",
            "photo",
            "page.png",
            b"<html><script>alert(1)</script>",
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Этот файл не подходит"), "{}", r.body);
    let r = c
        .upload("/org/photo", "photo", "photo.pdf", &png, true)
        .await;
    assert!(
        r.body.contains("Расширение файла не соответствует"),
        "{}",
        r.body
    );
    let big = [&png[..], &vec![0u8; 6 * 1024 * 1024][..]].concat();
    let r = c.upload("/org/photo", "photo", "big.png", &big, true).await;
    assert!(
        r.body.contains("слишком большой") || r.status == StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        r.status
    );

    let r = c
        .upload("/org/photo", "photo", "photo.png", &png, true)
        .await;
    assert_eq!(r.location(), Some("/org/card"), "{}", r.body);
    let mut visitor = t.client();
    let r = visitor.get(&format!("/photos/org/{org}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers.get("content-type").unwrap(), "image/png");
    assert_eq!(r.headers.get("x-content-type-options").unwrap(), "nosniff");
    let stored = std::fs::read_dir(t.dir.path().join("files/org-photos"))
        .unwrap()
        .count();
    assert_eq!(stored, 1);

    c.upload("/org/photo", "photo", "photo2.png", &png, true)
        .await;
    let stored = std::fs::read_dir(t.dir.path().join("files/org-photos"))
        .unwrap()
        .count();
    assert_eq!(stored, 1, "a replaced photo's file is deleted");
    c.post("/org/photo/remove", &[]).await;
    assert_eq!(
        visitor.get(&format!("/photos/org/{org}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn staff_cannot_move_their_organization_to_another_area() {
    let t = TestApp::start().await;
    group_with_capacity(&t, 10).await;
    let mut c = t.client();
    c.login("+77007000001", "staff password 1").await;
    let card = |kato: &'static str| {
        vec![
            ("name_kk", "Балапан"),
            ("name_ru", "Балапан"),
            ("kato", kato),
            ("address", "ул. Абая, 1"),
            ("ownership", "state"),
            ("language-kk", "1"),
        ]
    };
    let kato = || async {
        sqlx::query_scalar::<_, String>("SELECT kato FROM organizations WHERE bin = '990140000384'")
            .fetch_one(t.app.db.pool())
            .await
            .unwrap()
    };
    // Another region's code, and even a district of their own city: the department's act.
    for other in ["750000000", "711100000"] {
        let r = c.post("/org/card", &card(other)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{other}: {}",
            r.body
        );
        assert!(
            r.body
                .contains("Код КАТО организации меняет управление образования")
                && r.body.contains(&format!("value=\"{other}\"")),
            "a field error, what was typed kept: {}",
            r.body
        );
        assert_eq!(kato().await, "710000000", "{other}");
    }
    let moved: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'org.area_changed'")
            .fetch_one(t.app.db.pool())
            .await
            .unwrap();
    assert_eq!(moved, 0);
    // The rest of the card is still theirs to edit.
    let r = c.post("/org/card", &card("710000000")).await;
    assert_eq!(r.location(), Some("/org"), "{}", r.body);
}
