//! Reviews: only a parent whose child got a direction to an organization may review it (one
//! review per parent and organization, an edit goes back to moderation), a moderator publishes
//! it, visitors read it (author by first name and initial) and other pages use the service API;
//! everyone else gets 403/404 or "Вход"; the pages render in every language. Moderation,
//! answers, reports, escaping and access checks: `reviews_moderation.rs`.

#[path = "reviews_moderation.rs"]
mod moderation;

use axum::http::StatusCode;
use kezek_core::accounts::users::StaffBinding;
use kezek_core::audit::Actor;
use kezek_core::orgs::vacancies;
use kezek_domain::Role;

use crate::fixtures::{Family, family, regular};
use crate::harness::{Client, TestApp};

const STAFF_PASSWORD: &str = "staff password 1";
const BALAPAN_BIN: &str = "990140000384";
pub(crate) const AKBOTA_BIN: &str = "050440001239";

/// A staff account of `role` (bound to `bin` for organization staff), logged in.
pub(crate) async fn staff(
    t: &TestApp,
    role: Role,
    phone: &str,
    bin: Option<&str>,
) -> (Client, Actor) {
    let user_id = kezek_core::accounts::create_staff(
        &t.app,
        role,
        phone,
        STAFF_PASSWORD,
        StaffBinding {
            org_bin: bin.map(str::to_owned),
            kato: None,
        },
    )
    .await
    .unwrap();
    let mut c = t.client();
    let landing = c.login(phone, STAFF_PASSWORD).await;
    let expected = if role == Role::Moderator {
        "/moderation"
    } else {
        "/org"
    };
    assert_eq!(landing.location(), Some(expected));
    (
        c,
        Actor {
            user_id,
            ip: "198.51.100.20".into(),
        },
    )
}

/// A family whose child (born 2022) got a direction to Balapan: its staff published a place of
/// the 2022 group and the allocation offered it. Returns the family and Balapan's staff.
pub(crate) async fn family_with_direction(t: &TestApp, phone: &str) -> (Family, Client, Actor) {
    let f = family(t, phone).await;
    kezek_core::applications::submit(&t.app, &f.parent, "71", &regular(&f, "review-key"))
        .await
        .unwrap();
    let (staff_client, staff_actor) =
        staff(t, Role::Organization, "+77001000301", Some(BALAPAN_BIN)).await;
    let group: i64 = sqlx::query_scalar("SELECT id FROM org_groups WHERE name = 'Балапандар'")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    let today = kezek_domain::time::local_date(t.app.now());
    vacancies::publish(&t.app.db, &staff_actor, group, 1, today, t.app.now())
        .await
        .unwrap();
    let issued = kezek_core::directions::allocate_group(&t.app, group, t.app.now())
        .await
        .unwrap();
    assert_eq!(issued, 1, "the child got the direction");
    (f, staff_client, staff_actor)
}

pub(crate) async fn write(
    c: &mut Client,
    org: i64,
    rating: &str,
    text: &str,
) -> crate::harness::Response {
    c.post(
        &format!("/reviews/org/{org}"),
        &[("rating", rating), ("text", text)],
    )
    .await
}

pub(crate) async fn review_of(t: &TestApp, author: i64, org: i64) -> (i64, String, Option<String>) {
    sqlx::query_as(
        "SELECT id, status, reason FROM reviews WHERE author_user_id = $1 AND organization_id = $2",
    )
    .bind(author)
    .bind(org)
    .fetch_one(t.app.db.pool())
    .await
    .unwrap()
}

