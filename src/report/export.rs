//! `credits export`: the book's purchases and consumption as dated, balanced transactions of
//! postings, neutral of any accounting tool (`render::export` writes hledger, ledger,
//! beancount, CSV and JSON from them).
//!
//! Time is posted in minutes (commodity `MIN`), so every quantity is exact (20 minutes is not
//! a finite number of hours). Each client has its own accounts; `assets:prepaid:CLIENT` holds
//! the client's time and its balance is `credits balance` exactly. Time taken from a
//! purchased lot leaves it at that lot's cost (the engine's [`Draw`]s), so the prepaid
//! account's cost basis is the value `credits balance` shows.
//!
//! [`transactions`] makes them one at a time from a whole replay, merging the clients'
//! histories by date; [`export`] collects them. [`Streamed`] makes the same ones, in the same
//! order, while the replay runs: each time every history is final before a date, it takes
//! their transactions and clears the histories, so that an export holds a day at a time.

use crate::engine::{ClientState, Draw, EventKind, LotKind, Replay};
use crate::model::{Book, Currency, Minutes};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The commodity time is posted in: minutes.
pub const COMMODITY: &str = "MIN";

/// An account of one client; its path is `[top, middle, client]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Account {
    /// `assets:prepaid`: the client's time (minutes, at cost). Its balance is the balance.
    Prepaid,
    /// `income:sales`: money paid for lots.
    Sales,
    /// `income:granted`: included time from plans.
    Granted,
    /// `equity:adjustments`: `adjust +` and `adjust -`.
    Adjustments,
    /// `expenses:consumed`: time debited (at cost; free time in minutes).
    Consumed,
    /// `expenses:expired`: time forfeited at expiry.
    Expired,
    /// `expenses:refunded`: time refunded (at cost: the money paid back).
    Refunded,
    /// `expenses:applied`: value applied to fixed-price projects.
    Applied,
    /// `expenses:carried`: time debited on credit (`overdraft = "carry"`), until a purchase
    /// pays for it.
    Carried,
    /// `assets:overage`: overage time not yet invoiced (`overdraft = "bill"`).
    Overage,
    /// `income:overage`: overage time worked.
    OverageWorked,
    /// `assets:receivable`: overage invoiced with `bill`, at the client's rate.
    Receivable,
    /// `equity:opening`: what a period-limited export brings forward from before its first
    /// day (the other side of the opening balance).
    Opening,
}

impl Account {
    /// The account's first two components, lowercase: `["assets", "prepaid"]`.
    #[must_use]
    pub fn path(self) -> [&'static str; 2] {
        match self {
            Account::Prepaid => ["assets", "prepaid"],
            Account::Sales => ["income", "sales"],
            Account::Granted => ["income", "granted"],
            Account::Adjustments => ["equity", "adjustments"],
            Account::Consumed => ["expenses", "consumed"],
            Account::Expired => ["expenses", "expired"],
            Account::Refunded => ["expenses", "refunded"],
            Account::Applied => ["expenses", "applied"],
            Account::Carried => ["expenses", "carried"],
            Account::Overage => ["assets", "overage"],
            Account::OverageWorked => ["income", "overage"],
            Account::Receivable => ["assets", "receivable"],
            Account::Opening => ["equity", "opening"],
        }
    }
}

/// What a posting moves: minutes, or money in the client's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// Minutes (commodity [`COMMODITY`]).
    Minutes(Minutes),
    /// Money, exact.
    Money(Decimal),
}

/// One posting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    /// The account (of the transaction's client).
    pub account: Account,
    /// What moves.
    pub quantity: Quantity,
    /// For minutes at a cost: the total cost of these minutes (same sign as the minutes),
    /// in the client's currency. The transaction balances at this cost.
    pub cost: Option<Decimal>,
}

