//! Verification by the education department: the inbox of the operator's area only, decisions
//! with the parent's SMS and notice, a required reason to reject (the original registration
//! date kept), one decision per item, documents of the area only, audited look-ups, and the
//! ПМПК expiry warning left once.

use axum::http::StatusCode;
use kezek_core::accounts::users::StaffBinding;
use kezek_core::applications::verification::{self, VerificationError, What};
use kezek_core::applications::{self, ApplicationInput, PmpkConclusion, PrivilegeClaim};
use kezek_core::audit::Actor;
use kezek_core::documents::DocumentKind;
use kezek_core::i18n::Lang;
use kezek_core::orgs::GroupKind;
use kezek_domain::{Kato, Role, Sex};

use crate::harness::{Client, TestApp};

const PASSWORD: &str = "operator password 1";
const PARENT_PASSWORD: &str = "parent password 1";
const ORGS: &str = "bin,name_kk,name_ru,kato,address,phone,ownership,latitude,longitude
990140000384,Балапан,Балапан,710000000,\"Астана, ул. Абая, 12\",,state,,
050440001239,Ақбота,Акбота,750000000,\"Алматы, пр. Абая, 40\",,private,,
";
const GROUPS: &str = "org_bin,name,birth_year,language,kind,correction_type,capacity
990140000384,Логопеды,2022,ru,correctional,speech,12
050440001239,Логопеды,2022,ru,correctional,speech,12
";
const PDF: &[u8] = b"%PDF-1.7 conclusion";

struct Filed {
    parent: Actor,
    phone: String,
    application_id: i64,
    number: String,
    child_iin: String,
    pmpk_document: i64,
}

/// A parent with a child born in 2022 and a correctional application (ПМПК conclusion and a
/// privilege claim, each with a document) in Astana (`71`) or Almaty (`75`).
async fn file(t: &TestApp, phone: &str, region: &str, org_bin: &str) -> Filed {
    kezek_core::orgs::import::import_files(
        &t.app.db,
        ("o", ORGS.as_bytes()),
        ("g", GROUPS.as_bytes()),
        t.app.now(),
    )
    .await
    .ok();
    t.register_parent(phone, PARENT_PASSWORD).await;
    let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE phone = $1")
        .bind(phone)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    let parent = Actor {
        user_id,
        ip: "198.51.100.5".into(),
    };
    let child_iin = t.add_person("Бала", "Кіші", (2022, 5, 12), Sex::Male).await;
    let child = kezek_core::children::add_child(&t.app, &parent, &child_iin, "M", "")
        .await
        .unwrap();
    let organization: i64 = sqlx::query_scalar("SELECT id FROM organizations WHERE bin = $1")
        .bind(org_bin)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    let upload = |kind, name: &'static str| {
        let (app, parent) = (t.app.clone(), parent.clone());
        async move {
            kezek_core::documents::upload(&app, &parent, user_id, kind, name, PDF, app.now())
                .await
                .unwrap()
        }
    };
    let pmpk = upload(DocumentKind::PmpkConclusion, "pmpk.pdf").await;
    let evidence = upload(DocumentKind::PrivilegeEvidence, "spravka.pdf").await;
    let today = kezek_domain::time::local_date(t.app.now());
    let input = ApplicationInput {
        child_id: child.id,
        kind: GroupKind::Correctional,
        correction_type: Some("speech".into()),
        language: "ru".into(),
        kato: format!("{region}0000000"),
        organization_ids: vec![organization],
        pmpk: Some(PmpkConclusion {
            number: "ПМПК-17/2026".into(),
            date: Some(today - chrono::Days::new(10)),
            expires: Some(today + chrono::Days::new(365)),
            document_id: Some(pmpk.id),
        }),
        referral_document_id: None,
        privilege: Some(PrivilegeClaim {
            category: "military".into(),
            document_ids: vec![evidence.id],
        }),
        consent: true,
        submission_key: format!("form-{phone}"),
    };
    let application_id = applications::submit(&t.app, &parent, region, &input)
        .await
        .unwrap();
    Filed {
        parent,
        phone: phone.into(),
        application_id,
        number: format!("{region}-{application_id:07}"),
        child_iin,
        pmpk_document: pmpk.id,
    }
}

/// A department operator of `kato`, logged in, and their actor.
async fn operator(t: &TestApp, phone: &str, kato: &str) -> (Client, Actor) {
    let user_id = kezek_core::accounts::create_staff(
        &t.app,
        Role::Department,
        phone,
        PASSWORD,
        StaffBinding {
            org_bin: None,
            kato: Some(kato.into()),
        },
    )
    .await
    .unwrap();
    let mut c = t.client();
    assert_eq!(
        c.login(phone, PASSWORD).await.location(),
        Some("/department")
    );
    let actor = Actor {
        user_id,
        ip: "198.51.100.9".into(),
    };
    (c, actor)
}

