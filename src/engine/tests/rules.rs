//! The retainer rules: a minimum charge per log, a package's own expiry, and included time
//! that rolls over into the next month.

use super::*;

/// The last usable day of each purchased lot, in the order made.
fn last_days(c: &ClientState) -> Vec<Option<String>> {
    c.lots
        .iter()
        .filter(|l| l.kind == LotKind::Purchase)
        .map(|l| l.last_day.map(|d| d.to_string()))
        .collect()
}

// ----- minimum -------------------------------------------------------------------------------

#[test]
fn first_thirty_minutes_then_fifteen_minute_steps() {
    // "First 30 minutes, then 15-minute steps": 10m → 30m, 40m → 45m, 30m → 30m.
    let b = with_policy("debit = \"round-up\"\nround_to = \"15m\"\nminimum = \"30m\"");
    let j = "2026-01-05 buy acme 10 @ 100\n2026-01-06 log acme 10m a\n2026-01-07 log acme 40m b\n2026-01-08 log acme 30m c\n";
    let (_, r) = replay_str(&b, j, "");
    let c = client(&r, "acme");
    let debited: Vec<_> = c
        .events
        .iter()
        .filter(|e| e.kind == EventKind::Log)
        .map(|e| e.debited)
        .collect();
    assert_eq!(debited, [Some(dec(30)), Some(dec(45)), Some(dec(30))]);
    assert_eq!(c.balance(), dec(600 - 105));
    assert_eq!(c.totals.logged, dec(80));
}

#[test]
fn the_minimum_applies_to_what_remains_after_included_time_and_never_to_covered_work() {
    let b = with_policy("debit = \"exact\"\nminimum = \"30m\"");
    let j = "
        2026-01-01 plan acme performance
        2026-01-02 buy acme 2 @ 100
        2026-01-05 log acme 2h50m uses the grant
        2026-01-06 log acme 5m past the grant
        2026-01-07 log acme 5m only grant time #support
    ";
    let (_, r) = replay_str(&b, j, "");
    let c = client(&r, "acme");
    let debited: Vec<_> = c
        .events
        .iter()
        .filter(|e| matches!(e.kind, EventKind::Log | EventKind::Covered))
        .map(|e| e.debited)
        .collect();
    // The first log is all included time; the second fits in the 10m the grant still holds,
    // so nothing remains to charge; the covered log is never charged.
    assert_eq!(debited, [Some(dec(170)), Some(dec(5)), None]);
    let j2 = "
        2026-01-01 plan acme performance
        2026-01-02 buy acme 2 @ 100
        2026-01-05 log acme 2h55m uses the grant
        2026-01-06 log acme 10m five past the grant
    ";
    let (_, r) = replay_str(&b, j2, "");
    let c = client(&r, "acme");
    // 5m from the grant, then 5m charged at the 30m minimum.
    assert_eq!(c.events.last().unwrap().debited, Some(dec(35)));
    assert_eq!(c.balance(), dec(120 - 30));
}

#[test]
fn under_accumulate_the_minimum_is_added_to_pending() {
    let b = with_policy("minimum = \"30m\"");
    let j = "2026-01-05 buy acme 2 @ 100\n2026-01-06 log acme 10m a\n2026-01-07 log acme 10m b\n";
    let (_, r) = replay_str(&b, j, "");
    let c = client(&r, "acme");
    // 30m + 30m pending make one unit, debited on the second day.
    assert_eq!(c.pending, dec(0));
    assert_eq!(c.balance(), dec(60));
}

#[test]
fn without_a_minimum_a_short_log_is_charged_as_before() {
    let b = with_policy("debit = \"round-up\"\nround_to = \"15m\"");
    let (_, r) = replay_str(&b, "2026-01-05 buy acme 2\n2026-01-06 log acme 10m a\n", "");
    assert_eq!(client(&r, "acme").balance(), dec(105));
}

#[test]
fn a_minimum_that_runs_past_purchased_time_is_refused_under_deny() {
    let b = with_policy("debit = \"exact\"\nminimum = \"1h\"\noverdraft = \"deny\"");
    let j = "2026-01-05 buy acme 30m @ 100\n2026-01-06 log acme 10m a\n";
    let (_, r) = replay_str(&b, j, "");
    let p = problems(j, &r);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].contains("this log debits 1h (the `minimum` charge for 10m) but `acme` has only 30m"),
        "{p:?}"
    );
    assert_eq!(client(&r, "acme").balance(), dec(30));
}

// ----- package expires -----------------------------------------------------------------------

