//! The replay itself: one client at a time, one date at a time, in the SPEC's order.
//!
//! Clients never touch each other's lots, so each client's entries are replayed on
//! their own timeline: catch up on the calendar (expiries, monthly grants) to the
//! entry's date, then expire → plan → grant → entries → assert for that date.

use super::{
    ClientState, Draw, Event, EventKind, Lot, LotKind, Quote, QuoteKind, QuoteState, Replay,
    ReplayOptions, invariant,
};
use crate::diagnostic::Diagnostic;
use crate::model::{
    Book, Client, DebitPolicy, Entry, Expiry, GrantLapse, LineExpiry, LotRef, MetaKey, Minutes,
    Money, Order, Overdraft, Plan, Policy, Price, Qty, Verb, add_span,
};
use crate::source::Span;
use chrono::{Datelike, Days, NaiveDate};
use compact_str::CompactString;
use rust_decimal::Decimal;
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Money is kept to this many decimals inside the engine, so that sums stay exact.
const MONEY_DP: u32 = 12;

/// Replay `entries` (any order) against `book`, through `as_of`.
///
/// With `as_of`, entries dated after it are left out (and counted), and expiries and grants
/// are processed through it. With `None`, everything is replayed, through the last entry's
/// date (what `check` and the validation of a new line do). Keeps every client's history
/// (`events`); [`replay_with`] can leave it out.
#[must_use]
pub fn replay(book: &Book, entries: &[Entry], as_of: Option<NaiveDate>) -> Replay {
    replay_with(book, entries, as_of, ReplayOptions::default())
}

/// [`replay`], with options: `events: false` builds no history (and no description strings),
/// for the commands that show only the state (`balance`, `check`). Lots, totals, quotes and
/// problems are the same either way.
#[must_use]
pub fn replay_with(
    book: &Book,
    entries: &[Entry],
    as_of: Option<NaiveDate>,
    opts: ReplayOptions,
) -> Replay {
    let mut out = Replay {
        as_of,
        ..Replay::default()
    };
    // Group the entries by client with a counting sort over one flat list: no map lookup by
    // string comparison and no per-client vector growing entry by entry.
    let ids: Vec<&str> = book.clients.keys().map(String::as_str).collect();
    let index: HashMap<&str, u32, BuildHasherDefault<Fnv>> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i as u32))
        .collect();
    let mut which: Vec<u32> = Vec::with_capacity(entries.len());
    let mut counts = vec![0usize; ids.len() + 1];
    let mut last = None;
    let mut cached: Option<(&str, u32)> = None;
    for e in entries {
        if as_of.is_some_and(|d| e.date > d) {
            out.later_entries += 1;
            which.push(u32::MAX);
            continue;
        }
        last = last.max(Some(e.date));
        let found = match cached {
            Some((id, i)) if id == e.client => Some(i),
            _ => index.get(e.client.as_str()).copied(),
        };
        match found {
            Some(i) => {
                cached = Some((e.client.as_str(), i));
                counts[i as usize + 1] += 1;
                which.push(i);
            }
            None => {
                out.problems.push(unknown_client(book, e));
                which.push(u32::MAX);
            }
        }
    }
    for i in 1..counts.len() {
        counts[i] += counts[i - 1];
    }
    let mut fill = counts.clone();
    let mut flat: Vec<&Entry> = vec![entries.first().unwrap_or(&PLACEHOLDER); counts[ids.len()]];
    for (e, &w) in entries.iter().zip(&which) {
        if w != u32::MAX {
            let slot = &mut fill[w as usize];
            flat[*slot] = e;
            *slot += 1;
        }
    }
    drop(which);
    let end = as_of.or(last);
    for (ci, id) in ids.iter().enumerate() {
        let list = &mut flat[counts[ci]..counts[ci + 1]];
        // The SPEC's order: by date, then within a date by class and canonical text (then
        // place, so that of two identical lines the same one is reported), never by read
        // order. Journals are mostly in date order already: checking costs less than sorting,
        // and each date's few entries are sorted on their own.
        if !list.is_sorted_by_key(|e| e.date) {
            list.sort_by_key(|e| e.date);
        }
        let Some(client) = book.clients.get(*id) else {
            continue;
        };
        let mut run = Run::new(book, client, opts);
        for group in list.chunk_by_mut(|a, b| a.date == b.date) {
            if !group.is_sorted_by(|a, b| a.run_order_then_place(b) != Ordering::Greater) {
                group.sort_unstable_by(|a, b| a.run_order_then_place(b));
            }
            run.date(group);
        }
        if let Some(end) = end {
            run.catch_up(end, true);
        }
        out.problems.append(&mut run.problems);
        let mut state = run.state;
        state.quotes = run.quotes.into_iter().collect();
        debug_assert_eq!(
            invariant::check(&state),
            Ok(()),
            "invariant broken for `{id}`"
        );
        out.clients.insert((*id).to_string(), state);
    }
    crate::diagnostic::sort(&mut out.problems);
    out
}

/// The stream given to a [`Replayer`] was out of order: an entry came dated before one already
/// pushed for the same client (entries of one date may come in any order). The replayer cannot
/// go back; replay the whole list with [`replay_with`] instead, which takes entries in any
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
/// date arrives for that client, and dropped. The result is exactly that of [`replay_with`]
/// on the same entries. When an entry comes dated before one already pushed for its client,
/// [`Replayer::push`] says [`Disordered`], and the caller replays the whole list with
/// [`replay_with`] instead.
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
}

/// One client's replay and the entries of its current date, not yet replayed.
struct Stream<'a> {
    id: &'a str,
    run: Run<'a>,
    day: Vec<Entry>,
}

impl Stream<'_> {
    fn flush(&mut self) {
        // Read order says nothing: the date runs in the SPEC's order.
        if !self
            .day
            .is_sorted_by(|a, b| a.run_order_then_place(b) != Ordering::Greater)
        {
            // No two entries are equal by this order (their places differ): unstable is exact.
            self.day.sort_unstable_by(Entry::run_order_then_place);
        }
        self.run.date(&self.day);
        self.day.clear();
    }
}

