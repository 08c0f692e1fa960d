//! `credits export hledger|ledger|beancount|csv|json [CLIENT] [period] [filters]`.

use super::dated::{self, Runs};
use super::filter::FilterArgs;
use super::period::PeriodArgs;
use super::{Context, Fail, Format, known_client};
use crate::engine::{ClientState, Replay, ReplayOptions, Replayer};
use crate::load;
use crate::model::{Book, Entry};
use crate::render;
use crate::render::export::{Opens, Target, Writer};
use crate::report;
use crate::report::export::{Streamed, Window};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
#[cfg(test)]
use std::ops::ControlFlow;
use std::process::ExitCode;

pub(super) mod merge;

/// Export the book's purchases and consumption for an accounting tool
///
/// Every purchase, grant, adjustment, debit, expiry, refund, applied amount, carried debt
/// and overage through today becomes a balanced transaction. Time is the commodity `MIN`
/// (minutes, so that every quantity is exact); a purchase enters
/// `assets:prepaid:CLIENT` at its cost, and time leaves it at the cost of the lot it came
/// from, to `expenses:consumed`, `expenses:expired`, `expenses:refunded` or
/// `expenses:applied`. The balance of `assets:prepaid:CLIENT` is the client's balance, and
/// its cost (`hledger bal -B`) is the value `credits balance` shows.
///
/// FORMAT is a word: hledger, ledger, beancount, csv or json. A period limits the export to
/// its transactions; a journal for hledger, ledger or beancount then opens with each
/// client's balance brought forward (against `equity:opening:CLIENT`), so that `bal` still
/// matches `credits balance`. The filters (`--tag`, `--project`, `--quote`, `--kind`,
/// `--grep`) apply to csv and json. Without a period, all time through today.
///
/// Examples:
///
///   credits export hledger > credits.journal && hledger -f credits.journal bal
///   credits export ledger -p 2026 > 2026.ledger && ledger -f 2026.ledger bal
///   credits export beancount > credits.beancount && bean-check credits.beancount
///   credits export csv acme -p last-month --tag support
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ExportArgs {
    /// The format to write
    #[arg(value_enum, value_name = "FORMAT")]
    pub tool: To,

    /// Only this client
    pub client: Option<String>,

    /// `-p`, `--month`, `--from`, `--to` [default: all time].
    #[command(flatten)]
    pub period: PeriodArgs,

    /// `--tag`, `--project`, `--quote`, `--kind`, `--grep` (csv and json).
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// The export's format word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum To {
    /// An hledger journal.
    Hledger,
    /// A ledger journal.
    Ledger,
    /// A beancount ledger.
    Beancount,
    /// One CSV line per posting.
    Csv,
    /// The transactions as JSON.
    Json,
}

/// Standard output in chunks of about a megabyte: an export is printed as it is written.
pub(super) struct Chunks<'c> {
    ctx: &'c Context,
    text: String,
    /// The first error printing met; nothing is printed after it.
    error: Option<std::io::Error>,
}

impl<'c> Chunks<'c> {
    const SIZE: usize = 1 << 20;

    /// Nothing written yet.
    pub(super) fn new(ctx: &'c Context) -> Chunks<'c> {
        Chunks {
            ctx,
            text: String::new(),
            error: None,
        }
    }

    /// The first error printing met, if any.
    pub(super) fn done(self) -> std::io::Result<()> {
        self.error.map_or(Ok(()), Err)
    }

    /// Print what is held.
    pub(super) fn flush(&mut self) {
        if self.error.is_none()
            && !self.text.is_empty()
            && let Err(e) = self.ctx.print(&self.text)
        {
            self.error = Some(e);
        }
        self.text.clear();
    }
}

impl std::fmt::Write for Chunks<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.text.push_str(s);
        if self.text.len() >= Self::SIZE {
            self.flush();
        }
        // Stop writing once printing failed.
        if self.error.is_some() {
            return Err(std::fmt::Error);
        }
        Ok(())
    }
}

