//! The department operator's verification inbox: pending ПМПК conclusions, referrals and
//! privilege claims of the area with their documents, the approve/reject forms, the audited
//! look-up by application number or child's IIN, and the ПМПК conclusions about to expire.
//! The rules live in [`kezek_core::applications::verification`]; this only translates.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query};
use axum::http::StatusCode;
use axum::routing::{get, post};
use fluent_bundle::FluentValue;
use serde::Deserialize;

use crate::access::Operator;
use crate::error::{PageError, PageResult};
use crate::page::{Fields, FormState, Page, field, see_other_with_flash};
use kezek_core::app::App;
use kezek_core::applications::ApplicationRow;
use kezek_core::applications::verification::{self as service, VerificationError, What};
use kezek_core::audit::Actor;
use kezek_core::domain::application::Verification;
use kezek_core::domain::{Kato, time};
use kezek_core::i18n::Lang;
use kezek_core::paging;
use kezek_core::reference::{self, ReferenceKind};

const PATH: &str = "/department/verification";
/// Items shown on one page of the inbox.
const PER_PAGE: u64 = 20;

pub fn routes() -> Router<App> {
    Router::new()
        .route(PATH, get(inbox))
        .route("/department/verification/{id}/{what}", post(decide))
}

/// The operator's area as a KATO code; an area that is not one is no area to verify in.
fn inbox_area(operator: &Operator) -> PageResult<Kato> {
    Kato::parse(operator.area.code())
        .map_err(|_| PageError::Refused(StatusCode::FORBIDDEN, "department-error-no-area"))
}

fn state_key(state: Verification) -> &'static str {
    match state {
        Verification::Pending => "verification-state-pending",
        Verification::Approved => "verification-state-approved",
        Verification::Rejected => "verification-state-rejected",
    }
}

// ---- What the templates show ----

#[derive(Clone)]
pub struct DocumentLink {
    pub id: i64,
    pub label: String,
    pub file_name: String,
}

/// One application as the operator sees it.
#[derive(Clone)]
pub struct ApplicationView {
    pub id: i64,
    pub number: String,
    pub child: String,
    pub birth_date: String,
    pub kind: String,
    pub status: String,
    pub registered: String,
    pub registered_iso: String,
    /// ПМПК number, dates and the privilege category, as lines.
    pub details: Vec<String>,
    /// "ПМПК conclusion: approved", for every item the application has.
    pub states: Vec<String>,
    pub documents: Vec<DocumentLink>,
}

/// A pending item and its decision forms.
pub struct ItemView {
    pub application: ApplicationView,
    pub what: &'static str,
    pub what_label: String,
    pub decide_label: String,
    /// The typed reason and the message beside it, after a refused rejection.
    pub reason: String,
    pub error: Option<String>,
}

impl ItemView {
    pub fn key(&self) -> String {
        format!("{}-{}", self.application.id, self.what)
    }
}

pub struct ExpiringView {
    pub number: String,
    pub child: String,
    pub expires: String,
    pub expired: bool,
}

#[derive(Template)]
#[template(path = "verification.html")]
struct InboxTemplate<'a> {
    page: &'a Page,
    page_number: u64,
    items: Vec<ItemView>,
    count: String,
    page_label: String,
    prev: Option<String>,
    next: Option<String>,
    search: FormState,
    searched: bool,
    found: Vec<ApplicationView>,
    found_items: Vec<ItemView>,
    expiring: Vec<ExpiringView>,
}

