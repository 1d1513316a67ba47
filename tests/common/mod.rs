//! Helpers shared by the integration tests: loading scenarios, running them
//! in-process, and the one exact count rule (biodist::stats::count_agrees).
#![allow(dead_code)]

pub mod workspace;

use std::path::{Path, PathBuf};

use biodist::commands;
use biodist::engine::Tally;
use biodist::results::Results;
use biodist::scenario::{self, Scenario};
use biodist::stats;

/// Path of a file inside the crate.
pub fn crate_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// Loads a scenario file of the crate with overrides.
pub fn load(relative: &str, overrides: &[&str]) -> Scenario {
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    scenario::load(&crate_path(relative), &overrides).expect("scenario loads")
}

/// Loads a scenario from TOML text (written to a temporary file).
pub fn load_text(text: &str, overrides: &[&str]) -> Scenario {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("scenario.toml");
    std::fs::write(&path, text).expect("write scenario");
    let overrides: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    scenario::load(&path, &overrides).expect("scenario loads")
}

/// Simulates a scenario with the given threads and batch size.
pub fn simulate(scenario: &Scenario, threads: usize, batch_cells: u64) -> Results {
    commands::simulate(scenario, Some(threads), batch_cells, &|_| {})
        .expect("simulation runs")
        .0
}

/// The single arm's tally of a graph run.
pub fn tally(results: &Results) -> &Tally {
    &results.arms[0].tally
}

/// R1's exact fractions, `[record][state]`, from tests/data/r1_reference.json
/// (a copy of shared/benchmarks/r1_reference.json, computed at 50 digits).
pub fn r1_reference() -> Vec<Vec<f64>> {
    let text =
        std::fs::read_to_string(crate_path("tests/data/r1_reference.json")).expect("reference");
    let json: serde_json::Value = serde_json::from_str(&text).expect("reference json");
    json["fractions"]
        .as_array()
        .expect("fractions")
        .iter()
        .map(|row| {
            row.as_array()
                .expect("row")
                .iter()
                .map(|x| x.as_f64().expect("number"))
                .collect()
        })
        .collect()
}

/// The one exact rule for counts, used by every statistical test: for each
/// (record, state) with reference probability p and N cells, the two-sided exact
/// binomial p-value 2·min(P(X ≤ k), P(X ≥ k)) must be ≥ 1e-6
/// (`stats::EXACT_RULE_ALPHA`). Returns a description of every (record, state)
/// that breaks it (empty when all agree).
pub fn exact_rule_failures(tally: &Tally, expected: &[Vec<f64>], names: &[String]) -> Vec<String> {
    let n = tally.cells();
    let mut failures = Vec::new();
    for (record, row) in expected.iter().enumerate() {
        for (state, &p) in row.iter().enumerate() {
            let k = tally.cells_at(record, state);
            let p_value = stats::binomial_two_sided_p_value(k, n, p);
            if !stats::count_agrees(k, n, p) {
                failures.push(format!(
                    "record {record}, {}: {k} of {n} cells, expected {:.1} (p = {p:e}), p-value {p_value:e}",
                    names[state],
                    n as f64 * p
                ));
            }
        }
    }
    failures
}

/// Index of the first transition from `from` to `to` in a scenario.
pub fn transition_index(scenario: &Scenario, from: &str, to: &str) -> usize {
    scenario
        .resolved
        .graph
        .transitions
        .iter()
        .position(|t| t.from == from && t.to == to)
        .expect("transition exists")
}
