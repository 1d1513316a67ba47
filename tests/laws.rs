//! Non-exponential dwell laws through the whole engine: a two-state graph per
//! law against the law's analytic distribution function, and a race between an
//! Erlang exit and an exponential exit. Every count by the exact rule
//! (two-sided exact binomial p-value ≥ 1e-6, see tests/common).

mod common;

use biodist::engine::DwellLaw;
use common::*;

const CELLS: u64 = 200_000;

fn two_state(dwell: &str, record_times_h: &str) -> String {
    format!(
        r#"
name = "law"
[run]
cells = {CELLS}
seed = 11
record_times_h = {record_times_h}
[graph]
states = ["waiting", "left"]
start = "waiting"
[[graph.transitions]]
from = "waiting"
to = "left"
dwell = {dwell}
"#
    )
}

/// Fraction still waiting at each record time = survival of the law.
fn check_against_survival(dwell: &str, law: DwellLaw, record_times_h: &[f64]) {
    let times = format!("{record_times_h:?}");
    let scenario = load_text(&two_state(dwell, &times), &[]);
    let results = simulate(&scenario, 2, 4_096);
    let expected: Vec<Vec<f64>> = record_times_h
        .iter()
        .map(|&t| {
            let waiting = law.survival(t);
            vec![waiting, 1.0 - waiting]
        })
        .collect();
    let failures = exact_rule_failures(tally(&results), &expected, &results.locations);
    assert!(failures.is_empty(), "{dwell}:\n{}", failures.join("\n"));
}

#[test]
fn gamma_dwell_follows_its_distribution_function() {
    check_against_survival(
        r#"{ law = "gamma", mean_h = 20.0, shape = 3.0 }"#,
        DwellLaw::gamma(20.0, 3.0).unwrap(),
        &[1.0, 5.0, 10.0, 20.0, 40.0, 80.0],
    );
}

#[test]
fn weibull_dwell_follows_its_distribution_function() {
    check_against_survival(
        r#"{ law = "weibull", scale_h = 8.0, shape = 0.7 }"#,
        DwellLaw::weibull(8.0, 0.7).unwrap(),
        &[0.1, 1.0, 4.0, 8.0, 30.0, 100.0],
    );
}

#[test]
fn lognormal_dwell_follows_its_distribution_function() {
    check_against_survival(
        r#"{ law = "lognormal", median_h = 12.0, sigma = 0.9 }"#,
        DwellLaw::lognormal(12.0, 0.9).unwrap(),
        &[1.0, 4.0, 12.0, 24.0, 72.0],
    );
}

#[test]
fn exponential_dwell_by_mean_follows_its_distribution_function() {
    check_against_survival(
        r#"{ law = "exponential", mean_h = 3.0 }"#,
        DwellLaw::exponential_mean(3.0).unwrap(),
        &[0.5, 3.0, 9.0],
    );
}

/// A fixed delay is deterministic: every cell waits until exactly 6 h, and at
/// 6 h itself it has left (a cell is counted where it is just after a jump).
#[test]
fn fixed_dwell_moves_every_cell_at_exactly_its_time() {
    let scenario = load_text(
        &two_state(r#"{ law = "fixed", time_h = 6.0 }"#, "[5.999, 6.0, 7.0]"),
        &[],
    );
    let results = simulate(&scenario, 2, 4_096);
    let t = tally(&results);
    let waiting: Vec<u64> = (0..3).map(|r| t.cells_at(r, 0)).collect();
    assert_eq!(waiting, vec![CELLS, 0, 0]);
    check_against_survival(
        r#"{ law = "fixed", time_h = 6.0 }"#,
        DwellLaw::fixed(6.0).unwrap(),
        &[5.999, 6.0, 7.0],
    );
}

/// Race: an Erlang(k = 3, β = 2 /h) exit (gamma, mean 1.5 h, shape 3) against
/// an exponential exit at λ = 1 /h. The Erlang exit wins with probability
/// (β/(β+λ))^k = (2/3)^3 = 8/27. By 200 h every cell has left (the chance that
/// one has not is < e^-200).
#[test]
fn an_erlang_exit_beats_an_exponential_exit_with_the_closed_form_probability() {
    let text = format!(
        r#"
name = "race"
[run]
cells = {CELLS}
seed = 5
record_times_h = [200.0]
[graph]
states = ["start", "erlang_won", "exponential_won"]
start = "start"
[[graph.transitions]]
from = "start"
to = "erlang_won"
dwell = {{ law = "gamma", mean_h = 1.5, shape = 3.0 }}
[[graph.transitions]]
from = "start"
to = "exponential_won"
rate_per_h = 1.0
"#
    );
    let scenario = load_text(&text, &[]);
    let results = simulate(&scenario, 2, 4_096);
    let erlang_wins = (2.0f64 / 3.0).powi(3);
    let expected = vec![vec![0.0, erlang_wins, 1.0 - erlang_wins]];
    let failures = exact_rule_failures(tally(&results), &expected, &results.locations);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
