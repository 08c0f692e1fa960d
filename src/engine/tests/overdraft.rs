//! Overdraft policies: bill, carry and deny.

use super::*;

// ----- overdraft ---------------------------------------------------------------------------

#[test]
fn bill_turns_the_shortfall_into_overage_until_a_bill_entry() {
    let j = "
        2026-01-05 buy acme 1 @ 100
        2026-01-06 debit acme 3
        2026-01-31 bill acme ref:INV-7
    ";
    let (_, r) = replay_str(BOOK, j, "2026-01-30");
    let c = client(&r, "acme");
    assert_eq!((c.balance(), c.overage), (dec(0), dec(120)));
    let (_, r) = replay_str(BOOK, j, "");
    let c = client(&r, "acme");
    assert_eq!((c.overage, c.totals.overage), (dec(0), dec(120)));
    assert_eq!(c.events.last().unwrap().amount, Some(dec(300)));
}

#[test]
fn an_event_records_the_part_of_its_debit_that_ran_into_overage() {
    let j = "
        2026-01-05 buy acme 1 @ 100
        2026-01-06 log acme 30m Fits in the lot
        2026-01-07 log acme 90m Runs past the lot
    ";
    let b = with_policy("debit = \"exact\"");
    let (_, r) = replay_str(&b, j, "");
    let c = client(&r, "acme");
    let fits = &c.events[1];
    assert_eq!((fits.debited, fits.overage), (Some(dec(30)), None));
    let past = &c.events[2];
    assert_eq!((past.debited, past.overage), (Some(dec(90)), Some(dec(60))));
    assert_eq!(past.balance, dec(0));
}

#[test]
fn carry_goes_negative_and_the_next_buy_repays_it_first() {
    let b = with_policy("overdraft = \"carry\"");
    let j = "
        2026-01-05 buy acme 1 @ 100
        2026-01-06 debit acme 90m
        2026-01-06 assert acme -30m
        2026-01-07 buy acme 2 @ 100
        2026-01-07 assert acme 1h30m
    ";
    let (_, r) = replay_str(&b, j, "");
    assert_eq!(problems(j, &r), Vec::<String>::new());
    let c = client(&r, "acme");
    assert_eq!(c.debt, dec(0));
    assert_eq!(c.lots[1].remaining, dec(90));
}

#[test]
fn carried_debt_is_not_repaid_by_grants_but_by_adjust_plus() {
    let b = with_policy("overdraft = \"carry\"");
    let j = "
        2026-01-05 debit acme 1
        2026-02-01 plan acme performance
        2026-02-01 assert acme 2h
        2026-02-02 adjust acme +30m goodwill
        2026-02-02 assert acme 2h30m
    ";
    let (_, r) = replay_str(&b, j, "");
    assert_eq!(problems(j, &r), Vec::<String>::new());
    assert_eq!(client(&r, "acme").debt, dec(30));
}

#[test]
fn deny_refuses_the_entry_and_debits_nothing() {
    let b = with_policy("overdraft = \"deny\"");
    let j = "
        2026-01-05 buy acme 1 @ 100
        2026-01-06 log acme 50m a
        2026-01-07 log acme 20m b
        2026-01-08 log acme 1h c
        2026-01-09 debit acme 2
    ";
    let (_, r) = replay_str(&b, j, "");
    let p = problems(j, &r);
    assert_eq!(
        p,
        vec![
            "4:12: this log debits 1h but `acme` has only 0m of purchased time left, and `overdraft` is `deny`",
            "5:12: `debit` needs 2h but `acme` has only 0m left, and `overdraft` is `deny`"
        ]
    );
    let c = client(&r, "acme");
    // the refused log changed nothing: 10m still pending
    assert_eq!(
        (c.balance(), c.pending, c.totals.logged),
        (dec(0), dec(10), dec(70))
    );
}
