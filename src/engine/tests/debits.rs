//! Debits of logged work: accumulating to whole units, exact, and round-up.

use super::*;

// ----- accumulate (seed 000) -------------------------------------------------------------

#[test]
fn fifteen_then_forty_five_minutes_debit_one_credit_on_the_second_day() {
    let j = "
        2026-01-05 buy acme 5
        2026-01-06 log acme 15m Fixed header alignment
        2026-01-09 log acme 45m Plugin update
    ";
    let (_, r) = replay_str(BOOK, j, "2026-01-06");
    let c = client(&r, "acme");
    assert_eq!(c.balance(), dec(300));
    assert_eq!(c.pending, dec(15));
    let (_, r) = replay_str(BOOK, j, "2026-01-09");
    let c = client(&r, "acme");
    assert_eq!(c.balance(), dec(240));
    assert_eq!(c.pending, dec(0));
    let last = c.events.last().unwrap();
    assert_eq!((last.logged, last.debited), (Some(dec(45)), Some(dec(60))));
}

#[test]
fn one_log_may_complete_several_units_at_once() {
    let j = "
        2026-01-05 buy acme 5
        2026-01-06 log acme 30m a
        2026-01-07 log acme 2h40m b
    ";
    let (_, r) = replay_str(BOOK, j, "");
    let c = client(&r, "acme");
    assert_eq!(c.balance(), dec(120));
    assert_eq!(c.pending, dec(10));
}

#[test]
fn pending_time_is_shown_beside_the_balance_not_subtracted() {
    let (_, r) = replay_str(
        BOOK,
        "2026-01-05 buy acme 2\n2026-01-06 log acme 20m x\n",
        "",
    );
    let c = client(&r, "acme");
    assert_eq!(c.balance(), dec(120));
    assert_eq!(c.pending, dec(20));
}

// ----- exact and round-up ----------------------------------------------------------------

#[test]
fn exact_debits_the_log_as_is() {
    let (_, r) = replay_str(
        &with_policy("debit = \"exact\""),
        "2026-01-05 buy acme 2\n2026-01-06 log acme 20m x\n",
        "",
    );
    assert_eq!(client(&r, "acme").balance(), dec(100));
    assert_eq!(client(&r, "acme").pending, dec(0));
}

#[test]
fn round_up_rounds_to_round_to() {
    let b = with_policy("debit = \"round-up\"\nround_to = \"15m\"");
    let (_, r) = replay_str(
        &b,
        "2026-01-05 buy acme 2\n2026-01-06 log acme 20m x\n2026-01-07 log acme 30m y\n",
        "",
    );
    assert_eq!(client(&r, "acme").balance(), dec(120 - 30 - 30));
}

#[test]
fn round_up_rounds_what_remains_after_included_time() {
    let b = with_policy("debit = \"round-up\"\nround_to = \"30m\"");
    let j = "
        2026-01-01 plan acme performance
        2026-01-02 buy acme 2 @ 100
        2026-01-05 log acme 3h10m big job
    ";
    let (_, r) = replay_str(&b, j, "");
    let c = client(&r, "acme");
    // 3h from the grant, 10m rounds up to 30m from the purchase
    assert_eq!(c.included_left(), dec(0));
    assert_eq!(c.balance(), dec(90));
}
