//! "Мои дети": the children an applicant adds by IIN, checked against the register of
//! individuals. Who may be added, and by whom, is decided here; the pages only translate.
//! A child belongs to one applicant (the IIN is unique across all parents), so nobody can
//! put the same child in the queue twice through two accounts.

use chrono::NaiveDate;
use serde_json::json;

use crate::app::App;
use crate::audit::{self, Actor, AuditEntry};
use crate::db::Executor;
use crate::db::children::{self as store, ChildRow};
use crate::domain::time::local_date;
use crate::domain::{Iin, IinError, Person, Sex};
use crate::reference::{self, ReferenceItem, ReferenceKind};

/// Children of this age or older go to school: a kindergarten queue has no place for them.
pub const SCHOOL_AGE: u32 = 7;

#[derive(Debug, thiserror::Error)]
pub enum ChildError {
    #[error("invalid IIN: {0:?}")]
    Iin(IinError),
    #[error("the IIN is unknown to the register")]
    Unknown,
    #[error("the register of individuals is unavailable")]
    RegistryUnavailable,
    #[error("too many look-ups in the register")]
    LookupsLimited,
    #[error("the child is of school age")]
    SchoolAge,
    #[error("this parent already added the child")]
    AlreadyAdded,
    #[error("the IIN is the parent's own")]
    OwnIin,
    #[error("another applicant already added the child")]
    AddedByAnother,
    #[error("the IIN belongs to an applicant")]
    Applicant,
    #[error("no sex chosen")]
    Sex,
    #[error("the nationality is not in the reference list")]
    Nationality,
    #[error("no such child of this parent")]
    NotFound,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<crate::db::Error> for ChildError {
    fn from(e: crate::db::Error) -> Self {
        ChildError::Internal(e.into())
    }
}

impl ChildError {
    /// The form field the message belongs beside; `None` for a message over the whole form.
    pub fn field(&self) -> Option<&'static str> {
        use ChildError::*;
        match self {
            // The register being down is about the IIN just typed: the parent retries from there.
            Iin(_) | Unknown | RegistryUnavailable | LookupsLimited | SchoolAge | AlreadyAdded
            | OwnIin | AddedByAnother | Applicant => Some("iin"),
            Sex => Some("sex"),
            Nationality => Some("nationality"),
            NotFound | Internal(_) => None,
        }
    }

    pub fn message_key(&self) -> &'static str {
        use ChildError::*;
        match self {
            Iin(e) => e.message_key(),
            Unknown => "iin-error-unknown",
            RegistryUnavailable => "registry-error-unavailable",
            LookupsLimited => "registry-error-lookups-limited",
            SchoolAge => "children-error-school-age",
            AlreadyAdded => "children-error-already-added",
            OwnIin => "children-error-own-iin",
            // Says that someone has the child, never who: the IIN alone must not lead a
            // stranger to another family.
            AddedByAnother => "children-error-added-by-another",
            Applicant => "children-error-applicant",
            Sex => "children-error-sex",
            Nationality => "children-error-nationality",
            NotFound => "error-not-found",
            Internal(_) => "error-internal",
        }
    }
}

/// A child as stored: the register's data when it was added, and the parent's choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Child {
    pub id: i64,
    pub parent_user_id: i64,
    pub iin: String,
    pub last_name: String,
    pub first_name: String,
    pub middle_name: Option<String>,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    /// A code of the nationality reference list.
    pub nationality: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Child {
    /// "Last First Middle", as in official documents.
    pub fn full_name(&self) -> String {
        crate::domain::names::full_name(
            &self.last_name,
            &self.first_name,
            self.middle_name.as_deref(),
        )
    }
}

impl TryFrom<ChildRow> for Child {
    type Error = crate::db::Error;

