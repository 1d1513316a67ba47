//! Circulation in aggregate: many passes through the blood at a cost that does
//! not grow with the number of passes (DESIGN.md §3).
//!
//! A circulating cell alternates between two blood phases, venous and arterial,
//! each lasting an exponential time of the same rate λ. At the end of a venous
//! phase it meets the first filter (the lung in a body) and arrests there with
//! its own per-cell probability; at the end of an arterial phase it meets one
//! systemic bed and arrests with another. The arrest decisions do not depend on
//! the phase durations, so:
//!
//! - the number of phases M up to and including the one that ends in arrest is
//!   sampled at once (a geometric number of two-phase circuits, then which half
//!   of the last circuit);
//! - the phase ends form a Poisson process of rate λ, independent of M, so the
//!   number of phase ends in a record interval is Poisson(λ Δ) and, given that
//!   number, their times are uniform order statistics: the arrest time is a
//!   Beta-distributed fraction of the interval, and the time spent in each
//!   phase is a sum of Dirichlet spacings, again a Beta fraction;
//! - the phase at a record time follows from the parity of the count.
//!
//! All of this is exact in distribution, and costs O(record times) per entry
//! into the blood whatever λ. Within one record interval the order of the
//! phases is not needed by any tally (counts at record times, first entries by
//! record time, and time spent up to each record time), so the cell's moves are
//! emitted as a short path with the same totals.
//!
//! [`circulate_pass_by_pass`] simulates every pass explicitly; it is the
//! reference that the aggregate sampler is tested against.

use rand::Rng;
use rand_distr::{Distribution, Exp1, Gamma, Poisson};

use super::law::uniform;

/// The two blood states of a graph and the rate at which their phases end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Circulation {
    /// Index of the venous-blood state.
    pub venous_state: usize,
    /// Index of the arterial-blood state.
    pub arterial_state: usize,
    /// Rate at which one blood phase ends (1/h): each phase lasts Exp(rate),
    /// so a full circuit (venous then arterial) has mean 2 / rate.
    pub phase_rate_per_h: f64,
}

/// Which blood phase a cell is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Venous blood (ends at the first filter, the lung in a body).
    Venous,
    /// Arterial blood (ends at one systemic bed).
    Arterial,
}

impl Phase {
    fn other(self) -> Self {
        match self {
            Self::Venous => Self::Arterial,
            Self::Arterial => Self::Venous,
        }
    }
}

/// One cell's arrest odds at the end of each blood phase: the states it can
/// arrest in and the probability of each (their sum is at most 1; the rest is
/// passage into the next phase). Computed per cell from its attributes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArrestOdds {
    /// Arrest outcomes at the end of a venous phase: (state, probability).
    pub after_venous: Vec<(usize, f64)>,
    /// Arrest outcomes at the end of an arterial phase: (state, probability).
    pub after_arterial: Vec<(usize, f64)>,
    /// The cell's diameter (µm), for observation models (a label's amount
    /// per cell scales with its volume).
    pub diameter_um: f64,
}

impl ArrestOdds {
    /// Removes every outcome, keeping the memory.
    pub fn clear(&mut self) {
        self.after_venous.clear();
        self.after_arterial.clear();
    }

    fn outcomes(&self, phase: Phase) -> &[(usize, f64)] {
        match phase {
            Phase::Venous => &self.after_venous,
            Phase::Arterial => &self.after_arterial,
        }
    }

    /// Probability of arresting at the end of a `phase` phase.
    pub fn arrest_probability(&self, phase: Phase) -> f64 {
        let total: f64 = self.outcomes(phase).iter().map(|o| o.1).sum();
        total.clamp(0.0, 1.0)
    }

