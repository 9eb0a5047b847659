//! `kezek org import --organizations ORGS.csv --groups GROUPS.csv`: sets up a district's
//! organizations and groups from two CSV files, all or nothing, and idempotently.
//!
//! The CLI calls [`parse_organizations`] and [`parse_groups`] (the checks that need no
//! database), then [`store`], which checks against the database (KATO codes, reference codes,
//! BINs already stored, places taken) and writes everything in one transaction. An
//! organization is matched by BIN and a group by (organization, name). Only the files'
//! columns are written: what staff added to a card (email, website, languages, …) or a group
//! (age group) stays, and so do the active flags. Something counts as updated only when one
//! of its imported fields differs, so importing the same files again reports nothing created
//! and nothing updated and writes nothing, not even to the audit log.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::LazyLock;

use serde_json::json;

use super::rules::{self, FieldErrors, KnownCodes, validate_group, validate_organization};
use super::store::{self, GroupInput, OrganizationInput};
use super::{Group, GroupKind, Organization, Ownership};
use crate::audit::{self, AuditEntry};
use crate::csv_file::{LineError, records};
use crate::db::Db;
use crate::domain::{Bin, Kato};
use crate::i18n::{I18n, Lang};

pub const ORGANIZATIONS_HEADER: [&str; 9] = [
    "bin",
    "name_kk",
    "name_ru",
    "kato",
    "address",
    "phone",
    "ownership",
    "latitude",
    "longitude",
];

pub const GROUPS_HEADER: [&str; 7] = [
    "org_bin",
    "name",
    "birth_year",
    "language",
    "kind",
    "correction_type",
    "capacity",
];

/// The audit action of each organization created or changed by an import.
pub const AUDIT_ACTION: &str = "org.imported";

