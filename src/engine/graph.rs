//! The compiled cell-fate graph: states by index, each with competing timed exits.
//!
//! The engine knows states only by index; names live in the scenario layer.
//! Exponential exits of a state are merged into one total rate (one draw gives
//! the time, one uniform the target); every other exit is sampled on its own
//! and the earliest wins. A cycle of zero-time transitions is rejected here,
//! because a cell caught in it would jump forever at one instant.

use super::law::DwellLaw;

/// One timed exit as given to [`Graph::new`].
#[derive(Debug, Clone)]
pub struct Exit {
    /// Index of the state the exit leaves.
    pub from: usize,
    /// Index of the state it enters.
    pub to: usize,
    /// Its time-to-event law.
    pub law: DwellLaw,
}

/// The exits of one state, arranged for fast sampling.
#[derive(Debug, Clone, Default)]
pub struct StateExits {
    /// Sum of the rates of the exponential exits (1/h); 0 when there are none.
    pub exponential_total_rate_per_h: f64,
    /// 1 / total rate: the mean time to the first exponential exit (h).
    pub exponential_mean_dwell_h: f64,
    /// Targets of the exponential exits with positive rate.
    pub exponential_targets: Vec<usize>,
    /// Their rates (1/h), as given.
    pub exponential_rates_per_h: Vec<f64>,
    /// Running sums of their rates, for choosing the target (last = total).
    pub exponential_cumulative_rate_per_h: Vec<f64>,
    /// Non-exponential exits in the order given (a tie goes to the first).
    pub other_exits: Vec<(usize, DwellLaw)>,
}

impl StateExits {
    /// Orders the exponential exits from the fastest to the slowest (ties keep
    /// their order), so the search for the exit that fired usually stops at
    /// the first comparison, and recomputes the running sums and mean dwell.
    fn sort_exponential_exits_by_rate(&mut self) {
        let mut exits: Vec<(usize, f64)> = self
            .exponential_targets
            .iter()
            .copied()
            .zip(self.exponential_rates_per_h.iter().copied())
            .collect();
        exits.sort_by(|a, b| b.1.total_cmp(&a.1));
        self.exponential_targets = exits.iter().map(|e| e.0).collect();
        self.exponential_rates_per_h = exits.iter().map(|e| e.1).collect();
        let mut running = 0.0;
        self.exponential_cumulative_rate_per_h = exits
            .iter()
            .map(|e| {
                running += e.1;
                running
            })
            .collect();
        self.exponential_total_rate_per_h = running;
        self.exponential_mean_dwell_h = 1.0 / running;
    }

    /// Whether the state has no exit that can fire (absorbing).
    pub fn is_absorbing(&self) -> bool {
        self.exponential_targets.is_empty() && self.other_exits.is_empty()
    }
}

/// One state's exits packed for the per-event loop: the exponential exits as
/// a total rate and a slice of the graph's flat target table.
#[derive(Debug, Clone, Copy)]
pub struct JumpPlan {
    /// Mean time to the first exponential exit (h); +∞ when there is none.
    pub exponential_mean_dwell_h: f64,
    /// Sum of the exponential exits' rates (1/h).
    pub exponential_total_rate_per_h: f64,
    /// Where this state's exponential exits begin in the flat tables.
    pub first_exit: usize,
    /// How many exponential exits it has (0 for none).
    pub exponential_exits: usize,
    /// Whether every exit is exponential (then [`Graph::exponential_target`] picks the target).
    pub only_exponential: bool,
    /// The first two exponential targets (fastest first; unused slots repeat
    /// the last target), so one- and two-exit states need no table lookup.
    pub leading_targets: [usize; 2],
    /// The rate of the fastest exponential exit (1/h): a uniform pick in
    /// [0, total rate) below it chooses the first target.
    pub leading_rate_per_h: f64,
}

/// A structural problem with a graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GraphError {
    /// An exit or the start refers to a state index that does not exist.
    StateOutOfRange {
        /// The index found.
        index: usize,
        /// The number of states.
        states: usize,
    },
    /// States that form a cycle of zero-time transitions, in order.
    ZeroTimeCycle(Vec<usize>),
}

/// A validated cell-fate graph.
#[derive(Debug, Clone)]
pub struct Graph {
    state_count: usize,
    start: usize,
    exits: Vec<StateExits>,
    /// The same exits packed for the per-event loop, one small record per state.
    plans: Vec<JumpPlan>,
    /// Targets of all exponential exits, state after state (fastest first).
    plan_targets: Vec<usize>,
    /// Their running rate sums (1/h), state after state.
    plan_cumulative_rate_per_h: Vec<f64>,
}

