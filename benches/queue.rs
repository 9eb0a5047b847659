//! The queue benchmark of issue 5 ("Performance"): a generated region of 200,000 applications
//! and 1,000 organizations, then the latency of the public queue page, a parent's position
//! look-up and the time to issue 10,000 directions; then the public portal's pages and the
//! open-data API on the same data (issue 6). See docs/performance.md.
//!
//!     cargo bench --bench queue                                   # SQLite in a temp dir
//!     KEZEK_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:55433/postgres cargo bench --bench queue
//!
//! On PostgreSQL the URL names any database of the server: the benchmark drops and recreates
//! `kezek_bench` there and runs in it. `KEZEK_BENCH_APPLICATIONS`, `KEZEK_BENCH_ORGANIZATIONS`,
//! `KEZEK_BENCH_ITERATIONS`, `KEZEK_BENCH_PLACES`, `KEZEK_BENCH_BUDGET_SECONDS` (per latency
//! measurement, default 30) and `KEZEK_BENCH_DIRECTIONS_SECONDS` (default 120) bound a run;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use kezek_core::app::App;
use kezek_core::config::{Secret, Settings, SettingsInput};
use kezek_core::db::Backend;
use kezek_core::orgs::GroupKind;
use kezek_core::queue::{self, Partition, Scope};
use kezek_datagen::{self as loadgen, Generated, Rng, Spec};
use kezek_domain::Kato;
use kezek_domain::queue::QueueRules;
use tower::ServiceExt;

#[path = "support/public_pages.rs"]
mod public_pages;

const PAGE_SIZE: u64 = 50;
/// Untimed iterations first: a server answers from warm caches.
const WARM_UP: usize = 5;
/// Fewer samples than this and a measurement runs past its time budget.
const MIN_SAMPLES: usize = 20;
/// The issue's aims.
const PAGE_AIM_MS: f64 = 50.0;
const DIRECTIONS_AIM_S: f64 = 10.0;

fn env_usize(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}")),
        Err(_) => default,
    }
}

/// Latencies of one measurement.
struct Series {
    name: String,
    samples: Vec<Duration>,
}

impl Series {
    fn new(name: &str) -> Series {
        Series {
            name: name.to_owned(),
            samples: Vec::new(),
        }
    }

    fn ms(&self, p: f64) -> f64 {
        let mut s: Vec<f64> = self
            .samples
            .iter()
            .map(|d| d.as_secs_f64() * 1000.0)
            .collect();
        s.sort_by(|a, b| a.total_cmp(b));
        if s.is_empty() {
            return f64::NAN;
        }
        // Nearest rank.
        let rank = ((p / 100.0) * s.len() as f64).ceil().max(1.0) as usize;
        s[rank.min(s.len()) - 1]
    }

    fn row(&self) -> String {
        let p99 = self.ms(99.0);
        format!(
            "| {} | {} | {:.2} | {:.2} | {:.2} | {:.2} | {} |",
            self.name,
            self.samples.len(),
            self.ms(50.0),
            self.ms(95.0),
            p99,
            self.ms(100.0),
            if p99 < PAGE_AIM_MS {
                "met".to_owned()
            } else {
                format!("**missed** (p99 {:.1}× the aim)", p99 / PAGE_AIM_MS)
            }
        )
    }
}

/// Whether a measurement goes on: until `iterations` samples, or past its time budget once it
/// has `MIN_SAMPLES` (slow queries would otherwise make the run last hours).
fn more(series: &Series, iterations: usize, started: Instant, budget: Duration) -> bool {
    series.samples.len() < iterations
        && (series.samples.len() < MIN_SAMPLES || started.elapsed() < budget)
}

/// How many wait in each queue, counted once so that choosing a page costs nothing.
struct Totals {
    /// (organization, kind, correction type, birth year)
    by_organization: HashMap<(i64, String, String, i64), u64>,
    /// (KATO unit of the application, kind, correction type, birth year)
    by_kato: HashMap<(String, String, String, i64), u64>,
}

