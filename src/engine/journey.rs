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
    let mut on_step = |step: Step, rng: &mut R| {
        match step {
            Step::Move { time_h, from, to } => {
                observe(time_h, from, to);
                let tick = hours_to_ticks(time_h).min(last_tick);
                let record = clock.records_before(tick);
                tally.add_exit(slot(from), record, tick);
                let first = visited.insert(slot(to));
                tally.add_entry(slot(to), record, tick, first);
                events += 1;
            }
            Step::Arrest { time_h, phase } => {
                let Some(scratch) = rare.as_deref_mut() else {
                    return true;
                };
                let total: f64 = odds.after_arterial.iter().map(|o| o.1).sum();
                if phase != Phase::Arterial || total <= 0.0 {
                    return true;
                }
                // Rows this cell entered before: a ghost adds first entries
                // only to the others.
                let entered_before: Vec<bool> = body
                    .rare_watched
                    .iter()
                    .map(|&w| visited.contains(w))
                    .collect();
                for &(bed, p) in &odds.after_arterial {
                    if p > 0.0 && body.rare_triggers.contains(&bed) {
                        let ghost = Ghost {
                            bed,
                            start_h: time_h,
                            weight: p / total,
                        };
                        scratch.ghost(body, clock, blood_clock, odds, ghost, &entered_before, rng);
                    }
                }
            }
        }
        true
    };
    walk(
        body,
        clock,
        blood_clock,
        start,
        0.0,
        odds,
        rng,
        &mut on_step,
    );
    tally.add_cell(events);
    events
}

/// What happens on a walk.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    /// A move at `time_h` from one state to another.
    Move { time_h: f64, from: usize, to: usize },
    /// An arrest from the blood at `time_h`, at the end of a `phase` phase
    /// (reported after the move into the arrest state).
    Arrest { time_h: f64, phase: Phase },
}

/// Walks from `start` at `start_h` to the last record time: blood in
/// aggregate, other states by their timed exits, telling `on_step` every
/// move within the records and every arrest from the blood. `on_step`
/// returns false to stop the walk after a move.
#[allow(clippy::too_many_arguments)]
fn walk<R: Rng + ?Sized>(
    body: &BodyGraph,
    clock: &RecordClock,
    blood_clock: &BloodClock,
    start: usize,
    start_h: f64,
    odds: &ArrestOdds,
    rng: &mut R,
    on_step: &mut impl FnMut(Step, &mut R) -> bool,
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
            let mut moves = Vec::new();
            let exit = circulate_with_clock(
                circulation,
                blood_clock,
                odds,
                phase,
                time_h,
                rng,
                |move_h, to| moves.push((move_h, to)),
            );
            for (move_h, to) in moves {
                let step = Step::Move {
                    time_h: move_h,
                    from: current,
                    to,
                };
                current = to;
                if !on_step(step, rng) {
                    return;
                }
            }
            match exit {
                BloodExit::Arrested {
                    time_h: at_h,
                    state: to,
                    phase: at_phase,
                } => {
                    time_h = at_h;
                    state = to;
                    let arrest = Step::Arrest {
                        time_h: at_h,
                        phase: at_phase,
                    };
                    if !on_step(arrest, rng) {
                        return;
                    }
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
        let step = Step::Move {
            time_h,
            from: state,
            to: next_state,
        };
        if !on_step(step, rng) {
            return;
        }
        state = next_state;
    }
}

/// A weighted copy of a cell started in a watched bed.
#[derive(Debug, Clone, Copy)]
struct Ghost {
    bed: usize,
    start_h: f64,
    weight: f64,
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

    /// A ghost of the cell, arrested in `ghost.bed` at `ghost.start_h` with
    /// weight `ghost.weight`: follows that bed's exits (its own draws from the
    /// cell's stream) until it dies out of the watched rows, the records end,
    /// or it goes back into the blood — a later arrest from the blood is a new
    /// event of the cell's own path, scored there. It adds its weight to the
    /// watched rows it occupies at each record time, and to first entries of
    /// rows the cell had not entered before (`entered_before`).
    #[allow(clippy::too_many_arguments)]
    fn ghost<R: Rng + ?Sized>(
        &mut self,
        body: &BodyGraph,
        clock: &RecordClock,
        blood_clock: &BloodClock,
        odds: &ArrestOdds,
        ghost: Ghost,
        entered_before: &[bool],
        rng: &mut R,
    ) {
        self.moves.clear();
        self.moves.push((ghost.start_h, ghost.bed));
        let moves = &mut self.moves;
        let blood = [
            body.circulation.venous_state,
            body.circulation.arterial_state,
        ];
        walk(
            body,
            clock,
            blood_clock,
            ghost.bed,
            ghost.start_h,
            odds,
            rng,
            &mut |step, _| match step {
                Step::Move { time_h, to, .. } => {
                    moves.push((time_h, to));
                    !blood.contains(&to)
                }
                Step::Arrest { .. } => false,
            },
        );
        let watched_index = |state: usize| {
            body.rare_watched
                .iter()
                .position(|&w| w == body.slots[state])
        };
        // When the ghost first entered each watched row (in ticks, as the tallies count).
        let mut first_entry = vec![u64::MAX; self.watched];
        for &(t, state) in &self.moves {
            if let Some(w) = watched_index(state) {
                first_entry[w] = first_entry[w].min(hours_to_ticks(t));
            }
        }
        // Where it is at each record time (a move at the record time counts
        // where it went, as in the tallies).
        let mut next = 0;
        let mut at = None;
        for (r, &record_tick) in clock.ticks().iter().enumerate() {
            while next < self.moves.len() && hours_to_ticks(self.moves[next].0) <= record_tick {
                at = Some(self.moves[next].1);
                next += 1;
            }
            if let Some(w) = at.and_then(watched_index) {
                self.occupancy[r * self.watched + w] += ghost.weight;
            }
            for (w, &entered_tick) in first_entry.iter().enumerate() {
                if entered_tick <= record_tick && !entered_before[w] {
                    self.ever[r * self.watched + w] += ghost.weight;
                }
            }
        }
    }
}
