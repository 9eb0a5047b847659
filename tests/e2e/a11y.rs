//! Accessibility of every public page in every language: axe-core (WCAG 2.0 and 2.1, levels A
//! and AA, plus its best practices) finds no violation, and nothing scrolls sideways on a
//! 360-px phone screen. axe-core is not vendored: `scripts/test` fetches a pinned, checked copy
//! from the npm registry and names it in `KEZEK_AXE_JS`.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use kezek_core::audit::Actor;
use kezek_core::i18n::Lang;
use kezek_domain::{Role, Sex};

use crate::webdriver::Browser;
use crate::{Server, serve, tr};

/// One public page as a visitor reaches it.
struct PublicPage {
    path: &'static str,
    /// The button (a translation key) pressed first, e.g. to send a form empty and see its errors.
    press: Option<&'static str>,
    /// A CSS selector the page must match, so that its content — rows, errors — is really checked.
    shows: &'static str,
}

const fn page(path: &'static str, shows: &'static str) -> PublicPage {
    PublicPage {
        path,
        press: None,
        shows,
    }
}

const fn pressing(path: &'static str, button: &'static str, shows: &'static str) -> PublicPage {
    PublicPage {
        path,
        press: Some(button),
        shows,
    }
}

/// Every public page: a new one is one line here.
const PAGES: &[PublicPage] = &[
    page("/", "main .figures + section .review"),
    page("/bulletin", "table.bulletin-places tbody tr"),
    page("/catalog", "table.catalog tbody tr"),
    // `{org}` is the reviewed organization `seed` creates.
    page("/catalog/{org}", ".reviews .review"),
    page("/statistics", "svg.chart"),
    page("/reviews", ".reviews .review"),
    page("/reviews/org/{org}", ".reviews .review"),
    page(
        "/queue?kato=710000000&kind=regular&year=2022",
        "table.queue tbody tr",
    ),
    page("/protocol", "main table tbody tr"),
    page("/login", "form input[type=password]"),
    page("/register", "form input[type=checkbox]"),
    page("/password/forgot", "form input[type=tel]"),
    page("/policy", "main h1"),
    page("/no-such-page", "main h1"),
    pressing("/register", "button-request-code", "[aria-invalid=true]"),
    pressing("/login", "button-login", ".error"),
];

/// The axe-core rule sets a page must pass.
const AXE_TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

/// The width of a small phone.
const PHONE_WIDTH: i64 = 360;

/// axe.min.js, from the file `KEZEK_AXE_JS` names; panics saying how to get it (a browser test
/// fails rather than skips, like the others when no WebDriver is running).
fn axe_source() -> String {
    let path = std::env::var("KEZEK_AXE_JS").unwrap_or_default();
    if path.trim().is_empty() {
        panic!(
            "KEZEK_AXE_JS is not set: the accessibility test needs axe-core's axe.min.js. \
             `scripts/test` fetches the pinned version; by hand: \
             `npm pack axe-core@VERSION` (VERSION as AXE_VERSION in scripts/test), \
             `tar -xzf axe-core-VERSION.tgz package/axe.min.js`, \
             then KEZEK_AXE_JS=$PWD/package/axe.min.js"
        );
    }
    std::fs::read_to_string(path.trim())
        .unwrap_or_else(|e| panic!("KEZEK_AXE_JS={path}: cannot read axe-core ({e})"))
}

/// Two organizations of Astana; a free place published where no child fits (so the bulletin
/// lists it); two children waiting in the regular 2022 queue, the first of whom gets a direction
/// (so the queue and the protocol have rows).
/// Returns the organization with a direction and a published review.
async fn seed(server: &Server) -> i64 {
    let app = &server.app;
    server
        .import(
            "990140000384,Балапан бөбекжайы,Ясли-сад «Балапан»,710000000,\"Астана, ул. Абая, 12\",,state,,\n\
             050440001239,Ақбота,Акбота,710000000,\"Астана, пр. Кабанбай батыра, 40\",,private,,\n",
            "990140000384,Балапандар,2022,kk,regular,,25\n\
             050440001239,Ақбота,2021,kk,regular,,20\n",
        )
        .await;
    let staff = |phone: &'static str, bin: &'static str| async move {
        Actor {
            user_id: server
                .staff(
                    Role::Organization,
                    phone,
                    "staff password 1",
                    Some(bin),
                    None,
                )
                .await,
            ip: "198.51.100.20".into(),
        }
    };
    let balapan_staff = staff("+77001000095", "990140000384").await;
    let akbota_staff = staff("+77001000096", "050440001239").await;
    let balapan = server.organization("990140000384").await;

    let parent = server.parent("+77012223366").await;
    for (last, first) in [("Ахметова", "Айгерим"), ("Нурланова", "Бота")]
    {
        let child_id = server
            .child(&parent, (last, first), (2022, 3, 1), Sex::Female)
            .await;
        server.clock.advance(1);
        let input = kezek_core::applications::ApplicationInput {
            child_id,
            kind: kezek_core::orgs::GroupKind::Regular,
            correction_type: None,
            language: "kk".into(),
            kato: "710000000".into(),
            organization_ids: vec![balapan],
            pmpk: None,
            referral_document_id: None,
            privilege: None,
            consent: true,
            submission_key: format!("a11y-{last}"),
        };
        kezek_core::applications::submit(app, &parent, "71", &input)
            .await
            .unwrap();
    }

    let today = kezek_domain::time::local_date(app.now());
    let publish = |actor: Actor, group: &'static str, places: i64| async move {
        let group = sqlx::query_scalar::<_, i64>("SELECT id FROM org_groups WHERE name = $1")
            .bind(group)
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        kezek_core::orgs::vacancies::publish(&app.db, &actor, group, places, today, app.now())
            .await
            .unwrap();
        kezek_core::directions::allocate_group(app, group, app.now())
            .await
            .unwrap()
    };
    assert_eq!(publish(balapan_staff, "Балапандар", 1).await, 1);
    assert_eq!(publish(akbota_staff, "Ақбота", 2).await, 0);

    // A published review with the organization's answer, for the pages that list reviews.
    let saved = kezek_core::reviews::write::save(
        &app.db,
        &parent,
        balapan,
        5,
        "Воспитатели внимательные.\nГруппа светлая.",
        app.now(),
    )
    .await
    .unwrap();
    let (kezek_core::reviews::write::Saved::Created(review)
    | kezek_core::reviews::write::Saved::Edited(review)) = saved;
    let moderator = Actor {
        user_id: server
            .staff(
                Role::Moderator,
                "+77001000097",
                "staff password 1",
                None,
                None,
            )
            .await,
        ip: "198.51.100.21".into(),
    };
    kezek_core::reviews::moderation::approve(&app.db, &moderator, review, app.now())
        .await
        .unwrap();
    balapan
}

