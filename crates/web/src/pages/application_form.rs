//! "Добавить заявление": the parent's application form at `/cabinet/applications/new`, as the
//! parent's guide describes it (child, "Тип группы", "Тип коррекции", "Заключение ПМПК",
//! language, region → district → locality → organizations in order of preference, "Социальный
//! статус", "Внеочередной", consent, "Отправить").
//!
//! One multipart form that works without JavaScript: the "Показать организации" button
//! (`action=refresh`) re-renders it with the choices for what is selected so far and files
//! nothing. Every uploaded file is stored at once (`documents::upload`) and carried afterwards
//! as a hidden document id, so no re-render loses it. "Добавить ребенка" (`action=add_child`)
//! keeps everything filled so far as a draft under the form's submission key
//! (`kezek_core::applications::drafts`) and goes to "Добавить ребенка" with the way back; the form
//! at `?draft=KEY&child=ID` comes back as it was, with the new child chosen. The rules live in
//! `kezek_core::applications`; these handlers only translate.

use anyhow::anyhow;
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Query};
use axum::http::StatusCode;
use axum::routing::get;

use super::documents::{body_limit, read_upload, upload_error};
use crate::access::Parent;
use crate::error::PageResult;
use crate::page::{Fields, FormState, Page, field, parse_date, see_other, see_other_with_flash};
use kezek_core::app::App;
use kezek_core::applications::drafts::{self, Draft, DraftError};
use kezek_core::applications::{
    self, ApplicationError, ApplicationInput, PmpkConclusion, PrivilegeClaim,
};
use kezek_core::audit::Actor;
use kezek_core::children::{self, Child};
use kezek_core::documents::{self, DocumentKind};
use kezek_core::domain::application::{MAX_PRIVILEGE_DOCUMENTS, unique_in_order};
use kezek_core::domain::{Kato, Names, time};
use kezek_core::orgs::GroupKind;
use kezek_core::reference::{self, KatoUnit, ReferenceKind};
use kezek_core::tokens::random_token;

const PATH: &str = "/cabinet/applications/new";

/// How many files at their largest one post's body may hold (the conclusion, the referral and
/// a couple of privilege papers); how many files it may carry at all is
/// `documents::MAX_FILES_PER_POST`.
const MAX_FILES: usize = 4;

pub fn routes() -> Router<App> {
    Router::new().route(
        PATH,
        get(new_form)
            .post(new_submit)
            .layer(DefaultBodyLimit::max(body_limit(MAX_FILES))),
    )
}

/// A document already uploaded in this form.
pub struct Uploaded {
    pub id: i64,
    pub name: String,
}

/// What the form carries besides its plain values: the uploaded documents.
#[derive(Default)]
struct Attached {
    pmpk: Option<i64>,
    referral: Option<i64>,
    privilege: Vec<i64>,
}

/// One "N-й выбор" select of organizations.
pub struct Slot {
    pub name: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "application_form.html")]
struct FormTemplate {
    page: Page,
    form: FormState,
    action: String,
    children: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    correction_types: Vec<(String, String)>,
    languages: Vec<(String, String)>,
    region_name: String,
    districts: Vec<(String, String)>,
    localities: Vec<(String, String)>,
    organizations: Vec<(String, String)>,
    /// Why no organization can be offered yet, when none is.
    organizations_hint: Option<String>,
    slots: Vec<Slot>,
    social_status: Vec<String>,
    categories: Vec<(String, String)>,
    pmpk: Option<Uploaded>,
    referral: Option<Uploaded>,
    privilege: Vec<Uploaded>,
}

impl FormTemplate {
    fn is_kind(&self, kind: &str) -> bool {
        self.form.value("kind") == kind
    }
}

#[derive(serde::Deserialize)]
struct NewQuery {
    child: Option<i64>,
    /// The submission key of a draft saved by "Добавить ребенка".
    draft: Option<String>,
}

