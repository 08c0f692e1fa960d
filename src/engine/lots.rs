//! Lots: opening one, the consumption order, taking from a lot, draining in order, and a
//! debit under the overdraft rule.

use crate::engine::number::share;
use crate::engine::run::Run;
use crate::engine::text::fmt_minutes;
use crate::engine::{Lot, LotKind};
use crate::model::{Entry, Minutes, Order, Overdraft};
use rust_decimal::Decimal;

/// What a debit took.
#[derive(Default)]
pub(super) struct Taken {
    /// From lots (grants included).
    pub(super) lots: Minutes,
    /// Carried as debt.
    pub(super) carried: Minutes,
    /// Run into overage.
    pub(super) overage: Minutes,
}

impl Taken {
    pub(super) fn total(&self) -> Minutes {
        self.lots + self.carried + self.overage
    }

    /// The overage, for [`Event::overage`]: `None` when there was none.
    pub(super) fn overage_part(&self) -> Option<Minutes> {
        (self.overage > Decimal::ZERO).then_some(self.overage)
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
            seq: i as u32,
            ..lot
        });
        self.note_ref(i);
        self.open.push(i);
        if kind == LotKind::Grant {
            self.open_grants += 1;
        }
        self.order_valid = false;
        self.note_last_day(last_day);
        self.held += remaining;
        i
    }

    /// Open lots in the order debits drain them: grants (earliest lapse first), then the rest
    /// in the policy's order. `grants = false` leaves grants out.
    pub(super) fn drain_order(&self, grants: bool) -> Vec<usize> {
        let mut out = Vec::new();
        self.drain_order_into(grants, &mut out);
        out
    }

    /// [`Run::drain_order`] into `out`, which is cleared first: spares an allocation per debit.
    pub(super) fn drain_order_into(&self, grants: bool, out: &mut Vec<usize>) {
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
    pub(super) fn available(&self, grants: bool, purchased: bool) -> Minutes {
        // A log asks for grants alone, most often of a client with none: no call for that.
        if !purchased && (!grants || self.open_grants == 0) {
            return Decimal::ZERO;
        }
        self.available_in_lots(grants, purchased)
    }

    #[inline(never)]
    pub(super) fn available_in_lots(&self, grants: bool, purchased: bool) -> Minutes {
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
            .fold(Decimal::ZERO, |sum, m| sum + m)
    }

    /// Take `m` minutes from lot `i`, no more than it has left (every caller takes at most
    /// that); returns the money those minutes were worth.
    pub(super) fn take(&mut self, i: usize, m: Minutes) -> Decimal {
        let lot = &mut self.state.lots[i];
        debug_assert!(m <= lot.remaining, "take {m} of {}", lot.remaining);
        let money = if m == lot.remaining {
            lot.value
        } else if lot.value.is_zero() {
            // Free time (grants, `adjust +`): what the division below gives, without it.
            Decimal::ZERO
        } else {
            share(lot.value, m, lot.remaining)
        };
        lot.remaining -= m;
        lot.value -= money;
        // Read by the next event only when the history is kept.
        if self.opts.events {
            self.drawn.push((i, m, money));
        }
        self.held -= m;
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
    pub(super) fn drain(&mut self, m: Minutes, purchased: bool) -> (Minutes, Decimal) {
        if m.is_zero() {
            return (m, Decimal::ZERO);
        }
        if !self.order_valid {
            let mut order = std::mem::take(&mut self.order);
            self.drain_order_into(true, &mut order);
            self.order = order;
            self.order_valid = true;
        }
        let mut left = m;
        let mut money = Decimal::ZERO;
        let mut k = 0;
        while let Some(&i) = self.order.get(k) {
            if left.is_zero() {
                break;
            }
            if self.state.lots[i].kind != LotKind::Grant && !purchased {
                k += 1;
                continue;
            }
            let taken = left.min(self.state.lots[i].remaining);
            money += self.take(i, taken);
            left -= taken;
            // A lot drained empty has left the order: the next one is at `k` now.
            if self.order.get(k) == Some(&i) {
                k += 1;
            }
        }
        (m - left, money)
    }

    /// Debit `m` exactly: included time first, then purchased lots, then the overdraft rule.
    /// Under `deny` a shortfall is refused before anything changes.
    pub(super) fn debit(&mut self, e: &Entry, m: Minutes, what: &str) -> Option<Taken> {
        if m <= Decimal::ZERO {
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

    pub(super) fn debit_unchecked(&mut self, m: Minutes) -> Taken {
        let (taken, money) = self.drain(m, true);
        let short = m - taken;
        let mut t = Taken {
            lots: taken,
            ..Taken::default()
        };
        self.state.totals.debited += taken;
        self.state.totals.money_debited += money;
        if short > Decimal::ZERO {
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
        if self.state.debt <= Decimal::ZERO {
            return;
        }
        let x = self.state.debt.min(self.state.lots[lot].remaining);
        let money = self.take(lot, x);
        self.state.debt -= x;
        self.state.totals.money_debited += money;
    }
}
