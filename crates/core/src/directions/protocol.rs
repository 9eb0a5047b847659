//! The public protocol of directions: every issued, accepted, refused, returned, expired and
//! enrolled direction, one hash chain per region. Anyone may download a region's chain (CSV or
//! JSON) and check it with `kezek protocol verify FILE`: a changed, removed, added or reordered
//! entry breaks the chain, and a rewritten chain ends in another hash than the one the site shows.
//!
//! Each entry's hash is `hex(sha256(prev_hash + "\n" + line))`, where `line` is the entry's
//! fields, in this order, written as one CSV record (RFC 4180 quoting, no line end):
//!
//! `seq, at, event, direction_id, organization_bin, organization_name, group_name,
//! application_number, child_masked, position, category`
//!
//! `at` is unix seconds; `prev_hash` of the first entry is 64 zeros. The CSV download is exactly
//! these lines, each followed by `,prev_hash,hash`, under a header naming the columns.

use crate::db::directions::protocol::{self as store, RecordRow};
use crate::db::{Executor, Tx};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The `prev_hash` of a region's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hashed fields, in the order they are hashed.
pub const HASHED_FIELDS: [&str; 11] = [
    "seq",
    "at",
    "event",
    "direction_id",
    "organization_bin",
    "organization_name",
    "group_name",
    "application_number",
    "child_masked",
    "position",
    "category",
];

/// What a protocol entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Issued,
    Accepted,
    Refused,
    Returned,
    Expired,
    Enrolled,
}

impl Event {
    pub const ALL: [Event; 6] = [
        Event::Issued,
        Event::Accepted,
        Event::Refused,
        Event::Returned,
        Event::Expired,
        Event::Enrolled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::Issued => "issued",
            Event::Accepted => "accepted",
            Event::Refused => "refused",
            Event::Returned => "returned",
            Event::Expired => "expired",
            Event::Enrolled => "enrolled",
        }
    }

    pub fn parse(code: &str) -> Option<Event> {
        Self::ALL.into_iter().find(|e| e.as_str() == code)
    }

    pub fn message_key(self) -> &'static str {
        match self {
            Event::Issued => "protocol-event-issued",
            Event::Accepted => "protocol-event-accepted",
            Event::Refused => "protocol-event-refused",
            Event::Returned => "protocol-event-returned",
            Event::Expired => "protocol-event-expired",
            Event::Enrolled => "protocol-event-enrolled",
        }
    }
}

/// An entry to append: everything but its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub at: i64,
    pub event: Event,
    pub direction_id: i64,
    pub organization_bin: String,
    pub organization_name: String,
    pub group_name: String,
    pub application_number: String,
    pub child_masked: String,
    /// 1-based position in the organization's queue when the direction was issued.
    pub position: i64,
    pub category: String,
}

/// An entry as stored and downloaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub seq: i64,
    pub at: i64,
    pub event: String,
    pub direction_id: i64,
    pub organization_bin: String,
    pub organization_name: String,
    pub group_name: String,
    pub application_number: String,
    pub child_masked: String,
    pub position: i64,
    pub category: String,
    pub prev_hash: String,
    pub hash: String,
}

