use super::*;

fn chart(categories: &[&str], series: Vec<Series>) -> Chart {
    Chart {
        id: "c1".into(),
        title: "Дети в очереди".into(),
        description: "Данные — в таблице ниже.".into(),
        categories: categories.iter().map(|c| (*c).to_owned()).collect(),
        series,
        category_axis: "Год рождения".into(),
        value_axis: "Детей".into(),
        decimals: 0,
        decimal_comma: false,
        no_data: "Нет данных".into(),
    }
}

fn series(name: &str, values: &[Option<f64>]) -> Series {
    Series {
        name: name.into(),
        values: values.to_vec(),
    }
}

/// The `width` of each `<rect>` that is a bar (it carries a `<title>`).
fn bar_widths(svg: &str) -> Vec<f64> {
    svg.split("<rect ")
        .skip(1)
        .filter(|r| r.contains("<title>"))
        .map(|r| {
            let w = r.split("width=\"").nth(1).unwrap();
            w[..w.find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

#[test]
fn text_is_escaped_in_content_and_attributes() {
    assert_eq!(
        escape("<b>\"a\" & 'b'</b>"),
        "&lt;b&gt;&quot;a&quot; &amp; &apos;b&apos;&lt;/b&gt;"
    );
    let mut c = chart(
        &["<script>alert(1)</script>"],
        vec![series("A & \"B\"", &[Some(1.0)])],
    );
    c.title = "<title>".into();
    c.id = "x\"onload=\"y".into();
    for svg in [horizontal_bars(&c), line(&c)] {
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(svg.contains("A &amp; &quot;B&quot;"));
        assert!(svg.contains("<title id=\"x&quot;onload=&quot;y-title\">&lt;title&gt;</title>"));
        assert!(!svg.contains("\"onload"));
    }
}

#[test]
fn every_chart_has_an_accessible_name_and_fits_any_width() {
    let c = chart(
        &["2021", "2022"],
        vec![series("Обычная", &[Some(3.0), Some(5.0)])],
    );
    for svg in [horizontal_bars(&c), line(&c), no_data(&c)] {
        assert!(svg.starts_with("<svg "));
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains("role=\"img\" aria-labelledby=\"c1-title c1-desc\""));
        assert!(svg.contains("<title id=\"c1-title\">Дети в очереди</title>"));
        assert!(svg.contains("<desc id=\"c1-desc\">Данные — в таблице ниже.</desc>"));
        assert!(svg.contains("viewBox=\"0 0 360 ") && svg.contains("width=\"100%\""));
        // No inline styles: the site's Content-Security-Policy would drop them.
        assert!(!svg.contains("style="));
    }
}

#[test]
fn bars_are_scaled_to_a_round_axis_and_carry_their_values_and_axis_labels() {
    let c = chart(
        &["2021", "2022"],
        vec![
            series("Обычная", &[Some(5.0), Some(10.0)]),
            series("Коррекционная", &[Some(0.0), None]),
        ],
    );
    let svg = horizontal_bars(&c);
    // Years are short: they stand left of the bars.
    let bars_x = MARGIN + SIDE_LABEL_WIDTH;
    assert!(svg.contains(&format!("<rect x=\"{bars_x}\"")));
    let plot = WIDTH - MARGIN - VALUE_SPACE - bars_x;
    // Maximum 10: four steps of 5 would overshoot, so the axis ends at 10 in steps of 5.
    assert_eq!(bar_widths(&svg), vec![plot / 2.0, 0.0, plot, 0.0]);
    for text in [
        ">5</text>",
        ">10</text>",
        ">0</text>",
        ">—</text>",
        ">Год рождения</text>",
        ">Детей</text>",
        ">Обычная</text>",
        ">Коррекционная</text>",
        "<title>Коррекционная, 2022: —</title>",
    ] {
        assert!(svg.contains(text), "{text} in {svg}");
    }
    // The second series is hatched, not only coloured differently.
    assert!(svg.contains("<pattern id=\"c1-s1\""));
    assert!(svg.contains("fill=\"url(#c1-s1)\""));
}

#[test]
fn all_zero_values_draw_empty_bars_without_dividing_by_zero() {
    let c = chart(&["2021"], vec![series("Обычная", &[Some(0.0)])]);
    for svg in [horizontal_bars(&c), line(&c)] {
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        assert!(svg.contains(">0</text>"));
        assert!(svg.contains(">1</text>"), "the axis runs to 1");
    }
    assert_eq!(bar_widths(&horizontal_bars(&c)), vec![0.0]);
}

#[test]
fn no_data_says_so_instead_of_drawing_axes() {
    for c in [
        chart(&[], vec![series("Обычная", &[])]),
        chart(&["2021"], vec![]),
        chart(&["05.2026"], vec![series("Медиана", &[None])]),
    ] {
        for svg in [horizontal_bars(&c), line(&c)] {
            assert!(svg.contains(">Нет данных</text>"), "{svg}");
            assert!(!svg.contains("<line"));
        }
    }
}

#[test]
fn lines_break_at_missing_values_and_write_every_value() {
    let mut c = chart(
        &["01.2026", "02.2026", "03.2026", "04.2026"],
        vec![series(
            "Медиана",
            &[Some(12.5), None, Some(30.0), Some(7.24)],
        )],
    );
    c.decimals = 1;
    c.decimal_comma = true;
    let svg = line(&c);
    // Whole steps need no decimals on the axis: 0, 10, 20, 30.
    assert!(
        svg.contains(">20</text>") && !svg.contains(">20,0</text>"),
        "{svg}"
    );
    let path = svg.split("<path d=\"").nth(1).unwrap();
    let path = &path[..path.find('"').unwrap()];
    assert_eq!(path.matches('M').count(), 2, "{path}");
    assert_eq!(path.matches('L').count(), 1, "{path}");
    for text in [
        ">12,5</text>",
        ">30,0</text>",
        ">7,2</text>",
        ">01.2026</text>",
    ] {
        assert!(svg.contains(text), "{text} in {svg}");
    }
    // Three markers for three values.
    assert_eq!(
        svg.matches("<circle").count(),
        3 + 1,
        "and one in the legend"
    );
}

#[test]
fn axes_end_at_round_numbers() {
    assert_eq!(scale(0.0, true), (1.0, 1.0));
    assert_eq!(scale(-3.0, false), (1.0, 1.0));
    assert_eq!(scale(f64::NAN, true), (1.0, 1.0));
    assert_eq!(scale(3.0, true), (3.0, 1.0));
    assert_eq!(scale(10.0, true), (10.0, 5.0));
    assert_eq!(scale(37.5, false), (40.0, 10.0));
    assert_eq!(scale(1234.0, true), (1500.0, 500.0));
    assert_eq!(scale(1.0, false), (1.0, 0.5));
    assert_eq!(ticks(10.0, 5.0), vec![0.0, 5.0, 10.0]);
}

#[test]
fn values_are_written_with_the_chosen_decimals_and_separator() {
    assert_eq!(format_value(12.0, 0, true), "12");
    assert_eq!(format_value(12.26, 1, false), "12.3");
    assert_eq!(format_value(12.31, 1, true), "12,3");
    assert_eq!(format_value(0.0, 1, true), "0,0");
}

#[test]
fn long_labels_are_cut_in_the_picture() {
    let long = "ж".repeat(100);
    let c = chart(&[long.as_str()], vec![series("Обычная", &[Some(1.0)])]);
    let svg = horizontal_bars(&c);
    assert!(svg.contains(&format!(">{}…</text>", "ж".repeat(59))));
    // A long name has a line of its own above bars that start at the margin.
    assert!(svg.contains(&format!("<rect x=\"{MARGIN}\" y=")));
    assert!(!svg.contains(&format!("<rect x=\"{}\"", MARGIN + SIDE_LABEL_WIDTH)));
}
