//! Charts drawn on the server as inline SVG, so they read without JavaScript: horizontal
//! grouped bars and lines. Each has an accessible name (`role="img"` labelled by its `<title>`
//! and `<desc>`), axis labels, every value written out, a legend, and series told apart by
//! pattern or marker shape as well as by colour. A `viewBox` with `width="100%"` makes it fit a
//! 360-px screen. Every text is escaped here, since the page inserts the markup as it is.

use std::fmt::Write;

/// The width of every chart in its own units; the browser scales it to the page.
const WIDTH: f64 = 360.0;
const MARGIN: f64 = 8.0;
const TEXT: &str = "#1b1f24";
const GRID: &str = "#d0d7de";
const AXIS: &str = "#57606a";
/// Series colours, each at least 5:1 against white (WCAG asks 3:1 for graphics).
const COLOURS: [&str; 4] = ["#0b5cad", "#b54708", "#2d6a4f", "#6f42c1"];
/// Labels longer than this are cut in the picture; the table below has them in full.
const MAX_LABEL_CHARS: usize = 60;

/// One line or one bar of each category.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// One per category; `None` where there is no value (no bar, a gap in the line).
    pub values: Vec<Option<f64>>,
}

/// What a chart shows, every text already translated.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Unique on the page; element ids start with it.
    pub id: String,
    pub title: String,
    pub description: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub category_axis: String,
    pub value_axis: String,
    /// Decimals of the values: 0 for counts.
    pub decimals: usize,
    /// Write `12,5` rather than `12.5` (Kazakh and Russian).
    pub decimal_comma: bool,
    /// Shown instead of the plot when there is nothing to draw.
    pub no_data: String,
}

impl Chart {
    fn is_empty(&self) -> bool {
        self.categories.is_empty()
            || !self
                .series
                .iter()
                .any(|s| s.values.iter().any(Option::is_some))
    }

    fn max_value(&self) -> f64 {
        self.series
            .iter()
            .flat_map(|s| s.values.iter().flatten())
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
    }

    fn value(&self, v: Option<f64>) -> String {
        v.map_or_else(
            || "—".to_owned(),
            |v| format_value(v, self.decimals, self.decimal_comma),
        )
    }
}

pub use kezek_core::xml::escape;

fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_LABEL_CHARS {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(MAX_LABEL_CHARS - 1).collect();
        format!("{cut}…")
    }
}

/// A value as the page writes it.
pub fn format_value(value: f64, decimals: usize, decimal_comma: bool) -> String {
    let text = format!("{value:.decimals$}");
    if decimal_comma {
        text.replace('.', ",")
    } else {
        text
    }
}

/// The top of the value axis and the step between its ticks: a round step (1, 2 or 5 times a
/// power of ten) giving about four intervals, at least 1 for counts. Zero, negative or
/// non-finite maxima give an axis up to one step, so nothing divides by zero.
pub fn scale(max: f64, whole_numbers: bool) -> (f64, f64) {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        0.0
    };
    let raw = max / 4.0;
    let mut step = if raw > 0.0 {
        let power = 10f64.powf(raw.log10().floor());
        [1.0, 2.0, 5.0, 10.0]
            .into_iter()
            .map(|f| f * power)
            .find(|s| *s >= raw)
            .unwrap_or(10.0 * power)
    } else {
        1.0
    };
    if whole_numbers {
        step = step.max(1.0).round();
    }
    let top = ((max / step).ceil() * step).max(step);
    (top, step)
}

fn ticks(top: f64, step: f64) -> Vec<f64> {
    let count = (top / step).round() as usize;
    (0..=count).map(|i| i as f64 * step).collect()
}

fn open_svg(out: &mut String, chart: &Chart, height: f64) {
    let id = escape(&chart.id);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"100%\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" \
         font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif\" fill=\"{TEXT}\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(&chart.title),
        escape(&chart.description),
    );
}

/// The fill of series `i`: solid for the first, then hatched, dotted or cross-hatched, so the
/// bars differ without colour. The patterns are defined once per chart.
fn fill(chart: &Chart, i: usize) -> String {
    if i == 0 {
        COLOURS[0].to_owned()
    } else {
        format!("url(#{}-s{i})", escape(&chart.id))
    }
}

