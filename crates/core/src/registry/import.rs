//! `kezek registry import FILE.csv`: loads persons into the embedded register, all or nothing.
//! The header is either
//! `iin,last_name,first_name,middle_name,birth_date,sex,nationality`
//! or the same with one more column at the end,
//! `iin,last_name,first_name,middle_name,birth_date,sex,nationality,social_statuses`:
//! the person's first-priority social statuses as codes separated by semicolons
//! (`orphan;special_needs`; empty for none). The codes are those of
//! `registry::FIRST_PRIORITY_STATUSES` (parent_disability, orphan, large_family, special_needs,
//! teacher); any other code is an error of its line. A file with the column states each
//! person's statuses (an empty value clears them); a file without it leaves the statuses
//! already recorded as they are.

use chrono::NaiveDate;

use super::{FIRST_PRIORITY_STATUSES, clean_statuses, join_statuses};
use crate::db::Db;
use crate::domain::{Iin, Person, Sex};

pub const HEADER: [&str; 7] = [
    "iin",
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "sex",
    "nationality",
];

/// `HEADER` and the social statuses.
pub const HEADER_WITH_STATUSES: [&str; 8] = [
    "iin",
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "sex",
    "nationality",
    "social_statuses",
];

use crate::csv_file::{self, LineError};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub inserted: u64,
    pub updated: u64,
}

/// A line of the file: the person, and their statuses when the file has the column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPerson {
    pub person: Person,
    /// `None`: the file does not say (the statuses recorded are kept); `Some(empty)`: none.
    pub social_statuses: Option<Vec<String>>,
}

/// What `store` writes: a person from a file, or one built in code (demo data, tests), whose
/// statuses are not stated.
pub trait ToStore {
    fn person(&self) -> &Person;
    /// `None` keeps the statuses already recorded.
    fn social_statuses(&self) -> Option<&[String]>;
}

impl ToStore for Person {
    fn person(&self) -> &Person {
        self
    }
    fn social_statuses(&self) -> Option<&[String]> {
        None
    }
}

impl ToStore for ImportedPerson {
    fn person(&self) -> &Person {
        &self.person
    }
    fn social_statuses(&self) -> Option<&[String]> {
        self.social_statuses.as_deref()
    }
}

fn optional(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

fn required(value: &str, name: &str) -> Result<String, String> {
    optional(value).ok_or_else(|| format!("{name} is empty"))
}

fn parse_statuses(value: &str) -> Result<Vec<String>, String> {
    let statuses = clean_statuses(value.split(';'));
    match statuses
        .iter()
        .find(|s| !FIRST_PRIORITY_STATUSES.contains(&s.as_str()))
    {
        Some(unknown) => Err(format!(
            "unknown social status {unknown:?}: the codes are {}",
            FIRST_PRIORITY_STATUSES.join(", ")
        )),
        None => Ok(statuses),
    }
}

fn parse_record(record: &csv::StringRecord, with_statuses: bool) -> Result<ImportedPerson, String> {
    let iin = Iin::parse(&record[0]).map_err(|e| format!("invalid IIN {:?}: {e}", &record[0]))?;
    let birth_date = NaiveDate::parse_from_str(record[4].trim(), "%Y-%m-%d")
        .map_err(|_| format!("birth_date {:?} is not YYYY-MM-DD", &record[4]))?;
    let sex = Sex::from_code(record[5].trim())
        .ok_or_else(|| format!("sex {:?} is not M or F", &record[5]))?;
    let person = Person {
        iin,
        last_name: required(&record[1], "last_name")?,
        first_name: required(&record[2], "first_name")?,
        middle_name: optional(&record[3]),
        birth_date,
        sex,
        nationality: optional(&record[6]),
    };
    person
        .check_consistent()
        .map_err(|e| format!("IIN {}: {e}", person.iin))?;
    let social_statuses = if with_statuses {
        Some(parse_statuses(&record[7])?)
    } else {
        None
    };
    Ok(ImportedPerson {
        person,
        social_statuses,
    })
}

/// Whether the file's header is `HEADER_WITH_STATUSES` (compared as `csv_file` does).
fn has_statuses_column(text: &[u8]) -> bool {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text);
    csv.headers().is_ok_and(|found| {
        found
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}'))
            .eq(HEADER_WITH_STATUSES)
    })
}

/// Reads and checks the whole file; returns every person or every bad line.
pub fn parse(mut reader: impl std::io::Read) -> Result<Vec<ImportedPerson>, Vec<LineError>> {
    let mut text = Vec::new();
    reader.read_to_end(&mut text).map_err(|e| {
        vec![LineError {
            line: 1,
            reason: e.to_string(),
        }]
    })?;
    let with_statuses = has_statuses_column(&text);
    let header: &[&str] = if with_statuses {
        &HEADER_WITH_STATUSES
    } else {
        &HEADER
    };
    let records = csv_file::records(&text[..], header).map_err(|mut errors| {
        for e in errors.iter_mut().filter(|e| e.line == 1) {
            e.reason
                .push_str(" (a last column social_statuses may follow nationality)");
        }
        errors
    })?;
    let mut persons = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (line, record) in records {
        match record.and_then(|r| parse_record(&r, with_statuses)) {
            Ok(imported) => {
                let iin = &imported.person.iin;
                if let Some(first) = seen.insert(iin.as_str().to_owned(), line) {
                    errors.push(LineError {
                        line,
                        reason: format!("IIN {iin} repeats line {first}"),
                    });
                } else {
                    persons.push(imported);
                }
            }
            Err(reason) => errors.push(LineError { line, reason }),
        }
    }
    if errors.is_empty() {
        Ok(persons)
    } else {
        Err(errors)
    }
}

