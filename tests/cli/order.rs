//! Figures depend on the set of lines, never on their order: a book's lines split across two
//! journals and an include, shuffled within and across the files, give every reading
//! command's output byte for byte (diagnostics aside: their positions move with the lines).

use super::support::{Case, command};
use credits::source::FileId;
use proptest::prelude::*;
use std::fs;
use std::path::Path;

const BOOK: &str = r#"
[book]
name = "Order"
currency = "USD"
journals = ["main.credits", "second.credits"]

[policy]
unit_price = "140"
round_to = "15m"
refund_days = 60
expires = "90d"

[plans.perf]
discount = "30%"
monthly = "2h"
covered = ["care"]

[plans.span]
monthly = "1h"
monthly_expires = "45d"
debit = "exact"

[packages]
five = { units = 5, price = "600" }

[tasks]
banner = { units = 1, title = "Banner" }

[clients.acme]
name = "Acme Corp"
rate = "150"

[clients.beta]
rate = "90"
order = "expiring-first"
debit = "round-up"

[clients.gamma]
overdraft = "carry"
debit = "exact"
"#;

const TODAY: &str = "2026-03-31";

/// Few dates, so that many entries share one.
const DATES: [&str; 8] = [
    "2026-01-01",
    "2026-01-05",
    "2026-01-20",
    "2026-02-01",
    "2026-02-03",
    "2026-02-15",
    "2026-03-01",
    "2026-03-02",
];

const CLIENTS: [&str; 3] = ["acme", "beta", "gamma"];

/// Every reading command, in the formats it has.
const COMMANDS: &[&[&str]] = &[
    &["balance"],
    &["balance", "--format", "json"],
    &["balance", "acme"],
    &["balance", "beta", "--format", "json"],
    &[
        "statement",
        "--all",
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-31",
    ],
    &[
        "statement",
        "--all",
        "--month",
        "2026-02",
        "--format",
        "json",
    ],
    &[
        "statement",
        "--all",
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-31",
        "--format",
        "csv",
    ],
    &["statement", "acme", "--month", "2026-01", "--format", "md"],
    &[
        "statement",
        "gamma",
        "--month",
        "2026-02",
        "--format",
        "html",
    ],
    &["expiring", "--within", "12mo"],
    &["expiring", "--within", "12mo", "--format", "json"],
    &["expiring", "--within", "12mo", "--format", "csv"],
    &["usage"],
    &["usage", "--by", "week", "--from", "2026-01-01"],
    &["usage", "--format", "json"],
    &["usage", "--format", "csv"],
    &["clients"],
    &["clients", "--format", "json"],
    &["export", "hledger"],
    &["export", "ledger"],
    &["export", "beancount"],
    &["export", "csv"],
    &["export", "json"],
    &["export", "hledger", "-p", "2026-02"],
    &["register", "--format", "json"],
    &["register"],
    &["register", "acme", "--format", "csv"],
    &["register", "-p", "2026-01", "--format", "csv"],
    &["usage", "--tag", "dev"],
    &["projects", "--format", "json"],
];

/// One generated line: what it is, for whom, when, and a number its details are drawn from.
type Op = (u8, usize, usize, u32);

/// A small random number generator (xorshift): shuffles are drawn from a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn pick<'a>(from: &[&'a str], k: u32) -> &'a str {
    from[k as usize % from.len()]
}

