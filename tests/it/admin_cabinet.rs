//! The administrator's cabinet through the real pages: only administrators get in; staff
//! accounts, reference lists, region rules and the audit log, each change audited.

use axum::http::StatusCode;
use kezek_core::accounts::users::StaffBinding;
use kezek_domain::Role;

use crate::admin_rules::region_form;
use crate::harness::{Client, TestApp};
use crate::vacancies::group_with_capacity;

pub const ADMIN_PHONE: &str = "+77009000001";
pub const ADMIN_PASSWORD: &str = "admin password 1";

/// The first administrator (made as `kezek staff add` would), logged in.
pub async fn admin(t: &TestApp) -> (Client, i64) {
    let id = kezek_core::accounts::create_staff(
        &t.app,
        Role::Admin,
        ADMIN_PHONE,
        ADMIN_PASSWORD,
        StaffBinding::default(),
    )
    .await
    .unwrap();
    let mut c = t.client();
    let r = c.login(ADMIN_PHONE, ADMIN_PASSWORD).await;
    assert_eq!(
        r.location(),
        Some("/admin"),
        "administrators land in their cabinet"
    );
    (c, id)
}

async fn department(t: &TestApp, phone: &str, kato: &str) -> i64 {
    kezek_core::accounts::create_staff(
        &t.app,
        Role::Department,
        phone,
        "operator password 1",
        StaffBinding {
            org_bin: None,
            kato: Some(kato.into()),
        },
    )
    .await
    .unwrap()
}

