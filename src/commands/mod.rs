//! The commands: load and check a scenario, compute, write the folder, report.

mod compare;
pub use compare::compare;
mod fit;
mod uncertainty;
mod validate;
pub use fit::run_fit;
pub use validate::{compare_all as validation_rows, validate};

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::cli::{BedArg, CommonArgs, FilterArgs, PresetsArgs, PresetsFormat, RunArgs};
use crate::engine::RecordClock;
use crate::engine::pairs::PairTally;
use crate::error::Error;
use crate::expect::expected_fractions;
use crate::model::compile::Row;
use crate::model::groups::OrganGroups;
use crate::model::{Route, compile_arm};
use crate::output::provenance::{self, RunInfo};
use crate::output::{tables, write_folder};
use crate::plot::data::{FilterCurve, PlotInputs, parse_counts};
use crate::report;
use crate::results::{ArmResult, Results};
use crate::run::progress::CellProgress;
use crate::run::{self, DEFAULT_BATCH_CELLS};
use crate::scenario::{self, AnyScenario, BodyScenario, Scenario};

/// Route label of every arm of a graph scenario.
pub const GRAPH_ROUTE: &str = "graph";

fn out_dir(common: &CommonArgs, default_name: String) -> PathBuf {
    common
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(default_name))
}

/// Simulates one graph scenario on the calling thread pool configuration.
pub fn simulate(
    scenario: &Scenario,
    threads: Option<usize>,
    batch_cells: u64,
    on_batch_done: &(dyn Fn(u64) + Sync),
) -> Result<(Results, usize), Error> {
    let clock = RecordClock::from_hours(scenario.record_times_h());
    let graph = &scenario.checked.graph;
    let (tally, threads) = run::with_threads(threads, || {
        run::simulate_cells(
            graph,
            &clock,
            scenario.seed(),
            scenario.cells(),
            batch_cells,
            on_batch_done,
        )
    })?;
    let results = Results {
        record_times_h: scenario.record_times_h().to_vec(),
        locations: scenario.checked.state_names.clone(),
        states: vec![tables::ALIVE; scenario.checked.state_names.len()],
        rare_rows: Vec::new(),
        arms: vec![ArmResult {
            arm: scenario.name().to_string(),
            route: GRAPH_ROUTE.to_string(),
            dose_cells: scenario.cells() as f64,
            tally,
            rare: None,
            observed: None,
        }],
        pairs: None,
    };
    Ok((results, threads))
}

/// The files every run writes, in order.
const RUN_FILES: [&str; 4] = [
    "counts.csv",
    "exposure.csv",
    "manifest.json",
    "run_info.json",
];

/// How a run went (for `run_info.json`).
struct RunFacts {
    command_line: Vec<String>,
    threads: usize,
    batch_cells: u64,
    wall_time_s: f64,
}

/// Writes a run's files atomically: the tables of `results`, the manifest
/// made by `manifest` (given the file names) and `run_info.json`.
fn write_run(
    dir: &Path,
    force: bool,
    results: &Results,
    facts: RunFacts,
    manifest: impl FnOnce(&[&str]) -> Vec<u8>,
) -> Result<RunInfo, Error> {
    write_run_with(dir, force, results, facts, manifest, |_| Ok(Vec::new()))
}

/// [`write_run`] plus the files `extra` makes from the run's `counts.csv`
/// bytes (the plots), all written in one atomic step.
fn write_run_with(
    dir: &Path,
    force: bool,
    results: &Results,
    facts: RunFacts,
    manifest: impl FnOnce(&[&str]) -> Vec<u8>,
    extra: impl FnOnce(&[u8]) -> Result<Vec<(String, Vec<u8>)>, Error>,
) -> Result<RunInfo, Error> {
    let info = RunInfo {
        command_line: facts.command_line,
        threads: facts.threads,
        batch_cells: facts.batch_cells,
        wall_time_s: facts.wall_time_s,
        events: results.events(),
        events_per_second: results.events() as f64 / facts.wall_time_s.max(1e-9),
        host: provenance::host_name(),
    };
    let counts = tables::counts_csv(results);
    let extra = extra(&counts)?;
    let mut names: Vec<&str> = RUN_FILES.to_vec();
    names.extend(extra.iter().map(|(name, _)| name.as_str()));
    let mut files = vec![
        (RUN_FILES[0], counts),
        (RUN_FILES[1], tables::exposure_csv(results)),
        (RUN_FILES[2], manifest(&names)),
        (RUN_FILES[3], provenance::run_info_json(&info)),
    ];
    files.extend(
        extra
            .iter()
            .map(|(name, bytes)| (name.as_str(), bytes.clone())),
    );
    write_folder(dir, force, &files)?;
    Ok(info)
}

