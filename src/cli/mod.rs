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
pub use expiring::ExpiringArgs;
pub use export::ExportArgs;
pub use init::InitArgs;
pub use merge::MergeArgs;
pub use parse::{parse, parse_from};
pub use projects::ProjectsArgs;
pub use quotes::QuotesArgs;
pub use register::RegisterArgs;
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
use crate::engine::{self, Replay};
use crate::load::{self, LoadError, Loaded};
use crate::model::Entry;
use crate::source::SourceMap;
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use std::fmt;
use std::io::{IsTerminal, Write};
use std::ops::ControlFlow;
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

/// An error already shaped for the user: a diagnostic to print (or `None` when it was printed
/// already) and the exit code.
#[derive(Debug)]
pub struct Fail {
    /// What to print as `error: …` (with its help line), if not printed yet.
    pub diagnostic: Option<Diagnostic>,
    /// 1 for a problem in the book or the request, 2 for bad usage.
    pub code: u8,
}

impl Fail {
    /// A problem in the request (exit 1).
    #[must_use]
    pub fn request(message: impl Into<String>, help: Option<String>) -> Fail {
        let mut d = Diagnostic::bare(message);
        d.help = help;
        Fail {
            diagnostic: Some(d),
            code: 1,
        }
    }

    /// Bad usage (exit 2).
    #[must_use]
    pub fn usage(message: impl Into<String>, help: Option<String>) -> Fail {
        Fail {
            code: 2,
            ..Fail::request(message, help)
        }
    }

    /// Problems were printed already (exit 1).
    #[must_use]
    pub fn printed() -> Fail {
        Fail {
            diagnostic: None,
            code: 1,
        }
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.diagnostic {
            Some(d) => f.write_str(&d.message),
            None => f.write_str("problems in the book"),
        }
    }
}

impl std::error::Error for Fail {}

/// What every command gets: the global flags, resolved once.
#[derive(Debug)]
pub struct Context {
    /// Today: `--today`, `CREDITS_TODAY`, else the local date.
    pub today: NaiveDate,
    /// `--format`.
    pub format: Format,
    /// `-q`.
    pub quiet: bool,
    /// Colour on stdout.
    pub color_out: bool,
    /// Colour on stderr.
    pub color_err: bool,
    /// `--file` / `CREDITS_FILE`.
    pub file: Option<PathBuf>,
    /// The current folder.
    pub cwd: PathBuf,
    /// The local time of day when the command started (timers).
    pub time: chrono::NaiveTime,
    /// Threads that read and replay a book: `CREDITS_THREADS`, else one per core (at most 8).
    pub threads: usize,
    /// The user configuration's place (`XDG_CONFIG_HOME`, `HOME`), read only when the book
    /// is not found otherwise.
    pub config: load::config::Place,
    /// The width stdout's text tables fit (`None` when stdout is not a terminal).
    pub width: Option<u16>,
}

impl Context {
    /// How stdout's text is laid out: its colour and its tables' width.
    #[must_use]
    pub fn text(&self) -> crate::render::text::Layout {
        crate::render::text::Layout {
            color: self.color_out,
            width: self.width,
        }
    }

