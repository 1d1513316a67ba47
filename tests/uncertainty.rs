//! `biodist run --uncertainty K`: each parameter set is the run again with
//! the set's values (common random numbers), the summary's bands are the
//! sets' quantiles, plots redraw with their bands, graph scenarios refuse.

mod common;

use std::collections::BTreeMap;
use std::fs;

use common::workspace::*;

fn cells_by_key(rows: &[BTreeMap<String, String>]) -> BTreeMap<(String, String, String), f64> {
    rows.iter()
        .map(|r| {
            (
                (r["arm"].clone(), r["time_h"].clone(), r["location"].clone()),
                r["cells_of_dose"].parse::<f64>().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_parameter_set_is_the_run_with_that_sets_values() {
    let ws = Workspace::new(&shipped_scenario("knee_iv_vs_ia.toml"));
    ws.biodist(&[
        "run",
        "scenario.toml",
        "--cells",
        "2000",
        "--uncertainty",
        "3",
        "--out",
        "sets",
    ])
    .success();
    let parameters = read_csv(&ws.path("sets/parameter_sets.csv"));
    let set_1: Vec<String> = parameters
        .iter()
        .filter(|r| r["set"] == "1")
        .map(|r| format!("parameters.{}={}", r["key"], r["value"]))
        .collect();
    assert!(set_1.len() >= 10, "varied parameters: {}", set_1.len());
    // The same run with set 1's values given by --set, and no sets.
    let mut args = vec!["run", "scenario.toml", "--cells", "2000", "--out", "one"];
    for assignment in &set_1 {
        args.push("--set");
        args.push(assignment);
    }
    ws.biodist(&args).success();
    let set_rows = read_csv(&ws.path("sets/uncertainty.csv"));
    let in_set_1: BTreeMap<_, _> = cells_by_key(
        &set_rows
            .into_iter()
            .filter(|r| r["set"] == "1")
            .collect::<Vec<_>>(),
    );
    assert!(!in_set_1.is_empty());
    let counts = read_csv(&ws.path("one/counts.csv"));
    let mut compared = 0;
    for row in counts.iter().filter(|r| r["state"] == "alive") {
        let key = (
            row["arm"].clone(),
            row["time_h"].clone(),
            row["location"].clone(),
        );
        let direct: f64 = row["cells_of_dose"].parse().unwrap();
        let from_set = in_set_1.get(&key).copied().unwrap_or(0.0);
        // Same cells, same streams, same parameters: the same count, up to
        // the last bit of the scaling to cells of the dose.
        assert!(
            (direct - from_set).abs() <= 1e-9 * direct.abs().max(1.0),
            "{key:?}: direct {direct}, set 1 {from_set}"
        );
        compared += 1;
    }
    assert!(compared > 100, "compared {compared}");
}

#[test]
fn summary_bands_are_the_quantiles_of_the_sets() {
    let ws = Workspace::new(&shipped_scenario("knee_iv_vs_ia.toml"));
    ws.biodist(&[
        "run",
        "scenario.toml",
        "--cells",
        "3000",
        "--uncertainty",
        "5",
        "--uncertainty-cells",
        "1500",
        "--out",
        "run",
    ])
    .success();
    let summary = read_csv(&ws.path("run/summary.csv"));
    let sets = read_csv(&ws.path("run/uncertainty.csv"));
    let lung = summary
        .iter()
        .find(|r| r["arm"] == "iv" && r["organ"] == "lung" && r["time_h"] == "1.0")
        .expect("iv lung at 1 h");
    assert_eq!(lung["parameter_sets"], "5");
    // Lung at 1 h per set: the sum of the lung's rows.
    let mut per_set = [0.0f64; 5];
    for r in sets
        .iter()
        .filter(|r| r["arm"] == "iv" && r["time_h"] == "1.0" && r["location"].starts_with("lung/"))
    {
        per_set[r["set"].parse::<usize>().unwrap()] += r["cells_of_dose"].parse::<f64>().unwrap();
    }
    per_set.sort_by(f64::total_cmp);
    // Type-7 quantiles of 5 values: the median is the 3rd; the 5 % point is
    // at h = 4 × 0.05 = 0.2, the 95 % point at h = 3.8.
    let q05 = per_set[0] + 0.2 * (per_set[1] - per_set[0]);
    let q95 = per_set[3] + 0.8 * (per_set[4] - per_set[3]);
    let close = |column: &str, want: f64| {
        let got: f64 = lung[column].parse().unwrap();
        assert!(
            (got - want).abs() <= 1e-9 * want.abs().max(1.0),
            "{column}: {got} against {want}"
        );
    };
    close("param_median_cells_of_dose", per_set[2]);
    close("param_q05_cells_of_dose", q05);
    close("param_q95_cells_of_dose", q95);
    // Knee places of the IV arm take their band from the expected-value
    // estimates and carry the probability band and the conditional label.
    let cartilage = summary
        .iter()
        .find(|r| r["arm"] == "iv" && r["organ"] == "knee/cartilage" && r["time_h"] == "720.0")
        .expect("iv cartilage at 30 d");
    for column in [
        "param_q05_prob_at_least_one",
        "param_median_prob_at_least_one",
        "param_q95_prob_at_least_one",
        "expected_cells_of_dose",
    ] {
        assert!(
            cartilage[column].parse::<f64>().is_ok(),
            "{column}: {:?}",
            cartilage[column]
        );
    }
    assert!(cartilage["conditional_on"].contains("knee.transmigration_rate_per_h"));
    assert!(lung["conditional_on"].is_empty());
    // Every row: 5 % ≤ median ≤ 95 %.
    for r in summary
        .iter()
        .filter(|r| !r["param_median_cells_of_dose"].is_empty())
    {
        let q = |c: &str| r[c].parse::<f64>().unwrap();
        assert!(
            q("param_q05_cells_of_dose") <= q("param_median_cells_of_dose")
                && q("param_median_cells_of_dose") <= q("param_q95_cells_of_dose"),
            "{r:?}"
        );
    }
}

#[test]
fn plots_with_parameter_bands_redraw_byte_for_byte() {
    let ws = Workspace::new(&shipped_scenario("knee_iv_vs_ia.toml"));
    ws.biodist(&[
        "run",
        "scenario.toml",
        "--cells",
        "2000",
        "--uncertainty",
        "3",
        "--out",
        "run",
    ])
    .success();
    let names = ["organs_over_time", "knee"];
    let read_all = || -> Vec<Vec<u8>> {
        names
            .iter()
            .flat_map(|p| {
                ["png", "svg"].map(|ext| fs::read(ws.path(&format!("run/{p}.{ext}"))).unwrap())
            })
            .collect()
    };
    let before = read_all();
    let svg = String::from_utf8(before[3].clone()).unwrap();
    assert!(
        svg.contains("parameter uncertainty, 5–95 % over 3 parameter sets"),
        "knee.svg names its parameter band"
    );
    assert!(svg.contains("conditional on unmeasured synovial transmigration"));
    for p in names {
        fs::remove_file(ws.path(&format!("run/{p}.svg"))).unwrap();
    }
    ws.biodist(&["plot", "run"]).success();
    assert!(before == read_all(), "redrawn plots differ");
}

#[test]
fn uncertainty_needs_a_physiological_scenario() {
    let r1 = fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/benchmarks/r1.toml"),
    )
    .unwrap();
    assert_command_error(
        &r1,
        &["run", "scenario.toml", "--uncertainty", "3"],
        &[
            "scenario.toml",
            "expected a physiological scenario for --uncertainty",
            "found a graph scenario",
        ],
    );
}
