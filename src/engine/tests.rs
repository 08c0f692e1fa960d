//! Engine tests, one or more per rule of SPEC §4 and §7, written as journal text.

use super::{EventKind, LotKind, QuoteKind, QuoteState};
use crate::testing::{client, d, dec, problems, replay_str};

const BOOK: &str = r#"
[book]
name = "Test"
currency = "USD"

[policy]
unit_price = "140"

[plans.concierge]
discount = "30%"

[plans.performance]
discount = "30%"
monthly = "3h"
monthly_expires = "month"
covered = ["support", "security"]

[packages]
five = { units = 5, price = "600" }

[tasks]
banner = { units = 1, title = "Design a new web banner" }
complex-plugin = { units = 2, title = "Install and test a complex plugin" }

[clients.acme]
name = "Acme Corp"
rate = "150"

[clients.beta]
name = "Beta"
"#;

fn with_policy(extra: &str) -> String {
    BOOK.replace("[policy]\n", &format!("[policy]\n{extra}\n"))
}

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

// ----- lots and prices ---------------------------------------------------------------------

#[test]
fn lot_prices_explicit_total_package_and_unit_price() {
    let j = "
        2026-01-05 buy acme 10h @ 120 USD ref:A
        2026-01-06 buy acme 3 for 1000 ref:B
        2026-01-07 buy acme five ref:C
        2026-01-08 buy acme 2 ref:D
    ";
    let (_, r) = replay_str(BOOK, j, "");
    let lots = &client(&r, "acme").lots;
    let paid: Vec<_> = lots.iter().map(|l| l.paid).collect();
    assert_eq!(paid, vec![dec(1200), dec(1000), dec(600), dec(280)]);
    assert_eq!(lots[0].unit_price(dec(60)), Some(dec(120)));
    assert_eq!(client(&r, "acme").value(), dec(3080));
}

#[test]
fn plan_discount_applies_to_packages_and_unit_price_but_not_to_explicit_prices() {
    let j = "
        2026-01-01 plan acme concierge
        2026-01-05 buy acme five
        2026-01-06 buy acme 1
        2026-01-07 buy acme 1 @ 140
    ";
    let (_, r) = replay_str(BOOK, j, "");
    let paid: Vec<_> = client(&r, "acme").lots.iter().map(|l| l.paid).collect();
    assert_eq!(paid, vec![dec(420), dec(98), dec(140)]);
}

#[test]
fn a_lot_bought_for_a_total_is_worth_exactly_that_total() {
    let j = "
        2026-01-05 buy acme 3 for 1000
        2026-01-06 debit acme 1
        2026-01-07 debit acme 1
        2026-01-08 debit acme 1
    ";
    let (_, r) = replay_str(BOOK, j, "");
    let c = client(&r, "acme");
    assert_eq!(c.totals.money_debited, dec(1000));
    assert_eq!(c.value(), dec(0));
}

#[test]
fn a_buy_with_no_price_and_no_unit_price_is_an_error() {
    let b = BOOK.replace("unit_price = \"140\"\n", "");
    let (_, r) = replay_str(&b, "2026-01-05 buy acme 2\n", "");
    assert_eq!(
        problems("2026-01-05 buy acme 2\n", &r)[0],
        "1:12: no price for this purchase: `unit_price` is not set for `acme`"
    );
}

#[test]
fn a_price_in_another_currency_is_an_error() {
    let j = "2026-01-05 buy acme 2 @ 8000 JPY\n";
    let (_, r) = replay_str(BOOK, j, "");
    assert_eq!(
        problems(j, &r),
        vec!["1:12: the price is in JPY, but `acme` pays in USD"]
    );
    assert_eq!(client(&r, "acme").balance(), dec(0));
}

#[test]
fn unknown_clients_packages_and_tasks_are_reported_at_their_column() {
    let j = "
        2026-01-05 buy acme ten
        2026-01-05 debit acme logo
        2026-01-05 log acmee 15m x
    ";
    let (_, r) = replay_str(BOOK, j, "");
    assert_eq!(
        problems(j, &r),
        vec![
            "1:12: unknown package `ten`",
            "2:12: unknown task `logo`",
            "3:16: unknown client `acmee`"
        ]
    );
}

// ----- expiry --------------------------------------------------------------------------------

#[test]
fn credits_expiring_after_ninety_days_are_usable_through_april_5_and_gone_on_april_6() {
    let b = with_policy("expires = \"90d\"");
    let j = "2026-01-05 buy acme 3\n";
    let (_, r) = replay_str(&b, j, "2026-04-05");
    assert_eq!(client(&r, "acme").balance(), dec(180));
    assert_eq!(
        client(&r, "acme").lots[0].last_day,
        Some("2026-04-05".parse().unwrap())
    );
    let (_, r) = replay_str(&b, j, "2026-04-06");
    let c = client(&r, "acme");
    assert_eq!(c.balance(), dec(0));
    let ev = c.events.last().unwrap();
    assert_eq!(ev.kind, EventKind::Expire);
    assert_eq!(ev.date, "2026-04-06".parse().unwrap());
    assert_eq!(c.totals.expired, dec(180));
    assert_eq!(c.totals.money_expired, dec(420));
}

