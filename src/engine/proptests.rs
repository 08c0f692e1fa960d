//! Property tests: random journals under random policies keep the §4 invariant, and the
//! order of lines with different dates changes no balance.

use crate::testing::{client, replay_str};
use proptest::prelude::*;

pub(crate) fn book(debit: &str, overdraft: &str, order: &str, expires: &str) -> String {
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

[plans.rolling]
monthly = "2h"
rollover = "1h"
minimum = "30m"

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

pub(crate) fn line() -> impl Strategy<Value = String> {
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
        1 => prop_oneof![Just("perf"), Just("spanned"), Just("rolling"), Just("none")].prop_map(|p| format!("plan {{c}} {p}")),
        1 => Just("bill {c}".to_string()),
    ];
    (date, client, verb).prop_map(|(d, c, v)| format!("{d} {}", v.replace("{c}", c)))
}

pub(crate) fn policies() -> impl Strategy<Value = String> {
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
/// threads of `load::Strategy::Parts` feed them), then joined; `None` when one finds them out of order.
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
        let opts = crate::engine::ReplayOptions { events, events_from: None, sums: false, burn_from: "2026-02-01".parse().ok(), projects: false };
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
        let opts = crate::engine::ReplayOptions::default();
        let batch = crate::engine::replay_with(&book, &shuffled, as_of.map(|d| d.parse().unwrap()), opts);
        if let Some(stream) = streamed(&book, &shuffled, as_of.map(|d| d.parse().unwrap()), opts) {
            same_replay(&stream, &batch)?;
        }
    }
}

/// `entries` dealt out by client to `parts` replayers that set aside the clients out of date
/// order, joined; then, as `cli::Replaying::load` does, the clients set aside replayed again
/// alone ([`Replayer::only`](crate::engine::Replayer::only)), their dates waiting as long as
/// their lines came late, through the day the others were finished through. Returns the
/// replay and the clients set aside; a client set aside again fails the test.
fn parted_setting_aside(
    book: &crate::model::Book,
    entries: &[crate::model::Entry],
    as_of: Option<chrono::NaiveDate>,
    opts: crate::engine::ReplayOptions,
    parts: usize,
) -> (crate::engine::Replay, Vec<String>) {
    let partition = crate::engine::Partition::new(parts);
    let read = |only: Option<&[(String, u64)]>| {
        let mut replayers: Vec<_> = (0..parts)
            .map(|i| {
                let mut r = crate::engine::Replayer::part(book, as_of, opts, &partition, i);
                r.set_aside();
                if let Some(clients) = only {
                    r.only(clients);
                }
                r
            })
            .collect();
        for e in entries {
            let pushed = replayers[partition.of(&e.client)].push(e.clone());
            assert!(
                pushed.is_ok(),
                "a replayer setting clients aside never says out of order"
            );
        }
        let aside: Vec<(String, u64)> = (replayers.iter())
            .flat_map(|r| r.aside_late().map(|(id, days)| (id.to_string(), days)))
            .collect();
        (replayers, aside)
    };
    let (first, aside) = read(None);
    let end = crate::engine::Replayer::end(&first);
    let mut replay = crate::engine::Replayer::join(first).expect("never out of order");
    let (second, still) = read(Some(&aside));
    assert!(still.is_empty(), "set aside again: {still:?}");
    let mut again = crate::engine::Replayer::join_through(second, end).expect("never out of order");
    for (id, _) in &aside {
        let state = again
            .clients
            .remove(id)
            .expect("every client set aside is replayed again");
        replay.clients.insert(id.clone(), state);
    }
    replay.problems.append(&mut again.problems);
    crate::diagnostic::sort(&mut replay.problems);
    (replay, aside.into_iter().map(|(id, _)| id).collect())
}

/// A client's dates, in read order, hold a line recorded too late to run in its place: dated
/// on or before a date that has run (every date before a later one read runs then).
fn too_late(dates: &[chrono::NaiveDate]) -> bool {
    let (mut latest, mut replayed) = (None, None);
    for &d in dates {
        match latest {
            Some(l) if d > l => {
                replayed = Some(l);
                latest = Some(d);
            }
            Some(_) if replayed.is_some_and(|r| d <= r) => return true,
            Some(_) => {}
            None => latest = Some(d),
        }
    }
    false
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// A journal in date order but for a few lines recorded late (moved later in the file):
    /// the replay that sets their clients aside and replays them again alone, their dates
    /// waiting as long as their lines came late, is exactly the batch replay, in 1–3 parts, with or without history, whatever `as_of`.
    /// A line recorded late runs in its place while no date of its client on or after its own
    /// has been replayed; the clients set aside are those with a line later than that, and no
    /// others.
    #[test]
    fn clients_set_aside_for_lines_recorded_late_give_the_batch_replay(
        book in policies(),
        lines in prop::collection::vec(line(), 0..60),
        late in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..4),
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
        // A line recorded late: taken out and written again further down the file.
        for (from, to) in late {
            if lines.is_empty() {
                break;
            }
            let line = lines.remove(from.index(lines.len()));
            let at = to.index(lines.len() + 1);
            lines.insert(at, line);
        }
        let entries = crate::testing::entries(&book, &lines.join("\n"));
        let as_of = as_of.map(|d| d.parse().unwrap());
        let opts = crate::engine::ReplayOptions { events, events_from: None, sums: false, burn_from: "2026-02-01".parse().ok(), projects: false };
        let batch = crate::engine::replay_with(&book, &entries, as_of, opts);
        for parts in [1, 2, 3] {
            let (replay, aside) = parted_setting_aside(&book, &entries, as_of, opts, parts);
            same_replay(&replay, &batch)?;
            for id in book.clients.keys() {
                let mine: Vec<_> = (entries.iter())
                    .filter(|e| e.client == *id && as_of.is_none_or(|d| e.date <= d))
                    .map(|e| e.date)
                    .collect();
                prop_assert_eq!(aside.contains(id), too_late(&mine), "client `{}`", id);
            }
        }
    }
}

