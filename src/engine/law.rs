//! Dwell-time laws: how long until one exit of a state fires.
//!
//! Each timed exit of a state has its own law; the exits of a state compete and
//! the first to fire wins. A law is built through a checked constructor, so the
//! engine never meets a negative rate or a missing shape parameter; the
//! constructors' errors name the parameter, what was expected and what was found,
//! and the scenario layer adds the file and key.
//!
//! Each law can be sampled and has an analytic survival function, used by the
//! tests (every sampler is tested against its law) and by expected-value tallies.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1, Gamma, LogNormal, Weibull};

use crate::stats;

/// A time-to-event law for one exit, in hours.
#[derive(Debug, Clone)]
pub enum DwellLaw {
    /// Memoryless exit at a constant rate (1/h).
    Exponential {
        /// Rate per hour (≥ 0; 0 means the exit never fires).
        rate_per_h: f64,
    },
    /// Gamma law; with an integer shape k it is the Erlang law of k exponential stages.
    Gamma {
        /// Mean dwell time (h).
        mean_h: f64,
        /// Shape parameter (> 0).
        shape: f64,
        /// Sampler (shape, scale = mean / shape).
        sampler: Gamma<f64>,
    },
    /// Weibull law, survival exp(−(t/scale)^shape).
    Weibull {
        /// Scale (h).
        scale_h: f64,
        /// Shape (> 0).
        shape: f64,
        /// Sampler.
        sampler: Weibull<f64>,
    },
    /// Log-normal law: ln T ~ Normal(ln median, sigma²).
    LogNormal {
        /// Median (h).
        median_h: f64,
        /// Standard deviation of ln T.
        sigma: f64,
        /// Sampler.
        sampler: LogNormal<f64>,
    },
    /// A fixed delay (h); `time_h = 0` is an instantaneous transition.
    Fixed {
        /// The delay (h, ≥ 0).
        time_h: f64,
    },
    /// Uniform on [0, `max_h`]: when a cell's turn comes in an infusion.
    Uniform {
        /// The latest time (h, > 0).
        max_h: f64,
    },
}

/// A law parameter outside its domain.
#[derive(Debug, Clone, PartialEq)]
pub struct LawError {
    /// The parameter's key as written in a scenario (`shape`, `mean_h`, …).
    pub parameter: &'static str,
    /// What the parameter must be.
    pub expected: &'static str,
    /// The value found.
    pub found: f64,
}

fn check(
    parameter: &'static str,
    value: f64,
    ok: bool,
    expected: &'static str,
) -> Result<(), LawError> {
    if ok && value.is_finite() {
        Ok(())
    } else {
        Err(LawError {
            parameter,
            expected,
            found: value,
        })
    }
}

const POSITIVE: &str = "a finite number > 0";
const RATE: &str = "a rate from 0 to 1e9 per hour (a mean dwell of at least one 1e-9 h tick)";
const TIME: &str = "a time from 1e-9 h (one tick) to 1e9 h";
const FIXED_TIME: &str = "0 (instantaneous) or a time from 1e-9 h (one tick) to 1e9 h";

/// Shortest mean, scale, median or fixed delay a law may have (h): one tick.
/// Shorter ones would let a cycle of transitions spin without the clock
/// moving, so a cell could never reach the end of the run.
pub const MIN_TIME_H: f64 = 1e-9;
/// Longest mean, scale, median or fixed delay (h); longer is "never".
pub const MAX_TIME_H: f64 = 1e9;
/// Highest exponential rate (1/h): a mean dwell of one tick.
pub const MAX_RATE_PER_H: f64 = 1.0 / MIN_TIME_H;

fn is_time(t: f64) -> bool {
    (MIN_TIME_H..=MAX_TIME_H).contains(&t)
}

impl DwellLaw {
    /// Exponential exit at `rate_per_h` (finite, ≥ 0).
    pub fn exponential_rate(rate_per_h: f64) -> Result<Self, LawError> {
        check(
            "rate_per_h",
            rate_per_h,
            (0.0..=MAX_RATE_PER_H).contains(&rate_per_h),
            RATE,
        )?;
        Ok(Self::Exponential { rate_per_h })
    }