    /// Exit 2 unless the command (named `command`) has `--format` `self.format`.
    pub fn require_format(&self, command: &str, supported: &[Format]) -> Result<(), Fail> {
        if supported.contains(&self.format) {
            return Ok(());
        }
        let list: Vec<String> = supported.iter().map(|f| format!("`{f}`")).collect();
        let list = match list.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => list.concat(),
        };
        Err(Fail::usage(
            format!("`{command}` has no `{}` format", self.format),
            Some(format!("use `--format` {list}")),
        ))
    }

    /// Find the book (`--file`, `CREDITS_FILE`, the nearest `credits.toml` upward, then the
    /// user configuration's books: [`load::discover`]).
    pub fn book_path(&self) -> Result<PathBuf, Fail> {
        load::discover(self.file.as_deref(), &self.cwd, &self.config).map_err(|e| self.load_fail(e))
    }

    /// Find and read the book, every entry kept. Problems in the book itself are printed here.
    pub fn load(&self) -> Result<Loaded, Fail> {
        let path = self.book_path()?;
        let request = load::Request::new(&path, &self.cwd);
        self.read(&request, load::Entries)
            .map(|(loaded, ())| loaded)
    }

    /// Find and read `credits.toml` alone, none of its journals (`entries`, `journal_paths`
    /// and `problems` stay empty): for the writing commands, which read the journals once,
    /// with the new line, when they validate it.
    pub fn load_book(&self) -> Result<Loaded, Fail> {
        let path = self.book_path()?;
        let request = load::Request {
            strategy: load::Strategy::Stream,
            ..load::Request::new(&path, &self.cwd)
        };
        self.read(&request, load::BookOnly)
            .map(|(loaded, ())| loaded)
    }

    /// Read the book `request` names into `consumer` ([`load::load`], the one way into a
    /// book). Problems in `credits.toml` itself are printed here.
    pub fn read<C: load::Consume>(
        &self,
        request: &load::Request<'_>,
        consumer: C,
    ) -> Result<(Loaded, C::Output), Fail> {
        load::load(request, consumer).map_err(|e| self.load_fail(e))
    }

    pub(crate) fn load_fail(&self, e: LoadError) -> Fail {
        match e {
            LoadError::NotFound { searched_from } => Fail::request(
                format!(
                    "no `credits.toml` found in `{}` or any folder above",
                    searched_from.display()
                ),
                Some(match &self.config.file {
                    Some(config) => format!(
                        "run `credits init` to start a book, name one with `--file`, or list your books in `{}`",
                        load::config::tilde(config, self.config.home.as_deref())
                    ),
                    None => "run `credits init` to start a book, or name one with `--file`".into(),
                }),
            ),
            LoadError::Book {
                sources,
                mut problems,
            } => {
                self.print_problems(&sources, &mut problems);
                Fail::printed()
            }
            e @ LoadError::Io { .. } => Fail::request(e.to_string(), None),
        }
    }

    /// Replay `loaded` as of `as_of` (`None`: everything). When the load or the replay has
    /// an error, print every problem and fail (SPEC §7.19); warnings are printed unless `-q`.
    pub fn replay(&self, loaded: &Loaded, as_of: Option<NaiveDate>) -> Result<Replay, Fail> {
        self.replay_with(loaded, as_of, engine::ReplayOptions::default())
    }

    /// [`Context::replay`] with options: commands that show no history replay without it.
    pub fn replay_with(
        &self,
        loaded: &Loaded,
        as_of: Option<NaiveDate>,
        opts: engine::ReplayOptions,
    ) -> Result<Replay, Fail> {
        let replay = engine::replay_with(&loaded.book, &loaded.entries, as_of, opts);
        self.checked(loaded, replay)
    }

    /// Find and read the book and replay it in the same pass, entry by entry, so that the
    /// entries are never all held at once (a large book then needs about the memory of its
    /// text), on [`Context::threads`] threads: for the commands that need only the replay.
    /// Descriptions are read only with the history that shows them (`opts.events`; quotes'
    /// always). A book whose entries of one client are out of date order is read again and
    /// replayed as a whole, the same way ([`load::load`]'s fallback chain). Problems are not
    /// printed: [`Context::checked`] does that.
    pub fn load_replayed(
        &self,
        as_of: Option<NaiveDate>,
        opts: engine::ReplayOptions,
    ) -> Result<(Loaded, Replay), Fail> {
        let path = self.book_path()?;
        self.replayed(&path, as_of, opts)
            .map_err(|e| self.load_fail(e))
    }

    /// [`Context::load_replayed`] of the book at `path`, its failure left as it is (`credits
    /// check --format json` shows the problems of `credits.toml` as JSON).
    pub fn replayed(
        &self,
        path: &std::path::Path,
        as_of: Option<NaiveDate>,
        opts: engine::ReplayOptions,
    ) -> Result<(Loaded, Replay), LoadError> {
        let request = load::Request {
            strategy: load::Strategy::best(self.threads),
            // Descriptions are read only when the history that shows them is kept.
            opts: crate::syntax::journal::ParseOptions {
                descriptions: opts.events,
            },
            ..load::Request::new(path, &self.cwd)
        };
        let replaying = Replaying {
            as_of,
            opts,
            keep: None,
        };
        let (loaded, replay, _) = replaying.load(&request)?;
        Ok((loaded, replay))
    }

    /// Find and read the book in parts, giving its entries to the consumer `consumer(None)`
    /// makes (a report that keeps what it makes of the histories, not them:
    /// [`dated::folded`]), then check `client` (when given) and print the problems. When
    /// clients have lines recorded late, the book is read again by `consumer(Some(them))`,
    /// which replays them apart, waiting as long as their lines came late; when a line comes
    /// later still, their entries are read on their own and the book is read once more, and
    /// they are replayed whole. `None` when the consumer could not read it so (its lines are
    /// not in date order otherwise).
    /// `descriptions`: the entries' descriptions are read.
    pub(crate) fn read_folded<X, C>(
        &self,
        consumer: impl Fn(Option<dated::LateClients>) -> C,
        descriptions: bool,
        client: Option<&str>,
    ) -> Result<Option<(Loaded, X)>, Fail>
    where
        C: load::Consume<Output = dated::Gathered<X>>,
    {
        let path = self.book_path()?;
        let request = load::Request {
            strategy: load::Strategy::best(self.threads),
            opts: crate::syntax::journal::ParseOptions { descriptions },
            ..load::Request::new(&path, &self.cwd)
        };
        let read = |c: C| load::load(&request, c).map_err(|e| self.load_fail(e));
        let (loaded, mut got) = read(consumer(None))?;
        // The book as read the first time: its problems are the ones shown.
        if let dated::Gathered::Late(clients) = got {
            let waiting = dated::LateClients {
                clients: clients.clone(),
                entries: None,
            };
            got = read(consumer(Some(waiting)))?.1;
            if let dated::Gathered::Late(_) = got {
                let ids: Vec<String> = clients.iter().map(|(id, _)| id.clone()).collect();
                let (_, entries) =
                    load::load(&request, Only { clients: &ids }).map_err(|e| self.load_fail(e))?;
                let whole = dated::LateClients {
                    clients,
                    entries: Some(entries),
                };
                got = read(consumer(Some(whole)))?.1;
            }
        }
        let dated::Gathered::Read(replay, kept) = got else {
            return Ok(None);
        };
        if let Some(id) = client {
            known_client(&loaded, id)?;
        }
        self.checked(&loaded, replay)?;
        Ok(Some((loaded, kept)))
    }

    /// The book replayed for a report that lists the events of `period` (all time when
    /// `None`): through the period's end (cut at today), keeping the events from its first day.
    /// `client`, when given, must be one of the book's; `projects`: keep only the events of
    /// entries with a `project:`. Returns the book, the replay and the first and last day
    /// covered.
    pub fn events_of(
        &self,
        period: Option<&period::Period>,
        client: Option<&str>,
        projects: bool,
    ) -> Result<(Loaded, Replay, Option<NaiveDate>, NaiveDate), Fail> {
        let from = period.map(|p| p.from);
        let to = period.map_or(self.today, |p| p.to.min(self.today));
        let opts = engine::ReplayOptions {
            events: true,
            events_from: from,
            sums: false,
            burn_from: None,
            projects,
        };
        let (loaded, replay) = self.load_replayed(Some(to), opts)?;
        if let Some(id) = client {
            known_client(&loaded, id)?;
        }
        let replay = self.checked(&loaded, replay)?;
        Ok((loaded, replay, from, to))
    }

    /// Print the problems of the load and of the replay; fail when any is an error (SPEC
    /// §7.19). Warnings are printed unless `-q`.
    pub fn checked(&self, loaded: &Loaded, mut replay: Replay) -> Result<Replay, Fail> {
        let mut problems = loaded.problems.clone();
        problems.append(&mut replay.problems);
        if problems.is_empty() {
            return Ok(replay);
        }
        let failed = self.print_problems(&loaded.full_sources(), &mut problems);
        if failed {
            Err(Fail::printed())
        } else {
            Ok(replay)
        }
    }

    /// Print `problems` sorted, each with its line and caret, then a count line when any is an
    /// error. Warnings are left out under `-q`. True when any is an error.
    pub fn print_problems(&self, sources: &SourceMap, problems: &mut [Diagnostic]) -> bool {
        diagnostic::sort(problems);
        let errors = problems.iter().filter(|d| d.is_error()).count();
        let mut err = std::io::stderr().lock();
        for d in problems.iter().filter(|d| d.is_error() || !self.quiet) {
            let _ = err.write_all(diagnostic::render(d, sources, self.color_err).as_bytes());
        }
        if errors > 0 {
            let s = if errors == 1 { "" } else { "s" };
            let msg = format!("{errors} problem{s} in the book");
            let _ = err.write_all(
                diagnostic::render(&Diagnostic::bare(msg), sources, self.color_err).as_bytes(),
            );
        }
        errors > 0
    }

    /// Write `text` to stdout. A closed or unwritable stdout is an error that says so; a
    /// broken pipe keeps its kind, and exits quietly ([`os::print`]).
    pub fn print(&self, text: &str) -> std::io::Result<()> {
        os::print(text)
    }
}