pub(crate) async fn count(t: &TestApp, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(id)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

/// The newest notice of `user`: (key, args JSON).
pub(crate) async fn last_notice(t: &TestApp, user: i64) -> (String, String) {
    sqlx::query_as(
        "SELECT message_key, args FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(user)
    .fetch_one(t.app.db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn a_parent_with_a_direction_reviews_and_a_moderator_publishes_it() {
    let t = TestApp::start().await;
    let (mut f, _, _) = family_with_direction(&t, "+77051110001").await;
    let page = f.client.get(&format!("/reviews/org/{}", f.balapan)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Оставить отзыв") && page.body.contains("name=\"text\""),
        "{}",
        page.body
    );

    let r = write(
        &mut f.client,
        f.balapan,
        "4",
        "Воспитатели внимательные,\nгруппа светлая.",
    )
    .await;
    assert_eq!(
        r.location(),
        Some(format!("/reviews/org/{}", f.balapan).as_str())
    );
    let (id, status, _) = review_of(&t, f.parent.user_id, f.balapan).await;
    assert_eq!(status, "pending");
    let page = f.client.get(&format!("/reviews/org/{}", f.balapan)).await;
    assert!(
        page.body.contains("Отзыв отправлен на модерацию") && page.body.contains("на модерации")
    );
    let mut visitor = t.client();
    let public = visitor.get(&format!("/reviews/org/{}", f.balapan)).await;
    assert!(
        !public.body.contains("Воспитатели внимательные"),
        "not public before moderation"
    );

    let (mut moderator, moderator_actor) = staff(&t, Role::Moderator, "+77001000302", None).await;
    let queue = moderator.get("/moderation").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(
        queue.body.contains("Воспитатели внимательные"),
        "{}",
        queue.body
    );
    let r = moderator
        .post(&format!("/moderation/reviews/{id}/approve"), &[])
        .await;
    assert_eq!(r.location(), Some("/moderation"));
    assert_eq!(
        review_of(&t, f.parent.user_id, f.balapan).await.1,
        "published"
    );
    let (key, _) = last_notice(&t, f.parent.user_id).await;
    assert_eq!(key, "reviews-notice-approved");
    let audited = count(
        &t,
        "SELECT COUNT(*) FROM audit_log WHERE action = 'review.approved' AND actor_user_id = $1",
        moderator_actor.user_id,
    )
    .await;
    assert_eq!(audited, 1);

    let public = visitor.get(&format!("/reviews/org/{}", f.balapan)).await;
    assert!(
        public
            .body
            .contains("Воспитатели внимательные,\nгруппа светлая.")
            && public.body.contains("Алия С.")
            && !public.body.contains("Сапарова")
            && public.body.contains("Средняя оценка: 4.0 из 5, отзывов: 1"),
        "{}",
        public.body
    );
    let region = visitor.get("/reviews").await;
    assert!(
        region.body.contains("Воспитатели внимательные") && region.body.contains("Балапан"),
        "{}",
        region.body
    );
    // The region switcher decides: another region has none.
    visitor.get("/region?code=75&back=%2Freviews").await;
    let other = visitor.get("/reviews").await;
    assert!(!other.body.contains("Воспитатели внимательные"));

    // The service API other pages use.
    let latest = kezek_core::reviews::latest(&t.app.db, "71", 5)
        .await
        .unwrap();
    assert_eq!(latest.len(), 1);
    assert_eq!(
        (latest[0].rating, latest[0].author.as_str()),
        (4, "Алия С.")
    );
    assert!(
        kezek_core::reviews::latest(&t.app.db, "75", 5)
            .await
            .unwrap()
            .is_empty()
    );
    let mine = kezek_core::reviews::for_organization(&t.app.db, f.balapan)
        .await
        .unwrap();
    assert_eq!(mine[0].id, id);
    let summary = kezek_core::reviews::summary(&t.app.db, f.balapan)
        .await
        .unwrap();
    assert_eq!((summary.count, summary.average), (1, Some(4.0)));
    let none = kezek_core::reviews::summary(&t.app.db, f.akbota)
        .await
        .unwrap();
    assert_eq!((none.count, none.average), (0, None));
    let json = serde_json::to_value(&mine[0]).unwrap();
    assert_eq!(json["author"], "Алия С.");
}

#[tokio::test]
async fn without_a_direction_nobody_writes_a_review() {
    let t = TestApp::start().await;
    let (mut f, mut staff_client, _) = family_with_direction(&t, "+77051110002").await;
    // The parent with a direction to Balapan has none to Akbota.
    let page = f.client.get(&format!("/reviews/org/{}", f.akbota)).await;
    assert!(
        page.body.contains("Оставить отзыв может только заявитель")
            && !page.body.contains("name=\"text\"")
    );
    let r = write(&mut f.client, f.akbota, "5", "Хорошо").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body.contains("Оставить отзыв может только заявитель"),
        "{}",
        r.body
    );

    // Another parent, without any direction.
    let mut other = family(&t, "+77051110003").await;
    let r = write(&mut other.client, other.balapan, "1", "Плохо").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Staff and visitors do not write reviews.
    let r = write(&mut staff_client, f.balapan, "5", "Мы лучшие").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut visitor = t.client();
    let r = write(&mut visitor, f.balapan, "5", "Аноним").await;
    assert_eq!(r.location(), Some("/login"));
    let page = visitor.get(&format!("/reviews/org/{}", f.balapan)).await;
    assert!(
        page.body.contains("войдите в личный кабинет"),
        "{}",
        page.body
    );
    assert_eq!(
        count(&t, "SELECT COUNT(*) FROM reviews WHERE id > $1", 0).await,
        0
    );

    // Unknown organizations and bad input: 404 and 422, never a 500.
    assert_eq!(
        f.client.get("/reviews/org/999999").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        write(&mut f.client, 999_999, "5", "x").await.status,
        StatusCode::NOT_FOUND
    );
    let r = write(&mut f.client, f.balapan, "десять", "Текст").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Выберите оценку от 1 до 5"));
    let r = write(&mut f.client, f.balapan, "6", "Текст").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = write(&mut f.client, f.balapan, "5", "   ").await;
    assert!(r.body.contains("Напишите текст отзыва"));
    let r = write(&mut f.client, f.balapan, "5", &"а".repeat(2001)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("не более 2000 символов"));
    assert_eq!(
        t.client().get("/reviews?page=abc").await.status,
        StatusCode::OK
    );
    assert_eq!(
        t.client().get("/reviews?page=-4").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn one_review_per_parent_and_organization_and_an_edit_goes_back_to_moderation() {
    let t = TestApp::start().await;
    let (mut f, _, _) = family_with_direction(&t, "+77051110004").await;
    let (mut moderator, _) = staff(&t, Role::Moderator, "+77001000303", None).await;
    write(&mut f.client, f.balapan, "3", "Первый вариант").await;
    let (id, _, _) = review_of(&t, f.parent.user_id, f.balapan).await;
    moderator
        .post(&format!("/moderation/reviews/{id}/approve"), &[])
        .await;

    let r = write(&mut f.client, f.balapan, "5", "Второй вариант").await;
    assert!(r.location().is_some());
    let page = f.client.get(&format!("/reviews/org/{}", f.balapan)).await;
    assert!(
        page.body
            .contains("Отзыв изменен и снова отправлен на модерацию")
    );
    assert!(
        page.body.contains("Второй вариант"),
        "the form holds the edited text"
    );
    let reviews = count(
        &t,
        "SELECT COUNT(*) FROM reviews WHERE author_user_id = $1",
        f.parent.user_id,
    )
    .await;
    assert_eq!(reviews, 1, "one review per parent and organization");
    let (same_id, status, _) = review_of(&t, f.parent.user_id, f.balapan).await;
    assert_eq!((same_id, status.as_str()), (id, "pending"));
    let public = t.client().get(&format!("/reviews/org/{}", f.balapan)).await;
    assert!(!public.body.contains("Первый вариант") && !public.body.contains("Второй вариант"));
    moderator
        .post(&format!("/moderation/reviews/{id}/approve"), &[])
        .await;
    let public = t.client().get(&format!("/reviews/org/{}", f.balapan)).await;
    assert!(public.body.contains("Второй вариант") && public.body.contains("5 из 5"));
}

#[tokio::test]
async fn review_pages_render_in_every_language() {
    let t = TestApp::start().await;
    let (mut f, mut staff_client, _) = family_with_direction(&t, "+77051110012").await;
    let (mut moderator, _) = staff(&t, Role::Moderator, "+77001000312", None).await;
    write(&mut f.client, f.balapan, "5", "Отлично").await;
    let (id, _, _) = review_of(&t, f.parent.user_id, f.balapan).await;
    let i18n = kezek_core::i18n::I18n::new();
    for (code, lang) in [
        ("kk", kezek_core::i18n::Lang::Kk),
        ("ru", kezek_core::i18n::Lang::Ru),
        ("en", kezek_core::i18n::Lang::En),
    ] {
        let back = "%2F";
        let mut visitor = t.client();
        for c in [
            &mut visitor,
            &mut f.client,
            &mut moderator,
            &mut staff_client,
        ] {
            c.get(&format!("/lang/{code}?back={back}")).await;
        }
        let checks = [
            (visitor.get("/reviews").await, "reviews-title"),
            (
                visitor.get(&format!("/reviews/org/{}", f.balapan)).await,
                "reviews-log-in-to-write",
            ),
            (
                f.client.get(&format!("/reviews/org/{}", f.balapan)).await,
                "reviews-yours",
            ),
            (moderator.get("/moderation").await, "moderation-title"),
            (staff_client.get("/org/reviews").await, "org-reviews-hint"),
        ];
        for (page, key) in checks {
            assert_eq!(page.status, StatusCode::OK, "{code} {key}");
            assert!(
                page.body.contains(&format!("<html lang=\"{code}\">")),
                "{code}"
            );
            let text = i18n.get(lang, key);
            let shown = text.replace('\'', "&#39;").replace('"', "&#34;");
            assert!(
                page.body.contains(&shown),
                "{code}: {key} = {text}\n{}",
                page.body
            );
        }
    }
    // Each notice reads in the reader's language, with the organization's name in it.
    moderator
        .post(&format!("/moderation/reviews/{id}/approve"), &[])
        .await;
    let (key, args) = last_notice(&t, f.parent.user_id).await;
    for lang in kezek_core::i18n::Lang::ALL {
        let text = kezek_core::notifications::render(&i18n, lang, &key, &args);
        assert!(text.contains("Балапан"), "{text}");
    }
}
