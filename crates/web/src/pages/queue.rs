//! "Очередь": the public queue with the seed guide's filters (locality, queue type, birth year,
//! correction type, organization). Children are masked; a logged-in parent sees their own
//! highlighted and can jump to its page.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::routing::get;
use chrono::Datelike;

use crate::error::PageResult;
use crate::page::{FormState, Page};
use kezek_core::app::App;
use kezek_core::domain::queue::QueueRules;
use kezek_core::domain::role::Role;
use kezek_core::domain::{Kato, Names, time};
use kezek_core::orgs::GroupKind;
use kezek_core::paging;
use kezek_core::queue::{self, Partition, QueueLine, Scope};
use kezek_core::reference::{self, ReferenceKind};

const PAGE_SIZE: u64 = 50;
/// Children of preschool age: the current year and the seven before it.
const YEARS_BACK: i32 = 7;

pub fn routes() -> Router<App> {
    Router::new().route("/queue", get(queue_page))
}

struct LineView {
    position: u64,
    anchor: String,
    number: String,
    child: String,
    registered_at: String,
    category: String,
    status: String,
    mine: bool,
}

struct MineView {
    number: String,
    position: u64,
    href: String,
}

#[derive(Template)]
#[template(path = "queue.html")]
struct QueueTemplate<'a> {
    page: &'a Page,
    form: FormState,
    localities: Vec<(String, String)>,
    kinds: Vec<(String, String)>,
    years: Vec<(String, String)>,
    correction_types: Vec<(String, String)>,
    organizations: Vec<(String, String)>,
    /// The public page of the organization chosen, if one is.
    organization_href: Option<String>,
    /// The filters are complete and the queue below is for them.
    chosen: bool,
    total: u64,
    lines: Vec<LineView>,
    mine: Vec<MineView>,
    page_no: u64,
    pages: u64,
    prev_href: Option<String>,
    next_href: Option<String>,
    order_rule: String,
}

/// The filters as typed, each checked against what may be chosen.
struct Filters {
    kato: Option<Kato>,
    kind: Option<GroupKind>,
    birth_year: Option<i64>,
    correction_type: Option<String>,
    organization_id: Option<i64>,
    page_no: u64,
}

fn query_string(q: &HashMap<String, String>, page_no: u64) -> String {
    let mut pairs: Vec<(&str, String)> = ["kato", "kind", "year", "correction", "org"]
        .iter()
        .filter_map(|k| q.get(*k).map(|v| (*k, v.clone())))
        .collect();
    pairs.push(("page", page_no.to_string()));
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// The rule a visitor reads above the table, in words.
pub fn order_rule(page: &Page, rules: &QueueRules) -> String {
    let names: Vec<String> = rules
        .precedence
        .iter()
        .map(|c| page.t(c.message_key()))
        .collect();
    let interleaved = rules.interleave_first_priority > 0 && rules.interleave_general > 0;
    let args = [
        ("order", names.join(" → ")),
        (
            "interleave",
            format!(
                "{} : {}",
                rules.interleave_first_priority, rules.interleave_general
            ),
        ),
    ];
    let key = if interleaved {
        "queue-order-rule-interleaved"
    } else {
        "queue-order-rule-strict"
    };
    page.t_with(key, &args)
}

pub async fn queue_page(page: Page, Query(q): Query<HashMap<String, String>>) -> PageResult {
    let page = page.titled("queue-title");
    let db = page.app.db.clone();
    let lang = page.lang_code();
    let region = page.ctx.region;
    let now = page.app.now();
    let today = time::local_date(now);
    let rules = kezek_core::region_rules::current(db.pool(), region.code, today)
        .await?
        .queue;

    // Localities: the region, its districts and every place an organization stands.
    let localities = locality_options(&page, region.code).await?;
    let kinds: Vec<(String, String)> = GroupKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), page.t(queue_kind_key(*k))))
        .collect();
    let years: Vec<(String, String)> = (0..=YEARS_BACK)
        .map(|back| (today.year() - back).to_string())
        .map(|y| (y.clone(), y))
        .collect();
    let correction_types: Vec<(String, String)> =
        reference::list(db.pool(), ReferenceKind::CorrectionType, false)
            .await?
            .into_iter()
            .map(|i| {
                let name = i.name(lang).to_owned();
                (i.code, name)
            })
            .collect();

    let pick = |name: &str, options: &[(String, String)]| {
        q.get(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| options.iter().any(|(c, _)| c == v))
    };
    let mut filters = Filters {
        kato: pick("kato", &localities).and_then(|k| Kato::parse(&k).ok()),
        kind: pick("kind", &kinds).and_then(|k| GroupKind::parse(&k)),
        birth_year: pick("year", &years).and_then(|y| y.parse().ok()),
        correction_type: pick("correction", &correction_types),
        organization_id: None,
        page_no: paging::requested(q.get("page").map(String::as_str)),
    };
    if filters.kind != Some(GroupKind::Correctional) {
        filters.correction_type = None;
    }
    let organizations = match &filters.kato {
        Some(kato) => organization_options(&page, kato, &filters).await?,
        None => Vec::new(),
    };
    filters.organization_id = pick("org", &organizations).and_then(|o| o.parse().ok());

    let mut form = FormState::default();
    for (name, value) in [
        ("kato", filters.kato.as_ref().map(|k| k.as_str().to_owned())),
        ("kind", filters.kind.map(|k| k.as_str().to_owned())),
        ("year", filters.birth_year.map(|y| y.to_string())),
        ("correction", filters.correction_type.clone()),
        ("org", filters.organization_id.map(|o| o.to_string())),
    ] {
        form.set_value(name, value.unwrap_or_default());
    }

    let partition = match (&filters.kato, filters.kind, filters.birth_year) {
        (Some(kato), Some(kind), Some(birth_year))
            if kind != GroupKind::Correctional || filters.correction_type.is_some() =>
        {
            Some(Partition {
                kind,
                correction_type: filters.correction_type.clone(),
                birth_year,
                scope: match filters.organization_id {
                    Some(id) => Scope::Organization(id),
                    None => Scope::Locality(kato.prefix().to_owned()),
                },
            })
        }
        _ => None,
    };

    let viewer = page
        .ctx
        .user
        .as_ref()
        .filter(|u| u.role == Role::Parent)
        .map(|u| u.id);
    let mut template = QueueTemplate {
        page: &page,
        form,
        localities,
        kinds,
        years,
        correction_types,
        organizations,
        organization_href: filters.organization_id.map(|id| format!("/catalog/{id}")),
        chosen: partition.is_some(),
        total: 0,
        lines: Vec::new(),
        mine: Vec::new(),
        page_no: filters.page_no,
        pages: 1,
        prev_href: None,
        next_href: None,
        order_rule: order_rule(&page, &rules),
    };
    if let Some(partition) = &partition {
        let (db, rules) = (&db, &rules);
        let (pager, lines) =
            paging::fetch(filters.page_no, PAGE_SIZE, |offset, limit| async move {
                let mut conn = db.pool().acquire().await?;
                let (counts, lines) =
                    queue::page(&mut conn, partition, rules, offset as u64, limit as u64).await?;
                Ok::<_, kezek_core::db::Error>((counts.total(), lines))
            })
            .await?;
        let mut conn = db.pool().acquire().await?;
        template.total = pager.total;
        template.page_no = pager.page;
        template.pages = pager.pages;
        template.lines = lines
            .iter()
            .map(|l| line_view(&page, l, viewer, now))
            .collect();
        template.prev_href = pager
            .prev()
            .map(|n| format!("/queue?{}", query_string(&q, n)));
        template.next_href = pager
            .next()
            .map(|n| format!("/queue?{}", query_string(&q, n)));
        if let Some(user_id) = viewer {
            template.mine = own_positions(&mut conn, user_id, partition, rules)
                .await?
                .into_iter()
                .map(|(id, number, position)| MineView {
                    number,
                    position,
                    href: format!(
                        "/queue?{}#a{id}",
                        query_string(&q, (position - 1) / PAGE_SIZE + 1)
                    ),
                })
                .collect();
        }
    }
    page.render(StatusCode::OK, &template)
}