/// One balanced transaction: an event of a client's history that moves time or money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// Its date.
    pub date: NaiveDate,
    /// The client.
    pub client: String,
    /// The client's currency.
    pub currency: Currency,
    /// The event's kind word (`buy`, `log`, `expire`…).
    pub kind: &'static str,
    /// The event's description.
    pub description: String,
    /// `ref:` of the lot bought, if any.
    pub reference: Option<String>,
    /// Its postings; minutes sum to zero, and money plus costs sum to zero.
    pub postings: Vec<Posting>,
}

/// The export: every transaction through `as_of`, by date then client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The date replayed through.
    pub as_of: NaiveDate,
    /// The book's name.
    pub book: String,
    /// Minutes in one unit.
    pub unit_minutes: Minutes,
    /// The transactions.
    pub transactions: Vec<Transaction>,
}

fn minutes(account: Account, m: Minutes) -> Posting {
    Posting {
        account,
        quantity: Quantity::Minutes(m),
        cost: None,
    }
}

fn money(account: Account, amount: Decimal) -> Posting {
    Posting {
        account,
        quantity: Quantity::Money(amount),
        cost: None,
    }
}

/// Move drawn minutes out of `from` into `to`: at cost when the lot was paid for (the sink
/// receives the money), in minutes when it was free.
fn drawn(postings: &mut Vec<Posting>, draws: &[Draw], from: Account, to: Account) {
    for d in draws.iter().filter(|d| !d.minutes.is_zero()) {
        if d.money.is_zero() {
            postings.push(minutes(from, -d.minutes));
            postings.push(minutes(to, d.minutes));
        } else {
            postings.push(Posting {
                account: from,
                quantity: Quantity::Minutes(-d.minutes),
                cost: Some(-d.money),
            });
            postings.push(money(to, d.money));
        }
    }
}

/// The transactions of every client of `book` in `replay`, all at once.
#[must_use]
pub fn export(book: &Book, replay: &Replay, as_of: NaiveDate) -> Export {
    Export {
        as_of,
        book: book.name.clone(),
        unit_minutes: book.unit_minutes,
        transactions: transactions(book, replay).collect(),
    }
}

/// The transactions of every client of `book` in `replay`, by date, then client, then the
/// order of the client's history, made one at a time as they are read: an export is written
/// as it goes, never held.
#[must_use]
pub fn transactions<'r>(book: &'r Book, replay: &'r Replay) -> Transactions<'r> {
    transactions_in(book, replay, &Window::default())
}

/// Which transactions an export writes: all of them, or those of a period (the balances
/// before it brought forward), of one client, or those a filter keeps.
#[derive(Debug, Clone, Default)]
pub struct Window<'f> {
    /// Only this client.
    pub client: Option<&'f str>,
    /// The first day: each client's transactions before it are summed into one opening
    /// transaction on this day, which brings its asset accounts' balances forward (so the
    /// balances at the end are the same), against `equity:opening`.
    pub from: Option<NaiveDate>,
    /// With `from`, bring the balances forward in an opening transaction (journals for
    /// hledger, ledger and beancount); else the transactions before `from` are left out.
    pub bring_forward: bool,
    /// Only the transactions of the events this filter keeps (CSV and JSON: a filtered
    /// journal no longer adds up to the balance).
    pub filter: Option<&'f super::Filter>,
    /// How a transaction's event is described (`render::words::event`); `None`: by the
    /// entry's own words alone.
    pub words: Option<super::Words>,
}

/// [`transactions`] in a [`Window`].
#[must_use]
pub fn transactions_in<'r>(
    book: &'r Book,
    replay: &'r Replay,
    window: &Window<'r>,
) -> Transactions<'r> {
    let mut clients: Vec<ClientTransactions<'r>> = replay
        .clients
        .iter()
        .filter(|(id, _)| book.clients.contains_key(*id))
        .filter(|(id, _)| window.client.is_none_or(|c| c == *id))
        .map(|(id, state)| ClientTransactions {
            cursor: Cursor::new(id, book, window),
            state,
        })
        .collect();
    let heads: Vec<Option<Transaction>> = clients.iter_mut().map(Iterator::next).collect();
    let queue = heads
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.as_ref().map(|t| Reverse((t.date, i))))
        .collect();
    Transactions {
        clients,
        heads,
        queue,
    }
}

