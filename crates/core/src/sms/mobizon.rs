//! Mobizon (mobizon.kz) HTTP API, method `message/sendSmsMessage`.
//! The API key travels in the query string, so no URL may reach a log or an error text.

use serde::Deserialize;

use super::{Reply, SmsError, SmsMessage, classify_unreadable, detail, execute, recipient_digits};

#[derive(Clone)]
pub struct MobizonGateway {
    base_url: String,
    api_key: String,
    from: Option<String>,
    client: reqwest::Client,
}

// Written by hand so that the key never shows in `{:?}`.
impl std::fmt::Debug for MobizonGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MobizonGateway")
            .field("base_url", &self.base_url)
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

/// Every Mobizon reply: `{"code":0,"data":{…},"message":""}`.
#[derive(Deserialize)]
struct Answer {
    code: i64,
    #[serde(default)]
    message: Option<String>,
}

impl MobizonGateway {
    pub fn new(
        base_url: String,
        api_key: String,
        from: Option<String>,
        client: reqwest::Client,
    ) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            api_key,
            from: from.filter(|f| !f.is_empty()),
            client,
        }
    }

    pub async fn send(&self, msg: &SmsMessage) -> Result<(), SmsError> {
        let recipient = recipient_digits(&msg.to)?;
        let mut form = vec![
            ("recipient", recipient.as_str()),
            ("text", msg.text.as_str()),
        ];
        if let Some(from) = &self.from {
            form.push(("from", from));
        }
        let request = self
            .client
            .post(format!("{}/service/message/sendsmsmessage", self.base_url))
            .query(&[
                ("output", "json"),
                ("api", "v1"),
                ("apiKey", self.api_key.as_str()),
            ])
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form);
        let reply = execute("mobizon", request, &self.api_key).await?;
        self.classify(&reply)
    }

    fn classify(&self, reply: &Reply) -> Result<(), SmsError> {
        if reply.status.is_server_error() {
            return Err(SmsError::Transient(format!(
                "mobizon: HTTP {}",
                reply.status
            )));
        }
        let Ok(answer) = serde_json::from_slice::<Answer>(&reply.body) else {
            return Err(classify_unreadable("mobizon", reply.status));
        };
        let text = answer.message.as_deref().unwrap_or("");
        let error = format!(
            "mobizon: code {}: {}",
            answer.code,
            detail(text, &self.api_key)
        );
        match classify_code(answer.code, text) {
            Outcome::Accepted => Ok(()),
            Outcome::Retry => Err(SmsError::Transient(error)),
            Outcome::Reject => Err(SmsError::Permanent(error)),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Accepted,
    Retry,
    Reject,
}

/// Mobizon's documented API codes, and why each is retried or not:
///
/// | code | meaning                                   | outcome |
/// |------|-------------------------------------------|---------|
/// | 0    | done                                      | accepted |
/// | 100  | queued for background execution           | accepted |
/// | 1    | validation error (number, text, sender)   | reject |
/// | 2    | record not found                          | reject |
/// | 4, 5, 6 | wrong module / method / format        | reject: our request is wrong |
/// | 11   | required parameter missing                | reject |
/// | 12   | parameter violates a restriction          | reject, unless about the balance |
/// | 98, 99 | bulk operation (partly) failed          | reject |
/// | 3    | unidentified server error                 | retry |
/// | 8    | login error (bad key, session ended)      | retry: an operator fixes the key |
/// | 9    | no access to the method                   | retry: an operator fixes the account |
/// | 10   | server failed to save (concurrency)       | retry |
/// | 13   | wrong API domain for this account         | retry: an operator fixes the URL |
/// | 14   | account blocked or deleted                | retry: an operator fixes the account |
/// | 15   | operation failed, see `message`           | retry |
/// | 30   | request rate limit                        | retry |
/// | 999  | general service error                     | retry |
///
/// Mobizon has no code of its own for an empty balance: it arrives as an ordinary error whose
/// message says so, and must be retried once someone tops the account up. Codes not in the
/// table are retried too: the relay gives up on its own after a while, a lost notice is worse.
fn classify_code(code: i64, message: &str) -> Outcome {
    match code {
        0 | 100 => Outcome::Accepted,
        _ if mentions_balance(message) => Outcome::Retry,
        1 | 2 | 4 | 5 | 6 | 11 | 12 | 98 | 99 => Outcome::Reject,
        _ => Outcome::Retry,
    }
}

fn mentions_balance(message: &str) -> bool {
    let message = message.to_lowercase();
    ["balance", "баланс", "funds", "средств", "қаражат"]
        .iter()
        .any(|word| message.contains(word))
}

#[cfg(test)]
mod tests {
    use super::super::SmsGateway;
    use super::super::test_support::{self, FakeGateway};
    use super::*;

    const KEY: &str = "kz-secret-key-123";

    fn gateway(fake_url: String, from: Option<&str>) -> SmsGateway {
        SmsGateway::Mobizon(MobizonGateway::new(
            format!("{fake_url}/"),
            KEY.into(),
            from.map(str::to_owned),
            test_support::client(),
        ))
    }

    fn message() -> SmsMessage {
        SmsMessage {
            id: 42,
            to: "+77011234567".into(),
            text: "Kezek: ваш код 123456".into(),
        }
    }

    async fn send_with_reply(status: u16, body: &str) -> (FakeGateway, Result<(), SmsError>) {
        test_support::send_with_reply(status, body, |url| gateway(url, None), &message()).await
    }

    #[tokio::test]
    async fn sends_the_documented_request() {
        let fake =
            test_support::start(200, r#"{"code":0,"data":{"messageId":"777"},"message":""}"#).await;
        let gw = gateway(fake.base_url.clone(), Some("KEZEK"));
        assert_eq!(gw.name(), "mobizon");
        gw.send(&message()).await.unwrap();
        let seen = fake.seen();
        assert_eq!(seen.len(), 1);
        let seen = &seen[0];
        assert_eq!(seen.path, "/service/message/sendsmsmessage");
        assert_eq!(seen.query.get("output").map(String::as_str), Some("json"));
        assert_eq!(seen.query.get("api").map(String::as_str), Some("v1"));
        assert_eq!(seen.query.get("apiKey").map(String::as_str), Some(KEY));
        assert_eq!(
            seen.form.get("recipient").map(String::as_str),
            Some("77011234567")
        );
        assert_eq!(
            seen.form.get("text").map(String::as_str),
            Some("Kezek: ваш код 123456")
        );
        assert_eq!(seen.form.get("from").map(String::as_str), Some("KEZEK"));
        assert_eq!(seen.form.len(), 3);
    }

    #[tokio::test]
    async fn no_sender_no_from_field() {
        let (fake, result) = send_with_reply(200, r#"{"code":0,"data":{},"message":""}"#).await;
        result.unwrap();
        assert!(!fake.seen()[0].form.contains_key("from"));
    }

    #[tokio::test]
    async fn rejections_are_permanent() {
        for body in [
            r#"{"code":1,"data":{"recipient":"Неверный номер"},"message":"Ошибка валидации"}"#,
            r#"{"code":12,"data":[],"message":"Text is too long"}"#,
            r#"{"code":11,"data":[],"message":"Missing parameter"}"#,
        ] {
            let (_, result) = send_with_reply(200, body).await;
            assert!(
                matches!(result, Err(SmsError::Permanent(_))),
                "{body}: {result:?}"
            );
        }
    }

    #[tokio::test]
    async fn operator_and_rate_problems_are_transient() {
        for body in [
            r#"{"code":8,"data":[],"message":"Authorization required"}"#,
            r#"{"code":14,"data":[],"message":"Account blocked"}"#,
            r#"{"code":30,"data":[],"message":"Too many requests"}"#,
            r#"{"code":12,"data":[],"message":"Недостаточно средств на балансе"}"#,
            r#"{"code":999,"data":[],"message":"Service error"}"#,
        ] {
            let (_, result) = send_with_reply(200, body).await;
            assert!(
                matches!(result, Err(SmsError::Transient(_))),
                "{body}: {result:?}"
            );
        }
    }

    #[tokio::test]
    async fn http_failures() {
        let (_, result) = send_with_reply(500, "oops").await;
        assert!(matches!(result, Err(SmsError::Transient(_))), "{result:?}");
        let (_, result) = send_with_reply(404, "<html>not here</html>").await;
        assert!(matches!(result, Err(SmsError::Permanent(_))), "{result:?}");
        // A JSON error body wins over the HTTP status.
        let (_, result) = send_with_reply(401, r#"{"code":8,"data":[],"message":"bad key"}"#).await;
        assert!(matches!(result, Err(SmsError::Transient(_))), "{result:?}");
    }

    #[tokio::test]
    async fn closed_port_is_transient_and_hides_the_key() {
        let url = test_support::closed_port_url().await;
        let err = gateway(url, None).send(&message()).await.unwrap_err();
        assert!(matches!(err, SmsError::Transient(_)), "{err}");
        let text = format!("{err} {err:?}");
        assert!(!text.contains(KEY), "{text}");
        assert!(!text.contains("apiKey"), "{text}");
        assert!(text.contains("cannot connect"), "{text}");
    }

    #[tokio::test]
    async fn key_echoed_by_the_gateway_is_scrubbed() {
        let body = format!(r#"{{"code":8,"data":[],"message":"key {KEY} is unknown"}}"#);
        let (_, result) = send_with_reply(200, &body).await;
        let text = result.unwrap_err().to_string();
        assert!(!text.contains(KEY), "{text}");
    }

    #[test]
    fn debug_hides_the_key() {
        let gw = MobizonGateway::new("http://x".into(), KEY.into(), None, test_support::client());
        assert!(!format!("{gw:?}").contains(KEY));
    }
}
