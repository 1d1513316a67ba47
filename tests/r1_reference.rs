//! R1 (shared/benchmarks) against its exact answer: the Monte Carlo counts by
//! the exact binomial rule, and `expect` to 1e-9.

mod common;

use biodist::expect::expected_fractions;
use common::*;

const R1: &str = "scenarios/benchmarks/r1.toml";

/// N = 10^6 cells, three fixed seeds, every (record time, state): 60 checks per
/// seed at α = 1e-6 each, so a correct engine fails this with probability < 2e-4.
#[test]
fn r1_counts_match_the_exact_fractions_on_three_seeds() {
    let reference = r1_reference();
    for seed in ["1", "2", "3"] {
        let scenario = load(R1, &["run.cells=1e6", &format!("run.seed={seed}")]);
        let results = simulate(&scenario, 2, 16_384);
        let failures = exact_rule_failures(tally(&results), &reference, &results.locations);
        assert!(failures.is_empty(), "seed {seed}:\n{}", failures.join("\n"));
    }
}

/// The rule has power: a 20 % change in one rate is caught at N = 10^6.
#[test]
fn the_exact_rule_detects_a_twenty_percent_change_in_one_rate() {
    let reference = r1_reference();
    let base = load(R1, &[]);
    for (from, to) in [("lung", "dead"), ("arterial", "liver")] {
        let index = transition_index(&base, from, to);
        let rate = base.resolved.graph.transitions[index]
            .rate_per_h
            .expect("exponential");
        let changed = format!("graph.transitions[{index}].rate_per_h={:?}", rate * 1.2);
        let scenario = load(R1, &["run.cells=1e6", &changed]);
        let results = simulate(&scenario, 2, 16_384);
        let failures = exact_rule_failures(tally(&results), &reference, &results.locations);
        assert!(
            !failures.is_empty(),
            "{from} -> {to} × 1.2 passed the exact rule; the check has no power"
        );
    }
}

#[test]
fn expect_matches_the_fifty_digit_reference_to_1e_9() {
    let scenario = load(R1, &[]);
    let fractions = expected_fractions(&scenario.checked.graph, scenario.record_times_h()).unwrap();
    let reference = r1_reference();
    for (row, reference_row) in fractions.iter().zip(&reference) {
        for ((state, &x), &r) in row.iter().enumerate().zip(reference_row) {
            assert!(
                (x - r).abs() <= 1e-9,
                "{}: expm gives {x}, reference {r}",
                scenario.checked.state_names[state]
            );
        }
    }
}

#[test]
fn r1_record_time_of_five_minutes_is_exactly_one_twelfth_of_an_hour() {
    let scenario = load(R1, &[]);
    assert_eq!(
        scenario.record_times_h()[0].to_bits(),
        (1.0f64 / 12.0).to_bits()
    );
}
