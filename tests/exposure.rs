//! `exposure.csv` tallies against closed forms, and the exact invariants of the
//! integer tallies (conservation of cells and of cell-hours).

mod common;

use biodist::engine::tally::hours_to_ticks;
use common::*;

const CELLS: u64 = 200_000;
const RATE_PER_H: f64 = 0.5;
const TIMES_H: [f64; 4] = [0.5, 1.0, 2.0, 4.0];

fn one_exit() -> String {
    format!(
        r#"
name = "one_exit"
[run]
cells = {CELLS}
seed = 3
record_times_h = {TIMES_H:?}
[graph]
states = ["start", "gone"]
start = "start"
[[graph.transitions]]
from = "start"
to = "gone"
rate_per_h = {RATE_PER_H:?}
"#
    )
}

/// One exponential exit at λ: the time a cell spends in the start state by t is
/// T = min(X, t), with E[T] = (1 − e^{−λt})/λ and E[T²] = 2(1 − e^{−λt}(1 + λt))/λ².
/// The total over N cells must lie within 5 standard deviations (√(N·Var T)) of N·E[T].
#[test]
fn time_in_the_start_state_matches_the_closed_form() {
    let scenario = load_text(&one_exit(), &[]);
    let results = simulate(&scenario, 2, 1_000);
    let t = tally(&results);
    for (record, &time_h) in TIMES_H.iter().enumerate() {
        let lambda = RATE_PER_H;
        let mean = (1.0 - (-lambda * time_h).exp()) / lambda;
        let second =
            2.0 * (1.0 - (-lambda * time_h).exp() * (1.0 + lambda * time_h)) / lambda.powi(2);
        let sd_total = (CELLS as f64 * (second - mean * mean)).sqrt();
        let hours = t.time_ticks(record, 0) as f64 * 1e-9;
        let expected = CELLS as f64 * mean;
        assert!(
            (hours - expected).abs() <= 5.0 * sd_total,
            "t = {time_h} h: {hours} cell-hours, expected {expected} ± {sd_total}"
        );
    }
}

#[test]
fn cells_that_ever_entered_are_counted_exactly() {
    let scenario = load_text(&one_exit(), &[]);
    let results = simulate(&scenario, 2, 1_000);
    let t = tally(&results);
    for record in 0..TIMES_H.len() {
        // Every cell starts in "start"; "gone" is absorbing, so every cell that
        // ever entered it is still there.
        assert_eq!(t.ever_entered(record, 0), CELLS);
        assert_eq!(t.ever_entered(record, 1), t.cells_at(record, 1));
    }
}

/// Exact invariants on R1: at every record time the cells add up to N, the
/// cell-ticks add up to N × record ticks, no state was entered by more than N
/// cells, entries only grow, and a state's present cells have all entered it.
#[test]
fn tallies_conserve_cells_and_cell_hours_exactly() {
    let scenario = load("scenarios/benchmarks/r1.toml", &["run.cells=100000"]);
    let results = simulate(&scenario, 2, 4_096);
    let t = tally(&results);
    let n = t.cells();
    let states = results.locations.len();
    for (record, &time_h) in results.record_times_h.iter().enumerate() {
        let cells: u64 = (0..states).map(|s| t.cells_at(record, s)).sum();
        assert_eq!(cells, n, "cells at record {record}");
        let ticks: u128 = (0..states).map(|s| t.time_ticks(record, s)).sum();
        assert_eq!(ticks, u128::from(n) * u128::from(hours_to_ticks(time_h)));
        for state in 0..states {
            let entered = t.ever_entered(record, state);
            assert!(entered <= n && t.cells_at(record, state) <= entered);
            if record > 0 {
                assert!(entered >= t.ever_entered(record - 1, state));
            }
        }
    }
    assert_eq!(
        t.ever_entered(0, 0),
        n,
        "the start state counts as entered at t = 0"
    );
}
