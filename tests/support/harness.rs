//! Starts a real Kezek on a database of its own, copied from a migrated template (SQLite, or
//! PostgreSQL when `KEZEK_TEST_DB=postgres`; see `database.rs`), and talks to its real router,
//! keeping cookies like a browser and reading the SMS outbox.
#![allow(dead_code)]

#[path = "database.rs"]
mod database;
pub use database::TestDatabase;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use kezek_core::app::App;
use kezek_core::clock::ManualClock;
use kezek_core::config::{Secret, Settings, SettingsInput};
use kezek_domain::{Iin, Person, Sex};
use tower::ServiceExt;

pub fn on_postgres() -> bool {
    match std::env::var("KEZEK_TEST_DB").as_deref() {
        Ok("postgres") => true,
        Ok("sqlite") | Err(_) => false,
        Ok(other) => panic!("KEZEK_TEST_DB must be sqlite or postgres, not {other}"),
    }
}

pub struct TestApp {
    pub app: App,
    pub clock: Arc<ManualClock>,
    pub router: Router,
    pub dir: tempfile::TempDir,
    /// Declared last, so it is dropped (and on PostgreSQL the database with it) after the rest.
    pub database: TestDatabase,
}

pub fn settings_for(dir: &std::path::Path, database: &TestDatabase) -> Settings {
    Settings::resolve(SettingsInput {
        data_dir: Some(dir.to_owned()),
        database_url: Some(Secret::new(database.url().to_owned())),
        database_max_connections: Some(5),
        trust_proxy: Some(true),
        hashing_concurrency: Some(4),
        // Every request sees the data as the test just left it.
        public_figures_secs: Some(0),
        public_cache_ms: Some(0),
        // Tests make hundreds of requests from one address; tests/it/shedding.rs turns it on.
        anonymous_rate: Some(0),
        anonymous_in_flight: Some(0),
        ..Default::default()
    })
    .expect("test settings are valid")
}

