//! Scenario files: read the TOML, apply `--set` overrides, check everything,
//! and hand the engine a validated model.
//!
//! Flow: text → TOML table (syntax errors with line and column) → overrides →
//! [`written::ScenarioFile`] (serde, unknown keys rejected, key paths kept for
//! messages) → [`validate::check`] (every model rule, all problems at once).

pub mod body;
pub mod error;
pub mod overrides;
pub mod validate;
pub mod written;

use std::path::{Path, PathBuf};

use toml::{Table, Value};

pub use error::{Problem, ScenarioError};
pub use overrides::Override;
pub use validate::CheckedGraph;

pub use written::ScenarioFile;

/// A loaded, checked scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file it came from.
    pub path: PathBuf,
    /// The file's full text as read.
    pub text: String,
    /// The `--set` assignments applied, in order.
    pub overrides: Vec<String>,
    /// The resolved scenario (file plus overrides).
    pub resolved: ScenarioFile,
    /// The compiled graph and its state names.
    pub checked: CheckedGraph,
}

impl Scenario {
    /// The scenario's name.
    pub fn name(&self) -> &str {
        &self.resolved.name
    }

    /// Simulated cells.
    pub fn cells(&self) -> u64 {
        self.resolved.run.cells.0
    }

    /// The run's seed.
    pub fn seed(&self) -> u64 {
        self.resolved.run.seed
    }

    /// Record times (h).
    pub fn record_times_h(&self) -> &[f64] {
        &self.resolved.run.record_times_h
    }

    /// The first transition whose law is not exponential: its key and law name.
    pub fn first_non_exponential(&self) -> Option<(&str, &'static str)> {
        self.checked
            .laws
            .iter()
            .find(|(_, law)| law.exponential_rate_per_h().is_none())
            .map(|(key, law)| (key.as_str(), law.name()))
    }
}

/// A loaded, checked physiological scenario.
pub struct BodyScenario {
    /// The file it came from.
    pub path: PathBuf,
    /// The file's full text as read.
    pub text: String,
    /// The `--set` assignments applied, in order.
    pub overrides: Vec<String>,
    /// The resolved scenario (file plus overrides).
    pub resolved: body::BodyScenarioFile,
    /// Parameters and compiled arms.
    pub checked: body::CheckedBody,
}

impl BodyScenario {
    /// The scenario's name.
    pub fn name(&self) -> &str {
        &self.resolved.name
    }

    /// Simulated cells per arm.
    pub fn cells(&self) -> u64 {
        self.resolved.run.cells.0
    }

    /// The run's seed.
    pub fn seed(&self) -> u64 {
        self.resolved.run.seed
    }

    /// Record times (h).
    pub fn record_times_h(&self) -> &[f64] {
        &self.resolved.run.record_times_h
    }
}

/// Either form of scenario.
pub enum AnyScenario {
    /// A compartment graph (`[graph]`).
    Graph(Box<Scenario>),
    /// A body with arms (`[body]`).
    Body(Box<BodyScenario>),
}

/// Reads, overrides and checks the scenario at `path`, whichever its form:
/// a file with `[body]` is physiological, any other a graph.
pub fn load_any(path: &Path, assignments: &[String]) -> Result<AnyScenario, ScenarioError> {
    let (text, table, overrides) = read_with_overrides(path, assignments)?;
    if !table.contains_key("body") {
        return load_graph(path, text, table, overrides).map(|s| AnyScenario::Graph(Box::new(s)));
    }
    let resolved: body::BodyScenarioFile = deserialize(path, table, &overrides)?;
    let checked = body::check(&resolved).map_err(|problems| ScenarioError::Invalid {
        path: path.to_path_buf(),
        problems: problems
            .into_iter()
            .map(|p| attribute_to_override(p, &overrides))
            .collect(),
    })?;
    Ok(AnyScenario::Body(Box::new(BodyScenario {
        path: path.to_path_buf(),
        text,
        overrides: overrides.into_iter().map(|o| o.assignment).collect(),
        resolved,
        checked,
    })))
}

fn read_with_overrides(
    path: &Path,
    assignments: &[String],
) -> Result<(String, Table, Vec<Override>), ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut table = parse_toml(path, &text)?;
    let mut overrides = Vec::new();
    for assignment in assignments {
        let override_error = |message| ScenarioError::Override {
            path: path.to_path_buf(),
            assignment: assignment.clone(),
            message,
        };
        let parsed = Override::parse(assignment).map_err(override_error)?;
        parsed.apply(&mut table).map_err(override_error)?;
        overrides.push(parsed);
    }
    Ok((text, table, overrides))
}

/// Reads, overrides and checks the graph scenario at `path`.
pub fn load(path: &Path, assignments: &[String]) -> Result<Scenario, ScenarioError> {
    let (text, table, overrides) = read_with_overrides(path, assignments)?;
    load_graph(path, text, table, overrides)
}

fn load_graph(
    path: &Path,
    text: String,
    table: Table,
    overrides: Vec<Override>,
) -> Result<Scenario, ScenarioError> {
    let resolved: ScenarioFile = deserialize(path, table, &overrides)?;
    let checked = validate::check(&resolved).map_err(|problems| ScenarioError::Invalid {
        path: path.to_path_buf(),
        problems: problems
            .into_iter()
            .map(|p| attribute_to_override(p, &overrides))
            .collect(),
    })?;
    Ok(Scenario {
        path: path.to_path_buf(),
        text,
        overrides: overrides.into_iter().map(|o| o.assignment).collect(),
        resolved,
        checked,
    })
}

/// Notes which `--set` put a value there, when one did.
fn attribute_to_override(mut problem: Problem, overrides: &[Override]) -> Problem {
    if let Some(o) = overrides
        .iter()
        .rev()
        .find(|o| set_by(&problem.key, &o.key))
    {
        problem.found = format!("{} (set by --set {})", problem.found, o.assignment);
    }
    problem
}

/// Whether the value at `key` lies at or under the override path `set_key`.
fn set_by(key: &str, set_key: &str) -> bool {
    key == set_key
        || key
            .strip_prefix(set_key)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

fn parse_toml(path: &Path, text: &str) -> Result<Table, ScenarioError> {
    text.parse::<Table>().map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0).min(text.len());
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ScenarioError::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })
}

fn deserialize<T: serde::de::DeserializeOwned>(
    path: &Path,
    table: Table,
    overrides: &[Override],
) -> Result<T, ScenarioError> {
    serde_path_to_error::deserialize(Value::Table(table)).map_err(|e| {
        let key = e.path().to_string();
        let key = if key == "." { String::new() } else { key };
        let via = overrides
            .iter()
            .rev()
            .find(|o| !key.is_empty() && set_by(&key, &o.key))
            .map(|o| o.assignment.clone());
        ScenarioError::Field {
            path: path.to_path_buf(),
            key: if key.is_empty() {
                "(top level)".to_string()
            } else {
                key
            },
            message: e.into_inner().message().trim().to_string(),
            via,
        }
    })
}
