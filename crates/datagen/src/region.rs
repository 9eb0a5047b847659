//! A generated region for the benchmark (`benches/queue.rs`) and load tests: districts,
//! organizations with their groups, parents, children and queued applications with their
//! preferences and events, written with multi-row INSERTs in a few transactions.
//!
//! Deterministic: the same `Spec` (and `now`) gives the same rows on an empty database. Rows get
//! explicit ids from the tables' current maximum, so nothing is read back while writing; on
//! PostgreSQL the identity sequences are moved past them afterwards.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde_json::json;

use kezek_core::db::Db;
use kezek_core::db::bulk::{self, Inserter, Value, flush_full};
use kezek_core::db::reference;
use kezek_core::orgs::GroupKind;
use kezek_domain::application::application_number;
use kezek_domain::{Iin, Kato, Sex};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The 2-digit KATO prefix of the region, e.g. "71".
    pub region_code: String,
    pub organizations: usize,
    pub applications: usize,
    pub seed: u64,
}

/// One generated group, as the benchmark picks its inputs.
#[derive(Debug, Clone)]
pub struct GeneratedGroup {
    pub id: i64,
    pub organization_id: i64,
    /// The organization's KATO unit (a district of the region).
    pub kato: String,
    pub kind: GroupKind,
    pub correction_type: Option<String>,
    pub birth_year: i64,
    pub language: String,
    pub capacity: i64,
    pub enrolled: i64,
}

/// What was generated, with ids for picking random inputs.
#[derive(Debug, Clone)]
pub struct Generated {
    pub region_code: String,
    /// The districts the organizations and applications are in (9-digit KATO codes).
    pub localities: Vec<String>,
    /// The birth years of the groups, youngest first.
    pub birth_years: Vec<i64>,
    pub organization_ids: Vec<i64>,
    pub groups: Vec<GeneratedGroup>,
    /// Up to 1,000 applications chosen at random, for look-ups.
    pub sample_application_ids: Vec<i64>,
    pub parents: usize,
    pub children: usize,
    pub applications: usize,
    pub preferences: usize,
}

impl Generated {
    /// The generated groups of one kind.
    pub fn groups_of(&self, kind: GroupKind) -> Vec<&GeneratedGroup> {
        self.groups.iter().filter(|g| g.kind == kind).collect()
    }
}

/// SplitMix64: small, fast and good enough to spread generated data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + self.below((hi - lo) as u64 + 1) as i64
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 100.0 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const LAST_NAMES: &[(&str, &str)] = &[
    ("Жумабаев", "Жумабаева"),
    ("Сапаров", "Сапарова"),
    ("Нурланов", "Нурланова"),
    ("Ержанов", "Ержанова"),
    ("Касымов", "Касымова"),
    ("Ахметов", "Ахметова"),
    ("Серикбаев", "Серикбаева"),
    ("Омаров", "Омарова"),
    ("Ибраев", "Ибраева"),
    ("Султанов", "Султанова"),
    ("Иванов", "Иванова"),
    ("Петров", "Петрова"),
    ("Ким", "Ким"),
    ("Смагулов", "Смагулова"),
    ("Токаев", "Токаева"),
    ("Бекович", "Бекович"),
];
const BOYS: &[&str] = &[
    "Алихан",
    "Нурсултан",
    "Арсен",
    "Данияр",
    "Айдос",
    "Тимур",
    "Ерасыл",
    "Мирас",
    "Иван",
    "Максим",
    "Алан",
    "Санжар",
];
const GIRLS: &[&str] = &[
    "Айгерим",
    "Алия",
    "Аружан",
    "Дана",
    "Жанна",
    "Томирис",
    "Амина",
    "Сафия",
    "Анна",
    "Мария",
    "Камила",
    "Асель",
];
const FATHERS: &[&str] = &[
    "Серик",
    "Бауыржан",
    "Ерлан",
    "Асхат",
    "Нурлан",
    "Марат",
    "Сергей",
    "Канат",
];
const ORG_NAMES: &[(&str, &str)] = &[
    ("Балапан", "Балапан"),
    ("Ақбота", "Акбота"),
    ("Күншуақ", "Куншуак"),
    ("Айгөлек", "Айголек"),
    ("Шұғыла", "Шугыла"),
    ("Еркетай", "Еркетай"),
    ("Болашақ", "Болашак"),
    ("Нұрлы бала", "Нурлы бала"),
    ("Ертегі", "Сказка"),
    ("Күнсұлу", "Солнышко"),
];
const STREETS: &[&str] = &[
    "ул. Абая",
    "пр. Кабанбай батыра",
    "ул. Сыганак",
    "пр. Туран",
    "ул. Кенесары",
    "пр. Республики",
    "ул. Бейбитшилик",
    "ул. Жубанова",
];
const NATIONALITIES: &[&str] = &["kazakh", "kazakh", "kazakh", "kazakh", "russian", "other"];
const EXTRAORDINARY: &[&str] = &["military", "special_state_bodies", "fallen_in_service"];
const FIRST_PRIORITY: &[&str] = &[
    "parent_disability",
    "orphan",
    "large_family",
    "special_needs",
    "teacher",
];
/// Weighted: speech and delayed development are the usual correctional groups.
const CORRECTION_TYPES: &[&str] = &[
    "speech",
    "speech",
    "speech",
    "delayed_development",
    "delayed_development",
    "vision",
    "hearing",
    "musculoskeletal",
    "autism",
];
/// Fails any password check: generated parents never log in.
const DUMMY_PASSWORD_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$bG9hZGdlbnNhbHQ$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