/// The lines of a book: purchases (priced, packaged, expiring, with refs), logs (covered,
/// described, quoted descriptions, comments, odd spacing), fixed debits, quotes answered and
/// done, applied money, refunds, adjustments, plan changes, bills and the odd identical line.
fn lines(ops: &[Op]) -> Vec<String> {
    let mut out = Vec::new();
    let mut planned = std::collections::HashSet::new();
    for (n, &(kind, c, d, k)) in ops.iter().enumerate() {
        let client = CLIENTS[c % CLIENTS.len()];
        let d = d % DATES.len();
        let date = DATES[d];
        // Later dates (or the same) for the steps that follow.
        let later = |by: u32| DATES[(d + by as usize).min(DATES.len() - 1)];
        let (step1, step2) = ((k >> 5) % 3, (k >> 5) % 3 + (k >> 8) % 2);
        match kind % 12 {
            0 | 1 => {
                let qty = pick(&["1", "2", "10h", "90m", "0.5h", "3cr"], k);
                let price = pick(
                    &["", " @ 120", " @ 99.99", " for 1000", " for 333.33"],
                    k >> 3,
                );
                let expires = pick(
                    &["", " expires 30d", " expires never", " expires 1mo"],
                    k >> 6,
                );
                if k & 0x200 != 0 {
                    out.push(format!("{date} buy {client} five"));
                } else if k & 0x400 != 0 {
                    // A lot with a ref, partly refunded, partly applied to a project.
                    out.push(format!("{date} buy {client} 10h{price}{expires} ref:L{n}"));
                    out.push(format!("{date} refund {client} L{n} 15m"));
                    let amount = pick(&["10", "25.50", "12.34 USD"], k >> 11);
                    out.push(format!("{date} apply {client} {amount} project:site"));
                } else {
                    out.push(format!("{date} buy {client} {qty}{price}{expires}"));
                }
            }
            2..=4 => {
                let dur = pick(
                    &["15m", "20m", "45m", "1h", "1h30m", "2.25h", "09:10-09:47"],
                    k,
                );
                let desc = pick(
                    &[
                        "",
                        " Fix header",
                        " \"quoted  text\"",
                        " Plugin update",
                        " a \"b\\\"c\"",
                    ],
                    k >> 3,
                );
                let tag = pick(&["", " #dev", " #care"], k >> 6);
                let tail = pick(&["", " ; a comment", "   "], k >> 8);
                let line = format!("{date} log {client} {dur}{desc}{tag}{tail}");
                if k & 0x400 != 0 {
                    // Two people logged the same thing: two entries, interchangeable.
                    out.push(line.clone());
                }
                out.push(line.replacen(" log ", pick(&[" log ", "  log\t"], k >> 10), 1));
            }
            5 => {
                let what = pick(&["1", "banner", "30m", "2h"], k);
                let desc = pick(&["", " Setup", " Audit"], k >> 3);
                out.push(format!("{date} debit {client} {what}{desc}"));
            }
            6 => {
                let qty = pick(&["1", "banner", "90m", "3"], k);
                out.push(format!("{date} quote {client} Q{n} {qty} Landing page"));
                if k & 0x10 != 0 {
                    out.push(format!("{} reject {client} Q{n}", later(step1)));
                } else {
                    out.push(format!("{} approve {client} Q{n}", later(step1)));
                    if k & 0x8 != 0 {
                        out.push(format!("{} done {client} Q{n}", later(step2)));
                    }
                }
            }
            8 => {
                let adj = pick(
                    &["+1h goodwill", "-30m correction", "0 note", "+15m gift"],
                    k,
                );
                out.push(format!("{date} adjust {client} {adj}"));
            }
            9 => {
                // At most one plan entry per client and date: a second one is an error.
                if planned.insert((c % CLIENTS.len(), d)) {
                    let plan = pick(&["perf", "span", "none"], k);
                    out.push(format!("{date} plan {client} {plan}"));
                }
            }
            10 => {
                let r = pick(&["", " ref:INV-1", " ref:INV-2 March"], k);
                out.push(format!("{date} bill {client}{r}"));
            }
            _ => {
                let (d2, c2) = ((d + 1) % DATES.len(), (c + 1) % CLIENTS.len());
                out.push(format!("{} log {} 10m", DATES[d2], CLIENTS[c2]));
            }
        }
    }
    out
}

/// Asserts that hold: each client's balance at the end of some dates, as the library
/// replays the lines.
fn asserts(lines: &[String], picks: &[(usize, usize)]) -> Vec<String> {
    let book = credits::syntax::book::parse(BOOK, FileId(0)).expect("the book");
    let text = lines.join("\n");
    let parsed = credits::syntax::journal::parse(&text, FileId(1), book.unit_minutes);
    let mut out = Vec::new();
    for &(c, d) in picks {
        let (client, date) = (CLIENTS[c % CLIENTS.len()], DATES[d % DATES.len()]);
        let replay =
            credits::engine::replay(&book, &parsed.entries, Some(date.parse().expect("a date")));
        let balance = replay.clients[client].balance().normalize();
        out.push(format!("{date} assert {client} {balance}m"));
    }
    out
}