impl From<RecordRow> for Record {
    fn from(r: RecordRow) -> Record {
        Record {
            seq: r.seq,
            at: r.at,
            event: r.event,
            direction_id: r.direction_id,
            organization_bin: r.organization_bin,
            organization_name: r.organization_name,
            group_name: r.group_name,
            application_number: r.application_number,
            child_masked: r.child_masked,
            position: r.position,
            category: r.category,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

impl From<&Record> for RecordRow {
    fn from(r: &Record) -> RecordRow {
        RecordRow {
            seq: r.seq,
            at: r.at,
            event: r.event.clone(),
            direction_id: r.direction_id,
            organization_bin: r.organization_bin.clone(),
            organization_name: r.organization_name.clone(),
            group_name: r.group_name.clone(),
            application_number: r.application_number.clone(),
            child_masked: r.child_masked.clone(),
            position: r.position,
            category: r.category.clone(),
            prev_hash: r.prev_hash.clone(),
            hash: r.hash.clone(),
        }
    }
}

fn csv_writer(into: Vec<u8>) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(into)
}

impl Record {
    fn hashed_fields(&self) -> [String; 11] {
        [
            self.seq.to_string(),
            self.at.to_string(),
            self.event.clone(),
            self.direction_id.to_string(),
            self.organization_bin.clone(),
            self.organization_name.clone(),
            self.group_name.clone(),
            self.application_number.clone(),
            self.child_masked.clone(),
            self.position.to_string(),
            self.category.clone(),
        ]
    }

    /// The line the hash covers: the hashed fields as one CSV record without its line end.
    pub fn canonical_line(&self) -> String {
        let mut w = csv_writer(Vec::new());
        w.write_record(self.hashed_fields())
            .expect("writing to memory cannot fail");
        let mut bytes = w.into_inner().expect("writing to memory cannot fail");
        bytes.pop(); // the terminator
        String::from_utf8(bytes).expect("the fields are UTF-8")
    }

    /// What the hash must be, given `prev_hash` and the other fields.
    pub fn computed_hash(&self) -> String {
        chain_hash(&self.prev_hash, &self.canonical_line())
    }
}

/// `hex(sha256(prev_hash + "\n" + line))`.
pub fn chain_hash(prev_hash: &str, line: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(b"\n");
    h.update(line.as_bytes());
    hex::encode(h.finalize())
}

/// The whole chain as the CSV download: a header, then one line per entry, oldest first.
pub fn to_csv(records: &[Record]) -> String {
    let mut header: Vec<&str> = HASHED_FIELDS.to_vec();
    header.extend(["prev_hash", "hash"]);
    // Through the site's one CSV writer, so a group named `=HYPERLINK(…)` is no formula in a
    // spreadsheet; `parse` undoes that before the hashes are checked.
    crate::csv_file::write(
        &header,
        records.iter().map(|r| {
            let mut fields = r.hashed_fields().to_vec();
            fields.push(r.prev_hash.clone());
            fields.push(r.hash.clone());
            fields
        }),
    )
}

/// The JSON download.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Download {
    pub region_code: String,
    /// The newest entry's hash, as the site shows it (the genesis hash of an empty chain).
    pub head_hash: String,
    pub entries: Vec<Record>,
}

pub fn to_json(region_code: &str, records: &[Record]) -> String {
    let download = Download {
        region_code: region_code.to_owned(),
        head_hash: records
            .last()
            .map_or_else(|| GENESIS.to_owned(), |r| r.hash.clone()),
        entries: records.to_vec(),
    };
    serde_json::to_string_pretty(&download).expect("a protocol serializes")
}

/// Reads a downloaded copy, CSV or JSON (a `Download` object or a bare array of entries).
pub fn parse(bytes: &[u8]) -> Result<Vec<Record>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_owned())?;
    let text = text.trim_start_matches('\u{feff}');
    match text.trim_start().chars().next() {
        Some('{') => serde_json::from_str::<Download>(text)
            .map(|d| d.entries)
            .map_err(|e| format!("not a protocol JSON file: {e}")),
        Some('[') => serde_json::from_str::<Vec<Record>>(text)
            .map_err(|e| format!("not a protocol JSON file: {e}")),
        _ => parse_csv(text),
    }
}

fn parse_csv(text: &str) -> Result<Vec<Record>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("not a protocol CSV file: {e}"))?
        .iter()
        .map(str::to_owned)
        .collect();
    let mut expected: Vec<&str> = HASHED_FIELDS.to_vec();
    expected.extend(["prev_hash", "hash"]);
    if header != expected {
        return Err(format!(
            "not a protocol CSV file: the header must be {}",
            expected.join(",")
        ));
    }
    let header = csv::StringRecord::from(header);
    let mut records = Vec::new();
    for (i, row) in reader.records().enumerate() {
        // Line 1 is the header.
        let line = |e: csv::Error| format!("line {}: {e}", i + 2);
        let row = row.map_err(line)?;
        let plain: csv::StringRecord = row.iter().map(crate::csv_file::undefuse).collect();
        records.push(plain.deserialize(Some(&header)).map_err(line)?);
    }
    Ok(records)
}

/// A chain that checks out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub entries: usize,
    /// The last entry's hash (the genesis hash of an empty chain).
    pub last_hash: String,
}

/// Where a chain first breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("broken at seq {seq}: {problem}")]
pub struct Broken {
    /// The `seq` written in the first entry that does not fit.
    pub seq: i64,
    pub problem: String,
}

/// Recomputes a whole chain from its first entry.
pub fn verify(records: &[Record]) -> Result<Verified, Broken> {
    let mut prev = GENESIS.to_owned();
    for (i, r) in records.iter().enumerate() {
        let expected_seq = i as i64 + 1;
        let broken = |problem: String| Broken {
            seq: r.seq,
            problem,
        };
        if r.seq != expected_seq {
            return Err(broken(format!(
                "expected seq {expected_seq}: an entry is missing, added or out of order"
            )));
        }
        if r.prev_hash != prev {
            return Err(broken(
                "prev_hash is not the previous entry's hash".to_owned(),
            ));
        }
        if r.computed_hash() != r.hash {
            return Err(broken(
                "the hash does not match the entry: a field was changed".to_owned(),
            ));
        }
        prev = r.hash.clone();
    }
    Ok(Verified {
        entries: records.len(),
        last_hash: prev,
    })
}

