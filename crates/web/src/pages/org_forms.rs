//! The organization card and group forms, shared by the organization staff's and the
//! department's cabinets: reading the typed fields, the choices they offer, and showing errors.

use fluent_bundle::FluentValue;

use crate::error::PageResult;
use crate::page::{Fields, FormState, Page, field};
use kezek_core::domain::{Bin, Kato};
use kezek_core::orgs::cards::CardError;
use kezek_core::orgs::rules::FieldErrors;
use kezek_core::orgs::store::{GroupInput, OrganizationInput};
use kezek_core::orgs::{Group, GroupKind, Organization, Ownership};
use kezek_core::reference::{self, ReferenceKind};

/// A checkbox per language: `language-kk`, `language-ru`, … (one name per box, since a
/// urlencoded form read into a map keeps one value per name).
const LANGUAGE_BOX: &str = "language-";

fn optional(fields: &Fields, name: &str) -> Option<String> {
    let v = field(fields, name).trim();
    (!v.is_empty()).then(|| v.to_owned())
}

/// A coordinate typed with a dot or a comma; `Err` when something unreadable was typed.
fn coordinate(fields: &Fields, name: &str) -> Result<Option<f64>, ()> {
    match optional(fields, name) {
        None => Ok(None),
        Some(v) => v.replace(',', ".").parse::<f64>().map(Some).map_err(|_| ()),
    }
}

/// Reads a card form. `fixed_bin` is the BIN of an existing organization (not editable).
pub fn organization_input(
    fields: &Fields,
    fixed_bin: Option<&str>,
) -> Result<OrganizationInput, FieldErrors> {
    let mut errors: FieldErrors = Vec::new();
    let bin = Bin::parse(fixed_bin.unwrap_or(field(fields, "bin")))
        .map_err(|e| errors.push(("bin", e.message_key())))
        .ok();
    let kato = Kato::parse(field(fields, "kato"))
        .map_err(|e| errors.push(("kato", e.message_key())))
        .ok();
    let ownership = Ownership::parse(field(fields, "ownership"));
    if ownership.is_none() {
        errors.push(("ownership", "org-error-ownership"));
    }
    let latitude = coordinate(fields, "latitude")
        .map_err(|_| errors.push(("latitude", "org-error-latitude-range")));
    let longitude = coordinate(fields, "longitude")
        .map_err(|_| errors.push(("longitude", "org-error-longitude-range")));
    let mut languages: Vec<String> = fields
        .iter()
        .filter(|(k, v)| k.starts_with(LANGUAGE_BOX) && !v.is_empty())
        .map(|(k, _)| k[LANGUAGE_BOX.len()..].to_owned())
        .collect();
    languages.sort();
    match (bin, kato, ownership, latitude, longitude) {
        (Some(bin), Some(kato), Some(ownership), Ok(latitude), Ok(longitude))
            if errors.is_empty() =>
        {
            Ok(OrganizationInput {
                bin,
                name_kk: field(fields, "name_kk").trim().to_owned(),
                name_ru: field(fields, "name_ru").trim().to_owned(),
                kato,
                address: field(fields, "address").trim().to_owned(),
                phone: optional(fields, "phone"),
                email: optional(fields, "email"),
                website: optional(fields, "website"),
                ownership,
                latitude,
                longitude,
                working_hours: optional(fields, "working_hours"),
                languages,
                description: optional(fields, "description"),
                head_name: optional(fields, "head_name"),
            })
        }
        _ => Err(errors),
    }
}

/// A stored card as form values, for the edit page.
pub fn organization_values(org: &Organization) -> FormState {
    let mut form = FormState::default();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    for (name, value) in [
        ("bin", org.bin.clone()),
        ("name_kk", org.name_kk.clone()),
        ("name_ru", org.name_ru.clone()),
        ("kato", org.kato.clone()),
        ("address", org.address.clone()),
        ("phone", text(&org.phone)),
        ("email", text(&org.email)),
        ("website", text(&org.website)),
        ("ownership", org.ownership.clone()),
        (
            "latitude",
            org.latitude.map(|v| v.to_string()).unwrap_or_default(),
        ),
        (
            "longitude",
            org.longitude.map(|v| v.to_string()).unwrap_or_default(),
        ),
        ("working_hours", text(&org.working_hours)),
        ("description", text(&org.description)),
        ("head_name", text(&org.head_name)),
    ] {
        form.set_value(name, value);
    }
    for code in org
        .languages
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        form.set_value(&format!("{LANGUAGE_BOX}{code}"), "1");
    }
    form
}