/// Every client's transactions merged by date (of one date, clients in id order): see
/// [`transactions`].
pub struct Transactions<'r> {
    clients: Vec<ClientTransactions<'r>>,
    /// Each client's next transaction.
    heads: Vec<Option<Transaction>>,
    /// (date, client) of each head, earliest first.
    queue: BinaryHeap<Reverse<(NaiveDate, usize)>>,
}

impl Iterator for Transactions<'_> {
    type Item = Transaction;

    fn next(&mut self) -> Option<Transaction> {
        let Reverse((_, i)) = self.queue.pop()?;
        let t = self.heads[i].take();
        self.heads[i] = self.clients[i].next();
        if let Some(next) = &self.heads[i] {
            self.queue.push(Reverse((next.date, i)));
        }
        t
    }
}

/// One client's transactions, one event of its history at a time (a history runs in date
/// order, so these come in date order too).
struct ClientTransactions<'r> {
    cursor: Cursor<'r>,
    state: &'r ClientState,
}

impl Iterator for ClientTransactions<'_> {
    type Item = Transaction;

    fn next(&mut self) -> Option<Transaction> {
        self.cursor.next_in(self.state, None)
    }
}

/// Where one client's transactions stand in its history: what has been read of it, and what
/// is carried from one event to the next. The history is given to each call, so that it can
/// be read while the replay runs, and cleared once read ([`Cursor::restart`]).
struct Cursor<'r> {
    id: &'r str,
    book: &'r Book,
    currency: Currency,
    /// The next event.
    event: usize,
    /// The first draw of the next event (draws are in event order).
    draw: usize,
    /// The next purchased lot: each `buy` event made one, in the same order.
    lot: usize,
    /// The balance before the next event.
    before: Minutes,
    /// Overage worked and not yet billed.
    overage: Minutes,
    /// Transactions before this day are brought forward ([`Window::from`]).
    from: Option<NaiveDate>,
    /// Bring the balances before `from` forward (else leave them out).
    bring: bool,
    /// What is brought forward: per asset account, minutes at a cost (and the cost), free
    /// minutes, and money.
    forward: Vec<(Account, Forward)>,
    /// The opening transaction, made once the first transaction of the period is met, and
    /// given before it.
    pending: Option<Transaction>,
    /// Only the transactions of events this keeps.
    filter: Option<&'r super::Filter>,
    /// How an event is described.
    words: Option<super::Words>,
}

/// What one account brings forward from before a period.
#[derive(Debug, Clone, Copy, Default)]
struct Forward {
    costed: Minutes,
    cost: Decimal,
    free: Minutes,
    money: Decimal,
}

