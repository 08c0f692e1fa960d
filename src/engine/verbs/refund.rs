//! `refund`: unused time of a lot given back.

use crate::engine::run::Run;
use crate::engine::{EventKind, LotKind};
use crate::model::duration;
use crate::model::{Entry, LotRef, Minutes};
use rust_decimal::Decimal;

impl Run<'_> {
    pub(in crate::engine) fn refund(&mut self, e: &Entry, lot: &LotRef, qty: Option<Minutes>) {
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
        let (bought, remaining, until, last_day, kind) = (
            l.date,
            l.remaining.dec(),
            l.refund_until,
            l.last_day,
            l.kind,
        );
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
                if pending > Decimal::ZERO {
                    needs.push(format!("{} of logged work is pending", duration(pending)));
                }
                if reserved > Decimal::ZERO {
                    needs.push(format!(
                        "{} is reserved by approved quotes",
                        duration(reserved)
                    ));
                }
                if needs.is_empty() || self.balance() < remaining {
                    needs.push(format!("the balance is {}", duration(self.balance())));
                }
                let why = needs.join(", and ");
                if free.is_zero() {
                    format!("nothing of lot {name} can be refunded: {why}")
                } else {
                    format!(
                        "at most {} of lot {name} can be refunded: {why}",
                        duration(free)
                    )
                }
            } else {
                format!(
                    "cannot refund {} of lot {name}: {} is unused",
                    duration(want),
                    duration(free)
                )
            };
            self.error(e.span, message, None);
            return;
        }
        let money = self.take(i, want.into()).dec();
        self.state.totals.refunded += want;
        self.state.totals.money_refunded += money;
        let by_ref = match lot {
            LotRef::Ref(r) => Some(r.to_string()),
            LotRef::Date(_) => None,
        };
        let lot = &self.state.lots[i];
        let (reference, since) = (lot.reference.clone(), lot.date);
        if let Some(ev) = self.push_event(e.date, EventKind::Refund, Some(e.seq)) {
            ev.credited = Some(-want);
            ev.amount = Some(money);
            ev.detail = crate::engine::Detail {
                name: by_ref,
                reference,
                lot: Some(LotKind::Purchase),
                since: Some(since),
                ..crate::engine::Detail::of(e)
            };
        }
    }
}