/// Run `credits export`.
pub fn run(args: &ExportArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    if ctx.format != Format::Text {
        return Err(Fail::usage(
            "`export` takes its format as a word, not `--format`",
            Some(format!("write `credits export {}`", ctx.format)),
        )
        .into());
    }
    let journal = matches!(args.tool, To::Hledger | To::Ledger | To::Beancount);
    let filter = args.filter.filter();
    if journal && !filter.is_empty() {
        return Err(Fail::usage(
            format!(
                "`export {}` takes no filter: a filtered journal would not add up to the balance",
                args.tool.word()
            ),
            Some("filter `export csv` or `export json`, or limit the journal with `-p`".into()),
        )
        .into());
    }
    let period = args.period.resolve(ctx.today)?;
    let to = period.as_ref().map_or(ctx.today, |p| p.to.min(ctx.today));
    let target = match args.tool {
        To::Hledger => Target::Hledger,
        To::Ledger => Target::Ledger,
        To::Beancount => Target::Beancount,
        To::Csv => Target::Csv,
        To::Json => Target::Json,
    };
    let window = Window {
        client: args.client.as_deref(),
        from: period.as_ref().map(|p| p.from),
        bring_forward: journal,
        filter: (!filter.is_empty()).then_some(&filter),
        words: Some(render::words::event),
    };
    // The export is written while the replay runs, so the book is read twice: first to find
    // its problems (a book with problems exports nothing) and, for beancount, the accounts
    // its ledger opens before the transactions; then to write. A book whose entries are not
    // in date order is replayed as a whole, its history held, and written from it.
    let beancount = (target == Target::Beancount).then_some(&window);
    let (loaded, (first, mut opens, parts, aside)) = check(ctx, to, beancount)?;
    let Reading::Replayed(mut replay) = first else {
        return collected(args, ctx, to, target, &window);
    };
    if let Some(id) = &args.client {
        known_client(&loaded, id)?;
    }
    // Read again as the first reading read the book (on one thread when a part would hold
    // back the others' text): a reading that writes as it reads cannot start over.
    let strategy = match loaded.read_as {
        load::Strategy::Parts(_) => load::Strategy::Parts(parts),
        _ => load::Strategy::Stream,
    };
    // Clients with lines recorded late: replayed apart as the book is read, or whole on their
    // own, and written among the others.
    let theirs = if aside.is_empty() {
        None
    } else {
        let (theirs, mut problems, their_opens) =
            late_ones(ctx, (&loaded.book, to), &aside, strategy, beancount)?;
        replay.problems.append(&mut problems);
        opens.join(their_opens);
        Some(theirs)
    };
    ctx.checked(&loaded, replay)?;
    let head = render::export::Head {
        book: &loaded.book.name,
        as_of: to,
        unit_minutes: loaded.book.unit_minutes,
    };
    // The replay makes the transactions and writes their text, in parts on threads as the
    // first reading read the book; another thread puts them in order and prints them.
    let merge = merge::Merge::default();
    let (again, second, writer, mut out) = std::thread::scope(|scope| {
        let writing = scope.spawn(|| {
            let mut out = Chunks::new(ctx);
            let mut writer = Writer::begin(target, &head, Some(&opens), &mut out).ok();
            merge.run(|piece| {
                if let Some(w) = &mut writer
                    && w.put(piece, &mut out).is_err()
                {
                    writer = None;
                }
            });
            (writer, out)
        });
        let read = {
            // The writing thread stops when the reading ends, however it ends.
            let _ends = merge.ends();
            let exporting = Exporting {
                window: &window,
                target,
            };
            write(
                ctx,
                (to, theirs),
                strategy,
                args.client.as_deref(),
                &exporting,
                &merge,
            )
        };
        let (writer, out) = writing
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        read.map(|(again, second)| (again, second, writer, out))
    })?;
    let Reading::Replayed(replay) = second else {
        // The entries were in date order a moment ago.
        return Err(Fail::request(
            "the journal changed while it was exported",
            Some("run the export again".into()),
        )
        .into());
    };
    ctx.checked(&again, replay)?;
    if let Some(w) = writer
        && w.end(&mut out).is_ok()
    {
        out.flush();
    }
    if let Some(e) = out.error {
        return Err(e.into());
    }
    Ok(ExitCode::SUCCESS)
}

/// The export of a book whose entries are not in date order: replayed as a whole, every
/// client's history held, then written.
fn collected(
    args: &ExportArgs,
    ctx: &Context,
    to: NaiveDate,
    target: Target,
    window: &Window<'_>,
) -> anyhow::Result<ExitCode> {
    let (loaded, replay) = ctx.load_replayed(Some(to), ReplayOptions::default())?;
    if let Some(id) = &args.client {
        known_client(&loaded, id)?;
    }
    let replay = ctx.checked(&loaded, replay)?;
    let head = render::export::Head {
        book: &loaded.book.name,
        as_of: to,
        unit_minutes: loaded.book.unit_minutes,
    };
    let mut out = Chunks::new(ctx);
    let transactions = || report::export::transactions_in(&loaded.book, &replay, window);
    let written = render::export::write(target, &head, transactions, &mut out);
    if written.is_ok() {
        out.flush();
    }
    if let Some(e) = out.error {
        return Err(e.into());
    }
    Ok(ExitCode::SUCCESS)
}