impl Totals {
    async fn count(db: &kezek_core::db::Db) -> anyhow::Result<Totals> {
        let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT p.organization_id, a.kind, COALESCE(a.correction_type, ''), a.birth_year, COUNT(*)
             FROM application_preferences p JOIN applications a ON a.id = p.application_id
             WHERE a.status = 'queued'
             GROUP BY p.organization_id, a.kind, COALESCE(a.correction_type, ''), a.birth_year",
        )
        .fetch_all(db.pool())
        .await?;
        let by_organization = rows
            .into_iter()
            .map(|(o, k, c, y, n)| ((o, k, c, y), n as u64))
            .collect();
        let rows: Vec<(String, String, String, i64, i64)> = sqlx::query_as(
            "SELECT kato, kind, COALESCE(correction_type, ''), birth_year, COUNT(*)
             FROM applications WHERE status = 'queued'
             GROUP BY kato, kind, COALESCE(correction_type, ''), birth_year",
        )
        .fetch_all(db.pool())
        .await?;
        let by_kato = rows
            .into_iter()
            .map(|(o, k, c, y, n)| ((o, k, c, y), n as u64))
            .collect();
        Ok(Totals {
            by_organization,
            by_kato,
        })
    }

    fn total(&self, p: &Partition) -> u64 {
        let kind = p.kind.as_str().to_owned();
        let ct = p.correction_type.clone().unwrap_or_default();
        match &p.scope {
            Scope::Organization(id) => self
                .by_organization
                .get(&(*id, kind, ct, p.birth_year))
                .copied()
                .unwrap_or(0),
            Scope::Locality(prefix) => self
                .by_kato
                .iter()
                .filter(|((kato, k, c, y), _)| {
                    kato.starts_with(prefix.as_str())
                        && *k == kind
                        && *c == ct
                        && *y == p.birth_year
                })
                .map(|(_, n)| *n)
                .sum(),
        }
    }
}

/// A random queue a visitor may look at: a group's organization, or a locality (a district or
/// the whole region), for the group's kind, correction type and birth year.
fn random_partition(rng: &mut Rng, g: &Generated, organization_scope: bool) -> Partition {
    // Most visitors look at the regular queue.
    let kind = match rng.below(10) {
        0 => GroupKind::Correctional,
        1 if !g.groups_of(GroupKind::Sanatorium).is_empty() => GroupKind::Sanatorium,
        _ => GroupKind::Regular,
    };
    let groups = g.groups_of(kind);
    let group = *rng.pick(&groups);
    let scope = if organization_scope {
        Scope::Organization(group.organization_id)
    } else if rng.chance(25.0) {
        Scope::Locality(g.region_code.clone())
    } else {
        Scope::Locality(
            Kato::parse(&group.kato)
                .expect("generated KATO codes are valid")
                .prefix()
                .to_owned(),
        )
    };
    Partition {
        kind,
        correction_type: group.correction_type.clone(),
        birth_year: group.birth_year,
        scope,
    }
}

/// A page number: the first page, any page, or one of the last (the deepest OFFSETs).
fn random_page(rng: &mut Rng, total: u64) -> u64 {
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    match rng.below(10) {
        0..=3 => 1,
        4..=6 => rng.range(1, pages as i64) as u64,
        _ => (pages - rng.below(3).min(pages - 1)).max(1),
    }
}

/// `GET uri` through the router as a Russian-speaking visitor of `region` (its cookie set):
/// the status, the body and how long it all took.
async fn get(
    router: &axum::Router,
    uri: &str,
    region: &str,
) -> anyhow::Result<(StatusCode, axum::body::Bytes, Duration)> {
    let request = Request::builder()
        .uri(uri)
        .header(header::HOST, "kezek.test")
        .header(header::COOKIE, format!("kezek_region={region}"))
        .header("x-forwarded-for", "198.51.100.7")
        .header(header::ACCEPT_LANGUAGE, "ru")
        .body(Body::empty())?;
    let t = Instant::now();
    let response = router.clone().oneshot(request).await?;
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
    Ok((status, body, t.elapsed()))
}

