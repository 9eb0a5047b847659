//! The applications pages through the real router: "Заявки", "Коррекционные заявки" and
//! "Санаторные заявки"; "Подробнее" with every field, the documents and the history; deletion
//! after a confirmation page; signed applications; another parent's ids; staff.

use axum::http::StatusCode;
use kezek_core::accounts::users::StaffBinding;
use kezek_core::applications::{self, PmpkConclusion};
use kezek_core::documents::DocumentKind;
use kezek_core::orgs::GroupKind;
use kezek_domain::Role;

use crate::harness::TestApp;

use crate::fixtures::{Family, family, regular};

/// A correctional application with its ПМПК conclusion, expiring in `valid_days`; returns the
/// application's and the document's ids.
async fn correctional(t: &TestApp, f: &Family, valid_days: u64) -> (i64, i64) {
    let document = kezek_core::documents::upload(
        &t.app,
        &f.parent,
        f.parent.user_id,
        DocumentKind::PmpkConclusion,
        "pmpk-zaklyuchenie.pdf",
        b"%PDF-1.7 conclusion",
        t.app.now(),
    )
    .await
    .unwrap();
    let today = kezek_domain::time::local_date(t.app.now());
    let mut input = regular(f, "corr-1");
    input.kind = GroupKind::Correctional;
    input.correction_type = Some("speech".into());
    input.language = "ru".into();
    input.pmpk = Some(PmpkConclusion {
        number: "ПМПК-17/2026".into(),
        date: Some(today - chrono::Days::new(10)),
        expires: Some(today + chrono::Days::new(valid_days)),
        document_id: Some(document.id),
    });
    let id = applications::submit(&t.app, &f.parent, "71", &input)
        .await
        .unwrap();
    (id, document.id)
}

fn number(id: i64) -> String {
    format!("71-{id:07}")
}

async fn sign(t: &TestApp, id: i64) {
    sqlx::query("UPDATE applications SET status = 'signed', active_key = NULL WHERE id = $1")
        .bind(id)
        .execute(t.app.db.pool())
        .await
        .unwrap();
}

#[tokio::test]
async fn each_type_has_its_own_list() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+77030000001").await;
    let registered = t.app.now();
    let regular_id = applications::submit(&t.app, &f.parent, "71", &regular(&f, "reg-1"))
        .await
        .unwrap();
    let (correctional_id, _) = correctional(&t, &f, 20).await;

    let r = f.client.get("/cabinet").await;
    assert!(
        r.body.contains("href=\"/cabinet/applications\""),
        "{}",
        r.body
    );

    let r = f.client.get("/cabinet/applications").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = &r.body;
    for expected in [
        "<h1>Заявки</h1>",
        "Коррекционные заявки",
        "Санаторные заявки",
        "href=\"/cabinet/applications/new\"",
        "Добавить заявление",
        "Бала Кіші",
        "Балапан",
        "В очереди",
        "1-е место из 1",
        "В очереди первой из выбранных организаций",
        "Подробнее",
        ">🗑</span> Удалить",
    ] {
        assert!(body.contains(expected), "{expected} missing: {body}");
    }
    let kind = t
        .app
        .i18n
        .get(kezek_core::i18n::Lang::Ru, "group-kind-regular");
    assert!(body.contains(&kind), "{kind} missing");
    assert!(body.contains(&number(regular_id)));
    assert!(
        body.contains(&kezek_domain::time::seconds(registered)),
        "{body}"
    );
    assert!(body.contains(&format!("href=\"/cabinet/applications/{regular_id}\"")));
    assert!(body.contains(&format!(
        "href=\"/cabinet/applications/{regular_id}/delete\""
    )));
    assert!(
        !body.contains(&number(correctional_id)),
        "the correctional one is on its own page"
    );

    let r = f
        .client
        .get("/cabinet/applications?kind=correctional")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let body = &r.body;
    assert!(body.contains("<h1>Коррекционные заявки</h1>"), "{body}");
    assert!(body.contains(&number(correctional_id)));
    assert!(body.contains("Нарушения речи"), "correction type: {body}");
    assert!(
        body.contains("Срок действия заключения ПМПК истекает"),
        "expiry warning: {body}"
    );
    assert!(!body.contains(&number(regular_id)));

    let r = f.client.get("/cabinet/applications?kind=sanatorium").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<h1>Санаторные заявки</h1>"));
    assert!(r.body.contains("Заявок этого типа нет."));

    // Kazakh and English too.
    f.client.accept_language = "kk".into();
    let r = f
        .client
        .get("/cabinet/applications?kind=correctional")
        .await;
    assert!(r.body.contains("Түзету өтінімдері"), "{}", r.body);
    f.client.accept_language = "en".into();
    let r = f
        .client
        .get("/cabinet/applications?kind=correctional")
        .await;
    assert!(r.body.contains("Correctional applications"), "{}", r.body);
}

