//! Reading the Cookie header and writing Set-Cookie values with the attributes Kezek needs.

use axum::http::{HeaderMap, HeaderValue, header};

pub const SESSION: &str = "kezek_session";
pub const CSRF: &str = "kezek_csrf";
pub const LANG: &str = "kezek_lang";
pub const REGION: &str = "kezek_region";
pub const SIGNUP: &str = "kezek_signup";
pub const FLASH: &str = "kezek_flash";

/// The value of cookie `name` as this installation writes it: only under its `__Host-` name
/// over HTTPS (a cookie without the prefix may have been planted by a sibling host or over
/// plain HTTP, and would otherwise win by coming first), only unprefixed over HTTP.
pub fn get<'a>(headers: &'a HeaderMap, name: &str, secure: bool) -> Option<&'a str> {
    let prefixed;
    let wanted = if secure {
        prefixed = format!("__Host-{name}");
        prefixed.as_str()
    } else {
        name
    };
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == wanted)
        .map(|(_, v)| v.trim_matches('"'))
}

#[derive(Clone, Copy)]
pub struct CookieJarSettings {
    /// Served over HTTPS: add `Secure` and the `__Host-` prefix.
    pub secure: bool,
}

impl CookieJarSettings {
    /// The value of cookie `name` under the name [`CookieJarSettings::set`] gives it.
    pub fn get<'a>(&self, headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
        get(headers, name, self.secure)
    }

    /// A Set-Cookie header value. `max_age` None makes a cookie that ends with the browser
    /// session; `Some(0)` deletes it.
    pub fn set(
        &self,
        name: &str,
        value: &str,
        max_age: Option<i64>,
        http_only: bool,
    ) -> HeaderValue {
        let mut s = if self.secure {
            format!("__Host-{name}={value}; Path=/; SameSite=Lax; Secure")
        } else {
            format!("{name}={value}; Path=/; SameSite=Lax")
        };
        if http_only {
            s.push_str("; HttpOnly");
        }
        if let Some(age) = max_age {
            s.push_str(&format!("; Max-Age={age}"));
        }
        HeaderValue::from_str(&s).expect("cookie values are ASCII tokens")
    }

    pub fn clear(&self, name: &str) -> HeaderValue {
        self.set(name, "", Some(0), true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_name_this_scheme_writes_is_read() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "a=1; kezek_lang=kk; kezek_session=planted; __Host-kezek_session=abc"
                .parse()
                .unwrap(),
        );
        assert_eq!(get(&headers, "kezek_lang", false), Some("kk"));
        assert_eq!(get(&headers, "kezek_lang", true), None);
        assert_eq!(get(&headers, "kezek_session", true), Some("abc"));
        assert_eq!(get(&headers, "kezek_session", false), Some("planted"));
        assert_eq!(get(&headers, "missing", false), None);
    }

    #[test]
    fn secure_cookies_get_the_host_prefix() {
        let v = CookieJarSettings { secure: true }.set("kezek_session", "t", None, true);
        assert_eq!(
            v.to_str().unwrap(),
            "__Host-kezek_session=t; Path=/; SameSite=Lax; Secure; HttpOnly"
        );
    }
}