    fn try_from(row: ChildRow) -> Result<Child, crate::db::Error> {
        // Only this module writes the table; a row it cannot read is a bug worth surfacing.
        let decode =
            |what: &str| crate::db::Error::Decode(format!("child {}: bad {what}", row.id).into());
        let birth_date = NaiveDate::parse_from_str(&row.birth_date, "%Y-%m-%d")
            .map_err(|_| decode("birth_date"))?;
        let sex = Sex::from_code(&row.sex).ok_or_else(|| decode("sex"))?;
        Ok(Child {
            id: row.id,
            parent_user_id: row.parent_user_id,
            iin: row.iin,
            last_name: row.last_name,
            first_name: row.first_name,
            middle_name: row.middle_name,
            birth_date,
            sex,
            nationality: row.nationality,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// The children of a parent, in the order they were added.
/// Takes a pool or a transaction (`&mut *tx`), so the applications can read inside theirs.
pub async fn children_of<'c>(
    ex: impl Executor<'c>,
    parent_user_id: i64,
) -> Result<Vec<Child>, crate::db::Error> {
    let rows = store::of_parent(ex, parent_user_id).await?;
    rows.into_iter().map(Child::try_from).collect()
}

/// One child, only if it belongs to this parent: another parent's child id finds nothing,
/// exactly like an id that does not exist, so ids cannot be probed.
pub async fn child_of<'c>(
    ex: impl Executor<'c>,
    parent_user_id: i64,
    child_id: i64,
) -> Result<Option<Child>, crate::db::Error> {
    let row = store::of_parent_by_id(ex, parent_user_id, child_id).await?;
    row.map(Child::try_from).transpose()
}

// ---- Pure rules ----

/// Full years on `day`; a birthday on 29 February comes on 1 March in other years.
pub fn age_on(birth_date: NaiveDate, day: NaiveDate) -> u32 {
    day.years_since(birth_date).unwrap_or(0)
}

pub fn is_school_age(birth_date: NaiveDate, day: NaiveDate) -> bool {
    age_on(birth_date, day) >= SCHOOL_AGE
}

/// Why this parent cannot add a child that `owner` (a parent's user id) already has.
fn refusal_for_owner(owner: Option<i64>, parent_user_id: i64) -> Result<(), ChildError> {
    match owner {
        None => Ok(()),
        Some(owner) if owner == parent_user_id => Err(ChildError::AlreadyAdded),
        Some(_) => Err(ChildError::AddedByAnother),
    }
}

/// Why a person who has an applicant account (`applicant`: its user id) cannot be added.
fn refusal_for_applicant(applicant: Option<i64>, parent_user_id: i64) -> Result<(), ChildError> {
    match applicant {
        None => Ok(()),
        Some(user) if user == parent_user_id => Err(ChildError::OwnIin),
        Some(_) => Err(ChildError::Applicant),
    }
}

/// The reference code for the register's nationality text, when the text names an entry of
/// the list (its code or its name in any language, ignoring case). The register writes free
/// text ("Казах", "Казашка", …), so anything else is left for the parent to choose.
pub fn nationality_from_register(text: Option<&str>, items: &[ReferenceItem]) -> Option<String> {
    let wanted = text?.trim().to_lowercase();
    if wanted.is_empty() {
        return None;
    }
    items
        .iter()
        .find(|item| {
            [&item.code, &item.name_kk, &item.name_ru, &item.name_en]
                .iter()
                .any(|name| name.trim().to_lowercase() == wanted)
        })
        .map(|item| item.code.clone())
}

pub fn parse_sex(input: &str) -> Result<Sex, ChildError> {
    Sex::from_code(input).ok_or(ChildError::Sex)
}

/// The nationality a parent chose: empty for none, an active entry of the list, or the code
/// the child already has (a deactivated entry stays on children who have it).
fn chosen_nationality(
    input: &str,
    active: &[ReferenceItem],
    current: Option<&str>,
) -> Result<Option<String>, ChildError> {
    let code = input.trim();
    if code.is_empty() {
        return Ok(None);
    }
    if active.iter().any(|item| item.code == code) || current == Some(code) {
        return Ok(Some(code.to_owned()));
    }
    Err(ChildError::Nationality)
}

// ---- Storage ----

async fn owner_of<'c>(ex: impl Executor<'c>, iin: &str) -> Result<Option<i64>, crate::db::Error> {
    store::owner_of(ex, iin).await
}

async fn applicant_with_iin<'c>(
    ex: impl Executor<'c>,
    iin: &str,
) -> Result<Option<i64>, crate::db::Error> {
    store::applicant_with_iin(ex, iin).await
}

