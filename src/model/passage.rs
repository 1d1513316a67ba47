//! The one arrest function of every capillary bed (DESIGN.md §2.3):
//!
//! `passage = s + (1 − s)·(1 − p_mech(diameter_um))·(1 − p_adh)`
//!
//! - `s`: the bed's size-independent shunt (lung: intrapulmonary anastomoses,
//!   plus a patent foramen ovale where an arm has one);
//! - `p_mech`: the chance that the narrowest lumen met on the way through is
//!   smaller than the cell can squeeze through. The narrowest lumen follows a
//!   log-normal law (median, geometric SD) per bed; a cell of diameter d with
//!   squeeze ratio f passes a lumen ≥ f·d, so p_mech = Φ(ln(f·d / median) / ln gsd);
//! - `p_adh`: arrest by adhesion or clotting, whatever the size.
//!
//! `trap_probability = 1 − passage`.

use crate::stats::normal_cdf;

/// A capillary bed's filter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BedFilter {
    /// Median of the narrowest lumen met on a pass (µm).
    pub lumen_median_um: f64,
    /// Its geometric standard deviation (≥ 1; 1 is a sharp threshold).
    pub lumen_gsd: f64,
    /// Size-independent passage (0–1).
    pub shunt: f64,
}

/// How one cell meets a bed: its diameter, deformability and adhesion there.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellInBed {
    /// Suspension diameter (µm).
    pub diameter_um: f64,
    /// Narrowest lumen it passes, relative to its diameter (≤ 1).
    pub squeeze_ratio: f64,
    /// Probability of arrest by adhesion or clotting (0–1).
    pub adhesion: f64,
}

/// The terms of the arrest function for one cell in one bed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Passage {
    /// Size-independent shunt.
    pub shunt: f64,
    /// Mechanical arrest probability.
    pub p_mech: f64,
    /// Adhesion arrest probability.
    pub p_adh: f64,
    /// Probability of crossing the bed.
    pub passage: f64,
}

impl Passage {
    /// 1 − passage.
    pub fn trap_probability(&self) -> f64 {
        1.0 - self.passage
    }
}

/// Mechanical arrest probability of a cell that passes lumens ≥ `effective_um`.
pub fn mechanical_arrest(filter: &BedFilter, effective_um: f64) -> f64 {
    if filter.lumen_gsd <= 1.0 {
        return if effective_um > filter.lumen_median_um {
            1.0
        } else {
            0.0
        };
    }
    normal_cdf((effective_um / filter.lumen_median_um).ln() / filter.lumen_gsd.ln())
}

/// The arrest function.
pub fn passage(filter: &BedFilter, cell: &CellInBed) -> Passage {
    let p_mech = mechanical_arrest(filter, cell.diameter_um * cell.squeeze_ratio);
    let p_adh = cell.adhesion.clamp(0.0, 1.0);
    let shunt = filter.shunt.clamp(0.0, 1.0);
    Passage {
        shunt,
        p_mech,
        p_adh,
        passage: shunt + (1.0 - shunt) * (1.0 - p_mech) * (1.0 - p_adh),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LUNG: BedFilter = BedFilter {
        lumen_median_um: 7.0,
        lumen_gsd: 1.35,
        shunt: 0.0,
    };

    fn sphere(diameter_um: f64) -> CellInBed {
        CellInBed {
            diameter_um,
            squeeze_ratio: 1.0,
            adhesion: 0.0,
        }
    }

    #[test]
    fn a_cell_at_the_median_lumen_is_trapped_half_the_time() {
        let p = passage(&LUNG, &sphere(7.0));
        assert!((p.p_mech - 0.5).abs() < 1e-12);
        assert!((p.passage - 0.5).abs() < 1e-12);
    }

    #[test]
    fn passage_falls_with_size_and_shunt_sets_a_floor() {
        let sizes = [2.0, 4.0, 7.0, 10.0, 15.0, 25.0];
        let passes: Vec<f64> = sizes
            .iter()
            .map(|&d| passage(&LUNG, &sphere(d)).passage)
            .collect();
        assert!(passes.windows(2).all(|w| w[0] > w[1]), "{passes:?}");
        let shunted = BedFilter { shunt: 0.1, ..LUNG };
        let big = passage(&shunted, &sphere(100.0));
        assert!((big.passage - 0.1).abs() < 1e-9);
        assert!((big.trap_probability() - 0.9).abs() < 1e-9);
    }

    #[test]
    fn adhesion_multiplies_the_non_shunted_passage() {
        let filter = BedFilter { shunt: 0.2, ..LUNG };
        let cell = CellInBed {
            adhesion: 0.5,
            ..sphere(7.0)
        };
        let p = passage(&filter, &cell);
        assert!((p.passage - (0.2 + 0.8 * 0.5 * 0.5)).abs() < 1e-12);
    }

    #[test]
    fn a_sharp_filter_is_a_threshold() {
        let sharp = BedFilter {
            lumen_gsd: 1.0,
            ..LUNG
        };
        assert_eq!(
            passage(&sharp, &sphere(6.9)).p_mech.to_bits(),
            0f64.to_bits()
        );
        assert_eq!(
            passage(&sharp, &sphere(7.1)).p_mech.to_bits(),
            1f64.to_bits()
        );
    }
}
