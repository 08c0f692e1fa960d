//! `buy`: a purchase opens a lot.

use crate::engine::number::MONEY_DP;
use crate::engine::run::Run;
use crate::engine::{EventKind, Lapse, Lot, LotKind};
use crate::model::{Entry, Expiry, LineExpiry, MetaKey, Price, Qty, add_span};
use chrono::Days;
use rust_decimal::Decimal;

impl Run<'_> {
    pub(in crate::engine) fn buy(
        &mut self,
        e: &Entry,
        qty: &Qty,
        price: Option<Price>,
        expires: Option<LineExpiry>,
    ) {
        let discount = self.plan.map_or(Decimal::ZERO, |p| p.discount);
        let keep = Decimal::ONE - discount;
        // A package's `expires` stands in for the line's when the line names none.
        let mut expires = expires;
        let (minutes, paid) = match qty {
            Qty::Minutes(m) => {
                let paid = match price {
                    Some(Price::Each(p)) => {
                        if !self.check_currency(e, p, "the price") {
                            return;
                        }
                        p.amount * *m / self.book.unit_minutes
                    }
                    Some(Price::Total(p)) => {
                        if !self.check_currency(e, p, "the price") {
                            return;
                        }
                        p.amount
                    }
                    None => {
                        let Some(up) = self.policy.unit_price else {
                            self.error(
                                e.span,
                                format!("no price for this purchase: `unit_price` is not set for `{}`", self.client.id),
                                Some("write `@ PRICE` per unit or `for TOTAL`, or set `unit_price` in credits.toml".into()),
                            );
                            return;
                        };
                        if !self.check_currency(e, up, "`unit_price`") {
                            return;
                        }
                        up.amount * keep * *m / self.book.unit_minutes
                    }
                };
                (*m, paid)
            }
            Qty::Named(name) => {
                let Some(pkg) = self.book.packages.get(name.as_str()) else {
                    let help =
                        Self::names_help(name, self.book.packages.keys(), "packages", "[packages]");
                    self.error(e.span, format!("unknown package `{name}`"), Some(help));
                    return;
                };
                if !self.check_currency(e, pkg.price, &format!("package `{name}`")) {
                    return;
                }
                expires = expires.or(pkg.expires);
                let paid = match price {
                    Some(Price::Each(p)) => p.amount * pkg.minutes / self.book.unit_minutes,
                    Some(Price::Total(p)) => p.amount,
                    None => pkg.price.amount * keep,
                };
                (pkg.minutes, paid)
            }
        };
        let paid = paid.round_dp(MONEY_DP);
        if let Some(r) = e.meta(MetaKey::Ref)
            && self.refs.get(r).is_some_and(|f| f.purchase)
        {
            self.error(
                e.span,
                format!("`{}` already has a lot with `ref:{r}`", self.client.id),
                Some("give each purchase its own ref".into()),
            );
            return;
        }
        let last_day = match expires {
            Some(LineExpiry::Date(d)) => Some(d),
            Some(LineExpiry::Span(s)) => add_span(e.date, s),
            Some(LineExpiry::Never) => None,
            None => {
                // The tier of the largest `from` the purchase reaches (tiers are sorted by it).
                let tiers = &self.policy.expiry_tiers;
                let reached = tiers.partition_point(|t| t.from <= minutes);
                let tier = reached.checked_sub(1).map(|k| &tiers[k]);
                match tier.map_or(self.policy.expires, |t| t.expires) {
                    Expiry::Never => None,
                    Expiry::Span(s) => add_span(e.date, s),
                }
            }
        };
        if let Some(l) = last_day
            && l < e.date
        {
            {
                self.error(
                    e.span,
                    format!(
                        "this purchase expires on {l}, before it is made on {}",
                        e.date
                    ),
                    Some("write the last usable day, on or after the purchase date".into()),
                );
                return;
            }
        }
        let refund_until = e
            .date
            .checked_add_days(Days::new(u64::from(self.policy.refund_days)));
        let i = self.open_lot(Lot {
            reference: e.meta(MetaKey::Ref).map(str::to_string),
            date: e.date,
            kind: LotKind::Purchase,
            minutes,
            remaining: minutes.into(),
            paid,
            value: paid.into(),
            last_day,
            refund_until,
            seq: 0,
            span: e.span,
            lapse: Lapse::Day,
        });
        self.state.totals.bought += minutes;
        self.state.totals.paid_in += paid;
        self.repay_debt(i);
        if let Some(ev) = self.push_event(e.date, EventKind::Buy, Some(e.seq)) {
            ev.credited = Some(minutes);
            ev.amount = Some(paid);
            let package = match qty {
                Qty::Named(name) => Some(name.as_str()),
                Qty::Minutes(_) => None,
            };
            ev.detail = crate::engine::Detail::named(e, package);
        }
    }
}
