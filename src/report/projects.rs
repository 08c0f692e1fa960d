//! `credits projects`: per `project:` value of each client, the time logged and debited and
//! the money applied, with the first and last date. Counted as the register counts.

use super::filter::Filter;
use super::register::debited;
use crate::engine::{EventKind, Replay};
use crate::model::{Book, Currency, Minutes};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The projects of the book (or of one client).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Projects {
    /// By client id, then project.
    pub projects: Vec<ProjectRow>,
}

/// One project of one client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRow {
    /// The client's id.
    pub client: String,
    /// The `project:` value.
    pub project: String,
    /// The client's currency (of `applied`).
    pub currency: Currency,
    /// Minutes logged.
    pub logged: Minutes,
    /// Minutes debited (as the statement counts them).
    pub debited: Minutes,
    /// Money applied with `apply … project:P`.
    pub applied: Decimal,
    /// The first event's date.
    pub first: NaiveDate,
    /// The last event's date.
    pub last: NaiveDate,
}

/// The projects of `client` (or every client), from the events dated `from` (`None`: the
/// beginning) through `to` that `filter` keeps.
#[must_use]
pub fn projects(
    book: &Book,
    replay: &Replay,
    client: Option<&str>,
    from: Option<NaiveDate>,
    to: NaiveDate,
    filter: &Filter,
    words: super::Words,
) -> Projects {
    let mut rows = Vec::new();
    for (id, state) in super::clients_shown(book, replay, client) {
        let currency = book.currency_of(id);
        let mut by: BTreeMap<&str, ProjectRow> = BTreeMap::new();
        for e in state.events.iter().filter(|e| {
            e.project().is_some()
                && from.is_none_or(|f| e.date >= f)
                && e.date <= to
                && filter.matches(e, || words(book, e))
        }) {
            let Some(project) = e.project() else {
                continue;
            };
            let row = by.entry(project).or_insert_with(|| ProjectRow {
                client: id.clone(),
                project: project.to_string(),
                currency,
                logged: Decimal::ZERO,
                debited: Decimal::ZERO,
                applied: Decimal::ZERO,
                first: e.date,
                last: e.date,
            });
            row.logged += e.logged.unwrap_or_default();
            row.debited += debited(e).unwrap_or_default();
            if e.kind == EventKind::Apply {
                row.applied += e.amount.unwrap_or_default();
            }
            row.first = row.first.min(e.date);
            row.last = row.last.max(e.date);
        }
        rows.extend(by.into_values());
    }
    Projects { projects: rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::own;
    use crate::testing::replay_str;

    #[test]
    fn each_project_adds_up_its_own_events() {
        let (b, r) = replay_str(
            r#"
[book]
name = "Test"
currency = "USD"

[policy]
unit_price = "100"
debit = "exact"

[clients.acme]
name = "Acme"
"#,
            "2026-01-02 buy acme 10h\n\
             2026-01-03 log acme 1h Header project:site\n\
             2026-01-04 log acme 2h Other\n\
             2026-01-05 apply acme 150 project:site Site credit\n\
             2026-01-06 log acme 30m Shop project:shop\n",
            "2026-01-31",
        );
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let p = projects(&b, &r, None, None, d("2026-01-31"), &Filter::default(), own);
        let got: Vec<_> = p
            .projects
            .iter()
            .map(|r| {
                (
                    r.project.as_str(),
                    r.logged,
                    r.debited,
                    r.applied,
                    r.first,
                    r.last,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "shop",
                    Decimal::from(30),
                    Decimal::from(30),
                    Decimal::ZERO,
                    d("2026-01-06"),
                    d("2026-01-06")
                ),
                (
                    "site",
                    Decimal::from(60),
                    Decimal::from(60),
                    Decimal::from(150),
                    d("2026-01-03"),
                    d("2026-01-05")
                ),
            ]
        );
        let late = projects(
            &b,
            &r,
            None,
            Some(d("2026-01-05")),
            d("2026-01-31"),
            &Filter::default(),
            own,
        );
        assert_eq!(late.projects[1].logged, Decimal::ZERO);
        assert_eq!(late.projects[1].first, d("2026-01-05"));
    }

    /// Keeping only the events with a `project:` (what `credits projects` replays with) gives
    /// the same report as keeping the whole history, with plan grants, expiries, covered work
    /// and quotes between them.
    #[test]
    fn keeping_only_project_events_gives_the_same_projects() {
        let book = crate::testing::book(
            r#"
[book]
name = "Test"
currency = "USD"

[policy]
unit_price = "100"
debit = "accumulate"
expires = "30d"

[plans.care]
monthly = "1h"
covered = ["backup"]

[clients.acme]
name = "Acme"
"#,
        );
        let entries = crate::testing::entries(
            &book,
            "2026-01-01 plan acme care\n\
             2026-01-02 buy acme 10h\n\
             2026-01-03 log acme 1h Header project:site #dev\n\
             2026-01-03 log acme 20m project:site #backup Nightly\n\
             2026-01-04 log acme 2h Other\n\
             2026-01-05 apply acme 150 project:site Site credit\n\
             2026-02-06 log acme 35m Shop project:shop\n\
             2026-02-07 quote acme Q1 1h project:shop Cart\n\
             2026-03-09 log acme 45m Shop again project:shop\n",
        );
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let report = |projects_only: bool, from: Option<NaiveDate>| {
            let opts = crate::engine::ReplayOptions {
                events_from: from,
                projects: projects_only,
                ..crate::engine::ReplayOptions::default()
            };
            let r = crate::engine::replay_with(&book, &entries, Some(d("2026-03-31")), opts);
            let p = projects(
                &book,
                &r,
                None,
                from,
                d("2026-03-31"),
                &Filter::default(),
                own,
            );
            (p, r)
        };
        for from in [None, Some(d("2026-02-01"))] {
            let (all, _) = report(false, from);
            let (only, r) = report(true, from);
            assert_eq!(all, only, "from {from:?}");
            assert!(!all.projects.is_empty());
            // Nothing but events with a project stays in memory (the last one aside).
            let kept = &r.clients["acme"].events;
            assert!(
                kept.iter().rev().skip(1).all(|e| e.project().is_some()),
                "{kept:?}"
            );
        }
    }
}
