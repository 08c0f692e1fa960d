//! `credits expiring`: purchased and `adjust +` time, and included time granted for a span,
//! that expires soon, across all clients. Grants that lapse at month end are left out, as in
//! `balance` warnings: both use [`expiring_lots`].

use super::balance::{expiring_lots, warn_until};
use crate::engine::{ClientState, LotKind, Replay};
use crate::model::{Book, Currency, DateSpan, Minutes, add_span};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// The expiring report: every expiring lot of every client, soonest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expiring {
    /// The date replayed through.
    pub as_of: NaiveDate,
    /// `--within`, or `None` when each client's `warn_days` decides.
    pub within: Option<DateSpan>,
    /// The book's unit name, singular.
    pub unit: String,
    /// Minutes in one unit.
    pub unit_minutes: Minutes,
    /// The lots, by last usable day, then client, then purchase date.
    pub lots: Vec<ExpiringLot>,
    /// Entries dated after `as_of`, not counted.
    pub later_entries: usize,
}

/// One lot with time that expires within the horizon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiringLot {
    /// Client id.
    pub client: String,
    /// The client's currency.
    pub currency: Currency,
    /// The lot's `ref:`.
    pub reference: Option<String>,
    /// Purchase date.
    pub date: NaiveDate,
    /// `purchase`, `adjust` or `grant` (included time that lapses after a span).
    pub kind: LotKind,
    /// Last usable day.
    pub expires: NaiveDate,
    /// Days from `as_of` to the last usable day (0: today is the last day).
    pub days_left: i64,
    /// Minutes left in the lot.
    pub remaining: Minutes,
    /// Money value of those minutes (exact; 0 for `adjust +` lots; `None` for grants, which
    /// have no price).
    pub value: Option<Decimal>,
}

