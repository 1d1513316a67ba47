//! Calibration (`biodist fit CONFIG`): named parameters fitted to chosen
//! published rows, through the same scenarios, observation models and
//! verdict rules as `biodist validate`.
//!
//! **Loss**: the sum over the chosen rows of the squared residuals of
//! [`crate::validate::verdict::Outcome`] — for values and fold changes the
//! log-ratio to the measured value in units of the row's own log-scale
//! spread (from its SD, as a log-normal's; for a ratio of two rows, theirs
//! in quadrature), or of the rule's tolerance where the row gives no SD (a
//! factor 2 for values, half-lives, times of peak and durations, 1.5 for fold
//! changes); for ranges a hinge in units of half the range's log-width; for
//! bounds and flags a hinge in units of ln 2 (0 where the rule holds, the
//! log-distance to holding it where it does not).
//! **Optimiser**: Nelder–Mead (argmin), on ln(value) for log-scale
//! parameters and on the value itself for linear ones, kept inside the
//! stated range by a penalty. **Common random numbers**: every evaluation
//! runs the same cells from the same seed, so the loss is a smooth
//! function of the parameters and Monte Carlo noise does not steer the
//! optimiser. **Profile**: the loss along each parameter over its range,
//! the others at the optimum; the **fit region** of a parameter is where
//! its profile is within `region_delta_loss` (default 2) of the minimum,
//! and a parameter is *identified* when that region stays inside the
//! range on both sides.

use std::path::{Path, PathBuf};

use argmin::core::{CostFunction, Executor, State};
use argmin::solver::neldermead::NelderMead;
use serde::Deserialize;

use crate::error::Error;
use crate::model::Scale;
use crate::run::DEFAULT_BATCH_CELLS;
use crate::scenario::{self, AnyScenario};
use crate::validate::measurements::Measurement;
use crate::validate::verdict::evaluate;

/// A fitted parameter as the config gives it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FitParameter {
    /// Parameter key (`fate.lung.death_mean_h`).
    pub key: String,
    /// Lowest value allowed.
    pub low: f64,
    /// Highest value allowed.
    pub high: f64,
    /// `linear` or `log` (default log).
    #[serde(default = "log_scale")]
    pub scale: String,
    /// Where the optimiser starts (default: the middle of the range).
    #[serde(default)]
    pub start: Option<f64>,
}

fn log_scale() -> String {
    "log".to_string()
}

impl FitParameter {
    fn scale(&self) -> Scale {
        if self.scale == "linear" {
            Scale::Linear
        } else {
            Scale::Log
        }
    }

    fn to_coordinate(&self, value: f64) -> f64 {
        match self.scale() {
            Scale::Log => value.max(1e-300).ln(),
            Scale::Linear => value,
        }
    }

    fn to_value(&self, coordinate: f64) -> f64 {
        match self.scale() {
            Scale::Log => coordinate.exp(),
            Scale::Linear => coordinate,
        }
    }

    /// Where the optimiser starts: `start`, or the middle of the range.
    pub fn start_value(&self) -> f64 {
        self.start.unwrap_or(match self.scale() {
            Scale::Log => (self.low * self.high).sqrt(),
            Scale::Linear => 0.5 * (self.low + self.high),
        })
    }
}

/// A fit config (`scenarios/fits/*.toml`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FitConfig {
    /// Name (the output folder `output/fits/<name>/`).
    pub name: String,
    /// One line for humans.
    #[serde(default)]
    pub description: String,
    /// Validation scenarios, relative to the config file.
    pub scenarios: Vec<String>,
    /// The rows fitted (`<dataset_id>#<n>`); each scenario's entries for
    /// other rows are ignored.
    pub rows: Vec<String>,
    /// Simulated cells per arm in every evaluation.
    #[serde(default = "default_cells")]
    pub cells: u64,
    /// Seed (common random numbers).
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Most optimiser iterations.
    #[serde(default = "default_iterations")]
    pub max_iterations: u64,
    /// Loss increase that bounds the fit region.
    #[serde(default = "default_delta")]
    pub region_delta_loss: f64,
    /// Points per profile.
    #[serde(default = "default_profile_points")]
    pub profile_points: usize,
    /// The parameters.
    pub parameters: Vec<FitParameter>,
}

