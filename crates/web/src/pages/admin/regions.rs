//! Region rules: the rules in force today in every region, and one region's page with the
//! history of its versions and the form adding a new version from a date on (today or later).

use askama::Template;
use axum::extract::{Form, Path};
use axum::http::StatusCode;
use chrono::NaiveDate;

use super::display_phone;
use crate::access::Admin;
use crate::error::{PageError, PageResult};
use crate::page::{Fields, FormState, Page, field, parse_date, see_other_with_flash};
use kezek_core::domain::queue::{Category, QueueRules};
use kezek_core::domain::region::{self, Region};
use kezek_core::domain::time;
use kezek_core::region_rules::{self, AfterStopList, RegionRuleError, RegionRules, SaveError};

/// One version's rules as the tables show them.
struct RulesView {
    max_preferred_orgs: i64,
    order: String,
    interleave: String,
    accept_working_days: i64,
    enroll_working_days: i64,
    extension_max_days: i64,
    stop_list_days: i64,
    after_stop_list: String,
}

fn after_stop_list_key(after: AfterStopList) -> &'static str {
    match after {
        AfterStopList::Keep => "admin-after-stop-list-keep",
        AfterStopList::End => "admin-after-stop-list-end",
    }
}

/// "Внеочередная → Первоочередная → Общая".
fn order_text(page: &Page, order: &[Category; 3]) -> String {
    order
        .iter()
        .map(|c| page.t(c.message_key()))
        .collect::<Vec<_>>()
        .join(" → ")
}

fn rules_view(page: &Page, r: &RegionRules) -> RulesView {
    let q = &r.queue;
    let interleave = if q.interleave_first_priority == 0 || q.interleave_general == 0 {
        page.t("admin-interleave-strict")
    } else {
        format!("{} : {}", q.interleave_first_priority, q.interleave_general)
    };
    RulesView {
        max_preferred_orgs: r.max_preferred_orgs,
        order: order_text(page, &q.precedence),
        interleave,
        accept_working_days: r.accept_working_days,
        enroll_working_days: r.enroll_working_days,
        extension_max_days: r.extension_max_days,
        stop_list_days: r.stop_list_days,
        after_stop_list: page.t(after_stop_list_key(r.after_stop_list)),
    }
}

