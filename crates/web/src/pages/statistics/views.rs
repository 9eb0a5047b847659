//! The statistics as the page shows them (a chart, its table, its download link) and as CSV.
//! The CSV keeps stable English column ids and codes, so scripts reading it survive a change of
//! wording or language; only the `*_name` columns are in the visitor's language.

use std::collections::{BTreeSet, HashMap};

use crate::charts::{self, Chart, Series};
use crate::page::Page;
use kezek_core::orgs::GroupKind;
use kezek_core::stats::{CorrectionalDemand, MonthFlow, WaitTimes, WaitingCount};

/// The four statistics, each a section of the page and a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatisticId {
    Waiting,
    Correctional,
    Monthly,
    WaitTime,
}

impl StatisticId {
    pub const ALL: [StatisticId; 4] = [
        StatisticId::Waiting,
        StatisticId::Correctional,
        StatisticId::Monthly,
        StatisticId::WaitTime,
    ];

    /// The id in the page's anchors and the CSV file's name, in the order of `ALL`.
    const NAMES: [&'static str; 4] = ["waiting", "correctional", "monthly", "wait-time"];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    fn heading_key(self) -> &'static str {
        match self {
            StatisticId::Waiting => "statistics-waiting-title",
            StatisticId::Correctional => "statistics-correctional-title",
            StatisticId::Monthly => "statistics-monthly-title",
            StatisticId::WaitTime => "statistics-wait-title",
        }
    }

    pub fn parse(id: &str) -> Option<StatisticId> {
        Self::ALL.into_iter().find(|s| s.as_str() == id)
    }
}

/// One statistic's figures, with what it needs to name things.
pub enum Figures {
    Waiting(Vec<WaitingCount>),
    /// The rows and the correction types' names by code.
    Correctional(Vec<CorrectionalDemand>, HashMap<String, String>),
    Monthly(Vec<MonthFlow>),
    WaitTime(WaitTimes),
}

impl Figures {
    fn id(&self) -> StatisticId {
        match self {
            Figures::Waiting(_) => StatisticId::Waiting,
            Figures::Correctional(..) => StatisticId::Correctional,
            Figures::Monthly(_) => StatisticId::Monthly,
            Figures::WaitTime(_) => StatisticId::WaitTime,
        }
    }
}

/// A section of the page.
pub struct ChartView {
    pub id: &'static str,
    pub heading: String,
    pub note: Option<String>,
    /// Markup from `web::charts`, which escapes every text it draws.
    pub svg: String,
    pub caption: String,
    pub columns: Vec<String>,
    /// The first cell of each row is its header.
    pub rows: Vec<Vec<String>>,
    pub csv_href: String,
    pub csv_label: String,
}

/// The kinds with children waiting, in the usual order.
fn kinds_present(rows: &[WaitingCount]) -> Vec<GroupKind> {
    GroupKind::ALL
        .into_iter()
        .filter(|k| rows.iter().any(|r| r.kind == k.as_str()))
        .collect()
}

fn correction_name<'a>(names: &'a HashMap<String, String>, code: &'a str) -> &'a str {
    names.get(code).map_or(code, String::as_str)
}

fn count(n: i64) -> String {
    n.to_string()
}

/// The page's chart, table and link for one statistic of the area `kato`.
pub fn chart_view(page: &Page, figures: &Figures, kato: &str) -> ChartView {
    let id = figures.id();
    let comma = page.lang_code() != "en";
    let heading = page.t(id.heading_key());
    let mut chart = Chart {
        id: format!("{}-chart", id.as_str()),
        title: heading.clone(),
        description: page.t("statistics-desc-table"),
        categories: Vec::new(),
        series: Vec::new(),
        category_axis: String::new(),
        value_axis: String::new(),
        decimals: 0,
        decimal_comma: comma,
        no_data: page.t("statistics-no-data"),
    };
    let (note, columns, rows, svg);
    match figures {
        Figures::Waiting(data) => {
            note = Some(page.t("statistics-waiting-note"));
            let years: BTreeSet<i64> = data.iter().map(|r| r.birth_year).collect();
            let kinds = kinds_present(data);
            let value = |year: i64, kind: GroupKind| {
                data.iter()
                    .find(|r| r.birth_year == year && r.kind == kind.as_str())
                    .map_or(0, |r| r.children)
            };
            chart.categories = years.iter().map(i64::to_string).collect();
            chart.series = kinds
                .iter()
                .map(|k| Series {
                    name: page.t(k.message_key()),
                    values: years.iter().map(|y| Some(value(*y, *k) as f64)).collect(),
                })
                .collect();
            chart.category_axis = page.t("statistics-col-birth-year");
            chart.value_axis = page.t("statistics-axis-children");
            columns = std::iter::once(page.t("statistics-col-birth-year"))
                .chain(kinds.iter().map(|k| page.t(k.message_key())))
                .collect();
            rows = years
                .iter()
                .map(|y| {
                    std::iter::once(y.to_string())
                        .chain(kinds.iter().map(|k| count(value(*y, *k))))
                        .collect()
                })
                .collect();
            svg = charts::horizontal_bars(&chart);
        }
        Figures::Correctional(data, names) => {
            note = Some(page.t("statistics-correctional-note"));
            let series_keys = [
                "statistics-series-waiting",
                "statistics-series-capacity",
                "statistics-series-free",
            ];
            let values = |r: &CorrectionalDemand| [r.waiting_children, r.capacity, r.free_places];
            chart.categories = data
                .iter()
                .map(|r| correction_name(names, &r.correction_type).to_owned())
                .collect();
            chart.series = series_keys
                .iter()
                .enumerate()
                .map(|(i, key)| Series {
                    name: page.t(key),
                    values: data.iter().map(|r| Some(values(r)[i] as f64)).collect(),
                })
                .collect();
            chart.category_axis = page.t("statistics-col-correction-type");
            chart.value_axis = page.t("statistics-axis-children-places");
            columns = std::iter::once(page.t("statistics-col-correction-type"))
                .chain(series_keys.iter().map(|k| page.t(k)))
                .collect();
            rows = data
                .iter()
                .map(|r| {
                    std::iter::once(correction_name(names, &r.correction_type).to_owned())
                        .chain(values(r).into_iter().map(count))
                        .collect()
                })
                .collect();
            svg = charts::horizontal_bars(&chart);
        }
        Figures::Monthly(data) => {
            note = Some(page.t("statistics-monthly-note"));
            let series_keys = ["statistics-series-published", "statistics-series-issued"];
            let values = |m: &MonthFlow| [m.places_published, m.directions_issued];
            // Twelve rows of empty bars say less than "no data"; the table keeps the zeros.
            if data.iter().any(|m| values(m).iter().any(|v| *v > 0)) {
                chart.categories = data.iter().map(|m| m.month.label()).collect();
                chart.series = series_keys
                    .iter()
                    .enumerate()
                    .map(|(i, key)| Series {
                        name: page.t(key),
                        values: data.iter().map(|m| Some(values(m)[i] as f64)).collect(),
                    })
                    .collect();
            }
            chart.category_axis = page.t("statistics-col-month");
            chart.value_axis = page.t("statistics-axis-count");
            columns = std::iter::once(page.t("statistics-col-month"))
                .chain(series_keys.iter().map(|k| page.t(k)))
                .collect();
            rows = data
                .iter()
                .map(|m| {
                    std::iter::once(m.month.label())
                        .chain(values(m).into_iter().map(count))
                        .collect()
                })
                .collect();
            svg = charts::horizontal_bars(&chart);
        }
        Figures::WaitTime(data) => {
            let days = |d: Option<f64>| d.map(|d| charts::format_value(d, 1, comma));
            note = Some(match days(data.overall.median_days) {
                Some(median) => page.t_with(
                    "statistics-wait-overall",
                    &[
                        ("days", median),
                        ("count", data.overall.directions.to_string()),
                    ],
                ),
                None => page.t("statistics-wait-overall-none"),
            });
            chart.categories = data.months.iter().map(|m| m.month.label()).collect();
            chart.series = vec![Series {
                name: page.t("statistics-col-median"),
                values: data.months.iter().map(|m| m.summary.median_days).collect(),
            }];
            chart.category_axis = page.t("statistics-col-month");
            chart.value_axis = page.t("statistics-axis-days");
            chart.decimals = 1;
            columns = vec![
                page.t("statistics-col-month"),
                page.t("statistics-col-directions"),
                page.t("statistics-col-median"),
            ];
            rows = data
                .months
                .iter()
                .map(|m| (m.month.label(), &m.summary))
                .chain(std::iter::once((
                    page.t("statistics-wait-total-row"),
                    &data.overall,
                )))
                .map(|(label, s)| {
                    vec![
                        label,
                        count(s.directions),
                        days(s.median_days).unwrap_or_else(|| "—".to_owned()),
                    ]
                })
                .collect();
            svg = charts::line(&chart);
        }
    }
    ChartView {
        id: id.as_str(),
        svg,
        caption: page.t1("statistics-table-caption", "chart", &heading),
        csv_href: format!("/statistics/{}.csv?kato={kato}", id.as_str()),
        csv_label: page.t1("statistics-csv", "chart", &heading),
        heading,
        note,
        columns,
        rows,
    }
}

/// The statistic as a CSV file: a header of stable ids, then one record per row.
pub fn csv(figures: &Figures) -> String {
    let (header, records): (&[&str], Vec<Vec<String>>) = match figures {
        Figures::Waiting(data) => (
            &["birth_year", "group_kind", "children"],
            data.iter()
                .map(|r| vec![r.birth_year.to_string(), r.kind.clone(), count(r.children)])
                .collect(),
        ),
        Figures::Correctional(data, names) => (
            &[
                "correction_type",
                "correction_type_name",
                "waiting_children",
                "capacity",
                "free_places",
            ],
            data.iter()
                .map(|r| {
                    vec![
                        r.correction_type.clone(),
                        correction_name(names, &r.correction_type).to_owned(),
                        count(r.waiting_children),
                        count(r.capacity),
                        count(r.free_places),
                    ]
                })
                .collect(),
        ),
        Figures::Monthly(data) => (
            &["month", "places_published", "directions_issued"],
            data.iter()
                .map(|m| {
                    vec![
                        m.month.code(),
                        count(m.places_published),
                        count(m.directions_issued),
                    ]
                })
                .collect(),
        ),
        Figures::WaitTime(data) => (
            &["month", "first_directions", "median_wait_days"],
            data.months
                .iter()
                .map(|m| (m.month.code(), &m.summary))
                .chain(std::iter::once(("all".to_owned(), &data.overall)))
                .map(|(month, s)| {
                    vec![
                        month,
                        count(s.directions),
                        s.median_days
                            .map_or_else(String::new, |d| format!("{d:.1}")),
                    ]
                })
                .collect(),
        ),
    };
    // The site's one CSV writer: no cell becomes a formula in a spreadsheet.
    kezek_core::csv_file::write(header, records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_name_their_files_and_parse_back() {
        for id in StatisticId::ALL {
            assert_eq!(StatisticId::parse(id.as_str()), Some(id));
        }
        assert_eq!(StatisticId::WaitTime.as_str(), "wait-time");
        assert_eq!(StatisticId::parse("waiting.csv"), None);
    }

    #[test]
    fn csv_has_stable_ids_and_quotes_and_defuses_names() {
        let names = HashMap::from([
            ("speech".to_owned(), "Речь, язык".to_owned()),
            ("odd".to_owned(), "=HYPERLINK(\"x\")".to_owned()),
        ]);
        let row = |code: &str, waiting| CorrectionalDemand {
            correction_type: code.into(),
            waiting_children: waiting,
            capacity: 10,
            free_places: 1,
        };
        let text = csv(&Figures::Correctional(
            vec![row("odd", 2), row("speech", 3), row("unknown", 0)],
            names,
        ));
        assert_eq!(
            text,
            "correction_type,correction_type_name,waiting_children,capacity,free_places\n\
             odd,\"'=HYPERLINK(\"\"x\"\")\",2,10,1\n\
             speech,\"Речь, язык\",3,10,1\n\
             unknown,unknown,0,10,1\n"
        );
    }
}
