//! Shared set-up for the applications tests: two organizations of Astana, and a logged-in parent
//! whose child (born 2022) is in "Мои дети".

use kezek_core::applications::ApplicationInput;
use kezek_core::audit::Actor;
use kezek_core::orgs::GroupKind;
use kezek_domain::Sex;

use crate::harness::{Client, TestApp};

pub const ORGS: &str = "bin,name_kk,name_ru,kato,address,phone,ownership,latitude,longitude
990140000384,Балапан,Балапан,710000000,\"Астана, ул. Абая, 12\",,state,,
050440001239,Ақбота,Акбота,710000000,\"Астана, пр. Кабанбай батыра, 40\",,private,,
";
pub const GROUPS: &str = "org_bin,name,birth_year,language,kind,correction_type,capacity
990140000384,Балапандар,2022,kk,regular,,25
990140000384,Логопеды,2022,ru,correctional,speech,12
050440001239,Ақбота,2021,kk,regular,,20
";
pub const PASSWORD: &str = "parent password 1";

pub struct Family {
    pub parent: Actor,
    pub client: Client,
    pub child_id: i64,
    pub balapan: i64,
    /// Has a group only for 2021: never suitable for the 2022 child.
    pub akbota: i64,
}

/// A registered parent, logged in, with a child born in 2022 and the two organizations above.
pub async fn family(t: &TestApp, phone: &str) -> Family {
    kezek_core::orgs::import::import_files(
        &t.app.db,
        ("o", ORGS.as_bytes()),
        ("g", GROUPS.as_bytes()),
        t.app.now(),
    )
    .await
    .ok();
    let (mut client, _) = t.register_parent(phone, PASSWORD).await;
    assert_eq!(
        client.login(phone, PASSWORD).await.location(),
        Some("/cabinet")
    );
    let parent_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE phone = $1")
        .bind(kezek_domain::Phone::parse(phone).unwrap().as_e164())
        .fetch_one(t.app.db.pool())
        .await
        .unwrap();
    let parent = Actor {
        user_id: parent_id,
        ip: "198.51.100.5".into(),
    };
    let iin = t.add_person("Бала", "Кіші", (2022, 5, 12), Sex::Male).await;
    let child = kezek_core::children::add_child(&t.app, &parent, &iin, "M", "")
        .await
        .unwrap();
    let org = |bin: &'static str| async move {
        sqlx::query_scalar::<_, i64>("SELECT id FROM organizations WHERE bin = $1")
            .bind(bin)
            .fetch_one(t.app.db.pool())
            .await
            .unwrap()
    };
    Family {
        child_id: child.id,
        balapan: org("990140000384").await,
        akbota: org("050440001239").await,
        parent,
        client,
    }
}

pub fn regular(f: &Family, key: &str) -> ApplicationInput {
    ApplicationInput {
        child_id: f.child_id,
        kind: GroupKind::Regular,
        correction_type: None,
        language: "kk".into(),
        kato: "710000000".into(),
        organization_ids: vec![f.balapan],
        pmpk: None,
        referral_document_id: None,
        privilege: None,
        consent: true,
        submission_key: key.into(),
    }
}

/// A child born in 2022 added to the family, with a regular application for Balapan in
/// `language`, registered one second after the previous one. Returns (application, child).
pub async fn waiting_child(
    t: &TestApp,
    f: &Family,
    first: &str,
    last: &str,
    language: &str,
) -> (i64, i64) {
    let iin = t.add_person(last, first, (2022, 3, 1), Sex::Female).await;
    let child = kezek_core::children::add_child(&t.app, &f.parent, &iin, "F", "")
        .await
        .unwrap();
    t.clock.advance(1);
    let mut input = regular(f, &format!("key-{first}-{last}"));
    input.child_id = child.id;
    input.language = language.into();
    let id = kezek_core::applications::submit(&t.app, &f.parent, "71", &input)
        .await
        .unwrap();
    (id, child.id)
}

/// For tests that add dozens of children to one family in seconds, far past what a parent
/// does: the register's look-up limits (`registry::lookups`) raised out of their way.
pub fn many_lookups(s: &mut kezek_core::config::Settings) {
    s.registry_lookup_limits = kezek_core::registry::lookups::LookupLimits {
        per_account_per_day: 1_000_000,
        per_address_per_hour: 1_000_000,
    };
}
