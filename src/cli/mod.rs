//! The command line: clap, the environment, the clock, stdout/stderr and exit codes.
//!
//! The only layer that prints. `Local::now()` is read here and nowhere else, behind `--today`,
//! `CREDITS_TODAY` and `CREDITS_NOW`. Exit codes (SPEC §5): 0 success, 1 a problem in the book or the
//! request, 2 bad usage (clap's own, and a `--format` a command does not have).

pub mod append;
mod balance;
mod check;
mod clients;
mod complete;
mod context;
pub(crate) mod dated;
mod expiring;
mod export;
mod filter;
pub mod formats;
mod git;
mod init;
pub mod man;
mod merge;
pub mod os;
mod parse;
pub mod period;
mod projects;
mod quotes;
mod register;
mod replaying;
mod shell;
mod statement;
mod timer;
mod undo;
mod usage;
mod width;
pub mod words;
pub mod write;

pub use balance::BalanceArgs;
pub use check::CheckArgs;
pub use clients::ClientsArgs;
pub use complete::CompleteArgs;
pub use context::{Context, Fail, known_client};
pub use expiring::ExpiringArgs;
pub use export::ExportArgs;
pub use init::InitArgs;
pub use merge::MergeArgs;
pub use parse::{parse, parse_from};
pub use projects::ProjectsArgs;
pub use quotes::QuotesArgs;
pub use register::RegisterArgs;
pub(crate) use replaying::{Only, push};
pub use replaying::{Replayed, Replaying};
pub use shell::{CompletionsArgs, ManArgs};
pub use statement::StatementArgs;
pub use timer::{CancelArgs, StartArgs, StatusArgs, StopArgs};
pub use undo::UndoArgs;
pub use usage::UsageArgs;
pub use write::{
    AdjustArgs, ApplyArgs, AssertArgs, BillArgs, BuyArgs, DebitArgs, EstimateArgs, LogArgs,
    PlanArgs, QuoteAnswerArgs, QuoteArgs, RefundArgs,
};

use crate::diagnostic::{self, Diagnostic};
use crate::load;
use crate::source::SourceMap;
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::fmt;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// A ledger for prepaid service time: credits, block hours and retainers
///
/// The book is a `credits.toml` (clients, plans, policies) beside one or more journals
/// (`*.credits`, one dated entry per line). `credits` uses the book `--file` or
/// `CREDITS_FILE` names, else the nearest `credits.toml` from the current folder up, else a
/// book listed in ~/.config/credits/config.toml (`books = ["~/books/studio"]`): the one with
/// a client whose `dirs` hold the current folder, or the first.
///
/// Examples:
///
///   credits log acme 15m "Fixed the header"     record work; the new balance is printed
///   credits balance                             every client's balance as of today
///   credits balance acme                        acme's lots, quotes, warnings and forecast
///   credits statement --all -p last-month --format html --out statements/
///   credits undo                                take back the last line written
///   credits check                               every problem in the book
///
/// `credits help COMMAND` explains a command; `credits man` prints the manual.
#[derive(Debug, Parser)]
#[command(name = "credits", version, max_term_width = 100, verbatim_doc_comment)]
pub struct Cli {
    /// The book: a `credits.toml` or the folder that holds it
    #[arg(
        short = 'f',
        long = "file",
        value_name = "PATH",
        env = "CREDITS_FILE",
        global = true,
        help_heading = GLOBAL
    )]
    pub file: Option<PathBuf>,

    /// The date to report as of, YYYY-MM-DD [default: the local date]
    #[arg(long, value_name = "DATE", env = "CREDITS_TODAY", global = true, value_parser = period::absolute, help_heading = GLOBAL)]
    pub today: Option<NaiveDate>,

    /// When to use colour (`auto`: on a terminal, unless `NO_COLOR` is set)
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true, help_heading = GLOBAL)]
    pub color: ColorChoice,

    /// Output format, where the command has it
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Text, global = true, help_heading = GLOBAL)]
    pub format: Format,

    /// Print only what was asked for: no summary lines, no warnings
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    pub quiet: bool,

    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The heading of the options every command takes, listed after each command's own.
