//! Translation catalogues (Fluent) for Kazakh, Russian and English, compiled into the binary.

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Kk,
    Ru,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "kk" => Some(Lang::Kk),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language a parent's SMS and notices are written in: the one they chose on the site,
    /// else their application's, else Russian.
    pub fn of_parent(site: Option<&str>, application: &str) -> Lang {
        site.and_then(Lang::parse)
            .or_else(|| Lang::parse(application))
            .unwrap_or(Lang::Ru)
    }

    /// The language's own name, as the switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Kk => "Қазақша",
            Lang::Ru => "Русский",
            Lang::En => "English",
        }
    }

    /// The first language of an `Accept-Language` header that Kezek speaks, by preference.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut offers: Vec<(f32, usize, Lang)> = header
            .split(',')
            .enumerate()
            .filter_map(|(i, part)| {
                let mut pieces = part.trim().split(';');
                let tag = pieces.next()?.trim().to_ascii_lowercase();
                let q = pieces
                    .find_map(|p| p.trim().strip_prefix("q=").map(str::to_owned))
                    .map_or(Some(1.0), |q| q.parse::<f32>().ok())?;
                let primary = tag.split('-').next()?;
                Lang::parse(primary).filter(|_| q > 0.0).map(|l| (q, i, l))
            })
            .collect();
        offers.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        offers.first().map(|o| o.2)
    }
}

/// The catalogue files of each language, one per area of the product so that each stays
/// small; every language has the same files.
macro_rules! catalogue {
    ($lang:literal) => {
        concat!(
            include_str!(concat!("../../locales/", $lang, "/accounts.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $lang, "/reference.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $lang, "/orgs.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $lang, "/cabinets.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $lang, "/department.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $lang, "/admin.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $lang, "/children.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $lang, "/notifications.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $lang, "/documents.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $lang, "/applications.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $lang, "/application_form.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $lang, "/verification.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $lang, "/queue.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $lang, "/directions.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $lang, "/reviews.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $lang, "/statistics.ftl")),
            "\n",
            include_str!(concat!("../../locales/", $lang, "/portal.ftl")),
        )
    };
}

const SOURCES: [(Lang, &str); 3] = [
    (Lang::Kk, catalogue!("kk")),
    (Lang::Ru, catalogue!("ru")),
    (Lang::En, catalogue!("en")),
];

pub struct I18n {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
}

impl I18n {
    /// Parses the compiled-in catalogues; a syntax error is a programming error.
    pub fn new() -> I18n {
        let bundles = SOURCES
            .iter()
            .map(|(lang, source)| {
                let resource =
                    FluentResource::try_new(source.to_string()).unwrap_or_else(|(_, errors)| {
                        panic!("{} catalogue does not parse: {errors:?}", lang.code())
                    });
                let id: LanguageIdentifier = lang.code().parse().expect("valid language id");
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // Unicode isolation marks would end up inside SMS texts and input values.
                bundle.set_use_isolating(false);
                bundle
                    .add_resource(resource)
                    .unwrap_or_else(|e| panic!("{} catalogue has duplicates: {e:?}", lang.code()));
                (*lang, bundle)
            })
            .collect();
        I18n { bundles }
    }

    pub fn get(&self, lang: Lang, key: &str) -> String {
        self.format(lang, key, None)
    }

    pub fn get_with(&self, lang: Lang, key: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        self.format(lang, key, Some(&fluent_args))
    }

    fn format(&self, lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
        let bundle = &self.bundles[&lang];
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::error!(key, lang = lang.code(), "missing translation");
            return key.to_owned();
        };
        let mut errors = vec![];
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::error!(key, lang = lang.code(), ?errors, "translation error");
        }
        text.into_owned()
    }

    /// Message ids of one catalogue, for the completeness test.
    pub fn keys(lang: Lang) -> Vec<String> {
        let source = SOURCES.iter().find(|(l, _)| *l == lang).expect("lang").1;
        let resource = FluentResource::try_new(source.to_string()).expect("parses");
        resource
            .entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundles[&lang].has_message(key)
    }
}

impl Default for I18n {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests;
