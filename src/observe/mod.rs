//! Observation models (DESIGN.md §2.4): what an assay reports of the
//! simulated cells, which is not the live-cell count.
//!
//! Each assay is a [`PathScorer`]: from one cell's path (where it was, when
//! it died, its diameter) it computes the cell's signal in every reported
//! place at every record time. The run adds these per-cell signals and
//! their squares ([`crate::engine::path::MeanTally`]), so the signal is
//! **exact in expectation** — the label kinetics are integrated in closed
//! form along each simulated history instead of being sampled — with a
//! standard error over the independent cells. This was chosen over label
//! quanta drawn per cell because it has no extra sampling noise and costs
//! one pass over each cell's few moves per record time.
//!
//! - **Radiolabel** (In-111 oxine, Tc-99m HMPAO, F-18 FDG, Cr-51): a cell
//!   carries activity proportional to its volume (d³ / E[d³] of the
//!   product, so the mean is 1); a share `bound_fraction` of the injected
//!   activity is on cells, the rest free from the start. Live cells lose
//!   label at the efflux rate; at death the debris keeps it and releases it
//!   at the debris rate — unless the debris lies in the phagocytes of liver,
//!   spleen, marrow or a lymph node, which hold label far longer
//!   (`phagocyte_release_rate_per_h`) and keep it where they degrade the
//!   debris. Debris degraded anywhere else has released all of it. Released
//!   label goes to the label's free-label organs (fractions per organ, the
//!   rest to places no row reports: blood pool, urine). Signal: percent of
//!   the injected activity, decay-corrected or not.
//!
//!   *Labelled subset.* When only a share f of the cells takes up label
//!   (independently of what later happens to them), each labelled cell
//!   carries 1/f times more, so the expected share of the activity in any
//!   place is unchanged: f only adds counting noise to a real experiment.
//!   It matters for assays that count labelled cells (particle labels,
//!   flow cytometry of a labelled product), which scale with f.
//! - **Human DNA (qPCR)**: live cells, plus dead cells' DNA where the debris
//!   is, decaying with the DNA's half-life; cleared debris has none.
//! - **Bioluminescence**, **flow cytometry or culture** (live cells only).
//! - **Particle labels** (membrane dyes, quantum dots, iron): live cells and
//!   debris alike, since the label passes to the macrophages that eat the
//!   cells; it stays where the debris was degraded.

pub mod labels;

use crate::engine::path::{CellPath, PathScorer};
use crate::model::locations::{ALIVE, CLEARED, NOT_YET_INJECTED};
use labels::Label;

/// Whether debris at `location` lies in phagocytes that hold a radiolabel:
/// the macrophages of liver, spleen, marrow and lymph nodes.
fn is_phagocytic(location: &str) -> bool {
    let organ = location.split('/').next().unwrap_or("");
    matches!(organ, "liver" | "spleen" | "marrow") || location.ends_with("/lymph_node")
}

/// Per reported place: `assay`'s detection limit in cells there.
fn detection_limits(assay: &Assay, rows: &RowsForObserver) -> Vec<Option<f64>> {
    let groups = rows.group_names.len();
    match assay {
        Assay::HumanDna {
            detection_limit_per_host_cell,
            ..
        } => (0..groups)
            .map(|g| {
                rows.group_host_cells
                    .get(g)
                    .copied()
                    .flatten()
                    .map(|cells| cells * detection_limit_per_host_cell)
            })
            .collect(),
        Assay::FlowCytometry {
            detection_limit_cells,
            ..
        }
        | Assay::Culture {
            detection_limit_cells,
        } => vec![Some(*detection_limit_cells); groups],
        _ => vec![None; groups],
    }
}

/// The assays a scenario arm can name in `observe`. Radiolabels are as
/// imaged (not decay-corrected) unless the name ends `_decay_corrected`
/// (ex-vivo counting against standards).
pub const ASSAY_NAMES: [&str; 14] = [
    "in111",
    "in111_decay_corrected",
    "tc99m_hmpao",
    "tc99m_hmpao_decay_corrected",
    "f18_fdg",
    "f18_fdg_decay_corrected",
    "cr51",
    "cr51_decay_corrected",
    "human_dna",
    "bioluminescence",
    "live_cells",
    "flow_cytometry",
    "culture",
    "particle_label",
];

