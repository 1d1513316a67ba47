//! One cell's journey through a body: timed states as in any graph, plus the
//! blood, which is crossed in aggregate ([`super::circulation`]).
//!
//! The model layer compiles a body into a [`BodyGraph`] and tells the engine,
//! for each cell, where it starts and its arrest odds in every bed (which
//! depend on the cell's own diameter); the engine knows states only by index.

use rand::Rng;

use super::circulation::{
    ArrestOdds, BloodClock, BloodExit, Circulation, Phase, circulate_with_clock,
};
use super::graph::Graph;
use super::stream::CellRng;
use super::tally::{RecordClock, Tally, VisitedStates, hours_to_ticks};

/// A compiled body: a graph whose two blood states are crossed by the
/// circulation sampler (the graph itself gives them no exits). Several states
/// may share one tally slot (one output row): a cell arrested in the synovial
/// capillaries and one adhered to the synovial lining are both in
/// `knee/synovium`, with different fates.
#[derive(Debug, Clone)]
pub struct BodyGraph {
    /// Timed states and their exits.
    pub graph: Graph,
    /// The blood states and their phase rate.
    pub circulation: Circulation,
    /// The tally slot of each state.
    pub slots: Vec<usize>,
    /// Number of tally slots.
    pub slot_count: usize,
}

/// Draws each cell's attributes and what follows from them.
pub trait CellSource: Sync {
    /// Prepares one cell: draws its attributes from `attributes` (the stream
    /// shared by every arm), fills its arrest `odds`, and returns the state it
    /// starts in at t = 0 (which may use `fate`, the arm's own stream).
    fn prepare_cell(
        &self,
        attributes: &mut CellRng,
        fate: &mut CellRng,
        odds: &mut ArrestOdds,
    ) -> usize;
}

/// Follows one cell from `start` at t = 0 to the last record time, adding
/// its journey to `tally` (its entry into `start` included). Returns the
/// number of moves tallied.
#[allow(clippy::too_many_arguments)]
pub fn follow_cell_in_body<R: Rng + ?Sized>(
    body: &BodyGraph,
    clock: &RecordClock,
    blood_clock: &BloodClock,
    start: usize,
    odds: &ArrestOdds,
    rng: &mut R,
    tally: &mut Tally,
    visited: &mut VisitedStates,
) -> u64 {
    follow_cell_observed(
        body,
        clock,
        blood_clock,
        start,
        odds,
        rng,
        tally,
        visited,
        |_, _, _| {},
    )
}

/// [`follow_cell_in_body`], calling `observe(time_h, from, to)` on every move
/// (for tests of the model's invariants).
#[allow(clippy::too_many_arguments)]
pub fn follow_cell_observed<R: Rng + ?Sized>(
    body: &BodyGraph,
    clock: &RecordClock,
    blood_clock: &BloodClock,
    start: usize,
    odds: &ArrestOdds,
    rng: &mut R,
    tally: &mut Tally,
    visited: &mut VisitedStates,
    mut observe: impl FnMut(f64, usize, usize),
) -> u64 {
    visited.clear();
    let last_tick = clock.last_tick();
    let circulation = &body.circulation;
    let mut state = start;
    let mut time_h = 0.0;
    let mut events = 0u64;
    let slot = |state: usize| body.slots[state];
    visited.insert(slot(state));
    tally.add_entry(slot(state), 0, 0, true);
    loop {
        let phase = if state == circulation.venous_state {
            Some(Phase::Venous)
        } else if state == circulation.arterial_state {
            Some(Phase::Arterial)
        } else {
            None
        };
        if let Some(phase) = phase {
            let mut current = state;
            let exit = circulate_with_clock(
                circulation,
                blood_clock,
                odds,
                phase,
                time_h,
                rng,
                |move_h, to| {
                    observe(move_h, current, to);
                    let tick = hours_to_ticks(move_h).min(last_tick);
                    let record = clock.records_before(tick);
                    tally.add_exit(slot(current), record, tick);
                    let first = visited.insert(slot(to));
                    tally.add_entry(slot(to), record, tick, first);
                    current = to;
                    events += 1;
                },
            );
            match exit {
                BloodExit::Arrested {
                    time_h: at_h,
                    state: to,
                } => {
                    time_h = at_h;
                    state = to;
                    continue;
                }
                BloodExit::StillCirculating => break,
            }
        }
        let Some((dwell_h, next_state)) = super::cell::next_exit(&body.graph, state, rng) else {
            break;
        };
        time_h += dwell_h;
        let tick = hours_to_ticks(time_h);
        if tick > last_tick {
            break;
        }
        let record = clock.records_before(tick);
        observe(time_h, state, next_state);
        tally.add_exit(slot(state), record, tick);
        events += 1;
        state = next_state;
        let first = visited.insert(slot(state));
        tally.add_entry(slot(state), record, tick, first);
    }
    tally.add_cell(events);
    events
}