    /// Picks the arrest state at the end of a `phase` phase, given that the cell arrests there.
    fn choose_arrest<R: Rng + ?Sized>(&self, phase: Phase, rng: &mut R) -> usize {
        let outcomes = self.outcomes(phase);
        let total: f64 = outcomes.iter().map(|o| o.1).sum();
        let pick = uniform(rng) * total;
        let mut running = 0.0;
        for &(state, probability) in outcomes {
            running += probability;
            if pick < running {
                return state;
            }
        }
        // Rounding at the top end: the last outcome with a positive probability.
        outcomes
            .iter()
            .rev()
            .find(|o| o.1 > 0.0)
            .map_or(outcomes[0].0, |o| o.0)
    }
}

/// Where a circulating cell ends up within the horizon.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BloodExit {
    /// It arrested at `time_h` in `state`.
    Arrested {
        /// Time of arrest (h).
        time_h: f64,
        /// The state it arrested in.
        state: usize,
        /// The blood phase whose end it arrested at.
        phase: Phase,
    },
    /// It was still in the blood at the last record time.
    StillCirculating,
}

/// Samples the number of phases, counted from the phase the cell enters in,
/// up to and including the one that ends in arrest (`None`: it never arrests),
/// and the phase that ends in arrest.
fn phases_until_arrest<R: Rng + ?Sized>(
    odds: &ArrestOdds,
    entry_phase: Phase,
    rng: &mut R,
) -> Option<(u64, Phase)> {
    let first = odds.arrest_probability(entry_phase);
    let second = odds.arrest_probability(entry_phase.other());
    let per_circuit = first + (1.0 - first) * second;
    if per_circuit <= 0.0 {
        return None;
    }
    // Circuits (first phase, second phase) until the one with the arrest:
    // geometric on {1, 2, …} by inversion, K = ⌈ln U / ln(1 − q)⌉.
    let circuits = if per_circuit >= 1.0 {
        1.0
    } else {
        let unit: f64 = Exp1.sample(rng); // −ln U
        (unit / -(-per_circuit).ln_1p()).ceil().max(1.0)
    };
    // Beyond 2^62 phases the cell circulates far past any horizon (a phase is
    // at least 1e-9 h and record times end by 1e6 h): treat it as never arresting.
    if circuits >= 2f64.powi(61) {
        return None;
    }
    let circuits = circuits as u64;
    let arrest_in_first = uniform(rng) * per_circuit < first;
    if arrest_in_first {
        Some((2 * circuits - 1, entry_phase))
    } else {
        Some((2 * circuits, entry_phase.other()))
    }
}

/// The fraction of time spent in the first of `pieces` alternating pieces'
/// kind, when `pieces` spacings of uniform points share an interval: pieces
/// 1, 3, 5, … are of the first kind, so the fraction is Beta(⌈n/2⌉, ⌊n/2⌋).
fn first_kind_fraction<R: Rng + ?Sized>(pieces: u64, rng: &mut R) -> f64 {
    let first_kind = pieces.div_ceil(2);
    let second_kind = pieces / 2;
    if second_kind == 0 {
        return 1.0;
    }
    beta_sample(first_kind, second_kind, rng)
}

/// A Beta(a, b) draw as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b): exact,
/// and for the large shapes met here (half the phase ends of a long interval)
/// several times faster than a rejection sampler of the Beta itself.
fn beta_sample<R: Rng + ?Sized>(a: u64, b: u64, rng: &mut R) -> f64 {
    if a == 1 && b == 1 {
        return uniform(rng);
    }
    let (a, b) = (a as f64, b as f64);
    match (Gamma::new(a, 1.0), Gamma::new(b, 1.0)) {
        (Ok(ga), Ok(gb)) => {
            let x: f64 = ga.sample(rng);
            let y: f64 = gb.sample(rng);
            x / (x + y)
        }
        // Unreachable for a, b ≥ 1; fall back on the mean rather than panic.
        _ => a / (a + b),
    }
}

