//! R1 (shared/benchmarks) at N = 10^6 cells, 0 to 72 h, in biodist and in rebop
//! 0.10 (`define_system!`, a compiled Gillespie model), side by side in one run.
//!
//! Throughput is reported in events (transitions) per second. biodist counts its
//! own events; rebop does not expose a count, so its events are taken as N times
//! the exact expected jumps per cell by 72 h (5.0326, `r1_reference.json`), whose
//! relative Monte Carlo error at N = 10^6 is below 0.1 %. Both are checked: the
//! counts of each run must add up to N. After the criterion groups, a direct
//! best-of-5 timing of both prints the ratio of single-thread events per second.
//!
//! Run: `cargo bench --bench r1_peers`.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use biodist::engine::{RecordClock, Tally};
use biodist::scenario::{self, Scenario};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
const CELLS: u64 = 1_000_000;
/// Expected jumps per cell in [0, 72 h] (r1_reference.json, expected_events_per_cell[4]).
const EXPECTED_EVENTS_PER_CELL: f64 = 5.032584039800044;
const RECORD_TIMES_H: [f64; 5] = [1.0 / 12.0, 1.0, 4.0, 24.0, 72.0];

/// The peer's model. rebop's generated code picks its own RNG (`SmallRng`,
/// seeded by `seed()`); that is the peer's choice, so our RNG lints do not apply here.
#[allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    clippy::too_many_arguments
)]
mod peer {
    use rebop::define_system;
    define_system! {
        k_venous_lung k_venous_arterial k_arterial_liver k_arterial_spleen k_arterial_kidney
        k_arterial_heart k_arterial_brain k_arterial_muscle k_arterial_marrow k_arterial_synovium
        k_arterial_venous k_lung_venous k_lung_dead k_release k_death;
        R1 { venous, lung, arterial, liver, spleen, kidney, heart, brain, muscle, marrow, synovium, dead }
        venous_to_lung: venous => lung @ k_venous_lung
        venous_to_arterial: venous => arterial @ k_venous_arterial
        arterial_to_liver: arterial => liver @ k_arterial_liver
        arterial_to_spleen: arterial => spleen @ k_arterial_spleen
        arterial_to_kidney: arterial => kidney @ k_arterial_kidney
        arterial_to_heart: arterial => heart @ k_arterial_heart
        arterial_to_brain: arterial => brain @ k_arterial_brain
        arterial_to_muscle: arterial => muscle @ k_arterial_muscle
        arterial_to_marrow: arterial => marrow @ k_arterial_marrow
        arterial_to_synovium: arterial => synovium @ k_arterial_synovium
        arterial_to_venous: arterial => venous @ k_arterial_venous
        lung_to_venous: lung => venous @ k_lung_venous
        lung_to_dead: lung => dead @ k_lung_dead
        liver_to_venous: liver => venous @ k_release
        liver_to_dead: liver => dead @ k_death
        spleen_to_venous: spleen => venous @ k_release
        spleen_to_dead: spleen => dead @ k_death
        kidney_to_venous: kidney => venous @ k_release
        kidney_to_dead: kidney => dead @ k_death
        heart_to_venous: heart => venous @ k_release
        heart_to_dead: heart => dead @ k_death
        brain_to_venous: brain => venous @ k_release
        brain_to_dead: brain => dead @ k_death
        muscle_to_venous: muscle => venous @ k_release
        muscle_to_dead: muscle => dead @ k_death
        marrow_to_venous: marrow => venous @ k_release
        marrow_to_dead: marrow => dead @ k_death
        synovium_to_venous: synovium => venous @ k_release
        synovium_to_dead: synovium => dead @ k_death
    }

    use super::{CELLS, RECORD_TIMES_H};

    /// Rates copied from shared/benchmarks/r1_model.json.
    fn rebop_r1(seed: u64) -> R1 {
        let mut model = R1::new();
        model.seed(seed);
        model.k_venous_lung = 57.0;
        model.k_venous_arterial = 3.0000000000000027;
        model.k_arterial_liver = 7.5;
        model.k_arterial_spleen = 0.8999999999999999;
        model.k_arterial_kidney = 0.5700000000000001;
        model.k_arterial_heart = 0.12;
        model.k_arterial_brain = 0.072;
        model.k_arterial_muscle = 0.20400000000000001;
        model.k_arterial_marrow = 0.6000000000000001;
        model.k_arterial_synovium = 0.015;
        model.k_arterial_venous = 50.019;
        model.k_lung_venous = 0.05;
        model.k_lung_dead = 0.03;
        model.k_release = 0.01;
        model.k_death = 0.02;
        model.venous = CELLS as isize;
        model
    }