impl TestApp {
    pub async fn start() -> TestApp {
        Self::start_with(|_| {}).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().expect("temp dir");
        let database = TestDatabase::migrated(dir.path()).await;
        let mut settings = settings_for(dir.path(), &database);
        adjust(&mut settings);
        let clock = Arc::new(ManualClock::new());
        let app = App::start_with_clock(settings, clock.clone())
            .await
            .expect("the app starts");
        let router = kezek_web::router(app.clone());
        TestApp {
            app,
            clock,
            router,
            dir,
            database,
        }
    }

    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            cookies: HashMap::new(),
            ip: "198.51.100.7".into(),
            accept_language: "ru".into(),
        }
    }

    /// Puts a person into the embedded register and returns their IIN.
    pub async fn add_person(
        &self,
        last: &str,
        first: &str,
        born: (i32, u32, u32),
        sex: Sex,
    ) -> String {
        let date = NaiveDate::from_ymd_opt(born.0, born.1, born.2).unwrap();
        // A random start, then the first valid serial nobody in the register has yet: many
        // children born on one day in one test must not collide.
        let start = (self.clock_serial() % 9000) as u16;
        let mut iin = None;
        for s in start..start + 900 {
            let Some(candidate) = Iin::generate(date, sex, s) else {
                continue;
            };
            let taken: Option<String> =
                sqlx::query_scalar("SELECT iin FROM registry_persons WHERE iin = $1")
                    .bind(candidate.as_str())
                    .fetch_optional(self.app.db.pool())
                    .await
                    .unwrap();
            if taken.is_none() {
                iin = Some(candidate);
                break;
            }
        }
        let iin = iin.expect("a free IIN for the day");
        let person = Person {
            iin: iin.clone(),
            last_name: last.into(),
            first_name: first.into(),
            middle_name: None,
            birth_date: date,
            sex,
            nationality: None,
        };
        kezek_core::registry::import::store(&self.app.db, &[person], self.app.now())
            .await
            .unwrap();
        iin.to_string()
    }

    fn clock_serial(&self) -> u64 {
        let mut b = [0u8; 2];
        getrandom::fill(&mut b).unwrap();
        u16::from_le_bytes(b) as u64
    }

    pub fn outbox_path(&self) -> PathBuf {
        self.app.settings.sms_outbox_path()
    }

    /// Relays the outbox through the file gateway and returns every message sent to `phone`.
    pub async fn sms_to(&self, phone_e164: &str) -> Vec<String> {
        self.app.relay().relay_once().await.expect("relay works");
        let text = std::fs::read_to_string(self.outbox_path()).unwrap_or_default();
        text.lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("outbox lines are JSON"))
            .filter(|v| v["to"] == phone_e164)
            .map(|v| v["text"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Messages to `phone` once there are more than `seen`: a relay running in the background
    /// (the browser tests start one) may be writing the line at this very moment.
    pub async fn sms_after(&self, phone_e164: &str, seen: usize) -> Vec<String> {
        for _ in 0..50 {
            let messages = self.sms_to(phone_e164).await;
            if messages.len() > seen {
                return messages;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        self.sms_to(phone_e164).await
    }

    /// The 6-digit code of the latest SMS to `phone`.
    pub async fn last_code(&self, phone_e164: &str) -> String {
        let messages = self.sms_after(phone_e164, 0).await;
        let last = messages.last().expect("an SMS was sent");
        extract_code(last).unwrap_or_else(|| panic!("no code in {last:?}"))
    }

    /// Asks the sign-up page for a code to `phone` (any shape a person types).
    pub async fn ask_sign_up_code(&self, c: &mut Client, phone: &str) -> Response {
        c.post(
            "/register",
            &[
                ("phone", phone),
                ("policy", "1"),
                ("action", "request_code"),
            ],
        )
        .await
    }

    /// Asks for a sign-up code to `phone`; the code its SMS carried.
    pub async fn request_sign_up_code(&self, c: &mut Client, phone: &str) -> String {
        let r = self.ask_sign_up_code(c, phone).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let e164 = kezek_domain::Phone::parse(phone)
            .unwrap()
            .as_e164()
            .to_owned();
        self.last_code(&e164).await
    }

    /// Takes `c` through the sign-up's phone step (code asked for and confirmed) to its
    /// password step.
    pub async fn sign_up_to_password(&self, c: &mut Client, phone: &str) {
        let code = self.request_sign_up_code(c, phone).await;
        let r = c
            .post(
                "/register",
                &[
                    ("phone", phone),
                    ("policy", "1"),
                    ("code", &code),
                    ("action", "verify"),
                ],
            )
            .await;
        assert_eq!(r.location(), Some("/register/password"), "{}", r.body);
    }

    /// A parent account made through the real pages; returns the client, logged out.
    pub async fn register_parent(&self, phone: &str, password: &str) -> (Client, String) {
        let iin = self
            .add_person("Сапарова", "Алия", (1991, 4, 12), Sex::Female)
            .await;
        let mut c = self.client();
        c.get("/register").await;
        self.sign_up_to_password(&mut c, phone).await;
        let r = c
            .post(
                "/register/password",
                &[("password", password), ("password2", password)],
            )
            .await;
        assert_eq!(r.location(), Some("/register/iin"), "{}", r.body);
        let r = c
            .post("/register/iin", &[("iin", &iin), ("action", "check")])
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = c
            .post(
                "/register/iin",
                &[("iin", &iin), ("checked_iin", &iin), ("action", "submit")],
            )
            .await;
        assert_eq!(r.location(), Some("/login"), "{}", r.body);
        (c, iin)
    }
}

pub fn extract_code(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .map(str::to_owned)
}

pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Response {
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }
}

/// A browser-like client: keeps cookies, sends the CSRF token with every form.
pub struct Client {
    pub router: Router,
    pub cookies: HashMap<String, String>,
    pub ip: String,
    pub accept_language: String,
}

impl Client {
    /// A cookie by its name, also under the `__Host-` prefix used over HTTPS.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .get(name)
            .or_else(|| self.cookies.get(&format!("__Host-{name}")))
            .map(String::as_str)
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn send(&mut self, request: Request<Body>) -> Response {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router answers");
        for value in response.headers().get_all(header::SET_COOKIE) {
            let value = value.to_str().unwrap();
            let pair = value.split(';').next().unwrap();
            let (name, v) = pair.split_once('=').unwrap();
            if value.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), v.to_owned());
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        Response {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    fn builder(&self, method: &str, path: &str) -> axum::http::request::Builder {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "kezek.test")
            .header("x-forwarded-for", &self.ip)
            .header(header::ACCEPT_LANGUAGE, &self.accept_language)
            .header(header::COOKIE, self.cookie_header())
    }

    pub async fn get(&mut self, path: &str) -> Response {
        let req = self.builder("GET", path).body(Body::empty()).unwrap();
        self.send(req).await
    }

    /// Posts a form with the CSRF token a page of ours would carry.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        if self.cookie("kezek_csrf").is_none() {
            self.get("/").await;
        }
        let token = self.cookie("kezek_csrf").unwrap().to_owned();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &token));
        self.post_raw(path, &serde_urlencoded::to_string(&all).unwrap(), &[])
            .await
    }

    pub async fn post_raw(&mut self, path: &str, body: &str, headers: &[(&str, &str)]) -> Response {
        let mut b = self
            .builder("POST", path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let req = b.body(Body::from(body.to_owned())).unwrap();
        self.send(req).await
    }

    /// Uploads one file as `multipart/form-data`, with the CSRF token as the first part, as our
    /// forms send it.
    pub async fn upload(
        &mut self,
        path: &str,
        field: &str,
        file_name: &str,
        bytes: &[u8],
        with_token: bool,
    ) -> Response {
        if self.cookie("kezek_csrf").is_none() {
            self.get("/").await;
        }
        let token = self.cookie("kezek_csrf").unwrap().to_owned();
        let boundary = "kezek-test-boundary-7d1a";
        let mut body = Vec::new();
        if with_token {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let req = self
            .builder("POST", path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    pub async fn login(&mut self, phone: &str, password: &str) -> Response {
        self.post("/login", &[("phone", phone), ("password", password)])
            .await
    }
}
