//! A small Atom 1.0 (RFC 4287) writer for the bulletin's feed, so that nobody needs a bot
//! polling the page. Written by hand: the feed has a handful of elements, all text.

/// One `<entry>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// A permanent IRI (here a `tag:` URI).
    pub id: String,
    pub title: String,
    /// Unix seconds.
    pub updated: i64,
    /// Absolute address of the page the entry is about.
    pub link: String,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub id: String,
    pub title: String,
    /// Unix seconds.
    pub updated: i64,
    /// Absolute address of the feed itself.
    pub self_link: String,
    /// Absolute address of the same list as a page.
    pub alternate_link: String,
    /// `xml:lang` of the texts.
    pub lang: String,
    pub entries: Vec<Entry>,
}

pub use crate::xml::escape;

/// RFC 3339 in UTC, as Atom's date constructs want it.
pub fn date(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// A `tag:` URI (RFC 4151) for something of this site: `tag:{host},2026:kezek/{specific}`.
/// The host is the site's address without port; the date is the year the scheme was minted.
pub fn tag_uri(host: &str, specific: &str) -> String {
    let host = host.split(':').next().unwrap_or(host);
    format!("tag:{host},2026:kezek/{specific}")
}

/// The whole document.
pub fn render(feed: &Feed) -> String {
    let mut xml = String::with_capacity(512 + feed.entries.len() * 512);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(&feed.lang)
    ));
    xml.push_str(&format!("  <id>{}</id>\n", escape(&feed.id)));
    xml.push_str(&format!("  <title>{}</title>\n", escape(&feed.title)));
    xml.push_str(&format!("  <updated>{}</updated>\n", date(feed.updated)));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&feed.self_link)
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&feed.alternate_link)
    ));
    // An author is required of a feed whose entries have none.
    xml.push_str("  <author><name>Kezek</name></author>\n");
    for e in &feed.entries {
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <id>{}</id>\n", escape(&e.id)));
        xml.push_str(&format!("    <title>{}</title>\n", escape(&e.title)));
        xml.push_str(&format!("    <updated>{}</updated>\n", date(e.updated)));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape(&e.link)
        ));
        xml.push_str(&format!("    <summary>{}</summary>\n", escape(&e.summary)));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(
            escape("«Ақбота» & <b>'x'</b>\u{1}\n"),
            "«Ақбота» &amp; &lt;b&gt;&apos;x&apos;&lt;/b&gt;\n"
        );
        assert_eq!(escape("a\"b"), "a&quot;b");
    }

    #[test]
    fn dates_and_ids() {
        assert_eq!(date(0), "1970-01-01T00:00:00Z");
        assert_eq!(date(1_780_000_000), "2026-05-28T20:26:40Z");
        assert_eq!(
            tag_uri("kezek.example:8080", "vacancy/5"),
            "tag:kezek.example,2026:kezek/vacancy/5"
        );
    }

    #[test]
    fn a_feed_has_its_required_elements() {
        let feed = Feed {
            id: "tag:k.example,2026:kezek/bulletin/71".into(),
            title: "Бюллетень".into(),
            updated: 60,
            self_link: "https://k.example/bulletin.atom?region=71&kind=regular".into(),
            alternate_link: "https://k.example/bulletin?region=71".into(),
            lang: "ru".into(),
            entries: vec![Entry {
                id: "tag:k.example,2026:kezek/vacancy/1".into(),
                title: "A <&> B".into(),
                updated: 61,
                link: "https://k.example/catalog/3".into(),
                summary: "s".into(),
            }],
        };
        let xml = render(&feed);
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""));
        assert!(
            xml.contains("href=\"https://k.example/bulletin.atom?region=71&amp;kind=regular\"")
        );
        assert!(xml.contains("<title>A &lt;&amp;&gt; B</title>"));
        assert!(xml.contains("<updated>1970-01-01T00:01:01Z</updated>"));
        assert_eq!(xml.matches("<entry>").count(), 1);
        assert!(xml.ends_with("</feed>\n"));
    }
}
