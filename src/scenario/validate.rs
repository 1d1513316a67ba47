//! Checks a scenario as written and compiles it into the engine's graph.
//!
//! Every problem is collected before any is reported, so one run of the
//! checker lists everything a user must fix.

use std::collections::BTreeMap;

use super::error::Problem;
use super::written::{DwellSpec, ScenarioFile, TransitionSpec};
use crate::engine::tally::{MAX_RECORD_TIME_H, hours_to_ticks};
use crate::engine::{DwellLaw, Exit, Graph, GraphError, LawError};

/// A checked graph scenario, ready for the engine.
#[derive(Debug, Clone)]
pub struct CheckedGraph {
    /// State names, in the order of `graph.states` (output rows follow it).
    pub state_names: Vec<String>,
    /// The compiled graph.
    pub graph: Graph,
    /// Each transition's law, in file order, with its key (for `expect` messages).
    pub laws: Vec<(String, DwellLaw)>,
}

/// Checks everything and returns the compiled graph, or every problem found.
pub fn check(file: &ScenarioFile) -> Result<CheckedGraph, Vec<Problem>> {
    let mut problems = Vec::new();
    check_name(&file.name, &mut problems);
    check_record_times(&file.run.record_times_h, &mut problems);
    let index = check_states(&file.graph.states, &mut problems);
    let start = state_index(&index, &file.graph.start, "graph.start", &mut problems);
    let mut exits = Vec::new();
    let mut laws = Vec::new();
    for (i, transition) in file.graph.transitions.iter().enumerate() {
        let key = format!("graph.transitions[{i}]");
        let from = state_index(
            &index,
            &transition.from,
            &format!("{key}.from"),
            &mut problems,
        );
        let to = state_index(&index, &transition.to, &format!("{key}.to"), &mut problems);
        let law = transition_law(transition, &key, &mut problems);
        if let (Some(from), Some(to), Some(law)) = (from, to, law) {
            laws.push((key, law.clone()));
            exits.push(Exit { from, to, law });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let start = start.unwrap_or(0); // infallible: a missing start was reported above
    match Graph::new(file.graph.states.len(), start, exits) {
        Ok(graph) => Ok(CheckedGraph {
            state_names: file.graph.states.clone(),
            graph,
            laws,
        }),
        Err(GraphError::ZeroTimeCycle(cycle)) => {
            let names: Vec<&str> = cycle
                .iter()
                .map(|&s| file.graph.states[s].as_str())
                .collect();
            Err(vec![Problem::new(
                "graph.transitions",
                "no cycle of zero-time transitions (law \"fixed\" with time_h = 0), in which a cell would jump forever at one instant",
                names.join(" -> "),
            )])
        }
        Err(GraphError::StateOutOfRange { index, states }) => Err(vec![Problem::new(
            "graph",
            format!("state indices below {states}"),
            index.to_string(),
        )]),
    }
}

pub(crate) fn check_name(name: &str, problems: &mut Vec<Problem>) {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    if name.is_empty() || name.starts_with('.') || !name.chars().all(allowed) {
        problems.push(Problem::new(
            "name",
            "a non-empty name of letters, digits, '_', '-' or '.' not starting with '.' (it names the output folder)",
            format!("\"{name}\""),
        ));
    }
}

pub(crate) fn check_record_times(times_h: &[f64], problems: &mut Vec<Problem>) {
    if times_h.is_empty() {
        problems.push(Problem::new(
            "run.record_times_h",
            "at least one record time (h)",
            "an empty list",
        ));
    }
    for (i, &time_h) in times_h.iter().enumerate() {
        let key = format!("run.record_times_h[{i}]");
        if !(0.0..=MAX_RECORD_TIME_H).contains(&time_h) {
            problems.push(Problem::new(
                key,
                format!("a time from 0 to {MAX_RECORD_TIME_H:e} h"),
                format!("{time_h:?}"),
            ));
        } else if i > 0 && (0.0..=MAX_RECORD_TIME_H).contains(&times_h[i - 1]) {
            let previous_h = times_h[i - 1];
            if time_h <= previous_h || hours_to_ticks(time_h) <= hours_to_ticks(previous_h) {
                problems.push(Problem::new(
                    key,
                    format!(
                        "a time later than the one before it ({previous_h:?} h) by at least 1e-9 h"
                    ),
                    format!("{time_h:?}"),
                ));
            }
        }
    }
}

fn check_states(states: &[String], problems: &mut Vec<Problem>) -> BTreeMap<String, usize> {
    let mut index = BTreeMap::new();
    if states.is_empty() {
        problems.push(Problem::new(
            "graph.states",
            "at least one state",
            "an empty list",
        ));
    }
    for (i, state) in states.iter().enumerate() {
        let key = format!("graph.states[{i}]");
        if state.trim().is_empty() {
            problems.push(Problem::new(
                key,
                "a non-empty state name",
                format!("\"{state}\""),
            ));
        } else if let Some(first) = index.get(state) {
            problems.push(Problem::new(
                key,
                "each state listed once",
                format!("\"{state}\" again (first at graph.states[{first}])"),
            ));
        } else {
            index.insert(state.clone(), i);
        }
    }
    index
}

fn state_index(
    index: &BTreeMap<String, usize>,
    name: &str,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Option<usize> {
    let found = index.get(name).copied();
    if found.is_none() {
        problems.push(Problem::new(
            key,
            "a state listed in graph.states",
            format!("\"{name}\""),
        ));
    }
    found
}

fn transition_law(
    transition: &TransitionSpec,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Option<DwellLaw> {
    let built = match (&transition.rate_per_h, &transition.dwell) {
        (Some(rate), None) => {
            DwellLaw::exponential_rate(*rate).map_err(|e| (format!("{key}.rate_per_h"), e))
        }
        (None, Some(dwell)) => {
            dwell_law(dwell).map_err(|e| (format!("{key}.dwell.{}", e.parameter), e))
        }
        (rate, dwell) => {
            let found = if rate.is_some() { "both" } else { "neither" };
            debug_assert_eq!(rate.is_some(), dwell.is_some());
            problems.push(Problem::new(
                key,
                "exactly one of rate_per_h = r or dwell = { law = ..., ... }",
                found,
            ));
            return None;
        }
    };
    built
        .map_err(
            |(
                key,
                LawError {
                    expected, found, ..
                },
            )| {
                problems.push(Problem::new(key, expected, format!("{found:?}")));
            },
        )
        .ok()
}

fn dwell_law(dwell: &DwellSpec) -> Result<DwellLaw, LawError> {
    match *dwell {
        DwellSpec::Exponential { mean_h } => DwellLaw::exponential_mean(mean_h),
        DwellSpec::Gamma { mean_h, shape } => DwellLaw::gamma(mean_h, shape),
        DwellSpec::Weibull { scale_h, shape } => DwellLaw::weibull(scale_h, shape),
        DwellSpec::Lognormal { median_h, sigma } => DwellLaw::lognormal(median_h, sigma),
        DwellSpec::Fixed { time_h } => DwellLaw::fixed(time_h),
    }
}