/// Where an export's transactions go as they are made.
#[cfg(test)]
type Sink<'s> = dyn FnMut(crate::report::export::Transaction) + Send + 's;

/// The writing reading of the book through `as_of`, read by `strategy` (the way the first
/// reading read it, so that it does not fall back to another way after some of it was
/// written): the replay, each part's pieces (of `client`'s histories, or every client's) made
/// by `makes` and sent to `merge`.
pub(super) fn write<K: merge::Makes>(
    ctx: &Context,
    (as_of, late): (NaiveDate, Option<merge::Late>),
    strategy: load::Strategy,
    client: Option<&str>,
    makes: &K,
    merge: &merge::Merge,
) -> Result<(load::Loaded, Reading), Fail> {
    let path = ctx.book_path()?;
    let request = load::Request {
        strategy,
        opts: crate::syntax::journal::ParseOptions { descriptions: true },
        ..load::Request::new(&path, &ctx.cwd)
    };
    let parted = merge::Parted {
        as_of,
        client,
        makes,
        merge,
        again: false,
        late,
    };
    load::load(&request, parted).map_err(|e| ctx.load_fail(e))
}

/// The clients a first reading set aside for lines recorded late (each with how many days
/// late its lines came), as the writing reading is to replay them: apart as it reads (each
/// one's dates waiting as long as the latest of them came late), when a reading of theirs
/// read as the writing reading will (`strategy`) finds that enough; else whole, from their
/// own entries ([`late`]). With their problems, and, with `opens` (beancount), what their
/// transactions open.
pub(super) fn late_ones(
    ctx: &Context,
    (book, as_of): (&Book, NaiveDate),
    aside: &[(String, u64)],
    strategy: load::Strategy,
    opens: Option<&Window<'_>>,
) -> Result<(merge::Late, Vec<crate::diagnostic::Diagnostic>, Opens), Fail> {
    let path = ctx.book_path()?;
    let request = wordless(&path, &ctx.cwd, strategy);
    let unworded = unworded(opens);
    // The writing reading's parts are settled in step: one wait for all.
    let days = aside.iter().map(|(_, d)| *d).max().unwrap_or(0);
    let clients: Vec<(String, u64)> = aside.iter().map(|(id, _)| (id.clone(), days)).collect();
    let consumer = Apart {
        as_of,
        clients: &clients,
        opens: unworded.as_ref(),
    };
    let (_, apart) = load::load(&request, consumer).map_err(|e| ctx.load_fail(e))?;
    if let Some((replay, opens)) = apart {
        return Ok((merge::Late::Apart(clients), replay.problems, opens));
    }
    let ids: Vec<String> = aside.iter().map(|(id, _)| id.clone()).collect();
    let mut theirs = late(ctx, as_of, &ids)?;
    let problems = std::mem::take(&mut theirs.problems);
    let mut their_opens = Opens::default();
    if let Some(window) = &unworded {
        let mut copy = theirs.clone();
        let histories = (copy.clients.iter_mut()).map(|(id, s)| (id.as_str(), s));
        Streamed::new(book, window).finished(histories, &mut |t| their_opens.add(&t));
    }
    Ok((merge::Late::Whole(theirs), problems, their_opens))
}

/// The consumer of [`late_ones`]' reading: the clients set aside alone, replayed apart
/// ([`dated::apart`]), noting what their transactions open; `None` when one is set aside
/// again.
struct Apart<'c, 'w, 'f> {
    as_of: NaiveDate,
    clients: &'c [(String, u64)],
    opens: Option<&'w Window<'f>>,
}

impl load::Consume for Apart<'_, '_, '_> {
    type Output = Option<(Replay, Opens)>;

    fn take(
        &mut self,
        book: &Book,
        parts: usize,
        read: &mut load::ReadAll<'_>,
    ) -> Option<Option<(Replay, Opens)>> {
        let opts = if self.opens.is_some() {
            ReplayOptions::default()
        } else {
            ReplayOptions::STATES
        };
        let window = self.opens;
        let start = || window.map(|w| (Streamed::new(book, w), Opens::default()));
        let fold = |histories: &mut dated::Histories<'_, '_>,
                    before: Option<NaiveDate>,
                    with: &mut Option<(Streamed<'_>, Opens)>| {
            if let Some((streamed, opens)) = with {
                match before {
                    Some(day) => streamed.settled(histories, day, &mut |t| opens.add(&t)),
                    None => streamed.finished(histories, &mut |t| opens.add(&t)),
                }
            }
        };
        let how = (parts, self.as_of, self.clients);
        let (replay, kept, still) = dated::apart(read, book, how, (opts, &start), &fold)?;
        if !still.is_empty() {
            return Some(None);
        }
        let mut all = Opens::default();
        for (_, opens) in kept.into_iter().flatten() {
            all.join(opens);
        }
        Some(Some((replay, all)))
    }

    fn whole(&mut self, _: &Book, _: &[Entry]) -> Option<(Replay, Opens)> {
        None
    }
}