impl<'a> Replayer<'a> {
    /// A replay of `book` through `as_of` (`None`: through the last entry), as [`replay_with`].
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
            self.unknown.push(unknown_client(self.book, &entry));
            return Ok(());
        };
        self.cached = key.map(|k| (k, i));
        let stream = &mut self.clients[i as usize];
        if let Some(held) = stream.day.last() {
            if entry.date < held.date {
                self.disordered = true;
                return Err(Disordered);
            }
            if entry.date > held.date {
                stream.flush();
            }
        }
        stream.day.push(entry);
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
        let Some(first) = parts.first() else {
            return Ok(Replay::default());
        };
        let end = first
            .as_of
            .or_else(|| parts.iter().filter_map(|p| p.last).max());
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
        for mut stream in self.clients {
            stream.flush();
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

/// Which of `parts` replayers takes each client: a hash of its id decides, so that any name,
/// known to the book or not, has its part without a lookup (the replayer of that part reports
/// an unknown one).
#[derive(Debug, Clone, Copy)]
pub struct Partition {
    parts: usize,
}

impl Partition {
    /// Clients dealt out to `parts` parts (at least one).
    #[must_use]
    pub fn new(parts: usize) -> Partition {
        Partition {
            parts: parts.max(1),
        }
    }

    /// The part that replays `client`.
    #[must_use]
    pub fn of(&self, client: &str) -> usize {
        if self.parts == 1 {
            return 0;
        }
        // FNV-1a, whose bits follow the last bytes too closely (`c000`…`c199` would all land
        // in one of two parts), then mixed (MurmurHash3's finaliser).
        let mut k = client.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        k ^= k >> 33;
        k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
        k ^= k >> 33;
        k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        k ^= k >> 33;
        (k % self.parts as u64) as usize
    }
}

/// Fills the grouped list before the entries are placed; never read.
static PLACEHOLDER: Entry = Entry {
    date: NaiveDate::MIN,
    seq: 0,
    span: Span {
        file: crate::source::FileId(0),
        start: 0,
        end: 0,
    },
    client_span: Span {
        file: crate::source::FileId(0),
        start: 0,
        end: 0,
    },
    client: CompactString::const_new(""),
    verb: Verb::Bill,
    tags: Vec::new(),
    meta: Vec::new(),
    description: String::new(),
    canon: CompactString::const_new(""),
};

/// FNV-1a: client ids are short, and std's `SipHash` costs more than the rest of the lookup.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A client id of at most 15 bytes as one number: its length in the low byte, then its bytes.
/// Two ids are the same exactly when their numbers are. Ids are short, so nearly every entry's
/// client is looked up by a number, hashed and compared at once, instead of by a string.
fn packed(id: &str) -> Option<u128> {
    let b = id.as_bytes();
    if b.len() > 15 {
        return None;
    }
    // Two 64-bit halves: shifts of a `u128` cost several instructions each.
    let (mut lo, mut hi) = (b.len() as u64, 0u64);
    for (i, &x) in b.iter().enumerate() {
        if i < 7 {
            lo |= u64::from(x) << (8 * (i + 1));
        } else {
            hi |= u64::from(x) << (8 * (i - 7));
        }
    }
    Some(u128::from(lo) | (u128::from(hi) << 64))
}

/// Clients by [`packed`] id: a table of slots at most a quarter full, probed one after the
/// other from where the id's hash points. The ids are known before the first lookup and never
/// change, and nearly every lookup finds its id (or an empty slot) at the first slot: cheaper
/// than a general hash map.
struct PackedTable {
    /// (packed id, client index); `u32::MAX` marks an empty slot.
    slots: Vec<(u128, u32)>,
    /// `64 - log2(slots.len())`: a hash's top bits index the slots.
    shift: u32,
}

impl PackedTable {
    fn new(ids: impl Iterator<Item = (u128, u32)>) -> PackedTable {
        let ids: Vec<(u128, u32)> = ids.collect();
        let len = (ids.len() * 4).next_power_of_two().max(4);
        let mut table = PackedTable {
            slots: vec![(0, u32::MAX); len],
            shift: 64 - len.trailing_zeros(),
        };
        for (key, index) in ids {
            let mut at = table.slot(key);
            while table.slots[at].1 != u32::MAX {
                at = (at + 1) % len;
            }
            table.slots[at] = (key, index);
        }
        table
    }

    /// Where `key`'s probe starts: its halves folded, then Fibonacci hashing (the top bits of
    /// the product depend on every bit of the key).
    fn slot(&self, key: u128) -> usize {
        let h = ((key as u64) ^ ((key >> 64) as u64)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (h >> self.shift) as usize
    }

    fn get(&self, key: u128) -> Option<u32> {
        let mut at = self.slot(key);
        loop {
            let (k, index) = self.slots[at];
            if index == u32::MAX {
                return None;
            }
            if k == key {
                return Some(index);
            }
            at = (at + 1) & (self.slots.len() - 1);
        }
    }
}

fn unknown_client(book: &Book, e: &Entry) -> Diagnostic {
    let d = Diagnostic::error(e.client_span, format!("unknown client `{}`", e.client));
    let near = book.clients.keys().find(|k| close(k, &e.client));
    match near {
        Some(k) => d.with_help(format!("did you mean `{k}`?")),
        None if book.clients.is_empty() => {
            d.with_help("add a `[clients.ID]` table to credits.toml")
        }
        None => d.with_help(format!(
            "the book's clients are {}; add `[clients.{}]` to credits.toml for a new one",
            book.clients
                .keys()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", "),
            e.client
        )),
    }
}

/// True when `a` and `b` differ by at most one edit (a typo).
fn close(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 || a == b {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

fn day_after(d: NaiveDate) -> NaiveDate {
    // `succ_opt` is `checked_add_days(1)` without the general day arithmetic.
    d.succ_opt().unwrap_or(d)
}

fn first_of_next_month(d: NaiveDate) -> NaiveDate {
    // What `add_months(first of d's month, 1)` gives, built at once: this runs for every date
    // of a client on a monthly plan.
    let next = if d.month() == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
    };
    next.unwrap_or(NaiveDate::MAX)
}

fn last_of_month(d: NaiveDate) -> NaiveDate {
    first_of_next_month(d).pred_opt().unwrap_or(d)
}

/// The lots that carry one `ref:`.
struct Refs {
    /// The first of them.
    first: usize,
    /// How many.
    count: usize,
    /// One of them is a purchase.
    purchase: bool,
}

/// What a debit took.
#[derive(Default)]
struct Taken {
    /// From lots (grants included).
    lots: Minutes,
    /// Carried as debt.
    carried: Minutes,
    /// Run into overage.
    overage: Minutes,
}

impl Taken {
    fn total(&self) -> Minutes {
        plus(plus(self.lots, self.carried), self.overage)
    }

    /// The overage, for [`Event::overage`]: `None` when there was none.
    fn overage_part(&self) -> Option<Minutes> {
        positive(self.overage).then_some(self.overage)
    }
}

struct Run<'a> {
    book: &'a Book,
    client: &'a Client,
    plan: Option<&'a Plan>,
    policy: Policy,
    currency: crate::model::Currency,
    state: ClientState,
    opts: ReplayOptions,
    /// The drain order of the open lots, grants included, kept from debit to debit while
    /// `order_valid`: a lot opened or expired, or a new policy, makes it stale; a lot drained
    /// empty leaves it.
    order: Vec<usize>,
    order_valid: bool,
    /// The problems this client's entries raised, in the order found.
    problems: Vec<Diagnostic>,
    /// Sum of `remaining` over all lots.
    held: Minutes,
    /// Indices of lots with time left.
    open: Vec<usize>,
    /// How many of `open` are grants: without any, a log looks at no lot for included time.
    open_grants: usize,
    /// The last date whose start (expiries, grants) has been processed.
    done_through: Option<NaiveDate>,
    /// Quotes by id while replaying (hashed: ids are looked up on every answer); they go to
    /// `ClientState::quotes`, in id order, when the replay ends.
    quotes: HashMap<String, Quote, BuildHasherDefault<Fnv>>,
    /// The earliest last usable day among open lots, or an earlier day (never a later one):
    /// days before it need no look for expiries.
    next_last_day: Option<NaiveDate>,
    /// (plan, year, month) already granted: a plan grants once a month, never twice. Only
    /// the current month's are kept: a few at most, so a list, and the plan's name borrowed.
    granted: Vec<(&'a str, i32, u32)>,
    /// A date and the first of the month after it, from the last time that was asked: the
    /// same answer for any date from it to the end of its month.
    month: (NaiveDate, NaiveDate),
    /// The date a plan's first day still owes a grant.
    plan_started: Option<NaiveDate>,
    /// Lots drained since the last event: (lot, minutes, money), given to the next event.
    drawn: Vec<(usize, Minutes, Decimal)>,
    /// Minutes reserved by approved quotes (`ClientState::reserved`, kept as it changes).
    reserved: Minutes,
    /// Every `ref:` of a lot so far: the lots that carry it, for refunds, and whether a
    /// purchase does (refs of purchases are unique per client).
    refs: HashMap<CompactString, Refs, BuildHasherDefault<Fnv>>,
}

impl<'a> Run<'a> {
    fn new(book: &'a Book, client: &'a Client, opts: ReplayOptions) -> Run<'a> {
        Run {
            book,
            client,
            plan: None,
            policy: book.policy_for(&client.id, None),
            currency: book.currency_of(&client.id),
            state: ClientState::default(),
            opts,
            order: Vec::new(),
            order_valid: false,
            problems: Vec::new(),
            held: Decimal::ZERO,
            open: Vec::new(),
            open_grants: 0,
            done_through: None,
            granted: Vec::new(),
            month: (NaiveDate::MAX, NaiveDate::MIN),
            next_last_day: None,
            quotes: HashMap::default(),
            plan_started: None,
            drawn: Vec::new(),
            reserved: Decimal::ZERO,
            refs: HashMap::default(),
        }
    }

    /// Remember the `ref:` of lot `i`, if it has one.
    fn note_ref(&mut self, i: usize) {
        let lot = &self.state.lots[i];
        let Some(r) = &lot.reference else { return };
        let purchase = lot.kind == LotKind::Purchase;
        match self.refs.get_mut(r.as_str()) {
            Some(f) => {
                f.count += 1;
                f.purchase |= purchase;
            }
            None => {
                let f = Refs {
                    first: i,
                    count: 1,
                    purchase,
                };
                self.refs.insert(r.as_str().into(), f);
            }
        }
    }

    fn error(&mut self, span: Span, message: String, help: Option<String>) {
        let mut d = Diagnostic::error(span, message);
        d.help = help;
        self.problems.push(d);
    }

    fn balance(&self) -> Minutes {
        self.held - self.state.debt
    }

    /// `m` in units (`5 credits`) when that is exact to a hundredth, else as time (`20m`).
    fn units(&self, m: Minutes) -> String {
        let n = (m / self.book.unit_minutes).normalize();
        if n.scale() > 2 {
            return fmt_minutes(m);
        }
        format!("{n} {}", self.book.unit_plural(n))
    }

    fn money(&self, amount: Decimal) -> String {
        format!("{} {}", self.currency.format(amount), self.currency)
    }

    /// Add an event to the history, given the lots drained since the last one; the caller
    /// fills in its amounts. `None` when no history is kept: then nothing is built, and the
    /// callers skip the sums only an event would show.
    #[inline]
    fn push_event(
        &mut self,
        date: NaiveDate,
        kind: EventKind,
        description: String,
        seq: Option<u32>,
    ) -> Option<&mut Event> {
        if !self.opts.events {
            // Expiries and `apply` note their draws either way.
            self.drawn.clear();
            return None;
        }
        if self.opts.events_from.is_some_and(|from| date < from) {
            // Before the kept period only the last event stays: its balance opens the period.
            self.state.events.clear();
            self.state.draws.clear();
        }
        if self.opts.sums {
            // Only sums are kept: the last event is complete now, and added to them.
            if let Some(last) = self.state.events.pop() {
                super::EventSum::add(&mut self.state.sums, &last);
            }
            self.state.draws.clear();
        }
        self.push_kept_event(date, kind, description, seq)
    }

    #[inline(never)]
    fn push_kept_event(
        &mut self,
        date: NaiveDate,
        kind: EventKind,
        description: String,
        seq: Option<u32>,
    ) -> Option<&mut Event> {
        let event = Event {
            date,
            kind,
            description,
            logged: None,
            debited: None,
            overage: None,
            credited: None,
            balance: self.balance(),
            amount: None,
            seq,
        };
        let index = self.state.events.len();
        for (lot, minutes, money) in self.drawn.drain(..) {
            self.state.draws.push(Draw {
                event: index,
                lot,
                minutes,
                money,
            });
        }
        self.state.events.push(event);
        self.state.events.last_mut()
    }

    /// A description for an event: built only when the history is kept.
    fn text(&self, build: impl FnOnce(&Self) -> String) -> String {
        if self.opts.events {
            build(self)
        } else {
            String::new()
        }
    }

    // ----- the calendar -------------------------------------------------------------

    /// Process the start of every day up to `until` (inclusive when `inclusive`): expiries
    /// and the 1st-of-month grants, in date order.
    #[inline]
    fn catch_up(&mut self, until: NaiveDate, inclusive: bool) {
        // Most dates of a client come with nothing due since the last: no call for that.
        if !inclusive && self.quiet_before(until) {
            return;
        }
        self.catch_up_days(until, inclusive);
    }

    /// No lot lapses and no month starts after `done_through` and before `until`: the loop
    /// of [`Run::catch_up_days`] would stop at once.
    #[inline]
    fn quiet_before(&mut self, until: NaiveDate) -> bool {
        if self.done_through.is_some_and(|d| day_after(d) >= until) {
            return true;
        }
        if self.next_last_day.is_some_and(|l| day_after(l) < until) {
            return false;
        }
        match (self.plan.and_then(|p| p.monthly), self.done_through) {
            (Some(_), Some(d)) => self.next_month(d) >= until,
            _ => true,
        }
    }

    #[inline(never)]
    fn catch_up_days(&mut self, until: NaiveDate, inclusive: bool) {
        loop {
            let from = self.done_through.map(day_after);
            let next_expiry = self.next_last_day.map(day_after);
            let next_month = match (self.plan.and_then(|p| p.monthly), self.done_through) {
                (Some(_), Some(d)) => Some(self.next_month(d)),
                _ => None,
            };
            let next = match (next_expiry, next_month) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => match a.or(b) {
                    Some(n) => n,
                    None => break,
                },
            };
            let next = from.map_or(next, |f| next.max(f));
            if next > until || (next == until && !inclusive) {
                break;
            }
            self.start_of_day(next);
            self.grant_if_due(next);
            self.done_through = Some(next);
        }
        if inclusive {
            self.done_through = Some(self.done_through.map_or(until, |d| d.max(until)));
        }
    }

    /// The first of the month after `d`, as [`first_of_next_month`]: computed once a month.
    fn next_month(&mut self, d: NaiveDate) -> NaiveDate {
        let (from, next) = self.month;
        if from <= d && d < next {
            return next;
        }
        let next = first_of_next_month(d);
        self.month = (d, next);
        next
    }

    /// A lot with this last usable day was opened.
    fn note_last_day(&mut self, last_day: Option<NaiveDate>) {
        if let Some(l) = last_day {
            self.next_last_day = Some(self.next_last_day.map_or(l, |n| n.min(l)));
        }
    }

    /// Expire every lot whose last usable day is before `date`.
    #[inline]
    fn start_of_day(&mut self, date: NaiveDate) {
        // Most days expire nothing: the test is made where it is called.
        if self.next_last_day.is_some_and(|l| l < date) {
            self.expire(date);
        }
    }

    #[inline(never)]
    fn expire(&mut self, date: NaiveDate) {
        let mut expired: Vec<usize> = self
            .open
            .iter()
            .copied()
            .filter(|&i| self.state.lots[i].last_day.is_some_and(|l| l < date))
            .collect();
        self.open.retain(|i| !expired.contains(i));
        let lots = &self.state.lots;
        self.open_grants -= expired
            .iter()
            .filter(|&&i| lots[i].kind == LotKind::Grant)
            .count();
        self.order_valid = false;
        self.next_last_day = self
            .open
            .iter()
            .filter_map(|&i| self.state.lots[i].last_day)
            .min();
        if expired.is_empty() {
            return;
        }
        expired.sort_by_key(|&i| (self.state.lots[i].last_day, i));
        for i in expired {
            let lot = &mut self.state.lots[i];
            let minutes = lot.remaining;
            let money = lot.value;
            let kind = lot.kind;
            let last = lot.last_day.unwrap_or(date);
            let reference = lot.reference.clone();
            let granted = lot.date;
            lot.remaining = Decimal::ZERO;
            lot.value = Decimal::ZERO;
            self.drawn.push((i, minutes, money));
            self.held = minus(self.held, minutes);
            self.state.totals.expired = plus(self.state.totals.expired, minutes);
            self.state.totals.money_expired = plus(self.state.totals.money_expired, money);
            let what = self.text(|run| match (kind, reference) {
                (LotKind::Grant, _) => format!(
                    "included time of {} lapsed after {last}",
                    granted.format("%Y-%m")
                ),
                (_, Some(r)) => format!("{} of lot {r} expired after {last}", run.units(minutes)),
                (_, None) => format!("{} expired after {last}", run.units(minutes)),
            });
            if let Some(ev) = self.push_event(day_after(last), EventKind::Expire, what, None) {
                ev.credited = Some(-minutes);
                if !money.is_zero() {
                    ev.amount = Some(money);
                }
            }
        }
    }

    /// Grant the plan's monthly time on the 1st, or on the plan's first day.
    #[inline]
    fn grant_if_due(&mut self, date: NaiveDate) {
        // Most days grant nothing: the test is made where it is called.
        let Some(plan) = self.plan else { return };
        let Some(monthly) = plan.monthly else { return };
        if date.day() == 1 || self.plan_started == Some(date) {
            self.grant(plan, monthly, date);
        }
    }

    #[inline(never)]
    fn grant(&mut self, plan: &'a Plan, monthly: Minutes, date: NaiveDate) {
        // Dates only move forward: grants of earlier months can never be asked about again.
        self.granted
            .retain(|(_, y, m)| (*y, *m) == (date.year(), date.month()));
        let key = (plan.name.as_str(), date.year(), date.month());
        if self.granted.contains(&key) {
            return;
        }
        self.granted.push(key);
        let last_day = match plan.monthly_expires {
            GrantLapse::MonthEnd => Some(last_of_month(date)),
            // Past 9999-12-31: the grant never lapses.
            GrantLapse::Span(s) => add_span(date, s),
        };
        self.state.lots.push(Lot {
            reference: None,
            date,
            kind: LotKind::Grant,
            minutes: monthly,
            remaining: monthly,
            paid: Decimal::ZERO,
            value: Decimal::ZERO,
            last_day,
            refund_until: None,
            seq: self.state.lots.len() as u32,
            span: self.client.span,
        });
        self.open.push(self.state.lots.len() - 1);
        self.open_grants += 1;
        self.order_valid = false;
        self.note_last_day(last_day);
        self.held = plus(self.held, monthly);
        self.state.totals.granted = plus(self.state.totals.granted, monthly);
        let desc = self.text(|_| match last_day {
            Some(last_day) => format!(
                "included time of plan {}, usable through {last_day}",
                plan.name
            ),
            None => format!("included time of plan {}, usable with no end", plan.name),
        });
        if let Some(ev) = self.push_event(date, EventKind::Grant, desc, None) {
            ev.credited = Some(monthly);
        }
    }

    // ----- one date ---------------------------------------------------------------

    /// Replay one date of the client: `group` holds its entries, sorted by
    /// [`Entry::run_order`] (so `plan` entries come first and `assert` entries last).
    fn date<E: Borrow<Entry>>(&mut self, group: &[E]) {
        debug_assert!(
            group.is_sorted_by(|a, b| a.borrow().run_order(b.borrow()) != Ordering::Greater)
        );
        let Some(first) = group.first() else { return };
        let date = first.borrow().date;
        self.catch_up(date, false);
        self.start_of_day(date);
        // The group is in the SPEC's order: the first `plan` in canonical order is the one.
        let mut planned: Option<&Entry> = None;
        for e in group.iter().map(Borrow::borrow) {
            if let Verb::Plan { plan } = &e.verb {
                match planned {
                    None => {
                        planned = Some(e);
                        self.plan_change(e, plan.as_deref());
                    }
                    Some(first) => self.second_plan(e, first),
                }
            }
        }
        self.grant_if_due(date);
        self.done_through = Some(date);
        for e in group.iter().map(Borrow::borrow) {
            match &e.verb {
                Verb::Plan { .. } | Verb::Assert { .. } => {}
                _ => self.entry(e),
            }
        }
        for e in group.iter().map(Borrow::borrow) {
            if let Verb::Assert { minutes } = e.verb {
                self.assert(e, minutes);
            }
        }
    }

    fn entry(&mut self, e: &Entry) {
        match &e.verb {
            Verb::Buy {
                qty,
                price,
                expires,
            } => self.buy(e, qty, *price, *expires),
            Verb::Log { minutes, .. } => self.log(e, *minutes),
            Verb::Debit { qty } => self.fixed_debit(e, qty),
            Verb::Quote { id, qty } => self.quote(e, id, qty, QuoteKind::Quote),
            Verb::Estimate { id, qty } => self.quote(e, id, qty, QuoteKind::Estimate),
            Verb::Approve { id } => self.answer(e, id, QuoteState::Approved),
            Verb::Reject { id } => self.answer(e, id, QuoteState::Rejected),
            Verb::Done { id } => self.done(e, id),
            Verb::Apply { amount } => self.apply(e, *amount),
            Verb::Refund { lot, qty } => self.refund(e, lot, *qty),
            Verb::Adjust { minutes } => self.adjust(e, *minutes),
            Verb::Bill => self.bill(e),
            Verb::Plan { .. } | Verb::Assert { .. } => {}
        }
    }

    // ----- draining -----------------------------------------------------------------

    /// Open lots in the order debits drain them: grants (earliest lapse first), then the rest
    /// in the policy's order. `grants = false` leaves grants out.
    fn drain_order(&self, grants: bool) -> Vec<usize> {
        let mut out = Vec::new();
        self.drain_order_into(grants, &mut out);
        out
    }

    /// [`Run::drain_order`] into `out`, which is cleared first: spares an allocation per debit.
    fn drain_order_into(&self, grants: bool, out: &mut Vec<usize>) {
        let lots = &self.state.lots;
        out.clear();
        // Most of the time one lot is open: nothing to order.
        if let [only] = self.open[..] {
            if grants || lots[only].kind != LotKind::Grant {
                out.push(only);
            }
            return;
        }
        if grants {
            out.extend(
                self.open
                    .iter()
                    .copied()
                    .filter(|&i| lots[i].kind == LotKind::Grant),
            );
        }
        let n = out.len();
        out.extend(
            self.open
                .iter()
                .copied()
                .filter(|&i| lots[i].kind != LotKind::Grant),
        );
        let (g, p) = out.split_at_mut(n);
        // Lots open in the order they were made, which is mostly the drain order already:
        // checking costs less than sorting.
        // Earliest last usable day first, a grant that never lapses last.
        let grant_key = |&i: &usize| (lots[i].last_day.is_none(), lots[i].last_day, i);
        if !g.is_sorted_by_key(grant_key) {
            g.sort_unstable_by_key(grant_key);
        }
        match self.policy.order {
            Order::Fifo => {
                let key = |&i: &usize| (lots[i].date, lots[i].seq, i);
                if !p.is_sorted_by_key(key) {
                    p.sort_unstable_by_key(key);
                }
            }
            Order::ExpiringFirst => {
                let key = |&i: &usize| {
                    (
                        lots[i].last_day.is_none(),
                        lots[i].last_day,
                        lots[i].date,
                        lots[i].seq,
                        i,
                    )
                };
                if !p.is_sorted_by_key(key) {
                    p.sort_unstable_by_key(key);
                }
            }
        }
    }

    /// The time left in open grants (`grants`) and other lots (`purchased`).
    #[inline]
    fn available(&self, grants: bool, purchased: bool) -> Minutes {
        // A log asks for grants alone, most often of a client with none: no call for that.
        if !purchased && (!grants || self.open_grants == 0) {
            return Decimal::ZERO;
        }
        self.available_in_lots(grants, purchased)
    }

    #[inline(never)]
    fn available_in_lots(&self, grants: bool, purchased: bool) -> Minutes {
        debug_assert_eq!(
            self.open_grants,
            self.open
                .iter()
                .filter(|&&i| self.state.lots[i].kind == LotKind::Grant)
                .count()
        );
        self.open
            .iter()
            .map(|&i| &self.state.lots[i])
            .filter(|l| {
                if l.kind == LotKind::Grant {
                    grants
                } else {
                    purchased
                }
            })
            .map(|l| l.remaining)
            .fold(Decimal::ZERO, plus)
    }

    /// Take `m` minutes from lot `i`, no more than it has left (every caller takes at most
    /// that); returns the money those minutes were worth.
    fn take(&mut self, i: usize, m: Minutes) -> Decimal {
        let lot = &mut self.state.lots[i];
        debug_assert!(m <= lot.remaining, "take {m} of {}", lot.remaining);
        let money = if same(m, lot.remaining) {
            lot.value
        } else if lot.value.is_zero() {
            // Free time (grants, `adjust +`): what the division below gives, without it.
            Decimal::ZERO
        } else {
            share(lot.value, m, lot.remaining)
        };
        lot.remaining = minus(lot.remaining, m);
        lot.value = minus(lot.value, money);
        // Read by the next event only when the history is kept.
        if self.opts.events {
            self.drawn.push((i, m, money));
        }
        self.held = minus(self.held, m);
        if lot.remaining.is_zero() {
            // Lots drain from the front of both lists: found at once.
            if let Some(k) = self.open.iter().position(|&j| j == i) {
                self.open.remove(k);
                if self.state.lots[i].kind == LotKind::Grant {
                    self.open_grants -= 1;
                }
            }
            if let Some(k) = self.order.iter().position(|&j| j == i) {
                self.order.remove(k);
            }
        }
        money
    }

    /// Drain up to `m` minutes in drain order, grants first; `purchased = false` drains grants
    /// alone. Returns (minutes taken, money).
    fn drain(&mut self, m: Minutes, purchased: bool) -> (Minutes, Decimal) {
        if m.is_zero() {
            return (m, Decimal::ZERO);
        }
        let mut left = m;
        let mut money = Decimal::ZERO;
        if !self.order_valid {
            let mut order = std::mem::take(&mut self.order);
            self.drain_order_into(true, &mut order);
            self.order = order;
            self.order_valid = true;
        }
        let mut k = 0;
        let mut first = true;
        while let Some(&i) = self.order.get(k) {
            if left.is_zero() {
                break;
            }
            if self.state.lots[i].kind != LotKind::Grant && !purchased {
                k += 1;
                continue;
            }
            let remaining = self.state.lots[i].remaining;
            if compare(left, remaining) != Ordering::Greater {
                // The lot covers what is left (`min(left, remaining)` is `left`), the usual
                // case: `left` less itself would be a zero, and `m` less a zero is `m`.
                let piece = self.take(i, left);
                return (m, if first { piece } else { plus(money, piece) });
            }
            let piece = self.take(i, remaining);
            // `plus(Decimal::ZERO, piece)` is `piece`.
            money = if first { piece } else { plus(money, piece) };
            first = false;
            left = minus(left, remaining);
            // A lot drained empty has left the order: the next one is at `k` now.
            if self.order.get(k) == Some(&i) {
                k += 1;
            }
        }
        (minus(m, left), money)
    }

    /// Debit `m` exactly: included time first, then purchased lots, then the overdraft rule.
    /// Under `deny` a shortfall is refused before anything changes.
    fn debit(&mut self, e: &Entry, m: Minutes, what: &str) -> Option<Taken> {
        if !positive(m) {
            return Some(Taken::default());
        }
        // Summed only under `deny`, the one rule that reads it.
        if self.policy.overdraft == Overdraft::Deny && m > self.available(true, true) {
            let avail = self.available(true, true);
            self.error(
                e.span,
                format!(
                    "`{what}` needs {} but `{}` has only {} left, and `overdraft` is `deny`",
                    fmt_minutes(m),
                    self.client.id,
                    fmt_minutes(avail)
                ),
                Some(format!(
                    "buy more time first, or set `overdraft = \"bill\"` for `{}`",
                    self.client.id
                )),
            );
            return None;
        }
        Some(self.debit_unchecked(m))
    }

    fn debit_unchecked(&mut self, m: Minutes) -> Taken {
        let (taken, money) = self.drain(m, true);
        // All of `m` taken, the usual case, leaves no shortfall (`m` less itself is a zero).
        let short = if taken.serialize() == m.serialize() {
            Decimal::ZERO
        } else {
            minus(m, taken)
        };
        let mut t = Taken {
            lots: taken,
            ..Taken::default()
        };
        self.state.totals.debited = plus(self.state.totals.debited, taken);
        self.state.totals.money_debited = plus(self.state.totals.money_debited, money);
        if positive(short) {
            match self.policy.overdraft {
                Overdraft::Carry => {
                    self.state.debt = plus(self.state.debt, short);
                    self.state.totals.debited = plus(self.state.totals.debited, short);
                    t.carried = short;
                }
                Overdraft::Bill | Overdraft::Deny => {
                    self.state.overage = plus(self.state.overage, short);
                    self.state.totals.overage = plus(self.state.totals.overage, short);
                    t.overage = short;
                }
            }
        }
        t
    }

    /// Repay carried debt from a new lot.
    fn repay_debt(&mut self, lot: usize) {
        if self.state.debt <= Decimal::ZERO {
            return;
        }
        let x = self.state.debt.min(self.state.lots[lot].remaining);
        let money = self.take(lot, x);
        self.state.debt = minus(self.state.debt, x);
        self.state.totals.money_debited = plus(self.state.totals.money_debited, money);
    }

    // ----- verbs --------------------------------------------------------------------

    fn check_currency(&mut self, e: &Entry, m: Money, what: &str) -> bool {
        match m.currency {
            Some(c) if c != self.currency => {
                self.error(
                    e.span,
                    format!(
                        "{what} is in {c}, but `{}` pays in {}",
                        self.client.id, self.currency
                    ),
                    Some(format!(
                        "write the amount in {}: there are no exchange rates",
                        self.currency
                    )),
                );
                false
            }
            _ => true,
        }
    }

    fn buy(&mut self, e: &Entry, qty: &Qty, price: Option<Price>, expires: Option<LineExpiry>) {
        let discount = self.plan.map_or(Decimal::ZERO, |p| p.discount);
        let keep = Decimal::ONE - discount;
        let (minutes, paid, label) = match qty {
            Qty::Minutes(m) => {
                let paid = match price {
                    Some(Price::Each(p)) => {
                        if !self.check_currency(e, p, "the price") {
                            return;
                        }
                        p.amount * *m / self.book.unit_minutes
                    }
                    Some(Price::Total(p)) => {
                        if !self.check_currency(e, p, "the price") {
                            return;
                        }
                        p.amount
                    }
                    None => {
                        let Some(up) = self.policy.unit_price else {
                            self.error(
                                e.span,
                                format!("no price for this purchase: `unit_price` is not set for `{}`", self.client.id),
                                Some("write `@ PRICE` per unit or `for TOTAL`, or set `unit_price` in credits.toml".into()),
                            );
                            return;
                        };
                        if !self.check_currency(e, up, "`unit_price`") {
                            return;
                        }
                        up.amount * keep * *m / self.book.unit_minutes
                    }
                };
                (*m, paid, self.text(|run| run.units(*m)))
            }
            Qty::Named(name) => {
                let Some(pkg) = self.book.packages.get(name.as_str()) else {
                    let help =
                        Self::names_help(self.book.packages.keys(), "packages", "[packages]");
                    self.error(e.span, format!("unknown package `{name}`"), Some(help));
                    return;
                };
                if !self.check_currency(e, pkg.price, &format!("package `{name}`")) {
                    return;
                }
                let paid = match price {
                    Some(Price::Each(p)) => p.amount * pkg.minutes / self.book.unit_minutes,
                    Some(Price::Total(p)) => p.amount,
                    None => pkg.price.amount * keep,
                };
                (
                    pkg.minutes,
                    paid,
                    self.text(|run| format!("package {name}: {}", run.units(pkg.minutes))),
                )
            }
        };
        let paid = paid.round_dp(MONEY_DP);
        if let Some(r) = e.meta(MetaKey::Ref)
            && self.refs.get(r).is_some_and(|f| f.purchase)
        {
            self.error(
                e.span,
                format!("`{}` already has a lot with `ref:{r}`", self.client.id),
                Some("give each purchase its own ref".into()),
            );
            return;
        }
        let last_day = match expires {
            Some(LineExpiry::Date(d)) => Some(d),
            Some(LineExpiry::Span(s)) => add_span(e.date, s),
            Some(LineExpiry::Never) => None,
            None => {
                let tier = self
                    .policy
                    .expiry_tiers
                    .iter()
                    .rev()
                    .find(|t| t.from <= minutes);
                match tier.map_or(self.policy.expires, |t| t.expires) {
                    Expiry::Never => None,
                    Expiry::Span(s) => add_span(e.date, s),
                }
            }
        };
        if let Some(l) = last_day
            && l < e.date
        {
            {
                self.error(
                    e.span,
                    format!(
                        "this purchase expires on {l}, before it is made on {}",
                        e.date
                    ),
                    Some("write the last usable day, on or after the purchase date".into()),
                );
                return;
            }
        }
        let refund_until = e
            .date
            .checked_add_days(Days::new(u64::from(self.policy.refund_days)));
        self.state.lots.push(Lot {
            reference: e.meta(MetaKey::Ref).map(str::to_string),
            date: e.date,
            kind: LotKind::Purchase,
            minutes,
            remaining: minutes,
            paid,
            value: paid,
            last_day,
            refund_until,
            seq: self.state.lots.len() as u32,
            span: e.span,
        });
        let i = self.state.lots.len() - 1;
        self.note_ref(i);
        self.open.push(i);
        self.order_valid = false;
        self.note_last_day(last_day);
        self.held = plus(self.held, minutes);
        self.state.totals.bought = plus(self.state.totals.bought, minutes);
        self.state.totals.paid_in = plus(self.state.totals.paid_in, paid);
        self.repay_debt(i);
        let desc = self.text(|_| describe(e, &label));
        if let Some(ev) = self.push_event(e.date, EventKind::Buy, desc, Some(e.seq)) {
            ev.credited = Some(minutes);
            ev.amount = Some(paid);
        }
    }

    fn names_help<'k>(keys: impl Iterator<Item = &'k String>, what: &str, table: &str) -> String {
        let names: Vec<String> = keys.map(|k| format!("`{k}`")).collect();
        if names.is_empty() {
            format!("the book defines no {what}: add them under `{table}` in credits.toml")
        } else {
            format!("the book's {what} are {}", names.join(", "))
        }
    }

    fn covered(&self, e: &Entry) -> bool {
        self.plan
            .is_some_and(|p| p.covered.iter().any(|c| e.has_tag(c)))
    }

    /// The quote or estimate a log's `quote:ID` names, when it may take work now: approved,
    /// neither done nor rejected. Otherwise the log is an error, and `Err` says so.
    fn quote_of_log(&mut self, e: &Entry, id: &str) -> Result<QuoteKind, ()> {
        let client = &self.client.id;
        let (message, help) = match self.quotes.get(id) {
            Some(q) if q.state == QuoteState::Approved => return Ok(q.kind),
            Some(q) => {
                let what = q.kind.word();
                let state = state_word(q.state);
                let help = match q.state {
                    QuoteState::Pending => {
                        format!("approve it first: `{} approve {client} {id}`", e.date)
                    }
                    _ => format!(
                        "{what} `{id}` takes no more work: remove `quote:{id}` to log it as plain work"
                    ),
                };
                (
                    format!("`quote:{id}` names {what} `{id}`, which is {state}, not approved"),
                    help,
                )
            }
            None => {
                let mut open: Vec<String> = self
                    .quotes
                    .values()
                    .filter(|q| q.state == QuoteState::Approved)
                    .map(|q| format!("`{}`", q.id))
                    .collect();
                open.sort();
                let help = if open.is_empty() {
                    format!(
                        "`{client}` has no approved quote or estimate: remove `quote:{id}`, or write and approve one first"
                    )
                } else {
                    format!(
                        "the approved quotes and estimates of `{client}` are {}",
                        open.join(", ")
                    )
                };
                (
                    format!("`quote:{id}` names no quote or estimate of `{client}`"),
                    help,
                )
            }
        };
        self.error(e.span, message, Some(help));
        Err(())
    }

    fn log(&mut self, e: &Entry, m: Minutes) {
        // Work on a quote or an estimate: most logs carry no metadata at all.
        let on = if e.meta.is_empty() {
            None
        } else {
            e.meta(MetaKey::Quote)
        };
        if let Some(id) = on {
            let Ok(kind) = self.quote_of_log(e, id) else {
                return;
            };
            if kind == QuoteKind::Quote {
                self.quoted_work(e, id, m);
                return;
            }
            if !self.charge_log(e, m) {
                return;
            }
            // An estimate: its logs use up the reservation they were expected to need.
            if let Some(q) = self.quotes.get_mut(id) {
                let release = min(m, q.held);
                q.held = minus(q.held, release);
                q.actual = plus(q.actual, m);
                self.reserved = minus(self.reserved, release);
            }
            return;
        }
        self.charge_log(e, m);
    }

    /// Work logged on a fixed quote: recorded with its time, never debited (its `done` is).
    fn quoted_work(&mut self, e: &Entry, id: &str, m: Minutes) {
        self.state.totals.logged = plus(self.state.totals.logged, m);
        if let Some(q) = self.quotes.get_mut(id) {
            q.actual = plus(q.actual, m);
        }
        let desc = self.text(|_| {
            if e.description.is_empty() {
                format!("Work on quote {id}")
            } else {
                format!("Work on quote {id}: {}", e.description)
            }
        });
        if let Some(ev) = self.push_event(e.date, EventKind::Quoted, desc, Some(e.seq)) {
            ev.logged = Some(m);
        }
    }

    /// A log covered or debited by the policy; false when it was refused (`deny`).
    fn charge_log(&mut self, e: &Entry, m: Minutes) -> bool {
        if self.covered(e) {
            self.state.totals.logged = plus(self.state.totals.logged, m);
            self.state.totals.covered = plus(self.state.totals.covered, m);
            let desc = self.text(|_| describe(e, "covered work"));
            if let Some(ev) = self.push_event(e.date, EventKind::Covered, desc, Some(e.seq)) {
                ev.logged = Some(m);
            }
            return true;
        }
        let (from_grants, rest) = if self.open_grants == 0 && !m.is_sign_negative() {
            // No grants: what `min` and `minus` give against `Decimal::ZERO`, at once.
            (if m.is_zero() { m } else { Decimal::ZERO }, m)
        } else {
            let grants = self.available(true, false);
            let from_grants = min(m, grants);
            (from_grants, minus(m, from_grants))
        };
        // What the remainder debits from purchased time, by the debit policy.
        let (to_debit, new_pending) = match self.policy.debit {
            DebitPolicy::Accumulate => {
                let pending = plus(self.state.pending, rest);
                let unit = self.book.unit_minutes;
                if less(pending, unit) {
                    // Not a whole unit yet: spares a division, the common case.
                    (Decimal::ZERO, pending)
                } else {
                    let d = whole_units(pending, unit);
                    (d, minus(pending, d))
                }
            }
            DebitPolicy::Exact => (rest, self.state.pending),
            DebitPolicy::RoundUp => {
                let step = self.policy.round_to;
                ((rest / step).ceil() * step, self.state.pending)
            }
        };
        if self.policy.overdraft == Overdraft::Deny {
            let purchased = self.available(false, true);
            if to_debit > purchased {
                self.error(
                    e.span,
                    format!(
                        "this log debits {} but `{}` has only {} of purchased time left, and `overdraft` is `deny`",
                        fmt_minutes(to_debit),
                        self.client.id,
                        fmt_minutes(purchased)
                    ),
                    Some(format!("buy more time first, or set `overdraft = \"bill\"` for `{}`", self.client.id)),
                );
                return false;
            }
        }
        self.state.totals.logged = plus(self.state.totals.logged, m);
        let (g, gmoney) = if from_grants.is_zero() {
            // What `drain` gives for nothing to drain, without its call.
            (from_grants, Decimal::ZERO)
        } else {
            self.drain(from_grants, false)
        };
        self.state.totals.debited = plus(self.state.totals.debited, g);
        self.state.totals.money_debited = plus(self.state.totals.money_debited, gmoney);
        let t = self.debit_unchecked(to_debit);
        self.state.pending = new_pending;
        let desc = self.text(|_| describe(e, "work"));
        if let Some(ev) = self.push_event(e.date, EventKind::Log, desc, Some(e.seq)) {
            ev.logged = Some(m);
            let charged = plus(g, t.total());
            if !charged.is_zero() {
                ev.debited = Some(charged);
            }
            ev.overage = t.overage_part();
        }
        true
    }

    /// The minutes of a quantity or a task, with the task's title (borrowed from the book:
    /// most often not shown).
    fn task_minutes(&mut self, e: &Entry, qty: &Qty) -> Option<(Minutes, &'a str)> {
        match qty {
            Qty::Minutes(m) => Some((*m, "")),
            Qty::Named(name) => {
                let book = self.book;
                if let Some(t) = book.tasks.get(name.as_str()) {
                    return Some((t.minutes, t.title.as_str()));
                }
                let help = Self::names_help(self.book.tasks.keys(), "tasks", "[tasks]");
                self.error(e.span, format!("unknown task `{name}`"), Some(help));
                None
            }
        }
    }

    fn fixed_debit(&mut self, e: &Entry, qty: &Qty) {
        let Some((m, title)) = self.task_minutes(e, qty) else {
            return;
        };
        let Some(t) = self.debit(e, m, "debit") else {
            return;
        };
        let desc = self.text(|_| describe(e, if title.is_empty() { "debit" } else { title }));
        if let Some(ev) = self.push_event(e.date, EventKind::Debit, desc, Some(e.seq)) {
            ev.debited = Some(t.total());
            ev.overage = t.overage_part();
        }
    }

    fn quote(&mut self, e: &Entry, id: &str, qty: &Qty, kind: QuoteKind) {
        let Some((m, title)) = self.task_minutes(e, qty) else {
            return;
        };
        if let Some(q) = self.quotes.get(id) {
            let (date, was) = (q.date, q.kind.word());
            self.error(
                e.span,
                format!(
                    "{was} `{id}` of `{}` already exists (made {date})",
                    self.client.id
                ),
                Some("quote and estimate ids are unique per client: choose another id".into()),
            );
            return;
        }
        let description = if e.description.is_empty() {
            title.to_string()
        } else {
            e.description.clone()
        };
        let due = e.meta(MetaKey::Due).and_then(|d| d.parse().ok());
        let desc = self.text(|run| {
            let desc = format!("{} {id}: {} — {description}", kind.word(), run.units(m));
            desc.trim_end_matches([' ', '—']).to_string()
        });
        self.quotes.insert(
            id.to_string(),
            Quote {
                id: id.to_string(),
                kind,
                minutes: m,
                state: QuoteState::Pending,
                held: Decimal::ZERO,
                actual: Decimal::ZERO,
                date: e.date,
                due,
                description,
            },
        );
        let event = match kind {
            QuoteKind::Quote => EventKind::Quote,
            QuoteKind::Estimate => EventKind::Estimate,
        };
        self.push_event(e.date, event, desc, Some(e.seq));
    }

    fn quote_state(&mut self, e: &Entry, id: &str) -> Option<QuoteState> {
        if let Some(q) = self.quotes.get(id) {
            return Some(q.state);
        }
        let mut known: Vec<String> = self.quotes.keys().map(|k| format!("`{k}`")).collect();
        known.sort();
        let help = if known.is_empty() {
            format!(
                "`{}` has no quotes yet: write a `quote` entry first",
                self.client.id
            )
        } else {
            format!(
                "the quotes of `{}` are {}",
                self.client.id,
                known.join(", ")
            )
        };
        self.error(
            e.span,
            format!("unknown quote `{id}` for `{}`", self.client.id),
            Some(help),
        );
        None
    }

    fn answer(&mut self, e: &Entry, id: &str, to: QuoteState) {
        let Some(state) = self.quote_state(e, id) else {
            return;
        };
        let word = e.verb.word();
        let ok = matches!(
            (state, to),
            (QuoteState::Pending, _) | (QuoteState::Approved, QuoteState::Rejected)
        );
        let (kind, minutes) = self
            .quotes
            .get(id)
            .map_or((QuoteKind::Quote, Decimal::ZERO), |q| (q.kind, q.minutes));
        let what = kind.word();
        if !ok {
            self.error(
                e.span,
                format!(
                    "cannot {word} {what} `{id}`: it is already {}",
                    state_word(state)
                ),
                None,
            );
            return;
        }
        if to == QuoteState::Approved && self.policy.overdraft == Overdraft::Deny {
            let available = self.balance() - self.state.pending - self.reserved;
            if minutes > available {
                self.error(
                    e.span,
                    format!(
                        "cannot approve {what} `{id}`: it reserves {} but `{}` has only {} available, and `overdraft` is `deny`",
                        fmt_minutes(minutes),
                        self.client.id,
                        fmt_minutes(available.max(Decimal::ZERO))
                    ),
                    Some(format!(
                        "buy more time first, or set `overdraft = \"bill\"` for `{}`",
                        self.client.id
                    )),
                );
                return;
            }
        }
        if let Some(q) = self.quotes.get_mut(id) {
            q.state = to;
            self.reserved = minus(self.reserved, q.held);
            q.held = if to == QuoteState::Approved {
                q.minutes
            } else {
                Decimal::ZERO
            };
            self.reserved = plus(self.reserved, q.held);
        }
        let event = if to == QuoteState::Approved {
            EventKind::Approve
        } else {
            EventKind::Reject
        };
        let desc = self.text(|_| describe(e, &format!("{what} {id} {}", state_word(to))));
        self.push_event(e.date, event, desc, Some(e.seq));
    }

    fn done(&mut self, e: &Entry, id: &str) {
        let Some(state) = self.quote_state(e, id) else {
            return;
        };
        let Some(q) = self.quotes.get(id) else {
            return;
        };
        let (kind, m) = (q.kind, q.minutes);
        let what = kind.word();
        if state != QuoteState::Approved {
            let help = (state == QuoteState::Pending).then(|| {
                format!(
                    "approve it first: `{} approve {} {id}`",
                    e.date, self.client.id
                )
            });
            self.error(
                e.span,
                format!("`done` for {what} `{id}`, but it is {}", state_word(state)),
                help,
            );
            return;
        }
        let qdesc = if self.opts.events {
            q.description.clone()
        } else {
            String::new()
        };
        // A quote's price is debited now; an estimate was charged by its logs.
        let t = match kind {
            QuoteKind::Quote => match self.debit(e, m, "done") {
                Some(t) => t,
                None => return,
            },
            QuoteKind::Estimate => Taken::default(),
        };
        if let Some(q) = self.quotes.get_mut(id) {
            q.state = QuoteState::Done;
            self.reserved = minus(self.reserved, q.held);
            q.held = Decimal::ZERO;
        }
        let desc = self.text(|_| {
            let label = if qdesc.is_empty() {
                format!("{what} {id} done")
            } else {
                format!("{what} {id}: {qdesc}")
            };
            describe(e, &label)
        });
        if let Some(ev) = self.push_event(e.date, EventKind::Done, desc, Some(e.seq)) {
            ev.debited = Some(t.total());
            ev.overage = t.overage_part();
        }
    }

    fn apply(&mut self, e: &Entry, amount: Money) {
        if !self.check_currency(e, amount, "the amount") {
            return;
        }
        let want = amount.amount;
        // Reserved time is held back from the end of the consumption order.
        let reserved = self.reserved;
        let mut usable = (self.available(false, true) - reserved).max(Decimal::ZERO);
        let mut plan: Vec<(usize, Minutes, Decimal)> = Vec::new(); // (lot, minutes usable, value usable)
        for i in self.drain_order(false) {
            if usable.is_zero() {
                break;
            }
            let lot = &self.state.lots[i];
            let m = usable.min(lot.remaining);
            usable = minus(usable, m);
            if lot.value.is_zero() {
                // Free time (`adjust +`) has no value to apply.
                continue;
            }
            let v = if m == lot.remaining {
                lot.value
            } else {
                mul_div(lot.value, m, lot.remaining)
            };
            plan.push((i, m, v));
        }
        let worth: Decimal = plan.iter().map(|p| p.2).sum();
        if want > worth {
            let held = reserved_note(reserved);
            self.error(
                e.span,
                format!(
                    "`apply` of {} is more than the {} the lots of `{}` are worth{held}",
                    self.money(want),
                    self.money(worth),
                    self.client.id
                ),
                Some(format!("apply at most {}", self.money(worth))),
            );
            return;
        }
        let mut rest = want;
        let mut minutes = Decimal::ZERO;
        for (i, m, v) in plan {
            if rest.is_zero() {
                break;
            }
            if v <= rest && m == self.state.lots[i].remaining {
                let money = self.take(i, m);
                rest = minus(rest, money);
                minutes = plus(minutes, m);
            } else {
                let lot = &self.state.lots[i];
                let t = mul_div(rest, lot.remaining, lot.value)
                    .round_dp(2)
                    .min(lot.remaining);
                let lot = &mut self.state.lots[i];
                lot.remaining = minus(lot.remaining, t);
                lot.value = minus(lot.value, rest);
                self.drawn.push((i, t, rest));
                self.held = minus(self.held, t);
                if lot.remaining.is_zero() {
                    self.open.retain(|&j| j != i);
                    self.order_valid = false;
                }
                minutes = plus(minutes, t);
                rest = Decimal::ZERO;
            }
        }
        self.state.totals.applied = plus(self.state.totals.applied, minutes);
        self.state.totals.money_applied = plus(self.state.totals.money_applied, want);
        let desc = self.text(|_| {
            let project = e.meta(MetaKey::Project).map(|p| format!("project {p}"));
            describe(e, project.as_deref().unwrap_or("applied to a project"))
        });
        if let Some(ev) = self.push_event(e.date, EventKind::Apply, desc, Some(e.seq)) {
            ev.debited = Some(minutes);
            ev.amount = Some(want);
        }
    }

    fn refund(&mut self, e: &Entry, lot: &LotRef, qty: Option<Minutes>) {
        let found: Vec<usize> = match lot {
            LotRef::Ref(r) => match self.refs.get(r.as_str()) {
                // Only the number of lots matters when there are several.
                Some(f) => vec![f.first; f.count],
                None => Vec::new(),
            },
            LotRef::Date(d) => self
                .state
                .lots
                .iter()
                .enumerate()
                .filter(|(_, l)| l.date == *d && l.kind != LotKind::Grant)
                .map(|(i, _)| i)
                .collect(),
        };
        let name = match lot {
            LotRef::Ref(r) => format!("`{r}`"),
            LotRef::Date(d) => format!("bought {d}"),
        };
        let i = match found.as_slice() {
            [i] => *i,
            [] => {
                let refs: Vec<String> = self
                    .state
                    .lots
                    .iter()
                    .filter(|l| l.kind == LotKind::Purchase)
                    .map(|l| {
                        l.reference
                            .clone()
                            .map_or_else(|| l.date.to_string(), |r| format!("`{r}`"))
                    })
                    .collect();
                let help = if refs.is_empty() {
                    format!("`{}` has bought nothing yet", self.client.id)
                } else {
                    format!("the lots of `{}` are {}", self.client.id, refs.join(", "))
                };
                self.error(
                    e.span,
                    format!("no lot {name} for `{}`", self.client.id),
                    Some(help),
                );
                return;
            }
            _ => {
                self.error(
                    e.span,
                    format!(
                        "{} lots of `{}` were bought on that date",
                        found.len(),
                        self.client.id
                    ),
                    Some("name the lot by its `ref:` instead".into()),
                );
                return;
            }
        };
        let l = &self.state.lots[i];
        let (bought, remaining, until, last_day, kind) =
            (l.date, l.remaining, l.refund_until, l.last_day, l.kind);
        if kind != LotKind::Purchase {
            self.error(
                e.span,
                format!("lot {name} is free time (`adjust +`), which is not refundable"),
                None,
            );
            return;
        }
        if until.is_none_or(|u| e.date > u) {
            let u = until.map_or_else(|| "no day".to_string(), |u| u.to_string());
            self.error(
                e.span,
                format!("lot {name} was bought {bought}: it could be refunded only through {u}"),
                Some("unused time is refundable within `refund_days` of the purchase".into()),
            );
            return;
        }
        if last_day.is_some_and(|l| e.date > l) {
            let l = last_day.unwrap_or(bought);
            self.error(
                e.span,
                format!("lot {name} expired after {l}: expired time is not refundable"),
                None,
            );
            return;
        }
        if remaining.is_zero() {
            self.error(
                e.span,
                format!("lot {name} is used up: nothing is left to refund"),
                None,
            );
            return;
        }
        // Time that work already needs stays: after the refund, balance − pending − reserved
        // (included time counted in the balance) must not fall below zero.
        let reserved = self.reserved;
        let pending = self.state.pending;
        let free = (self.balance() - pending - reserved)
            .max(Decimal::ZERO)
            .min(remaining);
        let want = qty.unwrap_or(free);
        if want > free || want.is_zero() {
            let message = if free < remaining {
                let mut needs = Vec::new();
                if positive(pending) {
                    needs.push(format!(
                        "{} of logged work is pending",
                        fmt_minutes(pending)
                    ));
                }
                if positive(reserved) {
                    needs.push(format!(
                        "{} is reserved by approved quotes",
                        fmt_minutes(reserved)
                    ));
                }
                if needs.is_empty() || self.balance() < remaining {
                    needs.push(format!("the balance is {}", fmt_minutes(self.balance())));
                }
                let why = needs.join(", and ");
                if free.is_zero() {
                    format!("nothing of lot {name} can be refunded: {why}")
                } else {
                    format!(
                        "at most {} of lot {name} can be refunded: {why}",
                        fmt_minutes(free)
                    )
                }
            } else {
                format!(
                    "cannot refund {} of lot {name}: {} is unused",
                    fmt_minutes(want),
                    fmt_minutes(free)
                )
            };
            self.error(e.span, message, None);
            return;
        }
        let money = self.take(i, want);
        self.state.totals.refunded = plus(self.state.totals.refunded, want);
        self.state.totals.money_refunded = plus(self.state.totals.money_refunded, money);
        let desc = self.text(|run| {
            describe(
                e,
                &format!(
                    "refund of {} from lot {}",
                    run.units(want),
                    name.replace('`', "")
                ),
            )
        });
        if let Some(ev) = self.push_event(e.date, EventKind::Refund, desc, Some(e.seq)) {
            ev.credited = Some(-want);
            ev.amount = Some(money);
        }
    }

    fn adjust(&mut self, e: &Entry, m: Minutes) {
        if m > Decimal::ZERO {
            self.state.lots.push(Lot {
                reference: e.meta(MetaKey::Ref).map(str::to_string),
                date: e.date,
                kind: LotKind::Adjust,
                minutes: m,
                remaining: m,
                paid: Decimal::ZERO,
                value: Decimal::ZERO,
                last_day: None,
                refund_until: None,
                seq: self.state.lots.len() as u32,
                span: e.span,
            });
            let i = self.state.lots.len() - 1;
            self.note_ref(i);
            self.open.push(i);
            self.order_valid = false;
            self.held = plus(self.held, m);
            self.state.totals.adjusted_in = plus(self.state.totals.adjusted_in, m);
            self.repay_debt(i);
            let desc = self.text(|_| describe(e, "adjustment"));
            if let Some(ev) = self.push_event(e.date, EventKind::Adjust, desc, Some(e.seq)) {
                ev.credited = Some(m);
            }
        } else if m < Decimal::ZERO {
            let Some(t) = self.debit(e, -m, "adjust") else {
                return;
            };
            let desc = self.text(|_| describe(e, "adjustment"));
            if let Some(ev) = self.push_event(e.date, EventKind::Adjust, desc, Some(e.seq)) {
                ev.debited = Some(t.total());
                ev.overage = t.overage_part();
            }
        } else {
            let desc = self.text(|_| describe(e, "adjustment"));
            self.push_event(e.date, EventKind::Adjust, desc, Some(e.seq));
        }
    }

    fn bill(&mut self, e: &Entry) {
        let m = self.state.overage;
        self.state.overage = Decimal::ZERO;
        let desc = self.text(|_| {
            let label = match e.meta(MetaKey::Ref) {
                Some(r) => format!("overage of {} invoiced ({r})", fmt_minutes(m)),
                None => format!("overage of {} invoiced", fmt_minutes(m)),
            };
            describe(e, &label)
        });
        let rate = self.client.rate;
        if let Some(ev) = self.push_event(e.date, EventKind::Bill, desc, Some(e.seq))
            && m > Decimal::ZERO
        {
            ev.amount = rate.map(|r| r.amount * m / Decimal::from(60));
        }
    }

    fn plan_change(&mut self, e: &Entry, name: Option<&str>) {
        let new = match name {
            Some(n) => match self.book.plans.get(n) {
                Some(p) => Some(p),
                None => {
                    let help = Self::names_help(self.book.plans.keys(), "plans", "[plans]");
                    self.error(e.span, format!("unknown plan `{n}`"), Some(help));
                    return;
                }
            },
            None => None,
        };
        if new.map(|p| &p.name) == self.plan.map(|p| &p.name) {
            return;
        }
        let policy = self.book.policy_for(&self.client.id, name);
        let leaving_accumulate =
            self.policy.debit == DebitPolicy::Accumulate && policy.debit != DebitPolicy::Accumulate;
        self.plan = new;
        self.policy = policy;
        self.order_valid = false;
        self.state.plan = name.map(str::to_string);
        self.plan_started = Some(e.date);
        let desc = self.text(|_| describe(e, &format!("plan {}", name.unwrap_or("none"))));
        self.push_event(e.date, EventKind::Plan, desc, Some(e.seq));
        if leaving_accumulate && self.state.pending > Decimal::ZERO {
            let pending = self.state.pending;
            self.state.pending = Decimal::ZERO;
            let t = self.debit_unchecked(pending);
            let desc = self.text(|_| "pending time debited on leaving accumulate".into());
            if let Some(ev) = self.push_event(e.date, EventKind::Debit, desc, Some(e.seq)) {
                ev.debited = Some(t.total());
                ev.overage = t.overage_part();
            }
        }
    }

    /// A second `plan` entry of the client on one date: an error, and ignored.
    fn second_plan(&mut self, e: &Entry, first: &Entry) {
        self.error(
            e.span,
            format!(
                "`{}` already has a `plan` entry on {}: `{}`",
                self.client.id, e.date, first.canon
            ),
            Some("keep one `plan` entry per client and date: this one is ignored".into()),
        );
    }

    fn assert(&mut self, e: &Entry, expected: Minutes) {
        let have = self.balance();
        if have != expected {
            let diff = have - expected;
            self.error(
                e.span,
                format!(
                    "assertion failed: `{}` has {} at the end of {}, but the journal asserts {}",
                    self.client.id,
                    fmt_minutes(have),
                    e.date,
                    fmt_minutes(expected)
                ),
                Some(format!(
                    "the balance is {} {} than asserted",
                    fmt_minutes(diff.abs()),
                    if diff > Decimal::ZERO { "more" } else { "less" }
                )),
            );
        }
    }
}