/// Results of one body's arms, with the body's output rows.
pub(crate) fn body_results(
    record_times_h: &[f64],
    rows: &[Row],
    rare_rows: &[usize],
    arms: Vec<ArmResult>,
    pairs: Option<PairTally>,
) -> Results {
    Results {
        record_times_h: record_times_h.to_vec(),
        locations: rows.iter().map(|r| r.location.clone()).collect(),
        states: rows.iter().map(|r| r.state).collect(),
        rare_rows: rare_rows.to_vec(),
        arms,
        pairs,
    }
}

/// Simulates every arm of a physiological scenario (arms in file order),
/// cell by cell with common random numbers, with the joint tallies that
/// paired comparisons of its arms need.
pub fn simulate_body(
    scenario: &BodyScenario,
    threads: Option<usize>,
    batch_cells: u64,
    on_batch_done: &(dyn Fn(u64) + Sync),
) -> Result<(Results, usize), Error> {
    let clock = RecordClock::from_hours(scenario.record_times_h());
    let checked = &scenario.checked;
    let rows = checked
        .compiled
        .first()
        .map(|c| c.rows.clone())
        .unwrap_or_default();
    let locations: Vec<String> = rows.iter().map(|r| r.location.clone()).collect();
    let states: Vec<&str> = rows.iter().map(|r| r.state).collect();
    let groups = OrganGroups::of_rows(&locations, &states);
    let membership = groups.membership(rows.len()).unwrap_or_default();
    // The arms' assays, each reporting per group of rows.
    let group_host_cells: Vec<Option<f64>> = groups
        .names
        .iter()
        .map(|g| {
            checked
                .params
                .param(&format!("host_cells.{g}"))
                .map(|p| p.value)
        })
        .collect();
    let rows_for_observer = crate::observe::RowsForObserver {
        locations: &locations,
        states: &states,
        group_rows: &groups.rows,
        group_names: &groups.names,
        group_host_cells: &group_host_cells,
    };
    let observers: Vec<Option<crate::observe::Observers>> = checked
        .arms
        .iter()
        .zip(&checked.compiled)
        .map(|(arm, compiled)| {
            let observers: Vec<(String, crate::observe::Observer)> = arm
                .observe
                .iter()
                .filter_map(|name| {
                    let assay = crate::observe::assay_named(name, &checked.params)?;
                    let observer = crate::observe::Observer::new(
                        assay,
                        &rows_for_observer,
                        compiled.source.mean_cubed_diameter_um3(),
                    );
                    Some((name.clone(), observer))
                })
                .collect();
            (!observers.is_empty()).then_some(crate::observe::Observers { observers })
        })
        .collect();
    let engines: Vec<run::ArmEngine> = checked
        .compiled
        .iter()
        .zip(&observers)
        .map(|(arm, observers)| run::ArmEngine {
            body: &arm.body,
            source: &arm.source,
            scorer: observers
                .as_ref()
                .map(|o| o as &dyn crate::engine::path::PathScorer),
        })
        .collect();
    let (
        run::BodyRun {
            arms: tallies,
            pairs,
            observed,
        },
        threads,
    ) = run::with_threads(threads, || {
        run::simulate_body_arms(
            &engines,
            &membership,
            groups.len(),
            &clock,
            scenario.seed(),
            scenario.cells(),
            batch_cells,
            on_batch_done,
        )
    })?;
    let arms = checked
        .arms
        .iter()
        .zip(tallies)
        .zip(observed.into_iter().zip(&observers))
        .map(|((arm, (tally, rare)), (observed, observers))| ArmResult {
            arm: arm.name.clone(),
            route: arm.route.label(),
            dose_cells: arm.dose_cells,
            tally,
            rare: Some(rare),
            observed: observed.zip(observers.as_ref()).map(|(tally, o)| {
                crate::results::ArmObserved {
                    assays: o
                        .observers
                        .iter()
                        .map(|(name, observer)| (name.clone(), observer.assay().clone()))
                        .collect(),
                    groups: groups.names.clone(),
                    detection_limits: o
                        .observers
                        .iter()
                        .map(|(_, observer)| observer.detection_limits().to_vec())
                        .collect(),
                    tally,
                }
            }),
        })
        .collect();
    let rare_rows = checked
        .compiled
        .first()
        .map(|c| c.body.rare_watched.clone())
        .unwrap_or_default();
    let pairs = (pairs.arms() > 1).then_some(pairs);
    let results = body_results(scenario.record_times_h(), &rows, &rare_rows, arms, pairs);
    Ok((results, threads))
}

