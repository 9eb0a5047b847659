//! The education department operator's cabinet through the real pages: only the operator's
//! area (a city or a district) is visible and changeable, everything else answers 404; new
//! organizations stay inside the area; closing an organization takes it off the bulletin.

use axum::http::StatusCode;
use kezek_core::accounts::users::StaffBinding;
use kezek_domain::{Bin, Role};

use crate::harness::{Client, TestApp};
use crate::vacancies::group_with_capacity;

const PASSWORD: &str = "operator password 1";

/// A valid BIN starting with `prefix` (11 digits): the check digit is whichever fits.
fn bin(prefix: &str) -> String {
    (0..10)
        .map(|d| format!("{prefix}{d}"))
        .find(|b| Bin::parse(b).is_ok())
        .expect("a prefix with a check digit")
}

async fn organization(t: &TestApp, bin: &str, name_kk: &str, name_ru: &str, kato: &str) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO organizations (bin, name_kk, name_ru, kato, address, ownership, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'ул. Абая, 1', 'state', 0, 0) RETURNING id",
    )
    .bind(bin)
    .bind(name_kk)
    .bind(name_ru)
    .bind(kato)
    .fetch_one(t.app.db.pool())
    .await
    .unwrap()
}

/// A logged-in department operator of `kato`.
async fn operator(t: &TestApp, phone: &str, kato: &str) -> Client {
    kezek_core::accounts::create_staff(
        &t.app,
        Role::Department,
        phone,
        PASSWORD,
        StaffBinding {
            org_bin: None,
            kato: Some(kato.into()),
        },
    )
    .await
    .unwrap();
    let mut c = t.client();
    assert_eq!(
        c.login(phone, PASSWORD).await.location(),
        Some("/department")
    );
    c
}

async fn audited(t: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

fn card<'a>(bin: &'a str, name_ru: &'a str, kato: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("bin", bin),
        ("name_kk", "Жаңа бөбекжай"),
        ("name_ru", name_ru),
        ("kato", kato),
        ("address", "ул. Сыганак, 10"),
        ("ownership", "private"),
        ("language-ru", "1"),
    ]
}

