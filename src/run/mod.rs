//! Runs many independent cells in parallel and adds up their integer tallies.
//!
//! Cells are cut into batches; rayon hands batches to threads and each thread
//! folds its cells into its own tally, and those tallies are then added. Cell
//! `i` always draws from the stream keyed by (seed, fate, i), and integer sums
//! do not depend on order, so the result is identical for any thread count and
//! any batch size (DESIGN.md §3). Memory is one tally per rayon work split,
//! never one per batch or per cell.

pub mod progress;

use rayon::prelude::*;

use crate::engine::circulation::{ArrestOdds, BloodClock};
use crate::engine::journey::{BodyGraph, CellSource, RareScratch, follow_cell_scored};
use crate::engine::pairs::{PairTally, RecordPositions};
use crate::engine::path::{CellPath, MeanTally, PathScorer};
use crate::engine::rare::RareTally;
use crate::engine::tally::hours_to_ticks;
use crate::engine::{
    Graph, RecordClock, StreamPurpose, Tally, VisitedStates, simulate_cell, stream::StreamFamily,
};

/// Default number of cells per batch (how often progress is reported).
pub const DEFAULT_BATCH_CELLS: u64 = 16_384;

/// How to split a run over threads; none of it changes the result.
#[derive(Debug, Clone, Copy)]
pub struct Parallelism {
    /// Worker threads (`None`: one per core).
    pub threads: Option<usize>,
    /// Cells per batch (≥ 1).
    pub batch_cells: u64,
}

impl Default for Parallelism {
    fn default() -> Self {
        Self {
            threads: None,
            batch_cells: DEFAULT_BATCH_CELLS,
        }
    }
}

/// A thread pool could not be started.
#[derive(Debug, thiserror::Error)]
#[error("could not start {threads} worker threads: {message}")]
pub struct ThreadPoolError {
    threads: usize,
    message: String,
}

/// Simulates cells `0..cells` of `graph` under `seed` and returns their tally.
/// `on_batch_done(n)` is called (from worker threads) as each batch of `n` cells ends.
pub fn simulate_cells(
    graph: &Graph,
    clock: &RecordClock,
    seed: u64,
    cells: u64,
    batch_cells: u64,
    on_batch_done: &(dyn Fn(u64) + Sync),
) -> Tally {
    let batch_cells = batch_cells.max(1);
    let batches = cells.div_ceil(batch_cells);
    let empty = || {
        (
            Tally::new(graph.state_count(), clock),
            VisitedStates::new(graph.state_count()),
        )
    };
    let streams = StreamFamily::new(seed, StreamPurpose::Fate);
    (0..batches)
        .into_par_iter()
        .fold(empty, |(mut tally, mut visited), batch| {
            let first = batch * batch_cells;
            let last = (first + batch_cells).min(cells);
            for cell in first..last {
                let mut rng = streams.stream(cell);
                simulate_cell(graph, clock, &mut rng, &mut tally, &mut visited);
            }
            on_batch_done(last - first);
            (tally, visited)
        })
        .map(|(tally, _)| tally)
        .reduce(
            || Tally::new(graph.state_count(), clock),
            |a, b| a.merge(&b),
        )
}

/// One arm's compiled body and cell source, as the engine sees them.
#[derive(Clone, Copy)]
pub struct ArmEngine<'a> {
    /// The arm's compiled body.
    pub body: &'a BodyGraph,
    /// Where and how its cells start.
    pub source: &'a dyn CellSource,
    /// What an assay sees of each cell, where the arm is observed.
    pub scorer: Option<&'a dyn PathScorer>,
}

/// What [`simulate_body_arms`] returns.
#[derive(Debug, Clone)]
pub struct BodyRun {
    /// Each arm's tallies.
    pub arms: Vec<(Tally, RareTally)>,
    /// Joint tallies of the arms' paired cells.
    pub pairs: PairTally,
    /// Each arm's observed signal (where it has a scorer).
    pub observed: Vec<Option<MeanTally>>,
}

/// Simulates cells `0..cells` of one arm of a body under `seed`: each cell's
/// attributes come from its attribute stream (shared by every arm of the
/// scenario, so arms see the same cells) and its journey from its fate stream.
pub fn simulate_body_cells(
    body: &BodyGraph,
    source: &dyn CellSource,
    clock: &RecordClock,
    seed: u64,
    cells: u64,
    batch_cells: u64,
    on_batch_done: &(dyn Fn(u64) + Sync),
) -> (Tally, RareTally) {
    let arm = ArmEngine {
        body,
        source,
        scorer: None,
    };
    let BodyRun { mut arms, .. } = simulate_body_arms(
        &[arm],
        &[],
        0,
        clock,
        seed,
        cells,
        batch_cells,
        on_batch_done,
    );
    arms.pop().unwrap_or_else(|| {
        (
            Tally::new(body.slot_count, clock),
            RareTally::new(clock.len(), body.rare_watched.len()),
        )
    })
}

