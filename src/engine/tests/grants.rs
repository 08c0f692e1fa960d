//! Plan grants: when they arrive and lapse, how they drain, covered work and plan restatements.

use super::*;

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
        .map(|l| (l.date.to_string(), l.remaining.dec()))
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
                l.remaining.dec(),
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
