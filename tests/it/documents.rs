//! Parents' documents: uploaded through the service, downloaded through the real router by the
//! owner, staff and strangers; the quota and the file checks. Everything runs twice: on the
//! local disk and on an S3-compatible store — a fake one, below, that keeps objects in memory
//! and refuses any request whose signature does not cover what was actually sent.
//!
//! A visitor who is not logged in is sent to the login page for any document id (like every
//! cabinet page); a logged-in user the access rule refuses gets 404, as for an unknown id.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use kezek_core::accounts::users::StaffBinding;
use kezek_core::audit::Actor;
use kezek_core::config::{S3Settings, Secret, StorageSettings};
use kezek_core::documents::{self, DocumentError, DocumentKind, QUOTA_BYTES_PER_PARENT};
use kezek_core::storage::{FileKind, S3Store, Storage, UploadError, sigv4};
use kezek_domain::Role;
use sha2::{Digest, Sha256};

use crate::harness::{Client, TestApp};

const PASSWORD: &str = "жаңа пароль 2026";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
const BUCKET: &str = "kezek-files";
const ACCESS_KEY: &str = "AKIDKEZEKTEST";
const SECRET_KEY: &str = "fake/s3+secret-key";
const REGION: &str = "kz-central-1";

// ---- A fake S3 ----

/// Key → (bytes, content type).
type Objects = HashMap<String, (Vec<u8>, String)>;

#[derive(Clone, Default)]
struct FakeS3 {
    url: String,
    objects: Arc<Mutex<Objects>>,
    requests: Arc<AtomicUsize>,
    failing: Arc<AtomicBool>,
}

impl FakeS3 {
    async fn start() -> FakeS3 {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let fake = FakeS3 {
            url: format!("http://{}", listener.local_addr().unwrap()),
            ..Default::default()
        };
        let router = axum::Router::new()
            .route("/{bucket}/{*key}", axum::routing::any(object))
            .with_state(fake.clone());
        tokio::spawn(async move { axum::serve(listener, router).await });
        fake
    }

    fn settings(&self, secret_key: &str) -> S3Settings {
        S3Settings {
            endpoint: self.url.clone(),
            bucket: BUCKET.into(),
            region: REGION.into(),
            access_key: ACCESS_KEY.into(),
            secret_key: Secret::new(secret_key),
        }
    }

    fn object(&self, key: &str) -> Option<(Vec<u8>, String)> {
        self.objects.lock().unwrap().get(key).cloned()
    }

    fn count(&self) -> usize {
        self.objects.lock().unwrap().len()
    }
}

async fn object(
    State(s3): State<FakeS3>,
    method: Method,
    uri: Uri,
    Path((bucket, key)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    s3.requests.fetch_add(1, Ordering::SeqCst);
    if s3.failing.load(Ordering::SeqCst) {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "<Error><Code>SlowDown</Code></Error>",
        )
            .into_response();
    }
    if let Err(why) = check_signature(&method, &uri, &headers, &body) {
        return (StatusCode::FORBIDDEN, why).into_response();
    }
    if bucket != BUCKET {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mut objects = s3.objects.lock().unwrap();
    match method {
        Method::PUT => {
            let content_type = headers
                .get(header::CONTENT_TYPE)
                .map_or("", |v| v.to_str().unwrap());
            objects.insert(key, (body.to_vec(), content_type.to_owned()));
            StatusCode::OK.into_response()
        }
        Method::GET => match objects.get(&key) {
            Some((bytes, _)) => bytes.clone().into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        },
        Method::DELETE => {
            objects.remove(&key);
            StatusCode::NO_CONTENT.into_response()
        }
        _ => StatusCode::METHOD_NOT_ALLOWED.into_response(),
    }
}

/// The `Authorization` header must have SigV4's shape, sign at least the host, the payload hash
/// and the date, hash the body that arrived, and carry the signature of the request as received
/// (recomputed with the fake's own copy of the secret).
fn check_signature(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(), String> {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .ok_or(format!("no {name}"))
    };
    let authorization = get("authorization")?;
    let date = get("x-amz-date")?;
    let payload_hash = get("x-amz-content-sha256")?;
    if date.len() != 16 || !date.ends_with('Z') || &date[8..9] != "T" {
        return Err(format!("bad x-amz-date {date}"));
    }
    if payload_hash != hex::encode(Sha256::digest(body)) {
        return Err("the payload hash does not match the body".into());
    }
    let prefix = format!(
        "AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/{}/{REGION}/s3/aws4_request,SignedHeaders=",
        &date[..8]
    );
    let (signed, signature) = authorization
        .strip_prefix(&prefix)
        .and_then(|rest| rest.split_once(",Signature="))
        .ok_or(format!("bad authorization {authorization}"))?;
    let names: Vec<&str> = signed.split(';').collect();
    let required = ["host", "x-amz-content-sha256", "x-amz-date"];
    if !required.iter().all(|r| names.contains(r)) || !names.is_sorted() {
        return Err(format!("bad signed headers {signed}"));
    }
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("bad signature".into());
    }
    let signed_headers = names
        .iter()
        .map(|n| get(n).map(|v| (*n, v)))
        .collect::<Result<Vec<_>, _>>()?;
    let expected = sigv4::authorization(
        &sigv4::Credentials {
            access_key: ACCESS_KEY,
            secret_key: SECRET_KEY,
            region: REGION,
        },
        date,
        method.as_str(),
        uri.path(),
        &signed_headers,
        payload_hash,
    );
    if expected != authorization {
        return Err("SignatureDoesNotMatch".into());
    }
    Ok(())
}

