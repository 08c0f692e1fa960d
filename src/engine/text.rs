//! The words the engine writes into events and messages.

use crate::engine::QuoteState;
use crate::model::{Entry, Minutes};
use rust_decimal::Decimal;

/// ` (1h is reserved by approved quotes)` when time is reserved, else nothing.
pub(super) fn reserved_note(reserved: Minutes) -> String {
    if reserved > Decimal::ZERO {
        format!(
            " ({} is reserved by approved quotes)",
            fmt_minutes(reserved)
        )
    } else {
        String::new()
    }
}

/// The entry's own description, else `fallback`.
pub(super) fn describe(e: &Entry, fallback: &str) -> String {
    if e.description.is_empty() {
        fallback.to_string()
    } else {
        e.description.clone()
    }
}

pub(super) fn state_word(s: QuoteState) -> &'static str {
    s.word()
}

/// Minutes as `1h30m`, `45m`, `-2h`, `12.5m`.
#[must_use]
pub fn fmt_minutes(m: Minutes) -> String {
    let sign = if m < Decimal::ZERO { "-" } else { "" };
    let m = m.abs();
    let h = (m / Decimal::from(60)).floor();
    let rest = (m - h * Decimal::from(60)).normalize();
    match (h.is_zero(), rest.is_zero()) {
        (true, _) => format!("{sign}{rest}m"),
        (false, true) => format!("{sign}{h}h"),
        (false, false) => format!("{sign}{h}h{rest}m"),
    }
}