fn queue_kind_key(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Regular => "queue-kind-regular",
        GroupKind::Correctional => "queue-kind-correctional",
        GroupKind::Sanatorium => "queue-kind-sanatorium",
    }
}

fn line_view(page: &Page, line: &QueueLine, viewer: Option<i64>, now: i64) -> LineView {
    let status = match line.stop_until {
        Some(until) if until > now => {
            page.t1("queue-status-stop-list", "date", &time::day_of(until))
        }
        _ if line.claim_pending => page.t("queue-status-claim-pending"),
        _ => page.t("queue-status-waiting"),
    };
    LineView {
        position: line.position,
        anchor: format!("a{}", line.application_id),
        number: line.number.clone(),
        child: line.child_masked.clone(),
        registered_at: time::seconds(line.registered_at),
        category: page.t(line.category.message_key()),
        status,
        mine: viewer == Some(line.parent_user_id),
    }
}

/// The viewer's waiting applications in this queue: (id, number, 1-based position).
async fn own_positions(
    conn: &mut kezek_core::db::Conn,
    user_id: i64,
    partition: &Partition,
    rules: &QueueRules,
) -> PageResult<Vec<(i64, String, u64)>> {
    Ok(queue::own_positions(conn, user_id, partition, rules)
        .await?
        .into_iter()
        .map(|p| (p.application_id, p.number, p.standing.position))
        .collect())
}

pub(super) async fn locality_options(
    page: &Page,
    region_code: &str,
) -> PageResult<Vec<(String, String)>> {
    let lang = page.lang_code();
    let region_kato = format!("{region_code:0<9}");
    let rows = kezek_core::portal::filters::localities(page.app.db.pool(), region_code).await?;
    let whole = page.t("application-form-whole-region");
    Ok(rows
        .into_iter()
        .map(|(code, kk, ru)| {
            let name = Names::new(&kk, &ru, None).get(lang);
            let name = if code == region_kato {
                format!("{name} — {whole}")
            } else {
                name.to_owned()
            };
            (code, name)
        })
        .collect())
}

/// Organizations under the locality with an open group of the chosen kind (and correction type).
async fn organization_options(
    page: &Page,
    kato: &Kato,
    filters: &Filters,
) -> PageResult<Vec<(String, String)>> {
    let Some(kind) = filters.kind else {
        return Ok(Vec::new());
    };
    let rows = queue::organizations(
        page.app.db.pool(),
        kato.prefix(),
        kind,
        filters.correction_type.as_deref(),
    )
    .await?;
    let lang = page.lang_code();
    Ok(rows
        .into_iter()
        .map(|(id, kk, ru)| {
            (
                id.to_string(),
                Names::new(&kk, &ru, None).get(lang).to_owned(),
            )
        })
        .collect())
}