// ---- The storage itself ----

#[tokio::test]
async fn s3_storage_puts_gets_and_deletes_signed_objects() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let fake = FakeS3::start().await;
    let client = kezek_core::outside::http_client();
    let storage = Storage::S3(S3Store::new(&fake.settings(SECRET_KEY), client.clone()).unwrap());

    let key = storage.put("documents", FileKind::Pdf, PDF).await.unwrap();
    assert!(
        key.starts_with("documents/") && key.ends_with(".pdf"),
        "{key}"
    );
    assert_eq!(
        fake.object(&key),
        Some((PDF.to_vec(), "application/pdf".to_owned()))
    );
    assert_eq!(
        storage.get(&key).await.unwrap(),
        Some((FileKind::Pdf, PDF.to_vec()))
    );
    storage.delete(&key).await.unwrap();
    assert_eq!(fake.count(), 0);
    assert_eq!(storage.get(&key).await.unwrap(), None, "not found");
    storage.delete(&key).await.unwrap();

    // Malformed keys and areas never reach the store.
    let before = fake.requests.load(Ordering::SeqCst);
    assert_eq!(storage.get("documents/../../x.pdf").await.unwrap(), None);
    storage.delete("../x").await.unwrap();
    assert!(storage.put("../up", FileKind::Pdf, PDF).await.is_err());
    assert_eq!(fake.requests.load(Ordering::SeqCst), before);

    // A refused signature and a failing store are errors that show neither secret nor URL.
    let wrong = Storage::S3(S3Store::new(&fake.settings("not the secret"), client).unwrap());
    let e = wrong
        .put("documents", FileKind::Pdf, PDF)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("403"), "{e}");
    fake.failing.store(true, Ordering::SeqCst);
    for e in [
        storage
            .put("documents", FileKind::Pdf, PDF)
            .await
            .unwrap_err(),
        storage.get(&key).await.unwrap_err(),
        storage.delete(&key).await.unwrap_err(),
    ] {
        let text = e.to_string();
        assert!(text.contains("503"), "{text}");
        assert!(
            !text.contains(SECRET_KEY) && !text.contains(&fake.url),
            "{text}"
        );
    }
    fake.failing.store(false, Ordering::SeqCst);
    assert_eq!(fake.count(), 0);

    // A store that does not answer at all.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut gone = fake.settings(SECRET_KEY);
    gone.endpoint = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let gone = Storage::S3(S3Store::new(&gone, kezek_core::outside::http_client()).unwrap());
    let e = gone.get(&key).await.unwrap_err().to_string();
    assert!(
        e.contains("cannot connect") && !e.contains("127.0.0.1"),
        "{e}"
    );
}

// ---- Documents through the application ----

/// Where a test's files end up, to count them.
enum Files {
    Local(std::path::PathBuf),
    S3(FakeS3),
}

impl Files {
    fn count(&self) -> usize {
        match self {
            Files::Local(dir) => {
                std::fs::read_dir(dir.join("files/documents")).map_or(0, |entries| entries.count())
            }
            Files::S3(fake) => fake.count(),
        }
    }
}

