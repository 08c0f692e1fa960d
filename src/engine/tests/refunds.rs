//! Refunds: the window, the price, and what time is refundable.

use super::*;

// ----- refunds (seed 000) -----------------------------------------------------------------

#[test]
fn unused_credits_are_refundable_within_thirty_days_at_the_lots_price() {
    let j = "
        2026-01-05 buy acme five ref:P1
        2026-01-06 debit acme 1
        2026-02-04 refund acme P1 2
    ";
    let (_, r) = replay_str(BOOK, j, "");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let c = client(&r, "acme");
    assert_eq!((c.balance(), c.totals.money_refunded), (dec(120), dec(240)));
}

#[test]
fn a_refund_after_the_window_is_an_error_that_gives_the_dates() {
    let j = "2026-01-05 buy acme five ref:P1\n2026-02-05 refund acme P1\n";
    let (_, r) = replay_str(BOOK, j, "");
    assert_eq!(
        problems(j, &r),
        vec!["2:12: lot `P1` was bought 2026-01-05: it could be refunded only through 2026-02-04"]
    );
}

#[test]
fn refund_by_date_needs_a_ref_when_several_lots_share_it() {
    let j = "2026-01-05 buy acme 1\n2026-01-05 buy acme 2\n2026-01-06 refund acme 2026-01-05\n2026-01-06 refund acme 2026-01-04\n";
    let (_, r) = replay_str(BOOK, j, "");
    let p = problems(j, &r);
    assert_eq!(p[0], "3:12: 2 lots of `acme` were bought on that date");
    assert_eq!(p[1], "4:12: no lot bought 2026-01-04 for `acme`");
}

#[test]
fn expired_used_up_free_and_reserved_time_is_not_refundable() {
    let b = with_policy("expires = \"10d\"");
    let j = "
        2026-01-05 buy acme 1 ref:A
        2026-01-20 refund acme A
        2026-01-21 buy acme 1 ref:B expires never
        2026-01-21 debit acme 1
        2026-01-22 refund acme B
        2026-01-22 adjust acme +1 goodwill ref:G
        2026-01-23 refund acme G
        2026-01-23 debit acme 1
        2026-01-24 buy acme 2 ref:C expires never
        2026-01-24 quote acme Q 1
        2026-01-24 approve acme Q
        2026-01-25 refund acme C 2
    ";
    let (_, r) = replay_str(&b, j, "");
    let p = problems(j, &r);
    assert_eq!(
        p[0],
        "2:12: lot `A` expired after 2026-01-15: expired time is not refundable"
    );
    assert_eq!(p[1], "5:12: lot `B` is used up: nothing is left to refund");
    assert_eq!(
        p[2],
        "7:12: lot `G` is free time (`adjust +`), which is not refundable"
    );
    assert_eq!(
        p[3],
        "12:12: at most 1h of lot `C` can be refunded: 1h is reserved by approved quotes"
    );
}

#[test]
fn refund_days_in_force_at_purchase_govern_the_refund() {
    let b = BOOK.replace(
        "[plans.concierge]\n",
        "[plans.concierge]\nrefund_days = 5\n",
    );
    let j =
        "2026-01-05 buy acme 1 ref:A\n2026-01-06 plan acme concierge\n2026-01-20 refund acme A\n";
    let (_, r) = replay_str(&b, j, "");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}
