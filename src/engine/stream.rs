//! Random streams keyed by (seed, purpose, cell index).
//!
//! Every cell draws its random numbers from its own stream, so a result does
//! not depend on the thread count, the batch size or how a run is split
//! (DESIGN.md §3). The key is hashed through three rounds of the SplitMix64
//! finalizer, each a bijection of 64-bit words, so for one purpose and one cell
//! two different seeds never give the same key; the key then seeds a named,
//! portable generator, `Xoshiro256PlusPlus` (its `seed_from_u64` fills the
//! 256-bit state through SplitMix64, as its documentation fixes).

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

/// The generator behind every stream (named, portable across platforms and releases).
pub type CellRng = Xoshiro256PlusPlus;

/// What a stream is used for. Separate purposes keep, for example, a cell's
/// size apart from its fate, so arms of one scenario share the cell's size
/// (common random numbers) while their fates differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum StreamPurpose {
    /// The cell's journey through the graph (dwell times and branch choices).
    Fate = 0x6661_7465, // "fate"
    /// The cell's own attributes (diameter, deformability), shared by all arms.
    Attributes = 0x6174_7472, // "attr"
    /// The parameter sets of `biodist run --uncertainty` (one stream per set).
    Parameters = 0x7061_726d, // "parm"
    /// Draws made by tests of samplers.
    Test = 0x7465_7374, // "test"
}

/// SplitMix64 finalizer (Steele, Lea & Flood 2014): a bijection on u64 with good avalanche.
#[inline]
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The 64-bit key of a stream.
#[inline]
pub fn stream_key(seed: u64, purpose: StreamPurpose, cell: u64) -> u64 {
    StreamFamily::new(seed, purpose).key(cell)
}

/// The random stream of `cell` for `purpose` under `seed`.
#[inline]
pub fn cell_stream(seed: u64, purpose: StreamPurpose, cell: u64) -> CellRng {
    StreamFamily::new(seed, purpose).stream(cell)
}

/// The streams of every cell for one (seed, purpose), with the part of the key
/// hash that does not depend on the cell done once.
#[derive(Debug, Clone, Copy)]
pub struct StreamFamily {
    base: u64,
}

impl StreamFamily {
    /// The family of streams for `purpose` under `seed`.
    pub fn new(seed: u64, purpose: StreamPurpose) -> Self {
        Self {
            base: mix(mix(seed) ^ purpose as u64),
        }
    }

    /// The key of `cell`'s stream.
    #[inline]
    pub fn key(&self, cell: u64) -> u64 {
        mix(self.base ^ cell)
    }

    /// `cell`'s stream.
    #[inline]
    pub fn stream(&self, cell: u64) -> CellRng {
        CellRng::seed_from_u64(self.key(cell))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;
    use std::collections::BTreeSet;

    #[test]
    fn keys_are_distinct_across_seeds_cells_and_purposes() {
        let mut keys = BTreeSet::new();
        for seed in 0..50 {
            for cell in 0..200 {
                for purpose in [StreamPurpose::Fate, StreamPurpose::Attributes] {
                    assert!(keys.insert(stream_key(seed, purpose, cell)));
                }
            }
        }
    }

    #[test]
    fn a_stream_depends_only_on_its_key() {
        let mut a = cell_stream(7, StreamPurpose::Fate, 12_345);
        let mut b = cell_stream(7, StreamPurpose::Fate, 12_345);
        let mut c = cell_stream(7, StreamPurpose::Attributes, 12_345);
        let (x, y, z) = (a.next_u64(), b.next_u64(), c.next_u64());
        assert_eq!(x, y);
        assert_ne!(x, z);
    }

    /// Value stability: this pins the first draw of one stream. It changes only
    /// if the key hash or the generator changes; update it deliberately, with a note.
    #[test]
    fn first_draw_of_a_pinned_stream_is_stable() {
        let mut rng = cell_stream(1, StreamPurpose::Fate, 0);
        assert_eq!(
            stream_key(1, StreamPurpose::Fate, 0),
            11_995_778_023_010_609_041
        );
        assert_eq!(rng.next_u64(), PINNED_FIRST_DRAW);
    }
    const PINNED_FIRST_DRAW: u64 = 14_259_363_971_249_364_216;
}