#[test]
fn a_debit_on_the_last_usable_day_still_uses_the_lot() {
    let b = with_policy("expires = \"90d\"\noverdraft = \"deny\"");
    let j = "2026-01-05 buy acme 3\n2026-04-05 debit acme 1\n2026-04-06 debit acme 1\n";
    let (_, r) = replay_str(&b, j, "");
    assert_eq!(problems(j, &r).len(), 1);
    assert!(problems(j, &r)[0].starts_with("3:12: `debit` needs 1h"));
}

#[test]
fn expiry_tiers_pick_the_largest_from_not_above_the_quantity() {
    let b = format!(
        "{BOOK}\n[[policy.expiry_tiers]]\nfrom = \"0h\"\nexpires = \"12mo\"\n[[policy.expiry_tiers]]\nfrom = \"40h\"\nexpires = \"24mo\"\n"
    );
    let j = "2026-01-31 buy acme 10h @ 120\n2026-01-31 buy acme 40h @ 110\n2026-02-01 buy acme 5h @ 120 expires 1mo\n2026-02-01 buy acme 5h @ 120 expires never\n2026-02-01 buy acme 5h @ 120 expires 2026-03-15\n";
    let (_, r) = replay_str(&b, j, "");
    let days: Vec<_> = client(&r, "acme")
        .lots
        .iter()
        .map(|l| l.last_day.map(|d| d.to_string()))
        .collect();
    assert_eq!(
        days,
        vec![
            Some("2027-01-31".into()),
            Some("2028-01-31".into()),
            // One date's buys run in the byte order of their text: `1mo`, `2026-03-15`,
            // `never`, whatever the order of the lines.
            Some("2026-03-01".into()),
            Some("2026-03-15".into()),
            None,
        ]
    );
}

#[test]
fn adding_months_clamps_to_the_end_of_a_short_month() {
    let b = with_policy("expires = \"1mo\"");
    let (_, r) = replay_str(&b, "2026-01-31 buy acme 1\n", "");
    assert_eq!(
        client(&r, "acme").lots[0].last_day,
        Some("2026-02-28".parse().unwrap())
    );
}

// ----- grants --------------------------------------------------------------------------------

#[test]
fn monthly_grants_arrive_on_the_plans_first_day_and_every_first_and_lapse_at_month_end() {
    let j = "
        2026-01-15 plan acme performance
        2026-01-20 log acme 1h setup
    ";
    let (_, r) = replay_str(BOOK, j, "2026-03-10");
    let c = client(&r, "acme");
    let grants: Vec<_> = c
        .lots
        .iter()
        .filter(|l| l.kind == LotKind::Grant)
        .map(|l| (l.date.to_string(), l.last_day.unwrap().to_string()))
        .collect();
    assert_eq!(
        grants,
        vec![
            ("2026-01-15".into(), "2026-01-31".into()),
            ("2026-02-01".into(), "2026-02-28".into()),
            ("2026-03-01".into(), "2026-03-31".into())
        ]
    );
    assert_eq!(c.balance(), dec(180));
    assert_eq!(c.totals.granted, dec(540));
    // January's 2h left lapsed on Feb 1; February's 3h on Mar 1
    assert_eq!(c.totals.expired, dec(120 + 180));
    let kinds: Vec<_> = c
        .events
        .iter()
        .map(|e| (e.date.to_string(), e.kind))
        .collect();
    assert_eq!(kinds[0], ("2026-01-15".into(), EventKind::Plan));
    assert_eq!(kinds[1], ("2026-01-15".into(), EventKind::Grant));
    assert_eq!(kinds[3], ("2026-02-01".into(), EventKind::Expire));
    assert_eq!(kinds[4], ("2026-02-01".into(), EventKind::Grant));
}

#[test]
fn grants_are_drained_before_purchased_time_minute_by_minute() {
    let j = "
        2026-01-01 plan acme performance
        2026-01-01 buy acme 2 @ 100
        2026-01-05 log acme 2h50m a
        2026-01-06 log acme 20m b
    ";
    let (_, r) = replay_str(BOOK, j, "");
    let c = client(&r, "acme");
    assert_eq!(c.included_left(), dec(0));
    // 10m of the second log came from the grant, 10m went to pending
    assert_eq!(c.pending, dec(10));
    assert_eq!(
        c.lots
            .iter()
            .find(|l| l.kind == LotKind::Purchase)
            .unwrap()
            .remaining,
        dec(120)
    );
}