/// The nationalities a parent may choose from: the active entries, and the child's current
/// one if it was deactivated since (otherwise saving the form would silently drop it).
pub async fn nationalities(
    app: &App,
    current: Option<&str>,
) -> Result<Vec<ReferenceItem>, crate::db::Error> {
    let mut items = reference::list(app.db.pool(), ReferenceKind::Nationality, false).await?;
    if let Some(code) = current
        && !items.iter().any(|item| item.code == code)
        && let Some(item) = reference::get(app.db.pool(), ReferenceKind::Nationality, code).await?
    {
        items.push(item);
    }
    Ok(items)
}

// ---- Adding and changing ----

/// What "Проверить ИИН" shows: the register's record and the prefilled choices.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub person: Person,
    /// From the IIN (its 7th digit).
    pub sex: Sex,
    /// The reference code matching the register's nationality, if any.
    pub nationality: Option<String>,
}

/// "Проверить ИИН": whether this parent may add the child with this IIN, and its data.
pub async fn check_child(
    app: &App,
    actor: &Actor,
    iin_input: &str,
) -> Result<Candidate, ChildError> {
    let parent_user_id = actor.user_id;
    let iin = Iin::parse(iin_input).map_err(ChildError::Iin)?;
    // Counted and audited before anything is looked up, our own records included: what they
    // answer says something about a stranger's IIN too.
    let asker = crate::registry::lookups::Asker::parent(parent_user_id, &actor.ip);
    if !crate::registry::lookups::reserve(app, &asker, &iin).await? {
        return Err(ChildError::LookupsLimited);
    }
    let pool = app.db.pool();
    // Our own records first: they answer without bothering the register.
    refusal_for_applicant(
        applicant_with_iin(pool, iin.as_str()).await?,
        parent_user_id,
    )?;
    refusal_for_owner(owner_of(pool, iin.as_str()).await?, parent_user_id)?;
    let person = match app.registry.lookup(&iin).await {
        Ok(Some(person)) => person,
        Ok(None) => return Err(ChildError::Unknown),
        Err(e) => {
            tracing::warn!(error = %e, "register of individuals lookup failed");
            return Err(ChildError::RegistryUnavailable);
        }
    };
    if is_school_age(person.birth_date, local_date(app.now())) {
        return Err(ChildError::SchoolAge);
    }
    let items = reference::list(pool, ReferenceKind::Nationality, false).await?;
    Ok(Candidate {
        sex: iin.sex(),
        nationality: nationality_from_register(person.nationality.as_deref(), &items),
        person,
    })
}

/// "Сохранить": adds the child, with the register's data as it is now and the parent's
/// choice of sex and nationality. Audited as `child.added`.
pub async fn add_child(
    app: &App,
    actor: &Actor,
    iin_input: &str,
    sex_input: &str,
    nationality_input: &str,
) -> Result<Child, ChildError> {
    let candidate = check_child(app, actor, iin_input).await?;
    let sex = parse_sex(sex_input)?;
    let active = reference::list(app.db.pool(), ReferenceKind::Nationality, false).await?;
    let nationality = chosen_nationality(nationality_input, &active, None)?;
    let person = &candidate.person;
    let iin = person.iin.as_str();
    let now = app.now();
    let mut tx = app.db.begin().await?;
    // Checked again inside the transaction: another request may have added the child since.
    refusal_for_owner(owner_of(&mut *tx, iin).await?, actor.user_id)?;
    let row = store::NewChild {
        parent_user_id: actor.user_id,
        iin,
        last_name: &person.last_name,
        first_name: &person.first_name,
        middle_name: person.middle_name.as_deref(),
        birth_date: person.birth_date.format("%Y-%m-%d").to_string(),
        sex: sex.code(),
        nationality: nationality.as_deref(),
        now,
    };
    let inserted = store::insert(&mut *tx, &row).await;
    let id = match inserted {
        Ok(id) => id,
        // Two parents saving the same child at once: the UNIQUE index lets one win. The
        // failed transaction is rolled back before asking who won.
        Err(crate::db::Error::Database(d)) if d.is_unique_violation() => {
            drop(tx);
            refusal_for_owner(owner_of(app.db.pool(), iin).await?, actor.user_id)?;
            return Err(ChildError::AddedByAnother);
        }
        Err(e) => return Err(e.into()),
    };
    audit::record(
        &mut tx,
        AuditEntry {
            at: now,
            actor_user_id: Some(actor.user_id),
            action: "child.added",
            subject: Some(iin),
            ip: Some(&actor.ip),
            detail: Some(json!({
                "child_id": id,
                "after": { "sex": sex.code(), "nationality": nationality },
            })),
        },
    )
    .await?;
    let child = child_of(&mut *tx, actor.user_id, id)
        .await?
        .ok_or(ChildError::NotFound)?;
    tx.commit().await?;
    tracing::info!(child_id = id, "child added");
    Ok(child)
}

