//! Filing and deleting applications: the checks, one active application per child and group
//! type (also under concurrent and repeated submissions), and the parent-only access.

use kezek_core::applications::{self, ApplicationError, PmpkConclusion};
use kezek_core::documents::DocumentKind;
use kezek_core::orgs::GroupKind;

use crate::harness::TestApp;

use crate::fixtures::{family, regular};

fn invalid_fields(result: Result<i64, ApplicationError>) -> Vec<&'static str> {
    match result {
        Err(ApplicationError::Invalid(errors)) => {
            errors.into_iter().map(|(field, _)| field).collect()
        }
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[tokio::test]
async fn an_application_is_filed_once_and_only_one_is_active_per_type() {
    let t = TestApp::start().await;
    let f = family(&t, "+77020000001").await;
    let id = applications::submit(&t.app, &f.parent, "71", &regular(&f, "form-1"))
        .await
        .unwrap();
    assert_eq!(
        applications::submit(&t.app, &f.parent, "71", &regular(&f, "form-1"))
            .await
            .unwrap(),
        id,
        "the same form sent twice files one application"
    );
    let again = applications::submit(&t.app, &f.parent, "71", &regular(&f, "form-2")).await;
    assert!(
        matches!(again, Err(ApplicationError::ActiveExists)),
        "{again:?}"
    );

    let row = applications::store::of_parent(t.app.db.pool(), f.parent.user_id, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.status.as_str(), row.number.as_deref()),
        ("queued", Some(format!("71-{id:07}").as_str()))
    );
    let events = applications::store::events_of(&t.app.db, id).await.unwrap();
    assert_eq!(events[0].event, "submitted");
    assert_eq!(
        kezek_core::notifications::unread_count(&t.app.db, f.parent.user_id)
            .await
            .unwrap(),
        1
    );

    // Deleting releases the place: a new application of the type can be filed.
    applications::delete(&t.app, &f.parent, id).await.unwrap();
    assert!(
        applications::store::of_parent(t.app.db.pool(), f.parent.user_id, id)
            .await
            .unwrap()
            .is_none()
    );
    applications::submit(&t.app, &f.parent, "71", &regular(&f, "form-3"))
        .await
        .unwrap();
}

#[tokio::test]
async fn concurrent_submissions_leave_exactly_one_active_application() {
    let t = TestApp::start().await;
    let f = family(&t, "+77020000002").await;
    let mut tasks = Vec::new();
    for i in 0..6 {
        let (app, parent, input) = (
            t.app.clone(),
            f.parent.clone(),
            regular(&f, &format!("race-{i}")),
        );
        tasks.push(tokio::spawn(async move {
            applications::submit(&app, &parent, "71", &input).await
        }));
    }
    let mut filed = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => filed += 1,
            Err(ApplicationError::ActiveExists) => {}
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!(filed, 1);
    let active: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM applications WHERE status = 'queued'")
            .fetch_one(t.app.db.pool())
            .await
            .unwrap();
    assert_eq!(active, 1);
}

#[tokio::test]
async fn every_mistake_is_reported_beside_its_field() {
    let t = TestApp::start().await;
    let f = family(&t, "+77020000003").await;
    let mut input = regular(&f, "bad-1");
    input.kind = GroupKind::Correctional;
    input.consent = false;
    input.language = "xx".into();
    input.kato = "750000000".into();
    let fields = invalid_fields(applications::submit(&t.app, &f.parent, "71", &input).await);
    for field in [
        "correction_type",
        "pmpk_number",
        "pmpk_date",
        "pmpk_expires",
        "pmpk_document",
        "language",
        "kato",
        "consent",
    ] {
        assert!(fields.contains(&field), "{field} missing from {fields:?}");
    }

    // Akbota has no group for 2022: it cannot be chosen; five organizations exceed the limit of 4.
    let mut input = regular(&f, "bad-2");
    input.organization_ids = vec![f.akbota];
    assert_eq!(
        invalid_fields(applications::submit(&t.app, &f.parent, "71", &input).await),
        ["organizations"]
    );
    input.organization_ids = vec![f.balapan, f.akbota, 101, 102, 103];
    assert_eq!(
        invalid_fields(applications::submit(&t.app, &f.parent, "71", &input).await),
        ["organizations"]
    );
    let none: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM applications")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(none, 0, "nothing is filed while anything is wrong");
}

