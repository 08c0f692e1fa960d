//! The forecast's burn: minutes `log`, `debit`, `done` and `adjust -` take from lots and
//! grants in the window, summed as the replay runs (SPEC §8.6).

use super::*;

fn burn(book: &str, journal: &str, today: &str) -> crate::model::Minutes {
    let book = crate::testing::book(book);
    let entries = crate::testing::entries(&book, journal);
    let today: chrono::NaiveDate = today.parse().unwrap();
    let mut burns = Vec::new();
    for opts in [ReplayOptions::STATES, ReplayOptions::default()] {
        let r = replay_with(&book, &entries, Some(today), opts.with_forecast(today));
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        burns.push(client(&r, "acme").burn);
    }
    assert_eq!(burns[0], burns[1], "with and without history");
    burns[0]
}

#[test]
fn the_window_is_the_ninety_days_through_today() {
    let book = with_policy("debit = \"exact\"");
    // Today 2026-04-30: the window opens on 2026-01-31 (today − 89).
    let j = "
        2026-01-05 buy acme 10
        2026-01-30 log acme 1h the day before the window
        2026-01-31 log acme 20m first day of the window
        2026-04-30 debit acme 1h today
    ";
    assert_eq!(burn(&book, j, "2026-04-30"), dec(80));
    // The day after, 2026-01-31 has left the window.
    assert_eq!(burn(&book, j, "2026-05-01"), dec(60));
}

#[test]
fn log_debit_done_and_adjust_minus_count_buy_apply_refund_and_plan_do_not() {
    let book = with_policy("debit = \"exact\"\nrefund_days = 365");
    let j = "
        2026-03-01 buy acme 10 ref:A
        2026-03-02 log acme 30m work
        2026-03-03 debit acme banner
        2026-03-04 quote acme Q1 2
        2026-03-05 approve acme Q1
        2026-03-06 done acme Q1
        2026-03-07 adjust acme -15m correction
        2026-03-08 adjust acme +1h gift
        2026-03-09 apply acme 140
        2026-03-10 refund acme A 1h
    ";
    // 30 + 60 + 120 + 15
    assert_eq!(burn(&book, j, "2026-03-31"), dec(225));
}

#[test]
fn included_time_counts_overage_and_carried_debt_do_not() {
    // Grants: 3h in March. 4h logged: 3h from the grant, 1h from the lot, 1h of overage.
    let book = with_policy("debit = \"exact\"");
    let j = "
        2026-03-01 plan acme performance
        2026-03-01 buy acme 1
        2026-03-02 log acme 5h big job
    ";
    assert_eq!(burn(&book, j, "2026-03-31"), dec(240));
    let carry = with_policy("debit = \"exact\"\noverdraft = \"carry\"");
    let j = "
        2026-03-01 buy acme 1
        2026-03-02 debit acme 3
    ";
    assert_eq!(burn(&carry, j, "2026-03-31"), dec(60));
}

#[test]
fn accumulate_counts_what_is_debited_not_what_is_pending() {
    let j = "
        2026-03-01 buy acme 5
        2026-03-02 log acme 45m a
        2026-03-03 log acme 30m b
    ";
    // 45m pending, then 75m: one unit debited, 15m pending.
    assert_eq!(burn(BOOK, j, "2026-03-31"), dec(60));
}

#[test]
fn without_a_window_nothing_is_summed() {
    let (_, r) = replay_str(BOOK, "2026-03-01 buy acme 5\n2026-03-02 debit acme 1\n", "");
    assert_eq!(client(&r, "acme").burn, dec(0));
}

#[test]
fn pending_work_debited_on_leaving_accumulate_counts() {
    // 20m pending under accumulate; the plan's `exact` debits it on 2026-03-10.
    let j = "
        2026-03-01 buy acme 5
        2026-03-02 log acme 20m a
        2026-03-10 plan acme performance
    ";
    let book = BOOK.replace(
        "covered = [\"support\", \"security\"]",
        "covered = []\ndebit = \"exact\"",
    );
    assert_eq!(burn(&book, j, "2026-03-31"), dec(20));
}