#[test]
fn grants_with_a_span_lapse_after_it_and_the_earliest_lapse_drains_first() {
    let b = BOOK.replace("monthly_expires = \"month\"", "monthly_expires = \"90d\"");
    let j = "2026-01-01 plan acme performance\n2026-02-10 debit acme 4\n";
    let (_, r) = replay_str(&b, j, "2026-04-02");
    let c = client(&r, "acme");
    let left: Vec<_> = c
        .lots
        .iter()
        .map(|l| (l.date.to_string(), l.remaining))
        .collect();
    assert_eq!(
        left,
        vec![
            ("2026-01-01".into(), dec(0)),
            ("2026-02-01".into(), dec(120)),
            ("2026-03-01".into(), dec(180)),
            ("2026-04-01".into(), dec(180))
        ]
    );
    let (_, r) = replay_str(&b, j, "2026-05-02");
    // Feb's lot (through 2026-05-02) still there; Jan's lapsed 2026-04-01 (already empty)
    assert_eq!(
        client(&r, "acme").included_left(),
        dec(120 + 180 + 180 + 180)
    );
}

#[test]
fn a_grant_whose_span_reaches_past_9999_never_lapses_and_drains_last() {
    let b = BOOK
        .replace("monthly_expires = \"month\"", "monthly_expires = \"90d\"")
        .replace(
            "[packages]",
            "[plans.forever]\nmonthly = \"3h\"\nmonthly_expires = \"8000y\"\n\n[packages]",
        );
    let j =
        "2026-01-01 plan acme performance\n2026-02-01 plan acme forever\n2026-02-10 debit acme 1\n";
    let (_, r) = replay_str(&b, j, "2026-03-01");
    let c = client(&r, "acme");
    let lots: Vec<_> = c
        .lots
        .iter()
        .map(|l| {
            (
                l.date.to_string(),
                l.last_day.map(|d| d.to_string()),
                l.remaining,
            )
        })
        .collect();
    // January's grant lapses 2026-04-01, so it is drained first; the grants of `forever`
    // would lapse after 9999-12-31: they never do.
    assert_eq!(
        lots,
        vec![
            ("2026-01-01".into(), Some("2026-04-01".into()), dec(120)),
            ("2026-02-01".into(), None, dec(180)),
            ("2026-03-01".into(), None, dec(180)),
        ]
    );
    // Years later, January's lapsed and `forever`'s are all still there.
    let (_, r) = replay_str(&b, j, "2030-01-01");
    assert_eq!(client(&r, "acme").included_left(), dec(48 * 180));
}

#[test]
fn covered_work_is_recorded_but_never_debited() {
    let j = "
        2026-01-01 plan acme performance
        2026-01-01 buy acme 2 @ 100
        2026-01-05 log acme 2h patched #security
        2026-01-05 log acme 30m new page #dev
    ";
    let (_, r) = replay_str(BOOK, j, "");
    let c = client(&r, "acme");
    assert_eq!(c.totals.covered, dec(120));
    assert_eq!(c.included_left(), dec(150));
    assert_eq!(c.events[3].kind, EventKind::Covered);
    assert_eq!(c.events[3].debited, None);
}

#[test]
fn a_plan_restated_in_the_same_month_grants_nothing_twice() {
    let j = "
        2026-01-01 plan acme performance
        2026-01-10 plan acme performance
        2026-01-12 plan acme none
        2026-01-20 plan acme performance
    ";
    let (_, r) = replay_str(BOOK, j, "2026-01-31");
    let c = client(&r, "acme");
    assert_eq!(c.totals.granted, dec(180));
    assert_eq!(
        c.events
            .iter()
            .filter(|e| e.kind == EventKind::Plan)
            .count(),
        3
    );
}

#[test]
fn leaving_accumulate_debits_the_pending_time_as_is() {
    let b = BOOK.replace(
        "[plans.concierge]\n",
        "[plans.concierge]\ndebit = \"exact\"\n",
    );
    let j = "
        2026-01-05 buy acme 2 @ 100
        2026-01-06 log acme 20m a
        2026-01-07 plan acme concierge
    ";
    let (_, r) = replay_str(&b, j, "");
    let c = client(&r, "acme");
    assert_eq!(c.pending, dec(0));
    assert_eq!(c.balance(), dec(100));
}

// ----- consumption order -------------------------------------------------------------------

#[test]
fn fifo_drains_the_oldest_purchase_first() {
    let j = "2026-01-05 buy acme 1 @ 100 expires never\n2026-01-06 buy acme 1 @ 200 expires 30d\n2026-01-07 debit acme 1\n";
    let (_, r) = replay_str(BOOK, j, "");
    let rem: Vec<_> = client(&r, "acme")
        .lots
        .iter()
        .map(|l| l.remaining)
        .collect();
    assert_eq!(rem, vec![dec(0), dec(60)]);
}

