//! Pages every visitor sees: languages, regions, labels, the footer, health.

use axum::http::StatusCode;

use crate::harness::TestApp;

#[tokio::test]
async fn accept_language_picks_the_language_and_the_switcher_remembers_it() {
    let t = TestApp::start().await;
    let mut c = t.client();
    c.accept_language = "kk-KZ,kk;q=0.9,ru;q=0.8".into();
    let r = c.get("/login").await;
    assert!(
        r.body.contains("<html lang=\"kk\">") && r.body.contains("Жүйеге кіру"),
        "{}",
        r.body
    );

    let r = c.get("/lang/en?back=%2Flogin%3Fx%3D1").await;
    assert_eq!(
        r.location(),
        Some("/login?x=1"),
        "switching keeps the visitor on the same page"
    );
    let r = c.get("/login").await;
    assert!(r.body.contains("<html lang=\"en\">") && r.body.contains("Forgot your password?"));

    let r = c.get("/lang/ru?back=https%3A%2F%2Fevil.example").await;
    assert_eq!(r.location(), Some("/"), "no open redirect");
    let r = c.get("/").await;
    assert!(r.body.contains("Регистрация") && r.body.contains("Вход"));
}

#[tokio::test]
async fn the_region_switcher_lists_twenty_regions_and_remembers_the_choice() {
    let t = TestApp::start_with(|s| s.default_region = "75".into()).await;
    let mut c = t.client();
    let r = c.get("/").await;
    assert_eq!(r.body.matches("<option value=").count(), 20);
    assert!(
        r.body
            .contains("<option value=\"75\" selected>Алматы</option>"),
        "the configured default"
    );
    let r = c.get("/region?code=63&back=%2Fpolicy").await;
    assert_eq!(r.location(), Some("/policy"));
    let r = c.get("/policy").await;
    assert!(r.body.contains("<option value=\"63\" selected>"));
    c.get("/region?code=99&back=%2F").await;
    assert!(
        c.get("/")
            .await
            .body
            .contains("<option value=\"63\" selected>"),
        "unknown codes change nothing"
    );
}

#[tokio::test]
async fn every_form_field_has_a_label_and_pages_show_the_contact_centre() {
    let t =
        TestApp::start_with(|s| s.contact_phones = vec!["8 (727) 000-00-00".into(), "1414".into()])
            .await;
    let mut c = t.client();
    for path in ["/", "/register", "/login", "/password/forgot", "/policy"] {
        for lang in ["kk", "ru", "en"] {
            c.accept_language = lang.into();
            let r = c.get(path).await;
            assert_eq!(r.status, StatusCode::OK, "{path}");
            assert!(
                r.body.contains("8 (727) 000-00-00") && r.body.contains("1414"),
                "{path} footer"
            );
            assert!(
                r.body.contains("name=\"viewport\""),
                "{path} is made for phones"
            );
            for id in r.body.match_indices(" id=\"f-").map(|(i, _)| {
                let rest = &r.body[i + 5..];
                rest[..rest.find('"').unwrap()].to_owned()
            }) {
                assert!(
                    r.body.contains(&format!("for=\"{id}\"")),
                    "{path} ({lang}): #{id} has no label"
                );
            }
            assert!(
                !r.body.contains("-error-") || r.body.contains("class=\"error\""),
                "{path}"
            );
        }
    }
}

#[tokio::test]
async fn unknown_pages_get_a_translated_404() {
    let t = TestApp::start().await;
    let mut c = t.client();
    c.accept_language = "kk".into();
    let r = c.get("/no-such-page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("Бет табылмады"));
}

#[tokio::test]
async fn healthz_answers_when_the_database_does() {
    let t = TestApp::start().await;
    let mut c = t.client();
    let r = c.get("/healthz").await;
    assert_eq!((r.status, r.body.as_str()), (StatusCode::OK, "ok"));
    t.app.db.close().await;
    assert_eq!(
        c.get("/healthz").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[tokio::test]
async fn the_language_a_user_works_in_is_remembered_for_their_messages() {
    let t = TestApp::start().await;
    let (mut c, _) = t.register_parent("+77016300000", "parent password 1").await;
    c.accept_language = "kk".into();
    c.login("+77016300000", "parent password 1").await;
    let language = |t: &TestApp| {
        let pool = t.app.db.pool().clone();
        async move {
            sqlx::query_scalar::<_, Option<String>>(
                "SELECT language FROM users WHERE phone = '+77016300000'",
            )
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert_eq!(language(&t).await.as_deref(), Some("kk"));
    c.get("/lang/en?back=/").await;
    assert_eq!(
        language(&t).await.as_deref(),
        Some("en"),
        "switching while logged in is remembered"
    );
}
