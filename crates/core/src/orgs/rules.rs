//! The rules an organization's card and a group must satisfy, shared by the cabinet forms and
//! the CSV import: lengths and ranges, and codes known to the reference data.

use std::collections::BTreeSet;

use super::GroupKind;
use super::store::{GroupInput, OrganizationInput};
use crate::db::{Conn, Db};

/// The active reference codes a group or a card may use, and the year birth years are
/// checked against.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownCodes {
    pub languages: BTreeSet<String>,
    pub correction_types: BTreeSet<String>,
    pub age_groups: BTreeSet<String>,
    pub current_year: i64,
}

/// The calendar year in Kazakhstan (UTC+5) at `now`: a group of children born this year
/// opens on 1 January local time, not five hours later.
pub fn year_at(now: i64) -> i64 {
    i64::from(crate::domain::time::local_year(now))
}

/// Loads the active codes; `now` fixes the current year, so a test clock gives stable results.
pub async fn known_codes(db: &Db, now: i64) -> Result<KnownCodes, crate::db::Error> {
    let mut conn = db.pool().acquire().await?;
    known_codes_with(&mut conn, now).await
}

/// [`known_codes`] inside a transaction (the import reads and writes in one).
pub async fn known_codes_with(conn: &mut Conn, now: i64) -> Result<KnownCodes, crate::db::Error> {
    let rows = crate::db::orgs::usable_codes(&mut *conn).await?;
    let mut known = KnownCodes {
        current_year: year_at(now),
        ..KnownCodes::default()
    };
    for (kind, code) in rows {
        let set = match kind.as_str() {
            "language" => &mut known.languages,
            "correction_type" => &mut known.correction_types,
            _ => &mut known.age_groups,
        };
        set.insert(code);
    }
    Ok(known)
}

/// A field name and the message key (locales/*/orgs.ftl) of what is wrong with it.
pub type FieldErrors = Vec<(&'static str, &'static str)>;

pub const MAX_GROUP_NAME: usize = 100;
pub const MAX_GROUP_CAPACITY: i64 = 100;
/// Children from birth to seven attend preschool organizations.
pub const MAX_CHILD_AGE: i64 = 7;
pub const MAX_ORGANIZATION_NAME: usize = 300;
pub const MAX_ADDRESS: usize = 300;
pub const MAX_SHORT_TEXT: usize = 200;
pub const MAX_DESCRIPTION: usize = 4000;

fn too_long(text: &str, max: usize) -> bool {
    text.chars().count() > max
}

/// The rules that need no reference data; `current_year` `None` skips the birth-year range.
pub(crate) fn group_shape_errors(input: &GroupInput, current_year: Option<i64>) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if input.name.trim().is_empty() {
        errors.push(("name", "group-error-name-required"));
    } else if too_long(&input.name, MAX_GROUP_NAME) {
        errors.push(("name", "group-error-name-too-long"));
    }
    if let Some(year) = current_year
        && !(year - MAX_CHILD_AGE..=year).contains(&input.birth_year)
    {
        errors.push(("birth_year", "group-error-birth-year-range"));
    }
    if input.language.trim().is_empty() {
        errors.push(("language", "group-error-language-required"));
    }
    match (input.kind, &input.correction_type) {
        (GroupKind::Correctional, None) => {
            errors.push(("correction_type", "group-error-correction-type-required"))
        }
        (GroupKind::Regular | GroupKind::Sanatorium, Some(_)) => errors.push((
            "correction_type",
            "group-error-correction-type-not-correctional",
        )),
        _ => {}
    }
    if !(1..=MAX_GROUP_CAPACITY).contains(&input.capacity) {
        errors.push(("capacity", "group-error-capacity-range"));
    }
    errors
}

