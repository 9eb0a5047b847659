//! The catalog of preschool organizations: a region's active organizations, searched by name,
//! BIN or address and filtered by locality, ownership, language, group kind, correction type and
//! free places. A region holds hundreds of organizations, so its organizations and their groups
//! are read in two queries and matched here: case folding of Cyrillic and Kazakh letters is
//! then the same on both databases (SQLite's LOWER() folds ASCII only).

use std::collections::HashMap;
use std::sync::Arc;

use super::kato_range;
use crate::cache::TtlCache;
use crate::db::Db;
use crate::db::portal::catalog as store;
use crate::orgs::store::fold;
use crate::orgs::{GroupKind, Ownership};
use serde::Serialize;

/// An area's organizations as the catalog matches them, kept per area for a while.
pub type ListedCache = TtlCache<Arc<Vec<Listed>>>;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogFilter {
    /// Words that must each appear in a name (kk or ru), the BIN or the address.
    pub search: Option<String>,
    /// The significant digits of a KATO unit inside the region (`Kato::prefix`).
    pub locality: Option<String>,
    pub ownership: Option<Ownership>,
    /// Taught in this language (the card says so, or a group is).
    pub language: Option<String>,
    /// Has an open group of this kind…
    pub kind: Option<GroupKind>,
    /// …or of this correction type.
    pub correction_type: Option<String>,
    /// Has at least one free place published now.
    pub with_free_places: bool,
}

/// One line of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CatalogEntry {
    pub id: i64,
    pub bin: String,
    pub name_kk: String,
    pub name_ru: String,
    pub address: String,
    pub kato: String,
    pub locality_kk: Option<String>,
    pub locality_ru: Option<String>,
    pub ownership: String,
    /// Language codes: the card's and those of the open groups, sorted.
    pub languages: Vec<String>,
    /// Open vacancies of the open groups.
    pub free_places: i64,
}

impl CatalogEntry {
    pub fn name(&self, lang: &str) -> &str {
        crate::domain::Names::new(&self.name_kk, &self.name_ru, None).get(lang)
    }

    pub fn locality(&self, lang: &str) -> &str {
        // A unit missing from the classifier is shown by its code.
        let name = crate::domain::Names::new(
            self.locality_kk.as_deref().unwrap_or(""),
            self.locality_ru.as_deref().unwrap_or(""),
            None,
        )
        .get(lang);
        if name.is_empty() { &self.kato } else { name }
    }
}

/// What an organization's open groups offer.
#[derive(Default)]
struct Offer {
    languages: Vec<String>,
    kinds: Vec<String>,
    correction_types: Vec<String>,
    free_places: i64,
}

/// One organization as the catalog matches it: its line, and what the filters look at.
#[derive(Debug, Clone)]
pub struct Listed {
    entry: CatalogEntry,
    /// BIN, names and address folded: what the search words are found in.
    haystack: String,
    /// The names folded, to sort by.
    sort_kk: String,
    sort_ru: String,
    kinds: Vec<String>,
    correction_types: Vec<String>,
}

