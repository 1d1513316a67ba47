//! Exact expectation for graphs whose exits are all exponential.
//!
//! Such a graph is a continuous-time Markov chain with generator Q, and the
//! probability that one cell is in each state at time t is p(0)·expm(Q t)
//! (Norris, *Markov Chains*, 1997, §2.1). The matrix exponential is nalgebra's
//! (Padé 13 with scaling and squaring). Between record times the chain is
//! advanced step by step, p(t_k) = p(t_{k−1})·expm(Q (t_k − t_{k−1})), which keeps
//! each exponent small. Used to check the Monte Carlo engine and for teaching.

use nalgebra::{DMatrix, RowDVector};

use crate::engine::Graph;

/// The graph has a non-exponential exit, so it has no Markov generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the graph has a non-exponential exit from state index {state}")]
pub struct NotMarkov {
    /// A state with a non-exponential exit.
    pub state: usize,
}

/// The generator matrix Q (rates per hour; rows sum to zero).
pub fn generator(graph: &Graph) -> Result<DMatrix<f64>, NotMarkov> {
    let n = graph.state_count();
    let mut q = DMatrix::zeros(n, n);
    for from in 0..n {
        let exits = graph.exits(from);
        if !exits.other_exits.is_empty() {
            return Err(NotMarkov { state: from });
        }
        for (&to, &rate) in exits
            .exponential_targets
            .iter()
            .zip(&exits.exponential_rates_per_h)
        {
            q[(from, to)] += rate;
            q[(from, from)] -= rate;
        }
    }
    Ok(q)
}

/// Expected fraction of cells in each state at each record time:
/// `result[record][state]`, every cell starting in the graph's start state.
pub fn expected_fractions(
    graph: &Graph,
    record_times_h: &[f64],
) -> Result<Vec<Vec<f64>>, NotMarkov> {
    let q = generator(graph)?;
    let mut p = RowDVector::zeros(graph.state_count());
    p[graph.start()] = 1.0;
    let mut previous_h = 0.0;
    let mut fractions = Vec::with_capacity(record_times_h.len());
    for &time_h in record_times_h {
        let step = (&q * (time_h - previous_h)).exp();
        p = &p * step;
        previous_h = time_h;
        fractions.push(p.iter().copied().collect());
    }
    Ok(fractions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{DwellLaw, Exit};
    use approx::assert_relative_eq;

    #[test]
    fn a_two_state_chain_decays_exponentially() {
        let exit = Exit {
            from: 0,
            to: 1,
            law: DwellLaw::exponential_rate(0.5).unwrap(),
        };
        let graph = Graph::new(2, 0, vec![exit]).unwrap();
        let fractions = expected_fractions(&graph, &[0.0, 1.0, 4.0]).unwrap();
        for (row, t) in fractions.iter().zip([0.0f64, 1.0, 4.0]) {
            assert_relative_eq!(row[0], (-0.5 * t).exp(), max_relative = 1e-12);
            assert_relative_eq!(row[0] + row[1], 1.0, epsilon = 1e-12);
        }
    }
}