pub fn validate_group(input: &GroupInput, known: &KnownCodes) -> Result<(), FieldErrors> {
    let mut errors = group_shape_errors(input, Some(known.current_year));
    if !input.language.trim().is_empty() && !known.languages.contains(&input.language) {
        errors.push(("language", "group-error-language-unknown"));
    }
    if input.kind == GroupKind::Correctional
        && let Some(code) = &input.correction_type
        && !known.correction_types.contains(code)
    {
        errors.push(("correction_type", "group-error-correction-type-unknown"));
    }
    if let Some(code) = &input.age_group
        && !known.age_groups.contains(code)
    {
        errors.push(("age_group", "group-error-age-group-unknown"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn email_looks_valid(email: &str) -> bool {
    let mut parts = email.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty()
        && !email.chars().any(char::is_whitespace)
        && domain
            .find('.')
            .is_some_and(|dot| dot > 0 && dot + 1 < domain.len())
        && !domain.ends_with('.')
}

fn website_looks_valid(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty() && !url.chars().any(char::is_whitespace))
}

/// The card's rules. BIN and KATO code are already valid by type; whether the KATO code
/// exists in the classifier is the caller's database check.
pub fn validate_organization(
    input: &OrganizationInput,
    known: &KnownCodes,
) -> Result<(), FieldErrors> {
    let mut errors = FieldErrors::new();
    for (field, name) in [("name_kk", &input.name_kk), ("name_ru", &input.name_ru)] {
        if name.trim().is_empty() {
            errors.push((field, "org-error-name-required"));
        } else if too_long(name, MAX_ORGANIZATION_NAME) {
            errors.push((field, "org-error-too-long"));
        }
    }
    if input.address.trim().is_empty() {
        errors.push(("address", "org-error-address-required"));
    } else if too_long(&input.address, MAX_ADDRESS) {
        errors.push(("address", "org-error-too-long"));
    }
    let short_fields = [
        ("phone", &input.phone),
        ("working_hours", &input.working_hours),
        ("head_name", &input.head_name),
        ("email", &input.email),
        ("website", &input.website),
    ];
    for (field, value) in short_fields {
        if value
            .as_deref()
            .is_some_and(|v| too_long(v, MAX_SHORT_TEXT))
        {
            errors.push((field, "org-error-too-long"));
        }
    }
    if input
        .description
        .as_deref()
        .is_some_and(|d| too_long(d, MAX_DESCRIPTION))
    {
        errors.push(("description", "org-error-too-long"));
    }
    if input
        .email
        .as_deref()
        .is_some_and(|e| !email_looks_valid(e))
    {
        errors.push(("email", "org-error-email-invalid"));
    }
    if input
        .website
        .as_deref()
        .is_some_and(|w| !website_looks_valid(w))
    {
        errors.push(("website", "org-error-website-invalid"));
    }
    match (input.latitude, input.longitude) {
        (Some(lat), Some(lon)) => {
            if !(-90.0..=90.0).contains(&lat) {
                errors.push(("latitude", "org-error-latitude-range"));
            }
            if !(-180.0..=180.0).contains(&lon) {
                errors.push(("longitude", "org-error-longitude-range"));
            }
        }
        (Some(_), None) => errors.push(("longitude", "org-error-coordinates-pair")),
        (None, Some(_)) => errors.push(("latitude", "org-error-coordinates-pair")),
        (None, None) => {}
    }
    if input
        .languages
        .iter()
        .any(|code| !known.languages.contains(code))
    {
        errors.push(("languages", "org-error-language-unknown"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Bin, Kato};
    use crate::orgs::Ownership;

    fn known() -> KnownCodes {
        let set = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect();
        KnownCodes {
            languages: set(&["kk", "ru"]),
            correction_types: set(&["speech", "vision"]),
            age_groups: set(&["junior", "middle"]),
            current_year: 2025,
        }
    }

    fn group() -> GroupInput {
        GroupInput {
            name: "Күншуақ".into(),
            birth_year: 2021,
            age_group: Some("middle".into()),
            language: "kk".into(),
            kind: GroupKind::Regular,
            correction_type: None,
            capacity: 25,
        }
    }

    fn fields(result: Result<(), FieldErrors>) -> Vec<&'static str> {
        result
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| e.0)
            .collect()
    }

    #[test]
    fn group_rules() {
        assert_eq!(validate_group(&group(), &known()), Ok(()));
        let speech = GroupInput {
            kind: GroupKind::Correctional,
            correction_type: Some("speech".into()),
            ..group()
        };
        assert_eq!(validate_group(&speech, &known()), Ok(()));
        let cases: [(GroupInput, &str); 9] = [
            (
                GroupInput {
                    name: " ".into(),
                    ..group()
                },
                "name",
            ),
            (
                GroupInput {
                    name: "я".repeat(101),
                    ..group()
                },
                "name",
            ),
            (
                GroupInput {
                    birth_year: 2017,
                    ..group()
                },
                "birth_year",
            ),
            (
                GroupInput {
                    birth_year: 2026,
                    ..group()
                },
                "birth_year",
            ),
            (
                GroupInput {
                    language: "xx".into(),
                    ..group()
                },
                "language",
            ),
            (
                GroupInput {
                    age_group: Some("old".into()),
                    ..group()
                },
                "age_group",
            ),
            (
                GroupInput {
                    capacity: 0,
                    ..group()
                },
                "capacity",
            ),
            (
                GroupInput {
                    capacity: 101,
                    ..group()
                },
                "capacity",
            ),
            (
                GroupInput {
                    correction_type: Some("speech".into()),
                    ..group()
                },
                "correction_type",
            ),
        ];
        for (input, field) in cases {
            assert_eq!(
                fields(validate_group(&input, &known())),
                vec![field],
                "{input:?}"
            );
        }
        let missing = GroupInput {
            correction_type: None,
            ..speech.clone()
        };
        let unknown = GroupInput {
            correction_type: Some("x".into()),
            ..speech
        };
        assert_eq!(
            fields(validate_group(&missing, &known())),
            vec!["correction_type"]
        );
        assert_eq!(
            fields(validate_group(&unknown, &known())),
            vec!["correction_type"]
        );
        let edge = GroupInput {
            birth_year: 2018,
            name: "я".repeat(100),
            capacity: 100,
            ..group()
        };
        assert_eq!(validate_group(&edge, &known()), Ok(()));
    }

    fn card() -> OrganizationInput {
        OrganizationInput {
            bin: Bin::parse("990140000384").unwrap(),
            name_kk: "Балапан".into(),
            name_ru: "Балапан".into(),
            kato: Kato::parse("710000000").unwrap(),
            address: "Кенесары, 1".into(),
            phone: None,
            email: Some("info@balapan.kz".into()),
            website: Some("https://balapan.kz".into()),
            ownership: Ownership::State,
            latitude: Some(51.1),
            longitude: Some(71.4),
            working_hours: None,
            languages: vec!["kk".into(), "ru".into()],
            description: None,
            head_name: None,
        }
    }

    #[test]
    fn card_rules() {
        assert_eq!(validate_organization(&card(), &known()), Ok(()));
        let none = OrganizationInput {
            latitude: None,
            longitude: None,
            email: None,
            website: None,
            ..card()
        };
        assert_eq!(validate_organization(&none, &known()), Ok(()));
        let cases: [(OrganizationInput, &str); 10] = [
            (
                OrganizationInput {
                    name_ru: "".into(),
                    ..card()
                },
                "name_ru",
            ),
            (
                OrganizationInput {
                    address: " ".into(),
                    ..card()
                },
                "address",
            ),
            (
                OrganizationInput {
                    email: Some("a@b".into()),
                    ..card()
                },
                "email",
            ),
            (
                OrganizationInput {
                    email: Some("a@@b.kz".into()),
                    ..card()
                },
                "email",
            ),
            (
                OrganizationInput {
                    email: Some("a@b.".into()),
                    ..card()
                },
                "email",
            ),
            (
                OrganizationInput {
                    website: Some("balapan.kz".into()),
                    ..card()
                },
                "website",
            ),
            (
                OrganizationInput {
                    latitude: Some(90.5),
                    ..card()
                },
                "latitude",
            ),
            (
                OrganizationInput {
                    longitude: Some(-181.0),
                    ..card()
                },
                "longitude",
            ),
            (
                OrganizationInput {
                    longitude: None,
                    ..card()
                },
                "longitude",
            ),
            (
                OrganizationInput {
                    languages: vec!["de".into()],
                    ..card()
                },
                "languages",
            ),
        ];
        for (input, field) in cases {
            assert_eq!(
                fields(validate_organization(&input, &known())),
                vec![field],
                "{input:?}"
            );
        }
    }

    #[test]
    fn the_year_is_kazakhstan_time() {
        // 2024-12-31 20:00 UTC is already 2025 in Astana.
        assert_eq!(year_at(1_735_675_200), 2025);
        assert_eq!(year_at(1_735_675_200 - 3 * 3600), 2024);
    }
}