impl<'r> Cursor<'r> {
    fn new(id: &'r str, book: &'r Book, window: &Window<'r>) -> Cursor<'r> {
        Cursor {
            id,
            book,
            currency: book.currency_of(id),
            event: 0,
            draw: 0,
            lot: 0,
            before: Decimal::ZERO,
            overage: Decimal::ZERO,
            from: window.from,
            bring: window.bring_forward,
            forward: Vec::new(),
            pending: None,
            filter: window.filter,
            words: window.words,
        }
    }

    /// The history read so far was cleared: read the next one from its start.
    fn restart(&mut self) {
        self.event = 0;
        self.draw = 0;
    }

    /// Add `t`, dated before the period, to what is brought forward.
    fn bring_forward(&mut self, t: &Transaction) {
        for p in &t.postings {
            if !matches!(
                p.account,
                Account::Prepaid | Account::Overage | Account::Receivable
            ) {
                continue;
            }
            let i = match self.forward.iter().position(|(a, _)| *a == p.account) {
                Some(i) => i,
                None => {
                    self.forward.push((p.account, Forward::default()));
                    self.forward.len() - 1
                }
            };
            let f = &mut self.forward[i].1;
            match (p.quantity, p.cost) {
                // Overage is time, not bought at a cost: a `bill` moves its money to
                // `assets:receivable`, which brings it forward.
                (Quantity::Minutes(m), Some(_)) if p.account == Account::Overage => f.free += m,
                (Quantity::Minutes(m), Some(c)) => {
                    f.costed += m;
                    f.cost += c;
                }
                (Quantity::Minutes(m), None) => f.free += m,
                (Quantity::Money(v), _) => f.money += v,
            }
        }
    }

    /// The opening transaction on `date`: each asset account's balance brought forward,
    /// against `equity:opening`; `None` when there is nothing to bring.
    fn opening(&mut self, date: NaiveDate) -> Option<Transaction> {
        let mut p = Vec::new();
        let (mut free, mut money_total) = (Decimal::ZERO, Decimal::ZERO);
        self.forward.sort_by_key(|(a, _)| a.path());
        for (account, f) in std::mem::take(&mut self.forward) {
            if !f.costed.is_zero() {
                p.push(Posting {
                    account,
                    quantity: Quantity::Minutes(f.costed),
                    cost: Some(f.cost),
                });
                money_total += f.cost;
            } else if !f.cost.is_zero() {
                p.push(money(account, f.cost));
                money_total += f.cost;
            }
            if !f.free.is_zero() {
                p.push(minutes(account, f.free));
                free += f.free;
            }
            if !f.money.is_zero() {
                p.push(money(account, f.money));
                money_total += f.money;
            }
        }
        if p.is_empty() {
            return None;
        }
        if !money_total.is_zero() {
            p.push(money(Account::Opening, -money_total));
        }
        if !free.is_zero() {
            p.push(minutes(Account::Opening, -free));
        }
        Some(Transaction {
            date,
            client: self.id.to_string(),
            currency: self.currency,
            kind: "opening",
            description: format!("balance brought forward to {date}"),
            reference: None,
            postings: p,
        })
    }

    /// The purchased lot of the next `buy` event.
    fn next_purchase<'s>(&mut self, state: &'s ClientState) -> Option<&'s crate::engine::Lot> {
        let lots = &state.lots;
        while let Some(l) = lots.get(self.lot) {
            self.lot += 1;
            if l.kind == LotKind::Purchase {
                return Some(l);
            }
        }
        None
    }

    /// The draws of event `i`.
    fn draws_of<'s>(&mut self, state: &'s ClientState, i: usize) -> &'s [Draw] {
        let all = &state.draws;
        while all.get(self.draw).is_some_and(|d| d.event < i) {
            self.draw += 1;
        }
        let first = self.draw;
        while all.get(self.draw).is_some_and(|d| d.event == i) {
            self.draw += 1;
        }
        &all[first..self.draw]
    }

    /// The transaction of event `i`, if it moves anything.
    fn of_event(&mut self, state: &ClientState, i: usize) -> Option<Transaction> {
        let ev = &state.events[i];
        let draws = self.draws_of(state, i);
        let lot = if ev.kind == EventKind::Buy {
            self.next_purchase(state)
        } else {
            None
        };
        let mut p = Vec::new();
        let from_lots: Minutes = draws.iter().map(|d| d.minutes).sum();
        let mut reference = None;
        match ev.kind {
            EventKind::Buy | EventKind::Grant | EventKind::Adjust
                if ev.credited.is_some_and(|c| c > Decimal::ZERO) =>
            {
                let m = ev.credited.unwrap_or_default();
                match ev.kind {
                    EventKind::Buy => {
                        let paid = ev.amount.unwrap_or_default();
                        p.push(Posting {
                            account: Account::Prepaid,
                            quantity: Quantity::Minutes(m),
                            cost: Some(paid),
                        });
                        p.push(money(Account::Sales, -paid));
                        reference = lot.and_then(|l| l.reference.clone());
                    }
                    EventKind::Grant => {
                        p.push(minutes(Account::Prepaid, m));
                        p.push(minutes(Account::Granted, -m));
                    }
                    _ => {
                        p.push(minutes(Account::Prepaid, m));
                        p.push(minutes(Account::Adjustments, -m));
                    }
                }
                // Draws here repay carried debt: the new lot's minutes fill the hole the
                // carried time left in the prepaid account (at the lot's cost), and the
                // carried time is now consumed time that has been paid for.
                for d in draws.iter().filter(|d| !d.minutes.is_zero()) {
                    if d.money.is_zero() {
                        p.push(minutes(Account::Carried, -d.minutes));
                        p.push(minutes(Account::Consumed, d.minutes));
                    } else {
                        let one = std::slice::from_ref(d);
                        drawn(&mut p, one, Account::Prepaid, Account::Consumed);
                        p.push(minutes(Account::Prepaid, d.minutes));
                        p.push(minutes(Account::Carried, -d.minutes));
                    }
                }
            }
            EventKind::Expire => drawn(&mut p, draws, Account::Prepaid, Account::Expired),
            EventKind::Refund => drawn(&mut p, draws, Account::Prepaid, Account::Refunded),
            EventKind::Apply => drawn(&mut p, draws, Account::Prepaid, Account::Applied),
            EventKind::Log | EventKind::Debit | EventKind::Done | EventKind::Adjust => {
                let sink = if ev.kind == EventKind::Adjust {
                    Account::Adjustments
                } else {
                    Account::Consumed
                };
                drawn(&mut p, draws, Account::Prepaid, sink);
                let charged = ev.debited.unwrap_or_default();
                // What the balance lost beyond the lots drained was carried as debt; the
                // rest of the charge ran into overage.
                let carried = (self.before - ev.balance - from_lots).max(Decimal::ZERO);
                let over = (charged - from_lots - carried).max(Decimal::ZERO);
                if carried > Decimal::ZERO {
                    p.push(minutes(Account::Prepaid, -carried));
                    p.push(minutes(Account::Carried, carried));
                }
                if over > Decimal::ZERO {
                    self.overage += over;
                    p.push(minutes(Account::Overage, over));
                    p.push(minutes(Account::OverageWorked, -over));
                }
            }
            EventKind::Bill if self.overage > Decimal::ZERO => {
                match ev.amount {
                    Some(a) => {
                        p.push(Posting {
                            account: Account::Overage,
                            quantity: Quantity::Minutes(-self.overage),
                            cost: Some(-a),
                        });
                        p.push(money(Account::Receivable, a));
                    }
                    None => {
                        p.push(minutes(Account::Overage, -self.overage));
                        p.push(minutes(Account::Receivable, self.overage));
                    }
                }
                self.overage = Decimal::ZERO;
            }
            _ => {}
        }
        self.before = ev.balance;
        (!p.is_empty()).then(|| Transaction {
            date: ev.date,
            client: self.id.to_string(),
            currency: self.currency,
            kind: ev.kind.word(),
            description: self.describe(ev),
            reference,
            postings: p,
        })
    }
}

