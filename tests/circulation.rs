//! The aggregate circulation sampler against an explicit pass-by-pass
//! simulation of the same cells' odds (issue 4, item 7).

use biodist::engine::circulation::{
    ArrestOdds, BloodExit, Circulation, Phase, circulate, circulate_pass_by_pass,
};
use biodist::engine::stream::{StreamPurpose, cell_stream};
use biodist::stats::regularized_gamma_q;

const VENOUS: usize = 0;
const ARTERIAL: usize = 1;
const RECORDS_H: [f64; 4] = [0.05, 0.15, 0.3, 0.5];
const HORIZON_H: f64 = 0.5;
/// Arrest-time bin edges (h); arrests after the horizon are censored (own bin).
const BIN_EDGES_H: [f64; 6] = [0.0, 0.02, 0.05, 0.1, 0.2, 0.3];

fn setup() -> (Circulation, ArrestOdds) {
    // About 18 circuits (37 phases) before arrest on average: per circuit
    // q = 0.02 + 0.98 × 0.035 = 0.0543; with λ = 100 phases per hour the mean
    // arrest time is 0.37 h, so the horizon of 0.5 h censors a good share.
    (
        Circulation {
            venous_state: VENOUS,
            arterial_state: ARTERIAL,
            phase_rate_per_h: 100.0,
        },
        ArrestOdds {
            after_venous: vec![(2, 0.02)],
            after_arterial: vec![(3, 0.01), (4, 0.02), (5, 0.005)],
            diameter_um: 20.0,
        },
    )
}

/// What one cell did: arrest (bed, time) or censored, its state at each
/// record time, and the time it spent in venous blood up to each record time.
struct Outcome {
    arrest: Option<(usize, f64)>,
    state_at: [usize; 4],
    venous_h: [f64; 4],
}

fn outcome(moves: &[(f64, usize)], exit: BloodExit) -> Outcome {
    let mut state_at = [VENOUS; 4];
    let mut venous_h = [0.0; 4];
    for (r, &t) in RECORDS_H.iter().enumerate() {
        // A move exactly at a record time counts (the cell is where it jumped to).
        let mut state = VENOUS;
        let mut since = 0.0;
        let mut venous = 0.0;
        for &(at, to) in moves.iter().take_while(|m| m.0 <= t) {
            if state == VENOUS {
                venous += at - since;
            }
            state = to;
            since = at;
        }
        if state == VENOUS {
            venous += t - since;
        }
        state_at[r] = state;
        venous_h[r] = venous;
    }
    let arrest = match exit {
        BloodExit::Arrested { time_h, state, .. } => Some((state, time_h)),
        BloodExit::StillCirculating => None,
    };
    Outcome {
        arrest,
        state_at,
        venous_h,
    }
}

fn simulate(aggregate: bool, cells: u64) -> Vec<Outcome> {
    let (circulation, odds) = setup();
    (0..cells)
        .map(|cell| {
            let purpose_seed = if aggregate { 21 } else { 22 };
            let mut rng = cell_stream(purpose_seed, StreamPurpose::Test, cell);
            let mut moves = Vec::new();
            let exit = if aggregate {
                circulate(
                    &circulation,
                    &odds,
                    Phase::Venous,
                    0.0,
                    &RECORDS_H,
                    &mut rng,
                    |t, s| moves.push((t, s)),
                )
            } else {
                circulate_pass_by_pass(
                    &circulation,
                    &odds,
                    Phase::Venous,
                    0.0,
                    HORIZON_H,
                    &mut rng,
                    |t, s| moves.push((t, s)),
                )
            };
            outcome(&moves, exit)
        })
        .collect()
}

/// Two-sample chi-square p-value for two equal-size samples' category counts:
/// χ² = Σ (a − b)² / (a + b) over categories, pooling categories with
/// a + b < 10 into one; df = categories − 1.
fn two_sample_p_value(a: &[u64], b: &[u64]) -> (f64, usize, f64) {
    let mut chi2 = 0.0;
    let mut categories = 0;
    let (mut pooled_a, mut pooled_b) = (0u64, 0u64);
    for (&x, &y) in a.iter().zip(b) {
        if x + y < 10 {
            pooled_a += x;
            pooled_b += y;
            continue;
        }
        chi2 += (x as f64 - y as f64).powi(2) / (x + y) as f64;
        categories += 1;
    }
    if pooled_a + pooled_b > 0 {
        chi2 += (pooled_a as f64 - pooled_b as f64).powi(2) / (pooled_a + pooled_b) as f64;
        categories += 1;
    }
    let df = categories - 1;
    (chi2, df, regularized_gamma_q(df as f64 / 2.0, chi2 / 2.0))
}