#[test]
fn expiring_first_drains_the_earliest_last_day_first_never_last() {
    let b = with_policy("order = \"expiring-first\"");
    let j = "2026-01-05 buy acme 1 @ 100 expires never\n2026-01-06 buy acme 1 @ 200 expires 60d\n2026-01-06 buy acme 1 @ 200 expires 30d\n2026-01-07 debit acme 1\n2026-01-08 debit acme 1\n";
    let (_, r) = replay_str(&b, j, "");
    let rem: Vec<_> = client(&r, "acme")
        .lots
        .iter()
        .map(|l| l.remaining)
        .collect();
    assert_eq!(rem, vec![dec(60), dec(0), dec(0)]);
}

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

// ----- quotes --------------------------------------------------------------------------------

#[test]
fn quote_lifecycle_reserves_then_debits() {
    let j = "
        2026-01-05 buy acme 5
        2026-01-20 quote acme Q7 3 due:2026-02-01 Custom landing page
        2026-01-21 approve acme Q7
        2026-02-01 done acme Q7
    ";
    let (_, r) = replay_str(BOOK, j, "2026-01-21");
    let c = client(&r, "acme");
    assert_eq!((c.balance(), c.reserved()), (dec(300), dec(180)));
    let (_, r) = replay_str(BOOK, j, "");
    let c = client(&r, "acme");
    assert_eq!((c.balance(), c.reserved()), (dec(120), dec(0)));
    assert_eq!(c.quotes["Q7"].state, QuoteState::Done);
}

#[test]
fn quote_errors_unknown_duplicate_done_before_approve_and_answer_after_done() {
    let j = "
        2026-01-05 buy acme 5
        2026-01-06 quote acme Q1 banner
        2026-01-06 quote acme Q1 2
        2026-01-07 done acme Q1
        2026-01-08 approve acme Q9
        2026-01-09 approve acme Q1
        2026-01-10 done acme Q1
        2026-01-11 reject acme Q1
    ";
    let (_, r) = replay_str(BOOK, j, "");
    assert_eq!(
        problems(j, &r),
        vec![
            // `quote acme Q1 2` runs before `quote acme Q1 banner` (`2` < `b`).
            "2:12: quote `Q1` of `acme` already exists (made 2026-01-06)",
            "4:12: `done` for quote `Q1`, but it is pending",
            "5:12: unknown quote `Q9` for `acme`",
            "8:12: cannot reject quote `Q1`: it is already done"
        ]
    );
    // The quote of 2 credits stands: 5 less 2.
    assert_eq!(client(&r, "acme").balance(), dec(180));
}

#[test]
fn an_approved_quote_may_be_rejected_before_done() {
    let j = "2026-01-05 buy acme 5\n2026-01-06 quote acme Q1 complex-plugin\n2026-01-07 approve acme Q1\n2026-01-08 reject acme Q1\n";
    let (_, r) = replay_str(BOOK, j, "");
    assert!(r.problems.is_empty());
    assert_eq!(client(&r, "acme").reserved(), dec(0));
}

#[test]
fn work_on_a_fixed_quote_is_recorded_never_debited_and_done_debits_the_quote_once() {
    let b = with_policy("debit = \"exact\"");
    let j = "
        2026-01-05 buy acme 10h
        2026-01-05 plan acme performance
        2026-01-06 quote acme Q1 3h Landing page
        2026-01-07 approve acme Q1
        2026-01-08 log acme 2h quote:Q1 Build
        2026-01-09 log acme 30m quote:Q1 #support Review
        2026-01-10 done acme Q1
    ";
    let (_, r) = replay_str(&b, j, "2026-01-09");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let c = client(&r, "acme");
    // 10h bought and 3h included; the work on the quote took nothing, and 3h stay reserved.
    assert_eq!(
        (c.balance(), c.pending, c.reserved()),
        (dec(780), dec(0), dec(180))
    );
    let (_, r) = replay_str(&b, j, "");
    let c = client(&r, "acme");
    // `done` debits the quote's 3h (the included time first), and only that.
    assert_eq!((c.balance(), c.reserved()), (dec(600), dec(0)));
    assert_eq!(c.quotes["Q1"].actual, dec(150));
    let quoted: Vec<_> = c
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Quoted)
        .map(|e| (e.description.as_str(), e.logged, e.debited))
        .collect();
    assert_eq!(
        quoted,
        [
            ("Work on quote Q1: Build", Some(dec(120)), None),
            ("Work on quote Q1: Review", Some(dec(30)), None),
        ]
    );
    let done = c.events.last().unwrap();
    assert_eq!((done.kind, done.debited), (EventKind::Done, Some(dec(180))));
    assert_eq!(c.totals.logged, dec(150));
}