/// Every report the reading commands print, rendered in each format, from a replay of `text`
/// (one journal) as of `as_of`.
fn every_report(book: &crate::model::Book, text: &str, as_of: chrono::NaiveDate) -> Vec<String> {
    use crate::{render, report};
    let parsed = crate::syntax::journal::parse(text, crate::source::FileId(1), book.unit_minutes);
    let replay = crate::engine::replay_with(
        book,
        &parsed.entries,
        Some(as_of),
        crate::engine::ReplayOptions::default().with_forecast(as_of),
    );
    let lean = crate::engine::replay_with(
        book,
        &parsed.entries,
        Some(as_of),
        crate::engine::ReplayOptions::STATES.with_forecast(as_of),
    );
    let from = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let statements: Vec<_> = book
        .clients
        .keys()
        .map(|c| report::statement(book, &replay, c, from, as_of, as_of))
        .collect();
    let balance = report::balance(book, &lean, as_of, None);
    let detail = report::balance(book, &lean, as_of, Some("acme"));
    let expiring = report::expiring(book, &replay, as_of, None);
    let usage = report::usage(book, &replay, as_of, None, report::Period::Week, None, None);
    let export = report::export::export(book, &replay, as_of);
    let mut out = vec![
        render::text::balance(&balance, false),
        render::json::balance(&balance),
        render::text::balance_detail(&detail, false),
        render::json::statements(&statements),
        render::csv::statements(&statements),
        render::expiring::text(&expiring, false),
        render::expiring::json(&expiring),
        render::expiring::csv(&expiring),
        render::usage::text(&usage, false),
        render::usage::json(&usage),
        render::usage::csv(&usage),
        render::json::clients(&report::clients(book, &replay)),
        render::export::hledger(&export),
        render::export::ledger(&export),
        render::export::beancount(&export),
        render::export::csv(&export),
        render::export::json(&export),
    ];
    out.extend(statements.iter().map(|s| render::text::statement(s, false)));
    // How many problems, not where: positions move with the lines.
    out.push(format!("{} {}", replay.problems.len(), lean.problems.len()));
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Lines of few dates (many share one), in any order: every report, in every format, is
    /// the same, because within a date entries run by class and canonical text.
    #[test]
    fn any_order_of_the_lines_gives_every_report_byte_for_byte(
        book in policies(),
        lines in prop::collection::vec((line(), 0usize..5, any::<bool>()), 0..50),
        keys in prop::collection::vec(any::<u32>(), 50),
        as_of in prop_oneof![Just("2026-02-10"), Just("2026-12-31")],
    ) {
        const DATES: [&str; 5] = ["2026-01-05", "2026-01-06", "2026-02-01", "2026-02-10", "2026-03-01"];
        let book = crate::testing::book(&book);
        // On few dates; some lines twice (identical lines are interchangeable), some with a
        // comment or wider spaces (not part of the canonical text).
        let mut lines: Vec<String> = lines
            .into_iter()
            .flat_map(|(l, d, twice)| {
                let l = format!("{}{}", DATES[d], &l[10..]);
                let variant = if twice { format!("{} ; again", l.replacen(' ', "  ", 2)) } else { l.clone() };
                if twice { vec![l, variant] } else { vec![l] }
            })
            .collect();
        let forward = every_report(&book, &lines.join("\n"), as_of.parse().unwrap());
        let mut keyed: Vec<(u32, String)> = keys.iter().copied().cycle().zip(lines.drain(..)).collect();
        keyed.sort_by_key(|(k, _)| *k);
        let shuffled: Vec<String> = keyed.into_iter().map(|(_, l)| l).collect();
        let backward = every_report(&book, &shuffled.join("\n"), as_of.parse().unwrap());
        for (x, y) in forward.iter().zip(&backward) {
            prop_assert_eq!(x, y);
        }
    }
}

/// A client's state with its closed grants left out: a lean replay forgets them (when it
/// forgets depends on how many it made), and nothing reads them.
fn without_closed_grants(c: &crate::engine::ClientState) -> crate::engine::ClientState {
    let mut c = c.clone();
    c.lots
        .retain(|l| l.kind != crate::engine::LotKind::Grant || l.is_open());
    c
}