const DAY: i64 = 86_400;

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn midnight(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0)
        .map_or(0, |t| t.and_utc().timestamp())
}

fn age_group(age: i64) -> &'static str {
    match age {
        ..=1 => "early",
        2 => "junior",
        3 => "middle",
        4 => "senior",
        _ => "preschool",
    }
}

fn kind_index(kind: GroupKind) -> usize {
    match kind {
        GroupKind::Regular => 0,
        GroupKind::Correctional => 1,
        GroupKind::Sanatorium => 2,
    }
}

/// Issues unique IINs: a serial counter per birth date and sex, skipping serials without a
/// valid check digit and IINs the database already has (a demo installation's children).
#[derive(Default)]
struct Iins {
    next: HashMap<(NaiveDate, Sex), u16>,
    taken: std::collections::HashSet<String>,
}

impl Iins {
    fn issue(&mut self, date: NaiveDate, sex: Sex) -> anyhow::Result<String> {
        let serial = self.next.entry((date, sex)).or_insert(1);
        while *serial <= 9999 {
            let s = *serial;
            *serial += 1;
            if let Some(iin) = Iin::generate(date, sex, s)
                && !self.taken.contains(iin.as_str())
            {
                return Ok(iin.to_string());
            }
        }
        anyhow::bail!("no IIN serials left for {date}")
    }
}

/// The region's districts, added when the migrations seeded none.
async fn districts(db: &Db, region_code: &str, now: i64) -> anyhow::Result<Vec<String>> {
    let region_kato = format!("{region_code:0<9}");
    if reference::kato_unit(db.pool(), &region_kato)
        .await?
        .is_none()
    {
        anyhow::bail!("no KATO unit {region_kato}: is {region_code} a region code?");
    }
    let mut codes: Vec<String> = reference::kato_children(db.pool(), &region_kato)
        .await?
        .into_iter()
        .filter(|unit| unit.level == 2)
        .map(|unit| unit.code)
        .collect();
    if codes.is_empty() {
        let mut tx = db.begin().await?;
        for d in 1..=4 {
            let code = Kato::parse(&format!("{region_code}{}00000", 10 + d))?;
            let (name_kk, name_ru) = (format!("{d}-аудан"), format!("Район {d}"));
            reference::upsert_kato(&mut *tx, &code, &name_kk, &name_ru, now).await?;
            codes.push(code.to_string());
        }
        tx.commit().await?;
    }
    Ok(codes)
}

