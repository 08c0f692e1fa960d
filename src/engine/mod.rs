//! The balance engine. PURE: `replay(&Book, &[Entry], as_of)` → [`Replay`]; no clock, no I/O.
//!
//! Imports `source`, `diagnostic` and `model` only. Where each rule lives:
//!
//! - [`replay`](replay()) / [`replay_with`]: batch replay (`replay.rs`); [`Replayer`]: the same,
//!   fed one entry at a time (`stream.rs`); [`Partition`]: clients dealt out to threads
//!   (`partition.rs`).
//! - `run.rs`: one client's replay, its state and its events; `day.rs`: one date in the SPEC §4
//!   order (expire → plan → grant → entries in class order → assert), encoded once;
//!   `calendar.rs`: expiries and monthly grants up to a date (idle months in closed form).
//! - `lots.rs`: opening a lot, the consumption order, taking, draining, debits and the
//!   overdraft rule; `verbs/`: one file per verb of the journal.
//! - `number.rs`: [`Num`], the engine's one number (minutes and money: `Decimal`'s value and
//!   scale, the ordinary operators, integer fast paths inside); `text.rs`: words of the
//!   engine's messages (an event holds no words: `render/words.rs` words it from its
//!   [`Detail`]).

mod calendar;
mod day;
mod detail;
pub mod invariant;
mod lots;
mod number;
mod partition;
#[cfg(test)]
pub(crate) mod proptests;
mod replay;
mod run;
mod stream;
#[cfg(test)]
mod tests;
mod text;
mod verbs;

pub use detail::Detail;
pub use number::Num;
pub use partition::Partition;
pub use replay::{replay, replay_through, replay_with};
pub use stream::{Disordered, Replayer};

use crate::diagnostic::Diagnostic;
use crate::model::Minutes;
use crate::source::Span;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What kind of time a lot holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LotKind {
    /// Bought with `buy`.
    Purchase,
    /// A plan's monthly included time.
    Grant,
    /// A free lot from `adjust +`.
    Adjust,
}

impl LotKind {
    /// The SPEC's word: `purchase`, `grant`, `adjust`.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            LotKind::Purchase => "purchase",
            LotKind::Grant => "grant",
            LotKind::Adjust => "adjust",
        }
    }
}

/// How a grant lapses, beyond its last usable day: what rolls over, and whether it is warned
/// about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Lapse {
    /// Purchases, `adjust +` lots and grants that lapse after a span: the last usable day is
    /// all there is to it.
    #[default]
    Day,
    /// A grant that lapses at the end of its month: up to `rollover` of its unused time then
    /// moves to a new grant for the next month (the plan that made it decides).
    MonthEnd {
        /// The most that rolls over (0: nothing does).
        rollover: Minutes,
    },
    /// Time rolled over from the last month's grant: it lapses at month end and never rolls
    /// again.
    Rolled,
}

impl Lapse {
    /// A grant that lapses at the end of its month (rolled time included): never warned about.
    #[must_use]
    pub fn at_month_end(self) -> bool {
        !matches!(self, Lapse::Day)
    }
}

/// A lot: time bought (or granted) on one date, drained minute by minute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lot {
    /// The `ref:` of its `buy`, if any.
    pub reference: Option<String>,
    /// Purchase (or grant) date.
    pub date: NaiveDate,
    /// What kind of lot.
    pub kind: LotKind,
    /// Minutes bought or granted.
    pub minutes: Minutes,
    /// Minutes left.
    pub remaining: Num,
    /// Amount paid for the whole lot (0 for free lots), in the client's currency.
    pub paid: Decimal,
    /// Money value of the remaining minutes, kept exact as minutes are drained.
    pub value: Num,
    /// Last usable day; `None` = never expires.
    pub last_day: Option<NaiveDate>,
    /// Last day a refund is accepted (`refund_days` in force at purchase); `None` = not refundable.
    pub refund_until: Option<NaiveDate>,
    /// The order it was made in among the client's lots (its index in `ClientState::lots`
    /// when the history is kept; without it, closed grants leave the list, see
    /// [`replay_with`]): within a date, lots are made in the SPEC's order of their entries, never in read order,
    /// so this breaks ties of `fifo` whatever the order of the lines in the files.
    pub seq: u32,
    /// The entry that made it (default span for grants).
    pub span: Span,
    /// How it lapses (grants at month end, rolled time), beyond `last_day`.
    pub lapse: Lapse,
}

