//! Reviews after writing: moderators reject or hide with a reason (audited, the author reads
//! it), staff answer their own organization's reviews only, abuse is reported once per user and
//! reports can be dismissed, texts are shown escaped everywhere, and only moderators moderate.

use axum::http::StatusCode;
use kezek_domain::Role;

use super::{AKBOTA_BIN, count, family_with_direction, last_notice, review_of, staff, write};
use crate::fixtures::family;
use crate::harness::TestApp;

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
