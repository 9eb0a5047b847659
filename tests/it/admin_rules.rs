//! Region rules as dated versions and the working-day calendar, through the administrator's
//! pages: a version applies from its date on, refusals keep what was typed, every change is
//! audited, and only administrators get in.

use axum::http::StatusCode;
use chrono::{Days, NaiveDate};
use kezek_core::calendar_days;
use kezek_core::region_rules::{self, AfterStopList};
use kezek_domain::calendar::Calendar;
use kezek_domain::queue::Category;

use crate::admin_cabinet::{ADMIN_PASSWORD, ADMIN_PHONE, admin};
use crate::harness::TestApp;
use crate::vacancies::group_with_capacity;

/// The "new version" form as the page fills it for the rules set up with the installation,
/// effective `effective_from`, with `changes` applied.
pub fn region_form<'a>(
    effective_from: &'a str,
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("effective_from", effective_from),
        ("max_preferred_orgs", "4"),
        ("precedence", "extraordinary,first_priority,general"),
        ("interleave_first_priority", "1"),
        ("interleave_general", "3"),
        ("accept_working_days", "3"),
        ("enroll_working_days", "5"),
        ("extension_max_days", "30"),
        ("stop_list_days", "10"),
        ("after_stop_list", "keep"),
    ];
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        fields.push((*name, *value));
    }
    fields
}

fn today(t: &TestApp) -> NaiveDate {
    kezek_domain::time::local_date(t.app.now())
}