/// Deal `lines` to the two journals and the include, in an order drawn from `seed`, and write
/// them into `dir`. The include line itself lands anywhere in the second journal.
fn write_book(dir: &Path, lines: &[String], seed: u64) {
    let mut rng = Rng(seed | 1);
    let mut files: [Vec<String>; 3] = Default::default();
    let mut order: Vec<&String> = lines.iter().collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i + 1));
    }
    for line in order {
        files[rng.below(3)].push(line.clone());
    }
    let at = rng.below(files[1].len() + 1);
    files[1].insert(at, "include inc.credits".into());
    fs::write(dir.join("credits.toml"), BOOK).expect("write the book");
    for (name, lines) in ["main.credits", "second.credits", "inc.credits"]
        .iter()
        .zip(&files)
    {
        let mut text = lines.join("\n");
        text.push('\n');
        fs::write(dir.join(name), text).expect("write a journal");
    }
}

/// Every reading command's exit code and standard output on the book in `dir`.
fn outputs(dir: &Path) -> Vec<(i32, String)> {
    outputs_on(dir, None)
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec((any::<u8>(), 0usize..3, 0usize..8, any::<u32>()), 8..40)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 12,
        max_shrink_iters: 40,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_report_is_the_same_whatever_the_order_of_the_lines_and_files(
        ops in ops(),
        picks in prop::collection::vec((0usize..3, 0usize..8), 0..4),
        seeds in (any::<u64>(), any::<u64>()),
    ) {
        let mut all = lines(&ops);
        all.extend(asserts(&all, &picks));
        let (a, b, c) = (tempfile::tempdir()?, tempfile::tempdir()?, tempfile::tempdir()?);
        write_book(a.path(), &all, seeds.0);
        write_book(b.path(), &all, seeds.1);
        // And the same lines in date order in one journal, with no include.
        let mut sorted = all.clone();
        sorted.sort_by(|a, b| a[..10].cmp(&b[..10]));
        write_in_order(c.path(), &sorted);
        let check = |dir: &Path| {
            command(dir, dir).args(["--today", TODAY, "check"]).output().map(|o| o.status.code())
        };
        prop_assert_eq!(check(a.path())?, check(b.path())?);
        prop_assert_eq!(check(a.path())?, check(c.path())?);
        let (x, y, z) = (outputs(a.path()), outputs(b.path()), outputs(c.path()));
        for (((args, x), y), z) in COMMANDS.iter().zip(x).zip(y).zip(z) {
            prop_assert_eq!(&x, &y, "credits {:?}\n{}", args, all.join("\n"));
            prop_assert_eq!(&x, &z, "credits {:?}\n{}", args, all.join("\n"));
        }
    }
}

/// The book of `lines` in one journal, in the order given (the second journal empty).
fn write_in_order(dir: &Path, lines: &[String]) {
    fs::write(dir.join("credits.toml"), BOOK).expect("write the book");
    let mut text = lines.join("\n");
    text.push('\n');
    fs::write(dir.join("main.credits"), text).expect("write the journal");
    fs::write(dir.join("second.credits"), "").expect("write the second journal");
}

/// `outputs` on `threads` threads (`None`: one per core).
fn outputs_on(dir: &Path, threads: Option<&str>) -> Vec<(i32, String)> {
    COMMANDS
        .iter()
        .map(|args| {
            let mut command = command(dir, dir);
            if let Some(n) = threads {
                command.env("CREDITS_THREADS", n);
            }
            let out = command
                .args(["--today", TODAY])
                .args(*args)
                .output()
                .expect("run credits");
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            (out.status.code().unwrap_or(-1), stdout)
        })
        .collect()
}

