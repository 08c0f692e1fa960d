//! Reading the command line: clap's parse, and the one place its errors are printed.
//!
//! clap guesses a "similar argument" with its own measure, which can offer `--task` for
//! `--tga` when `--tag` is one swap away. Its unknown-option and unknown-command errors are
//! mapped through [`crate::suggest`] here, so the command line and the journal agree on what
//! a typo was meant to be.

use super::Cli;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches};
use std::ffi::OsString;

/// Parse the process's arguments; on an error (or `--help`, `--version`) print it and exit
/// with clap's code (2 for bad usage). A negative duration given to `log` (which clap takes
/// for an option) gets a message that explains it instead.
#[must_use]
pub fn parse() -> Cli {
    let args: Vec<OsString> = std::env::args_os().collect();
    match parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            if e.kind() == ErrorKind::UnknownArgument
                && let Some((message, help)) = super::negative_log(&args)
            {
                let mut d = crate::diagnostic::Diagnostic::bare(message);
                d.help = Some(help);
                let color = super::color(
                    super::ColorChoice::Auto,
                    std::io::IsTerminal::is_terminal(&std::io::stderr()),
                );
                let _ = std::io::Write::write_all(
                    &mut std::io::stderr(),
                    crate::diagnostic::render(&d, &crate::source::SourceMap::default(), color)
                        .as_bytes(),
                );
                std::process::exit(2);
            }
            e.exit()
        }
    }
}

/// Parse `args` (the program name first); an unknown option or command suggests the nearest
/// real one by [`crate::suggest::nearest`].
///
/// # Errors
///
/// clap's error, its suggestion corrected.
pub fn parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let mut cmd = Cli::command();
    let result = cmd
        .try_get_matches_from_mut(args.iter().cloned())
        .and_then(|mut m| Cli::from_arg_matches_mut(&mut m));
    result.map_err(|e| suggest(e, &mut cmd, &args))
}

/// `e` with its suggestion made by [`crate::suggest`]: the nearest long option of the command
/// that was run (its own and the global ones), or the nearest command.
fn suggest(mut e: clap::Error, cmd: &mut clap::Command, args: &[OsString]) -> clap::Error {
    cmd.build();
    match e.kind() {
        ErrorKind::UnknownArgument => {
            let Some(ContextValue::String(typed)) = e.get(ContextKind::InvalidArg) else {
                return e;
            };
            let Some(word) = typed.strip_prefix("--") else {
                return e;
            };
            let word = word.split('=').next().unwrap_or(word).to_string();
            let sub = args
                .iter()
                .skip(1)
                .filter_map(|a| a.to_str())
                .find_map(|a| cmd.find_subcommand(a))
                .unwrap_or(cmd);
            let longs: Vec<&str> = sub.get_arguments().filter_map(|a| a.get_long()).collect();
            e.remove(ContextKind::SuggestedArg);
            if let Some(near) = crate::suggest::nearest(&word, longs) {
                // Our suggestion replaces clap's tips (its "to pass it as a value" among them).
                e.remove(ContextKind::Suggested);
                e.insert(
                    ContextKind::SuggestedArg,
                    ContextValue::String(format!("--{near}")),
                );
            }
            e
        }
        ErrorKind::InvalidSubcommand => {
            let Some(ContextValue::String(typed)) = e.get(ContextKind::InvalidSubcommand) else {
                return e;
            };
            let typed = typed.clone();
            let names: Vec<&str> = cmd
                .get_subcommands()
                .filter(|s| !s.is_hide_set())
                .map(clap::Command::get_name)
                .collect();
            e.remove(ContextKind::SuggestedSubcommand);
            if let Some(near) = crate::suggest::nearest(&typed, names) {
                e.insert(
                    ContextKind::SuggestedSubcommand,
                    ContextValue::String(near.to_string()),
                );
            }
            e
        }
        _ => e,
    }
}

#[cfg(test)]
mod tests {
    use super::parse_from;

    fn error(args: &[&str]) -> String {
        let e = parse_from(std::iter::once("credits").chain(args.iter().copied()))
            .expect_err("a usage error");
        e.render().to_string()
    }

    #[test]
    fn an_unknown_option_suggests_the_nearest_by_the_one_rule() {
        let e = error(&["log", "acme", "15m", "--tga", "dev"]);
        assert!(e.contains("a similar argument exists: '--tag'"), "{e}");
        assert!(!e.contains("--task"), "{e}");
        let e = error(&["buy", "acme", "10h", "--tga", "dev"]);
        assert!(e.contains("a similar argument exists: '--tag'"), "{e}");
        assert!(!e.contains("as a value"), "{e}");
    }

    #[test]
    fn global_options_are_suggested_too() {
        let e = error(&["balance", "--formt", "json"]);
        assert!(e.contains("a similar argument exists: '--format'"), "{e}");
    }

    #[test]
    fn an_option_with_nothing_near_suggests_nothing() {
        let e = error(&["balance", "--xyzzy"]);
        assert!(!e.contains("similar argument"), "{e}");
    }

    #[test]
    fn an_unknown_command_suggests_the_nearest() {
        let e = error(&["blance"]);
        assert!(e.contains("a similar subcommand exists: 'balance'"), "{e}");
        let e = error(&["xyzzy"]);
        assert!(!e.contains("similar subcommand"), "{e}");
    }
}
