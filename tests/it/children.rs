//! "Мои дети" through the real pages: adding a child as the parent's guide describes it
//! ("Добавить ребенка" → IIN → "Проверить ИИН" → "Пол", "Национальность" → "Сохранить"),
//! every refusal, editing, and who may see what (another parent's child is 404, staff 403).

use axum::http::StatusCode;
use chrono::{Days, Months, NaiveDate};
use kezek_core::accounts::users::StaffBinding;
use kezek_domain::{Iin, Person, Role, Sex};

use crate::harness::{Client, Response, TestApp};

const PASSWORD: &str = "пароль родителя 2026";

/// A registered parent, logged in; returns the client and the parent's own IIN.
async fn parent(t: &TestApp, phone: &str) -> (Client, String) {
    let (mut c, iin) = t.register_parent(phone, PASSWORD).await;
    let r = c.login(phone, PASSWORD).await;
    assert_eq!(r.location(), Some("/cabinet"), "{}", r.body);
    (c, iin)
}

async fn set_nationality(t: &TestApp, iin: &str, text: &str) {
    sqlx::query("UPDATE registry_persons SET nationality = $1 WHERE iin = $2")
        .bind(text)
        .bind(iin)
        .execute(t.app.db.pool())
        .await
        .unwrap();
}

async fn check(c: &mut Client, iin: &str) -> Response {
    c.post(
        "/cabinet/children/new",
        &[("iin", iin), ("action", "check")],
    )
    .await
}

async fn save(c: &mut Client, iin: &str, sex: &str, nationality: &str) -> Response {
    c.post(
        "/cabinet/children/new",
        &[
            ("iin", iin),
            ("checked_iin", iin),
            ("sex", sex),
            ("nationality", nationality),
            ("action", "save"),
        ],
    )
    .await
}

/// Checks and saves a child with the prefilled sex; returns the child's id.
async fn add(t: &TestApp, c: &mut Client, iin: &str) -> i64 {
    assert_eq!(check(c, iin).await.status, StatusCode::OK);
    let sex = Iin::parse(iin).unwrap().sex().code();
    let r = save(c, iin, sex, "").await;
    assert_eq!(r.location(), Some("/cabinet/children"), "{}", r.body);
    child_id(t, iin).await.expect("the child is stored")
}

async fn child_id(t: &TestApp, iin: &str) -> Option<i64> {
    sqlx::query_scalar("SELECT id FROM children WHERE iin = $1")
        .bind(iin)
        .fetch_optional(t.app.db.pool())
        .await
        .unwrap()
}

async fn count_children(t: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM children")
        .fetch_one(t.app.db.pool())
        .await
        .unwrap()
}

/// The newest audit entry with `action`: its actor, subject and detail.
async fn last_audit(t: &TestApp, action: &str) -> (Option<i64>, Option<String>, serde_json::Value) {
    let (actor, subject, detail): (Option<i64>, Option<String>, String) = sqlx::query_as(
        "SELECT actor_user_id, subject, detail FROM audit_log WHERE action = $1
         ORDER BY id DESC LIMIT 1",
    )
    .bind(action)
    .fetch_one(t.app.db.pool())
    .await
    .unwrap_or_else(|e| panic!("no {action} entry: {e}"));
    (actor, subject, serde_json::from_str(&detail).unwrap())
}

fn today(t: &TestApp) -> NaiveDate {
    kezek_domain::time::local_date(t.app.now())
}

fn ymd(d: NaiveDate) -> (i32, u32, u32) {
    use chrono::Datelike;
    (d.year(), d.month(), d.day())
}

/// Whether `<option value="{code}" selected>` is on the page.
fn selected(body: &str, code: &str) -> bool {
    body.contains(&format!("<option value=\"{code}\" selected>"))
}