impl Cursor<'_> {
    /// The next transaction of `state`'s history, or `None` when it is read. With `settled`,
    /// the history is final before that day only (more may come); without, it is complete.
    fn next_in(&mut self, state: &ClientState, settled: Option<NaiveDate>) -> Option<Transaction> {
        if let Some(t) = self.pending.take() {
            return Some(t);
        }
        while self.event < state.events.len() {
            let i = self.event;
            self.event += 1;
            let Some(t) = self.of_event(state, i) else {
                continue;
            };
            if let Some(from) = self.from {
                if t.date < from {
                    if self.bring {
                        self.bring_forward(&t);
                    }
                    continue;
                }
                // The first transaction of the period: the opening one comes before it.
                self.from = None;
                if let Some(open) = self.opening(from) {
                    self.pending = self.keeps(state, i).then_some(t);
                    return Some(open);
                }
            }
            if self.keeps(state, i) {
                return Some(t);
            }
        }
        // A period with no transaction of its own still opens with the balance, once every
        // transaction before it is known.
        if settled.is_some_and(|s| self.from.is_none_or(|from| from >= s)) {
            return None;
        }
        let from = self.from.take()?;
        self.opening(from)
    }

    /// True when the filter (if any) keeps event `i`.
    fn keeps(&self, state: &ClientState, i: usize) -> bool {
        self.filter.is_none_or(|f| {
            state
                .events
                .get(i)
                .is_some_and(|e| f.matches(e, || self.describe(e)))
        })
    }

    /// The description of `e`.
    fn describe(&self, e: &crate::engine::Event) -> String {
        match self.words {
            Some(words) => words(self.book, e),
            None => e.detail.text.clone(),
        }
    }
}

