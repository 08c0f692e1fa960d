//! What every command gets ([`Context`]: the global flags, resolved once; finding, reading and
//! replaying the book, printing its problems) and how a command fails ([`Fail`]).

use super::{Format, Only, Replaying, dated, os, period};
use crate::diagnostic::{self, Diagnostic};
use crate::engine::{self, Replay};
use crate::load::{self, LoadError, Loaded};
use crate::source::SourceMap;
use chrono::NaiveDate;
use std::fmt;
use std::io::Write;
use std::path::PathBuf;

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
    let near = crate::suggest::nearest(id, loaded.book.clients.keys().map(String::as_str));
    let help = match (near, client_list(loaded)) {
        (Some(near), _) => crate::suggest::did_you_mean(near),
        (None, Some(list)) => format!("the clients are {list}"),
        (None, None) => NO_CLIENTS.to_string(),
    };
    Err(Fail::request(
        format!("no client `{id}` in the book"),
        Some(help),
    ))
}

/// The help of a book without clients.
pub(crate) const NO_CLIENTS: &str =
    "the book has no clients yet: add a `[clients.ID]` table to `credits.toml`";

/// The book's clients, each in backquotes, joined by commas (`None`: it has none).
pub(crate) fn client_list(loaded: &Loaded) -> Option<String> {
    let ids: Vec<String> = (loaded.book.clients.keys())
        .map(|k| format!("`{k}`"))
        .collect();
    (!ids.is_empty()).then(|| ids.join(", "))
}
