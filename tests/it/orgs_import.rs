//! `kezek org import` on the real schema: a district set up from two CSV files, re-imports that
//! change nothing, bad lines reported by file and line with nothing written, and capacities
//! that never drop below the places taken. Also the storage functions the cabinets use.

use kezek_core::orgs::import::{self, ImportSummary};
use kezek_core::orgs::rules;
use kezek_core::orgs::store::{self, GroupInput, GroupUpdateError, OrganizationInput};
use kezek_core::orgs::{GroupKind, Ownership};
use kezek_domain::{Bin, Kato};

use crate::harness::TestApp;

/// A valid BIN starting with `prefix` (11 digits).
fn bin(prefix: &str) -> String {
    (0..10)
        .map(|d| format!("{prefix}{d}"))
        .find(|b| Bin::parse(b).is_ok())
        .expect("this prefix has a check digit")
}

/// Runs the import as the command line does: both files parsed, then stored.
async fn run(t: &TestApp, orgs: &str, groups: &str) -> Result<ImportSummary, Vec<String>> {
    import::import_files(
        &t.app.db,
        ("orgs.csv", orgs.as_bytes()),
        ("groups.csv", groups.as_bytes()),
        t.app.now(),
    )
    .await
}

async fn count(t: &TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

/// (organizations, groups, audit entries of the import)
async fn counts(t: &TestApp) -> (i64, i64, i64) {
    (
        count(t, "SELECT COUNT(*) FROM organizations").await,
        count(t, "SELECT COUNT(*) FROM org_groups").await,
        count(
            t,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'org.imported'",
        )
        .await,
    )
}

const ORGS_HEADER: &str = "bin,name_kk,name_ru,kato,address,phone,ownership,latitude,longitude";
const GROUPS_HEADER: &str = "org_bin,name,birth_year,language,kind,correction_type,capacity";

struct District {
    balapan: String,
    aigolek: String,
    year: i64,
}

impl District {
    fn new(t: &TestApp) -> District {
        District {
            balapan: bin("99014000038"),
            aigolek: bin("12034000512"),
            year: rules::year_at(t.app.now()),
        }
    }

    fn orgs(&self) -> String {
        format!(
            "{ORGS_HEADER}\n\
             {},«Балапан» бөбекжайы,Ясли-сад «Балапан»,711200000,\"ул. Кенесары, 1\",+7 7172 00 00 01,state,51.128,71.430\n\
             {},«Айгөлек» балабақшасы,Детский сад «Айгөлек»,710000000,пр. Абая 10,,private,,\n",
            self.balapan, self.aigolek
        )
    }

    fn groups_with(&self, capacity: i64) -> String {
        let (b, a, y) = (&self.balapan, &self.aigolek, self.year);
        format!(
            "{GROUPS_HEADER}\n\
             {b},Күншуақ,{},kk,regular,,{capacity}\n\
             {b},Солнышко,{},ru,regular,,20\n\
             {b},Логопедическая,{},ru,correctional,speech,12\n\
             {a},Жұлдыз,{},kk,sanatorium,,15\n",
            y - 3,
            y - 4,
            y - 5,
            y - 2
        )
    }

    fn groups(&self) -> String {
        self.groups_with(25)
    }
}

#[tokio::test]
async fn a_district_imports_and_a_reimport_changes_nothing() {
    let t = TestApp::start().await;
    let d = District::new(&t);
    let summary = run(&t, &d.orgs(), &d.groups()).await.unwrap();
    assert_eq!(
        summary,
        ImportSummary {
            organizations_created: 2,
            organizations_updated: 0,
            groups_created: 4,
            groups_updated: 0,
        }
    );
    assert_eq!(counts(&t).await, (2, 4, 2));
    let balapan = store::organization_by_bin(t.app.db.pool(), &d.balapan)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(balapan.address, "ул. Кенесары, 1");
    assert_eq!(balapan.kato, "711200000");
    assert_eq!(balapan.latitude, Some(51.128));
    assert_eq!(balapan.languages.as_deref(), Some("kk,ru"));
    let groups = store::groups_of(t.app.db.pool(), balapan.id).await.unwrap();
    let speech = groups.iter().find(|g| g.kind == "correctional").unwrap();
    assert_eq!(speech.correction_type.as_deref(), Some("speech"));
    assert_eq!(speech.capacity, 12);

    // The same files again: nothing created, nothing updated, nothing audited.
    let stamp = count(&t, "SELECT MAX(updated_at) FROM org_groups").await;
    t.clock.advance(60);
    let again = run(&t, &d.orgs(), &d.groups()).await.unwrap();
    assert_eq!(again, ImportSummary::default());
    assert_eq!(counts(&t).await, (2, 4, 2));
    assert_eq!(
        count(&t, "SELECT MAX(updated_at) FROM org_groups").await,
        stamp
    );

    // What staff added to the card stays; a changed column and a changed capacity are updated.
    sqlx::query("UPDATE organizations SET email = 'info@balapan.kz' WHERE bin = $1")
        .bind(&d.balapan)
        .execute(t.app.db.pool())
        .await
        .unwrap();
    let orgs = d.orgs().replace("ул. Кенесары, 1", "ул. Кенесары, 3");
    let changed = run(&t, &orgs, &d.groups_with(30)).await.unwrap();
    assert_eq!(
        changed,
        ImportSummary {
            organizations_created: 0,
            organizations_updated: 1,
            groups_created: 0,
            groups_updated: 1,
        }
    );
    let balapan = store::organization(t.app.db.pool(), balapan.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(balapan.address, "ул. Кенесары, 3");
    assert_eq!(balapan.email.as_deref(), Some("info@balapan.kz"));
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'org.imported' AND subject = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(&d.balapan)
    .fetch_one(t.app.db.pool())
    .await
    .unwrap();
    let detail: serde_json::Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(detail["before"]["address"], "ул. Кенесары, 1");
    assert_eq!(detail["after"]["address"], "ул. Кенесары, 3");
    assert_eq!(counts(&t).await, (2, 4, 3));
}

/// Each bad file is refused with the file and line named, and nothing is written.
#[tokio::test]
async fn bad_lines_are_reported_by_file_and_line_and_nothing_is_written() {
    let t = TestApp::start().await;
    let d = District::new(&t);
    let bad_bin = format!(
        "{}{}",
        &d.balapan[..11],
        (d.balapan.as_bytes()[11] - b'0' + 1) % 10
    );
    let unknown_bin = bin("98765432101");
    let year = d.year - 3;
    let orgs = d.orgs();
    let groups = d.groups();
    let solnyshko = format!("Солнышко,{},ru", d.year - 4);
    let cases: Vec<(String, String, String)> = vec![
        (
            orgs.replace(&d.balapan, &bad_bin),
            groups.clone(),
            "orgs.csv line 2: bin".into(),
        ),
        (
            orgs.replace("710000000", "399999000"),
            groups.clone(),
            "orgs.csv line 3: kato \"399999000\" is not in the classifier".into(),
        ),
        (
            orgs.clone(),
            groups.replace(&solnyshko, &solnyshko.replace(",ru", ",de")),
            "groups.csv line 3: language \"de\"".into(),
        ),
        (
            orgs.clone(),
            groups.replace("correctional,speech", "correctional,"),
            "groups.csv line 4: correction_type".into(),
        ),
        (
            orgs.clone(),
            groups.replace("kk,regular,,", "kk,regular,speech,"),
            "groups.csv line 2: correction_type".into(),
        ),
        (
            orgs.clone(),
            format!("{groups}{unknown_bin},Ақбота,{year},kk,regular,,20\n"),
            format!(
                "groups.csv line 6: org_bin {unknown_bin} is neither in the organizations file nor in the database"
            ),
        ),
        (
            orgs.clone(),
            groups.replace(
                &format!(",{},kk,sanatorium", d.year - 2),
                ",2001,kk,sanatorium",
            ),
            "groups.csv line 5: birth_year \"2001\"".into(),
        ),
    ];
    for (orgs, groups, expected) in cases {
        let messages = run(&t, &orgs, &groups).await.unwrap_err();
        assert!(
            messages.iter().any(|m| m.starts_with(&expected)),
            "expected {expected:?} in {messages:#?}"
        );
        assert_eq!(counts(&t).await, (0, 0, 0), "{messages:?}");
    }

    // Database problems in several lines of both files are reported together.
    let orgs = d.orgs().replace("710000000", "399999000");
    let groups = format!(
        "{}{unknown_bin},Ақбота,{year},uz2,regular,,20\n",
        d.groups()
    );
    let messages = run(&t, &orgs, &groups).await.unwrap_err();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(messages[0].starts_with("orgs.csv line 3: kato"));
    assert!(messages[1].starts_with("groups.csv line 6: language \"uz2\""));
    assert!(messages[1].contains("known: "), "{messages:?}");
    assert!(messages[2].starts_with("groups.csv line 6: org_bin"));
    assert_eq!(counts(&t).await, (0, 0, 0));
}

#[tokio::test]
async fn a_group_of_an_organization_already_stored_can_be_imported_alone() {
    let t = TestApp::start().await;
    let d = District::new(&t);
    run(&t, &d.orgs(), &d.groups()).await.unwrap();
    let groups = format!(
        "{GROUPS_HEADER}\n{},Ақбота,{},kk,regular,,20\n",
        d.aigolek,
        d.year - 1
    );
    let summary = run(&t, &format!("{ORGS_HEADER}\n"), &groups).await.unwrap();
    assert_eq!(summary.groups_created, 1);
    assert_eq!(counts(&t).await, (2, 5, 2));
}

#[tokio::test]
async fn capacity_cannot_be_lowered_below_the_places_taken() {
    let t = TestApp::start().await;
    let d = District::new(&t);
    run(&t, &d.orgs(), &d.groups()).await.unwrap();
    sqlx::query("UPDATE org_groups SET enrolled = 10, open_vacancies = 2 WHERE name = 'Күншуақ'")
        .execute(t.app.db.pool())
        .await
        .unwrap();
    let orgs = d.orgs().replace("пр. Абая 10", "пр. Абая 12");
    let messages = run(&t, &orgs, &d.groups_with(11)).await.unwrap_err();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].starts_with("groups.csv line 2: capacity 11 is below the 12 place(s)"),
        "{messages:?}"
    );
    // Nothing of that import was written, not even the other file's change.
    assert_eq!(
        count(
            &t,
            "SELECT COUNT(*) FROM organizations WHERE address = 'пр. Абая 12'"
        )
        .await,
        0
    );
    assert_eq!(
        count(&t, "SELECT capacity FROM org_groups WHERE name = 'Күншуақ'").await,
        25
    );
    let summary = run(&t, &orgs, &d.groups_with(12)).await.unwrap();
    assert_eq!(
        (summary.organizations_updated, summary.groups_updated),
        (1, 1)
    );
    assert_eq!(
        count(&t, "SELECT capacity FROM org_groups WHERE name = 'Күншуақ'").await,
        12
    );
}