#[test]
fn work_on_an_estimate_is_debited_and_releases_its_reservation() {
    let b = with_policy("debit = \"exact\"");
    let j = "
        2026-01-05 buy acme 10h
        2026-01-06 estimate acme E1 3h due:2026-01-31 Shop migration
        2026-01-07 approve acme E1
        2026-01-08 log acme 2h quote:E1 Export
        2026-01-09 log acme 1h30m quote:E1 Import
        2026-01-10 done acme E1
    ";
    let (_, r) = replay_str(&b, j, "2026-01-08");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let c = client(&r, "acme");
    assert_eq!((c.balance(), c.reserved()), (dec(480), dec(60)));
    let (_, r) = replay_str(&b, j, "2026-01-09");
    let c = client(&r, "acme");
    // 3h30m logged on a 3h estimate: all of it is charged; the reservation stops at 0.
    assert_eq!((c.balance(), c.reserved()), (dec(390), dec(0)));
    assert_eq!(c.quotes["E1"].held, dec(0));
    let (_, r) = replay_str(&b, j, "");
    let c = client(&r, "acme");
    assert_eq!(
        c.balance(),
        dec(390),
        "`done` on an estimate debits nothing"
    );
    let q = &c.quotes["E1"];
    assert_eq!(
        (q.kind, q.state, q.actual),
        (QuoteKind::Estimate, QuoteState::Done, dec(210))
    );
    let done = c.events.last().unwrap();
    assert_eq!((done.kind, done.debited), (EventKind::Done, Some(dec(0))));
    let logs: Vec<_> = c
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Log)
        .map(|e| e.debited)
        .collect();
    assert_eq!(logs, [Some(dec(120)), Some(dec(90))]);
}

#[test]
fn done_on_an_estimate_releases_what_its_logs_did_not_use() {
    let j = "
        2026-01-05 buy acme 10h
        2026-01-06 estimate acme E1 5h
        2026-01-07 approve acme E1
        2026-01-08 log acme 45m quote:E1
        2026-01-09 done acme E1
    ";
    let (_, r) = replay_str(BOOK, j, "2026-01-08");
    let c = client(&r, "acme");
    // Under `accumulate` the 45m is pending, and it released 45m of the 5h reserved.
    assert_eq!(
        (c.balance(), c.pending, c.reserved()),
        (dec(600), dec(45), dec(255))
    );
    let (_, r) = replay_str(BOOK, j, "");
    let c = client(&r, "acme");
    assert_eq!(
        (c.balance(), c.pending, c.reserved()),
        (dec(600), dec(45), dec(0))
    );
}