async fn category_names(page: &Page) -> Vec<(String, String)> {
    reference::list(page.app.db.pool(), ReferenceKind::PrivilegeCategory, true)
        .await
        .map(|items| {
            items
                .iter()
                .map(|i| (i.code.clone(), i.name(page.lang_code()).to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

async fn view_of(
    page: &Page,
    application: &ApplicationRow,
    categories: &[(String, String)],
) -> PageResult<ApplicationView> {
    let db = &page.app.db;
    let child = service::child_of(db, application.child_id).await?;
    let documents = service::documents_of(db, application.id)
        .await?
        .into_iter()
        .map(|d| DocumentLink {
            id: d.id,
            label: What::parse(&d.purpose)
                .map_or_else(|| d.purpose.clone(), |w| page.t(w.message_key())),
            file_name: d.file_name,
        })
        .collect();
    let mut details = Vec::new();
    if let Some(number) = &application.pmpk_number {
        let date = application.pmpk_date.as_deref().unwrap_or_default();
        let expires = application.pmpk_expires.as_deref().unwrap_or_default();
        details.push(page.app.i18n.get_with(
            page.lang(),
            "verification-pmpk-details",
            &[
                ("number", FluentValue::from(number.as_str())),
                ("date", FluentValue::from(time::iso_day(date))),
                ("expires", FluentValue::from(time::iso_day(expires))),
            ],
        ));
    }
    if let Some(code) = &application.privilege_category {
        let name = categories
            .iter()
            .find(|(c, _)| c == code)
            .map_or(code.as_str(), |(_, n)| n.as_str());
        details.push(page.t1("verification-privilege-category", "category", name));
    }
    let states = What::ALL
        .into_iter()
        .filter_map(|w| {
            w.state(application)
                .map(|s| format!("{}: {}", page.t(w.message_key()), page.t(state_key(s))))
        })
        .collect();
    let status = page.t(application.status.message_key());
    Ok(ApplicationView {
        id: application.id,
        number: application.number.clone().unwrap_or_default(),
        child: child.as_ref().map(|c| c.full_name()).unwrap_or_default(),
        birth_date: child
            .map(|c| time::iso_day(&c.birth_date))
            .unwrap_or_default(),
        kind: page.group_kind(&application.kind),
        status,
        registered: time::minutes(application.registered_at),
        registered_iso: time::machine(application.registered_at),
        details,
        states,
        documents,
    })
}

fn item_view(page: &Page, application: ApplicationView, what: What) -> ItemView {
    let what_label = page.t(what.message_key());
    let decide_label = page.app.i18n.get_with(
        page.lang(),
        "verification-decide-label",
        &[
            ("number", FluentValue::from(application.number.as_str())),
            ("what", FluentValue::from(what_label.as_str())),
        ],
    );
    ItemView {
        application,
        what: what.as_str(),
        what_label,
        decide_label,
        reason: String::new(),
        error: None,
    }
}

/// A refused rejection to show beside its textarea.
struct Refused {
    application_id: i64,
    what: What,
    reason: String,
    message: String,
}

fn page_href(number: u64) -> String {
    if number <= 1 {
        PATH.to_owned()
    } else {
        format!("{PATH}?page={number}")
    }
}

fn page_number(raw: &str) -> u64 {
    paging::requested(Some(raw))
}

#[derive(Deserialize)]
pub struct InboxQuery {
    page: Option<String>,
    q: Option<String>,
}

async fn inbox(operator: Operator, page: Page, Query(query): Query<InboxQuery>) -> PageResult {
    let area = inbox_area(&operator)?;
    let number = page_number(query.page.as_deref().unwrap_or("1"));
    let search = query.q.as_deref().unwrap_or("").trim().to_owned();
    render(page, area, operator.actor, number, &search, None).await
}

async fn render(
    page: Page,
    area: Kato,
    actor: Actor,
    number: u64,
    search: &str,
    refused: Option<Refused>,
) -> PageResult {
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let db = page.app.db.clone();
    let (paged, found_page) = paging::fetch(number, PER_PAGE, |offset, limit| {
        let (db, area) = (&db, &area);
        async move {
            let found = service::inbox(db, area, offset, limit).await?;
            Ok::<_, kezek_core::db::Error>((u64::try_from(found.total).unwrap_or(0), found))
        }
    })
    .await?;
    let (number, pages) = (paged.page, paged.pages);
    let categories = category_names(&page).await;
    let mut items = Vec::new();
    for item in &found_page.items {
        let view = view_of(&page, &item.application, &categories).await?;
        items.push(item_view(&page, view, item.what));
    }
    // The refused item keeps its typed reason and shows the message beside it, even if it
    // is on another page of the inbox.
    if let Some(r) = &refused {
        let existing = items
            .iter_mut()
            .find(|i| i.application.id == r.application_id && i.what == r.what.as_str());
        match existing {
            Some(item) => {
                item.reason = r.reason.clone();
                item.error = Some(r.message.clone());
            }
            None => {
                if let Ok(Some(application)) = service::find_in_area(&db, &area, r.application_id)
                    .await
                    .inspect_err(|e| tracing::error!(error = %e, "refused item lookup failed"))
                {
                    let view = view_of(&page, &application, &categories).await?;
                    let mut item = item_view(&page, view, r.what);
                    item.reason = r.reason.clone();
                    item.error = Some(r.message.clone());
                    items.insert(0, item);
                }
            }
        }
    }

    let mut found = Vec::new();
    let mut found_items = Vec::new();
    let searched = !search.is_empty();
    if searched {
        let rows = service::find(&db, &actor, &area, search, page.app.now()).await?;
        for application in &rows {
            let view = view_of(&page, application, &categories).await?;
            for what in service::pending_of(application) {
                found_items.push(item_view(&page, view.clone(), what));
            }
            found.push(view);
        }
    }

    let today = time::local_date(page.app.now());
    let expiring = service::expiring_pmpk(&db, &area, today).await?;
    let mut expiring_views = Vec::new();
    for application in &expiring {
        let child = service::child_of(&db, application.child_id).await?;
        let expires = kezek_core::applications::pmpk_expiry(application);
        expiring_views.push(ExpiringView {
            number: application.number.clone().unwrap_or_default(),
            child: child.map(|c| c.full_name()).unwrap_or_default(),
            expires: time::iso_day(application.pmpk_expires.as_deref().unwrap_or_default()),
            expired: expires.is_some_and(|d| d < today),
        });
    }

    let count = page.app.i18n.get_with(
        page.lang(),
        "verification-inbox-count",
        &[("count", FluentValue::from(found_page.total))],
    );
    let page_label = page.app.i18n.get_with(
        page.lang(),
        "department-page-of",
        &[
            ("page", FluentValue::from(number)),
            ("pages", FluentValue::from(pages)),
        ],
    );
    let mut search_form = FormState::default();
    search_form.set_value("q", search);
    let page = page.titled("verification-title");
    page.render(
        status,
        &InboxTemplate {
            page: &page,
            page_number: number,
            items,
            count,
            page_label,
            prev: (number > 1).then(|| page_href(number - 1)),
            next: (number < pages).then(|| page_href(number + 1)),
            search: search_form,
            searched,
            found,
            found_items,
            expiring: expiring_views,
        },
    )
}

async fn decide(
    operator: Operator,
    page: Page,
    Path((id, what)): Path<(String, String)>,
    Form(fields): Form<Fields>,
) -> PageResult {
    let area = inbox_area(&operator)?;
    let actor = operator.actor;
    let (Ok(id), Some(what)) = (id.trim().parse::<i64>(), What::parse(&what)) else {
        return Err(PageError::NotFound);
    };
    let approve = match field(&fields, "decision") {
        "approve" => true,
        "reject" => false,
        _ => {
            return Err(PageError::Refused(
                StatusCode::BAD_REQUEST,
                "error-not-found",
            ));
        }
    };
    let number = page_number(field(&fields, "page"));
    let reason = field(&fields, "reason");
    let lang: Lang = service::parent_sms_lang(&page.app.db, id).await?;
    let result = service::decide(&page.app, &actor, id, what, approve, Some(reason), lang).await;
    let back = page_href(number);
    match result {
        Ok(()) => {
            let key = if approve {
                "flash-verification-approved"
            } else {
                "flash-verification-rejected"
            };
            Ok(see_other_with_flash(&page.app, &back, key))
        }
        Err(VerificationError::AlreadyDecided) => Ok(see_other_with_flash(
            &page.app,
            &back,
            "flash-verification-already-decided",
        )),
        Err(VerificationError::NotFound) => Err(PageError::NotFound),
        Err(e @ (VerificationError::ReasonRequired | VerificationError::ReasonTooLong)) => {
            let refused = Refused {
                application_id: id,
                what,
                reason: reason.to_owned(),
                message: page.t(e.message_key()),
            };
            render(page, area, actor, number, "", Some(refused)).await
        }
        Err(e @ VerificationError::Internal(_)) => Err(e.into()),
    }
}