/// The unmeasured or uncertain parameters that the knee numbers of a
/// blood-borne arm hang on, each with the direction that raises the cells in
/// the knee (+1) or lowers them (−1).
pub const KNEE_FROM_BLOOD: [(&str, f64); 9] = [
    ("lung.shunt", 1.0),
    ("lung.lumen_median_um", 1.0),
    ("cell.adhesion_lung", -1.0),
    ("fate.lung.release_rate_per_h", 1.0),
    ("fate.systemic.death_mean_h", 1.0),
    ("flow.knee_synovium", 1.0),
    ("flow.knee_bone", 1.0),
    ("knee.transmigration_rate_per_h", 1.0),
    ("knee.oa.bone_to_cartilage_rate_per_h", 1.0),
];

/// The same for an intra-articular arm: the joint's processes, calibrated in
/// mice and carried to other bodies by a stated transfer rule.
pub const KNEE_FROM_JOINT: [(&str, f64); 7] = [
    ("knee.fluid.adhesion_synovium_mean_h", -1.0),
    ("knee.fluid.adhesion_cartilage_mean_h", -1.0),
    ("knee.fluid.death_mean_h", 1.0),
    ("knee.adhered.death_median_h", 1.0),
    ("knee.adhered.death_sigma", 1.0),
    ("route.intra_articular.leak_periarticular", -1.0),
    ("route.intra_articular.leak_venous", -1.0),
];

/// Reruns each arm with the parameters its knee numbers hang on at the low,
/// then the high end of their documented ranges.
fn knee_ranges(
    scenario: &BodyScenario,
    threads: Option<usize>,
    batch_cells: u64,
) -> Result<Vec<report::KneeRange>, Error> {
    let checked = &scenario.checked;
    let clock = RecordClock::from_hours(scenario.record_times_h());
    let mut ranges = Vec::new();
    for arm in &checked.arms {
        let levers: &[(&str, f64)] = match arm.route {
            Route::Iv { .. } | Route::IntraArterial => &KNEE_FROM_BLOOD,
            Route::IntraArticular { .. } => &KNEE_FROM_JOINT,
            Route::Location(_) => continue,
        };
        let mut snapshots = Vec::new();
        let mut varied = Vec::new();
        for end in [-1.0, 1.0] {
            let mut params = checked.params.clone();
            for &(key, direction) in levers {
                if let Some(range) = params.param(key).and_then(|p| p.range) {
                    let value = if end * direction > 0.0 {
                        range.high
                    } else {
                        range.low
                    };
                    params.set(key, value);
                    if end > 0.0 {
                        varied.push(key.to_string());
                    }
                }
            }
            let compiled = compile_arm(&params, &checked.body, checked.host, arm).map_err(|e| {
                Error::Model {
                    path: scenario.path.clone(),
                    message: e.to_string(),
                }
            })?;
            let (tally, _) = run::with_threads(threads, || {
                run::simulate_body_cells(
                    &compiled.body,
                    &compiled.source,
                    &clock,
                    scenario.seed(),
                    scenario.cells(),
                    batch_cells,
                    &|_| {},
                )
            })?;
            let one_arm = vec![ArmResult {
                arm: arm.name.clone(),
                route: arm.route.label(),
                dose_cells: arm.dose_cells,
                tally: tally.0,
                rare: Some(tally.1),
                observed: None,
            }];
            let results = body_results(
                scenario.record_times_h(),
                &compiled.rows,
                &compiled.body.rare_watched,
                one_arm,
                None,
            );
            let at: Vec<Option<report::ArmSnapshot>> = report::TABLE_TIMES_H
                .iter()
                .map(|(t, _)| {
                    report::record_at(&results, *t)
                        .map(|r| report::snapshot(&results, &results.arms[0], r))
                })
                .collect();
            snapshots.push(at);
        }
        let at = snapshots[0]
            .iter()
            .zip(&snapshots[1])
            .map(|(low, high)| match (low, high) {
                (Some(l), Some(h)) => Some((l.whole_knee, h.whole_knee, l.cartilage, h.cartilage)),
                _ => None,
            })
            .collect();
        ranges.push(report::KneeRange {
            arm: arm.name.clone(),
            at,
            parameters: varied,
        });
    }
    Ok(ranges)
}

