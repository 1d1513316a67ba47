//! The `biodist` command: parse, load and check, run, write; user errors print
//! one `error: …` message and exit with code 2, without a backtrace.

use std::process::ExitCode;

use biodist::cli::{Cli, Command};
use biodist::commands;
use clap::Parser;

fn main() -> ExitCode {
    let command_line: Vec<String> = std::env::args().collect();
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Run(args) => commands::run(args, command_line),
        Command::Expect(args) => commands::expect(args),
        Command::Presets(args) => commands::presets(args),
        Command::Filter(args) => commands::filter(args),
        Command::Plot(args) => commands::plot(args),
        Command::Compare(args) => commands::compare(args),
        Command::Validate(args) => commands::validate(args),
        Command::Fit(args) => commands::run_fit(args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