fn patterns(out: &mut String, chart: &Chart) {
    out.push_str("<defs>");
    for i in 1..chart.series.len() {
        let colour = COLOURS[i % COLOURS.len()];
        let id = escape(&chart.id);
        let mark = match i % 3 {
            1 => "<rect width=\"2\" height=\"6\" fill=\"#ffffff\"/>".to_owned(),
            2 => "<circle cx=\"3\" cy=\"3\" r=\"1.2\" fill=\"#ffffff\"/>".to_owned(),
            _ => "<rect width=\"2\" height=\"6\" fill=\"#ffffff\"/><rect width=\"6\" height=\"2\" fill=\"#ffffff\"/>".to_owned(),
        };
        let _ = write!(
            out,
            "<pattern id=\"{id}-s{i}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" \
             patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"{colour}\"/>{mark}</pattern>"
        );
    }
    out.push_str("</defs>");
}

/// One legend row per series at the top; returns the height used. `swatch` draws the key.
fn legend(out: &mut String, chart: &Chart, swatch: impl Fn(&mut String, usize, f64)) -> f64 {
    let mut y = MARGIN;
    for (i, s) in chart.series.iter().enumerate() {
        swatch(out, i, y);
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"13\">{}</text>",
            MARGIN + 30.0,
            y + 12.0,
            escape(&shorten(&s.name))
        );
        y += 20.0;
    }
    y
}

fn no_data(chart: &Chart) -> String {
    let mut out = String::new();
    open_svg(&mut out, chart, 60.0);
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"35\" text-anchor=\"middle\" font-size=\"14\">{}</text></svg>",
        WIDTH / 2.0,
        escape(&chart.no_data)
    );
    out
}

const BAR: f64 = 16.0;
const BAR_GAP: f64 = 3.0;
/// Room right of the longest bar for its value.
const VALUE_SPACE: f64 = 56.0;

/// Category labels this short (years, months) stand left of their bars; longer ones get a
/// line of their own above them, so that long names fit a narrow screen.
const SIDE_LABEL_CHARS: usize = 8;
const SIDE_LABEL_WIDTH: f64 = 64.0;
/// Value labels keep a white outline, so they stay readable where they cross a line or grid.
const HALO: &str = "stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"";

/// Ticks of a count axis are whole; others show decimals only when the step needs them.
fn tick_label(chart: &Chart, tick: f64, step: f64) -> String {
    let decimals = if step.fract() == 0.0 {
        0
    } else {
        chart.decimals.max(1)
    };
    format_value(tick, decimals, chart.decimal_comma)
}