impl Lot {
    /// Price of one unit of `unit_minutes`, `None` for free lots.
    #[must_use]
    pub fn unit_price(&self, unit_minutes: Minutes) -> Option<Decimal> {
        if self.kind == LotKind::Purchase && !self.minutes.is_zero() {
            Some(self.paid * unit_minutes / self.minutes)
        } else {
            None
        }
    }

    /// Open: time left and not expired.
    #[must_use]
    pub fn is_open(&self) -> bool {
        self.remaining > Num::ZERO
    }
}

/// Where a quote stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteState {
    /// Awaiting the client's answer.
    Pending,
    /// Approved: its quantity is reserved.
    Approved,
    /// Rejected (before or after approval).
    Rejected,
    /// Delivered and debited.
    Done,
}

impl QuoteState {
    /// The word for people and scripts: `pending`, `approved`, `rejected`, `done`.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            QuoteState::Pending => "pending",
            QuoteState::Approved => "approved",
            QuoteState::Rejected => "rejected",
            QuoteState::Done => "done",
        }
    }
}

/// How a quote is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteKind {
    /// `quote`: a fixed price, debited in full by `done`; work logged on it is never debited.
    Quote,
    /// `estimate`: charged on the time actually logged against it; `done` debits nothing.
    Estimate,
}

impl QuoteKind {
    /// The journal word: `quote` or `estimate`.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            QuoteKind::Quote => "quote",
            QuoteKind::Estimate => "estimate",
        }
    }
}

/// A quote (or an estimate) of one client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Its id.
    pub id: String,
    /// Fixed (`quote`) or charged on actual time (`estimate`).
    pub kind: QuoteKind,
    /// Its cost (a quote) or expected time (an estimate) in minutes.
    pub minutes: Minutes,
    /// Where it stands.
    pub state: QuoteState,
    /// The reservation it still holds: its minutes from `approve`, less (for an estimate) the
    /// time logged against it; 0 once done or rejected.
    pub held: Minutes,
    /// The time logged against it (`log … quote:ID`).
    pub actual: Minutes,
    /// Date of the `quote` entry.
    pub date: NaiveDate,
    /// `due:` date, informational.
    pub due: Option<NaiveDate>,
    /// The quote's description.
    pub description: String,
}

/// Running totals of one client, in minutes and money (SPEC §4 invariant).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Minutes bought.
    pub bought: Minutes,
    /// Minutes granted by plans.
    pub granted: Minutes,
    /// Minutes added by `adjust +`.
    pub adjusted_in: Minutes,
    /// Minutes taken from lots by debits, plus time carried as debt.
    pub debited: Minutes,
    /// Minutes forfeited at expiry.
    pub expired: Minutes,
    /// Minutes refunded.
    pub refunded: Minutes,
    /// Minutes used by `apply`.
    pub applied: Minutes,
    /// Minutes of logs that were covered by the plan (never debited).
    pub covered: Minutes,
    /// Minutes logged (all `log` entries, covered or not).
    pub logged: Minutes,
    /// Minutes that ran past purchased time under `overdraft = "bill"`.
    pub overage: Minutes,
    /// Money paid for purchased lots.
    pub paid_in: Decimal,
    /// Money of the time debited.
    pub money_debited: Decimal,
    /// Money of the time expired.
    pub money_expired: Decimal,
    /// Money applied to projects.
    pub money_applied: Decimal,
    /// Money refunded.
    pub money_refunded: Decimal,
}

/// The kind of a statement line (SPEC §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A purchase.
    Buy,
    /// A monthly grant.
    Grant,
    /// Work logged (and perhaps debited).
    Log,
    /// Work logged under the plan's covered tags.
    Covered,
    /// Work logged on a fixed quote (never debited: `done` debits the quote).
    Quoted,
    /// A fixed debit.
    Debit,
    /// A quote delivered.
    Done,
    /// Time forfeited at expiry.
    Expire,
    /// A refund.
    Refund,
    /// Value applied to a project.
    Apply,
    /// A correction.
    Adjust,
    /// A quote made.
    Quote,
    /// An estimate made.
    Estimate,
    /// A quote approved.
    Approve,
    /// A quote rejected.
    Reject,
    /// A plan change.
    Plan,
    /// Overage invoiced.
    Bill,
    /// Unused included time moved from the grant that lapsed to the new month.
    Rollover,
}

