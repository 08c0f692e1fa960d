//! `log`: work, covered by the plan, drawn from included time, or debited by the debit policy.

use crate::engine::number::whole_units;
use crate::engine::run::Run;
use crate::engine::text::state_word;
use crate::engine::{EventKind, Num, QuoteKind, QuoteState};
use crate::model::duration;
use crate::model::{DebitPolicy, Entry, MetaKey, Minutes, Overdraft};

impl Run<'_> {
    pub(in crate::engine) fn covered(&self, e: &Entry) -> bool {
        self.plan
            .is_some_and(|p| p.covered.iter().any(|c| e.has_tag(c)))
    }

    /// The quote or estimate a log's `quote:ID` names, when it may take work now: approved,
    /// neither done nor rejected. Otherwise the log is an error, and `Err` says so.
    pub(in crate::engine) fn quote_of_log(&mut self, e: &Entry, id: &str) -> Result<QuoteKind, ()> {
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

    pub(in crate::engine) fn log(&mut self, e: &Entry, m: Minutes) {
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
                let release = m.min(q.held);
                q.held -= release;
                q.actual += m;
                self.reserved -= release;
            }
            return;
        }
        self.charge_log(e, m);
    }

    /// Work logged on a fixed quote: recorded with its time, never debited (its `done` is).
    pub(in crate::engine) fn quoted_work(&mut self, e: &Entry, id: &str, m: Minutes) {
        self.state.totals.logged += m;
        if let Some(q) = self.quotes.get_mut(id) {
            q.actual += m;
        }
        if let Some(ev) = self.push_event(e.date, EventKind::Quoted, Some(e.seq)) {
            ev.logged = Some(m);
            ev.detail = crate::engine::Detail::named(e, Some(id));
        }
    }

    /// A log covered or debited by the policy; false when it was refused (`deny`).
    pub(in crate::engine) fn charge_log(&mut self, e: &Entry, m: Minutes) -> bool {
        let m = Num::from(m);
        if self.covered(e) {
            self.state.totals.logged += m;
            self.state.totals.covered += m;
            if let Some(ev) = self.push_event(e.date, EventKind::Covered, Some(e.seq)) {
                ev.logged = Some(m.dec());
                ev.detail = crate::engine::Detail::of(e);
            }
            return true;
        }
        // Included time first; the rest goes by the debit policy.
        let from_grants = m.min(self.available(true, false));
        // A chargeable remainder is charged at least `minimum`, before any rounding.
        let left = m - from_grants;
        let rest = if left > Num::ZERO {
            left.max(self.policy.minimum.into())
        } else {
            left
        };
        // What the remainder debits from purchased time, by the debit policy.
        let (to_debit, new_pending) = match self.policy.debit {
            DebitPolicy::Accumulate => {
                let pending = Num::from(self.state.pending) + rest;
                let unit = Num::from(self.book.unit_minutes);
                if pending < unit {
                    // Not a whole unit yet.
                    (Num::ZERO, pending)
                } else {
                    let d = whole_units(pending, unit);
                    (d, pending - d)
                }
            }
            DebitPolicy::Exact => (rest, self.state.pending.into()),
            DebitPolicy::RoundUp => {
                let step = self.policy.round_to;
                let steps = (rest.dec() / step).ceil() * step;
                (steps.into(), self.state.pending.into())
            }
        };
        if self.policy.overdraft == Overdraft::Deny {
            let purchased = self.available(false, true);
            if to_debit > purchased {
                let minimum = if rest > left {
                    format!(" (the `minimum` charge for {})", duration(left.dec()))
                } else {
                    String::new()
                };
                self.error(
                    e.span,
                    format!(
                        "this log debits {}{minimum} but `{}` has only {} of purchased time left, and `overdraft` is `deny`",
                        duration(to_debit.dec()),
                        self.client.id,
                        duration(purchased.dec())
                    ),
                    Some(format!("buy more time first, or set `overdraft = \"bill\"` for `{}`", self.client.id)),
                );
                return false;
            }
        }
        self.state.totals.logged += m;
        let (g, gmoney) = self.drain(from_grants, false);
        self.state.totals.debited += g;
        self.state.totals.money_debited += gmoney;
        let t = self.debit_unchecked(to_debit);
        self.burned(e.date, g + t.lots);
        self.state.pending = new_pending.dec();
        if let Some(ev) = self.push_event(e.date, EventKind::Log, Some(e.seq)) {
            ev.logged = Some(m.dec());
            ev.detail = crate::engine::Detail::of(e);
            let charged = g + t.total();
            if !charged.is_zero() {
                ev.debited = Some(charged.dec());
            }
            ev.overage = t.overage_part().map(Num::dec);
        }
        true
    }
}
