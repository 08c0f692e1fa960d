//! Streaming replay: a [`Replayer`] fed one entry at a time (and its parts, one per thread),
//! the same result as [`super::replay_with`].

use crate::diagnostic::Diagnostic;
use crate::engine::partition::{Fnv, PackedTable, Partition, packed};
use crate::engine::replay::unknown_client;
use crate::engine::run::Run;
use crate::engine::{Replay, ReplayOptions, invariant};
use crate::model::{Book, Entry};
use chrono::{Days, NaiveDate};
use std::cmp::Ordering;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasherDefault;

/// The stream given to a [`Replayer`] was out of order: an entry came dated before one already
/// pushed for the same client (entries of one date may come in any order). The replayer cannot
/// go back; replay the whole list with [`replay_with`](super::replay_with) instead, which takes entries in any
/// order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disordered;

impl std::fmt::Display for Disordered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an entry came dated before an earlier one of the same client")
    }
}

impl std::error::Error for Disordered {}

/// A replay fed one entry at a time, for books too large to hold every entry at once.
///
/// Journals are written as time passes, so each client's entries nearly always come in date
/// order. Then each client needs only the entries of its current date: they are sorted into
/// the SPEC's order for a date (class, then canonical text) and replayed as soon as a later
/// date arrives for that client, and dropped. The result is exactly that of [`replay_with`](super::replay_with)
/// on the same entries. When an entry comes dated before one already pushed for its client,
/// [`Replayer::push`] says [`Disordered`], and the caller replays the whole list with
/// [`replay_with`](super::replay_with) instead; or, after [`Replayer::set_aside`], the
/// replayer leaves that client out and goes on with the others, and the caller replays the
/// clients set aside from their own entries ([`replay_through`](super::replay_through)).
///
/// A journal whose lines are written as the work is done is in date order; a line recorded
/// late (yesterday's work, logged after today's) puts its client out of order, and only that
/// client needs its entries read again.
///
/// # Examples
///
/// ```
/// use credits::engine::{ReplayOptions, Replayer};
/// # use credits::{source::FileId, syntax};
/// # let book = syntax::book::parse("[book]\ncurrency = \"USD\"\n[clients.acme]\n", FileId(0)).unwrap();
/// # let text = "2026-01-05 buy acme 10h @ 120\n2026-01-06 log acme 90m\n";
/// # let entries = syntax::journal::parse(text, FileId(1), book.unit_minutes).entries;
/// let mut replayer = Replayer::new(&book, None, ReplayOptions::STATES);
/// for entry in entries {
///     replayer.push(entry).expect("in date order");
/// }
/// let replay = replayer.finish().expect("in date order");
/// // 90m under `accumulate`: one hour debited, 30m pending.
/// assert_eq!(replay.clients["acme"].balance(), 540.into());
/// ```
pub struct Replayer<'a> {
    book: &'a Book,
    as_of: Option<NaiveDate>,
    /// Clients by id, for ids too long for `packed`.
    index: HashMap<&'a str, u32, BuildHasherDefault<Fnv>>,
    /// Clients by [`packed`] id: found without comparing strings.
    packed: PackedTable,
    /// One per client of the book, in id order.
    clients: Vec<Stream<'a>>,
    /// The client of the last entry (packed id, index): entries of one client often come in
    /// runs.
    cached: Option<(u128, u32)>,
    /// Entries naming a client the book does not have.
    unknown: Vec<Diagnostic>,
    later_entries: usize,
    last: Option<NaiveDate>,
    disordered: bool,
    /// A client out of date order is set aside instead of failing the replay.
    setting_aside: bool,
    /// Some clients only are replayed ([`Replayer::only`]).
    only: bool,
}

/// At most this many entries of one client wait before their date is replayed, whatever the
/// client's window ([`Replayer::only`]): a client with many lines a day waits fewer days (its
/// latest date always waits whole).
const WAITING_AT_MOST: usize = 512;