/// The lots of `book` that expire on or before `as_of + within`, or, with no `within`,
/// within each client's `warn_days` (client > plan > book).
#[must_use]
pub fn expiring(
    book: &Book,
    replay: &Replay,
    as_of: NaiveDate,
    within: Option<DateSpan>,
) -> Expiring {
    let empty = ClientState::default();
    let mut lots = Vec::new();
    for id in book.clients.keys() {
        let state = replay.clients.get(id).unwrap_or(&empty);
        let until = match within {
            Some(span) => add_span(as_of, span).unwrap_or(NaiveDate::MAX),
            None => warn_until(book, id, state, as_of),
        };
        for (_, lot, day) in expiring_lots(state, as_of, until) {
            lots.push(ExpiringLot {
                client: id.clone(),
                currency: book.currency_of(id),
                reference: lot.reference.clone(),
                date: lot.date,
                kind: lot.kind,
                expires: day,
                days_left: (day - as_of).num_days(),
                remaining: lot.remaining.dec(),
                value: (lot.kind != LotKind::Grant).then_some(lot.value.dec()),
            });
        }
    }
    lots.sort_by(|a, b| (a.expires, &a.client, a.date).cmp(&(b.expires, &b.client, b.date)));
    Expiring {
        as_of,
        within,
        unit: book.unit.clone(),
        unit_minutes: book.unit_minutes,
        lots,
        later_entries: replay.later_entries,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::balance;
    use crate::testing::{dec, replay_str};

    const BOOK: &str = r#"
[book]
name = "Test"
currency = "USD"

[policy]
warn_days = 30

[plans.monthly]
monthly = "2h"
monthly_expires = "90d"
warn_days = 10

[clients.acme]
name = "Acme"

[clients.beta]
name = "Beta"
warn_days = 60

[clients.gamma]
name = "Gamma"
"#;

    const JOURNAL: &str = "
        2026-01-05 buy acme 10h @ 120 expires 2026-03-01 ref:A1
        2026-01-06 buy acme 2h @ 100 expires 2026-12-31 ref:A2
        2026-01-05 buy beta 1h @ 90 expires 2026-03-20 ref:B1
        2026-01-07 adjust beta +30m Goodwill
        2026-02-01 plan gamma monthly
        2026-02-01 buy gamma 3h @ 100 expires 2026-02-20 ref:G1
        2026-02-02 log acme 1h
    ";

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn by_default_each_client_looks_as_far_ahead_as_its_warn_days() {
        let (book, r) = replay_str(BOOK, JOURNAL, "2026-02-10");
        let e = expiring(&book, &r, d("2026-02-10"), None);
        let got: Vec<_> = e
            .lots
            .iter()
            .map(|l| (l.client.as_str(), l.reference.as_deref(), l.days_left))
            .collect();
        // acme (30 days): A1 on 03-01; beta (60 days): B1 on 03-20; gamma's plan says 10
        // days: G1 on 02-20 (its grant of 90 days lapses later).
        assert_eq!(
            got,
            [
                ("gamma", Some("G1"), 10),
                ("acme", Some("A1"), 19),
                ("beta", Some("B1"), 38)
            ]
        );
        assert_eq!(e.lots[1].remaining, dec(540));
        assert_eq!(e.lots[1].value, Some(dec(1080)));
    }

    #[test]
    fn within_overrides_warn_days_for_every_client() {
        let (book, r) = replay_str(BOOK, JOURNAL, "2026-02-10");
        let e = expiring(&book, &r, d("2026-02-10"), Some(DateSpan::Days(10)));
        let refs: Vec<_> = e.lots.iter().map(|l| l.reference.as_deref()).collect();
        assert_eq!(refs, [Some("G1")]);
        let e = expiring(&book, &r, d("2026-02-10"), Some(DateSpan::Months(12)));
        let got: Vec<_> = e
            .lots
            .iter()
            .map(|l| (l.client.as_str(), l.reference.as_deref(), l.kind.word()))
            .collect();
        // A1, A2, B1, G1 and gamma's grant of 90 days; `adjust +` lots never expire.
        assert_eq!(
            got,
            [
                ("gamma", Some("G1"), "purchase"),
                ("acme", Some("A1"), "purchase"),
                ("beta", Some("B1"), "purchase"),
                ("gamma", None, "grant"),
                ("acme", Some("A2"), "purchase"),
            ]
        );
    }

    #[test]
    fn included_time_granted_for_a_span_is_listed_without_a_value_and_warned_about() {
        let (book, r) = replay_str(BOOK, JOURNAL, "2026-04-25");
        let e = expiring(&book, &r, d("2026-04-25"), None);
        let grants: Vec<_> = e
            .lots
            .iter()
            .filter(|l| l.kind == LotKind::Grant)
            .map(|l| (l.date, l.expires, l.remaining, l.value))
            .collect();
        // gamma's February grant lapses after May 2, within its plan's 10 days; March's and
        // April's later.
        assert_eq!(grants, [(d("2026-02-01"), d("2026-05-02"), dec(120), None)]);
        let b = balance(&book, &r, d("2026-04-25"), Some("gamma"));
        let w: Vec<_> = b.clients[0]
            .warnings
            .iter()
            .map(|w| {
                (
                    w.kind,
                    crate::render::words::warning(&b.unit, b.unit_minutes, w),
                )
            })
            .collect();
        assert_eq!(
            w,
            [(
                crate::report::WarningKind::Expiring,
                "2 credits expire after 2026-05-02".to_string()
            )]
        );
    }

    #[test]
    fn span_grants_join_the_one_warning_of_their_date_and_month_end_grants_are_never_warned() {
        let book = BOOK.replace("monthly_expires = \"90d\"", "monthly_expires = \"27d\"")
            + "\n[plans.month]\nmonthly = \"1h\"\n";
        // gamma's grant of 2026-03-01 lapses after 03-28, with the purchase D1.
        let j = "2026-03-01 plan gamma monthly\n2026-03-01 buy gamma 1h @ 100 expires 2026-03-28 ref:D1\n\
                 2026-03-01 plan beta month\n";
        let (book, r) = replay_str(&book, j, "2026-03-25");
        let b = balance(&book, &r, d("2026-03-25"), None);
        let warned = |id: &str| -> Vec<String> {
            let c = b.clients.iter().find(|c| c.id == id).unwrap();
            c.warnings
                .iter()
                .filter(|w| w.kind == crate::report::WarningKind::Expiring)
                .map(|w| crate::render::words::warning(&b.unit, b.unit_minutes, w))
                .collect()
        };
        assert_eq!(warned("gamma"), ["3 credits expire after 2026-03-28"]);
        // beta's grant lapses after 03-31, within its 60 days: never warned about.
        assert!(warned("beta").is_empty(), "{:?}", warned("beta"));
    }

    #[test]
    fn the_balance_warnings_name_the_same_lots() {
        let (book, r) = replay_str(BOOK, JOURNAL, "2026-02-10");
        let b = balance(&book, &r, d("2026-02-10"), None);
        let e = expiring(&book, &r, d("2026-02-10"), None);
        for c in &b.clients {
            let warned: Minutes = c
                .warnings
                .iter()
                .filter(|w| w.kind == crate::report::WarningKind::Expiring)
                .map(|w| w.minutes)
                .sum();
            let listed: Minutes = e
                .lots
                .iter()
                .filter(|l| l.client == c.id)
                .map(|l| l.remaining)
                .sum();
            assert_eq!(warned, listed, "client {}", c.id);
        }
    }
}
