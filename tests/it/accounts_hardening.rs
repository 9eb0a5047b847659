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
async fn two_processes_on_one_database_share_the_lockout_under_a_burst() {
    let t = TestApp::start().await;
    let phone = "+77012231111";
    t.register_parent(phone, PASSWORD).await;
    let settings = crate::harness::settings_for(t.dir.path(), &t.database);
    let second = kezek_core::app::App::start_with_clock(settings, t.clock.clone())
        .await
        .unwrap();
    let apps = [t.app.clone(), second.clone()];
    let before: u64 = apps.iter().map(|a| a.hasher.evaluations()).sum();
    let tasks: Vec<_> = (0..40)
        .map(|n| {
            let app = apps[n % 2].clone();
            tokio::spawn(async move {
                let ip = format!("203.0.113.{n}");
                kezek_core::accounts::login(&app, phone, "not the password", &ip).await
            })
        })
        .collect();
    let mut locked = 0;
    for task in tasks {
        match task.await.unwrap() {
            Err(kezek_core::accounts::AccountError::LoginLocked) => locked += 1,
            Err(kezek_core::accounts::AccountError::LoginFailed) => {}
            other => panic!("unexpected {:?}", other.map(|_| ())),
        }
    }
    let checked: u64 = apps.iter().map(|a| a.hasher.evaluations()).sum::<u64>() - before;
    assert!(checked <= 10, "{checked} passwords were checked");
    assert!(locked >= 30, "{locked} refused");
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

async fn reset(c: &mut Client, phone: &str, code: &str) -> crate::harness::Response {
    let new_password = "другой пароль 2027";
    c.post(
        "/password/reset",
        &[
            ("phone", phone),
            ("code", code),
            ("password", new_password),
            ("password2", new_password),
        ],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn password_resets_with_a_wrong_or_no_code_never_reach_the_hasher() {
    let t = TestApp::start().await;
    let phone = "+77012240000";
    let (mut c, _) = t.register_parent(phone, PASSWORD).await;
    t.clock.advance(60);
    c.post("/password/forgot", &[("phone", phone)]).await;
    let code = t.last_code(phone).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let before = t.app.hasher.evaluations();

    let r = reset(&mut c, phone, wrong).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Осталось 4 попытки"), "{}", r.body);
    // A phone without an account (no code was ever sent to it) and a burst of wrong codes.
    let r = reset(&mut t.client(), "+77012249999", "123456").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let tasks: Vec<_> = (0..40)
        .map(|_| {
            let mut c = t.client();
            tokio::spawn(async move { reset(&mut c, phone, wrong).await })
        })
        .collect();
    for task in tasks {
        let r = task.await.unwrap();
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("f-code-error"), "{}", r.body);
    }
    assert_eq!(
        t.app.hasher.evaluations(),
        before,
        "no wrong reset was hashed"
    );

    // Locked after five wrong tries, the right code is refused too, still without hashing.
    let r = reset(&mut c, phone, &code).await;
    assert!(
        r.body.contains("Слишком много неверных попыток"),
        "{}",
        r.body
    );
    assert_eq!(t.app.hasher.evaluations(), before);
}

#[tokio::test]
async fn a_right_reset_code_is_hashed_once_and_a_sign_up_hashes_its_password_a_few_times() {
    let t = TestApp::start().await;
    let phone = "+77012250000";
    let (mut c, _) = t.register_parent(phone, PASSWORD).await;
    t.clock.advance(60);
    c.post("/password/forgot", &[("phone", phone)]).await;
    let code = t.last_code(phone).await;
    let before = t.app.hasher.evaluations();
    assert_eq!(reset(&mut c, phone, &code).await.location(), Some("/login"));
    let r = reset(&mut c, phone, &code).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code works once"
    );
    assert_eq!(t.app.hasher.evaluations(), before + 1);

    // A sign-up's token buys five hashings of the password step, then the sign-up is over.
    let mut c = t.client();
    let phone = "+77012250001";
    t.sign_up_to_password(&mut c, phone).await;
    let before = t.app.hasher.evaluations();
    for _ in 0..5 {
        let r = c
            .post(
                "/register/password",
                &[("password", PASSWORD), ("password2", PASSWORD)],
            )
            .await;
        assert_eq!(r.location(), Some("/register/iin"), "{}", r.body);
    }
    let r = c
        .post(
            "/register/password",
            &[("password", PASSWORD), ("password2", PASSWORD)],
        )
        .await;
    assert_ne!(r.location(), Some("/register/iin"), "{}", r.body);
    assert_eq!(t.app.hasher.evaluations(), before + 5);
}

async fn confirm_phone(
    c: &mut Client,
    phone: &str,
    code: &str,
    current: &str,
) -> crate::harness::Response {
    c.post(
        "/cabinet/phone",
        &[
            ("phone", phone),
            ("code", code),
            ("current_password", current),
            ("action", "confirm"),
        ],
    )
    .await
}

#[tokio::test]
async fn changing_the_phone_needs_the_current_password_and_ends_the_other_sessions() {
    let t = TestApp::start().await;
    let phone = "+77012260000";
    let (mut c, _) = t.register_parent(phone, PASSWORD).await;
    c.login(phone, PASSWORD).await;
    let mut other_device = t.client();
    other_device.login(phone, PASSWORD).await;
    assert_eq!(other_device.get("/cabinet").await.status, StatusCode::OK);

    let r = c
        .post(
            "/cabinet/phone",
            &[("phone", "+7 705 000 22 33"), ("action", "request_code")],
        )
        .await;
    assert!(r.body.contains("f-current_password"), "{}", r.body);
    let code = t.last_code("+77050002233").await;

    // No password, then a wrong one: a field error, what was typed kept, the phone unchanged.
    for current in ["", "not the password"] {
        let r = confirm_phone(&mut c, "+7 705 000 22 33", &code, current).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("f-current_password-error"), "{}", r.body);
        assert!(
            r.body.contains("Текущий пароль введен неверно"),
            "{}",
            r.body
        );
        assert!(r.body.contains("+7 705 000 22 33"), "the new phone is kept");
    }
    // The wrong password counted as a failed login of the account.
    let failures: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_attempts WHERE phone = $1 AND succeeded = 0",
    )
    .bind(phone)
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    assert_eq!(failures, 1);

    // The code was not used up by the refused tries.
    let r = confirm_phone(&mut c, "+7 705 000 22 33", &code, PASSWORD).await;
    assert_eq!(r.location(), Some("/cabinet"), "{}", r.body);
    assert_eq!(
        c.get("/cabinet").await.status,
        StatusCode::OK,
        "this session stays"
    );
    assert_eq!(
        other_device.get("/cabinet").await.location(),
        Some("/login"),
        "other sessions end"
    );
}

