//! `adjust`: free time in, or time out.

use crate::engine::run::Run;
use crate::engine::{EventKind, Lapse, Lot, LotKind, Num};
use crate::model::{Entry, MetaKey, Minutes};
use rust_decimal::Decimal;

impl Run<'_> {
    pub(in crate::engine) fn adjust(&mut self, e: &Entry, m: Minutes) {
        if m > Decimal::ZERO {
            let i = self.open_lot(Lot {
                reference: e.meta(MetaKey::Ref).map(str::to_string),
                date: e.date,
                kind: LotKind::Adjust,
                minutes: m,
                remaining: m.into(),
                paid: Decimal::ZERO,
                value: Num::ZERO,
                last_day: None,
                refund_until: None,
                seq: 0,
                span: e.span,
                lapse: Lapse::Day,
            });
            self.state.totals.adjusted_in += m;
            self.repay_debt(i);
            if let Some(ev) = self.push_event(e.date, EventKind::Adjust, Some(e.seq)) {
                ev.credited = Some(m);
                ev.detail = crate::engine::Detail::of(e);
            }
        } else if m < Decimal::ZERO {
            let Some(t) = self.debit(e, (-m).into(), "adjust") else {
                return;
            };
            if let Some(ev) = self.push_event(e.date, EventKind::Adjust, Some(e.seq)) {
                ev.debited = Some(t.total().dec());
                ev.overage = t.overage_part().map(Num::dec);
                ev.detail = crate::engine::Detail::of(e);
            }
        } else if let Some(ev) = self.push_event(e.date, EventKind::Adjust, Some(e.seq)) {
            ev.detail = crate::engine::Detail::of(e);
        }
    }
}