impl EventKind {
    /// The SPEC's word for the kind.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            EventKind::Buy => "buy",
            EventKind::Grant => "grant",
            EventKind::Log => "log",
            EventKind::Covered => "covered",
            EventKind::Quoted => "quoted",
            EventKind::Debit => "debit",
            EventKind::Done => "done",
            EventKind::Expire => "expire",
            EventKind::Refund => "refund",
            EventKind::Apply => "apply",
            EventKind::Adjust => "adjust",
            EventKind::Quote => "quote",
            EventKind::Estimate => "estimate",
            EventKind::Approve => "approve",
            EventKind::Reject => "reject",
            EventKind::Plan => "plan",
            EventKind::Bill => "bill",
            EventKind::Rollover => "rollover",
        }
    }
}

/// One line of a client's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Its date (expiries: the day after the last usable day).
    pub date: NaiveDate,
    /// Its kind.
    pub kind: EventKind,
    /// Minutes worked (logs), else `None`.
    pub logged: Option<Minutes>,
    /// Minutes charged (taken from lots, carried, or run into overage); `None` when nothing was.
    pub debited: Option<Minutes>,
    /// The part of `debited` that ran into overage under `overdraft = "bill"` (no lot paid
    /// for it, so it does not lower the balance); `None` when none did.
    pub overage: Option<Minutes>,
    /// Minutes added to the balance (buy, grant, adjust +), negative for expiries and refunds.
    pub credited: Option<Minutes>,
    /// The balance after the line.
    pub balance: Minutes,
    /// Money that moved (paid, refunded, applied), in the client's currency, exact.
    pub amount: Option<Decimal>,
    /// Read order of the entry behind it (`None` for expiries and grants).
    pub seq: Option<u32>,
    /// The tags, `project:` and quote of the entry behind it, what filters read; `None`
    /// when it has none (boxed: most events have none, and a history can be long).
    pub labels: Option<Box<Labels>>,
    /// What it is about, as data (names, references, dates) for reports that word it.
    pub detail: Detail,
}

/// What an event's entry is labelled with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels {
    /// The `#tags` (what `--tag` filters on).
    pub tags: Vec<compact_str::CompactString>,
    /// The `project:`, if any.
    pub project: Option<compact_str::CompactString>,
    /// The quote or estimate it concerns: a log's `quote:`, or the id of a `quote`,
    /// `estimate`, `approve`, `reject` or `done`.
    pub quote: Option<compact_str::CompactString>,
}

impl Event {
    /// The entry's tags.
    #[must_use]
    pub fn tags(&self) -> &[compact_str::CompactString] {
        self.labels.as_ref().map_or(&[], |l| &l.tags)
    }

    /// The entry's `project:`.
    #[must_use]
    pub fn project(&self) -> Option<&str> {
        self.labels.as_ref()?.project.as_deref()
    }

    /// The quote or estimate the event concerns.
    #[must_use]
    pub fn quote(&self) -> Option<&str> {
        self.labels.as_ref()?.quote.as_deref()
    }
}

/// One client's state after a replay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientState {
    /// The plan in force, if any.
    pub plan: Option<String>,
    /// Every lot ever made, in the order made (drained and expired ones included).
    pub lots: Vec<Lot>,
    /// Logged time waiting to complete a unit (`accumulate`).
    pub pending: Minutes,
    /// Debt carried under `overdraft = "carry"` (positive number of minutes).
    pub debt: Minutes,
    /// Overage not yet marked by `bill`.
    pub overage: Minutes,
    /// Quotes by id.
    pub quotes: BTreeMap<String, Quote>,
    /// Running totals.
    pub totals: Totals,
    /// The client's history, in order.
    pub events: Vec<Event>,
    /// Which lots each event took time from (or expired, refunded, applied), in order.
    pub draws: Vec<Draw>,
    /// With [`ReplayOptions::sums`], the history but its last event, summed by date and kind
    /// (events that logged and debited nothing left out).
    pub sums: Vec<EventSum>,
    /// Minutes taken from lots and grants by `log`, `debit`, `done` and `adjust -` entries
    /// dated on or after [`ReplayOptions::burn_from`] (0 without it): the forecast's burn.
    pub burn: Minutes,
}

/// The minutes of a client's events of one kind on one date, added up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSum {
    /// The date.
    pub date: NaiveDate,
    /// The kind.
    pub kind: EventKind,
    /// The sum of the events' `logged`.
    pub logged: Minutes,
    /// The sum of the events' `debited`.
    pub debited: Minutes,
}

