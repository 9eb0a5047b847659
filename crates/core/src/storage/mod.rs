//! Stored files (organization photos, parents' documents): checked by their content, kept
//! under random names outside any served folder, read back only through the application.
//! They live on the local disk or, when configured, in an S3-compatible object store reached
//! with a small hand-written client (AWS Signature Version 4 over reqwest): the `object_store`
//! crate would bring aws-lc-rs, a long C build on our two-core CI.

mod s3;

pub use s3::{S3Store, sigv4};

use std::io;
use std::path::PathBuf;

use crate::config::{Settings, StorageSettings};
use crate::tokens::random_token;

/// The kinds of file Kezek accepts, recognised by their first bytes, not by their name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
}

impl FileKind {
    /// The kind the content says it is.
    pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
        if bytes.starts_with(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(FileKind::Png)
        } else {
            None
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
        }
    }

    /// Whether a file named `name` may hold this kind: the extension must agree with the content.
    pub fn matches_name(self, name: &str) -> bool {
        let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        match self {
            FileKind::Pdf => ext == "pdf",
            FileKind::Jpeg => ext == "jpg" || ext == "jpeg",
            FileKind::Png => ext == "png",
        }
    }

    fn from_extension(ext: &str) -> Option<FileKind> {
        match ext {
            "pdf" => Some(FileKind::Pdf),
            "jpg" => Some(FileKind::Jpeg),
            "png" => Some(FileKind::Png),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than allowed")]
    TooLarge,
    #[error("the file is not of an accepted kind")]
    WrongKind,
    #[error("the file's name does not match its content")]
    NameMismatch,
}

impl UploadError {
    pub fn message_key(self) -> &'static str {
        match self {
            UploadError::Empty => "upload-error-empty",
            UploadError::TooLarge => "upload-error-too-large",
            UploadError::WrongKind => "upload-error-kind",
            UploadError::NameMismatch => "upload-error-name",
        }
    }
}

/// Checks an upload: not empty, at most `max_bytes`, one of `accepted` by content, and named
/// with a matching extension.
pub fn check_upload(
    name: &str,
    bytes: &[u8],
    max_bytes: usize,
    accepted: &[FileKind],
) -> Result<FileKind, UploadError> {
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    if bytes.len() > max_bytes {
        return Err(UploadError::TooLarge);
    }
    let kind = FileKind::sniff(bytes)
        .filter(|k| accepted.contains(k))
        .ok_or(UploadError::WrongKind)?;
    if !kind.matches_name(name) {
        return Err(UploadError::NameMismatch);
    }
    Ok(kind)
}

/// Where stored files live: on the local disk (the default) or in an S3-compatible object
/// store. Both take the same keys and refuse the same malformed ones.
#[derive(Clone, Debug)]
pub enum Storage {
    /// Files under `<root>/<area>/<random>.<ext>`, `root` being `<data-dir>/files`.
    Local { root: PathBuf },
    /// Objects `<area>/<random>.<ext>` in one bucket.
    S3(S3Store),
}

/// The areas files are kept in; a key names its area and a random file name.
pub const ORG_PHOTOS: &str = "org-photos";
pub const DOCUMENTS: &str = "documents";

impl Storage {
    /// Local files under `root`.
    pub fn new(root: PathBuf) -> Storage {
        Storage::Local { root }
    }

    /// The storage the settings name.
    pub fn configured(settings: &Settings) -> anyhow::Result<Storage> {
        Ok(match &settings.storage {
            StorageSettings::Local => Storage::new(settings.data_dir.join("files")),
            StorageSettings::S3(s3) => {
                Storage::S3(S3Store::new(s3, crate::outside::http_client())?)
            }
        })
    }