#[tokio::test]
async fn an_operator_sees_and_changes_only_their_area() {
    let t = TestApp::start().await;
    let astana = organization(&t, &bin("99014000038"), "Балапан", "Балапан", "710000000").await;
    let esil = organization(&t, &bin("05044000123"), "Ақбота", "Акбота", "711200000").await;
    let almaty = organization(
        &t,
        &bin("10054000111"),
        "Алмалы бөбекжайы",
        "Ясли-сад Алмалинский",
        "751100000",
    )
    .await;
    let mut c = operator(&t, "+77007100001", "710000000").await;
    let r = c.get("/department").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Территория: Астана")
            && r.body.contains(&format!("/department/orgs/{astana}"))
            && r.body.contains(&format!("/department/orgs/{esil}"))
            && r.body.contains("Акбота"),
        "{}",
        r.body
    );
    assert!(
        !r.body.contains("Алмалинский"),
        "another city's organization"
    );

    for path in [
        format!("/department/orgs/{almaty}"),
        format!("/department/orgs/{almaty}/edit"),
        "/department/orgs/999999".to_owned(),
    ] {
        assert_eq!(c.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let almaty_bin = bin("10054000111");
    let r = c
        .post(
            &format!("/department/orgs/{almaty}/edit"),
            &card(&almaty_bin, "Захвачено", "751100000"),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = c
        .post(
            &format!("/department/orgs/{almaty}/active"),
            &[("active", "0")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let (name, active): (String, i64) =
        sqlx::query_as("SELECT name_ru, active FROM organizations WHERE id = $1")
            .bind(almaty)
            .fetch_one(t.app.db.pool())
            .await
            .unwrap();
    assert_eq!((name.as_str(), active), ("Ясли-сад Алмалинский", 1));
    assert_eq!(audited(&t, "org.updated").await, 0);
    assert_eq!(audited(&t, "org.deactivated").await, 0);

    // Their own organization: its page in Kazakh, then an edit that stays in the area.
    c.accept_language = "kk".into();
    let r = c.get(&format!("/department/orgs/{esil}")).await;
    assert!(
        r.body.contains("Ақбота") && r.body.contains("Есіл ауданы"),
        "{}",
        r.body
    );
    c.accept_language = "ru".into();
    let esil_bin = bin("05044000123");
    let r = c
        .post(
            &format!("/department/orgs/{esil}/edit"),
            &card(&esil_bin, "Акбота-2", "750000000"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("не относится к вашей территории") && r.body.contains("value=\"Акбота-2\""),
        "{}",
        r.body
    );
    let r = c
        .post(
            &format!("/department/orgs/{esil}/edit"),
            &card("990140000384", "Акбота-2", "711300000"),
        )
        .await;
    assert_eq!(
        r.location(),
        Some(format!("/department/orgs/{esil}").as_str()),
        "{}",
        r.body
    );
    let (bin_now, name, kato): (String, String, String) =
        sqlx::query_as("SELECT bin, name_ru, kato FROM organizations WHERE id = $1")
            .bind(esil)
            .fetch_one(t.app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        (bin_now, name.as_str(), kato.as_str()),
        (esil_bin, "Акбота-2", "711300000"),
        "saved, and the BIN cannot be changed from the form"
    );
    assert_eq!(audited(&t, "org.updated").await, 1);
    assert!(
        c.get(&format!("/department/orgs/{esil}"))
            .await
            .body
            .contains("Карточка сохранена")
    );
}

#[tokio::test]
async fn operators_create_organizations_only_inside_their_area() {
    let t = TestApp::start().await;
    let mut c = operator(&t, "+77007100002", "710000000").await;
    let r = c.get("/department/orgs/new").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("name=\"bin\"") && r.body.contains("value=\"710000000\""),
        "{}",
        r.body
    );

    let new_bin = bin("24014000555");
    let r = c
        .post(
            "/department/orgs/new",
            &card(&new_bin, "Ясли-сад «Снежинка»", "750000000"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Этот код КАТО не относится к вашей территории")
            && r.body.contains("value=\"Ясли-сад «Снежинка»\"")
            && r.body.contains(&format!("value=\"{new_bin}\"")),
        "the message beside the field and the typed values kept: {}",
        r.body
    );
    // Outside the area and another mistake: both are shown at once.
    let r = c
        .post(
            "/department/orgs/new",
            &card("123456789012", "Ясли-сад «Снежинка»", "751100000"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("не относится к вашей территории") && r.body.contains("f-bin-error"),
        "{}",
        r.body
    );
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organizations")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing created outside the area");

    let r = c
        .post(
            "/department/orgs/new",
            &card(&new_bin, "Ясли-сад «Снежинка»", "711100000"),
        )
        .await;
    let created = r.location().expect("created").to_owned();
    assert!(created.starts_with("/department/orgs/"), "{}", r.body);
    let r = c.get(&created).await;
    assert!(
        r.body.contains("Организация добавлена")
            && r.body.contains("Ясли-сад «Снежинка»")
            && r.body.contains("район Алматы"),
        "{}",
        r.body
    );
    assert_eq!(audited(&t, "org.created").await, 1);
    let actor: Option<i64> = sqlx::query_scalar(
        "SELECT actor_user_id FROM audit_log WHERE action = 'org.created' AND subject = $1",
    )
    .bind(&new_bin)
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    assert!(actor.is_some(), "the audit names the operator");
}

#[tokio::test]
async fn a_district_operator_sees_the_district_and_searches_it() {
    let t = TestApp::start().await;
    organization(&t, &bin("99014000038"), "Балапан", "Балапан", "711100000").await;
    let esil = organization(&t, &bin("05044000123"), "Ақбота", "Ёлочка", "711200000").await;
    let mut district = operator(&t, "+77007100003", "711100000").await;
    let r = district.get("/department").await;
    assert!(
        r.body.contains("Балапан") && r.body.contains("район Алматы"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("Ёлочка"), "another district: {}", r.body);
    assert_eq!(
        district
            .get(&format!("/department/orgs/{esil}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let mut city = operator(&t, "+77007100004", "710000000").await;
    let r = city.get("/department?q=%D0%B5%D0%BB%D0%BE%D1%87").await; // "елоч"
    assert!(
        r.body.contains("Ёлочка") && !r.body.contains(">Балапан<"),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"елоч\""), "the search is kept");

    // Closed organizations only on request.
    city.post(
        &format!("/department/orgs/{esil}/active"),
        &[("active", "0")],
    )
    .await;
    assert!(!city.get("/department").await.body.contains("Ёлочка"));
    let r = city.get("/department?closed=1").await;
    assert!(
        r.body.contains("Ёлочка") && r.body.contains("Закрыта"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn the_list_is_paged_by_twenty() {
    let t = TestApp::start().await;
    for i in 0..25 {
        organization(
            &t,
            &format!("1000000000{i:02}"),
            &format!("Сад {i:02}"),
            &format!("Сад {i:02}"),
            "710000000",
        )
        .await;
    }
    let mut c = operator(&t, "+77007100005", "710000000").await;
    let r = c.get("/department").await;
    assert!(
        r.body.contains("Сад 19") && !r.body.contains("Сад 20"),
        "{}",
        r.body
    );
    assert!(r.body.contains("Найдено 25 организаций"), "{}", r.body);
    assert!(r.body.contains("href=\"/department?page=2\""), "{}", r.body);
    let r = c.get("/department?page=2").await;
    assert!(
        r.body.contains("Сад 24")
            && !r.body.contains("Сад 19")
            && r.body.contains("Страница 2 из 2"),
        "{}",
        r.body
    );
    assert_eq!(c.get("/department?page=abc").await.status, StatusCode::OK);
}

#[tokio::test]
async fn closing_an_organization_takes_it_off_the_bulletin() {
    let t = TestApp::start().await;
    let (org, group, actor) = group_with_capacity(&t, 5).await;
    kezek_core::orgs::vacancies::publish(
        &t.app.db,
        &actor,
        group,
        2,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        t.app.now(),
    )
    .await
    .unwrap();
    let mut visitor = t.client();
    visitor.get("/region?code=71&back=/").await;
    assert!(visitor.get("/bulletin").await.body.contains("Балапандар"));

    let mut c = operator(&t, "+77007100006", "710000000").await;
    let r = c.get("/department").await;
    assert!(
        r.body.contains("<td>2</td>"),
        "two places published: {}",
        r.body
    );
    let page = format!("/department/orgs/{org}");
    let r = c.get(&page).await;
    assert!(
        r.body.contains("Балапандар")
            && r.body.contains("2026-12-01")
            && r.body.contains("<td>3</td>"),
        "the group, its open places and the 3 still unpublished: {}",
        r.body
    );
    let r = c.post(&format!("{page}/active"), &[("active", "0")]).await;
    assert_eq!(r.location(), Some(page.as_str()));
    let r = c.get(&page).await;
    assert!(
        r.body.contains("Организация закрыта") && r.body.contains("Открыть организацию снова"),
        "{}",
        r.body
    );
    assert!(!visitor.get("/bulletin").await.body.contains("Балапандар"));
    assert_eq!(audited(&t, "org.deactivated").await, 1);

    c.post(&format!("{page}/active"), &[("active", "1")]).await;
    assert!(visitor.get("/bulletin").await.body.contains("Балапандар"));
    assert_eq!(audited(&t, "org.activated").await, 1);
}

#[tokio::test]
async fn only_department_operators_get_in() {
    let t = TestApp::start().await;
    let (org, _, _) = group_with_capacity(&t, 5).await;
    let mut staff = t.client();
    staff.login("+77007000001", "staff password 1").await;
    assert_eq!(staff.get("/department").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        staff
            .post(
                &format!("/department/orgs/{org}/active"),
                &[("active", "0")]
            )
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let (mut parent, _) = t.register_parent("+77007100007", "parent password 1").await;
    parent.login("+77007100007", "parent password 1").await;
    assert_eq!(
        parent.get("/department").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        parent.get("/department/orgs/new").await.status,
        StatusCode::FORBIDDEN
    );

    let mut anonymous = t.client();
    let r = anonymous.get(&format!("/department/orgs/{org}")).await;
    assert_eq!(r.location(), Some("/login"));
    assert!(
        anonymous.get("/login").await.body.contains("Войдите"),
        "the login page says why"
    );
    let active: i64 = sqlx::query_scalar("SELECT active FROM organizations WHERE id = $1")
        .bind(org)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(active, 1);
}

#[tokio::test]
async fn the_department_moves_an_organization_within_its_area_and_it_is_audited() {
    let t = TestApp::start().await;
    let org_bin = bin("05044000123");
    let org = organization(&t, &org_bin, "Ақбота", "Акбота", "711100000").await;
    let mut c = operator(&t, "+77007100031", "710000000").await;
    let r = c
        .post(
            &format!("/department/orgs/{org}/edit"),
            &card(&org_bin, "Акбота", "711200000"),
        )
        .await;
    assert_eq!(
        r.location(),
        Some(format!("/department/orgs/{org}").as_str()),
        "{}",
        r.body
    );
    let kato: String = sqlx::query_scalar("SELECT kato FROM organizations WHERE id = $1")
        .bind(org)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(kato, "711200000");
    let (actor, subject, detail): (Option<i64>, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT actor_user_id, subject, detail FROM audit_log WHERE action = 'org.area_changed'",
    )
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    assert!(actor.is_some());
    assert_eq!(subject.as_deref(), Some(org_bin.as_str()));
    let detail: serde_json::Value = serde_json::from_str(&detail.unwrap()).unwrap();
    assert_eq!(detail["before"]["kato"], "711100000");
    assert_eq!(detail["after"]["kato"], "711200000");
    // A save that keeps the locality is no move.
    let r = c
        .post(
            &format!("/department/orgs/{org}/edit"),
            &card(&org_bin, "Акбота-2", "711200000"),
        )
        .await;
    assert!(r.location().is_some(), "{}", r.body);
    assert_eq!(audited(&t, "org.area_changed").await, 1);
}