/// One client's replay and its entries not yet replayed.
struct Stream<'a> {
    id: &'a str,
    run: Run<'a>,
    /// The entries of its latest date, not yet replayed (in any order).
    day: Vec<Entry>,
    /// Entries of earlier dates not yet replayed, in date order (those of one date in any
    /// order): with a window of `late_days`, or a line recorded late after a date replayed.
    waiting: VecDeque<Entry>,
    /// The last date replayed, or the day before the one its calendar was processed up to
    /// ([`Replayer::settle_before`]): an entry dated then or before came too late to run in its
    /// place.
    replayed: Option<NaiveDate>,
    /// How many days a date waits after the client's latest before it is replayed, so that a
    /// line recorded that late still runs in its place ([`Replayer::only`]); 0 by default.
    late_days: u64,
    /// Its entries came out of date order: it is left out of the replay
    /// ([`Replayer::set_aside`]).
    aside: bool,
    /// Set aside: the latest date of its lines read, and the most days one of them was dated
    /// before the latest read before it ([`Replayer::aside_late`]).
    seen: Option<NaiveDate>,
    late_by: u64,
    /// Not replayed by this replayer ([`Replayer::only`]): its entries are passed over.
    passed_over: bool,
}

impl Stream<'_> {
    /// Take `entry` in its place by date, and replay the dates that have waited long enough.
    /// `Err` when its date has been replayed already.
    #[inline]
    fn take(&mut self, entry: Entry) -> Result<(), Disordered> {
        let latest = self.day.last().map(|e| e.date);
        match latest {
            Some(latest) if entry.date > latest => {
                // A new latest date: the one before waits, or is replayed (no window).
                if self.late_days == 0 && self.waiting.is_empty() {
                    self.replay(Held::Day);
                } else {
                    self.waiting.extend(self.day.drain(..));
                    let waited = entry.date.checked_sub_days(Days::new(self.late_days));
                    self.replay_before(Some(waited.unwrap_or(NaiveDate::MIN)));
                }
                self.day.push(entry);
            }
            Some(latest) if entry.date < latest => {
                // Recorded late: it waits in its place, unless its date has been replayed.
                if self.replayed.is_some_and(|d| entry.date <= d) {
                    return Err(Disordered);
                }
                let at = self.waiting.partition_point(|e| e.date <= entry.date);
                self.waiting.insert(at, entry);
            }
            Some(_) => self.day.push(entry),
            None => {
                // Nothing held: too late if its date has been replayed or settled past.
                if self.replayed.is_some_and(|d| entry.date <= d) {
                    return Err(Disordered);
                }
                self.day.push(entry);
            }
        }
        if self.waiting.len() + self.day.len() > WAITING_AT_MOST {
            // Too many wait: the earliest dates go first, the latest stays.
            while self.waiting.len() + self.day.len() > WAITING_AT_MOST && !self.waiting.is_empty()
            {
                self.replay(Held::Waiting);
            }
        }
        Ok(())
    }

    /// Replay the entries waiting dated before `date` (`None`: all of them, the latest date's
    /// too), a date at a time.
    fn replay_before(&mut self, date: Option<NaiveDate>) {
        while let Some(first) = self.waiting.front().map(|e| e.date) {
            if date.is_some_and(|d| first >= d) {
                return;
            }
            self.replay(Held::Waiting);
        }
        if self
            .day
            .first()
            .is_some_and(|e| date.is_none_or(|d| e.date < d))
        {
            self.replay(Held::Day);
        }
    }

    /// Replay the first date waiting, or the latest date's entries.
    fn replay(&mut self, held: Held) {
        let (group, date) = match held {
            Held::Day => {
                let Some(date) = self.day.first().map(|e| e.date) else {
                    return;
                };
                (&mut self.day[..], date)
            }
            Held::Waiting => {
                let Some(date) = self.waiting.front().map(|e| e.date) else {
                    return;
                };
                let n = self.waiting.iter().take_while(|e| e.date == date).count();
                if self.waiting.as_slices().0.len() < n {
                    self.waiting.make_contiguous();
                }
                (&mut self.waiting.as_mut_slices().0[..n], date)
            }
        };
        // Read order says nothing: the date runs in the SPEC's order.
        if !group.is_sorted_by(|a, b| a.run_order_then_place(b) != Ordering::Greater) {
            // No two entries are equal by this order (their places differ): unstable is exact.
            group.sort_unstable_by(Entry::run_order_then_place);
        }
        self.run.date(group);
        let n = group.len();
        match held {
            Held::Day => self.day.clear(),
            Held::Waiting => {
                self.waiting.drain(..n);
            }
        }
        self.replayed = Some(date);
    }

    /// Left out of the replay for a line dated `date`, recorded too late: its entries are let
    /// go, and only how late its lines come is noted from now on.
    fn set_aside(&mut self, date: NaiveDate) {
        self.aside = true;
        self.seen = self.day.last().map(|e| e.date).or(self.replayed);
        self.day = Vec::new();
        self.waiting = VecDeque::new();
        self.note_late(date);
    }

    /// A line dated `date` of a client set aside.
    fn note_late(&mut self, date: NaiveDate) {
        if let Some(seen) = self.seen
            && date < seen
        {
            let days = u64::try_from((seen - date).num_days()).unwrap_or(u64::MAX);
            self.late_by = self.late_by.max(days);
        }
        self.seen = self.seen.max(Some(date));
    }

    /// Make its history before `date` less `late_days` final: the dates waiting before it
    /// are replayed and its calendar processed up to that day (what still waits is dated on
    /// or after it), and an entry dated before it comes too late.
    fn settle_before(&mut self, date: NaiveDate) {
        let date = (date.checked_sub_days(Days::new(self.late_days))).unwrap_or(NaiveDate::MIN);
        self.replay_before(Some(date));
        self.run.catch_up(date, false);
        self.replayed = self.replayed.max(date.pred_opt());
    }
}