/// The clients a first reading set aside for lines recorded late (`clients`), replayed whole
/// through `as_of` from their own entries, read again on their own, with their history: the
/// writing reading leaves them out and puts their pieces among the others'
/// ([`merge::Parted::late`]). Only those clients are in the replay.
pub(super) fn late(ctx: &Context, as_of: NaiveDate, clients: &[String]) -> Result<Replay, Fail> {
    let path = ctx.book_path()?;
    let request = load::Request {
        strategy: load::Strategy::best(ctx.threads),
        opts: crate::syntax::journal::ParseOptions { descriptions: true },
        ..load::Request::new(&path, &ctx.cwd)
    };
    let (loaded, entries) =
        load::load(&request, super::Only { clients }).map_err(|e| ctx.load_fail(e))?;
    let opts = ReplayOptions::default();
    let mut theirs = crate::engine::replay_with(&loaded.book, &entries, Some(as_of), opts);
    theirs.clients.retain(|id, _| clients.contains(id));
    theirs.later_entries = 0;
    Ok(theirs)
}

/// The export's pieces: the transactions of the `window`, written in `target`.
struct Exporting<'w, 'f> {
    window: &'w Window<'f>,
    target: Target,
}

/// One part's maker of [`Exporting`].
struct ExportMaker<'b> {
    streamed: Streamed<'b>,
    pieces: render::export::Pieces,
}

impl merge::Makes for Exporting<'_, '_> {
    type Maker<'b>
        = ExportMaker<'b>
    where
        Self: 'b;

    fn maker<'b>(&'b self, book: &'b Book) -> ExportMaker<'b> {
        ExportMaker {
            streamed: Streamed::new(book, self.window),
            pieces: render::export::Pieces::new(self.target),
        }
    }
}

impl merge::Maker for ExportMaker<'_> {
    fn make<'s>(
        &mut self,
        histories: &mut dyn Iterator<Item = (&'s str, &'s mut ClientState)>,
        before: Option<NaiveDate>,
        batch: &mut merge::Batch,
    ) {
        let ExportMaker { streamed, pieces } = self;
        let mut put = |k, t: report::export::Transaction| {
            batch.piece(t.date, k, |text| pieces.write(&t, text));
        };
        match before {
            Some(day) => streamed.settled_placed(histories, day, &mut put),
            None => streamed.finished_placed(histories, &mut put),
        }
    }
}

/// A first reading of the book through `as_of` that replays it (as `balance` does, in parts
/// on threads) for its problems, and tells whether its entries are in date order and in how
/// many parts it was read, and which clients it set aside for lines recorded late (see
/// [`late`]); with a window, also what a beancount ledger of its transactions opens.
pub(super) fn check(
    ctx: &Context,
    as_of: NaiveDate,
    opens: Option<&Window<'_>>,
) -> Result<(load::Loaded, Checked), Fail> {
    let path = ctx.book_path()?;
    // The way the writing reading reads the book too.
    let request = wordless(&path, &ctx.cwd, load::Strategy::best(ctx.threads));
    let unworded = unworded(opens);
    let opens = unworded.as_ref();
    load::load(&request, Checking { as_of, opens }).map_err(|e| ctx.load_fail(e))
}

/// A reading of the book at `path` by `strategy` without the entries' descriptions: what a
/// ledger opens needs none (and a journal takes no filter).
fn wordless<'p>(
    path: &'p std::path::Path,
    cwd: &'p std::path::Path,
    strategy: load::Strategy,
) -> load::Request<'p> {
    load::Request {
        strategy,
        opts: crate::syntax::journal::ParseOptions {
            descriptions: false,
        },
        ..load::Request::new(path, cwd)
    }
}

/// `window` without its words: what a ledger opens needs no description.
fn unworded<'f>(window: Option<&Window<'f>>) -> Option<Window<'f>> {
    window.map(|w| Window {
        words: None,
        ..w.clone()
    })
}

/// The consumer of [`check`]: one [`Replayer`] per part, as `balance` replays, and the runs
/// of one date each part read, which tell whether the book is in date order. With `opens`,
/// each part keeps its clients' histories until a new date starts, and notes what their
/// transactions open (an account belongs to one client, so to one part).
struct Checking<'w, 'f> {
    as_of: NaiveDate,
    opens: Option<&'w Window<'f>>,
}

