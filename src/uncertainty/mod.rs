//! Parameter uncertainty (`biodist run --uncertainty K`).
//!
//! The provisional and fitted parameters of a scenario (those the presets
//! mark `provisional`, with a documented range, or `fitted`, whose range is
//! the fit region of `biodist fit`; never those the scenario sets itself)
//! are drawn jointly and independently, K times: uniformly
//! between the range's ends for a linear range, log-uniformly for a log
//! range. Set `s` draws from its own stream keyed by (seed, parameters, s),
//! so the sets depend on the seed and K only through their number. Every set
//! is simulated with the run's seed: common random numbers, so the spread
//! between sets is the parameters' doing, not Monte Carlo noise's (what is
//! left of that noise is the Monte Carlo band's business).
//!
//! Bands are the 5 % and 95 % quantiles over the sets (type 7: linear
//! interpolation between order statistics, R's default), with the median.

pub mod files;

use rand::RngExt;

use crate::engine::stream::{StreamFamily, StreamPurpose};
use crate::model::{ParamSet, Scale, Status};

/// A parameter that `--uncertainty` varies, with its range.
#[derive(Debug, Clone, PartialEq)]
pub struct Varied {
    /// Parameter key.
    pub key: String,
    /// Lowest value.
    pub low: f64,
    /// Highest value.
    pub high: f64,
    /// Linear or log-uniform.
    pub scale: Scale,
    /// The value the run itself used (the preset's, unless the scenario set it).
    pub central: f64,
}

/// The parameters of `params` that `--uncertainty` varies: provisional, with
/// a range of two different ends.
pub fn varied(params: &ParamSet) -> Vec<Varied> {
    params
        .iter()
        // Fitted parameters vary over their fit region (their range).
        .filter(|p| matches!(p.status, Status::Provisional | Status::Fitted))
        .filter_map(|p| {
            let range = p.range?;
            (range.high > range.low).then(|| Varied {
                key: p.key.clone(),
                low: range.low,
                high: range.high,
                central: p.value,
                // A log range needs two positive ends; presets give them
                // (a test checks), but fall back to linear rather than NaN.
                scale: if range.low > 0.0 {
                    range.scale
                } else {
                    Scale::Linear
                },
            })
        })
        .collect()
}

/// Draws `sets` parameter sets: `result[s][i]` is the value of `varied[i]`
/// in set `s`.
pub fn draw_sets(varied: &[Varied], sets: usize, seed: u64) -> Vec<Vec<f64>> {
    let streams = StreamFamily::new(seed, StreamPurpose::Parameters);
    (0..sets)
        .map(|s| {
            let mut rng = streams.stream(s as u64);
            varied
                .iter()
                .map(|v| {
                    let u: f64 = rng.random();
                    match v.scale {
                        Scale::Linear => v.low + u * (v.high - v.low),
                        Scale::Log => (v.low.ln() + u * (v.high.ln() - v.low.ln())).exp(),
                    }
                })
                .collect()
        })
        .collect()
}

/// The `q` quantile (0 ≤ q ≤ 1) of `values` by linear interpolation between
/// order statistics (type 7); `None` for no values.
pub fn quantile(values: &[f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let below = h.floor() as usize;
    let above = (below + 1).min(sorted.len() - 1);
    Some(sorted[below] + (h - below as f64) * (sorted[above] - sorted[below]))
}

/// The 5 %, 50 % and 95 % quantiles of `values`.
pub fn band(values: &[f64]) -> Option<[f64; 3]> {
    Some([
        quantile(values, 0.05)?,
        quantile(values, 0.5)?,
        quantile(values, 0.95)?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::presets;

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        let values = [3.0, 1.0, 2.0, 4.0, 5.0];
        assert_eq!(quantile(&values, 0.5), Some(3.0));
        assert_eq!(quantile(&values, 0.0), Some(1.0));
        assert_eq!(quantile(&values, 1.0), Some(5.0));
        // h = 4 × 0.05 = 0.2: 1 + 0.2 × (2 − 1).
        assert!((quantile(&values, 0.05).unwrap() - 1.2).abs() < 1e-12);
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn draws_stay_in_range_and_log_ranges_spread_evenly_in_log() {
        let varied = vec![
            Varied {
                key: "a".into(),
                low: 2.0,
                high: 4.0,
                scale: Scale::Linear,
                central: 3.0,
            },
            Varied {
                key: "b".into(),
                low: 1.0,
                high: 100.0,
                scale: Scale::Log,
                central: 10.0,
            },
        ];
        let sets = draw_sets(&varied, 4000, 7);
        assert!(sets.iter().all(|s| (2.0..=4.0).contains(&s[0])));
        assert!(sets.iter().all(|s| (1.0..=100.0).contains(&s[1])));
        // Log-uniform on [1, 100]: P(b < 10) = 1/2. 4000 draws: SD of the
        // count is √(4000/4) ≈ 31.6; allow 5 SD.
        let below_10 = sets.iter().filter(|s| s[1] < 10.0).count() as f64;
        assert!((below_10 - 2000.0).abs() < 5.0 * 31.7, "{below_10}");
        // The same seed gives the same sets; set s does not depend on K.
        assert_eq!(draw_sets(&varied, 3, 7)[..], sets[..3]);
    }

    #[test]
    fn presets_give_positive_ends_to_log_ranges() {
        let all = presets::BODIES
            .iter()
            .filter_map(|b| presets::body(b))
            .chain(presets::CELLS.iter().filter_map(|c| presets::cell(c)))
            .chain(std::iter::once(presets::common()));
        for preset in all {
            for p in &preset {
                if let Some(range) = p.range
                    && range.scale == Scale::Log
                {
                    assert!(range.low > 0.0, "{}: log range from {}", p.key, range.low);
                }
            }
        }
    }
}
