//! The register of individuals over HTTP. The state gateway itself is reached through an
//! integration bus, which exposes it to us as this small REST shape:
//!
//! `GET {base_url}/persons/{iin}` with `Accept: application/json` and, when configured,
//! `Authorization: Bearer {token}`.
//! - 200: `{"iin":"…","last_name":"…","first_name":"…","middle_name":null|"…",
//!   "birth_date":"YYYY-MM-DD","sex":"M"|"F","nationality":null|"…",
//!   "social_statuses":["orphan",…]}` (other fields ignored). `social_statuses` lists the
//!   person's first-priority status codes (see `FIRST_PRIORITY_STATUSES`); missing or null
//!   means none. A code Kezek does not know is kept but never applies: only the active
//!   first-priority categories of the reference list count when an application is filed;
//! - 404: nobody with this IIN;
//! - anything else, a timeout or a connection error: the register is unavailable.
//!
//! A 200 that does not parse, names another IIN, or contradicts the birth date and sex
//! encoded in the IIN is invalid data: we would rather not verify than verify wrongly.

use std::time::Duration;

use chrono::NaiveDate;
use serde::Deserialize;

use super::{RegistryEntry, RegistryError, clean_statuses};
use crate::domain::{Iin, Person, Sex};
use crate::outside::describe_error;

/// Lookups happen while a parent waits for a page, so a slow register must fail fast.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// A person record is a few hundred bytes; more than this is not an answer we can use.
const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Clone)]
pub struct HttpRegistry {
    base_url: String,
    token: Option<String>,
    client: reqwest::Client,
}

// Written by hand so that the token never shows in `{:?}`.
impl std::fmt::Debug for HttpRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpRegistry")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct Record {
    iin: String,
    last_name: String,
    first_name: String,
    #[serde(default)]
    middle_name: Option<String>,
    birth_date: NaiveDate,
    sex: String,
    #[serde(default)]
    nationality: Option<String>,
    #[serde(default)]
    social_statuses: Option<Vec<String>>,
}

