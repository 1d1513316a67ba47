//! The simulation engine: a compiled cell-fate graph, dwell-time laws, per-cell
//! random streams, exact per-cell journeys and integer tallies.
//!
//! The engine knows nothing of organs, files or the command line (DESIGN.md §3–4):
//! it sees a validated [`Graph`] of states by index and a [`RecordClock`].

pub mod cell;
pub mod circulation;
pub mod graph;
pub mod journey;
pub mod law;
pub mod pairs;
pub mod path;
pub mod rare;
pub mod stream;
pub mod tally;

pub use cell::simulate_cell;
pub use graph::{Exit, Graph, GraphError};
pub use law::{DwellLaw, LawError};
pub use stream::{StreamPurpose, cell_stream};
pub use tally::{RecordClock, Tally, VisitedStates};
