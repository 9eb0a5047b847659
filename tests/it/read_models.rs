//! The parents' read models (`applications::read`, `queue::own_positions`, `queue::at_choices`)
//! against the per-row computation the pages made before: the same numbers for every application
//! of a generated world with privileges, pending claims, ties, several regions with their own
//! rules and applications out of the queue; and a number of statements that does not grow with
//! the number of applications or choices.

use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Days, NaiveDate};
use kezek_core::applications::read::{self, ApplicationSummary};
use kezek_core::applications::store::{self, ApplicationRow};
use kezek_core::orgs::GroupKind;
use kezek_core::queue::{self, OwnPosition, Partition, Scope, Standing};
use kezek_datagen::{self as loadgen, Spec};
use kezek_domain::Kato;
use kezek_domain::queue::PositionChange;
use sqlx::{AnyConnection, ConnectOptions};

use crate::harness::TestApp;

/// Two generated regions, made more varied than the generator makes them: privileges verified
/// and pending in every queue, equal queue date-times, applications given a direction, signed or
/// deleted, one returned to the queue with a new date-time, sanatorium applications, parents with
/// applications in both regions, and rules of their own in each region (with a version not yet
/// in force). Returns today's date in Kazakhstan.
async fn varied_world(t: &TestApp) -> NaiveDate {
    let db = &t.app.db;
    let pool = db.pool();
    let now = t.app.now();
    for (region_code, organizations, applications, seed) in [("71", 10, 150, 7), ("75", 6, 60, 8)] {
        let spec = Spec {
            region_code: region_code.into(),
            organizations,
            applications,
            seed,
        };
        loadgen::generate(db, &spec, now).await.unwrap();
    }
    let run = |sql: &'static str| async move {
        sqlx::query(sql).execute(pool).await.unwrap();
    };
    run(
        "UPDATE applications SET category = 'extraordinary', privilege_category = 'military',
             privilege_verification = 'approved' WHERE id % 7 = 0",
    )
    .await;
    run(
        "UPDATE applications SET category = 'first_priority', privilege_category = 'large_family',
             privilege_verification = 'approved' WHERE id % 5 = 0 AND id % 7 <> 0",
    )
    .await;
    run(
        "UPDATE applications SET category = 'general', privilege_category = 'teacher',
             privilege_verification = 'pending' WHERE id % 11 = 0 AND id % 7 <> 0 AND id % 5 <> 0",
    )
    .await;
    run(
        "INSERT INTO application_events (application_id, at, event, detail)
         SELECT id, registered_at + 86400, 'privilege_approved', '{}' FROM applications
         WHERE privilege_verification = 'approved'",
    )
    .await;
    run("UPDATE applications SET status = 'direction_issued' WHERE id % 13 = 0").await;
    run("UPDATE applications SET status = 'signed', active_key = NULL WHERE id % 17 = 0").await;
    run("UPDATE applications SET status = 'deleted', active_key = NULL WHERE id % 19 = 0").await;
    // Regular applications become sanatorium ones, their preferences' copy of the kind with them.
    run(
        "UPDATE applications SET kind = 'sanatorium', active_key = child_id || ':sanatorium',
             referral_verification = 'approved'
         WHERE id % 29 = 0 AND kind = 'regular' AND status = 'queued'",
    )
    .await;
    run("UPDATE application_preferences SET kind = 'sanatorium'
         WHERE application_id IN (SELECT id FROM applications WHERE kind = 'sanatorium')")
    .await;
    sqlx::query("UPDATE applications SET queue_at = $1 WHERE id % 6 = 1")
        .bind(now - 400 * 86_400)
        .execute(pool)
        .await
        .unwrap();
    // Given a direction and refused: back in the queue, at the end.
    let returned: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, registered_at FROM applications WHERE id % 23 = 0 AND status = 'queued'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (id, registered_at) in returned {
        let back_at = registered_at + 3 * 86_400;
        for (at, event, detail) in [
            (
                registered_at + 2 * 86_400,
                "direction_issued",
                "{}".to_owned(),
            ),
            (
                back_at,
                "direction_refused",
                format!("{{\"queue_at\": {back_at}}}"),
            ),
        ] {
            sqlx::query(
                "INSERT INTO application_events (application_id, at, event, detail)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(at)
            .bind(event)
            .bind(detail)
            .execute(pool)
            .await
            .unwrap();
        }
        sqlx::query("UPDATE applications SET queue_at = $1 WHERE id = $2")
            .bind(back_at)
            .bind(id)
            .execute(pool)
            .await
            .unwrap();
    }
    // Every third family of Almaty moves to a parent in Astana, children included.
    let astana_parents: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT parent_user_id FROM applications WHERE region_code = '71'
         ORDER BY parent_user_id",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let movers: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, child_id FROM applications WHERE region_code = '75' AND id % 3 = 0",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (k, (id, child_id)) in movers.into_iter().enumerate() {
        let parent = astana_parents[k * 7 % astana_parents.len()];
        for sql in [
            "UPDATE applications SET parent_user_id = $1 WHERE id = $2",
            "UPDATE children SET parent_user_id = $1 WHERE id = $2",
        ] {
            sqlx::query(sql)
                .bind(parent)
                .bind(if sql.contains("children") {
                    child_id
                } else {
                    id
                })
                .execute(pool)
                .await
                .unwrap();
        }
    }
    let today = kezek_domain::time::local_date(now);
    let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    for (region_code, from, precedence, first_priority, general) in [
        (
            "71",
            day(today - Days::new(1)),
            "extraordinary,first_priority,general",
            2,
            3,
        ),
        (
            "71",
            day(today + Days::new(1)),
            "general,first_priority,extraordinary",
            0,
            0,
        ),
        (
            "75",
            day(today),
            "extraordinary,general,first_priority",
            1,
            2,
        ),
    ] {
        sqlx::query(
            "INSERT INTO region_rule_versions (region_code, effective_from, max_preferred_orgs,
                 precedence, interleave_first_priority, interleave_general, accept_working_days,
                 enroll_working_days, extension_max_days, stop_list_days, after_stop_list,
                 created_at)
             VALUES ($1, $2, 4, $3, $4, $5, 3, 5, 30, 10, 'keep', $6)",
        )
        .bind(region_code)
        .bind(from)
        .bind(precedence)
        .bind(first_priority as i64)
        .bind(general as i64)
        .bind(now)
        .execute(pool)
        .await
        .unwrap();
    }
    today
}

