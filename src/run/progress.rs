//! A progress bar on stderr for long runs.
//!
//! The bar stays hidden for the first second, so short runs print nothing, and
//! it is never drawn when stderr is not a terminal (pipes, CI logs, tests).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run must last before the bar appears.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Progress of one run, counted in cells.
pub struct CellProgress {
    bar: ProgressBar,
    started: Instant,
    shown: AtomicBool,
    terminal: bool,
}

impl CellProgress {
    /// A hidden bar for `total_cells` cells of the arm called `label`.
    pub fn new(total_cells: u64, label: &str) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total_cells), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template(
            "{msg} [{bar:30}] {human_pos}/{human_len} cells, {eta} left",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()) // infallible: the template is fixed
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(label.to_string());
        Self {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// Counts `cells` more cells done; shows the bar once the run has lasted a second.
    pub fn advance(&self, cells: u64) {
        self.bar.inc(cells);
        if self.terminal
            && !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() >= SHOW_AFTER
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