/// The client `id` of the book, or an exit-1 error that lists the clients.
pub fn known_client(loaded: &Loaded, id: &str) -> Result<(), Fail> {
    if loaded.book.clients.contains_key(id) {
        return Ok(());
    }
    let ids: Vec<String> = loaded
        .book
        .clients
        .keys()
        .map(|k| format!("`{k}`"))
        .collect();
    let near = crate::suggest::nearest(id, loaded.book.clients.keys().map(String::as_str));
    let help = if let Some(near) = near {
        crate::suggest::did_you_mean(near)
    } else if ids.is_empty() {
        "the book has no clients yet: add a `[clients.ID]` table to `credits.toml`".to_string()
    } else {
        format!("the clients are {}", ids.join(", "))
    };
    Err(Fail::request(
        format!("no client `{id}` in the book"),
        Some(help),
    ))
}

/// The consumer that replays a book as [`load::load`] reads it: one [`engine::Replayer`] per
/// part, each replaying its share of the clients ([`engine::Partition`]), joined at the end.
/// A client whose entries come out of date order is set aside and, once the book is read,
/// replayed from its own entries, read again ([`Replaying::load`]).
#[derive(Debug, Clone, Copy)]
pub struct Replaying<'k> {
    /// Replay through this date (`None`: through the last entry).
    pub as_of: Option<NaiveDate>,
    /// The replay's options.
    pub opts: engine::ReplayOptions,
    /// A client whose entries are kept too, in read order (a writing command's).
    pub keep: Option<&'k str>,
}

