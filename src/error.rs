//! The library's error type: every user error, each naming its file and key.

use std::path::PathBuf;

/// Anything that stops a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A scenario file or override is wrong.
    #[error(transparent)]
    Scenario(#[from] crate::scenario::ScenarioError),
    /// The output folder cannot be written.
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    /// Worker threads could not start.
    #[error(transparent)]
    Threads(#[from] crate::run::ThreadPoolError),
    /// `expect` was asked for a graph with a non-exponential law.
    #[error("{}: {key}: expected an exponential law (rate_per_h = r or law = \"exponential\") because `biodist expect` solves Markov graphs exactly, found law \"{law}\"", path.display())]
    NotExponential {
        /// The scenario file.
        path: PathBuf,
        /// The transition's key.
        key: String,
        /// The law found.
        law: &'static str,
    },
    /// A physiological model could not be compiled (after a parameter change).
    #[error("{}: {message}", path.display())]
    Model {
        /// The scenario file.
        path: PathBuf,
        /// What was wrong (key, expected, found).
        message: String,
    },
    /// A plot could not be drawn.
    #[error("plot: {message}")]
    Plot {
        /// What failed.
        message: String,
    },
    /// A command-line option is wrong.
    #[error("{key}: expected {expected}, found {found}")]
    Usage {
        /// The option.
        key: String,
        /// What it must be.
        expected: String,
        /// What was given.
        found: String,
    },
    /// The command needs the other form of scenario.
    #[error("{}: expected {expected}, found {found}", path.display())]
    WrongForm {
        /// The scenario file.
        path: PathBuf,
        /// What the command needs.
        expected: &'static str,
        /// What the file is.
        found: &'static str,
    },
}
