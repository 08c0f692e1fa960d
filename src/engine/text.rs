//! Words of the engine's messages (its problems). An event holds no words: `render/words.rs`
//! words it from its kind and detail.

use crate::engine::QuoteState;
use crate::model::{Minutes, duration};
use rust_decimal::Decimal;

/// ` (1h is reserved by approved quotes)` when time is reserved, else nothing.
pub(super) fn reserved_note(reserved: Minutes) -> String {
    if reserved > Decimal::ZERO {
        format!(" ({} is reserved by approved quotes)", duration(reserved))
    } else {
        String::new()
    }
}

pub(super) fn state_word(s: QuoteState) -> &'static str {
    s.word()
}