    /// Exponential exit with mean dwell `mean_h` (finite, > 0).
    pub fn exponential_mean(mean_h: f64) -> Result<Self, LawError> {
        check("mean_h", mean_h, is_time(mean_h), TIME)?;
        Ok(Self::Exponential {
            rate_per_h: 1.0 / mean_h,
        })
    }

    /// Gamma law with the given mean and shape (both finite, > 0).
    pub fn gamma(mean_h: f64, shape: f64) -> Result<Self, LawError> {
        check("mean_h", mean_h, is_time(mean_h), TIME)?;
        check("shape", shape, shape > 0.0, POSITIVE)?;
        let sampler = Gamma::new(shape, mean_h / shape).map_err(|_| LawError {
            parameter: "shape",
            expected: POSITIVE,
            found: shape,
        })?;
        Ok(Self::Gamma {
            mean_h,
            shape,
            sampler,
        })
    }

    /// Weibull law with the given scale and shape (both finite, > 0).
    pub fn weibull(scale_h: f64, shape: f64) -> Result<Self, LawError> {
        check("scale_h", scale_h, is_time(scale_h), TIME)?;
        check("shape", shape, shape > 0.0, POSITIVE)?;
        let sampler = Weibull::new(scale_h, shape).map_err(|_| LawError {
            parameter: "shape",
            expected: POSITIVE,
            found: shape,
        })?;
        Ok(Self::Weibull {
            scale_h,
            shape,
            sampler,
        })
    }

    /// Log-normal law with the given median (> 0) and sigma (> 0).
    pub fn lognormal(median_h: f64, sigma: f64) -> Result<Self, LawError> {
        check("median_h", median_h, is_time(median_h), TIME)?;
        check("sigma", sigma, sigma > 0.0, POSITIVE)?;
        let sampler = LogNormal::new(median_h.ln(), sigma).map_err(|_| LawError {
            parameter: "sigma",
            expected: POSITIVE,
            found: sigma,
        })?;
        Ok(Self::LogNormal {
            median_h,
            sigma,
            sampler,
        })
    }

    /// A fixed delay `time_h` (finite, ≥ 0).
    pub fn fixed(time_h: f64) -> Result<Self, LawError> {
        let ok = time_h == 0.0 || is_time(time_h);
        check("time_h", time_h, ok, FIXED_TIME)?;
        Ok(Self::Fixed { time_h })
    }

    /// Uniform law on [0, `max_h`] (finite, > 0).
    pub fn uniform(max_h: f64) -> Result<Self, LawError> {
        check("max_h", max_h, is_time(max_h), TIME)?;
        Ok(Self::Uniform { max_h })
    }

    /// The law's name as written in a scenario (`law = "…"`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Exponential { .. } => "exponential",
            Self::Gamma { .. } => "gamma",
            Self::Weibull { .. } => "weibull",
            Self::LogNormal { .. } => "lognormal",
            Self::Fixed { .. } => "fixed",
            Self::Uniform { .. } => "uniform",
        }
    }

    /// The exponential rate, if this law is exponential.
    pub fn exponential_rate_per_h(&self) -> Option<f64> {
        match self {
            Self::Exponential { rate_per_h } => Some(*rate_per_h),
            _ => None,
        }
    }

    /// Whether the exit fires at once (a fixed delay of zero).
    pub fn is_instantaneous(&self) -> bool {
        matches!(self, Self::Fixed { time_h } if *time_h == 0.0)
    }

    /// Draws one dwell time (h). An exponential law with rate 0 gives +∞.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Self::Exponential { rate_per_h } => {
                let unit: f64 = rng.sample(Exp1);
                unit / rate_per_h
            }
            Self::Gamma { sampler, .. } => sampler.sample(rng),
            Self::Weibull { sampler, .. } => sampler.sample(rng),
            Self::LogNormal { sampler, .. } => sampler.sample(rng),
            Self::Fixed { time_h } => *time_h,
            Self::Uniform { max_h } => uniform(rng) * max_h,
        }
    }

    /// P(T > t): the probability that the exit has not fired by `time_h`.
    pub fn survival(&self, time_h: f64) -> f64 {
        if time_h < 0.0 {
            return 1.0;
        }
        match self {
            Self::Exponential { rate_per_h } => (-rate_per_h * time_h).exp(),
            Self::Gamma { mean_h, shape, .. } => {
                stats::regularized_gamma_q(*shape, time_h * shape / mean_h)
            }
            Self::Weibull { scale_h, shape, .. } => (-(time_h / scale_h).powf(*shape)).exp(),
            Self::LogNormal {
                median_h, sigma, ..
            } => {
                if time_h == 0.0 {
                    1.0
                } else {
                    1.0 - stats::normal_cdf((time_h / median_h).ln() / sigma)
                }
            }
            Self::Fixed { time_h: delay_h } => {
                if time_h < *delay_h {
                    1.0
                } else {
                    0.0
                }
            }
            Self::Uniform { max_h } => (1.0 - time_h / max_h).max(0.0),
        }
    }
}