/// Horizontal grouped bars: per category one bar per series with its value at the end.
pub fn horizontal_bars(chart: &Chart) -> String {
    if chart.is_empty() {
        return no_data(chart);
    }
    let (top, step) = scale(chart.max_value(), chart.decimals == 0);
    let side_labels = chart
        .categories
        .iter()
        .all(|c| c.chars().count() <= SIDE_LABEL_CHARS);
    let (bars_x, header) = if side_labels {
        (MARGIN + SIDE_LABEL_WIDTH, 0.0)
    } else {
        (MARGIN, 22.0)
    };
    let plot_width = WIDTH - MARGIN - VALUE_SPACE - bars_x;
    let x = |v: f64| bars_x + plot_width * (v.max(0.0) / top).min(1.0);
    let bars_height = chart.series.len() as f64 * (BAR + BAR_GAP);
    let group_height = header + bars_height + 8.0;

    let mut body = String::new();
    patterns(&mut body, chart);
    let legend_end = legend(&mut body, chart, |out, i, y| {
        let _ = write!(
            out,
            "<rect x=\"{MARGIN}\" y=\"{y}\" width=\"22\" height=\"14\" fill=\"{}\" stroke=\"{}\"/>",
            fill(chart, i),
            COLOURS[i % COLOURS.len()]
        );
    });
    let _ = write!(
        body,
        "<text x=\"{MARGIN}\" y=\"{}\" font-size=\"13\" font-weight=\"600\">{}</text>",
        legend_end + 16.0,
        escape(&chart.category_axis)
    );
    let plot_top = legend_end + 26.0;
    let plot_bottom = plot_top + group_height * chart.categories.len() as f64;

    for tick in ticks(top, step) {
        let tx = x(tick);
        let _ = write!(
            body,
            "<line x1=\"{tx}\" y1=\"{plot_top}\" x2=\"{tx}\" y2=\"{plot_bottom}\" stroke=\"{GRID}\"/>\
             <text x=\"{tx}\" y=\"{}\" font-size=\"12\" text-anchor=\"middle\">{}</text>",
            plot_bottom + 16.0,
            tick_label(chart, tick, step)
        );
    }

    for (c, category) in chart.categories.iter().enumerate() {
        let y0 = plot_top + c as f64 * group_height;
        let label_y = if side_labels {
            y0 + bars_height / 2.0 + 3.0
        } else {
            y0 + 16.0
        };
        let _ = write!(
            body,
            "<text x=\"{MARGIN}\" y=\"{label_y}\" font-size=\"13\">{}</text>",
            escape(&shorten(category))
        );
        for (i, s) in chart.series.iter().enumerate() {
            let value = s.values.get(c).copied().flatten();
            let y = y0 + header + i as f64 * (BAR + BAR_GAP);
            let end = x(value.unwrap_or(0.0));
            let label = chart.value(value);
            let _ = write!(
                body,
                "<rect x=\"{bars_x}\" y=\"{y}\" width=\"{}\" height=\"{BAR}\" fill=\"{}\" stroke=\"{}\">\
                 <title>{}, {}: {label}</title></rect>\
                 <text x=\"{}\" y=\"{}\" font-size=\"12\" {HALO}>{label}</text>",
                end - bars_x,
                fill(chart, i),
                COLOURS[i % COLOURS.len()],
                escape(&s.name),
                escape(category),
                end + 4.0,
                y + 12.5,
            );
        }
    }
    let _ = write!(
        body,
        "<line x1=\"{bars_x}\" y1=\"{plot_top}\" x2=\"{bars_x}\" y2=\"{plot_bottom}\" stroke=\"{AXIS}\"/>\
         <text x=\"{}\" y=\"{}\" font-size=\"13\" text-anchor=\"middle\" font-weight=\"600\">{}</text>",
        bars_x + plot_width / 2.0,
        plot_bottom + 36.0,
        escape(&chart.value_axis)
    );

    let mut out = String::new();
    open_svg(&mut out, chart, plot_bottom + 46.0);
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

/// A point's marker: a circle, a square or a triangle, so lines differ without colour.
fn marker(out: &mut String, i: usize, x: f64, y: f64, colour: &str) {
    let _ = match i % 3 {
        0 => write!(
            out,
            "<circle cx=\"{x}\" cy=\"{y}\" r=\"4.5\" fill=\"{colour}\"/>"
        ),
        1 => write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"9\" height=\"9\" fill=\"{colour}\"/>",
            x - 4.5,
            y - 4.5
        ),
        _ => write!(
            out,
            "<path d=\"M{x} {} L{} {} L{} {} Z\" fill=\"{colour}\"/>",
            y - 5.5,
            x + 5.5,
            y + 4.5,
            x - 5.5,
            y + 4.5
        ),
    };
}

const LEFT: f64 = 48.0;
const PLOT_HEIGHT: f64 = 180.0;

