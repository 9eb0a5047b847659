//! A name kept in the country's languages, shown in the reader's: Kazakh, Russian, and English
//! where one was given (Russian, understood everywhere, stands in for a missing English name).

/// Borrowed names of one thing: an organization, a locality, a reference item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Names<'a> {
    pub kk: &'a str,
    pub ru: &'a str,
    /// Empty or `None` when nobody wrote one.
    pub en: Option<&'a str>,
}

impl<'a> Names<'a> {
    pub fn new(kk: &'a str, ru: &'a str, en: Option<&'a str>) -> Names<'a> {
        Names { kk, ru, en }
    }

    /// The name for an interface language code (`kk`, `ru`, `en`); Russian for anything else
    /// and for a missing Kazakh or English name.
    pub fn get(self, lang: &str) -> &'a str {
        let chosen = match lang {
            "kk" => Some(self.kk),
            "en" => self.en,
            _ => None,
        };
        chosen
            .filter(|name| !name.trim().is_empty())
            .unwrap_or(self.ru)
    }
}

/// "Last First Middle", the order of Kazakh and Russian official documents; blank parts are
/// left out.
pub fn full_name(last: &str, first: &str, middle: Option<&str>) -> String {
    [Some(last), Some(first), middle]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::{Names, full_name};

    #[test]
    fn a_full_name_leaves_blank_parts_out() {
        assert_eq!(
            full_name("Ахметова", "Айгерим", Some("Серікқызы")),
            "Ахметова Айгерим Серікқызы"
        );
        assert_eq!(
            full_name("Ахметова", "Айгерим", Some("  ")),
            "Ахметова Айгерим"
        );
        assert_eq!(full_name(" Ахметова", "", None), "Ахметова");
    }

    #[test]
    fn each_language_reads_its_own_name() {
        let names = Names::new("Балбөбек", "Малыш", Some("Little one"));
        assert_eq!(names.get("kk"), "Балбөбек");
        assert_eq!(names.get("ru"), "Малыш");
        assert_eq!(names.get("en"), "Little one");
        assert_eq!(names.get("de"), "Малыш");
    }

    #[test]
    fn a_missing_name_falls_back_to_russian() {
        assert_eq!(Names::new("", "Малыш", None).get("kk"), "Малыш");
        assert_eq!(Names::new("Балбөбек", "Малыш", None).get("en"), "Малыш");
        assert_eq!(
            Names::new("Балбөбек", "Малыш", Some(" ")).get("en"),
            "Малыш"
        );
    }
}
