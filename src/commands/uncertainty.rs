//! `biodist run --uncertainty K`: the run's arms again under K parameter
//! sets (see [`crate::uncertainty`]), with the run's seed.

use super::body_results;
use crate::engine::RecordClock;
use crate::error::Error;
use crate::model::compile_arm;
use crate::results::{ArmResult, Results};
use crate::run;
use crate::scenario::BodyScenario;
use crate::uncertainty::{Varied, draw_sets, varied};

/// The parameter sets of a run and what each gave.
#[derive(Debug, Clone)]
pub struct SetRuns {
    /// The varied parameters.
    pub varied: Vec<Varied>,
    /// Their values, per set.
    pub sets: Vec<Vec<f64>>,
    /// Each set's results (no joint tallies).
    pub results: Vec<Results>,
}

/// Simulates every arm of `scenario` with `cells` cells under each of
/// `sets` parameter sets.
pub fn run_parameter_sets(
    scenario: &BodyScenario,
    sets: usize,
    cells: u64,
    threads: Option<usize>,
    batch_cells: u64,
    on_batch_done: &(dyn Fn(u64) + Sync),
) -> Result<SetRuns, Error> {
    let checked = &scenario.checked;
    let varied = varied(&checked.params);
    if varied.is_empty() {
        return Err(Error::Usage {
            key: "--uncertainty".to_string(),
            expected: format!(
                "provisional parameters with a documented range to vary in {}",
                scenario.path.display()
            ),
            found: "none (the scenario sets every one of them itself)".to_string(),
        });
    }
    let values = draw_sets(&varied, sets, scenario.seed());
    let clock = RecordClock::from_hours(scenario.record_times_h());
    let mut results = Vec::with_capacity(sets);
    for set in &values {
        let mut params = checked.params.clone();
        for (v, &value) in varied.iter().zip(set) {
            params.set(&v.key, value);
        }
        let compiled = checked
            .arms
            .iter()
            .map(|arm| compile_arm(&params, &checked.body, checked.host, arm))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::Model {
                path: scenario.path.clone(),
                message: format!("a parameter set of --uncertainty: {e}"),
            })?;
        let engines: Vec<run::ArmEngine> = compiled
            .iter()
            .map(|c| run::ArmEngine {
                body: &c.body,
                source: &c.source,
                scorer: None,
            })
            .collect();
        let (run::BodyRun { arms: tallies, .. }, _) = run::with_threads(threads, || {
            run::simulate_body_arms(
                &engines,
                &[],
                0,
                &clock,
                scenario.seed(),
                cells,
                batch_cells,
                on_batch_done,
            )
        })?;
        let arms = checked
            .arms
            .iter()
            .zip(tallies)
            .map(|(arm, (tally, rare))| ArmResult {
                arm: arm.name.clone(),
                route: arm.route.label(),
                dose_cells: arm.dose_cells,
                tally,
                rare: Some(rare),
                observed: None,
            })
            .collect();
        let Some(first) = compiled.first() else {
            continue;
        };
        results.push(body_results(
            scenario.record_times_h(),
            &first.rows,
            &first.body.rare_watched,
            arms,
            None,
        ));
    }
    Ok(SetRuns {
        varied,
        sets: values,
        results,
    })
}
