//! End-to-end tests in headless Chromium over WebDriver: a parent's whole account journey —
//! registration, log out, log in, forgot password, log in with the new password — on a
//! 360-px phone screen, reading the SMS codes from the outbox file like a person would.

#[path = "../support/harness.rs"]
mod harness;
#[path = "../support/webdriver.rs"]
mod webdriver;

mod a11y;

use std::sync::Arc;
use std::time::Duration;

use kezek_core::app::App;
use kezek_core::clock::ManualClock;
use kezek_core::i18n::{I18n, Lang};
use kezek_domain::Sex;

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
    tokio::spawn(kezek_web::serve(
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
    /// A staff account as `kezek staff add` would make it; returns its id.
    async fn staff(
        &self,
        role: kezek_domain::Role,
        phone: &str,
        password: &str,
        org: Option<&str>,
        kato: Option<&str>,
    ) -> i64 {
        kezek_core::accounts::create_staff(
            &self.app,
            role,
            phone,
            password,
            kezek_core::accounts::users::StaffBinding {
                org_bin: org.map(str::to_owned),
                kato: kato.map(str::to_owned),
            },
        )
        .await
        .unwrap()
    }

    /// A parent registered as through "Регистрация" (password "parent password 1").
    async fn parent(&self, phone: &str) -> kezek_core::audit::Actor {
        self._test.register_parent(phone, "parent password 1").await;
        let phone = kezek_domain::Phone::parse(phone).unwrap();
        let user_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE phone = $1")
            .bind(phone.as_e164())
            .fetch_one(self.app.db.pool())
            .await
            .unwrap();
        kezek_core::audit::Actor {
            user_id,
            ip: "198.51.100.7".into(),
        }
    }

    /// A child of the register added to the parent's "Мои дети"; returns its id.
    async fn child(
        &self,
        parent: &kezek_core::audit::Actor,
        (last, first): (&str, &str),
        born: (i32, u32, u32),
        sex: Sex,
    ) -> i64 {
        let iin = self._test.add_person(last, first, born, sex).await;
        let code = if sex == Sex::Female { "F" } else { "M" };
        kezek_core::children::add_child(&self.app, parent, &iin, code, "")
            .await
            .unwrap()
            .id
    }

    /// The id of the organization with this BIN.
    async fn organization(&self, bin: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM organizations WHERE bin = $1")
            .bind(bin)
            .fetch_one(self.app.db.pool())
            .await
            .unwrap()
    }

    /// Imports organizations and groups as `kezek org import` would; `orgs` and `groups` are
    /// the CSV lines after the header.
    async fn import(&self, orgs: &str, groups: &str) {
        let orgs =
            format!("bin,name_kk,name_ru,kato,address,phone,ownership,latitude,longitude\n{orgs}");
        let groups =
            format!("org_bin,name,birth_year,language,kind,correction_type,capacity\n{groups}");
        kezek_core::orgs::import::import_files(
            &self.app.db,
            ("orgs.csv", orgs.as_bytes()),
            ("groups.csv", groups.as_bytes()),
            self.app.now(),
        )
        .await
        .expect("the district imports");
    }

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

/// "Вход" from any page, then the phone and password.
async fn log_in(b: &Browser, phone: &str, password: &str) {
    b.click_link("Вход").await;
    b.field("Номер телефона").await.fill(phone).await;
    b.field("Пароль").await.fill(password).await;
    b.click_button("Войти в систему").await;
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
    // Only the first name and the surname's initial: enough to confirm, no more.
    b.wait_for_text("Гүлназ Ә.").await;
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
    server
        .import(
            "990140000384,Балапан бөбекжайы,Ясли-сад «Балапан»,710000000,\"Астана, ул. Абая, 12\",,state,,\n",
            "990140000384,Солнышко,2022,ru,regular,,25\n\
             990140000384,Логопедическая,2021,ru,correctional,speech,12\n",
        )
        .await;
    server
        .staff(
            kezek_domain::Role::Organization,
            "+77001000092",
            "staff password 1",
            Some("990140000384"),
            None,
        )
        .await;
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
    // The bulletin writes Kazakhstan's day, which is tomorrow's in UTC after 19:00 UTC.
    let today = kezek_domain::time::day_of(server.app.now());
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

/// Issue 4's journey from the parents' guide, in Russian: add a child, file a correctional
/// application with a ПМПК conclusion (PDF), see it on "Коррекционные заявки" and "Подробнее",
/// the department approves the conclusion, the parent sees the notice, then deletes the
/// application after confirming.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_correctional_application_from_the_guide() {
    let server = serve().await;
    server
        .import(
            "181040004565,№7 «Күншуақ» түзету балабақшасы,Коррекционный детский сад №7 «Куншуак»,710000000,\"Астана, ул. Сарайшык, 5\",,state,,\n",
            "181040004565,Логопедическая,2022,ru,correctional,speech,12\n",
        )
        .await;
    server
        .staff(
            kezek_domain::Role::Department,
            "+77001000091",
            "operator password 1",
            None,
            Some("710000000"),
        )
        .await;
    let test = &server._test;
    test.register_parent("+77012223344", "parent password 1")
        .await;
    let child_iin = test
        .add_person("Омарова", "Айару", (2022, 3, 8), Sex::Female)
        .await;
    let pdf = test.dir.path().join("pmpk.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\n% conclusion of the PMPK\n").unwrap();
    let today = kezek_domain::time::local_date(server.app.now());
    let ddmmyyyy = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
    let t = |key: &str| tr(Lang::Ru, key);

    let b = Browser::start().await;
    b.set_window_size(360, 740).await;
    let login = |phone: &'static str, password: &'static str| log_in(&b, phone, password);
    b.goto(&format!("{}/lang/ru?back=/", server.base)).await;
    login("+77012223344", "parent password 1").await;

    // Мои дети → Добавить ребенка → ИИН → Проверить ИИН → Пол → Сохранить.
    b.click_link("Мои дети").await;
    b.click_link("Добавить ребенка").await;
    b.field(&t("children-label-iin"))
        .await
        .fill(&child_iin)
        .await;
    b.click_button("Проверить ИИН").await;
    b.wait_for_text("Айару О.").await;
    b.click_button("Сохранить").await;
    b.wait_for_text("Омарова Айару").await;

    // Заявки → Добавить заявление, as the guide lists the steps.
    b.click_link("Личный кабинет").await;
    b.click_link("Заявки").await;
    b.click_link("Добавить заявление").await;
    b.field(&t("application-form-child"))
        .await
        .select_by_text("Омарова Айару (08.03.2022)")
        .await;
    b.field("Коррекционный").await.click().await;
    b.wait_for_text(&t("label-correction-type")).await;
    let speech = tr(Lang::Ru, "label-correction-type");
    b.field(&speech)
        .await
        .select_by_text("Нарушения речи")
        .await;
    b.field(&t("application-form-district"))
        .await
        .select_by_text("Астана — весь регион")
        .await;
    b.wait_for_text("Коррекционный детский сад №7 «Куншуак»")
        .await;
    b.field(&t1(Lang::Ru, "application-form-choice", "n", 1))
        .await
        .select_by_text("Коррекционный детский сад №7 «Куншуак» — Астана, ул. Сарайшык, 5")
        .await;
    b.field(&t("application-form-pmpk-number"))
        .await
        .fill("ПМПК-17/2026")
        .await;
    b.field(&t("application-form-pmpk-date"))
        .await
        .fill(&ddmmyyyy(today - chrono::Days::new(20)))
        .await;
    b.field(&t("application-form-pmpk-expires"))
        .await
        .fill(&ddmmyyyy(today + chrono::Days::new(300)))
        .await;
    b.field(&t("application-form-pmpk-file"))
        .await
        .attach(&pdf)
        .await;
    b.field(&t("label-language"))
        .await
        .select_by_text("Русский")
        .await;
    b.field(&t("application-form-consent")).await.click().await;
    b.click_button("Отправить").await;
    b.wait_for_text(&t("flash-application-form-submitted"))
        .await;
    b.assert_fits_width().await;

    // "Коррекционные заявки" lists it; "Подробнее" shows the attached conclusion.
    b.goto(&format!("{}/cabinet/applications", server.base))
        .await;
    b.click_link("Коррекционные заявки").await;
    b.wait_for_text("Омарова Айару").await;
    b.click_link("Подробнее").await;
    b.wait_for_text("pmpk.pdf").await;
    b.wait_for_text("ПМПК-17/2026").await;
    b.click_button(&t("nav-logout")).await;

    // The department approves the conclusion.
    login("+77001000091", "operator password 1").await;
    b.click_link(&t("verification-inbox-link")).await;
    b.wait_for_text("Омарова Айару").await;
    b.click_button("Одобрить").await;
    b.wait_for_text(&t("flash-verification-approved")).await;
    b.click_button(&t("nav-logout")).await;

    // The parent sees the notice, then deletes the application after confirming.
    login("+77012223344", "parent password 1").await;
    b.click_link_containing("Уведомления").await;
    b.wait_for_text("подтверждено отделом образования").await;
    b.goto(&format!("{}/cabinet/applications", server.base))
        .await;
    b.click_link("Коррекционные заявки").await;
    b.click_link_containing("Удалить").await;
    b.wait_for_text("Оно будет исключено из очереди").await;
    // The trash-can icon is hidden from screen readers: the button's name is "Удалить".
    b.click_button("🗑 Удалить").await;
    b.wait_for_text(&t("flash-application-deleted")).await;
    let body = b.body_text().await;
    assert!(
        !body.contains("Омарова Айару"),
        "the application is gone from the list: {body}"
    );
    let status: String = sqlx::query_scalar("SELECT status FROM applications")
        .fetch_one(server.app.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "deleted");
    b.quit().await;
}

fn t1(lang: Lang, key: &str, name: &str, value: i64) -> String {
    thread_local!(static I18N: I18n = I18n::new());
    I18N.with(|i| {
        i.get_with(
            lang,
            key,
            &[(name, fluent_bundle::FluentValue::from(value))],
        )
    })
}

/// Issue 5's journey in Russian: a parent's verified correctional application waits in the
/// public queue (their child highlighted); staff publish a matching free place; the direction is
/// issued at once with its SMS in the outbox and the notice in the cabinet; the parent accepts
/// it, staff enroll the child, and the parent can no longer delete the signed application.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_a_free_place_becomes_a_direction_and_an_enrollment() {
    let server = serve().await;
    let app = &server.app;
    server
        .import(
            "181040004565,№7 «Күншуақ» түзету балабақшасы,Коррекционный детский сад №7 «Куншуак»,710000000,\"Астана, ул. Сарайшык, 5\",,state,,\n",
            "181040004565,Логопедическая,2022,ru,correctional,speech,12\n",
        )
        .await;
    let staff =
        |role, phone: &'static str, org: Option<&'static str>, kato: Option<&'static str>| {
            server.staff(role, phone, "staff password 1", org, kato)
        };
    staff(
        kezek_domain::Role::Organization,
        "+77001000093",
        Some("181040004565"),
        None,
    )
    .await;
    let operator = staff(
        kezek_domain::Role::Department,
        "+77001000094",
        None,
        Some("710000000"),
    )
    .await;

    // The parent's correctional application, filed and verified through the services (the
    // form itself has its own browser test above).
    let parent = server.parent("+77012223355").await;
    let parent_id = parent.user_id;
    let child_id = server
        .child(&parent, ("Омарова", "Айару"), (2022, 3, 8), Sex::Female)
        .await;
    let pdf = kezek_core::documents::upload(
        app,
        &parent,
        parent_id,
        kezek_core::documents::DocumentKind::PmpkConclusion,
        "pmpk.pdf",
        b"%PDF-1.4\n% conclusion of the PMPK\n",
        app.now(),
    )
    .await
    .unwrap();
    let org_id = server.organization("181040004565").await;
    let today = kezek_domain::time::local_date(app.now());
    let application_id = kezek_core::applications::submit(
        app,
        &parent,
        "71",
        &kezek_core::applications::ApplicationInput {
            child_id,
            kind: kezek_core::orgs::GroupKind::Correctional,
            correction_type: Some("speech".into()),
            language: "ru".into(),
            kato: "710000000".into(),
            organization_ids: vec![org_id],
            pmpk: Some(kezek_core::applications::PmpkConclusion {
                number: "ПМПК-18/2026".into(),
                date: Some(today - chrono::Days::new(20)),
                expires: Some(today + chrono::Days::new(300)),
                document_id: Some(pdf.id),
            }),
            referral_document_id: None,
            privilege: None,
            consent: true,
            submission_key: "e2e-direction".into(),
        },
    )
    .await
    .unwrap();
    kezek_core::applications::verification::decide(
        app,
        &kezek_core::audit::Actor {
            user_id: operator,
            ip: "198.51.100.8".into(),
        },
        application_id,
        kezek_core::applications::verification::What::Pmpk,
        true,
        None,
        Lang::Ru,
    )
    .await
    .unwrap();
    let t = |key: &str| tr(Lang::Ru, key);

    let b = Browser::start().await;
    b.set_window_size(360, 740).await;
    let login = |phone: &'static str, password: &'static str| log_in(&b, phone, password);
    b.goto(&format!("{}/lang/ru?back=/", server.base)).await;
    login("+77012223355", "parent password 1").await;

    // "Очередь" with the guide's filters: the child is first, highlighted, masked.
    b.goto(&format!("{}/queue", server.base)).await;
    b.field("Населенный пункт")
        .await
        .select_by_text("Астана — весь регион")
        .await;
    b.field("Тип очереди")
        .await
        .select_by_text("Коррекционная")
        .await;
    b.field("Год рождения").await.select_by_text("2022").await;
    b.field("Тип коррекции")
        .await
        .select_by_text("Нарушения речи")
        .await;
    b.click_button("Показать").await;
    // The locality's queue first; then only organizations with a speech group are offered.
    b.wait_for_text("Всего в очереди: 1").await;
    b.field("Дошкольная организация")
        .await
        .select_by_text("Коррекционный детский сад №7 «Куншуак»")
        .await;
    b.click_button("Показать").await;
    b.wait_for_text("Всего в очереди: 1").await;
    let body = b.body_text().await;
    assert!(
        body.contains("О*** А.") && body.contains("(ваше)"),
        "{body}"
    );
    assert!(
        !body.contains("Омарова Айару"),
        "the public sees initials only"
    );
    b.assert_fits_width().await;
    b.click_button(&t("nav-logout")).await;

    // Staff publish one free place of the speech group.
    login("+77001000093", "staff password 1").await;
    b.click_link("Логопедическая").await;
    b.field(&t("label-places-count")).await.fill("1").await;
    b.click_button(&t("button-publish")).await;
    b.wait_for_text(&t("flash-vacancies-published")).await;
    b.click_button(&t("nav-logout")).await;

    // The direction's SMS reaches the outbox…
    let mut sms = String::new();
    for _ in 0..100 {
        let text = std::fs::read_to_string(app.settings.sms_outbox_path()).unwrap_or_default();
        if let Some(line) = text
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|v| {
                v["to"] == "+77012223355"
                    && v["text"]
                        .as_str()
                        .unwrap_or_default()
                        .contains("направление")
            })
        {
            sms = line["text"].as_str().unwrap_or_default().to_owned();
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        sms.contains("Куншуак"),
        "the SMS names the organization: {sms:?}"
    );

    // …and the parent finds the notice and the direction in the cabinet, and accepts it.
    login("+77012223355", "parent password 1").await;
    b.click_link_containing("Уведомления").await;
    b.wait_for_text("Куншуак").await;
    b.goto(&format!("{}/cabinet", server.base)).await;
    b.click_link(&t("directions-title")).await;
    b.wait_for_text("Логопедическая").await;
    b.click_link(&t("directions-open")).await;
    b.wait_for_text("Астана, ул. Сарайшык, 5").await;
    b.click_button(&t("directions-accept")).await;
    b.wait_for_text(&t("flash-direction-accepted")).await;
    b.assert_fits_width().await;
    b.click_button(&t("nav-logout")).await;

    // Staff enroll the child.
    login("+77001000093", "staff password 1").await;
    b.click_link(&t("org-directions-title")).await;
    b.wait_for_text("Омарова Айару").await;
    b.click_button(&t("org-directions-enroll")).await;
    b.wait_for_text(&t("flash-direction-enrolled")).await;
    b.assert_fits_width().await;
    b.click_button(&t("nav-logout")).await;

    // The signed application cannot be deleted any more.
    login("+77012223355", "parent password 1").await;
    b.goto(&format!("{}/cabinet/applications", server.base))
        .await;
    b.click_link("Коррекционные заявки").await;
    b.wait_for_text(&t("applications-signed-no-delete")).await;
    let body = b.body_text().await;
    assert!(
        !body.contains("🗑"),
        "no trash can for a signed application: {body}"
    );
    b.goto(&format!(
        "{}/cabinet/applications/{application_id}/delete",
        server.base
    ))
    .await;
    b.wait_for_text(&t("application-error-cannot-delete")).await;
    let status: String = sqlx::query_scalar("SELECT status FROM applications WHERE id = $1")
        .bind(application_id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(status, "signed");
    b.quit().await;
}

/// Issue 6's review journey in Russian: a parent whose child got a direction writes a review
/// of the organization; it waits for moderation; a moderator publishes it from "Модерация
/// отзывов"; any visitor then reads it on the organization's reviews page, on a phone screen.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_a_parent_reviews_an_organization_and_a_moderator_publishes_it() {
    let server = serve().await;
    let app = &server.app;
    server
        .import(
            "120540007891,«Айгөлек» балабақшасы,Детский сад «Айгулек»,710000000,\"Астана, ул. Кенесары, 8\",,state,,\n",
            "120540007891,Солнышко,2022,ru,regular,,20\n",
        )
        .await;
    let staff_id = server
        .staff(
            kezek_domain::Role::Organization,
            "+77001000095",
            "staff password 1",
            Some("120540007891"),
            None,
        )
        .await;
    server
        .staff(
            kezek_domain::Role::Moderator,
            "+77001000096",
            "staff password 1",
            None,
            None,
        )
        .await;

    // The child's application and its direction, through the services (the browser tests
    // above walk those pages).
    let parent = server.parent("+77012223366").await;
    let child_id = server
        .child(&parent, ("Жумабаев", "Арман"), (2022, 6, 1), Sex::Male)
        .await;
    let org_id = server.organization("120540007891").await;
    kezek_core::applications::submit(
        app,
        &parent,
        "71",
        &kezek_core::applications::ApplicationInput {
            child_id,
            kind: kezek_core::orgs::GroupKind::Regular,
            correction_type: None,
            language: "ru".into(),
            kato: "710000000".into(),
            organization_ids: vec![org_id],
            pmpk: None,
            referral_document_id: None,
            privilege: None,
            consent: true,
            submission_key: "e2e-review".into(),
        },
    )
    .await
    .unwrap();
    let group: i64 = sqlx::query_scalar("SELECT id FROM org_groups WHERE name = 'Солнышко'")
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let staff = kezek_core::audit::Actor {
        user_id: staff_id,
        ip: "198.51.100.9".into(),
    };
    let today = kezek_domain::time::local_date(app.now());
    kezek_core::orgs::vacancies::publish(&app.db, &staff, group, 1, today, app.now())
        .await
        .unwrap();
    let issued = kezek_core::directions::allocate_group(app, group, app.now())
        .await
        .unwrap();
    assert_eq!(issued, 1);
    let t = |key: &str| tr(Lang::Ru, key);

    let b = Browser::start().await;
    b.set_window_size(360, 740).await;
    let login = |phone: &'static str, password: &'static str| log_in(&b, phone, password);
    b.goto(&format!("{}/lang/ru?back=/", server.base)).await;
    login("+77012223366", "parent password 1").await;

    // The parent writes the review on the organization's reviews page.
    b.goto(&format!("{}/reviews/org/{org_id}", server.base))
        .await;
    b.wait_for_text("Оставить отзыв").await;
    b.field("Оценка").await.select_by_text("5 из 5").await;
    b.field("Текст отзыва")
        .await
        .fill("Воспитатели внимательные, группа светлая. <Спасибо!>")
        .await;
    b.click_button("Отправить на модерацию").await;
    b.wait_for_text(&t("flash-review-sent")).await;
    b.wait_for_text("на модерации").await;
    b.assert_fits_width().await;
    b.click_button(&t("nav-logout")).await;

    // The moderator lands on "Модерация отзывов" and publishes it.
    login("+77001000096", "staff password 1").await;
    b.wait_for_text("Модерация отзывов").await;
    b.wait_for_text("Воспитатели внимательные").await;
    b.assert_fits_width().await;
    b.click_button("Опубликовать").await;
    b.wait_for_text(&t("flash-moderation-approved")).await;
    b.wait_for_text(&t("moderation-pending-none")).await;
    b.click_button(&t("nav-logout")).await;

    // Any visitor reads it, the author by first name and initial, the text as typed.
    b.goto(&format!("{}/reviews/org/{org_id}", server.base))
        .await;
    b.wait_for_text("Воспитатели внимательные, группа светлая. <Спасибо!>")
        .await;
    let body = b.body_text().await;
    assert!(
        body.contains("Алия С.") && body.contains("Оценка: 5 из 5"),
        "{body}"
    );
    assert!(
        !body.contains("Сапарова"),
        "the author's last name is not shown"
    );
    b.assert_fits_width().await;
    b.goto(&format!("{}/reviews", server.base)).await;
    b.wait_for_text("Детский сад «Айгулек»").await;
    b.assert_fits_width().await;
    b.quit().await;
}