#[test]
fn a_lots_last_day_comes_from_the_line_then_the_package_then_the_tier_then_the_policy() {
    let b = format!(
        "{}\n[[policy.expiry_tiers]]\nfrom = \"10h\"\nexpires = \"24mo\"\n",
        BOOK.replace(
            "five = { units = 5, price = \"600\" }",
            "five = { units = 5, price = \"600\", expires = \"90d\" }\n\
             ten = { units = 10, price = \"1100\" }\n\
             forever = { units = 10, price = \"1100\", expires = \"never\" }\n\
             fixed = { units = 1, price = \"140\", expires = \"2026-06-30\" }"
        )
        .replace("[policy]\n", "[policy]\nexpires = \"12mo\"\n")
    );
    let j = "
        2026-01-05 buy acme five expires 30d
        2026-01-05 buy acme five
        2026-01-05 buy acme ten
        2026-01-05 buy acme forever
        2026-01-05 buy acme fixed
        2026-01-05 buy acme 2h @ 100
    ";
    let (_, r) = replay_str(&b, j, "");
    assert_eq!(problems(j, &r), Vec::<String>::new());
    let got = last_days(client(&r, "acme"));
    let want: Vec<Option<String>> = [
        Some("2026-02-04"),
        Some("2026-04-05"),
        Some("2028-01-05"),
        None,
        Some("2026-06-30"),
        Some("2027-01-05"),
    ]
    .iter()
    .map(|d| d.map(str::to_string))
    .collect();
    // Lots of one date are made in canonical order: sort both by what made them.
    let mut got = got;
    let mut want = want;
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn a_package_that_expires_before_its_purchase_is_an_error() {
    let b = BOOK.replace(
        "five = { units = 5, price = \"600\" }",
        "five = { units = 5, price = \"600\", expires = \"2026-01-01\" }",
    );
    let j = "2026-01-05 buy acme five\n";
    let (_, r) = replay_str(&b, j, "");
    let p = problems(j, &r);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].contains("expires on 2026-01-01"), "{p:?}");
}

// ----- rollover ------------------------------------------------------------------------------

fn rolling_book() -> String {
    format!(
        "{BOOK}\n[plans.rolling]\nmonthly = \"3h\"\nrollover = \"1h\"\n\n[plans.plain]\nmonthly = \"3h\"\n"
    )
}

/// (date, kind, credited) of every event from `from` on.
fn lines(c: &ClientState, from: &str) -> Vec<(String, EventKind, Option<rust_decimal::Decimal>)> {
    c.events
        .iter()
        .filter(|e| e.date.to_string().as_str() >= from)
        .map(|e| (e.date.to_string(), e.kind, e.credited))
        .collect()
}

#[test]
fn up_to_the_rollover_moves_to_the_next_month_and_the_rest_lapses() {
    let j = "
        2026-01-01 plan acme rolling
        2026-01-10 log acme 1h30m setup
    ";
    let (_, r) = replay_str(&rolling_book(), j, "2026-02-01");
    let c = client(&r, "acme");
    // Of January's 1h30m left, 1h rolls over and 30m lapse; February's grant comes after.
    assert_eq!(
        lines(c, "2026-02-01"),
        [
            ("2026-02-01".into(), EventKind::Rollover, None),
            ("2026-02-01".into(), EventKind::Expire, Some(dec(-30))),
            ("2026-02-01".into(), EventKind::Grant, Some(dec(180))),
        ]
    );
    let roll = &c.events[c.events.len() - 3];
    let d = |s: &str| s.parse::<chrono::NaiveDate>().ok();
    assert_eq!(
        (roll.detail.minutes, roll.detail.since, roll.detail.until),
        (Some(dec(60)), d("2026-01-01"), d("2026-02-28"))
    );
    // Rolled time is not granted: February has its 3h and January's 1h.
    assert_eq!(c.totals.granted, dec(360));
    assert_eq!(c.totals.expired, dec(30));
    assert_eq!(c.balance(), dec(240));
    assert_eq!(c.included_left(), dec(240));
    // The balance does not move on the rollover line.
    assert_eq!(roll.balance, dec(90));
}

#[test]
fn rolled_time_is_drained_before_the_months_own_grant_and_never_rolls_again() {
    let j = "
        2026-01-01 plan acme rolling
        2026-01-01 buy acme 2 @ 100
        2026-02-10 log acme 30m a
    ";
    let (_, r) = replay_str(&rolling_book(), j, "2026-03-01");
    let c = client(&r, "acme");
    let grants: Vec<_> = c
        .lots
        .iter()
        .filter(|l| l.kind == LotKind::Grant)
        .map(|l| (l.date.to_string(), l.minutes, l.remaining.dec()))
        .collect();
    // January's 3h: 1h rolled into February; the 30m log took it from the rolled time; on
    // March 1 the rolled 30m left lapse (rolled time never rolls), February's grant rolls 1h.
    assert_eq!(
        grants,
        [
            ("2026-01-01".into(), dec(180), dec(0)),
            ("2026-02-01".into(), dec(60), dec(0)),
            ("2026-02-01".into(), dec(180), dec(0)),
            ("2026-03-01".into(), dec(60), dec(60)),
            ("2026-03-01".into(), dec(180), dec(180)),
        ]
    );
    assert_eq!(
        lines(c, "2026-03-01"),
        [
            ("2026-03-01".into(), EventKind::Expire, Some(dec(-30))),
            ("2026-03-01".into(), EventKind::Rollover, None),
            ("2026-03-01".into(), EventKind::Expire, Some(dec(-120))),
            ("2026-03-01".into(), EventKind::Grant, Some(dec(180))),
        ]
    );
    // The purchase was never touched.
    assert_eq!(c.balance(), dec(120 + 240));
}

