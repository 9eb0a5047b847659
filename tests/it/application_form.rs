//! "Добавить заявление" through the real router: the cascade without JavaScript ("Показать
//! организации" files nothing), uploads kept across re-renders as document ids, filing once per
//! submission key, and refusals of other parents' children and documents and of staff.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kezek_core::accounts::users::StaffBinding;
use kezek_domain::{Iin, Role, Sex};

use crate::harness::{Client, Response, TestApp};

const PATH: &str = "/cabinet/applications/new";
const PASSWORD: &str = "parent password 1";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

/// Балапан (район Алматы) has a speech group for 2022; Ақбота (район Алматы) only a regular
/// one; Есіл (another district) a speech group too.
const ORGS: &str = "bin,name_kk,name_ru,kato,address,phone,ownership,latitude,longitude
990140000384,Балапан,Балапан,711100000,\"Астана, ул. Абая, 12\",,state,,
050440001239,Ақбота,Акбота,711100000,\"Астана, пр. Кабанбай батыра, 40\",,private,,
060540002222,Жұлдыз,Звездочка,711200000,\"Астана, ул. Сарайшык, 5\",,state,,
";
const GROUPS: &str = "org_bin,name,birth_year,language,kind,correction_type,capacity
990140000384,Логопеды,2022,ru,correctional,speech,12
990140000384,Балапандар,2022,kk,regular,,25
050440001239,Ақбота,2022,kk,regular,,20
060540002222,Сөйлеу,2022,ru,correctional,speech,10
";

struct Family {
    client: Client,
    child_id: i64,
    balapan: i64,
}

