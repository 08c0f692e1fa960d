//! `debit`: a fixed quantity or task, debited at once.

use crate::engine::run::Run;
use crate::engine::{EventKind, Num};
use crate::model::{Entry, Qty};

impl Run<'_> {
    pub(in crate::engine) fn fixed_debit(&mut self, e: &Entry, qty: &Qty) {
        let Some((m, _)) = self.task_minutes(e, qty) else {
            return;
        };
        let Some(t) = self.debit(e, m.into(), "debit") else {
            return;
        };
        if let Some(ev) = self.push_event(e.date, EventKind::Debit, Some(e.seq)) {
            ev.debited = Some(t.total().dec());
            ev.overage = t.overage_part().map(Num::dec);
            let task = match qty {
                Qty::Named(name) => Some(name.as_str()),
                Qty::Minutes(_) => None,
            };
            ev.detail = crate::engine::Detail::named(e, task);
        }
    }
}