#[test]
fn a_rollover_above_what_is_left_moves_all_of_it_and_nothing_lapses() {
    let b = rolling_book().replace("rollover = \"1h\"", "rollover = \"5h\"");
    let j = "2026-01-01 plan acme rolling\n2026-01-10 log acme 2h a\n";
    let (_, r) = replay_str(&b, j, "2026-02-01");
    let c = client(&r, "acme");
    assert_eq!(
        lines(c, "2026-02-01"),
        [
            ("2026-02-01".into(), EventKind::Rollover, None),
            ("2026-02-01".into(), EventKind::Grant, Some(dec(180))),
        ]
    );
    assert_eq!(c.totals.expired, dec(0));
    assert_eq!(c.balance(), dec(240));
}

#[test]
fn the_plan_that_made_the_lapsing_grant_decides_even_after_the_client_left_it() {
    // Left on the 20th: January's grant of `rolling` still rolls over on February 1.
    let j = "2026-01-01 plan acme rolling\n2026-01-20 plan acme none\n";
    let (_, r) = replay_str(&rolling_book(), j, "2026-03-01");
    let c = client(&r, "acme");
    assert_eq!(
        lines(c, "2026-02-01"),
        [
            ("2026-02-01".into(), EventKind::Rollover, None),
            ("2026-02-01".into(), EventKind::Expire, Some(dec(-120))),
            ("2026-03-01".into(), EventKind::Expire, Some(dec(-60))),
        ]
    );
    // Joined on the 20th: only the grant of `rolling` rolls over, not that of `plain`.
    let j = "2026-01-01 plan acme plain\n2026-01-20 plan acme rolling\n";
    let (_, r) = replay_str(&rolling_book(), j, "2026-02-01");
    let c = client(&r, "acme");
    let rolled: Vec<_> = c
        .lots
        .iter()
        .filter(|l| l.lapse == crate::engine::Lapse::Rolled)
        .map(|l| l.minutes)
        .collect();
    assert_eq!(rolled, [dec(60)]);
    assert_eq!(c.totals.expired, dec(120 + 180));
}

#[test]
fn a_plan_without_rollover_lapses_as_before() {
    let j = "2026-01-01 plan acme plain\n2026-01-10 log acme 1h a\n";
    let (_, r) = replay_str(&rolling_book(), j, "2026-02-01");
    let c = client(&r, "acme");
    assert_eq!(
        lines(c, "2026-02-01"),
        [
            ("2026-02-01".into(), EventKind::Expire, Some(dec(-120))),
            ("2026-02-01".into(), EventKind::Grant, Some(dec(180))),
        ]
    );
}

#[test]
fn idle_years_with_rollover_give_in_closed_form_what_stepping_gives() {
    let book = crate::testing::book(&rolling_book());
    let entries = crate::testing::entries(
        &book,
        "2026-01-01 plan acme rolling\n2026-01-10 log acme 2h30m a\n2031-05-20 log acme 15m b",
    );
    let lean = ReplayOptions::STATES;
    for as_of in [
        "2026-02-01",
        "2026-03-01",
        "2026-04-15",
        "2031-05-20",
        "2060-01-01",
    ] {
        let as_of = as_of.parse().ok();
        let skipped = replay_with(&book, &entries, as_of, lean);
        let stepped =
            crate::engine::calendar::stepping(|| replay_with(&book, &entries, as_of, lean));
        let full = replay_with(&book, &entries, as_of, ReplayOptions::default());
        let (a, b) = (&skipped.clients["acme"], &stepped.clients["acme"]);
        assert_eq!(a.totals, b.totals, "{as_of:?}");
        assert_eq!(a.totals, full.clients["acme"].totals, "{as_of:?}");
        let open = |c: &ClientState| -> Vec<Lot> {
            c.lots.iter().filter(|l| l.is_open()).cloned().collect()
        };
        assert_eq!(open(a), open(b), "{as_of:?}");
    }
    // Through 2060: 409 months granted; every month but the last leaves 1h rolled and the
    // rest lapsed, the last month's 3h and 1h rolled are open.
    let r = replay_with(&book, &entries, "2060-01-01".parse().ok(), lean);
    let c = &r.clients["acme"];
    assert_eq!(c.totals.granted, dec(180 * 409));
    assert_eq!(c.balance(), dec(240));
}
