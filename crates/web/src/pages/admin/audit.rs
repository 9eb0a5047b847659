//! The audit log, read-only: newest first, filtered by action prefix and subject, paged by id.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;

use super::display_phone;
use crate::access::Admin;
use crate::error::PageResult;
use crate::page::{FormState, Page};
use kezek_core::domain::time;
use kezek_core::staff::audit_log::{self, AuditFilter, Cursor, PAGE_SIZE};

struct EntryView {
    time: String,
    actor: Option<String>,
    action: String,
    subject: String,
    ip: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditTemplate<'a> {
    page: &'a Page,
    form: FormState,
    entries: Vec<EntryView>,
    newer_href: Option<String>,
    older_href: Option<String>,
}

/// When an entry was written, in Kazakhstan's time and the sortable `YYYY-MM-DD HH:MM` the log
/// has always shown (the audit tests read it), unlike the pages' `DD.MM.YYYY`.
fn entry_time(at: i64) -> String {
    time::local(at)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// A link to another page of the same filtered log.
fn href(filter: &AuditFilter, cursor: (&str, i64)) -> String {
    let id = cursor.1.to_string();
    let mut query = vec![];
    if !filter.action_prefix.is_empty() {
        query.push(("action", filter.action_prefix.as_str()));
    }
    if !filter.subject.is_empty() {
        query.push(("subject", filter.subject.as_str()));
    }
    query.push((cursor.0, id.as_str()));
    format!(
        "/admin/audit?{}",
        serde_urlencoded::to_string(query).unwrap_or_default()
    )
}

pub async fn log(_: Admin, page: Page, Query(query): Query<HashMap<String, String>>) -> PageResult {
    let text = |name: &str| query.get(name).map_or("", |v| v.trim()).to_owned();
    let id = |name: &str| query.get(name).and_then(|v| v.parse::<i64>().ok());
    let filter = AuditFilter {
        action_prefix: text("action"),
        subject: text("subject"),
    };
    let cursor = match (id("before"), id("after")) {
        (Some(before), _) => Cursor::Before(before),
        (None, Some(after)) => Cursor::After(after),
        (None, None) => Cursor::Newest,
    };
    let found = audit_log::page(page.app.db.pool(), &filter, cursor, PAGE_SIZE).await?;
    let entries = found
        .entries
        .into_iter()
        .map(|e| EntryView {
            time: entry_time(e.at),
            actor: e
                .actor_phone
                .as_deref()
                .map(display_phone)
                .or_else(|| e.actor_user_id.map(|id| format!("#{id}"))),
            action: e.action,
            subject: e.subject.unwrap_or_default(),
            ip: e.ip.unwrap_or_default(),
            detail: e.detail.unwrap_or_default(),
        })
        .collect();
    let mut form = FormState::default();
    form.set_value("action", filter.action_prefix.clone());
    form.set_value("subject", filter.subject.clone());
    let page = page.titled("admin-audit-title");
    page.render(
        StatusCode::OK,
        &AuditTemplate {
            page: &page,
            form,
            entries,
            newer_href: found.newer.map(|id| href(&filter, ("after", id))),
            older_href: found.older.map(|id| href(&filter, ("before", id))),
        },
    )
}