/// The files of a physiological run besides counts, exposure, manifest and
/// run_info, made from the run's bytes: the summary, the rare-destination
/// estimates, the joint tallies, the parameter sets' files and the plots.
fn body_files(
    results: &Results,
    counts: &[u8],
    set_files: Option<&SetFiles>,
    bands: Option<&crate::uncertainty::files::SetTable>,
    inputs: &PlotInputs,
    facts: &crate::output::html::ReportFacts,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    use crate::output::summary::{rare_csv, summary_csv};
    let rare = rare_csv(results);
    let summary = summary_csv(results, bands);
    let plots = plot_files(counts, &rare, bands.cloned(), inputs)?;
    let svgs: Vec<(&str, String)> = plots
        .iter()
        .filter_map(|(name, bytes)| {
            let stem = name.strip_suffix(".svg")?;
            Some((stem, String::from_utf8_lossy(bytes).into_owned()))
        })
        .collect();
    let svg_refs: Vec<(&str, &str)> = svgs.iter().map(|(n, s)| (*n, s.as_str())).collect();
    let report =
        crate::output::html::report_html(facts, &String::from_utf8_lossy(&summary), &svg_refs);
    let mut files = vec![
        ("summary.csv".to_string(), summary),
        ("rare.csv".to_string(), rare.clone()),
        ("report.html".to_string(), report),
    ];
    if let Some(pairs) = crate::output::pairs::pairs_csv(results) {
        files.push(("pairs.csv".to_string(), pairs));
    }
    if let Some(observed) = crate::output::observed::observed_csv(results) {
        files.push(("observed.csv".to_string(), observed));
    }
    files.extend(plots);
    if let Some(sets) = set_files {
        files.push((PARAMETER_SETS.to_string(), sets.parameter_sets.clone()));
        files.push((SET_COUNTS.to_string(), sets.counts.clone()));
        files.push((SET_RARE.to_string(), sets.rare.clone()));
    }
    Ok(files)
}