fn iso(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The newest audit entry with `action`: its actor, subject and detail.
async fn last_audit(t: &TestApp, action: &str) -> (Option<i64>, Option<String>, serde_json::Value) {
    let (actor, subject, detail): (Option<i64>, Option<String>, String) = sqlx::query_as(
        "SELECT actor_user_id, subject, detail FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(action)
    .fetch_one(t.app.db.pool())
    .await
    .unwrap_or_else(|e| panic!("no {action} entry: {e}"));
    (actor, subject, serde_json::from_str(&detail).unwrap())
}

async fn count_audit(t: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn admin_region_versions_apply_from_their_date() {
    let t = TestApp::start().await;
    let (mut c, admin_id) = admin(&t).await;
    let pool = t.app.db.pool();
    let today = today(&t);
    let today_iso = iso(today);

    let r = c.get("/admin/regions").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("href=\"/admin/regions/71\"") && r.body.contains("1 : 3"),
        "{}",
        r.body
    );
    let r = c.get("/admin/regions/71").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains(&format!("value=\"{today_iso}\"")),
        "the effective date defaults to today: {}",
        r.body
    );
    assert!(r.body.contains("name=\"max_preferred_orgs\""));
    assert!(
        r.body
            .contains("<option value=\"extraordinary,first_priority,general\" selected>")
            && r.body
                .contains("<option value=\"general,first_priority,extraordinary\">")
            && r.body.contains("<option value=\"end\">"),
        "six category orders and two stop-list outcomes: {}",
        r.body
    );
    assert_eq!(
        c.get("/admin/regions/99").await.status,
        StatusCode::NOT_FOUND
    );

    // Effective today: in force at once.
    let r = c
        .post(
            "/admin/regions/71",
            &region_form(&today_iso, &[("max_preferred_orgs", "6")]),
        )
        .await;
    assert_eq!(r.location(), Some("/admin/regions/71"));
    let r = c.get("/admin/regions/71").await;
    assert!(
        r.body.contains("Новая версия правил сохранена"),
        "{}",
        r.body
    );
    assert_eq!(
        region_rules::max_preferred_orgs(pool, "71", today)
            .await
            .unwrap(),
        6
    );
    let (actor, subject, detail) = last_audit(&t, "region.rules_changed").await;
    assert_eq!((actor, subject.as_deref()), (Some(admin_id), Some("71")));
    assert_eq!(detail["before"]["max_preferred_orgs"], 4);
    assert_eq!(detail["after"]["max_preferred_orgs"], 6);
    assert_eq!(detail["after"]["effective_from"], today_iso.as_str());

    // Effective in ten days: nothing changes before then.
    let later = today + Days::new(10);
    let later_iso = iso(later);
    let r = c
        .post(
            "/admin/regions/71",
            &region_form(
                &later_iso,
                &[
                    ("max_preferred_orgs", "8"),
                    ("precedence", "first_priority,extraordinary,general"),
                    ("interleave_general", "0"),
                    ("stop_list_days", "20"),
                    ("after_stop_list", "end"),
                ],
            ),
        )
        .await;
    assert_eq!(r.location(), Some("/admin/regions/71"));
    let now = region_rules::current(pool, "71", today).await.unwrap();
    assert_eq!(now.max_preferred_orgs, 6);
    let the_day_before = region_rules::current(pool, "71", later - Days::new(1))
        .await
        .unwrap();
    assert_eq!(the_day_before.max_preferred_orgs, 6);
    let then = region_rules::current(pool, "71", later).await.unwrap();
    assert_eq!(then.max_preferred_orgs, 8);
    assert_eq!(
        then.queue.precedence,
        [
            Category::FirstPriority,
            Category::Extraordinary,
            Category::General
        ]
    );
    assert_eq!(
        (
            then.queue.interleave_general,
            then.stop_list_days,
            then.after_stop_list
        ),
        (0, 20, AfterStopList::End)
    );
    let (_, _, detail) = last_audit(&t, "region.rules_changed").await;
    assert_eq!(detail["before"]["max_preferred_orgs"], 6);
    assert_eq!(detail["after"]["after_stop_list"], "end");

    let history = region_rules::versions(pool, "71").await.unwrap();
    assert_eq!(
        history.iter().map(|v| v.effective_from).collect::<Vec<_>>()[..2],
        [later, today],
        "newest first"
    );
    let r = c.get("/admin/regions/71").await;
    let scheduled = r.body.find("запланирована").expect("the future version");
    let in_force = r.body.find("действует</small>").expect("today's version");
    assert!(scheduled < in_force, "newest first");
    assert!(r.body.contains("+7 700 900 00 01"), "who added it");
    let r = c.get("/admin/regions").await;
    assert!(
        r.body
            .contains(&format!("новая версия с {}", later.format("%d.%m.%Y"))),
        "{}",
        r.body
    );

    // Ten days later the new version is in force (the session has ended by then).
    t.clock.advance(10 * 24 * 3600);
    assert_eq!(
        region_rules::max_preferred_orgs(pool, "71", kezek_domain::time::local_date(t.app.now()))
            .await
            .unwrap(),
        8
    );
    let mut c = t.client();
    c.login(ADMIN_PHONE, ADMIN_PASSWORD).await;
    let r = c.get("/admin/regions/71").await;
    assert!(
        r.body.contains("value=\"8\""),
        "the form starts from the version in force: {}",
        r.body
    );
    assert!(r.body.contains("строгий порядок"), "{}", r.body);
}

#[tokio::test]
async fn admin_region_refusals_keep_what_was_typed() {
    let t = TestApp::start().await;
    let (mut c, _) = admin(&t).await;
    let pool = t.app.db.pool();
    let today = today(&t);
    let today_iso = iso(today);
    let versions_before = region_rules::versions(pool, "71").await.unwrap().len();

    let yesterday = iso(today - Days::new(1));
    let r = c
        .post("/admin/regions/71", &region_form(&yesterday, &[]))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("f-effective_from-error") && r.body.contains("раньше сегодняшней"),
        "{}",
        r.body
    );
    assert!(r.body.contains(&format!("value=\"{yesterday}\"")));
    let r = c
        .post("/admin/regions/71", &region_form("31.02.2026", &[]))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("f-effective_from-error") && r.body.contains("value=\"31.02.2026\""));

    for (name, bad, message) in [
        ("max_preferred_orgs", "0", "от 1 до 10"),
        ("max_preferred_orgs", "11", "от 1 до 10"),
        ("max_preferred_orgs", "много", "от 1 до 10"),
        ("interleave_first_priority", "21", "от 0 до 20"),
        ("interleave_general", "-1", "от 0 до 20"),
        ("accept_working_days", "0", "от 1 до 30"),
        ("accept_working_days", "31", "от 1 до 30"),
        ("enroll_working_days", "61", "от 1 до 60"),
        ("extension_max_days", "31", "от 0 до 30"),
        ("stop_list_days", "366", "от 0 до 365"),
        ("stop_list_days", "", "от 0 до 365"),
    ] {
        let r = c
            .post(
                "/admin/regions/71",
                &region_form(&today_iso, &[(name, bad)]),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}={bad}");
        assert!(
            r.body.contains(&format!("f-{name}-error")) && r.body.contains(message),
            "{name}={bad}: {}",
            r.body
        );
        assert!(
            r.body.contains(&format!("value=\"{bad}\"")),
            "{name}={bad} is kept"
        );
        assert_eq!(
            r.body.matches("class=\"error\"").count(),
            1,
            "{name}={bad}: only that field"
        );
    }
    for (name, bad) in [
        ("precedence", "general,general,general"),
        ("after_stop_list", "later"),
    ] {
        let r = c
            .post(
                "/admin/regions/71",
                &region_form(&today_iso, &[(name, bad)]),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}={bad}");
        assert!(r.body.contains(&format!("f-{name}-error")), "{}", r.body);
    }

    // Several at once: each message beside its field, the other values kept.
    let r = c
        .post(
            "/admin/regions/71",
            &region_form(
                &today_iso,
                &[
                    ("max_preferred_orgs", "12"),
                    ("stop_list_days", "400"),
                    ("accept_working_days", "7"),
                ],
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("f-max_preferred_orgs-error") && r.body.contains("f-stop_list_days-error")
    );
    assert!(r.body.contains("value=\"7\"") && r.body.contains("value=\"12\""));

    assert_eq!(
        region_rules::versions(pool, "71").await.unwrap().len(),
        versions_before,
        "nothing was stored"
    );
    assert_eq!(count_audit(&t, "region.rules_changed").await, 0);
    assert_eq!(
        c.post("/admin/regions/99", &region_form(&today_iso, &[]))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn admin_calendar_lists_holidays_and_keeps_exceptions() {
    let t = TestApp::start().await;
    let (mut c, admin_id) = admin(&t).await;
    let pool = t.app.db.pool();

    let r = c.get("/admin/calendar?year=2026").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Наурыз мейрамы") && r.body.contains("23.03.2026"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("24.03.2026") && r.body.contains("перенесен с выходного"),
        "Nauryz on Saturday moves to the next weekdays"
    );
    assert!(r.body.contains("Исключений на этот год нет"));
    assert!(
        c.get("/admin")
            .await
            .body
            .contains("href=\"/admin/calendar\"")
    );

    // Saturday 3 January 2026 made a working day.
    let saturday = date(2026, 1, 3);
    assert!(!Calendar::default().is_working_day(saturday));
    let r = c
        .post(
            "/admin/calendar",
            &[
                ("day", "03.01.2026"),
                ("kind", "working_day"),
                ("note", "Постановление № 1"),
            ],
        )
        .await;
    assert_eq!(r.location(), Some("/admin/calendar?year=2026"));
    let calendar = calendar_days::calendar(pool).await.unwrap();
    assert!(calendar.is_working_day(saturday));
    assert_eq!(
        calendar.add_working_days(date(2026, 1, 1), 1),
        saturday,
        "deadlines count it"
    );
    let r = c.get("/admin/calendar?year=2026").await;
    assert!(
        r.body.contains("Исключение сохранено")
            && r.body.contains("03.01.2026")
            && r.body.contains("Постановление № 1")
            && r.body.contains("/admin/calendar/2026-01-03/delete"),
        "{}",
        r.body
    );
    let (actor, subject, detail) = last_audit(&t, "calendar.changed").await;
    assert_eq!(
        (actor, subject.as_deref()),
        (Some(admin_id), Some("2026-01-03"))
    );
    assert!(detail["before"].is_null());
    assert_eq!(detail["after"]["kind"], "working_day");
    assert_eq!(detail["after"]["note"], "Постановление № 1");

    // Tuesday 6 January made a day off, then its note changed: the row is replaced.
    for note in ["первое", "второе"] {
        let r = c
            .post(
                "/admin/calendar",
                &[("day", "2026-01-06"), ("kind", "day_off"), ("note", note)],
            )
            .await;
        assert_eq!(r.location(), Some("/admin/calendar?year=2026"));
    }
    let (_, _, detail) = last_audit(&t, "calendar.changed").await;
    assert_eq!(detail["before"]["note"], "первое");
    assert_eq!(detail["after"]["note"], "второе");
    assert_eq!(calendar_days::list(pool, 2026).await.unwrap().len(), 2);
    assert!(calendar_days::list(pool, 2025).await.unwrap().is_empty());
    assert!(
        !calendar_days::calendar(pool)
            .await
            .unwrap()
            .is_working_day(date(2026, 1, 6))
    );

    // Refusals: translated, beside their field, what was typed kept.
    let long_note = "д".repeat(201);
    for (fields, field, message) in [
        (
            [("day", "07.03.2026"), ("kind", "day_off"), ("note", "")],
            "kind",
            "и так выходной",
        ),
        (
            [("day", "23.03.2026"), ("kind", "day_off"), ("note", "")],
            "kind",
            "и так выходной",
        ),
        (
            [("day", "10.03.2026"), ("kind", "working_day"), ("note", "")],
            "kind",
            "и так рабочий",
        ),
        (
            [
                ("day", "10.03.2026"),
                ("kind", "day_off"),
                ("note", long_note.as_str()),
            ],
            "note",
            "не длиннее 200",
        ),
        (
            [("day", "30.02.2026"), ("kind", "day_off"), ("note", "")],
            "day",
            "ДД.ММ.ГГГГ",
        ),
        (
            [("day", "10.03.2026"), ("kind", "holiday"), ("note", "")],
            "kind",
            "выходной или рабочий",
        ),
    ] {
        let r = c.post("/admin/calendar", &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(
            r.body.contains(&format!("f-{field}-error")) && r.body.contains(message),
            "{fields:?}: {}",
            r.body
        );
        assert!(
            r.body.contains(&format!("value=\"{}\"", fields[0].1)),
            "the date is kept"
        );
        if field == "note" {
            assert!(r.body.contains(&format!("value=\"{long_note}\"")));
        }
    }
    assert_eq!(calendar_days::list(pool, 2026).await.unwrap().len(), 2);

    // Removed: the statutory calendar applies again.
    let r = c.post("/admin/calendar/2026-01-03/delete", &[]).await;
    assert_eq!(r.location(), Some("/admin/calendar?year=2026"));
    assert!(
        !calendar_days::calendar(pool)
            .await
            .unwrap()
            .is_working_day(saturday)
    );
    let (_, subject, detail) = last_audit(&t, "calendar.changed").await;
    assert_eq!(subject.as_deref(), Some("2026-01-03"));
    assert_eq!(detail["before"]["kind"], "working_day");
    assert!(detail["after"].is_null());
    assert!(
        c.get("/admin/calendar?year=2026")
            .await
            .body
            .contains("Исключение убрано")
    );
    assert_eq!(
        c.post("/admin/calendar/2026-01-03/delete", &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.post("/admin/calendar/someday/delete", &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn admin_rules_and_calendar_are_for_administrators_only() {
    let t = TestApp::start().await;
    let (mut admin, _) = admin(&t).await;
    group_with_capacity(&t, 3).await;
    let mut org = t.client();
    org.login("+77007000001", "staff password 1").await;
    let (mut parent, _) = t.register_parent("+77011112244", "parent password 1").await;
    parent.login("+77011112244", "parent password 1").await;
    let mut visitor = t.client();
    let today_iso = iso(today(&t));
    let form = region_form(&today_iso, &[("max_preferred_orgs", "9")]);
    let exception = [("day", "2026-01-03"), ("kind", "working_day"), ("note", "")];

    for path in [
        "/admin/regions",
        "/admin/regions/71",
        "/admin/calendar?year=2026",
    ] {
        assert_eq!(admin.get(path).await.status, StatusCode::OK, "{path}");
        for c in [&mut org, &mut parent] {
            assert_eq!(c.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        assert_eq!(visitor.get(path).await.location(), Some("/login"), "{path}");
    }
    for c in [&mut org, &mut parent] {
        assert_eq!(
            c.post("/admin/regions/71", &form).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            c.post("/admin/calendar", &exception).await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        visitor.post("/admin/calendar", &exception).await.location(),
        Some("/login")
    );
    assert_eq!(
        region_rules::max_preferred_orgs(t.app.db.pool(), "71", today(&t))
            .await
            .unwrap(),
        4
    );
    assert!(
        calendar_days::list(t.app.db.pool(), 2026)
            .await
            .unwrap()
            .is_empty()
    );

    // An exception the administrator made cannot be removed by anyone else either.
    admin.post("/admin/calendar", &exception).await;
    for c in [&mut org, &mut parent] {
        assert_eq!(
            c.post("/admin/calendar/2026-01-03/delete", &[])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        calendar_days::list(t.app.db.pool(), 2026)
            .await
            .unwrap()
            .len(),
        1
    );
}
