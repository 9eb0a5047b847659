//! The public portal's data, for the pages and later the JSON API alike: the home page's live
//! figures, the free-places bulletin (with its Atom feed), the catalog of organizations and an
//! organization's public page. Nothing here names a child.

pub mod atom;
pub mod bulletin;
pub mod catalog;
pub mod figures;
pub mod filters;
pub mod map;
pub mod organization;

/// The KATO codes under a unit given by its significant digits (a region's 2, `Kato::prefix`):
/// codes are digits of one length, so "under" is one index range, `prefix000…` to `prefix999…`.
pub fn kato_range(prefix: &str) -> (String, String) {
    (format!("{prefix:0<9}"), format!("{prefix:9<9}"))
}

/// How many pages `total` lines make, at least one.
pub fn page_count(total: i64, page_size: i64) -> i64 {
    let pager = crate::paging::Pager::new(
        1,
        u64::try_from(total).unwrap_or(0),
        u64::try_from(page_size).unwrap_or(0),
    );
    i64::try_from(pager.pages).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_pages() {
        assert_eq!(
            kato_range("7101"),
            ("710100000".to_owned(), "710199999".to_owned())
        );
        assert_eq!(
            (page_count(0, 50), page_count(50, 50), page_count(51, 50)),
            (1, 1, 2)
        );
    }
}