    /// Stores `bytes` and returns the key to read them back with.
    pub async fn put(&self, area: &str, kind: FileKind, bytes: &[u8]) -> io::Result<String> {
        let key = format!("{area}/{}.{}", &random_token()[..32], kind.extension());
        if parse_key(&key) != Some(kind) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "bad storage area",
            ));
        }
        match self {
            Storage::Local { root } => {
                let path = root.join(&key);
                if let Some(dir) = path.parent() {
                    tokio::fs::create_dir_all(dir).await?;
                }
                // Write beside, then rename: a reader never sees half a file.
                let partial = path.with_extension("partial");
                tokio::fs::write(&partial, bytes).await?;
                tokio::fs::rename(&partial, &path).await?;
            }
            Storage::S3(s3) => s3.put(&key, kind, bytes).await?,
        }
        Ok(key)
    }

    /// The bytes and kind stored under `key`; `None` for a key that is not one of ours.
    pub async fn get(&self, key: &str) -> io::Result<Option<(FileKind, Vec<u8>)>> {
        let Some(kind) = parse_key(key) else {
            return Ok(None);
        };
        let bytes = match self {
            Storage::Local { root } => match tokio::fs::read(root.join(key)).await {
                Ok(bytes) => Some(bytes),
                Err(e) if e.kind() == io::ErrorKind::NotFound => None,
                Err(e) => return Err(e),
            },
            Storage::S3(s3) => s3.get(key).await?,
        };
        Ok(bytes.map(|b| (kind, b)))
    }

    /// Removes what `key` names; a missing file is not an error (it is gone either way).
    pub async fn delete(&self, key: &str) -> io::Result<()> {
        if parse_key(key).is_none() {
            return Ok(());
        }
        match self {
            Storage::Local { root } => match tokio::fs::remove_file(root.join(key)).await {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            },
            Storage::S3(s3) => s3.delete(key).await,
        }
    }
}

/// A key is `area/32-hex.ext`: nothing else (no `..`, no slashes) ever reaches the disk.
fn parse_key(key: &str) -> Option<FileKind> {
    let (area, file) = key.split_once('/')?;
    let (name, ext) = file.split_once('.')?;
    let area_ok = !area.is_empty() && area.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
    let name_ok = name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit());
    (area_ok && name_ok)
        .then(|| FileKind::from_extension(ext))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];

    #[test]
    fn uploads_are_checked_by_content_size_and_name() {
        let all = [FileKind::Pdf, FileKind::Jpeg, FileKind::Png];
        assert_eq!(check_upload("a.PNG", PNG, 100, &all), Ok(FileKind::Png));
        assert_eq!(
            check_upload("a.pdf", b"%PDF-1.7 ...", 100, &all),
            Ok(FileKind::Pdf)
        );
        assert_eq!(
            check_upload("a.jpeg", &[0xFF, 0xD8, 0xFF, 0xE0], 100, &all),
            Ok(FileKind::Jpeg)
        );
        assert_eq!(
            check_upload("a.png", b"", 100, &all),
            Err(UploadError::Empty)
        );
        assert_eq!(
            check_upload("a.png", PNG, 5, &all),
            Err(UploadError::TooLarge)
        );
        assert_eq!(
            check_upload("a.png", b"<html>", 100, &all),
            Err(UploadError::WrongKind)
        );
        assert_eq!(
            check_upload("a.pdf", PNG, 100, &all),
            Err(UploadError::NameMismatch)
        );
        assert_eq!(
            check_upload("a.pdf", b"%PDF-1.7", 100, &[FileKind::Png]),
            Err(UploadError::WrongKind)
        );
    }

    #[test]
    fn only_well_formed_keys_reach_the_disk() {
        assert_eq!(
            parse_key("org-photos/0123456789abcdef0123456789abcdef.png"),
            Some(FileKind::Png)
        );
        assert_eq!(parse_key("../etc/passwd"), None);
        assert_eq!(parse_key("org-photos/../../x.png"), None);
        assert_eq!(
            parse_key("org-photos/0123456789abcdef0123456789abcdef.exe"),
            None
        );
    }

    #[tokio::test]
    async fn files_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::new(dir.path().to_owned());
        let key = storage.put(ORG_PHOTOS, FileKind::Png, PNG).await.unwrap();
        assert_eq!(
            storage.get(&key).await.unwrap(),
            Some((FileKind::Png, PNG.to_vec()))
        );
        storage.delete(&key).await.unwrap();
        assert_eq!(storage.get(&key).await.unwrap(), None);
    }
}