fn default_cells() -> u64 {
    50_000
}
fn default_seed() -> u64 {
    1
}
fn default_iterations() -> u64 {
    120
}
fn default_delta() -> f64 {
    2.0
}
fn default_profile_points() -> usize {
    9
}

/// One row's part of the loss.
#[derive(Debug, Clone, PartialEq)]
pub struct RowResidual {
    /// Row id.
    pub row: String,
    /// Model value.
    pub model: f64,
    /// Residual.
    pub residual: f64,
    /// Verdict.
    pub agrees: bool,
}

/// The problem: scenarios, rows, measurements and parameters.
#[derive(Debug, Clone)]
pub struct Problem {
    /// Scenario files.
    pub scenarios: Vec<PathBuf>,
    /// Rows fitted.
    pub rows: Vec<String>,
    /// The measured rows (the shipped table, or synthetic ones in tests).
    pub measurements: Vec<Measurement>,
    /// Fitted parameters.
    pub parameters: Vec<FitParameter>,
    /// Cells per arm.
    pub cells: u64,
    /// Seed.
    pub seed: u64,
}

impl Problem {
    /// Loss and per-row residuals at parameter `values`.
    pub fn loss(&self, values: &[f64]) -> Result<(f64, Vec<RowResidual>), Error> {
        let mut assignments = vec![
            format!("run.cells={}", self.cells),
            format!("run.seed={}", self.seed),
        ];
        for (p, v) in self.parameters.iter().zip(values) {
            assignments.push(format!("parameters.{}={v:?}", p.key));
        }
        // Every scenario is run (an entry may compare with another one);
        // then the fitted rows are evaluated.
        let mut runs = Vec::new();
        for path in &self.scenarios {
            let AnyScenario::Body(scenario) = scenario::load_any(path, &assignments)? else {
                return Err(Error::WrongForm {
                    path: path.clone(),
                    expected: "a physiological validation scenario",
                    found: "a graph scenario",
                });
            };
            let (results, _) =
                crate::commands::simulate_body(&scenario, None, DEFAULT_BATCH_CELLS, &|_| {})?;
            runs.push((path, scenario, results));
        }
        let others = |name: &str| {
            runs.iter()
                .find(|(_, s, _)| s.name() == name)
                .map(|(_, _, r)| r)
        };
        let mut residuals = Vec::new();
        for (path, scenario, results) in &runs {
            let entries = scenario
                .resolved
                .validation
                .iter()
                .filter(|e| self.rows.contains(&e.row));
            for entry in entries {
                let find = |id: &str| self.measurements.iter().find(|m| m.id == id).cloned();
                let Some((row, high)) = crate::validate::measured_rows(entry, find) else {
                    continue;
                };
                let outcome =
                    evaluate(entry, &row, high.as_ref(), results, &others).map_err(|message| {
                        Error::Model {
                            path: (*path).clone(),
                            message: format!("{}: {message}", entry.row),
                        }
                    })?;
                residuals.push(RowResidual {
                    row: entry.row.clone(),
                    model: outcome.model,
                    residual: outcome.residual,
                    agrees: outcome.agrees,
                });
            }
        }
        let loss = residuals.iter().map(|r| r.residual * r.residual).sum();
        Ok((loss, residuals))
    }
}

struct Cost<'a> {
    problem: &'a Problem,
}

