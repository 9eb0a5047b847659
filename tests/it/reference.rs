//! Reference data: the seeds the migrations ship, the all-or-nothing KATO import, and the rule
//! that a code in use cannot be deleted.

use kezek_core::reference::{self, ReferenceError, ReferenceItem, ReferenceKind, kato_import};
use kezek_domain::REGIONS;

use crate::harness::TestApp;

#[tokio::test]
async fn the_migrations_ship_the_reference_data() {
    let t = TestApp::start().await;
    let db = t.app.db.pool();

    let regions = reference::kato_regions(db).await.unwrap();
    assert_eq!(regions.len(), 20);
    for region in &REGIONS {
        let unit = regions
            .iter()
            .find(|u| u.code == format!("{}0000000", region.code))
            .unwrap_or_else(|| panic!("region {} is seeded", region.code));
        assert_eq!(
            (unit.name_kk.as_str(), unit.name_ru.as_str()),
            (region.name_kk, region.name_ru)
        );
    }
    for (city, districts) in [("710000000", 6), ("750000000", 8), ("790000000", 5)] {
        let children = reference::kato_children(db, city).await.unwrap();
        assert_eq!(children.len(), districts, "{city}: {children:?}");
        assert!(children.iter().all(|d| d.level == 2));
    }
    assert_eq!(
        reference::kato_name(db, "751700000", "ru").await.unwrap(),
        Some("Медеуский район".into())
    );
    assert_eq!(
        reference::kato_name(db, "751700000", "kk").await.unwrap(),
        Some("Медеу ауданы".into())
    );
    assert_eq!(
        reference::kato_name(db, "759900000", "ru").await.unwrap(),
        None
    );

    let counts = [
        (ReferenceKind::Language, 6),
        (ReferenceKind::CorrectionType, 8),
        (ReferenceKind::PrivilegeCategory, 8),
        (ReferenceKind::Nationality, 20),
        (ReferenceKind::AgeGroup, 5),
    ];
    for (kind, count) in counts {
        let items = reference::list(db, kind, false).await.unwrap();
        assert_eq!(items.len(), count, "{kind:?}");
        assert!(items.windows(2).all(|w| w[0].position < w[1].position));
    }
    let languages = reference::list(db, ReferenceKind::Language, false)
        .await
        .unwrap();
    let codes: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(codes, ["kk", "ru", "en", "uz", "ug", "tj"]);
    assert_eq!(languages[0].name("kk"), "Қазақ тілі");
    assert_eq!(languages[0].name("ru"), "Казахский");
    let military = reference::get(db, ReferenceKind::PrivilegeCategory, "military")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(military.attribute.as_deref(), Some("extraordinary"));
    let teacher = reference::get(db, ReferenceKind::PrivilegeCategory, "teacher")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(teacher.attribute.as_deref(), Some("first_priority"));
}

async fn import(t: &TestApp, csv: &str) -> Result<(u64, u64), Vec<(u64, String)>> {
    let lines = |errors: Vec<kezek_core::csv_file::LineError>| {
        errors.into_iter().map(|e| (e.line, e.reason)).collect()
    };
    let rows = kato_import::parse(csv.as_bytes()).map_err(lines)?;
    match kato_import::store(&t.app.db, &rows, 1_700_000_000).await {
        Ok(s) => Ok((s.inserted, s.updated)),
        Err(kato_import::StoreError::Lines(errors)) => Err(lines(errors)),
        Err(e) => panic!("{e}"),
    }
}

async fn kato_count(t: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM kato")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_kato_import_is_all_or_nothing() {
    let t = TestApp::start().await;
    let db = t.app.db.pool();
    let before = kato_count(&t).await;

    // One malformed line: nothing is written.
    let bad = "code,name_kk,name_ru\n711210000,Есіл,Есиль\n71121000x,Қате,Ошибка\n";
    let errors = import(&t, bad).await.unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, 3);
    assert_eq!(kato_count(&t).await, before);

    // A parent neither in the file nor in the classifier: refused by line, nothing written.
    let orphan = "code,name_kk,name_ru\n711210000,Есіл,Есиль\n751610000,Жоқ,Нет\n";
    let errors = import(&t, orphan).await.unwrap_err();
    assert_eq!(
        errors,
        [(
            3,
            "parent 751600000 of 751610000 is neither in the file nor in the classifier".into()
        )]
    );
    assert_eq!(kato_count(&t).await, before);

    // Parents from the classifier or from the same file, in any order.
    let good = "\u{feff}code,name_kk,name_ru\n\
                711210001,Бірінші ауыл,Первое село\n\
                711210000,Есіл,Есиль\n\
                751200000,Алатау,Алатау\n";
    assert_eq!(import(&t, good).await.unwrap(), (2, 1));
    assert_eq!(kato_count(&t).await, before + 2);
    let village = reference::kato_unit(db, "711210001")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(village.parent_code.as_deref(), Some("711210000"));
    assert_eq!(village.level, 4);
    let town = reference::kato_unit(db, "711210000")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (town.parent_code.as_deref(), town.level),
        (Some("711200000"), 3)
    );
    assert_eq!(
        reference::kato_name(db, "751200000", "kk").await.unwrap(),
        Some("Алатау".into())
    );

    // Importing again updates names in place.
    let renamed = "code,name_kk,name_ru\n711210000,Есіл қаласы,город Есиль\n";
    assert_eq!(import(&t, renamed).await.unwrap(), (0, 1));
    assert_eq!(kato_count(&t).await, before + 2);
    assert_eq!(
        reference::kato_name(db, "711210000", "ru").await.unwrap(),
        Some("город Есиль".into())
    );
    let children = reference::kato_children(db, "711200000").await.unwrap();
    assert_eq!(children.len(), 1);
}

