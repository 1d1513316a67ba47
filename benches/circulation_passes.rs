//! Cost per cell of the aggregate circulation against the number of passes a
//! cell makes before it arrests (issue 4, item 7): products whose mean number
//! of circuits is 10, 10^2, 10^3 and 10^4, in a human circulation (two blood
//! phases per 1.06 min circulation time).
//!
//! The sampler's work is one geometric draw per entry into the blood plus, for
//! each record interval the cell spends circulating, one Poisson and two Gamma
//! draws: it does not depend on the number of passes, but a cell that
//! circulates longer crosses more record times. So two groups:
//! - `one_record_interval`: a single record time (6 months), which every
//!   product reaches in one interval: the cost must stay flat (within 2×);
//! - `knee_record_grid`: the knee scenario's 11 record times from 5 min to 6
//!   months: a 10^4-pass cell circulates for ~180 h and crosses 7 of them, a
//!   10-pass cell 2, so the cost grows with the record times crossed (at most
//!   the number of record times), not with passes.
//!
//! After the criterion groups, a direct best-of-5 timing prints the ratio of
//! the slowest to the fastest for each.
//!
//! Run: `cargo bench --bench circulation_passes`.

use std::hint::black_box;
use std::time::Instant;

use biodist::engine::circulation::{
    ArrestOdds, BloodClock, Circulation, Phase, circulate_with_clock,
};
use biodist::engine::stream::{StreamPurpose, cell_stream};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const CELLS: u64 = 20_000;
const ONE_RECORD_H: [f64; 1] = [4380.0];
const KNEE_RECORDS_H: [f64; 11] = [
    1.0 / 12.0,
    0.25,
    1.0,
    4.0,
    24.0,
    72.0,
    168.0,
    336.0,
    720.0,
    2160.0,
    4380.0,
];
const MEAN_PASSES: [f64; 4] = [10.0, 100.0, 1_000.0, 10_000.0];

fn setup(mean_passes: f64) -> (Circulation, ArrestOdds) {
    // Human: blood 5530 mL, cardiac output 5200 mL/min (Brown 1997):
    // phase rate 2 × 5200 / 5530 × 60 = 112.8 per hour.
    let circulation = Circulation {
        venous_state: 0,
        arterial_state: 1,
        phase_rate_per_h: 2.0 * 5200.0 / 5530.0 * 60.0,
    };
    // Arrest only in the systemic beds, 1 / passes per circuit, over three beds.
    let q = 1.0 / mean_passes;
    let odds = ArrestOdds {
        after_venous: vec![(2, 0.0)],
        after_arterial: vec![(3, 0.5 * q), (4, 0.3 * q), (5, 0.2 * q)],
        diameter_um: 20.0,
    };
    (circulation, odds)
}

fn run_cells(circulation: &Circulation, odds: &ArrestOdds, records_h: &[f64]) -> u64 {
    let clock = BloodClock::new(circulation, records_h);
    let mut moves = 0u64;
    for cell in 0..CELLS {
        let mut rng = cell_stream(1, StreamPurpose::Test, cell);
        circulate_with_clock(
            circulation,
            &clock,
            odds,
            Phase::Venous,
            0.0,
            &mut rng,
            |_, _| moves += 1,
        );
    }
    moves
}

fn bench_grid(c: &mut Criterion, name: &str, records_h: &[f64]) -> f64 {
    let mut group = c.benchmark_group(name);
    group.sample_size(10);
    group.throughput(Throughput::Elements(CELLS));
    for passes in MEAN_PASSES {
        let (circulation, odds) = setup(passes);
        group.bench_function(format!("mean_passes_{passes:e}"), |b| {
            b.iter(|| black_box(run_cells(&circulation, &odds, records_h)))
        });
    }
    group.finish();
    let mut best = Vec::new();
    for passes in MEAN_PASSES {
        let (circulation, odds) = setup(passes);
        let fastest = (0..5)
            .map(|_| {
                let start = Instant::now();
                black_box(run_cells(&circulation, &odds, records_h));
                start.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min);
        let per_cell_ns = fastest / CELLS as f64 * 1e9;
        println!(
            "{name}: mean passes {passes:>7}: {per_cell_ns:.0} ns per cell (best of 5, {CELLS} cells)"
        );
        best.push(per_cell_ns);
    }
    let (low, high) = best
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(l, h), &x| (l.min(x), h.max(x)));
    high / low
}

fn bench_passes(c: &mut Criterion) {
    let flat = bench_grid(c, "one_record_interval", &ONE_RECORD_H);
    let grid = bench_grid(c, "knee_record_grid", &KNEE_RECORDS_H);
    println!("one record interval: slowest / fastest cost per cell {flat:.2} (must stay below 2)");
    println!(
        "knee record grid (11 times): slowest / fastest {grid:.2} (grows with record times crossed, not passes)"
    );
}

criterion_group!(benches, bench_passes);
criterion_main!(benches);