fn poisson_sample<R: Rng + ?Sized>(mean: f64, rng: &mut R) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    match Poisson::new(mean) {
        Ok(poisson) => {
            let draw: f64 = poisson.sample(rng);
            draw as u64
        }
        // Means beyond the sampler's range (> 1e19) cannot occur with rates
        // ≤ 1e9/h and horizons ≤ 1e6 h; saturate rather than panic.
        Err(_) => u64::MAX,
    }
}

/// Emits the moves of a cell that spends `first_time_h` of the interval
/// (`start_h`, `end_h`] in `start_phase` and the rest in the other phase, and
/// is in `end_phase` at `end_h` (it changes phase at least once when both
/// times are positive).
fn emit_interval(
    circulation: &Circulation,
    start_phase: Phase,
    end_phase: Phase,
    start_h: f64,
    end_h: f64,
    first_time_h: f64,
    moves: &mut impl FnMut(f64, usize),
) {
    let state = |phase| match phase {
        Phase::Venous => circulation.venous_state,
        Phase::Arterial => circulation.arterial_state,
    };
    let other_time_h = (end_h - start_h) - first_time_h;
    if end_phase == start_phase {
        if other_time_h > 0.0 {
            // Half the start phase's time, all of the other's, then back.
            let leave_h = start_h + 0.5 * first_time_h;
            let back_h = (leave_h + other_time_h).min(end_h);
            moves(leave_h, state(start_phase.other()));
            moves(back_h, state(start_phase));
        }
    } else {
        moves((start_h + first_time_h).min(end_h), state(end_phase));
    }
}

/// Phase-end samplers for whole record intervals, built once per run: the
/// number of phase ends in (t_{r−1}, t_r] is Poisson(λ (t_r − t_{r−1})) for
/// every cell that circulates through it, so its sampler is set up once.
#[derive(Debug, Clone)]
pub struct BloodClock {
    record_times_h: Vec<f64>,
    /// Sampler for interval r (ending at record r); `None` for r = 0 or an empty interval.
    whole_intervals: Vec<Option<Poisson<f64>>>,
}

impl BloodClock {
    /// The samplers of `circulation` between consecutive `record_times_h`.
    pub fn new(circulation: &Circulation, record_times_h: &[f64]) -> Self {
        let whole_intervals = (0..record_times_h.len())
            .map(|r| {
                let span_h = if r == 0 {
                    0.0
                } else {
                    record_times_h[r] - record_times_h[r - 1]
                };
                Poisson::new(circulation.phase_rate_per_h * span_h).ok()
            })
            .collect();
        Self {
            record_times_h: record_times_h.to_vec(),
            whole_intervals,
        }
    }

    /// Record times (h).
    pub fn record_times_h(&self) -> &[f64] {
        &self.record_times_h
    }
}

/// Follows a cell that enters the blood in `entry_phase` at `entry_h` until
/// it arrests or the last of `record_times_h` passes, calling `moves(time_h,
/// state)` for each change of state (between the blood states, then into the
/// arrest state). Exact in distribution; O(record times) whatever the number
/// of passes.
pub fn circulate<R: Rng + ?Sized>(
    circulation: &Circulation,
    odds: &ArrestOdds,
    entry_phase: Phase,
    entry_h: f64,
    record_times_h: &[f64],
    rng: &mut R,
    moves: impl FnMut(f64, usize),
) -> BloodExit {
    circulate_timed(
        circulation,
        odds,
        entry_phase,
        entry_h,
        record_times_h,
        None,
        rng,
        moves,
    )
}

/// [`circulate`] with the whole-interval samplers of `clock` set up in advance.
pub fn circulate_with_clock<R: Rng + ?Sized>(
    circulation: &Circulation,
    clock: &BloodClock,
    odds: &ArrestOdds,
    entry_phase: Phase,
    entry_h: f64,
    rng: &mut R,
    moves: impl FnMut(f64, usize),
) -> BloodExit {
    circulate_timed(
        circulation,
        odds,
        entry_phase,
        entry_h,
        &clock.record_times_h,
        Some(&clock.whole_intervals),
        rng,
        moves,
    )
}