/// Which entries of a [`Stream`] are replayed: the first date waiting, or the latest date's.
#[derive(Clone, Copy)]
enum Held {
    Waiting,
    Day,
}

impl<'a> Replayer<'a> {
    /// A replay of `book` through `as_of` (`None`: through the last entry), as [`replay_with`](super::replay_with).
    #[must_use]
    pub fn new(book: &'a Book, as_of: Option<NaiveDate>, opts: ReplayOptions) -> Replayer<'a> {
        Replayer::part(book, as_of, opts, &Partition::new(1), 0)
    }

    /// The replay of part `part` of `partition`: only the clients it owns (and the entries
    /// naming unknown clients when `part` is 0). Each part can replay on its own thread, fed
    /// the entries [`Partition::of`] gives it; [`Replayer::join`] puts the parts together.
    #[must_use]
    pub fn part(
        book: &'a Book,
        as_of: Option<NaiveDate>,
        opts: ReplayOptions,
        partition: &Partition,
        part: usize,
    ) -> Replayer<'a> {
        let clients: Vec<Stream<'a>> = book
            .clients
            .iter()
            .filter(|(id, _)| partition.of(id) == part)
            .map(|(id, client)| Stream {
                id: id.as_str(),
                run: Run::new(book, client, opts),
                day: Vec::new(),
                waiting: VecDeque::new(),
                replayed: None,
                late_days: 0,
                aside: false,
                seen: None,
                late_by: 0,
                passed_over: false,
            })
            .collect();
        let index = clients
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id, i as u32))
            .collect();
        let packed = PackedTable::new(
            clients
                .iter()
                .enumerate()
                .filter_map(|(i, s)| Some((packed(s.id)?, i as u32))),
        );
        Replayer {
            book,
            as_of,
            index,
            packed,
            clients,
            cached: None,
            unknown: Vec::new(),
            later_entries: 0,
            last: None,
            disordered: false,
            setting_aside: false,
            only: false,
        }
    }

    /// From now on, a client whose entry comes dated before one already pushed for it is set
    /// aside: its replay is dropped, its later entries are not taken, and [`Replayer::push`]
    /// goes on with the other clients instead of saying [`Disordered`]. The clients set
    /// aside are listed by [`Replayer::aside`], and left out of what [`Replayer::join`] and
    /// [`Replayer::finish`] return.
    pub fn set_aside(&mut self) {
        self.setting_aside = true;
    }

    /// The ids of the clients set aside so far, in id order.
    pub fn aside(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.aside_late().map(|(id, _)| id)
    }

    /// The clients set aside so far, in id order, each with the most days one of its lines
    /// came dated before the latest of its lines read before it, from the line that set it
    /// aside on: a replayer that lets its dates wait that long ([`Replayer::only`]) runs
    /// those lines in their places, when the entries come again in the same order.
    pub fn aside_late(&self) -> impl Iterator<Item = (&'a str, u64)> + '_ {
        (self.clients.iter())
            .filter(|s| s.aside && !s.passed_over)
            .map(|s| (s.id, s.late_by))
    }

    /// Replay only `clients`, each one's dates waiting the days given after its latest
    /// before they are replayed, so that a line recorded up to that many days late runs in
    /// its place ([`Replayer::aside_late`]); the entries of any other client, and of clients
    /// the book does not have, are passed over. A line later than that still sets its
    /// client aside.
    pub fn only(&mut self, clients: &[(String, u64)]) {
        self.only = true;
        for stream in &mut self.clients {
            match clients.iter().find(|(id, _)| id == stream.id) {
                Some(&(_, days)) => stream.late_days = days,
                None => stream.passed_over = true,
            }
        }
    }

    /// Set client `id` aside now, whatever the dates of its entries (a reading in date order
    /// across clients has settled it past a line recorded late): as [`Replayer::set_aside`]
    /// does to a client out of its own date order. `late_by`: how many days that line came
    /// dated before the day the reading had come to, noted as the most any of its lines came
    /// late ([`Replayer::aside_late`]): call it again for each of its lines that comes late
    /// so. Nothing when this replayer does not replay `id`.
    pub fn set_client_aside(&mut self, id: &str, late_by: Option<u64>) {
        if let Some(stream) = self.clients.iter_mut().find(|s| s.id == id) {
            if !stream.aside {
                stream.aside = true;
                stream.seen = stream.day.last().map(|e| e.date).or(stream.replayed);
                stream.day = Vec::new();
                stream.waiting = VecDeque::new();
            }
            stream.late_by = stream.late_by.max(late_by.unwrap_or(0));
        }
    }

    /// Replay `entry` (or hold it until its client's date is complete). Entries dated after
    /// `as_of` are counted and dropped.
    ///
    /// # Errors
    ///
    /// [`Disordered`] when the entry is dated before one already pushed for the same client;
    /// every later call fails too.
    pub fn push(&mut self, entry: Entry) -> Result<(), Disordered> {
        if self.disordered {
            return Err(Disordered);
        }
        if self.as_of.is_some_and(|d| entry.date > d) {
            self.later_entries += 1;
            return Ok(());
        }
        self.last = self.last.max(Some(entry.date));
        let key = packed(&entry.client);
        let found = match (key, self.cached) {
            (Some(k), Some((c, i))) if k == c => Some(i),
            (Some(k), _) => self.packed.get(k),
            (None, _) => self.index.get(entry.client.as_str()).copied(),
        };
        let Some(i) = found else {
            if !self.only {
                self.unknown.push(unknown_client(self.book, &entry));
            }
            return Ok(());
        };
        self.cached = key.map(|k| (k, i));
        let stream = &mut self.clients[i as usize];
        if stream.passed_over {
            return Ok(());
        }
        if stream.aside {
            stream.note_late(entry.date);
            return Ok(());
        }
        let date = entry.date;
        if stream.take(entry).is_err() {
            if self.setting_aside {
                stream.set_aside(date);
                return Ok(());
            }
            self.disordered = true;
            return Err(Disordered);
        }
        Ok(())
    }

    /// Replay what is held, process the calendar through the end, and return the replay.
    ///
    /// # Errors
    ///
    /// [`Disordered`] when a [`Replayer::push`] failed.
    pub fn finish(self) -> Result<Replay, Disordered> {
        let end = self.as_of.or(self.last);
        self.finish_through(end)
    }

    /// The parts of one replay (made by [`Replayer::part`] and fed on their own), finished
    /// through the same end and put together: the same result as one [`Replayer`] fed every
    /// entry.
    ///
    /// # Errors
    ///
    /// [`Disordered`] when a [`Replayer::push`] of any part failed.
    pub fn join(parts: Vec<Replayer<'a>>) -> Result<Replay, Disordered> {
        let end = Replayer::end(&parts);
        Replayer::join_through(parts, end)
    }

    /// [`Replayer::join`], each client's calendar processed through `end`: the clients a
    /// first replay set aside, replayed again on their own ([`Replayer::only`]) through the
    /// day the first was finished through, are what a replay of the whole book makes of them.
    ///
    /// # Errors
    ///
    /// [`Disordered`] when a [`Replayer::push`] of any part failed.
    pub fn join_through(
        parts: Vec<Replayer<'a>>,
        end: Option<NaiveDate>,
    ) -> Result<Replay, Disordered> {
        if parts.is_empty() {
            return Ok(Replay::default());
        }
        // Each part is finished on its own thread (putting a client's quotes in id order is
        // not free); the results are put together in part order.
        let finished: Vec<Result<Replay, Disordered>> = if parts.len() == 1 {
            parts.into_iter().map(|p| p.finish_through(end)).collect()
        } else {
            std::thread::scope(|s| {
                let threads: Vec<_> = parts
                    .into_iter()
                    .map(|p| s.spawn(move || p.finish_through(end)))
                    .collect();
                threads
                    .into_iter()
                    .map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            })
        };
        let mut out: Option<Replay> = None;
        for r in finished {
            let r = r?;
            match &mut out {
                None => out = Some(r),
                Some(o) => {
                    o.problems.extend(r.problems);
                    o.later_entries += r.later_entries;
                    o.clients.extend(r.clients);
                }
            }
        }
        let mut out = out.unwrap_or_default();
        crate::diagnostic::sort(&mut out.problems);
        Ok(out)
    }

    /// The date of the last entry taken (none after `as_of`; the clients set aside included).
    #[must_use]
    pub fn last(&self) -> Option<NaiveDate> {
        self.last
    }

    /// The last day the parts of one replay are finished through: its `as_of`, else the date
    /// of the last entry any part took (the clients set aside included).
    #[must_use]
    pub fn end(parts: &[Replayer<'_>]) -> Option<NaiveDate> {
        let first = parts.first()?;
        first
            .as_of
            .or_else(|| parts.iter().filter_map(|p| p.last).max())
    }

    fn finish_through(self, end: Option<NaiveDate>) -> Result<Replay, Disordered> {
        if self.disordered {
            return Err(Disordered);
        }
        let mut out = Replay {
            as_of: self.as_of,
            problems: self.unknown,
            later_entries: self.later_entries,
            ..Replay::default()
        };
        for mut stream in (self.clients.into_iter()).filter(|s| !s.aside && !s.passed_over) {
            stream.replay_before(None);
            if let Some(end) = end {
                stream.run.catch_up(end, true);
            }
            out.problems.append(&mut stream.run.problems);
            let mut state = stream.run.state;
            state.quotes = stream.run.quotes.into_iter().collect();
            debug_assert_eq!(
                invariant::check(&state),
                Ok(()),
                "invariant broken for `{}`",
                stream.id
            );
            out.clients.insert(stream.id.to_string(), state);
        }
        crate::diagnostic::sort(&mut out.problems);
        Ok(out)
    }
}

/// A replay whose histories are read while it runs (an export written as it goes): for
/// entries that come in date order across all clients.
impl Replayer<'_> {
    /// Make every client's history before `date` final: each client's held date (if before
    /// `date`) is replayed, and its calendar (expiries, grants, rollover) processed up to the
    /// day before `date`, as the client's next date would. Call it before the first entry of
    /// `date`, when no entry dated before `date` is still to come, then read the histories
    /// with [`Replayer::histories`]. The replay goes on the same as without it.
    ///
    /// A client whose dates wait ([`Replayer::only`]) is settled only before `date` less its
    /// days: its lines recorded that late may still come.
    /// An entry that comes dated before the day a client was settled to came too late: it
    /// sets its client aside ([`Replayer::set_aside`]), or is [`Disordered`].
    pub fn settle_before(&mut self, date: NaiveDate) {
        if self.disordered {
            return;
        }
        for stream in (self.clients.iter_mut()).filter(|s| !s.aside && !s.passed_over) {
            stream.settle_before(date);
        }
    }

    /// Each client's id and state, in id order (the clients set aside or passed over left
    /// out): its history so far, which the caller may read and clear (events and draws
    /// together: a draw names its event by its index).
    pub fn histories(&mut self) -> impl Iterator<Item = (&str, &mut super::ClientState)> {
        (self.clients.iter_mut())
            .filter(|s| !s.aside && !s.passed_over)
            .map(|s| (s.id, &mut s.run.state))
    }
}