/// The assay called `name` (one of [`ASSAY_NAMES`]) with the values of
/// `params`.
pub fn assay_named(name: &str, params: &crate::model::ParamSet) -> Option<Assay> {
    let (label, decay_corrected) = match name.strip_suffix("_decay_corrected") {
        Some(label) => (label, true),
        None => (name, false),
    };
    if let Some(label) = labels::Label::from_params(params, label) {
        return Some(Assay::Radiolabel {
            label,
            decay_corrected,
        });
    }
    match name {
        "human_dna" => Some(Assay::HumanDna {
            dead_cell_dna_half_life_h: params.get("dna.dead_cell_half_life_h"),
            detection_limit_per_host_cell: params
                .get("assay.human_dna.detection_limit_per_host_cell"),
        }),
        "bioluminescence" => Some(Assay::Bioluminescence),
        "live_cells" => Some(Assay::LiveCells),
        "flow_cytometry" => Some(Assay::FlowCytometry {
            labelled_fraction: params.get("assay.flow_cytometry.labelled_fraction"),
            detection_limit_cells: params.get("assay.flow_cytometry.detection_limit_cells"),
        }),
        "culture" => Some(Assay::Culture {
            detection_limit_cells: params.get("assay.culture.detection_limit_cells"),
        }),
        "particle_label" => Some(Assay::ParticleLabel {
            labelled_fraction: params.get("assay.particle_label.labelled_fraction"),
        }),
        _ => None,
    }
}

/// Several assays of one arm, side by side (their columns concatenated).
#[derive(Debug, Clone)]
pub struct Observers {
    /// (assay name, observer), in the arm's order.
    pub observers: Vec<(String, Observer)>,
}

impl PathScorer for Observers {
    fn columns(&self) -> usize {
        self.observers.iter().map(|(_, o)| o.columns()).sum()
    }

    fn score(&self, path: &CellPath, record_times_h: &[f64], out: &mut [f64]) {
        let total = self.columns();
        let mut own = Vec::new();
        let mut first = 0;
        for (_, o) in &self.observers {
            let width = o.columns();
            own.clear();
            own.resize(record_times_h.len() * width, 0.0);
            o.score(path, record_times_h, &mut own);
            for r in 0..record_times_h.len() {
                for c in 0..width {
                    out[r * total + first + c] += own[r * width + c];
                }
            }
            first += width;
        }
    }
}

/// An assay.
#[derive(Debug, Clone, PartialEq)]
pub enum Assay {
    /// A radiolabel with its kinetics.
    Radiolabel {
        /// The label.
        label: Label,
        /// Whether the signal is corrected for physical decay (ex-vivo
        /// counting against standards is, by construction).
        decay_corrected: bool,
    },
    /// Human-DNA qPCR (Alu and similar).
    HumanDna {
        /// Half-life of a dead cell's DNA where its debris is (h).
        dead_cell_dna_half_life_h: f64,
        /// Smallest detectable human genomes per host genome in the DNA
        /// assayed: the detection limit in a place is this times the
        /// place's own cell count (`host_cells.<organ>`).
        detection_limit_per_host_cell: f64,
    },
    /// Bioluminescence: live cells only.
    Bioluminescence,
    /// Live cells, counted exactly (the model's own count; no assay limit).
    LiveCells,
    /// Flow cytometry of a labelled product (blood, tissue digests): live
    /// labelled cells.
    FlowCytometry {
        /// Share of the product's cells that carry the label.
        labelled_fraction: f64,
        /// Fewest labelled cells in the whole place that the sampling sees.
        detection_limit_cells: f64,
    },
    /// Ex-vivo culture of a place: live cells.
    Culture {
        /// Fewest live cells in the place that grow out.
        detection_limit_cells: f64,
    },
    /// Membrane dye, quantum dots or iron particles: live cells and debris.
    ParticleLabel {
        /// Share of the product's cells that carry the label.
        labelled_fraction: f64,
    },
}