/// The book of `sorted` (lines in date order) cut into consecutive slices, one journal each
/// (`j0.credits`, `j1.credits`, …, matched by a glob), the journal new entries go to first:
/// each journal in date order, the journals in the order `rank` gives their slices (an
/// archive of past years listed after this year's journal).
fn write_sliced(dir: &Path, sorted: &[String], cuts: &[usize], rank: &[usize]) {
    let mut bounds: Vec<usize> = cuts.iter().map(|c| c % (sorted.len() + 1)).collect();
    bounds.push(0);
    bounds.push(sorted.len());
    bounds.sort_unstable();
    let slices: Vec<&[String]> = bounds.windows(2).map(|w| &sorted[w[0]..w[1]]).collect();
    let mut order: Vec<usize> = (0..slices.len()).collect();
    order.sort_by_key(|&i| rank.get(i).copied().unwrap_or(0));
    let book = BOOK.replace(
        r#"journals = ["main.credits", "second.credits"]"#,
        r#"journals = ["main.credits", "j*.credits"]"#,
    );
    fs::write(dir.join("credits.toml"), book).expect("write the book");
    for (n, &i) in order.iter().enumerate() {
        let name = if n == 0 {
            "main.credits".to_string()
        } else {
            format!("j{n}.credits")
        };
        let mut text = slices[i].join("\n");
        text.push('\n');
        fs::write(dir.join(name), text).expect("write a journal");
    }
}

/// Write the book with `sorted` (lines in date order) dealt out to journals: line `i` to the
/// journal `deal[i % deal.len()]` (of at most four), each journal's lines in date order, as a
/// consultant who keeps a journal per client or per person writes them.
fn write_dealt(dir: &Path, sorted: &[String], deal: &[usize]) {
    let book = BOOK.replace(
        r#"journals = ["main.credits", "second.credits"]"#,
        r#"journals = ["main.credits", "j*.credits"]"#,
    );
    fs::write(dir.join("credits.toml"), book).expect("write the book");
    let mut texts = vec![String::new(); 4];
    for (i, line) in sorted.iter().enumerate() {
        let text = &mut texts[deal.get(i % deal.len().max(1)).copied().unwrap_or(0) % 4];
        text.push_str(line);
        text.push('\n');
    }
    for (n, text) in texts.iter().enumerate() {
        let name = if n == 0 {
            "main.credits".to_string()
        } else {
            format!("j{n}.credits")
        };
        fs::write(dir.join(name), text).expect("write a journal");
    }
}

/// Every report of the book in `b`, on 1, 2 and 3 threads, is the one of the book in `a` (its
/// `lines` in date order in one journal) on one thread.
fn same_reports_on_any_threads(a: &Path, b: &Path, lines: &[String]) -> Result<(), TestCaseError> {
    let expected = outputs_on(a, Some("1"));
    for threads in ["1", "2", "3"] {
        for ((args, x), y) in COMMANDS
            .iter()
            .zip(&expected)
            .zip(outputs_on(b, Some(threads)))
        {
            prop_assert_eq!(
                x,
                &y,
                "credits {:?} on {} threads\n{}",
                args,
                threads,
                lines.join("\n")
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 6,
        max_shrink_iters: 20,
        ..ProptestConfig::default()
    })]

    /// Lines recorded late (yesterday's work logged after today's): a journal in date order
    /// but for a few lines further down. The clients they name are read again on their own;
    /// every report is the one of the journal in date order, on 1 to 3 threads.
    #[test]
    fn lines_recorded_late_give_every_report_of_the_book_in_date_order(
        ops in ops(),
        late in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..4),
    ) {
        let mut sorted = lines(&ops);
        sorted.sort_by(|a, b| a[..10].cmp(&b[..10]));
        let mut moved = sorted.clone();
        for (from, to) in late {
            let line = moved.remove(from.index(moved.len()));
            let at = to.index(moved.len() + 1);
            moved.insert(at, line);
        }
        let (a, b) = (tempfile::tempdir()?, tempfile::tempdir()?);
        write_in_order(a.path(), &sorted);
        write_in_order(b.path(), &moved);
        same_reports_on_any_threads(a.path(), b.path(), &moved)?;
    }

    /// Journals each in date order but listed in any order (the archives of past years after
    /// the journal of this year): every report is the one of the book in one journal in date
    /// order, on 1 to 3 threads.
    #[test]
    fn journals_listed_in_any_order_give_every_report_of_the_book_in_one_journal(
        ops in ops(),
        cuts in prop::collection::vec(any::<usize>(), 0..4),
        rank in prop::collection::vec(any::<usize>(), 5),
    ) {
        let mut sorted = lines(&ops);
        sorted.sort_by(|a, b| a[..10].cmp(&b[..10]));
        let (a, b) = (tempfile::tempdir()?, tempfile::tempdir()?);
        write_in_order(a.path(), &sorted);
        write_sliced(b.path(), &sorted, &cuts, &rank);
        same_reports_on_any_threads(a.path(), b.path(), &sorted)?;
    }

    /// Lines dealt out to up to four journals, each in date order, their dates overlapping
    /// (a journal per client, or per person): every report is the one of the book in one
    /// journal, on 1 to 3 threads.
    #[test]
    fn journals_whose_dates_overlap_give_every_report_of_the_book_in_one_journal(
        ops in ops(),
        deal in prop::collection::vec(0usize..4, 1..12),
    ) {
        let mut sorted = lines(&ops);
        sorted.sort_by(|a, b| a[..10].cmp(&b[..10]));
        let (a, b) = (tempfile::tempdir()?, tempfile::tempdir()?);
        write_in_order(a.path(), &sorted);
        write_dealt(b.path(), &sorted, &deal);
        same_reports_on_any_threads(a.path(), b.path(), &sorted)?;
    }
}