async fn count(t: &TestApp, sql: &str, bind: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(bind)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

async fn unread(t: &TestApp, user_id: i64) -> i64 {
    kezek_core::notifications::unread_count(&t.app.db, user_id)
        .await
        .unwrap()
}

async fn row(t: &TestApp, f: &Filed) -> applications::ApplicationRow {
    applications::store::of_parent(t.app.db.pool(), f.parent.user_id, f.application_id)
        .await
        .unwrap()
        .unwrap()
}

fn kato(code: &str) -> Kato {
    Kato::parse(code).unwrap()
}

#[tokio::test]
async fn the_inbox_shows_the_area_only_and_decisions_reach_the_parent() {
    let t = TestApp::start().await;
    let astana = file(&t, "+77020000101", "71", "990140000384").await;
    let almaty = file(&t, "+77020000102", "75", "050440001239").await;
    let (mut op, op_actor) = operator(&t, "+77011000101", "710000000").await;
    let (mut other, other_actor) = operator(&t, "+77011000102", "750000000").await;

    let inbox = verification::inbox(&t.app.db, &kato("710000000"), 0, 20)
        .await
        .unwrap();
    assert_eq!(inbox.total, 2);
    let items: Vec<(i64, What)> = inbox
        .items
        .iter()
        .map(|i| (i.application.id, i.what))
        .collect();
    assert_eq!(
        items,
        [
            (astana.application_id, What::Pmpk),
            (astana.application_id, What::Privilege)
        ]
    );

    // The page: the area's application with its documents, not Almaty's.
    let page = op.get("/department/verification").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&astana.number), "{}", page.body);
    assert!(!page.body.contains(&almaty.number));
    assert!(
        page.body
            .contains(&format!("/documents/{}", astana.pmpk_document))
    );
    assert!(page.body.contains("Одобрить") || page.body.contains("Мақұлдау"));

    // Who may open it.
    let mut anonymous = t.client();
    assert_eq!(
        anonymous.get("/department/verification").await.location(),
        Some("/login")
    );
    let mut parent = t.client();
    parent.login(&astana.phone, PARENT_PASSWORD).await;
    assert_eq!(
        parent.get("/department/verification").await.status,
        StatusCode::FORBIDDEN
    );

    // Rejecting needs a reason: the page shows the error beside the textarea.
    let path = format!(
        "/department/verification/{}/privilege",
        astana.application_id
    );
    let r = op
        .post(&path, &[("decision", "reject"), ("reason", "  ")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("aria-invalid=\"true\""), "{}", r.body);
    assert!(matches!(
        verification::decide(
            &t.app,
            &op_actor,
            astana.application_id,
            What::Privilege,
            false,
            None,
            Lang::Ru
        )
        .await,
        Err(VerificationError::ReasonRequired)
    ));
    assert_eq!(
        row(&t, &astana)
            .await
            .privilege_verification
            .map(|v| v.as_str()),
        Some("pending")
    );

    // Another area's operator cannot decide it.
    assert!(matches!(
        verification::decide(
            &t.app,
            &other_actor,
            astana.application_id,
            What::Pmpk,
            true,
            None,
            Lang::Ru
        )
        .await,
        Err(VerificationError::NotFound)
    ));
    let r = other.post(&path, &[("decision", "approve")]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // A rejected privilege claim: still queued, with the original registration date-time.
    let before = row(&t, &astana).await;
    let notices = unread(&t, astana.parent.user_id).await;
    t.clock.advance(60);
    let r = op
        .post(
            &path,
            &[
                ("decision", "reject"),
                ("reason", "Справка с места службы просрочена"),
            ],
        )
        .await;
    assert_eq!(r.location(), Some("/department/verification"));
    let after = row(&t, &astana).await;
    assert_eq!(
        after.privilege_verification.map(|v| v.as_str()),
        Some("rejected")
    );
    assert_eq!(after.status.as_str(), "queued");
    assert_eq!(after.registered_at, before.registered_at);
    let sms = t.sms_to(&astana.phone).await;
    let last = sms.last().unwrap();
    assert!(last.starts_with("Kezek:"), "{last}");
    assert!(
        last.contains(&astana.number) && last.contains("Справка с места службы просрочена"),
        "{last}"
    );
    assert_eq!(unread(&t, astana.parent.user_id).await, notices + 1);
    let events = applications::store::events_of(&t.app.db, astana.application_id)
        .await
        .unwrap();
    assert!(events.iter().any(|e| e.event == "privilege_rejected"
        && e.detail.as_deref().unwrap_or("").contains("просрочена")));

    // Approving the conclusion: SMS and notice; deciding again is refused.
    let sent = t.sms_to(&astana.phone).await.len();
    verification::decide(
        &t.app,
        &op_actor,
        astana.application_id,
        What::Pmpk,
        true,
        None,
        Lang::Kk,
    )
    .await
    .unwrap();
    let sms = t.sms_to(&astana.phone).await;
    assert_eq!(sms.len(), sent + 1);
    assert!(sms.last().unwrap().starts_with("Kezek:"));
    assert_eq!(unread(&t, astana.parent.user_id).await, notices + 2);
    assert_eq!(
        row(&t, &astana).await.pmpk_verification.map(|v| v.as_str()),
        Some("approved")
    );
    assert!(matches!(
        verification::decide(
            &t.app,
            &op_actor,
            astana.application_id,
            What::Pmpk,
            false,
            Some("again"),
            Lang::Ru
        )
        .await,
        Err(VerificationError::AlreadyDecided)
    ));
    let pmpk_path = format!("/department/verification/{}/pmpk", astana.application_id);
    let r = op.post(&pmpk_path, &[("decision", "approve")]).await;
    assert_eq!(r.location(), Some("/department/verification"));
    assert_eq!(
        count(
            &t,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'verification.decided' AND subject = $1",
            &astana.number
        )
        .await,
        2
    );
    let inbox = verification::inbox(&t.app.db, &kato("710000000"), 0, 20)
        .await
        .unwrap();
    assert_eq!(inbox.total, 0, "nothing left to verify");
}

#[tokio::test]
async fn documents_are_shown_to_operators_of_the_area_only() {
    let t = TestApp::start().await;
    let astana = file(&t, "+77020000111", "71", "990140000384").await;
    let (mut op, _) = operator(&t, "+77011000111", "710000000").await;
    let (mut other, _) = operator(&t, "+77011000112", "750000000").await;
    let path = format!("/documents/{}", astana.pmpk_document);
    let r = op.get(&path).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body.as_bytes(), PDF);
    assert_eq!(other.get(&path).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn look_ups_stay_in_the_area_and_are_audited() {
    let t = TestApp::start().await;
    let astana = file(&t, "+77020000121", "71", "990140000384").await;
    let (mut op, op_actor) = operator(&t, "+77011000121", "710000000").await;
    let (_, other_actor) = operator(&t, "+77011000122", "750000000").await;
    let area = kato("710000000");
    let now = t.app.now();

    let by_number = verification::find(&t.app.db, &op_actor, &area, &astana.number, now)
        .await
        .unwrap();
    assert_eq!(by_number.len(), 1);
    assert_eq!(by_number[0].id, astana.application_id);
    let by_iin = verification::find(&t.app.db, &op_actor, &area, &astana.child_iin, now)
        .await
        .unwrap();
    assert_eq!(by_iin.len(), 1);
    let elsewhere = verification::find(
        &t.app.db,
        &other_actor,
        &kato("750000000"),
        &astana.number,
        now,
    )
    .await
    .unwrap();
    assert!(elsewhere.is_empty());

    let page = op
        .get(&format!("/department/verification?q={}", astana.child_iin))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&astana.number));

    let audited = |subject: String| {
        let t = &t;
        async move {
            count(
                t,
                "SELECT COUNT(*) FROM audit_log WHERE action = 'verification.lookup' AND subject = $1",
                &subject,
            )
            .await
        }
    };
    assert_eq!(audited(astana.number.clone()).await, 2);
    assert_eq!(audited(astana.child_iin.clone()).await, 2);
}

