//! Special functions and exact tests used to check the simulator against its laws.
//!
//! The engine itself never needs these to simulate; they give the analytic
//! distribution functions of the dwell-time laws (for tests, and later for
//! expected-value estimators) and the one exact rule by which every simulated
//! count is compared with a reference probability.
//!
//! Algorithms: Lanczos log-gamma (g = 7, 9 terms; Press et al., *Numerical
//! Recipes* 3rd ed. §6.1), the regularized incomplete beta function by its
//! continued fraction with the modified Lentz method (§6.4), and the regularized
//! incomplete gamma function by series and continued fraction (§6.2).

use std::f64::consts::PI;

/// Significance level of the exact count rule used by every statistical test of
/// the engine: a simulated count passes when its two-sided exact binomial
/// p-value is at least this. With a few hundred (time, state) checks per test
/// the chance of a false alarm stays below 1e-3.
pub const EXACT_RULE_ALPHA: f64 = 1e-6;

/// Natural logarithm of the gamma function for `x > 0` (Lanczos, |error| < 1e-14 relative).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection formula: Γ(x)Γ(1 − x) = π / sin(πx).
        return (PI / (PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut series = COEFFICIENTS[0];
    for (i, c) in COEFFICIENTS.iter().enumerate().skip(1) {
        series += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * PI).ln() + (x + 0.5) * t.ln() - t + series.ln()
}

/// Continued fraction for the incomplete beta function (modified Lentz).
fn beta_continued_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    const EPS: f64 = 1e-15;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..100_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let even = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + even * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + even / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + odd * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + odd / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < EPS {
            break;
        }
    }
    h
}

/// Regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1.
pub fn regularized_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (-x).ln_1p();
    let front = ln_front.exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_continued_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b
    }
}

/// Regularized lower incomplete gamma function P(a, x) for a > 0, x ≥ 0.
pub fn regularized_gamma_p(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        0.0
    } else if x < a + 1.0 {
        gamma_series(a, x)
    } else {
        1.0 - gamma_continued_fraction(a, x)
    }
}

/// Regularized upper incomplete gamma function Q(a, x) = 1 − P(a, x).
pub fn regularized_gamma_q(a: f64, x: f64) -> f64 {
    if x <= 0.0 {
        1.0
    } else if x < a + 1.0 {
        1.0 - gamma_series(a, x)
    } else {
        gamma_continued_fraction(a, x)
    }
}

fn gamma_series(a: f64, x: f64) -> f64 {
    let mut term = 1.0 / a;
    let mut sum = term;
    let mut ap = a;
    for _ in 0..100_000 {
        ap += 1.0;
        term *= x / ap;
        sum += term;
        if term.abs() < sum.abs() * 1e-16 {
            break;
        }
    }
    sum * (-x + a * x.ln() - ln_gamma(a)).exp()
}

fn gamma_continued_fraction(a: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / b;
    let mut h = d;
    for i in 1..100_000 {
        let an = -(i as f64) * (i as f64 - a);
        b += 2.0;
        d = an * d + b;
        d = if d.abs() < TINY { TINY } else { d };
        c = b + an / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let delta = d * c;
        h *= delta;
        if (delta - 1.0).abs() < 1e-16 {
            break;
        }
    }
    (-x + a * x.ln() - ln_gamma(a)).exp() * h
}

/// Standard normal distribution function Φ(z), through erfc(x) = Q(1/2, x²).
pub fn normal_cdf(z: f64) -> f64 {
    let x = z / std::f64::consts::SQRT_2;
    if x >= 0.0 {
        1.0 - 0.5 * regularized_gamma_q(0.5, x * x)
    } else {
        0.5 * regularized_gamma_q(0.5, x * x)
    }
}

/// P(X ≤ k) for X ~ Binomial(n, p).
pub fn binomial_cdf(k: u64, n: u64, p: f64) -> f64 {
    if k >= n || p <= 0.0 {
        return 1.0;
    }
    if p >= 1.0 {
        return 0.0;
    }
    // P(X ≤ k) = I_{1−p}(n − k, k + 1).
    regularized_beta(1.0 - p, (n - k) as f64, k as f64 + 1.0)
}

/// P(X ≥ k) for X ~ Binomial(n, p).
pub fn binomial_upper_tail(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    // P(X ≥ k) = I_p(k, n − k + 1).
    regularized_beta(p, k as f64, (n - k) as f64 + 1.0)
}

/// Two-sided exact binomial p-value 2·min(P(X ≤ k), P(X ≥ k)), capped at 1.
pub fn binomial_two_sided_p_value(k: u64, n: u64, p: f64) -> f64 {
    (2.0 * binomial_cdf(k, n, p).min(binomial_upper_tail(k, n, p))).min(1.0)
}

/// The exact count rule: a count `k` of `n` cells agrees with reference
/// probability `p` when its two-sided exact binomial p-value is ≥ [`EXACT_RULE_ALPHA`].
pub fn count_agrees(k: u64, n: u64, p: f64) -> bool {
    binomial_two_sided_p_value(k, n, p) >= EXACT_RULE_ALPHA
}

/// The x at which the regularized incomplete beta I_x(a, b) equals `target`
/// (bisection to double precision; I_x is increasing in x).
pub fn beta_quantile(target: f64, a: f64, b: f64) -> f64 {
    let (mut low, mut high) = (0.0f64, 1.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (low + high);
        if regularized_beta(mid, a, b) < target {
            low = mid;
        } else {
            high = mid;
        }
        if high - low <= f64::EPSILON * high.max(1e-300) {
            break;
        }
    }
    0.5 * (low + high)
}