/// What each client's transactions open, noted apart so that a client set aside leaves out
/// what its history made before it was.
type ByClient = std::collections::BTreeMap<String, Opens>;

/// Note what `t` opens, under its client.
fn note(opens: &mut ByClient, t: &report::export::Transaction) {
    match opens.get_mut(&t.client) {
        Some(o) => o.add(t),
        None => opens.entry(t.client.clone()).or_default().add(t),
    }
}

/// What the first reading found: the replay (the clients set aside left out), what a
/// beancount ledger opens, in how many parts to write, and the clients set aside for lines
/// recorded late, each with how many days late its lines came.
pub(super) type Checked = (Reading, Opens, usize, Vec<(String, u64)>);

impl load::Consume for Checking<'_, '_> {
    type Output = Checked;

    fn take(&mut self, book: &Book, parts: usize, read: &mut load::ReadAll<'_>) -> Option<Checked> {
        let as_of = self.as_of;
        let opts = if self.opens.is_some() {
            ReplayOptions::default()
        } else {
            ReplayOptions::STATES
        };
        let partition = crate::engine::Partition::new(parts);
        // Each part's transactions made so far, and what they open.
        let states = (0..parts)
            .map(|i| {
                let replayer = Replayer::part(book, Some(as_of), opts, &partition, i);
                let opens = self
                    .opens
                    .map(|w| (Streamed::new(book, w), ByClient::new()));
                dated::Dated::new(replayer, opens)
            })
            .collect();
        let (mut states, ordered) = dated::read(
            read,
            (partition, dated::Late::SetAside),
            as_of,
            states,
            &|_, part, e| {
                if let Some((streamed, opens)) = &mut part.with {
                    let r = &mut part.replayer;
                    r.settle_before(e.date);
                    streamed.settled(r.histories(), e.date, &mut |t| note(opens, &t));
                }
            },
            None,
        )?;
        for part in &mut states {
            if let Some((streamed, opens)) = &mut part.with {
                let r = &mut part.replayer;
                for next in dated::after_last(r.last(), as_of) {
                    r.settle_before(next);
                    streamed.settled(r.histories(), next, &mut |t| note(opens, &t));
                }
            }
        }
        // A part that reads nothing for long holds back the others' text while the export
        // is written in parts: then it is written on one thread.
        let runs: Vec<Runs> = (states.iter_mut())
            .map(|p| std::mem::take(&mut p.runs))
            .collect();
        let parts = if Runs::silence(&runs) > merge::MAX_SILENCE {
            1
        } else {
            parts
        };
        let mut aside: Vec<(String, u64)> = (states.iter())
            .flat_map(|part| part.replayer.aside_late())
            .map(|(id, days)| (id.to_string(), days))
            .collect();
        aside.sort();
        let mut replayers = Vec::new();
        let mut noted = Vec::new();
        for part in states {
            replayers.push(part.replayer);
            noted.extend(part.with);
        }
        let Ok(mut replay) = Replayer::join(replayers) else {
            return Some((Reading::OutOfOrder, Opens::default(), parts, Vec::new()));
        };
        if !ordered {
            return Some((Reading::OutOfOrder, Opens::default(), parts, Vec::new()));
        }
        let mut all = Opens::default();
        for (k, (mut streamed, mut opens)) in noted.into_iter().enumerate() {
            // The rest of the part's own clients' histories.
            let histories = replay
                .clients
                .iter_mut()
                .filter(|(id, _)| partition.of(id) == k)
                .map(|(id, s)| (id.as_str(), s));
            streamed.finished(histories, &mut |t| note(&mut opens, &t));
            // A client set aside may have noted what its history before it made: not its own.
            for (id, noted) in opens {
                if !aside.iter().any(|(c, _)| *c == id) {
                    all.join(noted);
                }
            }
        }
        Some((Reading::Replayed(replay), all, parts, aside))
    }

    fn whole(&mut self, _: &Book, _: &[Entry]) -> Checked {
        (Reading::OutOfOrder, Opens::default(), 1, Vec::new())
    }
}

/// What a reading gave.
pub(super) enum Reading {
    /// The replay (its histories given to the sink, and cleared).
    Replayed(Replay),
    /// The entries are not in date order: nothing more was read, and the transactions given
    /// are not to be used.
    OutOfOrder,
}

