//! The SMS outbox relay: retries through a gateway outage, gives up on permanent refusals,
//! and never sends one message twice, even with two relays at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::routing::post;
use kezek_core::outbox::{self, Relay};
use kezek_core::sms::{MobizonGateway, SmsGateway};
use kezek_domain::Phone;

use crate::harness::TestApp;

/// A Mobizon-like gateway that fails the first `failures` requests with a 503.
async fn flaky_gateway(failures: usize, permanent: bool) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = Router::new().route(
        "/service/message/sendsmsmessage",
        post(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move {
                if permanent {
                    (
                        axum::http::StatusCode::OK,
                        r#"{"code":1,"data":{},"message":"invalid recipient"}"#,
                    )
                } else if n < failures {
                    (axum::http::StatusCode::SERVICE_UNAVAILABLE, "down")
                } else {
                    (
                        axum::http::StatusCode::OK,
                        r#"{"code":0,"data":{"messageId":"1"},"message":""}"#,
                    )
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, hits)
}

fn relay(t: &TestApp, url: &str) -> Relay {
    Relay {
        db: t.app.db.clone(),
        gateway: SmsGateway::Mobizon(MobizonGateway::new(
            url.into(),
            "key".into(),
            None,
            kezek_core::outside::http_client(),
        )),
        clock: t.clock.clone(),
        wakeup: Arc::new(tokio::sync::Notify::new()),
    }
}

async fn enqueue(t: &TestApp, n: usize) {
    let mut tx = t.app.db.begin().await.unwrap();
    for i in 0..n {
        outbox::enqueue(
            &mut tx,
            &Phone::parse(&format!("+7701000{i:04}")).unwrap(),
            "hello",
            t.app.now(),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

async fn counts(t: &TestApp) -> (i64, i64, i64) {
    sqlx::query_as(
        "SELECT COUNT(sent_at), COUNT(failed_at), COUNT(*) - COUNT(sent_at) - COUNT(failed_at) FROM sms_outbox",
    )
    .fetch_one(t.app.db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn an_outage_delays_messages_but_loses_none() {
    let t = TestApp::start().await;
    let (url, hits) = flaky_gateway(2, false).await;
    let relay = relay(&t, &url);
    enqueue(&t, 1).await;
    assert_eq!(relay.relay_once().await.unwrap(), 0);
    assert_eq!(counts(&t).await, (0, 0, 1), "kept for a retry");
    assert_eq!(
        relay.relay_once().await.unwrap(),
        0,
        "not retried before its back-off"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    t.clock.advance(5);
    assert_eq!(relay.relay_once().await.unwrap(), 0);
    t.clock.advance(10);
    assert_eq!(relay.relay_once().await.unwrap(), 1);
    assert_eq!(counts(&t).await, (1, 0, 0));
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    t.clock.advance(600);
    assert_eq!(
        relay.relay_once().await.unwrap(),
        0,
        "a sent message is never sent again"
    );
}

#[tokio::test]
async fn a_permanent_refusal_is_recorded_not_retried() {
    let t = TestApp::start().await;
    let (url, hits) = flaky_gateway(0, true).await;
    let relay = relay(&t, &url);
    enqueue(&t, 1).await;
    relay.relay_once().await.unwrap();
    t.clock.advance(3600);
    relay.relay_once().await.unwrap();
    assert_eq!(counts(&t).await, (0, 1, 0));
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    let error: String = sqlx::query_scalar("SELECT last_error FROM sms_outbox")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    assert!(
        error.contains("invalid recipient") && !error.contains("key"),
        "{error}"
    );
}

#[tokio::test]
async fn two_relays_never_send_the_same_message() {
    let t = TestApp::start().await;
    let (url, hits) = flaky_gateway(0, false).await;
    enqueue(&t, 40).await;
    let (a, b) = (relay(&t, &url), relay(&t, &url));
    let mut sent = 0;
    for _ in 0..4 {
        let (x, y) = tokio::join!(a.relay_once(), b.relay_once());
        sent += x.unwrap() + y.unwrap();
    }
    assert_eq!(sent, 40);
    assert_eq!(
        hits.load(Ordering::SeqCst),
        40,
        "each message reached the gateway once"
    );
    assert_eq!(counts(&t).await, (40, 0, 0));
}

#[tokio::test]
async fn a_code_given_up_on_is_masked_and_a_plain_message_kept_as_it_was() {
    let t = TestApp::start().await;
    let (url, _) = flaky_gateway(0, true).await;
    let relay = relay(&t, &url);
    let mut tx = t.app.db.begin().await.unwrap();
    let to = Phone::parse("+77010009999").unwrap();
    outbox::enqueue_redactable(&mut tx, &to, "code 482915", "code ******", t.app.now())
        .await
        .unwrap();
    outbox::enqueue(&mut tx, &to, "hello 2026", t.app.now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    relay.relay_once().await.unwrap();
    assert_eq!(counts(&t).await, (0, 2, 0));
    let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM sms_outbox ORDER BY id")
        .fetch_all(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(bodies, ["code ******", "hello 2026"]);
}
