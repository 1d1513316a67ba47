//! The `biodist` command on bad physiological scenarios, tested from outside:
//! one test per kind of bad input. Each checks exit code 2, one `error:`
//! message naming the file, the key, what was expected and what was found,
//! no panic or backtrace, and no output folder left behind.

mod common;

use common::workspace::*;

/// A small valid physiological scenario; each test mutates one thing in it.
const MOUSE_IV: &str = r#"name = "mouse_small"
description = "A mouse with one IV arm, for error tests"
[run]
cells = 2000
seed = 3
record_times_h = [1.0, 24.0]
[body]
preset = "mouse"
[product]
cell = "msc_bone_marrow"
host = "autologous"
[[arms]]
name = "iv"
route = "iv"
dose_cells_per_kg = 2e6
[parameters]
"#;

/// `MOUSE_IV` with `from` replaced by `to`; `from` must occur exactly once.
fn mutate(from: &str, to: &str) -> String {
    assert_eq!(
        MOUSE_IV.matches(from).count(),
        1,
        "{from:?} should occur once in the base scenario"
    );
    MOUSE_IV.replacen(from, to, 1)
}

/// `MOUSE_IV` with `line` added to its `[parameters]` table (the last table).
fn with_parameter(line: &str) -> String {
    format!("{MOUSE_IV}{line}\n")
}

#[test]
fn the_base_scenario_runs() {
    // Otherwise the tests below could pass on a problem that is not the mutation.
    let ws = Workspace::new(MOUSE_IV);
    let assert = ws.biodist(&["run", "scenario.toml"]).success();
    let stderr = stderr_of(&assert);
    assert!(!stderr.contains("error"), "{stderr}");
    assert!(ws.path("output/mouse_small/counts.csv").is_file());
}

