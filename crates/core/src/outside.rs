//! Talking to outside systems over HTTP (SMS gateways, the register of individuals): one
//! configured client, and error texts that never carry URLs or secrets into logs.

use std::time::Duration;

/// One HTTP client for every outside system: bounded timeouts, no proxies from the environment.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(15))
        .no_proxy()
        .build()
        .expect("the HTTP client builds")
}

/// Describes a failed request with its cause chain but without its URL (which may hold an
/// API key or an IIN), and with `secret` replaced wherever some layer echoes it.
pub fn describe_error(err: reqwest::Error, secret: Option<&str>) -> String {
    let what = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    };
    let err = err.without_url();
    let mut text = format!("{what}: {err}");
    let mut source = std::error::Error::source(&err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    scrub(&text, secret)
}

/// `text` with every occurrence of `secret` replaced.
pub fn scrub(text: &str, secret: Option<&str>) -> String {
    match secret {
        Some(s) if !s.is_empty() => text.replace(s, "***"),
        _ => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn secrets_are_scrubbed() {
        assert_eq!(super::scrub("key=abc&x=abc", Some("abc")), "key=***&x=***");
        assert_eq!(super::scrub("nothing", Some("")), "nothing");
        assert_eq!(super::scrub("nothing", None), "nothing");
    }

    #[tokio::test]
    async fn errors_do_not_show_the_url() {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!(
            "http://{}/send?apiKey=topsecret",
            closed.local_addr().unwrap()
        );
        drop(closed);
        let err = super::http_client().get(&url).send().await.unwrap_err();
        let text = super::describe_error(err, Some("topsecret"));
        assert!(text.starts_with("cannot connect"), "{text}");
        assert!(
            !text.contains("topsecret") && !text.contains("/send"),
            "{text}"
        );
    }
}