/// An organization from the file; `line` is kept for the database checks' messages.
#[derive(Debug, Clone, PartialEq)]
pub struct OrganizationRow {
    pub line: u64,
    pub input: OrganizationInput,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupRow {
    pub line: u64,
    pub org_bin: Bin,
    pub input: GroupInput,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ImportFile {
    Organizations,
    Groups,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ImportSummary {
    pub organizations_created: u64,
    pub organizations_updated: u64,
    pub groups_created: u64,
    pub groups_updated: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Lines that cannot be imported; nothing was written.
    #[error("nothing imported: {} line(s) to fix", .0.len())]
    Lines(Vec<(ImportFile, LineError)>),
    #[error(transparent)]
    Database(#[from] crate::db::Error),
}

impl ImportError {
    /// One message per bad line, naming the file as the user gave it:
    /// `groups.csv line 7: …`.
    pub fn messages(&self, organizations_file: &str, groups_file: &str) -> Vec<String> {
        match self {
            ImportError::Lines(lines) => lines
                .iter()
                .map(|(file, e)| {
                    let name = match file {
                        ImportFile::Organizations => organizations_file,
                        ImportFile::Groups => groups_file,
                    };
                    describe(name, e)
                })
                .collect(),
            ImportError::Database(e) => vec![e.to_string()],
        }
    }
}

/// `FILE line N: reason`, for the errors of `parse_*` and of [`store`].
pub fn describe(file: &str, error: &LineError) -> String {
    format!("{file} {error}")
}

/// Messages of the shared field rules, in English like the rest of the command line.
static ENGLISH: LazyLock<I18n> = LazyLock::new(I18n::new);

fn field_reason(field: &str, key: &str, value: &str) -> String {
    let message = ENGLISH.get(Lang::En, key);
    if value.is_empty() {
        format!("{field}: {message}")
    } else {
        format!("{field} {value:?}: {message}")
    }
}

fn field_reasons(errors: &FieldErrors, value_of: impl Fn(&str) -> String) -> Vec<String> {
    errors
        .iter()
        .map(|(field, key)| field_reason(field, key, &value_of(field)))
        .collect()
}

fn organization_value(input: &OrganizationInput, field: &str) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<f64>| v.map(|n| n.to_string()).unwrap_or_default();
    match field {
        "name_kk" => input.name_kk.clone(),
        "name_ru" => input.name_ru.clone(),
        "address" => input.address.clone(),
        "phone" => opt(&input.phone),
        "latitude" => num(input.latitude),
        "longitude" => num(input.longitude),
        _ => String::new(),
    }
}

fn group_value(input: &GroupInput, field: &str) -> String {
    match field {
        "name" => input.name.clone(),
        "birth_year" => input.birth_year.to_string(),
        "language" => input.language.clone(),
        "correction_type" => input.correction_type.clone().unwrap_or_default(),
        "age_group" => input.age_group.clone().unwrap_or_default(),
        "capacity" => input.capacity.to_string(),
        _ => String::new(),
    }
}

fn optional(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

fn parse_coordinate(value: &str, field: &str, problems: &mut Vec<String>) -> Option<f64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    match v.parse::<f64>() {
        Ok(n) => Some(n),
        Err(_) => {
            problems.push(format!("{field} {v:?} is not a number"));
            None
        }
    }
}

fn parse_organization(record: &csv::StringRecord) -> Result<OrganizationInput, Vec<String>> {
    let mut problems = Vec::new();
    let bin = Bin::parse(&record[0])
        .map_err(|e| problems.push(format!("bin {:?}: {e}", &record[0])))
        .ok();
    let kato = Kato::parse(&record[3])
        .map_err(|e| problems.push(format!("kato {:?}: {e}", &record[3])))
        .ok();
    let ownership = Ownership::parse(&record[6]);
    if ownership.is_none() {
        problems.push(format!(
            "ownership {:?} is not state or private",
            &record[6]
        ));
    }
    let latitude = parse_coordinate(&record[7], "latitude", &mut problems);
    let longitude = parse_coordinate(&record[8], "longitude", &mut problems);
    let (Some(bin), Some(kato), Some(ownership)) = (bin, kato, ownership) else {
        return Err(problems);
    };
    let input = OrganizationInput {
        bin,
        name_kk: record[1].trim().to_owned(),
        name_ru: record[2].trim().to_owned(),
        kato,
        address: record[4].trim().to_owned(),
        phone: optional(&record[5]),
        email: None,
        website: None,
        ownership,
        latitude,
        longitude,
        working_hours: None,
        languages: Vec::new(),
        description: None,
        head_name: None,
    };
    // The file brings no languages, so no reference codes are needed for the card's rules.
    if let Err(errors) = validate_organization(&input, &KnownCodes::default()) {
        problems.extend(field_reasons(&errors, |f| organization_value(&input, f)));
    }
    if problems.is_empty() {
        Ok(input)
    } else {
        Err(problems)
    }
}

/// Reads and checks the organizations file; returns every organization or every bad line.
pub fn parse_organizations(
    reader: impl std::io::Read,
) -> Result<Vec<OrganizationRow>, Vec<LineError>> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<Bin, u64> = HashMap::new();
    for (line, record) in records(reader, &ORGANIZATIONS_HEADER)? {
        match record
            .map_err(|e| vec![e])
            .and_then(|r| parse_organization(&r))
        {
            Ok(input) => {
                if let Some(first) = seen.insert(input.bin.clone(), line) {
                    errors.push(LineError {
                        line,
                        reason: format!("BIN {} repeats line {first}", input.bin),
                    });
                } else {
                    rows.push(OrganizationRow { line, input });
                }
            }
            Err(problems) => errors.push(LineError {
                line,
                reason: problems.join("; "),
            }),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

fn parse_group(record: &csv::StringRecord) -> Result<(Bin, GroupInput), Vec<String>> {
    let mut problems = Vec::new();
    let bin = Bin::parse(&record[0])
        .map_err(|e| problems.push(format!("org_bin {:?}: {e}", &record[0])))
        .ok();
    let birth_year = record[2]
        .trim()
        .parse::<i64>()
        .map_err(|_| problems.push(format!("birth_year {:?} is not a year", &record[2])))
        .ok();
    let kind = GroupKind::parse(&record[4]);
    if kind.is_none() {
        problems.push(format!(
            "kind {:?} is not regular, correctional or sanatorium",
            &record[4]
        ));
    }
    let capacity = record[6]
        .trim()
        .parse::<i64>()
        .map_err(|_| problems.push(format!("capacity {:?} is not a number", &record[6])))
        .ok();
    let (Some(bin), Some(birth_year), Some(kind), Some(capacity)) =
        (bin, birth_year, kind, capacity)
    else {
        return Err(problems);
    };
    let input = GroupInput {
        name: record[1].trim().to_owned(),
        birth_year,
        age_group: None,
        language: record[3].trim().to_owned(),
        kind,
        correction_type: optional(&record[5]),
        capacity,
    };
    // The birth-year range and the codes need the clock and the database: `store` checks them.
    let errors = rules::group_shape_errors(&input, None);
    problems.extend(field_reasons(&errors, |f| group_value(&input, f)));
    if problems.is_empty() {
        Ok((bin, input))
    } else {
        Err(problems)
    }
}

/// Reads and checks the groups file; returns every group or every bad line.
pub fn parse_groups(reader: impl std::io::Read) -> Result<Vec<GroupRow>, Vec<LineError>> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<(Bin, String), u64> = HashMap::new();
    for (line, record) in records(reader, &GROUPS_HEADER)? {
        match record.map_err(|e| vec![e]).and_then(|r| parse_group(&r)) {
            Ok((org_bin, input)) => {
                let key = (org_bin.clone(), input.name.clone());
                if let Some(first) = seen.insert(key, line) {
                    errors.push(LineError {
                        line,
                        reason: format!(
                            "group {:?} of BIN {org_bin} repeats line {first}",
                            input.name
                        ),
                    });
                } else {
                    rows.push(GroupRow {
                        line,
                        org_bin,
                        input,
                    });
                }
            }
            Err(problems) => errors.push(LineError {
                line,
                reason: problems.join("; "),
            }),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

fn with_known_list(reason: String, key: &str, field: &str, known: &KnownCodes) -> String {
    if !key.ends_with("-unknown") {
        return reason;
    }
    let list = match field {
        "language" | "languages" => &known.languages,
        "correction_type" => &known.correction_types,
        "age_group" => &known.age_groups,
        _ => return reason,
    };
    let codes: Vec<&str> = list.iter().map(String::as_str).collect();
    format!("{reason} (known: {})", codes.join(", "))
}

fn line_error(file: ImportFile, line: u64, reason: String) -> (ImportFile, LineError) {
    (file, LineError { line, reason })
}

/// Checks everything against the database and writes it in one transaction; on any error
/// nothing is written and every bad line is returned.
pub async fn store(
    db: &Db,
    organizations: &[OrganizationRow],
    groups: &[GroupRow],
    now: i64,
) -> Result<ImportSummary, ImportError> {
    let mut tx = db.begin().await?;
    let known = rules::known_codes_with(&mut tx, now).await?;
    let mut errors = Vec::new();

    // Organizations already stored, by BIN: those of the file and those the groups name.
    let mut stored: HashMap<Bin, Option<Organization>> = HashMap::new();
    for bin in organizations
        .iter()
        .map(|o| &o.input.bin)
        .chain(groups.iter().map(|g| &g.org_bin))
    {
        if !stored.contains_key(bin) {
            let found = store::organization_by_bin(&mut *tx, bin.as_str()).await?;
            stored.insert(bin.clone(), found);
        }
    }

    for row in organizations {
        if let Err(fields) = validate_organization(&row.input, &known) {
            let reasons = field_reasons(&fields, |f| organization_value(&row.input, f));
            for reason in reasons {
                errors.push(line_error(ImportFile::Organizations, row.line, reason));
            }
        }
        let kato_known = crate::db::orgs::kato_count(&mut *tx, row.input.kato.as_str()).await?;
        if kato_known == 0 {
            errors.push(line_error(
                ImportFile::Organizations,
                row.line,
                format!(
                    "kato {:?} is not in the classifier (load it with `kezek kato import`)",
                    row.input.kato.as_str()
                ),
            ));
        }
    }

    let in_file: HashSet<&Bin> = organizations.iter().map(|o| &o.input.bin).collect();
    let mut stored_groups: HashMap<(i64, String), Group> = HashMap::new();
    for row in groups {
        if let Err(fields) = validate_group(&row.input, &known) {
            for (field, key) in &fields {
                let reason = field_reason(field, key, &group_value(&row.input, field));
                let reason = with_known_list(reason, key, field, &known);
                errors.push(line_error(ImportFile::Groups, row.line, reason));
            }
        }
        let organization = stored.get(&row.org_bin).and_then(Option::as_ref);
        if organization.is_none() && !in_file.contains(&row.org_bin) {
            errors.push(line_error(
                ImportFile::Groups,
                row.line,
                format!(
                    "org_bin {} is neither in the organizations file nor in the database",
                    row.org_bin
                ),
            ));
        }
        let Some(organization) = organization else {
            continue;
        };
        let existing =
            crate::db::orgs::groups::by_name(&mut *tx, organization.id, &row.input.name).await?;
        if let Some(group) = existing {
            let taken = group.enrolled + group.open_directions + group.open_vacancies;
            if row.input.capacity != group.capacity && row.input.capacity < taken {
                errors.push(line_error(
                    ImportFile::Groups,
                    row.line,
                    capacity_reason(row.input.capacity, taken),
                ));
            }
            stored_groups.insert((organization.id, group.name.clone()), group);
        }
    }
    if !errors.is_empty() {
        tx.rollback().await?;
        errors.sort_by_key(|(file, e)| (*file, e.line));
        return Err(ImportError::Lines(errors));
    }

    let mut summary = ImportSummary::default();
    let mut ids: HashMap<&Bin, i64> = HashMap::new();
    for row in organizations {
        let existing = stored.get(&row.input.bin).and_then(Option::as_ref);
        let Some(existing) = existing else {
            let mut input = row.input.clone();
            input.languages = languages_of(&row.input.bin, groups);
            let id = store::insert_organization(&mut tx, &input, now).await?;
            audit::record(
                &mut tx,
                AuditEntry {
                    at: now,
                    actor_user_id: None,
                    action: AUDIT_ACTION,
                    subject: Some(input.bin.as_str()),
                    ip: None,
                    detail: Some(json!({ "after": input.to_json() })),
                },
            )
            .await?;
            ids.insert(&row.input.bin, id);
            summary.organizations_created += 1;
            continue;
        };
        ids.insert(&row.input.bin, existing.id);
        let before = OrganizationInput::from_stored(existing);
        let after = match &before {
            Some(before) => OrganizationInput {
                email: before.email.clone(),
                website: before.website.clone(),
                working_hours: before.working_hours.clone(),
                languages: before.languages.clone(),
                description: before.description.clone(),
                head_name: before.head_name.clone(),
                ..row.input.clone()
            },
            None => row.input.clone(),
        };
        if before.as_ref() == Some(&after) {
            continue;
        }
        store::update_organization(&mut tx, existing.id, &after, now).await?;
        let before_json = match &before {
            Some(b) => b.to_json(),
            None => serde_json::to_value(existing).unwrap_or_default(),
        };
        audit::record(
            &mut tx,
            AuditEntry {
                at: now,
                actor_user_id: None,
                action: AUDIT_ACTION,
                subject: Some(after.bin.as_str()),
                ip: None,
                detail: Some(json!({ "before": before_json, "after": after.to_json() })),
            },
        )
        .await?;
        summary.organizations_updated += 1;
    }

    for row in groups {
        let organization_id = ids
            .get(&row.org_bin)
            .copied()
            .or_else(|| {
                stored
                    .get(&row.org_bin)
                    .and_then(Option::as_ref)
                    .map(|o| o.id)
            })
            .expect("a group's unknown BIN was reported before writing");
        let Some(group) = stored_groups.get(&(organization_id, row.input.name.clone())) else {
            store::insert_group(&mut tx, organization_id, &row.input, now).await?;
            summary.groups_created += 1;
            continue;
        };
        let after = GroupInput {
            age_group: group.age_group.clone(),
            ..row.input.clone()
        };
        if GroupInput::from_stored(group).as_ref() == Some(&after) {
            continue;
        }
        match store::update_group(&mut tx, group.id, &after, now).await {
            Ok(()) => summary.groups_updated += 1,
            // Places taken since the check above (a vacancy published meanwhile).
            Err(store::GroupUpdateError::CapacityTooSmall { taken }) => errors.push(line_error(
                ImportFile::Groups,
                row.line,
                capacity_reason(row.input.capacity, taken),
            )),
            Err(store::GroupUpdateError::Database(e)) => return Err(e.into()),
            Err(other) => errors.push(line_error(ImportFile::Groups, row.line, other.to_string())),
        }
    }
    if !errors.is_empty() {
        tx.rollback().await?;
        return Err(ImportError::Lines(errors));
    }
    tx.commit().await?;
    Ok(summary)
}

fn capacity_reason(capacity: i64, taken: i64) -> String {
    format!(
        "capacity {capacity} is below the {taken} place(s) already taken \
         (enrolled children, open directions and published free places)"
    )
}

/// A new organization's languages of instruction: those of its groups in the file, in order.
fn languages_of(bin: &Bin, groups: &[GroupRow]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    groups
        .iter()
        .filter(|g| &g.org_bin == bin)
        .filter(|g| seen.insert(g.input.language.clone()))
        .map(|g| g.input.language.clone())
        .collect()
}

/// Parses and stores both files: what `kezek org import` does. Errors are ready to print,
/// each naming its file and line; when there are any, nothing was written.
pub async fn import_files(
    db: &Db,
    organizations: (&str, impl std::io::Read),
    groups: (&str, impl std::io::Read),
    now: i64,
) -> Result<ImportSummary, Vec<String>> {
    let (orgs_name, groups_name) = (organizations.0, groups.0);
    match (parse_organizations(organizations.1), parse_groups(groups.1)) {
        (Ok(orgs), Ok(groups)) => store(db, &orgs, &groups, now)
            .await
            .map_err(|e| e.messages(orgs_name, groups_name)),
        (orgs, groups) => Err(orgs
            .err()
            .unwrap_or_default()
            .iter()
            .map(|e| describe(orgs_name, e))
            .chain(
                groups
                    .err()
                    .unwrap_or_default()
                    .iter()
                    .map(|e| describe(groups_name, e)),
            )
            .collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORGS_HEADER: &str = "bin,name_kk,name_ru,kato,address,phone,ownership,latitude,longitude";
    const GROUPS_HEAD: &str = "org_bin,name,birth_year,language,kind,correction_type,capacity";

    #[test]
    fn a_good_organizations_file_parses() {
        let csv = format!(
            "{ORGS_HEADER}\n\
             990140000384,«Балапан» бөбекжайы,Ясли-сад «Балапан»,710000000,\"ул. Кенесары, 1\",+7 7172 00 00 00,state,51.16,71.47\n\
             990140000384 ,x,y,710000000,addr,,private,,\n"
        );
        let errors = parse_organizations(csv.as_bytes()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].reason.contains("repeats line 2"), "{errors:?}");

        let csv = format!(
            "{ORGS_HEADER}\n990140000384,Балапан,Балапан,710000000,\"ул. Кенесары, 1\",,state,51.16,71.47\n"
        );
        let rows = parse_organizations(csv.as_bytes()).unwrap();
        assert_eq!(rows[0].input.address, "ул. Кенесары, 1");
        assert_eq!(rows[0].input.phone, None);
        assert_eq!(rows[0].input.latitude, Some(51.16));
        assert_eq!(rows[0].input.ownership, Ownership::State);
    }

    #[test]
    fn bad_organization_lines_are_reported_by_number() {
        let csv = format!(
            "{ORGS_HEADER}\n\
             990140000385,a,b,710000000,addr,,state,,\n\
             990140000384,a,b,71000000x,addr,,state,,\n\
             990140000384,a,b,710000000,addr,,public,,\n\
             990140000384,a,b,710000000,addr,,state,51.1,\n\
             990140000384,a,b,710000000,addr,,state,91,71\n\
             990140000384,,b,710000000,,,state,,\n\
             990140000384,a,b\n"
        );
        let errors = parse_organizations(csv.as_bytes()).unwrap_err();
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5, 6, 7, 8], "{errors:?}");
        assert!(errors[0].reason.contains("check digit"), "{errors:?}");
        assert!(errors[3].reason.contains("longitude"), "{errors:?}");
        assert!(errors[5].reason.contains("name_kk") && errors[5].reason.contains("address"));
    }

    #[test]
    fn group_rules_without_the_database() {
        let csv = format!(
            "{GROUPS_HEAD}\n\
             990140000384,Солнышко,2021,ru,regular,,25\n\
             990140000384,Логопед,2020,kk,correctional,speech,12\n\
             990140000384,Звёздочка,2021,ru,correctional,,12\n\
             990140000384,Радуга,2021,ru,regular,speech,12\n\
             990140000384,Солнышко,2021,ru,regular,,25\n\
             990140000384,Ромашка,2021,ru,nursery,,25\n\
             990140000384,Ромашка,20x1,ru,regular,,0\n"
        );
        let errors = parse_groups(csv.as_bytes()).unwrap_err();
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![4, 5, 6, 7, 8], "{errors:?}");
        assert!(errors[0].reason.contains("correction_type"), "{errors:?}");
        assert!(errors[2].reason.contains("repeats line 2"), "{errors:?}");
    }

    #[test]
    fn a_wrong_header_is_refused() {
        let errors = parse_groups("org_bin,name\n".as_bytes()).unwrap_err();
        assert_eq!(errors[0].line, 1);
        let errors = parse_organizations(GROUPS_HEAD.as_bytes()).unwrap_err();
        assert!(errors[0].reason.contains("the header must be"));
    }

    #[test]
    fn messages_name_the_file() {
        let e = ImportError::Lines(vec![(
            ImportFile::Groups,
            LineError {
                line: 7,
                reason: "bad".into(),
            },
        )]);
        assert_eq!(
            e.messages("orgs.csv", "groups.csv"),
            vec!["groups.csv line 7: bad"]
        );
    }
}
