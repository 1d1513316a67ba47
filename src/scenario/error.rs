//! Errors in scenario files and overrides. Every message names the file and,
//! where there is one, the key, with what was expected and what was found.

use std::fmt;
use std::path::PathBuf;

/// One problem found while checking a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Where: a key path such as `graph.transitions[2].rate_per_h`.
    pub key: String,
    /// What the key must hold.
    pub expected: String,
    /// What it held.
    pub found: String,
}

impl Problem {
    /// A problem at `key`.
    pub fn new(
        key: impl Into<String>,
        expected: impl Into<String>,
        found: impl Into<String>,
    ) -> Self {
        Self {
            key: key.into(),
            expected: expected.into(),
            found: found.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: expected {}, found {}",
            self.key, self.expected, self.found
        )
    }
}

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("{}: cannot read the scenario file: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file is not valid TOML.
    #[error("{}:{line}:{column}: TOML syntax error: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// Line (from 1).
        line: usize,
        /// Column (from 1).
        column: usize,
        /// The parser's description.
        message: String,
    },
    /// A `--set` assignment could not be applied.
    #[error("{}: --set {assignment}: {message}", path.display())]
    Override {
        /// The scenario file.
        path: PathBuf,
        /// The assignment as typed.
        assignment: String,
        /// What was wrong.
        message: String,
    },
    /// A key has the wrong type or is unknown or missing (from serde).
    #[error("{}: {key}: {message}{}", path.display(), via.as_ref().map(|a| format!(" (set by --set {a})")).unwrap_or_default())]
    Field {
        /// The file.
        path: PathBuf,
        /// The key path (empty for the top level).
        key: String,
        /// The deserializer's description (it says what was expected and found).
        message: String,
        /// The `--set` assignment that put the value there, if any.
        via: Option<String>,
    },
    /// The file parsed but breaks rules of the model (all problems are listed).
    #[error("{}", problems.iter().map(|p| format!("{}: {p}", path.display())).collect::<Vec<_>>().join("\n"))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every problem found.
        problems: Vec<Problem>,
    },
}
