//! Observation models through a whole run: `observed.csv` from the arm's
//! `observe` list — live cells equal the counts, DNA and particle labels
//! see debris too, a radiolabel never exceeds the decayed injected activity,
//! and a wrong assay name is a clear error.

mod common;

use std::collections::BTreeMap;

use common::workspace::*;

const SCENARIO: &str = r#"
name = "observed"
[run]
cells = 20000
seed = 3
record_times_h = [1.0, 24.0, 48.0, 96.0]
[body]
preset = "mouse"
[product]
cell = "msc_bone_marrow"
host = "autologous"
[[arms]]
name = "iv"
route = "iv"
dose_cells = 5e5
observe = ["live_cells", "particle_label", "human_dna", "culture", "in111"]
[parameters]
"assay.particle_label.labelled_fraction" = 1.0   # every cell labelled: live ≤ DNA ≤ particle
"#;

#[test]
fn assays_see_what_they_should_of_the_same_cells() {
    let ws = Workspace::new(SCENARIO);
    ws.biodist(&["run", "scenario.toml", "--out", "run"])
        .success();
    let observed = read_csv(&ws.path("run/observed.csv"));
    let summary = read_csv(&ws.path("run/summary.csv"));
    let signal = |assay: &str| -> BTreeMap<(String, String), f64> {
        observed
            .iter()
            .filter(|r| r["assay"] == assay)
            .map(|r| {
                (
                    (r["location"].clone(), r["time_h"].clone()),
                    r["signal"].parse::<f64>().unwrap(),
                )
            })
            .collect()
    };
    let live = signal("live_cells");
    let particle = signal("particle_label");
    let dna = signal("human_dna");
    let in111 = signal("in111");
    assert!(!live.is_empty());
    // Live cells are the counts of summary.csv, place by place.
    for r in &summary {
        let key = (r["organ"].clone(), r["time_h"].clone());
        let counted: f64 = r["cells_of_dose"].parse().unwrap();
        let seen = live[&key];
        assert!(
            (seen - counted).abs() <= 1e-9 * counted.max(1.0),
            "{key:?}: live_cells {seen} against counts {counted}"
        );
    }
    // DNA sees live cells and (decaying) debris; a particle label sees live
    // cells and all debris not yet cleared: live ≤ DNA ≤ particle.
    let mut debris_seen = false;
    for (key, &l) in &live {
        let (d, p) = (dna[key], particle[key]);
        assert!(l <= d + 1e-6 && d <= p + 1e-6, "{key:?}: {l} {d} {p}");
        debris_seen |= d > l * 1.01 + 1.0;
    }
    assert!(debris_seen, "DNA of dead cells shows somewhere");
    // In-111 as imaged: the organs together never hold more than the
    // activity left after physical decay (67.31 h half-life).
    for time_h in ["1.0", "24.0", "48.0", "96.0"] {
        let total: f64 = in111
            .iter()
            .filter(|((l, t), _)| t == time_h && !l.contains('/') && l != "whole_knee")
            .map(|(_, v)| v)
            .sum();
        let t: f64 = time_h.parse().unwrap();
        let left = 100.0 * (-std::f64::consts::LN_2 * t / 67.31).exp();
        assert!(total <= left + 1e-6, "{time_h} h: {total} % > {left} %");
        assert!(total > 0.2 * left, "{time_h} h: {total} %");
    }
    assert!(
        observed
            .iter()
            .all(|r| r["signal_se"].parse::<f64>().unwrap() >= 0.0)
    );
    // Detection limits: qPCR's is relative to the organ's own cells (the
    // mouse preset's host_cells.lung × assay.human_dna.detection_limit_per_host_cell),
    // culture's absolute; `detected` says whether the signal reaches it.
    let limit_of = |assay: &str, location: &str| -> String {
        observed
            .iter()
            .find(|r| r["assay"] == assay && r["location"] == location)
            .map(|r| r["detection_limit"].clone())
            .unwrap()
    };
    let lung_cells = 0.007 * 25.0 * 1.97e8; // mouse lung mass (g) × cells per g
    let dna_limit: f64 = limit_of("human_dna", "lung").parse().unwrap();
    assert!(
        (dna_limit - 1e-5 * lung_cells).abs() < 1e-3 * dna_limit,
        "{dna_limit}"
    ); // preset rounded to 4 digits
    assert_eq!(
        limit_of("human_dna", "whole_knee"),
        "",
        "no host count there"
    );
    assert_eq!(limit_of("culture", "lung"), "10.0");
    assert_eq!(
        limit_of("live_cells", "lung"),
        "",
        "an exact count has none"
    );
    for r in &observed {
        let expected = match r["detection_limit"].parse::<f64>() {
            Ok(limit) if r["signal"].parse::<f64>().unwrap() >= limit => "yes",
            Ok(_) => "no",
            Err(_) => "",
        };
        assert_eq!(r["detected"], expected, "{r:?}");
    }
}

#[test]
fn an_unknown_assay_is_named_with_the_choices() {
    let bad = SCENARIO.replace("\"in111\"]", "\"in112\"]");
    assert_command_error(
        &bad,
        &["run", "scenario.toml"],
        &["arms[0].observe[4]", "one of in111", "found \"in112\""],
    );
}
