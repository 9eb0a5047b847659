//! Directions: a published place goes to the first eligible child in order (a verified
//! extraordinary claim first, an unverified one in the general queue, the wrong language and the
//! stop-list passed over) with an SMS and a cabinet notice; accepting, enrolling (the application
//! is signed and can no longer be deleted), refusing and expiry (the stop-list, the place passed
//! on), one extension, returning with a reason; staff of another organization and other parents
//! get 404; concurrent allocations never double-book; the public protocol verifies and a
//! tampered copy does not (also through `kezek protocol verify`).

use axum::http::StatusCode;
use kezek_core::accounts::users::StaffBinding;
use kezek_core::applications::verification::{self, What};
use kezek_core::applications::{self, ApplicationError, PrivilegeClaim};
use kezek_core::audit::Actor;
use kezek_core::directions::{self, DirectionError, protocol};
use kezek_core::documents::DocumentKind;
use kezek_core::i18n::Lang;
use kezek_core::orgs::vacancies;
use kezek_domain::direction::ExtensionError;
use kezek_domain::{Role, Sex};

use crate::fixtures::{family, many_lookups, regular, waiting_child};
use crate::harness::{Client, TestApp};

const STAFF_PASSWORD: &str = "staff password 1";
const BALAPAN_BIN: &str = "990140000384";
const AKBOTA_BIN: &str = "050440001239";
const DAY: i64 = 86_400;

/// Organization staff of `bin`, logged in.
async fn staff(t: &TestApp, phone: &str, bin: &str) -> (Client, Actor) {
    let user_id = kezek_core::accounts::create_staff(
        &t.app,
        Role::Organization,
        phone,
        STAFF_PASSWORD,
        StaffBinding {
            org_bin: Some(bin.into()),
            kato: None,
        },
    )
    .await
    .unwrap();
    let mut c = t.client();
    assert_eq!(
        c.login(phone, STAFF_PASSWORD).await.location(),
        Some("/org")
    );
    (
        c,
        Actor {
            user_id,
            ip: "198.51.100.20".into(),
        },
    )
}