// ---- The database side ----

/// A region's chain head, taken for the rest of the transaction. Taking it is what serializes
/// every change of a direction in the region: on PostgreSQL the row lock, on SQLite the write
/// transaction itself.
#[derive(Debug, Clone)]
pub struct Chain {
    pub region_code: String,
    pub seq: i64,
    pub hash: String,
    dirty: bool,
}

/// Locks the region's head row (creating it for a region that has none yet).
pub async fn lock(tx: &mut Tx, region_code: &str) -> Result<Chain, crate::db::Error> {
    let (seq, hash) = store::lock_head(tx, region_code, GENESIS).await?;
    Ok(Chain {
        region_code: region_code.to_owned(),
        seq,
        hash,
        dirty: false,
    })
}

impl Chain {
    /// Appends an entry; [`Chain::save`] must follow before the transaction commits.
    pub async fn push(
        &mut self,
        tx: &mut Tx,
        entry: &NewEntry,
    ) -> Result<Record, crate::db::Error> {
        let record = self.next_record(entry);
        store::insert(&mut **tx, &self.region_code, &RecordRow::from(&record)).await?;
        self.seq = record.seq;
        self.hash = record.hash.clone();
        self.dirty = true;
        Ok(record)
    }

    /// Appends several entries with one statement per 100 (issuing thousands of directions);
    /// [`Chain::save`] must follow before the transaction commits.
    pub async fn push_many(
        &mut self,
        tx: &mut Tx,
        entries: &[NewEntry],
    ) -> Result<Vec<Record>, crate::db::Error> {
        let mut records = Vec::with_capacity(entries.len());
        for chunk in entries.chunks(100) {
            let mut chunk_records = Vec::with_capacity(chunk.len());
            for entry in chunk {
                let record = self.next_record(entry);
                self.seq = record.seq;
                self.hash = record.hash.clone();
                chunk_records.push(record);
            }
            let rows: Vec<RecordRow> = chunk_records.iter().map(RecordRow::from).collect();
            store::insert_many(&mut **tx, &self.region_code, &rows).await?;
            self.dirty = true;
            records.extend(chunk_records);
        }
        Ok(records)
    }

    fn next_record(&self, entry: &NewEntry) -> Record {
        let mut record = Record {
            seq: self.seq + 1,
            at: entry.at,
            event: entry.event.as_str().to_owned(),
            direction_id: entry.direction_id,
            organization_bin: entry.organization_bin.clone(),
            organization_name: entry.organization_name.clone(),
            group_name: entry.group_name.clone(),
            application_number: entry.application_number.clone(),
            child_masked: entry.child_masked.clone(),
            position: entry.position,
            category: entry.category.clone(),
            prev_hash: self.hash.clone(),
            hash: String::new(),
        };
        record.hash = record.computed_hash();
        record
    }

    /// Writes the head after the entries pushed.
    pub async fn save(&mut self, tx: &mut Tx) -> Result<(), crate::db::Error> {
        if self.dirty {
            store::save_head(&mut **tx, &self.region_code, self.seq, &self.hash).await?;
            self.dirty = false;
        }
        Ok(())
    }
}

/// Appends one entry to the region's chain in the caller's transaction (locking the head if
/// the caller has not yet).
pub async fn append(
    tx: &mut Tx,
    region_code: &str,
    entry: &NewEntry,
) -> Result<Record, crate::db::Error> {
    let mut chain = lock(tx, region_code).await?;
    let record = chain.push(tx, entry).await?;
    chain.save(tx).await?;
    Ok(record)
}

/// The region's head: how many entries and the newest hash.
pub async fn head<'c>(
    ex: impl Executor<'c>,
    region_code: &str,
) -> Result<(i64, String), crate::db::Error> {
    let head = store::head(ex, region_code).await?;
    Ok(head.unwrap_or_else(|| (0, GENESIS.to_owned())))
}

/// A page of the region's entries, newest first.
pub async fn page<'c>(
    ex: impl Executor<'c>,
    region_code: &str,
    offset: i64,
    limit: i64,
) -> Result<Vec<Record>, crate::db::Error> {
    let rows = store::page(ex, region_code, offset, limit).await?;
    Ok(rows.into_iter().map(Record::from).collect())
}

