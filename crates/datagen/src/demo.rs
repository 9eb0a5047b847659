//! `kezek serve --demo`: persons in the embedded register, a parent account and one staff
//! account per role, so a newcomer can try the whole journey. Loading twice changes nothing.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use kezek_core::accounts::{self, AccountError, users::StaffBinding};
use kezek_core::app::App;
use kezek_core::registry::import;
use kezek_domain::{Iin, Person, Phone, Role, Sex};

pub const PARENT_PHONE: &str = "+77001000001";
pub const PARENT_PASSWORD: &str = "kezek-demo-parent";
pub const STAFF_PASSWORD: &str = "kezek-demo-staff";
const DEMO_ORG_BIN: &str = "990140000384";
const DEMO_KATO: &str = "710000000";

/// A small district of Astana, as `kezek org import` would read it.
const DEMO_ORGANIZATIONS: &str = "bin,name_kk,name_ru,kato,address,phone,ownership,latitude,longitude
990140000384,№1 «Балапан» бөбекжай-бақшасы,Ясли-сад №1 «Балапан»,710000000,\"Астана, ул. Абая, 12\",+7 7172 00 00 01,state,51.1694,71.4491
050440001239,«Ақбота» балабақшасы,Детский сад «Акбота»,710000000,\"Астана, пр. Кабанбай батыра, 40\",+7 7172 00 00 02,private,51.0906,71.4181
181040004565,№7 «Күншуақ» түзету балабақшасы,Коррекционный детский сад №7 «Куншуак»,710000000,\"Астана, ул. Сарайшык, 5\",+7 7172 00 00 03,state,,
";

const DEMO_GROUPS: &str = "org_bin,name,birth_year,language,kind,correction_type,capacity
990140000384,Балапандар,2022,kk,regular,,25
990140000384,Солнышко,2022,ru,regular,,25
990140000384,Жұлдыз,2021,kk,regular,,25
050440001239,Радуга,2023,ru,regular,,20
050440001239,Ақбота,2022,kk,regular,,20
181040004565,Логопедическая,2021,ru,correctional,speech,12
181040004565,Сөйлеу,2022,kk,correctional,speech,12
181040004565,Санаторная,2022,ru,sanatorium,,15
";

struct DemoPerson {
    last: &'static str,
    first: &'static str,
    middle: Option<&'static str>,
    born: (i32, u32, u32),
    sex: Sex,
    nationality: &'static str,
}

const fn person(
    last: &'static str,
    first: &'static str,
    middle: Option<&'static str>,
    born: (i32, u32, u32),
    sex: Sex,
    nationality: &'static str,
) -> DemoPerson {
    DemoPerson {
        last,
        first,
        middle,
        born,
        sex,
        nationality,
    }
}

/// Adults first (the first one owns the demo parent account), then children.
const PEOPLE: &[DemoPerson] = &[
    person(
        "Сейткали",
        "Айгерим",
        Some("Нурлановна"),
        (1992, 3, 14),
        Sex::Female,
        "Казашка",
    ),
    person(
        "Иванов",
        "Сергей",
        Some("Петрович"),
        (1988, 11, 2),
        Sex::Male,
        "Русский",
    ),
    person(
        "Жумабекова",
        "Дана",
        Some("Ериковна"),
        (1995, 7, 21),
        Sex::Female,
        "Казашка",
    ),
    person(
        "Ким",
        "Виктория",
        None,
        (1990, 1, 30),
        Sex::Female,
        "Кореянка",
    ),
    person(
        "Нурланов",
        "Арман",
        Some("Серикович"),
        (1986, 9, 9),
        Sex::Male,
        "Казах",
    ),
    person(
        "Сейткали",
        "Алихан",
        Some("Ерланович"),
        (2022, 5, 12),
        Sex::Male,
        "Казах",
    ),
    person(
        "Сейткали",
        "Томирис",
        Some("Ерлановна"),
        (2023, 10, 3),
        Sex::Female,
        "Казашка",
    ),
    person(
        "Иванова",
        "Мария",
        Some("Сергеевна"),
        (2021, 2, 17),
        Sex::Female,
        "Русская",
    ),
    person(
        "Жумабеков",
        "Нурсултан",
        Some("Айдосович"),
        (2024, 4, 25),
        Sex::Male,
        "Казах",
    ),
    person("Ким", "Даниил", None, (2022, 12, 1), Sex::Male, "Кореец"),
];

/// A stable valid IIN for a demo person: the first serial with a valid check digit.
fn demo_iin(p: &DemoPerson, index: usize) -> Iin {
    let date = NaiveDate::from_ymd_opt(p.born.0, p.born.1, p.born.2).expect("valid demo date");
    (0..1000u16)
        .find_map(|k| Iin::generate(date, p.sex, 4000 + index as u16 * 10 + k))
        .expect("some serial gives a valid IIN")
}

pub fn persons() -> Vec<Person> {
    PEOPLE
        .iter()
        .enumerate()
        .map(|(i, p)| Person {
            iin: demo_iin(p, i),
            last_name: p.last.into(),
            first_name: p.first.into(),
            middle_name: p.middle.map(Into::into),
            birth_date: NaiveDate::from_ymd_opt(p.born.0, p.born.1, p.born.2).expect("valid"),
            sex: p.sex,
            nationality: Some(p.nationality.into()),
        })
        .collect()
}

