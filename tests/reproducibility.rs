//! Same seed, same bytes: `counts.csv` and `exposure.csv` do not depend on the
//! thread count or the batch size; a different seed gives different counts.

mod common;

use biodist::output::tables::{counts_csv, exposure_csv};
use common::*;

const R1: &str = "scenarios/benchmarks/r1.toml";

fn files(threads: usize, batch_cells: u64, seed: &str) -> (Vec<u8>, Vec<u8>) {
    let scenario = load(R1, &["run.cells=300000", &format!("run.seed={seed}")]);
    let results = simulate(&scenario, threads, batch_cells);
    (counts_csv(&results), exposure_csv(&results))
}

#[test]
fn outputs_are_byte_identical_for_1_2_and_8_threads_and_any_batch_size() {
    let reference = files(1, 16_384, "7");
    for (threads, batch_cells) in [(2, 16_384), (8, 16_384), (8, 1_000), (2, 777), (1, 300_000)] {
        let other = files(threads, batch_cells, "7");
        assert!(
            other == reference,
            "{threads} threads, batches of {batch_cells}: output differs"
        );
    }
}

#[test]
fn a_different_seed_gives_different_counts() {
    assert_ne!(files(2, 16_384, "7").0, files(2, 16_384, "8").0);
}
