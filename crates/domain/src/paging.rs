//! Page numbers of long lists: the page a visitor asked for (any text in an address) and the
//! page that is once the list's length is known, with offsets that cannot overflow.

/// The 1-based page number in `raw`: 1 when it is missing, empty, zero, negative or no number;
/// a number too large for `u64` counts as the largest (then [`Pager::new`] shows the last page).
pub fn requested(raw: Option<&str>) -> u64 {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return 1;
    };
    let digits = raw.strip_prefix('+').unwrap_or(raw);
    if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.is_empty() {
        return 1;
    }
    digits.parse::<u64>().unwrap_or(u64::MAX).max(1)
}

/// The index of page `page`'s first row, saturated to what a database `OFFSET` takes.
pub fn offset_of(page: u64, per_page: u64) -> i64 {
    let rows = page.max(1).saturating_sub(1).saturating_mul(per_page);
    i64::try_from(rows).unwrap_or(i64::MAX)
}

/// Where a list of `total` rows is shown from: `page` is always within `1..=pages`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pager {
    pub page: u64,
    pub pages: u64,
    pub per_page: u64,
    pub total: u64,
}

impl Pager {
    /// The `requested` page of a list of `total` rows, moved to the last page when past it.
    pub fn new(requested: u64, total: u64, per_page: u64) -> Pager {
        let per_page = per_page.max(1);
        let pages = total.div_ceil(per_page).max(1);
        Pager {
            page: requested.clamp(1, pages),
            pages,
            per_page,
            total,
        }
    }

    pub fn offset(&self) -> i64 {
        offset_of(self.page, self.per_page)
    }

    pub fn limit(&self) -> i64 {
        i64::try_from(self.per_page).unwrap_or(i64::MAX)
    }

    pub fn prev(&self) -> Option<u64> {
        (self.page > 1).then(|| self.page - 1)
    }

    pub fn next(&self) -> Option<u64> {
        (self.page < self.pages).then(|| self.page + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_text_is_a_page_number() {
        for (raw, page) in [
            (None, 1),
            (Some(""), 1),
            (Some("0"), 1),
            (Some("-3"), 1),
            (Some("abc"), 1),
            (Some("2.5"), 1),
            (Some(" 7 "), 7),
            (Some("+2"), 2),
            (Some("368934881474191034"), 368_934_881_474_191_034),
            (Some("99999999999999999999999999"), u64::MAX),
        ] {
            assert_eq!(requested(raw), page, "{raw:?}");
        }
    }

    #[test]
    fn offsets_never_overflow_and_pages_are_clamped() {
        assert_eq!(offset_of(1, 50), 0);
        assert_eq!(offset_of(3, 50), 100);
        assert_eq!(offset_of(0, 50), 0);
        assert_eq!(offset_of(368_934_881_474_191_034, 50), i64::MAX);
        assert_eq!(offset_of(u64::MAX, u64::MAX), i64::MAX);

        let p = Pager::new(368_934_881_474_191_034, 60, 50);
        assert_eq!((p.page, p.pages, p.offset()), (2, 2, 50));
        assert_eq!((p.prev(), p.next()), (Some(1), None));
        let p = Pager::new(u64::MAX, 0, 50);
        assert_eq!((p.page, p.pages, p.offset()), (1, 1, 0));
        assert_eq!((p.prev(), p.next()), (None, None));
        let p = Pager::new(0, u64::MAX, 1);
        assert_eq!((p.page, p.pages), (1, u64::MAX));
        assert_eq!(Pager::new(u64::MAX, u64::MAX, 1).offset(), i64::MAX);
        assert_eq!(Pager::new(2, 10, 0).per_page, 1);
    }
}