/// The writing reading on one thread, as it was before it was read in parts (the tests hold
/// [`merge::Parted`] to it): replays the entries as they come, and when a new date starts,
/// makes every client's history before it final, gives its transactions to the sink and
/// drops it. It needs the entries in date order across all clients; it stops at the first
/// that is not.
#[cfg(test)]
struct Streaming<'w, 'f, 's> {
    as_of: NaiveDate,
    opts: ReplayOptions,
    window: &'w Window<'f>,
    sink: Option<&'s mut Sink<'s>>,
}

#[cfg(test)]
impl load::Consume for Streaming<'_, '_, '_> {
    type Output = Reading;

    fn take(&mut self, book: &Book, _: usize, read: &mut load::ReadAll<'_>) -> Option<Reading> {
        let as_of = self.as_of;
        let mut replayer = Replayer::new(book, Some(as_of), self.opts);
        let mut streamed = Streamed::new(book, self.window);
        let mut sink = self.sink.as_deref_mut();
        let mut current: Option<NaiveDate> = None;
        let mut ordered = true;
        let mut taker = |e: Entry| {
            if e.date <= as_of {
                match current {
                    Some(c) if e.date < c => {
                        ordered = false;
                        return ControlFlow::Break(());
                    }
                    Some(c) if e.date > c => {
                        if let Some(sink) = sink.as_deref_mut() {
                            replayer.settle_before(e.date);
                            streamed.settled(replayer.histories(), e.date, &mut |t| sink(t));
                        }
                    }
                    _ => {}
                }
                current = Some(e.date);
            }
            if replayer.push(e).is_err() {
                ordered = false;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        };
        let whole = read(&|_| 0, &mut [&mut taker]);
        if !whole {
            return None;
        }
        if !ordered {
            return Some(Reading::OutOfOrder);
        }
        let Ok(mut replay) = replayer.finish() else {
            return Some(Reading::OutOfOrder);
        };
        if let Some(sink) = sink {
            let histories = replay.clients.iter_mut().map(|(id, s)| (id.as_str(), s));
            streamed.finished(histories, &mut |t| sink(t));
        }
        Some(Reading::Replayed(replay))
    }

    fn whole(&mut self, _: &Book, _: &[Entry]) -> Reading {
        Reading::OutOfOrder
    }
}

impl To {
    /// The format word.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            To::Hledger => "hledger",
            To::Ledger => "ledger",
            To::Beancount => "beancount",
            To::Csv => "csv",
            To::Json => "json",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::proptests::{line, policies};
    use crate::report::Filter;
    use crate::report::export::Transaction;
    use crate::testing;
    use proptest::prelude::*;

    /// The export of `journal` streamed by [`Streaming`] (fed the entries in read order), or
    /// `None` when it finds them out of order.
    fn streamed(
        book: &Book,
        entries: &[Entry],
        as_of: NaiveDate,
        window: &Window<'_>,
    ) -> Option<Vec<Transaction>> {
        let mut got = Vec::new();
        let mut sink = |t: Transaction| got.push(t);
        let mut streaming = Streaming {
            as_of,
            opts: ReplayOptions::default(),
            window,
            sink: Some(&mut sink),
        };
        let read = load::Consume::take(&mut streaming, book, 1, &mut |_, takers| {
            for e in entries {
                if takers[0](e.clone()).is_break() {
                    break;
                }
            }
            true
        });
        match read {
            Some(Reading::Replayed(_)) => Some(got),
            _ => None,
        }
    }

    /// The first reading ([`Checking`]) of `entries` in `parts` parts, each fed its clients'
    /// entries in read order, and the clients it set aside, as `run` does ([`late_ones`]):
    /// what a beancount ledger opens, and how the writing reading is to replay those clients:
    /// apart (which the reading of theirs, [`Apart`], finds enough: the same entries in the
    /// same order, and notes what their transactions open), and whole from their own entries
    /// ([`late`]); `None` when out of order.
    fn first(
        book: &Book,
        entries: &[Entry],
        as_of: NaiveDate,
        window: &Window<'_>,
        parts: usize,
    ) -> Option<(Opens, Vec<merge::Late>)> {
        let mut checking = Checking {
            as_of,
            opens: Some(window),
        };
        let read = testing::take_in_parts(&mut checking, book, entries, parts);
        let Some((Reading::Replayed(_), mut opens, _, aside)) = read else {
            return None;
        };
        if aside.is_empty() {
            return Some((opens, Vec::new()));
        }
        let unworded = Window {
            words: None,
            ..window.clone()
        };
        let days = aside.iter().map(|(_, d)| *d).max().unwrap_or(0);
        let clients: Vec<(String, u64)> = aside.iter().map(|(id, _)| (id.clone(), days)).collect();
        let mut apart = Apart {
            as_of,
            clients: &clients,
            opens: Some(&unworded),
        };
        let got = testing::take_in_parts(&mut apart, book, entries, parts);
        let Some(Some((_, apart_opens))) = got else {
            panic!("waiting as long as their lines came late is enough");
        };
        let theirs: Vec<Entry> = (entries.iter())
            .filter(|e| aside.iter().any(|(c, _)| *c == e.client))
            .cloned()
            .collect();
        let opts = ReplayOptions::default();
        let mut late = crate::engine::replay_with(book, &theirs, Some(as_of), opts);
        late.clients
            .retain(|id, _| aside.iter().any(|(c, _)| c == id));
        opens.join(apart_opens);
        let ways = vec![merge::Late::Apart(clients), merge::Late::Whole(late)];
        Some((opens, ways))
    }