/// `a + b`: the same bits as `Decimal`'s sum (value, scale and sign). Operands that fit 64
/// bits (minutes and money nearly always do) are summed here, as `Decimal` sums them: the other
/// operand as is when one is zero, else the operand of the smaller scale raised to the larger
/// one and the two added or subtracted in 128 bits, with the sign of `a` unless `b` is the
/// larger of the two in a subtraction. Anything else (past 96 bits, scales far apart) goes to
/// `Decimal` itself.
#[inline]
fn plus(a: Decimal, b: Decimal) -> Decimal {
    add_sub(a, b, false)
}

/// `a - b`, as [`plus`]: the same bits as `Decimal`'s difference. `Decimal` gives `-b` when
/// `a` is zero (`b` itself when zero too), `a` when `b` is zero; a zero result is unsigned.
#[inline]
fn minus(a: Decimal, b: Decimal) -> Decimal {
    add_sub(a, b, true)
}

/// The sign bit of a `Decimal`'s flags.
const SIGN: u32 = 0x8000_0000;

/// The scale bits of a `Decimal`'s flags.
const SCALE: u32 = 0x00FF_0000;

/// `10^k` for `k` in `0..=19`: how far apart two scales may be for [`plus`] and [`compare`] to
/// align them in 128 bits (as `Decimal` does).
const POW10: [u64; 20] = {
    let mut p = [1u64; 20];
    let mut k = 1;
    while k < 20 {
        p[k] = p[k - 1] * 10;
        k += 1;
    }
    p
};