/// Waits up to 10 s for a fully loaded page with an element matching `css`.
async fn shown(b: &Browser, css: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        let ready = b
            .try_execute(
                "return document.readyState === 'complete' \
                 && document.querySelector(arguments[0]) !== null;",
                json!([css]),
            )
            .await;
        // An error means the next page is replacing this one: look again.
        if ready == Ok(Value::Bool(true)) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

/// What is wrong with the page now: its width on the phone, then every axe-core violation.
async fn problems(b: &Browser, axe: &str) -> Vec<String> {
    let mut found = Vec::new();
    let width = b
        .execute("return document.documentElement.scrollWidth;")
        .await
        .as_i64()
        .unwrap_or(i64::MAX);
    if width > PHONE_WIDTH {
        found.push(format!(
            "scrolls sideways: {width} px wide on a {PHONE_WIDTH}-px screen"
        ));
    }

    // Run as the body of a WebDriver script, axe.min.js defines `window.axe`; WebDriver's
    // scripts are not subject to the page's Content-Security-Policy.
    let loaded = b
        .try_execute(&format!("{axe}\n;return typeof window.axe;"), json!([]))
        .await
        .unwrap_or_else(|e| panic!("injecting axe-core failed: {e}"));
    assert_eq!(
        loaded, "object",
        "the script KEZEK_AXE_JS names does not define `window.axe`"
    );
    let violations = b
        .try_execute(
            "return window.axe.run(document, {\
               runOnly: { type: 'tag', values: arguments[0] },\
               resultTypes: ['violations'],\
             }).then(r => r.violations.map(v => ({\
               id: v.id, impact: v.impact, help: v.help,\
               targets: v.nodes.map(n => n.target.map(String).join(' >>> ')),\
             })));",
            json!([AXE_TAGS]),
        )
        .await
        .unwrap_or_else(|e| panic!("axe.run failed: {e}"));
    let violations = violations
        .as_array()
        .unwrap_or_else(|| panic!("axe.run answered no list of violations: {violations}"));
    for v in violations {
        let text = |k: &str| v[k].as_str().unwrap_or_default().to_owned();
        let targets: Vec<String> = v["targets"]
            .as_array()
            .map(|t| {
                t.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        found.push(format!(
            "{} ({}): {} — {}",
            text("id"),
            text("impact"),
            text("help"),
            targets.join(", ")
        ));
    }
    found
}

/// Visits every page of `PAGES` in `lang` on a 360-px screen and fails listing every problem.
async fn check_every_page(lang: Lang) {
    let axe = axe_source();
    let server = serve().await;
    let org = seed(&server).await.to_string();
    let b = Browser::start().await;
    b.set_window_size(PHONE_WIDTH as u32, 740).await;
    b.goto(&format!("{}/lang/{}?back=/", server.base, lang.code()))
        .await;
    let inner = b.execute("return window.innerWidth;").await;
    assert_eq!(inner, PHONE_WIDTH, "the browser window is a phone's width");

    let mut report = Vec::new();
    for p in PAGES {
        let path = p.path.replace("{org}", &org);
        b.goto(&format!("{}{path}", server.base)).await;
        let mut what = path.clone();
        if let Some(key) = p.press {
            let button = tr(lang, key);
            b.click_button(&button).await;
            what = format!("{what} after pressing {button:?}");
        }
        // A pressed button's page may still be on its way: wait for what the page must show.
        if !shown(&b, p.shows).await {
            panic!(
                "{what} ({}) shows nothing matching `{}`: the test data does not reach it",
                lang.code(),
                p.shows
            );
        }
        let html_lang = b.execute("return document.documentElement.lang;").await;
        assert_eq!(html_lang, lang.code(), "{what} is in {}", lang.code());
        for problem in problems(&b, &axe).await {
            report.push(format!("[{}] {what}: {problem}", lang.code()));
        }
    }
    b.quit().await;
    assert!(
        report.is_empty(),
        "{} accessibility problems on the public pages:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_public_pages_are_accessible_in_kazakh() {
    check_every_page(Lang::Kk).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_public_pages_are_accessible_in_russian() {
    check_every_page(Lang::Ru).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_public_pages_are_accessible_in_english() {
    check_every_page(Lang::En).await;
}