async fn local() -> (TestApp, Files) {
    let t = TestApp::start().await;
    let files = Files::Local(t.dir.path().to_owned());
    (t, files)
}

async fn s3() -> (TestApp, Files) {
    let fake = FakeS3::start().await;
    let settings = fake.settings(SECRET_KEY);
    let t = TestApp::start_with(|s| s.storage = StorageSettings::S3(settings)).await;
    (t, Files::S3(fake))
}

/// A registered parent, logged in, with their user id.
async fn parent(t: &TestApp, phone: &str) -> (Client, i64) {
    let (mut c, iin) = t.register_parent(phone, PASSWORD).await;
    assert_eq!(c.login(phone, PASSWORD).await.location(), Some("/cabinet"));
    let id = sqlx::query_scalar("SELECT user_id FROM applicants WHERE iin = $1")
        .bind(&iin)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    (c, id)
}

async fn staff(t: &TestApp, role: Role, phone: &str, binding: StaffBinding) -> Client {
    kezek_core::accounts::create_staff(&t.app, role, phone, PASSWORD, binding)
        .await
        .unwrap();
    let mut c = t.client();
    assert!(c.login(phone, PASSWORD).await.location().is_some());
    c
}

fn actor(user_id: i64) -> Actor {
    Actor {
        user_id,
        ip: "198.51.100.7".into(),
    }
}