#[tokio::test]
async fn a_correctional_application_needs_a_valid_pmpk_conclusion_of_the_parents_own() {
    let t = TestApp::start().await;
    let f = family(&t, "+77020000004").await;
    let other = family(&t, "+77020000005").await;
    let pdf = b"%PDF-1.7 conclusion";
    let mine = kezek_core::documents::upload(
        &t.app,
        &f.parent,
        f.parent.user_id,
        DocumentKind::PmpkConclusion,
        "pmpk.pdf",
        pdf,
        t.app.now(),
    )
    .await
    .unwrap();
    let theirs = kezek_core::documents::upload(
        &t.app,
        &other.parent,
        other.parent.user_id,
        DocumentKind::PmpkConclusion,
        "pmpk.pdf",
        pdf,
        t.app.now(),
    )
    .await
    .unwrap();
    let today = kezek_domain::time::local_date(t.app.now());
    let mut input = regular(&f, "corr-1");
    input.kind = GroupKind::Correctional;
    input.correction_type = Some("speech".into());
    input.language = "ru".into();
    input.pmpk = Some(PmpkConclusion {
        number: "ПМПК-17/2026".into(),
        date: Some(today - chrono::Days::new(10)),
        expires: Some(today + chrono::Days::new(365)),
        document_id: Some(theirs.id),
    });
    assert_eq!(
        invalid_fields(applications::submit(&t.app, &f.parent, "71", &input).await),
        ["pmpk_document"],
        "another parent's document"
    );
    input.pmpk.as_mut().unwrap().document_id = Some(mine.id);
    let id = applications::submit(&t.app, &f.parent, "71", &input)
        .await
        .unwrap();
    let row = applications::store::of_parent(t.app.db.pool(), f.parent.user_id, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        row.pmpk_verification.map(|v| v.as_str()),
        Some("pending"),
        "the conclusion waits for the department"
    );
    // A regular application for the same child is another type: allowed.
    applications::submit(&t.app, &f.parent, "71", &regular(&f, "reg-1"))
        .await
        .unwrap();
}

#[tokio::test]
async fn signed_applications_cannot_be_deleted_and_others_cannot_touch_them() {
    let t = TestApp::start().await;
    let f = family(&t, "+77020000006").await;
    let other = family(&t, "+77020000007").await;
    let id = applications::submit(&t.app, &f.parent, "71", &regular(&f, "s-1"))
        .await
        .unwrap();
    assert!(matches!(
        applications::delete(&t.app, &other.parent, id).await,
        Err(ApplicationError::NotFound)
    ));
    sqlx::query("UPDATE applications SET status = 'signed', active_key = NULL WHERE id = $1")
        .bind(id)
        .execute(t.app.db.pool())
        .await
        .unwrap();
    assert!(matches!(
        applications::delete(&t.app, &f.parent, id).await,
        Err(ApplicationError::CannotDelete)
    ));
    let actions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'application.deleted'")
            .fetch_one(t.app.db.pool())
            .await
            .unwrap();
    assert_eq!(actions, 0);
}

#[tokio::test]
async fn organizations_must_lie_in_the_chosen_locality() {
    let t = TestApp::start().await;
    let f = family(&t, "+77020000008").await;
    let mut input = regular(&f, "loc-1");
    // Balapan is registered at city level (710000000): a district of the city does not contain it.
    input.kato = "711100000".into();
    assert_eq!(
        invalid_fields(applications::submit(&t.app, &f.parent, "71", &input).await),
        ["organizations"]
    );
    input.kato = "710000000".into();
    applications::submit(&t.app, &f.parent, "71", &input)
        .await
        .unwrap();
}

#[tokio::test]
async fn documents_never_attached_are_purged_after_the_grace_period() {
    let t = TestApp::start().await;
    let f = family(&t, "+77020000009").await;
    let upload = |name: &'static str| {
        let (app, parent) = (t.app.clone(), f.parent.clone());
        async move {
            kezek_core::documents::upload(
                &app,
                &parent,
                parent.user_id,
                DocumentKind::PmpkConclusion,
                name,
                b"%PDF-1.7 x",
                app.now(),
            )
            .await
            .unwrap()
        }
    };
    let (used, forgotten) = (upload("used.pdf").await, upload("forgotten.pdf").await);
    let today = kezek_domain::time::local_date(t.app.now());
    let mut input = regular(&f, "purge-1");
    input.kind = GroupKind::Correctional;
    input.correction_type = Some("speech".into());
    input.language = "ru".into();
    input.pmpk = Some(PmpkConclusion {
        number: "ПМПК-1".into(),
        date: Some(today),
        expires: Some(today + chrono::Days::new(100)),
        document_id: Some(used.id),
    });
    applications::submit(&t.app, &f.parent, "71", &input)
        .await
        .unwrap();

    assert_eq!(
        kezek_core::documents::purge_unattached(&t.app, t.app.now())
            .await
            .unwrap(),
        0,
        "not before the grace period"
    );
    t.clock
        .advance(kezek_core::documents::UNATTACHED_GRACE_SECS + 60);
    assert_eq!(
        kezek_core::documents::purge_unattached(&t.app, t.app.now())
            .await
            .unwrap(),
        1
    );
    let live: Vec<i64> = sqlx::query_scalar("SELECT id FROM documents WHERE deleted_at IS NULL")
        .fetch_all(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(live, [used.id]);
    assert!(
        t.app
            .storage
            .get(&forgotten.storage_key)
            .await
            .unwrap()
            .is_none(),
        "its file is gone"
    );
    assert!(
        t.app
            .storage
            .get(&used.storage_key)
            .await
            .unwrap()
            .is_some()
    );
}
