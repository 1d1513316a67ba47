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
    /// Print every preset value with its unit, source and status.
    Presets(PresetsArgs),
    /// Print a capillary bed's arrest function against cell diameter (CSV).
    Filter(FilterArgs),
    /// Redraw the plots of a finished physiological run from its folder (no re-simulation).
    Plot(PlotArgs),
    /// Difference between arms per organ and time with its standard error:
    /// the arms of one run (paired), or the arms of two runs (conservative).
    Compare(CompareArgs),
    /// Run the validation scenarios and compare the model, through each
    /// assay's observation model, with the published rows they name.
    Validate(ValidateArgs),
    /// Fit named parameters to published rows (a config in scenarios/fits/).
    Fit(FitArgs),
}

/// Options of `biodist fit`.
#[derive(Debug, Args)]
pub struct FitArgs {
    /// Fit config (TOML).
    pub config: PathBuf,
    /// Output folder [default: output/fits/<name>/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Output format of `biodist validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ValidateFormat {
    /// A table and a summary line.
    Table,
    /// The Markdown table only (the README's).
    Md,
    /// validation.csv on stdout.
    Csv,
}

/// Options of `biodist validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Folder of validation scenarios.
    #[arg(default_value = "scenarios/validation")]
    pub dir: PathBuf,
    /// Simulated cells per arm for every scenario (same as --set run.cells=N).
    #[arg(long, value_name = "N")]
    pub cells: Option<String>,
    /// Seed for every scenario.
    #[arg(long, value_name = "S")]
    pub seed: Option<String>,
    /// Output format on stdout.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ValidateFormat,
    /// Output folder [default: output/validation/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Options of `biodist compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// One run folder (compare its arms, paired by common random numbers) or
    /// two (compare each arm of the first with the arm of the same name in
    /// the second, conservatively).
    #[arg(num_args = 1..=2, required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
    /// The two arms to compare, as A,B [default: every pair of arms of one
    /// run; the same-named arms of two runs].
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    pub arms: Option<Vec<String>>,
    /// Output folder [default: output/compare_<run>[_vs_<run>]/].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Replace the output folder if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Options of `biodist plot`.
#[derive(Debug, Args)]
pub struct PlotArgs {
    /// A run folder written by `biodist run` (holding counts.csv and plot_inputs.json).
    pub dir: PathBuf,
}

/// Output format of `biodist presets`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PresetsFormat {
    /// A Markdown table (docs/presets.md is this output).
    Md,
    /// CSV: preset,key,value,unit,status,low,high,scale,time_scaling,source.
    Csv,
}

/// Options of `biodist presets`.
#[derive(Debug, Args)]
pub struct PresetsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: PresetsFormat,
}

/// A bed for `biodist filter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BedArg {
    /// The lung (first pass of every IV cell).
    Lung,
    /// Any systemic bed (muscle, kidney, knee synovium and bone, …).
    Systemic,
    /// The liver sinusoids.
    Liver,
}

/// Options of `biodist filter`.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Body preset: human, mouse or rat.
    #[arg(long)]
    pub body: String,
    /// Capillary bed.
    #[arg(long, value_enum)]
    pub bed: BedArg,
    /// Cell preset (its squeeze ratio and adhesion are used; the diameter is the row's).
    #[arg(long)]
    pub cell: String,
    /// Interventions to apply (repeatable): vasodilator, heparin, anti_cd49d,
    /// pronase_detachment, cryopreserved, patent_foramen_ovale.
    #[arg(long = "intervention", value_name = "NAME")]
    pub interventions: Vec<String>,
    /// Smallest diameter (µm).
    #[arg(long, default_value_t = 1.0)]
    pub from_um: f64,
    /// Largest diameter (µm).
    #[arg(long, default_value_t = 40.0)]
    pub to_um: f64,
    /// Step (µm).
    #[arg(long, default_value_t = 1.0)]
    pub step_um: f64,
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
    /// Also simulate K parameter sets drawn jointly from the documented
    /// ranges of the provisional parameters and the fit regions of the fitted ones (physiological scenarios), for a
    /// parameter-uncertainty band: 5–95 % over the sets.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(2..=10000))]
    pub uncertainty: Option<u32>,
    /// Simulated cells per parameter set (1000000 or 1e6) [default: the run's cells].
    #[arg(long, value_name = "N", requires = "uncertainty", value_parser = cell_count)]
    pub uncertainty_cells: Option<u64>,
    /// Cells per batch (results do not depend on it; for tests).
    #[arg(long, hide = true, value_name = "B", value_parser = clap::value_parser!(u64).range(1..))]
    pub batch_cells: Option<u64>,
}

/// A whole number of cells ≥ 1, written `1000000` or `1e6`.
fn cell_count(text: &str) -> Result<u64, String> {
    let expected =
        || format!("expected a whole number of cells ≥ 1 (1000000 or 1e6), found {text:?}");
    if let Ok(n) = text.parse::<u64>() {
        return if n >= 1 { Ok(n) } else { Err(expected()) };
    }
    match text.parse::<f64>() {
        Ok(x) if (1.0..=1e15).contains(&x) && x.fract() == 0.0 => Ok(x as u64),
        _ => Err(expected()),
    }
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
