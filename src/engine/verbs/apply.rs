//! `apply`: money of the lots applied to a project.

use crate::engine::number::mul_div;
use crate::engine::run::Run;
use crate::engine::text::reserved_note;
use crate::engine::{EventKind, Num};
use crate::model::{Entry, MetaKey, Money};

impl Run<'_> {
    pub(in crate::engine) fn apply(&mut self, e: &Entry, amount: Money) {
        if !self.check_currency(e, amount, "the amount") {
            return;
        }
        let want = Num::from(amount.amount);
        // Reserved time is held back from the end of the consumption order.
        let reserved = self.reserved;
        let mut usable = (self.available(false, true) - reserved.into()).max(Num::ZERO);
        let mut plan: Vec<(usize, Num, Num)> = Vec::new(); // (lot, minutes usable, value usable)
        for i in self.drain_order(false) {
            if usable.is_zero() {
                break;
            }
            let lot = &self.state.lots[i];
            let m = usable.min(lot.remaining);
            usable -= m;
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
        let worth: Num = plan.iter().map(|p| p.2).sum();
        if want > worth {
            let held = reserved_note(reserved);
            self.error(
                e.span,
                format!(
                    "`apply` of {} is more than the {} the lots of `{}` are worth{held}",
                    self.money(want.dec()),
                    self.money(worth.dec()),
                    self.client.id
                ),
                Some(format!("apply at most {}", self.money(worth.dec()))),
            );
            return;
        }
        let mut rest = want;
        let mut minutes = Num::ZERO;
        for (i, m, v) in plan {
            if rest.is_zero() {
                break;
            }
            if v <= rest && m == self.state.lots[i].remaining {
                let money = self.take(i, m);
                rest -= money;
                minutes += m;
            } else {
                let lot = &self.state.lots[i];
                let t = mul_div(rest, lot.remaining, lot.value)
                    .round_dp(2)
                    .min(lot.remaining);
                let lot = &mut self.state.lots[i];
                lot.remaining -= t;
                lot.value -= rest;
                self.drawn.push((i, t, rest));
                self.held -= t;
                if lot.remaining.is_zero() {
                    self.close_lot(i);
                }
                minutes += t;
                rest = Num::ZERO;
            }
        }
        self.state.totals.applied += minutes;
        self.state.totals.money_applied += want;
        if let Some(ev) = self.push_event(e.date, EventKind::Apply, Some(e.seq)) {
            ev.debited = Some(minutes.dec());
            ev.amount = Some(want.dec());
            ev.detail = crate::engine::Detail::named(e, e.meta(MetaKey::Project));
        }
    }
}
