//! `biodist validate`: the README's table is current (rows and verdicts at
//! the settings written above it), every expressible dataset has a row, the
//! held-out rows are what HELD_OUT.md says and no fit names them, and a bad
//! `[[validation]]` entry is a clear error.

mod common;

use std::fs;

use common::workspace::*;

fn crate_file(relative: &str) -> String {
    fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative))
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// (row, verdict) of each line of a Markdown validation table.
fn rows_and_verdicts(table: &str) -> Vec<(String, String)> {
    table
        .lines()
        .filter(|l| l.starts_with("| D"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells[1].to_string(), cells[cells.len() - 2].to_string())
        })
        .collect()
}

#[test]
fn readme_validation_table_is_current_and_covers_every_expressible_dataset() {
    let ws = Workspace::new("");
    let scenarios = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/validation");
    let scenarios = scenarios.to_str().unwrap();
    // The README's settings: each scenario's own cells (200000), seed 1.
    let assert = ws
        .biodist(&["validate", scenarios, "--format", "md", "--out", "val"])
        .success();
    let markdown = stdout_of(&assert);
    // Roles: a fit config names D04#1; HELD_OUT.md holds D03 out.
    for needle in [
        "| D04_Eggenhofer2012#1 | fitted |",
        "| D03_Assis2010#1 | held out |",
        "| D11_Toupet2013#1 | fitted |",
        "| D07_Toma2009#2 | fitted |",
        "| D08_Hofmann2005#5 | held out |",
        "- fitted rows: ",
        "- held out rows: ",
    ] {
        assert!(
            markdown.contains(needle),
            "validate --format md lacks {needle:?}"
        );
    }
    let fresh = rows_and_verdicts(&markdown);
    let readme = crate_file("README.md");
    let start = readme.find("<!-- validation table: start -->").unwrap();
    let end = readme.find("<!-- validation table: end -->").unwrap();
    let written = rows_and_verdicts(&readme[start..end]);
    assert_eq!(
        written, fresh,
        "README's validation table is out of date: regenerate it with `cargo run --release -- validate --format md`"
    );
    for dataset in [
        "D02_Lee2009",
        "D02b_Lee2009_meeting_abstract",
        "D03_Assis2010",
        "D04_Eggenhofer2012",
        "D05_Fischer2009",
        "D06_Schrepfer2007",
        "D07_Toma2009",
        "D08_Hofmann2005",
        "D11_Toupet2013",
        "D12_Shim2015",
        "D13_Li2016",
        "D14_Satue2019",
        "D15_Kehoe2014",
        "D18_Tang2014",
        "D24_Gao2001",
    ] {
        assert!(
            fresh
                .iter()
                .any(|(row, _)| row.starts_with(&format!("{dataset}#"))),
            "no row for {dataset}"
        );
    }
    assert!(fresh.iter().all(|(_, v)| v == "agrees" || v == "disagrees"));
    let csv = read_csv(&ws.path("val/validation.csv"));
    assert_eq!(csv.len(), fresh.len());
    assert!(ws.path("val/validation.png").is_file());
}

#[test]
fn every_human_dataset_is_held_out_and_no_fit_names_a_held_out_one() {
    let held_out = crate_file("scenarios/validation/HELD_OUT.md");
    let data = crate_file("data/biodistribution_measurements.csv");
    let mut reader = csv::Reader::from_reader(data.as_bytes());
    let mut human = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        if &record[1] == "human" && !human.contains(&record[0].to_string()) {
            human.push(record[0].to_string());
        }
    }
    assert!(human.len() >= 3, "human datasets: {human:?}");
    for dataset in &human {
        assert!(
            held_out.contains(dataset.as_str()),
            "{dataset} not held out"
        );
    }
    let held: Vec<&str> = held_out
        .lines()
        .filter_map(|l| l.strip_prefix("| D"))
        .filter_map(|l| l.split('|').next())
        .map(str::trim)
        .collect();
    assert!(held.len() >= human.len() + 2, "held out: {held:?}");
    let fits = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/fits");
    if let Ok(entries) = fs::read_dir(fits) {
        for entry in entries {
            let text = fs::read_to_string(entry.unwrap().path()).unwrap_or_default();
            for id in &held {
                assert!(
                    !text.contains(&format!("D{id}")),
                    "a fit names held-out D{id}"
                );
            }
        }
    }
}

#[test]
fn a_bad_validation_entry_names_the_row_arm_or_assay() {
    let text = crate_file("scenarios/validation/d24_gao2001.toml")
        .replace("row = \"D24_Gao2001#1\"", "row = \"D24_Gao2001#7\"")
        .replace(
            "assay = \"in111_decay_corrected\"\nlocation = \"liver\"",
            "assay = \"cr51\"\nlocation = \"liver\"",
        );
    assert_command_error(
        &text,
        &["run", "scenario.toml"],
        &[
            "validation[0].row",
            "found \"D24_Gao2001#7\"",
            "validation[0].assay",
            "an assay that arm iv_vasodilator observes (in111_decay_corrected)",
        ],
    );
}

#[test]
fn a_comparison_with_a_scenario_that_was_not_run_says_which() {
    // The NSC scenario of D05 compares with the MSC one; alone, its row
    // cannot be computed: an error that names the file, the entry and why.
    let ws = Workspace::new("");
    let dir = ws.path("alone");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("nsc.toml"),
        crate_file("scenarios/validation/d05_fischer2009_nsc.toml")
            .replace("cells = 1000000", "cells = 2000"),
    )
    .unwrap();
    let assert = ws
        .biodist(&["validate", "alone", "--format", "md", "--out", "val"])
        .code(2);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("nsc.toml: validation[0] (row D05_Fischer2009#1): against.scenario: no validation scenario named \"val_d05_fischer2009_msc\""),
        "{stderr}"
    );
    assert!(!ws.path("val").exists(), "nothing written");
}

/// A range (D09's min and max rows of initial lung activity) through the
/// whole command, and a max row that does not pair with the min row.
const RANGE_SCENARIO: &str = r#"
name = "range"
[run]
cells = 5000
seed = 1
record_times_h = [0.1, 1.0]
[body]
preset = "human"
[product]
cell = "msc_bone_marrow"
[[arms]]
name = "iv"
route = "iv"
dose_cells = 1e8
observe = ["tc99m_hmpao"]
[[validation]]
row = "D09_Skretting1988#1"
row_high = "D09_Skretting1988#2"
measure = "range"
arm = "iv"
assay = "tc99m_hmpao"
location = "lung"
time_h = 0.1
"#;

#[test]
fn a_range_agrees_inside_its_min_and_max_rows_which_must_pair() {
    let ws = Workspace::new("");
    fs::create_dir_all(ws.path("dir")).unwrap();
    fs::write(ws.path("dir/range.toml"), RANGE_SCENARIO).unwrap();
    ws.biodist(&["validate", "dir", "--out", "val"]).success();
    let rows = read_csv(&ws.path("val/validation.csv"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["measured"], "22–31");
    let model: f64 = rows[0]["model"].parse().unwrap();
    let inside = (22.0..=31.0).contains(&model);
    assert_eq!(
        rows[0]["verdict"],
        if inside { "agrees" } else { "disagrees" }
    );
    // The liver row at 1 h is no max of the lung's range at 0 h.
    let bad = RANGE_SCENARIO.replace("D09_Skretting1988#2", "D09_Skretting1988#4");
    assert_command_error(
        &bad,
        &["run", "scenario.toml"],
        &[
            "validation[0].row_high",
            "the max row paired with D09_Skretting1988#1",
            "found D09_Skretting1988#4",
        ],
    );
}
