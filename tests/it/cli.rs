//! The `kezek` binary's subcommands act on the installation named by --data-dir / --database-url.

use std::process::Command;

use crate::harness::TestDatabase;

fn kezek(dir: &std::path::Path, url: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kezek"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .arg("--database-url")
        .arg(url)
        .env_remove("KEZEK_CONFIG")
        .output()
        .expect("kezek runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn registry_import_is_all_or_nothing_and_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::migrated(dir.path()).await;
    let url = database.url().to_owned();
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "iin,last_name,first_name,middle_name,birth_date,sex,nationality\n\
         920314450011,Сейткали,Айгерим,Нурлановна,1992-03-14,F,Казашка\n\
         881102350124,Иванов,Сергей,,1988-11-02,M,\n",
    )
    .unwrap();
    // Sanity: the IINs above are valid (so a failure below is the importer's).
    for iin in ["920314450011", "881102350124"] {
        assert!(kezek_domain::Iin::parse(iin).is_ok(), "{iin}");
    }
    let (ok, out, err) = kezek(
        dir.path(),
        &url,
        &["registry", "import", good.to_str().unwrap()],
    );
    assert!(ok, "{out}{err}");
    assert!(out.contains("2 new, 0 updated"), "{out}");
    let (ok, out, _) = kezek(
        dir.path(),
        &url,
        &["registry", "import", good.to_str().unwrap()],
    );
    assert!(ok && out.contains("0 new, 2 updated"), "{out}");

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "iin,last_name,first_name,middle_name,birth_date,sex,nationality\n\
         630101300017,Новый,Человек,,1963-01-01,M,\n\
         920314450014,Плохая,Сумма,,1992-03-14,F,\n\
         920314450011,Сейткали,Айгерим,,1992-03-15,F,\n",
    )
    .unwrap();
    let (ok, _, err) = kezek(
        dir.path(),
        &url,
        &["registry", "import", bad.to_str().unwrap()],
    );
    assert!(!ok);
    assert!(
        err.contains("line 3") && err.contains("line 4") && !err.contains("line 2:"),
        "{err}"
    );

    // Nothing of the bad file was imported: the first (valid) line is not in the register.
    let db = kezek_core::db::Db::connect_url(&url, 1).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registry_persons")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(n, 2);
}

#[tokio::test]
async fn staff_add_and_migrate_work_on_the_same_installation() {
    let dir = tempfile::tempdir().unwrap();
    // `kezek migrate` is what is tested: it starts from an empty database.
    let database = TestDatabase::empty(dir.path()).await;
    let url = database.url().to_owned();
    let (ok, out, err) = kezek(dir.path(), &url, &["migrate"]);
    assert!(
        ok && !out.starts_with("0 ") && out.contains("migration(s) applied"),
        "{out}{err}"
    );
    let (ok, out, _) = kezek(dir.path(), &url, &["migrate"]);
    assert!(ok && out.contains("0 migration(s) applied"), "{out}");
    let (ok, out, err) = kezek(
        dir.path(),
        &url,
        &[
            "staff",
            "add",
            "--role",
            "department",
            "--kato",
            "710000000",
            "--phone",
            "+7 700 555 00 01",
            "--password",
            "operator secret",
        ],
    );
    assert!(ok, "{out}{err}");
    let (ok, _, err) = kezek(
        dir.path(),
        &url,
        &[
            "staff",
            "add",
            "--role",
            "admin",
            "--phone",
            "+77005550001",
            "--password",
            "another secret",
        ],
    );
    assert!(!ok && err.contains("already belongs"), "{err}");
    let (ok, _, err) = kezek(
        dir.path(),
        &url,
        &[
            "staff",
            "add",
            "--role",
            "organization",
            "--phone",
            "+77005550002",
            "--password",
            "another secret",
        ],
    );
    assert!(!ok && err.contains("--org"), "{err}");
    let db = kezek_core::db::Db::connect_url(&url, 1).await.unwrap();
    let role: String = sqlx::query_scalar("SELECT role FROM users WHERE phone = '+77005550001'")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(role, "department");
}

#[tokio::test]
async fn a_district_is_set_up_from_csv_files_alone() {
    let dir = tempfile::tempdir().unwrap();
    let database = TestDatabase::migrated(dir.path()).await;
    let url = database.url().to_owned();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let kato = write(
        "kato.csv",
        "code,name_kk,name_ru\n196000000,Қонаев қ.ә.,Г.А. Конаев\n196010000,Қонаев қаласы,Город Конаев\n",
    );
    let orgs = write(
        "orgs.csv",
        "bin,name_kk,name_ru,kato,address,phone,ownership,latitude,longitude\n\
         120540007891,«Айгөлек» балабақшасы,Детский сад «Айголек»,196010000,\"Конаев, ул. Абая, 3\",,state,43.87,77.06\n",
    );
    let groups = write(
        "groups.csv",
        "org_bin,name,birth_year,language,kind,correction_type,capacity\n\
         120540007891,Айгөлек,2022,kk,regular,,20\n\
         120540007891,Логопедтік,2021,kk,correctional,speech,10\n",
    );
    let (ok, out, err) = kezek(dir.path(), &url, &["kato", "import", &kato]);
    assert!(ok && out.contains("2 new"), "{out}{err}");
    let (ok, out, err) = kezek(
        dir.path(),
        &url,
        &[
            "org",
            "import",
            "--organizations",
            &orgs,
            "--groups",
            &groups,
        ],
    );
    assert!(
        ok && out.contains("organizations: 1 new") && out.contains("groups: 2 new"),
        "{out}{err}"
    );
    let (ok, out, err) = kezek(
        dir.path(),
        &url,
        &[
            "staff",
            "add",
            "--role",
            "organization",
            "--org",
            "120540007891",
            "--phone",
            "+77005550100",
            "--password",
            "kindergarten staff",
        ],
    );
    assert!(ok, "{out}{err}");
    let (ok, _, err) = kezek(
        dir.path(),
        &url,
        &[
            "staff",
            "add",
            "--role",
            "department",
            "--kato",
            "196000000",
            "--phone",
            "+77005550101",
            "--password",
            "district operator",
        ],
    );
    assert!(ok, "{err}");
    let (ok, _, err) = kezek(
        dir.path(),
        &url,
        &[
            "staff",
            "add",
            "--role",
            "organization",
            "--org",
            "990140000384",
            "--phone",
            "+77005550102",
            "--password",
            "kindergarten staff",
        ],
    );
    assert!(!ok && err.contains("No organization has this BIN"), "{err}");

    // The same installation served: the staff member works in the cabinet.
    let settings = kezek_core::config::Settings::resolve(kezek_core::config::SettingsInput {
        data_dir: Some(dir.path().to_owned()),
        database_url: Some(kezek_core::config::Secret::new(url)),
        ..Default::default()
    })
    .unwrap();
    let app = kezek_core::app::App::start(settings).await.unwrap();
    let mut c = crate::harness::Client {
        router: kezek_web::router(app),
        cookies: Default::default(),
        ip: "198.51.100.20".into(),
        accept_language: "kk".into(),
    };
    assert_eq!(
        c.login("+77005550100", "kindergarten staff")
            .await
            .location(),
        Some("/org")
    );
    let r = c.get("/org").await;
    assert!(
        r.body.contains("«Айгөлек» балабақшасы") && r.body.contains("Логопедтік"),
        "{}",
        r.body
    );
}