async fn group_id(t: &TestApp, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM org_groups WHERE name = $1")
        .bind(name)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

/// Publishes `count` places of the group and offers them, as the organization's page does.
async fn publish(t: &TestApp, actor: &Actor, group: i64, count: i64) -> usize {
    let today = kezek_domain::time::local_date(t.app.now());
    vacancies::publish(&t.app.db, actor, group, count, today, t.app.now())
        .await
        .unwrap();
    directions::allocate_group(&t.app, group, t.app.now())
        .await
        .unwrap()
}

/// The open direction of an application: (id, status).
async fn open_direction(t: &TestApp, application: i64) -> Option<(i64, String)> {
    sqlx::query_as(
        "SELECT id, status FROM directions
         WHERE application_id = $1 AND status IN ('issued', 'accepted')",
    )
    .bind(application)
    .fetch_optional(t.app.db.pool())
    .await
    .unwrap()
}

async fn direction_status(t: &TestApp, id: i64) -> String {
    sqlx::query_scalar("SELECT status FROM directions WHERE id = $1")
        .bind(id)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

async fn application_status(t: &TestApp, id: i64) -> (String, Option<i64>) {
    sqlx::query_as("SELECT status, stop_until FROM applications WHERE id = $1")
        .bind(id)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

/// (capacity, enrolled, open directions, open vacancies) of a group.
async fn counters(t: &TestApp, group: i64) -> (i64, i64, i64, i64) {
    sqlx::query_as(
        "SELECT capacity, enrolled, open_directions, open_vacancies FROM org_groups WHERE id = $1",
    )
    .bind(group)
    .fetch_one(t.app.db.pool())
    .await
    .unwrap()
}

async fn scalar(t: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

fn e164(phone: &str) -> String {
    kezek_domain::Phone::parse(phone)
        .unwrap()
        .as_e164()
        .to_owned()
}

#[tokio::test]
async fn a_published_place_goes_to_the_first_in_order_with_sms_and_notice() {
    let t = TestApp::start().await;
    let phone = "+7 701 400 00 01";
    let mut f = family(&t, phone).await;
    let (mut org_page, actor) = staff(&t, "+7 701 400 00 91", BALAPAN_BIN).await;
    let group = group_id(&t, "Балапандар").await;

    // Registered first, but on the stop-list after an earlier refusal.
    let (stopped, _) = waiting_child(&t, &f, "Ерлан", "Стопов", "kk").await;
    sqlx::query("UPDATE applications SET stop_until = $1 WHERE id = $2")
        .bind(t.app.now() + 5 * DAY)
        .bind(stopped)
        .execute(t.app.db.pool())
        .await
        .unwrap();
    let (general, _) = waiting_child(&t, &f, "Айгерим", "Ахметова", "kk").await;
    let (russian, _) = waiting_child(&t, &f, "Борис", "Русский", "ru").await;
    // Two extraordinary claims: one left unverified, one verified by the department.
    let mut claimed = Vec::new();
    for (first, last) in [("Дана", "Ожидаева"), ("Жанна", "Военная")] {
        let evidence = kezek_core::documents::upload(
            &t.app,
            &f.parent,
            f.parent.user_id,
            DocumentKind::PrivilegeEvidence,
            "spravka.pdf",
            b"%PDF-1.7 spravka",
            t.app.now(),
        )
        .await
        .unwrap();
        let iin = t.add_person(last, first, (2022, 3, 1), Sex::Female).await;
        let child = kezek_core::children::add_child(&t.app, &f.parent, &iin, "F", "")
            .await
            .unwrap();
        t.clock.advance(1);
        let mut input = regular(&f, &format!("key-{first}"));
        input.child_id = child.id;
        input.privilege = Some(PrivilegeClaim {
            category: "military".into(),
            document_ids: vec![evidence.id],
        });
        claimed.push(
            applications::submit(&t.app, &f.parent, "71", &input)
                .await
                .unwrap(),
        );
    }
    let (pending, verified) = (claimed[0], claimed[1]);
    let operator = kezek_core::accounts::create_staff(
        &t.app,
        Role::Department,
        "+7 701 400 00 92",
        STAFF_PASSWORD,
        StaffBinding {
            org_bin: None,
            kato: Some("710000000".into()),
        },
    )
    .await
    .unwrap();
    let operator = Actor {
        user_id: operator,
        ip: "198.51.100.30".into(),
    };
    verification::decide(
        &t.app,
        &operator,
        verified,
        What::Privilege,
        true,
        None,
        Lang::Ru,
    )
    .await
    .unwrap();

    // The first place, published through the organization's page, goes to the verified claim.
    let sms_before = t.sms_to(&e164(phone)).await.len();
    let today = kezek_domain::time::local_date(t.app.now()).to_string();
    let r = org_page
        .post(
            &format!("/org/groups/{group}/vacancies"),
            &[("count", "1"), ("available_from", &today)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (direction, status) = open_direction(&t, verified).await.expect("a direction");
    assert_eq!(status, "issued");
    assert_eq!(application_status(&t, verified).await.0, "direction_issued");
    assert_eq!(counters(&t, group).await, (25, 0, 1, 0));

    // The SMS names the organization, the group, the address and the deadline.
    let sms = t.sms_after(&e164(phone), sms_before).await;
    let last = sms.last().unwrap();
    assert!(last.starts_with("Kezek:"), "{last}");
    assert!(last.contains("направление"), "{last}");
    assert!(
        last.contains("Балапан") && last.contains("Балапандар"),
        "{last}"
    );
    assert!(last.contains("ул. Абая, 12"), "{last}");
    // The notice in the cabinet links to the direction.
    let r = f.client.get("/cabinet/notifications").await;
    assert!(
        r.body.contains(&format!("/cabinet/directions/{direction}")),
        "{}",
        r.body
    );
    let r = f.client.get("/cabinet/directions").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Балапан") && r.body.contains("принять до"),
        "{}",
        r.body
    );
    let r = f
        .client
        .get(&format!("/cabinet/directions/{direction}"))
        .await;
    assert!(
        r.body.contains("Принять") && r.body.contains("Отказаться"),
        "{}",
        r.body
    );
    let r = f.client.get("/cabinet").await;
    assert!(r.body.contains("/cabinet/directions"));

    // Then the general queue by date: the stop-listed child and the Russian-speaking one are
    // passed over; the unverified claim waits as general, after the earlier application.
    assert_eq!(publish(&t, &actor, group, 1).await, 1);
    assert!(open_direction(&t, general).await.is_some());
    assert_eq!(publish(&t, &actor, group, 1).await, 1);
    assert!(open_direction(&t, pending).await.is_some());
    // Nobody else fits: the place stays in the bulletin.
    assert_eq!(publish(&t, &actor, group, 1).await, 0);
    assert!(open_direction(&t, stopped).await.is_none());
    assert!(open_direction(&t, russian).await.is_none());
    assert_eq!(counters(&t, group).await, (25, 0, 3, 1));
    let r = t.client().get("/bulletin").await;
    assert!(
        r.body.contains("Балапандар"),
        "the free place is in the bulletin"
    );

    // The next run of the job finds nobody new either: nothing changes.
    assert_eq!(directions::allocate(&t.app, t.app.now()).await.unwrap(), 0);
    // Once the stop-list ends, the job gives the stopped child the remaining place.
    t.clock.advance(6 * DAY);
    assert_eq!(directions::allocate(&t.app, t.app.now()).await.unwrap(), 1);
    assert!(open_direction(&t, stopped).await.is_some());
    assert_eq!(counters(&t, group).await, (25, 0, 4, 0));
}

#[tokio::test]
async fn accept_then_enroll_signs_the_application_which_cannot_be_deleted() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+7 701 400 00 02").await;
    let (mut org, actor) = staff(&t, "+7 701 400 00 93", BALAPAN_BIN).await;
    let group = group_id(&t, "Балапандар").await;
    let (app_id, _) = waiting_child(&t, &f, "Айгерим", "Ахметова", "kk").await;
    assert_eq!(publish(&t, &actor, group, 1).await, 1);
    let (direction, _) = open_direction(&t, app_id).await.unwrap();

    let r = f
        .client
        .post(&format!("/cabinet/directions/{direction}/accept"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(direction_status(&t, direction).await, "accepted");
    let r = f
        .client
        .get(&format!("/cabinet/directions/{direction}"))
        .await;
    assert!(r.body.contains("зачислить до"), "{}", r.body);
    assert!(
        !r.body.contains(&format!("{direction}/accept")),
        "accepted once"
    );
    // Accepting again is refused with a message, not an error page.
    let r = f
        .client
        .post(&format!("/cabinet/directions/{direction}/accept"), &[])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("уже недоступно"), "{}", r.body);

    // The organization's page lists the child by full name; enrolling signs the application.
    let r = org.get("/org").await;
    assert!(r.body.contains("/org/directions"));
    let r = org.get("/org/directions").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Ахметова Айгерим"), "{}", r.body);
    assert!(
        r.body.contains("Зачислить") && r.body.contains("Вернуть") && r.body.contains("Продлить")
    );
    let r = org
        .post(&format!("/org/directions/{direction}/enroll"), &[])
        .await;
    assert_eq!(r.location(), Some("/org/directions"), "{}", r.body);
    assert_eq!(direction_status(&t, direction).await, "enrolled");
    assert_eq!(application_status(&t, app_id).await.0, "signed");
    assert_eq!(counters(&t, group).await, (25, 1, 0, 0));
    assert_eq!(
        scalar(&t, "SELECT COUNT(*) FROM vacancies WHERE status = 'filled'").await,
        1
    );
    let events: Vec<String> = sqlx::query_scalar(
        "SELECT event FROM application_events WHERE application_id = $1 ORDER BY id",
    )
    .bind(app_id)
    .fetch_all(t.app.db.pool())
    .await
    .unwrap();
    assert_eq!(
        events,
        [
            "submitted",
            "direction_issued",
            "direction_accepted",
            "signed"
        ]
    );
    // Enrolling twice does nothing more.
    let r = org
        .post(&format!("/org/directions/{direction}/enroll"), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(counters(&t, group).await, (25, 1, 0, 0));

    // A signed application cannot be deleted.
    assert!(matches!(
        applications::delete(&t.app, &f.parent, app_id).await,
        Err(ApplicationError::CannotDelete)
    ));
    // The child may leave later: the departure frees the place for the next one.
    let (next, _) = waiting_child(&t, &f, "Бота", "Нурланова", "kk").await;
    let today = kezek_domain::time::local_date(t.app.now()).to_string();
    let r = org
        .post(
            &format!("/org/groups/{group}/departures"),
            &[("left_on", &today), ("note", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(open_direction(&t, next).await.is_some(), "offered at once");
    assert_eq!(counters(&t, group).await, (25, 0, 1, 0));
}

#[tokio::test]
async fn refusing_puts_the_child_on_the_stop_list_and_passes_the_place_on() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+7 701 400 00 03").await;
    let (_, actor) = staff(&t, "+7 701 400 00 94", BALAPAN_BIN).await;
    let group = group_id(&t, "Балапандар").await;
    let (first, _) = waiting_child(&t, &f, "Айгерим", "Ахметова", "kk").await;
    let (second, _) = waiting_child(&t, &f, "Бота", "Нурланова", "kk").await;
    assert_eq!(publish(&t, &actor, group, 1).await, 1);
    let (direction, _) = open_direction(&t, first).await.unwrap();

    // Refusing asks first and says what the stop-list means.
    let r = f
        .client
        .get(&format!("/cabinet/directions/{direction}/refuse"))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("10 дней") && r.body.contains("стоп-лист"),
        "{}",
        r.body
    );
    assert!(r.body.contains("name=\"csrf\""));
    assert_eq!(
        direction_status(&t, direction).await,
        "issued",
        "asking changes nothing"
    );
    let r = f
        .client
        .post(&format!("/cabinet/directions/{direction}/refuse"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(direction_status(&t, direction).await, "refused");
    let (status, stop_until) = application_status(&t, first).await;
    assert_eq!(status, "queued");
    assert_eq!(stop_until, Some(t.app.now() + 10 * DAY));
    // The history keeps the queue date in force (unchanged: the region keeps the place).
    let (detail, registered): (String, i64) = sqlx::query_as(
        "SELECT e.detail, a.registered_at FROM application_events e
         JOIN applications a ON a.id = e.application_id
         WHERE e.application_id = $1 AND e.event = 'direction_refused'",
    )
    .bind(first)
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    let detail: serde_json::Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(detail["direction_id"], direction);
    assert_eq!(detail["queue_at"], registered);
    // The place went to the second child at once; the counters did not move.
    assert!(open_direction(&t, second).await.is_some());
    assert_eq!(counters(&t, group).await, (25, 0, 1, 0));
    // Refusing again is a message, not a change.
    let r = f
        .client
        .post(&format!("/cabinet/directions/{direction}/refuse"), &[])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_refused_place_is_never_offered_back_and_the_end_rule_requeues() {
    let t = TestApp::start().await;
    let f = family(&t, "+7 701 400 00 13").await;
    let (_, actor) = staff(&t, "+7 701 400 00 84", BALAPAN_BIN).await;
    let today = kezek_domain::time::local_date(t.app.now());
    let mut rules = kezek_core::region_rules::current(t.app.db.pool(), "71", today)
        .await
        .unwrap();
    rules.effective_from = today;
    rules.stop_list_days = 0;
    rules.after_stop_list = kezek_core::region_rules::AfterStopList::End;
    kezek_core::region_rules::save_version(&t.app.db, &actor, &rules, today, t.app.now())
        .await
        .unwrap();
    let group = group_id(&t, "Балапандар").await;
    let (first, _) = waiting_child(&t, &f, "Айгерим", "Ахметова", "kk").await;
    let (second, _) = waiting_child(&t, &f, "Бота", "Нурланова", "kk").await;
    assert_eq!(publish(&t, &actor, group, 1).await, 1);
    let (d1, _) = open_direction(&t, first).await.unwrap();
    t.clock.advance(60);
    kezek_core::directions::refuse(&t.app, &f.parent, d1)
        .await
        .unwrap();
    // No stop-list, but the same place is not offered back: it goes to the second child.
    let (d2, _) = open_direction(&t, second).await.unwrap();
    let (status, _) = application_status(&t, first).await;
    assert_eq!(status, "queued");
    // "End": the first child now queues from the refusal, behind the second.
    let queue_at: i64 = sqlx::query_scalar("SELECT queue_at FROM applications WHERE id = $1")
        .bind(first)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(queue_at, t.app.now());
    // The second refuses too: both held this place once, so it stays open in the bulletin.
    kezek_core::directions::refuse(&t.app, &f.parent, d2)
        .await
        .unwrap();
    assert!(open_direction(&t, first).await.is_none());
    assert!(open_direction(&t, second).await.is_none());
    assert_eq!(counters(&t, group).await.3, 1, "the place is open again");
    // A new place is another offer: the first in the queue now (the first child, who refused
    // first and so queues from an earlier time) gets it.
    assert_eq!(publish(&t, &actor, group, 1).await, 1);
    assert!(open_direction(&t, first).await.is_some());
}

#[tokio::test]
async fn a_deadline_passing_annuls_the_direction_and_the_next_child_gets_the_place() {
    let t = TestApp::start().await;
    let phone = "+7 701 400 00 04";
    let f = family(&t, phone).await;
    let (_, actor) = staff(&t, "+7 701 400 00 95", BALAPAN_BIN).await;
    let group = group_id(&t, "Балапандар").await;
    let (first, _) = waiting_child(&t, &f, "Айгерим", "Ахметова", "kk").await;
    let (second, _) = waiting_child(&t, &f, "Бота", "Нурланова", "kk").await;
    assert_eq!(publish(&t, &actor, group, 1).await, 1);
    let (d1, _) = open_direction(&t, first).await.unwrap();

    // Nothing lapses before the deadline.
    assert_eq!(
        directions::expire_due(&t.app, t.app.now()).await.unwrap(),
        0
    );
    let sent = t.sms_to(&e164(phone)).await.len();
    // Three working days are at most a fortnight, whatever the holidays.
    t.clock.advance(15 * DAY);
    assert_eq!(
        directions::expire_due(&t.app, t.app.now()).await.unwrap(),
        1
    );
    assert_eq!(direction_status(&t, d1).await, "expired");
    let (status, stop_until) = application_status(&t, first).await;
    assert_eq!(
        (status.as_str(), stop_until),
        ("queued", Some(t.app.now() + 10 * DAY))
    );
    let sms = t.sms_after(&e164(phone), sent).await;
    assert!(sms.iter().any(|m| m.contains("аннулировано")), "{sms:?}");
    let (d2, _) = open_direction(&t, second).await.expect("passed on");

    // An accepted direction lapses at the enrollment deadline.
    directions::accept(&t.app, &f.parent, d2).await.unwrap();
    t.clock.advance(15 * DAY);
    assert_eq!(
        directions::expire_due(&t.app, t.app.now()).await.unwrap(),
        1
    );
    assert_eq!(direction_status(&t, d2).await, "expired");
    // The first child's stop-list is over by now: the place comes back to them.
    assert!(open_direction(&t, first).await.is_some());
    assert_eq!(counters(&t, group).await, (25, 0, 1, 0));
}

#[tokio::test]
async fn one_extension_and_a_return_needs_its_reason() {
    let t = TestApp::start().await;
    let phone = "+7 701 400 00 05";
    let f = family(&t, phone).await;
    let (mut org, actor) = staff(&t, "+7 701 400 00 96", BALAPAN_BIN).await;
    let group = group_id(&t, "Балапандар").await;
    let (app_id, _) = waiting_child(&t, &f, "Айгерим", "Ахметова", "kk").await;
    assert_eq!(publish(&t, &actor, group, 1).await, 1);
    let (direction, _) = open_direction(&t, app_id).await.unwrap();
    let org_id = f.balapan;

    // Not before the parent accepts.
    assert!(matches!(
        directions::extend(&t.app, &actor, org_id, direction, 5).await,
        Err(DirectionError::Extension(ExtensionError::NotAccepted))
    ));
    directions::accept(&t.app, &f.parent, direction)
        .await
        .unwrap();
    let enroll_by: i64 = sqlx::query_scalar("SELECT enroll_by FROM directions WHERE id = $1")
        .bind(direction)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();

    // Mistakes come back beside the field with what was typed.
    let path = format!("/org/directions/{direction}/extend");
    let r = org.post(&path, &[("days", "много")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("от 1 до 30") && r.body.contains("value=\"много\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("aria-invalid=\"true\""));
    let r = org.post(&path, &[("days", "31")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = org.post(&path, &[("days", "7")]).await;
    assert_eq!(r.location(), Some("/org/directions"), "{}", r.body);
    let extended: i64 = sqlx::query_scalar("SELECT enroll_by FROM directions WHERE id = $1")
        .bind(direction)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(extended, enroll_by + 7 * DAY);
    // Once only.
    let r = org.post(&path, &[("days", "3")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("только один раз"), "{}", r.body);
    assert!(matches!(
        directions::extend(&t.app, &actor, org_id, direction, 3).await,
        Err(DirectionError::Extension(ExtensionError::AlreadyExtended))
    ));

    // Returning needs a reason.
    let path = format!("/org/directions/{direction}/return");
    let r = org.post(&path, &[("reason", "   ")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Укажите причину"), "{}", r.body);
    assert_eq!(direction_status(&t, direction).await, "accepted");
    let sent = t.sms_to(&e164(phone)).await.len();
    let r = org
        .post(&path, &[("reason", "Не представлены документы")])
        .await;
    assert_eq!(r.location(), Some("/org/directions"), "{}", r.body);
    assert_eq!(direction_status(&t, direction).await, "returned");
    assert_eq!(application_status(&t, app_id).await.0, "queued");
    let sms = t.sms_after(&e164(phone), sent).await;
    assert!(
        sms.last().unwrap().contains("Не представлены документы"),
        "{sms:?}"
    );
    // The place is free again, and nobody else waits: it stays in the bulletin.
    assert_eq!(counters(&t, group).await, (25, 0, 0, 1));
}

#[tokio::test]
async fn others_get_404_and_visitors_are_sent_to_login() {
    let t = TestApp::start().await;
    let mut f = family(&t, "+7 701 400 00 06").await;
    let (_, actor) = staff(&t, "+7 701 400 00 97", BALAPAN_BIN).await;
    let (mut other_org, other_actor) = staff(&t, "+7 701 400 00 98", AKBOTA_BIN).await;
    let group = group_id(&t, "Балапандар").await;
    let (app_id, _) = waiting_child(&t, &f, "Айгерим", "Ахметова", "kk").await;
    assert_eq!(publish(&t, &actor, group, 1).await, 1);
    let (direction, _) = open_direction(&t, app_id).await.unwrap();

    for path in ["enroll", "return", "extend"] {
        let r = other_org
            .post(
                &format!("/org/directions/{direction}/{path}"),
                &[("reason", "x"), ("days", "3")],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    let r = other_org.get("/org/directions").await;
    assert!(!r.body.contains("Ахметова"), "another organization's child");
    assert!(matches!(
        directions::enroll(&t.app, &other_actor, f.akbota, direction).await,
        Err(DirectionError::NotFound)
    ));
    let r = other_org.post("/org/directions/junk/enroll", &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Another parent sees nothing of it.
    let mut other = family(&t, "+7 701 400 00 07").await;
    for path in [
        format!("/cabinet/directions/{direction}"),
        format!("/cabinet/directions/{direction}/refuse"),
        "/cabinet/directions/0".to_owned(),
        "/cabinet/directions/abc".to_owned(),
    ] {
        assert_eq!(
            other.client.get(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let r = other
        .client
        .post(&format!("/cabinet/directions/{direction}/accept"), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(matches!(
        directions::refuse(&t.app, &other.parent, direction).await,
        Err(DirectionError::NotFound)
    ));
    assert_eq!(direction_status(&t, direction).await, "issued");
    // Staff do not use the parents' pages, nor parents the staff ones; visitors log in.
    assert_eq!(
        other_org.get("/cabinet/directions").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        f.client.get("/org/directions").await.status,
        StatusCode::FORBIDDEN
    );
    let r = t.client().get("/cabinet/directions").await;
    assert_eq!(r.location(), Some("/login"));
}

#[tokio::test]
async fn deleting_an_application_closes_its_direction_and_frees_the_place() {
    let t = TestApp::start().await;
    let f = family(&t, "+7 701 400 00 08").await;
    let (_, actor) = staff(&t, "+7 701 400 00 99", BALAPAN_BIN).await;
    let group = group_id(&t, "Балапандар").await;
    let (first, _) = waiting_child(&t, &f, "Айгерим", "Ахметова", "kk").await;
    let (second, _) = waiting_child(&t, &f, "Бота", "Нурланова", "kk").await;
    assert_eq!(publish(&t, &actor, group, 1).await, 1);
    let (direction, _) = open_direction(&t, first).await.unwrap();
    applications::delete(&t.app, &f.parent, first)
        .await
        .unwrap();
    assert_eq!(
        application_status(&t, first).await,
        ("deleted".into(), None)
    );
    assert_eq!(direction_status(&t, direction).await, "refused");
    let reason: Option<String> =
        sqlx::query_scalar("SELECT close_reason FROM directions WHERE id = $1")
            .bind(direction)
            .fetch_one(t.app.db.pool())
            .await
            .unwrap();
    assert_eq!(reason.as_deref(), Some("deleted"));
    assert!(open_direction(&t, second).await.is_some());
    assert_eq!(counters(&t, group).await, (25, 0, 1, 0));
}

#[tokio::test]
async fn concurrent_allocations_and_publications_never_double_book() {
    let t = TestApp::start_with(many_lookups).await;
    let f = family(&t, "+7 701 400 00 09").await;
    let (_, actor) = staff(&t, "+7 701 400 01 00", BALAPAN_BIN).await;
    let group = group_id(&t, "Балапандар").await;
    // More children than places; the group holds 25.
    let mut waiting = Vec::new();
    for i in 0..30 {
        waiting.push(
            waiting_child(&t, &f, &format!("Бала{i}"), "Көп", "kk")
                .await
                .0,
        );
    }
    // Some places first, so allocations race each other from the start.
    let today = kezek_domain::time::local_date(t.app.now());
    vacancies::publish(&t.app.db, &actor, group, 4, today, t.app.now())
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..25 {
        let app = t.app.clone();
        let actor = actor.clone();
        tasks.push(tokio::spawn(async move {
            let now = app.now();
            match i % 3 {
                0 => {
                    // Publications that together ask for more than the capacity.
                    // 4 + 9 × 3 > 25: exactly seven of the nine fit.
                    let _ = vacancies::publish(&app.db, &actor, group, 3, today, now).await;
                    directions::allocate_group(&app, group, now).await.unwrap()
                }
                1 => directions::allocate(&app, now).await.unwrap(),
                _ => directions::allocate_group(&app, group, now).await.unwrap(),
            }
        }));
    }
    let mut issued = 0;
    for task in tasks {
        issued += task.await.unwrap();
    }
    // Whatever was left is offered by one more run.
    issued += directions::allocate(&t.app, t.app.now()).await.unwrap();

    let open = scalar(
        &t,
        "SELECT COUNT(*) FROM directions WHERE status IN ('issued', 'accepted')",
    )
    .await;
    assert_eq!(open as usize, issued, "every direction counted once");
    let (capacity, enrolled, open_directions, open_vacancies) = counters(&t, group).await;
    assert_eq!(open_directions, open);
    assert!(enrolled + open_directions + open_vacancies <= capacity);
    assert_eq!(
        open_directions + open_vacancies,
        capacity,
        "all 25 published"
    );
    assert_eq!(open, 25, "30 children wait: every place found one");
    // One open direction per place and per child, and the vacancies agree.
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(DISTINCT vacancy_id) FROM directions WHERE status IN ('issued', 'accepted')"
        )
        .await,
        open
    );
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(DISTINCT child_id) FROM directions WHERE status IN ('issued', 'accepted')"
        )
        .await,
        open
    );
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(*) FROM vacancies WHERE status = 'directed'"
        )
        .await,
        open
    );
    assert_eq!(
        scalar(&t, "SELECT COUNT(*) FROM vacancies WHERE status = 'open'").await,
        open_vacancies
    );
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(*) FROM applications WHERE status = 'direction_issued'"
        )
        .await,
        open
    );
    // Directions went in queue order: the first 25 registered.
    for (i, id) in waiting.iter().enumerate() {
        assert_eq!(open_direction(&t, *id).await.is_some(), i < 25, "child {i}");
    }
    // The protocol holds every issue once, in one unbroken chain.
    let records = protocol::all(t.app.db.pool(), "71").await.unwrap();
    assert_eq!(records.len(), 25);
    assert!(protocol::verify(&records).is_ok());
}

#[tokio::test]
async fn the_public_protocol_verifies_and_a_tampered_copy_does_not() {
    let t = TestApp::start().await;
    let f = family(&t, "+7 701 400 00 10").await;
    let (_, actor) = staff(&t, "+7 701 400 01 01", BALAPAN_BIN).await;
    let group = group_id(&t, "Балапандар").await;
    let (first, _) = waiting_child(&t, &f, "Айгерим", "Ахметова", "kk").await;
    let (second, _) = waiting_child(&t, &f, "Бота", "Нурланова", "kk").await;
    assert_eq!(publish(&t, &actor, group, 2).await, 2);
    let (d1, _) = open_direction(&t, first).await.unwrap();
    let (d2, _) = open_direction(&t, second).await.unwrap();
    directions::accept(&t.app, &f.parent, d1).await.unwrap();
    directions::enroll(&t.app, &actor, f.balapan, d1)
        .await
        .unwrap();
    directions::refuse(&t.app, &f.parent, d2).await.unwrap();

    // The page: newest first, masked children, the head hash explained.
    let mut visitor = t.client();
    let r = visitor.get("/protocol").await;
    assert_eq!(r.status, StatusCode::OK);
    let records = protocol::all(t.app.db.pool(), "71").await.unwrap();
    let events: Vec<&str> = records.iter().map(|r| r.event.as_str()).collect();
    assert_eq!(
        events,
        ["issued", "issued", "accepted", "enrolled", "refused"]
    );
    let head = &records.last().unwrap().hash;
    assert!(r.body.contains(head.as_str()), "the head hash is shown");
    assert!(
        r.body.contains("А*** А.") && !r.body.contains("Ахметова"),
        "masked"
    );
    assert!(r.body.contains("SHA-256"));

    // The downloads are attachments, and the CLI verifies them.
    let dir = tempfile::tempdir().unwrap();
    for (path, name) in [("/protocol.csv", "p.csv"), ("/protocol.json", "p.json")] {
        let r = visitor.get(path).await;
        assert_eq!(r.status, StatusCode::OK);
        let disposition = r.headers["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment"), "{disposition}");
        let file = dir.path().join(name);
        std::fs::write(&file, &r.body).unwrap();
        let (ok, out) = verify_cli(dir.path(), &file, None);
        assert!(ok, "{out}");
        assert_eq!(out.trim(), format!("OK: 5 entries, last hash {head}"));
        let (ok, out) = verify_cli(dir.path(), &file, Some(head));
        assert!(ok, "{out}");
    }

    // A changed field is found at its entry.
    let csv = std::fs::read_to_string(dir.path().join("p.csv")).unwrap();
    let tampered = csv.replacen(",1,general,", ",7,general,", 1);
    assert_ne!(tampered, csv);
    let file = dir.path().join("changed.csv");
    std::fs::write(&file, tampered).unwrap();
    let (ok, out) = verify_cli(dir.path(), &file, None);
    assert!(!ok, "{out}");
    assert!(out.contains("BROKEN: first broken entry seq 1"), "{out}");
    // So is a removed entry.
    let lines: Vec<&str> = csv.lines().collect();
    let removed = [&lines[..3], &lines[4..]].concat().join("\n");
    let file = dir.path().join("removed.csv");
    std::fs::write(&file, removed).unwrap();
    let (ok, out) = verify_cli(dir.path(), &file, None);
    assert!(!ok && out.contains("seq 4"), "{out}");
    // A chain rewritten from scratch verifies by itself, but not against the published head.
    let mut rewritten = records.clone();
    rewritten.truncate(4);
    let file = dir.path().join("short.json");
    std::fs::write(&file, protocol::to_json("71", &rewritten)).unwrap();
    let (ok, _) = verify_cli(dir.path(), &file, None);
    assert!(ok);
    let (ok, out) = verify_cli(dir.path(), &file, Some(head));
    assert!(!ok && out.contains("BROKEN"), "{out}");
    // And in the database the record cannot be rewritten at all.
    assert!(
        sqlx::query("UPDATE protocol_entries SET position = 1")
            .execute(t.app.db.pool())
            .await
            .is_err()
    );
    assert!(
        sqlx::query("DELETE FROM protocol_entries")
            .execute(t.app.db.pool())
            .await
            .is_err()
    );
}

fn verify_cli(dir: &std::path::Path, file: &std::path::Path, head: Option<&str>) -> (bool, String) {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kezek"));
    cmd.args(["protocol", "verify"])
        .arg(file)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("KEZEK_CONFIG");
    if let Some(head) = head {
        cmd.args(["--head", head]);
    }
    let out = cmd.output().expect("kezek runs");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[tokio::test]
async fn the_protocol_csv_defuses_formulas_and_still_verifies() {
    const EVIL: &str = "=HYPERLINK(\"http://evil\")";
    let t = TestApp::start().await;
    let f = family(&t, "+7 701 400 00 11").await;
    let (_, actor) = staff(&t, "+7 701 400 01 02", BALAPAN_BIN).await;
    let group = group_id(&t, "Балапандар").await;
    sqlx::query("UPDATE org_groups SET name = $1 WHERE id = $2")
        .bind(EVIL)
        .bind(group)
        .execute(t.app.db.pool())
        .await
        .unwrap();
    waiting_child(&t, &f, "Айгерим", "Ахметова", "kk").await;
    assert_eq!(publish(&t, &actor, group, 1).await, 1);
    let records = protocol::all(t.app.db.pool(), "71").await.unwrap();
    assert_eq!(
        records[0].group_name, EVIL,
        "the protocol records the name as it is"
    );

    let r = t.client().get("/protocol.csv").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains(",\"'=HYPERLINK(\"\"http://evil\"\")\","),
        "{}",
        r.body
    );
    for line in r.body.lines() {
        for risky in [",=", ",\"=", ",+", ",\"+", ",@", ",\"@"] {
            assert!(!line.contains(risky), "a formula cell in {line}");
        }
    }
    // The download reads back as the site holds it, so its hashes still check out.
    let read = protocol::parse(r.body.as_bytes()).unwrap();
    assert_eq!(read, records);
    assert!(protocol::verify(&read).is_ok());
}
