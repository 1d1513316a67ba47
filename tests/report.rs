//! `report.html`: self-contained, and every number of its table equal to
//! the same run's `summary.csv` (parsed from both, not eyeballed).

mod common;

use std::fs;

use common::workspace::*;

/// The value of attribute `name` in the tag text `tag`.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(
        tag[start..end]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

#[test]
fn report_numbers_equal_summary_csv_and_the_page_stands_alone() {
    let ws = Workspace::new(&shipped_scenario("knee_iv_vs_ia.toml"));
    ws.biodist(&[
        "run",
        "scenario.toml",
        "--cells",
        "4000",
        "--uncertainty",
        "3",
        "--uncertainty-cells",
        "1000",
        "--out",
        "run",
    ])
    .success();
    let html = fs::read_to_string(ws.path("run/report.html")).unwrap();
    let summary = read_csv(&ws.path("run/summary.csv"));
    let mut checked = 0;
    // Table cells and in-text numbers (the probability of at least one
    // arrival) alike.
    let pieces = html
        .split("<td class=\"n\"")
        .skip(1)
        .map(|p| (p, "</td>"))
        .chain(
            html.split("<span class=\"n\"")
                .skip(1)
                .map(|p| (p, "</span>")),
        );
    let mut in_text = 0;
    for (piece, close) in pieces {
        in_text += usize::from(close == "</span>");
        let tag_end = piece.find('>').unwrap();
        let tag = format!(" {}", &piece[..tag_end]);
        let shown = &piece[tag_end + 1..piece.find(close).unwrap()];
        let [arm, organ, time_h, column, value] = [
            "data-arm",
            "data-organ",
            "data-time-h",
            "data-column",
            "data-value",
        ]
        .map(|n| attribute(&tag, n).unwrap_or_else(|| panic!("{n} in {tag}")));
        let row = summary
            .iter()
            .find(|r| r["arm"] == arm && r["organ"] == organ && r["time_h"] == time_h)
            .unwrap_or_else(|| panic!("no summary row for {arm} {organ} {time_h}"));
        // The exact value is summary.csv's own text …
        assert_eq!(row[&column], value, "{arm} {organ} {time_h} {column}");
        // … and the shown number is it to three significant digits.
        let exact: f64 = value.parse().unwrap();
        let displayed: f64 = shown.parse().unwrap_or_else(|_| panic!("shown {shown:?}"));
        assert!(
            (displayed - exact).abs() <= 5e-3 * exact.abs(),
            "{arm} {organ} {time_h} {column}: shows {shown}, exact {value}"
        );
        checked += 1;
    }
    // 2 arms × 5 places × 4 times, each with at least the count and its
    // interval (3 numbers) and the 3 parameter quantiles.
    assert!(checked >= 2 * 5 * 4 * 6, "numbers checked: {checked}");
    // The IV arm's probability, with its median and 5–95 % over the sets.
    assert_eq!(in_text, 4, "in-text numbers");
    // Self-contained: the plots inline, no script, no external resource.
    assert_eq!(html.matches("<svg").count(), 4, "four inline plots");
    assert_eq!(html.matches("<figcaption>").count(), 4);
    assert!(!html.contains("<script"));
    assert!(!html.contains("src=\"") && !html.contains("href=\""));
    for needle in [
        "Where do the injected cells go?",
        "intravenous infusion over 30 min, dose 1.400e8 cells",
        "intra-articular injection into the knee, dose 1.000e8 cells",
        "conditional on unmeasured synovial transmigration",
        "Assumptions and what the model leaves out",
        "lung.shunt",
        "seed 1; 4000 simulated cells per arm; 3 parameter sets",
    ] {
        assert!(html.contains(needle), "report lacks {needle:?}");
    }
}
