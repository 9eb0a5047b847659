//! Parents' documents (ПМПК conclusions, phthisiatricians' referrals, privilege evidence):
//! uploaded with applications, checked by content and extension, kept within a per-parent
//! quota under random names in the storage, and shown only to whom [`get_for`] allows — the
//! one place the access rule lives.

use serde_json::json;

use crate::accounts::CurrentUser;
use crate::app::App;
use crate::audit::{self, Actor, AuditEntry};
use crate::db::documents as store;
use crate::db::{Backend, Db, Executor, Tx};
use crate::domain::Role;
use crate::storage::{self, FileKind, UploadError};

/// A scan of a few pages at a readable resolution fits; a whole photo album does not.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;
/// What one parent may keep at once (documents not deleted), so nobody fills the disk.
pub const QUOTA_BYTES_PER_PARENT: i64 = 100 * 1024 * 1024;
/// How many documents one parent may keep at once, however small: a family with several
/// children and applications needs a few dozen; rows, files and audit entries stay bounded.
pub const MAX_DOCUMENTS_PER_PARENT: i64 = 200;
/// How many files one form post may carry; more are refused before any is stored.
pub const MAX_FILES_PER_POST: usize = 10;
const ACCEPTED: [FileKind; 3] = [FileKind::Pdf, FileKind::Jpeg, FileKind::Png];
/// Longer names are cut (keeping the extension): they end up in a response header.
const MAX_NAME_CHARS: usize = 120;

/// What a document is for; stored by [`DocumentKind::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    PmpkConclusion,
    PhthisiatricianReferral,
    PrivilegeEvidence,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 3] = [
        DocumentKind::PmpkConclusion,
        DocumentKind::PhthisiatricianReferral,
        DocumentKind::PrivilegeEvidence,
    ];

    /// The stored form; changing it would orphan existing documents.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::PmpkConclusion => "pmpk_conclusion",
            DocumentKind::PhthisiatricianReferral => "phthisiatrician_referral",
            DocumentKind::PrivilegeEvidence => "privilege_evidence",
        }
    }

    pub fn parse(s: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: i64,
    pub owner_user_id: i64,
    pub kind: DocumentKind,
    /// As uploaded (cleaned by [`clean_file_name`]), for the download's name.
    pub file_name: String,
    /// Decided from the content, never from what the browser claimed.
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
    pub uploaded_at: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("file refused: {0}")]
    Upload(UploadError),
    #[error("the owner's document quota is used up")]
    Quota,
    #[error("the owner keeps as many documents as allowed")]
    TooMany,
    #[error("file storage failed: {0}")]
    Storage(#[from] std::io::Error),
    #[error(transparent)]
    Database(#[from] crate::db::Error),
}

impl DocumentError {
    pub fn message_key(&self) -> &'static str {
        match self {
            DocumentError::Upload(e) => e.message_key(),
            DocumentError::Quota => "documents-error-quota",
            DocumentError::TooMany => "documents-error-count",
            DocumentError::Storage(_) | DocumentError::Database(_) => "error-internal",
        }
    }
}

/// Stores a document for `owner_user_id`, uploaded by `actor` (the owner, in the parent's
/// application form). The file is written first and removed again if the row cannot be, so
/// neither a row without a file nor (for long) a file without a row is left behind.
pub async fn upload(
    app: &App,
    actor: &Actor,
    owner_user_id: i64,
    kind: DocumentKind,
    file_name: &str,
    bytes: &[u8],
    now: i64,
) -> Result<Document, DocumentError> {
    let file_name = clean_file_name(file_name);
    let file_kind = storage::check_upload(&file_name, bytes, MAX_DOCUMENT_BYTES, &ACCEPTED)
        .map_err(DocumentError::Upload)?;
    let size_bytes = bytes.len() as i64;
    // A first look outside the transaction, so a full quota costs no write to the storage.
    check_room(app.db.pool(), owner_user_id, size_bytes).await?;
    let storage_key = app
        .storage
        .put(storage::DOCUMENTS, file_kind, bytes)
        .await?;
    let mut document = Document {
        id: 0,
        owner_user_id,
        kind,
        file_name,
        content_type: file_kind.content_type().to_owned(),
        size_bytes,
        storage_key,
        uploaded_at: now,
    };
    match insert(&app.db, actor, &document).await {
        Ok(id) => {
            document.id = id;
            Ok(document)
        }
        Err(e) => {
            if let Err(gone) = app.storage.delete(&document.storage_key).await {
                tracing::warn!(error = %gone, key = document.storage_key, "orphan document file");
            }
            Err(e)
        }
    }
}