// Left to itself the compiler calls it: a call per sum costs more than the sum.
#[allow(clippy::inline_always)]
#[inline(always)]
fn add_sub(a: Decimal, b: Decimal, subtract: bool) -> Decimal {
    let ((fa, la, ha), (fb, lb, hb)) = (parts(a), parts(b));
    if ha | hb != 0 {
        return slow_add_sub(a, b, subtract);
    }
    if la == 0 {
        return if subtract && lb != 0 { -b } else { b };
    }
    if lb == 0 {
        return a;
    }
    let negative = fa & SIGN != 0;
    // Subtract the magnitudes when the operation and the signs say so.
    let apart = subtract ^ ((fa ^ fb) & SIGN != 0);
    if (fa ^ fb) & SCALE == 0 {
        // One scale, the usual case: 64 bits suffice.
        let scale = (fa & SCALE) >> 16;
        if !apart {
            let (sum, carry) = la.overflowing_add(lb);
            return Decimal::from_parts(
                sum as u32,
                (sum >> 32) as u32,
                u32::from(carry),
                negative,
                scale,
            );
        }
        let (diff, negative) = if la >= lb {
            (la - lb, negative)
        } else {
            (lb - la, !negative)
        };
        return Decimal::from_parts(diff as u32, (diff >> 32) as u32, 0, negative, scale);
    }
    add_sub_rescaled(fa, la, fb, lb, apart).unwrap_or_else(|| slow_add_sub(a, b, subtract))
}