fn card(bin_prefix: &str, name_ru: &str, kato: &str) -> OrganizationInput {
    OrganizationInput {
        bin: Bin::parse(&bin(bin_prefix)).unwrap(),
        name_kk: name_ru.into(),
        name_ru: name_ru.into(),
        kato: Kato::parse(kato).unwrap(),
        address: "ул. Сарайшык, 5".into(),
        phone: None,
        email: Some("info@example.kz".into()),
        website: None,
        ownership: Ownership::Private,
        latitude: None,
        longitude: None,
        working_hours: Some("08:00–19:00".into()),
        languages: vec!["kk".into(), "ru".into()],
        description: None,
        head_name: Some("Сейткали А. Б.".into()),
    }
}

#[tokio::test]
async fn storage_functions_for_the_cabinets() {
    let t = TestApp::start().await;
    let now = t.app.now();
    let db = &t.app.db;
    let mut tx = db.begin().await.unwrap();
    let a = store::insert_organization(&mut tx, &card("10101010101", "Балапан", "711200000"), now)
        .await
        .unwrap();
    let b = store::insert_organization(
        &mut tx,
        &card("20202020202", "Ясли «Ёлочка»", "711100000"),
        now,
    )
    .await
    .unwrap();
    store::insert_organization(
        &mut tx,
        &card("30303030303", "Айгөлек 50%", "750000000"),
        now,
    )
    .await
    .unwrap();
    let mut changed = card("10101010101", "Балапан", "711200000");
    changed.address = "ул. Сарайшык, 7".into();
    store::update_organization(&mut tx, a, &changed, now)
        .await
        .unwrap();
    store::set_organization_active(&mut tx, b, false, now)
        .await
        .unwrap();
    assert!(matches!(
        store::set_organization_active(&mut tx, 999_999, false, now).await,
        Err(sqlx::Error::RowNotFound)
    ));
    tx.commit().await.unwrap();

    let stored = store::organization(db.pool(), a).await.unwrap().unwrap();
    assert_eq!(OrganizationInput::from_stored(&stored), Some(changed));

    let names = |found: &(Vec<kezek_core::orgs::Organization>, i64)| {
        (
            found
                .0
                .iter()
                .map(|o| o.name_ru.clone())
                .collect::<Vec<_>>(),
            found.1,
        )
    };
    let all = store::organizations_in_area(db, "", None, false, 0, 10)
        .await
        .unwrap();
    assert_eq!(
        names(&all),
        (
            vec![
                "Айгөлек 50%".into(),
                "Балапан".into(),
                "Ясли «Ёлочка»".into()
            ],
            3
        )
    );
    let astana_active = store::organizations_in_area(db, "71", None, true, 0, 10)
        .await
        .unwrap();
    assert_eq!(names(&astana_active), (vec!["Балапан".into()], 1));
    let paged = store::organizations_in_area(db, "", None, false, 1, 1)
        .await
        .unwrap();
    assert_eq!(names(&paged), (vec!["Балапан".into()], 3));
    // Cyrillic in any case, ё as е, BIN digits and address; % is a character, not a wildcard.
    for (search, expected) in [
        ("балапан", vec!["Балапан"]),
        ("ЕЛОЧКА", vec!["Ясли «Ёлочка»"]),
        (&bin("30303030303")[..6], vec!["Айгөлек 50%"]),
        ("сарайшык, 7", vec!["Балапан"]),
        ("0%", vec!["Айгөлек 50%"]),
        ("%", vec!["Айгөлек 50%"]),
        ("_", vec![]),
    ] {
        let found = store::organizations_in_area(db, "", Some(search), false, 0, 10)
            .await
            .unwrap();
        let expected: Vec<String> = expected.into_iter().map(String::from).collect();
        let n = expected.len() as i64;
        assert_eq!(names(&found), (expected, n), "search {search:?}");
    }
    let page = store::organizations_in_area(db, "", Some("а"), false, 1, 1)
        .await
        .unwrap();
    assert_eq!(page.1, 3);
    assert_eq!(page.0.len(), 1);

    let year = rules::year_at(now);
    let group = GroupInput {
        name: "Күншуақ".into(),
        birth_year: year - 3,
        age_group: Some("middle".into()),
        language: "kk".into(),
        kind: GroupKind::Regular,
        correction_type: None,
        capacity: 20,
    };
    let mut tx = db.begin().await.unwrap();
    let g1 = store::insert_group(&mut tx, a, &group, now).await.unwrap();
    let other = GroupInput {
        name: "Солнышко".into(),
        ..group.clone()
    };
    let g2 = store::insert_group(&mut tx, a, &other, now).await.unwrap();
    tx.commit().await.unwrap();
    sqlx::query(
        "UPDATE org_groups SET enrolled = 5, open_directions = 1, open_vacancies = 2 WHERE id = $1",
    )
    .bind(g1)
    .execute(db.pool())
    .await
    .unwrap();

    let mut tx = db.begin().await.unwrap();
    let smaller = GroupInput {
        capacity: 7,
        ..group.clone()
    };
    assert!(matches!(
        store::update_group(&mut tx, g1, &smaller, now).await,
        Err(GroupUpdateError::CapacityTooSmall { taken: 8 })
    ));
    let renamed = GroupInput {
        name: "Солнышко".into(),
        ..group.clone()
    };
    assert!(matches!(
        store::update_group(&mut tx, g1, &renamed, now).await,
        Err(GroupUpdateError::NameTaken)
    ));
    assert!(matches!(
        store::update_group(&mut tx, 999_999, &group, now).await,
        Err(GroupUpdateError::NotFound)
    ));
    let speech = GroupInput {
        kind: GroupKind::Correctional,
        correction_type: Some("speech".into()),
        capacity: 8,
        ..group.clone()
    };
    store::update_group(&mut tx, g1, &speech, now)
        .await
        .unwrap();
    store::set_group_active(&mut tx, g2, false, now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let stored = store::group(db.pool(), g1).await.unwrap().unwrap();
    assert_eq!(GroupInput::from_stored(&stored), Some(speech));
    assert_eq!(
        store::group(db.pool(), g2).await.unwrap().unwrap().active,
        0
    );

    let known = rules::known_codes(db, now).await.unwrap();
    assert!(known.languages.contains("kk") && known.correction_types.contains("autism"));
    assert!(known.age_groups.contains("middle"));
    assert_eq!(known.current_year, year);
    assert_eq!(rules::validate_group(&group, &known), Ok(()));
    assert_eq!(
        rules::validate_organization(&card("10101010101", "Балапан", "711200000"), &known),
        Ok(())
    );
}

/// One connection, so the second import reuses the INSERT prepared for the first: an
/// organization with coordinates after one without them (PostgreSQL once refused the second).
#[tokio::test]
async fn coordinates_are_stored_after_an_organization_without_them() {
    let t = TestApp::start_with(|s| s.database_max_connections = 1).await;
    let header = "bin,name_kk,name_ru,kato,address,phone,ownership,latitude,longitude\n";
    let groups = "org_bin,name,birth_year,language,kind,correction_type,capacity\n";
    let (first, second) = (bin("12034000111"), bin("13045000222"));
    run(
        &t,
        &format!("{header}{first},Бірінші,Первый,710000000,Астана,,state,,\n"),
        groups,
    )
    .await
    .unwrap();
    run(
        &t,
        &format!("{header}{second},Екінші,Второй,710000000,Астана,,state,51.128207,71.430411\n"),
        groups,
    )
    .await
    .unwrap();
    let stored = store::organization_by_bin(t.app.db.pool(), &second)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stored.latitude, stored.longitude),
        (Some(51.128207), Some(71.430411))
    );
}