impl HttpRegistry {
    pub fn new(base_url: String, token: Option<String>, client: reqwest::Client) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            token: token.filter(|t| !t.is_empty()),
            client,
        }
    }

    pub async fn lookup(&self, iin: &Iin) -> Result<Option<Person>, RegistryError> {
        Ok(self.lookup_entry(iin).await?.map(|entry| entry.person))
    }

    pub async fn lookup_entry(&self, iin: &Iin) -> Result<Option<RegistryEntry>, RegistryError> {
        // Error texts name the IIN only masked: they end up in logs.
        let who = iin.masked();
        let mut request = self
            .client
            .get(format!("{}/persons/{}", self.base_url, iin.as_str()))
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(REQUEST_TIMEOUT);
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        let unavailable = |err: reqwest::Error| {
            RegistryError::Unavailable(format!(
                "lookup of {who}: {}",
                describe_error(err, self.token.as_deref())
            ))
        };
        let mut response = request.send().await.map_err(unavailable)?;
        match response.status() {
            reqwest::StatusCode::OK => {}
            reqwest::StatusCode::NOT_FOUND => return Ok(None),
            status => {
                return Err(RegistryError::Unavailable(format!(
                    "lookup of {who}: HTTP {status}"
                )));
            }
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(unavailable)? {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(RegistryError::InvalidData(format!(
                    "answer for {who} is longer than {MAX_BODY_BYTES} bytes"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        let record: Record = serde_json::from_slice(&body).map_err(|e| {
            // serde's message names the field and position, not the values.
            RegistryError::InvalidData(format!("answer for {who} is not a person record: {e}"))
        })?;
        to_entry(iin, record).map(Some)
    }
}

fn to_entry(asked: &Iin, record: Record) -> Result<RegistryEntry, RegistryError> {
    let who = asked.masked();
    let invalid = |what: &str| RegistryError::InvalidData(format!("{what} for {who}"));
    if record.iin.trim() != asked.as_str() {
        return Err(invalid("the answer is about another IIN"));
    }
    let sex = Sex::from_code(&record.sex).ok_or_else(|| invalid("unknown sex code"))?;
    let last_name = required(record.last_name).ok_or_else(|| invalid("empty last name"))?;
    let first_name = required(record.first_name).ok_or_else(|| invalid("empty first name"))?;
    let person = Person {
        iin: asked.clone(),
        last_name,
        first_name,
        middle_name: record.middle_name.and_then(required),
        birth_date: record.birth_date,
        sex,
        nationality: record.nationality.and_then(required),
    };
    person
        .check_consistent()
        .map_err(|e| RegistryError::InvalidData(format!("{e}, for {who}")))?;
    let social_statuses =
        clean_statuses(record.social_statuses.iter().flatten().map(String::as_str));
    Ok(RegistryEntry {
        person,
        social_statuses,
    })
}

/// Registers pad and blank fields inconsistently; a blank value means "none".
fn required(value: String) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use axum::Router;
    use axum::extract::{Path, State};
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::get;

    use super::*;

    const TOKEN: &str = "bus-token-s3cret";

    #[derive(Debug, Clone, Default)]
    struct Seen {
        iin: String,
        authorization: Option<String>,
        accept: Option<String>,
    }

    #[derive(Clone)]
    struct Fake {
        status: StatusCode,
        body: String,
        seen: Arc<Mutex<Vec<Seen>>>,
    }

    async fn person(
        State(fake): State<Fake>,
        Path(iin): Path<String>,
        headers: HeaderMap,
    ) -> (StatusCode, [(&'static str, &'static str); 1], String) {
        let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned());
        fake.seen.lock().unwrap().push(Seen {
            iin,
            authorization: header("authorization"),
            accept: header("accept"),
        });
        (
            fake.status,
            [("content-type", "application/json")],
            fake.body.clone(),
        )
    }

    /// Starts a fake bus answering every `/persons/{iin}` with `status` and `body`.
    async fn start(status: u16, body: String) -> (String, Arc<Mutex<Vec<Seen>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let fake = Fake {
            status: StatusCode::from_u16(status).unwrap(),
            body,
            seen: seen.clone(),
        };
        let app = Router::new()
            .route("/api/persons/{iin}", get(person))
            .with_state(fake);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (format!("http://{addr}/api"), seen)
    }

    fn client() -> reqwest::Client {
        // The binary installs the ring provider at startup; tests build clients without it.
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::builder().no_proxy().build().unwrap()
    }

    fn iin_of(birth: (i32, u32, u32), sex: Sex) -> Iin {
        let date = NaiveDate::from_ymd_opt(birth.0, birth.1, birth.2).unwrap();
        (0..100)
            .find_map(|serial| Iin::generate(date, sex, serial))
            .unwrap()
    }

    fn child() -> Iin {
        iin_of((2021, 3, 14), Sex::Female)
    }

    fn record(iin: &str, birth_date: &str, sex: &str) -> String {
        serde_json::json!({
            "iin": iin,
            "last_name": "Сериккызы",
            "first_name": "Айгерим",
            "middle_name": null,
            "birth_date": birth_date,
            "sex": sex,
            "nationality": "казашка",
            "address": {"region": "Алматы"},
        })
        .to_string()
    }

    async fn lookup(status: u16, body: String) -> Result<Option<Person>, RegistryError> {
        let (url, _) = start(status, body).await;
        HttpRegistry::new(url, None, client())
            .lookup(&child())
            .await
    }

    #[tokio::test]
    async fn found() {
        let iin = child();
        let (url, seen) = start(200, record(iin.as_str(), "2021-03-14", "F")).await;
        let registry = HttpRegistry::new(format!("{url}/"), Some(TOKEN.into()), client());
        let person = registry.lookup(&iin).await.unwrap().unwrap();
        assert_eq!(person.iin, iin);
        assert_eq!(person.last_name, "Сериккызы");
        assert_eq!(person.first_name, "Айгерим");
        assert_eq!(person.middle_name, None);
        assert_eq!(person.birth_date, iin.birth_date());
        assert_eq!(person.sex, Sex::Female);
        assert_eq!(person.nationality.as_deref(), Some("казашка"));

        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].iin, iin.as_str());
        assert_eq!(
            seen[0].authorization.as_deref(),
            Some("Bearer bus-token-s3cret")
        );
        assert_eq!(seen[0].accept.as_deref(), Some("application/json"));
    }

    #[tokio::test]
    async fn no_token_no_authorization_header() {
        let iin = child();
        let (url, seen) = start(200, record(iin.as_str(), "2021-03-14", "F")).await;
        HttpRegistry::new(url, None, client())
            .lookup(&iin)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(seen.lock().unwrap()[0].authorization, None);
    }

    #[tokio::test]
    async fn not_found() {
        assert!(lookup(404, String::new()).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn outage_is_unavailable() {
        for status in [503, 500, 401, 302] {
            let err = lookup(status, "{}".into()).await.unwrap_err();
            assert!(
                matches!(err, RegistryError::Unavailable(_)),
                "{status}: {err}"
            );
        }
    }

    #[tokio::test]
    async fn closed_port_is_unavailable_and_hides_the_token_and_iin() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let registry = HttpRegistry::new(format!("http://{addr}"), Some(TOKEN.into()), client());
        let err = registry.lookup(&child()).await.unwrap_err();
        assert!(matches!(err, RegistryError::Unavailable(_)), "{err}");
        let text = format!("{err} {err:?} {registry:?}");
        assert!(!text.contains(TOKEN), "{text}");
        assert!(!text.contains(child().as_str()), "{text}");
    }

    #[tokio::test]
    async fn malformed_body_is_invalid() {
        for body in ["not json", "{}", r#"{"iin":"x"}"#] {
            let err = lookup(200, body.into()).await.unwrap_err();
            assert!(
                matches!(err, RegistryError::InvalidData(_)),
                "{body}: {err}"
            );
        }
        let iin = child();
        let bad_date = record(iin.as_str(), "14.03.2021", "F");
        let err = lookup(200, bad_date).await.unwrap_err();
        assert!(matches!(err, RegistryError::InvalidData(_)), "{err}");
    }

    #[tokio::test]
    async fn another_iin_is_invalid() {
        let other = iin_of((2021, 3, 14), Sex::Male);
        let err = lookup(200, record(other.as_str(), "2021-03-14", "M"))
            .await
            .unwrap_err();
        assert!(matches!(err, RegistryError::InvalidData(_)), "{err}");
        assert!(!err.to_string().contains(child().as_str()), "{err}");
    }

    #[tokio::test]
    async fn contradicting_birth_date_or_sex_is_invalid() {
        let iin = child();
        for (date, sex) in [
            ("2021-03-15", "F"),
            ("2021-03-14", "M"),
            ("2021-03-14", "X"),
        ] {
            let err = lookup(200, record(iin.as_str(), date, sex))
                .await
                .unwrap_err();
            assert!(
                matches!(err, RegistryError::InvalidData(_)),
                "{date} {sex}: {err}"
            );
        }
    }

    #[tokio::test]
    async fn social_statuses_are_read_and_missing_means_none() {
        let iin = child();
        let with = |statuses: serde_json::Value| {
            let mut body: serde_json::Value =
                serde_json::from_str(&record(iin.as_str(), "2021-03-14", "F")).unwrap();
            body["social_statuses"] = statuses;
            body.to_string()
        };
        let entry = |body: String| async move {
            let (url, _) = start(200, body).await;
            HttpRegistry::new(url, None, client())
                .lookup_entry(&child())
                .await
        };
        let found = entry(with(serde_json::json!([
            " orphan",
            "special_needs",
            "",
            "orphan"
        ])))
        .await
        .unwrap()
        .unwrap();
        assert_eq!(found.social_statuses, ["orphan", "special_needs"]);
        assert_eq!(found.person.first_name, "Айгерим");
        for none in [
            record(iin.as_str(), "2021-03-14", "F"),
            with(serde_json::Value::Null),
            with(serde_json::json!([])),
        ] {
            let found = entry(none.clone()).await.unwrap().unwrap();
            assert!(found.social_statuses.is_empty(), "{none}");
        }
        let err = entry(with(serde_json::json!("orphan"))).await.unwrap_err();
        assert!(matches!(err, RegistryError::InvalidData(_)), "{err}");
    }

    #[tokio::test]
    async fn blank_optional_fields_are_none() {
        let iin = child();
        let body = serde_json::json!({
            "iin": iin.as_str(), "last_name": " Сериккызы ", "first_name": "Айгерим",
            "middle_name": "  ", "birth_date": "2021-03-14", "sex": "F",
        })
        .to_string();
        let person = lookup(200, body).await.unwrap().unwrap();
        assert_eq!(person.last_name, "Сериккызы");
        assert_eq!(person.middle_name, None);
        assert_eq!(person.nationality, None);
    }
}