/// [`add_sub`] of two non-zero operands of 64 bits and different scales: the one of the smaller
/// scale is raised to the other's, as `Decimal` does; `None` when `Decimal` would take another
/// way (scales more than 19 apart, a result past 96 bits).
#[inline]
fn add_sub_rescaled(fa: u32, la: u64, fb: u32, lb: u64, apart: bool) -> Option<Decimal> {
    let (sa, sb) = ((fa & SCALE) >> 16, (fb & SCALE) >> 16);
    let up = u128::from(*POW10.get(sa.abs_diff(sb) as usize)?);
    let (x, y, scale) = if sa > sb {
        (u128::from(la), u128::from(lb) * up, sa)
    } else {
        (u128::from(la) * up, u128::from(lb), sb)
    };
    let negative = fa & SIGN != 0;
    let (m, negative) = if !apart {
        (x + y, negative)
    } else if x >= y {
        (x - y, negative)
    } else {
        (y - x, !negative)
    };
    if m >> 96 != 0 {
        return None;
    }
    Some(Decimal::from_parts(
        m as u32,
        (m >> 32) as u32,
        (m >> 64) as u32,
        negative,
        scale,
    ))
}

/// `Decimal`'s own sum or difference, kept out of line: [`add_sub`] stays small enough to be
/// inlined.
/// A zero operand, the usual reason to come here (a total at scale 2 and a zero at scale 0),
/// is taken as `Decimal` takes it, without its call.
#[inline(never)]
fn slow_add_sub(a: Decimal, b: Decimal, subtract: bool) -> Decimal {
    if a.is_zero() {
        return if subtract && !b.is_zero() { -b } else { b };
    }
    if b.is_zero() {
        return a;
    }
    if subtract { a - b } else { a + b }
}

