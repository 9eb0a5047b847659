//! The file outbox: instead of sending, appends each message as one JSON line to a file,
//! for local runs, demos and tests that read the "sent" messages back.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{SecondsFormat, Utc};
use serde::Serialize;

use super::{SmsError, SmsMessage};

#[derive(Debug, Clone)]
pub struct FileGateway {
    path: PathBuf,
}

#[derive(Serialize)]
struct Line<'a> {
    id: i64,
    to: &'a str,
    text: &'a str,
    at: String,
}

impl FileGateway {
    pub fn new(path: PathBuf) -> Self {
        Self { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub async fn send(&self, msg: &SmsMessage) -> Result<(), SmsError> {
        let mut line = serde_json::to_vec(&Line {
            id: msg.id,
            to: &msg.to,
            text: &msg.text,
            at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        })
        .map_err(|e| SmsError::Transient(format!("file outbox: {e}")))?;
        line.push(b'\n');
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || append(&path, &line))
            .await
            .map_err(|e| SmsError::Transient(format!("file outbox: {e}")))?
            .map_err(|e| SmsError::Transient(format!("file outbox {}: {e}", self.path.display())))
    }
}

/// Several processes (a server and a CLI command) may share the file: with O_APPEND a single
/// write of the whole line lands at the end without interleaving with another writer's line.
fn append(path: &Path, line: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(line)?;
    // The relay marks the message sent right after; a crash must not lose a line it counted.
    file.sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn appends_one_json_line_per_message() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("sms.jsonl");
        let gateway = super::super::SmsGateway::File(FileGateway::new(path.clone()));
        assert_eq!(gateway.name(), "file");
        for (id, text) in [(7, "Код: 123456"), (8, "line \"two\"\nwith newline")] {
            gateway
                .send(&SmsMessage {
                    id,
                    to: "+77011234567".into(),
                    text: text.into(),
                })
                .await
                .unwrap();
        }
        let content = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = content.lines().collect();
        assert_eq!(lines.len(), 2);
        let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        let second: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(first["id"], 7);
        assert_eq!(first["to"], "+77011234567");
        assert_eq!(first["text"], "Код: 123456");
        assert_eq!(second["id"], 8);
        assert_eq!(second["text"], "line \"two\"\nwith newline");
        let at = first["at"].as_str().unwrap();
        assert!(at.ends_with('Z'), "{at}");
        chrono::DateTime::parse_from_rfc3339(at).unwrap();
    }

    #[tokio::test]
    async fn unwritable_path_is_transient() {
        let dir = tempfile::tempdir().unwrap();
        // A directory where the file should be.
        let gateway = FileGateway::new(dir.path().to_path_buf());
        let err = gateway
            .send(&SmsMessage {
                id: 1,
                to: "+77011234567".into(),
                text: "x".into(),
            })
            .await
            .unwrap_err();
        assert!(matches!(err, SmsError::Transient(_)), "{err}");
    }
}
