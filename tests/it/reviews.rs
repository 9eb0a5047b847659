//! Reviews: only a parent whose child got a direction to an organization may review it (one
//! review per parent and organization, an edit goes back to moderation); moderators approve,
//! reject or hide with a reason (audited, the author gets a notice); staff answer their own
//! organization's reviews only; abuse is reported once per user; texts are shown escaped;
//! everyone else gets 403/404 or "Вход"; the pages render in every language; the service API.

use axum::http::StatusCode;
use kezek::accounts::users::StaffBinding;
use kezek::audit::Actor;
use kezek::domain::Role;
use kezek::orgs::vacancies;

use crate::fixtures::{Family, family, regular};
use crate::harness::{Client, TestApp};

const STAFF_PASSWORD: &str = "staff password 1";
const BALAPAN_BIN: &str = "990140000384";
const AKBOTA_BIN: &str = "050440001239";

/// A staff account of `role` (bound to `bin` for organization staff), logged in.
async fn staff(t: &TestApp, role: Role, phone: &str, bin: Option<&str>) -> (Client, Actor) {
    let user_id = kezek::accounts::create_staff(
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
async fn family_with_direction(t: &TestApp, phone: &str) -> (Family, Client, Actor) {
    let f = family(t, phone).await;
    kezek::applications::submit(&t.app, &f.parent, "71", &regular(&f, "review-key"))
        .await
        .unwrap();
    let (staff_client, staff_actor) =
        staff(t, Role::Organization, "+77001000301", Some(BALAPAN_BIN)).await;
    let group: i64 = sqlx::query_scalar("SELECT id FROM org_groups WHERE name = 'Балапандар'")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    let today = kezek::children::local_date(t.app.now());
    vacancies::publish(&t.app.db, &staff_actor, group, 1, today, t.app.now())
        .await
        .unwrap();
    let issued = kezek::directions::allocate_group(&t.app, group, t.app.now())
        .await
        .unwrap();
    assert_eq!(issued, 1, "the child got the direction");
    (f, staff_client, staff_actor)
}

async fn write(c: &mut Client, org: i64, rating: &str, text: &str) -> crate::harness::Response {
    c.post(
        &format!("/reviews/org/{org}"),
        &[("rating", rating), ("text", text)],
    )
    .await
}

async fn review_of(t: &TestApp, author: i64, org: i64) -> (i64, String, Option<String>) {
    sqlx::query_as(
        "SELECT id, status, reason FROM reviews WHERE author_user_id = $1 AND organization_id = $2",
    )
    .bind(author)
    .bind(org)
    .fetch_one(t.app.db.pool())
    .await
    .unwrap()
}

async fn count(t: &TestApp, sql: &str, id: i64) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(id)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

/// The newest notice of `user`: (key, args JSON).
async fn last_notice(t: &TestApp, user: i64) -> (String, String) {
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
    let latest = kezek::reviews::latest(&t.app.db, "71", 5).await.unwrap();
    assert_eq!(latest.len(), 1);
    assert_eq!(
        (latest[0].rating, latest[0].author.as_str()),
        (4, "Алия С.")
    );
    assert!(
        kezek::reviews::latest(&t.app.db, "75", 5)
            .await
            .unwrap()
            .is_empty()
    );
    let mine = kezek::reviews::for_organization(&t.app.db, f.balapan)
        .await
        .unwrap();
    assert_eq!(mine[0].id, id);
    let summary = kezek::reviews::summary(&t.app.db, f.balapan).await.unwrap();
    assert_eq!((summary.count, summary.average), (1, Some(4.0)));
    let none = kezek::reviews::summary(&t.app.db, f.akbota).await.unwrap();
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
async fn a_rejection_needs_a_reason_and_the_parent_reads_it() {
    let t = TestApp::start().await;
    let (mut f, _, _) = family_with_direction(&t, "+77051110005").await;
    let (mut moderator, _) = staff(&t, Role::Moderator, "+77001000304", None).await;
    write(&mut f.client, f.balapan, "1", "Там все ужасные люди").await;
    let (id, _, _) = review_of(&t, f.parent.user_id, f.balapan).await;

    let r = moderator
        .post(
            &format!("/moderation/reviews/{id}/reject"),
            &[("reason", "  ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Укажите причину"), "{}", r.body);
    assert_eq!(
        review_of(&t, f.parent.user_id, f.balapan).await.1,
        "pending"
    );

    let r = moderator
        .post(
            &format!("/moderation/reviews/{id}/reject"),
            &[("reason", "Оскорбления")],
        )
        .await;
    assert_eq!(r.location(), Some("/moderation"));
    let (_, status, reason) = review_of(&t, f.parent.user_id, f.balapan).await;
    assert_eq!(
        (status.as_str(), reason.as_deref()),
        ("rejected", Some("Оскорбления"))
    );
    let (key, args) = last_notice(&t, f.parent.user_id).await;
    assert_eq!(key, "reviews-notice-rejected");
    assert!(
        args.contains("Оскорбления") && args.contains("Балапан"),
        "{args}"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'review.rejected' AND subject = $1",
    )
    .bind(format!("review:{id}"))
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    assert_eq!(audited, 1);
    let notices = f.client.get("/cabinet/notifications").await;
    assert!(
        notices
            .body
            .contains("отклонен модератором. Причина: Оскорбления"),
        "{}",
        notices.body
    );
    let page = f.client.get(&format!("/reviews/org/{}", f.balapan)).await;
    assert!(
        page.body.contains("Причина модератора: Оскорбления") && page.body.contains("отклонен")
    );
    // Deciding again is refused without an error page: someone decided first.
    let r = moderator
        .post(&format!("/moderation/reviews/{id}/approve"), &[])
        .await;
    assert_eq!(r.location(), Some("/moderation"));
    assert_eq!(
        review_of(&t, f.parent.user_id, f.balapan).await.1,
        "rejected"
    );
}

#[tokio::test]
async fn staff_answer_only_their_own_organizations_reviews() {
    let t = TestApp::start().await;
    let (mut f, mut balapan_staff, _) = family_with_direction(&t, "+77051110006").await;
    let (mut moderator, _) = staff(&t, Role::Moderator, "+77001000305", None).await;
    write(&mut f.client, f.balapan, "4", "Хороший сад").await;
    let (id, _, _) = review_of(&t, f.parent.user_id, f.balapan).await;

    // Not yet published: nothing to answer.
    let r = balapan_staff
        .post(
            &format!("/org/reviews/{id}/answer"),
            &[("answer", "Спасибо")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    moderator
        .post(&format!("/moderation/reviews/{id}/approve"), &[])
        .await;

    let dashboard = balapan_staff.get("/org").await;
    assert!(dashboard.body.contains("href=\"/org/reviews\""));
    let list = balapan_staff.get("/org/reviews").await;
    assert!(list.body.contains("Хороший сад") && list.body.contains("Опубликовать ответ"));
    let r = balapan_staff
        .post(&format!("/org/reviews/{id}/answer"), &[("answer", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = balapan_staff
        .post(
            &format!("/org/reviews/{id}/answer"),
            &[("answer", "Спасибо за отзыв!")],
        )
        .await;
    assert_eq!(r.location(), Some("/org/reviews"));
    let r = balapan_staff
        .post(
            &format!("/org/reviews/{id}/answer"),
            &[("answer", "Спасибо, ждем снова!")],
        )
        .await;
    assert_eq!(r.location(), Some("/org/reviews"), "one answer, editable");
    let public = t.client().get(&format!("/reviews/org/{}", f.balapan)).await;
    assert!(
        public.body.contains("Ответ организации")
            && public.body.contains("Спасибо, ждем снова!")
            && !public.body.contains("Спасибо за отзыв!"),
        "{}",
        public.body
    );

    // Akbota's staff cannot answer Balapan's review; parents do not reach the cabinet.
    let (mut akbota_staff, _) =
        staff(&t, Role::Organization, "+77001000306", Some(AKBOTA_BIN)).await;
    let r = akbota_staff
        .post(
            &format!("/org/reviews/{id}/answer"),
            &[("answer", "Чужой ответ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        !akbota_staff
            .get("/org/reviews")
            .await
            .body
            .contains("Хороший сад")
    );
    assert_eq!(
        f.client.get("/org/reviews").await.status,
        StatusCode::FORBIDDEN
    );
    let r = f
        .client
        .post(
            &format!("/org/reviews/{id}/answer"),
            &[("answer", "Сам себе")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let answer: Option<String> = sqlx::query_scalar("SELECT answer FROM reviews WHERE id = $1")
        .bind(id)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(answer.as_deref(), Some("Спасибо, ждем снова!"));
}

#[tokio::test]
async fn abuse_is_reported_once_and_a_moderator_hides_the_review() {
    let t = TestApp::start().await;
    let (mut f, _, _) = family_with_direction(&t, "+77051110007").await;
    let (mut moderator, _) = staff(&t, Role::Moderator, "+77001000307", None).await;
    write(&mut f.client, f.balapan, "2", "Директор — вор").await;
    let (id, _, _) = review_of(&t, f.parent.user_id, f.balapan).await;

    // A pending review cannot be reported: it is not public.
    let mut other = family(&t, "+77051110008").await;
    let r = other
        .client
        .post(&format!("/reviews/{id}/report"), &[("reason", "Клевета")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    moderator
        .post(&format!("/moderation/reviews/{id}/approve"), &[])
        .await;

    let page = other
        .client
        .get(&format!("/reviews/org/{}", f.balapan))
        .await;
    assert!(
        page.body
            .contains(&format!("action=\"/reviews/{id}/report\""))
    );
    assert!(
        !t.client()
            .get(&format!("/reviews/org/{}", f.balapan))
            .await
            .body
            .contains("/report\""),
        "visitors get no report form"
    );
    let r = other
        .client
        .post(&format!("/reviews/{id}/report"), &[("reason", "")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = other
        .client
        .post(&format!("/reviews/{id}/report"), &[("reason", "Клевета")])
        .await;
    assert_eq!(
        r.location(),
        Some(format!("/reviews/org/{}", f.balapan).as_str())
    );
    let r = other
        .client
        .post(&format!("/reviews/{id}/report"), &[("reason", "Еще раз")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("Вы уже пожаловались"));
    assert_eq!(
        count(
            &t,
            "SELECT COUNT(*) FROM review_reports WHERE review_id = $1",
            id
        )
        .await,
        1
    );
    let mut visitor = t.client();
    assert_eq!(
        visitor
            .post(&format!("/reviews/{id}/report"), &[("reason", "x")])
            .await
            .location(),
        Some("/login")
    );
    assert_eq!(
        other
            .client
            .post("/reviews/999999/report", &[("reason", "x")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let queue = moderator.get("/moderation").await;
    assert!(
        queue.body.contains("Клевета") && queue.body.contains("Директор — вор"),
        "{}",
        queue.body
    );
    let r = moderator
        .post(&format!("/moderation/reviews/{id}/hide"), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = moderator
        .post(
            &format!("/moderation/reviews/{id}/hide"),
            &[("reason", "Оскорбление без доказательств")],
        )
        .await;
    assert_eq!(r.location(), Some("/moderation"));
    assert_eq!(review_of(&t, f.parent.user_id, f.balapan).await.1, "hidden");
    let open = count(
        &t,
        "SELECT COUNT(*) FROM review_reports WHERE review_id = $1 AND resolved_at IS NULL",
        id,
    )
    .await;
    assert_eq!(open, 0, "hiding resolves the reports");
    assert_eq!(
        last_notice(&t, f.parent.user_id).await.0,
        "reviews-notice-hidden"
    );
    let public = t.client().get(&format!("/reviews/org/{}", f.balapan)).await;
    assert!(!public.body.contains("Директор — вор"));
    assert!(
        !t.client()
            .get("/reviews")
            .await
            .body
            .contains("Директор — вор")
    );
    assert!(!moderator.get("/moderation").await.body.contains("Клевета"));
}

#[tokio::test]
async fn reports_can_be_dismissed_and_the_review_stays() {
    let t = TestApp::start().await;
    let (mut f, _, _) = family_with_direction(&t, "+77051110009").await;
    let (mut moderator, _) = staff(&t, Role::Moderator, "+77001000308", None).await;
    write(&mut f.client, f.balapan, "5", "Прекрасный сад").await;
    let (id, _, _) = review_of(&t, f.parent.user_id, f.balapan).await;
    moderator
        .post(&format!("/moderation/reviews/{id}/approve"), &[])
        .await;
    let (mut staff_client, _) =
        staff(&t, Role::Organization, "+77001000309", Some(AKBOTA_BIN)).await;
    let r = staff_client
        .post(&format!("/reviews/{id}/report"), &[("reason", "Реклама")])
        .await;
    assert!(r.location().is_some(), "anyone logged in may report");
    let r = moderator
        .post(&format!("/moderation/reviews/{id}/dismiss"), &[])
        .await;
    assert_eq!(r.location(), Some("/moderation"));
    assert_eq!(
        review_of(&t, f.parent.user_id, f.balapan).await.1,
        "published"
    );
    let r = moderator
        .post(&format!("/moderation/reviews/{id}/dismiss"), &[])
        .await;
    assert_eq!(
        r.location(),
        Some("/moderation"),
        "nothing left to dismiss is no error page"
    );
    assert!(
        t.client()
            .get(&format!("/reviews/org/{}", f.balapan))
            .await
            .body
            .contains("Прекрасный сад")
    );
}

#[tokio::test]
async fn texts_are_stored_as_typed_and_shown_escaped() {
    let t = TestApp::start().await;
    let (mut f, mut staff_client, _) = family_with_direction(&t, "+77051110010").await;
    let (mut moderator, _) = staff(&t, Role::Moderator, "+77001000310", None).await;
    let evil = "<script>alert('x')</script> & <b>bold</b>";
    write(&mut f.client, f.balapan, "3", evil).await;
    let (id, _, _) = review_of(&t, f.parent.user_id, f.balapan).await;
    let stored: String = sqlx::query_scalar("SELECT body FROM reviews WHERE id = $1")
        .bind(id)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(stored, evil, "stored as typed");
    let pages = [
        moderator.get("/moderation").await,
        f.client.get(&format!("/reviews/org/{}", f.balapan)).await,
    ];
    moderator
        .post(&format!("/moderation/reviews/{id}/approve"), &[])
        .await;
    staff_client
        .post(
            &format!("/org/reviews/{id}/answer"),
            &[("answer", "<img src=x onerror=alert(1)>")],
        )
        .await;
    let more = [
        t.client().get(&format!("/reviews/org/{}", f.balapan)).await,
        t.client().get("/reviews").await,
        staff_client.get("/org/reviews").await,
    ];
    for page in pages.iter().chain(more.iter()) {
        assert!(
            !page.body.contains("<script>alert") && !page.body.contains("<b>bold"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("&#60;script&#62;alert(&#39;x&#39;)"),
            "{}",
            page.body
        );
    }
    for page in &more {
        assert!(!page.body.contains("<img src=x") && page.body.contains("&#60;img src=x"));
    }
}

#[tokio::test]
async fn only_moderators_moderate() {
    let t = TestApp::start().await;
    let (mut f, mut staff_client, _) = family_with_direction(&t, "+77051110011").await;
    write(&mut f.client, f.balapan, "4", "Ждет модерации").await;
    let (id, _, _) = review_of(&t, f.parent.user_id, f.balapan).await;
    assert_eq!(
        f.client.get("/moderation").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        staff_client.get("/moderation").await.status,
        StatusCode::FORBIDDEN
    );
    for path in ["approve", "reject", "hide", "dismiss"] {
        let url = format!("/moderation/reviews/{id}/{path}");
        let r = f.client.post(&url, &[("reason", "сам себе")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        let r = staff_client.post(&url, &[("reason", "сами")]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
    let mut visitor = t.client();
    assert_eq!(visitor.get("/moderation").await.location(), Some("/login"));
    assert_eq!(
        review_of(&t, f.parent.user_id, f.balapan).await.1,
        "pending"
    );
    // Without the CSRF token even a moderator's form is refused.
    let (mut moderator, _) = staff(&t, Role::Moderator, "+77001000311", None).await;
    let r = moderator
        .post_raw(&format!("/moderation/reviews/{id}/approve"), "", &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        review_of(&t, f.parent.user_id, f.balapan).await.1,
        "pending"
    );
    let r = moderator
        .post("/moderation/reviews/999999/approve", &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The moderator's cabinet leads to the moderation page.
    assert!(
        moderator
            .get("/staff")
            .await
            .body
            .contains("href=\"/moderation\"")
    );
}

#[tokio::test]
async fn review_pages_render_in_every_language() {
    let t = TestApp::start().await;
    let (mut f, mut staff_client, _) = family_with_direction(&t, "+77051110012").await;
    let (mut moderator, _) = staff(&t, Role::Moderator, "+77001000312", None).await;
    write(&mut f.client, f.balapan, "5", "Отлично").await;
    let (id, _, _) = review_of(&t, f.parent.user_id, f.balapan).await;
    let i18n = kezek::i18n::I18n::new();
    for (code, lang) in [
        ("kk", kezek::i18n::Lang::Kk),
        ("ru", kezek::i18n::Lang::Ru),
        ("en", kezek::i18n::Lang::En),
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
    for lang in kezek::i18n::Lang::ALL {
        let text = kezek::notifications::render(&i18n, lang, &key, &args);
        assert!(text.contains("Балапан"), "{text}");
    }
}

#[tokio::test]
async fn an_administrator_creates_a_moderator_who_lands_on_moderation() {
    let t = TestApp::start().await;
    let (mut admin, _) = crate::admin_cabinet::admin(&t).await;
    let form = admin.get("/admin/staff/new").await;
    assert!(form.body.contains("value=\"moderator\""), "{}", form.body);
    let r = admin
        .post(
            "/admin/staff/new",
            &[
                ("role", "moderator"),
                ("phone", "+7 700 900 00 31"),
                ("password", "moderator password"),
                // A moderator is bound to nothing: whatever was typed is dropped.
                ("org_bin", "990140000384"),
                ("kato", "710000000"),
            ],
        )
        .await;
    assert!(
        r.location().is_some_and(|l| l.starts_with("/admin/staff/")),
        "{}",
        r.body
    );
    let binding: (String, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT u.role, s.org_bin, s.kato FROM users u JOIN staff s ON s.user_id = u.id
         WHERE u.phone = '+77009000031'",
    )
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    assert_eq!(binding, ("moderator".into(), None, None));
    let mut moderator = t.client();
    let landing = moderator
        .login("+7 700 900 00 31", "moderator password")
        .await;
    assert_eq!(landing.location(), Some("/moderation"));
    let page = moderator.get("/moderation").await;
    assert!(page.body.contains("Новых отзывов нет") && page.body.contains("Жалоб нет"));
}