impl CostFunction for Cost<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, coordinates: &Self::Param) -> Result<f64, argmin::core::Error> {
        // Outside the range: the loss at the nearest edge plus a penalty.
        let mut penalty = 0.0;
        let values: Vec<f64> = self
            .problem
            .parameters
            .iter()
            .zip(coordinates)
            .map(|(p, &c)| {
                let (low, high) = (p.to_coordinate(p.low), p.to_coordinate(p.high));
                let inside = c.clamp(low, high);
                penalty += 100.0 * (c - inside).powi(2);
                p.to_value(inside)
            })
            .collect();
        let (loss, _) = self
            .problem
            .loss(&values)
            .map_err(|e| argmin::core::Error::msg(e.to_string()))?;
        Ok(loss + penalty)
    }
}

/// A fit's outcome.
#[derive(Debug, Clone)]
pub struct Fitted {
    /// Fitted values, per parameter.
    pub values: Vec<f64>,
    /// Loss at the start and at the optimum.
    pub start_loss: f64,
    /// Loss at the optimum.
    pub loss: f64,
    /// Residuals at the optimum.
    pub residuals: Vec<RowResidual>,
    /// Per parameter: (value, loss) along its profile.
    pub profiles: Vec<Vec<(f64, f64)>>,
    /// Per parameter: the fit region (low, high) and whether it is inside
    /// the range on both sides (identified).
    pub regions: Vec<(f64, f64, bool)>,
    /// Optimiser iterations.
    pub iterations: u64,
}

/// Fits `problem` (Nelder–Mead from the parameters' starts), then profiles.
pub fn fit(
    problem: &Problem,
    max_iterations: u64,
    profile_points: usize,
    delta: f64,
) -> Result<Fitted, Error> {
    let start: Vec<f64> = problem
        .parameters
        .iter()
        .map(|p| p.to_coordinate(p.start_value()))
        .collect();
    let start_values: Vec<f64> = problem.parameters.iter().map(|p| p.start_value()).collect();
    let (start_loss, start_residuals) = problem.loss(&start_values)?;
    // Every row must be compared by some scenario of the config.
    if let Some(missing) = problem
        .rows
        .iter()
        .find(|row| !start_residuals.iter().any(|r| &r.row == *row))
    {
        return Err(Error::Usage {
            key: "rows".to_string(),
            expected: "rows that a [[validation]] entry of the config's scenarios compares"
                .to_string(),
            found: format!("{missing:?}, which none of them does"),
        });
    }
    // Initial simplex: the start and one step of a fifth of each range.
    let mut simplex = vec![start.clone()];
    for (i, p) in problem.parameters.iter().enumerate() {
        let mut vertex = start.clone();
        let span = p.to_coordinate(p.high) - p.to_coordinate(p.low);
        vertex[i] += 0.2 * span;
        simplex.push(vertex);
    }
    let fail = |e: argmin::core::Error| Error::Usage {
        key: "fit".to_string(),
        expected: "an optimisation that runs".to_string(),
        found: e.to_string(),
    };
    let solver = NelderMead::new(simplex)
        .with_sd_tolerance(1e-6)
        .map_err(fail)?;
    let result = Executor::new(Cost { problem }, solver)
        .configure(|state| state.max_iters(max_iterations))
        .run()
        .map_err(fail)?;
    let best = result.state().get_best_param().cloned().unwrap_or(start);
    let iterations = result.state().get_iter();
    let values: Vec<f64> = problem
        .parameters
        .iter()
        .zip(&best)
        .map(|(p, &c)| p.to_value(c.clamp(p.to_coordinate(p.low), p.to_coordinate(p.high))))
        .collect();
    let (loss, residuals) = problem.loss(&values)?;
    let mut profiles = Vec::new();
    let mut regions = Vec::new();
    for (i, p) in problem.parameters.iter().enumerate() {
        let (low, high) = (p.to_coordinate(p.low), p.to_coordinate(p.high));
        let mut profile = Vec::new();
        for k in 0..profile_points.max(2) {
            let c = low + (high - low) * k as f64 / (profile_points.max(2) - 1) as f64;
            let mut at = values.clone();
            at[i] = p.to_value(c);
            profile.push((at[i], problem.loss(&at)?.0));
        }
        let floor = profile.iter().map(|q| q.1).fold(loss, f64::min);
        let within: Vec<f64> = profile
            .iter()
            .filter(|q| q.1 <= floor + delta)
            .map(|q| q.0)
            .collect();
        let region_low = within.iter().copied().fold(values[i], f64::min);
        let region_high = within.iter().copied().fold(values[i], f64::max);
        let ends_out = profile.first().is_some_and(|q| q.1 > floor + delta)
            && profile.last().is_some_and(|q| q.1 > floor + delta);
        regions.push((region_low, region_high, ends_out));
        profiles.push(profile);
    }
    Ok(Fitted {
        values,
        start_loss,
        loss,
        residuals,
        profiles,
        regions,
        iterations,
    })
}

