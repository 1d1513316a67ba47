//! `biodist fit` recovers known parameters from synthetic data made by
//! biodist itself (another seed, so the data carry their own Monte Carlo
//! noise), within 10 % for the parameters its profile calls identified.

mod common;

use biodist::fit::{FitParameter, Problem, fit};
use biodist::validate::measurements::measurements;

/// Mouse IV MSC observed as live cells and human DNA in the lung; the
/// entries borrow row ids of the shipped table, whose values the test
/// replaces with synthetic ones.
const SCENARIO: &str = r#"
name = "synthetic"
[run]
cells = 20000
seed = 1
record_times_h = [24.0, 48.0, 72.0, 96.0]
[body]
preset = "mouse"
[product]
cell = "msc_bone_marrow"
host = "autologous"
[[arms]]
name = "iv"
route = "iv"
dose_cells = 5e5
observe = ["live_cells", "human_dna"]

[[validation]]
row = "D04_Eggenhofer2012#3"
measure = "value"
arm = "iv"
assay = "live_cells"
location = "lung"
time_h = 24.0

[[validation]]
row = "D04_Eggenhofer2012#4"
measure = "value"
arm = "iv"
assay = "live_cells"
location = "lung"
time_h = 72.0

[[validation]]
row = "D02_Lee2009#1"
measure = "value"
arm = "iv"
assay = "human_dna"
location = "lung"
time_h = 48.0

[[validation]]
row = "D02_Lee2009#2"
measure = "value"
arm = "iv"
assay = "human_dna"
location = "lung"
time_h = 96.0
"#;

#[test]
fn fit_recovers_parameters_from_synthetic_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("synthetic.toml");
    std::fs::write(&path, SCENARIO).unwrap();
    let truth = [30.0, 8.0]; // fate.lung.death_mean_h, dna.dead_cell_half_life_h
    let parameters = vec![
        FitParameter {
            key: "fate.lung.death_mean_h".into(),
            low: 4.0,
            high: 96.0,
            scale: "log".into(),
            start: Some(12.0),
        },
        FitParameter {
            key: "dna.dead_cell_half_life_h".into(),
            low: 1.0,
            high: 48.0,
            scale: "log".into(),
            start: Some(24.0),
        },
    ];
    let rows: Vec<String> = [
        "D04_Eggenhofer2012#3",
        "D04_Eggenhofer2012#4",
        "D02_Lee2009#1",
        "D02_Lee2009#2",
    ]
    .map(String::from)
    .to_vec();
    // Synthetic data: the model at the true values, with seed 7.
    let generator = Problem {
        scenarios: vec![path.clone()],
        rows: rows.clone(),
        measurements: measurements().unwrap(),
        parameters: parameters.clone(),
        cells: 20000,
        seed: 7,
    };
    let (_, at_truth) = generator.loss(&truth).unwrap();
    let mut table = measurements().unwrap();
    for r in &at_truth {
        let m = table.iter_mut().find(|m| m.id == r.row).unwrap();
        m.value = r.model;
        m.time_h = String::new();
    }
    // Fit with seed 1 from a start far from the truth.
    let problem = Problem {
        measurements: table,
        seed: 1,
        ..generator
    };
    let fitted = fit(&problem, 150, 7, 2.0).unwrap();
    eprintln!(
        "fitted {:?} (truth {truth:?}), regions {:?}, loss {} → {}",
        fitted.values, fitted.regions, fitted.start_loss, fitted.loss
    );
    let mut identified = 0;
    for (i, p) in problem.parameters.iter().enumerate() {
        let (_, _, is_identified) = fitted.regions[i];
        if is_identified {
            identified += 1;
            let error = (fitted.values[i] - truth[i]).abs() / truth[i];
            assert!(
                error < 0.10,
                "{}: fitted {} against {} ({:.1} %)",
                p.key,
                fitted.values[i],
                truth[i],
                100.0 * error
            );
        }
    }
    assert!(identified >= 1, "regions: {:?}", fitted.regions);
    assert!(fitted.loss < fitted.start_loss);
}

#[test]
fn a_fit_config_that_cannot_fit_is_a_clear_error() {
    let scenario = format!(
        "{}/scenarios/validation/d07_toma2009.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let head = format!("name = \"x\"\ncells = 2000\nscenarios = [{scenario:?}]\n");
    let parameter = "[[parameters]]\nkey = \"fate.systemic.death_mean_h\"\n";
    for (config, needles) in [
        (
            format!("{head}rows = [\"D07_Toma2009#2\"]\nparameters = []\n"),
            vec![
                "scenario.toml: parameters",
                "at least one [[parameters]] table",
            ],
        ),
        (
            format!("{head}rows = [\"D07_Toma2009#2\"]\n{parameter}low = 50.0\nhigh = 10.0\n"),
            vec![
                "parameters[0].high",
                "low < high",
                "found low 50 and high 10",
            ],
        ),
        (
            format!("{head}rows = [\"D07_Toma2009#2\"]\n{parameter}low = 0.0\nhigh = 10.0\n"),
            vec!["parameters[0].low", "a value > 0 on a log scale"],
        ),
        (
            format!(
                "{head}rows = [\"D04_Eggenhofer2012#1\"]\n{parameter}low = 10.0\nhigh = 50.0\n"
            ),
            vec![
                "scenario.toml: rows",
                "\"D04_Eggenhofer2012#1\", which none of them does",
            ],
        ),
    ] {
        common::workspace::assert_command_error(&config, &["fit", "scenario.toml"], &needles);
    }
}