const GLOBAL: &str = "Global options";

/// The commands. Each one's `--help` is the doc comment of its `Args` struct, so the
/// variants carry none (a doc comment here would replace it), except the three answers to a
/// quote, which share one `Args` struct and each need their own help.
#[derive(Debug, Subcommand)]
#[allow(missing_docs)]
pub enum Command {
    Balance(BalanceArgs),
    Check(CheckArgs),
    Clients(ClientsArgs),
    Log(LogArgs),
    Buy(BuyArgs),
    Debit(DebitArgs),
    Quote(QuoteArgs),
    Estimate(EstimateArgs),
    /// Approve a quote or estimate: its time is reserved until it is done
    ///
    /// The client said yes to quote or estimate ID. Its quantity is held for it (reserved):
    /// the client's available time drops by that much, and work logged with `--quote ID`
    /// now counts against it. Under `overdraft = "deny"`, a quote larger than the available
    /// time is refused.
    ///
    /// Examples:
    ///
    ///   credits approve acme Q7
    ///   credits approve acme E3 --date 2026-01-20 "Approved by email"
    #[command(verbatim_doc_comment)]
    Approve(QuoteAnswerArgs),
    /// Reject a quote or estimate: nothing is reserved or debited
    ///
    /// The client said no to quote or estimate ID, or called off an approved one before it
    /// was done: its reservation is released and no more work may be logged on it.
    ///
    /// Examples:
    ///
    ///   credits reject acme Q8
    ///   credits reject acme Q7 "Postponed to next year"
    #[command(verbatim_doc_comment)]
    Reject(QuoteAnswerArgs),
    /// Deliver an approved quote or estimate: a quote's price is debited
    ///
    /// A quote is a fixed price: `done` debits its quantity and releases the reservation
    /// (work logged on it was recorded, not debited). An estimate was charged as its work
    /// was logged: `done` debits nothing and releases what is left of the reservation.
    ///
    /// Examples:
    ///
    ///   credits done acme Q7
    ///   credits done acme E3 --date 2026-02-01 "Shop live"
    #[command(verbatim_doc_comment)]
    Done(QuoteAnswerArgs),
    Apply(ApplyArgs),
    Refund(RefundArgs),
    Adjust(AdjustArgs),
    Plan(PlanArgs),
    Bill(BillArgs),
    Assert(AssertArgs),
    Start(StartArgs),
    Stop(StopArgs),
    Status(StatusArgs),
    Init(InitArgs),
    Merge(MergeArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
    Statement(StatementArgs),
    Expiring(ExpiringArgs),
    Export(ExportArgs),
    Usage(UsageArgs),
    Quotes(QuotesArgs),
    Undo(UndoArgs),
    Register(RegisterArgs),
    Cancel(CancelArgs),
    /// Print the book's ids of one kind, for the completion scripts
    #[command(name = "__complete", hide = true)]
    Complete(CompleteArgs),
    Projects(ProjectsArgs),
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tables for people.
    Text,
    /// JSON for scripts.
    Json,
    /// Comma-separated values.
    Csv,
    /// Markdown.
    Md,
    /// HTML.
    Html,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Md => "md",
            Format::Html => "html",
        })
    }
}

/// `CREDITS_THREADS`, a whole number from 1 to 64 (more threads than cores only wait for each
/// other); unset or empty, one thread per core, at most 8. Anything else is bad usage.
fn threads(var: Option<&std::ffi::OsStr>) -> Result<usize, Fail> {
    let Some(v) = var.filter(|v| !v.is_empty()) else {
        return Ok(std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(8));
    };
    v.to_str()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| (1..=64).contains(n))
        .ok_or_else(|| {
            Fail::usage(
                format!(
                    "`CREDITS_THREADS` is `{}`, but it must be a whole number from 1 to 64",
                    v.to_string_lossy().escape_debug()
                ),
                Some(
                    "set it to a number of threads such as `2`, or unset it to use one per core"
                        .into(),
                ),
            )
        })
}