    /// What a beancount ledger opens, from [`first`].
    fn checked_opens(
        book: &Book,
        entries: &[Entry],
        as_of: NaiveDate,
        window: &Window<'_>,
        parts: usize,
    ) -> Option<Opens> {
        first(book, entries, as_of, window, parts).map(|(opens, _)| opens)
    }

    /// The export of `entries` in `target` read in `parts` parts by [`merge::Parted`] (each
    /// part fed its clients' entries in read order, all on this thread), the clients the
    /// first reading set aside replayed in each way [`first`] gives, put in order by a
    /// [`merge::Merge`] on another: its text (the same in every way), or `None` when it finds
    /// them out of order.
    fn merged(
        book: &Book,
        entries: &[Entry],
        as_of: NaiveDate,
        window: &Window<'_>,
        parts: usize,
        how: (Target, &render::export::Head<'_>, &Opens),
    ) -> Option<String> {
        let ways = first(book, entries, as_of, window, parts)?.1;
        if ways.is_empty() {
            return merged_with(book, entries, (as_of, window, parts), how, None);
        }
        let texts: Vec<Option<String>> = (ways.into_iter())
            .map(|late| merged_with(book, entries, (as_of, window, parts), how, Some(late)))
            .collect();
        assert!(
            texts.windows(2).all(|w| w[0] == w[1]),
            "apart and whole differ"
        );
        texts.into_iter().next().flatten()
    }

    /// [`merged`] with the clients set aside replayed as `late` says.
    fn merged_with(
        book: &Book,
        entries: &[Entry],
        (as_of, window, parts): (NaiveDate, &Window<'_>, usize),
        (target, head, opens): (Target, &render::export::Head<'_>, &Opens),
        late: Option<merge::Late>,
    ) -> Option<String> {
        let merge = merge::Merge::default();
        std::thread::scope(|scope| {
            let writing = scope.spawn(|| {
                let mut out = String::new();
                let mut w = Writer::begin(target, head, Some(opens), &mut out).unwrap();
                merge.run(|piece| w.put(piece, &mut out).unwrap());
                w.end(&mut out).unwrap();
                out
            });
            let exporting = Exporting { window, target };
            let mut parted = merge::Parted {
                as_of,
                client: window.client,
                makes: &exporting,
                merge: &merge,
                again: false,
                late,
            };
            let read = testing::take_in_parts(&mut parted, book, entries, parts);
            merge.end();
            let out = writing.join().unwrap();
            matches!(read, Some(Reading::Replayed(_))).then_some(out)
        })
    }

    /// The text of `transactions` in `target`, written one at a time by a [`Writer`].
    fn written(target: Target, head: &render::export::Head<'_>, ts: &[Transaction]) -> String {
        let mut opens = Opens::default();
        for t in ts {
            opens.add(t);
        }
        let mut out = String::new();
        let mut w = Writer::begin(target, head, Some(&opens), &mut out).unwrap();
        for t in ts {
            w.transaction(t, &mut out).unwrap();
        }
        w.end(&mut out).unwrap();
        out
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Written while the replay runs, the export is the one made from the whole replay,
        /// byte for byte in every format, in or out of a period, for one client or all,
        /// filtered or not.
        #[test]
        fn the_streamed_export_is_the_collected_one(
            toml in policies(),
            mut lines in prop::collection::vec(line(), 0..60),
            // Years after the last line: the calendar alone, made a year at a time.
            as_of in prop_oneof![Just("2026-03-15"), Just("2026-12-31"), Just("2029-06-30")],
            from in prop_oneof![Just(None), Just(Some("2026-02-01")), Just(Some("2026-03-07")), Just(Some("2027-01-01"))],
            bring_forward in any::<bool>(),
            client in prop_oneof![Just(None), Just(Some("acme")), Just(Some("beta"))],
            filtered in any::<bool>(),
            late in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..3),
        ) {
            // A third client with no entry at all.
            let book = testing::book(&format!("{toml}\n[clients.zed]\n"));
            // Dates in order, lines of one date in the order drawn; then a few lines recorded
            // late (moved further down or up).
            lines.sort_by(|a, b| a[..10].cmp(&b[..10]));
            let in_order = late.is_empty();
            testing::record_late(&mut lines, &late);
            let entries = testing::entries(&book, &lines.join("\n"));
            let as_of = date(as_of);
            let filter = Filter {
                tags: if filtered { vec!["care".into()] } else { Vec::new() },
                ..Filter::default()
            };
            let window = Window {
                client,
                from: from.map(date),
                bring_forward,
                filter: filtered.then_some(&filter),
                words: Some(crate::render::words::event),
            };
            let replay = crate::engine::replay_with(&book, &entries, Some(as_of), ReplayOptions::default());
            let expected: Vec<Transaction> =
                report::export::transactions_in(&book, &replay, &window).collect();
            // On one thread, the streamed export (the reference) needs the lines in order.
            let got = if in_order {
                let got = streamed(&book, &entries, as_of, &window);
                prop_assert_eq!(got.as_ref(), Some(&expected));
                got.unwrap_or_default()
            } else {
                expected.clone()
            };
            let head = render::export::Head { book: "Prop", as_of, unit_minutes: book.unit_minutes };
            // The first reading, in parts, notes what the ledger opens: the same header.
            let header = |opens: &Opens| {
                let mut text = String::new();
                let _ = Writer::begin(Target::Beancount, &head, Some(opens), &mut text);
                text
            };
            let mut want = Opens::default();
            for t in &expected {
                want.add(t);
            }
            // Lines recorded late are always read in one part (their clients set aside and
            // replayed whole); in more, the parts may not be in date order across them.
            let read = |parts: usize, got: bool| in_order || parts == 1 || got;
            for parts in [1, 2, 3] {
                let opens = checked_opens(&book, &entries, as_of, &window, parts);
                if read(parts, opens.is_some()) {
                    prop_assert_eq!(opens.as_ref().map(header), Some(header(&want)), "{} parts", parts);
                }
            }
            for target in [Target::Hledger, Target::Ledger, Target::Beancount, Target::Csv, Target::Json] {
                let mut whole = String::new();
                render::export::write(target, &head, || expected.iter().cloned(), &mut whole).unwrap();
                prop_assert_eq!(written(target, &head, &got), whole);
            }
            // Read in parts on threads and merged, the export is the streamed one.
            let text = written(Target::Json, &head, &got);
            for parts in [1, 2, 3] {
                let merged = merged(&book, &entries, as_of, &window, parts, (Target::Json, &head, &want));
                if read(parts, merged.is_some()) {
                    prop_assert_eq!(merged.as_ref(), Some(&text), "{} parts", parts);
                }
            }
        }
    }

    #[test]
    fn entries_out_of_date_order_are_not_streamed() {
        let book = testing::book("[clients.acme]\n[clients.beta]\n");
        let window = Window::default();
        let as_of = date("2026-12-31");
        // Each client's entries in order, but not the book's: the export is made whole.
        let entries = testing::entries(
            &book,
            "2026-01-05 buy acme 10h @ 100\n2026-01-03 buy beta 10h @ 100\n",
        );
        assert_eq!(streamed(&book, &entries, as_of, &window), None);
        let head = render::export::Head {
            book: "Test",
            as_of,
            unit_minutes: book.unit_minutes,
        };
        // Read in parts, the line recorded late sets its client aside: in one part, the rest
        // is in order and the client is replayed whole; in two, the parts' lines are not in
        // date order across them, or the same.
        let replay =
            crate::engine::replay_with(&book, &entries, Some(as_of), ReplayOptions::default());
        let expected: Vec<Transaction> =
            report::export::transactions_in(&book, &replay, &window).collect();
        let text = written(Target::Hledger, &head, &expected);
        let how = (Target::Hledger, &head, &Opens::default());
        assert_eq!(
            merged(&book, &entries, as_of, &window, 1, how),
            Some(text.clone())
        );
        let got = merged(&book, &entries, as_of, &window, 2, how);
        assert!(got.is_none_or(|g| g == text), "two parts");
        let entries = testing::entries(
            &book,
            "2026-01-03 buy beta 10h @ 100\n2026-01-05 buy acme 10h @ 100\n",
        );
        assert_eq!(
            streamed(&book, &entries, as_of, &window).map(|t| t.len()),
            Some(2)
        );
    }
}