/// What [`Replaying`] made of one reading.
pub struct Replayed {
    /// The replay, without the clients set aside.
    replay: Replay,
    /// The entries of `keep`, in read order.
    own: Vec<Entry>,
    /// The clients whose entries came out of date order, left out of `replay`, each with how
    /// many days late its lines came ([`engine::Replayer::aside_late`]).
    aside: Vec<(String, u64)>,
    /// The day the replay was finished through.
    end: Option<NaiveDate>,
}

impl Replaying<'_> {
    /// Read the book `request` names and replay it ([`load::load`]); the clients set aside
    /// for entries out of date order are then read again, alone, and replayed whole through
    /// the same day as the others, so that the replay is the one of the whole book. Returns
    /// the book, the replay and the entries of `keep`.
    ///
    /// # Errors
    ///
    /// As [`load::load`].
    pub fn load(
        self,
        request: &load::Request<'_>,
    ) -> Result<(Loaded, Replay, Vec<Entry>), LoadError> {
        let (loaded, got) = load::load(request, self)?;
        let Replayed {
            mut replay,
            own,
            aside,
            end,
        } = got;
        if aside.is_empty() {
            return Ok((loaded, replay, own));
        }
        // The book as read the first time: its problems are the ones shown. The clients set
        // aside are read again, alone, their dates waiting as long as their lines came late.
        let again = Again {
            as_of: self.as_of,
            opts: self.opts,
            end,
            clients: &aside,
        };
        let (_, (mut again, still)) = load::load(request, again)?;
        if !still.is_empty() {
            // Too many lines waited (or the book changed): those clients replayed whole.
            let (_, entries) = load::load(request, Only { clients: &still })?;
            let whole = engine::replay_through(&loaded.book, &entries, self.as_of, end, self.opts);
            again.clients.extend(whole.clients);
            again.problems.extend(whole.problems);
        }
        for (id, _) in &aside {
            if let Some(state) = again.clients.remove(id) {
                replay.clients.insert(id.clone(), state);
            }
        }
        replay.problems.append(&mut again.problems);
        crate::diagnostic::sort(&mut replay.problems);
        Ok((loaded, replay, own))
    }
}

/// Give `entry` to `replayer`: a reading stops at an entry out of date order (when the
/// replayer does not set its client aside).
pub(super) fn push(replayer: &mut engine::Replayer<'_>, entry: Entry) -> ControlFlow<()> {
    match replayer.push(entry) {
        Ok(()) => ControlFlow::Continue(()),
        Err(engine::Disordered) => ControlFlow::Break(()),
    }
}

/// The consumer of a second reading: the clients a first one set aside for lines recorded
/// late, replayed alone, each one's dates waiting as many days as its lines came late
/// ([`engine::Replayer::only`]), through the day the first reading was finished through.
/// Returns their replay, and the clients set aside again (a line later still).
struct Again<'c> {
    as_of: Option<NaiveDate>,
    opts: engine::ReplayOptions,
    end: Option<NaiveDate>,
    clients: &'c [(String, u64)],
}