async fn insert(db: &Db, actor: &Actor, d: &Document) -> Result<i64, DocumentError> {
    let mut tx = db.begin().await?;
    if db.backend() == Backend::Postgres {
        // Two uploads of one parent at once must not both fit under the quota: the second
        // waits here. (SQLite's BEGIN IMMEDIATE already lets one writer in at a time.)
        store::lock_owner(&mut *tx, d.owner_user_id).await?;
    }
    // Counted in the transaction that inserts, after the lock: a parallel burst of uploads
    // cannot all see room for one more.
    check_room(&mut *tx, d.owner_user_id, d.size_bytes).await?;
    let row = store::NewDocument {
        owner_user_id: d.owner_user_id,
        kind: d.kind.as_str(),
        file_name: &d.file_name,
        content_type: &d.content_type,
        size_bytes: d.size_bytes,
        storage_key: &d.storage_key,
        uploaded_at: d.uploaded_at,
    };
    let id = store::insert(&mut *tx, &row).await?;
    let detail = json!({
        "owner_user_id": d.owner_user_id,
        "kind": d.kind.as_str(),
        "file_name": d.file_name,
        "content_type": d.content_type,
        "size_bytes": d.size_bytes,
    });
    record(
        &mut tx,
        actor,
        d.uploaded_at,
        "document.uploaded",
        id,
        detail,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Audits `action` on document `id`.
async fn record(
    tx: &mut Tx,
    actor: &Actor,
    at: i64,
    action: &str,
    id: i64,
    detail: serde_json::Value,
) -> Result<(), crate::db::Error> {
    let subject = format!("document:{id}");
    let entry = AuditEntry {
        at,
        actor_user_id: Some(actor.user_id),
        action,
        subject: Some(&subject),
        ip: Some(&actor.ip),
        detail: Some(detail),
    };
    audit::record(tx, entry).await
}

/// Refuses a document of `size_bytes` that would take the owner's live documents past
/// [`MAX_DOCUMENTS_PER_PARENT`] or [`QUOTA_BYTES_PER_PARENT`].
async fn check_room<'e>(
    executor: impl Executor<'e>,
    owner_user_id: i64,
    size_bytes: i64,
) -> Result<(), DocumentError> {
    let (count, bytes) = store::usage(executor, owner_user_id).await?;
    if count >= MAX_DOCUMENTS_PER_PARENT {
        return Err(DocumentError::TooMany);
    }
    if bytes + size_bytes > QUOTA_BYTES_PER_PARENT {
        return Err(DocumentError::Quota);
    }
    Ok(())
}

/// The document `id` if `viewer` may see it; `None` when it does not exist, was deleted or is
/// none of the viewer's business — the same answer, so a guessed id learns nothing.
pub async fn get_for(
    db: &Db,
    viewer: &CurrentUser,
    id: i64,
) -> Result<Option<Document>, crate::db::Error> {
    let Some(document) = find(db, id).await? else {
        return Ok(None);
    };
    let allowed =
        document.owner_user_id == viewer.id || staff_may_see(db, viewer, &document).await?;
    Ok(allowed.then_some(document))
}

/// Whether a staff member may see another person's document: administrators always; a
/// department operator only a document attached to an application whose locality lies in
/// their area (their staff KATO binding; without one, nothing); staff of organizations never.
pub async fn staff_may_see(
    db: &Db,
    viewer: &CurrentUser,
    document: &Document,
) -> Result<bool, crate::db::Error> {
    match viewer.role {
        Role::Admin => Ok(true),
        Role::Department => {
            let Some(area) = crate::orgs::area::Area::of_operator(db, viewer.id).await? else {
                return Ok(false);
            };
            let localities = store::localities_of(db.pool(), document.id).await?;
            Ok(localities.iter().any(|kato| area.contains_code(kato)))
        }
        Role::Parent | Role::Organization | Role::Moderator => Ok(false),
    }
}

/// Records that staff opened a parent's document: personal (often medical) data.
pub async fn record_staff_view(
    db: &Db,
    actor: &Actor,
    document: &Document,
    now: i64,
) -> Result<(), crate::db::Error> {
    let mut tx = db.begin().await?;
    let detail = json!({ "owner_user_id": document.owner_user_id });
    record(&mut tx, actor, now, "document.viewed", document.id, detail).await?;
    tx.commit().await
}

async fn find(db: &Db, id: i64) -> Result<Option<Document>, crate::db::Error> {
    let Some(row) = store::find(db.pool(), id).await? else {
        return Ok(None);
    };
    let kind = DocumentKind::parse(&row.kind).ok_or_else(|| {
        crate::db::Error::Decode(format!("unknown document kind {}", row.kind).into())
    })?;
    Ok(Some(Document {
        id: row.id,
        owner_user_id: row.owner_user_id,
        kind,
        file_name: row.file_name,
        content_type: row.content_type,
        size_bytes: row.size_bytes,
        storage_key: row.storage_key,
        uploaded_at: row.uploaded_at,
    }))
}

/// The name a browser sent, cut to its last path component (some send a whole path), without
/// control characters, and at most [`MAX_NAME_CHARS`] long with its extension kept.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = base.chars().filter(|c| !c.is_control()).collect();
    let name = name.trim();
    if name.chars().count() <= MAX_NAME_CHARS {
        return name.to_owned();
    }
    match name.rsplit_once('.') {
        Some((stem, ext)) if ext.chars().count() <= 10 => {
            let stem: String = stem.chars().take(MAX_NAME_CHARS - 11).collect();
            format!("{}.{ext}", stem.trim_end())
        }
        _ => name.chars().take(MAX_NAME_CHARS).collect(),
    }
}