impl Assay {
    /// Unit of the signal.
    pub fn unit(&self) -> &'static str {
        match self {
            Self::Radiolabel { .. } => "percent_injected_activity",
            Self::HumanDna { .. } => "cell_equivalents_of_dose",
            Self::Bioluminescence | Self::LiveCells | Self::Culture { .. } => "live_cells_of_dose",
            Self::FlowCytometry { .. } => "live_labelled_cells_of_dose",
            Self::ParticleLabel { .. } => "labelled_cells_and_debris_of_dose",
        }
    }

    /// Name in tables.
    pub fn name(&self) -> String {
        match self {
            Self::Radiolabel {
                label,
                decay_corrected,
                ..
            } => format!(
                "radiolabel {}{}",
                label.name,
                if *decay_corrected {
                    ", decay-corrected"
                } else {
                    ""
                }
            ),
            Self::HumanDna { .. } => "human DNA qPCR".to_string(),
            Self::Bioluminescence => "bioluminescence".to_string(),
            Self::LiveCells => "live cells (exact count)".to_string(),
            Self::FlowCytometry { .. } => "flow cytometry (live labelled cells)".to_string(),
            Self::Culture { .. } => "ex-vivo culture (live cells)".to_string(),
            Self::ParticleLabel { .. } => "particle label (dye, quantum dots, iron)".to_string(),
        }
    }
}

/// An assay applied to one body's rows, reporting per group of rows.
#[derive(Debug, Clone)]
pub struct Observer {
    assay: Assay,
    columns: usize,
    /// For each slot (row): the groups it is in.
    slot_groups: Vec<Vec<usize>>,
    slot_dead: Vec<bool>,
    slot_cleared: Vec<bool>,
    slot_not_injected: Vec<bool>,
    /// Rows whose debris lies in phagocytes that hold a radiolabel (liver,
    /// spleen, marrow, lymph node).
    slot_phagocytic: Vec<bool>,
    /// Where free label goes: (group, fraction of the released label).
    free_groups: Vec<(usize, f64)>,
    /// E[d³] of the product (µm³), for the label per cell.
    mean_cubed_diameter_um3: f64,
    /// Per group: the assay's detection limit there, in cells (or cell
    /// equivalents) in the whole place; `None` where the assay has none or
    /// the place's own cell count is not known.
    detection_limits: Vec<Option<f64>>,
}

/// What an [`Observer`] needs to know of a body's rows.
#[derive(Debug, Clone)]
pub struct RowsForObserver<'a> {
    /// Location of each row.
    pub locations: &'a [String],
    /// State of each row (`alive` or `dead`).
    pub states: &'a [&'a str],
    /// The reported groups: their rows.
    pub group_rows: &'a [Vec<usize>],
    /// The reported groups: their names.
    pub group_names: &'a [String],
    /// The reported groups: the host's own cells there, where known
    /// (`host_cells.<organ>`), for detection limits relative to them.
    pub group_host_cells: &'a [Option<f64>],
}

impl Observer {
    /// An observer of `assay` on `rows`, for a product whose E[d³] is
    /// `mean_cubed_diameter_um3`.
    pub fn new(assay: Assay, rows: &RowsForObserver, mean_cubed_diameter_um3: f64) -> Self {
        let n = rows.locations.len();
        // A group reports its locations whatever the state: an assay sees
        // debris where it lies (the groups list live rows only).
        let mut slot_groups = vec![Vec::new(); n];
        for (g, members) in rows.group_rows.iter().enumerate() {
            for (slot, location) in rows.locations.iter().enumerate() {
                if members.iter().any(|&m| rows.locations[m] == *location) {
                    slot_groups[slot].push(g);
                }
            }
        }
        let free_groups = match &assay {
            Assay::Radiolabel { label, .. } => label
                .free_to
                .iter()
                .filter_map(|(organ, fraction)| {
                    rows.group_names
                        .iter()
                        .position(|g| g == organ)
                        .map(|g| (g, *fraction))
                })
                .collect(),
            _ => Vec::new(),
        };
        Self {
            columns: rows.group_rows.len(),
            slot_groups,
            slot_dead: rows.states.iter().map(|s| *s != ALIVE).collect(),
            slot_cleared: rows.locations.iter().map(|l| l == CLEARED).collect(),
            slot_not_injected: rows
                .locations
                .iter()
                .map(|l| l == NOT_YET_INJECTED)
                .collect(),
            slot_phagocytic: rows.locations.iter().map(|l| is_phagocytic(l)).collect(),
            free_groups,
            mean_cubed_diameter_um3,
            detection_limits: detection_limits(&assay, rows),
            assay,
        }
    }