async fn count(t: &TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

/// The place at the first choice as the list computed it: one application at a time.
async fn first_place_per_row(
    conn: &mut AnyConnection,
    row: &ApplicationRow,
    today: NaiveDate,
) -> Option<Standing> {
    let key = queue::key(&mut *conn, row.id).await.unwrap()?;
    let first: Option<i64> = sqlx::query_scalar(
        "SELECT organization_id FROM application_preferences WHERE application_id = $1
         ORDER BY position LIMIT 1",
    )
    .bind(row.id)
    .fetch_optional(&mut *conn)
    .await
    .unwrap();
    let partition = kezek_core::queue::partition_of(&key, Scope::Organization(first?))?;
    let rules = kezek_core::region_rules::current(&mut *conn, &row.region_code, today)
        .await
        .unwrap();
    queue::standing(conn, &key, &partition, &rules.queue)
        .await
        .unwrap()
}

/// (organization, names, standing, history) at every choice, as "Подробнее" computed them.
type Position = (i64, String, String, Option<Standing>, Vec<PositionChange>);

async fn positions_per_row(
    conn: &mut AnyConnection,
    row: &ApplicationRow,
    today: NaiveDate,
) -> Vec<Position> {
    let Some(key) = queue::key(&mut *conn, row.id).await.unwrap() else {
        return Vec::new();
    };
    let rules = kezek_core::region_rules::current(&mut *conn, &row.region_code, today)
        .await
        .unwrap()
        .queue;
    let organizations: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT o.id, o.name_kk, o.name_ru FROM application_preferences p
         JOIN organizations o ON o.id = p.organization_id
         WHERE p.application_id = $1 ORDER BY p.position",
    )
    .bind(row.id)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut out = Vec::new();
    for (id, kk, ru) in organizations {
        let Some(partition) = kezek_core::queue::partition_of(&key, Scope::Organization(id)) else {
            continue;
        };
        let standing = queue::standing(conn, &key, &partition, &rules)
            .await
            .unwrap();
        let history = queue::history(&mut *conn, &key, &partition, &rules)
            .await
            .unwrap();
        out.push((id, kk, ru, standing, history));
    }
    out
}

/// The queue page's own positions as it computed them: one application at a time.
async fn own_positions_per_row(
    conn: &mut AnyConnection,
    parent: i64,
    partition: &Partition,
    rules: &kezek_domain::queue::QueueRules,
) -> Vec<OwnPosition> {
    let ids: Vec<(i64, Option<String>)> = sqlx::query_as(
        "SELECT id, number FROM applications WHERE parent_user_id = $1 AND status = 'queued'
         ORDER BY id",
    )
    .bind(parent)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut out = Vec::new();
    for (id, number) in ids {
        let key = queue::key(&mut *conn, id).await.unwrap().unwrap();
        if kezek_core::queue::partition_of(&key, partition.scope.clone()).as_ref()
            != Some(partition)
        {
            continue;
        }
        if let Some(standing) = queue::standing(conn, &key, partition, rules).await.unwrap() {
            out.push(OwnPosition {
                application_id: id,
                number: number.unwrap_or_default(),
                standing,
            });
        }
    }
    out
}

