//! Apply: drawing lots by value against a project.

use super::*;

// ----- apply (seed 002) --------------------------------------------------------------------

#[test]
fn ten_hours_at_120_with_five_left_are_worth_600_against_a_project() {
    let b = with_policy("debit = \"exact\"");
    let j = "
        2026-01-05 buy acme 10h @ 120 USD ref:INV-1041
        2026-01-10 log acme 5h work
        2026-02-03 apply acme 600 USD project:redesign
    ";
    let (_, r) = replay_str(&b, j, "2026-01-31");
    assert_eq!(client(&r, "acme").value(), dec(600));
    let (_, r) = replay_str(&b, j, "");
    let c = client(&r, "acme");
    assert!(r.problems.is_empty());
    assert_eq!(
        (c.balance(), c.value(), c.totals.applied),
        (dec(0), dec(0), dec(300))
    );
}

#[test]
fn apply_drains_fifo_by_value_and_takes_time_to_a_hundredth_of_a_minute() {
    let j = "
        2026-01-05 buy acme 2h @ 100 ref:A
        2026-01-06 buy acme 10h @ 90 ref:B
        2026-01-07 apply acme 300 project:x
    ";
    let (_, r) = replay_str(BOOK, j, "");
    let c = client(&r, "acme");
    // A is worth 200 (all of it); 100 more at 90/h is 66.67 minutes of B
    assert_eq!(c.lots[0].remaining, dec(0));
    assert_eq!(c.lots[1].remaining, d("533.33"));
    assert_eq!(c.value(), dec(800));
}

#[test]
fn apply_beyond_the_lots_value_is_an_error_that_says_how_much_is_left() {
    let j = "2026-01-05 buy acme 5h @ 120\n2026-02-03 apply acme 700 USD project:redesign\n";
    let (_, r) = replay_str(BOOK, j, "");
    assert_eq!(
        problems(j, &r),
        vec![
            "2:12: `apply` of 700.00 USD is more than the 600.00 USD the lots of `acme` are worth"
        ]
    );
}

#[test]
fn apply_skips_grants_and_never_uses_reserved_time() {
    let j = "
        2026-01-01 plan acme performance
        2026-01-02 buy acme 2 @ 100
        2026-01-03 quote acme Q1 1
        2026-01-03 approve acme Q1
        2026-01-04 apply acme 150
    ";
    let (_, r) = replay_str(BOOK, j, "");
    let p = problems(j, &r);
    assert_eq!(p.len(), 1);
    assert!(p[0].contains("more than the 100.00 USD"), "{p:?}");
}
