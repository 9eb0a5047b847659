//! SMS delivery: gateways speaking real HTTP protocols, behind one enum.
//! The outbox relay decides about retries from the two error kinds; gateways only classify.

mod file;
mod mobizon;
mod smsc;

use std::time::Duration;

use crate::outside::{describe_error, scrub};

pub use file::FileGateway;
pub use mobizon::MobizonGateway;
pub use smsc::SmscGateway;

/// One message taken from the outbox.
#[derive(Clone)]
pub struct SmsMessage {
    /// The outbox row id.
    pub id: i64,
    /// E.164, e.g. "+77011234567".
    pub to: String,
    pub text: String,
}

// Texts carry one-time codes, so a stray `{:?}` must not put them into a log.
impl std::fmt::Debug for SmsMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsMessage")
            .field("id", &self.id)
            .field("to", &mask_phone(&self.to))
            .field(
                "text",
                &format_args!("<{} chars>", self.text.chars().count()),
            )
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    /// Worth retrying later: the gateway is down, throttling, or waiting for an operator
    /// (credentials, balance).
    #[error("temporary SMS gateway failure: {0}")]
    Transient(String),
    /// Retrying the same message cannot help: bad number, forbidden text, malformed request.
    #[error("SMS rejected by the gateway: {0}")]
    Permanent(String),
}

#[derive(Clone)]
pub enum SmsGateway {
    File(FileGateway),
    Mobizon(MobizonGateway),
    Smsc(SmscGateway),
}

impl SmsGateway {
    pub async fn send(&self, msg: &SmsMessage) -> Result<(), SmsError> {
        match self {
            SmsGateway::File(g) => g.send(msg).await,
            SmsGateway::Mobizon(g) => g.send(msg).await,
            SmsGateway::Smsc(g) => g.send(msg).await,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            SmsGateway::File(_) => "file",
            SmsGateway::Mobizon(_) => "mobizon",
            SmsGateway::Smsc(_) => "smsc",
        }
    }
}

/// Per request, on top of whatever the shared client has: the relay holds a lease on the
/// message while it waits, so a hung gateway must not hold it for long.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Gateway replies are tiny; anything longer is not a reply we could use.
const MAX_REPLY_BYTES: usize = 64 * 1024;

/// Error texts end up in logs and in the outbox table, so a gateway's message is cut short.
const MAX_DETAIL_CHARS: usize = 200;

/// The HTTP gateways want the number as bare digits: "+7 701 123-45-67" → "77011234567".
fn recipient_digits(to: &str) -> Result<String, SmsError> {
    let digits: String = to.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 10 {
        return Err(SmsError::Permanent(format!(
            "recipient {} is not a phone number",
            mask_phone(to)
        )));
    }
    Ok(digits)
}

/// Keeps the country/operator prefix and the last two digits, enough to tell numbers apart.
fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() <= 6 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..chars.len().min(5)].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}***{tail}")
}

/// A gateway's reply, read far enough to classify it.
struct Reply {
    status: reqwest::StatusCode,
    body: Vec<u8>,
}