async fn audited(t: &TestApp, action: &str, document_id: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND subject = $2")
        .bind(action)
        .bind(format!("document:{document_id}"))
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

async fn served_only_to_the_owner_and_staff((t, files): (TestApp, Files)) {
    let (mut owner, owner_id) = parent(&t, "+77011230001").await;
    let doc = documents::upload(
        &t.app,
        &actor(owner_id),
        owner_id,
        DocumentKind::PmpkConclusion,
        "C:\\fakepath\\Заключение ПМПК.pdf",
        PDF,
        t.app.now(),
    )
    .await
    .unwrap();
    assert_eq!(
        (doc.file_name.as_str(), doc.content_type.as_str()),
        ("Заключение ПМПК.pdf", "application/pdf")
    );
    assert_eq!(files.count(), 1);
    assert_eq!(audited(&t, "document.uploaded", doc.id).await, 1);
    let path = format!("/documents/{}", doc.id);

    let r = owner.get(&path).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body.as_bytes(), PDF);
    let h = |name: header::HeaderName| r.headers.get(name).unwrap().to_str().unwrap();
    assert_eq!(h(header::CONTENT_TYPE), "application/pdf");
    assert_eq!(h(header::CACHE_CONTROL), "private, no-store");
    assert_eq!(h(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    let disposition = h(header::CONTENT_DISPOSITION);
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.ends_with(
            "filename*=UTF-8''%D0%97%D0%B0%D0%BA%D0%BB%D1%8E%D1%87%D0%B5%D0%BD%D0%B8%D0%B5\
             %20%D0%9F%D0%9C%D0%9F%D0%9A.pdf"
        ),
        "{disposition}"
    );
    assert_eq!(
        audited(&t, "document.viewed", doc.id).await,
        0,
        "owners are not audited"
    );

    let mut anonymous = t.client();
    assert_eq!(anonymous.get(&path).await.location(), Some("/login"));
    assert_eq!(
        anonymous.get("/documents/999999").await.location(),
        Some("/login")
    );

    let (mut stranger, _) = parent(&t, "+77011230002").await;
    for guess in [path.as_str(), "/documents/999999", "/documents/abc"] {
        let r = stranger.get(guess).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{guess}");
        assert!(!r.body.contains("%PDF"), "{guess}");
    }

    let none = StaffBinding {
        org_bin: None,
        kato: None,
    };
    let mut admin = staff(&t, Role::Admin, "+77011230003", none).await;
    assert_eq!(admin.get(&path).await.status, StatusCode::OK);
    let area = StaffBinding {
        org_bin: None,
        kato: Some("710000000".into()),
    };
    let mut operator = staff(&t, Role::Department, "+77011230004", area).await;
    assert_eq!(
        operator.get(&path).await.status,
        StatusCode::NOT_FOUND,
        "an operator sees only documents attached to applications of their area (tests/it/verification.rs)"
    );
    assert_eq!(
        audited(&t, "document.viewed", doc.id).await,
        1,
        "staff views"
    );

    // A deleted document is gone for everyone, the owner included.
    sqlx::query("UPDATE documents SET deleted_at = 1 WHERE id = $1")
        .bind(doc.id)
        .execute(t.app.db.pool())
        .await
        .unwrap();
    assert_eq!(owner.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(admin.get(&path).await.status, StatusCode::NOT_FOUND);
}

async fn files_are_checked_and_the_quota_kept((t, files): (TestApp, Files)) {
    let (_, owner_id) = parent(&t, "+77011230005").await;
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let app = t.app.clone();
        async move {
            let now = app.now();
            let kind = DocumentKind::PrivilegeEvidence;
            documents::upload(&app, &actor(owner_id), owner_id, kind, name, &bytes, now).await
        }
    };
    let refused = |r: Result<_, DocumentError>| match r {
        Err(DocumentError::Upload(e)) => e,
        other => panic!("refusal expected: {other:?}"),
    };
    assert_eq!(
        refused(upload("page.pdf", b"<html>".to_vec()).await),
        UploadError::WrongKind
    );
    assert_eq!(
        refused(upload("scan.png", PDF.to_vec()).await),
        UploadError::NameMismatch
    );
    assert_eq!(
        refused(upload("scan.pdf.exe", PDF.to_vec()).await),
        UploadError::NameMismatch
    );
    assert_eq!(
        refused(upload("empty.pdf", Vec::new()).await),
        UploadError::Empty
    );
    let mut big = PDF.to_vec();
    big.resize(documents::MAX_DOCUMENT_BYTES + 1, b' ');
    assert_eq!(refused(upload("big.pdf", big).await), UploadError::TooLarge);
    let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0].to_vec();
    let doc = upload("photo.PNG", png).await.unwrap();
    assert_eq!(doc.content_type, "image/png");
    assert_eq!(files.count(), 1);

    // Fill the quota up to room for one more PDF but not two (a deleted document does not
    // count), then upload two at once: exactly one fits, and the other leaves no file behind.
    let len = PDF.len() as i64;
    for (size, deleted) in [
        (QUOTA_BYTES_PER_PARENT - len * 3 / 2 - doc.size_bytes, None),
        (50 * 1024 * 1024, Some(1_i64)),
    ] {
        sqlx::query(
            "INSERT INTO documents (owner_user_id, kind, file_name, content_type, size_bytes,
                                    storage_key, uploaded_at, deleted_at)
             VALUES ($1, 'privilege_evidence', 'old.pdf', 'application/pdf', $2, $3, 0, $4)",
        )
        .bind(owner_id)
        .bind(size)
        .bind(format!(
            "documents/{}.pdf",
            &kezek_core::tokens::random_token()[..32]
        ))
        .bind(deleted)
        .execute(t.app.db.pool())
        .await
        .unwrap();
    }
    let (a, b) = tokio::join!(upload("a.pdf", PDF.to_vec()), upload("b.pdf", PDF.to_vec()));
    let quota_refusals = [&a, &b]
        .iter()
        .filter(|r| matches!(r, Err(DocumentError::Quota)))
        .count();
    assert!(a.is_ok() != b.is_ok() && quota_refusals == 1, "{a:?} {b:?}");
    assert_eq!(files.count(), 2);
    let e = upload("c.pdf", PDF.to_vec()).await.unwrap_err();
    assert_eq!(e.message_key(), "documents-error-quota");
    assert_eq!(files.count(), 2);

    // Another parent's quota is their own.
    let (_, other_id) = parent(&t, "+77011230006").await;
    let now = t.app.now();
    let kind = DocumentKind::PhthisiatricianReferral;
    documents::upload(&t.app, &actor(other_id), other_id, kind, "r.pdf", PDF, now)
        .await
        .unwrap();
}

#[tokio::test]
async fn documents_are_served_only_to_the_owner_and_staff() {
    served_only_to_the_owner_and_staff(local().await).await;
}

#[tokio::test]
async fn documents_on_s3_are_served_only_to_the_owner_and_staff() {
    served_only_to_the_owner_and_staff(s3().await).await;
}

#[tokio::test]
async fn documents_are_checked_and_kept_within_the_quota() {
    files_are_checked_and_the_quota_kept(local().await).await;
}

#[tokio::test]
async fn documents_on_s3_are_checked_and_kept_within_the_quota() {
    files_are_checked_and_the_quota_kept(s3().await).await;
}
