//! The `biodist` command tested from outside: what it writes, and one test per
//! kind of bad input (message names file and key, exit code 2, no output left).

mod common;

use std::fs;
use std::path::Path;

use common::workspace::*;

const SMALL_GRAPH: &str = r#"name = "small"
description = "A three-state graph for CLI tests"
[run]
cells = 2000
seed = 4
record_times_h = [0.5, 1.0, 4.0]
[graph]
states = ["blood", "lung", "dead"]
start = "blood"
[[graph.transitions]]
from = "blood"
to = "lung"
rate_per_h = 3.0
[[graph.transitions]]
from = "lung"
to = "dead"
dwell = { law = "gamma", mean_h = 2.0, shape = 2.0 }
"#;

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn run_writes_counts_exposure_manifest_and_run_info_into_output_name() {
    let ws = Workspace::new(SMALL_GRAPH);
    ws.biodist(&["run", "scenario.toml"]).success();
    let out = ws.path("output/small");
    let counts = read(&out.join("counts.csv"));
    let mut lines = counts.lines();
    assert_eq!(
        lines.next(),
        Some("arm,route,time_h,location,state,cells,fraction,fraction_se,dose_cells,cells_of_dose")
    );
    // One row per (record time, location), zeros included: 3 × 3.
    assert_eq!(lines.count(), 9);
    assert!(counts.contains("small,graph,0.5,dead,alive,"));
    let exposure = read(&out.join("exposure.csv"));
    assert!(exposure.starts_with("arm,route,time_h,location,state,ever_entered,cell_hours\n"));
    assert!(exposure.contains("small,graph,0.5,blood,alive,2000,"));
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
    assert_eq!(manifest["scenario"]["name"], "small");
    assert_eq!(manifest["scenario"]["text"], SMALL_GRAPH);
    assert_eq!(manifest["seed"], 4);
    assert_eq!(manifest["cells"], 2000);
    assert_eq!(
        manifest["resolved"]["graph"]["transitions"][1]["dwell"]["law"],
        "gamma"
    );
    assert!(
        manifest["exposure_time_unit"]["name"]
            .as_str()
            .unwrap()
            .contains("1e-9 h")
    );
    assert!(manifest["biodist_version"].is_string());
    let info: serde_json::Value = serde_json::from_str(&read(&out.join("run_info.json"))).unwrap();
    assert!(info["threads"].as_u64().unwrap() >= 1);
    assert!(info["wall_time_s"].as_f64().unwrap() >= 0.0);
    assert_eq!(info["command_line"][1], "run");
    ws.assert_nothing_written(&["output"]);
}

#[test]
fn run_refuses_to_overwrite_without_force_and_replaces_with_it() {
    let ws = Workspace::new(SMALL_GRAPH);
    ws.biodist(&["run", "scenario.toml", "--out", "here"])
        .success();
    let before = read(&ws.path("here/counts.csv"));
    let assert = ws
        .biodist(&["run", "scenario.toml", "--out", "here", "--seed", "5"])
        .code(2);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("here") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(
        read(&ws.path("here/counts.csv")),
        before,
        "untouched without --force"
    );
    ws.biodist(&[
        "run",
        "scenario.toml",
        "--out",
        "here",
        "--seed",
        "5",
        "--force",
    ])
    .success();
    assert_ne!(read(&ws.path("here/counts.csv")), before);
    ws.assert_nothing_written(&["here"]);
}

#[test]
fn cells_accepts_scientific_notation_and_set_overrides_the_file() {
    let ws = Workspace::new(SMALL_GRAPH);
    ws.biodist(&["run", "scenario.toml", "--cells", "3e3", "--out", "a"])
        .success();
    ws.biodist(&["run", "scenario.toml", "--cells", "3000", "--out", "b"])
        .success();
    ws.biodist(&[
        "run",
        "scenario.toml",
        "--set",
        "run.cells=3000",
        "--out",
        "c",
    ])
    .success();
    let a = read(&ws.path("a/counts.csv"));
    assert_eq!(a, read(&ws.path("b/counts.csv")));
    assert_eq!(a, read(&ws.path("c/counts.csv")));
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&ws.path("c/manifest.json"))).unwrap();
    assert_eq!(manifest["cells"], 3000);
    assert_eq!(manifest["overrides"][0], "run.cells=3000");
}

