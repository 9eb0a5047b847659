//! A minimal W3C WebDriver client for Kezek's end-to-end tests: just enough of the protocol to
//! drive headless Chromium through chromedriver, over `reqwest` and `serde_json`.
//!
//! Include it from a test binary with `#[path = "../support/webdriver.rs"] mod webdriver;`.
//! Every failure panics with the WebDriver command and the driver's message: a browser test must
//! fail loudly, never skip.

#![allow(dead_code)]

use std::io::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

/// The key under which W3C WebDriver returns element references.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long the `find_*`, `field`, `click_*` and `wait_for_text` helpers wait.
const WAIT: Duration = Duration::from_secs(5);
/// How long a click may take to finish loading the page it leads to.
const LOAD_WAIT: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(50);
const DEFAULT_DRIVER_URL: &str = "http://127.0.0.1:9515";
const CHROMIUM: &str = "/usr/bin/chromium";

/// An error answered by the driver (or by the HTTP transport).
#[derive(Debug)]
struct DriverError {
    /// The W3C error code, e.g. `no such element`; `transport` for HTTP-level failures.
    code: String,
    message: String,
}

impl std::fmt::Display for DriverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.message.starts_with(&self.code) {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.code, self.message)
        }
    }
}

/// Errors worth retrying while polling: the page may still be loading or changing.
fn retryable(err: &DriverError) -> bool {
    matches!(
        err.code.as_str(),
        "no such element" | "stale element reference" | "javascript error"
    )
}

/// The HTTP side of one session, shared by the browser and its elements.
struct Session {
    http: reqwest::Client,
    driver: String,
    id: String,
}

impl Session {
    /// `POST`/`GET`/`DELETE` `{driver}/session/{id}/{path}`; panics on any error.
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Value {
        match self.try_call(method.clone(), path, body.clone()).await {
            Ok(value) => value,
            Err(err) => panic!(
                "WebDriver command `{method} /session/{}/{path}`{} failed: {err}",
                self.id,
                body.map(|b| format!(" {b}")).unwrap_or_default()
            ),
        }
    }

    async fn try_call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, DriverError> {
        let url = if path.is_empty() {
            format!("{}/session/{}", self.driver, self.id)
        } else {
            format!("{}/session/{}/{path}", self.driver, self.id)
        };
        send(&self.http, method, &url, body).await
    }

    async fn get(&self, path: &str) -> Value {
        self.call(Method::GET, path, None).await
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        self.call(Method::POST, path, Some(body)).await
    }

