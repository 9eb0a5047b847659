//! Reading the KATO classifier as stored: units, their children, the regions, names.

use crate::db::Executor;
use crate::db::reference as store;

pub use store::KatoUnit;

pub async fn kato_unit<'c>(
    ex: impl Executor<'c>,
    code: &str,
) -> Result<Option<KatoUnit>, crate::db::Error> {
    store::kato_unit(ex, code).await
}

/// The units directly under `parent_code`, by code.
pub async fn kato_children<'c>(
    ex: impl Executor<'c>,
    parent_code: &str,
) -> Result<Vec<KatoUnit>, crate::db::Error> {
    store::kato_children(ex, parent_code).await
}

/// The regions and cities of republican significance, by code (`domain::REGIONS` has the
/// display order).
pub async fn kato_regions<'c>(ex: impl Executor<'c>) -> Result<Vec<KatoUnit>, crate::db::Error> {
    store::kato_regions(ex).await
}

pub async fn kato_name<'c>(
    ex: impl Executor<'c>,
    code: &str,
    lang: &str,
) -> Result<Option<String>, crate::db::Error> {
    Ok(kato_unit(ex, code)
        .await?
        .map(|unit| unit.name(lang).to_owned()))
}
