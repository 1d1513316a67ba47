//! `manifest.json` (what was run: version, scenario, resolved parameters, seed)
//! and `run_info.json` (where and how: command line, threads, wall time).
//!
//! The manifest depends only on the inputs, so two runs of one scenario and
//! seed have the same manifest on any machine; facts about the environment go
//! to `run_info.json`.

use serde::Serialize;

use crate::engine::tally::{HOURS_PER_TICK, TICK_NAME};
use crate::model::ParamSet;
use crate::scenario::{BodyScenario, Scenario};

/// How random streams are made (written into every manifest).
pub const RANDOM_STREAMS: &str = "Xoshiro256PlusPlus per cell, seeded through three SplitMix64 rounds of (seed, purpose, cell index)";

#[derive(Serialize)]
struct ScenarioSource<'a> {
    name: &'a str,
    description: &'a str,
    file: String,
    text: &'a str,
}

#[derive(Serialize)]
struct TimeUnit {
    name: &'static str,
    hours: f64,
}

/// One resolved model parameter as written into the manifest.
#[derive(Serialize)]
struct ParamRecord<'a> {
    key: &'a str,
    value: f64,
    unit: &'a str,
    status: &'a str,
    source: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    low: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    high: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scale: Option<&'a str>,
}

#[derive(Serialize)]
struct Manifest<'a, R: Serialize> {
    biodist_version: &'static str,
    command: &'a str,
    scenario: ScenarioSource<'a>,
    overrides: &'a [String],
    resolved: &'a R,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameters: Option<Vec<ParamRecord<'a>>>,
    seed: u64,
    cells: u64,
    exposure_time_unit: TimeUnit,
    random_streams: &'static str,
    files: &'a [&'a str],
}

fn param_records(params: &ParamSet) -> Vec<ParamRecord<'_>> {
    params
        .iter()
        .map(|p| ParamRecord {
            key: &p.key,
            value: p.value,
            unit: p.unit,
            status: p.status.label(),
            source: p.source,
            low: p.range.map(|r| r.low),
            high: p.range.map(|r| r.high),
            scale: p.range.map(|r| r.scale.label()),
        })
        .collect()
}

/// What a manifest says about its scenario, whichever the form.
struct ManifestInput<'a, R: Serialize> {
    name: &'a str,
    description: &'a str,
    path: &'a std::path::Path,
    text: &'a str,
    overrides: &'a [String],
    resolved: &'a R,
    parameters: Option<Vec<ParamRecord<'a>>>,
    seed: u64,
    cells: u64,
}

fn manifest<R: Serialize>(command: &str, input: ManifestInput<'_, R>, files: &[&str]) -> Vec<u8> {
    to_json(&Manifest {
        biodist_version: env!("CARGO_PKG_VERSION"),
        command,
        scenario: ScenarioSource {
            name: input.name,
            description: input.description,
            file: input.path.display().to_string(),
            text: input.text,
        },
        overrides: input.overrides,
        resolved: input.resolved,
        parameters: input.parameters,
        seed: input.seed,
        cells: input.cells,
        exposure_time_unit: TimeUnit {
            name: TICK_NAME,
            hours: HOURS_PER_TICK,
        },
        random_streams: RANDOM_STREAMS,
        files,
    })
}

/// Serializes the manifest of a `command` (`run` or `expect`) on `scenario`
/// that wrote `files`.
pub fn manifest_json(command: &str, scenario: &Scenario, files: &[&str]) -> Vec<u8> {
    let input = ManifestInput {
        name: scenario.name(),
        description: &scenario.resolved.description,
        path: &scenario.path,
        text: &scenario.text,
        overrides: &scenario.overrides,
        resolved: &scenario.resolved,
        parameters: None,
        seed: scenario.seed(),
        cells: scenario.cells(),
    };
    manifest(command, input, files)
}

/// Serializes the manifest of a physiological `scenario`, with every
/// resolved parameter, its unit, status, range and source.
pub fn body_manifest_json(command: &str, scenario: &BodyScenario, files: &[&str]) -> Vec<u8> {
    let input = ManifestInput {
        name: scenario.name(),
        description: &scenario.resolved.description,
        path: &scenario.path,
        text: &scenario.text,
        overrides: &scenario.overrides,
        resolved: &scenario.resolved,
        parameters: Some(param_records(&scenario.checked.params)),
        seed: scenario.seed(),
        cells: scenario.cells(),
    };
    manifest(command, input, files)
}

/// Facts about the machine and the run that must not enter the data files.
#[derive(Serialize)]
pub struct RunInfo {
    /// The command line as typed.
    pub command_line: Vec<String>,
    /// Worker threads used.
    pub threads: usize,
    /// Cells per batch.
    pub batch_cells: u64,
    /// Wall-clock time of the simulation (s).
    pub wall_time_s: f64,
    /// Transitions simulated (all arms).
    pub events: u64,
    /// Events per second of wall time.
    pub events_per_second: f64,
    /// Host name, where the system tells it.
    pub host: Option<String>,
}

/// Serializes `run_info.json`.
pub fn run_info_json(info: &RunInfo) -> Vec<u8> {
    to_json(info)
}

/// The host's name, from `/etc/hostname` or `$HOSTNAME`.
pub fn host_name() -> Option<String> {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
}

fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    // infallible: these types hold only strings, numbers and vectors
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
