//! # biodist
//!
//! Where do injected therapeutic cells go? biodist follows every injected cell
//! through a compartment graph (venous blood, the lung capillary filter, organs,
//! death) as an exact semi-Markov journey, in parallel, with results that do not
//! depend on the thread count.
//!
//! ```
//! use biodist::engine::{DwellLaw, Exit, Graph, RecordClock};
//!
//! // Two states: every cell starts in state 0 and leaves it at 1 per hour.
//! let exit = Exit { from: 0, to: 1, law: DwellLaw::exponential_rate(1.0).unwrap() };
//! let graph = Graph::new(2, 0, vec![exit]).unwrap();
//! let clock = RecordClock::from_hours(&[1.0]);
//! let tally = biodist::run::simulate_cells(&graph, &clock, 7, 10_000, 1_000, &|_| {});
//! assert_eq!(tally.cells_at(0, 0) + tally.cells_at(0, 1), 10_000);
//! // About e^-1 = 36.8 % are still in state 0 after one hour.
//! let fraction = tally.cells_at(0, 0) as f64 / 10_000.0;
//! assert!((fraction - (-1.0f64).exp()).abs() < 0.03);
//! ```
//!
//! Layers, one direction of dependency: [`cli`] → [`scenario`] → [`engine`],
//! with [`run`] for parallel batches and [`results`] → [`output`] on the way out.

pub mod cli;
pub mod commands;
pub mod compare;
pub mod engine;
pub mod error;
pub mod expect;
pub mod fit;
pub mod model;
pub mod observe;
pub mod output;
pub mod plot;
pub mod report;
pub mod results;
pub mod run;
pub mod scenario;
pub mod stats;
pub mod uncertainty;
pub mod validate;

pub use error::Error;
