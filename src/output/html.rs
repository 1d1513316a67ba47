//! `report.html`: one self-contained page an educator can open — the
//! question, the scenario in words, the plots (inline SVG) with a caption
//! each, a summary table, the assumptions and what the model leaves out,
//! the sources of the parameter values, and the run's seed and version. No
//! network, no JavaScript, no external file.
//!
//! The table's numbers are read from the run's own `summary.csv` bytes:
//! every number cell carries the exact CSV value in `data-value` (and its
//! arm, place, time and column), and shows it to three significant digits.
//! A test parses both back and checks them against `summary.csv`.

use std::collections::BTreeMap;
use std::fmt::Write;

/// One parameter of the run, for the sources table.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterRow {
    /// Key.
    pub key: String,
    /// Value (as used in the run).
    pub value: f64,
    /// Unit.
    pub unit: String,
    /// Status (sourced, derived, assumed, provisional, scenario).
    pub status: String,
    /// Source.
    pub source: String,
}

/// What the report says about the run besides its files.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFacts {
    /// Scenario name.
    pub scenario: String,
    /// Scenario description (from the file).
    pub description: String,
    /// The body in words.
    pub body: String,
    /// The product in words.
    pub product: String,
    /// Each arm in words.
    pub arms: Vec<String>,
    /// Seed of the random streams.
    pub seed: u64,
    /// Simulated cells per arm.
    pub cells: u64,
    /// Parameter sets of `--uncertainty` (if it ran).
    pub parameter_sets: Option<usize>,
    /// The unmeasured parameters that IV knee numbers hang on, in words.
    pub conditional_on: String,
    /// Every parameter of the run.
    pub parameters: Vec<ParameterRow>,
}

/// The places and times of the report's table.
pub const TABLE_PLACES: [&str; 5] = ["lung", "liver", "spleen", "whole_knee", "knee/cartilage"];

/// Columns of `summary.csv` the table shows, with their headings.
pub const TABLE_COLUMNS: [(&str, &str); 8] = [
    ("cells_of_dose", "live cells of the dose"),
    ("cells_of_dose_ci95_low", "Monte Carlo 95 %: low"),
    ("cells_of_dose_ci95_high", "Monte Carlo 95 %: high"),
    ("expected_cells_of_dose", "expected-value estimate"),
    ("expected_cells_se", "its SE"),
    ("param_q05_cells_of_dose", "parameters: 5 %"),
    ("param_median_cells_of_dose", "parameters: median"),
    ("param_q95_cells_of_dose", "parameters: 95 %"),
];

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A number to three significant digits, as the table shows it.
pub fn three_digits(x: f64) -> String {
    if x == 0.0 {
        "0".to_string()
    } else if (1e-3..1e5).contains(&x.abs()) {
        let digits = (2 - x.abs().log10().floor() as i32).max(0) as usize;
        format!("{x:.digits$}")
    } else {
        format!("{x:.2e}")
    }
}

fn time_label(time_h: f64) -> String {
    if time_h < 1.0 {
        format!("{} min", (time_h * 60.0).round())
    } else if time_h < 48.0 {
        format!("{time_h} h")
    } else {
        format!("{} d", time_h / 24.0)
    }
}

/// The captions of the plots: what each shows and what to look at.
const CAPTIONS: [(&str, &str); 4] = [
    (
        "organs_over_time",
        "Live cells of the dose in each organ against time (both axes logarithmic), one panel per arm; the shaded band is the Monte Carlo 95 % interval, and a light band between dashed edges (where drawn) the spread over parameter sets. Look at how much of an intravenous dose sits in the lung in the first hours, and how little reaches any other organ.",
    ),
    (
        "knee",
        "Live cells of the dose in the whole knee (thick) and in cartilage (thin) for every arm on one logarithmic axis; where no simulated cell got there, the dashed line is the expected-value estimate and its upper 95 % bound. Compare the height of the intra-articular curves with the intravenous ones: the gap is the answer to the question.",
    ),
    (
        "fate",
        "Where the whole dose is at a few times, as stacked bars per arm: circulating, lung, liver, spleen, knee, elsewhere alive, and dead or cleared. Watch the intravenous bars turn from lung to debris within days while the intra-articular bars stay in the knee longer.",
    ),
    (
        "lung_filter",
        "The chance that a cell passes the lung's capillaries on one pass, against its diameter, with the product's diameters as a histogram underneath. Where the histogram sits over a passage near zero, nearly every cell is stopped on its first pass through the lung.",
    ),
];