/// The newest audit entry with `action`: its subject and detail.
async fn last_audit(t: &TestApp, action: &str) -> (Option<String>, serde_json::Value) {
    let (subject, detail): (Option<String>, String) = sqlx::query_as(
        "SELECT subject, detail FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(action)
    .fetch_one(t.app.db.pool())
    .await
    .unwrap_or_else(|e| panic!("no {action} entry: {e}"));
    (subject, serde_json::from_str(&detail).unwrap())
}

const PAGES: [&str; 10] = [
    "/admin",
    "/admin/staff",
    "/admin/staff/new",
    "/admin/reference",
    "/admin/reference/language",
    "/admin/reference/language/kk",
    "/admin/regions",
    "/admin/regions/71",
    "/admin/calendar",
    "/admin/audit",
];

#[tokio::test]
async fn only_administrators_get_in() {
    let t = TestApp::start().await;
    let (mut admin, admin_id) = admin(&t).await;
    group_with_capacity(&t, 3).await;
    department(&t, "+77009000002", "710000000").await;
    let mut org = t.client();
    org.login("+77007000001", "staff password 1").await;
    let mut dept = t.client();
    dept.login("+77009000002", "operator password 1").await;
    let (mut parent, _) = t.register_parent("+77011112233", "parent password 1").await;
    parent.login("+77011112233", "parent password 1").await;
    let mut visitor = t.client();

    let staff_page = format!("/admin/staff/{admin_id}");
    for path in PAGES.iter().copied().chain([staff_page.as_str()]) {
        assert_eq!(admin.get(path).await.status, StatusCode::OK, "{path}");
        for (who, c) in [
            ("parent", &mut parent),
            ("organization", &mut org),
            ("department", &mut dept),
        ] {
            assert_eq!(
                c.get(path).await.status,
                StatusCode::FORBIDDEN,
                "{who} {path}"
            );
        }
        assert_eq!(visitor.get(path).await.location(), Some("/login"), "{path}");
    }
    let today = kezek_domain::time::local_date(t.app.now()).to_string();
    let r = dept
        .post(
            "/admin/regions/71",
            &region_form(&today, &[("max_preferred_orgs", "9")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = visitor
        .post(&format!("/admin/staff/{admin_id}/block"), &[])
        .await;
    assert_eq!(r.location(), Some("/login"));
    assert_eq!(
        kezek_core::region_rules::max_preferred_orgs(
            t.app.db.pool(),
            "71",
            kezek_domain::time::local_date(t.app.now())
        )
        .await
        .unwrap(),
        4
    );
}

#[tokio::test]
async fn staff_accounts_are_created_and_their_area_changed() {
    let t = TestApp::start().await;
    let (mut c, _) = admin(&t).await;
    group_with_capacity(&t, 3).await;

    let r = c
        .post(
            "/admin/staff/new",
            &[
                ("role", "organization"),
                ("phone", "+7 700 900 00 05"),
                ("password", "new staff password"),
                ("org_bin", "990140000385"),
                ("kato", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("f-org_bin-error"), "{}", r.body);
    assert!(
        r.body.contains("value=\"+7 700 900 00 05\""),
        "typed values are kept"
    );
    let r = c
        .post(
            "/admin/staff/new",
            &[
                ("role", "organization"),
                ("phone", "+7 700 900 00 05"),
                ("password", "new staff password"),
                ("org_bin", "990140000384"),
            ],
        )
        .await;
    let location = r.location().expect("created").to_owned();
    assert!(location.starts_with("/admin/staff/"), "{location}");
    let r = c.get(&location).await;
    assert!(
        r.body.contains("Учетная запись сотрудника создана"),
        "{}",
        r.body
    );
    let r = c.get("/admin/staff").await;
    assert!(
        r.body.contains("+7 700 900 00 05") && r.body.contains("990140000384 — Балапан"),
        "{}",
        r.body
    );
    let mut new_staff = t.client();
    assert_eq!(
        new_staff
            .login("+77009000005", "new staff password")
            .await
            .location(),
        Some("/org")
    );

    // A district operator's area widened to the whole city.
    let operator = department(&t, "+77009000006", "711200000").await;
    let path = format!("/admin/staff/{operator}");
    assert!(c.get(&path).await.body.contains("район Есиль"));
    let r = c
        .post(&path, &[("role", "department"), ("kato", "719999999")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("value=\"719999999\""), "{}", r.body);
    let r = c
        .post(&path, &[("role", "department"), ("kato", "710000000")])
        .await;
    assert_eq!(r.location(), Some(path.as_str()));
    let binding = kezek_core::accounts::users::staff_binding(t.app.db.pool(), operator)
        .await
        .unwrap();
    assert_eq!(binding.kato.as_deref(), Some("710000000"));
    let (subject, detail) = last_audit(&t, "staff.binding_changed").await;
    assert_eq!(subject.as_deref(), Some("+77009000006"));
    assert_eq!(detail["before"]["kato"], "711200000");
    assert_eq!(detail["after"]["kato"], "710000000");
    let (actor, detail): (Option<i64>, String) = sqlx::query_as(
        "SELECT actor_user_id, detail FROM audit_log WHERE action = 'staff.created' AND subject = '+77009000005'",
    )
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    let detail: serde_json::Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(detail["after"]["org_bin"], "990140000384");
    assert!(
        actor.is_some(),
        "the administrator who created the account is recorded"
    );

    // Moved to an organization: the area is dropped, the role changes.
    let r = c
        .post(
            &path,
            &[
                ("role", "organization"),
                ("org_bin", "990140000384"),
                ("kato", "710000000"),
            ],
        )
        .await;
    assert_eq!(r.location(), Some(path.as_str()));
    let (_, detail) = last_audit(&t, "staff.role_changed").await;
    assert_eq!(
        (&detail["before"]["role"], &detail["after"]["role"]),
        (&"department".into(), &"organization".into())
    );
    let binding = kezek_core::accounts::users::staff_binding(t.app.db.pool(), operator)
        .await
        .unwrap();
    assert_eq!(
        (binding.org_bin.as_deref(), binding.kato),
        (Some("990140000384"), None)
    );
}

#[tokio::test]
async fn blocking_ends_sessions_and_administrators_cannot_lock_themselves_out() {
    let t = TestApp::start().await;
    let (mut c, admin_id) = admin(&t).await;
    let (_, _, staff) = group_with_capacity(&t, 3).await;
    let mut employee = t.client();
    employee.login("+77007000001", "staff password 1").await;
    assert_eq!(employee.get("/org").await.status, StatusCode::OK);

    let r = c
        .post(&format!("/admin/staff/{}/block", staff.user_id), &[])
        .await;
    assert_eq!(
        r.location(),
        Some(format!("/admin/staff/{}", staff.user_id).as_str())
    );
    assert!(
        kezek_core::staff::is_blocked(t.app.db.pool(), staff.user_id)
            .await
            .unwrap()
    );
    assert_eq!(
        employee.get("/org").await.location(),
        Some("/login"),
        "the session ended"
    );
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
        .bind(staff.user_id)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(sessions, 0);
    let r = c.get(&format!("/admin/staff/{}", staff.user_id)).await;
    assert!(r.body.contains("Заблокирована с"), "{}", r.body);
    let (_, detail) = last_audit(&t, "staff.blocked").await;
    assert!(detail["before"]["blocked_at"].is_null() && detail["after"]["blocked_at"].is_i64());
    let r = employee.login("+77007000001", "staff password 1").await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "a blocked account cannot log in"
    );
    assert!(
        r.body.contains("Учетная запись заблокирована"),
        "{}",
        r.body
    );

    c.post(&format!("/admin/staff/{}/unblock", staff.user_id), &[])
        .await;
    assert!(
        !kezek_core::staff::is_blocked(t.app.db.pool(), staff.user_id)
            .await
            .unwrap()
    );

    let r = c.post(&format!("/admin/staff/{admin_id}/block"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Нельзя заблокировать собственную"),
        "{}",
        r.body
    );
    let r = c
        .post(
            &format!("/admin/staff/{admin_id}"),
            &[("role", "department"), ("kato", "710000000")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("Нельзя лишить роли администратора"),
        "{}",
        r.body
    );
    assert!(
        !kezek_core::staff::is_blocked(t.app.db.pool(), admin_id)
            .await
            .unwrap()
    );
    assert_eq!(
        c.get("/admin").await.status,
        StatusCode::OK,
        "still an administrator"
    );
}

#[tokio::test]
async fn reference_entries_are_added_edited_and_deleted_unless_in_use() {
    let t = TestApp::start().await;
    let (mut c, _) = admin(&t).await;
    group_with_capacity(&t, 3).await;
    let list = "/admin/reference/language";
    let entry = |name_en: &'static str| {
        [
            ("item_code", "tt"),
            ("name_kk", "Татар тілі"),
            ("name_ru", "Татарский"),
            ("name_en", name_en),
            ("position", "9"),
            ("attribute", ""),
            ("active", "1"),
        ]
    };

    let r = c.post(list, &entry(" ")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("f-name_en-error") && !r.body.contains("f-name_ru-error"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"Татарский\""),
        "typed values are kept"
    );
    assert_eq!(c.post(list, &entry("Tatar")).await.location(), Some(list));
    let r = c.get(list).await;
    assert!(
        r.body.contains("Запись сохранена") && r.body.contains("Татарский"),
        "{}",
        r.body
    );
    let r = c.post(list, &entry("Tatar")).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code is added once"
    );
    assert!(r.body.contains("f-item_code-error"), "{}", r.body);

    let item = "/admin/reference/language/tt";
    assert!(c.get(item).await.body.contains("value=\"Tatar\""));
    let mut edited = entry("Tatar language").to_vec();
    edited.retain(|(k, _)| *k != "item_code" && *k != "active");
    assert_eq!(c.post(item, &edited).await.location(), Some(list));
    let saved = kezek_core::reference::get(
        t.app.db.pool(),
        kezek_core::reference::ReferenceKind::Language,
        "tt",
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(
        (saved.name_en.as_str(), saved.active),
        ("Tatar language", 0)
    );
    let (subject, detail) = last_audit(&t, "reference.saved").await;
    assert_eq!(subject.as_deref(), Some("language:tt"));
    assert_eq!(
        (&detail["before"]["name_en"], &detail["after"]["name_en"]),
        (&"Tatar".into(), &"Tatar language".into())
    );

    assert_eq!(
        c.post(&format!("{item}/delete"), &[]).await.location(),
        Some(list)
    );
    assert_eq!(c.get(item).await.status, StatusCode::NOT_FOUND);
    let (_, detail) = last_audit(&t, "reference.deleted").await;
    assert!(detail["after"].is_null() && detail["before"]["code"] == "tt");

    // The group made by `group_with_capacity` teaches in Kazakh.
    let r = c.post("/admin/reference/language/kk/delete", &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("используется"), "{}", r.body);
    assert!(c.get("/admin/reference/language/kk").await.status == StatusCode::OK);
}

#[tokio::test]
async fn region_rules_are_validated_and_audited() {
    let t = TestApp::start().await;
    let (mut c, _) = admin(&t).await;
    let pool = t.app.db.pool();
    let today = kezek_domain::time::local_date(t.app.now());
    let today_iso = today.to_string();
    let r = c.get("/admin/regions").await;
    assert!(
        r.body.contains("Астана") && r.body.contains("href=\"/admin/regions/63\""),
        "{}",
        r.body
    );
    let r = c.get("/admin/regions/71").await;
    assert!(r.body.contains("name=\"max_preferred_orgs\""), "{}", r.body);
    for bad in ["0", "11", "много"] {
        let r = c
            .post(
                "/admin/regions/71",
                &region_form(&today_iso, &[("max_preferred_orgs", bad)]),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(r.body.contains("от 1 до 10") && r.body.contains(&format!("value=\"{bad}\"")));
    }
    assert_eq!(
        kezek_core::region_rules::max_preferred_orgs(pool, "71", today)
            .await
            .unwrap(),
        4
    );
    let r = c
        .post(
            "/admin/regions/71",
            &region_form(&today_iso, &[("max_preferred_orgs", "6")]),
        )
        .await;
    assert_eq!(r.location(), Some("/admin/regions/71"));
    assert_eq!(
        kezek_core::region_rules::max_preferred_orgs(pool, "71", today)
            .await
            .unwrap(),
        6
    );
    assert_eq!(
        kezek_core::region_rules::max_preferred_orgs(pool, "75", today)
            .await
            .unwrap(),
        4
    );
    let (subject, detail) = last_audit(&t, "region.rules_changed").await;
    assert_eq!(subject.as_deref(), Some("71"));
    assert_eq!(detail["before"]["max_preferred_orgs"], 4);
    assert_eq!(detail["after"]["max_preferred_orgs"], 6);
    let r = c
        .post(
            "/admin/regions/99",
            &region_form(&today_iso, &[("max_preferred_orgs", "5")]),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// The pager link whose query has `param` (askama writes `&` as `&#38;`).
fn pager_link(body: &str, param: &str) -> Option<String> {
    body.split("href=\"")
        .find(|s| s.starts_with("/admin/audit?") && s.contains(param))
        .and_then(|s| s.split('"').next())
        .map(|s| s.replace("&#38;", "&"))
}

#[tokio::test]
async fn the_audit_log_pages_and_filters() {
    let t = TestApp::start().await;
    let (mut c, _) = admin(&t).await;
    let mut tx = t.app.db.begin().await.unwrap();
    for i in 0..60 {
        kezek_core::audit::record(
            &mut tx,
            kezek_core::audit::AuditEntry {
                at: 1_767_207_600 + i,
                actor_user_id: None,
                action: "test.event_seen",
                subject: Some("probe"),
                ip: Some("203.0.113.9"),
                detail: Some(serde_json::json!({ "n": i, "note": "<script>x</script>" })),
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    let today = kezek_domain::time::local_date(t.app.now()).to_string();
    c.post(
        "/admin/regions/75",
        &region_form(&today, &[("max_preferred_orgs", "3")]),
    )
    .await;

    let r = c.get("/admin/audit").await;
    assert!(r.body.contains("region.rules_changed") && r.body.contains("+7 700 900 00 01"));
    assert!(r.body.contains("2026-01-01 00:00"), "times in UTC+5");
    assert!(!r.body.contains("<script>x"), "details are escaped");
    assert!(pager_link(&r.body, "before=").is_some(), "an older page");

    let r = c.get("/admin/audit?action=test.event_&subject=probe").await;
    assert_eq!(r.body.matches("test.event_seen").count(), 50, "50 a page");
    assert!(!r.body.contains("region.rules_changed"));
    assert!(pager_link(&r.body, "after=").is_none(), "nothing newer");
    let older = pager_link(&r.body, "before=").expect("a link to older entries");
    assert!(
        older.contains("action=test.event_&subject=probe"),
        "{older}"
    );
    let r = c.get(&older).await;
    assert_eq!(r.body.matches("test.event_seen").count(), 10);
    assert!(r.body.contains("&#34;n&#34;:0,"), "{}", r.body);
    assert!(pager_link(&r.body, "before=").is_none(), "nothing older");
    let newer = pager_link(&r.body, "after=").expect("a link back to newer entries");
    let r = c.get(&newer).await;
    assert_eq!(r.body.matches("test.event_seen").count(), 50);
    assert!(r.body.contains("&#34;n&#34;:59,"));
    assert!(pager_link(&r.body, "after=").is_none(), "nothing newer");

    let r = c.get("/admin/audit?action=region.&subject=75").await;
    assert_eq!(
        r.body.matches("region.rules_changed").count(),
        1,
        "{}",
        r.body
    );
    let r = c.get("/admin/audit?subject=nobody").await;
    assert!(r.body.contains("Подходящих записей нет"));
}