/// What a summary shows, comparable: (application, child, choices with names, first place).
type Shown = (
    i64,
    Option<i64>,
    Vec<(i64, i64, String, String)>,
    Option<Standing>,
);

fn shown(s: &ApplicationSummary) -> Shown {
    (
        s.application.id,
        s.child.as_ref().map(|c| c.id),
        s.organizations
            .iter()
            .map(|p| {
                (
                    p.position,
                    p.organization_id,
                    p.name_kk.clone(),
                    p.name_ru.clone(),
                )
            })
            .collect(),
        s.first_choice.clone(),
    )
}

#[tokio::test]
async fn read_models_match_the_per_row_computation() {
    let t = TestApp::start().await;
    let today = varied_world(&t).await;
    let pool = t.app.db.pool();
    // The world has what the comparison is about.
    for (what, sql) in [
        (
            "extraordinary",
            "SELECT COUNT(*) FROM applications WHERE status = 'queued' AND category = 'extraordinary'",
        ),
        (
            "first priority",
            "SELECT COUNT(*) FROM applications WHERE status = 'queued' AND category = 'first_priority'",
        ),
        (
            "pending claims",
            "SELECT COUNT(*) FROM applications WHERE status = 'queued' AND privilege_verification = 'pending'",
        ),
        (
            "correctional",
            "SELECT COUNT(*) FROM applications WHERE status = 'queued' AND kind = 'correctional'",
        ),
        (
            "sanatorium",
            "SELECT COUNT(*) FROM applications WHERE status = 'queued' AND kind = 'sanatorium'",
        ),
        (
            "out of the queue",
            "SELECT COUNT(*) FROM applications WHERE status IN ('direction_issued', 'signed')",
        ),
        (
            "several choices",
            "SELECT COUNT(*) FROM (SELECT application_id FROM application_preferences GROUP BY application_id HAVING COUNT(*) > 2) m",
        ),
        (
            "equal queue times",
            "SELECT COUNT(*) FROM (SELECT queue_at FROM applications WHERE status = 'queued' GROUP BY queue_at HAVING COUNT(*) > 1) m",
        ),
        (
            "parents in two regions",
            "SELECT COUNT(*) FROM (SELECT parent_user_id FROM applications GROUP BY parent_user_id HAVING COUNT(DISTINCT region_code) > 1) m",
        ),
        (
            "parents of several",
            "SELECT COUNT(*) FROM (SELECT parent_user_id FROM applications GROUP BY parent_user_id, kind HAVING COUNT(*) > 1) m",
        ),
    ] {
        assert!(count(&t, sql).await > 0, "the world has no {what}");
    }

    let mut conn = pool.acquire().await.unwrap();
    let parents: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT parent_user_id FROM applications ORDER BY parent_user_id",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut compared = 0_i64;
    // (ahead by category, ahead by date, changes caused by others): the numbers are not trivial.
    let mut seen = (0, 0, 0);
    for &parent in &parents {
        let children = kezek_core::children::children_of(&mut *conn, parent)
            .await
            .unwrap();
        for kind in GroupKind::ALL {
            let summaries = read::of_parent(&mut conn, parent, kind, today)
                .await
                .unwrap();
            let ids: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM applications
                 WHERE parent_user_id = $1 AND kind = $2 AND status <> 'deleted'
                 ORDER BY registered_at DESC, id DESC",
            )
            .bind(parent)
            .bind(kind.as_str())
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            assert_eq!(
                summaries
                    .iter()
                    .map(|s| s.application.id)
                    .collect::<Vec<_>>(),
                ids
            );
            for (summary, id) in summaries.iter().zip(ids) {
                let row = store::of_parent(&mut *conn, parent, id)
                    .await
                    .unwrap()
                    .unwrap();
                let choices: Vec<(i64, i64, String, String)> = sqlx::query_as(
                    "SELECT p.position, p.organization_id, o.name_kk, o.name_ru
                     FROM application_preferences p JOIN organizations o ON o.id = p.organization_id
                     WHERE p.application_id = $1 ORDER BY p.position",
                )
                .bind(id)
                .fetch_all(&mut *conn)
                .await
                .unwrap();
                let child = children.iter().find(|c| c.id == row.child_id).map(|c| c.id);
                let first = first_place_per_row(&mut conn, &row, today).await;
                assert_eq!(
                    shown(summary),
                    (id, child, choices, first),
                    "application {id}"
                );

                let one = read::summary(
                    &mut conn,
                    row.clone(),
                    children.iter().find(|c| c.id == row.child_id).cloned(),
                    today,
                )
                .await
                .unwrap();
                assert_eq!(shown(&one), shown(summary), "application {id} alone");

                let detail = read::detail(&mut conn, row.clone(), today).await.unwrap();
                assert_eq!(
                    shown(&detail.summary),
                    shown(summary),
                    "application {id} in detail"
                );
                let key = queue::key(&mut *conn, id).await.unwrap().unwrap();
                assert_eq!(detail.birth_year, key.birth_year);
                for o in &detail.positions {
                    if let Some(s) = &o.standing {
                        seen.0 += usize::from(s.ahead_by_category() > 0);
                        seen.1 += usize::from(s.ahead_by_date() > 0);
                    }
                    seen.2 += o.history.iter().filter(|c| !c.own).count();
                }
                let positions: Vec<Position> = detail
                    .positions
                    .into_iter()
                    .map(|o| {
                        (
                            o.organization_id,
                            o.name_kk,
                            o.name_ru,
                            o.standing,
                            o.history,
                        )
                    })
                    .collect();
                assert_eq!(
                    positions,
                    positions_per_row(&mut conn, &row, today).await,
                    "positions of application {id}"
                );
                compared += 1;
            }
        }
    }
    let listed = count(
        &t,
        "SELECT COUNT(*) FROM applications WHERE status <> 'deleted'",
    )
    .await;
    assert_eq!(compared, listed, "every application compared");
    assert!(seen.0 > 0 && seen.1 > 0 && seen.2 > 0, "{seen:?}");

    // The queue page: each parent in every queue of their applications, by organization (listed
    // or not) and by locality, under the rules of the region looked at.
    let any_organization: i64 = sqlx::query_scalar("SELECT MIN(id) FROM organizations")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let mut queues_compared = 0;
    for &parent in &parents {
        let keys: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, kato FROM applications WHERE parent_user_id = $1 AND status = 'queued'",
        )
        .bind(parent)
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        let mut partitions: Vec<Partition> = Vec::new();
        for (id, kato) in keys {
            let key = queue::key(&mut *conn, id).await.unwrap().unwrap();
            let listed: Vec<i64> = sqlx::query_scalar(
                "SELECT organization_id FROM application_preferences WHERE application_id = $1",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            let kato = Kato::parse(&kato).unwrap();
            let scopes = listed
                .into_iter()
                .chain([any_organization])
                .map(Scope::Organization)
                .chain([
                    Scope::Locality(kato.prefix().to_owned()),
                    Scope::Locality(kato.region_code().to_owned()),
                ]);
            for scope in scopes {
                let partition = kezek_core::queue::partition_of(&key, scope).unwrap();
                if !partitions.contains(&partition) {
                    partitions.push(partition);
                }
            }
        }
        for partition in &partitions {
            for region in ["71", "75"] {
                let rules = kezek_core::region_rules::current(&mut *conn, region, today)
                    .await
                    .unwrap()
                    .queue;
                assert_eq!(
                    queue::own_positions(&mut conn, parent, partition, &rules)
                        .await
                        .unwrap(),
                    own_positions_per_row(&mut conn, parent, partition, &rules).await,
                    "parent {parent} in {partition:?}"
                );
                queues_compared += 1;
            }
        }
    }
    assert!(queues_compared > parents.len());
}