    /// Per reported place: the detection limit, in cells (or cell
    /// equivalents) in the whole place.
    pub fn detection_limits(&self) -> &[Option<f64>] {
        &self.detection_limits
    }

    /// The assay.
    pub fn assay(&self) -> &Assay {
        &self.assay
    }

    /// The share of a cell's label still bound at `time_h`, walking its path:
    /// efflux while alive, the debris rate for debris outside the phagocytic
    /// organs, the phagocyte rate inside them and after they have degraded
    /// it (the label stays in that organ). Also the row where the bound
    /// label lies (`None` once nothing is bound).
    fn label_kept(&self, label: &Label, path: &CellPath, time_h: f64) -> (f64, Option<usize>) {
        let mut log_kept = 0.0;
        let mut slot = path.start_slot;
        // The phagocytic row that took up this cell's debris, if any.
        let mut held_by = (self.slot_dead[slot] && self.slot_phagocytic[slot]).then_some(slot);
        let mut since_h = 0.0;
        let mut moves = path.moves.iter().take_while(|(t, _)| *t <= time_h);
        loop {
            let (until_h, next) = match moves.next() {
                Some(&(t, s)) => (t, Some(s)),
                None => (time_h, None),
            };
            let rate = if !self.slot_dead[slot] {
                label.efflux_rate_per_h
            } else if held_by.is_some() {
                label.phagocyte_release_rate_per_h
            } else {
                label.debris_release_rate_per_h
            };
            log_kept -= rate * (until_h - since_h);
            let Some(next) = next else { break };
            since_h = until_h;
            if self.slot_cleared[next] && held_by.is_none() {
                // Degraded outside the phagocytic organs: all released.
                return (0.0, None);
            }
            if self.slot_dead[next] && self.slot_phagocytic[next] {
                held_by = Some(next);
            }
            slot = next;
        }
        let place = if self.slot_cleared[slot] {
            held_by
        } else {
            Some(slot)
        };
        (log_kept.exp(), place)
    }

    fn add(&self, out: &mut [f64], record: usize, slot: usize, value: f64) {
        for &g in &self.slot_groups[slot] {
            out[record * self.columns + g] += value;
        }
    }
}

impl PathScorer for Observer {
    fn columns(&self) -> usize {
        self.columns
    }