/// What `report.html` says about a physiological scenario, in words.
fn report_facts(
    scenario: &BodyScenario,
    parameter_sets: Option<usize>,
) -> crate::output::html::ReportFacts {
    use crate::output::html::{ParameterRow, ReportFacts};
    let file = &scenario.resolved;
    let body = &file.body;
    let product = &file.product;
    let knees = if body.knees == 1 {
        "one knee".to_string()
    } else {
        format!("{} knees", body.knees)
    };
    let body_words = format!(
        "{} preset; {knees}{}; exercise factor {} (1 = at rest); synovitis factor {} (1 = no extra synovial flow){}",
        body.preset,
        if body.osteoarthritis {
            " with osteoarthritis (bone-to-cartilage path open)"
        } else {
            ""
        },
        body.exercise,
        body.synovitis,
        if body.organs.is_empty() {
            String::new()
        } else {
            format!(
                "; extra organs: {}",
                body.organs
                    .iter()
                    .map(|o| o.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    let product_words = format!(
        "{} cells, host match {}{}",
        product.cell,
        product.host,
        product
            .viability
            .map_or(String::new(), |v| format!(", viability {v}"))
    );
    let arms = scenario
        .checked
        .arms
        .iter()
        .map(|arm| {
            let route = match &arm.route {
                Route::Iv { duration_min } => {
                    format!("intravenous infusion over {duration_min} min")
                }
                Route::IntraArterial => "intra-arterial injection".to_string(),
                Route::IntraArticular { .. } => {
                    "intra-articular injection into the knee".to_string()
                }
                Route::Location(place) => format!("placed directly in {place}"),
            };
            let interventions = if arm.interventions.is_empty() {
                String::new()
            } else {
                format!(
                    "; interventions: {}",
                    arm.interventions
                        .iter()
                        .filter_map(|i| crate::model::Intervention::ALL
                            .iter()
                            .find(|(_, x)| x == i)
                            .map(|(n, _)| *n))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            format!(
                "{}: {route}, dose {:.3e} cells{interventions}",
                arm.name, arm.dose_cells
            )
        })
        .collect();
    ReportFacts {
        scenario: scenario.name().to_string(),
        description: file.description.clone(),
        body: body_words,
        product: product_words,
        arms,
        seed: scenario.seed(),
        cells: scenario.cells(),
        parameter_sets,
        conditional_on: crate::model::conditional_on_label(),
        parameters: scenario
            .checked
            .params
            .iter()
            .map(|p| ParameterRow {
                key: p.key.clone(),
                value: p.value,
                unit: p.unit.to_string(),
                status: p.status.label().to_string(),
                source: p.source.to_string(),
            })
            .collect(),
    }
}

/// The bytes of the parameter-set files of a run.
struct SetFiles {
    parameter_sets: Vec<u8>,
    counts: Vec<u8>,
    rare: Vec<u8>,
}

/// The parameter-set files of a run folder.
const PARAMETER_SETS: &str = "parameter_sets.csv";
const SET_COUNTS: &str = "uncertainty.csv";
const SET_RARE: &str = "uncertainty_rare.csv";

fn parse_sets(
    parameter_sets: &[u8],
    counts: &[u8],
    rare: &[u8],
) -> Result<crate::uncertainty::files::SetTable, Error> {
    crate::uncertainty::files::SetTable::parse(
        &String::from_utf8_lossy(parameter_sets),
        &String::from_utf8_lossy(counts),
        &String::from_utf8_lossy(rare),
    )
    .map_err(|message| Error::Plot { message })
}

/// `biodist run` on a physiological scenario.
fn run_body(
    scenario: &BodyScenario,
    args: &RunArgs,
    command_line: Vec<String>,
) -> Result<(), Error> {
    let dir = out_dir(&args.common, scenario.name().to_string());
    crate::output::check_writable(&dir, args.common.force)?;
    let batch_cells = args.batch_cells.unwrap_or(DEFAULT_BATCH_CELLS);
    let arms = scenario.checked.arms.len() as u64;
    let progress = CellProgress::new(scenario.cells() * arms, scenario.name());
    let started = Instant::now();
    let threads = args.threads.map(usize::from);
    let (results, threads) =
        simulate_body(scenario, threads, batch_cells, &|n| progress.advance(n))?;
    let wall_time_s = started.elapsed().as_secs_f64();
    progress.finish();
    let ranges_started = Instant::now();
    let ranges = knee_ranges(scenario, Some(threads), batch_cells)?;
    let ranges_s = ranges_started.elapsed().as_secs_f64();
    let set_runs = match args.uncertainty {
        Some(k) => {
            let set_cells = args.uncertainty_cells.unwrap_or(scenario.cells());
            let progress = CellProgress::new(
                set_cells * arms * u64::from(k),
                &format!("{} parameter sets", scenario.name()),
            );
            let started = Instant::now();
            let runs = uncertainty::run_parameter_sets(
                scenario,
                k as usize,
                set_cells,
                Some(threads),
                batch_cells,
                &|n| progress.advance(n),
            )?;
            progress.finish();
            Some((runs, set_cells, started.elapsed().as_secs_f64()))
        }
        None => None,
    };
    let facts = RunFacts {
        command_line,
        threads,
        batch_cells,
        wall_time_s,
    };
    let inputs = plot_inputs(scenario)?;
    let set_files = set_runs.as_ref().map(|(runs, _, _)| SetFiles {
        parameter_sets: crate::uncertainty::files::parameter_sets_csv(&runs.varied, &runs.sets),
        counts: crate::uncertainty::files::set_counts_csv(&runs.results),
        rare: crate::uncertainty::files::set_rare_csv(&runs.results),
    });
    let bands = set_files
        .as_ref()
        .map(|f| parse_sets(&f.parameter_sets, &f.counts, &f.rare))
        .transpose()?;
    write_run_with(
        &dir,
        args.common.force,
        &results,
        facts,
        |names| provenance::body_manifest_json("run", scenario, names),
        |counts| {
            body_files(
                &results,
                counts,
                set_files.as_ref(),
                bands.as_ref(),
                &inputs,
                &report_facts(scenario, bands.as_ref().map(|b| b.sets)),
            )
        },
    )?;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{}: {} arms × {} cells in {:.2} s on {} threads (and {:.2} s for the low–high reruns)",
        scenario.name(),
        arms,
        scenario.cells(),
        wall_time_s,
        threads,
        ranges_s
    );
    if let Some((runs, set_cells, seconds)) = &set_runs {
        let _ = writeln!(
            out,
            "parameter uncertainty: {} sets × {} arms × {} cells in {:.2} s, varying {} provisional and fitted parameters (parameter_sets.csv)",
            runs.sets.len(),
            arms,
            set_cells,
            seconds,
            runs.varied.len()
        );
        if let Some(sets) = &bands {
            let _ = writeln!(
                out,
                "{}",
                sets.band_caption().replace(
                    "Light shade between dashed edges: parameter uncertainty",
                    "Parameter uncertainty"
                )
            );
        }
    }
    let _ = write!(
        out,
        "{}",
        report::table(&results, &ranges, scenario.cells(), bands.as_ref())
    );
    let _ = writeln!(
        out,
        "wrote {}/ (tables: counts, exposure, summary, rare{}{}; plots: organs_over_time, knee, fate, lung_filter; manifest and run_info; see output/README.md)",
        dir.display(),
        if results.pairs.is_some() {
            ", pairs"
        } else {
            ""
        },
        if set_runs.is_some() {
            ", parameter_sets, uncertainty, uncertainty_rare"
        } else {
            ""
        }
    );
    Ok(())
}

/// `biodist run`.
pub fn run(args: &RunArgs, command_line: Vec<String>) -> Result<(), Error> {
    let scenario = match scenario::load_any(&args.common.file, &args.assignments())? {
        AnyScenario::Graph(scenario) => scenario,
        AnyScenario::Body(body) => return run_body(&body, args, command_line),
    };
    if args.uncertainty.is_some() {
        return Err(Error::WrongForm {
            path: args.common.file.clone(),
            expected: "a physiological scenario for --uncertainty (it varies the presets' provisional parameters; a graph scenario has none)",
            found: "a graph scenario",
        });
    }
    let dir = out_dir(&args.common, scenario.name().to_string());
    crate::output::check_writable(&dir, args.common.force)?;
    let batch_cells = args.batch_cells.unwrap_or(DEFAULT_BATCH_CELLS);
    let progress = CellProgress::new(scenario.cells(), scenario.name());
    let started = Instant::now();
    let threads = args.threads.map(usize::from);
    let (results, threads) = simulate(&scenario, threads, batch_cells, &|n| progress.advance(n))?;
    let wall_time_s = started.elapsed().as_secs_f64();
    progress.finish();
    let facts = RunFacts {
        command_line,
        threads,
        batch_cells,
        wall_time_s,
    };
    let info = write_run(&dir, args.common.force, &results, facts, |names| {
        provenance::manifest_json("run", &scenario, names)
    })?;
    print_run_summary(&results, &dir, &info);
    Ok(())
}

/// Prints the run's headline and the final counts on stdout. Write errors
/// (a closed pipe, as in `biodist run … | head`) are ignored: the files are
/// already written.
fn print_run_summary(results: &Results, dir: &Path, info: &RunInfo) {
    let _ = write_run_summary(&mut std::io::stdout().lock(), results, dir, info);
}

fn write_run_summary(
    out: &mut impl Write,
    results: &Results,
    dir: &Path,
    info: &RunInfo,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{}: {} cells, {} events in {:.2} s on {} threads ({:.3e} events/s)",
        results.arms.first().map_or("", |a| a.arm.as_str()),
        results.cells(),
        results.events(),
        info.wall_time_s,
        info.threads,
        info.events_per_second
    )?;
    let last = results.record_times_h.len() - 1;
    for arm in &results.arms {
        let n = arm.tally.cells() as f64;
        writeln!(out, "at t = {} h:", results.record_times_h[last])?;
        for (state, location) in results.locations.iter().enumerate() {
            let cells = arm.tally.cells_at(last, state);
            let fraction = cells as f64 / n;
            let se = (fraction * (1.0 - fraction) / n).sqrt();
            writeln!(
                out,
                "  {location:<20} {cells:>12} cells  {fraction:>10.6} ± {se:.6}"
            )?;
        }
    }
    writeln!(
        out,
        "wrote {}/ (counts.csv, exposure.csv, manifest.json, run_info.json)",
        dir.display()
    )
}

/// `biodist expect`.
pub fn expect(args: &CommonArgs) -> Result<(), Error> {
    let scenario = match scenario::load_any(&args.file, &args.set)? {
        AnyScenario::Graph(scenario) => scenario,
        AnyScenario::Body(_) => {
            return Err(Error::WrongForm {
                path: args.file.clone(),
                expected: "a graph scenario ([graph]): `biodist expect` solves all-exponential graphs exactly",
                found: "a physiological scenario ([body])",
            });
        }
    };
    if let Some((key, law)) = scenario.first_non_exponential() {
        return Err(Error::NotExponential {
            path: scenario.path.clone(),
            key: key.to_string(),
            law,
        });
    }
    let dir = out_dir(args, format!("{}_expected", scenario.name()));
    crate::output::check_writable(&dir, args.force)?;
    let fractions = expected_fractions(&scenario.checked.graph, scenario.record_times_h())
        .map_err(|e| Error::NotExponential {
            path: scenario.path.clone(),
            key: format!("graph.states[{}]", e.state),
            law: "non-exponential",
        })?;
    let names = ["expected.csv", "manifest.json"];
    let files = [
        (
            names[0],
            tables::expected_csv(
                scenario.record_times_h(),
                &scenario.checked.state_names,
                &fractions,
            ),
        ),
        (
            names[1],
            provenance::manifest_json("expect", &scenario, &names),
        ),
    ];
    write_folder(&dir, args.force, &files)?;
    println!(
        "wrote {}/expected.csv (exact expected fractions)",
        dir.display()
    );
    Ok(())
}

/// `biodist presets`.
pub fn presets(args: &PresetsArgs) -> Result<(), Error> {
    let text = match args.format {
        PresetsFormat::Md => crate::model::tables::presets_markdown(),
        PresetsFormat::Csv => crate::model::tables::presets_csv(),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

/// `biodist filter`.
pub fn filter(args: &FilterArgs) -> Result<(), Error> {
    let usage = |key: &str, expected: String, found: String| Error::Usage {
        key: key.to_string(),
        expected,
        found,
    };
    let Some(params) = crate::model::compile::preset_params(&args.body, &args.cell) else {
        return Err(if crate::model::presets::body(&args.body).is_none() {
            usage(
                "--body",
                format!("one of {}", crate::model::presets::BODIES.join(", ")),
                args.body.clone(),
            )
        } else {
            usage(
                "--cell",
                format!("one of {}", crate::model::presets::CELLS.join(", ")),
                args.cell.clone(),
            )
        });
    };
    let mut interventions = Vec::new();
    for name in &args.interventions {
        match crate::model::Intervention::ALL
            .iter()
            .find(|(n, _)| n == name)
        {
            Some((_, i)) => interventions.push(*i),
            None => {
                let names: Vec<&str> = crate::model::Intervention::ALL
                    .iter()
                    .map(|(n, _)| *n)
                    .collect();
                return Err(usage(
                    "--intervention",
                    format!("one of {}", names.join(", ")),
                    name.clone(),
                ));
            }
        }
    }
    let ok_grid = args.from_um > 0.0
        && args.to_um >= args.from_um
        && args.step_um > 0.0
        && (args.to_um - args.from_um) / args.step_um <= 100_000.0;
    if !ok_grid {
        return Err(usage(
            "--from-um/--to-um/--step-um",
            "0 < from ≤ to and a step > 0 giving at most 100000 rows".to_string(),
            format!("{} to {} by {}", args.from_um, args.to_um, args.step_um),
        ));
    }
    let filters = crate::model::compile::filters(&params, &interventions, 1.0)
        .map_err(|e| usage("--body", e.expected, e.found))?;
    let (filter, adhesion) = match args.bed {
        BedArg::Lung => (filters.lung, filters.adhesion_lung),
        BedArg::Systemic => (filters.systemic, filters.adhesion_systemic),
        BedArg::Liver => (filters.liver, filters.adhesion_systemic),
    };
    let steps = ((args.to_um - args.from_um) / args.step_um + 1e-9).floor() as usize;
    let diameters: Vec<f64> = (0..=steps)
        .map(|i| args.from_um + i as f64 * args.step_um)
        .collect();
    let text =
        crate::model::tables::filter_csv(&filter, filters.squeeze_ratio, adhesion, &diameters);
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    Ok(())
}

/// The plot inputs of a physiological scenario: titles, the lung filter's
/// passage against diameter (and with a vasodilator where an arm has one),
/// and a sample of the product's diameters.
fn plot_inputs(scenario: &BodyScenario) -> Result<PlotInputs, Error> {
    use crate::model::Intervention;
    use crate::model::passage::{CellInBed, passage};
    let checked = &scenario.checked;
    let model_error = |e: crate::model::ModelError| Error::Model {
        path: scenario.path.clone(),
        message: e.to_string(),
    };
    let mut variants = vec![("no intervention".to_string(), Vec::new())];
    if checked
        .arms
        .iter()
        .any(|a| a.interventions.contains(&Intervention::Vasodilator))
    {
        variants.push(("vasodilator".to_string(), vec![Intervention::Vasodilator]));
    }
    let mut lung_filter = Vec::new();
    for (label, interventions) in variants {
        let f =
            crate::model::compile::filters(&checked.params, &interventions, checked.body.exercise)
                .map_err(model_error)?;
        let points = (1..=160)
            .map(|i| {
                let diameter_um = i as f64 * 0.25;
                let cell = CellInBed {
                    diameter_um,
                    squeeze_ratio: f.squeeze_ratio,
                    adhesion: f.adhesion_lung,
                };
                (diameter_um, passage(&f.lung, &cell).passage)
            })
            .collect();
        lung_filter.push(FilterCurve { label, points });
    }
    let diameters_um = checked
        .compiled
        .first()
        .map(|c| crate::model::compile::sample_diameters_um(&c.source, scenario.seed(), 5_000))
        .unwrap_or_default();
    Ok(PlotInputs {
        scenario: scenario.name().to_string(),
        body: scenario.resolved.body.preset.clone(),
        product: scenario.resolved.product.cell.clone(),
        lung_filter,
        diameters_um,
    })
}

/// The plot files of a run (`plot_inputs.json` and each plot as PNG and SVG),
/// drawn from the run's `counts.csv` bytes.
fn plot_files(
    counts: &[u8],
    rare: &[u8],
    bands: Option<crate::uncertainty::files::SetTable>,
    inputs: &PlotInputs,
) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let text = String::from_utf8_lossy(counts);
    let mut table = parse_counts(&text).map_err(|message| Error::Plot { message })?;
    crate::plot::data::add_rare(&mut table, &String::from_utf8_lossy(rare))
        .map_err(|message| Error::Plot { message })?;
    table.parameter_sets = bands;
    let drawn = crate::plot::draw_all(&table, inputs).map_err(|e| Error::Plot {
        message: e.to_string(),
    })?;
    let mut files = vec![(
        PLOT_INPUTS.to_string(),
        serde_json::to_vec(inputs).unwrap_or_default(), // infallible: plain data
    )];
    for d in drawn {
        files.push((format!("{}.png", d.name), d.png));
        files.push((format!("{}.svg", d.name), d.svg.into_bytes()));
    }
    Ok(files)
}

/// File name of the plots' inputs in a run folder.
const PLOT_INPUTS: &str = "plot_inputs.json";

/// `biodist plot DIR`: redraws a finished run's plots from its files.
pub fn plot(args: &crate::cli::PlotArgs) -> Result<(), Error> {
    let read = |name: &str| {
        let path = args.dir.join(name);
        std::fs::read(&path).map_err(|e| Error::Usage {
            key: path.display().to_string(),
            expected: "a run folder of a physiological scenario (counts.csv and plot_inputs.json)"
                .to_string(),
            found: e.to_string(),
        })
    };
    let counts = read("counts.csv")?;
    let rare = read("rare.csv")?;
    let inputs: PlotInputs =
        serde_json::from_slice(&read(PLOT_INPUTS)?).map_err(|e| Error::Usage {
            key: args.dir.join(PLOT_INPUTS).display().to_string(),
            expected: "plot inputs written by biodist run".to_string(),
            found: e.to_string(),
        })?;
    // The parameter sets' files, where `--uncertainty` ran.
    let optional = |name: &str| std::fs::read(args.dir.join(name)).ok();
    let bands = match (
        optional(PARAMETER_SETS),
        optional(SET_COUNTS),
        optional(SET_RARE),
    ) {
        (Some(p), Some(c), Some(r)) => Some(parse_sets(&p, &c, &r)?),
        _ => None,
    };
    let files = plot_files(&counts, &rare, bands, &inputs)?;
    for (name, bytes) in &files {
        let path = args.dir.join(name);
        let staging = args.dir.join(format!(".{name}.partial"));
        std::fs::write(&staging, bytes)
            .and_then(|()| std::fs::rename(&staging, &path))
            .map_err(|e| Error::Usage {
                key: path.display().to_string(),
                expected: "a writable run folder".to_string(),
                found: e.to_string(),
            })?;
    }
    println!(
        "redrew {} files in {}/",
        files.len() - 1,
        args.dir.display()
    );
    Ok(())
}
