//! Integer tallies of where cells are, where they have been, and for how long.
//!
//! All tallies are integers, so adding the tallies of different threads gives
//! the same result in any order (no floating-point reduction, DESIGN.md §3).
//! Memory is O(record times × states), whatever the number of cells.
//!
//! Time is counted in ticks of [`HOURS_PER_TICK`] h (one nano-hour, 3.6 µs):
//! each event time is rounded once to a whole tick, and a sojourn contributes
//! exit tick − entry tick, so at every record time the cell-ticks of all states
//! add up to exactly cells × record ticks.

/// Length of one time tick in hours (the fixed time unit of `exposure.csv`).
pub const HOURS_PER_TICK: f64 = 1e-9;
/// Ticks per hour (exact in f64).
pub const TICKS_PER_HOUR: f64 = 1e9;
/// Name of the tick, written in the manifest.
pub const TICK_NAME: &str = "nanohour (1e-9 h = 3.6 µs)";

/// Converts a time in hours to whole ticks, rounding to nearest (ties to
/// even). Times of 2^52 ticks (about 513 years) or more, and +∞, saturate at
/// `u64::MAX`, beyond any record time (record times are at most
/// [`MAX_RECORD_TIME_H`]).
#[inline]
pub fn hours_to_ticks(time_h: f64) -> u64 {
    let ticks = time_h * TICKS_PER_HOUR;
    if ticks < TWO_POW_52 {
        // Adding 2^52 to a double in [0, 2^52) leaves the rounded integer in the
        // low mantissa bits: two instructions, where a saturating float-to-int
        // conversion takes several (the per-event loop does this once a jump).
        (ticks + TWO_POW_52).to_bits() - TWO_POW_52.to_bits()
    } else {
        u64::MAX
    }
}

/// 2^52 as f64.
const TWO_POW_52: f64 = 4_503_599_627_370_496.0;

/// The latest record time a scenario may ask for (h): 10^6 h, about 114 years,
/// well inside the exact range of the tick conversion.
pub const MAX_RECORD_TIME_H: f64 = 1e6;

/// The record times of a run, in ticks, strictly increasing.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordClock {
    record_ticks: Vec<u64>,
    record_hours: Vec<f64>,
}

/// Up to this many record times, [`RecordClock::records_before`] counts with
/// branch-free comparisons; beyond it, it binary-searches.
const LINEAR_SEARCH_RECORDS: usize = 16;

impl RecordClock {
    /// Builds the clock from record times in hours (≥ 0, strictly increasing
    /// once rounded to ticks; the scenario layer checks this).
    pub fn from_hours(record_times_h: &[f64]) -> Self {
        Self {
            record_ticks: record_times_h.iter().map(|&t| hours_to_ticks(t)).collect(),
            record_hours: record_times_h.to_vec(),
        }
    }

    /// Record times in hours, as given.
    #[inline]
    pub fn hours(&self) -> &[f64] {
        &self.record_hours
    }

    /// Record times in ticks.
    #[inline]
    pub fn ticks(&self) -> &[u64] {
        &self.record_ticks
    }

    /// Number of record times.
    pub fn len(&self) -> usize {
        self.record_ticks.len()
    }

    /// Whether there are no record times.
    pub fn is_empty(&self) -> bool {
        self.record_ticks.is_empty()
    }

    /// The last record time in ticks (0 if none).
    #[inline]
    pub fn last_tick(&self) -> u64 {
        self.record_ticks.last().copied().unwrap_or(0)
    }

    /// How many record times fall strictly before `tick`: the index of the
    /// first record time at or after it. An event at this tick is seen by that
    /// record and every later one.
    #[inline]
    pub fn records_before(&self, tick: u64) -> usize {
        if self.record_ticks.len() <= LINEAR_SEARCH_RECORDS {
            // Branch-free: whether an event crosses a record time is random, and
            // a mispredicted branch costs more than a few comparisons.
            self.record_ticks
                .iter()
                .map(|&r| usize::from(r < tick))
                .sum()
        } else {
            self.record_ticks.partition_point(|&r| r < tick)
        }
    }
}

/// The tallies of one (record interval, state): changes that happened in
/// (previous record time, this record time].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct IntervalTally {
    /// Entries minus exits.
    net_cells: i64,
    /// Sum of entry ticks minus sum of exit ticks.
    net_ticks: i128,
    /// Cells entering the state for the first time.
    first_entries: u64,
}

/// Integer tallies of one arm.
///
/// Stored as differences: for each (record interval, state), entries minus
/// exits in (previous record, this record], the sum of their times in ticks
/// (entries counted +, exits −), and first entries. The cells present at a
/// record time r are then a running sum, and the time spent in a state up to r
/// is Σ over entries (r − entry) − Σ over exits (r − exit) = r × present −
/// running net ticks, all exact integers. Recording an event costs O(1) with no
/// data-dependent branch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    state_count: usize,
    record_ticks: Vec<u64>,
    /// Indexed [record][state].
    intervals: Vec<IntervalTally>,
    /// Transitions fired up to the last record time.
    events: u64,
    /// Cells simulated.
    cells: u64,
}

