//! Parent accounts: sign-up, login, logout, password reset, password and phone changes.

use axum::http::StatusCode;
use kezek_domain::Sex;

use crate::harness::{Client, Response, TestApp, extract_code};

const PASSWORD: &str = "жаңа пароль 2026";

async fn verify(c: &mut Client, phone: &str, code: &str) -> Response {
    c.post(
        "/register",
        &[
            ("phone", phone),
            ("policy", "1"),
            ("code", code),
            ("action", "verify"),
        ],
    )
    .await
}

#[tokio::test]
async fn a_parent_registers_logs_in_out_and_resets_the_password() {
    let t = TestApp::start().await;
    let (mut c, iin) = t.register_parent("8 (701) 123-45-67", PASSWORD).await;

    // The account is stored under the E.164 number, whatever shape was typed.
    let r = c.login("+7 701 123 45 67", PASSWORD).await;
    assert_eq!(r.location(), Some("/cabinet"), "{}", r.body);
    let r = c.get("/cabinet").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains(&iin),
        "the cabinet shows the applicant's IIN"
    );
    assert!(r.body.contains("Сапарова Алия"), "{}", r.body);
    assert!(r.body.contains("+7 701 123 45 67"));

    let r = c.post("/logout", &[]).await;
    assert_eq!(r.location(), Some("/"));
    let r = c.get("/cabinet").await;
    assert_eq!(
        r.location(),
        Some("/login"),
        "logged out users are sent to Вход"
    );

    // Забыли пароль? (a minute later: codes to one phone are at least 60 s apart)
    t.clock.advance(60);
    let r = c.post("/password/forgot", &[("phone", "7011234567")]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains("f-code"),
        "the reset form asks for the code"
    );
    let code = t.last_code("+77011234567").await;
    let new_password = "другой пароль 2027";
    let r = c
        .post(
            "/password/reset",
            &[
                ("phone", "+7 701 123 45 67"),
                ("code", &code),
                ("password", new_password),
                ("password2", new_password),
            ],
        )
        .await;
    assert_eq!(r.location(), Some("/login"), "{}", r.body);
    let r = c.login("87011234567", PASSWORD).await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "the old password no longer works"
    );
    assert!(r.body.contains("Неверный номер телефона или пароль"));
    let r = c.login("87011234567", new_password).await;
    assert_eq!(r.location(), Some("/cabinet"));
}