/// Sends the request and reads a bounded reply. Transport failures are always transient.
/// `secret` is scrubbed from every error text, in case some layer echoes the request.
async fn execute(
    gateway: &str,
    request: reqwest::RequestBuilder,
    secret: &str,
) -> Result<Reply, SmsError> {
    let fail = |err: reqwest::Error| {
        SmsError::Transient(format!("{gateway}: {}", describe_error(err, Some(secret))))
    };
    let mut response = request
        .timeout(REQUEST_TIMEOUT)
        .send()
        .await
        .map_err(fail)?;
    let status = response.status();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(fail)? {
        if body.len() + chunk.len() > MAX_REPLY_BYTES {
            return Err(SmsError::Transient(format!(
                "{gateway}: reply with HTTP {status} is longer than {MAX_REPLY_BYTES} bytes"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Reply { status, body })
}

/// Shortens and scrubs a text that came from the gateway.
fn detail(text: &str, secret: &str) -> String {
    let text = scrub(text.trim(), Some(secret));
    if text.chars().count() > MAX_DETAIL_CHARS {
        let cut: String = text.chars().take(MAX_DETAIL_CHARS).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// For a reply whose body we could not understand, the HTTP status decides.
fn classify_unreadable(gateway: &str, status: reqwest::StatusCode) -> SmsError {
    let text = format!("{gateway}: unexpected reply with HTTP {status}");
    match status.as_u16() {
        // Auth, timeout and throttling statuses are fixed by waiting or by an operator.
        401 | 403 | 408 | 429 => SmsError::Transient(text),
        400..=499 => SmsError::Permanent(text),
        // A 2xx we cannot read may still have been accepted; retrying risks a duplicate,
        // but dropping risks a lost message, which is worse for a notice about a queue place.
        _ => SmsError::Transient(text),
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! A fake HTTP gateway for the Mobizon and SMSC tests.

    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    use axum::Router;
    use axum::extract::{Form, OriginalUri, Query, State};
    use axum::http::StatusCode;
    use axum::routing::post;

    /// What the fake gateway saw in one request.
    #[derive(Debug, Clone)]
    pub struct Seen {
        pub path: String,
        pub query: HashMap<String, String>,
        pub form: HashMap<String, String>,
    }

    #[derive(Clone)]
    struct Fake {
        seen: Arc<Mutex<Vec<Seen>>>,
        status: StatusCode,
        body: String,
    }

    pub struct FakeGateway {
        pub base_url: String,
        seen: Arc<Mutex<Vec<Seen>>>,
    }

    impl FakeGateway {
        pub fn seen(&self) -> Vec<Seen> {
            self.seen.lock().unwrap().clone()
        }
    }

    /// Answers every POST on any path with `status` and `body`.
    pub async fn start(status: u16, body: &str) -> FakeGateway {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let fake = Fake {
            seen: seen.clone(),
            status: StatusCode::from_u16(status).unwrap(),
            body: body.to_owned(),
        };
        let app = Router::new().fallback(post(handle)).with_state(fake);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeGateway {
            base_url: format!("http://{addr}"),
            seen,
        }
    }

    async fn handle(
        State(fake): State<Fake>,
        OriginalUri(uri): OriginalUri,
        Query(query): Query<HashMap<String, String>>,
        Form(form): Form<HashMap<String, String>>,
    ) -> (StatusCode, [(&'static str, &'static str); 1], String) {
        fake.seen.lock().unwrap().push(Seen {
            path: uri.path().to_owned(),
            query,
            form,
        });
        (
            fake.status,
            [("content-type", "application/json")],
            fake.body.clone(),
        )
    }

    /// Sends `message` through the gateway `at` builds for a fake answering `status` and `body`.
    pub async fn send_with_reply(
        status: u16,
        body: &str,
        at: impl FnOnce(String) -> super::SmsGateway,
        message: &super::SmsMessage,
    ) -> (FakeGateway, Result<(), super::SmsError>) {
        let fake = start(status, body).await;
        let result = at(fake.base_url.clone()).send(message).await;
        (fake, result)
    }

    /// An address nobody listens on.
    pub async fn closed_port_url() -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        format!("http://{addr}")
    }

    /// The binary installs the ring provider at startup; tests build clients without it.
    pub fn client() -> reqwest::Client {
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::builder().no_proxy().build().unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_only() {
        assert_eq!(recipient_digits("+7 701 123-45-67").unwrap(), "77011234567");
        assert!(matches!(
            recipient_digits("+7"),
            Err(SmsError::Permanent(_))
        ));
    }

    #[test]
    fn debug_hides_text_and_number() {
        let msg = SmsMessage {
            id: 1,
            to: "+77011234567".into(),
            text: "Код 123456".into(),
        };
        let shown = format!("{msg:?}");
        assert!(!shown.contains("123456"), "{shown}");
        assert!(!shown.contains("+77011234567"), "{shown}");
    }

    #[test]
    fn unreadable_replies() {
        use reqwest::StatusCode as S;
        assert!(matches!(
            classify_unreadable("x", S::BAD_REQUEST),
            SmsError::Permanent(_)
        ));
        for s in [S::UNAUTHORIZED, S::TOO_MANY_REQUESTS, S::OK, S::BAD_GATEWAY] {
            assert!(matches!(
                classify_unreadable("x", s),
                SmsError::Transient(_)
            ));
        }
    }
}