/// How long a document may stay attached to nothing: longer than an application draft lives,
/// so a parent who comes back to a draft still finds their files.
pub const UNATTACHED_GRACE_SECS: i64 = 8 * 86_400;

/// Removes documents uploaded long ago but never attached to an application (a form that was
/// never sent), so they neither linger in storage nor count against the parent's quota.
pub async fn purge_unattached(app: &App, now: i64) -> Result<usize, crate::db::Error> {
    let stale = store::unattached_before(app.db.pool(), now - UNATTACHED_GRACE_SECS).await?;
    let mut purged = 0;
    for (id, key) in stale {
        // The row is marked first: a file without a live row is harmless, the reverse is not.
        let marked = store::mark_unattached_deleted(app.db.pool(), id, now).await?;
        if marked == 1 {
            if let Err(e) = app.storage.delete(&key).await {
                tracing::warn!(error = %e, document = id, "unattached document's file not deleted");
            }
            purged += 1;
        }
    }
    Ok(purged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(DocumentKind::parse("passport"), None);
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name("C:\\fakepath\\ПМПК.pdf"), "ПМПК.pdf");
        assert_eq!(clean_file_name("../../etc/x.png"), "x.png");
        assert_eq!(clean_file_name(" a\r\nb.pdf "), "ab.pdf");
        let long = format!("{}.pdf", "я".repeat(300));
        let cut = clean_file_name(&long);
        assert!(
            cut.ends_with(".pdf") && cut.chars().count() <= MAX_NAME_CHARS,
            "{cut}"
        );
    }

    #[test]
    fn errors_have_messages() {
        assert_eq!(
            DocumentError::Upload(UploadError::TooLarge).message_key(),
            "upload-error-too-large"
        );
        assert_eq!(DocumentError::Quota.message_key(), "documents-error-quota");
        assert_eq!(
            DocumentError::TooMany.message_key(),
            "documents-error-count"
        );
    }
}
