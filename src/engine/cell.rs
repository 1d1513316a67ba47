//! One cell's journey: an exact semi-Markov path from t = 0 to the last record time.
//!
//! No time step: the cell waits in a state until the first of its competing
//! exits fires, then jumps. Each sojourn is added to the integer tallies as it
//! ends, so the cost is proportional to the number of jumps.

use rand::Rng;
use rand_distr::{Distribution, Exp1};

use super::graph::Graph;
use super::law::uniform;
use super::tally::{RecordClock, Tally, VisitedStates, hours_to_ticks};

/// Picks the next exit of `state`: the dwell time (h) and the target, or `None`
/// if the state is absorbing. Exponential exits cost one exponential draw (time)
/// and, when there are several, one uniform draw (target).
#[inline]
pub fn next_exit<R: Rng + ?Sized>(
    graph: &Graph,
    state: usize,
    rng: &mut R,
) -> Option<(f64, usize)> {
    let exits = graph.exits(state);
    // (dwell time, target); target `None` stands for "one of the exponential exits".
    let mut earliest: Option<(f64, Option<usize>)> = None;
    if !exits.exponential_targets.is_empty() {
        let unit: f64 = Exp1.sample(rng);
        earliest = Some((unit * exits.exponential_mean_dwell_h, None));
    }
    for (to, law) in &exits.other_exits {
        let dwell_h = law.sample(rng);
        // Strictly earlier wins, so a tie goes to the exit listed first.
        if earliest.is_none_or(|(best_h, _)| dwell_h < best_h) {
            earliest = Some((dwell_h, Some(*to)));
        }
    }
    match earliest? {
        (dwell_h, Some(to)) => Some((dwell_h, to)),
        (dwell_h, None) => Some((dwell_h, choose_exponential_target(exits, rng))),
    }
}

#[inline]
fn choose_exponential_target<R: Rng + ?Sized>(
    exits: &super::graph::StateExits,
    rng: &mut R,
) -> usize {
    let targets = &exits.exponential_targets;
    if targets.len() == 1 {
        return targets[0];
    }
    let pick = uniform(rng) * exits.exponential_total_rate_per_h;
    // Exits are sorted fastest first, so this search usually stops at once.
    let cumulative = &exits.exponential_cumulative_rate_per_h;
    let fired = cumulative.iter().position(|&c| pick < c);
    targets[fired.unwrap_or(targets.len() - 1)]
}

/// The next jump of a cell in `state`: the dwell time (h) and the target, or
/// `None` if the state is absorbing. Same draws, in the same order, as
/// [`next_exit`], with a short path for states whose exits are all exponential.
#[inline(always)]
fn next_jump<R: Rng + ?Sized>(graph: &Graph, state: usize, rng: &mut R) -> Option<(f64, usize)> {
    let plan = graph.plan(state);
    if !plan.only_exponential {
        return next_exit(graph, state, rng);
    }
    match plan.exponential_exits {
        0 => None,
        1 => {
            let unit: f64 = Exp1.sample(rng);
            Some((
                unit * plan.exponential_mean_dwell_h,
                graph.single_exponential_target(plan),
            ))
        }
        _ => {
            let unit: f64 = Exp1.sample(rng);
            let pick = uniform(rng) * plan.exponential_total_rate_per_h;
            Some((
                unit * plan.exponential_mean_dwell_h,
                graph.exponential_target(plan, pick),
            ))
        }
    }
}

/// Simulates one cell and adds its journey to `tally`. `visited` is scratch
/// space reused between cells. Returns the number of transitions fired.
pub fn simulate_cell<R: Rng + ?Sized>(
    graph: &Graph,
    clock: &RecordClock,
    rng: &mut R,
    tally: &mut Tally,
    visited: &mut VisitedStates,
) -> u64 {
    visited.clear();
    let last_tick = clock.last_tick();
    let mut state = graph.start();
    let mut time_h = 0.0;
    let mut events = 0u64;
    visited.insert(state);
    tally.add_entry(state, 0, 0, true);
    while let Some((dwell_h, next_state)) = next_jump(graph, state, rng) {
        time_h += dwell_h;
        let tick = hours_to_ticks(time_h);
        if tick > last_tick {
            break;
        }
        let record = clock.records_before(tick);
        tally.add_exit(state, record, tick);
        events += 1;
        state = next_state;
        let first = visited.insert(state);
        tally.add_entry(state, record, tick, first);
    }
    tally.add_cell(events);
    events
}