#[tokio::test]
async fn wrong_current_passwords_lock_the_account_like_failed_logins() {
    let t = TestApp::start().await;
    let phone = "+77012270000";
    let (mut c, _) = t.register_parent(phone, PASSWORD).await;
    c.login(phone, PASSWORD).await;
    c.post(
        "/cabinet/phone",
        &[("phone", "+7 705 000 33 44"), ("action", "request_code")],
    )
    .await;
    let code = t.last_code("+77050003344").await;
    for _ in 0..10 {
        let r = confirm_phone(&mut c, "+7 705 000 33 44", &code, "not the password").await;
        assert!(
            r.body.contains("Текущий пароль введен неверно"),
            "{}",
            r.body
        );
    }
    let before = t.app.hasher.evaluations();
    let r = confirm_phone(&mut c, "+7 705 000 33 44", &code, PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(
        r.body.contains("Слишком много неудачных попыток входа"),
        "{}",
        r.body
    );
    let r = t.client().login(phone, PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "logins are locked too"
    );
    assert_eq!(t.app.hasher.evaluations(), before);
}

async fn outbox_bodies(t: &TestApp, phone: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT body FROM sms_outbox WHERE to_phone = $1 ORDER BY id")
        .bind(phone)
        .fetch_all(t.app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_code_leaves_the_outbox_once_sent_or_expired_and_old_messages_are_purged() {
    let t = TestApp::start().await;
    let mut c = t.client();
    let phone = "+77012280000";
    let code = t.request_sign_up_code(&mut c, phone).await;
    let bodies = outbox_bodies(&t, phone).await;
    assert_eq!(bodies.len(), 1);
    assert!(!bodies[0].contains(&code), "{bodies:?}");
    assert_eq!(crate::harness::extract_code(&bodies[0]), None, "{bodies:?}");
    assert!(bodies[0].contains("******"), "{bodies:?}");

    // A code never delivered is masked, and given up, once it has expired.
    let other = "+77012280001";
    t.ask_sign_up_code(&mut c, other).await;
    let queued = outbox_bodies(&t, other).await;
    assert!(
        crate::harness::extract_code(&queued[0]).is_some(),
        "the relay needs the code"
    );
    t.clock.advance(301);
    kezek_core::accounts::housekeeping(&t.app).await.unwrap();
    let bodies = outbox_bodies(&t, other).await;
    assert_eq!(crate::harness::extract_code(&bodies[0]), None, "{bodies:?}");
    assert!(
        t.sms_to(other).await.is_empty(),
        "an expired code is not sent late"
    );

    // Thirty days on, the messages are gone; a new one stays.
    t.clock.advance(30 * 86_400);
    t.ask_sign_up_code(&mut c, "+77012280002").await;
    kezek_core::accounts::housekeeping(&t.app).await.unwrap();
    let left: Vec<String> = sqlx::query_scalar("SELECT to_phone FROM sms_outbox")
        .fetch_all(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(left, vec!["+77012280002".to_owned()]);
}

/// A sign-up code requested for `phone`: the code the SMS carried, and the salt and digest stored.
async fn sign_up_code(t: &TestApp, phone: &str) -> (String, String, String) {
    let mut c = t.client();
    let code = t.request_sign_up_code(&mut c, phone).await;
    let stored: String = sqlx::query_scalar("SELECT code_hash FROM otp_codes WHERE phone = $1")
        .bind(phone)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    let (salt, digest) = stored.split_once(':').unwrap();
    (code, salt.to_owned(), digest.to_owned())
}

#[tokio::test]
async fn codes_are_hashed_under_the_servers_key_not_a_plain_salted_sha256() {
    let t = TestApp::start().await;
    let phone = "+77012290000";
    let (code, salt, digest) = sign_up_code(&t, phone).await;
    let parts = ["otp", salt.as_str(), phone, "register", code.as_str()];
    assert_ne!(digest, kezek_core::tokens::sha256_hex(&parts));
    let key: String =
        sqlx::query_scalar("SELECT value FROM server_secrets WHERE name = 'otp_hmac_key'")
            .fetch_one(t.app.db.pool())
            .await
            .unwrap();
    assert!(key.len() >= 64, "a 256-bit key");
    assert_eq!(
        digest,
        kezek_core::tokens::hmac_sha256_hex(key.as_bytes(), &parts)
    );

    // A second process on the same database uses the same key: its code check accepts the code.
    let settings = crate::harness::settings_for(t.dir.path(), &t.database);
    let second = kezek_core::app::App::start_with_clock(settings, t.clock.clone())
        .await
        .unwrap();
    let token = kezek_core::accounts::start_registration(&second, phone, &code, "198.51.100.7")
        .await
        .unwrap();
    assert!(!token.is_empty());
}

/// With `otp_key` set, codes are hashed under it and the database holds no key at all: a dump of
/// the whole database gives no code away.
#[tokio::test]
async fn a_configured_code_key_keeps_the_key_out_of_the_database() {
    const KEY: &str = "0123456789abcdef0123456789abcdef-outside";
    let t = TestApp::start_with(|s| {
        s.otp_key = Some(kezek_core::config::Secret::new(KEY));
    })
    .await;
    let phone = "+77012290001";
    let (code, salt, digest) = sign_up_code(&t, phone).await;
    let parts = ["otp", salt.as_str(), phone, "register", code.as_str()];
    assert_eq!(
        digest,
        kezek_core::tokens::hmac_sha256_hex(KEY.as_bytes(), &parts)
    );
    let keys: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM server_secrets")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(keys, 0, "no key in the database");
    let token = kezek_core::accounts::start_registration(&t.app, phone, &code, "198.51.100.7")
        .await
        .unwrap();
    assert!(!token.is_empty());
}

#[tokio::test]
async fn a_code_given_back_after_a_busy_hasher_can_be_used_again() {
    use kezek_core::accounts::codes::{self, CodeCheck, Purpose};
    let t = TestApp::start().await;
    let phone = kezek_domain::Phone::parse("+77012300000").unwrap();
    let now = t.app.now();
    let key = &t.app.code_key;
    let mut tx = t.app.db.begin().await.unwrap();
    codes::issue(
        &mut tx,
        key,
        &phone,
        Purpose::Reset,
        "482915",
        "192.0.2.1",
        now,
    )
    .await
    .unwrap();
    let first = codes::check(&mut tx, key, &phone, Purpose::Reset, "482915", now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(first, CodeCheck::Accepted);
    codes::give_back(t.app.db.pool(), &phone, Purpose::Reset, now)
        .await
        .unwrap();
    let mut tx = t.app.db.begin().await.unwrap();
    let again = codes::check(&mut tx, key, &phone, Purpose::Reset, "482915", now)
        .await
        .unwrap();
    let used = codes::check(&mut tx, key, &phone, Purpose::Reset, "482915", now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(again, CodeCheck::Accepted);
    assert_eq!(used, CodeCheck::Expired, "and then it is used up again");
}