/// The export written while the replay runs: each time every client's history is final
/// before a day, [`Streamed::settled`] gives the transactions not yet given, in the order of
/// [`transactions_in`], and clears the histories; [`Streamed::finished`] gives the rest. The
/// transactions are the same, in the same order, as [`transactions_in`] of the whole replay.
pub struct Streamed<'r> {
    /// The clients of the window, in id order.
    clients: Vec<Cursor<'r>>,
    /// (date, client, transaction) of one call, put in order.
    batch: Vec<(NaiveDate, usize, Transaction)>,
}

impl<'r> Streamed<'r> {
    /// The export of `book` in `window`, to be fed the histories of a replay of it.
    #[must_use]
    pub fn new(book: &'r Book, window: &Window<'r>) -> Streamed<'r> {
        let clients = book
            .clients
            .keys()
            .filter(|id| window.client.is_none_or(|c| c == id.as_str()))
            .map(|id| Cursor::new(id, book, window))
            .collect();
        Streamed {
            clients,
            batch: Vec::new(),
        }
    }

    /// Every client's history is final before `before`: give `out` the transactions made
    /// from it, in order, and clear the histories (every client's, in id order, those the
    /// window leaves out too).
    pub fn settled<'s>(
        &mut self,
        histories: impl Iterator<Item = (&'s str, &'s mut ClientState)>,
        before: NaiveDate,
        out: &mut impl FnMut(Transaction),
    ) {
        self.give(histories, Some(before), &mut |_, t| out(t));
    }

    /// [`Streamed::settled`], each transaction given with its client's place among the
    /// book's clients in id order (what orders the transactions of one date).
    pub fn settled_placed<'s>(
        &mut self,
        histories: impl Iterator<Item = (&'s str, &'s mut ClientState)>,
        before: NaiveDate,
        out: &mut impl FnMut(usize, Transaction),
    ) {
        self.give(histories, Some(before), out);
    }

    /// [`Streamed::finished`], each transaction given with its client's place, as
    /// [`Streamed::settled_placed`] gives it.
    pub fn finished_placed<'s>(
        &mut self,
        histories: impl Iterator<Item = (&'s str, &'s mut ClientState)>,
        out: &mut impl FnMut(usize, Transaction),
    ) {
        self.give(histories, None, out);
    }

    /// The replay has ended: give `out` every transaction not yet given, in order.
    pub fn finished<'s>(
        &mut self,
        histories: impl Iterator<Item = (&'s str, &'s mut ClientState)>,
        out: &mut impl FnMut(Transaction),
    ) {
        self.give(histories, None, &mut |_, t| out(t));
    }

    fn give<'s>(
        &mut self,
        histories: impl Iterator<Item = (&'s str, &'s mut ClientState)>,
        settled: Option<NaiveDate>,
        out: &mut impl FnMut(usize, Transaction),
    ) {
        let mut k = 0;
        for (id, state) in histories {
            while self.clients.get(k).is_some_and(|c| c.id < id) {
                k += 1;
            }
            if let Some(c) = self.clients.get_mut(k).filter(|c| c.id == id) {
                while let Some(t) = c.next_in(state, settled) {
                    self.batch.push((t.date, k, t));
                }
                c.restart();
            }
            state.events.clear();
            state.draws.clear();
        }
        // By date, then client; of one client, in the order made (a stable sort).
        self.batch.sort_by_key(|(date, k, _)| (*date, *k));
        for (_, k, t) in self.batch.drain(..) {
            out(k, t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{dec, replay_str};
    use std::collections::BTreeMap;

    const BOOK: &str = r#"
[book]
name = "Test"
currency = "USD"

[plans.care]
monthly = "1h"
covered = ["support"]

[clients.acme]
name = "Acme"
rate = "150"

[clients.carry]
name = "Carry"
overdraft = "carry"
debit = "exact"

[clients.tokyo]
name = "Tokyo"
currency = "JPY"
"#;

    const JOURNAL: &str = "
        2026-01-05 buy acme 10h @ 120 expires 2026-02-28 ref:A-1
        2026-01-06 buy acme 20m for 45 ref:A-2
        2026-01-07 plan acme care
        2026-01-08 log acme 1h30m Audit
        2026-01-09 adjust acme +30m Goodwill
        2026-01-10 refund acme A-1 1h
        2026-01-11 apply acme 100 project:web
        2026-01-12 log acme 12h Big job
        2026-01-13 bill acme
        2026-01-05 buy carry 1h @ 100 ref:C-1
        2026-01-12 log carry 1h40m Migration
        2026-02-01 buy carry 2h @ 110 ref:C-2
        2026-03-15 log carry 3h Launch
        2026-01-10 buy tokyo 3h @ ¥8000 expires 2026-01-31
        2026-01-15 log tokyo 50m Setup
    ";

    /// Sum each account's minutes and money for `client`.
    fn sums(x: &Export, client: &str) -> BTreeMap<(&'static str, bool), Decimal> {
        let name = |a: Account| {
            if a == Account::OverageWorked {
                "worked"
            } else {
                a.path()[1]
            }
        };
        let mut s = BTreeMap::new();
        for t in x.transactions.iter().filter(|t| t.client == client) {
            for p in &t.postings {
                let (is_money, q) = match p.quantity {
                    Quantity::Minutes(m) => (false, m),
                    Quantity::Money(m) => (true, m),
                };
                *s.entry((name(p.account), is_money)).or_default() += q;
                if let Some(c) = p.cost {
                    *s.entry((name(p.account), true)).or_default() += c;
                }
            }
        }
        s
    }

    #[test]
    fn transactions_come_by_date_then_client_then_history_order() {
        let (book, r) = replay_str(BOOK, JOURNAL, "2026-03-31");
        // The definition: every client's transactions in id order, then a stable sort by date.
        let mut sorted: Vec<Transaction> = r
            .clients
            .iter()
            .flat_map(|(id, state)| ClientTransactions {
                cursor: Cursor::new(id, &book, &Window::default()),
                state,
            })
            .collect();
        sorted.sort_by_key(|t| t.date);
        let merged: Vec<Transaction> = transactions(&book, &r).collect();
        assert_eq!(merged, sorted);
        let clients: std::collections::BTreeSet<&str> =
            merged.iter().map(|t| t.client.as_str()).collect();
        assert_eq!(clients.len(), 3);
        // Of one date, clients come in id order: acme, then carry.
        let jan5: Vec<&str> = merged
            .iter()
            .filter(|t| t.date.to_string() == "2026-01-05")
            .map(|t| t.client.as_str())
            .collect();
        assert_eq!(jan5, ["acme", "carry"]);
    }

    #[test]
    fn every_transaction_balances_in_minutes_and_in_money() {
        let (book, r) = replay_str(BOOK, JOURNAL, "2026-03-31");
        let x = export(&book, &r, "2026-03-31".parse().unwrap());
        for t in &x.transactions {
            let (mut m, mut v) = (Decimal::ZERO, Decimal::ZERO);
            for p in &t.postings {
                match (p.quantity, p.cost) {
                    (Quantity::Minutes(q), None) => m += q,
                    (Quantity::Minutes(_), Some(c)) | (Quantity::Money(c), _) => v += c,
                }
            }
            assert_eq!((m, v), (Decimal::ZERO, Decimal::ZERO), "{t:?}");
        }
    }

    #[test]
    fn the_prepaid_account_holds_the_balance_at_the_value_of_the_lots() {
        let (book, r) = replay_str(BOOK, JOURNAL, "2026-03-31");
        let x = export(&book, &r, "2026-03-31".parse().unwrap());
        for (id, state) in &r.clients {
            let s = sums(&x, id);
            let held = s.get(&("prepaid", false)).copied().unwrap_or_default();
            assert_eq!(held, state.balance(), "balance of {id}");
            let value = s.get(&("prepaid", true)).copied().unwrap_or_default();
            assert_eq!(value, state.value(), "value of {id}");
        }
        let carry = sums(&x, "carry");
        // 40m carried in January, paid for by C-2 in February; 100m carried in March.
        assert_eq!(carry[&("carried", false)], dec(100));
        let acme = sums(&x, "acme");
        // The big job ran past what was left: overage, then invoiced at 150/h.
        assert_eq!(acme.get(&("overage", false)).copied(), Some(dec(0)));
        assert!(acme[&("receivable", true)] > Decimal::ZERO);
    }

    #[test]
    fn a_period_opens_with_the_balances_so_the_asset_accounts_end_the_same() {
        let (book, r) = replay_str(BOOK, JOURNAL, "2026-03-31");
        let end: NaiveDate = "2026-03-31".parse().unwrap();
        let full = export(&book, &r, end);
        for from in [
            "2026-01-01",
            "2026-01-10",
            "2026-01-13",
            "2026-02-01",
            "2026-03-20",
        ] {
            let window = Window {
                from: Some(from.parse().unwrap()),
                bring_forward: true,
                ..Window::default()
            };
            let part = Export {
                transactions: transactions_in(&book, &r, &window).collect(),
                ..full.clone()
            };
            assert!(
                part.transactions
                    .iter()
                    .all(|t| t.date.to_string().as_str() >= from)
            );
            for t in part.transactions.iter().filter(|t| t.kind == "opening") {
                let (mut m, mut v) = (Decimal::ZERO, Decimal::ZERO);
                for p in &t.postings {
                    match (p.quantity, p.cost) {
                        (Quantity::Minutes(q), None) => m += q,
                        (Quantity::Minutes(_), Some(c)) | (Quantity::Money(c), _) => v += c,
                    }
                }
                assert_eq!((m, v), (Decimal::ZERO, Decimal::ZERO), "{t:?}");
            }
            for id in r.clients.keys() {
                let (a, b) = (sums(&full, id), sums(&part, id));
                for account in ["prepaid", "receivable"] {
                    for money in [false, true] {
                        let key = (account, money);
                        assert_eq!(
                            a.get(&key).copied().unwrap_or_default(),
                            b.get(&key).copied().unwrap_or_default(),
                            "{id} {key:?} from {from}"
                        );
                    }
                }
                let over = |s: &BTreeMap<(&str, bool), Decimal>| {
                    s.get(&("overage", false)).copied().unwrap_or_default()
                };
                assert_eq!(over(&a), over(&b), "{id} overage from {from}");
            }
        }
        // Without bringing forward (CSV, JSON), the earlier transactions are simply left out.
        let window = Window {
            from: Some("2026-02-01".parse().unwrap()),
            ..Window::default()
        };
        let kinds: Vec<&str> = transactions_in(&book, &r, &window)
            .map(|t| t.kind)
            .collect();
        assert!(!kinds.contains(&"opening") && !kinds.is_empty());
    }
}
