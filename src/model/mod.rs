//! The SPEC's nouns, already validated: what `syntax` produces and `engine` consumes.
//!
//! Imports only `source`; no serde, no I/O. Time is [`Minutes`] and money is
//! [`Money`], both exact decimals.

mod book;
mod canon;
mod entry;
mod value;

pub use book::{
    Book, Client, DebitPolicy, Expiry, ExpiryTier, GrantLapse, Order, Overdraft, Package, Plan,
    Policy, PolicyOverride, Task, unit_name,
};
pub use canon::Canon;
pub use entry::{Entry, LineExpiry, LotRef, Meta, MetaKey, Price, Qty, Verb};
pub use value::{Currency, DateSpan, Minutes, Money, add_months, add_span, duration};