#[tokio::test]
async fn a_parent_adds_a_child_as_the_guide_describes() {
    let t = TestApp::start().await;
    let (mut c, _) = parent(&t, "+77021000001").await;

    // Личный кабинет → "Мои дети" → "Добавить ребенка".
    let r = c.get("/cabinet").await;
    assert!(
        r.body.contains("href=\"/cabinet/children\">Мои дети</a>"),
        "{}",
        r.body
    );
    let r = c.get("/cabinet/children").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<h1>Мои дети</h1>"), "{}", r.body);
    assert!(r.body.contains("Вы еще не добавили детей"));
    assert!(
        r.body
            .contains("href=\"/cabinet/children/new\">Добавить ребенка</a>")
    );
    let r = c.get("/cabinet/children/new").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("<label for=\"f-iin\">ИИН ребенка"),
        "{}",
        r.body
    );
    assert!(r.body.contains(">Проверить ИИН</button>"));
    assert!(
        !r.body.contains("name=\"sex\""),
        "sex comes after the check"
    );

    let iin = t
        .add_person("Сейткали", "Алихан", (2022, 5, 12), Sex::Male)
        .await;
    set_nationality(&t, &iin, "Казах").await;

    // "Сохранить" for an IIN whose data was not shown shows the data first and saves nothing.
    let r = c
        .post(
            "/cabinet/children/new",
            &[("iin", &iin), ("sex", "M"), ("action", "save")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Алихан С."));
    assert_eq!(count_children(&t).await, 0);

    // "Проверить ИИН": the first name and the surname's initial (enough to confirm, not the
    // register's full name) and the birth date; "Пол" from the IIN, "Национальность" from the
    // register's text.
    let spaced = format!("{} {} {}", &iin[..4], &iin[4..8], &iin[8..]);
    let r = check(&mut c, &spaced).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Алихан С.") && r.body.contains("12.05.2022"));
    assert!(!r.body.contains("Сейткали"), "the surname stays hidden");
    assert!(
        r.body.contains(&format!("value=\"{iin}\"")),
        "the IIN is tidied"
    );
    assert!(
        r.body
            .contains(&format!("name=\"checked_iin\" value=\"{iin}\""))
    );
    assert!(
        r.body
            .contains("<label for=\"f-sex\">Пол <span class=\"req\"")
    );
    assert!(
        r.body
            .contains("<label for=\"f-nationality\">Национальность</label>")
    );
    assert!(selected(&r.body, "M"), "{}", r.body);
    assert!(selected(&r.body, "kazakh"), "{}", r.body);
    assert!(r.body.contains(">Сохранить</button>"));

    // The parent may change both before saving.
    let r = save(&mut c, &iin, "F", "russian").await;
    assert_eq!(r.location(), Some("/cabinet/children"), "{}", r.body);
    let r = c.get("/cabinet/children").await;
    assert!(r.body.contains("Ребенок добавлен."), "{}", r.body);
    assert!(r.body.contains("Сейткали Алихан") && r.body.contains(&iin));
    assert!(r.body.contains("12.05.2022"));
    assert!(r.body.contains("Женский") && r.body.contains("Русский"));
    let id = child_id(&t, &iin).await.unwrap();
    assert!(r.body.contains(&format!("href=\"/cabinet/children/{id}\"")));
    assert!(r.body.contains(">Подробнее</a>"));

    let (actor, subject, detail) = last_audit(&t, "child.added").await;
    assert!(actor.is_some());
    assert_eq!(subject.as_deref(), Some(iin.as_str()));
    assert_eq!(detail["child_id"], id);
    assert_eq!(detail["after"]["sex"], "F");
    assert_eq!(detail["after"]["nationality"], "russian");

    // The service gives the applications what they need.
    let parent_id = actor.unwrap();
    let mine = kezek_core::children::children_of(t.app.db.pool(), parent_id)
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].full_name(), "Сейткали Алихан");
    assert_eq!(
        mine[0].birth_date,
        NaiveDate::from_ymd_opt(2022, 5, 12).unwrap()
    );
    assert_eq!(mine[0].sex, Sex::Female);
    let one = kezek_core::children::child_of(t.app.db.pool(), parent_id, id)
        .await
        .unwrap();
    assert_eq!(one.as_ref(), Some(&mine[0]));
    assert_eq!(
        kezek_core::children::child_of(t.app.db.pool(), parent_id + 1000, id)
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn the_pages_speak_kazakh_and_english() {
    let t = TestApp::start().await;
    let (mut c, _) = parent(&t, "+77021000002").await;
    let iin = t
        .add_person("Ким", "Даниил", (2022, 12, 1), Sex::Male)
        .await;
    c.accept_language = "kk".into();
    let r = c.get("/cabinet/children").await;
    assert!(r.body.contains("Менің балаларым") && r.body.contains("Бала қосу"));
    let r = check(&mut c, &iin).await;
    assert!(r.body.contains("Баланың ЖСН-і") && r.body.contains("Жынысы"));
    assert!(r.body.contains("Ұлты") && r.body.contains("Сақтау"));
    c.accept_language = "en".into();
    let r = check(&mut c, &iin).await;
    assert!(r.body.contains("IIN") && r.body.contains("Sex"));
    assert!(r.body.contains("Nationality") && r.body.contains(">Save</button>"));
}

#[tokio::test]
async fn every_refusal_is_explained_beside_the_iin_and_keeps_what_was_typed() {
    let t = TestApp::start().await;
    let (mut a, a_iin) = parent(&t, "+77021000011").await;
    let (mut b, b_iin) = parent(&t, "+77021000012").await;

    let mine = t
        .add_person("Омарова", "Аружан", (2023, 2, 3), Sex::Female)
        .await;
    add(&t, &mut a, &mine).await;
    let theirs = t
        .add_person("Нуров", "Ерасыл", (2021, 8, 30), Sex::Male)
        .await;
    add(&t, &mut b, &theirs).await;

    let seven = today(&t).checked_sub_months(Months::new(84)).unwrap();
    let school = t.add_person("Асанов", "Тимур", ymd(seven), Sex::Male).await;
    let almost = t
        .add_person("Асанова", "Дана", ymd(seven + Days::new(1)), Sex::Female)
        .await;

    // Nobody has serials from 9900: the harness picks them below 9500.
    let unknown = (9900..10000)
        .find_map(|s| Iin::generate(NaiveDate::from_ymd_opt(2023, 2, 3).unwrap(), Sex::Male, s))
        .unwrap()
        .to_string();
    let bad_checksum = {
        let last = mine.as_bytes()[11] - b'0';
        format!("{}{}", &mine[..11], (last + 1) % 10)
    };

    for (iin, message) in [
        ("12345", "ИИН должен состоять из 12 цифр"),
        ("221332500011", "не образуют дату рождения"),
        (bad_checksum.as_str(), "контрольная цифра"),
        (unknown.as_str(), "не найден в государственной базе"),
        (school.as_str(), "уже исполнилось 7 лет"),
        (mine.as_str(), "уже есть в разделе «Мои дети»"),
        (a_iin.as_str(), "Это ваш собственный ИИН"),
        (theirs.as_str(), "уже добавлен другим заявителем"),
        (b_iin.as_str(), "принадлежит зарегистрированному заявителю"),
    ] {
        for r in [check(&mut a, iin).await, save(&mut a, iin, "M", "").await] {
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{iin}: {}",
                r.body
            );
            assert!(
                r.body.contains(message),
                "{iin}: expected {message:?} in {}",
                r.body
            );
            assert!(
                r.body.contains(&format!("value=\"{iin}\"")),
                "the typed IIN is kept"
            );
            assert!(
                r.body
                    .contains("aria-invalid=\"true\" aria-describedby=\"f-iin-error\"")
            );
            assert!(!r.body.contains("name=\"checked_iin\""), "nothing to save");
        }
    }
    // Another applicant's child: said so, but not who has it.
    let r = check(&mut a, &theirs).await;
    for secret in [
        "Сапарова",
        "+77021000012",
        "7 702 100 00 12",
        b_iin.as_str(),
    ] {
        assert!(!r.body.contains(secret), "{secret} leaked");
    }
    assert_eq!(count_children(&t).await, 2, "no refusal saved anything");

    // A day short of seven is still a kindergarten child.
    let r = check(&mut a, &almost).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // ... until the birthday comes.
    t.clock.advance(24 * 3600);
    a.login("+77021000011", PASSWORD).await;
    let r = save(&mut a, &almost, "F", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("уже исполнилось 7 лет"));

    // A tampered choice keeps the register's data on screen.
    let fresh = t
        .add_person("Бекова", "Сая", (2024, 1, 9), Sex::Female)
        .await;
    let r = save(&mut a, &fresh, "X", "").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Выберите пол.") && r.body.contains("Сая Б."));
    let r = save(&mut a, &fresh, "F", "martian").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Выберите национальность из списка."));
    assert_eq!(count_children(&t).await, 2);
}

