//! The retainer rules on the command line: a minimum charge on `credits log`, and its refusal
//! under `overdraft = "deny"`; the rollover line of a statement.

use super::support::Case;

const BOOK: &str = r#"
    [book]
    name = "Studio"
    currency = "USD"

    [policy]
    debit = "round-up"
    round_to = "15m"
    minimum = "30m"

    [plans.retainer]
    monthly = "2h"
    rollover = "1h"

    [clients.acme]

    [clients.tight]
    overdraft = "deny"
"#;

const JOURNAL: &str = "
    2026-01-05 buy acme 2h @ 100
    2026-01-05 buy tight 20m @ 100
";

#[test]
fn a_short_log_is_charged_the_minimum_then_rounded() {
    Case::new()
        .book(BOOK)
        .journal(JOURNAL)
        .today("2026-01-06")
        .args(["log", "acme", "10m", "Quick fix"])
        .stdout_has("acme: balance 1.5 credits (1:30)")
        .run();
    Case::new()
        .book(BOOK)
        .journal(JOURNAL)
        .today("2026-01-06")
        .args(["log", "acme", "40m", "Longer fix"])
        .stdout_has("acme: balance 1.25 credits (1:15)")
        .run();
}

#[test]
fn a_minimum_beyond_the_time_left_is_refused_under_deny_and_says_why() {
    Case::new()
        .book(BOOK)
        .journal(JOURNAL)
        .today("2026-01-06")
        .args(["log", "tight", "10m", "Quick fix"])
        .code(1)
        .stderr_has("this log debits 30m (the `minimum` charge for 10m) but `tight` has only 20m")
        .stderr_has("not written")
        .run();
}

#[test]
fn a_statement_shows_the_time_that_rolled_over_and_only_the_rest_as_expired() {
    let out = Case::new()
        .book(BOOK)
        .journal(
            "
            2026-01-01 plan acme retainer
            2026-01-10 log acme 30m Setup
            ",
        )
        .args([
            "statement",
            "acme",
            "--month",
            "2026-02",
            "--today",
            "2026-02-10",
        ])
        .run();
    let lines: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("2026-02-01"))
        .collect();
    // January's 2h − 30m = 1h30m: 1h rolls over, 30m lapse, then February's grant.
    assert_eq!(lines.len(), 4, "{}", out.stdout);
    assert!(
        lines[1].contains("Rollover")
            && lines[1].contains("Included time of January 2026 carried over (1:00)"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains("Expired") && lines[2].contains("-0:30"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].contains("Included time") && lines[3].contains("+2:00"),
        "{}",
        lines[3]
    );
}