impl Graph {
    /// Builds a graph of `state_count` states where every cell starts in `start`.
    pub fn new(state_count: usize, start: usize, exits: Vec<Exit>) -> Result<Self, GraphError> {
        let out_of_range = |index: usize| GraphError::StateOutOfRange {
            index,
            states: state_count,
        };
        if start >= state_count {
            return Err(out_of_range(start));
        }
        let mut by_state = vec![StateExits::default(); state_count];
        for exit in &exits {
            for index in [exit.from, exit.to] {
                if index >= state_count {
                    return Err(out_of_range(index));
                }
            }
        }
        if let Some(cycle) = find_zero_time_cycle(state_count, &exits) {
            return Err(GraphError::ZeroTimeCycle(cycle));
        }
        for exit in exits {
            let state = &mut by_state[exit.from];
            match exit.law.exponential_rate_per_h() {
                Some(rate) if rate > 0.0 => {
                    state.exponential_total_rate_per_h += rate;
                    state.exponential_targets.push(exit.to);
                    state.exponential_rates_per_h.push(rate);
                    state
                        .exponential_cumulative_rate_per_h
                        .push(state.exponential_total_rate_per_h);
                }
                Some(_) => {} // rate 0: the exit never fires
                None => state.other_exits.push((exit.to, exit.law)),
            }
        }
        for state in &mut by_state {
            state.sort_exponential_exits_by_rate();
        }
        let mut plans = Vec::with_capacity(state_count);
        let mut plan_targets = Vec::new();
        let mut plan_cumulative_rate_per_h = Vec::new();
        for state in &by_state {
            plans.push(JumpPlan {
                exponential_mean_dwell_h: state.exponential_mean_dwell_h,
                exponential_total_rate_per_h: state.exponential_total_rate_per_h,
                first_exit: plan_targets.len(),
                exponential_exits: state.exponential_targets.len(),
                only_exponential: state.other_exits.is_empty(),
                leading_targets: [0, 1].map(|i| {
                    let targets = &state.exponential_targets;
                    targets.get(i).or(targets.last()).copied().unwrap_or(0)
                }),
                leading_rate_per_h: state
                    .exponential_cumulative_rate_per_h
                    .first()
                    .copied()
                    .unwrap_or(0.0),
            });
            plan_targets.extend_from_slice(&state.exponential_targets);
            plan_cumulative_rate_per_h.extend_from_slice(&state.exponential_cumulative_rate_per_h);
        }
        Ok(Self {
            state_count,
            start,
            exits: by_state,
            plans,
            plan_targets,
            plan_cumulative_rate_per_h,
        })
    }

    /// Number of states.
    pub fn state_count(&self) -> usize {
        self.state_count
    }

    /// The state every cell starts in.
    pub fn start(&self) -> usize {
        self.start
    }

    /// The exits of `state`.
    #[inline]
    pub fn exits(&self, state: usize) -> &StateExits {
        &self.exits[state]
    }

    /// The packed exits of `state`.
    #[inline]
    pub fn plan(&self, state: usize) -> &JumpPlan {
        &self.plans[state]
    }

    /// The target of the exponential exit that fired, given `pick` uniform in
    /// [0, total rate): the first exit whose running rate sum exceeds it.
    /// `plan` must have at least one exponential exit.
    #[inline]
    pub fn exponential_target(&self, plan: &JumpPlan, pick: f64) -> usize {
        if plan.exponential_exits == 2 {
            // A select, not a branch: which of two exits fires is often a
            // coin toss that a branch predictor would miss.
            return plan.leading_targets[usize::from(pick >= plan.leading_rate_per_h)];
        }
        let end = plan.first_exit + plan.exponential_exits;
        let cumulative = &self.plan_cumulative_rate_per_h[plan.first_exit..end];
        let targets = &self.plan_targets[plan.first_exit..end];
        // Exits are sorted fastest first, so this search usually stops at once.
        let fired = cumulative.iter().position(|&c| pick < c);
        targets[fired.unwrap_or(targets.len() - 1)]
    }

    /// The only exponential target of `plan` (which must have exactly one).
    #[inline]
    pub fn single_exponential_target(&self, plan: &JumpPlan) -> usize {
        plan.leading_targets[0]
    }

    /// Whether every exit is exponential (then the exact expectation exists).
    pub fn is_markov(&self) -> bool {
        self.exits.iter().all(|e| e.other_exits.is_empty())
    }
}

/// Finds a cycle among zero-time exits (depth-first search), if any.
fn find_zero_time_cycle(state_count: usize, exits: &[Exit]) -> Option<Vec<usize>> {
    let mut successors = vec![Vec::new(); state_count];
    for exit in exits.iter().filter(|e| e.law.is_instantaneous()) {
        successors[exit.from].push(exit.to);
    }
    // 0 = unvisited, 1 = on the current path, 2 = finished.
    let mut mark = vec![0u8; state_count];
    let mut path = Vec::new();
    for root in 0..state_count {
        if mark[root] == 0
            && let Some(cycle) = visit(root, &successors, &mut mark, &mut path)
        {
            return Some(cycle);
        }
    }
    None
}

