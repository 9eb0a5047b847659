//! First-priority statuses from the register of individuals: a verified status found there puts a
//! child's application in the first-priority category as it is filed (ahead of earlier general
//! ones where the region's interleave says so); an extraordinary claim counts only once verified;
//! a register that cannot answer never stops a submission.

use kezek_core::accounts::users::StaffBinding;
use kezek_core::applications::verification::{self, What};
use kezek_core::applications::{self, PrivilegeClaim};
use kezek_core::audit::Actor;
use kezek_core::config::RegistrySettings;
use kezek_core::documents::DocumentKind;
use kezek_core::i18n::Lang;
use kezek_core::orgs::GroupKind;
use kezek_core::queue::{Partition, Scope};
use kezek_core::registry::{EmbeddedRegistry, import};
use kezek_domain::queue::Category;
use kezek_domain::{Iin, Role, Sex};

use crate::fixtures::{Family, family, regular};
use crate::harness::TestApp;

/// Records `statuses` (semicolon-separated) for the person with `iin` in the embedded register.
async fn set_statuses(t: &TestApp, iin: &str, statuses: &str) {
    sqlx::query("UPDATE registry_persons SET social_statuses = $1 WHERE iin = $2")
        .bind(statuses)
        .bind(iin)
        .execute(t.app.db.pool())
        .await
        .unwrap();
}