#[tokio::test]
async fn expiring_conclusions_are_flagged_and_parents_warned_once() {
    let t = TestApp::start().await;
    let astana = file(&t, "+77020000131", "71", "990140000384").await;
    let later = file(&t, "+77020000132", "75", "050440001239").await;
    let today = kezek_domain::time::local_date(t.app.now());
    let soon = (today + chrono::Days::new(10))
        .format("%Y-%m-%d")
        .to_string();
    sqlx::query("UPDATE applications SET pmpk_expires = $1 WHERE id = $2")
        .bind(&soon)
        .bind(astana.application_id)
        .execute(t.app.db.pool())
        .await
        .unwrap();
    let (mut op, _) = operator(&t, "+77011000131", "710000000").await;

    let expiring = verification::expiring_pmpk(&t.app.db, &kato("710000000"), today)
        .await
        .unwrap();
    assert_eq!(
        expiring.iter().map(|a| a.id).collect::<Vec<_>>(),
        [astana.application_id]
    );
    assert!(
        verification::expiring_pmpk(&t.app.db, &kato("750000000"), today)
            .await
            .unwrap()
            .is_empty(),
        "a year ahead is not soon"
    );
    let page = op.get("/department/verification").await;
    assert!(page.body.contains(&astana.number));

    let sent = t.sms_to(&astana.phone).await.len();
    let notices = unread(&t, astana.parent.user_id).await;
    assert_eq!(
        verification::warn_expiring_pmpk(&t.app, t.app.now())
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        verification::warn_expiring_pmpk(&t.app, t.app.now())
            .await
            .unwrap(),
        0,
        "warned once"
    );
    let sms = t.sms_to(&astana.phone).await;
    assert_eq!(sms.len(), sent + 1);
    assert!(sms.last().unwrap().starts_with("Kezek:"));
    assert_eq!(unread(&t, astana.parent.user_id).await, notices + 1);
    assert_eq!(
        count(
            &t,
            "SELECT COUNT(*) FROM application_events WHERE event = 'pmpk_expiry_warned' AND detail LIKE $1",
            "%expires%"
        )
        .await,
        1
    );
    assert!(
        t.sms_to(&later.phone)
            .await
            .iter()
            .all(|s| !s.contains(&later.number))
    );
}