#[test]
fn threads_do_not_change_the_data_files() {
    let ws = Workspace::new(SMALL_GRAPH);
    ws.biodist(&["run", "scenario.toml", "--threads", "1", "--out", "one"])
        .success();
    ws.biodist(&[
        "run",
        "scenario.toml",
        "--threads",
        "8",
        "--batch-cells",
        "37",
        "--out",
        "eight",
    ])
    .success();
    for file in ["counts.csv", "exposure.csv"] {
        assert_eq!(
            read(&ws.path("one").join(file)),
            read(&ws.path("eight").join(file))
        );
    }
}

#[test]
fn expect_writes_expected_fractions_beside_not_into_the_run_folder() {
    let markov = SMALL_GRAPH.replace(
        r#"dwell = { law = "gamma", mean_h = 2.0, shape = 2.0 }"#,
        "rate_per_h = 0.5",
    );
    let ws = Workspace::new(&markov);
    ws.biodist(&["expect", "scenario.toml"]).success();
    let expected = read(&ws.path("output/small_expected/expected.csv"));
    assert!(expected.starts_with("time_h,location,fraction\n0.5,blood,0.22313016014842"));
    assert_eq!(expected.lines().count(), 1 + 9);
}

#[test]
fn expect_on_a_non_exponential_law_names_the_transition() {
    let ws = Workspace::new(SMALL_GRAPH);
    let assert = ws.biodist(&["expect", "scenario.toml"]).code(2);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("scenario.toml: graph.transitions[1]"),
        "{stderr}"
    );
    assert!(stderr.contains("\"gamma\""), "{stderr}");
    ws.assert_nothing_written(&[]);
}

#[test]
fn help_lists_the_commands_and_options() {
    let ws = Workspace::new(SMALL_GRAPH);
    let out = ws.biodist(&["run", "--help"]).success();
    let help = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    for option in [
        "--cells",
        "--seed",
        "--threads",
        "--out",
        "--force",
        "--set",
    ] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }
}

// ---- one test per kind of bad input ----

#[test]
fn missing_file_is_named() {
    let ws = Workspace::new(SMALL_GRAPH);
    let assert = ws.biodist(&["run", "nowhere.toml"]).code(2);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("nowhere.toml: cannot read the scenario file"),
        "{stderr}"
    );
    ws.assert_nothing_written(&[]);
}

#[test]
fn toml_syntax_error_gives_line_and_column() {
    let broken = SMALL_GRAPH.replace("seed = 4", "seed = = 4");
    assert_user_error(&broken, &[], &["scenario.toml:5:8: TOML syntax error"]);
}

#[test]
fn unknown_key_is_rejected() {
    let typo = SMALL_GRAPH.replace("seed = 4", "seed = 4\ncels = 10");
    assert_user_error(&typo, &[], &["scenario.toml: run", "unknown field `cels`"]);
}

#[test]
fn wrong_type_is_rejected() {
    let wrong = SMALL_GRAPH.replace("rate_per_h = 3.0", "rate_per_h = \"fast\"");
    assert_user_error(
        &wrong,
        &[],
        &[
            "scenario.toml: graph.transitions[0].rate_per_h",
            "invalid type",
            "\"fast\"",
        ],
    );
}

#[test]
fn negative_rate_is_rejected() {
    let negative = SMALL_GRAPH.replace("rate_per_h = 3.0", "rate_per_h = -3.0");
    assert_user_error(
        &negative,
        &[],
        &[
            "scenario.toml: graph.transitions[0].rate_per_h: expected a rate from 0 to 1e9 per hour",
            "found -3.0",
        ],
    );
}

#[test]
fn non_finite_rate_is_rejected() {
    let infinite = SMALL_GRAPH.replace("rate_per_h = 3.0", "rate_per_h = inf");
    assert_user_error(
        &infinite,
        &[],
        &[
            "graph.transitions[0].rate_per_h: expected a rate from 0 to 1e9 per hour",
            "found inf",
        ],
    );
}

