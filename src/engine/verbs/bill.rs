//! `bill`: the overage invoiced.

use crate::engine::EventKind;
use crate::engine::run::Run;
use crate::model::Entry;
use rust_decimal::Decimal;

impl Run<'_> {
    pub(in crate::engine) fn bill(&mut self, e: &Entry) {
        let m = self.state.overage;
        self.state.overage = Decimal::ZERO;
        let rate = self.client.rate;
        if let Some(ev) = self.push_event(e.date, EventKind::Bill, Some(e.seq)) {
            ev.detail = crate::engine::Detail::of(e);
            ev.detail.minutes = Some(m);
            if m > Decimal::ZERO {
                ev.amount = rate.map(|r| r.amount * m / Decimal::from(60));
            }
        }
    }
}