/// Draws a uniform number in [0, 1); kept here so every module draws uniforms the same way.
#[inline]
pub fn uniform<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    rng.random::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::stream::{StreamPurpose, cell_stream};

    /// Kolmogorov–Smirnov statistic of `n` draws against the law's distribution function.
    fn ks_statistic(law: &DwellLaw, n: usize) -> f64 {
        let mut rng = cell_stream(42, StreamPurpose::Test, 0);
        let mut draws: Vec<f64> = (0..n).map(|_| law.sample(&mut rng)).collect();
        draws.sort_by(f64::total_cmp);
        draws
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let cdf = 1.0 - law.survival(x);
                let above = (i + 1) as f64 / n as f64 - cdf;
                let below = cdf - i as f64 / n as f64;
                above.max(below)
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn every_continuous_sampler_follows_its_law() {
        // KS test, fixed seed, n = 20 000 draws, α = 0.001: the critical value of
        // √n·D is 1.9495 (Kolmogorov distribution), so D must stay below 1.9495/√n.
        let n = 20_000;
        let critical = 1.9495 / (n as f64).sqrt();
        let laws = [
            DwellLaw::exponential_rate(0.7).unwrap(),
            DwellLaw::exponential_mean(3.0).unwrap(),
            DwellLaw::gamma(20.0, 3.0).unwrap(),
            DwellLaw::gamma(2.0, 0.4).unwrap(),
            DwellLaw::weibull(5.0, 1.7).unwrap(),
            DwellLaw::weibull(5.0, 0.6).unwrap(),
            DwellLaw::lognormal(12.0, 0.8).unwrap(),
            DwellLaw::uniform(0.5).unwrap(),
        ];
        for law in &laws {
            let d = ks_statistic(law, n);
            assert!(d < critical, "{law:?}: KS D = {d} ≥ {critical}");
        }
    }

    #[test]
    fn fixed_law_is_a_step() {
        let law = DwellLaw::fixed(2.5).unwrap();
        let mut rng = cell_stream(1, StreamPurpose::Test, 0);
        assert_eq!(law.sample(&mut rng).to_bits(), 2.5f64.to_bits());
        assert_eq!(law.survival(2.4).to_bits(), 1f64.to_bits());
        assert_eq!(law.survival(2.5).to_bits(), 0f64.to_bits());
        assert!(DwellLaw::fixed(0.0).unwrap().is_instantaneous());
    }

    #[test]
    fn constructors_reject_parameters_outside_their_domain() {
        let err = DwellLaw::gamma(20.0, -1.0).unwrap_err();
        assert_eq!(err.parameter, "shape");
        assert_eq!(err.expected, POSITIVE);
        assert_eq!(DwellLaw::gamma(-1.0, 2.0).unwrap_err().expected, TIME);
        assert!(DwellLaw::exponential_rate(-0.1).is_err());
        assert!(DwellLaw::exponential_rate(f64::INFINITY).is_err());
        assert!(DwellLaw::exponential_rate(f64::NAN).is_err());
        assert!(DwellLaw::weibull(0.0, 1.0).is_err());
        assert!(DwellLaw::lognormal(1.0, 0.0).is_err());
        assert!(DwellLaw::fixed(-1.0).is_err());
        assert!(DwellLaw::uniform(0.0).is_err());
        assert!(DwellLaw::exponential_rate(0.0).is_ok());
        // Below one tick a cycle could spin without the clock moving.
        assert!(DwellLaw::exponential_rate(1e30).is_err());
        assert!(DwellLaw::fixed(1e-20).is_err());
        assert!(DwellLaw::gamma(1e-20, 2.0).is_err());
        assert!(DwellLaw::fixed(0.0).is_ok() && DwellLaw::fixed(1e-9).is_ok());
    }
}
