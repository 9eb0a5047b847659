//! The direction guarantees across processes: several `kezek directions run` processes offer
//! the same free places on one database at once, one of them is killed (SIGKILL) while it
//! works, and afterwards no place is held by two directions, no child holds two open
//! directions, no group holds more than its capacity, the counters match the rows, and the
//! protocol's chain is whole.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use kezek_core::audit::Actor;

use crate::fixtures::{family, many_lookups, waiting_child};
use crate::harness::TestApp;

fn directions_run(t: &TestApp) -> Child {
    Command::new(env!("CARGO_BIN_EXE_kezek"))
        .args(["directions", "run", "--data-dir"])
        .arg(t.dir.path())
        .arg("--database-url")
        .arg(t.app.settings.database_url.expose())
        .env_remove("KEZEK_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kezek runs")
}

async fn scalar(t: &TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

async fn assert_guarantees(t: &TestApp) {
    let twice_per_place = scalar(
        t,
        "SELECT COUNT(*) FROM (SELECT vacancy_id FROM directions
         WHERE status IN ('issued', 'accepted') GROUP BY vacancy_id HAVING COUNT(*) > 1) x",
    )
    .await;
    assert_eq!(twice_per_place, 0, "a place is held by two open directions");
    let twice_per_child = scalar(
        t,
        "SELECT COUNT(*) FROM (SELECT child_id FROM directions
         WHERE status IN ('issued', 'accepted') GROUP BY child_id HAVING COUNT(*) > 1) x",
    )
    .await;
    assert_eq!(twice_per_child, 0, "a child holds two open directions");
    let over_capacity = scalar(
        t,
        "SELECT COUNT(*) FROM org_groups WHERE enrolled + open_directions + open_vacancies > capacity",
    )
    .await;
    assert_eq!(over_capacity, 0);
    let counters_off = scalar(
        t,
        "SELECT COUNT(*) FROM org_groups g WHERE
            g.open_directions <> (SELECT COUNT(*) FROM directions d
                                  WHERE d.group_id = g.id AND d.status IN ('issued', 'accepted'))
         OR g.open_vacancies <> (SELECT COUNT(*) FROM vacancies v
                                 WHERE v.group_id = g.id AND v.status = 'open')",
    )
    .await;
    assert_eq!(counters_off, 0, "the group counters disagree with the rows");
    let directed_without_direction = scalar(
        t,
        "SELECT COUNT(*) FROM vacancies v WHERE v.status = 'directed' AND NOT EXISTS
            (SELECT 1 FROM directions d WHERE d.vacancy_id = v.id AND d.status IN ('issued', 'accepted'))",
    )
    .await;
    assert_eq!(directed_without_direction, 0);
    let application_out_of_step = scalar(
        t,
        "SELECT COUNT(*) FROM applications a WHERE (a.status = 'direction_issued') <>
            EXISTS (SELECT 1 FROM directions d WHERE d.application_id = a.id AND d.status IN ('issued', 'accepted'))",
    )
    .await;
    assert_eq!(application_out_of_step, 0);
    // Every issued direction is in the protocol once, and the chain verifies.
    let issued = scalar(t, "SELECT COUNT(*) FROM directions").await;
    let entries = scalar(
        t,
        "SELECT COUNT(*) FROM protocol_entries WHERE event = 'issued'",
    )
    .await;
    assert_eq!(issued, entries);
    let records = kezek_core::directions::protocol::all(t.app.db.pool(), "71")
        .await
        .unwrap();
    kezek_core::directions::protocol::verify(&records).expect("the chain is whole");
    // And every direction left exactly one SMS in the outbox.
    let sms = scalar(
        t,
        "SELECT COUNT(*) FROM sms_outbox WHERE body LIKE '%направлени%' OR body LIKE '%жолдама%'",
    )
    .await;
    assert_eq!(sms, issued, "one SMS per direction");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_racing_and_one_killed_never_break_the_guarantees() {
    let t = TestApp::start_with(many_lookups).await;
    let f = family(&t, "+7 701 400 00 01").await;
    // Forty waiting children, for Balapan's 25-place group born 2022 (Kazakh).
    let pool = t.app.db.pool();
    for i in 0..40 {
        waiting_child(&t, &f, &format!("Бала{i}"), "Процессова", "kk").await;
    }
    let group_id: i64 = sqlx::query_scalar(
        "SELECT id FROM org_groups WHERE organization_id = $1 AND kind = 'regular'",
    )
    .bind(f.balapan)
    .fetch_one(pool)
    .await
    .unwrap();
    let staff = Actor {
        user_id: f.parent.user_id,
        ip: "198.51.100.9".into(),
    };
    let today = kezek_domain::time::local_date(t.app.now());
    kezek_core::orgs::vacancies::publish(&t.app.db, &staff, group_id, 25, today, t.app.now())
        .await
        .unwrap();

    // Five processes at once; three are killed at different moments of their work.
    let racers = [directions_run(&t), directions_run(&t)];
    let mut victims = [directions_run(&t), directions_run(&t), directions_run(&t)];
    for victim in &mut victims {
        tokio::time::sleep(Duration::from_millis(60)).await;
        victim.kill().unwrap();
        victim.wait().unwrap();
    }
    let mut issued_by_racers = 0;
    for p in racers {
        let out = p.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "a racing process failed: {text}");
        issued_by_racers += text
            .split(", ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse::<i64>().ok())
            .unwrap_or_else(|| panic!("unexpected output {text:?}"));
    }
    assert_guarantees(&t).await;
    let issued_so_far = scalar(&t, "SELECT COUNT(*) FROM directions").await;
    assert!(issued_so_far >= issued_by_racers);

    // Whatever the killed process left undone, the next run finishes: every place is offered.
    let out = directions_run(&t).wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_guarantees(&t).await;
    assert_eq!(
        scalar(
            &t,
            "SELECT COUNT(*) FROM directions WHERE status = 'issued'"
        )
        .await,
        25
    );
    assert_eq!(
        scalar(&t, "SELECT COUNT(*) FROM vacancies WHERE status = 'open'").await,
        0
    );
    // The first twenty-five in the queue got them, in order.
    let got: Vec<i64> = sqlx::query_scalar(
        "SELECT a.id FROM applications a WHERE a.status = 'direction_issued' ORDER BY a.id",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let first: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM applications ORDER BY queue_at, id LIMIT 25")
            .fetch_all(pool)
            .await
            .unwrap();
    assert_eq!(got, first);
}