impl load::Consume for Again<'_> {
    type Output = (Replay, Vec<String>);

    fn take(
        &mut self,
        book: &crate::model::Book,
        parts: usize,
        read: &mut load::ReadAll<'_>,
    ) -> Option<(Replay, Vec<String>)> {
        let partition = engine::Partition::new(parts);
        let mut replayers: Vec<engine::Replayer<'_>> = (0..parts)
            .map(|i| {
                let mut r = engine::Replayer::part(book, self.as_of, self.opts, &partition, i);
                r.set_aside();
                r.only(self.clients);
                r
            })
            .collect();
        let mut takers: Vec<_> = (replayers.iter_mut())
            .map(|r| move |e: Entry| push(r, e))
            .collect();
        let whole = load::deal(read, &|client: &str| partition.of(client), &mut takers);
        drop(takers);
        if !whole {
            return None;
        }
        let still = (replayers.iter())
            .flat_map(|r| r.aside().map(str::to_string))
            .collect();
        let replay = engine::Replayer::join_through(replayers, self.end).ok()?;
        Some((replay, still))
    }

    fn whole(&mut self, book: &crate::model::Book, entries: &[Entry]) -> (Replay, Vec<String>) {
        let theirs: Vec<Entry> = (entries.iter())
            .filter(|e| self.clients.iter().any(|(c, _)| *c == e.client))
            .cloned()
            .collect();
        let replay = engine::replay_through(book, &theirs, self.as_of, self.end, self.opts);
        (replay, Vec::new())
    }
}

/// The consumer that keeps the entries of some clients only, in read order.
pub(crate) struct Only<'c> {
    pub(crate) clients: &'c [String],
}

impl Only<'_> {
    fn wants(&self, e: &Entry) -> bool {
        self.clients.iter().any(|c| *c == e.client)
    }
}

impl load::Consume for Only<'_> {
    type Output = Vec<Entry>;

    fn take(
        &mut self,
        _: &crate::model::Book,
        parts: usize,
        read: &mut load::ReadAll<'_>,
    ) -> Option<Vec<Entry>> {
        let this = &*self;
        let mut kept: Vec<Vec<Entry>> = (0..parts).map(|_| Vec::new()).collect();
        let mut takers: Vec<_> = kept
            .iter_mut()
            .map(|kept| {
                move |e: Entry| {
                    if this.wants(&e) {
                        kept.push(e);
                    }
                    ControlFlow::Continue(())
                }
            })
            .collect();
        let partition = engine::Partition::new(parts);
        let whole = load::deal(read, &|client: &str| partition.of(client), &mut takers);
        drop(takers);
        whole.then(|| kept.into_iter().flatten().collect())
    }

    fn whole(&mut self, _: &crate::model::Book, entries: &[Entry]) -> Vec<Entry> {
        entries.iter().filter(|e| self.wants(e)).cloned().collect()
    }
}

impl load::Consume for Replaying<'_> {
    /// The replay, and the entries of `keep`.
    type Output = Replayed;

    fn take(
        &mut self,
        book: &crate::model::Book,
        parts: usize,
        read: &mut load::ReadAll<'_>,
    ) -> Option<Replayed> {
        let Replaying { as_of, opts, keep } = *self;
        let partition = engine::Partition::new(parts);
        let mut states: Vec<(engine::Replayer<'_>, Vec<Entry>)> = (0..parts)
            .map(|i| {
                let mut r = engine::Replayer::part(book, as_of, opts, &partition, i);
                r.set_aside();
                (r, Vec::new())
            })
            .collect();
        let mut takers: Vec<_> = states
            .iter_mut()
            .map(|(r, own)| {
                move |e: Entry| {
                    if keep == Some(e.client.as_str()) {
                        own.push(e.clone());
                    }
                    push(r, e)
                }
            })
            .collect();
        let whole = load::deal(read, &|client: &str| partition.of(client), &mut takers);
        drop(takers);
        if !whole {
            return None;
        }
        let (replayers, owns): (Vec<_>, Vec<_>) = states.into_iter().unzip();
        let aside = (replayers.iter())
            .flat_map(|r| r.aside_late().map(|(id, days)| (id.to_string(), days)))
            .collect();
        let end = engine::Replayer::end(&replayers);
        let replay = engine::Replayer::join(replayers).ok()?;
        Some(Replayed {
            replay,
            own: owns.into_iter().flatten().collect(),
            aside,
            end,
        })
    }

    fn whole(&mut self, book: &crate::model::Book, entries: &[Entry]) -> Replayed {
        let replay = engine::replay_with(book, entries, self.as_of, self.opts);
        let own = self.keep.map_or_else(Vec::new, |c| {
            entries.iter().filter(|e| e.client == c).cloned().collect()
        });
        Replayed {
            replay,
            own,
            aside: Vec::new(),
            end: None,
        }
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