    /// rebop: all cells venous at 0, advanced to each record time; returns the dead count.
    pub fn run_rebop(seed: u64) -> isize {
        let mut model = rebop_r1(seed);
        let mut total_at_records = 0;
        for &t in &RECORD_TIMES_H {
            model.advance_until(t);
            let total = model.venous
                + model.lung
                + model.arterial
                + model.liver
                + model.spleen
                + model.kidney
                + model.heart
                + model.brain
                + model.muscle
                + model.marrow
                + model.synovium
                + model.dead;
            assert_eq!(total, CELLS as isize, "rebop lost cells");
            total_at_records += model.dead;
        }
        total_at_records
    }
}

fn r1_scenario() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/benchmarks/r1.toml");
    scenario::load(&path, &[format!("run.cells={CELLS}")]).expect("r1.toml loads")
}

/// biodist on the current rayon pool; checks conservation at every record time.
fn run_biodist(scenario: &Scenario, clock: &RecordClock, seed: u64) -> Tally {
    let graph = &scenario.checked.graph;
    let tally = biodist::run::simulate_cells(graph, clock, seed, CELLS, 16_384, &|_| {});
    for record in 0..clock.len() {
        let total: u64 = (0..graph.state_count())
            .map(|s| tally.cells_at(record, s))
            .sum();
        assert_eq!(total, CELLS, "biodist lost cells");
    }
    tally
}

fn single_thread_pool() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("one thread starts")
}

fn bench_r1(c: &mut Criterion) {
    let scenario = r1_scenario();
    let clock = RecordClock::from_hours(scenario.record_times_h());
    let pool = single_thread_pool();
    let biodist_events = pool.install(|| run_biodist(&scenario, &clock, 1)).events();
    let rebop_events = (CELLS as f64 * EXPECTED_EVENTS_PER_CELL).round() as u64;

    let mut group = c.benchmark_group("r1_1e6_cells_single_thread");
    group.sample_size(10);
    group.throughput(Throughput::Elements(biodist_events));
    group.bench_function("biodist", |b| {
        b.iter(|| pool.install(|| black_box(run_biodist(&scenario, &clock, black_box(1)))))
    });
    group.throughput(Throughput::Elements(rebop_events));
    group.bench_function("rebop_define_system", |b| {
        b.iter(|| black_box(peer::run_rebop(black_box(1))))
    });
    group.finish();

    let mut scaling = c.benchmark_group("r1_1e6_cells_threads");
    scaling.sample_size(10);
    scaling.throughput(Throughput::Elements(biodist_events));
    for threads in [1usize, 2, 4, 8, 16] {
        if threads > std::thread::available_parallelism().map_or(1, |n| n.get()) {
            continue;
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        scaling.bench_function(format!("biodist_{threads}_threads"), |b| {
            b.iter(|| pool.install(|| black_box(run_biodist(&scenario, &clock, black_box(1)))))
        });
    }
    scaling.finish();
    print_ratio(&scenario, &clock, &pool, biodist_events, rebop_events);
}

/// Best of five wall times of each, in the same process, and their ratio.
fn print_ratio(
    scenario: &Scenario,
    clock: &RecordClock,
    pool: &rayon::ThreadPool,
    biodist_events: u64,
    rebop_events: u64,
) {
    let best = |f: &dyn Fn()| {
        (0..5)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let biodist_s = best(&|| {
        pool.install(|| black_box(run_biodist(scenario, clock, 1)));
    });
    let rebop_s = best(&|| {
        black_box(peer::run_rebop(1));
    });
    let biodist_rate = biodist_events as f64 / biodist_s;
    let rebop_rate = rebop_events as f64 / rebop_s;
    println!(
        "R1, N = {CELLS}, one thread: biodist {biodist_rate:.3e} events/s ({biodist_s:.3} s), \
         rebop {rebop_rate:.3e} events/s ({rebop_s:.3} s), ratio {:.2}",
        biodist_rate / rebop_rate
    );
}

criterion_group!(benches, bench_r1);
criterion_main!(benches);