/// The region's whole chain, oldest first.
pub async fn all<'c>(
    ex: impl Executor<'c>,
    region_code: &str,
) -> Result<Vec<Record>, crate::db::Error> {
    let rows = store::all(ex, region_code).await?;
    Ok(rows.into_iter().map(Record::from).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Record> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let mut r = Record {
                    seq,
                    at: 1_780_000_000 + seq,
                    event: if seq % 2 == 0 { "accepted" } else { "issued" }.to_owned(),
                    direction_id: seq,
                    organization_bin: "990140000384".into(),
                    organization_name: "Балапан, \"ясли-сад\"".into(),
                    group_name: "Балапандар\nмладшая".into(),
                    application_number: format!("71-{seq:07}"),
                    child_masked: "Ж*** А.".into(),
                    position: seq,
                    category: "general".into(),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                r.hash = r.computed_hash();
                prev = r.hash.clone();
                r
            })
            .collect()
    }

    #[test]
    fn the_line_is_the_fields_in_order_quoted_as_csv() {
        let r = &chain(1)[0];
        assert_eq!(
            r.canonical_line(),
            "1,1780000001,issued,1,990140000384,\"Балапан, \"\"ясли-сад\"\"\",\"Балапандар\nмладшая\",71-0000001,Ж*** А.,1,general"
        );
        assert_eq!(r.hash, chain_hash(GENESIS, &r.canonical_line()));
        assert_eq!(r.hash.len(), 64);
    }

    #[test]
    fn a_formula_in_a_name_is_defused_in_the_csv_and_verifies_after() {
        let mut records = chain(1);
        records[0].group_name = "=HYPERLINK(\"http://evil\")".into();
        records[0].organization_name = "@cmd".into();
        records[0].hash = records[0].computed_hash();
        let csv = to_csv(&records);
        assert!(
            csv.contains(",'@cmd,\"'=HYPERLINK(\"\"http://evil\"\")\","),
            "{csv}"
        );
        let read = parse(csv.as_bytes()).unwrap();
        assert_eq!(read, records);
        assert!(verify(&read).is_ok());
    }

    #[test]
    fn an_intact_chain_verifies_through_both_downloads() {
        let records = chain(5);
        let ok = verify(&records).unwrap();
        assert_eq!(ok.entries, 5);
        assert_eq!(ok.last_hash, records[4].hash);
        assert_eq!(parse(to_csv(&records).as_bytes()).unwrap(), records);
        assert_eq!(parse(to_json("71", &records).as_bytes()).unwrap(), records);
        let bare = serde_json::to_string(&records).unwrap();
        assert_eq!(parse(bare.as_bytes()).unwrap(), records);
        assert_eq!(
            verify(&[]),
            Ok(Verified {
                entries: 0,
                last_hash: GENESIS.to_owned()
            })
        );
    }

    #[test]
    fn a_changed_field_is_found() {
        let mut records = chain(5);
        records[2].child_masked = "Б*** К.".into();
        assert_eq!(verify(&records).unwrap_err().seq, 3);
        let mut records = chain(5);
        records[3].position = 1;
        assert_eq!(verify(&records).unwrap_err().seq, 4);
        // Recomputing the changed entry's hash breaks the next link instead.
        let mut records = chain(5);
        records[1].category = "extraordinary".into();
        records[1].hash = records[1].computed_hash();
        assert_eq!(verify(&records).unwrap_err().seq, 3);
    }

    #[test]
    fn a_removed_added_or_reordered_entry_is_found() {
        let mut removed = chain(5);
        removed.remove(2);
        assert_eq!(verify(&removed).unwrap_err().seq, 4);
        let mut first_removed = chain(3);
        first_removed.remove(0);
        assert_eq!(verify(&first_removed).unwrap_err().seq, 2);
        let mut reordered = chain(5);
        reordered.swap(1, 2);
        assert_eq!(verify(&reordered).unwrap_err().seq, 3);
        let mut duplicated = chain(3);
        duplicated.push(duplicated[2].clone());
        assert_eq!(verify(&duplicated).unwrap_err().seq, 3);
    }

    #[test]
    fn junk_is_not_a_protocol() {
        assert!(parse(b"a,b\n1,2\n").is_err());
        assert!(parse(b"{\"x\": 1}").is_err());
        assert!(parse(&[0xff, 0xfe]).is_err());
        assert!(parse(b"").unwrap_err().contains("header"));
    }

    #[test]
    fn events_round_trip() {
        for e in Event::ALL {
            assert_eq!(Event::parse(e.as_str()), Some(e));
        }
    }
}