/// The search words, folded: an entry matches when each is found somewhere.
fn words(search: Option<&str>) -> Vec<String> {
    search
        .map(fold)
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

fn matches_words(words: &[String], haystack: &str) -> bool {
    words.iter().all(|w| haystack.contains(w.as_str()))
}

/// Every active organization between the KATO codes `low` and `high`, sorted by Russian name:
/// two queries, then the folding done once for all the searches that follow.
async fn load(db: &Db, low: &str, high: &str) -> Result<Vec<Listed>, crate::db::Error> {
    let organizations = store::organizations(db.pool(), low, high).await?;
    let groups = store::groups(db.pool(), low, high).await?;
    let mut offers: HashMap<i64, Offer> = HashMap::new();
    for g in groups {
        let offer = offers.entry(g.organization_id).or_default();
        offer.languages.push(g.language);
        offer.kinds.push(g.kind);
        offer.correction_types.extend(g.correction_type);
        offer.free_places += g.open_vacancies;
    }
    let mut listed: Vec<Listed> = organizations
        .into_iter()
        .map(|o| {
            let offer = offers.remove(&o.id).unwrap_or_default();
            let languages = crate::orgs::languages_taught(
                o.languages.as_deref(),
                offer.languages.iter().map(String::as_str),
            );
            Listed {
                haystack: fold(&format!(
                    "{} {} {} {}",
                    o.bin, o.name_kk, o.name_ru, o.address
                )),
                sort_kk: fold(&o.name_kk),
                sort_ru: fold(&o.name_ru),
                kinds: offer.kinds,
                correction_types: offer.correction_types,
                entry: CatalogEntry {
                    id: o.id,
                    bin: o.bin,
                    name_kk: o.name_kk,
                    name_ru: o.name_ru,
                    address: o.address,
                    kato: o.kato,
                    locality_kk: o.locality_kk,
                    locality_ru: o.locality_ru,
                    ownership: o.ownership,
                    languages,
                    free_places: offer.free_places,
                },
            }
        })
        .collect();
    listed.sort_by(|a, b| (&a.sort_ru, a.entry.id).cmp(&(&b.sort_ru, b.entry.id)));
    Ok(listed)
}

fn keeps(filter: &CatalogFilter, words: &[String], l: &Listed) -> bool {
    matches_words(words, &l.haystack)
        && filter
            .ownership
            .is_none_or(|wanted| l.entry.ownership == wanted.as_str())
        && filter
            .language
            .as_ref()
            .is_none_or(|lang| l.entry.languages.contains(lang))
        && filter
            .kind
            .is_none_or(|k| l.kinds.iter().any(|have| have == k.as_str()))
        && filter
            .correction_type
            .as_ref()
            .is_none_or(|c| l.correction_types.contains(c))
        && (!filter.with_free_places || l.entry.free_places > 0)
}

/// The region's active organizations matching `filter`, by name in `lang`; `limit` of them from
/// `offset`, and how many match in all. What the organizations offer is read at most once per
/// `settings.public_figures_ttl` and area (`listed`, the cache the caller keeps): free places
/// may be that old here.
pub async fn search(
    db: &Db,
    listed: &ListedCache,
    region_code: &str,
    lang: &str,
    filter: &CatalogFilter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<CatalogEntry>, i64), crate::db::Error> {
    let (low, high) = match &filter.locality {
        Some(prefix) if prefix.starts_with(region_code) => kato_range(prefix),
        _ => kato_range(region_code),
    };
    let listed = listed
        .get_or_compute(&format!("{low}-{high}"), || async {
            load(db, &low, &high).await.map(Arc::new)
        })
        .await?;
    let words = words(filter.search.as_deref());
    let mut found: Vec<&Listed> = listed.iter().filter(|l| keeps(filter, &words, l)).collect();
    if lang == "kk" {
        found.sort_by(|a, b| (&a.sort_kk, a.entry.id).cmp(&(&b.sort_kk, b.entry.id)));
    }
    let total = found.len() as i64;
    let page = found
        .into_iter()
        .skip(usize::try_from(offset.max(0)).unwrap_or(usize::MAX))
        .take(usize::try_from(limit.max(0)).unwrap_or(usize::MAX))
        .map(|l| l.entry.clone())
        .collect();
    Ok((page, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn haystack(name_ru: &str, address: &str) -> String {
        let r = store::OrganizationRow {
            id: 1,
            bin: "990140000384".into(),
            name_kk: "Балапан бөбекжайы".into(),
            name_ru: name_ru.into(),
            address: address.into(),
            kato: "710000000".into(),
            locality_kk: None,
            locality_ru: None,
            ownership: "state".into(),
            languages: None,
        };
        fold(&format!(
            "{} {} {} {}",
            r.bin, r.name_kk, r.name_ru, r.address
        ))
    }

    #[test]
    fn every_word_is_found_whatever_its_case() {
        let r = haystack("Ясли-сад «Ёлочка»", "Астана, ул. Абая, 12");
        for search in [
            "ЕЛОЧКА",
            "ёлочка абая",
            "БӨБЕКЖАЙЫ",
            "0140000",
            "ясли АСТАНА",
        ] {
            assert!(matches_words(&words(Some(search)), &r), "{search}");
        }
        for search in ["елочка сарайшык", "Ақбота"] {
            assert!(!matches_words(&words(Some(search)), &r), "{search}");
        }
        assert!(matches_words(&words(Some("   ")), &r));
    }
}