async fn new_form(Parent(actor): Parent, page: Page, Query(query): Query<NewQuery>) -> PageResult {
    let draft = match query.draft.as_deref() {
        Some(key) => drafts::load(&page.app.db, actor.user_id, key)
            .await?
            .map(|d| (key.to_owned(), d)),
        None => None,
    };
    let (mut form, attached) = match draft {
        // The parent's own draft: every value and file as they were, under the same key.
        Some((key, draft)) => {
            let values = draft.values.into_iter().collect();
            let mut form = FormState::with_values(&values);
            form.set_value("submission_key", key);
            // A draft saved before its limits existed may carry more ids than a form takes.
            let mut privilege = unique_in_order(&draft.privilege_documents);
            privilege.truncate(MAX_PRIVILEGE_DOCUMENTS);
            let attached = Attached {
                pmpk: draft.pmpk_document,
                referral: draft.referral_document,
                privilege,
            };
            (form, attached)
        }
        None => {
            let mut form = FormState::default();
            form.set_value("kind", GroupKind::Regular.as_str());
            form.set_value("submission_key", random_token());
            (form, Attached::default())
        }
    };
    if let Some(child) = query.child {
        form.set_value("child_id", child.to_string());
    }
    render(page, &actor, form, attached, StatusCode::OK).await
}

/// The address of "Добавить ребенка" that comes back to the draft under `key`.
fn add_child_path(key: &str) -> String {
    format!("/cabinet/children/new?back={PATH}%3Fdraft%3D{key}")
}