async fn open_app(dir: &std::path::Path) -> anyhow::Result<App> {
    let url = match std::env::var("KEZEK_BENCH_DATABASE_URL") {
        Ok(admin) if !admin.trim().is_empty() => {
            sqlx::any::install_default_drivers();
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await?;
            sqlx::raw_sql("DROP DATABASE IF EXISTS kezek_bench WITH (FORCE)")
                .execute(&mut conn)
                .await?;
            sqlx::raw_sql("CREATE DATABASE kezek_bench")
                .execute(&mut conn)
                .await?;
            let base = admin
                .rsplit_once('/')
                .ok_or_else(|| anyhow::anyhow!("the URL names no database"))?
                .0;
            format!("{base}/kezek_bench")
        }
        _ => format!("sqlite://{}?mode=rwc", dir.join("kezek.db").display()),
    };
    let settings = Settings::resolve(SettingsInput {
        data_dir: Some(dir.to_owned()),
        database_url: Some(Secret::new(url)),
        trust_proxy: Some(true),
        default_region: Some("71".into()),
        // One client asks for random pages as fast as it can: what is measured is the cost of
        // rendering each, not the reuse of a rendered page nor the limits on one address.
        public_cache_ms: Some(0),
        anonymous_rate: Some(0),
        anonymous_in_flight: Some(0),
        ..Default::default()
    })?;
    App::start(settings).await
}