impl Tally {
    /// An empty tally for `state_count` states recorded at `clock`'s times.
    pub fn new(state_count: usize, clock: &RecordClock) -> Self {
        Self {
            state_count,
            record_ticks: clock.ticks().to_vec(),
            intervals: vec![IntervalTally::default(); state_count * clock.len()],
            events: 0,
            cells: 0,
        }
    }

    #[inline]
    fn index(&self, record: usize, state: usize) -> usize {
        record * self.state_count + state
    }

    /// Adds another tally of the same shape (integer sums: any order gives the same result).
    pub fn merge(mut self, other: &Tally) -> Self {
        assert_eq!(
            (self.state_count, &self.record_ticks),
            (other.state_count, &other.record_ticks),
            "tallies of different shapes cannot be merged"
        );
        for (a, b) in self.intervals.iter_mut().zip(&other.intervals) {
            a.net_cells += b.net_cells;
            a.net_ticks += b.net_ticks;
            a.first_entries += b.first_entries;
        }
        self.events += other.events;
        self.cells += other.cells;
        self
    }

    /// Records a cell entering `state` at `tick`, where `record` is
    /// `clock.records_before(tick)` and must be a valid record index (the
    /// engine records nothing after the last record time). `first` says whether
    /// the cell had never been in `state` before.
    #[inline]
    pub fn add_entry(&mut self, state: usize, record: usize, tick: u64, first: bool) {
        let at = self.index(record, state);
        let interval = &mut self.intervals[at];
        interval.net_cells += 1;
        interval.net_ticks += i128::from(tick);
        interval.first_entries += u64::from(first);
    }

    /// Records a cell leaving `state` at `tick` (`record` as for [`Tally::add_entry`]).
    #[inline]
    pub fn add_exit(&mut self, state: usize, record: usize, tick: u64) {
        let at = self.index(record, state);
        let interval = &mut self.intervals[at];
        interval.net_cells -= 1;
        interval.net_ticks -= i128::from(tick);
    }

    /// Records that one more cell was simulated, having fired `events` transitions.
    #[inline]
    pub fn add_cell(&mut self, events: u64) {
        self.cells += 1;
        self.events += events;
    }

    /// Number of states.
    pub fn state_count(&self) -> usize {
        self.state_count
    }

    /// Number of record times.
    pub fn record_count(&self) -> usize {
        self.record_ticks.len()
    }

    /// Cells simulated.
    pub fn cells(&self) -> u64 {
        self.cells
    }

    /// Transitions fired up to the last record time, over all cells.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Running sum of one field up to and including `record`.
    fn running(&self, record: usize, state: usize, field: impl Fn(&IntervalTally) -> i128) -> i128 {
        (0..=record)
            .map(|r| field(&self.intervals[self.index(r, state)]))
            .sum()
    }

    /// Cells in `state` at record `record` (a cell that jumps exactly at a
    /// record time is counted where it jumped to).
    pub fn cells_at(&self, record: usize, state: usize) -> u64 {
        let present = self.running(record, state, |i| i128::from(i.net_cells));
        u64::try_from(present).unwrap_or(0) // infallible: exits never outnumber entries
    }

    /// Cells that entered `state` at least once at or before record `record`.
    pub fn ever_entered(&self, record: usize, state: usize) -> u64 {
        let entered = self.running(record, state, |i| i128::from(i.first_entries));
        u64::try_from(entered).unwrap_or(0) // infallible: a sum of u64 counts
    }

    /// Cell-ticks spent in `state` from time 0 up to record `record`.
    pub fn time_ticks(&self, record: usize, state: usize) -> u128 {
        let now = i128::from(self.record_ticks[record]);
        let present = self.running(record, state, |i| i128::from(i.net_cells));
        let net_ticks = self.running(record, state, |i| i.net_ticks);
        u128::try_from(now * present - net_ticks).unwrap_or(0) // infallible: each exit follows its entry
    }
}

/// Which states one cell has entered so far (a bit set reused from cell to cell).
#[derive(Debug, Clone)]
pub struct VisitedStates {
    /// States 0..64, as one word (most graphs fit; no memory traffic to clear).
    first_64: u64,
    /// States from 64 on, 64 per word (empty for small graphs).
    beyond_64: Vec<u64>,
}

impl VisitedStates {
    /// A set able to hold `state_count` states.
    pub fn new(state_count: usize) -> Self {
        Self {
            first_64: 0,
            beyond_64: vec![0; state_count.saturating_sub(64).div_ceil(64)],
        }
    }

    /// Empties the set for the next cell.
    #[inline]
    pub fn clear(&mut self) {
        self.first_64 = 0;
        if !self.beyond_64.is_empty() {
            self.beyond_64.fill(0);
        }
    }

    /// Whether `state` is marked.
    pub fn contains(&self, state: usize) -> bool {
        let bit = 1u64 << (state % 64);
        let word = if state < 64 {
            self.first_64
        } else {
            self.beyond_64.get(state / 64 - 1).copied().unwrap_or(0)
        };
        word & bit != 0
    }