/// "Добавить ребенка" pressed on the form: keeps what was filled in as a draft and leaves for
/// the child's form, which comes back here once the child is saved.
async fn leave_for_child(
    page: Page,
    actor: &Actor,
    posted: Posted,
    mut form: FormState,
) -> PageResult {
    let mut values = posted.fields;
    values.remove("action");
    values.remove("csrf");
    let posted_key = values.remove("submission_key").unwrap_or_default();
    let draft = Draft {
        values: values.into_iter().collect(),
        pmpk_document: posted.attached.pmpk,
        referral_document: posted.attached.referral,
        privilege_documents: posted.attached.privilege.clone(),
    };
    let now = page.app.now();
    let db = &page.app.db;
    if let Err(e) = drafts::purge_old(db, now).await {
        tracing::warn!(error = %e, "old application drafts were not purged");
    }
    let mut key = Some(posted_key).filter(|k| drafts::valid_key(k.trim()));
    // A key that cannot hold a draft (made up, or another parent's) gets a fresh one; the form
    // is not filed yet, so nothing depends on the old key.
    for _ in 0..2 {
        let candidate = key.take().unwrap_or_else(random_token);
        match drafts::save(db, actor.user_id, candidate.trim(), &draft, now).await {
            Ok(()) => return Ok(see_other(&add_child_path(candidate.trim()))),
            Err(DraftError::Key) => continue,
            // Everything typed stays on the form; only the draft is not kept.
            Err(DraftError::TooLarge) => {
                form.set_error(None, page.t("application-form-error-draft-too-large"));
                let status = StatusCode::UNPROCESSABLE_ENTITY;
                return render(page, actor, form, posted.attached, status).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(anyhow!("no submission key could hold the draft").into())
}

/// The form as sent: its plain values, the carried document ids, and any refusals (a field's
/// name, or `general`, with the message key).
struct Posted {
    fields: Fields,
    attached: Attached,
    upload_errors: Vec<(String, &'static str)>,
}

/// A text field's value, read only up to `max` bytes: a longer one is `None` and the rest of
/// it is skipped unread, so an oversized value is never held whole.
async fn read_text(
    mut field: axum::extract::multipart::Field<'_>,
    max: usize,
) -> Result<Option<String>, axum::extract::multipart::MultipartError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        if bytes.len() + chunk.len() > max {
            return Ok(None);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

async fn read_form(page: &Page, actor: &Actor, mut multipart: Multipart) -> Posted {
    let mut posted = Posted {
        fields: Fields::new(),
        attached: Attached::default(),
        upload_errors: Vec::new(),
    };
    fn refuse(posted: &mut Posted, name: &str, key: &'static str) {
        if !posted
            .upload_errors
            .iter()
            .any(|(n, k)| n == name && *k == key)
        {
            posted.upload_errors.push((name.to_owned(), key));
        }
    }
    let mut new_pmpk = None;
    let mut new_referral = None;
    let mut new_privilege = Vec::new();
    let mut files = 0;
    loop {
        let next = match multipart.next_field().await {
            Ok(Some(next)) => next,
            Ok(None) => break,
            Err(e) => {
                refuse(&mut posted, "general", upload_error(&e).message_key());
                break;
            }
        };
        let name = next.name().unwrap_or_default().to_owned();
        if next.file_name().is_some() {
            let (field_name, kind) = match name.as_str() {
                "pmpk_file" => ("pmpk_document", DocumentKind::PmpkConclusion),
                "referral_file" => ("referral_document", DocumentKind::PhthisiatricianReferral),
                "privilege_files" => ("privilege_documents", DocumentKind::PrivilegeEvidence),
                _ => continue,
            };
            let (file_name, bytes) = match read_upload(next).await {
                Ok(read) => read,
                Err(e) => {
                    refuse(&mut posted, field_name, e.message_key());
                    break;
                }
            };
            // A file input left empty still sends an empty part.
            if file_name.is_empty() && bytes.is_empty() {
                continue;
            }
            // Counted before anything is stored: the files past the limit are not kept.
            files += 1;
            if files > documents::MAX_FILES_PER_POST {
                refuse(&mut posted, field_name, "documents-error-files-per-post");
                continue;
            }
            if kind == DocumentKind::PrivilegeEvidence
                && posted.attached.privilege.len() + new_privilege.len() >= MAX_PRIVILEGE_DOCUMENTS
            {
                refuse(
                    &mut posted,
                    field_name,
                    "application-error-privilege-documents-too-many",
                );
                continue;
            }
            let now = page.app.now();
            match documents::upload(
                &page.app,
                actor,
                actor.user_id,
                kind,
                &file_name,
                &bytes,
                now,
            )
            .await
            {
                Ok(document) => match kind {
                    DocumentKind::PmpkConclusion => new_pmpk = Some(document.id),
                    DocumentKind::PhthisiatricianReferral => new_referral = Some(document.id),
                    DocumentKind::PrivilegeEvidence => new_privilege.push(document.id),
                },
                Err(e) => {
                    if let documents::DocumentError::Storage(_)
                    | documents::DocumentError::Database(_) = &e
                    {
                        tracing::error!(error = %e, "document upload failed");
                    }
                    refuse(&mut posted, field_name, e.message_key());
                }
            }
            continue;
        }
        let value = match read_text(next, drafts::MAX_FIELD_BYTES).await {
            // Refused like every form's fields (see `crate::text`); the rest of what was typed
            // stays on the form.
            Ok(Some(value))
                if kezek_core::domain::text::forbidden_char(&name, false).is_some()
                    || kezek_core::domain::text::forbidden_char(
                        &value,
                        crate::text::multiline(&name),
                    )
                    .is_some() =>
            {
                refuse(&mut posted, "general", "error-control-characters-removed");
                refuse(&mut posted, &name, "error-field-control-characters");
                let kept = kezek_core::domain::text::without_forbidden(
                    &value,
                    crate::text::multiline(&name),
                );
                let name = kezek_core::domain::text::without_forbidden(&name, false);
                if !name.is_empty() && posted.fields.len() < drafts::MAX_FIELDS {
                    posted.fields.insert(name, kept);
                }
                continue;
            }
            Ok(Some(value)) => value,
            // Nothing of an oversized value is kept; the other fields still are.
            Ok(None) => {
                refuse(&mut posted, &name, "application-form-error-field-too-long");
                continue;
            }
            Err(e) => {
                refuse(&mut posted, "general", upload_error(&e).message_key());
                break;
            }
        };
        match name.as_str() {
            "pmpk_document" => posted.attached.pmpk = value.trim().parse().ok(),
            "referral_document" => posted.attached.referral = value.trim().parse().ok(),
            "privilege_document" => {
                // Counted before any is looked up: past the limit the ids are not even kept.
                if let Ok(id) = value.trim().parse() {
                    if posted.attached.privilege.len() < MAX_PRIVILEGE_DOCUMENTS {
                        posted.attached.privilege.push(id);
                    } else {
                        refuse(
                            &mut posted,
                            "privilege_documents",
                            "application-error-privilege-documents-too-many",
                        );
                    }
                }
            }
            // The form's own fields are a few dozen with short names; anything beyond is not
            // kept (and would not fit a draft).
            _ if name.len() > drafts::MAX_NAME_BYTES
                || (posted.fields.len() >= drafts::MAX_FIELDS
                    && !posted.fields.contains_key(&name)) =>
            {
                refuse(
                    &mut posted,
                    "general",
                    "application-form-error-too-many-fields",
                );
            }
            _ => {
                posted.fields.insert(name, value);
            }
        }
    }
    // A newly chosen file replaces the one carried before.
    if new_pmpk.is_some() {
        posted.attached.pmpk = new_pmpk;
    }
    if new_referral.is_some() {
        posted.attached.referral = new_referral;
    }
    posted.attached.privilege.extend(new_privilege);
    posted.attached.privilege = unique_in_order(&posted.attached.privilege);
    posted.attached.privilege.truncate(MAX_PRIVILEGE_DOCUMENTS);
    posted
}

/// The service's input from the form's values: only what the chosen group type needs.
fn input_of(fields: &Fields, attached: &Attached, slots: usize) -> Option<ApplicationInput> {
    let kind = GroupKind::parse(field(fields, "kind"))?;
    let text = |name: &str| field(fields, name).trim().to_owned();
    let correctional = kind == GroupKind::Correctional;
    let organization_ids = (1..=slots)
        .filter_map(|n| text(&format!("org_{n}")).parse().ok())
        .collect();
    Some(ApplicationInput {
        child_id: text("child_id").parse().unwrap_or(0),
        kind,
        correction_type: Some(text("correction_type")).filter(|c| correctional && !c.is_empty()),
        language: text("language"),
        kato: text("kato"),
        organization_ids,
        pmpk: correctional.then(|| PmpkConclusion {
            number: text("pmpk_number"),
            date: parse_date(field(fields, "pmpk_date")),
            expires: parse_date(field(fields, "pmpk_expires")),
            document_id: attached.pmpk,
        }),
        referral_document_id: attached.referral.filter(|_| kind == GroupKind::Sanatorium),
        privilege: (!field(fields, "extraordinary").is_empty()).then(|| PrivilegeClaim {
            category: text("privilege_category"),
            document_ids: attached.privilege.clone(),
        }),
        consent: !field(fields, "consent").is_empty(),
        submission_key: text("submission_key"),
    })
}

async fn new_submit(Parent(actor): Parent, page: Page, multipart: Multipart) -> PageResult {
    let posted = read_form(&page, &actor, multipart).await;
    let mut form = FormState::with_values(&posted.fields);
    if form.value("submission_key").trim().is_empty() {
        form.set_value("submission_key", random_token());
    }
    let region = page.ctx.region.code;
    let mut status = StatusCode::OK;
    for (name, key) in &posted.upload_errors {
        let field_name = (name != "general").then_some(name.as_str());
        form.set_error(field_name, page.t(key));
        status = StatusCode::UNPROCESSABLE_ENTITY;
    }
    let action = field(&posted.fields, "action").to_owned();
    if action == "add_child" && posted.upload_errors.is_empty() {
        return leave_for_child(page, &actor, posted, form).await;
    }
    // "Показать организации" and a refused upload on the way to "Добавить ребенка" only re-render.
    let sending = action != "refresh" && action != "add_child";
    if sending && posted.upload_errors.is_empty() {
        let slots = kezek_core::region_rules::max_preferred_orgs(
            page.app.db.pool(),
            region,
            time::local_date(page.app.now()),
        )
        .await?;
        let Some(input) = input_of(&posted.fields, &posted.attached, slots.max(1) as usize) else {
            form.set_error(Some("kind"), page.t("group-error-kind"));
            return render(
                page,
                &actor,
                form,
                posted.attached,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        };
        match applications::submit(&page.app, &actor, region, &input).await {
            Ok(id) => {
                return Ok(see_other_with_flash(
                    &page.app,
                    &format!("/cabinet/applications/{id}"),
                    "flash-application-form-submitted",
                ));
            }
            Err(ApplicationError::Invalid(errors)) => {
                form.set_error(None, page.t("application-error-invalid"));
                let max = slots.to_string();
                for (name, key) in errors {
                    form.set_error(Some(name), page.t1(key, "max", &max));
                }
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(ApplicationError::ActiveExists) => {
                form.set_error(None, page.t("application-error-active-exists"));
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(e) => return Err(e.into()),
        }
    }
    render(page, &actor, form, posted.attached, status).await
}

/// The name of a carried document, looked up for its owner only.
async fn uploaded(page: &Page, actor: &Actor, id: i64) -> PageResult<Uploaded> {
    let name = match &page.ctx.user {
        Some(user) => documents::get_for(&page.app.db, user, id)
            .await?
            .filter(|d| d.owner_user_id == actor.user_id)
            .map(|d| d.file_name),
        None => None,
    };
    Ok(Uploaded {
        id,
        name: name.unwrap_or_else(|| format!("#{id}")),
    })
}

fn options(items: &[reference::ReferenceItem], lang: &str) -> Vec<(String, String)> {
    items
        .iter()
        .map(|i| (i.code.clone(), i.name(lang).to_owned()))
        .collect()
}

fn unit_options(units: &[KatoUnit], lang: &str) -> Vec<(String, String)> {
    units
        .iter()
        .map(|u| (u.code.clone(), u.name(lang).to_owned()))
        .collect()
}

/// Keeps `name`'s value only when it is one of `choices`; a single choice is taken at once.
fn settle(form: &mut FormState, name: &str, choices: &[(String, String)]) -> Option<String> {
    let current = form.value(name).to_owned();
    if choices.iter().any(|(code, _)| *code == current) {
        return Some(current);
    }
    if let [(only, _)] = choices {
        form.set_value(name, only.clone());
        return Some(only.clone());
    }
    None
}

async fn render(
    page: Page,
    actor: &Actor,
    form: FormState,
    attached: Attached,
    status: StatusCode,
) -> PageResult {
    let parts = build(&page, actor, form, attached).await?;
    let template = FormTemplate {
        page: page.titled("application-form-title"),
        ..parts
    };
    template.page.render(status, &template)
}

/// Everything the form shows, for what is selected so far. `page` is a stand-in replaced by the
/// caller (the template owns its page).
async fn build(
    page: &Page,
    actor: &Actor,
    mut form: FormState,
    attached: Attached,
) -> PageResult<FormTemplate> {
    let db = page.app.db.pool();
    let lang = page.lang_code();
    let my_children: Vec<Child> = children::children_of(db, actor.user_id).await?;
    let children: Vec<(String, String)> = my_children
        .iter()
        .map(|c| {
            let born = time::day(c.birth_date);
            (c.id.to_string(), format!("{} ({born})", c.full_name()))
        })
        .collect();
    let child = settle(&mut form, "child_id", &children)
        .and_then(|id| my_children.iter().find(|c| c.id.to_string() == id));
    let kinds: Vec<(String, String)> = GroupKind::ALL
        .iter()
        .map(|k| {
            let key = format!("application-form-kind-{}", k.as_str());
            (k.as_str().to_owned(), page.t(&key))
        })
        .collect();
    let kind = GroupKind::parse(form.value("kind"));
    let correction_types = options(
        &reference::list(db, ReferenceKind::CorrectionType, false).await?,
        lang,
    );
    let correction_type = settle(&mut form, "correction_type", &correction_types);
    let languages = options(
        &reference::list(db, ReferenceKind::Language, false).await?,
        lang,
    );

    let region = page.ctx.region;
    let region_kato = format!("{:0<9}", region.code);
    // The region itself comes first: organizations registered at the region's level (a city of
    // republican significance often has them) are found only there.
    let region_unit = reference::kato_unit(db, &region_kato).await?;
    let mut districts = Vec::new();
    if let Some(unit) = &region_unit {
        let whole = page.t("application-form-whole-region");
        districts.push((unit.code.clone(), format!("{} — {whole}", unit.name(lang))));
    }
    districts.extend(unit_options(
        &reference::kato_children(db, &region_kato).await?,
        lang,
    ));
    let district = settle(&mut form, "district", &districts);
    let mut localities = Vec::new();
    if let Some(district) = &district {
        let mut units: Vec<KatoUnit> = reference::kato_unit(db, district)
            .await?
            .into_iter()
            .collect();
        if *district != region_kato {
            units.extend(reference::kato_children(db, district).await?);
        }
        localities = unit_options(&units, lang);
    }
    let locality = settle(&mut form, "kato", &localities);

    let max = kezek_core::region_rules::max_preferred_orgs(
        db,
        region.code,
        time::local_date(page.app.now()),
    )
    .await?
    .max(1);
    let wanted = |kind: Option<GroupKind>| match kind {
        None => Some("application-form-hint-kind"),
        Some(GroupKind::Correctional) if correction_type.is_none() => {
            Some("application-form-hint-correction-type")
        }
        _ => None,
    };
    let mut organizations = Vec::new();
    let organizations_hint = match (child, wanted(kind), &locality, kind) {
        (None, _, _, _) => Some("application-form-hint-child"),
        (_, Some(hint), _, _) => Some(hint),
        (_, _, None, _) => Some("application-form-hint-locality"),
        (Some(child), None, Some(locality), Some(kind)) => {
            let prefix = Kato::parse(locality)
                .map(|k| k.prefix().to_owned())
                .unwrap_or_else(|_| locality.clone());
            let birth_year = i64::from(chrono::Datelike::year(&child.birth_date));
            // Only correctional groups have a correction type.
            let correction = correction_type
                .as_deref()
                .filter(|_| kind == GroupKind::Correctional);
            let suitable = applications::store::suitable_organizations(
                &page.app.db,
                &prefix,
                kind,
                correction,
                birth_year,
            )
            .await?;
            organizations = suitable
                .iter()
                .map(|o| {
                    let name = Names::new(&o.name_kk, &o.name_ru, None).get(lang);
                    (o.id.to_string(), format!("{name} — {}", o.address))
                })
                .collect();
            organizations
                .is_empty()
                .then_some("application-form-hint-no-organizations")
        }
        _ => Some("application-form-hint-kind"),
    };
    let slots = (1..=max)
        .map(|n| Slot {
            label: page.t1("application-form-choice", "n", &n.to_string()),
            name: format!("org_{n}"),
        })
        .collect();

    let categories = reference::list(db, ReferenceKind::PrivilegeCategory, true).await?;
    let registry = match child {
        Some(child) => applications::registry_first_priority(&page.app, &child.iin).await?,
        None => Vec::new(),
    };
    let registry: Vec<&str> = registry.iter().map(String::as_str).collect();
    let social_status = kezek_core::domain::application::social_status(
        kind == Some(GroupKind::Correctional),
        &registry,
    )
    .iter()
    .map(|code| {
        categories
            .iter()
            .find(|c| c.code == *code)
            .map_or_else(|| code.clone(), |c| c.name(lang).to_owned())
    })
    .collect();
    let extraordinary: Vec<_> = categories
        .into_iter()
        .filter(|c| c.active == 1 && c.attribute.as_deref() == Some("extraordinary"))
        .collect();

    let pmpk = match attached.pmpk {
        Some(id) => Some(uploaded(page, actor, id).await?),
        None => None,
    };
    let referral = match attached.referral {
        Some(id) => Some(uploaded(page, actor, id).await?),
        None => None,
    };
    let mut privilege = Vec::new();
    for id in &attached.privilege {
        privilege.push(uploaded(page, actor, *id).await?);
    }

    Ok(FormTemplate {
        page: Page::new(page.app.clone(), page.ctx.clone(), "application-form-title"),
        action: PATH.to_owned(),
        children,
        kinds,
        correction_types,
        languages,
        region_name: region.name(lang).to_owned(),
        districts,
        localities,
        organizations,
        organizations_hint: organizations_hint.map(|k| page.t(k)),
        slots,
        social_status,
        categories: options(&extraordinary, lang),
        pmpk,
        referral,
        privilege,
        form,
    })
}