#[allow(clippy::too_many_arguments)]
fn circulate_timed<R: Rng + ?Sized>(
    circulation: &Circulation,
    odds: &ArrestOdds,
    entry_phase: Phase,
    entry_h: f64,
    record_times_h: &[f64],
    whole_intervals: Option<&[Option<Poisson<f64>>]>,
    rng: &mut R,
    mut moves: impl FnMut(f64, usize),
) -> BloodExit {
    let arrest = phases_until_arrest(odds, entry_phase, rng);
    let (arrest_phases, arrest_phase) = arrest.unwrap_or((u64::MAX, entry_phase));
    let mut completed = 0u64;
    let mut phase = entry_phase;
    let mut now_h = entry_h;
    for (r, &record_h) in record_times_h
        .iter()
        .enumerate()
        .filter(|(_, t)| **t > entry_h)
    {
        let span_h = record_h - now_h;
        let remaining = arrest_phases - completed;
        let cached = whole_intervals
            .filter(|_| r > 0 && now_h.to_bits() == record_times_h[r - 1].to_bits())
            .and_then(|samplers| samplers[r].as_ref());
        let phase_ends = match cached {
            Some(poisson) => {
                let draw: f64 = poisson.sample(rng);
                draw as u64
            }
            None => poisson_sample(circulation.phase_rate_per_h * span_h, rng),
        };
        if arrest.is_some() && phase_ends >= remaining {
            // The `remaining`-th phase end of this interval is the arrest: the
            // k-th of n uniform order statistics is Beta(k, n − k + 1).
            let fraction = beta_sample(remaining, phase_ends - remaining + 1, rng);
            let arrest_h = (now_h + span_h * fraction).min(record_h);
            let first_time_h = (arrest_h - now_h) * first_kind_fraction(remaining, rng);
            let last_phase = if remaining % 2 == 1 {
                phase
            } else {
                phase.other()
            };
            debug_assert_eq!(last_phase, arrest_phase);
            emit_interval(
                circulation,
                phase,
                last_phase,
                now_h,
                arrest_h,
                first_time_h,
                &mut moves,
            );
            let state = odds.choose_arrest(arrest_phase, rng);
            moves(arrest_h, state);
            return BloodExit::Arrested {
                time_h: arrest_h,
                state,
                phase: arrest_phase,
            };
        }
        completed = completed.saturating_add(phase_ends);
        let end_phase = if phase_ends.is_multiple_of(2) {
            phase
        } else {
            phase.other()
        };
        let first_time_h = span_h * first_kind_fraction(phase_ends.saturating_add(1), rng);
        emit_interval(
            circulation,
            phase,
            end_phase,
            now_h,
            record_h,
            first_time_h,
            &mut moves,
        );
        phase = end_phase;
        now_h = record_h;
    }
    BloodExit::StillCirculating
}