/// A line of `line()` moved to a month of 2026–2029, so that plans sit idle for years.
fn spread(line: &str, year: u32) -> String {
    format!("{}{}", 2026 + year, &line[4..])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Idle months skipped in closed form give exactly what stepping through each month
    /// gives: every client's state (its closed grants aside), the problems, and the balance
    /// reports, through dates near and far, on a 1st or not, whether grants lapse at month
    /// end, within the month, after months or never, and whatever part of them rolls over.
    #[test]
    fn skipping_idle_months_gives_what_stepping_gives(
        book in policies(),
        span in prop_oneof![
            Just("45d"), Just("10d"), Just("1mo"), Just("3mo"), Just("30y"), Just("1000y"), Just("9000y"),
        ],
        rollover in prop_oneof![Just("1h"), Just("1m"), Just("2h"), Just("5h"), Just("0m")],
        lines in prop::collection::vec((line(), 0u32..4), 0..40),
        as_of in prop_oneof![
            Just("2026-03-15"), Just("2027-01-01"), Just("2029-12-31"),
            Just("2031-06-01"), Just("2100-02-28"), Just("2400-01-01"),
        ],
    ) {
        use crate::{render, report};
        let book = book
            .replace("\"45d\"", &format!("\"{span}\""))
            .replace("rollover = \"1h\"", &format!("rollover = \"{rollover}\""));
        let book = crate::testing::book(&book);
        let mut lines: Vec<String> = lines.iter().map(|(l, y)| spread(l, *y)).collect();
        lines.sort_by(|a, b| a[..10].cmp(&b[..10]));
        let entries = crate::testing::entries(&book, &lines.join("\n"));
        let as_of: chrono::NaiveDate = as_of.parse().unwrap();
        let lean = crate::engine::ReplayOptions::STATES;
        let skipped = crate::engine::replay_with(&book, &entries, Some(as_of), lean);
        let stepped = super::calendar::stepping(|| {
            crate::engine::replay_with(&book, &entries, Some(as_of), lean)
        });
        prop_assert_eq!(&skipped.problems, &stepped.problems);
        prop_assert_eq!(skipped.clients.len(), stepped.clients.len());
        for (id, a) in &skipped.clients {
            let b = &stepped.clients[id];
            prop_assert_eq!(without_closed_grants(a), without_closed_grants(b));
            prop_assert_eq!(crate::engine::invariant::check(a), Ok(()));
        }
        // With history kept, every month is stepped: the same replay either way.
        let full = crate::engine::replay_with(&book, &entries, Some(as_of), crate::engine::ReplayOptions::default());
        let full_stepped = super::calendar::stepping(|| {
            crate::engine::replay_with(&book, &entries, Some(as_of), crate::engine::ReplayOptions::default())
        });
        same_replay(&full, &full_stepped)?;
        for (id, a) in &skipped.clients {
            prop_assert_eq!(&a.totals, &full.clients[id].totals);
        }
        let reports = |r: &crate::engine::Replay| {
            let all = report::balance(&book, r, as_of, None);
            let one = report::balance(&book, r, as_of, Some("acme"));
            vec![
                render::text::balance(&all, false),
                render::json::balance(&all),
                render::text::balance_detail(&one, false),
            ]
        };
        prop_assert_eq!(reports(&skipped), reports(&stepped));
        prop_assert_eq!(reports(&skipped), reports(&full));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The forecast's burn, summed as the replay runs (with or without history), is the time
    /// the history shows `log`, `debit`, `done` and `adjust -` lines (and the pending work a
    /// `plan` change debits, a `debit` line) drawing from lots in the window: what a second
    /// pass over the events would find.
    #[test]
    fn the_burn_is_what_logs_debits_done_and_adjustments_drew_in_the_window(
        book in policies(),
        lines in prop::collection::vec(line(), 0..60),
        as_of in prop_oneof![Just("2026-03-15"), Just("2026-04-30"), Just("2026-12-31")],
    ) {
        use crate::engine::{EventKind, ReplayOptions, replay_with};
        let book = crate::testing::book(&book);
        let entries = crate::testing::entries(&book, &lines.join("\n"));
        let as_of: chrono::NaiveDate = as_of.parse().unwrap();
        let full = replay_with(&book, &entries, Some(as_of), ReplayOptions::default().with_forecast(as_of));
        let lean = replay_with(&book, &entries, Some(as_of), ReplayOptions::STATES.with_forecast(as_of));
        let from = as_of - chrono::Days::new(89);
        for (id, c) in &full.clients {
            let drawn: rust_decimal::Decimal = c
                .draws
                .iter()
                .filter(|d| {
                    let e = &c.events[d.event];
                    // An `adjust +` draws from its own new lot only to repay carried debt.
                    let debit = e.kind != EventKind::Adjust || e.credited.is_none();
                    e.date >= from
                        && debit
                        && matches!(e.kind, EventKind::Log | EventKind::Debit | EventKind::Done | EventKind::Adjust)
                })
                .map(|d| d.minutes)
                .sum();
            prop_assert_eq!(c.burn, drawn, "client {}", id);
            prop_assert_eq!(lean.clients[id].burn, drawn, "client {} without history", id);
        }
    }
}
