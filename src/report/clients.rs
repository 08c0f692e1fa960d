//! `credits clients`: the book's clients with their plan as of a date.

use crate::engine::Replay;
use crate::model::{Book, Currency};
use rust_decimal::Decimal;

/// Every client of the book, by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientList {
    /// The clients.
    pub clients: Vec<ClientLine>,
}

/// One client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientLine {
    /// Client id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The plan in force after the replay.
    pub plan: Option<String>,
    /// The client's currency.
    pub currency: Currency,
    /// Hourly rate, in the client's currency.
    pub rate: Option<Decimal>,
    /// Contact address.
    pub email: Option<String>,
}

/// The clients of `book`, with the plan each is on after `replay`.
#[must_use]
pub fn clients(book: &Book, replay: &Replay) -> ClientList {
    let clients = book
        .clients
        .values()
        .map(|c| ClientLine {
            id: c.id.clone(),
            name: c.name.clone(),
            plan: replay.clients.get(&c.id).and_then(|s| s.plan.clone()),
            currency: book.currency_of(&c.id),
            rate: c.rate.map(|m| m.amount),
            email: c.email.clone(),
        })
        .collect();
    ClientList { clients }
}