#[tokio::test]
async fn the_iin_step_refuses_bad_unknown_taken_and_minor_iins_and_keeps_what_was_typed() {
    let t = TestApp::start().await;
    let (_, taken) = t.register_parent("+77015550000", PASSWORD).await;
    let child = t.add_person("Бала", "Кіші", (2022, 1, 5), Sex::Male).await;

    let mut c = t.client();
    c.post(
        "/register",
        &[
            ("phone", "+77015550001"),
            ("policy", "1"),
            ("action", "request_code"),
        ],
    )
    .await;
    let code = t.last_code("+77015550001").await;
    c.post(
        "/register",
        &[
            ("phone", "+77015550001"),
            ("policy", "1"),
            ("code", &code),
            ("action", "verify"),
        ],
    )
    .await;
    c.post(
        "/register/password",
        &[("password", PASSWORD), ("password2", PASSWORD)],
    )
    .await;

    let mut unknown = taken.clone().into_bytes();
    unknown[8] = if unknown[8] == b'9' {
        b'0'
    } else {
        unknown[8] + 1
    };
    let unknown = String::from_utf8(unknown).unwrap();
    let unknown = (0..10)
        .map(|d| format!("{}{d}", &unknown[..11]))
        .find(|i| kezek_domain::Iin::parse(i).is_ok() && *i != taken)
        .unwrap();
    let bad_checksum = {
        let last = taken.as_bytes()[11] - b'0';
        format!("{}{}", &taken[..11], (last + 1) % 10)
    };
    for (iin, message) in [
        ("12345", "ИИН должен состоять из 12 цифр"),
        (bad_checksum.as_str(), "контрольная цифра"),
        (unknown.as_str(), "не найден в государственной базе"),
        (taken.as_str(), "уже зарегистрирован"),
        (child.as_str(), "только взрослый"),
    ] {
        let r = c
            .post("/register/iin", &[("iin", iin), ("action", "check")])
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{iin}: {}",
            r.body
        );
        assert!(
            r.body.contains(message),
            "{iin}: expected {message:?} in {}",
            r.body
        );
        assert!(
            r.body.contains(&format!("value=\"{iin}\"")),
            "the typed IIN is kept"
        );
        assert!(r.body.contains("aria-invalid=\"true\""));
    }
    // "Отправить" without having seen the data shows the data first and saves nothing.
    let fresh = t
        .add_person("Омаров", "Ерлан", (1985, 6, 1), Sex::Male)
        .await;
    let r = c
        .post("/register/iin", &[("iin", &fresh), ("action", "submit")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("Ерлан О.") && r.body.contains("01.06.1985") && !r.body.contains("Омаров"),
        "{}",
        r.body
    );
    let r = c
        .post(
            "/register/iin",
            &[
                ("iin", &fresh),
                ("checked_iin", &fresh),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(r.location(), Some("/login"), "{}", r.body);
}

#[tokio::test]
async fn codes_expire_allow_five_wrong_tries_and_a_resend_does_not_reset_them() {
    let t = TestApp::start().await;
    let mut c = t.client();
    let phone = "+77017770000";
    t.ask_sign_up_code(&mut c, phone).await;
    let code = t.last_code(phone).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in [4, 3] {
        let r = verify(&mut c, phone, wrong).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains(&format!("Осталось {left} попытк")),
            "{}",
            r.body
        );
    }
    // A new code keeps the count of wrong tries.
    t.clock.advance(61);
    t.ask_sign_up_code(&mut c, phone).await;
    let code = t.last_code(phone).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r = verify(&mut c, phone, wrong).await;
    assert!(r.body.contains("Осталось 2 попытки"), "{}", r.body);
    let r = verify(&mut c, phone, wrong).await;
    assert!(r.body.contains("Осталась 1 попытка"), "{}", r.body);
    let r = verify(&mut c, phone, wrong).await;
    assert!(
        r.body.contains("Слишком много неверных попыток"),
        "{}",
        r.body
    );
    let r = verify(&mut c, phone, &code).await;
    assert!(
        r.body.contains("Слишком много неверных попыток"),
        "even the right code is refused once locked"
    );

    // An hour later a new code works, but not after its five minutes.
    t.clock.advance(3600);
    t.ask_sign_up_code(&mut c, phone).await;
    let code = t.last_code(phone).await;
    t.clock.advance(301);
    let r = verify(&mut c, phone, &code).await;
    assert!(r.body.contains("Код устарел"), "{}", r.body);
}

#[tokio::test]
async fn sms_sending_is_rate_limited_per_phone_and_per_address() {
    let t = TestApp::start().await;
    let mut c = t.client();
    let phone = "+77018880000";
    assert_eq!(
        t.ask_sign_up_code(&mut c, phone).await.status,
        StatusCode::OK
    );
    let r = t.ask_sign_up_code(&mut c, phone).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        r.body.contains("Новый код можно запросить через"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(phone) || r.body.contains("+7 701"),
        "the phone stays in the form"
    );
    for _ in 0..4 {
        t.clock.advance(61);
        assert_eq!(
            t.ask_sign_up_code(&mut c, phone).await.status,
            StatusCode::OK
        );
    }
    t.clock.advance(61);
    let r = t.ask_sign_up_code(&mut c, phone).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "a sixth SMS within the hour is refused"
    );
    assert!(r.body.contains("за час"), "{}", r.body);
    assert_eq!(t.sms_to(phone).await.len(), 5);

    // One address asking codes for many phones is stopped too.
    let mut other = t.client();
    other.ip = "203.0.113.9".into();
    let mut refused = None;
    for i in 0..25 {
        let r = other
            .post(
                "/register",
                &[
                    ("phone", &format!("+7702000{i:04}")),
                    ("policy", "1"),
                    ("action", "request_code"),
                ],
            )
            .await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(i);
            break;
        }
    }
    assert_eq!(
        refused,
        Some(20),
        "the 21st code from one address within an hour is refused"
    );
}

#[tokio::test]
async fn answers_do_not_reveal_whether_a_phone_is_registered() {
    let t = TestApp::start().await;
    t.register_parent("+77019990000", PASSWORD).await;
    t.clock.advance(60);
    let mut c = t.client();

    let registered = c
        .post(
            "/register",
            &[
                ("phone", "+77019990000"),
                ("policy", "1"),
                ("action", "request_code"),
            ],
        )
        .await;
    let fresh = c
        .post(
            "/register",
            &[
                ("phone", "+77019990001"),
                ("policy", "1"),
                ("action", "request_code"),
            ],
        )
        .await;
    assert_eq!(registered.status, fresh.status);
    let notice = |body: &str| body.contains("Если номер указан верно, код отправлен");
    assert!(notice(&registered.body) && notice(&fresh.body));
    let reminder = t.sms_to("+77019990000").await;
    assert!(
        reminder.last().unwrap().contains("уже зарегистрирован"),
        "{reminder:?}"
    );
    assert!(
        extract_code(reminder.last().unwrap()).is_none(),
        "no usable code goes to an existing account"
    );

    t.clock.advance(60);
    let known = c
        .post("/password/forgot", &[("phone", "+77019990000")])
        .await;
    let unknown = c
        .post("/password/forgot", &[("phone", "+77019990002")])
        .await;
    assert_eq!(known.status, unknown.status);
    assert!(notice(&known.body) && notice(&unknown.body));
    assert!(
        t.sms_to("+77019990002").await.is_empty(),
        "nobody is texted about an account they lack"
    );
}

