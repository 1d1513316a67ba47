//! Joint tallies of the arms of one run, for paired comparisons.
//!
//! Every arm of a run simulates cell `i` from the same streams (common
//! random numbers), so arm A's cell `i` and arm B's cell `i` are a pair.
//! The variance of a difference between two arms then needs, besides each
//! arm's own counts, how many pairs have *both* members in a place at a
//! record time. [`PairTally`] counts exactly that, per (arm pair, record,
//! group of tally slots), in integers, so it is thread-independent like
//! every other tally. Groups (organs) are given as a bit mask per slot: a
//! slot may belong to several groups (`knee/cartilage` is in `knee`, in
//! `whole_knee` and in its own group).

/// Where one cell of one arm is at each record time (tally slots).
#[derive(Debug, Clone)]
pub struct RecordPositions {
    slots: Vec<usize>,
}

impl RecordPositions {
    /// Positions for `records` record times.
    pub fn new(records: usize) -> Self {
        Self {
            slots: vec![0; records],
        }
    }

    /// A new cell starts in `slot` at t = 0.
    pub fn start(&mut self, slot: usize) {
        self.slots.fill(slot);
    }

    /// The cell moved into `slot` at a time first seen by record `record`
    /// (the index [`super::RecordClock::records_before`] gives): it is there
    /// at that record and every later one, until its next move.
    #[inline]
    pub fn moved(&mut self, record: usize, slot: usize) {
        if let Some(later) = self.slots.get_mut(record..) {
            later.fill(slot);
        }
    }

    /// The slot at each record time.
    pub fn slots(&self) -> &[usize] {
        &self.slots
    }
}

/// Per (arm pair a < b, record, group): the cells whose arm-a and arm-b
/// copies were both in the group at that record time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairTally {
    arms: usize,
    records: usize,
    groups: usize,
    both: Vec<u64>,
}

impl PairTally {
    /// An empty tally for `arms` arms, `records` record times and `groups`
    /// groups (at most 64).
    pub fn new(arms: usize, records: usize, groups: usize) -> Self {
        let pairs = arms * arms.saturating_sub(1) / 2;
        Self {
            arms,
            records,
            groups,
            both: vec![0; pairs * records * groups],
        }
    }

    fn pair_index(&self, a: usize, b: usize) -> usize {
        // Pairs in order (0,1), (0,2), …, (1,2), …
        a * (2 * self.arms - a - 1) / 2 + (b - a - 1)
    }

    /// Adds one cell: `positions[arm]` says where each arm's copy was;
    /// `membership[slot]` has bit g set when the slot is in group g.
    pub fn add_cell(&mut self, positions: &[RecordPositions], membership: &[u64]) {
        for a in 0..self.arms {
            for b in a + 1..self.arms {
                let base = self.pair_index(a, b) * self.records;
                let slots_a = positions[a].slots();
                let slots_b = positions[b].slots();
                for record in 0..self.records {
                    let mut shared = membership[slots_a[record]] & membership[slots_b[record]];
                    let row = (base + record) * self.groups;
                    while shared != 0 {
                        let group = shared.trailing_zeros() as usize;
                        self.both[row + group] += 1;
                        shared &= shared - 1;
                    }
                }
            }
        }
    }

    /// Adds another tally of the same shape.
    pub fn merge(mut self, other: &PairTally) -> Self {
        for (mine, theirs) in self.both.iter_mut().zip(&other.both) {
            *mine += theirs;
        }
        self
    }

    /// Cells whose copies in arms `a` and `b` (a ≠ b) were both in `group` at
    /// record `record`.
    pub fn both(&self, a: usize, b: usize, record: usize, group: usize) -> u64 {
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        self.both[(self.pair_index(a, b) * self.records + record) * self.groups + group]
    }

    /// Number of arms.
    pub fn arms(&self) -> usize {
        self.arms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_follow_moves_from_their_record_on() {
        let mut at = RecordPositions::new(4);
        at.start(2);
        at.moved(1, 5);
        at.moved(3, 7);
        assert_eq!(at.slots(), &[2, 5, 5, 7]);
        // A move after the last record changes nothing.
        at.moved(4, 9);
        assert_eq!(at.slots(), &[2, 5, 5, 7]);
    }

    #[test]
    fn counts_cells_whose_copies_share_a_group() {
        // Slots 0, 1, 2; group 0 = {0, 1}, group 1 = {1}; three arms.
        let membership = [0b01, 0b11, 0b00];
        let mut tally = PairTally::new(3, 2, 2);
        let arm = |slots: [usize; 2]| {
            let mut p = RecordPositions::new(2);
            p.start(slots[0]);
            p.moved(1, slots[1]);
            p
        };
        let positions = [arm([0, 1]), arm([1, 1]), arm([2, 0])];
        tally.add_cell(&positions, &membership);
        // Arms 0 and 1: record 0 slots 0 and 1 share group 0; record 1 both
        // in slot 1 share groups 0 and 1.
        assert_eq!(tally.both(0, 1, 0, 0), 1);
        assert_eq!(tally.both(0, 1, 0, 1), 0);
        assert_eq!(tally.both(1, 0, 1, 0), 1);
        assert_eq!(tally.both(0, 1, 1, 1), 1);
        // Arm 2 is in slot 2 (no group), then slot 0 (group 0).
        assert_eq!(tally.both(0, 2, 0, 0), 0);
        assert_eq!(tally.both(0, 2, 1, 0), 1);
        assert_eq!(tally.both(1, 2, 1, 0), 1);
        assert_eq!(tally.both(1, 2, 1, 1), 0);
        let doubled = tally.clone().merge(&tally);
        assert_eq!(doubled.both(1, 2, 1, 0), 2);
    }
}
