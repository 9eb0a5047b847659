//! The top level of KATO: 17 regions and 3 cities of republican significance.
//! Queues, organizations and settings are per region, so the list is fixed in code.

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Region {
    /// The 2-digit KATO prefix; every settlement's 9-digit KATO code starts with it.
    pub code: &'static str,
    pub name_kk: &'static str,
    pub name_ru: &'static str,
    pub name_en: &'static str,
    /// A city of republican significance rather than a region (облыс).
    pub is_city: bool,
}

const fn city(code: &'static str, kk: &'static str, ru: &'static str, en: &'static str) -> Region {
    Region {
        code,
        name_kk: kk,
        name_ru: ru,
        name_en: en,
        is_city: true,
    }
}

const fn region(
    code: &'static str,
    kk: &'static str,
    ru: &'static str,
    en: &'static str,
) -> Region {
    Region {
        code,
        name_kk: kk,
        name_ru: ru,
        name_en: en,
        is_city: false,
    }
}

/// Cities first, since most applications come from them; then regions in Russian
/// alphabetical order, the order people know from official lists.
pub static REGIONS: [Region; 20] = [
    city("71", "Астана", "Астана", "Astana"),
    city("75", "Алматы", "Алматы", "Almaty"),
    city("79", "Шымкент", "Шымкент", "Shymkent"),
    region("10", "Абай облысы", "Абайская область", "Abai Region"),
    region(
        "11",
        "Ақмола облысы",
        "Акмолинская область",
        "Akmola Region",
    ),
    region(
        "15",
        "Ақтөбе облысы",
        "Актюбинская область",
        "Aktobe Region",
    ),
    region(
        "19",
        "Алматы облысы",
        "Алматинская область",
        "Almaty Region",
    ),
    region("23", "Атырау облысы", "Атырауская область", "Atyrau Region"),
    region(
        "63",
        "Шығыс Қазақстан облысы",
        "Восточно-Казахстанская область",
        "East Kazakhstan Region",
    ),
    region(
        "31",
        "Жамбыл облысы",
        "Жамбылская область",
        "Zhambyl Region",
    ),
    region(
        "33",
        "Жетісу облысы",
        "Жетысуская область",
        "Zhetisu Region",
    ),
    region(
        "27",
        "Батыс Қазақстан облысы",
        "Западно-Казахстанская область",
        "West Kazakhstan Region",
    ),
    region(
        "35",
        "Қарағанды облысы",
        "Карагандинская область",
        "Karaganda Region",
    ),
    region(
        "39",
        "Қостанай облысы",
        "Костанайская область",
        "Kostanay Region",
    ),
    region(
        "43",
        "Қызылорда облысы",
        "Кызылординская область",
        "Kyzylorda Region",
    ),
    region(
        "47",
        "Маңғыстау облысы",
        "Мангистауская область",
        "Mangystau Region",
    ),
    region(
        "55",
        "Павлодар облысы",
        "Павлодарская область",
        "Pavlodar Region",
    ),
    region(
        "59",
        "Солтүстік Қазақстан облысы",
        "Северо-Казахстанская область",
        "North Kazakhstan Region",
    ),
    region(
        "61",
        "Түркістан облысы",
        "Туркестанская область",
        "Turkistan Region",
    ),
    region("62", "Ұлытау облысы", "Улытауская область", "Ulytau Region"),
];

pub fn find(code: &str) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.code == code)
}

impl Region {
    /// The name in the interface language; Russian, understood everywhere, for anything unknown.
    pub fn name(&self, lang: &str) -> &'static str {
        match lang {
            "kk" => self.name_kk,
            "en" => self.name_en,
            _ => self.name_ru,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn twenty_distinct_two_digit_codes() {
        let codes: HashSet<&str> = REGIONS.iter().map(|r| r.code).collect();
        assert_eq!(codes.len(), 20);
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_digit()))
        );
        assert_eq!(REGIONS.iter().filter(|r| r.is_city).count(), 3);
    }

    #[test]
    fn cities_first_then_regions_by_russian_name() {
        assert!(REGIONS[..3].iter().all(|r| r.is_city));
        let regions = &REGIONS[3..];
        assert!(regions.iter().all(|r| !r.is_city));
        // Plain code-point order is Russian alphabetical order for these names (no «ё»).
        assert!(regions.windows(2).all(|w| w[0].name_ru < w[1].name_ru));
    }

    #[test]
    fn find_by_code() {
        assert_eq!(find("71").unwrap().name_en, "Astana");
        assert_eq!(find("19").unwrap().name_ru, "Алматинская область");
        assert_eq!(find("75").unwrap().name("kk"), "Алматы");
        assert!(find("99").is_none());
        assert!(find("").is_none());
        for r in &REGIONS {
            assert!(std::ptr::eq(find(r.code).unwrap(), r));
        }
    }

    #[test]
    fn names_by_language() {
        let r = find("59").unwrap();
        assert_eq!(r.name("kk"), "Солтүстік Қазақстан облысы");
        assert_eq!(r.name("ru"), "Северо-Казахстанская область");
        assert_eq!(r.name("en"), "North Kazakhstan Region");
        assert_eq!(r.name("de"), "Северо-Казахстанская область");
    }
}