async fn child_iin(t: &TestApp, child_id: i64) -> String {
    sqlx::query_scalar("SELECT iin FROM children WHERE id = $1")
        .bind(child_id)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

/// Adds another child born in 2022 (with these register statuses) to the family; returns its id.
async fn another_child(t: &TestApp, f: &Family, first_name: &str, statuses: &str) -> i64 {
    let iin = t
        .add_person("Серік", first_name, (2022, 3, 1), Sex::Female)
        .await;
    set_statuses(t, &iin, statuses).await;
    kezek_core::children::add_child(&t.app, &f.parent, &iin, "F", "")
        .await
        .unwrap()
        .id
}

/// Files a regular application for Balapan for `child_id`, one second after the previous.
async fn file_regular(t: &TestApp, f: &Family, child_id: i64, key: &str) -> i64 {
    t.clock.advance(1);
    let mut input = regular(f, key);
    input.child_id = child_id;
    applications::submit(&t.app, &f.parent, "71", &input)
        .await
        .unwrap()
}

async fn category(t: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT category FROM applications WHERE id = $1")
        .bind(id)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

/// The `registry_status_applied` events of an application, as their details.
async fn applied_events(t: &TestApp, id: i64) -> Vec<serde_json::Value> {
    let details: Vec<String> = sqlx::query_scalar(
        "SELECT detail FROM application_events
         WHERE application_id = $1 AND event = 'registry_status_applied' ORDER BY id",
    )
    .bind(id)
    .fetch_all(t.app.db.pool())
    .await
    .unwrap();
    details
        .iter()
        .map(|d| serde_json::from_str(d).unwrap())
        .collect()
}

/// The application ids of Balapan's regular 2022 queue, in order, with their categories.
async fn balapan_queue(t: &TestApp, f: &Family) -> Vec<(i64, Category)> {
    let today = kezek_domain::time::local_date(t.app.now());
    let rules = kezek_core::region_rules::current(t.app.db.pool(), "71", today)
        .await
        .unwrap()
        .queue;
    let partition = Partition {
        kind: GroupKind::Regular,
        correction_type: None,
        birth_year: 2022,
        scope: Scope::Organization(f.balapan),
    };
    let mut conn = t.app.db.pool().acquire().await.unwrap();
    let (_, lines) = kezek_core::queue::page(&mut conn, &partition, &rules, 0, 50)
        .await
        .unwrap();
    lines
        .iter()
        .map(|l| (l.application_id, l.category))
        .collect()
}

#[tokio::test]
async fn a_registry_first_priority_child_counts_at_once_and_goes_ahead_of_earlier_general_ones() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+77023000001").await;
    let general = file_regular(&t, &f, f.child_id, "general").await;
    let orphan = another_child(&t, &f, "Айым", "orphan;special_needs").await;
    let first = file_regular(&t, &f, orphan, "orphan").await;

    assert_eq!(category(&t, general).await, "general");
    assert_eq!(category(&t, first).await, "first_priority");
    assert_eq!(
        applied_events(&t, first).await,
        [serde_json::json!({ "statuses": ["orphan", "special_needs"] })]
    );
    assert!(applied_events(&t, general).await.is_empty());

    // The default rules (1 first-priority : 3 general) start each cycle with first-priority.
    assert_eq!(
        balapan_queue(&t, &f).await,
        [
            (first, Category::FirstPriority),
            (general, Category::General)
        ]
    );

    // "Подробнее" shows the derived social status and the event.
    let r = f
        .client
        .get(&format!("/cabinet/applications/{first}"))
        .await;
    assert!(
        r.body
            .contains("Дети-сироты и дети, оставшиеся без попечения родителей"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("Дети с особыми образовательными потребностями"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("В реестре физических лиц найден"),
        "{}",
        r.body
    );
    let r = f
        .client
        .get(&format!("/cabinet/applications/{general}"))
        .await;
    assert!(!r.body.contains("Дети-сироты"), "{}", r.body);
}

#[tokio::test]
async fn the_form_shows_the_registry_status_of_the_child() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+77023000002").await;
    let iin = child_iin(&t, f.child_id).await;
    set_statuses(&t, &iin, "large_family").await;
    // The family's only child is chosen by itself.
    let r = f.client.get("/cabinet/applications/new").await;
    assert!(r.body.contains("Дети из многодетных семей"), "{}", r.body);
}

#[tokio::test]
async fn only_active_first_priority_categories_apply() {
    let t = TestApp::start().await;
    let f = family(&t, "+77023000003").await;
    // An extraordinary category in the register is no verified claim, and a category the
    // administrators switched off no longer counts.
    sqlx::query(
        "UPDATE reference_items SET active = 0 WHERE kind = 'privilege_category' AND code = 'teacher'",
    )
    .execute(t.app.db.pool())
    .await
    .unwrap();
    let child = another_child(&t, &f, "Әсел", "military;teacher").await;
    let id = file_regular(&t, &f, child, "no-status").await;
    assert_eq!(category(&t, id).await, "general");
    assert!(applied_events(&t, id).await.is_empty());
}

#[tokio::test]
async fn a_pending_extraordinary_claim_stays_general_until_approved() {
    let t = TestApp::start().await;
    let f = family(&t, "+77023000004").await;
    let general = file_regular(&t, &f, f.child_id, "general").await;
    let claimant = another_child(&t, &f, "Дана", "").await;
    let evidence = kezek_core::documents::upload(
        &t.app,
        &f.parent,
        f.parent.user_id,
        DocumentKind::PrivilegeEvidence,
        "spravka.pdf",
        b"%PDF-1.7 evidence",
        t.app.now(),
    )
    .await
    .unwrap();
    t.clock.advance(1);
    let mut input = regular(&f, "claim");
    input.child_id = claimant;
    input.privilege = Some(PrivilegeClaim {
        category: "military".into(),
        document_ids: vec![evidence.id],
    });
    let claim = applications::submit(&t.app, &f.parent, "71", &input)
        .await
        .unwrap();

    assert_eq!(category(&t, claim).await, "general");
    assert!(applied_events(&t, claim).await.is_empty());
    assert_eq!(
        balapan_queue(&t, &f).await,
        [(general, Category::General), (claim, Category::General)],
        "an unverified claim gets ahead of nobody"
    );

    let operator = kezek_core::accounts::create_staff(
        &t.app,
        Role::Department,
        "+77023000099",
        "operator password 1",
        StaffBinding {
            org_bin: None,
            kato: Some("710000000".into()),
        },
    )
    .await
    .unwrap();
    let operator = Actor {
        user_id: operator,
        ip: "198.51.100.9".into(),
    };
    verification::decide(
        &t.app,
        &operator,
        claim,
        What::Privilege,
        true,
        None,
        Lang::Ru,
    )
    .await
    .unwrap();
    assert_eq!(category(&t, claim).await, "extraordinary");
    assert_eq!(
        balapan_queue(&t, &f).await,
        [
            (claim, Category::Extraordinary),
            (general, Category::General)
        ]
    );
}

#[tokio::test]
async fn an_unreachable_register_files_the_application_as_general() {
    let t = TestApp::start().await;
    let f = family(&t, "+77023000005").await;
    let iin = child_iin(&t, f.child_id).await;
    set_statuses(&t, &iin, "orphan").await;

    // The same installation, asking a register nobody answers for.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let mut settings = t.app.settings.clone();
    settings.registry = RegistrySettings::Http {
        url: format!("http://{addr}"),
        token: None,
    };
    let down = kezek_core::app::App::start_with_clock(settings, t.clock.clone())
        .await
        .unwrap();
    let id = applications::submit(&down, &f.parent, "71", &regular(&f, "down"))
        .await
        .unwrap();
    assert_eq!(category(&t, id).await, "general");
    assert!(applied_events(&t, id).await.is_empty());
    let status: String = sqlx::query_scalar("SELECT status FROM applications WHERE id = $1")
        .bind(id)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "queued");
}

#[tokio::test]
async fn imported_statuses_are_looked_up_kept_by_the_old_header_and_cleared_by_an_empty_value() {
    let t = TestApp::start().await;
    let date = chrono::NaiveDate::from_ymd_opt(2021, 3, 14).unwrap();
    let iin = (0..1000)
        .find_map(|serial| Iin::generate(date, Sex::Female, serial))
        .unwrap();
    let registry = EmbeddedRegistry::new(t.app.db.clone());
    let import = |csv: String| {
        let db = t.app.db.clone();
        let now = t.app.now();
        async move {
            let persons = import::parse(csv.as_bytes()).unwrap();
            import::store(&db, &persons, now).await.unwrap()
        }
    };
    let statuses = || async {
        registry
            .lookup_entry(&iin)
            .await
            .unwrap()
            .unwrap()
            .social_statuses
    };
    let with = "iin,last_name,first_name,middle_name,birth_date,sex,nationality,social_statuses";
    let without = "iin,last_name,first_name,middle_name,birth_date,sex,nationality";

    import(format!(
        "{with}\n{iin},Ахметова,Айгерим,,2021-03-14,F,,orphan;special_needs\n"
    ))
    .await;
    assert_eq!(statuses().await, ["orphan", "special_needs"]);

    let summary = import(format!(
        "{without}\n{iin},Ахметова,Айгерим,,2021-03-14,F,\n"
    ))
    .await;
    assert_eq!(summary.updated, 1);
    assert_eq!(
        statuses().await,
        ["orphan", "special_needs"],
        "a file without the column says nothing about statuses"
    );

    import(format!("{with}\n{iin},Ахметова,Айгерим,,2021-03-14,F,,\n")).await;
    assert!(statuses().await.is_empty());
    let stored: Option<String> =
        sqlx::query_scalar("SELECT social_statuses FROM registry_persons WHERE iin = $1")
            .bind(iin.as_str())
            .fetch_one(t.app.db.pool())
            .await
            .unwrap();
    assert_eq!(stored, None);
}