/// `CREDITS_NOW=YYYY-MM-DDTHH:MM`: today and the time of day (for tests and demos); `--today`
/// and `CREDITS_TODAY` still set today. Anything else is bad usage.
fn credits_now(v: &std::ffi::OsStr) -> Result<chrono::NaiveDateTime, Fail> {
    v.to_str()
        .and_then(|s| chrono::NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M").ok())
        .filter(|t| crate::syntax::value::date(&t.date().to_string()).is_ok())
        .ok_or_else(|| {
            Fail::usage(
                format!(
                    "`CREDITS_NOW` is `{}`, but it must be a date and time YYYY-MM-DDTHH:MM",
                    v.to_string_lossy().escape_debug()
                ),
                Some("set it such as `2026-03-02T09:15`, or unset it to use the clock".into()),
            )
        })
}

pub(crate) fn color(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// `credits log [CLIENT] -15m …`: the negative duration clap took for flags, explained.
pub(crate) fn negative_log(args: &[std::ffi::OsString]) -> Option<(String, String)> {
    let words: Vec<&str> = args.iter().skip(1).filter_map(|a| a.to_str()).collect();
    let at = words.iter().position(|w| *w == "log")?;
    let rest = &words[at + 1..];
    let end = rest.iter().position(|w| *w == "--").unwrap_or(rest.len());
    let rest = &rest[..end];
    let (i, word) = rest
        .iter()
        .enumerate()
        .find(|(_, w)| w.starts_with('-') && w[1..].starts_with(|c: char| c.is_ascii_digit()))?;
    let client = i
        .checked_sub(1)
        .and_then(|j| rest.get(j))
        .filter(|w| !w.starts_with('-'));
    words::negative_duration(word, client.copied(), crate::model::Minutes::from(60))
}

/// Run a parsed command line; print what it prints; return the exit code.
#[must_use]
pub fn run(cli: Cli) -> ExitCode {
    let color_err = color(cli.color, std::io::stderr().is_terminal());
    let result = std::env::current_dir()
        .map_err(|e| anyhow::Error::from(os::fail("read", "the current folder", &e)))
        .and_then(|cwd| {
            let threads = threads(std::env::var_os("CREDITS_THREADS").as_deref())?;
            let now = match std::env::var_os("CREDITS_NOW").filter(|v| !v.is_empty()) {
                Some(v) => credits_now(&v)?,
                None => chrono::Local::now().naive_local(),
            };
            let ctx = Context {
                today: cli.today.unwrap_or(now.date()),
                time: now.time(),
                format: cli.format,
                quiet: cli.quiet,
                color_out: color(cli.color, std::io::stdout().is_terminal()),
                color_err,
                file: cli.file,
                cwd,
                threads,
                config: load::config::Place::from_env(
                    std::env::var_os("XDG_CONFIG_HOME").as_deref(),
                    std::env::var_os("HOME").as_deref(),
                ),
                width: width::stdout_width(),
            };
            formats::require(&cli.command, &ctx)?;
            if !matches!(
                cli.command,
                Command::Init(_)
                    | Command::Merge(_)
                    | Command::Completions(_)
                    | Command::Man(_)
                    | Command::Complete(_)
            ) {
                git::hint(&ctx);
            }
            match &cli.command {
                Command::Balance(args) => balance::run(args, &ctx),
                Command::Check(args) => check::run(args, &ctx),
                Command::Clients(args) => clients::run(args, &ctx),
                Command::Log(a) => write::run(&write::Write::Log(a), &ctx),
                Command::Buy(a) => write::run(&write::Write::Buy(a), &ctx),
                Command::Debit(a) => write::run(&write::Write::Debit(a), &ctx),
                Command::Quote(a) => write::run(&write::Write::Quote(a), &ctx),
                Command::Estimate(a) => write::run(&write::Write::Estimate(a), &ctx),
                Command::Approve(a) => write::run(&write::Write::Approve(a), &ctx),
                Command::Reject(a) => write::run(&write::Write::Reject(a), &ctx),
                Command::Done(a) => write::run(&write::Write::Done(a), &ctx),
                Command::Apply(a) => write::run(&write::Write::Apply(a), &ctx),
                Command::Refund(a) => write::run(&write::Write::Refund(a), &ctx),
                Command::Adjust(a) => write::run(&write::Write::Adjust(a), &ctx),
                Command::Plan(a) => write::run(&write::Write::Plan(a), &ctx),
                Command::Bill(a) => write::run(&write::Write::Bill(a), &ctx),
                Command::Assert(a) => write::run(&write::Write::Assert(a), &ctx),
                Command::Start(a) => timer::start(a, &ctx),
                Command::Stop(a) => timer::stop(a, &ctx),
                Command::Status(a) => timer::status(a, &ctx),
                Command::Init(a) => init::run(a, &ctx),
                Command::Merge(a) => merge::run(a, &ctx),
                Command::Completions(a) => shell::completions(a, &ctx),
                Command::Man(a) => shell::man(a, &ctx),
                Command::Statement(args) => statement::run(args, &ctx),
                Command::Expiring(args) => expiring::run(args, &ctx),
                Command::Export(args) => export::run(args, &ctx),
                Command::Usage(args) => usage::run(args, &ctx),
                Command::Quotes(args) => quotes::run(args, &ctx),
                Command::Undo(args) => undo::run(args, &ctx),
                Command::Register(args) => register::run(args, &ctx),
                Command::Cancel(args) => timer::cancel(args, &ctx),
                Command::Complete(args) => complete::run(args, &ctx),
                Command::Projects(args) => projects::run(args, &ctx),
            }
        });
    match result {
        Ok(code) => code,
        Err(e) => report(&e, color_err),
    }
}

/// Print an error from a command and choose the exit code.
fn report(e: &anyhow::Error, color: bool) -> ExitCode {
    if e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    }) {
        return ExitCode::SUCCESS;
    }
    let mut err = std::io::stderr().lock();
    if let Some(fail) = e.downcast_ref::<Fail>() {
        if let Some(d) = &fail.diagnostic {
            let _ = err.write_all(diagnostic::render(d, &SourceMap::default(), color).as_bytes());
        }
        return ExitCode::from(fail.code);
    }
    let d = Diagnostic::bare(format!("{e:#}"));
    let _ = err.write_all(diagnostic::render(&d, &SourceMap::default(), color).as_bytes());
    ExitCode::from(1)
}

#[cfg(test)]
mod tests {
    use super::threads;

    #[test]
    fn credits_threads_is_a_whole_number_from_1_to_64_else_bad_usage() {
        let cores = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(8);
        let t = |v: &str| threads(Some(std::ffi::OsStr::new(v)));
        assert_eq!(t("1").ok(), Some(1));
        assert_eq!(t(" 3 ").ok(), Some(3));
        assert_eq!(t("64").ok(), Some(64));
        assert_eq!(t("").ok(), Some(cores));
        assert_eq!(threads(None).ok(), Some(cores));
        for bad in ["0", "-2", "two", "65", "1000", "2.5"] {
            let fail = t(bad).unwrap_err();
            assert_eq!(fail.code, 2, "{bad:?}");
            let d = fail.diagnostic.unwrap();
            assert_eq!(
                d.message,
                format!("`CREDITS_THREADS` is `{bad}`, but it must be a whole number from 1 to 64")
            );
        }
    }
}
