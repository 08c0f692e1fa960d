//! `credits`: parse the command line, run it, exit with its code.

use std::process::ExitCode;

fn main() -> ExitCode {
    // A bug must still read as a message, never as a backtrace (whatever RUST_BACKTRACE says).
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "error: internal error: {info}\n  = help: this is a bug in credits; please report it with the command you ran"
        );
    }));
    credits::cli::run(credits::cli::parse())
}