#[tokio::test]
async fn a_register_outage_keeps_the_form_and_says_so() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let t = TestApp::start_with(|s| {
        s.registry = kezek_core::config::RegistrySettings::Http { url, token: None };
    })
    .await;
    // Registration needs the register too, so this parent is stored directly.
    let phone = kezek_domain::Phone::parse("+77021000021").unwrap();
    let born = NaiveDate::from_ymd_opt(1990, 3, 3).unwrap();
    let own = (0..100)
        .find_map(|s| Iin::generate(born, Sex::Female, s))
        .unwrap();
    let hash = t.app.hasher.hash(PASSWORD).await.unwrap();
    let id = kezek_core::accounts::users::insert(t.app.db.pool(), &phone, &hash, Role::Parent, 0)
        .await
        .unwrap();
    let person = Person {
        iin: own,
        last_name: "Ахметова".into(),
        first_name: "Гульнара".into(),
        middle_name: None,
        birth_date: born,
        sex: Sex::Female,
        nationality: None,
    };
    kezek_core::accounts::users::insert_applicant(t.app.db.pool(), id, &person)
        .await
        .unwrap();
    let mut c = t.client();
    assert_eq!(
        c.login("+77021000021", PASSWORD).await.location(),
        Some("/cabinet")
    );

    let date = NaiveDate::from_ymd_opt(2022, 5, 12).unwrap();
    let child = (0..100)
        .find_map(|s| Iin::generate(date, Sex::Male, s))
        .unwrap()
        .to_string();
    for r in [
        check(&mut c, &child).await,
        save(&mut c, &child, "M", "").await,
    ] {
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", r.body);
        assert!(
            r.body
                .contains("База данных физических лиц сейчас недоступна")
        );
        assert!(
            r.body.contains(&format!("value=\"{child}\"")),
            "the IIN stays"
        );
    }
    assert_eq!(count_children(&t).await, 0);
}

