//! The accounts' defences under pressure: the login lockout against parallel bursts, nothing
//! anonymous reaching the password hasher before the cheap checks, phone changes that need the
//! password, and one-time codes that do not outlive their delivery.

use axum::http::StatusCode;

use crate::harness::{Client, TestApp};

const PASSWORD: &str = "жаңа пароль 2026";

/// Sends every `(client, phone, password)` login at once; the statuses, in any order.
async fn login_burst(logins: Vec<(Client, String, String)>) -> Vec<StatusCode> {
    let tasks: Vec<_> = logins
        .into_iter()
        .map(|(mut c, phone, password)| {
            tokio::spawn(async move { c.login(&phone, &password).await.status })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses
}

fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_parallel_burst_of_wrong_logins_gets_no_more_checks_than_the_lockout_allows() {
    let t = TestApp::start().await;
    let phone = "+77012230000";
    t.register_parent(phone, PASSWORD).await;
    let before = t.app.hasher.evaluations();

    let mut burst = Vec::new();
    for _ in 0..60 {
        let mut c = t.client();
        c.get("/").await;
        burst.push((c, phone.to_owned(), "not the password".to_owned()));
    }
    let statuses = login_burst(burst).await;
    let checked = t.app.hasher.evaluations() - before;
    assert!(checked <= 10, "{checked} passwords were checked");
    assert!(
        count(&statuses, StatusCode::UNAUTHORIZED) <= 10,
        "{statuses:?}"
    );
    assert_eq!(
        count(&statuses, StatusCode::UNAUTHORIZED)
            + count(&statuses, StatusCode::TOO_MANY_REQUESTS),
        60,
        "{statuses:?}"
    );

    // Locked: even the right password is not checked.
    let mut c = t.client();
    let before = t.app.hasher.evaluations();
    let r = c.login(phone, PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("Слишком много неудачных попыток входа"));
    assert_eq!(t.app.hasher.evaluations(), before);

    // The window over, the right password works, and right passwords do not count as failures.
    t.clock.advance(15 * 60 + 1);
    for _ in 0..12 {
        let mut c = t.client();
        assert_eq!(c.login(phone, PASSWORD).await.location(), Some("/cabinet"));
    }
    let r = t.client().login(phone, "not the password").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_parallel_burst_from_one_address_over_many_phones_stops_at_the_address_limit() {
    let t = TestApp::start().await;
    let before = t.app.hasher.evaluations();
    let mut burst = Vec::new();
    for n in 0..70 {
        let mut c = t.client();
        c.get("/").await;
        burst.push((c, format!("+7701300{n:04}"), "not the password".to_owned()));
    }
    let statuses = login_burst(burst).await;
    let checked = t.app.hasher.evaluations() - before;
    assert!(checked <= 50, "{checked} passwords were checked");
    assert!(
        count(&statuses, StatusCode::UNAUTHORIZED) <= 50,
        "{statuses:?}"
    );
    assert!(
        count(&statuses, StatusCode::TOO_MANY_REQUESTS) >= 20,
        "{statuses:?}"
    );

    // Another address is not affected.
    let mut other = t.client();
    other.ip = "203.0.113.50".into();
    let r = other.login("+77013009999", "not the password").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}
