//! Region rules: one row per region with its maximum number of preferred organizations.

use askama::Template;
use axum::extract::{Form, Path};
use axum::http::StatusCode;
use axum::response::Response;

use super::{internal, local_time, not_found, require_admin};
use crate::domain::region;
use crate::region_rules::{self, RegionRuleError, SaveError};
use crate::web::page::{Fields, Page, field, see_other_with_flash};

struct RegionRow {
    code: &'static str,
    name: &'static str,
    value: String,
    error: Option<String>,
    updated: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_regions.html")]
struct RegionsTemplate<'a> {
    page: &'a Page,
    rows: Vec<RegionRow>,
}

/// The table; `typed` is a refused region's code, what was typed and why it was refused.
async fn render(page: Page, typed: Option<(&str, &str, String)>, status: StatusCode) -> Response {
    let today = crate::children::local_date(page.app.now());
    let rules = match region_rules::all_current(&page.app.db, today).await {
        Ok(rules) => rules,
        Err(e) => return internal(page, e),
    };
    let lang = page.lang_code();
    let rows = region::REGIONS
        .iter()
        .zip(rules)
        .map(|(r, rule)| {
            let refused = typed.as_ref().filter(|(code, _, _)| *code == r.code);
            RegionRow {
                code: r.code,
                name: r.name(lang),
                value: refused.map_or_else(
                    || rule.max_preferred_orgs.to_string(),
                    |(_, v, _)| (*v).to_owned(),
                ),
                error: refused.map(|(_, _, e)| e.clone()),
                updated: (rule.created_at > 0).then(|| local_time(rule.created_at)),
            }
        })
        .collect();
    let page = page.titled("admin-regions-title");
    page.render(status, &RegionsTemplate { page: &page, rows })
}

pub async fn list(page: Page) -> Response {
    if let Err(response) = require_admin(&page) {
        return *response;
    }
    render(page, None, StatusCode::OK).await
}

pub async fn save(page: Page, Path(code): Path<String>, Form(fields): Form<Fields>) -> Response {
    let actor = match require_admin(&page) {
        Ok(actor) => actor,
        Err(response) => return *response,
    };
    let typed = field(&fields, &format!("max_{code}")).trim();
    let now = page.app.now();
    let today = crate::children::local_date(now);
    let result = match typed.parse::<i64>() {
        Ok(value) => match region_rules::current(page.app.db.pool(), &code, today).await {
            Ok(mut rules) => {
                rules.max_preferred_orgs = value;
                rules.effective_from = today;
                region_rules::save_version(&page.app.db, &actor, &rules, today, now).await
            }
            Err(e) => Err(e.into()),
        },
        Err(_) => Err(RegionRuleError::MaxPreferredOrgs.into()),
    };
    match result {
        Ok(()) => see_other_with_flash(&page.app, "/admin/regions", "flash-admin-region-saved"),
        Err(SaveError::Invalid(RegionRuleError::UnknownRegion)) => not_found(page),
        Err(SaveError::Internal(e)) => internal(page, e),
        Err(SaveError::Invalid(e)) => {
            let message = page.t(e.message_key());
            render(
                page,
                Some((&code, typed, message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