#[tokio::test]
async fn a_parent_changes_sex_and_nationality_and_the_change_is_audited() {
    let t = TestApp::start().await;
    let (mut c, _) = parent(&t, "+77021000031").await;
    let iin = t
        .add_person("Иванова", "Мария", (2021, 2, 17), Sex::Female)
        .await;
    let id = add(&t, &mut c, &iin).await;

    let r = c.get(&format!("/cabinet/children/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Иванова Мария") && r.body.contains(&iin));
    assert!(r.body.contains("17.02.2021") && r.body.contains("не указана"));
    assert!(selected(&r.body, "F"));
    assert!(!r.body.contains("name=\"iin\""), "the IIN cannot be edited");
    assert!(
        !r.body.contains("name=\"last_name\""),
        "names cannot be edited"
    );

    let path = format!("/cabinet/children/{id}");
    // Fields that are not the parent's to change are ignored.
    let r = c
        .post(
            &path,
            &[
                ("sex", "F"),
                ("nationality", "russian"),
                ("iin", "000000000000"),
                ("last_name", "Другая"),
            ],
        )
        .await;
    assert_eq!(r.location(), Some(path.as_str()), "{}", r.body);
    let r = c.get(&path).await;
    assert!(r.body.contains("Данные ребенка сохранены."));
    assert!(r.body.contains("Русский") && r.body.contains("Иванова Мария"));
    assert!(selected(&r.body, "russian"));
    let (_, subject, detail) = last_audit(&t, "child.updated").await;
    assert_eq!(subject.as_deref(), Some(iin.as_str()));
    assert_eq!(detail["child_id"], id);
    assert_eq!(detail["before"]["nationality"], serde_json::Value::Null);
    assert_eq!(detail["after"]["nationality"], "russian");
    assert_eq!(detail["before"]["sex"], "F");
    assert_eq!(detail["after"]["sex"], "F");

    let r = c
        .post(&path, &[("sex", ""), ("nationality", "kazakh")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Выберите пол."));
    assert!(selected(&r.body, "kazakh"), "the choice is kept");

    // A deactivated nationality stays on the child who has it and can still be saved.
    sqlx::query(
        "UPDATE reference_items SET active = 0 WHERE kind = 'nationality' AND code = 'russian'",
    )
    .execute(t.app.db.pool())
    .await
    .unwrap();
    let r = c.get(&path).await;
    assert!(selected(&r.body, "russian"), "{}", r.body);
    let r = c
        .post(&path, &[("sex", "M"), ("nationality", "russian")])
        .await;
    assert_eq!(r.location(), Some(path.as_str()), "{}", r.body);
    let (_, _, detail) = last_audit(&t, "child.updated").await;
    assert_eq!(detail["before"]["sex"], "F");
    assert_eq!(detail["after"]["sex"], "M");
    // ...but cannot be chosen anew.
    let other = t
        .add_person("Иванов", "Петр", (2023, 4, 4), Sex::Male)
        .await;
    let r = save(&mut c, &other, "M", "russian").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Выберите национальность из списка."));
}

#[tokio::test]
async fn a_parent_sees_and_changes_only_their_own_children() {
    let t = TestApp::start().await;
    let (mut a, _) = parent(&t, "+77021000041").await;
    let (mut b, _) = parent(&t, "+77021000042").await;
    let iin = t
        .add_person("Жумабеков", "Нурсултан", (2024, 4, 25), Sex::Male)
        .await;
    let id = add(&t, &mut a, &iin).await;
    let path = format!("/cabinet/children/{id}");

    let r = b.get("/cabinet/children").await;
    assert!(!r.body.contains("Жумабеков"), "{}", r.body);
    let r = b.get(&path).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(!r.body.contains("Жумабеков") && !r.body.contains(&iin));
    let r = b
        .post(&path, &[("sex", "F"), ("nationality", "kazakh")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    for missing in [
        "/cabinet/children/999999",
        "/cabinet/children/abc",
        "/cabinet/children/-1",
    ] {
        assert_eq!(
            a.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    let unchanged = kezek_core::children::children_of(t.app.db.pool(), {
        sqlx::query_scalar::<_, i64>("SELECT parent_user_id FROM children WHERE id = $1")
            .bind(id)
            .fetch_one(t.app.db.pool())
            .await
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(unchanged[0].sex, Sex::Male);
    assert_eq!(unchanged[0].nationality, None);
    let changes: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'child.updated'")
            .fetch_one(t.app.db.pool())
            .await
            .unwrap();
    assert_eq!(changes, 0);
    assert_eq!(a.get(&path).await.status, StatusCode::OK);
}

#[tokio::test]
async fn staff_are_forbidden_and_visitors_are_sent_to_log_in() {
    let t = TestApp::start().await;
    let mut visitor = t.client();
    for path in [
        "/cabinet/children",
        "/cabinet/children/new",
        "/cabinet/children/1",
    ] {
        let r = visitor.get(path).await;
        assert_eq!(r.location(), Some("/login"), "{path}");
    }
    let r = visitor.get("/login").await;
    assert!(r.body.contains("Войдите, чтобы продолжить."), "{}", r.body);

    kezek_core::accounts::create_staff(
        &t.app,
        Role::Admin,
        "+77021000051",
        "admin password 1",
        StaffBinding::default(),
    )
    .await
    .unwrap();
    let mut staff = t.client();
    assert_eq!(
        staff
            .login("+77021000051", "admin password 1")
            .await
            .location(),
        Some("/admin")
    );
    for path in [
        "/cabinet/children",
        "/cabinet/children/new",
        "/cabinet/children/1",
    ] {
        let r = staff.get(path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert!(r.body.contains("У вас нет доступа к этой странице."));
    }
    let child = t
        .add_person("Садыкова", "Ая", (2023, 3, 3), Sex::Female)
        .await;
    let r = staff
        .post(
            "/cabinet/children/new",
            &[("iin", &child), ("action", "check")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(count_children(&t).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parents_saving_the_same_child_at_once_get_one_child() {
    let t = TestApp::start().await;
    let mut actors = Vec::new();
    for n in 0..6 {
        let phone = format!("+7702100006{n}");
        t.register_parent(&phone, PASSWORD).await;
        let user = kezek_core::accounts::users::by_phone(
            t.app.db.pool(),
            &kezek_domain::Phone::parse(&phone).unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
        actors.push(kezek_core::audit::Actor {
            user_id: user.id,
            ip: "198.51.100.7".into(),
        });
    }
    let iin = t.add_person("Ким", "Ева", (2023, 6, 6), Sex::Female).await;
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(actors.len()));
    let tasks: Vec<_> = actors
        .into_iter()
        .map(|actor| {
            let (app, iin, start) = (t.app.clone(), iin.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                kezek_core::children::add_child(&app, &actor, &iin, "F", "").await
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await.unwrap());
    }
    assert_eq!(
        outcomes.iter().filter(|o| o.is_ok()).count(),
        1,
        "{outcomes:?}"
    );
    assert!(
        outcomes
            .iter()
            .filter(|o| o.is_err())
            .all(|o| matches!(o, Err(kezek_core::children::ChildError::AddedByAnother))),
        "{outcomes:?}"
    );
    assert_eq!(count_children(&t).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_child_saved_by_another_parent_during_the_save_is_refused() {
    let t = TestApp::start().await;
    let mut ids = Vec::new();
    for phone in ["+77021000071", "+77021000072"] {
        t.register_parent(phone, PASSWORD).await;
        let user = kezek_core::accounts::users::by_phone(
            t.app.db.pool(),
            &kezek_domain::Phone::parse(phone).unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
        ids.push(user.id);
    }
    let iin = t.add_person("Ли", "Алина", (2022, 7, 7), Sex::Female).await;
    // The first parent's save is still uncommitted when the second one's begins.
    let mut tx = t.app.db.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO children (parent_user_id, iin, last_name, first_name, birth_date, sex,
             created_at, updated_at)
         VALUES ($1, $2, 'Ли', 'Алина', '2022-07-07', 'F', 0, 0)",
    )
    .bind(ids[0])
    .bind(&iin)
    .execute(&mut *tx)
    .await
    .unwrap();
    let second = {
        let (app, iin) = (t.app.clone(), iin.clone());
        let actor = kezek_core::audit::Actor {
            user_id: ids[1],
            ip: "198.51.100.7".into(),
        };
        tokio::spawn(
            async move { kezek_core::children::add_child(&app, &actor, &iin, "F", "").await },
        )
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    tx.commit().await.unwrap();
    let outcome = second.await.unwrap();
    assert!(
        matches!(
            outcome,
            Err(kezek_core::children::ChildError::AddedByAnother)
        ),
        "{outcome:?}"
    );
    assert_eq!(count_children(&t).await, 1);
}