impl EventSum {
    /// Add `e` to the sums: to the last one when of its date and kind, else as a new one.
    /// An event that logged and debited nothing adds nothing.
    pub fn add(sums: &mut Vec<EventSum>, e: &Event) {
        let (logged, debited) = (e.logged.unwrap_or_default(), e.debited.unwrap_or_default());
        if logged.is_zero() && debited.is_zero() {
            return;
        }
        match sums.last_mut() {
            Some(s) if s.date == e.date && s.kind == e.kind => {
                s.logged += logged;
                s.debited += debited;
            }
            _ => sums.push(EventSum {
                date: e.date,
                kind: e.kind,
                logged,
                debited,
            }),
        }
    }
}

/// Time taken from one lot by one event: what lets an export post each lot at its cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draw {
    /// Index of the event in `ClientState::events`.
    pub event: usize,
    /// Index of the lot in `ClientState::lots`.
    pub lot: usize,
    /// Minutes taken.
    pub minutes: Minutes,
    /// Money those minutes were worth (exact, 0 for free lots).
    pub money: Decimal,
}

impl ClientState {
    /// Remaining time in all open lots (grants included) minus carried debt.
    #[must_use]
    pub fn balance(&self) -> Minutes {
        Decimal::from(self.lots.iter().map(|l| l.remaining).sum::<Num>()) - self.debt
    }

    /// Minutes reserved by approved quotes and estimates.
    #[must_use]
    pub fn reserved(&self) -> Minutes {
        self.quotes
            .values()
            .filter(|q| q.state == QuoteState::Approved)
            .map(|q| q.held)
            .sum()
    }

    /// Included (granted) time left.
    #[must_use]
    pub fn included_left(&self) -> Minutes {
        self.lots
            .iter()
            .filter(|l| l.kind == LotKind::Grant)
            .map(|l| l.remaining)
            .sum::<Num>()
            .dec()
    }

    /// Money value of the remaining purchased time, exact.
    #[must_use]
    pub fn value(&self) -> Decimal {
        self.lots.iter().map(|l| l.value).sum::<Num>().dec()
    }
}

/// What a replay keeps beside each client's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplayOptions {
    /// Keep every client's history (`ClientState::events`), with its details. Statements
    /// need it; `balance` and `check` do not, and replay faster and leaner without it.
    pub events: bool,
    /// With `events`, keep only the history from this day on, and the last event before it
    /// (whose balance opens the period): what a statement shows, in the memory of its period.
    /// `None`: the whole history.
    pub events_from: Option<NaiveDate>,
    /// With `events`, keep the history as sums per date and kind (`ClientState::sums`), all
    /// but the last event (which stays in `events`): what `usage` adds up, in little memory.
    pub sums: bool,
    /// The first day of the forecast's window: minutes that `log`, `debit`, `done` and
    /// `adjust -` entries dated on or after it take from lots and grants are summed in
    /// `ClientState::burn` (the window ends where the replay does). `None`: not summed.
    pub burn_from: Option<NaiveDate>,
    /// With `events`, keep only the events of entries with a `project:` (no draws): what
    /// `projects` adds up, in the memory of those events.
    pub projects: bool,
}

impl Default for ReplayOptions {
    /// The full replay: history kept.
    fn default() -> ReplayOptions {
        ReplayOptions {
            events: true,
            events_from: None,
            sums: false,
            burn_from: None,
            projects: false,
        }
    }
}

impl ReplayOptions {
    /// No history: what `balance`, `check`, `expiring` and `clients` need.
    pub const STATES: ReplayOptions = ReplayOptions {
        events: false,
        events_from: None,
        sums: false,
        burn_from: None,
        projects: false,
    };

    /// These options, with the forecast's window of 90 days that ends on `today` (SPEC
    /// §8.6): from `today − 89` on, the minutes taken are summed in `ClientState::burn`.
    #[must_use]
    pub fn with_forecast(self, today: NaiveDate) -> ReplayOptions {
        ReplayOptions {
            burn_from: Some(
                today
                    .checked_sub_days(chrono::Days::new(FORECAST_DAYS - 1))
                    .unwrap_or(NaiveDate::MIN),
            ),
            ..self
        }
    }
}

/// The forecast's window, in days: the burn is the time taken in the last 90 days.
pub const FORECAST_DAYS: u64 = 90;

/// Everything a replay found.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    /// The date replayed through.
    pub as_of: Option<NaiveDate>,
    /// Every client of the book, by id.
    pub clients: BTreeMap<String, ClientState>,
    /// Problems: unknown names, refused debits, failed assertions…
    pub problems: Vec<Diagnostic>,
    /// Entries dated after `as_of`, left out.
    pub later_entries: usize,
}
