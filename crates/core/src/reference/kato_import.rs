//! `kezek kato import FILE.csv`: loads or renames any part of the KATO classifier, all or
//! nothing. Header: `code,name_kk,name_ru`; level and parent follow from the code's digits.

use std::collections::{HashMap, HashSet};

use crate::csv_file::{self, LineError};
use crate::db::Db;
use crate::domain::{Kato, region};
use crate::registry::import::ImportSummary;

pub const HEADER: [&str; 3] = ["code", "name_kk", "name_ru"];

/// One checked line of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KatoRow {
    pub line: u64,
    pub code: Kato,
    pub name_kk: String,
    pub name_ru: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Lines whose parent is missing; nothing was written.
    #[error("{} line(s) refer to units that exist neither in the file nor in the classifier", .0.len())]
    Lines(Vec<LineError>),
    #[error(transparent)]
    Db(#[from] crate::db::Error),
}

fn parse_record(record: &csv::StringRecord) -> Result<(Kato, String, String), String> {
    let code =
        Kato::parse(&record[0]).map_err(|e| format!("invalid KATO code {:?}: {e}", &record[0]))?;
    // Region settings, queues and accounts hang off the fixed list of regions.
    if code.level() == 1 && region::find(code.region_code()).is_none() {
        return Err(format!(
            "{code} is not one of the 17 regions and 3 cities of republican significance"
        ));
    }
    let name = |i: usize| {
        let value = record[i].trim();
        if value.is_empty() {
            Err(format!("{} is empty", HEADER[i]))
        } else {
            Ok(value.to_owned())
        }
    };
    Ok((code, name(1)?, name(2)?))
}

/// Reads and checks the whole file; returns every row or every bad line.
pub fn parse(reader: impl std::io::Read) -> Result<Vec<KatoRow>, Vec<LineError>> {
    let records = csv_file::records(reader, &HEADER)?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashMap::new();
    for (line, record) in records {
        match record.and_then(|r| parse_record(&r)) {
            Ok((code, name_kk, name_ru)) => {
                if let Some(first) = seen.insert(code.clone(), line) {
                    errors.push(LineError {
                        line,
                        reason: format!("code {code} repeats line {first}"),
                    });
                } else {
                    rows.push(KatoRow {
                        line,
                        code,
                        name_kk,
                        name_ru,
                    });
                }
            }
            Err(reason) => errors.push(LineError { line, reason }),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// The rows whose parent is neither in the file nor among `existing` codes.
pub fn orphans(rows: &[KatoRow], existing: &HashSet<String>) -> Vec<LineError> {
    let in_file: HashSet<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    rows.iter()
        .filter_map(|row| {
            let parent = row.code.parent()?;
            let known = in_file.contains(parent.as_str()) || existing.contains(parent.as_str());
            (!known).then(|| LineError {
                line: row.line,
                reason: format!(
                    "parent {parent} of {} is neither in the file nor in the classifier",
                    row.code
                ),
            })
        })
        .collect()
}

/// Inserts or updates every row in one transaction, or writes nothing when a parent is missing.
pub async fn store(db: &Db, rows: &[KatoRow], now: i64) -> Result<ImportSummary, StoreError> {
    let mut tx = db.begin().await?;
    // The whole classifier is some 15 000 short codes: one read beats a query per line.
    let existing: HashSet<String> = crate::db::reference::kato_codes(&mut *tx)
        .await?
        .into_iter()
        .collect();
    let orphans = orphans(rows, &existing);
    if !orphans.is_empty() {
        return Err(StoreError::Lines(orphans));
    }
    let mut summary = ImportSummary::default();
    for row in rows {
        crate::db::reference::upsert_kato(&mut *tx, &row.code, &row.name_kk, &row.name_ru, now)
            .await?;
        if existing.contains(row.code.as_str()) {
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

    const HEAD: &str = "code,name_kk,name_ru\n";

    #[test]
    fn a_good_file_parses_with_a_bom_and_quotes() {
        let csv = format!(
            "\u{feff}{HEAD}711200000,Есіл ауданы,район Есиль\n711210000,\"Есіл, қала\",\"Есиль, город\"\n"
        );
        let rows = parse(csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 3);
        assert_eq!(rows[1].code.as_str(), "711210000");
        assert_eq!(rows[1].name_ru, "Есиль, город");
    }

    #[test]
    fn bad_lines_are_reported_by_number() {
        let csv = format!(
            "{HEAD}711200000,Есіл ауданы,район Есиль\n\
             71120000,Қысқа,Короткий\n\
             710010000,Секіру,Пропуск уровня\n\
             711300000,,район Сарыарка\n\
             711200000,Есіл,Есиль\n\
             120000000,Жоқ облыс,Нет области\n\
             711400000,Байқоңыр ауданы\n"
        );
        let errors = parse(csv.as_bytes()).unwrap_err();
        let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7, 8], "{errors:?}");
        assert!(errors[3].reason.contains("repeats line 2"), "{errors:?}");
    }

    #[test]
    fn a_wrong_header_is_refused() {
        let errors = parse("code,name_ru,name_kk\n".as_bytes()).unwrap_err();
        assert_eq!(errors[0].line, 1);
        assert!(parse("kato,name\n".as_bytes()).is_err());
    }

    #[test]
    fn parents_come_from_the_file_or_the_classifier() {
        let csv = format!(
            "{HEAD}711200000,Есіл ауданы,район Есиль\n711210000,Есіл,Есиль\n751210000,Алатау,Алатау\n"
        );
        let rows = parse(csv.as_bytes()).unwrap();
        let existing: HashSet<String> = ["710000000".to_owned()].into();
        let errors = orphans(&rows, &existing);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 4);
        assert_eq!(
            errors[0].reason,
            "parent 751200000 of 751210000 is neither in the file nor in the classifier"
        );
        let existing: HashSet<String> = ["710000000".to_owned(), "751200000".to_owned()].into();
        assert!(orphans(&rows, &existing).is_empty());
    }
}
