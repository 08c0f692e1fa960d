//! Engine tests, one or more per rule of SPEC §4 and §7, written as journal text.

use super::{EventKind, LotKind, QuoteKind, QuoteState};
// Named as `super::…` by the tests of `replay.rs`.
use super::{ClientState, Lot, ReplayOptions, replay_with};
use crate::testing::{client, d, dec, problems, replay_str};

const BOOK: &str = r#"
[book]
name = "Test"
currency = "USD"

[policy]
unit_price = "140"

[plans.concierge]
discount = "30%"

[plans.performance]
discount = "30%"
monthly = "3h"
monthly_expires = "month"
covered = ["support", "security"]

[packages]
five = { units = 5, price = "600" }

[tasks]
banner = { units = 1, title = "Design a new web banner" }
complex-plugin = { units = 2, title = "Install and test a complex plugin" }

[clients.acme]
name = "Acme Corp"
rate = "150"

[clients.beta]
name = "Beta"
"#;

fn with_policy(extra: &str) -> String {
    BOOK.replace("[policy]\n", &format!("[policy]\n{extra}\n"))
}

mod adjust;
mod apply;
mod debits;
mod forecast;
mod grants;
mod lots;
mod order;
mod overdraft;
mod quotes;
mod refunds;
mod replay;
mod rules;