#[tokio::test]
async fn details_show_every_field_the_documents_and_the_history() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+77030000002").await;
    let (id, document_id) = correctional(&t, &f, 365).await;
    for (event, detail) in [
        ("pmpk_rejected", r#"{"reason":"Печать неразборчива"}"#),
        ("mystery_event", "{}"),
    ] {
        sqlx::query(
            "INSERT INTO application_events (application_id, at, event, detail) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(t.app.now())
        .bind(event)
        .bind(detail)
        .execute(t.app.db.pool())
        .await
        .unwrap();
    }

    let r = f.client.get(&format!("/cabinet/applications/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = &r.body;
    for expected in [
        number(id).as_str(),
        "Бала Кіші",
        "Нарушения речи",
        "Русский",
        "Астана",
        "Балапан",
        "Дети с особыми образовательными потребностями",
        "ПМПК-17/2026",
        "Ожидает проверки отделом образования",
        "Не заявлен",
        "Согласие на использование сведений",
        "pmpk-zaklyuchenie.pdf",
        "Заключение ПМПК",
        "История статусов",
        "Заявление подано",
        "Заключение ПМПК отклонено. Причина: Печать неразборчива",
        "mystery_event",
        "В очереди",
        ">🗑</span> Удалить",
    ] {
        assert!(body.contains(expected), "{expected} missing: {body}");
    }
    assert!(body.contains(&format!("href=\"/documents/{document_id}\"")));
    assert!(
        !body.contains("Срок действия заключения ПМПК истекает"),
        "a year is far away"
    );
    let r = f.client.get(&format!("/documents/{document_id}")).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the link serves the parent's own document"
    );
}

#[tokio::test]
async fn deleting_asks_first_then_removes_with_history_and_audit() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+77030000003").await;
    let id = applications::submit(&t.app, &f.parent, "71", &regular(&f, "reg-1"))
        .await
        .unwrap();
    let path = format!("/cabinet/applications/{id}/delete");

    let r = f.client.get(&path).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains(&format!(
            "Удалить заявление № {}? Оно будет исключено из очереди.",
            number(id)
        )),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains(&format!("method=\"post\" action=\"{path}\""))
    );
    assert!(r.body.contains("Отмена"));
    let status: String = sqlx::query_scalar("SELECT status FROM applications WHERE id = $1")
        .bind(id)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "queued", "asking changes nothing");

    let r = f.client.post(&path, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), Some("/cabinet/applications"));
    let r = f.client.get("/cabinet/applications").await;
    assert!(r.body.contains("Заявление удалено и исключено из очереди."));
    assert!(!r.body.contains(&number(id)));

    let status: String = sqlx::query_scalar("SELECT status FROM applications WHERE id = $1")
        .bind(id)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "deleted");
    let events: Vec<String> = sqlx::query_scalar(
        "SELECT event FROM application_events WHERE application_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(t.app.db.pool())
    .await
    .unwrap();
    assert_eq!(events, ["submitted", "deleted"]);
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'application.deleted' AND actor_user_id = $1",
    )
    .bind(f.parent.user_id)
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    assert_eq!(audited, 1);

    // Gone: every route answers 404 now.
    assert_eq!(
        f.client.post(&path, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(f.client.get(&path).await.status, StatusCode::NOT_FOUND);
    let r = f.client.get(&format!("/cabinet/applications/{id}")).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_signed_application_has_no_delete_button_and_cannot_be_deleted() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+77030000004").await;
    let id = applications::submit(&t.app, &f.parent, "71", &regular(&f, "reg-1"))
        .await
        .unwrap();
    sign(&t, id).await;
    let path = format!("/cabinet/applications/{id}/delete");

    let r = f.client.get("/cabinet/applications").await;
    assert!(r.body.contains(&number(id)));
    assert!(r.body.contains("Подписано — удалить нельзя"), "{}", r.body);
    assert!(!r.body.contains(&format!("href=\"{path}\"")));
    assert!(!r.body.contains(">🗑</span> Удалить"));
    let r = f.client.get(&format!("/cabinet/applications/{id}")).await;
    assert!(r.body.contains("Подписано — удалить нельзя"));
    assert!(!r.body.contains(&format!("href=\"{path}\"")));

    let refusal = "Подписанное заявление удалить нельзя";
    let r = f.client.post(&path, &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains(refusal), "{}", r.body);
    assert!(r.body.contains(&number(id)), "the details are shown");
    let r = f.client.get(&path).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains(refusal));

    let status: String = sqlx::query_scalar("SELECT status FROM applications WHERE id = $1")
        .bind(id)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "signed");
}