fn visit(
    state: usize,
    successors: &[Vec<usize>],
    mark: &mut [u8],
    path: &mut Vec<usize>,
) -> Option<Vec<usize>> {
    mark[state] = 1;
    path.push(state);
    for &next in &successors[state] {
        if mark[next] == 1 {
            let begin = path.iter().position(|&s| s == next).unwrap_or(0);
            let mut cycle = path[begin..].to_vec();
            cycle.push(next);
            return Some(cycle);
        }
        if mark[next] == 0
            && let Some(cycle) = visit(next, successors, mark, path)
        {
            return Some(cycle);
        }
    }
    path.pop();
    mark[state] = 2;
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exit(from: usize, to: usize, law: DwellLaw) -> Exit {
        Exit { from, to, law }
    }

    #[test]
    fn exponential_exits_merge_into_one_total_rate() {
        let rate = |r| DwellLaw::exponential_rate(r).unwrap();
        let graph = Graph::new(
            3,
            0,
            vec![
                exit(0, 1, rate(2.0)),
                exit(0, 2, rate(3.0)),
                exit(1, 2, rate(0.0)),
            ],
        )
        .unwrap();
        let exits = graph.exits(0);
        assert_eq!(exits.exponential_targets, vec![2, 1], "fastest first");
        assert_eq!(exits.exponential_cumulative_rate_per_h, vec![3.0, 5.0]);
        assert!(graph.exits(1).is_absorbing(), "a zero rate never fires");
        assert!(graph.is_markov());
    }

    #[test]
    fn packed_plans_pick_the_same_target_as_the_running_sums() {
        let rate = |r| DwellLaw::exponential_rate(r).unwrap();
        let graph = Graph::new(
            5,
            0,
            vec![
                exit(0, 1, rate(1.0)),
                exit(0, 2, rate(3.0)),
                exit(1, 0, rate(2.0)),
                exit(2, 0, rate(1.0)),
                exit(2, 3, rate(1.0)),
                exit(2, 4, rate(2.0)),
            ],
        )
        .unwrap();
        // Two exits (a select): rates sorted 3 then 1, so [0, 3) -> 2 and [3, 4) -> 1.
        let two = graph.plan(0);
        assert_eq!(
            (two.exponential_exits, two.exponential_total_rate_per_h),
            (2, 4.0)
        );
        assert_eq!(graph.exponential_target(two, 0.0), 2);
        assert_eq!(graph.exponential_target(two, 2.999), 2);
        assert_eq!(graph.exponential_target(two, 3.0), 1);
        assert_eq!(graph.exponential_target(two, 3.999), 1);
        // One exit.
        assert_eq!(graph.single_exponential_target(graph.plan(1)), 0);
        // Three exits (a search): sorted 2 (to 4), then 1 (to 0), then 1 (to 3).
        let three = graph.plan(2);
        let picks = [0.5, 2.0, 2.5, 3.0, 3.99].map(|p| graph.exponential_target(three, p));
        assert_eq!(picks, [4, 0, 0, 3, 3]);
        // Absorbing.
        assert_eq!(graph.plan(3).exponential_exits, 0);
        assert!(graph.plan(3).only_exponential);
    }

    #[test]
    fn zero_time_cycles_are_found_and_zero_time_chains_allowed() {
        let zero = || DwellLaw::fixed(0.0).unwrap();
        let chain = Graph::new(3, 0, vec![exit(0, 1, zero()), exit(1, 2, zero())]);
        assert!(chain.is_ok());
        let cycle = Graph::new(
            3,
            0,
            vec![exit(0, 1, zero()), exit(1, 2, zero()), exit(2, 1, zero())],
        );
        assert_eq!(cycle.unwrap_err(), GraphError::ZeroTimeCycle(vec![1, 2, 1]));
        let timed_cycle = Graph::new(
            2,
            0,
            vec![
                exit(0, 1, zero()),
                exit(1, 0, DwellLaw::fixed(1.0).unwrap()),
            ],
        );
        assert!(timed_cycle.is_ok());
    }

    #[test]
    fn indices_out_of_range_are_rejected() {
        let err = Graph::new(2, 0, vec![exit(0, 5, DwellLaw::fixed(1.0).unwrap())]).unwrap_err();
        assert_eq!(
            err,
            GraphError::StateOutOfRange {
                index: 5,
                states: 2
            }
        );
    }
}