/// The exact (Clopper–Pearson) two-sided interval of level 1 − `alpha` for a
/// binomial proportion after `k` successes in `n` trials: the p whose upper
/// and lower tails give `alpha`/2. For k = 0 the lower end is 0, for k = n
/// the upper end is 1.
pub fn clopper_pearson(k: u64, n: u64, alpha: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k_f, n_f) = (k as f64, n as f64);
    let low = if k == 0 {
        0.0
    } else {
        beta_quantile(alpha / 2.0, k_f, n_f - k_f + 1.0)
    };
    let high = if k == n {
        1.0
    } else {
        beta_quantile(1.0 - alpha / 2.0, k_f + 1.0, n_f - k_f)
    };
    (low, high)
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn ln_gamma_matches_factorials() {
        // Γ(n + 1) = n!
        assert_relative_eq!(ln_gamma(1.0), 0.0, epsilon = 1e-14);
        assert_relative_eq!(ln_gamma(6.0), 120f64.ln(), max_relative = 1e-14);
        assert_relative_eq!(ln_gamma(0.5), PI.sqrt().ln(), max_relative = 1e-14);
        // ln Γ(1e6) from Stirling's series to 1e-12 relative.
        let x: f64 = 1e6;
        let stirling = (x - 0.5) * x.ln() - x + 0.5 * (2.0 * PI).ln() + 1.0 / (12.0 * x);
        assert_relative_eq!(ln_gamma(x), stirling, max_relative = 1e-13);
    }

    #[test]
    fn binomial_tails_match_direct_sums() {
        // Binomial(10, 0.3): sum the mass function directly.
        let (n, p) = (10u64, 0.3f64);
        let pmf = |k: u64| {
            (ln_gamma(n as f64 + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0)
                + k as f64 * p.ln()
                + (n - k) as f64 * (1.0 - p).ln())
            .exp()
        };
        for k in 0..=n {
            let below: f64 = (0..=k).map(pmf).sum();
            let above: f64 = (k..=n).map(pmf).sum();
            assert_relative_eq!(binomial_cdf(k, n, p), below, max_relative = 1e-12);
            assert_relative_eq!(binomial_upper_tail(k, n, p), above, max_relative = 1e-12);
        }
    }

    #[test]
    fn exact_rule_accepts_the_mean_and_rejects_ten_sigma() {
        let (n, p) = (1_000_000u64, 0.01);
        let sd = (n as f64 * p * (1.0 - p)).sqrt();
        assert!(count_agrees(10_000, n, p));
        assert!(!count_agrees((10_000.0 + 10.0 * sd) as u64, n, p));
        assert!(!count_agrees((10_000.0 - 10.0 * sd) as u64, n, p));
        // At 3 SD the two-sided p-value is about 0.0027, well above 1e-6.
        assert!(count_agrees((10_000.0 + 3.0 * sd) as u64, n, p));
    }

    #[test]
    fn normal_and_gamma_functions_match_known_values() {
        assert_relative_eq!(normal_cdf(0.0), 0.5, epsilon = 1e-15);
        assert_relative_eq!(normal_cdf(1.959_963_984_540_054), 0.975, epsilon = 1e-13);
        assert_relative_eq!(
            normal_cdf(-3.0),
            0.001_349_898_031_630_094_6,
            max_relative = 1e-11
        );
        // P(1, x) = 1 − e^{−x}; P(3, x) = 1 − e^{−x}(1 + x + x²/2).
        assert_relative_eq!(
            regularized_gamma_p(1.0, 2.0),
            1.0 - (-2.0f64).exp(),
            epsilon = 1e-14
        );
        let x: f64 = 4.5;
        let erlang3 = 1.0 - (-x).exp() * (1.0 + x + x * x / 2.0);
        assert_relative_eq!(regularized_gamma_p(3.0, x), erlang3, epsilon = 1e-14);
    }

    #[test]
    fn clopper_pearson_solves_its_defining_tail_equations() {
        // Checked against a direct sum of binomial probabilities (independent
        // of the incomplete beta): P(X ≥ k | low) = α/2 and P(X ≤ k | high) = α/2.
        let pmf = |i: u64, n: u64, p: f64| {
            let ln_choose = ln_gamma(n as f64 + 1.0)
                - ln_gamma(i as f64 + 1.0)
                - ln_gamma((n - i) as f64 + 1.0);
            (ln_choose + i as f64 * p.ln() + (n - i) as f64 * (1.0 - p).ln()).exp()
        };
        for (k, n) in [(3u64, 10u64), (1, 20), (5, 1000), (17, 40)] {
            let (low, high) = clopper_pearson(k, n, 0.05);
            let upper_tail: f64 = (k..=n).map(|i| pmf(i, n, low)).sum();
            let lower_tail: f64 = (0..=k).map(|i| pmf(i, n, high)).sum();
            assert!(
                (upper_tail - 0.025).abs() < 1e-9,
                "{k}/{n}: P(X ≥ k | {low}) = {upper_tail}"
            );
            assert!(
                (lower_tail - 0.025).abs() < 1e-9,
                "{k}/{n}: P(X ≤ k | {high}) = {lower_tail}"
            );
        }
        // The ends in closed form: 0 of n gives (0, 1 − 0.025^(1/n)); n of n gives (0.025^(1/n), 1).
        let (l, h) = clopper_pearson(0, 10, 0.05);
        assert!(l.abs() < 1e-15 && (h - (1.0 - 0.025f64.powf(0.1))).abs() < 1e-12);
        let (l, h) = clopper_pearson(10, 10, 0.05);
        assert!((l - 0.025f64.powf(0.1)).abs() < 1e-12 && (h - 1.0).abs() < 1e-15);
        let (_, h) = clopper_pearson(0, 1_000_000, 0.05);
        assert!((h - (1.0 - 0.025f64.powf(1e-6))).abs() < 1e-12);
    }
}
