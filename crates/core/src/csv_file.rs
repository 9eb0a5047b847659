//! Reading the CSV files the imports take: the header must be exactly the expected one, and
//! every record comes with its line number, so that problems are reported by line. And the one
//! writer of the CSV files the site hands out (statistics, the protocol), which keeps any cell
//! from being taken for a formula by a spreadsheet.

/// A line of a file that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: u64,
    pub reason: String,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// A record and its line number, or why that line could not be read.
pub type NumberedRecord = (u64, Result<csv::StringRecord, String>);

/// Checks the header (a byte-order mark and spaces around names are tolerated) and returns
/// every record with its line, those with the wrong number of fields already refused.
pub fn records(
    reader: impl std::io::Read,
    header: &[&str],
) -> Result<Vec<NumberedRecord>, Vec<LineError>> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(reader);
    let header_error = |reason: String| vec![LineError { line: 1, reason }];
    let found = csv
        .headers()
        .map_err(|e| header_error(e.to_string()))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
        .collect::<Vec<_>>();
    if found != header {
        return Err(header_error(format!(
            "the header must be {}, found {}",
            header.join(","),
            found.join(",")
        )));
    }
    Ok(csv
        .records()
        .map(|record| match record {
            Ok(r) if r.len() != header.len() => (
                r.position().map_or(0, |p| p.line()),
                Err(format!(
                    "expected {} fields, found {}",
                    header.len(),
                    r.len()
                )),
            ),
            Ok(r) => (r.position().map_or(0, |p| p.line()), Ok(r)),
            Err(e) => (e.position().map_or(0, |p| p.line()), Err(e.to_string())),
        })
        .collect())
}

/// Writes `header` and `records` as CSV text (`\n` line ends, quoted only where needed), every
/// cell passed through [`defuse`].
pub fn write<R, C>(header: &[&str], records: impl IntoIterator<Item = R>) -> String
where
    R: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    w.write_record(header.iter().map(|h| defuse(h).into_owned()))
        .expect("writing to memory cannot fail");
    for record in records {
        let cells: Vec<String> = record
            .into_iter()
            .map(|c| defuse(c.as_ref()).into_owned())
            .collect();
        w.write_record(&cells)
            .expect("writing to memory cannot fail");
    }
    String::from_utf8(w.into_inner().expect("writing to memory cannot fail"))
        .expect("the fields are UTF-8")
}

/// A cell a spreadsheet would not take for a formula: one starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'` (numbers such as `-5` stay as they are). A cell
/// already starting with `'` gets one more, so [`undefuse`] gives back exactly what was written.
pub fn defuse(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']) && text.parse::<f64>().is_err();
    if risky || text.starts_with('\'') {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// The cell as it was before [`defuse`], for reading back a file the site wrote.
pub fn undefuse(text: &str) -> &str {
    text.strip_prefix('\'').unwrap_or(text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn lines_are_numbered_and_short_records_refused() {
        let text = "\u{feff}a, b\n1,2\n3\n";
        let records = super::records(text.as_bytes(), &["a", "b"]).unwrap();
        assert_eq!(records[0].0, 2);
        assert!(records[0].1.is_ok());
        assert_eq!(records[1].0, 3);
        assert_eq!(
            records[1].1.as_ref().unwrap_err(),
            "expected 2 fields, found 1"
        );
        let wrong = super::records("x,y\n".as_bytes(), &["a", "b"]).unwrap_err();
        assert_eq!(wrong[0].line, 1);
    }
}
