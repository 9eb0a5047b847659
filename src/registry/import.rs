//! `kezek registry import FILE.csv`: loads persons into the embedded register, all or nothing.
//! Header: `iin,last_name,first_name,middle_name,birth_date,sex,nationality`.

use chrono::NaiveDate;

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

use crate::csv_file::{self, LineError};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub inserted: u64,
    pub updated: u64,
}

fn optional(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

fn required(value: &str, name: &str) -> Result<String, String> {
    optional(value).ok_or_else(|| format!("{name} is empty"))
}

fn parse_record(record: &csv::StringRecord) -> Result<Person, String> {
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
    Ok(person)
}

/// Reads and checks the whole file; returns every person or every bad line.
pub fn parse(reader: impl std::io::Read) -> Result<Vec<Person>, Vec<LineError>> {
    let records = csv_file::records(reader, &HEADER)?;
    let mut persons = Vec::new();
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (line, record) in records {
        match record.and_then(|r| parse_record(&r)) {
            Ok(person) => {
                if let Some(first) = seen.insert(person.iin.as_str().to_owned(), line) {
                    errors.push(LineError {
                        line,
                        reason: format!("IIN {} repeats line {first}", person.iin),
                    });
                } else {
                    persons.push(person);
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
pub async fn store(db: &Db, persons: &[Person], now: i64) -> Result<ImportSummary, sqlx::Error> {
    let mut tx = db.begin().await?;
    let mut summary = ImportSummary::default();
    for person in persons {
        let existed: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM registry_persons WHERE iin = $1")
                .bind(person.iin.as_str())
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query(
            "INSERT INTO registry_persons (iin, last_name, first_name, middle_name, birth_date, sex, nationality, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (iin) DO UPDATE SET last_name = excluded.last_name, first_name = excluded.first_name,
                middle_name = excluded.middle_name, birth_date = excluded.birth_date, sex = excluded.sex,
                nationality = excluded.nationality, updated_at = excluded.updated_at",
        )
        .bind(person.iin.as_str())
        .bind(&person.last_name)
        .bind(&person.first_name)
        .bind(person.middle_name.as_deref())
        .bind(person.birth_date.format("%Y-%m-%d").to_string())
        .bind(person.sex.code())
        .bind(person.nationality.as_deref())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if existed > 0 {
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
        assert_eq!(persons[0].middle_name, None);
        assert_eq!(persons[0].nationality.as_deref(), Some("Казашка"));
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
    }
}