    /// Marks `state`; returns true if it was not marked before.
    #[inline]
    pub fn insert(&mut self, state: usize) -> bool {
        let bit = 1u64 << (state % 64);
        let word = if state < 64 {
            &mut self.first_64
        } else {
            &mut self.beyond_64[state / 64 - 1]
        };
        let fresh = *word & bit == 0;
        *word |= bit;
        fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const _: () = {
        const fn send_sync<T: Send + Sync>() {}
        send_sync::<Tally>();
        send_sync::<RecordClock>();
    };

    /// Records one cell's path: (state, entry time h), the last state held to the end.
    fn record_path(tally: &mut Tally, clock: &RecordClock, path: &[(usize, f64)]) {
        let mut visited = VisitedStates::new(tally.state_count());
        for (i, &(state, entry_h)) in path.iter().enumerate() {
            let tick = hours_to_ticks(entry_h);
            let record = clock.records_before(tick);
            if i > 0 {
                tally.add_exit(path[i - 1].0, record, tick);
            }
            tally.add_entry(state, record, tick, visited.insert(state));
        }
        tally.add_cell(path.len() as u64 - 1);
    }

    #[test]
    fn ticks_round_to_nearest_and_saturate() {
        assert_eq!(hours_to_ticks(0.0), 0);
        assert_eq!(hours_to_ticks(1.0), 1_000_000_000);
        assert_eq!(hours_to_ticks(1.0 / 12.0), 83_333_333);
        assert_eq!(hours_to_ticks(2.0e-9 * 0.74), 1);
        assert_eq!(hours_to_ticks(MAX_RECORD_TIME_H), 1_000_000_000_000_000);
        assert_eq!(hours_to_ticks(1e7), u64::MAX);
        assert_eq!(hours_to_ticks(f64::INFINITY), u64::MAX);
    }

    #[test]
    fn records_before_counts_record_times_strictly_earlier() {
        let clock = RecordClock::from_hours(&[1.0, 2.0, 3.0]);
        let counts: Vec<usize> = [0.0, 1.0, 1.5, 3.0, 3.5]
            .iter()
            .map(|&t| clock.records_before(hours_to_ticks(t)))
            .collect();
        assert_eq!(counts, vec![0, 0, 1, 2, 3]);
        let many: Vec<f64> = (1..=40).map(f64::from).collect();
        let clock = RecordClock::from_hours(&many);
        assert_eq!(clock.records_before(hours_to_ticks(20.5)), 20);
    }

    #[test]
    fn a_sojourn_counts_at_records_inside_it_and_splits_its_time() {
        let clock = RecordClock::from_hours(&[1.0, 2.0, 3.0]);
        let mut tally = Tally::new(2, &clock);
        // In state 1 from 0 to 0.5 h, state 0 from 0.5 h to 2.5 h, then state 1.
        record_path(&mut tally, &clock, &[(1, 0.0), (0, 0.5), (1, 2.5)]);
        let present: Vec<u64> = (0..3).map(|r| tally.cells_at(r, 0)).collect();
        assert_eq!(present, vec![1, 1, 0]);
        assert_eq!(tally.time_ticks(0, 0), u128::from(hours_to_ticks(0.5)));
        assert_eq!(tally.time_ticks(1, 0), u128::from(hours_to_ticks(1.5)));
        assert_eq!(tally.time_ticks(2, 0), u128::from(hours_to_ticks(2.0)));
        assert_eq!(tally.time_ticks(2, 1), u128::from(hours_to_ticks(1.0)));
        assert_eq!(tally.ever_entered(0, 1), 1);
    }

    #[test]
    fn a_cell_leaving_exactly_at_a_record_time_is_counted_in_its_next_state() {
        let clock = RecordClock::from_hours(&[1.0]);
        let mut tally = Tally::new(2, &clock);
        record_path(&mut tally, &clock, &[(0, 0.0), (1, 1.0)]);
        assert_eq!((tally.cells_at(0, 0), tally.cells_at(0, 1)), (0, 1));
        assert_eq!(tally.ever_entered(0, 1), 1);
        assert_eq!(tally.time_ticks(0, 1), 0);
    }

    #[test]
    fn merging_adds_every_tally() {
        let clock = RecordClock::from_hours(&[1.0]);
        let mut a = Tally::new(2, &clock);
        record_path(&mut a, &clock, &[(0, 0.0), (1, 0.25), (0, 0.5), (1, 0.75)]);
        let b = a.clone();
        let merged = a.merge(&b);
        assert_eq!(merged.cells_at(0, 1), 2);
        assert_eq!(
            merged.ever_entered(0, 0),
            2,
            "a return is not a first entry"
        );
        assert_eq!((merged.cells(), merged.events()), (2, 6));
    }

    #[test]
    fn visited_states_reports_only_first_entries() {
        let mut visited = VisitedStates::new(130);
        for state in [0, 63, 64, 129] {
            assert!(visited.insert(state));
            assert!(!visited.insert(state));
        }
        visited.clear();
        assert!(visited.insert(129) && visited.insert(3));
    }
}
