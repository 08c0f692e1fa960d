//! `plan`: a client joins, changes or leaves a plan.

use crate::engine::run::Run;
use crate::engine::{EventKind, Num};
use crate::model::{DebitPolicy, Entry};
use rust_decimal::Decimal;

impl Run<'_> {
    pub(in crate::engine) fn plan_change(&mut self, e: &Entry, name: Option<&str>) {
        let new = match name {
            Some(n) => match self.book.plans.get(n) {
                Some(p) => Some(p),
                None => {
                    let help = Self::names_help(n, self.book.plans.keys(), "plans", "[plans]");
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
        if let Some(ev) = self.push_event(e.date, EventKind::Plan, Some(e.seq)) {
            ev.detail = crate::engine::Detail::named(e, name);
        }
        if leaving_accumulate && self.state.pending > Decimal::ZERO {
            let pending = self.state.pending;
            self.state.pending = Decimal::ZERO;
            let t = self.debit_unchecked(pending.into());
            // Logged work, charged now: it counts in the forecast as the logs' own debits do.
            self.burned(e.date, t.lots);
            if let Some(ev) = self.push_event(e.date, EventKind::Debit, Some(e.seq)) {
                ev.debited = Some(t.total().dec());
                ev.overage = t.overage_part().map(Num::dec);
                ev.detail.carried = true;
            }
        }
    }

    /// A second `plan` entry of the client on one date: an error, and ignored.
    pub(in crate::engine) fn second_plan(&mut self, e: &Entry, first: &Entry) {
        self.error(
            e.span,
            format!(
                "`{}` already has a `plan` entry on {}: `{}`",
                self.client.id, e.date, first.canon
            ),
            Some("keep one `plan` entry per client and date: this one is ignored".into()),
        );
    }
}