    /// Runs `script` (a function body using `arguments`) in the page and returns its result.
    async fn try_script(&self, script: &str, args: Value) -> Result<Value, DriverError> {
        self.try_call(
            Method::POST,
            "execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
        .await
    }

    async fn script(&self, script: &str, args: Value) -> Value {
        self.post("execute/sync", json!({ "script": script, "args": args }))
            .await
    }

    async fn current_url(&self) -> String {
        self.get("url")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Waits until the current document has finished loading.
    async fn wait_loaded(&self) {
        let deadline = Instant::now() + LOAD_WAIT;
        loop {
            match self
                .try_script("return document.readyState;", json!([]))
                .await
            {
                Ok(state) if state == "complete" => return,
                Ok(_) => {}
                Err(err) if retryable(&err) => {}
                Err(err) => panic!("WebDriver: waiting for the page to load failed: {err}"),
            }
            if Instant::now() > deadline {
                panic!(
                    "WebDriver: the page at {} did not finish loading within {LOAD_WAIT:?}",
                    self.current_url().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

/// Sends one WebDriver request and unwraps the `value` of its answer.
async fn send(
    http: &reqwest::Client,
    method: Method,
    url: &str,
    body: Option<Value>,
) -> Result<Value, DriverError> {
    let transport = |message: String| DriverError {
        code: "transport".to_owned(),
        message,
    };
    let mut request = http.request(method.clone(), url);
    if method == Method::POST {
        request = request.json(&body.unwrap_or_else(|| json!({})));
    }
    let response = request
        .send()
        .await
        .map_err(|e| transport(format!("{url}: {e}")))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| transport(format!("{url}: {e}")))?;
    let answer: Value = serde_json::from_str(&text)
        .map_err(|e| transport(format!("{url}: HTTP {status}, not JSON ({e}): {text}")))?;
    let value = answer.get("value").cloned().unwrap_or(Value::Null);
    if let Some(code) = value.get("error").and_then(Value::as_str) {
        return Err(DriverError {
            code: code.to_owned(),
            message: value
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        });
    }
    if !status.is_success() {
        return Err(transport(format!("{url}: HTTP {status}: {text}")));
    }
    Ok(value)
}

/// The HTTP client; it only ever speaks plain http:// to a local driver.
fn http_client() -> reqwest::Client {
    // reqwest is built with `rustls-no-provider`: hand it a TLS config with an explicit provider
    // instead of installing a process-wide default behind the application's back.
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("rustls supports its default protocol versions")
    .with_root_certificates(rustls::RootCertStore::empty())
    .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .no_proxy()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(120))
        .build()
        .expect("the WebDriver HTTP client builds")
}

fn element_id(value: &Value) -> Option<String> {
    value
        .get(ELEMENT_KEY)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// One WebDriver session driving headless Chromium.
pub struct Browser {
    session: Arc<Session>,
    open: bool,
}

/// A reference to one element of the current page.
pub struct Element {
    session: Arc<Session>,
    id: String,
}

impl Browser {
    /// Connects to `KEZEK_WEBDRIVER_URL` (default http://127.0.0.1:9515) and starts headless
    /// Chromium. Panics with a clear message if no driver is reachable — a browser test must
    /// fail, not skip.
    pub async fn start() -> Browser {
        let driver = std::env::var("KEZEK_WEBDRIVER_URL")
            .ok()
            .filter(|url| !url.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_DRIVER_URL.to_owned())
            .trim()
            .trim_end_matches('/')
            .to_owned();
        let http = http_client();

        if let Err(err) = send(&http, Method::GET, &format!("{driver}/status"), None).await {
            panic!(
                "no WebDriver server is reachable at {driver} ({err}). Start chromedriver \
                 (`scripts/test` does) and point KEZEK_WEBDRIVER_URL at it."
            );
        }

        let mut chrome = json!({
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,900",
            ]
        });
        if std::path::Path::new(CHROMIUM).exists() {
            chrome["binary"] = json!(CHROMIUM);
        }
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "pageLoadStrategy": "normal",
                    "goog:chromeOptions": chrome,
                }
            }
        });
        let created = match send(
            &http,
            Method::POST,
            &format!("{driver}/session"),
            Some(capabilities),
        )
        .await
        {
            Ok(value) => value,
            Err(err) => panic!("WebDriver at {driver} could not start a Chromium session: {err}"),
        };
        let id = created
            .get("sessionId")
            .and_then(Value::as_str)
            .unwrap_or_else(|| {
                panic!("WebDriver at {driver} answered a new session without an id: {created}")
            })
            .to_owned();
        let browser = Browser {
            session: Arc::new(Session { http, driver, id }),
            open: true,
        };
        browser
            .session
            .post(
                "timeouts",
                json!({ "implicit": 0, "pageLoad": 30_000, "script": 10_000 }),
            )
            .await;
        browser
    }

    /// Navigates to `url` and waits for it to load.
    pub async fn goto(&self, url: &str) {
        self.session.post("url", json!({ "url": url })).await;
    }

    pub async fn current_url(&self) -> String {
        self.session.current_url().await
    }

    pub async fn page_source(&self) -> String {
        self.session
            .get("source")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The first element matching the CSS selector; waits up to 5 s for it to appear.
    pub async fn find_css(&self, css: &str) -> Element {
        self.find("css selector", css).await
    }

    /// The first element matching the XPath expression; waits up to 5 s for it to appear.
    pub async fn find_xpath(&self, xpath: &str) -> Element {
        self.find("xpath", xpath).await
    }

    /// The first element matching the CSS selector right now, if any.
    pub async fn try_find_css(&self, css: &str) -> Option<Element> {
        let query = json!({ "using": "css selector", "value": css });
        match self
            .session
            .try_call(Method::POST, "element", Some(query))
            .await
        {
            Ok(value) => Some(self.element(&value, css)),
            Err(err) if err.code == "no such element" => None,
            Err(err) => panic!("WebDriver: finding `{css}` failed: {err}"),
        }
    }

    async fn find(&self, using: &str, selector: &str) -> Element {
        let query = json!({ "using": using, "value": selector });
        let deadline = Instant::now() + WAIT;
        loop {
            let err = match self
                .session
                .try_call(Method::POST, "element", Some(query.clone()))
                .await
            {
                Ok(value) => return self.element(&value, selector),
                Err(err)
                    if err.code == "no such element" || err.code == "stale element reference" =>
                {
                    err
                }
                Err(err) => panic!("WebDriver: finding {using} `{selector}` failed: {err}"),
            };
            if Instant::now() > deadline {
                panic!(
                    "WebDriver: no element matches {using} `{selector}` on {} after {WAIT:?} ({err})",
                    self.current_url().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    fn element(&self, value: &Value, what: &str) -> Element {
        let id = element_id(value)
            .unwrap_or_else(|| panic!("WebDriver: `{what}` did not yield an element: {value}"));
        Element {
            session: self.session.clone(),
            id,
        }
    }

    /// Runs `script` until it returns an element, for up to 5 s. On timeout, panics with
    /// `what` and the result of `explain` (a script describing what the page offers instead).
    async fn poll_script(&self, script: &str, args: Value, what: &str, explain: &str) -> Element {
        let deadline = Instant::now() + WAIT;
        loop {
            let last = match self.session.try_script(script, args.clone()).await {
                Ok(value) if element_id(&value).is_some() => return self.element(&value, what),
                Ok(value) => value.to_string(),
                Err(err) if retryable(&err) => err.to_string(),
                Err(err) => panic!("WebDriver: looking for {what} failed: {err}"),
            };
            if Instant::now() > deadline {
                let offered = self
                    .session
                    .try_script(explain, args.clone())
                    .await
                    .map(|v| v.to_string());
                panic!(
                    "WebDriver: no {what} on {} after {WAIT:?} (last result: {last}); the page has: {}",
                    self.current_url().await,
                    offered.unwrap_or_else(|e| e.to_string())
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The form control labelled `label` (by `<label for=id>` whose normalized text equals
    /// `label`, ignoring a trailing " *" required marker, or a control nested in the label).
    /// Waits up to 5 s.
    pub async fn field(&self, label: &str) -> Element {
        self.poll_script(
            &format!(
                "{LABEL_TEXT_JS} const want = labelKey(arguments[0]);\
                      for (const l of document.querySelectorAll('label')) {{\
                        if (labelKey(labelText(l)) === want && l.control) return l.control;\
                      }}\
                      return null;"
            ),
            json!([label]),
            &format!("form control labelled {label:?}"),
            &format!(
                "{LABEL_TEXT_JS} return Array.from(document.querySelectorAll('label'), \
                      l => labelText(l) + (l.control ? '' : ' (labels no control)'));"
            ),
        )
        .await
    }

    /// Clicks the button (or submit/button input, or link) whose normalized visible text equals
    /// `text` — waiting up to 5 s for it — then waits for the resulting page load.
    pub async fn click_button(&self, text: &str) {
        let button = self
            .poll_script(
                &format!("{CLICKABLE_JS} return findClickable(arguments[0], \
                          'button, input[type=submit], input[type=button], input[type=reset], [role=button]') \
                          || findClickable(arguments[0], 'a[href]');"),
                json!([text]),
                &format!("button {text:?}"),
                &format!("{CLICKABLE_JS} return listClickable('button, input[type=submit], \
                          input[type=button], input[type=reset], [role=button], a[href]');"),
            )
            .await;
        button.click().await;
    }

    /// Clicks the link whose normalized visible text equals `text` — waiting up to 5 s for it —
    /// then waits for the resulting page load.
    pub async fn click_link(&self, text: &str) {
        let link = self
            .poll_script(
                &format!("{CLICKABLE_JS} return findClickable(arguments[0], 'a[href]');"),
                json!([text]),
                &format!("link {text:?}"),
                &format!("{CLICKABLE_JS} return listClickable('a[href]');"),
            )
            .await;
        link.click().await;
    }

    /// Clicks the first link whose visible text contains `text` (e.g. a count beside a word).
    pub async fn click_link_containing(&self, text: &str) {
        assert!(!text.contains('\''), "the text goes into an XPath literal");
        let xpath = format!("//a[contains(normalize-space(.), '{text}')]");
        self.find_xpath(&xpath).await.click().await;
    }

    /// Runs `script` in the page and returns its result.
    pub async fn execute(&self, script: &str) -> Value {
        self.session.script(script, json!([])).await
    }

    /// Runs `script` with `args` in the page and returns its result (awaiting a returned
    /// promise), or the driver's error — short, without the script, which may be a whole library.
    pub async fn try_execute(&self, script: &str, args: Value) -> Result<Value, String> {
        self.session
            .try_script(script, args)
            .await
            .map_err(|e| e.to_string())
    }

    /// Panics when the page is wider than the window (content a phone would scroll sideways to).
    pub async fn assert_fits_width(&self) {
        let widths = self
            .execute("return [document.documentElement.scrollWidth, window.innerWidth];")
            .await;
        let (content, window) = (
            widths[0].as_i64().unwrap_or(0),
            widths[1].as_i64().unwrap_or(0),
        );
        assert!(
            content <= window,
            "{} is {content} px wide in a {window}-px window",
            self.current_url().await
        );
    }

    /// The rendered text of the page body. A page still replacing itself (a form that submits on
    /// change) can make the body stale between finding and reading it: then the new one is read.
    pub async fn body_text(&self) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let body = self.find_css("body").await;
            let path = format!("element/{}/text", body.id);
            match self.session.try_call(Method::GET, &path, None).await {
                Ok(text) => return text.as_str().unwrap_or_default().to_owned(),
                Err(err) if retryable(&err) && Instant::now() < deadline => {
                    tokio::time::sleep(POLL).await;
                }
                Err(err) => panic!("WebDriver: reading the page text failed: {err}"),
            }
        }
    }

    /// Waits up to 5 s until the body text contains `text`; panics with the body text otherwise.
    pub async fn wait_for_text(&self, text: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let body = match self
                .session
                .try_script(
                    "return document.body ? document.body.innerText : '';",
                    json!([]),
                )
                .await
            {
                Ok(value) => value.as_str().unwrap_or_default().to_owned(),
                Err(err) if retryable(&err) => String::new(),
                Err(err) => panic!("WebDriver: reading the page text failed: {err}"),
            };
            if body.contains(text) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "WebDriver: {text:?} did not appear on {} within {WAIT:?}; the page says:\n{body}",
                    self.current_url().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    pub async fn set_window_size(&self, width: u32, height: u32) {
        self.session
            .post("window/rect", json!({ "width": width, "height": height }))
            .await;
    }

    /// A PNG screenshot of the viewport.
    pub async fn screenshot_png(&self) -> Vec<u8> {
        let encoded = self.session.get("screenshot").await;
        let encoded = encoded
            .as_str()
            .expect("WebDriver: a screenshot is a base64 string");
        decode_base64(encoded).expect("WebDriver: the screenshot is valid base64")
    }

    /// Ends the session and closes the browser.
    pub async fn quit(mut self) {
        self.open = false;
        self.session.call(Method::DELETE, "", None).await;
    }
}

impl Drop for Browser {
    /// A browser that was not quit (say, its test panicked) is closed without blocking: the
    /// delete-session request is written to the local driver and not waited for.
    fn drop(&mut self) {
        if self.open {
            fire_and_forget_delete(&self.session.driver, &self.session.id);
        }
    }
}

/// Writes `DELETE /session/{id}` to the driver over a plain socket, without reading the answer.
fn fire_and_forget_delete(driver: &str, id: &str) {
    let Some(rest) = driver.strip_prefix("http://") else {
        return;
    };
    let (authority, base) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let Ok(mut addrs) = std::net::ToSocketAddrs::to_socket_addrs(&if authority.contains(':') {
        authority.to_owned()
    } else {
        format!("{authority}:80")
    }) else {
        return;
    };
    let Some(addr) = addrs.next() else { return };
    if let Ok(mut stream) = std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(500))
    {
        let _ = stream.set_write_timeout(Some(Duration::from_millis(500)));
        let _ = write!(
            stream,
            "DELETE {base}/session/{id} HTTP/1.1\r\nHost: {authority}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        let _ = stream.flush();
    }
}

impl Element {
    /// Clears the control and types `text` into it.
    pub async fn fill(&self, text: &str) {
        self.session
            .post(&format!("element/{}/clear", self.id), json!({}))
            .await;
        self.session
            .post(
                &format!("element/{}/value", self.id),
                json!({ "text": text }),
            )
            .await;
    }

    /// Chooses a local file for an `<input type=file>` (nothing is cleared first).
    pub async fn attach(&self, path: &std::path::Path) {
        self.session
            .post(
                &format!("element/{}/value", self.id),
                json!({ "text": path.to_string_lossy() }),
            )
            .await;
    }

    /// Clicks the element, then waits for any page load it started.
    pub async fn click(&self) {
        self.session
            .post(&format!("element/{}/click", self.id), json!({}))
            .await;
        self.session.wait_loaded().await;
    }

    /// The element's rendered text.
    pub async fn text(&self) -> String {
        let text = self.session.get(&format!("element/{}/text", self.id)).await;
        text.as_str().unwrap_or_default().to_owned()
    }

    /// The element's attribute `name`, if present.
    pub async fn attr(&self, name: &str) -> Option<String> {
        let value = self
            .session
            .get(&format!("element/{}/attribute/{name}", self.id))
            .await;
        match value {
            Value::Null => None,
            Value::String(s) => Some(s),
            other => Some(other.to_string()),
        }
    }

    /// Whether a checkbox or radio button is checked, or an option selected.
    pub async fn is_selected(&self) -> bool {
        let value = self
            .session
            .get(&format!("element/{}/selected", self.id))
            .await;
        value.as_bool().unwrap_or(false)
    }

    /// Chooses the `<option>` of this `<select>` whose normalized text equals `visible_text`.
    pub async fn select_by_text(&self, visible_text: &str) {
        let option = self
            .session
            .script(
                "const [select, want] = arguments;\
                 const norm = s => s.replace(/\\s+/g, ' ').trim();\
                 return Array.from(select.options || []).find(o => norm(o.text) === norm(want)) || null;",
                json!([{ ELEMENT_KEY: self.id }, visible_text]),
            )
            .await;
        let Some(id) = element_id(&option) else {
            let offered = self
                .session
                .script(
                    "return Array.from(arguments[0].options || [], o => o.text);",
                    json!([{ ELEMENT_KEY: self.id }]),
                )
                .await;
            panic!(
                "WebDriver: the select has no option {visible_text:?}; its options are {offered}"
            );
        };
        let option = Element {
            session: self.session.clone(),
            id,
        };
        if !option.is_selected().await {
            option.click().await;
        }
    }
}

/// JavaScript helpers for `field`: a label's own text (without nested controls) and the key
/// it is compared by (whitespace normalized, trailing required marker `*` dropped).
const LABEL_TEXT_JS: &str = "\
    const labelText = (label) => {\
      let text = '';\
      const walk = (node) => {\
        for (const child of node.childNodes) {\
          if (child.nodeType === Node.TEXT_NODE) text += child.data;\
          else if (child.nodeType === Node.ELEMENT_NODE &&\
                   !['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'OPTION', 'SCRIPT', 'STYLE'].includes(child.tagName)) {\
            text += ' '; walk(child); text += ' ';\
          }\
        }\
      };\
      walk(label);\
      return text.replace(/\\s+/g, ' ').trim();\
    };\
    const labelKey = (s) => s.replace(/\\s+/g, ' ').trim().replace(/\\s*\\*$/, '');";

/// JavaScript helpers for `click_button`/`click_link`: the first visible element matching a
/// selector whose normalized visible text (or value, for inputs) equals the wanted text.
const CLICKABLE_JS: &str = "\
    const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim();\
    const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';\
    const label = (e) => norm(e.tagName === 'INPUT' ? e.value : (e.innerText || e.getAttribute('aria-label')));\
    const findClickable = (want, selector) =>\
      Array.from(document.querySelectorAll(selector)).find(e => visible(e) && label(e) === norm(want)) || null;\
    const listClickable = (selector) =>\
      Array.from(document.querySelectorAll(selector)).filter(visible).map(label);";

/// Decodes standard (padded or unpadded) base64, ignoring whitespace.
fn decode_base64(input: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0u32;
    for byte in input.bytes() {
        let sextet = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}