/// A `Decimal`'s flags (sign and scale), and the low 64 and high 32 bits of its mantissa.
#[inline]
fn parts(d: Decimal) -> (u32, u64, u32) {
    let b = d.serialize();
    let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    (
        word(0),
        u64::from(word(4)) | (u64::from(word(8)) << 32),
        word(12),
    )
}

/// `d > 0`, without a comparison of two decimals.
fn positive(d: Decimal) -> bool {
    d.is_sign_positive() && !d.is_zero()
}

/// `a.cmp(&b)`: by the values, as `Decimal` compares them (`0`, `-0` and `0.00` are equal).
/// Operands of 64 bits are compared here, at their common scale when the scales differ.
#[inline]
fn compare(a: Decimal, b: Decimal) -> Ordering {
    let ((fa, la, ha), (fb, lb, hb)) = (parts(a), parts(b));
    if ha | hb == 0 {
        if fa == fb {
            // One sign, one scale: the magnitudes decide (reversed below zero).
            let o = la.cmp(&lb);
            return if fa & SIGN == 0 { o } else { o.reverse() };
        }
        // The signs decide unless both are non-zero and of one sign.
        let sign = |f: u32, l: u64| match (l, f & SIGN) {
            (0, _) => 0,
            (_, 0) => 1,
            _ => -1,
        };
        let (ga, gb) = (sign(fa, la), sign(fb, lb));
        if ga != gb || ga == 0 {
            return ga.cmp(&gb);
        }
        let (sa, sb) = ((fa & SCALE) >> 16, (fb & SCALE) >> 16);
        if let Some(&up) = POW10.get(sa.abs_diff(sb) as usize) {
            let up = u128::from(up);
            let o = if sa > sb {
                u128::from(la).cmp(&(u128::from(lb) * up))
            } else {
                (u128::from(la) * up).cmp(&u128::from(lb))
            };
            return if ga > 0 { o } else { o.reverse() };
        }
    }
    a.cmp(&b)
}