#[test]
fn unknown_body_preset_is_rejected() {
    assert_user_error(
        &mutate(r#"preset = "mouse""#, r#"preset = "horse""#),
        &[],
        &[
            "scenario.toml: body.preset: expected one of human, mouse, rat",
            "found \"horse\"",
        ],
    );
}

#[test]
fn unknown_cell_preset_is_rejected() {
    assert_user_error(
        &mutate(r#"cell = "msc_bone_marrow""#, r#"cell = "msc_bone_marow""#),
        &[],
        &[
            "scenario.toml: product.cell: expected one of",
            "msc_bone_marrow",
            "found \"msc_bone_marow\"",
        ],
    );
}

#[test]
fn unknown_host_match_is_rejected() {
    assert_user_error(
        &mutate(r#"host = "autologous""#, r#"host = "allogenic""#),
        &[],
        &[
            "scenario.toml: product.host: expected one of",
            "allogeneic",
            "found \"allogenic\"",
        ],
    );
}

#[test]
fn unknown_parameter_key_is_rejected_with_the_nearest_one() {
    assert_user_error(
        &with_parameter(r#""lung.shnt" = 0.01"#),
        &[],
        &[
            "scenario.toml: parameters.lung.shnt: expected a parameter",
            "lung.shunt",
            "found an unknown key \"lung.shnt\"",
        ],
    );
}

#[test]
fn flows_that_do_not_balance_are_rejected() {
    assert_user_error(
        &with_parameter(r#""flow.muscle" = 0.9"#),
        &[],
        &[
            "scenario.toml: parameters.flow.*",
            "expected organ flows that sum to at most 1",
            "found a sum of ",
        ],
    );
}

#[test]
fn zero_diameter_is_rejected() {
    assert_user_error(
        &with_parameter(r#""cell.msc.diameter_median_um" = 0.0"#),
        &[],
        &[
            "scenario.toml: parameters.cell.msc.diameter_median_um: expected a diameter > 0",
            "found 0.0",
        ],
    );
}

#[test]
fn arm_without_route_is_rejected() {
    assert_user_error(
        &mutate("route = \"iv\"\n", ""),
        &[],
        &[
            "scenario.toml: arms[0].route: expected a route",
            "found no route",
        ],
    );
}

#[test]
fn arm_without_dose_is_rejected() {
    assert_user_error(
        &mutate("dose_cells_per_kg = 2e6\n", ""),
        &[],
        &[
            "scenario.toml: arms[0]: expected a dose: dose_cells or dose_cells_per_kg",
            "found neither",
        ],
    );
}

#[test]
fn arm_with_both_dose_forms_is_rejected() {
    assert_user_error(
        &mutate(
            "dose_cells_per_kg = 2e6\n",
            "dose_cells_per_kg = 2e6\ndose_cells = 5e4\n",
        ),
        &[],
        &[
            "scenario.toml: arms[0]: expected one dose: dose_cells or dose_cells_per_kg, not both",
            "found both",
        ],
    );
}

#[test]
fn two_arms_with_one_name_are_rejected() {
    assert_user_error(
        &mutate(
            "[parameters]\n",
            "[[arms]]\nname = \"iv\"\nroute = \"intra_articular\"\ndose_cells = 1e5\n[parameters]\n",
        ),
        &[],
        &[
            "scenario.toml: arms[1].name: expected a name not used by another arm",
            "found \"iv\"",
        ],
    );
}

#[test]
fn arm_named_ia_is_rejected() {
    assert_user_error(
        &mutate(r#"name = "iv""#, r#"name = "IA""#),
        &[],
        &[
            "scenario.toml: arms[0].name: expected a name that says which route",
            "intra_articular",
            "found \"IA\"",
        ],
    );
}

#[test]
fn route_into_a_missing_location_is_rejected() {
    assert_user_error(
        &mutate(r#"route = "iv""#, r#"route = "knee/meniscus""#),
        &[],
        &[
            "scenario.toml: arms[0].route: expected iv, intra_arterial, intra_articular or a location",
            "found \"knee/meniscus\"",
        ],
    );
}

#[test]
fn unknown_intervention_is_rejected() {
    assert_user_error(
        &mutate(
            "dose_cells_per_kg = 2e6\n",
            "dose_cells_per_kg = 2e6\ninterventions = [\"aspirin\"]\n",
        ),
        &[],
        &[
            "scenario.toml: arms[0].interventions[0]: expected one of",
            "vasodilator",
            "found \"aspirin\"",
        ],
    );
}

#[test]
fn added_organ_named_like_an_existing_one_is_rejected() {
    assert_user_error(
        &mutate(
            "[product]\n",
            "[[body.organs]]\nname = \"liver\"\nflow_fraction = 0.01\n[product]\n",
        ),
        &[],
        &[
            "scenario.toml: body.organs[0].name: expected a new organ name",
            "not an existing organ",
            "found \"liver\"",
        ],
    );
}

#[test]
fn three_knees_are_rejected() {
    assert_user_error(
        &mutate("preset = \"mouse\"\n", "preset = \"mouse\"\nknees = 3\n"),
        &[],
        &["scenario.toml: body.knees: expected 1 or 2", "found 3"],
    );
}

#[test]
fn bad_parameter_value_from_set_names_the_set() {
    assert_user_error(
        MOUSE_IV,
        &["--set", "parameters.lung.shunt=abc"],
        &[
            "scenario.toml: parameters.lung.shunt: expected a number",
            "found \"abc\"",
            "(set by --set parameters.lung.shunt=abc)",
        ],
    );
}

#[test]
fn expect_on_a_physiological_scenario_asks_for_a_graph() {
    assert_command_error(
        MOUSE_IV,
        &["expect", "scenario.toml"],
        &[
            "scenario.toml: expected a graph scenario ([graph])",
            "found a physiological scenario ([body])",
        ],
    );
}

#[test]
fn filter_with_an_unknown_body_names_the_option() {
    assert_command_error(
        MOUSE_IV,
        &[
            "filter",
            "--body",
            "horse",
            "--bed",
            "lung",
            "--cell",
            "msc_bone_marrow",
        ],
        &["--body: expected one of human, mouse, rat", "found horse"],
    );
}

#[test]
fn filter_prints_the_lung_passage_of_4_um_microspheres() {
    let ws = Workspace::new(MOUSE_IV);
    let assert = ws
        .biodist(&[
            "filter",
            "--body",
            "mouse",
            "--bed",
            "lung",
            "--cell",
            "microsphere_4um",
        ])
        .success();
    let stdout = stdout_of(&assert);
    let mut lines = stdout.lines();
    let header = lines.next().expect("a header line");
    assert_eq!(
        header,
        "diameter_um,shunt,p_mech,p_adh,passage,trap_probability"
    );
    let columns: Vec<&str> = header.split(',').collect();
    let passage_at = columns.iter().position(|c| *c == "passage").unwrap();
    let row: Vec<f64> = lines
        .map(|line| {
            line.split(',')
                .map(|x| x.parse::<f64>().unwrap_or_else(|e| panic!("{line}: {e}")))
                .collect::<Vec<f64>>()
        })
        .find(|row| (row[0] - 4.0).abs() < 1e-9)
        .unwrap_or_else(|| panic!("no 4 µm row in:\n{stdout}"));
    assert_eq!(row.len(), columns.len(), "{row:?}");
    assert!(row[passage_at] > 0.95, "4 µm passage {}", row[passage_at]);
    ws.assert_nothing_written(&[]);
}
