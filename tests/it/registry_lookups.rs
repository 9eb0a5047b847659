//! Look-ups in the register of individuals for the person at the keyboard ("Проверить ИИН" on
//! "Добавить ребенка", the sign-up's IIN step): counted per account and per address, audited,
//! refused past the limits even in a parallel burst, and showing only the name to confirm.

use axum::http::StatusCode;
use kezek_core::registry::lookups::{
    self, ACTION, Asker, PER_ACCOUNT_PER_DAY, PER_ADDRESS_PER_HOUR,
};
use kezek_domain::{Iin, Sex};

use crate::harness::{Client, TestApp};

const PASSWORD: &str = "parent password 1";

async fn lookups_of(t: &TestApp, subject: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND subject = $2")
        .bind(ACTION)
        .bind(subject)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

async fn user_id(t: &TestApp, phone: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM users WHERE phone = $1")
        .bind(kezek_domain::Phone::parse(phone).unwrap().as_e164())
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

async fn check(c: &mut Client, iin: &str) -> crate::harness::Response {
    c.post(
        "/cabinet/children/new",
        &[("iin", iin), ("action", "check")],
    )
    .await
}

#[tokio::test]
async fn child_look_ups_are_audited_and_limited_per_account() {
    let t = TestApp::start().await;
    let (mut c, _) = t.register_parent("+77021000031", PASSWORD).await;
    c.login("+77021000031", PASSWORD).await;
    let parent = user_id(&t, "+77021000031").await;
    let subject = format!("user:{parent}");

    // A parent adding three children ("Проверить ИИН", then "Сохранить") is nowhere near it.
    for (n, first) in ["Әли", "Бибі", "Ерке"].into_iter().enumerate() {
        let iin = t
            .add_person("Сапаров", first, (2022, 1, 1 + n as u32), Sex::Female)
            .await;
        let r = check(&mut c, &iin).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains(&format!("{first} С.")) && !r.body.contains("Сапаров"));
        let r = c
            .post(
                "/cabinet/children/new",
                &[
                    ("iin", &iin),
                    ("checked_iin", &iin),
                    ("sex", "F"),
                    ("nationality", ""),
                    ("action", "save"),
                ],
            )
            .await;
        assert_eq!(r.location(), Some("/cabinet/children"), "{}", r.body);
    }
    assert_eq!(lookups_of(&t, &subject).await, 6);
    let (actor, ip, detail): (Option<i64>, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT actor_user_id, ip, detail FROM audit_log WHERE action = $1 AND subject = $2 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(ACTION)
    .bind(&subject)
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    assert_eq!(actor, Some(parent));
    assert_eq!(ip.as_deref(), Some("198.51.100.7"));
    let detail: serde_json::Value = serde_json::from_str(&detail.unwrap()).unwrap();
    assert_eq!(detail["step"], "child");
    assert!(Iin::parse(detail["iin"].as_str().unwrap()).is_ok());

    // Strangers' IINs, one after another: refused once the day's look-ups are used up.
    let stranger = t.add_person("Бөтен", "Бала", (2023, 2, 2), Sex::Male).await;
    for _ in 6..PER_ACCOUNT_PER_DAY {
        assert_eq!(check(&mut c, &stranger).await.status, StatusCode::OK);
    }
    let r = check(&mut c, &stranger).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.body.contains("Слишком много проверок ИИН"), "{}", r.body);
    assert!(
        r.body.contains(&format!("value=\"{stranger}\"")),
        "the IIN is kept"
    );
    assert!(
        !r.body.contains("Бала Б."),
        "nothing of the register is shown"
    );
    assert_eq!(lookups_of(&t, &subject).await, PER_ACCOUNT_PER_DAY);

    // A day later the parent may look again.
    t.clock.advance(86_401);
    c.login("+77021000031", PASSWORD).await;
    assert_eq!(check(&mut c, &stranger).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_sign_up_iin_step_is_limited_too() {
    let t = TestApp::start().await;
    let mut c = t.client();
    c.get("/register").await;
    let phone = "+77021000032";
    t.sign_up_to_password(&mut c, phone).await;
    let r = c
        .post(
            "/register/password",
            &[("password", PASSWORD), ("password2", PASSWORD)],
        )
        .await;
    assert_eq!(r.location(), Some("/register/iin"), "{}", r.body);
    let iin = t
        .add_person("Омаров", "Ерлан", (1985, 6, 1), Sex::Male)
        .await;
    for _ in 0..PER_ACCOUNT_PER_DAY {
        let r = c
            .post("/register/iin", &[("iin", &iin), ("action", "check")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    }
    let r = c
        .post("/register/iin", &[("iin", &iin), ("action", "check")])
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.body.contains("Слишком много проверок ИИН"));
    assert_eq!(
        lookups_of(&t, "signup:+77021000032").await,
        PER_ACCOUNT_PER_DAY
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_parallel_burst_cannot_overrun_the_account_or_the_address() {
    let t = TestApp::start().await;
    let iin = Iin::parse(&t.add_person("Бөтен", "Адам", (1990, 1, 1), Sex::Male).await).unwrap();

    // One account from many addresses at once: exactly the day's allowance goes through.
    let mut tasks = Vec::new();
    for n in 0..PER_ACCOUNT_PER_DAY + 20 {
        let app = t.app.clone();
        let iin = iin.clone();
        tasks.push(tokio::spawn(async move {
            let ip = format!("203.0.113.{n}");
            lookups::reserve(&app, &Asker::parent(42, &ip), &iin)
                .await
                .unwrap()
        }));
    }
    let mut granted = 0;
    for task in tasks {
        granted += i64::from(task.await.unwrap());
    }
    assert_eq!(granted, PER_ACCOUNT_PER_DAY);

    // Many accounts behind one address at once: exactly the hour's allowance.
    let mut tasks = Vec::new();
    for n in 0..PER_ADDRESS_PER_HOUR + 20 {
        let app = t.app.clone();
        let iin = iin.clone();
        tasks.push(tokio::spawn(async move {
            lookups::reserve(&app, &Asker::parent(1000 + n, "192.0.2.9"), &iin)
                .await
                .unwrap()
        }));
    }
    let mut granted = 0;
    for task in tasks {
        granted += i64::from(task.await.unwrap());
    }
    assert_eq!(granted, PER_ADDRESS_PER_HOUR);
    // An hour later the address may look again.
    t.clock.advance(3_601);
    let asker = Asker::parent(5000, "192.0.2.9");
    assert!(lookups::reserve(&t.app, &asker, &iin).await.unwrap());
}
