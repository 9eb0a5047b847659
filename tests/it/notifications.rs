//! Notifications in the cabinet: the bell with the unread count in every page's layout, the
//! list, marking as read (only one's own), the reader's language, notices that come with an
//! SMS, and the notice a phone change leaves.

use axum::http::StatusCode;
use kezek_core::accounts::users::StaffBinding;
use kezek_core::i18n::Lang;
use kezek_core::notifications::{self, NotificationError};
use kezek_domain::{Phone, Role};

use crate::harness::{Client, TestApp};

const PASSWORD: &str = "уведомления 2026";

/// The visible text of a page: tags dropped, white space collapsed.
fn text_of(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    // Tags split "Уведомления (3)" into pieces; put the punctuation back beside its word.
    words.join(" ").replace("( ", "(").replace(" )", ")")
}

async fn user_id(t: &TestApp, phone: &str) -> i64 {
    let e164 = Phone::parse(phone).unwrap().as_e164().to_owned();
    sqlx::query_scalar("SELECT id FROM users WHERE phone = $1")
        .bind(e164)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

/// A registered parent, logged in, and their user id.
async fn parent(t: &TestApp, phone: &str) -> (Client, i64) {
    let (mut c, _) = t.register_parent(phone, PASSWORD).await;
    let r = c.login(phone, PASSWORD).await;
    assert_eq!(r.location(), Some("/cabinet"), "{}", r.body);
    (c, user_id(t, phone).await)
}

async fn notify(t: &TestApp, user: i64, phone_arg: &str, link: Option<&str>, now: i64) -> i64 {
    let mut tx = t.app.db.begin().await.unwrap();
    let id = notifications::notify(
        &mut tx,
        user,
        "notifications-phone-changed",
        &[("phone", phone_arg.to_owned())],
        link,
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    id
}

/// What the bell in the layout says, e.g. "Уведомления (3)" or "Уведомления".
fn bell(html: &str) -> String {
    let start = html
        .find("class=\"bell\"")
        .expect("the layout has the bell");
    let end = start + html[start..].find("</a>").unwrap();
    text_of(&format!("<a {}", &html[start..end]))
}

#[tokio::test]
async fn a_notice_rings_the_bell_shows_in_the_list_and_is_marked_read() {
    let t = TestApp::start().await;
    let (mut c, me) = parent(&t, "+7 701 200 00 01").await;

    let r = c.get("/cabinet").await;
    assert_eq!(bell(&r.body), "Уведомления", "no count without notices");
    assert!(r.body.contains("href=\"/cabinet/notifications\""));
    let r = c.get("/cabinet/notifications").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Уведомлений пока нет."), "{}", r.body);

    // 2026-03-01 19:30 UTC is 2 March 00:30 in Kazakhstan (UTC+5).
    let at = 1_772_393_400;
    let first = notify(&t, me, "+7 700 *** ** 01", None, at).await;
    let second = notify(&t, me, "+7 700 *** ** 02", Some("/cabinet/phone"), at + 60).await;
    let third = notify(&t, me, "+7 700 *** ** 03", None, at + 120).await;
    assert!(first < second && second < third);
    assert_eq!(notifications::unread_count(&t.app.db, me).await.unwrap(), 3);

    // Every page's layout shows the count, readable as text.
    let r = c.get("/").await;
    assert_eq!(bell(&r.body), "Уведомления (3)");
    let r = c.get("/cabinet").await;
    assert_eq!(bell(&r.body), "Уведомления (3)");

    let r = c.get("/cabinet/notifications").await;
    assert_eq!(r.status, StatusCode::OK);
    let text = text_of(&r.body);
    assert!(text.contains("3 непрочитанных уведомления"), "{text}");
    let p1 = text.find("+7 700 *** ** 01").expect("first notice listed");
    let p2 = text.find("+7 700 *** ** 02").expect("second notice listed");
    let p3 = text.find("+7 700 *** ** 03").expect("third notice listed");
    assert!(p3 < p2 && p2 < p1, "newest first: {text}");
    assert!(text.contains("02.03.2026 00:30"), "{text}");
    assert!(r.body.contains("datetime=\"2026-03-02T00:30+05:00\""));
    assert!(text.contains("Номер телефона вашей учетной записи изменен на +7 700 *** ** 01"));
    assert!(
        r.body.contains("href=\"/cabinet/phone\""),
        "the link is shown"
    );
    assert_eq!(r.body.matches("class=\"notification unread\"").count(), 3);
    assert_eq!(r.body.matches("Отметить прочитанным").count(), 3);
    assert!(text.contains("Отметить все прочитанными"));
    assert!(text.contains("Новое"));

    // Mark one read: back to the list, one fewer unread.
    let r = c
        .post(
            &format!("/cabinet/notifications/{second}/read"),
            &[("page", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some("/cabinet/notifications"));
    let r = c.get("/cabinet/notifications").await;
    assert_eq!(bell(&r.body), "Уведомления (2)");
    assert_eq!(r.body.matches("class=\"notification unread\"").count(), 2);
    assert_eq!(r.body.matches("Отметить прочитанным").count(), 2);
    assert!(text_of(&r.body).contains("2 непрочитанных уведомления"));
    // Marking it again changes nothing and is no error.
    let r = c
        .post(&format!("/cabinet/notifications/{second}/read"), &[])
        .await;
    assert_eq!(r.location(), Some("/cabinet/notifications"));
    assert_eq!(notifications::unread_count(&t.app.db, me).await.unwrap(), 2);

    // Mark all read: the count disappears from the bell.
    let r = c.post("/cabinet/notifications/read-all", &[]).await;
    assert_eq!(r.location(), Some("/cabinet/notifications"));
    let r = c.get("/cabinet/notifications").await;
    assert_eq!(bell(&r.body), "Уведомления");
    assert!(!r.body.contains("class=\"notification unread\""));
    assert!(!r.body.contains("Отметить все прочитанными"));
    let text = text_of(&r.body);
    assert!(text.contains("Все уведомления прочитаны."), "{text}");
    assert!(
        text.contains("+7 700 *** ** 01"),
        "read notices stay in the list"
    );
    assert_eq!(notifications::unread_count(&t.app.db, me).await.unwrap(), 0);
}

#[tokio::test]
async fn the_list_is_paged_by_twenty() {
    let t = TestApp::start().await;
    let (mut c, me) = parent(&t, "+7 701 200 00 02").await;
    let at = t.app.now();
    for i in 0..25 {
        notify(&t, me, &format!("+7 700 *** ** {i:02}"), None, at + i).await;
    }
    let all = notifications::list(&t.app.db, me, 0, 100).await.unwrap();
    assert_eq!(all.len(), 25);
    assert!(all.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    let page = notifications::list(&t.app.db, me, 20, 20).await.unwrap();
    assert_eq!(page.len(), 5);

    let r = c.get("/cabinet/notifications").await;
    assert_eq!(r.body.matches("<li class=\"notification").count(), 20);
    assert!(r.body.contains("+7 700 *** ** 24") && !r.body.contains("+7 700 *** ** 04"));
    assert!(r.body.contains("href=\"/cabinet/notifications?page=2\""));
    assert_eq!(bell(&r.body), "Уведомления (25)");

    let r = c.get("/cabinet/notifications?page=2").await;
    assert_eq!(r.body.matches("<li class=\"notification").count(), 5);
    assert!(r.body.contains("+7 700 *** ** 04") && !r.body.contains("+7 700 *** ** 05"));
    assert!(
        r.body
            .contains("href=\"/cabinet/notifications\" rel=\"prev\"")
    );
    assert!(!r.body.contains("?page=3"));

    // Marking read from page 2 comes back to page 2.
    let oldest = all.last().unwrap().id;
    let r = c
        .post(
            &format!("/cabinet/notifications/{oldest}/read"),
            &[("page", "2")],
        )
        .await;
    assert_eq!(r.location(), Some("/cabinet/notifications?page=2"));
    assert_eq!(
        notifications::unread_count(&t.app.db, me).await.unwrap(),
        24
    );

    // Nonsense page numbers show the first page rather than failing.
    for bad in ["abc", "-1", "0"] {
        let r = c.get(&format!("/cabinet/notifications?page={bad}")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("+7 700 *** ** 24"));
    }
}

#[tokio::test]
async fn one_user_cannot_see_or_mark_anothers_notices() {
    let t = TestApp::start().await;
    let (mut alice, a) = parent(&t, "+7 701 200 00 03").await;
    let (mut bob, _) = parent(&t, "+7 701 200 00 04").await;
    let id = notify(&t, a, "+7 700 *** ** 77", None, t.app.now()).await;

    let r = bob.get("/cabinet/notifications").await;
    assert!(!r.body.contains("+7 700 *** ** 77"));
    assert_eq!(bell(&r.body), "Уведомления");
    let r = bob
        .post(&format!("/cabinet/notifications/{id}/read"), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The same answer as for a notice that does not exist at all, or a nonsense id.
    for other in [
        format!("/cabinet/notifications/{}/read", id + 1000),
        "/cabinet/notifications/x/read".to_owned(),
    ] {
        assert_eq!(bob.post(&other, &[]).await.status, StatusCode::NOT_FOUND);
    }
    // "Mark all" touches only one's own.
    let r = bob.post("/cabinet/notifications/read-all", &[]).await;
    assert_eq!(r.location(), Some("/cabinet/notifications"));
    assert_eq!(notifications::unread_count(&t.app.db, a).await.unwrap(), 1);

    let b = user_id(&t, "+7 701 200 00 04").await;
    assert!(matches!(
        notifications::mark_read(&t.app.db, b, id, t.app.now()).await,
        Err(NotificationError::NotFound)
    ));
    let r = alice.get("/").await;
    assert_eq!(bell(&r.body), "Уведомления (1)");
    notifications::mark_read(&t.app.db, a, id, t.app.now())
        .await
        .unwrap();
    let r = alice.get("/").await;
    assert_eq!(bell(&r.body), "Уведомления");
}

#[tokio::test]
async fn visitors_are_sent_to_login() {
    let t = TestApp::start().await;
    let mut c = t.client();
    let r = c.get("/cabinet/notifications").await;
    assert_eq!(r.location(), Some("/login"));
    let r = c.get("/login").await;
    assert!(
        r.body.contains("Войдите, чтобы продолжить"),
        "the login page explains why: {}",
        r.body
    );
    for path in [
        "/cabinet/notifications/1/read",
        "/cabinet/notifications/read-all",
    ] {
        assert_eq!(c.post(path, &[]).await.location(), Some("/login"));
    }
    let r = c.get("/").await;
    assert!(!r.body.contains("class=\"bell\""), "no bell for visitors");
}

#[tokio::test]
async fn the_text_follows_the_readers_language() {
    let t = TestApp::start().await;
    let (mut c, me) = parent(&t, "+7 701 200 00 05").await;
    notify(&t, me, "+7 705 *** ** 22", None, t.app.now()).await;

    let r = c.get("/cabinet/notifications").await;
    assert!(text_of(&r.body).contains("изменен на +7 705 *** ** 22"));

    c.get("/lang/kk?back=%2Fcabinet%2Fnotifications").await;
    let r = c.get("/cabinet/notifications").await;
    let text = text_of(&r.body);
    assert!(
        text.contains("телефон нөмірі +7 705 *** ** 22 болып өзгертілді"),
        "{text}"
    );
    assert!(text.contains("1 оқылмаған хабарлама"), "{text}");
    assert_eq!(bell(&r.body), "Хабарламалар (1)");

    c.get("/lang/en?back=%2Fcabinet%2Fnotifications").await;
    let r = c.get("/cabinet/notifications").await;
    let text = text_of(&r.body);
    assert!(
        text.contains("The phone number of your account was changed to +7 705 *** ** 22"),
        "{text}"
    );
    assert!(text.contains("1 unread notification"), "{text}");
    assert!(text.contains("Mark as read"));
    assert_eq!(bell(&r.body), "Notifications (1)");
}

#[tokio::test]
async fn notify_with_sms_leaves_the_notice_and_the_sms_together() {
    let t = TestApp::start().await;
    let (mut c, me) = parent(&t, "+7 701 200 00 06").await;
    let phone = Phone::parse("+7 701 200 00 06").unwrap();
    let before = t.sms_to(phone.as_e164()).await.len();

    let mut tx = t.app.db.begin().await.unwrap();
    notifications::notify_with_sms(
        &mut tx,
        me,
        &phone,
        Lang::Ru,
        &t.app.i18n,
        "sms-phone-changed",
        &[("phone", "+7 705 *** ** 33".to_owned())],
        Some("/cabinet"),
        t.app.now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let sms = t.sms_to(phone.as_e164()).await;
    assert_eq!(sms.len(), before + 1);
    assert_eq!(
        sms.last().unwrap(),
        "Kezek: номер телефона вашей учетной записи изменен на +7 705 *** ** 33. \
         Если это были не вы, обратитесь в контакт-центр."
    );
    let listed = notifications::list(&t.app.db, me, 0, 20).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].message_key, "sms-phone-changed");
    assert_eq!(listed[0].link.as_deref(), Some("/cabinet"));
    // In the cabinet the SMS signature is left out: the site is the sender.
    let r = c.get("/cabinet/notifications").await;
    let text = text_of(&r.body);
    assert!(
        text.contains("номер телефона вашей учетной записи изменен на +7 705 *** ** 33"),
        "{text}"
    );
    assert!(!text.contains("Kezek: номер"), "{text}");

    // Rolled back: neither the notice nor the SMS.
    let mut tx = t.app.db.begin().await.unwrap();
    notifications::notify_with_sms(
        &mut tx,
        me,
        &phone,
        Lang::Kk,
        &t.app.i18n,
        "sms-phone-changed",
        &[("phone", "+7 705 *** ** 44".to_owned())],
        None,
        t.app.now(),
    )
    .await
    .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(t.sms_to(phone.as_e164()).await.len(), before + 1);
    assert_eq!(notifications::unread_count(&t.app.db, me).await.unwrap(), 1);
}

#[tokio::test]
async fn links_elsewhere_are_never_stored() {
    let t = TestApp::start().await;
    let (mut c, me) = parent(&t, "+7 701 200 00 07").await;
    notify(
        &t,
        me,
        "+7 700 *** ** 88",
        Some("https://evil.example/"),
        t.app.now(),
    )
    .await;
    notify(
        &t,
        me,
        "+7 700 *** ** 89",
        Some("//evil.example/"),
        t.app.now(),
    )
    .await;
    let listed = notifications::list(&t.app.db, me, 0, 20).await.unwrap();
    assert!(listed.iter().all(|n| n.link.is_none()));
    let r = c.get("/cabinet/notifications").await;
    assert!(!r.body.contains("evil.example"));
}

#[tokio::test]
async fn the_phone_change_leaves_a_notice() {
    let t = TestApp::start().await;
    let (mut c, me) = parent(&t, "+7 701 200 00 08").await;
    let r = c
        .post(
            "/cabinet/phone",
            &[("phone", "+7 705 200 00 09"), ("action", "request_code")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let code = t.last_code("+77052000009").await;
    let r = c
        .post(
            "/cabinet/phone",
            &[
                ("phone", "+7 705 200 00 09"),
                ("code", &code),
                ("current_password", PASSWORD),
                ("action", "confirm"),
            ],
        )
        .await;
    assert_eq!(r.location(), Some("/cabinet"), "{}", r.body);
    let old = t.sms_to("+77012000008").await;
    assert!(old.last().unwrap().contains("изменен"), "{old:?}");

    let r = c.get("/cabinet").await;
    assert_eq!(bell(&r.body), "Уведомления (1)");
    let listed = notifications::list(&t.app.db, me, 0, 20).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].message_key, "notifications-phone-changed");
    let r = c.get("/cabinet/notifications").await;
    assert!(
        text_of(&r.body).contains("изменен на +7 705 *** ** 09"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn staff_have_the_bell_and_the_list_too() {
    let t = TestApp::start().await;
    let id = kezek_core::accounts::create_staff(
        &t.app,
        Role::Admin,
        "+77009000077",
        "admin password 7",
        StaffBinding::default(),
    )
    .await
    .unwrap();
    let mut c = t.client();
    assert_eq!(
        c.login("+77009000077", "admin password 7").await.location(),
        Some("/admin")
    );
    notify(&t, id, "+7 700 *** ** 55", None, t.app.now()).await;
    let r = c.get("/admin").await;
    assert_eq!(bell(&r.body), "Уведомления (1)");
    let r = c.get("/cabinet/notifications").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("+7 700 *** ** 55"));
    assert!(
        r.body.contains("href=\"/staff\""),
        "back to the staff cabinet"
    );
}