/// `a < b`, as [`compare`].
#[inline]
fn less(a: Decimal, b: Decimal) -> bool {
    compare(a, b) == Ordering::Less
}

/// `a.min(b)`, as [`compare`]: the same value, and the same operand on a tie, as
/// [`Decimal::min`].
#[inline]
fn min(a: Decimal, b: Decimal) -> Decimal {
    if compare(a, b) == Ordering::Greater {
        b
    } else {
        a
    }
}

/// `a == b`, as [`compare`].
#[inline]
fn same(a: Decimal, b: Decimal) -> bool {
    compare(a, b) == Ordering::Equal
}

/// The money `m` minutes of a lot worth `value` with `remaining` minutes left are worth:
/// `mul_div(value, m, remaining).round_dp(MONEY_DP)`, computed in integers by
/// [`integer_share`] nearly always.
fn share(value: Decimal, m: Minutes, remaining: Minutes) -> Decimal {
    integer_share(value, m, remaining)
        .unwrap_or_else(|| mul_div(value, m, remaining).round_dp(MONEY_DP))
}

/// [`share`] in integers, for positive operands (the first two of 64 bits) whose product
/// `Decimal` takes exactly (below 96 bits and 28 decimals); `None` leaves the rest to `Decimal`.
///
/// When the product divides exactly (prices are mostly whole per unit), the quotient has the
/// scale `Decimal` gives an exact quotient: the product's scale less the divisor's.
///
/// When it does not end within `MONEY_DP` decimals (a lot's value shared out over minutes that
/// do not divide it), the result is the quotient rounded half to even at `MONEY_DP` decimals.
/// `Decimal` divides first, to as many decimals as 96 bits hold (at least 22 below 10⁵), then
/// `round_dp` rounds half to even. Rounding twice gives what rounding once does here: with a
/// divisor below 10⁷, a quotient that does not end within 12 decimals is at least 10⁻¹⁹ from
/// any 12-decimal number or midpoint, far more than the first rounding moves it.
fn integer_share(a: Decimal, b: Decimal, c: Decimal) -> Option<Decimal> {
    let ((fa, am, ah), (fb, bm, bh), (fc, cl, ch)) = (parts(a), parts(b), parts(c));
    if (fa | fb | fc) & SIGN != 0 || ah | bh != 0 || am == 0 || bm == 0 || cl == 0 && ch == 0 {
        return None;
    }
    let (sa, sb, sc) = ((fa & SCALE) >> 16, (fb & SCALE) >> 16, (fc & SCALE) >> 16);
    let product = u128::from(am) * u128::from(bm);
    if product >> 96 != 0 || sa + sb > 28 {
        return None;
    }
    // Exact, at the difference of the scales.
    if let Some(scale) = (sa + sb).checked_sub(sc)
        && scale <= MONEY_DP
    {
        let (q, r) = if ch == 0 {
            div_rem(product, cl)
        } else {
            let cm = u128::from(cl) | (u128::from(ch) << 64);
            (product / cm, product % cm)
        };
        if r == 0 {
            return Some(from_u128(q, scale));
        }
    }
    // Rounded: the quotient in units of 10^-MONEY_DP is `product × 10^up / cl`.
    if ch != 0 || cl >= 10_000_000 {
        return None;
    }
    let up = (MONEY_DP + sc).checked_sub(sa + sb)?;
    let n = product.checked_mul(u128::from(*POW10.get(up as usize)?))?;
    let (q, r) = div_rem(n, cl);
    if r == 0 || q >= 100_000_000_000_000_000 {
        return None;
    }
    let cm = u128::from(cl);
    let up = 2 * r > cm || (2 * r == cm && q & 1 == 1);
    Some(from_u128(q + u128::from(up), MONEY_DP))
}

/// `n / d` and `n % d`, in 64 bits when `n` fits them (a division of 128 bits is a call).
fn div_rem(n: u128, d: u64) -> (u128, u128) {
    match u64::try_from(n) {
        Ok(n) => (u128::from(n / d), u128::from(n % d)),
        Err(_) => (n / u128::from(d), n % u128::from(d)),
    }
}

/// `(p / unit).floor() * unit` for positive minutes: the whole units in `p`. For mantissas
/// below 10⁹ (at a common scale) the floor is taken in integers: `Decimal`'s quotient keeps
/// more than 18 digits after the point, so its floor is the exact one. The product has the
/// unit's scale, as `Decimal`'s (a floor has scale 0).
fn whole_units(p: Minutes, unit: Minutes) -> Minutes {
    let ((fp, pm, ph), (fu, um, uh)) = (parts(p), parts(unit));
    let (ps, us) = ((fp & SCALE) >> 16, (fu & SCALE) >> 16);
    let k = ps.max(us);
    // The mantissa at scale `k`, when positive and below 10⁹ (64 bits suffice).
    let at_k = |f: u32, m: u64, h: u32, s: u32| {
        if f & SIGN != 0 || h != 0 {
            return None;
        }
        POW10
            .get((k - s) as usize)
            .and_then(|&t| m.checked_mul(t))
            .filter(|&x| x > 0 && x < 1_000_000_000)
    };
    match (at_k(fp, pm, ph, ps), at_k(fu, um, uh, us)) {
        (Some(p), Some(u)) => match p / u * um {
            0 => Decimal::ZERO,
            d => from_u128(u128::from(d), us),
        },
        _ => (p / unit).floor() * unit,
    }
}

/// A positive `Decimal` of mantissa `m` (below 2⁹⁶) and `scale`.
fn from_u128(m: u128, scale: u32) -> Decimal {
    Decimal::from_parts(m as u32, (m >> 32) as u32, (m >> 64) as u32, false, scale)
}

/// `a × b ÷ c` as exactly as `Decimal` allows, and never a panic: on overflow it divides
/// first; a zero divisor gives zero (callers never divide by an empty lot).
fn mul_div(a: Decimal, b: Decimal, c: Decimal) -> Decimal {
    if c.is_zero() {
        return Decimal::ZERO;
    }
    a.checked_mul(b)
        .and_then(|x| x.checked_div(c))
        .or_else(|| a.checked_div(c).and_then(|q| q.checked_mul(b)))
        .unwrap_or(Decimal::MAX)
}

/// ` (1h is reserved by approved quotes)` when time is reserved, else nothing.
fn reserved_note(reserved: Minutes) -> String {
    if reserved > Decimal::ZERO {
        format!(
            " ({} is reserved by approved quotes)",
            fmt_minutes(reserved)
        )
    } else {
        String::new()
    }
}

/// The entry's own description, else `fallback`.
fn describe(e: &Entry, fallback: &str) -> String {
    if e.description.is_empty() {
        fallback.to_string()
    } else {
        e.description.clone()
    }
}

fn state_word(s: QuoteState) -> &'static str {
    s.word()
}

