//! "Заявки", as the parent's guide describes them: the lists per group type ("Заявки",
//! "Коррекционные заявки", "Санаторные заявки"), "Подробнее" with every field, the documents and
//! the status history, and deletion through the trash can ("Корзина") after a confirmation page
//! that needs no JavaScript. The rules are in `kezek_core::applications`; these handlers only
//! translate. Another parent's application answers 404 on every route.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::routing::get;

use crate::access::Parent;
use crate::error::{PageError, PageResult};
use crate::page::{Page, see_other_with_flash};
use kezek_core::app::App;
use kezek_core::applications::read::{self, ApplicationDetail, ApplicationSummary};
use kezek_core::applications::store::{self, ApplicationRow, AttachedDocumentRow};
use kezek_core::applications::{self, ApplicationError};
use kezek_core::audit::Actor;
use kezek_core::children::{self, Child};
use kezek_core::domain::application::{ApplicationStatus, Verification, social_status};
use kezek_core::domain::time;
use kezek_core::orgs::GroupKind;
use kezek_core::queue::Standing;
use kezek_core::reference::{self, ReferenceItem, ReferenceKind};

const LIST_PATH: &str = "/cabinet/applications";

pub fn routes() -> Router<App> {
    Router::new()
        .route(LIST_PATH, get(list))
        .route("/cabinet/applications/{id}", get(detail))
        .route(
            "/cabinet/applications/{id}/delete",
            get(confirm_delete).post(delete_submit),
        )
}

// ---- Access ----

/// An application's id from the address; anything that is not a positive number is as unknown
/// as another parent's.
fn application_id(raw: &str) -> Option<i64> {
    raw.parse().ok().filter(|id| *id > 0)
}

/// The parent's application `id`; another parent's is "not found".
async fn application_of(page: &Page, actor: &Actor, id: i64) -> PageResult<ApplicationRow> {
    store::of_parent(page.app.db.pool(), actor.user_id, id)
        .await?
        .ok_or(PageError::NotFound)
}

/// The parent's application `raw_id` from the address.
async fn parents_application(
    page: &Page,
    actor: &Actor,
    raw_id: &str,
) -> PageResult<ApplicationRow> {
    let id = application_id(raw_id).ok_or(PageError::NotFound)?;
    application_of(page, actor, id).await
}

// ---- Shown values ----

/// The page heading of each list, in the guide's words.
fn list_title(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Regular => "applications-title",
        GroupKind::Correctional => "applications-title-correctional",
        GroupKind::Sanatorium => "applications-title-sanatorium",
    }
}

/// A reference item's name from its code; an unknown code shows as itself.
fn reference_name(page: &Page, items: &[ReferenceItem], code: &str) -> String {
    items
        .iter()
        .find(|i| i.code == code)
        .map_or_else(|| code.to_owned(), |i| i.name(page.lang_code()).to_owned())
}

/// An operator's decision as the parent reads it.
fn verification_text(page: &Page, state: Option<Verification>) -> String {
    state.map_or_else(
        || "—".to_owned(),
        |s| page.t(&format!("applications-verification-{}", s.as_str())),
    )
}

/// A history entry's text; events without a translation are shown by their code.
fn event_text(page: &Page, code: &str) -> String {
    let key = format!("applications-event-{}", code.replace('_', "-"));
    if page.app.i18n.has(page.lang(), &key) {
        page.t(&key)
    } else {
        code.to_owned()
    }
}

/// The reason recorded with an event (`{"reason": "…"}`), if any.
fn event_reason(detail: Option<&str>) -> Option<String> {
    let detail: serde_json::Value = serde_json::from_str(detail?).ok()?;
    let reason = detail.get("reason")?.as_str()?.trim();
    (!reason.is_empty()).then(|| reason.to_owned())
}

fn purpose_text(page: &Page, purpose: &str) -> String {
    match purpose {
        "pmpk" | "referral" | "privilege" => page.t(&format!("applications-purpose-{purpose}")),
        other => other.to_owned(),
    }
}

/// The reference lists the pages name codes from; deactivated entries included, so that every
/// stored code has a name.
struct Names {
    correction_types: Vec<ReferenceItem>,
    languages: Vec<ReferenceItem>,
    categories: Vec<ReferenceItem>,
}

impl Names {
    async fn load(page: &Page) -> PageResult<Names> {
        let pool = page.app.db.pool();
        Ok(Names {
            correction_types: reference::list(pool, ReferenceKind::CorrectionType, true).await?,
            languages: reference::list(pool, ReferenceKind::Language, true).await?,
            categories: reference::list(pool, ReferenceKind::PrivilegeCategory, true).await?,
        })
    }
}