pub fn group_input(fields: &Fields) -> Result<GroupInput, FieldErrors> {
    let mut errors: FieldErrors = Vec::new();
    let birth_year = field(fields, "birth_year").trim().parse::<i64>();
    if birth_year.is_err() {
        errors.push(("birth_year", "group-error-birth-year-range"));
    }
    let capacity = field(fields, "capacity").trim().parse::<i64>();
    if capacity.is_err() {
        errors.push(("capacity", "group-error-capacity-range"));
    }
    let kind = GroupKind::parse(field(fields, "kind"));
    if kind.is_none() {
        errors.push(("kind", "group-error-kind"));
    }
    match (birth_year, capacity, kind) {
        (Ok(birth_year), Ok(capacity), Some(kind)) => Ok(GroupInput {
            name: field(fields, "name").trim().to_owned(),
            birth_year,
            age_group: optional(fields, "age_group"),
            language: field(fields, "language").trim().to_owned(),
            kind,
            correction_type: optional(fields, "correction_type"),
            capacity,
        }),
        _ => Err(errors),
    }
}

pub fn group_values(group: &Group) -> FormState {
    let mut form = FormState::default();
    for (name, value) in [
        ("name", group.name.clone()),
        ("birth_year", group.birth_year.to_string()),
        ("age_group", group.age_group.clone().unwrap_or_default()),
        ("language", group.language.clone()),
        ("kind", group.kind.clone()),
        (
            "correction_type",
            group.correction_type.clone().unwrap_or_default(),
        ),
        ("capacity", group.capacity.to_string()),
    ] {
        form.set_value(name, value);
    }
    form
}

/// The choices the card and group forms offer, in the visitor's language.
pub struct Choices {
    pub languages: Vec<(String, String)>,
    pub correction_types: Vec<(String, String)>,
    pub age_groups: Vec<(String, String)>,
    pub kinds: Vec<(String, String)>,
    pub ownerships: Vec<(String, String)>,
}

impl Choices {
    fn name_in<'a>(list: &'a [(String, String)], code: &'a str) -> &'a str {
        list.iter()
            .find(|(c, _)| c == code)
            .map_or(code, |(_, name)| name.as_str())
    }

    /// A language of instruction's name from its code (the code itself if unknown).
    pub fn language_name<'a>(&'a self, code: &'a str) -> &'a str {
        Self::name_in(&self.languages, code)
    }

    pub fn correction_name<'a>(&'a self, code: &'a str) -> &'a str {
        Self::name_in(&self.correction_types, code)
    }
}

pub async fn choices(page: &Page) -> PageResult<Choices> {
    let lang = page.lang_code();
    let items = |kind| async move {
        reference::list(page.app.db.pool(), kind, false)
            .await
            .map(|list| {
                list.into_iter()
                    .map(|i| (i.code.clone(), i.name(lang).to_owned()))
                    .collect()
            })
    };
    Ok(Choices {
        languages: items(ReferenceKind::Language).await?,
        correction_types: items(ReferenceKind::CorrectionType).await?,
        age_groups: items(ReferenceKind::AgeGroup).await?,
        kinds: GroupKind::ALL
            .iter()
            .map(|k| (k.as_str().to_owned(), page.t(k.message_key())))
            .collect(),
        ownerships: [Ownership::State, Ownership::Private]
            .iter()
            .map(|o| (o.as_str().to_owned(), page.t(o.message_key())))
            .collect(),
    })
}

/// Puts field errors (message keys) beside their fields.
pub fn show_field_errors(page: &Page, form: &mut FormState, errors: &FieldErrors) {
    for (name, key) in errors {
        form.set_error(Some(name), page.t(key));
    }
}

/// Shows a card or group error in the form; `None` when it is not the visitor's to fix.
pub fn show_card_error(page: &Page, form: &mut FormState, error: &CardError) -> bool {
    match error {
        CardError::Invalid(errors) => show_field_errors(page, form, errors),
        CardError::CapacityTooSmall { taken } => form.set_error(
            Some("capacity"),
            page.app.i18n.get_with(
                page.lang(),
                "group-error-capacity-below-taken",
                &[("taken", FluentValue::from(*taken))],
            ),
        ),
        CardError::Photo(e) => form.set_error(Some("photo"), page.t(e.message_key())),
        CardError::NotFound | CardError::Internal(_) | CardError::Storage(_) => return false,
    }
    true
}

#[derive(askama::Template)]
#[template(path = "org_card.html")]
pub struct CardTemplate<'a> {
    pub page: &'a Page,
    pub form: FormState,
    pub choices: Choices,
    pub bin_editable: bool,
    /// Shown with its upload form when the organization's own staff edit the card.
    pub photo: Option<PhotoBox>,
    /// Where the form posts, and the link back.
    pub action: String,
    pub back: String,
}

/// The photo part of the card page: the current picture (if any) and its upload form.
pub struct PhotoBox {
    pub url: Option<String>,
    pub error: Option<String>,
}

#[derive(askama::Template)]
#[template(path = "group_form.html")]
pub struct GroupFormTemplate<'a> {
    pub page: &'a Page,
    pub form: FormState,
    pub choices: Choices,
    pub action: String,
    pub back: String,
}