/// Minutes as `1h30m`, `45m`, `-2h`, `12.5m`.
#[must_use]
pub fn fmt_minutes(m: Minutes) -> String {
    let sign = if m < Decimal::ZERO { "-" } else { "" };
    let m = m.abs();
    let h = (m / Decimal::from(60)).floor();
    let rest = (m - h * Decimal::from(60)).normalize();
    match (h.is_zero(), rest.is_zero()) {
        (true, _) => format!("{sign}{rest}m"),
        (false, true) => format!("{sign}{h}h"),
        (false, false) => format!("{sign}{h}h{rest}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    /// A `Decimal` with a small mantissa and scale: the shapes minutes and money take.
    fn dec() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            (1i64..100_000, 0u32..3),
            (1i64..10_000_000_000_000, 0u32..13),
            (1i64..i64::MAX, 0u32..29),
        ]
        .prop_map(|(m, s)| Decimal::new(m, s))
    }

    /// [`dec`], zeros (of any scale, `-0` too) and negatives.
    fn signed() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            dec(),
            dec().prop_map(|d| -d),
            (0u32..6, any::<bool>()).prop_map(|(s, neg)| {
                let mut z = Decimal::new(0, s);
                z.set_sign_negative(neg);
                z
            }),
            (1i64..100_000, 0u32..3).prop_map(|(m, s)| Decimal::new(-m, s)),
            Just(Decimal::MAX),
            Just(Decimal::MIN),
        ]
    }

    /// `d` at `k` more decimals, the same value (as far as 28 decimals and 96 bits allow).
    fn rescaled(d: Decimal, k: u32) -> Decimal {
        let mut r = d;
        r.rescale((d.scale() + k).min(28));
        r
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        #[test]
        fn the_integer_paths_give_the_decimal_results_scale_and_all(a in dec(), b in dec(), c in dec()) {
            let want = mul_div(a, b, c).round_dp(MONEY_DP);
            let got = share(a, b, c);
            prop_assert_eq!((got, got.scale()), (want, want.scale()));
            // Exact shares, as a lot's value shared out in whole minutes gives them.
            let whole = Decimal::new(b.mantissa() as i64 % 1000 + 1, 0);
            if let Some(v) = c.checked_mul(whole) {
                let want = mul_div(v, b, c).round_dp(MONEY_DP);
                let got = share(v, b, c);
                prop_assert_eq!((got, got.scale()), (want, want.scale()));
            }

            // Shares of lots whose value has 12 decimals, over few minutes: most of them do not
            // end within 12 decimals, and some end on a midpoint (halves of an odd last digit).
            let value = Decimal::new(a.mantissa() as i64 % 10_000_000_000_000_000, 12);
            for r in [c.mantissa() as i64 % 1000 + 1, 2, 8, 60, 540] {
                let (m, r) = (Decimal::new(b.mantissa() as i64 % r + 1, 0), Decimal::new(r, 0));
                let want = mul_div(value, m, r).round_dp(MONEY_DP);
                let got = share(value, m, r);
                prop_assert_eq!((got, got.scale()), (want, want.scale()), "{} {} {}", value, m, r);
            }

            let (p, unit) = (a.max(b), a.min(b));
            // Far outside minutes, `Decimal` itself overflows.
            if let Some(want) = p.checked_div(unit).and_then(|q| q.floor().checked_mul(unit)) {
                let got = whole_units(p, unit);
                prop_assert_eq!((got, got.scale()), (want, want.scale()));
            }

            for (x, y) in [(a, b), (b, a), (a, a), (a, a.round_dp(1)), (a, rescaled(a, 3))] {
                let (m, want) = (min(x, y), x.min(y));
                prop_assert_eq!((m, m.scale()), (want, want.scale()));
                prop_assert_eq!(same(x, y), x == y);
            }
        }

        /// The shortcuts of `drain`, `debit_unchecked` and `log` skip sums whose results these
        /// identities give; with `plus` and `minus` bit for bit `Decimal`'s, they are its own.
        #[test]
        fn the_sums_the_shortcuts_skip_give_what_they_assume(x in signed(), k in 0u32..6, neg in any::<bool>()) {
            let mut zero = Decimal::new(0, k);
            zero.set_sign_negative(neg);
            // `plus(ZERO, piece)` is `piece`.
            prop_assert_eq!(plus(Decimal::ZERO, x).serialize(), x.serialize());
            if !x.is_zero() {
                // `m` less a zero (what is left once all is taken) is `m`.
                prop_assert_eq!(minus(x, zero).serialize(), x.serialize());
                // `left` less itself is a zero: the loop stops, no shortfall is positive.
                prop_assert!(minus(x, x).is_zero());
                prop_assert!(!positive(minus(x, x)));
            }
            // A covering lot: `min(left, remaining)` is `left` unless `left` is greater.
            for r in [x, zero, -x, rescaled(x, k)] {
                let covers = compare(x, r) != Ordering::Greater;
                prop_assert_eq!(min(x, r).serialize() == x.serialize(), covers || x.serialize() == r.serialize());
            }
            // No grants: `min(m, ZERO)` and `m` less it, for `m` not below zero.
            if !x.is_sign_negative() {
                let from_grants = min(x, Decimal::ZERO);
                let want = if x.is_zero() { x } else { Decimal::ZERO };
                prop_assert_eq!(from_grants.serialize(), want.serialize());
                prop_assert_eq!(minus(x, from_grants).serialize(), x.serialize());
            }
        }

        #[test]
        fn comparisons_are_decimals(a in signed(), b in signed(), k in 0u32..24) {
            // Zeros of any scale and sign, equal values at other scales, negatives.
            for (x, y) in [(a, b), (b, a), (a, a), (a, -a), (a, rescaled(a, k)), (rescaled(a, k), -b)] {
                prop_assert_eq!(compare(x, y), x.cmp(&y), "{} <=> {}", x, y);
                prop_assert_eq!(less(x, y), x < y);
                prop_assert_eq!(same(x, y), x == y);
                let (m, want) = (min(x, y), x.min(y));
                prop_assert_eq!(m.serialize(), want.serialize(), "min({}, {})", x, y);
            }
        }

        #[test]
        fn sums_and_differences_are_decimals_bit_for_bit(a in signed(), b in signed(), k in 0u32..24) {
            // Zeros and negatives of both scales, equal operands, and equal values at other
            // scales (their difference a zero of the larger scale), included.
            for (x, y) in [
                (a, b),
                (b, a),
                (a, a),
                (a, -a),
                (a, a.round_dp(1)),
                (a, rescaled(a, k)),
                (rescaled(a, k), a),
                (-a, rescaled(b, k)),
            ] {
                if let Some(want) = x.checked_add(y) {
                    prop_assert_eq!(plus(x, y).serialize(), want.serialize(), "{} + {}", x, y);
                }
                if let Some(want) = x.checked_sub(y) {
                    prop_assert_eq!(minus(x, y).serialize(), want.serialize(), "{} - {}", x, y);
                }
            }
        }
    }

    #[test]
    fn packed_ids_differ_when_the_ids_do_and_long_ids_are_found_by_name() {
        let ids = [
            "",
            "a",
            "a-",
            "ab",
            "ba",
            "c000",
            "c0000",
            "c001",
            "acme",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "0123456789abcde",
        ];
        let keys: HashSet<u128> = ids.iter().map(|id| packed(id).unwrap()).collect();
        assert_eq!(keys.len(), ids.len());
        assert_eq!(packed("0123456789abcdef"), None);
        // A table of many ids finds each, and no other.
        let many: Vec<String> = (0..3000).map(|i| format!("c{i:03}")).collect();
        let table = PackedTable::new(
            many.iter()
                .enumerate()
                .filter(|(i, _)| i % 3 != 0)
                .map(|(i, id)| (packed(id).unwrap(), i as u32)),
        );
        for (i, id) in many.iter().enumerate() {
            let want = (i % 3 != 0).then_some(i as u32);
            assert_eq!(table.get(packed(id).unwrap()), want, "{id}");
        }
        assert_eq!(
            PackedTable::new(std::iter::empty()).get(packed("c0").unwrap()),
            None
        );
        // Ids of 15 and 16 bytes, a long one, and one a prefix of another, all in one book.
        let book = crate::testing::book(
            "[clients.c0123456789abcde]\n[clients.c0123456789abcdef]\n\
             [clients.a-client-with-a-very-long-id]\n[clients.c0]\n[clients.c00]\n",
        );
        let text = [
            "2026-01-05 buy c0123456789abcde 10h @ 100",
            "2026-01-05 buy c0123456789abcdef 5h @ 100",
            "2026-01-05 buy a-client-with-a-very-long-id 3h @ 100",
            "2026-01-05 buy c0 2h @ 100",
            "2026-01-06 log c0123456789abcdef 90m",
            "2026-01-06 log a-client-with-a-very-long-id 2h",
            "2026-01-06 log c00 1h",
            "2026-01-07 log c0123456789abcde 30m",
            "2026-01-07 log c0 45m",
            "2026-01-07 log c0123456789abcdeg 45m",
        ]
        .join("\n");
        let entries = crate::testing::entries(&book, &text);
        let opts = ReplayOptions::default();
        let batch = replay_with(&book, &entries, None, opts);
        let mut replayer = Replayer::new(&book, None, opts);
        for e in &entries {
            replayer.push(e.clone()).unwrap();
        }
        let streamed = replayer.finish().unwrap();
        assert_eq!(streamed.clients, batch.clients);
        assert_eq!(streamed.problems, batch.problems);
        assert_eq!(streamed.problems.len(), 1, "the one unknown client");
        // 90m under `accumulate`: one hour debited, 30m pending.
        assert_eq!(streamed.clients["c0123456789abcdef"].balance(), 240.into());
        assert_eq!(streamed.clients["c00"].totals.overage, 60.into());
    }

    #[test]
    fn the_calendar_steps_agree_with_the_general_date_arithmetic() {
        let mut d = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        while d.year() < 2029 {
            assert_eq!(day_after(d), d.checked_add_days(Days::new(1)).unwrap());
            let first = d.with_day(1).unwrap();
            assert_eq!(
                first_of_next_month(d),
                crate::model::add_months(first, 1).unwrap()
            );
            d = day_after(d);
        }
        assert_eq!(day_after(NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(first_of_next_month(NaiveDate::MAX), NaiveDate::MAX);
    }

    #[test]
    fn whole_units_and_shares_of_usual_minutes() {
        let d = |m: i64, s: u32| Decimal::new(m, s);
        for (p, unit) in [
            (d(90, 0), d(60, 0)),
            (d(900, 1), d(60, 0)),
            (d(120, 0), d(600, 1)),
            (d(61, 0), d(1, 0)),
        ] {
            let want = (p / unit).floor() * unit;
            let got = whole_units(p, unit);
            assert_eq!((got, got.scale()), (want, want.scale()), "{p} {unit}");
        }
        for (v, m, r) in [
            (d(1200, 0), d(60, 0), d(600, 0)),
            (d(1000, 0), d(60, 0), d(540, 0)),
            (d(120_000, 2), d(90, 1), d(600, 0)),
            // Divisors past 64 bits: exact, and not.
            (
                d(1024, 0),
                Decimal::from(1u64 << 60),
                Decimal::from(1u128 << 66),
            ),
            (
                d(1000, 0),
                Decimal::from(1u64 << 60),
                Decimal::from(1u128 << 66),
            ),
        ] {
            let want = mul_div(v, m, r).round_dp(MONEY_DP);
            let got = share(v, m, r);
            assert_eq!((got, got.scale()), (want, want.scale()), "{v} {m} {r}");
        }
    }
}
