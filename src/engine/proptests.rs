//! Property tests: random journals under random policies keep the §4 invariant, and the
//! order of lines with different dates changes no balance.

use crate::testing::{client, replay_str};
use proptest::prelude::*;

fn book(debit: &str, overdraft: &str, order: &str, expires: &str) -> String {
    format!(
        r#"
[book]
name = "Prop"
currency = "USD"

[policy]
unit_price = "140"
debit = "{debit}"
round_to = "15m"
overdraft = "{overdraft}"
order = "{order}"
expires = "{expires}"

[plans.perf]
discount = "30%"
monthly = "2h"
covered = ["care"]

[plans.spanned]
monthly = "1h"
monthly_expires = "45d"
debit = "exact"

[packages]
five = {{ units = 5, price = "600" }}

[tasks]
banner = {{ units = 1, title = "Banner" }}

[clients.acme]
rate = "150"

[clients.beta]
"#
    )
}

fn line() -> impl Strategy<Value = String> {
    let date = (1u32..=4, 1u32..=12).prop_map(|(m, d)| format!("2026-{m:02}-{d:02}"));
    let client = prop_oneof![Just("acme"), Just("beta")];
    let dur = prop_oneof![
        Just("6m"),
        Just("15m"),
        Just("20m"),
        Just("45m"),
        Just("1h"),
        Just("1h30m"),
        Just("2.25h"),
        Just("4h"),
        Just("09:10-09:47")
    ];
    let qty = prop_oneof![
        Just("1"),
        Just("2"),
        Just("3cr"),
        Just("90m"),
        Just("10h"),
        Just("0.5h")
    ];
    let price = prop_oneof![
        Just(""),
        Just(" @ 120"),
        Just(" @ 99.99"),
        Just(" for 1000"),
        Just(" for 333.33")
    ];
    let expires = prop_oneof![
        Just(""),
        Just(" expires 30d"),
        Just(" expires never"),
        Just(" expires 1mo")
    ];
    let id = prop_oneof![Just("Q1"), Just("Q2"), Just("Q3")];
    let verb = prop_oneof![
        3 => (qty.clone(), price, expires, prop_oneof![Just(""), Just(" ref:R1"), Just(" ref:R2"), Just(" ref:R3")])
            .prop_map(|(q, p, e, r)| format!("buy {{c}} {q}{p}{e}{r}")),
        1 => Just("buy {c} five".to_string()),
        5 => dur.clone().prop_map(|d| format!("log {{c}} {d} work")),
        1 => dur.clone().prop_map(|d| format!("log {{c}} {d} patch #care")),
        1 => qty.clone().prop_map(|q| format!("debit {{c}} {q}")),
        1 => Just("debit {c} banner".to_string()),
        1 => (id.clone(), qty.clone()).prop_map(|(i, q)| format!("quote {{c}} {i} {q}")),
        1 => (id.clone(), qty.clone()).prop_map(|(i, q)| format!("estimate {{c}} {i} {q}")),
        2 => (id.clone(), dur).prop_map(|(i, d)| format!("log {{c}} {d} quote:{i} work")),
        1 => id.clone().prop_map(|i| format!("approve {{c}} {i}")),
        1 => id.clone().prop_map(|i| format!("reject {{c}} {i}")),
        1 => id.prop_map(|i| format!("done {{c}} {i}")),
        1 => prop_oneof![Just("50"), Just("120"), Just("0.01"), Just("333.33")].prop_map(|a| format!("apply {{c}} {a} project:x")),
        1 => (1u32..=4, 1u32..=12, prop_oneof![Just(""), Just(" 30m"), Just(" 1")]).prop_map(|(m, d, q)| format!("refund {{c}} 2026-{m:02}-{d:02}{q}")),
        2 => (prop_oneof![Just("R1"), Just("R2"), Just("R3")], prop_oneof![Just(""), Just(" 30m"), Just(" 1")]).prop_map(|(r, q)| format!("refund {{c}} {r}{q}")),
        1 => prop_oneof![Just("+1"), Just("-45m"), Just("0"), Just("+20m")].prop_map(|q| format!("adjust {{c}} {q} fix")),
        1 => prop_oneof![Just("perf"), Just("spanned"), Just("none")].prop_map(|p| format!("plan {{c}} {p}")),
        1 => Just("bill {c}".to_string()),
    ];
    (date, client, verb).prop_map(|(d, c, v)| format!("{d} {}", v.replace("{c}", c)))
}