/// Builds `report.html` from the facts, the run's `summary.csv` text and
/// its plots' SVG texts (name, SVG).
pub fn report_html(facts: &ReportFacts, summary_csv: &str, plots: &[(&str, &str)]) -> Vec<u8> {
    let mut h = String::new();
    let title = format!("biodist: {}", facts.scenario);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{}\n</style>\n</head>\n<body>\n",
        escape(&title),
        STYLE
    );
    let _ = writeln!(h, "<h1>Where do the injected cells go?</h1>");
    let _ = writeln!(
        h,
        "<p class=\"lead\">Scenario <b>{}</b>: {}</p>",
        escape(&facts.scenario),
        escape(&facts.description)
    );
    let _ = writeln!(
        h,
        "<p>Cells given into a vein meet the lung's capillaries (5–8 µm) first; cells of 15–30 µm stick there on their first pass, and most die within days. Cells injected into the joint start where they are needed. This page follows every simulated cell of each arm through the body and shows where the patient's dose is over time.</p>"
    );
    let _ = writeln!(h, "<h2>The scenario</h2>\n<ul>");
    let _ = writeln!(h, "<li><b>Body:</b> {}</li>", escape(&facts.body));
    let _ = writeln!(h, "<li><b>Product:</b> {}</li>", escape(&facts.product));
    for arm in &facts.arms {
        let _ = writeln!(h, "<li><b>Arm:</b> {}</li>", escape(arm));
    }
    let _ = writeln!(h, "</ul>");
    let _ = writeln!(h, "<h2>Plots</h2>");
    for (name, caption) in CAPTIONS {
        if let Some((_, svg)) = plots.iter().find(|(n, _)| *n == name) {
            let _ = writeln!(
                h,
                "<figure id=\"{name}\">\n{}\n<figcaption>{}</figcaption>\n</figure>",
                svg.trim(),
                escape(caption)
            );
        }
    }
    h.push_str(&summary_table(facts, summary_csv));
    let _ = writeln!(
        h,
        "<h2>Assumptions and what the model leaves out</h2>\n<ul>"
    );
    for line in ASSUMPTIONS {
        let _ = writeln!(h, "<li>{}</li>", escape(line));
    }
    let _ = writeln!(
        h,
        "<li>Knee and cartilage numbers of arms given into the blood are conditional on parameters nobody has measured: {}. They are marked † in the table.</li>\n</ul>",
        escape(&facts.conditional_on)
    );
    let _ = writeln!(
        h,
        "<h2>Where the parameter values come from</h2>\n<p>Every value the run used, with its status and source (dataset ids refer to the project's data tables; <code>biodist presets</code> prints them all).</p>\n<table class=\"params\">\n<tr><th>key</th><th>value</th><th>unit</th><th>status</th><th>source</th></tr>"
    );
    for p in &facts.parameters {
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&p.key),
            escape(&format!("{}", p.value)),
            escape(&p.unit),
            escape(&p.status),
            escape(&p.source)
        );
    }
    let _ = writeln!(h, "</table>");
    let _ = writeln!(
        h,
        "<h2>This run</h2>\n<p>biodist {}; seed {}; {} simulated cells per arm{}. The same seed and cells give the same numbers on any machine and thread count. The run folder holds every number behind this page (<code>summary.csv</code>, <code>counts.csv</code>, <code>rare.csv</code>; <code>output/README.md</code> in the biodist repository explains every file and column).</p>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION"),
        facts.seed,
        facts.cells,
        facts
            .parameter_sets
            .map_or(String::new(), |k| format!("; {k} parameter sets"))
    );
    h.into_bytes()
}