#[test]
fn a_log_names_only_an_approved_open_quote_or_estimate_of_its_client() {
    let j = "
        2026-01-05 buy acme 10h
        2026-01-05 buy beta 10h
        2026-01-06 quote acme Q1 1h
        2026-01-06 quote acme Q2 1h
        2026-01-06 estimate beta E1 1h
        2026-01-07 log acme 15m quote:NOPE
        2026-01-07 log acme 15m quote:Q1
        2026-01-07 log acme 15m quote:E1
        2026-01-08 approve acme Q1
        2026-01-08 approve acme Q2
        2026-01-09 reject acme Q2
        2026-01-09 log acme 15m quote:Q2
        2026-01-10 done acme Q1
        2026-01-11 log acme 15m quote:Q1
    ";
    let (_, r) = replay_str(BOOK, j, "");
    let got: Vec<String> = r
        .problems
        .iter()
        .map(|p| format!("{} | {}", p.message, p.help.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        got,
        [
            "`quote:NOPE` names no quote or estimate of `acme` | `acme` has no approved quote or estimate: remove `quote:NOPE`, or write and approve one first",
            "`quote:Q1` names quote `Q1`, which is pending, not approved | approve it first: `2026-01-07 approve acme Q1`",
            "`quote:E1` names no quote or estimate of `acme` | `acme` has no approved quote or estimate: remove `quote:E1`, or write and approve one first",
            "`quote:Q2` names quote `Q2`, which is rejected, not approved | quote `Q2` takes no more work: remove `quote:Q2` to log it as plain work",
            "`quote:Q1` names quote `Q1`, which is done, not approved | quote `Q1` takes no more work: remove `quote:Q1` to log it as plain work",
        ]
    );
    let c = client(&r, "acme");
    assert_eq!(
        (c.pending, c.totals.logged),
        (dec(0), dec(0)),
        "refused logs change nothing"
    );
}

#[test]
fn quote_and_estimate_ids_are_unique_per_client_across_both() {
    let j = "
        2026-01-06 quote acme Q1 1h
        2026-01-07 estimate acme Q1 2h
        2026-01-07 estimate beta Q1 2h
    ";
    let (_, r) = replay_str(BOOK, j, "");
    assert_eq!(
        problems(j, &r),
        ["2:12: quote `Q1` of `acme` already exists (made 2026-01-06)"]
    );
    assert_eq!(client(&r, "beta").quotes["Q1"].kind, QuoteKind::Estimate);
}

#[test]
fn under_deny_approve_refuses_more_than_the_available_time() {
    let b = with_policy("overdraft = \"deny\"");
    let j = "
        2026-01-05 buy acme 4
        2026-01-06 log acme 30m
        2026-01-06 quote acme Q1 3
        2026-01-06 estimate acme E1 2
        2026-01-07 approve acme Q1
        2026-01-08 approve acme E1
    ";
    let (_, r) = replay_str(&b, j, "");
    assert_eq!(
        problems(j, &r),
        [
            "6:12: cannot approve estimate `E1`: it reserves 2h but `acme` has only 30m available, and `overdraft` is `deny`"
        ]
    );
    let c = client(&r, "acme");
    assert_eq!(c.reserved(), dec(180));
    assert_eq!(c.quotes["E1"].state, QuoteState::Pending);
}

#[test]
fn a_refund_leaves_the_time_pending_work_needs() {
    let j = "
        2026-01-05 buy acme 10h ref:INV-1
        2026-01-06 log acme 45m
        2026-01-07 refund acme INV-1 10h
        2026-01-07 refund acme INV-1 9h30m
    ";
    let (_, r) = replay_str(BOOK, j, "");
    assert_eq!(
        problems(j, &r),
        [
            "3:12: at most 9h15m of lot `INV-1` can be refunded: 45m of logged work is pending",
            "4:12: at most 9h15m of lot `INV-1` can be refunded: 45m of logged work is pending",
        ]
    );
    // Without a quantity, a refund takes what can be refunded.
    let j = "2026-01-05 buy acme 10h ref:INV-1\n2026-01-06 log acme 45m\n2026-01-07 refund acme INV-1\n";
    let (_, r) = replay_str(BOOK, j, "");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let c = client(&r, "acme");
    assert_eq!((c.balance(), c.pending), (dec(45), dec(45)));
    // The next log completes the unit: the pending 45m is paid by the time the refund left,
    // and only the new 15m, which no time was kept for, runs into overage.
    let j = format!("{j}2026-01-08 log acme 15m\n");
    let (_, r) = replay_str(BOOK, &j, "");
    let c = client(&r, "acme");
    assert_eq!(
        (c.balance(), c.pending, c.overage),
        (dec(0), dec(0), dec(15))
    );
}

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

// ----- adjust, assert, as of ---------------------------------------------------------------

#[test]
fn adjust_plus_is_a_free_lot_and_minus_an_exact_debit_grants_first() {
    let j = "
        2026-01-01 plan acme performance
        2026-01-02 adjust acme +1 goodwill
        2026-01-03 adjust acme -20m correction
        2026-01-04 adjust acme 0 nothing
    ";
    let (_, r) = replay_str(BOOK, j, "");
    let c = client(&r, "acme");
    assert_eq!(
        (c.balance(), c.included_left(), c.value()),
        (dec(220), dec(160), dec(0))
    );
    assert_eq!(c.lots[1].kind, LotKind::Adjust);
}

#[test]
fn assertions_are_checked_after_the_whole_date() {
    let j = "
        2026-01-05 buy acme 2
        2026-01-06 assert acme 1
        2026-01-06 debit acme 1
        2026-01-07 assert acme 2
    ";
    let (_, r) = replay_str(BOOK, j, "");
    assert_eq!(
        problems(j, &r),
        vec![
            "4:12: assertion failed: `acme` has 1h at the end of 2026-01-07, but the journal asserts 2h"
        ]
    );
}

#[test]
fn entries_in_any_date_order_replay_by_date_then_position() {
    let a = "2026-01-06 log acme 45m b\n2026-01-05 buy acme 2\n2026-01-05 log acme 15m a\n";
    let (_, r) = replay_str(BOOK, a, "");
    let c = client(&r, "acme");
    assert_eq!((c.balance(), c.pending), (dec(60), dec(0)));
    let kinds: Vec<_> = c.events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![EventKind::Buy, EventKind::Log, EventKind::Log]);
}

#[test]
fn reports_as_of_a_date_leave_later_entries_out_and_count_them() {
    let j = "2026-01-05 buy acme 2\n2026-03-01 debit acme 1\n2026-04-01 debit acme 1\n";
    let (_, r) = replay_str(BOOK, j, "2026-02-01");
    assert_eq!(r.later_entries, 2);
    assert_eq!(client(&r, "acme").balance(), dec(120));
}

