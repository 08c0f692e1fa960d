//! `assert`: the balance at the end of a date.

use crate::engine::run::Run;
use crate::model::duration;
use crate::model::{Entry, Minutes};
use rust_decimal::Decimal;

impl Run<'_> {
    pub(in crate::engine) fn assert(&mut self, e: &Entry, expected: Minutes) {
        let have = self.balance();
        if have != expected {
            let diff = have - expected;
            self.error(
                e.span,
                format!(
                    "assertion failed: `{}` has {} at the end of {}, but the journal asserts {}",
                    self.client.id,
                    duration(have),
                    e.date,
                    duration(expected)
                ),
                Some(format!(
                    "the balance is {} {} than asserted",
                    duration(diff.abs()),
                    if diff > Decimal::ZERO { "more" } else { "less" }
                )),
            );
        }
    }
}
