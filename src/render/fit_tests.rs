//! Text tables fitted to a width (`Layout::width`), on the `support` demo book: no line is
//! wider than the width, no figure or date is broken, and without a width nothing changes.

use super::text::{self, Layout};
use crate::report;
use crate::testing::replay_str;
use chrono::NaiveDate;

const BOOK: &str = include_str!("../../journals/support/credits.toml");
const JOURNAL: &str = include_str!("../../journals/support/support.credits");

fn d(s: &str) -> NaiveDate {
    s.parse().expect("a date")
}

fn fitted(width: u16) -> Layout {
    Layout {
        color: false,
        width: Some(width),
    }
}

fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn balance_expiring_and_statements_fit_80_columns() {
    let (book, replay) = replay_str(BOOK, JOURNAL, "2026-03-15");
    let balance = report::balance(&book, &replay, d("2026-03-15"), None);
    let expiring = report::expiring(&book, &replay, d("2026-03-15"), None);
    let mut texts = vec![
        (
            "balance",
            text::balance(&balance, false),
            text::balance(&balance, fitted(80)),
        ),
        (
            "expiring",
            super::expiring::text(&expiring, false),
            super::expiring::text(&expiring, fitted(80)),
        ),
    ];
    for id in book.clients.keys() {
        let (b, r) = replay_str(BOOK, JOURNAL, "2026-03-15");
        let s = report::statement(
            &b,
            &r,
            id,
            d("2025-01-01"),
            d("2026-03-15"),
            d("2026-03-15"),
        );
        texts.push((
            "statement",
            text::statement(&s, false),
            text::statement(&s, fitted(80)),
        ));
    }
    assert!(
        texts.iter().any(|(_, wide, _)| widest(wide) > 80),
        "the demo book has a table wider than 80 columns to fit"
    );
    for (what, wide, narrow) in &texts {
        assert!(widest(narrow) <= 80, "{what} at 80 columns:\n{narrow}");
        // Every date of the wide table is still whole in the fitted one.
        for word in wide.split_whitespace().filter(|w| d_like(w)) {
            assert!(narrow.contains(word), "{what}: {word} broken:\n{narrow}");
        }
    }
}

fn d_like(w: &str) -> bool {
    w.len() == 10 && w.parse::<NaiveDate>().is_ok()
}

#[test]
fn a_fitted_table_wraps_a_long_description_at_its_spaces() {
    let (book, replay) = replay_str(BOOK, JOURNAL, "2026-03-15");
    let id = book.clients.keys().next().expect("a client");
    let s = report::statement(
        &book,
        &replay,
        id,
        d("2025-01-01"),
        d("2026-03-15"),
        d("2026-03-15"),
    );
    let wide = text::statement(&s, false);
    let narrow = text::statement(&s, fitted(80));
    assert!(widest(&wide) > 80 && widest(&narrow) <= 80, "{narrow}");
    for l in s.lines.iter().filter(|l| super::words::shown(l.kind)) {
        for word in super::words::describe(&s, l).split_whitespace() {
            assert!(narrow.contains(word), "`{word}` broken:\n{narrow}");
        }
    }
}

#[test]
fn without_a_width_a_table_is_as_wide_as_its_content() {
    let (book, replay) = replay_str(BOOK, JOURNAL, "2026-03-15");
    let balance = report::balance(&book, &replay, d("2026-03-15"), None);
    let plain = Layout {
        color: false,
        width: None,
    };
    assert_eq!(
        text::balance(&balance, plain),
        text::balance(&balance, false)
    );
    // A width wider than the table changes nothing but the last column's padding.
    let wide = text::balance(&balance, fitted(400));
    let trim = |s: &str| {
        s.lines()
            .map(|l| l.trim_end_matches('-').trim_end().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(trim(&wide), trim(&text::balance(&balance, false)));
}