/// The reference: the same journey simulated one phase at a time (cost
/// proportional to the number of passes). Used by tests of [`circulate`].
pub fn circulate_pass_by_pass<R: Rng + ?Sized>(
    circulation: &Circulation,
    odds: &ArrestOdds,
    entry_phase: Phase,
    entry_h: f64,
    horizon_h: f64,
    rng: &mut R,
    mut moves: impl FnMut(f64, usize),
) -> BloodExit {
    let state = |phase| match phase {
        Phase::Venous => circulation.venous_state,
        Phase::Arterial => circulation.arterial_state,
    };
    let mut phase = entry_phase;
    let mut now_h = entry_h;
    loop {
        let unit: f64 = Exp1.sample(rng);
        now_h += unit / circulation.phase_rate_per_h;
        if now_h > horizon_h {
            return BloodExit::StillCirculating;
        }
        if uniform(rng) < odds.arrest_probability(phase) {
            let arrested = odds.choose_arrest(phase, rng);
            moves(now_h, arrested);
            return BloodExit::Arrested {
                time_h: now_h,
                state: arrested,
                phase,
            };
        }
        phase = phase.other();
        moves(now_h, state(phase));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::stream::{StreamPurpose, cell_stream};

    fn body_like() -> (Circulation, ArrestOdds) {
        let circulation = Circulation {
            venous_state: 0,
            arterial_state: 1,
            phase_rate_per_h: 100.0,
        };
        let odds = ArrestOdds {
            after_venous: vec![(2, 0.3)],
            after_arterial: vec![(3, 0.1), (4, 0.2)],
            diameter_um: 20.0,
        };
        (circulation, odds)
    }

    #[test]
    fn a_filter_that_always_arrests_stops_the_cell_at_the_first_phase_end() {
        let (circulation, mut odds) = body_like();
        odds.after_venous = vec![(2, 1.0)];
        let mut rng = cell_stream(5, StreamPurpose::Test, 0);
        let mut path = Vec::new();
        let exit = circulate(
            &circulation,
            &odds,
            Phase::Venous,
            0.0,
            &[1.0, 2.0],
            &mut rng,
            |t, s| path.push((t, s)),
        );
        match exit {
            BloodExit::Arrested { state, time_h, .. } => {
                assert_eq!(state, 2);
                assert_eq!(
                    path,
                    vec![(time_h, 2)],
                    "no blood-phase change before arrest"
                );
            }
            BloodExit::StillCirculating => panic!("a certain arrest was missed"),
        }
    }

    #[test]
    fn a_cell_that_never_arrests_circulates_to_the_horizon() {
        let (circulation, _) = body_like();
        let odds = ArrestOdds::default();
        let mut rng = cell_stream(5, StreamPurpose::Test, 1);
        let mut path = Vec::new();
        let exit = circulate(
            &circulation,
            &odds,
            Phase::Venous,
            0.0,
            &[1.0, 1000.0],
            &mut rng,
            |t, s| path.push((t, s)),
        );
        assert_eq!(exit, BloodExit::StillCirculating);
        assert!(path.iter().all(|&(t, s)| t <= 1000.0 && s < 2));
        assert!(
            path.windows(2).all(|w| w[0].0 <= w[1].0),
            "moves in time order"
        );
    }

    #[test]
    fn mean_arrest_time_matches_the_closed_form() {
        // Entering venous, arrest per circuit q = 0.3 + 0.7 × 0.3 = 0.51; the
        // number of phases M has mean E[M] = (1 + 0.7) / 0.51 (one venous phase
        // always, an arterial phase with probability 0.7 per circuit), and the
        // arrest time is M phases of mean 1/λ: E[T] = E[M] / λ.
        let (circulation, odds) = body_like();
        let expected_phases = 1.7 / 0.51;
        let expected_h = expected_phases / circulation.phase_rate_per_h;
        let cells = 200_000;
        let mut sum = 0.0;
        let mut sum_sq = 0.0;
        for cell in 0..cells {
            let mut rng = cell_stream(9, StreamPurpose::Test, cell);
            let exit = circulate(
                &circulation,
                &odds,
                Phase::Venous,
                0.0,
                &[0.01, 0.05, 10.0],
                &mut rng,
                |_, _| {},
            );
            let BloodExit::Arrested { time_h, .. } = exit else {
                panic!("every cell arrests well before 10 h");
            };
            sum += time_h;
            sum_sq += time_h * time_h;
        }
        let mean = sum / cells as f64;
        let sd = (sum_sq / cells as f64 - mean * mean).sqrt();
        // Five standard errors of the sample mean.
        let tolerance = 5.0 * sd / (cells as f64).sqrt();
        assert!(
            (mean - expected_h).abs() < tolerance,
            "mean arrest time {mean} h, expected {expected_h} h ± {tolerance}"
        );
    }
}