/// Changes what the parent chose for their child: sex and nationality. The IIN, names and
/// birth date come from the register and stay as they are. Audited as `child.updated` with
/// the values before and after; saving unchanged values records nothing.
pub async fn update_child(
    app: &App,
    actor: &Actor,
    child_id: i64,
    sex_input: &str,
    nationality_input: &str,
) -> Result<Child, ChildError> {
    let mut tx = app.db.begin().await?;
    let before = child_of(&mut *tx, actor.user_id, child_id)
        .await?
        .ok_or(ChildError::NotFound)?;
    let sex = parse_sex(sex_input)?;
    let active = reference::list(&mut *tx, ReferenceKind::Nationality, false).await?;
    let nationality =
        chosen_nationality(nationality_input, &active, before.nationality.as_deref())?;
    if sex == before.sex && nationality == before.nationality {
        return Ok(before);
    }
    let now = app.now();
    store::set_choices(
        &mut *tx,
        actor.user_id,
        child_id,
        sex.code(),
        nationality.as_deref(),
        now,
    )
    .await?;
    audit::record(
        &mut tx,
        AuditEntry {
            at: now,
            actor_user_id: Some(actor.user_id),
            action: "child.updated",
            subject: Some(&before.iin),
            ip: Some(&actor.ip),
            detail: Some(json!({
                "child_id": child_id,
                "before": { "sex": before.sex.code(), "nationality": before.nationality },
                "after": { "sex": sex.code(), "nationality": nationality },
            })),
        },
    )
    .await?;
    let after = child_of(&mut *tx, actor.user_id, child_id)
        .await?
        .ok_or(ChildError::NotFound)?;
    tx.commit().await?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn item(code: &str, kk: &str, ru: &str, en: &str) -> ReferenceItem {
        ReferenceItem {
            kind: ReferenceKind::Nationality,
            code: code.into(),
            name_kk: kk.into(),
            name_ru: ru.into(),
            name_en: en.into(),
            position: 1,
            attribute: None,
            active: 1,
        }
    }

    fn list() -> Vec<ReferenceItem> {
        vec![
            item("kazakh", "Қазақ", "Казах", "Kazakh"),
            item("russian", "Орыс", "Русский", "Russian"),
        ]
    }

    #[test]
    fn a_child_is_of_school_age_from_the_seventh_birthday() {
        let born = date(2019, 9, 1);
        assert!(!is_school_age(born, date(2026, 8, 31)));
        assert!(is_school_age(born, date(2026, 9, 1)));
        assert_eq!(age_on(born, date(2026, 9, 1)), 7);
        // Born on 29 February: seven on 1 March of a common year.
        let leap = date(2020, 2, 29);
        assert!(!is_school_age(leap, date(2027, 2, 28)));
        assert!(is_school_age(leap, date(2027, 3, 1)));
        // A birth date after the day (an IIN of the future) is age 0, not an error.
        assert_eq!(age_on(date(2030, 1, 1), date(2026, 1, 1)), 0);
    }

    #[test]
    fn the_local_date_is_kazakhstan_time() {
        // 2026-03-01 19:30 UTC is already 2 March in Kazakhstan (UTC+5).
        let t = chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
            .unwrap()
            .and_hms_opt(19, 30, 0)
            .unwrap()
            .and_utc()
            .timestamp();
        assert_eq!(local_date(t), date(2026, 3, 2));
        assert_eq!(local_date(t - 3600), date(2026, 3, 1));
    }

    #[test]
    fn owners_and_applicants_are_refused_with_their_own_reason() {
        assert!(refusal_for_owner(None, 1).is_ok());
        assert!(matches!(
            refusal_for_owner(Some(1), 1),
            Err(ChildError::AlreadyAdded)
        ));
        assert!(matches!(
            refusal_for_owner(Some(2), 1),
            Err(ChildError::AddedByAnother)
        ));
        assert!(refusal_for_applicant(None, 1).is_ok());
        assert!(matches!(
            refusal_for_applicant(Some(1), 1),
            Err(ChildError::OwnIin)
        ));
        assert!(matches!(
            refusal_for_applicant(Some(2), 1),
            Err(ChildError::Applicant)
        ));
    }

    #[test]
    fn the_register_nationality_is_matched_by_any_name() {
        let items = list();
        let found = |text| nationality_from_register(Some(text), &items);
        assert_eq!(found("Казах").as_deref(), Some("kazakh"));
        assert_eq!(found(" қазақ ").as_deref(), Some("kazakh"));
        assert_eq!(found("RUSSIAN").as_deref(), Some("russian"));
        assert_eq!(found("russian").as_deref(), Some("russian"));
        assert_eq!(found("Казашка"), None, "free text that names no entry");
        assert_eq!(found(""), None);
        assert_eq!(nationality_from_register(None, &items), None);
    }

    #[test]
    fn sex_and_nationality_choices_are_checked() {
        assert_eq!(parse_sex("M").unwrap(), Sex::Male);
        assert_eq!(parse_sex("F").unwrap(), Sex::Female);
        assert!(matches!(parse_sex(""), Err(ChildError::Sex)));
        assert!(matches!(parse_sex("X"), Err(ChildError::Sex)));
        let items = list();
        assert_eq!(chosen_nationality("", &items, None).unwrap(), None);
        assert_eq!(
            chosen_nationality("kazakh", &items, None)
                .unwrap()
                .as_deref(),
            Some("kazakh")
        );
        assert!(matches!(
            chosen_nationality("martian", &items, None),
            Err(ChildError::Nationality)
        ));
        // A deactivated entry the child already has can be kept.
        assert_eq!(
            chosen_nationality("german", &items, Some("german"))
                .unwrap()
                .as_deref(),
            Some("german")
        );
    }

    #[test]
    fn every_refusal_is_shown_beside_the_iin() {
        use ChildError::*;
        for e in [
            Iin(IinError::Checksum),
            Unknown,
            RegistryUnavailable,
            LookupsLimited,
            SchoolAge,
            AlreadyAdded,
            OwnIin,
            AddedByAnother,
            Applicant,
        ] {
            assert_eq!(e.field(), Some("iin"), "{e}");
        }
        assert_eq!(Sex.field(), Some("sex"));
        assert_eq!(Nationality.field(), Some("nationality"));
        assert_eq!(Iin(IinError::Format).message_key(), "iin-error-format");
    }

    #[test]
    fn the_full_name_skips_a_missing_patronymic() {
        let mut child = Child {
            id: 1,
            parent_user_id: 1,
            iin: "220512500017".into(),
            last_name: "Сейткали".into(),
            first_name: "Алихан".into(),
            middle_name: Some("Ерланович".into()),
            birth_date: date(2022, 5, 12),
            sex: Sex::Male,
            nationality: None,
            created_at: 0,
            updated_at: 0,
        };
        assert_eq!(child.full_name(), "Сейткали Алихан Ерланович");
        child.middle_name = Some(" ".into());
        assert_eq!(child.full_name(), "Сейткали Алихан");
    }
}