/// Issue 6's portal in Russian on a phone screen: the home page's figures, the free-places
/// bulletin narrowed with its form, and an organization's page reached from the bulletin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_portal_home_bulletin_and_an_organization() {
    let server = serve().await;
    server
        .import(
            "990140000384,Балапан бөбекжайы,Ясли-сад «Балапан»,710000000,\"Астана, ул. Абая, 12\",,state,51.128207,71.430411\n\
             050440001239,Ақбота,Акбота,711200000,\"Астана, пр. Кабанбай батыра, 40\",,private,,\n",
            "990140000384,Солнышко,2022,ru,regular,,25\n\
             990140000384,Балапандар,2023,kk,regular,,20\n\
             050440001239,Ақбота тобы,2021,kk,regular,,20\n",
        )
        .await;
    let staff = server
        .staff(
            kezek_domain::Role::Organization,
            "+77001000094",
            "staff password 1",
            Some("990140000384"),
            None,
        )
        .await;
    let actor = kezek_core::audit::Actor {
        user_id: staff,
        ip: "127.0.0.1".into(),
    };
    let today = kezek_domain::time::local_date(server.app.now());
    for (group, count) in [("Солнышко", 2), ("Балапандар", 1)] {
        let id: i64 = sqlx::query_scalar("SELECT id FROM org_groups WHERE name = $1")
            .bind(group)
            .fetch_one(server.app.db.pool())
            .await
            .unwrap();
        kezek_core::orgs::vacancies::publish(
            &server.app.db,
            &actor,
            id,
            count,
            today,
            server.app.now(),
        )
        .await
        .unwrap();
    }
    let t = |key: &str| tr(Lang::Ru, key);

    let b = Browser::start().await;
    b.set_window_size(360, 740).await;
    b.goto(&format!("{}/lang/ru?back=/", server.base)).await;
    b.wait_for_text("Свободных мест сейчас: 3").await;
    b.wait_for_text("Дошкольных организаций: 2").await;
    b.wait_for_text("Детей в очереди: 0").await;
    b.wait_for_text("Направлений выдано в этом месяце: 0").await;
    b.assert_fits_width().await;

    b.click_link(&t("bulletin-title")).await;
    b.wait_for_text("Найдено мест: 3").await;
    b.field("Язык обучения")
        .await
        .select_by_text("Русский")
        .await;
    b.field("Тип группы").await.select_by_text("Обычная").await;
    b.click_button("Показать").await;
    b.wait_for_text("Найдено мест: 2").await;
    let body = b.body_text().await;
    assert!(
        body.contains("Солнышко") && !body.contains("Балапандар"),
        "only the Russian group's places: {body}"
    );
    assert!(
        b.current_url().await.contains("language=ru"),
        "the filters are in the address"
    );
    assert_eq!(
        b.execute("return document.getElementById('f-language').value;")
            .await,
        "ru",
        "the chosen language stays chosen"
    );
    b.assert_fits_width().await;

    b.click_link_containing("Ясли-сад «Балапан»").await;
    b.wait_for_text(&t("catalog-org-where")).await;
    let body = b.body_text().await;
    for text in [
        "Солнышко",
        "Балапандар",
        "Астана, ул. Абая, 12",
        "51.128207",
        &t("catalog-org-map-link"),
    ] {
        assert!(
            body.contains(text),
            "{text} on the organization's page: {body}"
        );
    }
    b.assert_fits_width().await;
    b.quit().await;
}
