//! CSRF, security headers, cookie attributes, the append-only audit log.

use axum::http::{StatusCode, header};

use crate::harness::TestApp;

#[tokio::test]
async fn state_changing_requests_need_the_csrf_token_and_our_origin() {
    let t = TestApp::start().await;
    let mut c = t.client();
    c.get("/login").await;
    let r = c
        .post_raw("/login", "phone=%2B77010000000&password=whatever1", &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no token");
    assert!(r.body.contains("Страница устарела"));
    let token = c.cookie("kezek_csrf").unwrap().to_owned();
    let r = c
        .post_raw(
            "/login",
            "phone=%2B77010000000&password=whatever1&csrf=0000",
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "wrong token");
    let body = format!("phone=%2B77010000000&password=whatever1&csrf={token}");
    let r = c
        .post_raw("/login", &body, &[("origin", "https://evil.example")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "another origin");
    let r = c
        .post_raw("/login", &body, &[("sec-fetch-site", "cross-site")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a cross-site form");
    let r = c
        .post_raw("/login", &body, &[("origin", "http://kezek.test")])
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "our own form gets through to the login check"
    );
}

#[tokio::test]
async fn responses_carry_security_headers_and_safe_cookies() {
    let t = TestApp::start().await;
    let mut c = t.client();
    let r = c.get("/register").await;
    let h = |name: &str| {
        r.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    assert!(h("content-security-policy").contains("frame-ancestors 'none'"));
    assert!(h("content-security-policy").contains("default-src 'self'"));
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert_eq!(h("referrer-policy"), "same-origin");
    let csrf = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .find(|v| v.to_str().unwrap().starts_with("kezek_csrf="))
        .unwrap();
    assert!(
        csrf.to_str().unwrap().contains("HttpOnly")
            && csrf.to_str().unwrap().contains("SameSite=Lax")
    );

    let (mut parent, _) = t.register_parent("+77016000000", "secret phrase 1").await;
    let r = parent.login("+77016000000", "secret phrase 1").await;
    let session = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("kezek_session="))
        .unwrap();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    assert_eq!(
        session.split(';').next().unwrap().len(),
        "kezek_session=".len() + 64,
        "256-bit token"
    );
}

#[tokio::test]
async fn over_https_cookies_are_secure_and_host_prefixed() {
    let t = TestApp::start_with(|s| s.secure_cookies = true).await;
    let mut c = t.client();
    let r = c.get("/").await;
    let cookie = r.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(
        cookie.starts_with("__Host-kezek_csrf=") && cookie.contains("Secure"),
        "{cookie}"
    );
    // The prefixed cookie is accepted back.
    let r = c
        .post(
            "/login",
            &[("phone", "+77010000000"), ("password", "whatever12")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn authentication_events_are_audited_and_the_log_is_append_only() {
    let t = TestApp::start().await;
    let (mut c, _) = t.register_parent("+77016100000", "secret phrase 1").await;
    c.login("+77016100000", "wrong password").await;
    c.login("+77016100000", "secret phrase 1").await;
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE subject = $1 ORDER BY id")
            .bind("+77016100000")
            .fetch_all(t.app.db.pool())
            .await
            .unwrap();
    for expected in [
        "auth.code.sent",
        "account.registered",
        "auth.login.failed",
        "auth.login.succeeded",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} missing from {actions:?}"
        );
    }
    assert!(
        sqlx::query("UPDATE audit_log SET action = 'x'")
            .execute(t.app.db.pool())
            .await
            .is_err()
    );
    assert!(
        sqlx::query("DELETE FROM audit_log")
            .execute(t.app.db.pool())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn codes_and_passwords_are_stored_hashed() {
    let t = TestApp::start().await;
    t.register_parent("+77016200000", "secret phrase 1").await;
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE phone = $1")
        .bind("+77016200000")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    let code = t.last_code("+77016200000").await;
    let stored: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM otp_codes")
        .fetch_all(t.app.db.pool())
        .await
        .unwrap();
    assert!(stored.iter().all(|h| !h.contains(&code)));
}

/// The language and region switchers return only to a path of this site: anything a browser
/// could resolve to another host, and anything that is no header value, leads home, never 500.
#[tokio::test]
async fn the_switchers_never_redirect_to_another_site_nor_fail_on_their_back_address() {
    let t = TestApp::start().await;
    let mut c = t.client();
    let evil = [
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\t/\tevil.example",
        "/\n/evil.example",
        "\n",
        "/x\r\nSet-Cookie: a=b",
        "/\0",
        "\0",
        "/\u{7f}",
        "/\u{85}/evil.example",
        "https://evil.example",
        "http:evil.example",
        "javascript:alert(1)",
        " //evil.example",
        "evil.example",
        "/..//evil.example",
        "/a/../..//evil.example",
    ];
    for back in evil {
        let query = serde_urlencoded::to_string([("back", back)]).unwrap();
        for path in [
            format!("/lang/kk?{query}"),
            format!("/region?code=71&{query}"),
        ] {
            let r = c.get(&path).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.body);
            assert_eq!(r.location(), Some("/"), "{back:?} via {path}");
        }
    }
    // A raw `%09` in the address decodes to the tab browsers drop (`//evil.example`).
    let r = c.get("/lang/ru?back=/%09/evil.example").await;
    assert_eq!(r.location(), Some("/"));
    // Paths of this site still work, non-ASCII ones percent-encoded for the header.
    let query = serde_urlencoded::to_string([("back", "/catalog?q=сад&page=2")]).unwrap();
    let r = c.get(&format!("/lang/en?{query}")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some("/catalog?q=%D1%81%D0%B0%D0%B4&page=2"));
    let r = c.get("/region?code=71&back=%2Fqueue%3Fpage%3D3").await;
    assert_eq!(r.location(), Some("/queue?page=3"));
}

/// Over HTTPS only the `__Host-` cookies count: a sibling host or a plain-HTTP answer can plant
/// an unprefixed cookie, which would otherwise win by coming first. Over HTTP, only the plain ones.
#[tokio::test]
async fn over_https_only_host_prefixed_cookies_are_read() {
    let t = TestApp::start_with(|s| s.secure_cookies = true).await;
    let (mut parent, _) = t.register_parent("+77016000001", "secret phrase 1").await;
    let r = parent.login("+77016000001", "secret phrase 1").await;
    assert_eq!(r.location(), Some("/cabinet"), "{}", r.body);
    let session = parent.cookies["__Host-kezek_session"].clone();
    assert_eq!(parent.get("/cabinet").await.status, StatusCode::OK);

    // The same session under the unprefixed name is not a session.
    let mut planted = t.client();
    planted
        .cookies
        .insert("kezek_session".into(), session.clone());
    assert_eq!(planted.get("/cabinet").await.location(), Some("/login"));

    // A planted unprefixed session sent first does not replace the real one.
    let mut victim = t.client();
    victim.get("/").await;
    let csrf = victim.cookies["__Host-kezek_csrf"].clone();
    let r = victim
        .send(
            axum::http::Request::get("/cabinet")
                .header(header::HOST, "kezek.test")
                .header(
                    header::COOKIE,
                    format!("kezek_session=planted; __Host-kezek_session={session}"),
                )
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "the prefixed session is the one read"
    );

    // A CSRF token the attacker planted (and so knows) unprefixed is refused.
    let known = "ab".repeat(32);
    let mut forger = t.client();
    forger.cookies.insert("kezek_csrf".into(), known.clone());
    let r = forger
        .post_raw(
            "/login",
            &format!("phone=%2B77010000000&password=whatever1&csrf={known}"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    // The real one still works.
    let mut ok = t.client();
    ok.cookies.insert("__Host-kezek_csrf".into(), csrf.clone());
    let r = ok
        .post_raw(
            "/login",
            &format!("phone=%2B77010000000&password=whatever1&csrf={csrf}"),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
}

#[tokio::test]
async fn over_http_host_prefixed_cookies_are_not_read() {
    let t = TestApp::start().await;
    let (mut parent, _) = t.register_parent("+77016000002", "secret phrase 1").await;
    parent.login("+77016000002", "secret phrase 1").await;
    let session = parent.cookies["kezek_session"].clone();
    let mut other = t.client();
    other.cookies.insert("__Host-kezek_session".into(), session);
    assert_eq!(other.get("/cabinet").await.location(), Some("/login"));
}

/// The CSRF token travels in no address: a form page shows it only in its hidden `csrf` inputs,
/// never in an action, a link or a `back` value, also when the address it was opened with carried
/// one and when an upload re-renders its page; an upload carries it as its first part.
#[tokio::test]
async fn the_csrf_token_is_in_no_address() {
    fn only_in_hidden_inputs(what: &str, body: &str, token: &str) {
        let hidden = body
            .matches(&format!("name=\"csrf\" value=\"{token}\""))
            .count();
        assert_eq!(body.matches(token).count(), hidden, "{what}: {body}");
        assert!(
            !body.contains("csrf=") && !body.contains("csrf%3D") && !body.contains("csrf%3d"),
            "{what}: {body}"
        );
    }

    let t = TestApp::start().await;
    let (_, group, _) = crate::vacancies::group_with_capacity(&t, 3).await;
    let mut parent = crate::fixtures::family(&t, "+7 701 400 00 01").await.client;
    let mut staff = t.client();
    assert_eq!(
        staff
            .login("+77007000001", "staff password 1")
            .await
            .location(),
        Some("/org")
    );
    let mut visitor = t.client();
    visitor.get("/").await;

    let visitor_pages = [
        "/",
        "/register",
        "/login",
        "/password/forgot",
        "/catalog",
        "/bulletin",
        "/queue",
        "/reviews",
    ];
    let parent_pages = [
        "/cabinet",
        "/cabinet/password",
        "/cabinet/phone",
        "/cabinet/children",
        "/cabinet/children/new",
        "/cabinet/applications",
        "/cabinet/applications/new",
        "/cabinet/notifications",
    ];
    let group_page = format!("/org/groups/{group}");
    let group_edit = format!("/org/groups/{group}/edit");
    let staff_pages = [
        "/org",
        "/org/card",
        "/org/groups/new",
        group_page.as_str(),
        group_edit.as_str(),
    ];
    for (client, pages) in [
        (&mut visitor, &visitor_pages[..]),
        (&mut parent, &parent_pages[..]),
        (&mut staff, &staff_pages[..]),
    ] {
        let token = client.cookie("kezek_csrf").unwrap().to_owned();
        for path in pages {
            let r = client.get(path).await;
            assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
            only_in_hidden_inputs(path, &r.body, &token);
            // A token someone put in the address is not copied into the page's links.
            let sep = if path.contains('?') { '&' } else { '?' };
            let with_token = format!("{path}{sep}csrf={token}");
            let r = client.get(&with_token).await;
            assert_eq!(r.status, StatusCode::OK, "{with_token}");
            only_in_hidden_inputs(&with_token, &r.body, &token);
        }
    }

    // The pages an upload re-renders: the photo refused, the application form with a document.
    let token = staff.cookie("kezek_csrf").unwrap().to_owned();
    let r = staff
        .upload("/org/photo", "photo", "page.png", b"<html></html>", true)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    only_in_hidden_inputs("the refused photo", &r.body, &token);
    assert!(
        r.body.contains("action=\"/org/photo\""),
        "the form posts to its own plain address"
    );
    let token = parent.cookie("kezek_csrf").unwrap().to_owned();
    let r = parent
        .upload(
            "/cabinet/applications/new",
            "pmpk_file",
            "conclusion.pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
            true,
        )
        .await;
    assert!(
        r.status == StatusCode::OK || r.status == StatusCode::UNPROCESSABLE_ENTITY,
        "{}: {}",
        r.status,
        r.body
    );
    only_in_hidden_inputs("the application form after an upload", &r.body, &token);
    assert!(r.body.contains("action=\"/cabinet/applications/new\""));

    // The token in the address no longer opens the door; it must come first in the body.
    let png = [
        &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A][..],
        &[7u8; 100],
    ]
    .concat();
    let token = staff.cookie("kezek_csrf").unwrap().to_owned();
    let r = staff
        .upload(
            &format!("/org/photo?csrf={token}"),
            "photo",
            "photo.png",
            &png,
            false,
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = staff
        .upload("/org/photo", "photo", "photo.png", &png, true)
        .await;
    assert!(r.status.is_redirection(), "{}: {}", r.status, r.body);
}

/// No field may hold a control character (NUL, escape, DEL…; tabs and line breaks only in
/// texts of several lines), whatever the form: refused before any handler with the field named
/// and its value shown, nothing saved, never a 500 (PostgreSQL refuses NUL outright). Query
/// parameters too, on the pages and in the open-data API.
#[tokio::test]
async fn control_characters_are_refused_in_every_field() {
    let t = TestApp::start().await;
    let (org, _, _) = crate::vacancies::group_with_capacity(&t, 3).await;
    let mut staff = t.client();
    staff.login("+77007000001", "staff password 1").await;
    for name in [
        "Балапан\0",
        "Бала\u{7f}пан",
        "Балапан\u{1b}[2J",
        "Бала\u{85}пан",
        "Бала\nпан",
    ] {
        let r = staff
            .post(
                "/org/card",
                &[
                    ("name_ru", name),
                    ("name_kk", "Балапан"),
                    ("address", "ул. Абая, 1"),
                ],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name:?}: {}",
            r.body
        );
        assert!(
            r.body.contains("невидимые управляющие символы"),
            "{}",
            r.body
        );
        assert!(
            r.body.contains("Наименование на русском"),
            "the field is named: {}",
            r.body
        );
        let shown = kezek_core::domain::text::visible(name);
        assert!(
            r.body.contains(&shown),
            "the value is shown as {shown}: {}",
            r.body
        );
        assert!(!r.body.contains('\0') && !r.body.contains('\u{1b}'));
        // The form comes back to be sent again without the characters, nothing typed lost.
        let cleaned = kezek_core::domain::text::without_forbidden(name, false);
        for input in [
            "<form method=\"post\" action=\"/org/card\"".to_owned(),
            format!("<input type=\"hidden\" name=\"name_ru\" value=\"{cleaned}\">"),
            "<input type=\"hidden\" name=\"address\" value=\"ул. Абая, 1\">".to_owned(),
        ] {
            assert!(r.body.contains(&input), "{input} in {}", r.body);
        }
    }
    let saved: String = sqlx::query_scalar("SELECT name_ru FROM organizations WHERE id = $1")
        .bind(org)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(saved, "Балапан", "nothing was saved");
    // Sent again as offered, the form reaches its handler.
    let r = staff
        .post(
            "/org/card",
            &[
                ("name_ru", "Балапан"),
                ("name_kk", "Балапан"),
                ("address", "ул. Абая, 1"),
            ],
        )
        .await;
    assert!(
        !r.body.contains("невидимые управляющие символы"),
        "{}",
        r.body
    );

    // A form of a visitor: refused, and the password is not sent back.
    let mut visitor = t.client();
    let r = visitor
        .post(
            "/login",
            &[
                ("phone", "+7701\u{0}0000000"),
                ("password", "secret phrase"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("value=\"+77010000000\""), "{}", r.body);
    assert!(!r.body.contains("secret phrase"), "{}", r.body);

    // Addresses: the pages say so, the API answers its JSON problem.
    for path in ["/catalog?q=%00", "/department?q=a%00", "/bulletin?kato=%1B"] {
        let r = visitor.get(path).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.body);
        assert!(r.body.contains("В адресе страницы"), "{path}: {}", r.body);
    }
    for path in [
        "/api/v1/organizations?region=71&q=%00",
        "/api/v1/vacancies?region=71%00",
    ] {
        let r = visitor.get(path).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.body);
        assert!(r.body.contains("bad_text"), "{path}: {}", r.body);
    }
    // Line breaks and tabs stay allowed where text has several lines; a search without control
    // characters still works.
    assert_eq!(
        visitor.get("/catalog?q=%D1%81%D0%B0%D0%B4").await.status,
        StatusCode::OK
    );
}