#[test]
fn law_with_a_missing_parameter_is_rejected() {
    let missing = SMALL_GRAPH.replace(", shape = 2.0 }", " }");
    assert_user_error(
        &missing,
        &[],
        &[
            "scenario.toml: graph.transitions[1].dwell",
            "missing field `shape`",
        ],
    );
}

#[test]
fn law_with_an_invalid_parameter_is_rejected() {
    let invalid = SMALL_GRAPH.replace("shape = 2.0", "shape = 0.0");
    assert_user_error(
        &invalid,
        &[],
        &[
            "scenario.toml: graph.transitions[1].dwell.shape: expected a finite number > 0, found 0.0",
        ],
    );
}

#[test]
fn unknown_law_is_rejected() {
    let unknown = SMALL_GRAPH.replace("law = \"gamma\"", "law = \"gama\"");
    assert_user_error(
        &unknown,
        &[],
        &["graph.transitions[1].dwell", "unknown variant `gama`"],
    );
}

#[test]
fn transition_to_a_state_not_listed_is_rejected() {
    let stray = SMALL_GRAPH.replace("to = \"dead\"", "to = \"died\"");
    assert_user_error(
        &stray,
        &[],
        &[
            "scenario.toml: graph.transitions[1].to: expected a state listed in graph.states, found \"died\"",
        ],
    );
}

#[test]
fn transition_from_a_state_not_listed_is_rejected() {
    let stray = SMALL_GRAPH.replace("from = \"lung\"", "from = \"lungs\"");
    assert_user_error(
        &stray,
        &[],
        &["graph.transitions[1].from", "found \"lungs\""],
    );
}

#[test]
fn state_listed_twice_is_rejected() {
    let twice = SMALL_GRAPH.replace(r#""lung", "dead"]"#, r#""lung", "dead", "lung"]"#);
    assert_user_error(
        &twice,
        &[],
        &["scenario.toml: graph.states[3]: expected each state listed once, found \"lung\" again"],
    );
}

#[test]
fn zero_time_cycle_is_rejected() {
    let cycle = format!(
        "{SMALL_GRAPH}\n[[graph.transitions]]\nfrom = \"lung\"\nto = \"blood\"\ndwell = {{ law = \"fixed\", time_h = 0.0 }}\n\
         [[graph.transitions]]\nfrom = \"blood\"\nto = \"lung\"\ndwell = {{ law = \"fixed\", time_h = 0.0 }}\n"
    );
    assert_user_error(
        &cycle,
        &[],
        &[
            "scenario.toml: graph.transitions: expected no cycle of zero-time transitions",
            "found blood -> lung -> blood",
        ],
    );
}

/// A cycle of delays too short for the clock to move would spin for ever; laws
/// are limited to at least one tick (1e-9 h), so it is an input error instead.
#[test]
fn delays_shorter_than_one_tick_are_rejected() {
    let tiny = SMALL_GRAPH.replace("mean_h = 2.0", "mean_h = 1e-20");
    assert_user_error(
        &tiny,
        &[],
        &[
            "scenario.toml: graph.transitions[1].dwell.mean_h: expected a time from 1e-9 h (one tick) to 1e9 h, found 1e-20",
        ],
    );
}

#[test]
fn rule_errors_name_the_set_that_caused_them() {
    assert_user_error(
        SMALL_GRAPH,
        &["--set", "graph.transitions[0].rate_per_h=-1"],
        &[
            "graph.transitions[0].rate_per_h: expected a rate",
            "found -1.0 (set by --set graph.transitions[0].rate_per_h=-1)",
        ],
    );
}

#[test]
fn force_never_replaces_a_folder_that_is_not_a_biodist_output() {
    let ws = Workspace::new(SMALL_GRAPH);
    fs::create_dir(ws.path("precious")).unwrap();
    fs::write(ws.path("precious/thesis.tex"), "years of work").unwrap();
    let assert = ws
        .biodist(&["run", "scenario.toml", "--out", "precious", "--force"])
        .code(2);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("precious") && stderr.contains("manifest.json"),
        "{stderr}"
    );
    assert_eq!(read(&ws.path("precious/thesis.tex")), "years of work");
}

