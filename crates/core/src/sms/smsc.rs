//! SMSC (smsc.kz / smsc.ru) HTTP API, `/sys/send.php` with a JSON reply (`fmt=3`).
//! The password travels in the form body; it must never reach a log or an error text.

use serde::Deserialize;

use super::{Reply, SmsError, SmsMessage, classify_unreadable, detail, execute, recipient_digits};

#[derive(Clone)]
pub struct SmscGateway {
    base_url: String,
    login: String,
    password: String,
    sender: Option<String>,
    client: reqwest::Client,
}

// Written by hand so that the password never shows in `{:?}`.
impl std::fmt::Debug for SmscGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmscGateway")
            .field("base_url", &self.base_url)
            .field("login", &self.login)
            .field("sender", &self.sender)
            .finish_non_exhaustive()
    }
}

/// `{"id":42,"cnt":1}` on success, `{"error":"…","error_code":N}` otherwise.
#[derive(Deserialize)]
struct Answer {
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_code: Option<i64>,
    #[serde(default)]
    cnt: Option<serde_json::Value>,
    #[serde(default)]
    id: Option<serde_json::Value>,
}

impl SmscGateway {
    pub fn new(
        base_url: String,
        login: String,
        password: String,
        sender: Option<String>,
        client: reqwest::Client,
    ) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            login,
            password,
            sender: sender.filter(|s| !s.is_empty()),
            client,
        }
    }

    pub async fn send(&self, msg: &SmsMessage) -> Result<(), SmsError> {
        let phones = recipient_digits(&msg.to)?;
        // SMSC keeps our id as its message id, so its delivery reports can be matched to the outbox.
        let id = msg.id.to_string();
        let mut form = vec![
            ("login", self.login.as_str()),
            ("psw", self.password.as_str()),
            ("phones", phones.as_str()),
            ("mes", msg.text.as_str()),
            ("fmt", "3"),
            ("charset", "utf-8"),
            ("id", id.as_str()),
        ];
        if let Some(sender) = &self.sender {
            form.push(("sender", sender));
        }
        let request = self
            .client
            .post(format!("{}/sys/send.php", self.base_url))
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form);
        let reply = execute("smsc", request, &self.password).await?;
        self.classify(&reply)
    }

    fn classify(&self, reply: &Reply) -> Result<(), SmsError> {
        if reply.status.is_server_error() {
            return Err(SmsError::Transient(format!("smsc: HTTP {}", reply.status)));
        }
        let answer = serde_json::from_slice::<Answer>(&reply.body).ok();
        let Some(answer) = answer else {
            return Err(classify_unreadable("smsc", reply.status));
        };
        match (answer.error_code, &answer.error) {
            (None, None) if answer.cnt.is_some() || answer.id.is_some() => Ok(()),
            (None, None) => Err(classify_unreadable("smsc", reply.status)),
            (code, text) => {
                let text = detail(text.as_deref().unwrap_or(""), &self.password);
                let error = match code {
                    Some(code) => format!("smsc: error {code}: {text}"),
                    None => format!("smsc: {text}"),
                };
                if code.is_some_and(is_permanent) {
                    Err(SmsError::Permanent(error))
                } else {
                    Err(SmsError::Transient(error))
                }
            }
        }
    }
}

/// SMSC's error codes for `send.php`:
/// 1 bad parameters, 5 bad date format, 6 message forbidden (text or sender name),
/// 7 bad phone number, 8 cannot be delivered to this number: resending cannot help.
/// 2 bad login/password, 3 no money, 4 IP temporarily blocked: an operator (or time) fixes
/// them and the message must wait. 9 means too many identical requests in a minute: later
/// it goes through. Unknown codes wait too; the relay gives up on its own after a while.
fn is_permanent(code: i64) -> bool {
    matches!(code, 1 | 5 | 6 | 7 | 8)
}

#[cfg(test)]
mod tests {
    use super::super::SmsGateway;
    use super::super::test_support::{self, FakeGateway};
    use super::*;

    const PASSWORD: &str = "pa55-w0rd-secret";

