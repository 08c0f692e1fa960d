//! One date of one client, in the SPEC's order: expire → plan → grant → entries in class
//! order → assert.

use crate::engine::run::Run;
use crate::engine::{QuoteKind, QuoteState};
use crate::model::{Entry, Verb};
use std::borrow::Borrow;
use std::cmp::Ordering;

impl Run<'_> {
    /// Replay one date of the client: `group` holds its entries, sorted by
    /// [`Entry::run_order`] (so `plan` entries come first and `assert` entries last).
    pub(super) fn date<E: Borrow<Entry>>(&mut self, group: &[E]) {
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
                        self.label(e);
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
                _ => {
                    self.entry(e);
                    self.label(e);
                }
            }
        }
        for e in group.iter().map(Borrow::borrow) {
            if let Verb::Assert { minutes } = e.verb {
                self.assert(e, minutes);
            }
        }
    }

    pub(super) fn entry(&mut self, e: &Entry) {
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
}