#[test]
fn negative_record_time_is_rejected() {
    let negative = SMALL_GRAPH.replace("[0.5, 1.0, 4.0]", "[-0.5, 1.0, 4.0]");
    assert_user_error(
        &negative,
        &[],
        &["scenario.toml: run.record_times_h[0]: expected a time from 0 to 1e6 h, found -0.5"],
    );
    // Only that one problem: the next time is not compared with a negative one.
    let ws = Workspace::new(&negative);
    let stderr = stderr_of(&ws.biodist(&["run", "scenario.toml"]).code(2));
    assert_eq!(stderr.matches("record_times_h").count(), 1, "{stderr}");
}

#[test]
fn negative_cells_and_seed_on_the_command_line_name_the_key() {
    assert_user_error(
        SMALL_GRAPH,
        &["--cells", "-5"],
        &["run.cells", "(set by --set run.cells=-5)"],
    );
    assert_user_error(SMALL_GRAPH, &["--seed", "-1"], &["run.seed", "-1"]);
}

#[test]
fn an_output_path_that_is_a_file_is_refused() {
    let ws = Workspace::new(SMALL_GRAPH);
    fs::write(ws.path("taken"), "not a folder").unwrap();
    let assert = ws
        .biodist(&["run", "scenario.toml", "--out", "taken", "--force"])
        .code(2);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("expected a folder, found a file"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(ws.path("taken")).unwrap(),
        "not a folder"
    );
}

#[test]
fn record_times_not_increasing_are_rejected() {
    let unordered = SMALL_GRAPH.replace("[0.5, 1.0, 4.0]", "[0.5, 4.0, 1.0]");
    assert_user_error(
        &unordered,
        &[],
        &[
            "scenario.toml: run.record_times_h[2]: expected a time later than the one before it (4.0 h)",
            "found 1.0",
        ],
    );
}

#[test]
fn zero_cells_are_rejected() {
    let zero = SMALL_GRAPH.replace("cells = 2000", "cells = 0");
    assert_user_error(
        &zero,
        &[],
        &[
            "scenario.toml: run.cells: invalid value: integer `0`, expected a whole number of cells ≥ 1",
        ],
    );
}

#[test]
fn zero_cells_from_the_command_line_are_rejected_the_same_way() {
    assert_user_error(
        SMALL_GRAPH,
        &["--cells", "0"],
        &[
            "scenario.toml: run.cells: invalid value",
            "(set by --set run.cells=0)",
        ],
    );
}

#[test]
fn unwritable_out_is_rejected_before_simulating() {
    let ws = Workspace::new(SMALL_GRAPH);
    fs::write(ws.path("a_file"), "not a folder").unwrap();
    let assert = ws
        .biodist(&["run", "scenario.toml", "--out", "a_file/run"])
        .code(2);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("output folder a_file/run (--out): cannot create folder"),
        "{stderr}"
    );
    ws.assert_nothing_written(&["a_file"]);
}

#[test]
fn bad_set_path_is_rejected() {
    assert_user_error(
        SMALL_GRAPH,
        &["--set", "runn.cells=5"],
        &[
            "scenario.toml: --set runn.cells=5: expected a path",
            "found no \"runn\"",
        ],
    );
}

#[test]
fn misspelt_set_key_is_rejected() {
    assert_user_error(
        SMALL_GRAPH,
        &["--set", "run.cellz=5"],
        &["scenario.toml: run", "unknown field `cellz`"],
    );
}

#[test]
fn bad_set_value_is_rejected() {
    assert_user_error(
        SMALL_GRAPH,
        &["--set", "run.cells=many"],
        &[
            "scenario.toml: run.cells: invalid type: string \"many\"",
            "(set by --set run.cells=many)",
        ],
    );
}

#[test]
fn set_without_equals_is_rejected() {
    assert_user_error(
        SMALL_GRAPH,
        &["--set", "run.cells"],
        &["--set run.cells: expected key.path=value"],
    );
}
