//! Escaping text for the XML the server writes by hand: the Atom feed and the SVG charts.

/// Text for XML 1.0 content and attribute values (also right inside HTML): the five special
/// characters escaped, and the control characters XML 1.0 forbids dropped (stored text may hold
/// them, and a parser would stop there).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}
