//! The real HTTP server over TCP: slow or stalled clients are cut off at the header read
//! timeout, idle keep-alive connections too, shutdown is not held up by them, and handlers still
//! see the peer's address.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::harness::TestApp;

struct Served {
    t: TestApp,
    addr: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Stops the server and waits (at most 5 s) for it to finish; how long that took.
async fn stop(served: &mut Served) -> Duration {
    let started = Instant::now();
    served.stop.take().unwrap().send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), &mut served.done)
        .await
        .expect("the server stopped")
        .unwrap()
        .unwrap();
    started.elapsed()
}

async fn serve(header_read: Duration, grace: Duration) -> Served {
    let t = TestApp::start_with(|s| {
        s.header_read_timeout = header_read;
        s.shutdown_grace = grace;
        s.trust_proxy = false;
    })
    .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let done = tokio::spawn(kezek_web::serve(t.app.clone(), listener, async move {
        let _ = stopped.await;
    }));
    Served {
        t,
        addr,
        stop: Some(stop),
        done,
    }
}

/// Reads until the server closes the connection; the bytes and how long it took.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (Vec<u8>, Duration) {
    let started = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(
            limit.saturating_sub(started.elapsed()),
            stream.read(&mut buf),
        )
        .await
        {
            Ok(Ok(0)) | Ok(Err(_)) => return (got, started.elapsed()),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => panic!(
                "the connection was still open after {limit:?}; got {:?}",
                String::from_utf8_lossy(&got)
            ),
        }
    }
}

/// One request on its own connection (`Connection: close`); the whole answer as text.
async fn exchange(addr: std::net::SocketAddr, request: &str) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let (bytes, _) = read_until_closed(&mut s, Duration::from_secs(10)).await;
    String::from_utf8_lossy(&bytes).into_owned()
}

#[tokio::test]
async fn a_half_sent_request_head_is_closed_at_the_header_read_timeout() {
    let served = serve(Duration::from_millis(600), Duration::from_secs(5)).await;
    let mut many = Vec::new();
    for _ in 0..20 {
        let mut s = TcpStream::connect(served.addr).await.unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: kezek.test\r\nX-Slow: ")
            .await
            .unwrap();
        many.push(s);
    }
    // A connection that sends nothing at all.
    many.push(TcpStream::connect(served.addr).await.unwrap());
    for s in &mut many {
        let (bytes, took) = read_until_closed(s, Duration::from_secs(5)).await;
        assert!(took < Duration::from_secs(3), "closed after {took:?}");
        assert!(
            bytes.is_empty() || bytes.starts_with(b"HTTP/1.1 408"),
            "{:?}",
            String::from_utf8_lossy(&bytes)
        );
    }
    // The server still answers whole requests.
    let answer = exchange(
        served.addr,
        "GET /healthz HTTP/1.1\r\nHost: kezek.test\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_and_does_not_hold_up_shutdown() {
    let mut served = serve(Duration::from_millis(800), Duration::from_secs(20)).await;
    let mut idle = TcpStream::connect(served.addr).await.unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: kezek.test\r\n\r\n")
        .await
        .unwrap();
    let (bytes, took) = read_until_closed(&mut idle, Duration::from_secs(5)).await;
    assert!(
        bytes.starts_with(b"HTTP/1.1 200"),
        "{:?}",
        String::from_utf8_lossy(&bytes)
    );
    assert!(took < Duration::from_secs(3), "idle for {took:?}");

    // Stalled clients open while the server stops: it still stops promptly, well within the
    // 20 s grace.
    let mut stalled = Vec::new();
    for _ in 0..10 {
        let mut s = TcpStream::connect(served.addr).await.unwrap();
        s.write_all(b"POST /login HTTP/1.1\r\nHost: kez")
            .await
            .unwrap();
        stalled.push(s);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(stop(&mut served).await < Duration::from_secs(3));
    assert!(
        TcpStream::connect(served.addr).await.is_err(),
        "no longer listening"
    );
}

#[tokio::test]
async fn shutdown_waits_at_most_the_grace_for_a_stalled_upload() {
    let mut served = serve(Duration::from_secs(10), Duration::from_millis(500)).await;
    // A whole head, then a body that never comes: the request is in flight.
    let mut s = TcpStream::connect(served.addr).await.unwrap();
    s.write_all(
        b"POST /login HTTP/1.1\r\nHost: kezek.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nphone=",
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let took = stop(&mut served).await;
    assert!(
        took >= Duration::from_millis(400) && took < Duration::from_secs(3),
        "{took:?}"
    );
}

#[tokio::test]
async fn handlers_see_the_peer_address() {
    let served = serve(Duration::from_secs(10), Duration::from_secs(5)).await;
    let answer = exchange(
        served.addr,
        "GET /login HTTP/1.1\r\nHost: kezek.test\r\nConnection: close\r\n\r\n",
    )
    .await;
    let token = answer
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: kezek_csrf="))
        .and_then(|v| v.split(';').next())
        .unwrap_or_else(|| panic!("no CSRF cookie in {answer}"))
        .to_owned();
    let body = format!("phone=%2B77019990000&password=whatever12&csrf={token}");
    let answer = exchange(
        served.addr,
        &format!(
            "POST /login HTTP/1.1\r\nHost: kezek.test\r\nConnection: close\r\n\
             Cookie: kezek_csrf={token}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
    let ips: Vec<Option<String>> =
        sqlx::query_scalar("SELECT ip FROM audit_log WHERE action = 'auth.login.failed'")
            .fetch_all(served.t.app.db.pool())
            .await
            .unwrap();
    assert_eq!(ips, vec![Some("127.0.0.1".to_owned())]);
}