/// Counts the statements of connections that log them at TRACE: only those `counting` opens, so
/// statements of other tests in the same process (whose connections log at DEBUG) are not counted.
/// Global, because SQLite runs each connection's statements on a thread of its own.
struct StatementCounter;

static STATEMENTS: AtomicUsize = AtomicUsize::new(0);

impl tracing::Subscriber for StatementCounter {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        metadata.target() == "sqlx::query" && *metadata.level() == tracing::Level::TRACE
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {
        STATEMENTS.fetch_add(1, Ordering::SeqCst);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// A connection to the test's database whose statements `StatementCounter` counts.
async fn counting(t: &TestApp) -> AnyConnection {
    let _ = tracing::subscriber::set_global_default(StatementCounter);
    // The level's type is the `log` crate's, which sqlx takes but does not re-export.
    let trace = || "trace".parse().expect("a log level");
    sqlx::any::AnyConnectOptions::from_str(t.app.settings.database_url.expose())
        .unwrap()
        .log_statements(trace())
        .log_slow_statements(trace(), std::time::Duration::from_secs(3600))
        .connect()
        .await
        .unwrap()
}

/// The statements `read` runs.
async fn statements<T>(read: impl std::future::Future<Output = T>) -> (usize, T) {
    let before = STATEMENTS.load(Ordering::SeqCst);
    let found = read.await;
    (STATEMENTS.load(Ordering::SeqCst) - before, found)
}

/// Gives `parent` the application `id` (with its child), waiting for regular groups for children
/// born in `year`, at `organizations` in this order.
async fn in_one_queue(t: &TestApp, parent: i64, id: i64, year: i64, organizations: &[i64]) {
    let pool = t.app.db.pool();
    sqlx::query(
        "UPDATE applications SET parent_user_id = $1, birth_year = $2, status = 'queued',
             kind = 'regular', correction_type = NULL WHERE id = $3",
    )
    .bind(parent)
    .bind(year)
    .bind(id)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "UPDATE children SET parent_user_id = $1
         WHERE id = (SELECT child_id FROM applications WHERE id = $2)",
    )
    .bind(parent)
    .bind(id)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("DELETE FROM application_preferences WHERE application_id = $1")
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    for (position, organization) in organizations.iter().enumerate() {
        sqlx::query(
            "INSERT INTO application_preferences
                 (application_id, position, organization_id, kind, birth_year, correction_type)
             VALUES ($1, $2, $3, 'regular', $4, NULL)",
        )
        .bind(id)
        .bind(position as i64 + 1)
        .bind(*organization)
        .bind(year)
        .execute(pool)
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn statements_do_not_grow_with_applications_or_choices() {
    let t = TestApp::start().await;
    let now = t.app.now();
    let spec = Spec {
        region_code: "71".into(),
        organizations: 12,
        applications: 80,
        seed: 11,
    };
    let g = loadgen::generate(&t.app.db, &spec, now).await.unwrap();
    let today = kezek_domain::time::local_date(now);
    let pool = t.app.db.pool();
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM applications ORDER BY id")
        .fetch_all(pool)
        .await
        .unwrap();
    let parents: Vec<i64> = sqlx::query_scalar(
        "SELECT DISTINCT parent_user_id FROM applications ORDER BY parent_user_id",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let (one, many) = (parents[0], parents[1]);
    let year = g.birth_years[2];
    let organization = g.organization_ids[0];
    // One application with one choice; twenty in the same queue, the first of them with four.
    in_one_queue(&t, one, ids[0], year, &[organization]).await;
    for (k, id) in ids[1..21].iter().enumerate() {
        let choices = if k == 0 {
            &g.organization_ids[..4]
        } else {
            &g.organization_ids[..1]
        };
        in_one_queue(&t, many, *id, year, choices).await;
    }

    let mut conn = counting(&t).await;
    let (for_one, found) =
        statements(read::of_parent(&mut conn, one, GroupKind::Regular, today)).await;
    assert_eq!(found.unwrap().len(), 1);
    let (for_many, found) =
        statements(read::of_parent(&mut conn, many, GroupKind::Regular, today)).await;
    let found = found.unwrap();
    assert_eq!(found.len(), 20);
    assert!(
        found.iter().all(|s| s.first_choice.is_some()),
        "all twenty wait"
    );
    assert_eq!((for_one, for_many), (5, 5), "a parent's list");

    let row = |id: i64, parent: i64| {
        let pool = pool.clone();
        async move { store::of_parent(&pool, parent, id).await.unwrap().unwrap() }
    };
    let (one_choice, found) =
        statements(read::detail(&mut conn, row(ids[0], one).await, today)).await;
    assert_eq!(found.unwrap().positions.len(), 1);
    let (four_choices, found) =
        statements(read::detail(&mut conn, row(ids[1], many).await, today)).await;
    assert_eq!(found.unwrap().positions.len(), 4);
    assert_eq!(
        (one_choice, four_choices),
        (6, 6),
        "an application's detail"
    );

    let partition = Partition {
        kind: GroupKind::Regular,
        correction_type: None,
        birth_year: year,
        scope: Scope::Organization(organization),
    };
    let rules = kezek_domain::queue::QueueRules::default();
    let (for_one, found) =
        statements(queue::own_positions(&mut conn, one, &partition, &rules)).await;
    assert_eq!(found.unwrap().len(), 1);
    let (for_many, found) =
        statements(queue::own_positions(&mut conn, many, &partition, &rules)).await;
    assert_eq!(found.unwrap().len(), 20);
    assert_eq!(
        (for_one, for_many),
        (2, 2),
        "a parent's places in the queue page"
    );
}
