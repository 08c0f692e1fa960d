//! Lots: opening one, the consumption order, taking from a lot, draining in order, and a
//! debit under the overdraft rule.

use crate::engine::number::share;
use crate::engine::run::Run;
use crate::engine::{Lot, LotKind, Num};
use crate::model::duration;
use crate::model::{Entry, Order, Overdraft};
use std::cmp::{Ordering, Reverse};
use std::collections::VecDeque;

/// A lot that leaves memory, in [`Run::forget_closed_grants`]'s map of indices.
const GONE: usize = usize::MAX;

/// How many closed grants wait before they leave memory (and at least half the lots): few in
/// tests, so that every replay without a history there forgets some.
const FORGET_AFTER: usize = if cfg!(test) { 2 } else { 256 };

/// The open lots (time left, not expired), by index: whether a lot is open is one look, and
/// they are listed in the order they were made. A lot closed stays in the list until the
/// list is next read whole (a new consumption order, closed grants leaving memory), so
/// closing one costs nothing and each leaves the list once.
#[derive(Default)]
pub(super) struct OpenLots {
    /// Indexed by lot: open or not.
    flags: Vec<bool>,
    /// The indices once opened, in the order made (the closed ones not yet dropped).
    list: Vec<usize>,
}

impl OpenLots {
    /// Lot `i` is open; lots are opened in the order they are made.
    fn insert(&mut self, i: usize) {
        if self.flags.len() <= i {
            self.flags.resize(i + 1, false);
        }
        self.flags[i] = true;
        self.list.push(i);
    }

    /// Lot `i` is closed; false when it was not open.
    fn remove(&mut self, i: usize) -> bool {
        self.flags
            .get_mut(i)
            .is_some_and(|open| std::mem::replace(open, false))
    }

    pub(super) fn contains(&self, i: usize) -> bool {
        self.flags.get(i).copied().unwrap_or(false)
    }

    /// The open lots in the order they were made (the closed ones leave the list now).
    fn sorted(&mut self) -> &[usize] {
        let flags = &self.flags;
        self.list.retain(|&i| flags[i]);
        &self.list
    }

    /// The lots renumbered by `to` (closed grants left memory, [`GONE`]).
    fn renumber(&mut self, to: &[usize]) {
        let open: Vec<usize> = (self.sorted().iter()).map(|&i| to[i]).collect();
        self.flags = vec![false; to.iter().filter(|&&t| t != GONE).count()];
        for &i in &open {
            self.flags[i] = true;
        }
        self.list = open;
    }
}

/// What a debit took.
#[derive(Default)]
pub(super) struct Taken {
    /// From lots (grants included).
    pub(super) lots: Num,
    /// Carried as debt.
    pub(super) carried: Num,
    /// Run into overage.
    pub(super) overage: Num,
}

impl Taken {
    pub(super) fn total(&self) -> Num {
        self.lots + self.carried + self.overage
    }

    /// The overage, for [`Event::overage`](crate::engine::Event::overage): `None` when there was none.
    pub(super) fn overage_part(&self) -> Option<Num> {
        (self.overage > Num::ZERO).then_some(self.overage)
    }
}