async fn group_using(t: &TestApp, language: &str, correction_type: &str, org_languages: &str) {
    let db = t.app.db.pool();
    let org: i64 = sqlx::query_scalar(
        "INSERT INTO organizations (bin, name_kk, name_ru, kato, address, ownership, languages, created_at, updated_at)
         VALUES ('990140000384', 'Балапан', 'Балапан', '711200000', 'Мәңгілік Ел, 8', 'state', $1, 0, 0) RETURNING id",
    )
    .bind(org_languages)
    .fetch_one(db)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO org_groups (organization_id, name, birth_year, language, kind, correction_type, capacity, created_at, updated_at)
         VALUES ($1, 'Күншуақ', 2021, $2, 'correctional', $3, 10, 0, 0)",
    )
    .bind(org)
    .bind(language)
    .bind(correction_type)
    .execute(db)
    .await
    .unwrap();
}

fn item(kind: ReferenceKind, code: &str) -> ReferenceItem {
    ReferenceItem {
        kind,
        code: code.into(),
        name_kk: "Атауы".into(),
        name_ru: "Название".into(),
        name_en: "Name".into(),
        position: 99,
        attribute: None,
        active: 1,
    }
}

#[tokio::test]
async fn a_code_in_use_cannot_be_deleted() {
    let t = TestApp::start().await;
    let db = &t.app.db;
    group_using(&t, "kk", "speech", "kk, ru,uz").await;

    let refused = |r: Result<(), ReferenceError>| matches!(r, Err(ReferenceError::InUse));
    // Used by the group…
    assert!(refused(
        reference::delete(db, ReferenceKind::Language, "kk").await
    ));
    assert!(refused(
        reference::delete(db, ReferenceKind::CorrectionType, "speech").await
    ));
    // …or only in the organization's list of languages.
    assert!(refused(
        reference::delete(db, ReferenceKind::Language, "ru").await
    ));
    assert!(refused(
        reference::delete(db, ReferenceKind::Language, "uz").await
    ));
    assert!(
        reference::get(db.pool(), ReferenceKind::Language, "kk")
            .await
            .unwrap()
            .is_some()
    );

    // Unused codes go, even one that would match "uz" if `_` were a wildcard.
    reference::delete(db, ReferenceKind::Language, "ug")
        .await
        .unwrap();
    reference::delete(db, ReferenceKind::CorrectionType, "vision")
        .await
        .unwrap();
    reference::save(db.pool(), &item(ReferenceKind::Language, "u_"))
        .await
        .unwrap();
    reference::delete(db, ReferenceKind::Language, "u_")
        .await
        .unwrap();
    assert!(matches!(
        reference::delete(db, ReferenceKind::Language, "ug").await,
        Err(ReferenceError::NotFound)
    ));
    let languages = reference::list(db.pool(), ReferenceKind::Language, true)
        .await
        .unwrap();
    assert_eq!(languages.len(), 5);
}

#[tokio::test]
async fn items_are_saved_validated_and_deactivated() {
    let t = TestApp::start().await;
    let db = t.app.db.pool();

    let mut kazakh = reference::get(db, ReferenceKind::Language, "kk")
        .await
        .unwrap()
        .unwrap();
    kazakh.name_en = "Kazakh language".into();
    kazakh.active = 0;
    reference::save(db, &kazakh).await.unwrap();
    let active = reference::list(db, ReferenceKind::Language, false)
        .await
        .unwrap();
    assert!(active.iter().all(|l| l.code != "kk"));
    let all = reference::list(db, ReferenceKind::Language, true)
        .await
        .unwrap();
    let stored = all.iter().find(|l| l.code == "kk").unwrap();
    assert_eq!(stored.name("en"), "Kazakh language");

    let mut bad = item(ReferenceKind::AgeGroup, "toddlers");
    assert!(matches!(
        reference::save(db, &bad).await,
        Err(ReferenceError::Attribute)
    ));
    bad.attribute = Some("1-3".into());
    reference::save(db, &bad).await.unwrap();
    bad.code = "Toddlers".into();
    assert!(matches!(
        reference::save(db, &bad).await,
        Err(ReferenceError::Code)
    ));
}