/// An application as the list and the detail page show it.
pub struct ApplicationView {
    pub id: i64,
    pub number: String,
    pub child_name: String,
    pub kind: String,
    pub correction_type: Option<String>,
    pub organizations: Vec<String>,
    pub status: String,
    pub registered_at: String,
    /// The ПМПК conclusion's expiry date when it needs renewing soon.
    pub pmpk_warning: Option<String>,
    pub can_delete: bool,
    pub signed: bool,
    /// The place in the first preferred organization's queue while waiting.
    pub queue_place: Option<String>,
}

/// "5-е место из 40".
fn place_text(page: &Page, standing: &Standing) -> String {
    page.t_with(
        "queue-standing-position",
        &[
            ("position", standing.position.to_string()),
            ("total", standing.total.to_string()),
        ],
    )
}

impl ApplicationView {
    /// What the lists show of `summary`, translated.
    fn new(page: &Page, summary: &ApplicationSummary, names: &Names) -> ApplicationView {
        let row = &summary.application;
        let organizations = summary
            .organizations
            .iter()
            .map(|p| {
                kezek_core::domain::Names::new(&p.name_kk, &p.name_ru, None)
                    .get(page.lang_code())
                    .to_owned()
            })
            .collect();
        let status = row.status;
        let today = kezek_core::domain::time::local_date(page.app.now());
        let pmpk_warning = applications::pmpk_expiry(row)
            .filter(|expires| {
                row.kind == GroupKind::Correctional.as_str()
                    && applications::pmpk_expires_soon(*expires, today)
            })
            .map(time::day);
        ApplicationView {
            id: row.id,
            number: row.number.clone().unwrap_or_else(|| row.id.to_string()),
            child_name: summary
                .child
                .as_ref()
                .map_or_else(String::new, Child::full_name),
            kind: page.group_kind(&row.kind),
            correction_type: row
                .correction_type
                .as_deref()
                .map(|c| reference_name(page, &names.correction_types, c)),
            organizations,
            status: page.t(status.message_key()),
            registered_at: time::seconds(row.registered_at),
            pmpk_warning,
            can_delete: status.can_delete(),
            signed: status == ApplicationStatus::Signed,
            queue_place: summary.first_choice.as_ref().map(|s| place_text(page, s)),
        }
    }

    /// One application read on its own, its child as already read.
    async fn load(
        page: &Page,
        row: &ApplicationRow,
        child: Option<&Child>,
        names: &Names,
    ) -> PageResult<ApplicationView> {
        let today = kezek_core::domain::time::local_date(page.app.now());
        let mut conn = page.app.db.pool().acquire().await?;
        let summary = read::summary(&mut conn, row.clone(), child.cloned(), today).await?;
        Ok(ApplicationView::new(page, &summary, names))
    }
}

/// The parent's applications of one group type, as the list shows them.
async fn load_list(
    page: &Page,
    parent_user_id: i64,
    kind: GroupKind,
) -> PageResult<Vec<ApplicationView>> {
    let today = kezek_core::domain::time::local_date(page.app.now());
    let mut conn = page.app.db.pool().acquire().await?;
    let summaries = read::of_parent(&mut conn, parent_user_id, kind, today).await?;
    drop(conn);
    let names = Names::load(page).await?;
    Ok(summaries
        .iter()
        .map(|s| ApplicationView::new(page, s, &names))
        .collect())
}

// ---- Заявки ----

pub struct Tab {
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "applications.html")]
struct ListTemplate<'a> {
    page: &'a Page,
    tabs: Vec<Tab>,
    applications: Vec<ApplicationView>,
}

pub async fn list(
    Parent(actor): Parent,
    page: Page,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let kind = query
        .get("kind")
        .and_then(|k| GroupKind::parse(k))
        .unwrap_or(GroupKind::Regular);
    let page = page.titled(list_title(kind));
    let applications = load_list(&page, actor.user_id, kind).await?;
    let tabs = GroupKind::ALL
        .into_iter()
        .map(|k| Tab {
            href: match k {
                GroupKind::Regular => LIST_PATH.to_owned(),
                other => format!("{LIST_PATH}?kind={}", other.as_str()),
            },
            label: page.t(list_title(k)),
            current: k == kind,
        })
        .collect();
    page.render(
        StatusCode::OK,
        &ListTemplate {
            page: &page,
            tabs,
            applications,
        },
    )
}

// ---- Подробнее ----

pub struct DocumentView {
    pub id: i64,
    pub file_name: String,
    pub purpose: String,
}

pub struct EventView {
    pub at: String,
    pub text: String,
    /// An operator's reason (of a rejection), when the event carries one.
    pub reason: Option<String>,
}

