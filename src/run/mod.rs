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
use crate::engine::rare::RareTally;
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
    let batch_cells = batch_cells.max(1);
    let batches = cells.div_ceil(batch_cells);
    let state_count = body.slot_count;
    let records = clock.len();
    let watched = body.rare_watched.len();
    let empty = || {
        (
            Tally::new(state_count, clock),
            RareTally::new(records, watched),
            VisitedStates::new(state_count),
            ArrestOdds::default(),
            RareScratch::new(records, watched),
        )
    };
    let blood_clock = BloodClock::new(&body.circulation, clock.hours());
    let attribute_streams = StreamFamily::new(seed, StreamPurpose::Attributes);
    let fate_streams = StreamFamily::new(seed, StreamPurpose::Fate);
    (0..batches)
        .into_par_iter()
        .fold(
            empty,
            |(mut tally, mut rare, mut visited, mut odds, mut scratch), batch| {
                let first = batch * batch_cells;
                let last = (first + batch_cells).min(cells);
                for cell in first..last {
                    let mut attributes = attribute_streams.stream(cell);
                    let mut fate = fate_streams.stream(cell);
                    odds.clear();
                    let start = source.prepare_cell(&mut attributes, &mut fate, &mut odds);
                    follow_cell_scored(
                        body,
                        clock,
                        &blood_clock,
                        start,
                        &odds,
                        &mut fate,
                        &mut tally,
                        &mut visited,
                        Some(&mut scratch),
                        |_, _, _| {},
                    );
                    rare.add_cell(&scratch);
                }
                on_batch_done(last - first);
                (tally, rare, visited, odds, scratch)
            },
        )
        .map(|(tally, rare, _, _, _)| (tally, rare))
        .reduce(
            || {
                (
                    Tally::new(state_count, clock),
                    RareTally::new(records, watched),
                )
            },
            |a, b| (a.0.merge(&b.0), a.1.merge(&b.1)),
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
