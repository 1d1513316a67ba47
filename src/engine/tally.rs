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

/// Converts a time in hours to whole ticks, rounding to nearest; +∞ and huge
/// times saturate at `u64::MAX`, which lies beyond any record time.
#[inline]
pub fn hours_to_ticks(time_h: f64) -> u64 {
    (time_h * TICKS_PER_HOUR).round() as u64
}

/// The record times of a run, in ticks, strictly increasing.
#[derive(Debug, Clone)]
pub struct RecordClock {
    record_ticks: Vec<u64>,
}

impl RecordClock {
    /// Builds the clock from record times in hours (≥ 0, strictly increasing
    /// once rounded to ticks; the scenario layer checks this).
    pub fn from_hours(record_times_h: &[f64]) -> Self {
        Self {
            record_ticks: record_times_h.iter().map(|&t| hours_to_ticks(t)).collect(),
        }
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
}

/// Integer tallies of one arm, indexed [record][state].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    state_count: usize,
    record_count: usize,
    /// Cells in each state at each record time.
    occupancy: Vec<u64>,
    /// Cells entering each state for the first time in (previous record, this record].
    first_entries: Vec<u64>,
    /// Cell-ticks spent in each state in (previous record, this record].
    interval_ticks: Vec<u128>,
    /// Transitions fired up to the last record time.
    events: u64,
    /// Cells simulated.
    cells: u64,
}

impl Tally {
    /// An empty tally.
    pub fn new(state_count: usize, record_count: usize) -> Self {
        let size = state_count * record_count;
        Self {
            state_count,
            record_count,
            occupancy: vec![0; size],
            first_entries: vec![0; size],
            interval_ticks: vec![0; size],
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
            (self.state_count, self.record_count),
            (other.state_count, other.record_count),
            "tallies of different shapes cannot be merged"
        );
        for (a, b) in self.occupancy.iter_mut().zip(&other.occupancy) {
            *a += b;
        }
        for (a, b) in self.first_entries.iter_mut().zip(&other.first_entries) {
            *a += b;
        }
        for (a, b) in self.interval_ticks.iter_mut().zip(&other.interval_ticks) {
            *a += b;
        }
        self.events += other.events;
        self.cells += other.cells;
        self
    }

    /// Records one sojourn in `state` over ticks [entry, exit). `cursor` is the
    /// first record index whose time is ≥ entry; the returned value is the first
    /// record index whose time is ≥ exit. A cell is in the state at a record time
    /// r when entry ≤ r < exit.
    #[inline]
    pub fn add_sojourn(
        &mut self,
        clock: &RecordClock,
        state: usize,
        entry_tick: u64,
        exit_tick: u64,
        cursor: usize,
    ) -> usize {
        let mut record = cursor;
        let mut from_tick = entry_tick;
        let ticks = clock.ticks();
        while record < ticks.len() {
            let record_tick = ticks[record];
            let at = self.index(record, state);
            if record_tick >= exit_tick {
                self.interval_ticks[at] += u128::from(exit_tick - from_tick);
                return record;
            }
            self.occupancy[at] += 1;
            self.interval_ticks[at] += u128::from(record_tick - from_tick);
            from_tick = record_tick;
            record += 1;
        }
        record
    }

    /// Records a first entry into `state`; `cursor` is the first record index
    /// whose time is ≥ the entry time (entries after the last record are not counted).
    #[inline]
    pub fn add_first_entry(&mut self, state: usize, cursor: usize) {
        if cursor < self.record_count {
            let at = self.index(cursor, state);
            self.first_entries[at] += 1;
        }
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
        self.record_count
    }

    /// Cells simulated.
    pub fn cells(&self) -> u64 {
        self.cells
    }

    /// Transitions fired up to the last record time, over all cells.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Cells in `state` at record `record`.
    pub fn cells_at(&self, record: usize, state: usize) -> u64 {
        self.occupancy[self.index(record, state)]
    }

    /// Cells that entered `state` at least once at or before record `record`.
    pub fn ever_entered(&self, record: usize, state: usize) -> u64 {
        (0..=record)
            .map(|r| self.first_entries[self.index(r, state)])
            .sum()
    }

    /// Cell-ticks spent in `state` from time 0 up to record `record`.
    pub fn time_ticks(&self, record: usize, state: usize) -> u128 {
        (0..=record)
            .map(|r| self.interval_ticks[self.index(r, state)])
            .sum()
    }
}

/// Which states one cell has entered so far (a bit set reused from cell to cell).
#[derive(Debug, Clone)]
pub struct VisitedStates {
    words: Vec<u64>,
}

impl VisitedStates {
    /// A set able to hold `state_count` states.
    pub fn new(state_count: usize) -> Self {
        Self {
            words: vec![0; state_count.div_ceil(64).max(1)],
        }
    }

    /// Empties the set for the next cell.
    #[inline]
    pub fn clear(&mut self) {
        self.words.fill(0);
    }

    /// Marks `state`; returns true if it was not marked before.
    #[inline]
    pub fn insert(&mut self, state: usize) -> bool {
        let (word, bit) = (state / 64, 1u64 << (state % 64));
        let fresh = self.words[word] & bit == 0;
        self.words[word] |= bit;
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

    #[test]
    fn a_sojourn_counts_at_records_inside_it_and_splits_its_time() {
        let clock = RecordClock::from_hours(&[1.0, 2.0, 3.0]);
        let mut tally = Tally::new(2, 3);
        // In state 0 from 0.5 h to 2.5 h: present at 1 h and 2 h, not at 3 h.
        let cursor = tally.add_sojourn(&clock, 0, hours_to_ticks(0.5), hours_to_ticks(2.5), 0);
        assert_eq!(cursor, 2);
        assert_eq!(
            (0..3).map(|r| tally.cells_at(r, 0)).collect::<Vec<_>>(),
            vec![1, 1, 0]
        );
        assert_eq!(tally.time_ticks(0, 0), u128::from(hours_to_ticks(0.5)));
        assert_eq!(tally.time_ticks(1, 0), u128::from(hours_to_ticks(1.5)));
        assert_eq!(tally.time_ticks(2, 0), u128::from(hours_to_ticks(2.0)));
    }

    #[test]
    fn a_cell_leaving_exactly_at_a_record_time_is_counted_in_its_next_state() {
        let clock = RecordClock::from_hours(&[1.0]);
        let mut tally = Tally::new(2, 1);
        let cursor = tally.add_sojourn(&clock, 0, 0, hours_to_ticks(1.0), 0);
        assert_eq!(cursor, 0);
        tally.add_first_entry(1, cursor);
        tally.add_sojourn(&clock, 1, hours_to_ticks(1.0), u64::MAX, cursor);
        assert_eq!((tally.cells_at(0, 0), tally.cells_at(0, 1)), (0, 1));
        assert_eq!(tally.ever_entered(0, 1), 1);
    }

    #[test]
    fn merging_adds_every_tally() {
        let clock = RecordClock::from_hours(&[1.0]);
        let mut a = Tally::new(1, 1);
        a.add_sojourn(&clock, 0, 0, u64::MAX, 0);
        a.add_cell(3);
        let b = a.clone();
        let merged = a.merge(&b);
        assert_eq!(merged.cells_at(0, 0), 2);
        assert_eq!((merged.cells(), merged.events()), (2, 6));
    }

    #[test]
    fn visited_states_reports_only_first_entries() {
        let mut visited = VisitedStates::new(130);
        assert!(visited.insert(129));
        assert!(!visited.insert(129));
        visited.clear();
        assert!(visited.insert(129));
    }
}