/// The summary table: per arm, the [`TABLE_PLACES`] at the record times
/// that `summary.csv` has among 1 h, 24 h, 7 d and 30 d.
fn summary_table(facts: &ReportFacts, summary_csv: &str) -> String {
    let mut h = String::new();
    let mut reader = csv::Reader::from_reader(summary_csv.as_bytes());
    let Ok(header) = reader.headers().cloned() else {
        return h;
    };
    let column = |name: &str| header.iter().position(|c| c == name);
    let (Some(arm_c), Some(organ_c), Some(time_c), Some(cond_c)) = (
        column("arm"),
        column("organ"),
        column("time_h"),
        column("conditional_on"),
    ) else {
        return h;
    };
    // (arm, place, time) → record, in file order of arms.
    let mut arms: Vec<String> = Vec::new();
    let mut rows: BTreeMap<(String, String, u64), csv::StringRecord> = BTreeMap::new();
    for record in reader.records().flatten() {
        let arm = record.get(arm_c).unwrap_or("").to_string();
        if !arms.contains(&arm) {
            arms.push(arm.clone());
        }
        let time_h: f64 = record.get(time_c).unwrap_or("").parse().unwrap_or(-1.0);
        let organ = record.get(organ_c).unwrap_or("").to_string();
        rows.insert((arm, organ, time_h.to_bits()), record);
    }
    let _ = writeln!(
        h,
        "<h2>Summary</h2>\n<p>Live cells of the patient's dose in each place. \"Monte Carlo 95 %\" is the exact (Clopper–Pearson) interval from the simulated count; the expected-value estimate counts cells too rare to simulate one by one (arms given into the blood); \"parameters\" is the spread over parameter sets where the run had <code>--uncertainty</code>. All values are those of <code>summary.csv</code>.</p>"
    );
    let _ = write!(
        h,
        "<table class=\"summary\">\n<tr><th>arm</th><th>place</th><th>time</th>"
    );
    // The parameter columns only where --uncertainty ran.
    let shown = if facts.parameter_sets.is_some() {
        &TABLE_COLUMNS[..]
    } else {
        &TABLE_COLUMNS[..5]
    };
    for (_, heading) in shown {
        let _ = write!(h, "<th>{}</th>", escape(heading));
    }
    let _ = writeln!(h, "</tr>");
    for arm in &arms {
        for place in TABLE_PLACES {
            for time_h in [1.0f64, 24.0, 168.0, 720.0] {
                let Some(record) = rows.get(&(arm.clone(), place.to_string(), time_h.to_bits()))
                else {
                    continue;
                };
                let conditional = !record.get(cond_c).unwrap_or("").is_empty();
                let _ = write!(
                    h,
                    "<tr><td>{}</td><td>{}{}</td><td>{}</td>",
                    escape(arm),
                    escape(place),
                    if conditional { " †" } else { "" },
                    time_label(time_h)
                );
                for (name, _) in shown {
                    let text = column(name).and_then(|c| record.get(c)).unwrap_or("");
                    match text.parse::<f64>() {
                        Ok(value) => {
                            let _ = write!(
                                h,
                                "<td class=\"n\" data-arm=\"{}\" data-organ=\"{}\" data-time-h=\"{}\" data-column=\"{name}\" data-value=\"{}\">{}</td>",
                                escape(arm),
                                escape(place),
                                escape(record.get(time_c).unwrap_or("")),
                                escape(text),
                                three_digits(value)
                            );
                        }
                        Err(_) => h.push_str("<td>–</td>"),
                    }
                }
                let _ = writeln!(h, "</tr>");
            }
        }
    }
    let _ = writeln!(
        h,
        "</table>\n<p class=\"note\">† conditional on unmeasured {}.</p>",
        escape(&facts.conditional_on)
    );
    // The probability that at least one cell of the dose ever reaches
    // cartilage, for the arms where the expected-value estimator ran.
    let last = rows
        .keys()
        .map(|(_, _, t)| f64::from_bits(*t))
        .fold(f64::NEG_INFINITY, f64::max);
    for arm in &arms {
        let Some(record) = rows.get(&(arm.clone(), "knee/cartilage".to_string(), last.to_bits()))
        else {
            continue;
        };
        let number = |name: &str| {
            let text = column(name).and_then(|c| record.get(c)).unwrap_or("");
            text.parse::<f64>().ok().map(|value| {
                format!(
                    "<span class=\"n\" data-arm=\"{}\" data-organ=\"knee/cartilage\" data-time-h=\"{}\" data-column=\"{name}\" data-value=\"{}\">{}</span>",
                    escape(arm),
                    escape(record.get(time_c).unwrap_or("")),
                    escape(text),
                    three_digits(value)
                )
            })
        };
        let Some(probability) = number("prob_at_least_one_entered") else {
            continue;
        };
        let mut sentence = format!(
            "<p><b>Arm {}:</b> probability that at least one cell of the dose ever enters cartilage by {} (expected-value estimate, at the run's parameter values): {probability}",
            escape(arm),
            time_label(last)
        );
        if let (Some(low), Some(median), Some(high)) = (
            number("param_q05_prob_at_least_one"),
            number("param_median_prob_at_least_one"),
            number("param_q95_prob_at_least_one"),
        ) {
            sentence.push_str(&format!(
                "; over the parameter sets, median {median} (5–95 %: {low} to {high})"
            ));
        }
        let _ = writeln!(h, "{sentence}. †</p>");
    }
    h
}

