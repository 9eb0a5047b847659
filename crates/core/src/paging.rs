//! One page of a list whose length comes with its rows: a page past the end is fetched again
//! as the last one, so nobody sees "page 7 of 2" (or, with an overflowing offset, other rows).

pub use crate::domain::paging::{Pager, offset_of, requested};

/// The `requested` page of `per_page` rows: `rows(offset, limit)` answers the list's length and
/// the rows from `offset`; called a second time only when `requested` is past the last page.
pub async fn fetch<T, E, F, Fut>(
    requested: u64,
    per_page: u64,
    mut rows: F,
) -> Result<(Pager, T), E>
where
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<(u64, T), E>>,
{
    let requested = requested.max(1);
    let limit = Pager::new(1, 0, per_page).limit();
    let (total, found) = rows(offset_of(requested, per_page), limit).await?;
    let pager = Pager::new(requested, total, per_page);
    if pager.page == requested {
        return Ok((pager, found));
    }
    let (total, found) = rows(pager.offset(), limit).await?;
    Ok((Pager::new(pager.page, total, per_page), found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_page_past_the_end_is_the_last_page() {
        let list: Vec<u32> = (1..=60).collect();
        let mut calls = Vec::new();
        let (pager, rows) = fetch(368_934_881_474_191_034, 50, |offset, limit| {
            calls.push(offset);
            let from = usize::try_from(offset)
                .unwrap_or(usize::MAX)
                .min(list.len());
            let to = from.saturating_add(limit as usize).min(list.len());
            let rows = list[from..to].to_vec();
            async move { Ok::<_, ()>((60, rows)) }
        })
        .await
        .unwrap();
        assert_eq!((pager.page, pager.pages), (2, 2));
        assert_eq!(rows, (51..=60).collect::<Vec<_>>());
        assert_eq!(calls, [i64::MAX, 50]);
    }
}
