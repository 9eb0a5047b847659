//! Traffic without a login is shed per address and as a crowd, with 429 and Retry-After, even
//! when a burst arrives all at once; logged-in users, static files and /healthz never are; and
//! a hot public page is rendered once per change, never shown stale after a change.

use axum::http::StatusCode;
use kezek_core::config::AnonymousLimits;

use crate::harness::{Client, TestApp};
use crate::vacancies::group_with_capacity;

fn limited(
    rate: u32,
    burst: u32,
    in_flight: usize,
) -> impl FnOnce(&mut kezek_core::config::Settings) {
    move |s| {
        s.anonymous_limits = AnonymousLimits {
            rate,
            burst,
            in_flight,
        }
    }
}

fn from(t: &TestApp, ip: &str) -> Client {
    let mut c = t.client();
    c.ip = ip.into();
    c
}

#[tokio::test]
async fn a_parallel_burst_from_one_address_gets_exactly_its_burst() {
    // One token a minute: nothing grows back while the burst is answered.
    let t = TestApp::start_with(limited(1, 5, 0)).await;
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let mut c = from(&t, "203.0.113.9");
        tasks.push(tokio::spawn(async move { c.get("/catalog").await }));
    }
    let mut answered = 0;
    for task in tasks {
        let r = task.await.unwrap();
        match r.status {
            StatusCode::OK => answered += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                let secs: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
                assert!(secs >= 1, "Retry-After {secs}");
                assert!(r.body.contains("Слишком много запросов"), "{}", r.body);
            }
            other => panic!("unexpected {other}: {}", r.body),
        }
    }
    assert_eq!(answered, 5);
    // Another address is not affected; the API answers in its own format.
    assert_eq!(
        from(&t, "203.0.113.10").get("/catalog").await.status,
        StatusCode::OK
    );
    let mut api = from(&t, "203.0.113.11");
    for _ in 0..5 {
        api.get("/api/v1/vacancies?region=71").await;
    }
    let r = api.get("/api/v1/vacancies?region=71").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("\"too_many_requests\""), "{}", r.body);
    assert!(r.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn logged_in_users_static_files_and_health_checks_are_never_shed() {
    let t = TestApp::start_with(limited(1, 3, 0)).await;
    let (_, group, _) = group_with_capacity(&t, 3).await;
    let mut staff = from(&t, "203.0.113.20");
    assert_eq!(
        staff
            .login("+77007000001", "staff password 1")
            .await
            .location(),
        Some("/org")
    );
    // The same address, spent by anonymous requests…
    let mut anonymous = from(&t, "203.0.113.20");
    for _ in 0..5 {
        anonymous.get("/static/app.css").await;
        assert_eq!(anonymous.get("/healthz").await.status, StatusCode::OK);
        anonymous.get("/bulletin").await;
    }
    assert_eq!(
        anonymous.get("/bulletin").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        anonymous.get("/static/app.css").await.status,
        StatusCode::OK
    );
    // …still serves the logged-in member of staff, page after page.
    for _ in 0..20 {
        let r = staff.get(&format!("/org/groups/{group}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    // A made-up session cookie is no login: it is counted as anonymous.
    let mut forged = from(&t, "203.0.113.20");
    forged
        .cookies
        .insert("kezek_session".into(), "0".repeat(64));
    assert_eq!(
        forged.get("/bulletin").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn a_crowd_beyond_the_cap_is_shed_while_logged_in_users_are_served() {
    // No per-address limit, at most 2 anonymous requests at once.
    let t = TestApp::start_with(limited(0, 0, 2)).await;
    let (_, _, _) = group_with_capacity(&t, 3).await;
    let mut staff = from(&t, "203.0.113.30");
    staff.login("+77007000001", "staff password 1").await;
    let mut tasks = Vec::new();
    for i in 0..60 {
        let mut c = from(&t, &format!("203.0.113.{}", 100 + i));
        tasks.push(tokio::spawn(async move { c.get("/catalog").await.status }));
    }
    let mut staff_tasks = Vec::new();
    for _ in 0..20 {
        let mut c = Client {
            router: staff.router.clone(),
            cookies: staff.cookies.clone(),
            ip: staff.ip.clone(),
            accept_language: "ru".into(),
        };
        staff_tasks.push(tokio::spawn(async move { c.get("/catalog").await.status }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::OK || *s == StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    assert!(statuses.contains(&StatusCode::OK));
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "60 at once against a cap of 2: {statuses:?}"
    );
    for task in staff_tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
}

#[tokio::test]
async fn a_public_page_is_reused_until_something_changes_through_the_site() {
    let t = TestApp::start_with(|s| s.public_cache_ttl = std::time::Duration::from_secs(60)).await;
    let (_, group, _) = group_with_capacity(&t, 3).await;
    let mut visitor = from(&t, "203.0.113.40");
    visitor.get("/region?code=71&back=/").await;
    let before = visitor.get("/bulletin").await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(
        !before.body.contains("Балапандар"),
        "no place is published yet"
    );
    // A change outside the site (another process) waits for the page's lifetime…
    sqlx::query("UPDATE organizations SET name_ru = name_ru || ' (переименован)'")
        .execute(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(visitor.get("/bulletin").await.body, before.body);
    // …one made through the site is shown at once.
    let mut staff = from(&t, "203.0.113.41");
    staff.login("+77007000001", "staff password 1").await;
    let r = staff
        .post(
            &format!("/org/groups/{group}/vacancies"),
            &[("count", "2"), ("available_from", "01.12.2026")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = visitor.get("/bulletin").await;
    assert!(after.body.contains("Балапандар"), "{}", after.body);
    // Languages are different pages, and a logged-in user's page is their own.
    visitor.accept_language = "kk".into();
    let kk = visitor.get("/bulletin").await;
    assert_ne!(kk.body, after.body);
    let own = staff.get("/bulletin").await;
    assert!(own.body.contains("/logout"), "the staff member's header");
    assert!(!visitor.get("/bulletin").await.body.contains("/logout"));
}