#[test]
fn money_invariant_holds_with_thirds() {
    let j = "
        2026-01-05 buy acme 3 for 100
        2026-01-06 log acme 17m a
        2026-01-07 debit acme 7m
        2026-01-08 apply acme 33.33
        2026-01-09 refund acme 2026-01-05 20m
    ";
    let (_, r) = replay_str(&with_policy("debit = \"exact\""), j, "");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

#[test]
fn a_plan_applies_from_the_start_of_its_date_before_that_dates_other_entries() {
    // The log is written before the plan line, on the same date: the plan and its grant
    // come first (SPEC §7.3), so the log drains the grant.
    let j = "
        2026-01-05 buy acme 2 @ 100
        2026-01-10 log acme 1h patch #security
        2026-01-10 log acme 30m page
        2026-01-10 plan acme performance
    ";
    let (_, r) = replay_str(BOOK, j, "");
    let c = client(&r, "acme");
    assert_eq!(c.totals.covered, dec(60));
    assert_eq!(c.included_left(), dec(150));
    assert_eq!(c.balance(), dec(270));
}

#[test]
fn a_plan_change_mid_month_keeps_existing_grants_until_their_lapse() {
    let j = "
        2026-01-01 plan acme performance
        2026-01-15 plan acme concierge
        2026-01-20 log acme 1h work
    ";
    let (_, r) = replay_str(BOOK, j, "2026-01-31");
    let c = client(&r, "acme");
    assert_eq!(c.included_left(), dec(120));
    let (_, r) = replay_str(BOOK, j, "2026-02-01");
    let c = client(&r, "acme");
    assert_eq!((c.included_left(), c.totals.expired), (dec(0), dec(120)));
    assert_eq!(c.totals.granted, dec(180));
}

#[test]
fn a_bill_with_nothing_outstanding_is_accepted() {
    let (_, r) = replay_str(BOOK, "2026-01-05 bill acme ref:INV-1\n", "");
    assert!(r.problems.is_empty());
    assert_eq!(client(&r, "acme").events[0].kind, EventKind::Bill);
}

#[test]
fn a_replay_without_history_has_the_same_states_and_problems_without_events() {
    use super::{ReplayOptions, replay_with};
    let journal = "2026-01-05 buy acme 10h @ 120 USD ref:INV-1 expires 30d\n\
                   2026-01-06 log acme 15m Fixed header #dev\n\
                   2026-01-07 plan acme performance\n\
                   2026-01-08 log acme 4h Plugin update\n\
                   2026-01-09 quote acme Q1 banner\n\
                   2026-01-10 approve acme Q1\n\
                   2026-01-11 done acme Q1\n\
                   2026-01-12 refund acme INV-1 1h\n\
                   2026-01-13 apply acme 100 project:site\n\
                   2026-01-14 adjust acme -30m double log\n\
                   2026-01-15 debit acme banner\n\
                   2026-01-16 bill acme\n\
                   2026-01-17 done acme Q9\n";
    let (book, full) = replay_str(BOOK, journal, "2026-03-01");
    let entries = crate::testing::entries(&book, journal);
    let as_of = "2026-03-01".parse().ok();
    let lean = replay_with(&book, &entries, as_of, ReplayOptions::STATES);
    assert!(!client(&full, "acme").events.is_empty());
    assert_eq!(full.problems, lean.problems);
    assert_eq!(full.later_entries, lean.later_entries);
    // Without a history, closed grants (no time, no money) may have left memory.
    let open_or_bought = |mut s: super::ClientState| {
        s.lots
            .retain(|l| l.kind != LotKind::Grant || !l.remaining.is_zero());
        s
    };
    for (id, state) in &full.clients {
        let mut without = state.clone();
        without.events.clear();
        without.draws.clear();
        let lean = lean.clients.get(id).cloned().map(open_or_bought);
        assert_eq!(lean, Some(open_or_bought(without)), "client `{id}`");
    }
}

#[test]
fn apply_never_spends_free_time_which_has_no_value() {
    let j = "
        2026-01-02 adjust acme +1 goodwill
        2026-01-03 buy acme 1 @ 100
        2026-01-04 quote acme Q1 30m
        2026-01-04 approve acme Q1
        2026-01-05 apply acme 50 project:x
    ";
    let (_, r) = replay_str(BOOK, j, "");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
    let c = client(&r, "acme");
    let rem: Vec<_> = c.lots.iter().map(|l| l.remaining).collect();
    assert_eq!(rem, vec![dec(60), dec(30)]);
    assert_eq!(c.totals.applied, dec(30));
}

#[test]
fn the_largest_quantities_and_prices_replay_without_overflow() {
    let j = "
        2026-01-11 buy acme 166666666 @ 999999999999 ref:X
        2026-01-11 buy acme 0.0000000001m for 999999999999
        2026-01-12 log acme 166666666h x
        2026-01-12 apply acme 0.0000000001
        2026-01-12 adjust acme +166666666h x
        2026-01-13 debit acme 166666666h
        2026-01-14 bill acme
    ";
    let (_, r) = replay_str(BOOK, j, "");
    assert!(r.problems.is_empty(), "{:?}", r.problems);
}

#[test]
fn a_dates_entries_run_by_class_whatever_the_order_of_the_lines() {
    // Written in reverse class order: the purchase still comes first, then the quote, its
    // approval, the work, its delivery, the refund, the bill, and the assertion last.
    let j = "
        2026-01-05 assert acme 3h
        2026-01-05 bill acme
        2026-01-05 refund acme L1 1h
        2026-01-05 done acme Q1
        2026-01-05 log acme 2h
        2026-01-05 approve acme Q1
        2026-01-05 quote acme Q1 2
        2026-01-05 buy acme 8 @ 100 ref:L1
    ";
    let (_, r) = replay_str(BOOK, j, "");
    assert_eq!(problems(j, &r), Vec::<String>::new());
    let c = client(&r, "acme");
    // 8h, less 2h of work, 2h delivered and 1h refunded.
    assert_eq!(c.balance(), dec(180));
    assert_eq!(c.totals.overage, dec(0));
    let kinds: Vec<EventKind> = c.events.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            EventKind::Buy,
            EventKind::Quote,
            EventKind::Approve,
            EventKind::Log,
            EventKind::Done,
            EventKind::Refund,
            EventKind::Bill
        ]
    );
}