    fn gateway(fake_url: String, sender: Option<&str>) -> SmsGateway {
        SmsGateway::Smsc(SmscGateway::new(
            fake_url,
            "kezek".into(),
            PASSWORD.into(),
            sender.map(str::to_owned),
            test_support::client(),
        ))
    }

    fn message() -> SmsMessage {
        SmsMessage {
            id: 1234,
            to: "+7 701 123 45 67".into(),
            text: "Kezek: место в очереди №15".into(),
        }
    }

    async fn send_with_reply(status: u16, body: &str) -> (FakeGateway, Result<(), SmsError>) {
        test_support::send_with_reply(status, body, |url| gateway(url, None), &message()).await
    }

    #[tokio::test]
    async fn sends_the_documented_request() {
        let fake = test_support::start(200, r#"{"id":1234,"cnt":1}"#).await;
        let gw = gateway(fake.base_url.clone(), Some("KEZEK"));
        assert_eq!(gw.name(), "smsc");
        gw.send(&message()).await.unwrap();
        let seen = fake.seen();
        assert_eq!(seen.len(), 1);
        let seen = &seen[0];
        assert_eq!(seen.path, "/sys/send.php");
        assert!(seen.query.is_empty(), "{:?}", seen.query);
        let field = |name: &str| seen.form.get(name).map(String::as_str);
        assert_eq!(field("login"), Some("kezek"));
        assert_eq!(field("psw"), Some(PASSWORD));
        assert_eq!(field("phones"), Some("77011234567"));
        assert_eq!(field("mes"), Some("Kezek: место в очереди №15"));
        assert_eq!(field("sender"), Some("KEZEK"));
        assert_eq!(field("fmt"), Some("3"));
        assert_eq!(field("charset"), Some("utf-8"));
        assert_eq!(field("id"), Some("1234"));
        assert_eq!(seen.form.len(), 8);
    }

    #[tokio::test]
    async fn no_sender_no_sender_field() {
        let (fake, result) = send_with_reply(200, r#"{"id":1234,"cnt":1}"#).await;
        result.unwrap();
        assert!(!fake.seen()[0].form.contains_key("sender"));
    }

    #[tokio::test]
    async fn error_codes_are_classified() {
        for (code, permanent) in [
            (1, true),
            (2, false),
            (3, false),
            (4, false),
            (5, true),
            (6, true),
            (7, true),
            (8, true),
            (9, false),
            (42, false),
        ] {
            let body = format!(r#"{{"error":"something","error_code":{code},"id":1234}}"#);
            let (_, result) = send_with_reply(200, &body).await;
            match result {
                Err(SmsError::Permanent(_)) if permanent => {}
                Err(SmsError::Transient(_)) if !permanent => {}
                other => panic!("code {code}: {other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn http_failures() {
        let (_, result) = send_with_reply(500, "").await;
        assert!(matches!(result, Err(SmsError::Transient(_))), "{result:?}");
        let (_, result) = send_with_reply(400, "Bad Request").await;
        assert!(matches!(result, Err(SmsError::Permanent(_))), "{result:?}");
        let (_, result) = send_with_reply(200, "{}").await;
        assert!(matches!(result, Err(SmsError::Transient(_))), "{result:?}");
    }

    #[tokio::test]
    async fn closed_port_is_transient_and_hides_the_password() {
        let url = test_support::closed_port_url().await;
        let err = gateway(url, None).send(&message()).await.unwrap_err();
        assert!(matches!(err, SmsError::Transient(_)), "{err}");
        assert!(!format!("{err} {err:?}").contains(PASSWORD));
    }

    #[tokio::test]
    async fn password_echoed_by_the_gateway_is_scrubbed() {
        let body = format!(r#"{{"error":"login kezek psw {PASSWORD} invalid","error_code":2}}"#);
        let (_, result) = send_with_reply(200, &body).await;
        let text = result.unwrap_err().to_string();
        assert!(!text.contains(PASSWORD), "{text}");
    }

    #[test]
    fn debug_hides_the_password() {
        let gw = SmscGateway::new(
            "http://x".into(),
            "kezek".into(),
            PASSWORD.into(),
            None,
            test_support::client(),
        );
        assert!(!format!("{gw:?}").contains(PASSWORD));
    }
}