async fn ensure_staff(
    app: &App,
    role: Role,
    phone: &str,
    binding: StaffBinding,
) -> anyhow::Result<()> {
    match accounts::create_staff(app, role, phone, STAFF_PASSWORD, binding).await {
        Ok(_) | Err(AccountError::PhoneTaken) => Ok(()),
        Err(e) => Err(anyhow::anyhow!("demo staff {phone}: {e}")),
    }
}

/// Loads the demo data and returns the guide to print.
pub async fn load(app: &App) -> anyhow::Result<String> {
    let persons = persons();
    import::store(&app.db, &persons, app.now()).await?;
    kezek_core::orgs::import::import_files(
        &app.db,
        ("demo organizations", DEMO_ORGANIZATIONS.as_bytes()),
        ("demo groups", DEMO_GROUPS.as_bytes()),
        app.now(),
    )
    .await
    .map_err(|problems| anyhow::anyhow!("demo district: {}", problems.join("; ")))?;

    let parent = &persons[0];
    let phone = Phone::parse(PARENT_PHONE)?;
    if accounts::users::by_phone(app.db.pool(), &phone)
        .await?
        .is_none()
        && !accounts::users::iin_taken(app.db.pool(), parent.iin.as_str()).await?
    {
        let hash = app.hasher.hash(PARENT_PASSWORD).await?;
        let mut tx = app.db.begin().await?;
        let id = accounts::users::insert(&mut *tx, &phone, &hash, Role::Parent, app.now()).await?;
        accounts::users::insert_applicant(&mut *tx, id, parent).await?;
        tx.commit().await?;
        // The parent's son is already in "Мои дети", ready for an application.
        let son = &persons[5];
        let actor = kezek_core::audit::Actor {
            user_id: id,
            ip: "demo".into(),
        };
        kezek_core::children::add_child(app, &actor, son.iin.as_str(), son.sex.code(), "kazakh")
            .await
            .map_err(|e| anyhow::anyhow!("demo child: {e}"))?;
    }
    // A queue to look at: twenty more kindergartens of Astana and six hundred children waiting,
    // generated once (the first start of a demo installation).
    let waiting = kezek_core::db::bulk::count(app.db.pool(), "applications").await?;
    if waiting == 0 {
        crate::generate(
            &app.db,
            &crate::Spec {
                region_code: "71".into(),
                organizations: 20,
                applications: 600,
                seed: 7,
            },
            app.now(),
        )
        .await?;
    }
    ensure_staff(app, Role::Admin, "+77001000090", StaffBinding::default()).await?;
    ensure_staff(
        app,
        Role::Department,
        "+77001000091",
        StaffBinding {
            org_bin: None,
            kato: Some(DEMO_KATO.into()),
        },
    )
    .await?;
    ensure_staff(
        app,
        Role::Organization,
        "+77001000092",
        StaffBinding {
            org_bin: Some(DEMO_ORG_BIN.into()),
            kato: None,
        },
    )
    .await?;
    ensure_staff(
        app,
        Role::Moderator,
        "+77001000098",
        StaffBinding::default(),
    )
    .await?;

    let mut guide = String::from("\n=== Kezek demo ===\n");
    let _ = writeln!(
        guide,
        "Parent:        {} / {PARENT_PASSWORD}  ({})",
        phone.display(),
        parent.full_name()
    );
    let _ = writeln!(guide, "Administrator: +7 700 100 00 90 / {STAFF_PASSWORD}");
    let _ = writeln!(guide, "Department:    +7 700 100 00 91 / {STAFF_PASSWORD}");
    let _ = writeln!(
        guide,
        "Organization:  +7 700 100 00 92 / {STAFF_PASSWORD}  (Ясли-сад №1 «Балапан»)"
    );
    let _ = writeln!(
        guide,
        "Moderator:     +7 700 100 00 98 / {STAFF_PASSWORD}  (reviews, /moderation)"
    );
    let _ = writeln!(
        guide,
        "Register a new parent with any phone and one of these IINs:"
    );
    for p in persons
        .iter()
        .skip(1)
        .filter(|p| p.birth_date.year() < 2010)
    {
        let _ = writeln!(guide, "  {}  {}", p.iin, p.full_name());
    }
    let _ = writeln!(
        guide,
        "The demo parent's children: {} (added), {} (to add)",
        persons[5].full_name(),
        persons[6].full_name()
    );
    let _ = writeln!(guide, "Children in the register:");
    for p in persons.iter().filter(|p| p.birth_date.year() >= 2010) {
        let _ = writeln!(guide, "  {}  {}", p.iin, p.full_name());
    }
    let _ = writeln!(
        guide,
        "The queue (\"Очередь\"): 600 generated children wait for 20 more kindergartens of Astana. \
         File an application for the demo son to «Балапан», then publish a free place of its group \
         as organization staff: the direction comes at once."
    );
    let _ = writeln!(
        guide,
        "SMS codes are written to {}",
        app.settings.sms_outbox_path().display()
    );
    Ok(guide)
}