/// Reads a fit config.
pub fn read_config(path: &Path) -> Result<FitConfig, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Usage {
        key: path.display().to_string(),
        expected: "a fit config (TOML)".to_string(),
        found: e.to_string(),
    })?;
    let deserializer = toml::Deserializer::parse(&text).map_err(|e| Error::Usage {
        key: path.display().to_string(),
        expected: "valid TOML".to_string(),
        found: e.to_string(),
    })?;
    let config: FitConfig =
        serde_path_to_error::deserialize(deserializer).map_err(|e| Error::Usage {
            key: format!("{}: {}", path.display(), e.path()),
            expected: "a fit config field (name, scenarios, rows, cells, seed, max_iterations, region_delta_loss, profile_points, [[parameters]] key/low/high/scale/start)".to_string(),
            found: e.inner().message().to_string(),
        })?;
    check_config(&config).map_err(|(key, expected, found)| Error::Usage {
        key: format!("{}: {key}", path.display()),
        expected,
        found,
    })?;
    Ok(config)
}

/// The checks serde cannot make: (key, expected, found) of the first
/// problem.
fn check_config(config: &FitConfig) -> Result<(), (String, String, String)> {
    let problem = |key: &str, expected: &str, found: String| {
        Err((key.to_string(), expected.to_string(), found))
    };
    if config.scenarios.is_empty() {
        return problem(
            "scenarios",
            "at least one validation scenario",
            "none".into(),
        );
    }
    if config.rows.is_empty() {
        return problem("rows", "at least one row to fit", "none".into());
    }
    if config.parameters.is_empty() {
        return problem(
            "parameters",
            "at least one [[parameters]] table",
            "none".into(),
        );
    }
    if config.cells == 0 {
        return problem("cells", "at least 1", "0".into());
    }
    if !(config.region_delta_loss > 0.0 && config.region_delta_loss.is_finite()) {
        return problem(
            "region_delta_loss",
            "a number > 0",
            config.region_delta_loss.to_string(),
        );
    }
    for (i, p) in config.parameters.iter().enumerate() {
        let key = |field: &str| format!("parameters[{i}].{field}");
        if p.scale != "log" && p.scale != "linear" {
            return problem(&key("scale"), "log or linear", format!("{:?}", p.scale));
        }
        if !(p.low.is_finite() && p.high.is_finite() && p.low < p.high) {
            return problem(
                &key("high"),
                "a finite range with low < high",
                format!("low {} and high {}", p.low, p.high),
            );
        }
        if p.scale == "log" && p.low <= 0.0 {
            return problem(
                &key("low"),
                "a value > 0 on a log scale (or scale = \"linear\")",
                p.low.to_string(),
            );
        }
        if let Some(start) = p.start
            && !(start >= p.low && start <= p.high)
        {
            return problem(
                &key("start"),
                &format!("a value in {}–{}", p.low, p.high),
                start.to_string(),
            );
        }
    }
    Ok(())
}