struct Org {
    id: i64,
    district: usize,
    /// (kind, correction type, birth year) → the group's language.
    groups: HashMap<(GroupKind, Option<&'static str>, i64), String>,
}

/// Fills a migrated database with a generated region; see the module's documentation.
pub async fn generate(db: &Db, spec: &Spec, now: i64) -> anyhow::Result<Generated> {
    anyhow::ensure!(spec.organizations > 0, "at least one organization");
    anyhow::ensure!(
        spec.region_code.len() == 2 && spec.region_code.bytes().all(|b| b.is_ascii_digit()),
        "the region code has 2 digits"
    );
    let mut rng = Rng::new(spec.seed);
    let today = kezek_domain::time::local_date(now);
    let year = today.year() as i64;
    // Regular groups take children of 1 to 6; correctional and sanatorium ones from 2.
    let birth_years: Vec<i64> = (1..=6).map(|age| year - age).collect();
    let special_years: Vec<i64> = (2..=6).map(|age| year - age).collect();
    let localities = districts(db, &spec.region_code, now).await?;

    let org_base = bulk::max_id(db.pool(), "organizations").await? + 1;
    let group_base = bulk::max_id(db.pool(), "org_groups").await? + 1;
    let user_base = bulk::max_id(db.pool(), "users").await? + 1;
    let child_base = bulk::max_id(db.pool(), "children").await? + 1;
    let app_base = bulk::max_id(db.pool(), "applications").await? + 1;
    let event_base = bulk::max_id(db.pool(), "application_events").await? + 1;

    // Organizations and their groups.
    let mut orgs: Vec<Org> = Vec::with_capacity(spec.organizations);
    let mut groups: Vec<GeneratedGroup> = Vec::new();
    let mut tx = db.begin().await?;
    let mut org_rows = Inserter::new(
        "organizations",
        &[
            "id",
            "bin",
            "name_kk",
            "name_ru",
            "kato",
            "address",
            "phone",
            "ownership",
            "working_hours",
            "languages",
            "active",
            "created_at",
            "updated_at",
        ],
    );
    let mut group_rows = Inserter::new(
        "org_groups",
        &[
            "id",
            "organization_id",
            "name",
            "birth_year",
            "age_group",
            "language",
            "kind",
            "correction_type",
            "capacity",
            "enrolled",
            "active",
            "created_at",
            "updated_at",
        ],
    );
    for i in 0..spec.organizations {
        let id = org_base + i as i64;
        let district = rng.below(localities.len() as u64) as usize;
        let (kk, ru) = *rng.pick(ORG_NAMES);
        let number = i + 1;
        let languages: &[&str] = match rng.below(10) {
            0..=4 => &["kk", "ru"],
            5..=7 => &["kk"],
            _ => &["ru"],
        };
        let created = now - rng.range(400, 3000) * DAY;
        org_rows.push(vec![
            Value::Int(id),
            Value::Text(format!("{}{:010}", spec.region_code, id)),
            Value::Text(format!("№{number} «{kk}» бөбекжай-бақшасы")),
            Value::Text(format!("Ясли-сад №{number} «{ru}»")),
            Value::Text(localities[district].clone()),
            Value::Text(format!("{}, {}", rng.pick(STREETS), rng.range(1, 120))),
            Value::Text(format!("+7717{:07}", rng.below(10_000_000))),
            Value::Text(if rng.chance(80.0) { "state" } else { "private" }.to_owned()),
            Value::Text("08:00–19:00".to_owned()),
            Value::Text(languages.join(",")),
            Value::Int(1),
            Value::Int(created),
            Value::Int(created),
        ]);
        let mut org = Org {
            id,
            district,
            groups: HashMap::new(),
        };
        let mut plan: Vec<(GroupKind, Option<&'static str>, i64)> = birth_years
            .iter()
            .map(|y| (GroupKind::Regular, None, *y))
            .collect();
        if rng.chance(20.0) {
            let ct = *rng.pick(CORRECTION_TYPES);
            plan.extend(
                special_years
                    .iter()
                    .map(|y| (GroupKind::Correctional, Some(ct), *y)),
            );
        }
        if rng.chance(5.0) {
            plan.extend(
                special_years
                    .iter()
                    .map(|y| (GroupKind::Sanatorium, None, *y)),
            );
        }
        for (kind, ct, birth_year) in plan {
            let gid = group_base + groups.len() as i64;
            let language = rng.pick(languages).to_string();
            let (capacity, free) = match kind {
                GroupKind::Regular => (rng.range(20, 25), rng.range(1, 5)),
                GroupKind::Correctional => (rng.range(10, 15), rng.range(1, 3)),
                GroupKind::Sanatorium => (rng.range(15, 20), rng.range(1, 4)),
            };
            let enrolled = capacity - free;
            let label = match kind {
                GroupKind::Regular => "Топ",
                GroupKind::Correctional => "Түзету тобы",
                GroupKind::Sanatorium => "Санаторлық топ",
            };
            group_rows.push(vec![
                Value::Int(gid),
                Value::Int(id),
                Value::Text(format!("{label} {birth_year} ({language})")),
                Value::Int(birth_year),
                Value::Text(age_group(year - birth_year).to_owned()),
                Value::Text(language.clone()),
                Value::Text(kind.as_str().to_owned()),
                Value::from(ct.map(str::to_owned)),
                Value::Int(capacity),
                Value::Int(enrolled),
                Value::Int(1),
                Value::Int(created),
                Value::Int(created),
            ]);
            org.groups.insert((kind, ct, birth_year), language.clone());
            groups.push(GeneratedGroup {
                id: gid,
                organization_id: id,
                kato: localities[district].clone(),
                kind,
                correction_type: ct.map(str::to_owned),
                birth_year,
                language,
                capacity,
                enrolled,
            });
        }
        orgs.push(org);
        flush_full(&mut tx, &mut [&mut org_rows, &mut group_rows]).await?;
    }
    org_rows.flush(&mut tx).await?;
    group_rows.flush(&mut tx).await?;
    tx.commit().await?;

    // Which organizations have a group for (kind, correction type, birth year): region-wide, and
    // per district.
    type Key = (usize, Option<&'static str>, i64);
    let mut in_region: HashMap<Key, Vec<usize>> = HashMap::new();
    let mut in_district: HashMap<(usize, Key), Vec<usize>> = HashMap::new();
    for (i, org) in orgs.iter().enumerate() {
        for (kind, ct, by) in org.groups.keys() {
            let key = (kind_index(*kind), *ct, *by);
            in_region.entry(key).or_default().push(i);
            in_district.entry((org.district, key)).or_default().push(i);
        }
    }
    for list in in_region.values_mut().chain(in_district.values_mut()) {
        list.sort_unstable();
    }
    let correctional: Vec<&'static str> = {
        let mut c: Vec<&'static str> = in_region
            .keys()
            .filter(|(k, _, _)| *k == 1)
            .filter_map(|(_, ct, _)| *ct)
            .collect();
        c.sort_unstable();
        c.dedup();
        c
    };
    let has_sanatorium = in_region.keys().any(|(k, _, _)| *k == 2);

    // Parents, children, applications, preferences and events.
    let parents = (spec.applications * 3).div_ceil(4).max(1);
    let mut iins = Iins {
        taken: bulk::child_iins(db.pool()).await?.into_iter().collect(),
        ..Iins::default()
    };
    let mut tx = db.begin().await?;
    let mut user_rows = Inserter::new(
        "users",
        &[
            "id",
            "phone",
            "password_hash",
            "role",
            "created_at",
            "updated_at",
            "language",
        ],
    );
    let mut applicant_rows = Inserter::new(
        "applicants",
        &[
            "user_id",
            "iin",
            "last_name",
            "first_name",
            "middle_name",
            "birth_date",
            "sex",
        ],
    );
    let mut parent_surnames: Vec<usize> = Vec::with_capacity(parents);
    for p in 0..parents {
        let id = user_base + p as i64;
        let sex = if rng.chance(85.0) {
            Sex::Female
        } else {
            Sex::Male
        };
        let born = NaiveDate::from_ymd_opt(rng.range(1980, 2002) as i32, 1, 1)
            .and_then(|d| d.checked_add_days(chrono::Days::new(rng.below(365))))
            .unwrap_or(today);
        let surname = rng.below(LAST_NAMES.len() as u64) as usize;
        parent_surnames.push(surname);
        let (m, f) = LAST_NAMES[surname];
        let created = now - rng.range(30, 1200) * DAY;
        user_rows.push(vec![
            Value::Int(id),
            Value::Text(format!("+7700{:07}", id % 10_000_000)),
            Value::Text(DUMMY_PASSWORD_HASH.to_owned()),
            Value::Text("parent".to_owned()),
            Value::Int(created),
            Value::Int(created),
            Value::Text(if rng.chance(60.0) { "kk" } else { "ru" }.to_owned()),
        ]);
        applicant_rows.push(vec![
            Value::Int(id),
            Value::Text(iins.issue(born, sex)?),
            Value::Text(if sex == Sex::Female { f } else { m }.to_owned()),
            Value::Text(
                if sex == Sex::Female {
                    *rng.pick(GIRLS)
                } else {
                    *rng.pick(BOYS)
                }
                .to_owned(),
            ),
            Value::Null,
            Value::Text(ymd(born)),
            Value::Text(if sex == Sex::Female { "F" } else { "M" }.to_owned()),
        ]);
        flush_full(&mut tx, &mut [&mut user_rows, &mut applicant_rows]).await?;
    }
    user_rows.flush(&mut tx).await?;
    applicant_rows.flush(&mut tx).await?;
    tx.commit().await?;

    let mut tx = db.begin().await?;
    let mut child_rows = Inserter::new(
        "children",
        &[
            "id",
            "parent_user_id",
            "iin",
            "last_name",
            "first_name",
            "middle_name",
            "birth_date",
            "sex",
            "nationality",
            "created_at",
            "updated_at",
        ],
    );
    let mut app_rows = Inserter::new(
        "applications",
        &[
            "id",
            "number",
            "child_id",
            "parent_user_id",
            "kind",
            "correction_type",
            "language",
            "region_code",
            "kato",
            "status",
            "active_key",
            "submission_key",
            "pmpk_number",
            "pmpk_date",
            "pmpk_expires",
            "pmpk_verification",
            "referral_verification",
            "privilege_category",
            "privilege_verification",
            "consent_at",
            "registered_at",
            "created_at",
            "updated_at",
            "birth_year",
            "category",
            "queue_at",
        ],
    );
    let mut pref_rows = Inserter::new(
        "application_preferences",
        &["application_id", "position", "organization_id"],
    );
    let mut event_rows = Inserter::new(
        "application_events",
        &[
            "id",
            "application_id",
            "at",
            "actor_user_id",
            "event",
            "detail",
        ],
    );
    let mut next_event = event_base;
    let oldest = now - 3 * 365 * DAY;
    let mut preferences = 0usize;
    for j in 0..spec.applications {
        let child_id = child_base + j as i64;
        let app_id = app_base + j as i64;
        // About four children for three parents, siblings next to each other.
        let p = j * parents / spec.applications.max(1);
        let parent_id = user_base + p as i64;

        let roll = rng.below(100);
        let (kind, ct): (GroupKind, Option<&'static str>) = if roll < 6 && !correctional.is_empty()
        {
            (GroupKind::Correctional, Some(*rng.pick(&correctional)))
        } else if roll < 8 && has_sanatorium {
            (GroupKind::Sanatorium, None)
        } else {
            (GroupKind::Regular, None)
        };
        let years = if kind == GroupKind::Regular {
            &birth_years
        } else {
            &special_years
        };
        // A birth year for which some organization has such a group.
        let mut birth_year = *rng.pick(years);
        let mut key: Key = (kind_index(kind), ct, birth_year);
        for _ in 0..years.len() {
            if in_region.contains_key(&key) {
                break;
            }
            birth_year = *rng.pick(years);
            key = (kind_index(kind), ct, birth_year);
        }
        let (kind, ct, key) = if in_region.contains_key(&key) {
            (kind, ct, key)
        } else {
            (GroupKind::Regular, None, (0, None, birth_year))
        };
        // The first choice decides the locality; the others are in the same district.
        let first = *rng.pick(&in_region[&key]);
        let district = orgs[first].district;
        let nearby = &in_district[&(district, key)];
        let wanted = match rng.below(4) {
            0 => 1,
            1 => 2,
            2 => 3,
            _ => 4,
        }
        .min(nearby.len());
        let mut chosen = vec![first];
        let mut tries = 0;
        while chosen.len() < wanted && tries < 20 {
            tries += 1;
            let o = *rng.pick(nearby);
            if !chosen.contains(&o) {
                chosen.push(o);
            }
        }
        let group_language = orgs[first].groups[&(kind, ct, birth_year)].clone();
        let language = if rng.chance(85.0) {
            group_language
        } else if group_language == "kk" {
            "ru".to_owned()
        } else {
            "kk".to_owned()
        };

        // The child.
        let sex = if rng.chance(50.0) {
            Sex::Female
        } else {
            Sex::Male
        };
        let born = NaiveDate::from_ymd_opt(birth_year as i32, 1, 1)
            .and_then(|d| d.checked_add_days(chrono::Days::new(rng.below(365))))
            .unwrap_or(today)
            .min(today);
        let (m, f) = LAST_NAMES[parent_surnames[p]];
        let first_name = if sex == Sex::Female {
            *rng.pick(GIRLS)
        } else {
            *rng.pick(BOYS)
        };
        let father = *rng.pick(FATHERS);
        let middle = if sex == Sex::Female {
            format!("{father}овна")
        } else {
            format!("{father}ович")
        };
        // Registered between birth (or three years ago) and an hour ago.
        let lo = oldest.max(midnight(born) + 7 * DAY);
        let hi = now - 3600;
        let registered_at = if lo < hi {
            rng.range(lo, hi)
        } else {
            hi.max(lo.min(now))
        };
        child_rows.push(vec![
            Value::Int(child_id),
            Value::Int(parent_id),
            Value::Text(iins.issue(born, sex)?),
            Value::Text(if sex == Sex::Female { f } else { m }.to_owned()),
            Value::Text(first_name.to_owned()),
            Value::Text(middle),
            Value::Text(ymd(born)),
            Value::Text(if sex == Sex::Female { "F" } else { "M" }.to_owned()),
            Value::Text(rng.pick(NATIONALITIES).to_string()),
            Value::Int(registered_at - rng.range(0, 30) * DAY),
            Value::Int(registered_at),
        ]);

        // Category: ~1% extraordinary, ~5% first priority, ~1% a claim still pending.
        let c = rng.below(1000);
        let (category, privilege, verification) = if c < 10 {
            (
                "extraordinary",
                Some(*rng.pick(EXTRAORDINARY)),
                Some("approved"),
            )
        } else if c < 60 {
            (
                "first_priority",
                Some(*rng.pick(FIRST_PRIORITY)),
                Some("approved"),
            )
        } else if c < 70 {
            ("general", Some(*rng.pick(FIRST_PRIORITY)), Some("pending"))
        } else {
            ("general", None, None)
        };
        let number = application_number(&spec.region_code, app_id);
        let correctional = kind == GroupKind::Correctional;
        let pmpk_date = chrono::DateTime::from_timestamp(registered_at - rng.range(5, 60) * DAY, 0)
            .map(|t| t.date_naive())
            .unwrap_or(today);
        let pmpk_expires = pmpk_date
            .checked_add_days(chrono::Days::new(730))
            .unwrap_or(pmpk_date);
        app_rows.push(vec![
            Value::Int(app_id),
            Value::Text(number.clone()),
            Value::Int(child_id),
            Value::Int(parent_id),
            Value::Text(kind.as_str().to_owned()),
            Value::from(ct.map(str::to_owned)),
            Value::Text(language),
            Value::Text(spec.region_code.clone()),
            Value::Text(localities[district].clone()),
            Value::Text("queued".to_owned()),
            Value::Text(format!("{child_id}:{}", kind.as_str())),
            Value::Text(format!("loadgen-{}-{app_id}", spec.seed)),
            Value::from(correctional.then(|| format!("ПМПК-{}", app_id % 100_000))),
            Value::from(correctional.then(|| ymd(pmpk_date))),
            Value::from(correctional.then(|| ymd(pmpk_expires))),
            Value::from(correctional.then(|| {
                if rng.chance(95.0) {
                    "approved"
                } else {
                    "pending"
                }
                .to_owned()
            })),
            Value::from((kind == GroupKind::Sanatorium).then(|| {
                if rng.chance(90.0) {
                    "approved"
                } else {
                    "pending"
                }
                .to_owned()
            })),
            Value::from(privilege.map(str::to_owned)),
            Value::from(verification.map(str::to_owned)),
            Value::Int(registered_at),
            Value::Int(registered_at),
            Value::Int(registered_at),
            Value::Int(registered_at),
            Value::Int(birth_year),
            Value::Text(category.to_owned()),
            Value::Int(registered_at),
        ]);
        for (position, o) in chosen.iter().enumerate() {
            pref_rows.push(vec![
                Value::Int(app_id),
                Value::Int(position as i64 + 1),
                Value::Int(orgs[*o].id),
            ]);
        }
        preferences += chosen.len();
        event_rows.push(vec![
            Value::Int(next_event),
            Value::Int(app_id),
            Value::Int(registered_at),
            Value::Int(parent_id),
            Value::Text("submitted".to_owned()),
            Value::Text(json!({ "number": number }).to_string()),
        ]);
        next_event += 1;
        if verification == Some("approved") {
            let at = (registered_at + rng.range(1, 10) * DAY).min(now);
            event_rows.push(vec![
                Value::Int(next_event),
                Value::Int(app_id),
                Value::Int(at),
                Value::Null,
                Value::Text("privilege_approved".to_owned()),
                Value::Text(json!({ "category": privilege }).to_string()),
            ]);
            next_event += 1;
        }
        flush_full(
            &mut tx,
            &mut [
                &mut child_rows,
                &mut app_rows,
                &mut pref_rows,
                &mut event_rows,
            ],
        )
        .await?;
    }
    child_rows.flush(&mut tx).await?;
    app_rows.flush(&mut tx).await?;
    pref_rows.flush(&mut tx).await?;
    event_rows.flush(&mut tx).await?;
    bulk::copy_queue_keys_to_preferences(&mut *tx).await?;
    tx.commit().await?;
    bulk::finish(
        db,
        &[
            "organizations",
            "org_groups",
            "users",
            "children",
            "applications",
            "application_events",
        ],
    )
    .await?;

    let mut sample_application_ids = Vec::new();
    if spec.applications > 0 {
        for _ in 0..spec.applications.min(1000) {
            sample_application_ids.push(app_base + rng.below(spec.applications as u64) as i64);
        }
    }
    Ok(Generated {
        region_code: spec.region_code.clone(),
        localities,
        birth_years,
        organization_ids: orgs.iter().map(|o| o.id).collect(),
        groups,
        sample_application_ids,
        parents,
        children: spec.applications,
        applications: spec.applications,
        preferences,
    })
}

/// Publishes free places in bulk, as `orgs::vacancies::publish` would one group at a time: for
/// each `(group_id, count)` the group's `open_vacancies` grows by `count` (within its capacity,
/// or the group is left out) and `count` open vacancies are added. Returns how many were
/// published.
pub async fn publish_places(
    db: &Db,
    places: &[(i64, i64)],
    now: i64,
) -> Result<usize, kezek_core::db::Error> {
    let available_from = ymd(kezek_domain::time::local_date(now));
    let mut tx = db.begin().await?;
    let mut rows = Inserter::new(
        "vacancies",
        &["group_id", "available_from", "status", "published_at"],
    );
    let mut published = 0;
    for &(group_id, count) in places.iter().filter(|(_, c)| *c > 0) {
        if !kezek_core::orgs::vacancies::hold_places(&mut tx, group_id, count, now).await? {
            continue;
        }
        for _ in 0..count {
            rows.push(vec![
                Value::Int(group_id),
                Value::Text(available_from.clone()),
                Value::Text("open".to_owned()),
                Value::Int(now),
            ]);
            flush_full(&mut tx, &mut [&mut rows]).await?;
        }
        published += count as usize;
    }
    rows.flush(&mut tx).await?;
    tx.commit().await?;
    Ok(published)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_deterministic_and_uniform_enough() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let xs: Vec<u64> = (0..100).map(|_| a.below(10)).collect();
        let ys: Vec<u64> = (0..100).map(|_| b.below(10)).collect();
        assert_eq!(xs, ys);
        let mut counts = [0u32; 10];
        let mut r = Rng::new(1);
        for _ in 0..10_000 {
            counts[r.below(10) as usize] += 1;
        }
        assert!(counts.iter().all(|c| (800..1200).contains(c)), "{counts:?}");
        assert!((0..1000).all(|_| (3..=5).contains(&r.range(3, 5))));
    }

    #[test]
    fn iins_are_unique_and_valid() {
        let mut iins = Iins::default();
        let date = NaiveDate::from_ymd_opt(2022, 3, 1).unwrap();
        let mut seen = std::collections::HashSet::new();
        for _ in 0..500 {
            let iin = iins.issue(date, Sex::Female).unwrap();
            assert!(Iin::parse(&iin).is_ok(), "{iin}");
            assert!(seen.insert(iin));
        }
    }
}
