//! `credits register`: one row per event of the period that passes the filter, across
//! clients, with the client's real balance after it, and a total row.
//!
//! `debited` is counted as the statement counts it (time taken from lots or carried as debt by
//! `log`, `debit`, `done` and `adjust -`; overage and `apply` apart), so that the register's
//! logged and debited totals are the statement's for the same client and period.

use super::filter::Filter;
use crate::engine::{Event, EventKind, Replay};
use crate::model::{Book, Currency, Minutes};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The register of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Register {
    /// First day (`None`: from the first event).
    pub from: Option<NaiveDate>,
    /// Last day (cut at today).
    pub to: NaiveDate,
    /// The rows, by date, then client, then the order they ran in.
    pub rows: Vec<RegisterRow>,
    /// Sums over the rows.
    pub totals: RegisterTotals,
}

/// One event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterRow {
    /// Its date.
    pub date: NaiveDate,
    /// The client's id.
    pub client: String,
    /// The client's currency (of `amount`).
    pub currency: Currency,
    /// Its kind.
    pub kind: EventKind,
    /// What happened.
    pub description: String,
    /// The entry's tags.
    pub tags: Vec<String>,
    /// Minutes worked.
    pub logged: Option<Minutes>,
    /// Minutes debited (as the statement counts them).
    pub debited: Option<Minutes>,
    /// Money that moved, exact, signed: `+` paid in, `-` refunded, applied or expired.
    pub amount: Option<Decimal>,
    /// The client's balance after the event (every event counted, not only the rows).
    pub balance: Minutes,
}

/// The total row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterTotals {
    /// Minutes logged.
    pub logged: Minutes,
    /// Minutes debited.
    pub debited: Minutes,
    /// Money by currency.
    pub amounts: BTreeMap<Currency, Decimal>,
}

impl RegisterTotals {
    /// Count `row` in the sums.
    pub fn add(&mut self, row: &RegisterRow) {
        self.logged += row.logged.unwrap_or_default();
        self.debited += row.debited.unwrap_or_default();
        if let Some(a) = row.amount {
            *self.amounts.entry(row.currency).or_default() += a;
        }
    }

    /// Count `other`'s rows too (sums of rows counted apart: exact, in any order).
    pub fn join(&mut self, other: &RegisterTotals) {
        self.logged += other.logged;
        self.debited += other.debited;
        for (c, a) in &other.amounts {
            *self.amounts.entry(*c).or_default() += *a;
        }
    }
}

/// The minutes of `e` the statement counts as debited.
#[must_use]
pub fn debited(e: &Event) -> Option<Minutes> {
    match e.kind {
        EventKind::Log | EventKind::Debit | EventKind::Done | EventKind::Adjust => e
            .debited
            .map(|d| d - e.overage.unwrap_or_default())
            .filter(|d| !d.is_zero()),
        _ => None,
    }
}

/// The money of `e` signed from the account's point of view: a purchase `+`; a refund, an
/// applied amount and expired value `-`; a `bill` has none (it marks overage invoiced).
#[must_use]
pub fn signed_amount(e: &Event) -> Option<Decimal> {
    let a = e.amount?;
    match e.kind {
        EventKind::Buy => Some(a),
        EventKind::Refund | EventKind::Apply | EventKind::Expire => Some(-a),
        _ => None,
    }
}

/// The register of `client` (or every client) from `from` (`None`: the beginning) through
/// `to`, of the events `filter` keeps, from a replay that kept the history from `from`.
#[must_use]
pub fn register(
    book: &Book,
    replay: &Replay,
    client: Option<&str>,
    from: Option<NaiveDate>,
    to: NaiveDate,
    filter: &Filter,
    words: super::Words,
) -> Register {
    let mut rows = Vec::new();
    for (id, state) in super::clients_shown(book, replay, client) {
        rows_of(
            book,
            id,
            &state.events,
            (from, to),
            filter,
            words,
            &mut rows,
        );
    }
    Register::of_rows(from, to, rows)
}

/// The rows of client `id`'s `events` (in the order they ran) from `from` (`None`: the
/// beginning) through `to` that `filter` keeps, added to `rows`: a history read whole, or a
/// part of it at a time (`credits register` on a large book drops each day's events once
/// their rows are made).
pub fn rows_of(
    book: &Book,
    id: &str,
    events: &[Event],
    (from, to): (Option<NaiveDate>, NaiveDate),
    filter: &Filter,
    words: super::Words,
    rows: &mut Vec<RegisterRow>,
) {
    let currency = book.currency_of(id);
    for e in events.iter().filter(|e| {
        from.is_none_or(|f| e.date >= f) && e.date <= to && filter.matches(e, || words(book, e))
    }) {
        rows.push(RegisterRow {
            date: e.date,
            client: id.to_string(),
            currency,
            kind: e.kind,
            description: words(book, e),
            tags: e.tags().iter().map(ToString::to_string).collect(),
            logged: e.logged,
            debited: debited(e),
            amount: signed_amount(e),
            balance: e.balance,
        });
    }
}

impl Register {
    /// The register of `rows` ([`rows_of`] of each client, in any order of clients), put in
    /// order (by date, then client, then the order they ran in) and summed.
    #[must_use]
    pub fn of_rows(from: Option<NaiveDate>, to: NaiveDate, mut rows: Vec<RegisterRow>) -> Register {
        // Stable: of one client and date, the events in the order they ran.
        rows.sort_by(|a, b| (a.date, &a.client).cmp(&(b.date, &b.client)));
        let mut totals = RegisterTotals::default();
        for row in &rows {
            totals.add(row);
        }
        Register {
            from,
            to,
            rows,
            totals,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::own;
    use crate::testing::replay_str;

    const BOOK: &str = r#"
[book]
name = "Test"
currency = "USD"

[policy]
unit_price = "100"
debit = "exact"

[clients.acme]
name = "Acme"

[clients.beta]
name = "Beta"
"#;

    #[test]
    fn rows_keep_the_real_balance_and_the_totals_add_the_rows() {
        let (b, r) = replay_str(
            BOOK,
            "2026-01-02 buy acme 10h\n\
             2026-01-03 log acme 1h Header #web\n\
             2026-01-03 buy beta 2h\n\
             2026-01-04 log acme 2h Footer #ops\n\
             2026-01-05 log beta 30m Setup #web\n",
            "2026-01-31",
        );
        let web = Filter {
            tags: vec!["web".into()],
            ..Filter::default()
        };
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let reg = register(&b, &r, None, None, d("2026-01-31"), &web, own);
        let got: Vec<_> = reg
            .rows
            .iter()
            .map(|r| (r.client.as_str(), r.description.as_str(), r.balance))
            .collect();
        assert_eq!(
            got,
            [
                ("acme", "Header", Decimal::from(540)),
                ("beta", "Setup", Decimal::from(90))
            ]
        );
        assert_eq!(reg.totals.logged, Decimal::from(90));
        assert_eq!(reg.totals.debited, Decimal::from(90));
        let all = register(
            &b,
            &r,
            Some("acme"),
            Some(d("2026-01-03")),
            d("2026-01-31"),
            &Filter::default(),
            own,
        );
        assert_eq!(all.rows.len(), 2);
        assert_eq!(all.rows[1].balance, Decimal::from(420));
        assert!(all.totals.amounts.is_empty());
    }
}