/// What the model assumes and leaves out (DESIGN.md §2.5 and the presets'
/// known weaknesses), for the report.
const ASSUMPTIONS: [&str; 6] = [
    "Cells do not interact with each other or change the body: no crowding of a capillary bed, no clotting reaction that grows with dose, no paracrine effect, no homing signal from injured tissue unless a scenario sets one. Dose-dependent effects reported in the literature (a split dose passing the lung better) cannot emerge from the model.",
    "Whether a cell stops in a capillary bed depends on its own diameter against the bed's lumen distribution, its deformability and an adhesion term; the lung's and the systemic beds' lumen parameters are provisional (ranges in the sources table).",
    "One systemic filter stands for every non-lung, non-liver bed; the knee's synovium and bone get flow shares derived from human measurements, and rodent knees reuse the human share.",
    "Cells arrested permanently in a bed stay there until they die or are released at the bed's rate; debris is carried to the liver and spleen and cleared.",
    "The joint's own processes (adhesion to synovium and cartilage, death in the fluid, the leak of an intra-articular injection) are calibrated in mice and carried to other bodies by a stated rule (times × body mass^0.25); the venous leak of an intra-articular injection (1 %) is assumed.",
    "Immune effects enter only as a factor on every death hazard by host match (autologous, allogeneic, xenogeneic); these factors are assumed.",
];

const STYLE: &str = "body{font-family:sans-serif;max-width:1250px;margin:1em auto;padding:0 1em;color:#222;line-height:1.45}\
h1{font-size:1.7em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}\
figure{margin:1.2em 0}figure svg{max-width:100%;height:auto;border:1px solid #ddd}\
figcaption{font-size:.95em;color:#333;margin-top:.3em}\
table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;padding:2px 6px;vertical-align:top}\
th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}\
table.params td{font-size:.85em}.lead{font-size:1.1em}.note{font-size:.9em;color:#444}";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_significant_digits() {
        assert_eq!(three_digits(0.0), "0");
        assert_eq!(three_digits(1.4567), "1.46");
        assert_eq!(three_digits(12.345), "12.3");
        assert_eq!(three_digits(1234.5), "1234");
        assert_eq!(three_digits(1.33e8), "1.33e8");
        assert_eq!(three_digits(0.01234), "0.0123");
        assert_eq!(three_digits(2.5e-5), "2.50e-5");
    }

    #[test]
    fn escapes_markup() {
        assert_eq!(escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
    }
}