fn iso(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

struct RegionRow {
    code: &'static str,
    name: &'static str,
    rules: RulesView,
    /// When the version in force was added; `None` for the rules set up with the installation.
    changed: Option<String>,
    /// The date the next version comes into force.
    scheduled: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_regions.html")]
struct RegionsTemplate<'a> {
    page: &'a Page,
    rows: Vec<RegionRow>,
}

pub async fn list(_: Admin, page: Page) -> PageResult {
    let today = time::local_date(page.app.now());
    let rules = region_rules::all_current(&page.app.db, today).await?;
    let scheduled = region_rules::scheduled(page.app.db.pool(), today).await?;
    let lang = page.lang_code();
    let rows = region::REGIONS
        .iter()
        .zip(rules)
        .map(|(r, rule)| RegionRow {
            code: r.code,
            name: r.name(lang),
            rules: rules_view(&page, &rule),
            changed: (rule.created_at > 0).then(|| time::minutes(rule.created_at)),
            scheduled: scheduled
                .iter()
                .find(|(code, _)| code == r.code)
                .map(|(_, day)| time::day(*day)),
        })
        .collect();
    let page = page.titled("admin-regions-title");
    page.render(StatusCode::OK, &RegionsTemplate { page: &page, rows })
}

struct VersionView {
    effective_from: String,
    /// `admin-region-state-…`: in force, scheduled or superseded.
    state_key: &'static str,
    rules: RulesView,
    /// `None` for the rules set up with the installation.
    created_at: Option<String>,
    created_by: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_region.html")]
struct RegionTemplate<'a> {
    page: &'a Page,
    code: &'static str,
    name: &'static str,
    versions: Vec<VersionView>,
    form: FormState,
    orders: Vec<(String, String)>,
    after_choices: Vec<(String, String)>,
}

/// The form's values for `rules`, as the form names them.
fn fill_form(form: &mut FormState, rules: &RegionRules, effective_from: NaiveDate) {
    let q = &rules.queue;
    let values = [
        ("effective_from", iso(effective_from)),
        ("max_preferred_orgs", rules.max_preferred_orgs.to_string()),
        ("precedence", q.precedence_text()),
        (
            "interleave_first_priority",
            q.interleave_first_priority.to_string(),
        ),
        ("interleave_general", q.interleave_general.to_string()),
        ("accept_working_days", rules.accept_working_days.to_string()),
        ("enroll_working_days", rules.enroll_working_days.to_string()),
        ("extension_max_days", rules.extension_max_days.to_string()),
        ("stop_list_days", rules.stop_list_days.to_string()),
        ("after_stop_list", rules.after_stop_list.as_str().to_owned()),
    ];
    for (name, value) in values {
        form.set_value(name, value);
    }
}

/// The region's page; a `form` without values gets the rules in force and today's date.
async fn render_region(
    page: Page,
    region: &'static Region,
    mut form: FormState,
    status: StatusCode,
) -> PageResult {
    let today = time::local_date(page.app.now());
    let history = region_rules::history(page.app.db.pool(), region.code).await?;
    // Newest effective date first, so the first one not in the future is the one in force.
    let in_force = history.iter().position(|v| v.rules.effective_from <= today);
    if status == StatusCode::OK {
        let current = in_force.map_or_else(
            || RegionRules::defaults(region.code),
            |i| history[i].rules.clone(),
        );
        fill_form(&mut form, &current, today);
    }
    let versions = history
        .iter()
        .enumerate()
        .map(|(i, v)| VersionView {
            effective_from: time::day(v.rules.effective_from),
            state_key: match in_force {
                Some(f) if i == f => "admin-region-state-in-force",
                Some(f) if i > f => "admin-region-state-superseded",
                _ => "admin-region-state-scheduled",
            },
            rules: rules_view(&page, &v.rules),
            created_at: (v.rules.created_at > 0).then(|| time::minutes(v.rules.created_at)),
            created_by: v.created_by_phone.as_deref().map(display_phone),
        })
        .collect();
    let orders = region_rules::precedence_choices()
        .iter()
        .map(|p| {
            let rules = QueueRules {
                precedence: *p,
                ..QueueRules::default()
            };
            (rules.precedence_text(), order_text(&page, p))
        })
        .collect();
    let after_choices = [AfterStopList::Keep, AfterStopList::End]
        .into_iter()
        .map(|a| (a.as_str().to_owned(), page.t(after_stop_list_key(a))))
        .collect();
    let page = page.titled("admin-region-title");
    page.render(
        status,
        &RegionTemplate {
            page: &page,
            code: region.code,
            name: region.name(page.lang_code()),
            versions,
            form,
            orders,
            after_choices,
        },
    )
}

pub async fn show(_: Admin, page: Page, Path(code): Path<String>) -> PageResult {
    let region = region::find(&code).ok_or(PageError::NotFound)?;
    render_region(page, region, FormState::default(), StatusCode::OK).await
}

/// The version as typed, or the form with a message beside every refused field.
fn typed_rules(
    page: &Page,
    region: &Region,
    fields: &Fields,
    today: NaiveDate,
) -> Result<RegionRules, Box<FormState>> {
    use RegionRuleError as E;
    let mut form = FormState::with_values(fields);
    let refuse = |form: &mut FormState, name: &str, key: &str| {
        form.set_error(Some(name), page.t(key));
    };
    // A whole number, or the field's range message.
    let number = |form: &mut FormState, name: &str, error: RegionRuleError| {
        let value = field(fields, name).trim().parse::<i64>().ok();
        if value.is_none() {
            refuse(form, name, error.message_key());
        }
        value
    };
    // Out of `u32` is out of range too: `problems` refuses `u32::MAX`.
    let small = |value: i64| u32::try_from(value).unwrap_or(u32::MAX);

    let mut rules = RegionRules::defaults(region.code);
    match parse_date(field(fields, "effective_from")) {
        Some(day) => rules.effective_from = day,
        None => refuse(
            &mut form,
            "effective_from",
            "admin-region-error-effective-date",
        ),
    }
    match QueueRules::parse_precedence(field(fields, "precedence")) {
        Some(order) => rules.queue.precedence = order,
        None => refuse(&mut form, "precedence", E::Precedence.message_key()),
    }
    match AfterStopList::parse(field(fields, "after_stop_list")) {
        Some(after) => rules.after_stop_list = after,
        None => refuse(
            &mut form,
            "after_stop_list",
            "admin-region-error-after-stop-list",
        ),
    }
    if let Some(v) = number(&mut form, "max_preferred_orgs", E::MaxPreferredOrgs) {
        rules.max_preferred_orgs = v;
    }
    if let Some(v) = number(&mut form, "interleave_first_priority", E::Interleave) {
        rules.queue.interleave_first_priority = small(v);
    }
    if let Some(v) = number(&mut form, "interleave_general", E::Interleave) {
        rules.queue.interleave_general = small(v);
    }
    if let Some(v) = number(&mut form, "accept_working_days", E::AcceptDays) {
        rules.accept_working_days = v;
    }
    if let Some(v) = number(&mut form, "enroll_working_days", E::EnrollDays) {
        rules.enroll_working_days = v;
    }
    if let Some(v) = number(&mut form, "extension_max_days", E::ExtensionDays) {
        rules.extension_max_days = v;
    }
    if let Some(v) = number(&mut form, "stop_list_days", E::StopListDays) {
        rules.stop_list_days = v;
    }
    for (name, error) in region_rules::problems(&rules, today) {
        // A field that did not parse keeps its own message.
        if form.error(name).is_none() {
            refuse(&mut form, name, error.message_key());
        }
    }
    if form.has_errors() {
        Err(Box::new(form))
    } else {
        Ok(rules)
    }
}

pub async fn save(
    Admin(actor): Admin,
    page: Page,
    Path(code): Path<String>,
    Form(fields): Form<Fields>,
) -> PageResult {
    let region = region::find(&code).ok_or(PageError::NotFound)?;
    let now = page.app.now();
    let today = time::local_date(now);
    let rules = match typed_rules(&page, region, &fields, today) {
        Ok(rules) => rules,
        Err(form) => {
            return render_region(page, region, *form, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match region_rules::save_version(&page.app.db, &actor, &rules, today, now).await {
        Ok(()) => Ok(see_other_with_flash(
            &page.app,
            &format!("/admin/regions/{}", region.code),
            "flash-admin-region-saved",
        )),
        Err(SaveError::Internal(e)) => Err(e.into()),
        // The checks above found nothing a moment ago (the date may have turned since).
        Err(SaveError::Invalid(e)) => {
            let mut form = FormState::with_values(&fields);
            form.set_error(None, page.t(e.message_key()));
            render_region(page, region, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