/// Inserts or updates every person in one transaction.
pub async fn store<P: ToStore>(
    db: &Db,
    persons: &[P],
    now: i64,
) -> Result<ImportSummary, crate::db::Error> {
    let mut tx = db.begin().await?;
    let mut summary = ImportSummary::default();
    for entry in persons {
        let person = entry.person();
        let existed = crate::db::registry::exists(&mut *tx, person.iin.as_str()).await?;
        let statuses = entry.social_statuses().map(join_statuses);
        crate::db::registry::upsert(&mut *tx, person, statuses, now).await?;
        if existed {
            summary.updated += 1;
        } else {
            summary.inserted += 1;
        }
    }
    tx.commit().await?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iin(y: i32, m: u32, d: u32, sex: Sex) -> String {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        (1..9999)
            .find_map(|serial| Iin::generate(date, sex, serial))
            .unwrap()
            .to_string()
    }

    #[test]
    fn a_good_file_parses() {
        let a = iin(1990, 5, 17, Sex::Female);
        let csv = format!(
            "iin,last_name,first_name,middle_name,birth_date,sex,nationality\n{a},Ахметова,Айгерим,,1990-05-17,F,Казашка\n"
        );
        let persons = parse(csv.as_bytes()).unwrap();
        assert_eq!(persons.len(), 1);
        assert_eq!(persons[0].person.middle_name, None);
        assert_eq!(persons[0].person.nationality.as_deref(), Some("Казашка"));
        assert_eq!(
            persons[0].social_statuses, None,
            "the old header says nothing"
        );
    }

    #[test]
    fn the_header_with_social_statuses_parses() {
        let a = iin(2021, 3, 14, Sex::Female);
        let b = iin(2021, 3, 15, Sex::Male);
        let c = iin(2021, 3, 16, Sex::Male);
        let csv = format!(
            "\u{feff}iin,last_name,first_name,middle_name,birth_date,sex,nationality,social_statuses\n\
             {a},Ахметова,Айгерим,,2021-03-14,F,Казашка, orphan ; special_needs;orphan\n\
             {b},Ахметов,Ерлан,,2021-03-15,M,,\n\
             {c},Ахметов,Нурлан,,2021-03-16,M,,teacher\n"
        );
        let persons = parse(csv.as_bytes()).unwrap();
        let statuses: Vec<Option<Vec<String>>> =
            persons.iter().map(|p| p.social_statuses.clone()).collect();
        assert_eq!(
            statuses,
            vec![
                Some(vec!["orphan".to_owned(), "special_needs".to_owned()]),
                Some(vec![]),
                Some(vec!["teacher".to_owned()]),
            ]
        );
        assert_eq!(persons[0].person.nationality.as_deref(), Some("Казашка"));
    }

    #[test]
    fn an_unknown_social_status_is_an_error_of_its_line() {
        let a = iin(2021, 3, 14, Sex::Female);
        let b = iin(2021, 3, 15, Sex::Male);
        let csv = format!(
            "iin,last_name,first_name,middle_name,birth_date,sex,nationality,social_statuses\n\
             {a},Ахметова,Айгерим,,2021-03-14,F,,orphan\n\
             {b},Ахметов,Ерлан,,2021-03-15,M,,orphan;military\n"
        );
        let errors = parse(csv.as_bytes()).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].reason.contains("\"military\""), "{errors:?}");
        // A line of the old width under the new header is refused too.
        let short = format!(
            "iin,last_name,first_name,middle_name,birth_date,sex,nationality,social_statuses\n\
             {a},Ахметова,Айгерим,,2021-03-14,F,\n"
        );
        assert_eq!(parse(short.as_bytes()).unwrap_err()[0].line, 2);
    }

    #[test]
    fn bad_lines_are_reported_by_number() {
        let a = iin(1990, 5, 17, Sex::Female);
        let csv = format!(
            "iin,last_name,first_name,middle_name,birth_date,sex,nationality\n\
             {a},Ахметова,Айгерим,,1990-05-17,F,\n\
             123,Бад,Ин,,1990-05-17,F,\n\
             {a},Ахметова,Айгерим,,1990-05-18,F,\n\
             {a},Ахметова,Айгерим,,1990-05-17,M,\n"
        );
        let errors = parse(csv.as_bytes()).unwrap_err();
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5], "{errors:?}");
    }

    #[test]
    fn a_wrong_header_is_refused() {
        let errors = parse("iin,name\n".as_bytes()).unwrap_err();
        assert_eq!(errors[0].line, 1);
        assert!(errors[0].reason.contains("social_statuses"), "{errors:?}");
        let misspelt =
            "iin,last_name,first_name,middle_name,birth_date,sex,nationality,social_status\n";
        assert_eq!(parse(misspelt.as_bytes()).unwrap_err()[0].line, 1);
    }
}
