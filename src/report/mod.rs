//! Reports: a replay → plain structs, one per reading command. No serde: JSON is made in
//! `render` (the views of `render/json.rs`).
//!
//! PURE: imports `model` and `engine` only; no I/O, no clock, and no formatting of numbers
//! or money except inside warning messages (that is `render`'s job).

mod balance;
mod clients;
mod statement;

pub use statement::{Statement, StatementLine, StatementTotals, statement};
mod expiring;
pub mod export;
pub mod filter;
mod forecast;
mod projects;
mod quotes;
mod register;
mod usage;

pub use balance::{Balance, ClientBalance, LotLine, QuoteLine, Warning, WarningKind, balance};
pub use clients::{ClientLine, ClientList, clients};
pub use expiring::{Expiring, ExpiringLot, expiring};
pub use filter::Filter;
pub use forecast::{Forecast, forecast};
pub use projects::{ProjectRow, Projects, projects};
pub use quotes::{QuoteRow, Quotes, quotes};
pub use register::{Register, RegisterRow, RegisterTotals, register, rows_of};
pub use usage::{Period, PeriodUsage, Tally, Usage, usage};

use crate::model::Minutes;
use rust_decimal::{Decimal, RoundingStrategy};

/// An event described by the entry's own words alone: what tests of reports hand for
/// [`Words`].
#[cfg(test)]
pub(crate) fn own(_: &crate::model::Book, e: &crate::engine::Event) -> String {
    e.detail.text.clone()
}

/// How an event is worded for people: `render::words::event`, handed down by the command,
/// as `report` sits below `render` (the engine writes no words into an event). `register`,
/// `export` and `--grep` read an event's description through it.
pub type Words = fn(&crate::model::Book, &crate::engine::Event) -> String;

/// The clients a report of `client` (or of every client) lists from `replay`: the book's, in
/// id order, with their states.
pub fn clients_shown<'r>(
    book: &crate::model::Book,
    replay: &'r crate::engine::Replay,
    client: Option<&str>,
) -> impl Iterator<Item = (&'r String, &'r crate::engine::ClientState)> {
    replay
        .clients
        .iter()
        .filter(move |(id, _)| client.is_none_or(|c| c == *id) && book.clients.contains_key(*id))
}

/// `minutes` in units of `unit_minutes`, rounded half-up to 2 decimals, without trailing
/// zeros: 420m → `7`, 405m → `6.75`, 20m → `0.33`.
#[must_use]
pub fn units(minutes: Minutes, unit_minutes: Minutes) -> Decimal {
    if unit_minutes.is_zero() {
        return minutes;
    }
    let q = minutes.checked_div(unit_minutes).unwrap_or(Decimal::ZERO);
    let mut q = q
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    if q.is_zero() {
        q.set_sign_positive(true);
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_written_with_at_most_two_decimals() {
        let h = Decimal::from(60);
        assert_eq!(units(Decimal::from(420), h).to_string(), "7");
        assert_eq!(units(Decimal::from(405), h).to_string(), "6.75");
        assert_eq!(units(Decimal::from(20), h).to_string(), "0.33");
        assert_eq!(units(Decimal::from(-90), h).to_string(), "-1.5");
        assert_eq!(units(Decimal::ZERO, h).to_string(), "0");
    }
}
