//! Fuzz pass over the files Kezek reads from outside (organization, group, KATO and register
//! imports, a downloaded protocol) and the CSV writer: 10⁵ generated files each, none may panic,
//! every refusal names a line, and what is written reads back as it was.

use kezek_core::csv_file::{self, LineError};
use kezek_core::directions::protocol::{self, HASHED_FIELDS, Record};
use kezek_core::orgs::import::{
    GROUPS_HEADER, ORGANIZATIONS_HEADER, parse_groups, parse_organizations,
};
use kezek_core::reference::kato_import;
use kezek_core::registry::import as register;
use kezek_fuzz::{TRICKY, config};
use proptest::prelude::*;

/// Values a real file has in its columns, so that generated lines often get past the first check.
const PLAUSIBLE: &[&str] = &[
    "",
    "990140000384",
    "710000000",
    "751110000",
    "Балапан",
    "«Балапан» бөбекжайы",
    "state",
    "private",
    "2022",
    "ru",
    "kk",
    "general",
    "correctional",
    "speech",
    "25",
    "0",
    "-1",
    "18446744073709551616",
    "51.16",
    "NaN",
    "inf",
    "+7 7172 00 00 00",
    "021204550012",
    "04.12.2021",
    "2021-12-04",
    "M",
    "F",
    "kz",
    "large_family,disability",
    "=HYPERLINK(\"http://evil\")",
    "'quoted",
];

/// One cell: a plausible value, or characters that upset CSV readers and validators.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(PLAUSIBLE).prop_map(str::to_owned),
        1 => prop::collection::vec(prop::sample::select(TRICKY), 0..8)
            .prop_map(|c| c.into_iter().collect()),
        1 => kezek_fuzz::any_text(),
    ]
}

/// A file whose header is `names` (sometimes damaged) and a few lines of around as many cells,
/// quoted where CSV needs it, or not, to see the reader refuse. Built without `prop_flat_map`,
/// so no strategy is made per case.
fn file(names: &[&str]) -> impl Strategy<Value = Vec<u8>> + use<> {
    let good: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
    let width = good.len();
    let mut short = good.clone();
    short.pop();
    let header = prop_oneof![
        8 => Just(good),
        1 => Just(short),
        1 => prop::collection::vec(cell(), 0..10),
    ];
    let line = prop::collection::vec(cell(), width.saturating_sub(1)..=width + 1);
    (
        header,
        prop::collection::vec(line, 0..5),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(any::<u8>(), 0..4),
    )
        .prop_map(|(header, lines, quote, bom, noise)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            text.push_str(&header.join(","));
            text.push('\n');
            for line in lines {
                let cells: Vec<String> = line
                    .iter()
                    .map(|c| {
                        if quote {
                            format!("\"{}\"", c.replace('"', "\"\""))
                        } else {
                            c.clone()
                        }
                    })
                    .collect();
                text.push_str(&cells.join(","));
                text.push('\n');
            }
            let mut bytes = text.into_bytes();
            bytes.extend(noise);
            bytes
        })
}

fn lines_are_named(errors: &[LineError]) -> Result<(), TestCaseError> {
    prop_assert!(!errors.is_empty(), "a refusal says why");
    for e in errors {
        prop_assert!(!e.reason.is_empty());
    }
    Ok(())
}

fn protocol_header() -> Vec<&'static str> {
    HASHED_FIELDS
        .iter()
        .copied()
        .chain(["prev_hash", "hash"])
        .collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fuzz_organizations_import(bytes in file(&ORGANIZATIONS_HEADER)) {
        if let Err(errors) = parse_organizations(bytes.as_slice()) {
            lines_are_named(&errors)?;
        }
    }

    #[test]
    fn fuzz_groups_import(bytes in file(&GROUPS_HEADER)) {
        if let Err(errors) = parse_groups(bytes.as_slice()) {
            lines_are_named(&errors)?;
        }
    }

    #[test]
    fn fuzz_kato_import(bytes in file(&kato_import::HEADER)) {
        if let Err(errors) = kato_import::parse(bytes.as_slice()) {
            lines_are_named(&errors)?;
        }
    }

    #[test]
    fn fuzz_register_import(
        bytes in prop_oneof![file(&register::HEADER), file(&register::HEADER_WITH_STATUSES)]
    ) {
        if let Err(errors) = register::parse(bytes.as_slice()) {
            lines_are_named(&errors)?;
        }
    }

    #[test]
    fn fuzz_protocol_download(
        bytes in prop_oneof![
            3 => file(&protocol_header()),
            1 => cell().prop_map(|c| format!("{{\"entries\": [{c}]}}").into_bytes()),
            1 => prop::collection::vec(any::<u8>(), 0..64),
        ]
    ) {
        if let Ok(records) = protocol::parse(&bytes) {
            // Whatever was read is written and read back the same, formulas defused and undone.
            prop_assert_eq!(protocol::parse(protocol::to_csv(&records).as_bytes()), Ok(records.clone()));
            let _ = protocol::verify(&records);
        }
    }

    #[test]
    fn fuzz_csv_writer_round_trips(cells in prop::collection::vec(prop::collection::vec(cell(), 2), 0..4)) {
        let text = csv_file::write(&["a", "b"], cells.clone());
        let read = csv_file::records(text.as_bytes(), &["a", "b"]).expect("the writer's own header");
        prop_assert_eq!(read.len(), cells.len());
        for ((_, record), written) in read.into_iter().zip(&cells) {
            let record = record.expect("the writer's own line");
            for (cell, original) in record.iter().zip(written) {
                prop_assert_eq!(csv_file::undefuse(cell), original.as_str());
                let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
                prop_assert!(!formula || cell.parse::<f64>().is_ok(), "{:?} is a formula", cell);
            }
        }
    }
}

#[test]
fn the_protocol_header_is_what_the_download_writes() {
    let written = protocol::to_csv(&[] as &[Record]);
    assert_eq!(written.trim_end(), protocol_header().join(","));
}
