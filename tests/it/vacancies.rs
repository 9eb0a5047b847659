//! Free places under the capacity rule: publish, withdraw, departures, enrolled counts, and
//! concurrent publications that must never exceed a group's capacity.

use chrono::NaiveDate;
use kezek_core::orgs::vacancies::{self, Actor, VacancyError};

use crate::harness::TestApp;

/// An organization with one group of `capacity` places and a staff member; returns (group id, actor).
pub async fn group_with_capacity(t: &TestApp, capacity: i64) -> (i64, i64, Actor) {
    let db = t.app.db.pool();
    sqlx::query("INSERT INTO kato (code, parent_code, level, name_kk, name_ru, updated_at) VALUES ('710000000', NULL, 1, 'Астана', 'Астана', 0) ON CONFLICT (code) DO NOTHING")
        .execute(db)
        .await
        .unwrap();
    let org: i64 = sqlx::query_scalar(
        "INSERT INTO organizations (bin, name_kk, name_ru, kato, address, ownership, created_at, updated_at)
         VALUES ('990140000384', 'Балапан', 'Балапан', '710000000', 'ул. Абая, 1', 'state', 0, 0) RETURNING id",
    )
    .fetch_one(db)
    .await
    .unwrap();
    let group: i64 = sqlx::query_scalar(
        "INSERT INTO org_groups (organization_id, name, birth_year, language, kind, capacity, created_at, updated_at)
         VALUES ($1, 'Балапандар', 2022, 'kk', 'regular', $2, 0, 0) RETURNING id",
    )
    .bind(org)
    .bind(capacity)
    .fetch_one(db)
    .await
    .unwrap();
    let user = kezek_core::accounts::create_staff(
        &t.app,
        kezek_domain::Role::Organization,
        "+77007000001",
        "staff password 1",
        kezek_core::accounts::users::StaffBinding {
            org_bin: Some("990140000384".into()),
            kato: None,
        },
    )
    .await
    .unwrap();
    (
        org,
        group,
        Actor {
            user_id: user,
            ip: "198.51.100.1".into(),
        },
    )
}

async fn counters(t: &TestApp, group: i64) -> (i64, i64, i64) {
    sqlx::query_as("SELECT enrolled, open_vacancies, capacity FROM org_groups WHERE id = $1")
        .bind(group)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

#[tokio::test]
async fn publishing_withdrawing_and_departures_keep_the_counters_right() {
    let t = TestApp::start().await;
    let (org, group, actor) = group_with_capacity(&t, 10).await;
    let db = &t.app.db;
    vacancies::set_enrolled(db, &actor, group, 8, t.app.now())
        .await
        .unwrap();
    let err = vacancies::publish(db, &actor, group, 3, date(), t.app.now())
        .await
        .unwrap_err();
    assert!(matches!(err, VacancyError::Capacity { free: 2 }), "{err:?}");
    let ids = vacancies::publish(db, &actor, group, 2, date(), t.app.now())
        .await
        .unwrap();
    assert_eq!(counters(&t, group).await, (8, 2, 10));
    let (bulletin, total) =
        kezek_core::portal::bulletin::places(db, "71", &Default::default(), 0, 50)
            .await
            .unwrap();
    assert_eq!(total, 2);
    assert!(
        bulletin
            .iter()
            .all(|p| p.available_from == "2026-12-01" && p.group_id == group),
        "{bulletin:?}"
    );

    vacancies::withdraw(db, &actor, org, ids[0], t.app.now())
        .await
        .unwrap();
    assert!(matches!(
        vacancies::withdraw(db, &actor, org, ids[0], t.app.now()).await,
        Err(VacancyError::NotOpen)
    ));
    assert!(
        matches!(
            vacancies::withdraw(db, &actor, org + 1, ids[1], t.app.now()).await,
            Err(VacancyError::NotFound)
        ),
        "another organization's vacancy"
    );
    assert_eq!(counters(&t, group).await, (8, 1, 10));

    vacancies::record_departure(db, &actor, group, date(), Some("переезд"), t.app.now())
        .await
        .unwrap();
    assert_eq!(
        counters(&t, group).await,
        (7, 2, 10),
        "a departure frees a place into the bulletin"
    );
    assert!(matches!(
        vacancies::set_enrolled(db, &actor, group, 9, t.app.now()).await,
        Err(VacancyError::Enrolled { max: 8 })
    ));

    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE subject = $1 ORDER BY id")
            .bind(format!("group:{group}"))
            .fetch_all(db.pool())
            .await
            .unwrap();
    assert_eq!(
        actions,
        [
            "group.enrolled_set",
            "vacancy.published",
            "vacancy.withdrawn",
            "group.departure"
        ]
    );
    let author: Option<i64> = sqlx::query_scalar("SELECT closed_by FROM vacancies WHERE id = $1")
        .bind(ids[0])
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(author, Some(actor.user_id), "who withdrew it is recorded");
}

#[tokio::test]
async fn concurrent_publications_never_exceed_capacity() {
    let t = TestApp::start().await;
    let (_, group, actor) = group_with_capacity(&t, 10).await;
    let mut tasks = Vec::new();
    for _ in 0..25 {
        let (db, actor, now) = (t.app.db.clone(), actor.clone(), t.app.now());
        tasks.push(tokio::spawn(async move {
            vacancies::publish(&db, &actor, group, 1, date(), now).await
        }));
    }
    let mut published = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => published += 1,
            Err(VacancyError::Capacity { .. }) => {}
            Err(e) => panic!("unexpected error {e:?}"),
        }
    }
    assert_eq!(published, 10);
    assert_eq!(counters(&t, group).await, (0, 10, 10));
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM vacancies WHERE status = 'open'")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(rows, 10);
}

#[tokio::test]
async fn the_database_itself_refuses_to_exceed_capacity() {
    let t = TestApp::start().await;
    let (_, group, _) = group_with_capacity(&t, 5).await;
    let result = sqlx::query("UPDATE org_groups SET enrolled = 6 WHERE id = $1")
        .bind(group)
        .execute(t.app.db.pool())
        .await;
    assert!(
        result.is_err(),
        "the CHECK constraint holds even for a direct update"
    );
}
