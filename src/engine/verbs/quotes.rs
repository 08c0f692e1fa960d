//! `quote`, `estimate`, `approve`, `reject`, `done`.

use crate::engine::lots::Taken;
use crate::engine::run::Run;
use crate::engine::text::state_word;
use crate::engine::{EventKind, Num, Quote, QuoteKind, QuoteState};
use crate::model::duration;
use crate::model::{Entry, MetaKey, Overdraft, Qty};
use rust_decimal::Decimal;

impl Run<'_> {
    pub(in crate::engine) fn quote(&mut self, e: &Entry, id: &str, qty: &Qty, kind: QuoteKind) {
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
        let borrowed = e.description.is_empty() && !title.is_empty();
        if let Some(ev) = self.push_event(e.date, event, Some(e.seq)) {
            ev.detail = crate::engine::Detail::named(e, Some(id));
            ev.detail.minutes = Some(m);
            if borrowed {
                ev.detail.text = title.to_string();
                ev.detail.borrowed = true;
            }
        }
    }

    pub(in crate::engine) fn quote_state(&mut self, e: &Entry, id: &str) -> Option<QuoteState> {
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

    pub(in crate::engine) fn answer(&mut self, e: &Entry, id: &str, to: QuoteState) {
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
                        duration(minutes),
                        self.client.id,
                        duration(available.max(Decimal::ZERO))
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
            self.reserved -= q.held;
            q.held = if to == QuoteState::Approved {
                q.minutes
            } else {
                Decimal::ZERO
            };
            self.reserved += q.held;
        }
        let event = if to == QuoteState::Approved {
            EventKind::Approve
        } else {
            EventKind::Reject
        };
        if let Some(ev) = self.push_event(e.date, event, Some(e.seq)) {
            ev.detail = crate::engine::Detail::named(e, Some(id));
            ev.detail.quote = Some(kind);
        }
    }

    pub(in crate::engine) fn done(&mut self, e: &Entry, id: &str) {
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
            QuoteKind::Quote => match self.debit(e, m.into(), "done") {
                Some(t) => t,
                None => return,
            },
            QuoteKind::Estimate => Taken::default(),
        };
        if let Some(q) = self.quotes.get_mut(id) {
            q.state = QuoteState::Done;
            self.reserved -= q.held;
            q.held = Decimal::ZERO;
        }
        if let Some(ev) = self.push_event(e.date, EventKind::Done, Some(e.seq)) {
            ev.debited = Some(t.total().dec());
            ev.overage = t.overage_part().map(Num::dec);
            ev.detail = crate::engine::Detail::named(e, Some(id));
            ev.detail.quote = Some(kind);
            if ev.detail.text.is_empty() && !qdesc.is_empty() {
                ev.detail.text = qdesc;
                ev.detail.borrowed = true;
            }
        }
    }
}