fn main() -> anyhow::Result<()> {
    // `cargo bench` passes `--bench`; a filter or other flags mean nothing here.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let applications = env_usize("KEZEK_BENCH_APPLICATIONS", 200_000);
    let organizations = env_usize("KEZEK_BENCH_ORGANIZATIONS", 1_000);
    let iterations = env_usize("KEZEK_BENCH_ITERATIONS", 500);
    let budget = Duration::from_secs(env_usize("KEZEK_BENCH_BUDGET_SECONDS", 30) as u64);
    let places_wanted = env_usize("KEZEK_BENCH_PLACES", 10_000);

    let dir = tempfile::tempdir()?;
    let app = open_app(dir.path()).await?;
    let db = app.db.clone();
    let backend = match db.backend() {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    let now = app.now();
    eprintln!(
        "{backend}: generating {applications} applications and {organizations} organizations…"
    );
    let started = Instant::now();
    let spec = Spec {
        region_code: "71".into(),
        organizations,
        applications,
        seed: 2026,
    };
    let g = loadgen::generate(&db, &spec, now).await?;
    let generation = started.elapsed();
    eprintln!(
        "generated in {:.1} s: {} groups, {} parents, {} preferences",
        generation.as_secs_f64(),
        g.groups.len(),
        g.parents,
        g.preferences
    );

    let rules: QueueRules =
        kezek_core::region_rules::current(db.pool(), "71", kezek_domain::time::local_date(now))
            .await?
            .queue;
    let totals = Totals::count(&db).await?;
    let mut rng = Rng::new(7);
    let mut conn = db.pool().acquire().await?;
    let mut results: Vec<Series> = Vec::new();

    // (a) The queue page's data, per organization and per locality.
    for (name, organization_scope) in [
        ("queue::page, organization scope", true),
        ("queue::page, locality scope (district or region)", false),
    ] {
        let mut series = Series::new(name);
        let mut rows = 0usize;
        let started = Instant::now();
        let mut i = 0;
        while more(&series, iterations, started, budget) {
            i += 1;
            let partition = random_partition(&mut rng, &g, organization_scope);
            let total = totals.total(&partition);
            let page_no = random_page(&mut rng, total);
            let t = Instant::now();
            let (_, lines) = queue::page(
                &mut conn,
                &partition,
                &rules,
                (page_no - 1) * PAGE_SIZE,
                PAGE_SIZE,
            )
            .await?;
            if i > WARM_UP {
                series.samples.push(t.elapsed());
                rows += lines.len();
            }
        }
        eprintln!("{name}: {rows} lines read");
        results.push(series);
    }

    // (b) The whole page through the router, as a visitor waits for it.
    let router = kezek_web::router(app.clone());
    let mut series = Series::new("GET /queue (HTTP, rendered page)");
    let started = Instant::now();
    let mut i = 0;
    while more(&series, iterations, started, budget) {
        i += 1;
        let organization_scope = rng.chance(50.0);
        let partition = random_partition(&mut rng, &g, organization_scope);
        let total = totals.total(&partition);
        let page_no = random_page(&mut rng, total);
        let (kato, org) = match &partition.scope {
            Scope::Organization(id) => {
                let group = g
                    .groups
                    .iter()
                    .find(|gr| gr.organization_id == *id)
                    .expect("the organization has groups");
                (group.kato.clone(), id.to_string())
            }
            Scope::Locality(prefix) => (format!("{prefix:0<9}"), String::new()),
        };
        let mut query = vec![
            ("kato", kato),
            ("kind", partition.kind.as_str().to_owned()),
            ("year", partition.birth_year.to_string()),
            ("page", page_no.to_string()),
        ];
        if let Some(c) = &partition.correction_type {
            query.push(("correction", c.clone()));
        }
        if !org.is_empty() {
            query.push(("org", org));
        }
        let uri = format!("/queue?{}", serde_urlencoded::to_string(&query)?);
        let (status, body, elapsed) = get(&router, &uri, &g.region_code).await?;
        anyhow::ensure!(status == StatusCode::OK, "{uri}: {status}");
        if total > 0 {
            let expected = format!("{}-", g.region_code);
            anyhow::ensure!(
                String::from_utf8_lossy(&body).contains(&expected),
                "{uri}: no queue lines on the page"
            );
        }
        if i > WARM_UP {
            series.samples.push(elapsed);
        }
    }
    results.push(series);

    // (c) A parent's look-up: where the application stands in each organization it listed.
    let mut series = Series::new("position look-up (key + standing in each listed org)");
    let mut standings = 0usize;
    let started = Instant::now();
    let mut i = 0;
    while more(&series, iterations, started, budget) {
        i += 1;
        let id = *rng.pick(&g.sample_application_ids);
        let t = Instant::now();
        let key = queue::key(&mut *conn, id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("application {id} is missing"))?;
        let orgs: Vec<i64> = sqlx::query_scalar(
            "SELECT organization_id FROM application_preferences WHERE application_id = $1
             ORDER BY position",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let mut found = 0;
        for org in orgs {
            if let Some(partition) = kezek_core::queue::partition_of(&key, Scope::Organization(org))
                && queue::standing(&mut conn, &key, &partition, &rules)
                    .await?
                    .is_some()
            {
                found += 1;
            }
        }
        let elapsed = t.elapsed();
        if i > WARM_UP {
            series.samples.push(elapsed);
            standings += found;
        }
    }
    eprintln!("position look-ups: {standings} standings found");
    results.push(series);

    // (c') What "Подробнее" shows: the standing and the position's history in each organization.
    let mut series = Series::new("queue::of_application (standing + history per org)");
    let started = Instant::now();
    let mut i = 0;
    while more(&series, iterations, started, budget) {
        i += 1;
        let id = *rng.pick(&g.sample_application_ids);
        let t = Instant::now();
        let key = queue::key(&mut *conn, id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("application {id} is missing"))?;
        let found = queue::of_application(&db, &key, &rules).await?;
        let elapsed = t.elapsed();
        anyhow::ensure!(!found.is_empty(), "application {id} stands nowhere");
        if i > WARM_UP {
            series.samples.push(elapsed);
        }
    }
    results.push(series);
    drop(conn);

    // (d) 10,000 places published in groups with waiting candidates, then directions.
    let directions = issue_directions(&app, &g, places_wanted, now, &mut rng).await?;

    // (e) The public portal and the open-data API, after the directions: the bulletin then
    // holds offered places and the protocol thousands of entries.
    let portal = public_pages::measure(&router, &g, &mut rng, iterations, budget).await?;

    println!();
    println!(
        "### {backend}: {} applications, {} organizations ({} groups), generated in {:.1} s",
        g.applications,
        g.organization_ids.len(),
        g.groups.len(),
        generation.as_secs_f64()
    );
    println!();
    println!(
        "One client, one request at a time, {WARM_UP} untimed warm-up requests each; n below \
         {iterations} means the measurement stopped at its {} s budget.",
        budget.as_secs(),
    );
    println!();
    println!("| measurement | n | p50 ms | p95 ms | p99 ms | max ms | aim: p99 < 50 ms |");
    println!("|---|---|---|---|---|---|---|");
    for s in &results {
        println!("{}", s.row());
    }
    println!();
    println!("{directions}");
    println!();
    println!("Public portal and open-data API (HTTP, rendered, one request at a time):");
    println!();
    println!("| measurement | n | p50 ms | p95 ms | p99 ms | max ms | aim: p99 < 50 ms |");
    println!("|---|---|---|---|---|---|---|");
    for s in &portal {
        println!("{}", s.row());
    }
    Ok(())
}

/// Publishes up to `wanted` places where someone eligible waits, times `directions::allocate`
/// and checks what it did; returns a Markdown line.
async fn issue_directions(
    app: &App,
    g: &Generated,
    wanted: usize,
    now: i64,
    rng: &mut Rng,
) -> anyhow::Result<String> {
    let db = &app.db;
    // Per group: its free places and how many could take one (listed the organization, match
    // the group, documents verified), counted in one pass over the preferences.
    let rows: Vec<(i64, String, String, i64, String, i64)> = sqlx::query_as(
        "SELECT p.organization_id, a.kind, COALESCE(a.correction_type, ''), a.birth_year,
                a.language, COUNT(*)
         FROM application_preferences p JOIN applications a ON a.id = p.application_id
         WHERE a.status = 'queued'
           AND (a.kind = 'regular'
                OR (a.kind = 'correctional' AND a.pmpk_verification = 'approved')
                OR (a.kind = 'sanatorium' AND a.referral_verification = 'approved'))
         GROUP BY p.organization_id, a.kind, COALESCE(a.correction_type, ''), a.birth_year,
                  a.language",
    )
    .fetch_all(db.pool())
    .await?;
    let waiting: HashMap<(i64, String, String, i64, String), i64> = rows
        .into_iter()
        .map(|(o, k, c, y, l, n)| ((o, k, c, y, l), n))
        .collect();
    let mut candidates: Vec<(i64, i64)> = g
        .groups
        .iter()
        .map(|gr| {
            let key = (
                gr.organization_id,
                gr.kind.as_str().to_owned(),
                gr.correction_type.clone().unwrap_or_default(),
                gr.birth_year,
                gr.language.clone(),
            );
            let n = waiting.get(&key).copied().unwrap_or(0);
            (gr.id, (gr.capacity - gr.enrolled).min(n))
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    // Shuffle (Fisher–Yates), then take places until there are enough.
    for i in (1..candidates.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        candidates.swap(i, j);
    }
    let mut places: Vec<(i64, i64)> = Vec::new();
    let mut total = 0usize;
    for (id, n) in candidates {
        if total >= wanted {
            break;
        }
        let n = (n as usize).min(wanted - total);
        places.push((id, n as i64));
        total += n;
    }
    let published = loadgen::publish_places(db, &places, now).await?;
    eprintln!(
        "published {published} places in {} groups; allocating…",
        places.len()
    );

    // Committed batches stay if the limit cuts the run short; the batch in flight rolls back.
    let limit = Duration::from_secs(env_usize("KEZEK_BENCH_DIRECTIONS_SECONDS", 120) as u64);
    let t = Instant::now();
    let finished = tokio::time::timeout(limit, kezek_core::directions::allocate(app, now)).await;
    let seconds = t.elapsed().as_secs_f64();
    let complete = finished.is_ok();
    if let Ok(result) = finished {
        result?;
    } else {
        // Let the cancelled batch's connection roll back before reading.
        tokio::time::sleep(Duration::from_secs(2)).await;
    }

    // Checks: one open direction per place and per child, the counters agree with the rows, and
    // every place left open has nobody eligible (by the same rule the allocation used).
    let scalar = |sql: &'static str| async move {
        sqlx::query_scalar::<_, i64>(sql).fetch_one(db.pool()).await
    };
    let in_table = scalar("SELECT COUNT(*) FROM directions WHERE status = 'issued'").await?;
    // Counted from the rows: a run cut short returns no count.
    let issued = in_table as usize;
    let doubled_places = scalar(
        "SELECT COUNT(*) FROM (SELECT vacancy_id FROM directions
         WHERE status IN ('issued', 'accepted') GROUP BY vacancy_id HAVING COUNT(*) > 1) x",
    )
    .await?;
    let doubled_children = scalar(
        "SELECT COUNT(*) FROM (SELECT child_id FROM directions
         WHERE status IN ('issued', 'accepted') GROUP BY child_id HAVING COUNT(*) > 1) x",
    )
    .await?;
    // The counters against the rows, compared here: a correlated COUNT per group is slow.
    let counters: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT id, open_vacancies, open_directions FROM org_groups")
            .fetch_all(db.pool())
            .await?;
    let per_group = |sql: &'static str| async move {
        sqlx::query_as::<_, (i64, i64)>(sql)
            .fetch_all(db.pool())
            .await
            .map(|rows| rows.into_iter().collect::<HashMap<i64, i64>>())
    };
    let open_vacancies = per_group(
        "SELECT group_id, COUNT(*) FROM vacancies WHERE status = 'open' GROUP BY group_id",
    )
    .await?;
    let open_directions = per_group(
        "SELECT group_id, COUNT(*) FROM directions WHERE status IN ('issued', 'accepted')
         GROUP BY group_id",
    )
    .await?;
    let counters_off = counters
        .iter()
        .filter(|(id, v, d)| {
            open_vacancies.get(id).copied().unwrap_or(0) != *v
                || open_directions.get(id).copied().unwrap_or(0) != *d
        })
        .count();
    let still_open: Vec<(i64, i64)> =
        sqlx::query_as("SELECT id, group_id FROM vacancies WHERE status = 'open'")
            .fetch_all(db.pool())
            .await?;
    let rules =
        kezek_core::region_rules::current(db.pool(), "71", kezek_domain::time::local_date(now))
            .await?
            .queue;
    let mut unfilled_with_candidate = 0;
    let mut tx = db.begin().await?;
    let still_open_checked: &[(i64, i64)] = if complete { &still_open } else { &[] };
    let mut checked: HashMap<i64, bool> = HashMap::new();
    for (vacancy_id, group_id) in still_open_checked {
        let has = match checked.get(group_id) {
            Some(has) => *has,
            None => {
                let group = kezek_core::orgs::store::group(&mut *tx, *group_id)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("group {group_id} is missing"))?;
                let has = queue::next_candidate(&mut tx, &group, &rules, now, *vacancy_id)
                    .await?
                    .is_some();
                checked.insert(*group_id, has);
                has
            }
        };
        if has {
            unfilled_with_candidate += 1;
        }
    }
    tx.rollback().await?;
    let fillable = published - (still_open.len() - unfilled_with_candidate);
    let ok = (!complete || issued == fillable)
        && unfilled_with_candidate == 0
        && doubled_places == 0
        && doubled_children == 0
        && counters_off == 0;
    anyhow::ensure!(
        ok,
        "allocation check failed: issued {issued}, rows {in_table}, fillable {fillable}, \
         complete {complete}, open with a candidate {unfilled_with_candidate}, doubled places {doubled_places}, \
         doubled children {doubled_children}, groups with wrong counters {counters_off}"
    );
    let left = if complete {
        format!("{} (none eligible)", still_open.len())
    } else {
        format!("{} (**stopped** after {seconds:.0} s)", still_open.len())
    };
    // Scaled to 10,000 when fewer were issued (quick runs, or a run cut short).
    let projected = seconds * 10_000.0 / (issued.max(1) as f64);
    let aim = if projected < DIRECTIONS_AIM_S {
        "met".to_owned()
    } else {
        format!(
            "**missed** (≈{projected:.0} s for 10,000, {:.1}× the aim)",
            projected / DIRECTIONS_AIM_S
        )
    };
    let checked = if complete {
        "every place left open has no eligible candidate (queue::next_candidate finds none)"
    } else {
        "the run was stopped, so places with candidates remain open"
    };
    Ok(format!(
        "| directions | places published | directions issued | places left open | seconds | directions/s | aim: 10,000 in < 10 s |\n\
         |---|---|---|---|---|---|---|\n\
         | `directions::allocate` | {published} | {issued} | {left} | {seconds:.2} | {:.1} | {aim} |\n\n\
         Checked: no place and no child holds two open directions; every group's open_vacancies \
         and open_directions equal its rows; {checked}.",
        issued as f64 / seconds,
    ))
}