#[test]
fn aggregate_circulation_matches_pass_by_pass_in_distribution() {
    let cells = 40_000;
    let aggregate = simulate(true, cells);
    let explicit = simulate(false, cells);

    // Joint table of (bed of arrest × arrest-time bin), plus one censored bin:
    // 4 beds × 6 bins + 1 = 25 categories before pooling, df = categories − 1
    // after. Accepted at p ≥ 1e-6 (the α of the exact binomial rule); at
    // df = 24 the critical χ² is about 72.
    let table = |outcomes: &[Outcome]| {
        let mut counts = vec![0u64; 4 * BIN_EDGES_H.len() + 1];
        for o in outcomes {
            match o.arrest {
                Some((bed, time_h)) if time_h <= HORIZON_H => {
                    let bin = BIN_EDGES_H.iter().rposition(|&e| time_h >= e).unwrap_or(0);
                    counts[(bed - 2) * BIN_EDGES_H.len() + bin] += 1;
                }
                _ => *counts.last_mut().unwrap() += 1,
            }
        }
        counts
    };
    let (chi2, df, p) = two_sample_p_value(&table(&aggregate), &table(&explicit));
    assert!(p >= 1e-6, "bed × time: χ² = {chi2} on {df} df, p = {p}");
    assert!(df >= 15, "enough categories survive pooling: {df}");

    // Where each cell is at each record time (venous, arterial, or a bed).
    for r in 0..RECORDS_H.len() {
        let states = |outcomes: &[Outcome]| {
            let mut counts = vec![0u64; 6];
            for o in outcomes {
                counts[o.state_at[r]] += 1;
            }
            counts
        };
        let (chi2, df, p) = two_sample_p_value(&states(&aggregate), &states(&explicit));
        assert!(
            p >= 1e-6,
            "state at {} h: χ² = {chi2} on {df} df, p = {p}",
            RECORDS_H[r]
        );
    }

    // Share of time spent in venous blood up to each record time, binned in
    // tenths: its whole distribution, not only its mean (two-sample χ² as above).
    for (r, &record_h) in RECORDS_H.iter().enumerate() {
        let bins = |outcomes: &[Outcome]| {
            let mut counts = vec![0u64; 11];
            for o in outcomes {
                let share = o.venous_h[r] / record_h;
                counts[((share * 10.0).floor() as usize).min(10)] += 1;
            }
            counts
        };
        let (chi2, df, p) = two_sample_p_value(&bins(&aggregate), &bins(&explicit));
        assert!(
            p >= 1e-6,
            "venous share by {record_h} h: χ² = {chi2} on {df} df, p = {p}"
        );
    }

    // Time in venous blood up to each record time: two-sample z on the means,
    // |difference| ≤ 5 × √(SE₁² + SE₂²).
    for (r, &record_h) in RECORDS_H.iter().enumerate() {
        let stats = |outcomes: &[Outcome]| {
            let n = outcomes.len() as f64;
            let mean = outcomes.iter().map(|o| o.venous_h[r]).sum::<f64>() / n;
            let var = outcomes
                .iter()
                .map(|o| (o.venous_h[r] - mean).powi(2))
                .sum::<f64>()
                / (n - 1.0);
            (mean, var / n)
        };
        let (m1, v1) = stats(&aggregate);
        let (m2, v2) = stats(&explicit);
        assert!(
            (m1 - m2).abs() <= 5.0 * (v1 + v2).sqrt(),
            "venous time by {record_h} h: {m1} vs {m2}"
        );
    }
}

#[test]
fn a_cell_entering_arterial_blood_meets_a_systemic_bed_first() {
    let (circulation, mut odds) = setup();
    odds.after_arterial = vec![(3, 1.0)];
    let mut rng = cell_stream(4, StreamPurpose::Test, 0);
    let exit = circulate(
        &circulation,
        &odds,
        Phase::Arterial,
        0.0,
        &[10.0],
        &mut rng,
        |_, _| {},
    );
    assert!(
        matches!(exit, BloodExit::Arrested { state: 3, .. }),
        "{exit:?}"
    );
}
