//! Periods (`-p`, `--month`, `--from`, `--to`) and dates typed on the command line
//! (`today`, `yesterday`, `tomorrow`, `-Nd`, `+Nd`), on every command that takes them.

use super::support::{Case, command, unindent};

const BOOK: &str = r#"
    [book]
    name = "Periods"
    currency = "USD"
    journals = ["journal.credits"]

    [policy]
    debit = "exact"

    [clients.acme]
    name = "Acme Corp"
"#;

const JOURNAL: &str = "
    2026-01-05 buy acme 10h @ 100 ref:INV-1
    2026-01-27 log acme 1h Week five
    2026-02-10 log acme 2h February
    2026-02-10 quote acme Q1 3h Banner
    2026-03-02 estimate acme E1 1h Fix
    2026-03-16 log acme 30m This week
";

fn case() -> Case {
    Case::new().book(BOOK).journal(JOURNAL).today("2026-03-18")
}

#[test]
fn a_statement_without_a_period_covers_last_month() {
    case()
        .args(["statement", "acme"])
        .stdout_has("Period: 2026-02-01 to 2026-02-28")
        .run();
}

#[test]
fn period_words_name_years_months_weeks_and_relative_spans() {
    for (p, header) in [
        ("2026", "Period: 2026-01-01 to 2026-03-18"),
        ("2026-02", "Period: 2026-02-01 to 2026-02-28"),
        ("2026-W05", "Period: 2026-01-26 to 2026-02-01"),
        ("this-week", "Period: 2026-03-16 to 2026-03-18"),
        ("last-week", "Period: 2026-03-09 to 2026-03-15"),
        ("last-year", "Period: 2025-01-01 to 2025-12-31"),
    ] {
        case()
            .args(["statement", "acme", "-p", p])
            .stdout_has(header)
            .run();
    }
}

#[test]
fn from_alone_runs_to_today_and_takes_relative_dates() {
    case()
        .args(["statement", "acme", "--from", "-7d"])
        .stdout_has("Period: 2026-03-11 to 2026-03-18")
        .run();
    case()
        .args(["statement", "acme", "--from", "yesterday", "--to", "today"])
        .stdout_has("Period: 2026-03-17 to 2026-03-18")
        .run();
}

#[test]
fn to_alone_and_conflicting_periods_are_bad_usage() {
    case()
        .args(["statement", "acme", "--to", "2026-03-01"])
        .code(2)
        .stderr_has("--from")
        .run();
    case()
        .args(["statement", "acme", "-p", "2026", "--month", "2026-02"])
        .code(2)
        .stderr_has("cannot be used with")
        .run();
    case()
        .args(["usage", "-p", "2026", "--from", "2026-02-01"])
        .code(2)
        .stderr_has("cannot be used with")
        .run();
    case()
        .args(["quotes", "-p", "next-month"])
        .code(2)
        .stderr_has("`next-month` is not a period")
        .run();
}

#[test]
fn quotes_in_a_period_are_those_made_in_it() {
    let out = case().args(["quotes", "-p", "2026-03"]).run();
    assert!(
        out.stdout.contains("E1") && !out.stdout.contains("Q1"),
        "{}",
        out.stdout
    );
    let all = case().args(["quotes"]).run();
    assert!(
        all.stdout.contains("E1") && all.stdout.contains("Q1"),
        "{}",
        all.stdout
    );
}

#[test]
fn usage_takes_a_period() {
    let out = case()
        .args(["usage", "acme", "-p", "2026-02", "--format", "csv"])
        .run();
    assert!(out.stdout.contains("2026-02"), "{}", out.stdout);
    assert!(!out.stdout.contains("2026-01"), "{}", out.stdout);
}

/// Run `args` on a fresh copy of the book as of 2026-03-18; the journal afterwards.
fn journal_after(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("credits.toml"), unindent(BOOK)).unwrap();
    std::fs::write(dir.path().join("journal.credits"), unindent(JOURNAL)).unwrap();
    let out = command(dir.path(), dir.path())
        .args(["--today", "2026-03-18"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    std::fs::read_to_string(dir.path().join("journal.credits")).unwrap()
}

#[test]
fn a_writing_command_takes_relative_dates_counted_from_today() {
    let journal = journal_after(&["log", "acme", "15m", "--date", "yesterday", "Late"]);
    assert!(
        journal.ends_with("2026-03-17 log acme 15m Late\n"),
        "{journal}"
    );
    let journal = journal_after(&["log", "acme", "15m", "--date", "-3d", "Late"]);
    assert!(
        journal.ends_with("2026-03-15 log acme 15m Late\n"),
        "{journal}"
    );
}

#[test]
fn a_due_date_counts_from_today_too() {
    let journal = journal_after(&["quote", "acme", "Q2", "2h", "--due", "+14d", "Site"]);
    assert!(journal.contains("due:2026-04-01"), "{journal}");
}

#[test]
fn today_itself_takes_only_a_day() {
    case()
        .no_today()
        .args(["--today", "yesterday", "balance"])
        .code(2)
        .stderr_has("is not a date")
        .run();
}

#[test]
fn out_files_are_named_after_the_period_as_asked() {
    for (args, file) in [
        (vec!["-p", "2026"], "acme-2026.md"),
        (vec!["-p", "2026-W05"], "acme-2026-W05.md"),
        (vec!["--month", "2026-02"], "acme-2026-02.md"),
        (vec![], "acme-2026-02.md"),
        (
            vec!["--from", "2026-01-10", "--to", "2026-02-10"],
            "acme-2026-01-10_2026-02-10.md",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let printed = case()
            .args(["statement", "--all", "--format", "md"])
            .args(args)
            .args(["--out".to_string(), out.display().to_string()])
            .run();
        assert_eq!(printed.stdout, format!("{}\n", out.join(file).display()));
        assert!(out.join(file).is_file(), "{file}");
    }
}