/// Simulates cells `0..cells` of every arm under `seed`, cell by cell: cell
/// `i` of each arm draws from the same streams (common random numbers), so
/// the arms' cells pair up. Returns each arm's tallies and, when there are
/// two arms or more and `membership` is given (a bit mask of `groups` groups
/// per tally slot), the joint tally of the pairs. The arms' own tallies are
/// exactly those of simulating each arm alone.
#[allow(clippy::too_many_arguments)]
pub fn simulate_body_arms(
    arms: &[ArmEngine<'_>],
    membership: &[u64],
    groups: usize,
    clock: &RecordClock,
    seed: u64,
    cells: u64,
    batch_cells: u64,
    on_batch_done: &(dyn Fn(u64) + Sync),
) -> BodyRun {
    let batch_cells = batch_cells.max(1);
    let batches = cells.div_ceil(batch_cells);
    let records = clock.len();
    let pairing = arms.len() > 1 && !membership.is_empty();
    let pair_shape = if pairing {
        (arms.len(), groups)
    } else {
        (0, 0)
    };
    let empty_tallies = || {
        arms.iter()
            .map(|arm| {
                (
                    Tally::new(arm.body.slot_count, clock),
                    RareTally::new(records, arm.body.rare_watched.len()),
                )
            })
            .collect::<Vec<_>>()
    };
    let empty_pairs = || PairTally::new(pair_shape.0, records, pair_shape.1);
    let empty_observed = || {
        arms.iter()
            .map(|arm| arm.scorer.map(|s| MeanTally::new(records, s.columns())))
            .collect::<Vec<_>>()
    };
    let observing = arms.iter().any(|a| a.scorer.is_some());
    let widest = arms
        .iter()
        .filter_map(|a| a.scorer.map(|s| s.columns()))
        .max()
        .unwrap_or(0);
    let largest = |f: fn(&BodyGraph) -> usize| arms.iter().map(|a| f(a.body)).max().unwrap_or(0);
    let slot_count = largest(|b| b.slot_count);
    let watched = largest(|b| b.rare_watched.len());
    let empty = || {
        (
            empty_tallies(),
            empty_pairs(),
            VisitedStates::new(slot_count),
            ArrestOdds::default(),
            RareScratch::new(records, watched),
            vec![RecordPositions::new(records); arms.len()],
            empty_observed(),
            (CellPath::default(), vec![0.0; records * widest]),
        )
    };
    let blood_clocks: Vec<BloodClock> = arms
        .iter()
        .map(|arm| BloodClock::new(&arm.body.circulation, clock.hours()))
        .collect();
    let attribute_streams = StreamFamily::new(seed, StreamPurpose::Attributes);
    let fate_streams = StreamFamily::new(seed, StreamPurpose::Fate);
    let last_tick = clock.last_tick();
    (0..batches)
        .into_par_iter()
        .fold(
            empty,
            |(
                mut tallies,
                mut pairs,
                mut visited,
                mut odds,
                mut scratch,
                mut positions,
                mut observed,
                (mut path, mut signal),
            ),
             batch| {
                let first = batch * batch_cells;
                let last = (first + batch_cells).min(cells);
                for cell in first..last {
                    for (a, arm) in arms.iter().enumerate() {
                        let mut attributes = attribute_streams.stream(cell);
                        let mut fate = fate_streams.stream(cell);
                        odds.clear();
                        let start = arm
                            .source
                            .prepare_cell(&mut attributes, &mut fate, &mut odds);
                        let at = &mut positions[a];
                        let slots = &arm.body.slots;
                        if pairing {
                            at.start(slots[start]);
                        }
                        let scoring = observing && arm.scorer.is_some();
                        if scoring {
                            path.start(slots[start], odds.diameter_um);
                        }
                        let (tally, rare) = &mut tallies[a];
                        follow_cell_scored(
                            arm.body,
                            clock,
                            &blood_clocks[a],
                            start,
                            &odds,
                            &mut fate,
                            tally,
                            &mut visited,
                            Some(&mut scratch),
                            |time_h, _, to| {
                                if pairing {
                                    // The same record the tally gives this move.
                                    let tick = hours_to_ticks(time_h).min(last_tick);
                                    at.moved(clock.records_before(tick), slots[to]);
                                }
                                if scoring {
                                    path.moves.push((time_h, slots[to]));
                                }
                            },
                        );
                        rare.add_cell(&scratch);
                        if let (Some(scorer), Some(tally)) = (arm.scorer, observed[a].as_mut()) {
                            let values = &mut signal[..records * scorer.columns()];
                            values.fill(0.0);
                            scorer.score(&path, clock.hours(), values);
                            tally.add_cell(values);
                        }
                    }
                    if pairing {
                        pairs.add_cell(&positions, membership);
                    }
                }
                on_batch_done((last - first) * arms.len() as u64);
                (
                    tallies,
                    pairs,
                    visited,
                    odds,
                    scratch,
                    positions,
                    observed,
                    (path, signal),
                )
            },
        )
        .map(|(tallies, pairs, _, _, _, _, observed, _)| BodyRun {
            arms: tallies,
            pairs,
            observed,
        })
        .reduce(
            || BodyRun {
                arms: empty_tallies(),
                pairs: empty_pairs(),
                observed: empty_observed(),
            },
            |a, b| BodyRun {
                arms: a
                    .arms
                    .into_iter()
                    .zip(&b.arms)
                    .map(|(x, y)| (x.0.merge(&y.0), x.1.merge(&y.1)))
                    .collect(),
                pairs: a.pairs.merge(&b.pairs),
                observed: a
                    .observed
                    .into_iter()
                    .zip(&b.observed)
                    .map(|(x, y)| match (x, y) {
                        (Some(x), Some(y)) => Some(x.merge(y)),
                        (x, _) => x,
                    })
                    .collect(),
            },
        )
}

/// Runs `work` on a pool of `threads` threads (or rayon's global pool for `None`)
/// and returns its result with the number of threads used.
pub fn with_threads<T: Send>(
    threads: Option<usize>,
    work: impl FnOnce() -> T + Send,
) -> Result<(T, usize), ThreadPoolError> {
    match threads {
        None => Ok((work(), rayon::current_num_threads())),
        Some(threads) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .map_err(|e| ThreadPoolError {
                    threads,
                    message: e.to_string(),
                })?;
            Ok((pool.install(work), threads))
        }
    }
}