impl Run<'_> {
    /// Open `lot` (its `seq` is set here): it joins the client's lots, the open ones, the
    /// consumption order and the calendar of expiries, and its time counts in the balance.
    /// Every lot is opened here: `buy`, `adjust +` and the monthly grants. Returns its index.
    pub(super) fn open_lot(&mut self, lot: Lot) -> usize {
        let i = self.state.lots.len();
        let (remaining, last_day, kind) = (lot.remaining, lot.last_day, lot.kind);
        self.state.lots.push(Lot {
            seq: self.lots_made,
            ..lot
        });
        self.lots_made += 1;
        self.note_ref(i);
        self.open.insert(i);
        if self.order_valid {
            // Its place in the order: nearly always the end (lots are made in date order).
            let at = self
                .order
                .partition_point(|&j| self.drains_before(j, i) == Ordering::Less);
            self.order.insert(at, i);
        }
        if let Some(l) = last_day {
            self.expiries.push(Reverse((l, i)));
        }
        self.held += remaining;
        if kind == LotKind::Grant {
            self.held_in_grants += remaining;
        }
        i
    }

    /// Lot `i` has no time left: it leaves the open lots. The consumption order and the
    /// calendar of expiries skip it from now on (and drop it when they reach it).
    pub(super) fn close_lot(&mut self, i: usize) {
        if self.open.remove(i) && self.state.lots[i].kind == LotKind::Grant {
            self.closed_grants += 1;
        }
    }

    /// Without a history (`events: false`), a closed grant is read by nothing: no event
    /// points at it, no report lists it, and it holds no time or money. Once they make up
    /// half the lots, closed grants leave memory, so that a plan's months cost nothing once
    /// they lapse (a plan replayed through 9999 holds its open grants only). The lots kept
    /// keep their order and their `seq`; the indices the run holds are mapped to their new
    /// places.
    pub(super) fn forget_closed_grants(&mut self) {
        if self.opts.events
            || self.closed_grants < FORGET_AFTER
            || self.closed_grants * 2 < self.state.lots.len()
        {
            return;
        }
        let mut to = vec![GONE; self.state.lots.len()];
        let mut kept = 0;
        for (i, lot) in self.state.lots.iter().enumerate() {
            if lot.kind != LotKind::Grant || self.open.contains(i) {
                to[i] = kept;
                kept += 1;
            }
        }
        let mut at = 0;
        self.state.lots.retain(|_| {
            at += 1;
            to[at - 1] != GONE
        });
        self.open.renumber(&to);
        self.order = (self.order.iter())
            .filter_map(|&i| (to[i] != GONE).then_some(to[i]))
            .collect();
        self.expiries = (self.expiries.drain())
            .filter_map(|Reverse((day, i))| (to[i] != GONE).then_some(Reverse((day, to[i]))))
            .collect();
        for r in self.refs.values_mut() {
            r.first = to[r.first];
        }
        self.closed_grants = 0;
    }

    /// Which of lots `a` and `b` a debit drains first: grants before the rest, the earliest
    /// lapse first (a grant that never lapses last); the rest in the policy's order (`fifo`:
    /// by date, then the order the lots were made in; `expiring-first`: the earliest last
    /// usable day first, never-expiring last, then as `fifo`).
    fn drains_before(&self, a: usize, b: usize) -> Ordering {
        let (x, y) = (&self.state.lots[a], &self.state.lots[b]);
        let (grant_x, grant_y) = (x.kind == LotKind::Grant, y.kind == LotKind::Grant);
        if grant_x != grant_y {
            return grant_y.cmp(&grant_x);
        }
        let lapse = |l: &Lot| (l.last_day.is_none(), l.last_day);
        if grant_x {
            return (lapse(x), a).cmp(&(lapse(y), b));
        }
        match self.policy.order {
            Order::Fifo => (x.date, x.seq, a).cmp(&(y.date, y.seq, b)),
            Order::ExpiringFirst => (lapse(x), x.date, x.seq, a).cmp(&(lapse(y), y.date, y.seq, b)),
        }
    }

    /// Make the consumption order whole again after a new policy (a new plan): the open lots
    /// sorted by [`Run::drains_before`]. Lots opened later are put in their place, lots
    /// closed are skipped: it is made again only when the policy changes.
    fn order_lots(&mut self) {
        if self.order_valid {
            return;
        }
        let mut order: Vec<usize> = self.open.sorted().to_vec();
        // Lots open in the order they were made, mostly the drain order already.
        if !order.is_sorted_by(|&a, &b| self.drains_before(a, b) != Ordering::Greater) {
            order.sort_unstable_by(|&a, &b| self.drains_before(a, b));
        }
        self.order = VecDeque::from(order);
        self.order_valid = true;
    }

    /// In tests, the order kept from lot to lot is the one sorted afresh: the open lots, each
    /// once, sorted by [`Run::drains_before`].
    #[cfg(test)]
    fn check_order(&self) {
        let kept: Vec<usize> = (self.order.iter().copied())
            .filter(|&i| self.open.contains(i))
            .collect();
        let mut fresh: Vec<usize> = (0..self.state.lots.len())
            .filter(|&i| self.open.contains(i))
            .collect();
        fresh.sort_by(|&a, &b| self.drains_before(a, b));
        assert_eq!(
            kept, fresh,
            "the consumption order kept is not the sorted one"
        );
    }

    /// Open lots in the order debits drain them: grants (earliest lapse first), then the rest
    /// in the policy's order. `grants = false` leaves grants out.
    pub(super) fn drain_order(&mut self, grants: bool) -> Vec<usize> {
        self.order_lots();
        #[cfg(test)]
        self.check_order();
        self.order
            .iter()
            .copied()
            .filter(|&i| self.open.contains(i))
            .filter(|&i| grants || self.state.lots[i].kind != LotKind::Grant)
            .collect()
    }

    /// The time left in open grants (`grants`) and other lots (`purchased`): the running sums
    /// that every change of a lot's time keeps, so a debit under `deny` costs the same with a
    /// thousand lots open as with one.
    pub(super) fn available(&self, grants: bool, purchased: bool) -> Num {
        #[cfg(test)]
        self.check_held();
        match (grants, purchased) {
            (false, false) => Num::ZERO,
            (true, false) => self.held_in_grants,
            (false, true) => self.held - self.held_in_grants,
            (true, true) => self.held,
        }
    }

    /// In tests: the running sums are the sums over the open lots.
    #[cfg(test)]
    fn check_held(&self) {
        let sum = |grants: bool| {
            (0..self.state.lots.len())
                .filter(|&i| self.open.contains(i))
                .map(|i| &self.state.lots[i])
                .filter(|l| (l.kind == LotKind::Grant) == grants)
                .map(|l| l.remaining)
                .sum::<Num>()
        };
        assert_eq!(self.held_in_grants, sum(true), "time held in grants");
        assert_eq!(
            self.held - self.held_in_grants,
            sum(false),
            "time held in other lots"
        );
    }

    /// Take `m` minutes from lot `i`, no more than it has left (every caller takes at most
    /// that); returns the money those minutes were worth.
    pub(super) fn take(&mut self, i: usize, m: Num) -> Num {
        let lot = &mut self.state.lots[i];
        debug_assert!(m <= lot.remaining, "take {m} of {}", lot.remaining);
        let money = if m == lot.remaining {
            lot.value
        } else if lot.value.is_zero() {
            // Free time (grants, `adjust +`): what the division below gives, without it.
            Num::ZERO
        } else {
            share(lot.value, m, lot.remaining)
        };
        lot.remaining -= m;
        lot.value -= money;
        if lot.kind == LotKind::Grant {
            self.held_in_grants -= m;
        }
        // Read by the next event only when the history is kept.
        if self.opts.events {
            self.drawn.push((i, m, money));
        }
        self.held -= m;
        if lot.remaining.is_zero() {
            self.close_lot(i);
        }
        money
    }

    /// Drain up to `m` minutes in drain order, grants first; `purchased = false` drains grants
    /// alone. Returns (minutes taken, money).
    pub(super) fn drain(&mut self, m: Num, purchased: bool) -> (Num, Num) {
        if m.is_zero() {
            return (m, Num::ZERO);
        }
        self.order_lots();
        #[cfg(test)]
        self.check_order();
        let mut left = m;
        let mut money = Num::ZERO;
        let mut k = 0;
        while let Some(&i) = self.order.get(k) {
            if left.is_zero() {
                break;
            }
            k += 1;
            if !self.open.contains(i) || (self.state.lots[i].kind != LotKind::Grant && !purchased) {
                continue;
            }
            let taken = left.min(self.state.lots[i].remaining);
            money += self.take(i, taken);
            left -= taken;
        }
        // Lots drained empty at the front leave the order: the next debit starts at once.
        while let Some(&i) = self.order.front() {
            if self.open.contains(i) {
                break;
            }
            self.order.pop_front();
        }
        (m - left, money)
    }

    /// Debit `m` exactly: included time first, then purchased lots, then the overdraft rule.
    /// Under `deny` a shortfall is refused before anything changes.
    pub(super) fn debit(&mut self, e: &Entry, m: Num, what: &str) -> Option<Taken> {
        if m <= Num::ZERO {
            return Some(Taken::default());
        }
        // Summed only under `deny`, the one rule that reads it.
        if self.policy.overdraft == Overdraft::Deny && m > self.available(true, true) {
            let avail = self.available(true, true);
            self.error(
                e.span,
                format!(
                    "`{what}` needs {} but `{}` has only {} left, and `overdraft` is `deny`",
                    duration(m.dec()),
                    self.client.id,
                    duration(avail.dec())
                ),
                Some(format!(
                    "buy more time first, or set `overdraft = \"bill\"` for `{}`",
                    self.client.id
                )),
            );
            return None;
        }
        let t = self.debit_unchecked(m);
        // `debit`, `done` and `adjust -`: the verbs that come here.
        self.burned(e.date, t.lots);
        Some(t)
    }

    /// Count `m` minutes that a `log`, `debit`, `done` or `adjust -` dated `date` took from
    /// lots and grants (or pending logged time that a `plan` change debits) toward the
    /// forecast's burn, when `date` is in its window (overage and
    /// carried debt are never counted: no lot paid for them).
    pub(super) fn burned(&mut self, date: chrono::NaiveDate, m: Num) {
        if self.opts.burn_from.is_some_and(|from| date >= from) {
            self.state.burn += m;
        }
    }

    pub(super) fn debit_unchecked(&mut self, m: Num) -> Taken {
        let (taken, money) = self.drain(m, true);
        let short = m - taken;
        let mut t = Taken {
            lots: taken,
            ..Taken::default()
        };
        self.state.totals.debited += taken;
        self.state.totals.money_debited += money;
        if short > Num::ZERO {
            match self.policy.overdraft {
                Overdraft::Carry => {
                    self.state.debt += short;
                    self.state.totals.debited += short;
                    t.carried = short;
                }
                Overdraft::Bill | Overdraft::Deny => {
                    self.state.overage += short;
                    self.state.totals.overage += short;
                    t.overage = short;
                }
            }
        }
        t
    }

    /// Repay carried debt from a new lot.
    pub(super) fn repay_debt(&mut self, lot: usize) {
        let debt = Num::from(self.state.debt);
        if debt <= Num::ZERO {
            return;
        }
        let x = debt.min(self.state.lots[lot].remaining);
        let money = self.take(lot, x);
        self.state.debt -= x;
        self.state.totals.money_debited += money;
    }
}
