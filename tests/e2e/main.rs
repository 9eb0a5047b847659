//! End-to-end tests in headless Chromium over WebDriver: a parent's whole account journey —
//! registration, log out, log in, forgot password, log in with the new password — on a
//! 360-px phone screen, reading the SMS codes from the outbox file like a person would.

#[path = "../support/harness.rs"]
mod harness;
#[path = "../support/webdriver.rs"]
mod webdriver;

use std::sync::Arc;
use std::time::Duration;

use kezek::app::App;
use kezek::clock::ManualClock;
use kezek::domain::Sex;
use kezek::i18n::{I18n, Lang};

use harness::{TestApp, extract_code};
use webdriver::Browser;

/// A real `kezek serve` in this process: HTTP on a free port, the SMS relay in the background.
struct Server {
    base: String,
    app: App,
    clock: Arc<ManualClock>,
    _test: TestApp,
}

async fn serve() -> Server {
    let test = TestApp::start().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = test.app.clone();
    tokio::spawn(kezek::web::serve(
        app.clone(),
        listener,
        std::future::pending(),
    ));
    tokio::spawn(app.relay().run(std::future::pending()));
    Server {
        base,
        clock: test.clock.clone(),
        app,
        _test: test,
    }
}

impl Server {
    /// Waits for a new SMS to `phone` in the outbox file and returns its code.
    async fn next_code(&self, phone: &str, seen: &mut usize) -> String {
        for _ in 0..100 {
            let text =
                std::fs::read_to_string(self.app.settings.sms_outbox_path()).unwrap_or_default();
            let messages: Vec<String> = text
                .lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .filter(|v| v["to"] == phone)
                .map(|v| v["text"].as_str().unwrap_or_default().to_owned())
                .collect();
            if messages.len() > *seen {
                *seen = messages.len();
                let last = messages.last().unwrap();
                return extract_code(last).unwrap_or_else(|| panic!("no code in the SMS {last:?}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no SMS reached {phone} in the outbox");
    }
}

/// Text of `key` in `lang`, as the pages show it.
fn tr(lang: Lang, key: &str) -> String {
    thread_local!(static I18N: I18n = I18n::new());
    I18N.with(|i| i.get(lang, key))
}

async fn journey(lang: Lang) {
    let server = serve().await;
    let iin = server
        ._test
        .add_person("Әбенова", "Гүлназ", (1993, 8, 19), Sex::Female)
        .await;
    let phone_typed = "8 701 234 56 78";
    let phone = "+77012345678";
    let password = "көктем келді 2026";
    let new_password = "жаз да келеді 2027";
    let t = |key: &str| tr(lang, key);
    let mut seen = 0;

    let b = Browser::start().await;
    b.set_window_size(360, 740).await;
    // Start from English whatever the browser asks for, then switch with the real link.
    b.goto(&format!("{}/lang/en?back=/", server.base)).await;
    b.click_link(lang.native_name()).await;
    b.wait_for_text(&t("home-title")).await;

    // Регистрация: phone, policy, "Запросить код", the code, "Отправить".
    b.click_link(&t("nav-register")).await;
    b.assert_fits_width().await;
    b.field(&t("label-phone")).await.fill(phone_typed).await;
    let policy = format!(
        "{} {} {}",
        t("register-policy-before"),
        t("register-policy-link"),
        t("register-policy-after")
    );
    b.field(policy.trim()).await.click().await;
    b.click_button(&t("button-request-code")).await;
    let code = server.next_code(phone, &mut seen).await;
    b.field(&t("label-code")).await.fill(&code).await;
    b.click_button(&t("button-send")).await;
    b.assert_fits_width().await;

    // The password twice, "Сохранить"; a mismatch first, which keeps the parent on the step.
    b.field(&t("label-password")).await.fill(password).await;
    b.field(&t("label-password-repeat"))
        .await
        .fill("something else")
        .await;
    b.click_button(&t("button-save")).await;
    b.wait_for_text(&t("password-error-mismatch")).await;
    b.field(&t("label-password")).await.fill(password).await;
    b.field(&t("label-password-repeat"))
        .await
        .fill(password)
        .await;
    b.click_button(&t("button-save")).await;

    // The applicant's IIN: the registry data is shown, then "Отправить".
    b.field(&t("label-applicant-iin")).await.fill("123").await;
    b.click_button(&t("button-check-iin")).await;
    b.wait_for_text(&t("iin-error-format")).await;
    b.field(&t("label-applicant-iin")).await.fill(&iin).await;
    b.click_button(&t("button-check-iin")).await;
    b.wait_for_text("Әбенова Гүлназ").await;
    b.wait_for_text("19.08.1993").await;
    b.assert_fits_width().await;
    b.click_button(&t("button-send")).await;
    b.wait_for_text(&t("flash-registered")).await;

    // "Вход" with the new account, then log out.
    b.field(&t("label-phone"))
        .await
        .fill("+7 701 234 56 78")
        .await;
    b.field(&t("label-password")).await.fill(password).await;
    b.click_button(&t("button-login")).await;
    b.wait_for_text(&iin).await;
    assert!(b.current_url().await.ends_with("/cabinet"));
    b.assert_fits_width().await;
    b.click_button(&t("nav-logout")).await;
    b.wait_for_text(&t("flash-logged-out")).await;

    // "Забыли пароль?": phone, "Отправить", the code, the new password twice, "Отправить".
    server.clock.advance(61);
    b.click_link(&t("nav-login")).await;
    b.click_link(&t("link-forgot-password")).await;
    b.assert_fits_width().await;
    b.field(&t("label-phone")).await.fill("7012345678").await;
    b.click_button(&t("button-send")).await;
    let code = server.next_code(phone, &mut seen).await;
    b.field(&t("label-code")).await.fill(&code).await;
    b.field(&t("label-new-password"))
        .await
        .fill(new_password)
        .await;
    b.field(&t("label-password-repeat"))
        .await
        .fill(new_password)
        .await;
    b.click_button(&t("button-send")).await;
    b.wait_for_text(&t("flash-password-reset")).await;

    // The old password no longer opens the account; the new one does.
    b.field(&t("label-phone")).await.fill(phone).await;
    b.field(&t("label-password")).await.fill(password).await;
    b.click_button(&t("button-login")).await;
    b.wait_for_text(&t("login-error-failed")).await;
    b.field(&t("label-password")).await.fill(new_password).await;
    b.click_button(&t("button-login")).await;
    b.wait_for_text(&iin).await;
    let body = b.body_text().await;
    assert!(
        body.contains("Әбенова Гүлназ") && body.contains("+7 701 234 56 78"),
        "the cabinet shows the applicant: {body}"
    );
    assert!(b.current_url().await.ends_with("/cabinet"));
    b.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_account_journey_in_russian() {
    journey(Lang::Ru).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_account_journey_in_kazakh() {
    journey(Lang::Kk).await;
}

/// Issue 3's journey in Russian: organization staff log in, see the groups imported from CSV,
/// publish a free place, and a visitor finds it in the public bulletin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_organization_staff_publish_a_free_place() {
    let server = serve().await;
    kezek::orgs::import::import_files(
        &server.app.db,
        (
            "orgs.csv",
            "bin,name_kk,name_ru,kato,address,phone,ownership,latitude,longitude\n\
             990140000384,Балапан бөбекжайы,Ясли-сад «Балапан»,710000000,\"Астана, ул. Абая, 12\",,state,,\n"
                .as_bytes(),
        ),
        (
            "groups.csv",
            "org_bin,name,birth_year,language,kind,correction_type,capacity\n\
             990140000384,Солнышко,2022,ru,regular,,25\n\
             990140000384,Логопедическая,2021,ru,correctional,speech,12\n"
                .as_bytes(),
        ),
        server.app.now(),
    )
    .await
    .expect("the district imports");
    kezek::accounts::create_staff(
        &server.app,
        kezek::domain::Role::Organization,
        "+77001000092",
        "staff password 1",
        kezek::accounts::users::StaffBinding {
            org_bin: Some("990140000384".into()),
            kato: None,
        },
    )
    .await
    .unwrap();
    let t = |key: &str| tr(Lang::Ru, key);

    let b = Browser::start().await;
    b.set_window_size(360, 740).await;
    b.goto(&format!("{}/lang/ru?back=/", server.base)).await;
    b.click_link("Вход").await;
    b.field("Номер телефона")
        .await
        .fill("+7 700 100 00 92")
        .await;
    b.field("Пароль").await.fill("staff password 1").await;
    b.click_button("Войти в систему").await;
    b.wait_for_text("Солнышко").await;
    b.wait_for_text("Логопедическая").await;
    b.assert_fits_width().await;

    b.click_link("Солнышко").await;
    b.field(&t("label-places-count")).await.fill("2").await;
    // "Свободно с" is today unless changed: how a date input takes typing depends on the browser's locale.
    let today = chrono::DateTime::from_timestamp(server.app.now(), 0)
        .unwrap()
        .format("%d.%m.%Y")
        .to_string();
    b.click_button(&t("button-publish")).await;
    b.wait_for_text(&t("flash-vacancies-published")).await;
    b.assert_fits_width().await;

    b.click_button(&t("nav-logout")).await;
    b.click_link(&t("bulletin-title")).await;
    b.wait_for_text("Ясли-сад «Балапан»").await;
    let body = b.body_text().await;
    assert!(
        body.contains("Солнышко") && body.contains(&today),
        "the bulletin lists the place: {body}"
    );
    assert!(
        !body.contains("Логопедическая"),
        "only the published group is listed: {body}"
    );
    b.assert_fits_width().await;
    b.quit().await;
}
