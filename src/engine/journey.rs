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
    /// Beds whose arrests the rare-destination estimator scores (states).
    pub rare_triggers: Vec<usize>,
    /// Output rows (slots) it reports.
    pub rare_watched: Vec<usize>,
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
    observe: impl FnMut(f64, usize, usize),
) -> u64 {
    follow_cell_scored(
        body,
        clock,
        blood_clock,
        start,
        odds,
        rng,
        tally,
        visited,
        None,
        observe,
    )
}

/// [`follow_cell_observed`] that also scores the rare-destination estimator
/// into `rare` (when given): at every arrest at the end of an arterial phase,
/// each watched bed b gets the conditional probability q_b / q_arterial that
/// the arrest was there, and a ghost of that weight follows b's own exits,
/// adding to the expected arrivals and occupancy of the watched rows.
#[allow(clippy::too_many_arguments)]
pub fn follow_cell_scored<R: Rng + ?Sized>(
    body: &BodyGraph,
    clock: &RecordClock,
    blood_clock: &BloodClock,
    start: usize,
    odds: &ArrestOdds,
    rng: &mut R,
    tally: &mut Tally,
    visited: &mut VisitedStates,
    mut rare: Option<&mut RareScratch>,
    mut observe: impl FnMut(f64, usize, usize),
) -> u64 {
    visited.clear();
    let last_tick = clock.last_tick();
    let slot = |state: usize| body.slots[state];
    visited.insert(slot(start));
    tally.add_entry(slot(start), 0, 0, true);
    let mut events = 0u64;
    if let Some(scratch) = rare.as_deref_mut() {
        scratch.clear();
    }
    let mut on_move = |time_h: f64, from: usize, to: usize| {
        observe(time_h, from, to);
        let tick = hours_to_ticks(time_h).min(last_tick);
        let record = clock.records_before(tick);
        tally.add_exit(slot(from), record, tick);
        let first = visited.insert(slot(to));
        tally.add_entry(slot(to), record, tick, first);
        events += 1;
    };
    let mut on_arrest = |time_h: f64, phase: Phase, rng: &mut R| {
        let Some(scratch) = rare.as_deref_mut() else {
            return;
        };
        if phase != Phase::Arterial {
            return;
        }
        let total: f64 = odds.after_arterial.iter().map(|o| o.1).sum();
        if total <= 0.0 {
            return;
        }
        for &(bed, p) in &odds.after_arterial {
            if p > 0.0 && body.rare_triggers.contains(&bed) {
                scratch.ghost(body, clock, blood_clock, odds, bed, time_h, p / total, rng);
            }
        }
    };
    walk(
        body,
        clock,
        blood_clock,
        start,
        0.0,
        odds,
        rng,
        &mut on_move,
        &mut on_arrest,
    );
    tally.add_cell(events);
    events
}

/// Walks from `start` at `start_h` to the last record time: blood in
/// aggregate, other states by their timed exits. Calls `on_move(time_h,
/// from, to)` for every move within the records, and `on_arrest(time_h,
/// phase, rng)` after every arrest from the blood.
#[allow(clippy::too_many_arguments)]
fn walk<R: Rng + ?Sized>(
    body: &BodyGraph,
    clock: &RecordClock,
    blood_clock: &BloodClock,
    start: usize,
    start_h: f64,
    odds: &ArrestOdds,
    rng: &mut R,
    on_move: &mut impl FnMut(f64, usize, usize),
    on_arrest: &mut impl FnMut(f64, Phase, &mut R),
) {
    let last_tick = clock.last_tick();
    let circulation = &body.circulation;
    let mut state = start;
    let mut time_h = start_h;
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
                    on_move(move_h, current, to);
                    current = to;
                },
            );
            match exit {
                BloodExit::Arrested {
                    time_h: at_h,
                    state: to,
                    phase: at_phase,
                } => {
                    time_h = at_h;
                    state = to;
                    on_arrest(at_h, at_phase, rng);
                    continue;
                }
                BloodExit::StillCirculating => break,
            }
        }
        let Some((dwell_h, next_state)) = super::cell::next_exit(&body.graph, state, rng) else {
            break;
        };
        time_h += dwell_h;
        if hours_to_ticks(time_h) > last_tick {
            break;
        }
        on_move(time_h, state, next_state);
        state = next_state;
    }
}

/// One cell's contributions to the rare-destination estimator, per (record,
/// watched row): expected occupancy and expected first arrivals by then.
#[derive(Debug, Clone)]
pub struct RareScratch {
    watched: usize,
    occupancy: Vec<f64>,
    ever: Vec<f64>,
    moves: Vec<(f64, usize)>,
}

impl RareScratch {
    /// Scratch for `records` record times and `watched` rows.
    pub fn new(records: usize, watched: usize) -> Self {
        Self {
            watched,
            occupancy: vec![0.0; records * watched],
            ever: vec![0.0; records * watched],
            moves: Vec::new(),
        }
    }

    fn clear(&mut self) {
        self.occupancy.fill(0.0);
        self.ever.fill(0.0);
    }

    /// Expected occupancy of this cell, indexed [record][watched].
    pub fn occupancy(&self) -> &[f64] {
        &self.occupancy
    }

    /// Expected first arrivals by each record, indexed [record][watched].
    pub fn ever(&self) -> &[f64] {
        &self.ever
    }

    /// A ghost of `weight` arrested in `bed` at `start_h`: follows the graph
    /// (its own draws from the cell's stream) and adds `weight` to the watched
    /// rows it occupies at each later record time and to those it has entered.
    #[allow(clippy::too_many_arguments)]
    fn ghost<R: Rng + ?Sized>(
        &mut self,
        body: &BodyGraph,
        clock: &RecordClock,
        blood_clock: &BloodClock,
        odds: &ArrestOdds,
        bed: usize,
        start_h: f64,
        weight: f64,
        rng: &mut R,
    ) {
        self.moves.clear();
        self.moves.push((start_h, bed));
        let moves = &mut self.moves;
        walk(
            body,
            clock,
            blood_clock,
            bed,
            start_h,
            odds,
            rng,
            &mut |t, _, to| moves.push((t, to)),
            &mut |_, _, _| {},
        );
        let watched_index = |state: usize| {
            body.rare_watched
                .iter()
                .position(|&w| w == body.slots[state])
        };
        // When the ghost first entered each watched row.
        let mut first_entry = vec![f64::INFINITY; self.watched];
        for &(t, state) in &self.moves {
            if let Some(w) = watched_index(state) {
                first_entry[w] = first_entry[w].min(t);
            }
        }
        // Where it is at each record time (a move at the record time counts
        // where it went, as in the tallies).
        let mut next = 0;
        let mut at = None;
        for (r, &record_h) in clock.hours().iter().enumerate() {
            while next < self.moves.len() && self.moves[next].0 <= record_h {
                at = Some(self.moves[next].1);
                next += 1;
            }
            if let Some(w) = at.and_then(watched_index) {
                self.occupancy[r * self.watched + w] += weight;
            }
            for (w, &entered_h) in first_entry.iter().enumerate() {
                if entered_h <= record_h {
                    self.ever[r * self.watched + w] += weight;
                }
            }
        }
    }
}