async fn org_id(t: &TestApp, bin: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM organizations WHERE bin = $1")
        .bind(bin)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

async fn family(t: &TestApp, phone: &str, child_name: &str) -> Family {
    kezek_core::orgs::import::import_files(
        &t.app.db,
        ("o", ORGS.as_bytes()),
        ("g", GROUPS.as_bytes()),
        t.app.now(),
    )
    .await
    .expect("organizations imported");
    let (mut client, _) = t.register_parent(phone, PASSWORD).await;
    client.login(phone, PASSWORD).await;
    let parent_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE phone = $1")
        .bind(kezek_domain::Phone::parse(phone).unwrap().as_e164())
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    let parent = kezek_core::audit::Actor {
        user_id: parent_id,
        ip: "198.51.100.7".into(),
    };
    let iin = t
        .add_person(child_name, "Кіші", (2022, 5, 12), Sex::Male)
        .await;
    let child = kezek_core::children::add_child(&t.app, &parent, &iin, "M", "")
        .await
        .unwrap();
    Family {
        client,
        child_id: child.id,
        balapan: org_id(t, "990140000384").await,
    }
}

/// A part of a multipart form: a plain value, or a file.
enum Part<'a> {
    Text(&'a str, String),
    File(&'a str, &'a str, &'a [u8]),
}

/// Posts the form as a browser does: multipart, the CSRF token (the form's first input) first.
async fn send(c: &mut Client, parts: &[Part<'_>]) -> Response {
    let token = c.cookie("kezek_csrf").unwrap().to_owned();
    let boundary = "kezek-form-boundary-42";
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n")
            .into_bytes();
    for part in parts {
        match part {
            Part::Text(name, value) => body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            ),
            Part::File(name, file_name, bytes) => {
                body.extend_from_slice(
                    format!(
                        "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(bytes);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let cookies = c
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let request = Request::builder()
        .method("POST")
        .uri(PATH)
        .header(header::HOST, "kezek.test")
        .header("x-forwarded-for", &c.ip)
        .header(header::ACCEPT_LANGUAGE, "ru")
        .header(header::COOKIE, cookies)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    c.send(request).await
}

/// The value of the first input called `name`.
fn value_of(body: &str, name: &str) -> Option<String> {
    let at = body.find(&format!("name=\"{name}\""))?;
    let tag_start = body[..at].rfind('<')?;
    let tag = &body[tag_start..tag_start + body[tag_start..].find('>')?];
    let rest = &tag[tag.find("value=\"")? + 7..];
    Some(rest[..rest.find('"')?].to_owned())
}

/// A correctional application for the child at Балапан, without files or consent.
fn correctional(f: &Family, key: &str) -> Vec<Part<'static>> {
    vec![
        Part::Text("submission_key", key.to_owned()),
        Part::Text("child_id", f.child_id.to_string()),
        Part::Text("kind", "correctional".into()),
        Part::Text("correction_type", "speech".into()),
        Part::Text("pmpk_number", "ПМПК-17/2026".into()),
        Part::Text("pmpk_date", "02.03.2026".into()),
        Part::Text("pmpk_expires", "2030-03-02".into()),
        Part::Text("language", "ru".into()),
        Part::Text("district", "711100000".into()),
        Part::Text("kato", "711100000".into()),
        Part::Text("org_1", f.balapan.to_string()),
    ]
}

async fn count(t: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_form_offers_the_child_and_only_suitable_organizations() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+77021000001", "Айсұлу").await;
    let r = f.client.get(PATH).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for text in [
        "Добавить заявление",
        "Айсұлу",
        "name=\"action\" value=\"add_child\"",
        "Добавить ребенка",
        "Коррекционный",
        "Показать организации",
        "Внеочередной",
        "Социальный статус",
        "Отправить",
        "Дети военнослужащих",
    ] {
        assert!(r.body.contains(text), "{text} missing");
    }
    assert!(
        !r.body.contains("Дети из многодетных семей"),
        "first-priority is not extraordinary"
    );
    let key = value_of(&r.body, "submission_key").unwrap();
    assert_eq!(key.len(), 64);

    // The cascade without JavaScript: the refresh button shows the organizations.
    let mut parts = correctional(&f, &key);
    parts.retain(|p| !matches!(p, Part::Text("org_1", _)));
    parts.push(Part::Text("action", "refresh".into()));
    let r = send(&mut f.client, &parts).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Балапан"), "{}", r.body);
    assert!(!r.body.contains("Акбота"), "no speech group there");
    assert!(!r.body.contains("Звездочка"), "another district");
    assert!(r.body.contains("1-й выбор"));
    assert!(r.body.contains("Нарушения речи"));
    assert!(
        r.body
            .contains("Дети с особыми образовательными потребностями"),
        "the derived social status is named"
    );

    // Regular groups: Акбота appears, and the ПМПК fields are carried hidden.
    let mut parts = correctional(&f, &key);
    parts[2] = Part::Text("kind", "regular".into());
    parts.push(Part::Text("action", "refresh".into()));
    let r = send(&mut f.client, &parts).await;
    assert!(r.body.contains("Акбота") && r.body.contains("Балапан"));
    assert_eq!(
        value_of(&r.body, "pmpk_number").as_deref(),
        Some("ПМПК-17/2026")
    );

    // The whole region: organizations of every district (and those registered at its level).
    let mut parts = correctional(&f, &key);
    parts[2] = Part::Text("kind", "regular".into());
    parts[8] = Part::Text("district", "710000000".into());
    parts[9] = Part::Text("kato", "710000000".into());
    parts.push(Part::Text("action", "refresh".into()));
    let r = send(&mut f.client, &parts).await;
    assert!(r.body.contains("Астана — весь регион"));
    assert!(
        r.body.contains("Акбота") && !r.body.contains("Звездочка"),
        "Звездочка has no regular group"
    );
}

#[tokio::test]
async fn refresh_and_errors_keep_every_value_and_file_and_a_key_files_once() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+77021000002", "Нұрлан").await;
    let r = f.client.get(PATH).await;
    let key = value_of(&r.body, "submission_key").unwrap();

    // Refresh with a file: stored at once, nothing filed.
    let mut parts = correctional(&f, &key);
    parts.push(Part::File("pmpk_file", "pmpk.pdf", PDF));
    parts.push(Part::Text("action", "refresh".into()));
    let r = send(&mut f.client, &parts).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(count(&t, "SELECT COUNT(*) FROM applications").await, 0);
    assert!(r.body.contains("Файл загружен: pmpk.pdf"), "{}", r.body);
    let document = value_of(&r.body, "pmpk_document").unwrap();
    assert_eq!(
        value_of(&r.body, "submission_key").as_deref(),
        Some(key.as_str())
    );
    assert_eq!(
        value_of(&r.body, "pmpk_number").as_deref(),
        Some("ПМПК-17/2026")
    );
    assert_eq!(
        value_of(&r.body, "pmpk_date").as_deref(),
        Some("02.03.2026")
    );
    assert!(
        r.body
            .contains(&format!("value=\"{}\" selected", f.balapan))
    );

    // Sent without consent: 422, every value and the file kept.
    let mut parts = correctional(&f, &key);
    parts.push(Part::Text("pmpk_document", document.clone()));
    parts.push(Part::Text("action", "send".into()));
    let r = send(&mut f.client, &parts).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body
            .contains("Подтвердите согласие на использование сведений.")
    );
    assert_eq!(value_of(&r.body, "pmpk_document"), Some(document.clone()));
    assert_eq!(
        value_of(&r.body, "pmpk_expires").as_deref(),
        Some("2030-03-02")
    );
    assert!(
        r.body
            .contains(&format!("value=\"{}\" selected", f.balapan))
    );
    assert!(r.body.contains("value=\"speech\" selected"));
    assert_eq!(count(&t, "SELECT COUNT(*) FROM applications").await, 0);

    // With consent: filed, with the conclusion attached.
    parts.push(Part::Text("consent", "1".into()));
    let r = send(&mut f.client, &parts).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let location = r.location().unwrap().to_owned();
    let id: i64 = location
        .strip_prefix("/cabinet/applications/")
        .unwrap()
        .parse()
        .unwrap();
    let (kind, correction): (String, Option<String>) =
        sqlx::query_as("SELECT kind, correction_type FROM applications WHERE id = $1")
            .bind(id)
            .fetch_one(t.app.db.pool())
            .await
            .unwrap();
    assert_eq!(
        (kind.as_str(), correction.as_deref()),
        ("correctional", Some("speech"))
    );
    let attached: i64 = sqlx::query_scalar(
        "SELECT document_id FROM application_documents WHERE application_id = $1",
    )
    .bind(id)
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    assert_eq!(attached.to_string(), document);
    assert!(f.client.cookie("kezek_flash").is_some());

    // The same form again (a double click, a retried request): nothing new.
    let r = send(&mut f.client, &parts).await;
    assert_eq!(r.location(), Some(location.as_str()));
    assert_eq!(count(&t, "SELECT COUNT(*) FROM applications").await, 1);
}

#[tokio::test]
async fn other_parents_children_and_documents_are_refused() {
    let t = TestApp::start().await;
    let mut a = family(&t, "+77021000003", "Әлия").await;
    let mut b = family(&t, "+77021000004", "Бекзат").await;
    let r = b.client.get(PATH).await;
    let key = value_of(&r.body, "submission_key").unwrap();
    let mut parts = correctional(&b, &key);
    parts.push(Part::File("pmpk_file", "b.pdf", PDF));
    parts.push(Part::Text("action", "refresh".into()));
    let r = send(&mut b.client, &parts).await;
    let b_document = value_of(&r.body, "pmpk_document").unwrap();

    let r = a.client.get(PATH).await;
    let key = value_of(&r.body, "submission_key").unwrap();
    // B's child in A's form.
    let mut parts = correctional(&b, &key);
    parts.push(Part::Text("pmpk_document", b_document.clone()));
    parts.push(Part::Text("consent", "1".into()));
    parts.push(Part::Text("action", "send".into()));
    let r = send(&mut a.client, &parts).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Выберите ребенка из списка «Мои дети»."));
    assert!(r.body.contains("Прикрепите заключение ПМПК"));
    assert!(
        !r.body.contains("b.pdf"),
        "another parent's file name is not shown"
    );
    // A's child with B's document.
    let mut parts = correctional(&a, &key);
    parts.push(Part::Text("pmpk_document", b_document));
    parts.push(Part::Text("consent", "1".into()));
    parts.push(Part::Text("action", "send".into()));
    let r = send(&mut a.client, &parts).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Прикрепите заключение ПМПК"));
    assert!(!r.body.contains("Выберите ребенка из списка «Мои дети»."));
    assert_eq!(count(&t, "SELECT COUNT(*) FROM applications").await, 0);
}

#[tokio::test]
async fn visitors_log_in_and_staff_are_refused() {
    let t = TestApp::start().await;
    let mut visitor = t.client();
    let r = visitor.get(PATH).await;
    assert_eq!(r.location(), Some("/login"));

    kezek_core::accounts::create_staff(
        &t.app,
        Role::Admin,
        "+77031000061",
        "admin password 1",
        StaffBinding::default(),
    )
    .await
    .unwrap();
    let mut staff = t.client();
    staff.login("+77031000061", "admin password 1").await;
    let r = staff.get(PATH).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("У вас нет доступа к этой странице."));
    let r = send(&mut staff, &[Part::Text("action", "send".into())]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// Presses "Добавить ребенка" on the form; returns where it leads.
async fn leave_for_child(c: &mut Client, mut parts: Vec<Part<'_>>) -> String {
    parts.push(Part::Text("action", "add_child".into()));
    let r = send(c, &parts).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    r.location().unwrap().to_owned()
}

/// The way back "Добавить ребенка" carries (not the switchers' one in the header).
fn carried_back(body: &str) -> Option<String> {
    let form = &body[body.find("action=\"/cabinet/children/new\"")?..];
    value_of(form, "back")
}

/// "Проверить ИИН" and "Сохранить" on "Добавить ребенка", carrying `back` as the page does.
async fn add_child_via_page(c: &mut Client, iin: &str, back: &str) -> Response {
    let r = c
        .post(
            "/cabinet/children/new",
            &[("iin", iin), ("action", "check"), ("back", back)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let sex = Iin::parse(iin).unwrap().sex().code();
    c.post(
        "/cabinet/children/new",
        &[
            ("iin", iin),
            ("checked_iin", iin),
            ("sex", sex),
            ("nationality", ""),
            ("action", "save"),
            ("back", back),
        ],
    )
    .await
}

#[tokio::test]
async fn adding_a_child_from_the_form_comes_back_with_everything_filled_in() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+77021000011", "Дәурен").await;
    let r = f.client.get(PATH).await;
    let key = value_of(&r.body, "submission_key").unwrap();

    // "Добавить ребенка" with a newly chosen file: stored, kept in the draft, nothing filed.
    let mut parts = correctional(&f, &key);
    parts.push(Part::File("pmpk_file", "pmpk.pdf", PDF));
    parts.push(Part::Text("extraordinary", "1".into()));
    let location = leave_for_child(&mut f.client, parts).await;
    assert_eq!(
        location,
        format!("/cabinet/children/new?back=/cabinet/applications/new%3Fdraft%3D{key}")
    );
    assert_eq!(count(&t, "SELECT COUNT(*) FROM applications").await, 0);
    assert_eq!(count(&t, "SELECT COUNT(*) FROM documents").await, 1);

    // The child's form carries the way back through its steps.
    let back = format!("{PATH}?draft={key}");
    let r = f.client.get(&location).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(carried_back(&r.body), Some(back.clone()));
    assert!(r.body.contains("Вернуться к заявлению"));
    let iin = t
        .add_person("Жаңа", "Бала", (2022, 8, 1), Sex::Female)
        .await;
    let r = add_child_via_page(&mut f.client, &iin, &back).await;
    let new_child: i64 = sqlx::query_scalar("SELECT id FROM children WHERE iin = $1")
        .bind(&iin)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(
        r.location(),
        Some(format!("{back}&child={new_child}").as_str()),
        "{}",
        r.body
    );

    // The form comes back as it was, with the new child chosen.
    let r = f.client.get(r.location().unwrap()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        value_of(&r.body, "submission_key").as_deref(),
        Some(key.as_str())
    );
    assert!(r.body.contains(&format!("value=\"{new_child}\" selected")));
    assert!(
        r.body
            .contains("value=\"correctional\" data-refresh checked")
    );
    assert!(r.body.contains("value=\"speech\" selected"));
    assert_eq!(
        value_of(&r.body, "pmpk_number").as_deref(),
        Some("ПМПК-17/2026")
    );
    assert_eq!(
        value_of(&r.body, "pmpk_date").as_deref(),
        Some("02.03.2026")
    );
    assert!(r.body.contains("value=\"711100000\" selected"));
    assert!(
        r.body
            .contains("name=\"extraordinary\" value=\"1\" checked")
    );
    assert!(r.body.contains("Файл загружен: pmpk.pdf"), "{}", r.body);
    let document = value_of(&r.body, "pmpk_document").unwrap();
    assert!(
        r.body
            .contains(&format!("value=\"{}\" selected", f.balapan)),
        "the same organization, offered for the new child too"
    );

    // Filed for the new child with the file uploaded before leaving.
    let mut parts = correctional(&f, &key);
    parts[1] = Part::Text("child_id", new_child.to_string());
    parts.push(Part::Text("pmpk_document", document.clone()));
    parts.push(Part::Text("consent", "1".into()));
    parts.push(Part::Text("action", "send".into()));
    let r = send(&mut f.client, &parts).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (child, attached): (i64, i64) = sqlx::query_as(
        "SELECT a.child_id, d.document_id FROM applications a \
         JOIN application_documents d ON d.application_id = a.id",
    )
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    assert_eq!((child, attached.to_string()), (new_child, document));
}

#[tokio::test]
async fn another_parents_draft_restores_nothing() {
    let t = TestApp::start().await;
    let mut a = family(&t, "+77021000012", "Арман").await;
    let mut b = family(&t, "+77021000013", "Болат").await;
    let r = a.client.get(PATH).await;
    let a_key = value_of(&r.body, "submission_key").unwrap();
    let mut parts = correctional(&a, &a_key);
    parts.push(Part::File("pmpk_file", "a-secret.pdf", PDF));
    leave_for_child(&mut a.client, parts).await;

    // B opens A's draft: a fresh form, under another key.
    let r = b.client.get(&format!("{PATH}?draft={a_key}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(!r.body.contains("ПМПК-17/2026"));
    assert!(!r.body.contains("a-secret.pdf"));
    assert!(value_of(&r.body, "pmpk_document").is_none());
    assert_ne!(
        value_of(&r.body, "submission_key").as_deref(),
        Some(a_key.as_str())
    );

    // B posting under A's key neither overwrites A's draft nor takes the key.
    let parts = vec![
        Part::Text("submission_key", a_key.clone()),
        Part::Text("pmpk_number", "B-1".into()),
    ];
    let location = leave_for_child(&mut b.client, parts).await;
    assert!(!location.contains(&a_key), "{location}");
    let r = a.client.get(&format!("{PATH}?draft={a_key}")).await;
    assert_eq!(
        value_of(&r.body, "pmpk_number").as_deref(),
        Some("ПМПК-17/2026")
    );
    assert!(r.body.contains("a-secret.pdf"));
}

#[tokio::test]
async fn a_foreign_way_back_is_ignored() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+77021000014", "Сәуле").await;
    for back in [
        "https://evil.example/cabinet/applications/new",
        "//evil.example/x",
        "/cabinet/profile",
    ] {
        let r = f
            .client
            .get(&format!(
                "/cabinet/children/new?back={}",
                back.replace(':', "%3A")
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(carried_back(&r.body).is_none(), "{back}");
    }
    let iin = t.add_person("Шетел", "Бала", (2022, 9, 9), Sex::Male).await;
    let r = add_child_via_page(&mut f.client, &iin, "https://evil.example/").await;
    assert_eq!(r.location(), Some("/cabinet/children"), "{}", r.body);
}

#[tokio::test]
async fn old_drafts_are_purged() {
    use kezek_core::applications::drafts::{self, Draft};
    let t = TestApp::start().await;
    let f = family(&t, "+77021000015", "Ескі").await;
    let _ = f;
    let parent: i64 = sqlx::query_scalar("SELECT id FROM users WHERE role = 'parent'")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    let now = t.app.now();
    let draft = Draft::default();
    drafts::save(&t.app.db, parent, "old", &draft, now - 8 * 86_400)
        .await
        .unwrap();
    drafts::save(&t.app.db, parent, "new", &draft, now)
        .await
        .unwrap();
    assert_eq!(drafts::purge_old(&t.app.db, now).await.unwrap(), 1);
    assert!(
        drafts::load(&t.app.db, parent, "old")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        drafts::load(&t.app.db, parent, "new").await.unwrap(),
        Some(draft)
    );
}

/// The id of the parent who logged in as `phone`, as an actor from the tests' address.
async fn parent_actor(t: &TestApp, phone: &str) -> kezek_core::audit::Actor {
    let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE phone = $1")
        .bind(kezek_domain::Phone::parse(phone).unwrap().as_e164())
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    kezek_core::audit::Actor {
        user_id,
        ip: "198.51.100.7".into(),
    }
}

#[tokio::test]
async fn a_privilege_document_repeated_apart_is_attached_once() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+77021000021", "Қайталау").await;
    let r = f.client.get(PATH).await;
    let key = value_of(&r.body, "submission_key").unwrap();
    let mut parts = correctional(&f, &key);
    parts.push(Part::File("pmpk_file", "pmpk.pdf", PDF));
    parts.push(Part::File("privilege_files", "a.pdf", PDF));
    parts.push(Part::File("privilege_files", "b.pdf", PDF));
    parts.push(Part::Text("action", "refresh".into()));
    let r = send(&mut f.client, &parts).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let pmpk = value_of(&r.body, "pmpk_document").unwrap();
    let papers: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM documents WHERE kind = 'privilege_evidence' ORDER BY id",
    )
    .fetch_all(t.app.db.pool())
    .await
    .unwrap();
    assert_eq!(papers.len(), 2);

    // `1,2,1`: not adjacent, so `Vec::dedup` kept both 1s and the second insert was a 500.
    let mut parts = correctional(&f, &key);
    parts.push(Part::Text("pmpk_document", pmpk));
    parts.push(Part::Text("extraordinary", "1".into()));
    parts.push(Part::Text("privilege_category", "military".into()));
    for id in [papers[0], papers[1], papers[0]] {
        parts.push(Part::Text("privilege_document", id.to_string()));
    }
    parts.push(Part::Text("consent", "1".into()));
    parts.push(Part::Text("action", "send".into()));
    let r = send(&mut f.client, &parts).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let attached: Vec<i64> = sqlx::query_scalar(
        "SELECT document_id FROM application_documents WHERE purpose = 'privilege' ORDER BY document_id",
    )
    .fetch_all(t.app.db.pool())
    .await
    .unwrap();
    assert_eq!(attached, papers);
}

#[tokio::test]
async fn an_oversized_value_is_refused_kept_out_of_the_draft_and_the_rest_stays() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+77021000022", "Ұзын").await;
    let r = f.client.get(PATH).await;
    let key = value_of(&r.body, "submission_key").unwrap();
    let drafts = "SELECT COUNT(*) FROM application_drafts";

    // A 3 MB value on the way to "Добавить ребенка": refused beside its field, nothing saved.
    let mut parts = correctional(&f, &key);
    parts[4] = Part::Text("pmpk_number", "Ж".repeat(1_500_000));
    parts.push(Part::Text("action", "add_child".into()));
    let r = send(&mut f.client, &parts).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        &r.body[..200]
    );
    assert!(r.body.contains("Значение слишком длинное"), "translated");
    assert!(r.body.len() < 1_000_000, "the value is not echoed back");
    assert_eq!(value_of(&r.body, "pmpk_number").unwrap_or_default(), "");
    assert_eq!(
        value_of(&r.body, "pmpk_date").as_deref(),
        Some("02.03.2026"),
        "the other values stay"
    );
    assert!(
        r.body
            .contains(&format!("value=\"{}\" selected", f.balapan))
    );
    assert_eq!(count(&t, drafts).await, 0);

    // A value just within the limit is kept.
    let mut parts = correctional(&f, &key);
    parts[4] = Part::Text("pmpk_number", "Ж".repeat(1_024));
    leave_for_child(&mut f.client, parts).await;
    assert_eq!(count(&t, drafts).await, 1);
    let r = f.client.get(&format!("{PATH}?draft={key}")).await;
    assert_eq!(value_of(&r.body, "pmpk_number"), Some("Ж".repeat(1_024)));

    // Fields the form does not have, by the hundred: refused, not stored.
    let names: Vec<String> = (0..100).map(|n| format!("x{n}")).collect();
    let mut parts: Vec<Part<'_>> = correctional(&f, &key);
    for name in &names {
        parts.push(Part::Text(name, "1".into()));
    }
    parts.push(Part::Text("action", "add_child".into()));
    let r = send(&mut f.client, &parts).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Форма пришла с полями, которых в ней нет"));
    let stored: String = sqlx::query_scalar("SELECT fields FROM application_drafts")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert!(
        !stored.contains("\"x99\""),
        "the draft before stays as it was"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_parent_keeps_at_most_ten_drafts_even_in_a_burst() {
    use kezek_core::applications::drafts::{self, Draft, MAX_DRAFTS_PER_PARENT};
    let t = TestApp::start().await;
    family(&t, "+77021000023", "Көп").await;
    let parent = parent_actor(&t, "+77021000023").await.user_id;
    let now = t.app.now();
    let draft = Draft::default();
    for n in 0..12 {
        drafts::save(&t.app.db, parent, &format!("k{n}"), &draft, now + n)
            .await
            .unwrap();
    }
    let mine = "SELECT COUNT(*) FROM application_drafts";
    assert_eq!(count(&t, mine).await, MAX_DRAFTS_PER_PARENT);
    assert!(
        drafts::load(&t.app.db, parent, "k0")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        drafts::load(&t.app.db, parent, "k1")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        drafts::load(&t.app.db, parent, "k11")
            .await
            .unwrap()
            .is_some()
    );
    let mut tasks = Vec::new();
    for n in 0..24 {
        let db = t.app.db.clone();
        let draft = draft.clone();
        tasks.push(tokio::spawn(async move {
            drafts::save(&db, parent, &format!("burst{n}"), &draft, now + 100).await
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(count(&t, mine).await, MAX_DRAFTS_PER_PARENT);
}

#[tokio::test]
async fn files_per_post_and_document_ids_per_form_are_capped() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+77021000024", "Файл").await;
    let r = f.client.get(PATH).await;
    let key = value_of(&r.body, "submission_key").unwrap();

    // Twelve files in one post: ten stored, the rest refused with a translated error.
    let mut parts = correctional(&f, &key);
    for _ in 0..12 {
        parts.push(Part::File("pmpk_file", "pmpk.pdf", PDF));
    }
    parts.push(Part::Text("action", "refresh".into()));
    let r = send(&mut f.client, &parts).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("не больше 10 файлов"), "{}", r.body);
    assert_eq!(count(&t, "SELECT COUNT(*) FROM documents").await, 10);

    // 20,000 ids are cut to ten before any is looked up, and the form says so.
    let mut parts = correctional(&f, &key);
    parts.push(Part::Text("extraordinary", "1".into()));
    parts.push(Part::Text("privilege_category", "military".into()));
    for id in 1..=20_000 {
        parts.push(Part::Text("privilege_document", id.to_string()));
    }
    parts.push(Part::Text("consent", "1".into()));
    parts.push(Part::Text("action", "send".into()));
    let r = send(&mut f.client, &parts).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("не больше 10 документов"), "{}", r.body);
    assert_eq!(r.body.matches("name=\"privilege_document\"").count(), 10);
    assert_eq!(count(&t, "SELECT COUNT(*) FROM applications").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_parents_document_count_holds_under_a_parallel_burst() {
    use kezek_core::documents::{self, DocumentError, DocumentKind, MAX_DOCUMENTS_PER_PARENT};
    let t = TestApp::start().await;
    family(&t, "+77021000025", "Құжат").await;
    let actor = parent_actor(&t, "+77021000025").await;
    // Five short of the cap, stored as rows (their files do not matter to the count).
    for n in 0..MAX_DOCUMENTS_PER_PARENT - 5 {
        sqlx::query(
            "INSERT INTO documents (owner_user_id, kind, file_name, content_type, size_bytes, \
             storage_key, uploaded_at) VALUES ($1, 'privilege_evidence', 'a.pdf', \
             'application/pdf', 10, $2, 0)",
        )
        .bind(actor.user_id)
        .bind(format!("documents/seed-{n}"))
        .execute(t.app.db.pool())
        .await
        .unwrap();
    }
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let app = t.app.clone();
        let actor = actor.clone();
        tasks.push(tokio::spawn(async move {
            let kind = DocumentKind::PrivilegeEvidence;
            documents::upload(&app, &actor, actor.user_id, kind, "b.pdf", PDF, 1).await
        }));
    }
    let mut stored = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => stored += 1,
            Err(DocumentError::TooMany) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(stored, 5);
    let live = "SELECT COUNT(*) FROM documents WHERE deleted_at IS NULL";
    assert_eq!(count(&t, live).await, MAX_DOCUMENTS_PER_PARENT);
    assert_eq!(
        DocumentError::TooMany.message_key(),
        "documents-error-count"
    );
}

/// A control character in a field (here NUL in the ПМПК number) is refused like in every form:
/// 422, the field's message, the rest of the form and the value kept without the character, and
/// nothing filed; on PostgreSQL, which refuses NUL outright, no 500 either.
#[tokio::test]
async fn control_characters_in_a_field_are_refused_and_the_form_kept() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+77021000009", "Аружан").await;
    let r = f.client.get(PATH).await;
    let key = value_of(&r.body, "submission_key").unwrap();
    let mut parts = correctional(&f, &key);
    parts.retain(|p| !matches!(p, Part::Text("pmpk_number", _)));
    parts.push(Part::Text("pmpk_number", "ПМПК-17\0/2026\u{1b}".into()));
    parts.push(Part::Text("consent", "1".into()));
    let r = send(&mut f.client, &parts).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("В поле есть невидимые управляющие символы"),
        "{}",
        r.body
    );
    assert_eq!(
        value_of(&r.body, "pmpk_number").as_deref(),
        Some("ПМПК-17/2026")
    );
    assert_eq!(
        value_of(&r.body, "pmpk_date").as_deref(),
        Some("02.03.2026")
    );
    assert!(!r.body.contains('\0'));
    assert_eq!(count(&t, "SELECT COUNT(*) FROM applications").await, 0);
}