fn policies() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("accumulate"), Just("exact"), Just("round-up")],
        prop_oneof![Just("bill"), Just("carry"), Just("deny")],
        prop_oneof![Just("fifo"), Just("expiring-first")],
        prop_oneof![Just("never"), Just("30d"), Just("2mo")],
    )
        .prop_map(|(d, o, r, e)| book(d, o, r, e))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// `replay_str` checks the minutes and money invariant of every client after the replay.
    #[test]
    fn the_invariant_holds_for_random_journals_under_random_policies(
        book in policies(),
        lines in prop::collection::vec(line(), 0..60),
        as_of in prop_oneof![Just(""), Just("2026-03-15"), Just("2026-12-31")],
    ) {
        let journal = lines.join("\n");
        let _ = replay_str(&book, &journal, as_of);
    }

    #[test]
    fn reordering_lines_with_different_dates_changes_no_balance(
        book in policies(),
        lines in prop::collection::vec(line(), 0..40),
    ) {
        let forward = lines.join("\n");
        // Same-date lines keep their relative order; the dates come in reverse.
        let mut reversed = lines.clone();
        reversed.sort_by(|a, b| b[..10].cmp(&a[..10]));
        let backward = reversed.join("\n");
        let (_, a) = replay_str(&book, &forward, "2026-12-31");
        let (_, b) = replay_str(&book, &backward, "2026-12-31");
        for id in ["acme", "beta"] {
            let (x, y) = (client(&a, id), client(&b, id));
            prop_assert_eq!(x.balance(), y.balance());
            prop_assert_eq!(x.pending, y.pending);
            prop_assert_eq!(x.value(), y.value());
            prop_assert_eq!(&x.totals, &y.totals);
        }
        prop_assert_eq!(a.problems.len(), b.problems.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Whatever text a journal holds, parsing and replaying it never panics.
    #[test]
    fn no_journal_text_makes_parse_and_replay_panic(
        lines in prop::collection::vec(
            prop_oneof![
                line(),
                "[ -~]{0,60}",
                "2026-0[1-3]-[0-3][0-9] (buy|log|debit|refund|apply|adjust|assert|done) (acme|beta|x) [-+0-9.hmcr:@ ]{0,20}[a-zA-Z\"#;]{0,10}",
            ],
            0..40,
        ),
    ) {
        let book = crate::testing::book(&book("accumulate", "carry", "fifo", "30d"));
        let text = lines.join("\n");
        let parsed = crate::syntax::journal::parse(&text, crate::source::FileId(0), book.unit_minutes);
        let replay = crate::engine::replay(&book, &parsed.entries, None);
        for c in replay.clients.values() {
            prop_assert_eq!(crate::engine::invariant::check(c), Ok(()));
        }
    }
}

/// `entries` pushed one by one into a [`Replayer`]; `None` when it finds them out of order.
fn streamed(
    book: &crate::model::Book,
    entries: &[crate::model::Entry],
    as_of: Option<chrono::NaiveDate>,
    opts: crate::engine::ReplayOptions,
) -> Option<crate::engine::Replay> {
    let mut replayer = crate::engine::Replayer::new(book, as_of, opts);
    for e in entries {
        if replayer.push(e.clone()).is_err() {
            return None;
        }
    }
    replayer.finish().ok()
}

/// `entries` dealt out by client to `parts` replayers (each fed its own in order, as the
/// threads of `load_in_parts` feed them), then joined; `None` when one finds them out of order.
fn parted(
    book: &crate::model::Book,
    entries: &[crate::model::Entry],
    as_of: Option<chrono::NaiveDate>,
    opts: crate::engine::ReplayOptions,
    parts: usize,
) -> Option<crate::engine::Replay> {
    let partition = crate::engine::Partition::new(parts);
    let mut replayers: Vec<_> = (0..parts)
        .map(|i| crate::engine::Replayer::part(book, as_of, opts, &partition, i))
        .collect();
    for e in entries {
        if replayers[partition.of(&e.client)].push(e.clone()).is_err() {
            return None;
        }
    }
    crate::engine::Replayer::join(replayers).ok()
}

fn same_replay(a: &crate::engine::Replay, b: &crate::engine::Replay) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.as_of, b.as_of);
    prop_assert_eq!(&a.clients, &b.clients);
    prop_assert_eq!(&a.problems, &b.problems);
    prop_assert_eq!(a.later_entries, b.later_entries);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The streaming replay gives exactly the batch replay on entries in the order a journal
    /// written day by day has them, with or without history, whatever `as_of`.
    #[test]
    fn streaming_a_journal_in_date_order_gives_the_batch_replay(
        book in policies(),
        lines in prop::collection::vec(line(), 0..60),
        as_of in prop_oneof![Just(None), Just(Some("2026-03-15")), Just(Some("2026-12-31"))],
        events in any::<bool>(),
        unknown in any::<bool>(),
    ) {
        let book = crate::testing::book(&book);
        let mut lines = lines;
        if unknown {
            lines.push("2026-02-03 log nobody 15m".into());
        }
        lines.sort_by(|a, b| a[..10].cmp(&b[..10]));
        let entries = crate::testing::entries(&book, &lines.join("\n"));
        let as_of = as_of.map(|d| d.parse().unwrap());
        let opts = crate::engine::ReplayOptions { events };
        let batch = crate::engine::replay_with(&book, &entries, as_of, opts);
        let stream = streamed(&book, &entries, as_of, opts);
        prop_assert!(stream.is_some(), "a journal in date order is never out of order");
        same_replay(&stream.unwrap(), &batch)?;
        for parts in [1, 2, 3] {
            let joined = parted(&book, &entries, as_of, opts, parts);
            prop_assert!(joined.is_some(), "a journal in date order is never out of order");
            same_replay(&joined.unwrap(), &batch)?;
        }
    }

    /// On entries in any order, the streaming replay either gives exactly the batch replay or
    /// says the entries are out of order (and the caller replays them in batch).
    #[test]
    fn streaming_shuffled_entries_gives_the_batch_replay_or_says_they_are_out_of_order(
        book in policies(),
        lines in prop::collection::vec(line(), 0..60),
        keys in prop::collection::vec(any::<u32>(), 60),
        as_of in prop_oneof![Just(None), Just(Some("2026-03-15"))],
    ) {
        let book = crate::testing::book(&book);
        let mut entries = crate::testing::entries(&book, &lines.join("\n"));
        // Shuffle the entries, keeping their read order (`seq`) as the parser gave it.
        let mut keyed: Vec<(u32, crate::model::Entry)> =
            keys.iter().copied().zip(entries.drain(..)).collect();
        keyed.sort_by_key(|(k, _)| *k);
        let shuffled: Vec<crate::model::Entry> = keyed.into_iter().map(|(_, e)| e).collect();
        let opts = crate::engine::ReplayOptions { events: true };
        let batch = crate::engine::replay_with(&book, &shuffled, as_of.map(|d| d.parse().unwrap()), opts);
        if let Some(stream) = streamed(&book, &shuffled, as_of.map(|d| d.parse().unwrap()), opts) {
            same_replay(&stream, &batch)?;
        }
    }
}
