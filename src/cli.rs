//! Command-line types (clap only; no logic).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// biodist: where do injected therapeutic cells go? A per-cell Monte Carlo
/// simulator of cell biodistribution.
#[derive(Debug, Parser)]
#[command(name = "biodist", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario and write counts.csv, exposure.csv, manifest.json and run_info.json.
    Run(RunArgs),
    /// Exact expected fractions of an all-exponential graph (expected.csv), for checks and teaching.
    Expect(CommonArgs),
}

/// Options shared by every command that reads a scenario and writes a folder.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Scenario file (TOML).
    pub file: PathBuf,
    /// Output folder [default: output/<name>/ for run, output/<name>_expected/ for expect].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
    /// Override one scenario value, checked like the file's own (repeatable),
    /// e.g. --set run.cells=5000 or --set graph.transitions[0].rate_per_h=40.
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub set: Vec<String>,
}

/// Options of `biodist run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario, output and overrides.
    #[command(flatten)]
    pub common: CommonArgs,
    /// Number of simulated cells (1000000 or 1e6); same as --set run.cells=N.
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub cells: Option<String>,
    /// Seed of the random streams; same as --set run.seed=S.
    #[arg(long, value_name = "S", allow_hyphen_values = true)]
    pub seed: Option<String>,
    /// Worker threads [default: one per core]; the results do not depend on it.
    #[arg(long, value_name = "T", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Cells per batch (results do not depend on it; for tests).
    #[arg(long, hide = true, value_name = "B", value_parser = clap::value_parser!(u64).range(1..))]
    pub batch_cells: Option<u64>,
}

impl RunArgs {
    /// The overrides to apply: every --set, then --cells and --seed.
    pub fn assignments(&self) -> Vec<String> {
        let mut all = self.common.set.clone();
        if let Some(cells) = &self.cells {
            all.push(format!("run.cells={cells}"));
        }
        if let Some(seed) = &self.seed {
            all.push(format!("run.seed={seed}"));
        }
        all
    }
}