/// Every field of an application, beyond what the list shows.
pub struct DetailView {
    pub summary: ApplicationView,
    pub list_href: String,
    pub language: String,
    pub locality: String,
    pub social_status: Vec<String>,
    pub correctional: bool,
    pub sanatorium: bool,
    pub pmpk_number: String,
    pub pmpk_date: String,
    pub pmpk_expires: String,
    pub pmpk_verification: String,
    pub referral_verification: String,
    pub privilege: Option<(String, String)>,
    pub consent: String,
    pub documents: Vec<DocumentView>,
    pub history: Vec<EventView>,
    pub positions: Vec<PositionView>,
}

/// The application's place in one preferred organization's queue, and why.
pub struct PositionView {
    pub organization: String,
    /// "5-е место из 40", or `None` while not waiting.
    pub position: Option<String>,
    pub ahead_by_category: String,
    pub ahead_by_date: String,
    pub queue_href: String,
    /// (when, "7 → 5", cause), oldest first.
    pub history: Vec<(String, String, String)>,
}

/// The application's place at each organization it lists, as "Подробнее" shows it.
fn position_views(page: &Page, detail: &ApplicationDetail) -> Vec<PositionView> {
    let row = &detail.summary.application;
    let out_of_queue = page.t("queue-history-out");
    let place = |p: Option<u64>| p.map_or_else(|| out_of_queue.clone(), |p| p.to_string());
    let count = |n: u64| n.to_string();
    detail
        .positions
        .iter()
        .map(|o| {
            let organization = kezek_core::domain::Names::new(&o.name_kk, &o.name_ru, None)
                .get(page.lang_code())
                .to_owned();
            let query = serde_urlencoded::to_string([
                ("kato", format!("{:0<9}", row.kato)),
                ("kind", row.kind.clone()),
                ("year", detail.birth_year.unwrap_or_default().to_string()),
                (
                    "correction",
                    row.correction_type.clone().unwrap_or_default(),
                ),
                ("org", o.organization_id.to_string()),
            ])
            .unwrap_or_default();
            PositionView {
                organization,
                position: o.standing.as_ref().map(|s| place_text(page, s)),
                ahead_by_category: o.standing.as_ref().map_or_else(String::new, |s| {
                    page.t1(
                        "queue-standing-ahead-category",
                        "count",
                        &count(s.ahead_by_category()),
                    )
                }),
                ahead_by_date: o.standing.as_ref().map_or_else(String::new, |s| {
                    page.t1(
                        "queue-standing-ahead-date",
                        "count",
                        &count(s.ahead_by_date()),
                    )
                }),
                queue_href: format!("/queue?{query}"),
                history: o
                    .history
                    .iter()
                    .map(|c| {
                        let change = page.t_with(
                            "queue-history-change",
                            &[("from", place(c.from)), ("to", place(c.to))],
                        );
                        (time::seconds(c.at), change, page.t(&c.cause))
                    })
                    .collect(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "applications_detail.html")]
struct DetailTemplate<'a> {
    page: &'a Page,
    a: DetailView,
    /// The refusal shown after a delete that was not allowed.
    message: Option<String>,
}

async fn load_detail(page: &Page, row: &ApplicationRow) -> PageResult<DetailView> {
    let pool = page.app.db.pool();
    let today = kezek_core::domain::time::local_date(page.app.now());
    let mut conn = pool.acquire().await?;
    let detail = read::detail(&mut conn, row.clone(), today).await?;
    drop(conn);
    let names = Names::load(page).await?;
    let summary = ApplicationView::new(page, &detail.summary, &names);
    let locality = reference::kato_name(pool, &row.kato, page.lang_code())
        .await?
        .unwrap_or_else(|| row.kato.clone());
    let approved = row.privilege_verification == Some(Verification::Approved);
    let registry = store::registry_statuses_of(&page.app.db, row.id).await?;
    let verified: Vec<&str> = row
        .privilege_category
        .as_deref()
        .filter(|_| approved)
        .into_iter()
        .chain(registry.iter().map(String::as_str))
        .collect();
    let correctional = row.kind == GroupKind::Correctional.as_str();
    let social_status = social_status(correctional, &verified)
        .iter()
        .map(|code| reference_name(page, &names.categories, code))
        .collect();
    let documents = store::documents_of(&page.app.db, row.id)
        .await?
        .into_iter()
        .map(|d: AttachedDocumentRow| DocumentView {
            id: d.document_id,
            purpose: purpose_text(page, &d.purpose),
            file_name: d.file_name,
        })
        .collect();
    let history = store::events_of(&page.app.db, row.id)
        .await?
        .into_iter()
        .map(|e| EventView {
            at: time::seconds(e.at),
            text: event_text(page, &e.event),
            reason: event_reason(e.detail.as_deref()),
        })
        .collect();
    let consent = store::consent_at(pool, row.id)
        .await?
        .map_or_else(String::new, time::seconds);
    let date = |d: &Option<String>| d.as_deref().map_or_else(String::new, time::iso_day);
    let list_href = match GroupKind::parse(&row.kind) {
        Some(GroupKind::Regular) | None => LIST_PATH.to_owned(),
        Some(kind) => format!("{LIST_PATH}?kind={}", kind.as_str()),
    };
    Ok(DetailView {
        list_href,
        language: reference_name(page, &names.languages, &row.language),
        locality,
        social_status,
        correctional,
        sanatorium: row.kind == GroupKind::Sanatorium.as_str(),
        pmpk_number: row.pmpk_number.clone().unwrap_or_default(),
        pmpk_date: date(&row.pmpk_date),
        pmpk_expires: date(&row.pmpk_expires),
        pmpk_verification: verification_text(page, row.pmpk_verification),
        referral_verification: verification_text(page, row.referral_verification),
        privilege: row.privilege_category.as_deref().map(|c| {
            (
                reference_name(page, &names.categories, c),
                verification_text(page, row.privilege_verification),
            )
        }),
        consent,
        documents,
        history,
        positions: position_views(page, &detail),
        summary,
    })
}

async fn render_detail(
    page: &Page,
    status: StatusCode,
    row: &ApplicationRow,
    message: Option<String>,
) -> PageResult {
    let a = load_detail(page, row).await?;
    page.render(status, &DetailTemplate { page, a, message })
}

pub async fn detail(Parent(actor): Parent, page: Page, Path(raw_id): Path<String>) -> PageResult {
    let row = parents_application(&page, &actor, &raw_id).await?;
    let page = page.titled("applications-details-title");
    render_detail(&page, StatusCode::OK, &row, None).await
}

// ---- Удаление ----

#[derive(Template)]
#[template(path = "applications_delete.html")]
struct DeleteTemplate<'a> {
    page: &'a Page,
    a: ApplicationView,
    question: String,
}

pub async fn confirm_delete(
    Parent(actor): Parent,
    page: Page,
    Path(raw_id): Path<String>,
) -> PageResult {
    let row = parents_application(&page, &actor, &raw_id).await?;
    let page = page.titled("applications-delete-title");
    if row.status == ApplicationStatus::Signed {
        let message = page.t(ApplicationError::CannotDelete.message_key());
        return render_detail(&page, StatusCode::CONFLICT, &row, Some(message)).await;
    }
    let pool = page.app.db.pool();
    let child = children::child_of(pool, row.parent_user_id, row.child_id).await?;
    let names = Names::load(&page).await?;
    let a = ApplicationView::load(&page, &row, child.as_ref(), &names).await?;
    let question = page.t1("applications-delete-question", "number", &a.number);
    page.render(
        StatusCode::OK,
        &DeleteTemplate {
            page: &page,
            a,
            question,
        },
    )
}

pub async fn delete_submit(
    Parent(actor): Parent,
    page: Page,
    Path(raw_id): Path<String>,
) -> PageResult {
    let id = application_id(&raw_id).ok_or(PageError::NotFound)?;
    let kind = application_of(&page, &actor, id).await?.kind;
    match applications::delete(&page.app, &actor, id).await {
        Ok(()) => {
            let to = match GroupKind::parse(&kind) {
                Some(GroupKind::Regular) | None => LIST_PATH.to_owned(),
                Some(k) => format!("{LIST_PATH}?kind={}", k.as_str()),
            };
            Ok(see_other_with_flash(
                &page.app,
                &to,
                "flash-application-deleted",
            ))
        }
        Err(ApplicationError::NotFound) => Err(PageError::NotFound),
        Err(ApplicationError::CannotDelete) => {
            let page = page.titled("applications-details-title");
            let row = application_of(&page, &actor, id).await?;
            let message = page.t(ApplicationError::CannotDelete.message_key());
            render_detail(&page, StatusCode::CONFLICT, &row, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_positive_numbers_are_application_ids() {
        assert_eq!(super::application_id("7"), Some(7));
        assert_eq!(super::application_id("0"), None);
        assert_eq!(super::application_id("new"), None);
        assert_eq!(super::application_id("99999999999999999999"), None);
    }

    #[test]
    fn only_a_written_reason_is_shown() {
        assert_eq!(
            super::event_reason(Some(r#"{"reason":" неразборчиво "}"#)).as_deref(),
            Some("неразборчиво")
        );
        assert_eq!(super::event_reason(Some(r#"{"reason":null}"#)), None);
        assert_eq!(super::event_reason(Some("{}")), None);
        assert_eq!(super::event_reason(None), None);
    }
}
