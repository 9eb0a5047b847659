//! Downloading a parent's document: `GET /documents/{id}` answers the file to whom
//! `documents::get_for` allows and 404 to every other logged-in user, so a guessed id learns
//! nothing; a visitor who is not logged in goes to the login page, whatever the id.
//! Uploads happen inside the application form, which reads its files with [`read_upload`].

use anyhow::Context;
use axum::Router;
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::access::SignedIn;
use crate::error::{PageError, PageResult};
use kezek_core::app::App;
use kezek_core::documents::{self, MAX_DOCUMENT_BYTES};
use kezek_core::storage::UploadError;

pub fn routes() -> Router<App> {
    Router::new().route("/documents/{id}", get(download))
}

/// The body limit for a form carrying up to `files` documents (for its route's
/// `DefaultBodyLimit`): each file at its largest, plus room for the other fields.
pub const fn body_limit(files: usize) -> usize {
    files * MAX_DOCUMENT_BYTES + 256 * 1024
}

/// Reads one file field of a multipart form: the name the browser sent and the bytes. The
/// content is checked later, by `documents::upload`.
pub async fn read_upload(field: Field<'_>) -> Result<(String, Vec<u8>), UploadError> {
    let name = field.file_name().unwrap_or_default().to_owned();
    field
        .bytes()
        .await
        .map(|bytes| (name, bytes.to_vec()))
        .map_err(|e| upload_error(&e))
}

/// What a broken multipart body means to the parent: beyond the route's body limit it is too
/// large (reading the next field or a field's bytes fails so); otherwise it did not arrive.
pub fn upload_error(e: &MultipartError) -> UploadError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        UploadError::TooLarge
    } else {
        UploadError::Empty
    }
}

async fn download(
    signed_in: SignedIn,
    State(app): State<App>,
    Path(id): Path<String>,
) -> PageResult {
    let user = &signed_in.user;
    let found = match id.parse::<i64>() {
        Ok(id) => documents::get_for(&app.db, user, id)
            .await
            .context("document lookup")?,
        Err(_) => None,
    };
    let document = found.ok_or(PageError::NotFound)?;
    let Some((_, bytes)) = app
        .storage
        .get(&document.storage_key)
        .await
        .with_context(|| format!("document {} unreadable", document.id))?
    else {
        tracing::error!(id = document.id, "document file missing from the storage");
        return Err(PageError::NotFound);
    };
    if user.id != document.owner_user_id {
        // Staff see a parent's data only with a trace of it.
        documents::record_staff_view(&app.db, &signed_in.actor(), &document, app.now())
            .await
            .context("document view not audited")?;
    }
    let content_type = HeaderValue::from_str(&document.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(&document.file_name))
        .unwrap_or(HeaderValue::from_static("attachment"));
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CONTENT_DISPOSITION, disposition),
        // Medical and family papers: no shared or browser cache keeps a copy.
        (
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        ),
    ];
    Ok((StatusCode::OK, headers, bytes).into_response())
}

/// `attachment` with the original name twice: `filename*` in RFC 5987 encoding (UTF-8,
/// percent-escaped) for every current browser, and an ASCII stand-in for the rest.
pub fn content_disposition(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    let mut encoded = String::with_capacity(file_name.len() * 3);
    for b in file_name.bytes() {
        // RFC 5987 `attr-char`: what may stand unescaped in an extended value.
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::extract::{FromRequest, Multipart};
    use axum::http::Request;

    use super::*;

    #[test]
    fn names_are_encoded_for_the_header() {
        assert_eq!(
            content_disposition("Заключение ПМПК.pdf"),
            "attachment; filename=\"__________ ____.pdf\"; \
             filename*=UTF-8''%D0%97%D0%B0%D0%BA%D0%BB%D1%8E%D1%87%D0%B5%D0%BD%D0%B8%D0%B5%20\
             %D0%9F%D0%9C%D0%9F%D0%9A.pdf"
        );
        assert_eq!(
            content_disposition("a\"b;c.png"),
            "attachment; filename=\"a_b;c.png\"; filename*=UTF-8''a%22b%3Bc.png"
        );
    }

    async fn first_upload(body_bytes: Vec<u8>) -> Result<(String, Vec<u8>), UploadError> {
        let request = Request::builder()
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XyZ")
            .body(Body::from(body_bytes))
            .unwrap();
        let mut multipart = Multipart::from_request(request, &()).await.unwrap();
        match multipart.next_field().await {
            Ok(Some(field)) => read_upload(field).await,
            Ok(None) => Err(UploadError::Empty),
            Err(e) => Err(upload_error(&e)),
        }
    }

    fn form(content: &[u8]) -> Vec<u8> {
        let mut body = b"--XyZ\r\nContent-Disposition: form-data; name=\"doc\"; \
                         filename=\"x.pdf\"\r\n\r\n"
            .to_vec();
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n--XyZ--\r\n");
        body
    }

    #[tokio::test]
    async fn file_fields_are_read_and_oversized_ones_refused() {
        assert_eq!(
            first_upload(form(b"%PDF-1.7")).await,
            Ok(("x.pdf".to_owned(), b"%PDF-1.7".to_vec()))
        );
        // Without a route limit axum allows 2 MB.
        let big = vec![b'x'; 3 * 1024 * 1024];
        assert_eq!(first_upload(form(&big)).await, Err(UploadError::TooLarge));
    }
}
