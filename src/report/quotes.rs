//! `credits quotes`: every quote and estimate, with where it stands and the time logged on it.

use crate::engine::{QuoteKind, QuoteState, Replay};
use crate::model::{Book, Minutes};
use chrono::NaiveDate;

/// The quotes and estimates of the book (or of one client).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotes {
    /// The date replayed through.
    pub as_of: NaiveDate,
    /// The book's unit name, singular.
    pub unit: String,
    /// Minutes in one unit.
    pub unit_minutes: Minutes,
    /// By client id, then by date of the `quote` or `estimate` entry, then by id.
    pub quotes: Vec<QuoteRow>,
    /// Entries dated after `as_of`, not counted.
    pub later_entries: usize,
}

/// One quote or estimate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteRow {
    /// Its id.
    pub id: String,
    /// The client's id.
    pub client: String,
    /// `quote` (fixed) or `estimate` (charged on actual time).
    pub kind: QuoteKind,
    /// `pending`, `approved`, `rejected` or `done`.
    pub status: QuoteState,
    /// Date of the `quote` or `estimate` entry.
    pub date: NaiveDate,
    /// Its price (a quote) or expected time (an estimate).
    pub quantity: Minutes,
    /// The time logged against it with `quote:ID`.
    pub actual: Minutes,
    /// The reservation it still holds.
    pub held: Minutes,
    /// `due:` date.
    pub due: Option<NaiveDate>,
    /// Approved, not done, and past its due date.
    pub overdue: bool,
    /// Its description.
    pub description: String,
}

/// Every quote and estimate of `book`'s clients (or of `only`) after `replay`, as of `as_of`.
#[must_use]
pub fn quotes(book: &Book, replay: &Replay, as_of: NaiveDate, only: Option<&str>) -> Quotes {
    let mut rows: Vec<QuoteRow> = Vec::new();
    for id in book.clients.keys().filter(|c| only.is_none_or(|o| o == *c)) {
        let Some(state) = replay.clients.get(id) else {
            continue;
        };
        let start = rows.len();
        rows.extend(state.quotes.values().map(|q| QuoteRow {
            id: q.id.clone(),
            client: id.clone(),
            kind: q.kind,
            status: q.state,
            date: q.date,
            quantity: q.minutes,
            actual: q.actual,
            held: q.held,
            due: q.due,
            overdue: q.state == QuoteState::Approved && q.due.is_some_and(|d| d < as_of),
            description: q.description.clone(),
        }));
        rows[start..].sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    }
    Quotes {
        as_of,
        unit: book.unit.clone(),
        unit_minutes: book.unit_minutes,
        quotes: rows,
        later_entries: replay.later_entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{dec, replay_str};

    const BOOK: &str = "[book]\nname = \"T\"\ncurrency = \"USD\"\n[policy]\ndebit = \"exact\"\nunit_price = \"100\"\n[clients.acme]\nname = \"Acme\"\n[clients.beta]\nname = \"Beta\"\n";

    #[test]
    fn every_quote_and_estimate_with_its_status_actual_time_and_overdue_flag() {
        let j = "
            2026-01-05 buy acme 10h
            2026-01-05 buy beta 10h
            2026-01-06 quote acme Q7 3h due:2026-01-31 Landing page
            2026-01-06 estimate acme E1 2h due:2026-02-28
            2026-01-07 quote acme A1 1h
            2026-01-07 approve acme Q7
            2026-01-07 approve acme E1
            2026-01-08 log acme 2h quote:Q7
            2026-01-08 log acme 30m quote:E1
            2026-01-09 reject acme A1
            2026-01-10 estimate beta B1 1h
            2026-01-11 approve beta B1
            2026-01-12 log beta 1h15m quote:B1
            2026-01-13 done beta B1
        ";
        let (book, r) = replay_str(BOOK, j, "2026-02-01");
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        let q = quotes(&book, &r, "2026-02-01".parse().unwrap(), None);
        let rows: Vec<_> = q
            .quotes
            .iter()
            .map(|q| {
                (
                    q.client.as_str(),
                    q.id.as_str(),
                    q.kind.word(),
                    q.status,
                    q.quantity,
                    q.actual,
                    q.overdue,
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (
                    "acme",
                    "E1",
                    "estimate",
                    QuoteState::Approved,
                    dec(120),
                    dec(30),
                    false
                ),
                (
                    "acme",
                    "Q7",
                    "quote",
                    QuoteState::Approved,
                    dec(180),
                    dec(120),
                    true
                ),
                (
                    "acme",
                    "A1",
                    "quote",
                    QuoteState::Rejected,
                    dec(60),
                    dec(0),
                    false
                ),
                (
                    "beta",
                    "B1",
                    "estimate",
                    QuoteState::Done,
                    dec(60),
                    dec(75),
                    false
                ),
            ]
        );
        let only = quotes(&book, &r, "2026-02-01".parse().unwrap(), Some("beta"));
        assert_eq!(only.quotes.len(), 1);
    }
}