/// Jane logged 1h and ran `bill`; Bob logged 45m and bought a package, the same day. In file
/// order, Jane's lines first would leave 1h of overage billed and a full package, Bob's first
/// an hour debited from it. Either way the day runs the purchase first, then the logs.
#[test]
fn two_peoples_lines_of_one_day_give_one_balance_in_either_order() {
    let book = r#"
        [book]
        name = "Jane Doe Web Services"
        currency = "USD"

        [packages]
        ten = { units = 10, price = "1200" }

        [clients.acme]
        rate = "150"
    "#;
    let jane = "2026-03-02 log acme 1h Fixed the header\n2026-03-02 bill acme ref:INV-7\n";
    let bob = "2026-03-02 log acme 45m Plugin update\n2026-03-02 buy acme ten\n";
    let run = |journal: String| {
        Case::new()
            .book(book)
            .journal(&journal)
            .today("2026-03-02")
            .args(["balance", "--format", "json"])
            .run()
            .stdout
    };
    let jane_first = run(format!("{jane}{bob}"));
    let bob_first = run(format!("{bob}{jane}"));
    assert_eq!(jane_first, bob_first);
    // 10h bought, then 1h and 45m logged: one hour debited, 45m pending, nothing owed.
    assert!(
        jane_first.contains(r#""balance_minutes": "540""#),
        "{jane_first}"
    );
    assert!(
        jane_first.contains(r#""pending_minutes": "45""#),
        "{jane_first}"
    );
    assert!(
        jane_first.contains(r#""overage_minutes": "0""#),
        "{jane_first}"
    );
}

/// Two `plan` lines for one client on one date are an error, even when they are identical;
/// the second in canonical order is the one reported, and ignored.
#[test]
fn a_second_plan_on_one_date_is_reported_and_ignored() {
    let book = r#"
        [book]
        name = "Plans"
        currency = "USD"

        [plans.gold]
        monthly = "2h"

        [plans.silver]
        monthly = "1h"

        [clients.acme]
    "#;
    Case::new()
        .book(book)
        .journal("2026-03-02 plan acme silver\n2026-03-02 plan acme gold\n")
        .today("2026-03-02")
        .args(["check"])
        .code(1)
        .stderr_has("journal.credits:1:12: `acme` already has a `plan` entry on 2026-03-02: `plan acme gold`")
        .run();
    // Of identical lines, the later in the file is reported.
    let out = Case::new()
        .book(book)
        .journal("2026-03-02 plan acme gold\n2026-03-02 plan acme gold ; again\n")
        .today("2026-03-02")
        .args(["check"])
        .code(1)
        .stderr_has("journal.credits:2:12: `acme` already has a `plan` entry on 2026-03-02")
        .run();
    assert!(!out.stderr.contains("journal.credits:1:"), "{}", out.stderr);
}
