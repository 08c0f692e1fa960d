//! Lots: their prices and discounts, bad buys, and when purchased credits expire.

use super::*;

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

#[test]
fn a_mistyped_package_task_or_plan_suggests_the_nearest_name() {
    let j = "
        2026-01-05 plan acme concierg
        2026-01-05 buy acme fiv
        2026-01-05 debit acme baner
        2026-01-05 debit acme logo
    ";
    let (_, r) = replay_str(BOOK, j, "");
    let helps: Vec<(String, Option<String>)> = r
        .problems
        .iter()
        .map(|d| (d.message.clone(), d.help.clone()))
        .collect();
    let help = |message: &str| {
        helps
            .iter()
            .find(|(m, _)| m == message)
            .and_then(|(_, h)| h.clone())
            .unwrap_or_default()
    };
    assert_eq!(help("unknown plan `concierg`"), "did you mean `concierge`?");
    assert_eq!(help("unknown package `fiv`"), "did you mean `five`?");
    assert_eq!(help("unknown task `baner`"), "did you mean `banner`?");
    // Nothing close: every name the book defines.
    assert_eq!(
        help("unknown task `logo`"),
        "the book's tasks are `banner`, `complex-plugin`"
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