/// Lines over categories along the bottom (months), every point's value written beside it,
/// above and below the points by turns so that neighbours' labels never meet. A missing value
/// breaks the line.
pub fn line(chart: &Chart) -> String {
    if chart.is_empty() {
        return no_data(chart);
    }
    let (top, step) = scale(chart.max_value(), chart.decimals == 0);
    let mut body = String::new();
    let legend_end = legend(&mut body, chart, |out, i, y| {
        let colour = COLOURS[i % COLOURS.len()];
        let dash = if i == 0 {
            ""
        } else {
            " stroke-dasharray=\"5 3\""
        };
        let _ = write!(
            out,
            "<line x1=\"{MARGIN}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\" stroke=\"{colour}\" stroke-width=\"2.5\"{dash}/>",
            y + 7.0,
            MARGIN + 22.0
        );
        marker(out, i, MARGIN + 11.0, y + 7.0, colour);
    });
    let plot_top = legend_end + 20.0;
    let plot_bottom = plot_top + PLOT_HEIGHT;
    let plot_width = WIDTH - LEFT - 2.0 * MARGIN;
    let n = chart.categories.len() as f64;
    let px = |i: usize| LEFT + (i as f64 + 0.5) * plot_width / n;
    let py = |v: f64| plot_bottom - PLOT_HEIGHT * (v.max(0.0) / top).min(1.0);

    for tick in ticks(top, step) {
        let ty = py(tick);
        let _ = write!(
            body,
            "<line x1=\"{LEFT}\" y1=\"{ty}\" x2=\"{}\" y2=\"{ty}\" stroke=\"{GRID}\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text>",
            WIDTH - MARGIN,
            LEFT - 6.0,
            ty + 4.0,
            tick_label(chart, tick, step)
        );
    }
    let _ = write!(
        body,
        "<line x1=\"{LEFT}\" y1=\"{plot_bottom}\" x2=\"{}\" y2=\"{plot_bottom}\" stroke=\"{AXIS}\"/>\
         <line x1=\"{LEFT}\" y1=\"{plot_top}\" x2=\"{LEFT}\" y2=\"{plot_bottom}\" stroke=\"{AXIS}\"/>\
         <text transform=\"translate(14 {}) rotate(-90)\" font-size=\"13\" text-anchor=\"middle\" font-weight=\"600\">{}</text>",
        WIDTH - MARGIN,
        plot_top + PLOT_HEIGHT / 2.0,
        escape(&chart.value_axis)
    );
    for (i, category) in chart.categories.iter().enumerate() {
        let x = px(i);
        let _ = write!(
            body,
            "<text transform=\"translate({x} {}) rotate(-45)\" font-size=\"12\" text-anchor=\"end\">{}</text>",
            plot_bottom + 14.0,
            escape(&shorten(category))
        );
    }
    for (s, series) in chart.series.iter().enumerate() {
        let colour = COLOURS[s % COLOURS.len()];
        let dash = if s == 0 {
            ""
        } else {
            " stroke-dasharray=\"5 3\""
        };
        let mut path = String::new();
        let mut pen_down = false;
        for (i, value) in series
            .values
            .iter()
            .enumerate()
            .take(chart.categories.len())
        {
            match value {
                Some(v) => {
                    let _ = write!(
                        path,
                        "{}{} {} ",
                        if pen_down { "L" } else { "M" },
                        px(i),
                        py(*v)
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        if !path.is_empty() {
            let _ = write!(
                body,
                "<path d=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2.5\"{dash}/>",
                path.trim_end()
            );
        }
        for (i, value) in series
            .values
            .iter()
            .enumerate()
            .take(chart.categories.len())
        {
            let Some(v) = value else { continue };
            let (x, y) = (px(i), py(*v));
            marker(&mut body, s, x, y, colour);
            // Below only where there is room above the axis.
            let below = (i + s) % 2 == 1 && y + 18.0 < plot_bottom - 2.0;
            let label_y = if below { y + 18.0 } else { y - 9.0 };
            let _ = write!(
                body,
                "<text x=\"{x}\" y=\"{label_y}\" font-size=\"11\" text-anchor=\"middle\" {HALO}>{}</text>",
                chart.value(Some(*v))
            );
        }
    }
    let _ = write!(
        body,
        "<text x=\"{}\" y=\"{}\" font-size=\"13\" text-anchor=\"middle\" font-weight=\"600\">{}</text>",
        LEFT + plot_width / 2.0,
        plot_bottom + 76.0,
        escape(&chart.category_axis)
    );
    let mut out = String::new();
    open_svg(&mut out, chart, plot_bottom + 86.0);
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests;
