//! `credits`: parse the command line, run it, exit with its code.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    credits::cli::run(credits::cli::Cli::parse())
}