#[tokio::test]
async fn passwords_follow_the_policy() {
    let t = TestApp::start().await;
    let mut c = t.client();
    let phone = "+77016660000";
    t.ask_sign_up_code(&mut c, phone).await;
    let code = t.last_code(phone).await;
    verify(&mut c, phone, &code).await;
    for (p1, p2, message) in [
        ("short", "short", "не менее 8 символов"),
        ("password123", "password123", "слишком распространен"),
        ("12345678", "12345678", "слишком распространен"),
        (
            "long enough phrase",
            "long enough phrasf",
            "Пароли не совпадают",
        ),
    ] {
        let r = c
            .post("/register/password", &[("password", p1), ("password2", p2)])
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains(message), "{p1}: {}", r.body);
        assert!(
            !r.body.contains(p1),
            "a password is never sent back to the browser"
        );
    }
    let long = "я".repeat(129);
    let r = c
        .post(
            "/register/password",
            &[("password", &long), ("password2", &long)],
        )
        .await;
    assert!(r.body.contains("не более 128 символов"));
}

#[tokio::test]
async fn the_policy_must_be_accepted_and_steps_cannot_be_skipped() {
    let t = TestApp::start().await;
    let mut c = t.client();
    let r = c
        .post(
            "/register",
            &[("phone", "+77013330000"), ("action", "request_code")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("подтвердите, что ознакомились"));
    assert!(
        r.body.contains("value=\"+77013330000\""),
        "the phone is kept"
    );
    assert!(t.sms_to("+77013330000").await.is_empty());

    let r = c.get("/register/password").await;
    assert_eq!(r.location(), Some("/register"));
    let r = c
        .post(
            "/register/iin",
            &[("iin", "900101300001"), ("action", "submit")],
        )
        .await;
    assert_eq!(r.location(), Some("/register"));
}

#[tokio::test]
async fn sessions_end_after_idle_time_and_at_logout_and_rotate_at_login() {
    let t = TestApp::start().await;
    let (mut c, _) = t.register_parent("+77014440000", PASSWORD).await;
    let before = c.cookie("kezek_session").map(str::to_owned);
    c.login("+77014440000", PASSWORD).await;
    let first = c.cookie("kezek_session").unwrap().to_owned();
    assert_ne!(Some(first.clone()), before);
    c.login("+77014440000", PASSWORD).await;
    let second = c.cookie("kezek_session").unwrap().to_owned();
    assert_ne!(first, second, "each login gets a new token");

    // The replaced token is dead.
    let mut stale = t.client();
    stale.cookies.insert("kezek_session".into(), first);
    assert_eq!(stale.get("/cabinet").await.location(), Some("/login"));

    t.clock.advance(29 * 60);
    assert_eq!(
        c.get("/cabinet").await.status,
        StatusCode::OK,
        "activity keeps the session"
    );
    t.clock.advance(31 * 60);
    assert_eq!(
        c.get("/cabinet").await.location(),
        Some("/login"),
        "30 idle minutes end it"
    );

    c.login("+77014440000", PASSWORD).await;
    let token = c.cookie("kezek_session").unwrap().to_owned();
    c.post("/logout", &[]).await;
    let mut replay = t.client();
    replay.cookies.insert("kezek_session".into(), token);
    assert_eq!(
        replay.get("/cabinet").await.location(),
        Some("/login"),
        "logout kills the token"
    );
}

#[tokio::test]
async fn repeated_failed_logins_lock_the_phone_for_a_while() {
    let t = TestApp::start().await;
    let (mut c, _) = t.register_parent("+77012220000", PASSWORD).await;
    for _ in 0..10 {
        let r = c.login("+77012220000", "not the password").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = c.login("+77012220000", PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("Слишком много неудачных попыток входа"));
    t.clock.advance(16 * 60);
    assert_eq!(
        c.login("+77012220000", PASSWORD).await.location(),
        Some("/cabinet")
    );
}

#[tokio::test]
async fn a_parent_changes_password_and_phone_from_the_cabinet() {
    let t = TestApp::start().await;
    let (mut c, _) = t.register_parent("+77011110000", PASSWORD).await;
    c.login("+77011110000", PASSWORD).await;
    let mut other_device = t.client();
    other_device.login("+77011110000", PASSWORD).await;

    let r = c
        .post(
            "/cabinet/password",
            &[
                ("current_password", "wrong one!"),
                ("password", "new secret words"),
                ("password2", "new secret words"),
            ],
        )
        .await;
    assert!(r.body.contains("Текущий пароль введен неверно"));
    let r = c
        .post(
            "/cabinet/password",
            &[
                ("current_password", PASSWORD),
                ("password", "new secret words"),
                ("password2", "new secret words"),
            ],
        )
        .await;
    assert_eq!(r.location(), Some("/cabinet"));
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

    let r = c
        .post(
            "/cabinet/phone",
            &[("phone", "+7 705 000 11 22"), ("action", "request_code")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let code = t.last_code("+77050001122").await;
    let r = c
        .post(
            "/cabinet/phone",
            &[
                ("phone", "+7 705 000 11 22"),
                ("code", &code),
                ("current_password", "new secret words"),
                ("action", "confirm"),
            ],
        )
        .await;
    assert_eq!(r.location(), Some("/cabinet"), "{}", r.body);
    let notice = t.sms_to("+77011110000").await;
    assert!(
        notice.last().unwrap().contains("изменен"),
        "the old phone is told: {notice:?}"
    );
    c.post("/logout", &[]).await;
    assert_eq!(
        c.login("+77050001122", "new secret words").await.location(),
        Some("/cabinet")
    );
    assert_eq!(
        c.login("+77011110000", "new secret words").await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn staff_log_in_through_the_same_form_and_land_in_their_cabinet() {
    let t = TestApp::start().await;
    let unknown = kezek_core::accounts::create_staff(
        &t.app,
        kezek_domain::Role::Organization,
        "+77003330001",
        "staff password 1",
        kezek_core::accounts::users::StaffBinding {
            org_bin: Some("990140000384".into()),
            kato: None,
        },
    )
    .await;
    assert!(
        matches!(
            unknown,
            Err(kezek_core::accounts::AccountError::OrganizationUnknown)
        ),
        "staff are bound only to an organization that exists"
    );
    sqlx::query(
        "INSERT INTO organizations (bin, name_kk, name_ru, kato, address, ownership, created_at, updated_at)
         VALUES ('990140000384', 'Балапан', 'Балапан', '710000000', 'ул. Абая, 1', 'state', 0, 0)",
    )
    .execute(t.app.db.pool())
    .await
    .unwrap();
    kezek_core::accounts::create_staff(
        &t.app,
        kezek_domain::Role::Organization,
        "+77003330001",
        "staff password 1",
        kezek_core::accounts::users::StaffBinding {
            org_bin: Some("990140000384".into()),
            kato: None,
        },
    )
    .await
    .unwrap();
    let mut c = t.client();
    let r = c.login("+7 700 333 00 01", "staff password 1").await;
    assert_eq!(
        r.location(),
        Some("/org"),
        "organization staff land in their cabinet"
    );
    let r = c.get("/org").await;
    assert!(
        r.body.contains("Балапан") && r.body.contains("990140000384"),
        "{}",
        r.body
    );
    assert_eq!(
        c.get("/cabinet").await.location(),
        Some("/org"),
        "staff have no parent cabinet"
    );

    let (mut parent, _) = t.register_parent("+77003330002", PASSWORD).await;
    parent.login("+77003330002", PASSWORD).await;
    assert_eq!(
        parent.get("/staff").await.location(),
        Some("/cabinet"),
        "parents never see a staff cabinet"
    );
}

#[tokio::test]
async fn a_register_outage_keeps_the_form_and_says_so() {
    // A registry gateway that is not there: nothing listens on this port.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let t = TestApp::start_with(|s| {
        s.registry = kezek_core::config::RegistrySettings::Http { url, token: None };
    })
    .await;
    let mut c = t.client();
    let phone = "+77015151515";
    t.ask_sign_up_code(&mut c, phone).await;
    let code = t.last_code(phone).await;
    verify(&mut c, phone, &code).await;
    c.post(
        "/register/password",
        &[("password", PASSWORD), ("password2", PASSWORD)],
    )
    .await;
    let r = c
        .post(
            "/register/iin",
            &[("iin", "920314450011"), ("action", "check")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        r.body
            .contains("База данных физических лиц сейчас недоступна"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"920314450011\""),
        "the IIN stays in the form"
    );
    // The sign-up itself survives: the same step can be tried again.
    assert_eq!(c.get("/register/iin").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_session_ends_twelve_hours_after_login_even_when_active() {
    let t = TestApp::start().await;
    let (mut c, _) = t.register_parent("+77014440001", PASSWORD).await;
    c.login("+77014440001", PASSWORD).await;
    for _ in 0..(11 * 3 + 2) {
        t.clock.advance(20 * 60);
        assert_eq!(c.get("/cabinet").await.status, StatusCode::OK);
    }
    t.clock.advance(20 * 60);
    assert_eq!(c.get("/cabinet").await.location(), Some("/login"));
}