    fn score(&self, path: &CellPath, record_times_h: &[f64], out: &mut [f64]) {
        let death_h = path.death_time_h(|s| self.slot_dead[s]);
        for (r, &t) in record_times_h.iter().enumerate() {
            let slot = path.slot_at(t);
            if self.slot_not_injected[slot] {
                continue;
            }
            let dead_for_h = death_h.filter(|&d| d <= t).map(|d| t - d);
            match &self.assay {
                Assay::Radiolabel {
                    label,
                    decay_corrected,
                } => {
                    let weight = if self.mean_cubed_diameter_um3 > 0.0 {
                        path.diameter_um.powi(3) / self.mean_cubed_diameter_um3
                    } else {
                        1.0
                    };
                    let on_cells = weight * label.bound_fraction;
                    let (kept, place) = self.label_kept(label, path, t);
                    let bound = on_cells * kept;
                    // Label released by this cell, plus its share of the
                    // activity injected unbound.
                    let free = (on_cells - bound) + weight * (1.0 - label.bound_fraction);
                    let decay = if *decay_corrected {
                        1.0
                    } else {
                        (-std::f64::consts::LN_2 * t / label.half_life_h).exp()
                    };
                    if let Some(place) = place {
                        self.add(out, r, place, bound * decay);
                    }
                    for &(g, fraction) in &self.free_groups {
                        out[r * self.columns + g] += free * fraction * decay;
                    }
                }
                Assay::HumanDna {
                    dead_cell_dna_half_life_h,
                    ..
                } => {
                    let dna = match dead_for_h {
                        None => 1.0,
                        Some(_) if self.slot_cleared[slot] => 0.0,
                        Some(dead_h) => {
                            (-std::f64::consts::LN_2 * dead_h / dead_cell_dna_half_life_h).exp()
                        }
                    };
                    self.add(out, r, slot, dna);
                }
                Assay::Bioluminescence | Assay::LiveCells | Assay::Culture { .. } => {
                    if dead_for_h.is_none() {
                        self.add(out, r, slot, 1.0);
                    }
                }
                Assay::FlowCytometry {
                    labelled_fraction, ..
                } => {
                    if dead_for_h.is_none() {
                        self.add(out, r, slot, *labelled_fraction);
                    }
                }
                Assay::ParticleLabel { labelled_fraction } => {
                    // Degraded debris leaves its label in the macrophages
                    // that ate it, where it was (docs/label_kinetics.md §9:
                    // iron in cardiac macrophages, Amsalem 2007; dead and
                    // live iron-labelled cells alike on MRI for 6 weeks,
                    // Winter 2010).
                    let place = if self.slot_cleared[slot] {
                        path.previous_slot_at(t)
                    } else {
                        slot
                    };
                    self.add(out, r, place, *labelled_fraction);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows: 0 not injected, 1 lung alive, 2 liver alive, 3 lung dead,
    /// 4 liver dead, 5 cleared; groups (live rows) lung {1}, liver {2},
    /// marrow {}: the dead rows of the same locations belong to them too.
    fn observer(assay: Assay) -> Observer {
        let locations: Vec<String> = [
            "not_yet_injected",
            "lung/capillary",
            "liver/capillary",
            "lung/capillary",
            "liver/capillary",
            "cleared",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let states = ["alive", "alive", "alive", "dead", "dead", "dead"];
        let group_rows = vec![vec![1], vec![2], vec![]];
        let group_names: Vec<String> = ["lung", "liver", "marrow"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        Observer::new(
            assay,
            &RowsForObserver {
                locations: &locations,
                states: &states,
                group_rows: &group_rows,
                group_names: &group_names,
                group_host_cells: &[Some(1e8), Some(2e8), None],
            },
            8000.0, // a 20 µm cell has weight 1
        )
    }

    fn signal(o: &Observer, path: &CellPath, times: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; times.len() * o.columns()];
        o.score(path, times, &mut out);
        out
    }

    fn in_lung_for_ever() -> CellPath {
        CellPath {
            start_slot: 1,
            moves: Vec::new(),
            diameter_um: 20.0,
        }
    }

    #[test]
    fn in111_with_no_biology_halves_every_67_3_hours() {
        let mut label = labels::in111();
        label.efflux_rate_per_h = 0.0;
        label.bound_fraction = 1.0;
        let o = observer(Assay::Radiolabel {
            label,
            decay_corrected: false,
        });
        let times = [0.0, 67.31, 2.0 * 67.31];
        let s = signal(&o, &in_lung_for_ever(), &times);
        // Columns lung, liver, marrow per record.
        assert!((s[0] - 1.0).abs() < 1e-12);
        assert!((s[3] - 0.5).abs() < 1e-12);
        assert!((s[6] - 0.25).abs() < 1e-12);
    }

    #[test]
    fn every_label_decays_with_its_half_life_and_free_hmpao_goes_to_kidney_and_gut() {
        let params = crate::model::ParamSet::new(labels::label_parameters());
        for name in labels::LABELS {
            let mut label = labels::Label::from_params(&params, name).unwrap();
            label.efflux_rate_per_h = 0.0;
            label.bound_fraction = 1.0;
            let half_life_h = label.half_life_h;
            let o = observer(Assay::Radiolabel {
                label,
                decay_corrected: false,
            });
            let s = signal(&o, &in_lung_for_ever(), &[half_life_h, 3.0 * half_life_h]);
            assert!((s[0] - 0.5).abs() < 1e-12, "{name}: {}", s[0]);
            assert!((s[3] - 0.125).abs() < 1e-12, "{name}: {}", s[3]);
        }
        // Free HMPAO: a cell that dies at once in the lung (debris releasing
        // at rate k) has sent (1 - e^{-kt}) of its label to kidney and gut,
        // in their fractions.
        let mut hmpao = labels::Label::from_params(&params, "tc99m_hmpao").unwrap();
        hmpao.bound_fraction = 1.0;
        let k = hmpao.debris_release_rate_per_h;
        let fraction = |organ: &str| {
            hmpao
                .free_to
                .iter()
                .find(|(o, _)| *o == organ)
                .map(|f| f.1)
                .unwrap()
        };
        let (to_kidney, to_gut) = (fraction("kidney"), fraction("gut"));
        assert!(to_kidney > 0.0 && to_gut > 0.0);
        let locations: Vec<String> = [
            "lung/capillary",
            "lung/capillary",
            "kidney/capillary",
            "gut/capillary",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let states = ["alive", "dead", "alive", "alive"];
        let group_rows = vec![vec![0], vec![2], vec![3]];
        let group_names: Vec<String> = ["lung", "kidney", "gut"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let o = Observer::new(
            Assay::Radiolabel {
                label: hmpao,
                decay_corrected: true,
            },
            &RowsForObserver {
                locations: &locations,
                states: &states,
                group_rows: &group_rows,
                group_names: &group_names,
                group_host_cells: &[None, None, None],
            },
            8000.0,
        );
        let dies_at_once = CellPath {
            start_slot: 1,
            moves: Vec::new(),
            diameter_um: 20.0,
        };
        let s = signal(&o, &dies_at_once, &[2.0]);
        let kept = (-k * 2.0).exp();
        assert!((s[0] - kept).abs() < 1e-12, "lung {}", s[0]);
        assert!(
            (s[1] - (1.0 - kept) * to_kidney).abs() < 1e-12,
            "kidney {}",
            s[1]
        );
        assert!((s[2] - (1.0 - kept) * to_gut).abs() < 1e-12, "gut {}", s[2]);
    }

    #[test]
    fn leakage_alone_is_an_exponential_and_the_label_goes_where_free_label_goes() {
        let mut label = labels::in111();
        label.bound_fraction = 1.0;
        let k = label.efflux_rate_per_h;
        let to_marrow = label
            .free_to
            .iter()
            .find(|(o, _)| *o == "marrow")
            .map(|f| f.1)
            .unwrap();
        let o = observer(Assay::Radiolabel {
            label,
            decay_corrected: true,
        });
        let times = [10.0, 50.0];
        let s = signal(&o, &in_lung_for_ever(), &times);
        for (r, &t) in times.iter().enumerate() {
            let kept = (-k * t).exp();
            assert!((s[r * 3] - kept).abs() < 1e-12, "lung at {t}");
            assert!((s[r * 3 + 2] - (1.0 - kept) * to_marrow).abs() < 1e-12);
        }
    }

    #[test]
    fn label_scales_with_volume_and_unbound_activity_is_free_from_the_start() {
        let mut label = labels::in111();
        label.efflux_rate_per_h = 0.0;
        let to_liver = label
            .free_to
            .iter()
            .find(|(o, _)| *o == "liver")
            .map(|f| f.1)
            .unwrap();
        label.bound_fraction = 0.8;
        let o = observer(Assay::Radiolabel {
            label,
            decay_corrected: true,
        });
        let mut big = in_lung_for_ever();
        big.diameter_um = 40.0; // 8 × the mean volume
        let s = signal(&o, &big, &[1.0]);
        assert!((s[0] - 8.0 * 0.8).abs() < 1e-12);
        assert!((s[1] - 8.0 * 0.2 * to_liver).abs() < 1e-12);
    }

    #[test]
    fn dna_outlives_its_cell_and_live_assays_do_not() {
        // Alive in the lung, dies at 10 h (lung debris), carried to the
        // liver at 30 h, cleared at 100 h.
        let path = CellPath {
            start_slot: 1,
            moves: vec![(10.0, 3), (30.0, 4), (100.0, 5)],
            diameter_um: 20.0,
        };
        let times = [5.0, 20.0, 40.0, 200.0];
        let dna = observer(Assay::HumanDna {
            dead_cell_dna_half_life_h: 10.0,
            detection_limit_per_host_cell: 1e-5,
        });
        // The limit is relative to each place's own cells: 1e-5 of 1e8 in
        // the lung, of 2e8 in the liver; unknown for the marrow.
        let limits = dna.detection_limits();
        assert!((limits[0].unwrap() - 1000.0).abs() < 1e-9);
        assert!((limits[1].unwrap() - 2000.0).abs() < 1e-9);
        assert_eq!(limits[2], None);
        let s = signal(&dna, &path, &times);
        assert!((s[0] - 1.0).abs() < 1e-12); // alive in lung
        assert!((s[3] - 0.5).abs() < 1e-12); // lung, dead 10 h
        assert!((s[7] - 0.125).abs() < 1e-12); // liver, dead 30 h
        assert!(s[9..].iter().all(|&v| v == 0.0)); // cleared
        let bli = observer(Assay::Bioluminescence);
        let s = signal(&bli, &path, &times);
        assert!((s.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let dye = observer(Assay::ParticleLabel {
            labelled_fraction: 1.0,
        });
        let s = signal(&dye, &path, &times);
        // Cleared in the liver at 100 h: the dye stays in the liver.
        assert_eq!((s[0], s[3], s[7], s[10]), (1.0, 1.0, 1.0, 1.0));
    }

    #[test]
    fn label_in_phagocytes_is_held_and_stays_where_they_degrade_the_debris() {
        let mut label = labels::in111();
        label.bound_fraction = 1.0;
        let (efflux, debris, phagocyte) = (0.01, 0.3, 0.001);
        label.efflux_rate_per_h = efflux;
        label.debris_release_rate_per_h = debris;
        label.phagocyte_release_rate_per_h = phagocyte;
        label.free_to.clear(); // bound label only
        let o = observer(Assay::Radiolabel {
            label,
            decay_corrected: true,
        });
        // Alive in the lung, dies at 10 h, debris carried to the liver at
        // 30 h, degraded there at 100 h.
        let carried = CellPath {
            start_slot: 1,
            moves: vec![(10.0, 3), (30.0, 4), (100.0, 5)],
            diameter_um: 20.0,
        };
        let s = signal(&o, &carried, &[20.0, 40.0, 200.0]);
        let lung_20 = (-efflux * 10.0 - debris * 10.0).exp();
        assert!((s[0] - lung_20).abs() < 1e-12, "lung debris at 20 h");
        let liver = |t: f64| (-efflux * 10.0 - debris * 20.0 - phagocyte * (t - 30.0)).exp();
        assert!((s[4] - liver(40.0)).abs() < 1e-12, "liver at 40 h");
        assert!((s[3] - 0.0).abs() < 1e-12, "nothing bound left in the lung");
        // Degraded in the liver: the label stays there, still released slowly.
        assert!((s[7] - liver(200.0)).abs() < 1e-12, "liver at 200 h");
        // Degraded in the lung (not a phagocytic organ): all released.
        let degraded_in_lung = CellPath {
            start_slot: 1,
            moves: vec![(10.0, 3), (30.0, 5)],
            diameter_um: 20.0,
        };
        let s = signal(&o, &degraded_in_lung, &[40.0]);
        assert!(s[0].abs() < 1e-12 && s[1].abs() < 1e-12);
    }

    #[test]
    fn a_labelled_subset_scales_counts_of_labelled_cells() {
        let path = in_lung_for_ever();
        let flow = observer(Assay::FlowCytometry {
            labelled_fraction: 0.9,
            detection_limit_cells: 10.0,
        });
        assert_eq!(signal(&flow, &path, &[1.0]), vec![0.9, 0.0, 0.0]);
        assert_eq!(flow.detection_limits(), &[Some(10.0); 3]);
        let dye = observer(Assay::ParticleLabel {
            labelled_fraction: 0.5,
        });
        assert_eq!(signal(&dye, &path, &[1.0]), vec![0.5, 0.0, 0.0]);
        let culture = observer(Assay::Culture {
            detection_limit_cells: 10.0,
        });
        assert_eq!(signal(&culture, &path, &[1.0]), vec![1.0, 0.0, 0.0]);
    }

    #[test]
    fn nothing_is_seen_before_injection() {
        let path = CellPath {
            start_slot: 0,
            moves: vec![(0.5, 1)],
            diameter_um: 20.0,
        };
        let s = signal(&observer(Assay::LiveCells), &path, &[0.25, 1.0]);
        assert_eq!(s, vec![0.0, 0.0, 0.0, 1.0, 0.0, 0.0]);
    }
}