#[test]
fn two_buys_of_one_date_drain_in_the_order_of_their_text() {
    // `buy acme 1 @ 200` sorts before `buy acme 1 @ 90` (`2` < `9`): first in, first out.
    for j in [
        "2026-01-05 buy acme 1 @ 90\n2026-01-05 buy acme 1 @ 200\n2026-01-06 log acme 1h\n",
        "2026-01-05 buy acme 1 @ 200\n2026-01-05 buy acme 1 @ 90\n2026-01-06 log acme 1h\n",
    ] {
        let (_, r) = replay_str(BOOK, j, "");
        let c = client(&r, "acme");
        assert_eq!(c.value(), dec(90), "{j}");
        let left: Vec<_> = c.lots.iter().map(|l| (l.seq, l.remaining)).collect();
        assert_eq!(left, [(0, dec(0)), (1, dec(60))], "{j}");
    }
}

#[test]
fn log_and_other_class_four_entries_run_in_the_order_of_their_text() {
    // Under `exact` and `overdraft = "bill"`, whichever runs first takes the last hour: the
    // text decides (`debit` < `log`), not the line.
    let b = with_policy("debit = \"exact\"");
    for j in [
        "2026-01-05 buy acme 1 @ 100\n2026-01-06 log acme 1h late\n2026-01-06 debit acme 1h fix\n",
        "2026-01-05 buy acme 1 @ 100\n2026-01-06 debit acme 1h fix\n2026-01-06 log acme 1h late\n",
    ] {
        let (_, r) = replay_str(&b, j, "");
        let c = client(&r, "acme");
        let overage: Vec<_> = c.events.iter().map(|e| (e.kind, e.overage)).collect();
        assert_eq!(
            overage,
            [
                (EventKind::Buy, None),
                (EventKind::Debit, None),
                (EventKind::Log, Some(dec(60)))
            ],
            "{j}"
        );
    }
}

#[test]
fn without_a_history_closed_grants_leave_memory_and_the_state_shown_is_the_same() {
    use super::{ReplayOptions, replay_with};
    use crate::{render, report};
    // 40 years of a plan whose included time lapses each month, some of it used: hundreds
    // of closed grants, a purchase and its `ref:` made before them, and lots opened after.
    let journal = "1990-01-01 plan acme performance\n\
                   1990-01-02 buy acme 10h @ 100 ref:OLD\n\
                   2000-05-03 log acme 4h #design\n\
                   2009-12-20 buy acme 5h @ 100 ref:NEW\n\
                   2009-12-21 log acme 3h30m #design\n\
                   2029-12-22 refund acme NEW 1h\n";
    let book_text = with_policy("refund_days = 9000");
    let (book, full) = replay_str(&book_text, journal, "2030-01-15");
    assert!(full.problems.is_empty(), "{:?}", full.problems);
    let entries = crate::testing::entries(&book, journal);
    let as_of: chrono::NaiveDate = "2030-01-15".parse().unwrap();
    let lean = replay_with(&book, &entries, Some(as_of), ReplayOptions::STATES);
    let (f, l) = (client(&full, "acme"), client(&lean, "acme"));
    assert!(
        f.lots.len() > 400,
        "a grant a month is kept with the history"
    );
    assert!(
        l.lots.len() < f.lots.len() / 2,
        "closed grants left: {}",
        l.lots.len()
    );
    let open = |c: &super::ClientState| -> Vec<super::Lot> {
        c.lots.iter().filter(|l| l.is_open()).cloned().collect()
    };
    assert_eq!(open(f), open(l));
    assert_eq!((f.balance(), f.value()), (l.balance(), l.value()));
    assert_eq!(f.totals, l.totals);
    assert_eq!(full.problems, lean.problems);
    for only in [None, Some("acme")] {
        let (bf, bl) = (
            report::balance(&book, &full, as_of, only),
            report::balance(&book, &lean, as_of, only),
        );
        assert_eq!(render::json::balance(&bf), render::json::balance(&bl));
        assert_eq!(
            render::text::balance_detail(&bf, false),
            render::text::balance_detail(&bl, false)
        );
    }
}