#[tokio::test]
async fn another_parent_gets_404_and_staff_403() {
    let t = TestApp::start().await;
    let f = family(&t, "+77030000005").await;
    let mut other = family(&t, "+77030000006").await;
    let id = applications::submit(&t.app, &f.parent, "71", &regular(&f, "reg-1"))
        .await
        .unwrap();
    let (corr_id, _) = correctional(&t, &f, 365).await;

    for kind in ["", "?kind=correctional", "?kind=sanatorium"] {
        let r = other
            .client
            .get(&format!("/cabinet/applications{kind}"))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains(&number(id)) && !r.body.contains(&number(corr_id)));
    }
    for app_id in [id, corr_id] {
        for path in [
            format!("/cabinet/applications/{app_id}"),
            format!("/cabinet/applications/{app_id}/delete"),
        ] {
            let r = other.client.get(&path).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "GET {path}");
            assert!(!r.body.contains(&number(app_id)));
        }
        let r = other
            .client
            .post(&format!("/cabinet/applications/{app_id}/delete"), &[])
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "POST delete {app_id}");
    }
    for path in [
        "/cabinet/applications/0",
        "/cabinet/applications/abc",
        "/cabinet/applications/999999/delete",
    ] {
        assert_eq!(
            other.client.get(path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let status: String = sqlx::query_scalar("SELECT status FROM applications WHERE id = $1")
        .bind(id)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "queued", "untouched by the stranger");

    // Visitors are sent to "Вход".
    let mut visitor = t.client();
    let r = visitor.get("/cabinet/applications").await;
    assert_eq!(r.location(), Some("/login"));
    let r = visitor.get(&format!("/cabinet/applications/{id}")).await;
    assert_eq!(r.location(), Some("/login"));

    // Staff have no applications of their own.
    kezek_core::accounts::create_staff(
        &t.app,
        Role::Admin,
        "+77031000051",
        "admin password 1",
        StaffBinding::default(),
    )
    .await
    .unwrap();
    let mut staff = t.client();
    staff.login("+77031000051", "admin password 1").await;
    for path in [
        "/cabinet/applications".to_owned(),
        format!("/cabinet/applications/{id}"),
        format!("/cabinet/applications/{id}/delete"),
    ] {
        let r = staff.get(&path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert!(r.body.contains("У вас нет доступа к этой странице."));
    }
    let r = staff
        .post(&format!("/cabinet/applications/{id}/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
