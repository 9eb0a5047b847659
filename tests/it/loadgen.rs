//! The generated region of the benchmark (`kezek_datagen`): consistent enough that the queue,
//! the look-ups and the directions work on it as on real data.

use std::collections::HashSet;

use kezek_core::queue::{self, Partition, Scope};
use kezek_datagen::{self as loadgen, Spec};

use crate::harness::TestApp;

#[tokio::test]
async fn a_small_generated_region_is_consistent() {
    let t = TestApp::start().await;
    let db = &t.app.db;
    let now = t.app.now();
    let spec = Spec {
        region_code: "71".into(),
        organizations: 20,
        applications: 500,
        seed: 42,
    };
    let g = loadgen::generate(db, &spec, now).await.unwrap();
    assert_eq!(g.organization_ids.len(), 20);
    assert_eq!(g.applications, 500);
    assert!(!g.sample_application_ids.is_empty());
    let pool = db.pool();

    let count = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await
            .unwrap()
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM applications WHERE status = 'queued'").await,
        500
    );
    assert_eq!(
        count("SELECT COUNT(DISTINCT iin) FROM children").await,
        count("SELECT COUNT(*) FROM children").await
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM application_preferences").await,
        g.preferences as i64
    );
    // Every preference is an organization of the region in the application's own district…
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM application_preferences p
             JOIN applications a ON a.id = p.application_id
             JOIN organizations o ON o.id = p.organization_id
             WHERE o.kato NOT LIKE '71%' OR o.kato <> a.kato"
        )
        .await,
        0
    );
    // …with a group for the application's kind, correction type and birth year.
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM application_preferences p
             JOIN applications a ON a.id = p.application_id
             WHERE NOT EXISTS (SELECT 1 FROM org_groups g
                 WHERE g.organization_id = p.organization_id AND g.kind = a.kind
                   AND g.birth_year = a.birth_year
                   AND COALESCE(g.correction_type, '') = COALESCE(a.correction_type, ''))"
        )
        .await,
        0
    );
    // Birth years agree with the children; every application was submitted once.
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM applications a JOIN children c ON c.id = a.child_id
             WHERE CAST(substr(c.birth_date, 1, 4) AS BIGINT) <> a.birth_year
                OR a.registered_at > a.queue_at OR a.registered_at < a.queue_at"
        )
        .await,
        0
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM application_events WHERE event = 'submitted'").await,
        500
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM applications WHERE kind = 'correctional'
             AND (pmpk_verification IS NULL OR correction_type IS NULL)"
        )
        .await,
        0
    );

    // The public queue of a busy group's organization, and of its whole district.
    let rules = kezek_core::region_rules::current(pool, "71", kezek_domain::time::local_date(now))
        .await
        .unwrap()
        .queue;
    let year = i64::from(kezek_domain::time::local_year(now));
    let mut conn = pool.acquire().await.unwrap();
    let busiest: (i64, i64) = sqlx::query_as(
        "SELECT p.organization_id, a.birth_year FROM application_preferences p
         JOIN applications a ON a.id = p.application_id
         WHERE a.kind = 'regular' GROUP BY p.organization_id, a.birth_year
         ORDER BY COUNT(*) DESC, p.organization_id LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert!((year - 6..year).contains(&busiest.1));
    let kato = sqlx::query_scalar::<_, String>("SELECT kato FROM organizations WHERE id = $1")
        .bind(busiest.0)
        .fetch_one(pool)
        .await
        .unwrap();
    for scope in [
        Scope::Organization(busiest.0),
        Scope::Locality(
            kezek_domain::Kato::parse(&kato)
                .unwrap()
                .prefix()
                .to_owned(),
        ),
    ] {
        let partition = Partition {
            kind: kezek_core::orgs::GroupKind::Regular,
            correction_type: None,
            birth_year: busiest.1,
            scope,
        };
        let (counts, lines) = queue::page(&mut conn, &partition, &rules, 0, 50)
            .await
            .unwrap();
        assert!(counts.total() > 0);
        assert_eq!(lines.len() as u64, counts.total().min(50));
        assert_eq!(lines[0].position, 1);
        let ids: HashSet<i64> = lines.iter().map(|l| l.application_id).collect();
        assert_eq!(ids.len(), lines.len());
    }

    // Every sampled application stands in the queue of each organization it listed.
    for id in g.sample_application_ids.iter().take(30) {
        let key = queue::key(&mut *conn, *id).await.unwrap().unwrap();
        let orgs: Vec<i64> = sqlx::query_scalar(
            "SELECT organization_id FROM application_preferences WHERE application_id = $1
             ORDER BY position",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        assert!((1..=4).contains(&orgs.len()));
        for org in orgs {
            let partition =
                kezek_core::queue::partition_of(&key, Scope::Organization(org)).unwrap();
            let standing = queue::standing(&mut conn, &key, &partition, &rules)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("application {id} stands at organization {org}"));
            assert!(standing.position >= 1 && standing.position <= standing.total);
        }
    }
    drop(conn);

    // Places published in bulk go to waiting children, one direction per place and child.
    let group = g
        .groups
        .iter()
        .find(|gr| gr.organization_id == busiest.0 && gr.birth_year == busiest.1)
        .unwrap();
    let published = loadgen::publish_places(db, &[(group.id, 1)], now)
        .await
        .unwrap();
    assert_eq!(published, 1);
    let open: i64 = sqlx::query_scalar("SELECT open_vacancies FROM org_groups WHERE id = $1")
        .bind(group.id)
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(open, 1);
}
