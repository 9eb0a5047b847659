//! Checking an application before it is filed: every field, with a message key beside it, so the
//! form can show all mistakes at once.

use chrono::NaiveDate;

use super::{ApplicationError, store};
use crate::app::App;
use crate::children::{self, Child};
use crate::documents::DocumentKind;
use crate::domain::application::{MAX_PRIVILEGE_DOCUMENTS, check_preferences};
use crate::orgs::GroupKind;
use crate::orgs::rules::{FieldErrors, known_codes};
use crate::reference::{self, ReferenceKind};

/// The ПМПК conclusion attached to a correctional application.
#[derive(Debug, Clone, Default)]
pub struct PmpkConclusion {
    pub number: String,
    pub date: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
    pub document_id: Option<i64>,
}

/// An extraordinary ("Внеочередной") claim: the category and its supporting documents.
#[derive(Debug, Clone, Default)]
pub struct PrivilegeClaim {
    pub category: String,
    pub document_ids: Vec<i64>,
}

#[derive(Debug, Clone)]
pub struct ApplicationInput {
    pub child_id: i64,
    pub kind: GroupKind,
    pub correction_type: Option<String>,
    pub language: String,
    /// The locality ("населенный пункт") chosen.
    pub kato: String,
    /// In order of preference.
    pub organization_ids: Vec<i64>,
    pub pmpk: Option<PmpkConclusion>,
    pub referral_document_id: Option<i64>,
    pub privilege: Option<PrivilegeClaim>,
    pub consent: bool,
    /// The form's one-time token (see `submit`).
    pub submission_key: String,
}

async fn owns_document(
    app: &App,
    owner: i64,
    id: Option<i64>,
    kind: DocumentKind,
) -> Result<bool, crate::db::Error> {
    let Some(id) = id else { return Ok(false) };
    let n = crate::db::documents::count_owned(app.db.pool(), id, owner, kind.as_str()).await?;
    Ok(n == 1)
}

/// Checks `input` for `parent` in `region_code`; returns the child it is for.
pub(super) async fn validate(
    app: &App,
    parent: i64,
    region_code: &str,
    input: &ApplicationInput,
    now: i64,
) -> Result<Child, ApplicationError> {
    let db = app.db.pool();
    let today = crate::domain::time::local_date(now);
    let mut errors: FieldErrors = Vec::new();
    let child = children::child_of(db, parent, input.child_id).await?;
    match &child {
        None => errors.push(("child_id", "application-error-child")),
        Some(c) if children::is_school_age(c.birth_date, today) => {
            errors.push(("child_id", "application-error-child-school-age"))
        }
        Some(_) => {}
    }
    let known = known_codes(&app.db, now).await?;
    if !known.languages.contains(&input.language) {
        errors.push(("language", "group-error-language-unknown"));
    }
    match input.kind {
        GroupKind::Correctional => {
            match input.correction_type.as_deref() {
                None => errors.push(("correction_type", "group-error-correction-type-required")),
                Some(c) if !known.correction_types.contains(c) => {
                    errors.push(("correction_type", "group-error-correction-type-unknown"))
                }
                Some(_) => {}
            }
            let pmpk = input.pmpk.clone().unwrap_or_default();
            if pmpk.number.trim().is_empty() {
                errors.push(("pmpk_number", "application-error-pmpk-number"));
            }
            if pmpk.date.is_none_or(|d| d > today) {
                errors.push(("pmpk_date", "application-error-pmpk-date"));
            }
            if pmpk.expires.is_none_or(|d| d <= today) {
                errors.push(("pmpk_expires", "application-error-pmpk-expired"));
            }
            if !owns_document(app, parent, pmpk.document_id, DocumentKind::PmpkConclusion).await? {
                errors.push(("pmpk_document", "application-error-pmpk-document"));
            }
        }
        GroupKind::Sanatorium => {
            let doc = input.referral_document_id;
            if !owns_document(app, parent, doc, DocumentKind::PhthisiatricianReferral).await? {
                errors.push(("referral_document", "application-error-referral-document"));
            }
        }
        GroupKind::Regular => {}
    }
    if input.kind != GroupKind::Correctional && input.correction_type.is_some() {
        errors.push((
            "correction_type",
            "group-error-correction-type-not-correctional",
        ));
    }
    let locality_ok = input.kato.starts_with(region_code)
        && reference::kato_unit(db, &input.kato).await?.is_some();
    if !locality_ok {
        errors.push(("kato", "application-error-locality"));
    }
    let max = crate::region_rules::max_preferred_orgs(db, region_code, today).await?;
    if let Err(e) = check_preferences(&input.organization_ids, max as usize) {
        errors.push(("organizations", e.message_key()));
    } else if let Some(child) = &child {
        let birth_year = i64::from(chrono::Datelike::year(&child.birth_date));
        // The organizations must lie in the chosen locality, not just anywhere in the region.
        let area = crate::domain::Kato::parse(&input.kato)
            .map(|k| k.prefix().to_owned())
            .unwrap_or_else(|_| region_code.to_owned());
        let suitable = store::suitable_organizations(
            &app.db,
            &area,
            input.kind,
            input.correction_type.as_deref(),
            birth_year,
        )
        .await?;
        if !input
            .organization_ids
            .iter()
            .all(|id| suitable.iter().any(|o| o.id == *id))
        {
            errors.push(("organizations", "application-error-organization-unsuitable"));
        }
    }
    if let Some(claim) = &input.privilege {
        let category =
            reference::get(db, ReferenceKind::PrivilegeCategory, &claim.category).await?;
        if category.is_none_or(|c| c.active == 0) {
            errors.push(("privilege_category", "application-error-privilege-category"));
        }
        // Counted before any is looked up: a form with thousands of ids costs one comparison.
        let ids = crate::domain::application::unique_in_order(&claim.document_ids);
        let mut documents_ok = !ids.is_empty();
        if ids.len() > MAX_PRIVILEGE_DOCUMENTS {
            errors.push((
                "privilege_documents",
                "application-error-privilege-documents-too-many",
            ));
            documents_ok = true;
        } else {
            for id in &ids {
                documents_ok &=
                    owns_document(app, parent, Some(*id), DocumentKind::PrivilegeEvidence).await?;
            }
        }
        if !documents_ok {
            errors.push((
                "privilege_documents",
                "application-error-privilege-documents",
            ));
        }
    }
    if !input.consent {
        errors.push(("consent", "application-error-consent"));
    }
    match child {
        Some(child) if errors.is_empty() => Ok(child),
        _ => Err(ApplicationError::Invalid(errors)),
    }
}
