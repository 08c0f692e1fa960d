//! Replay as a whole: as-of reports, the money invariant, plan dates, bills, history and limits.

use super::*;

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

/// `journal` pushed in order to one replayer that sets aside clients out of date order (with
/// `only`, replaying those clients only, their dates waiting the days given): the clients it
/// set aside, each with how many days late its lines came, and the replay of the others.
fn streamed(
    journal: &str,
    only: Option<&[(String, u64)]>,
) -> (Vec<(String, u64)>, crate::engine::Replay) {
    let book = crate::testing::book(BOOK);
    let mut r = crate::engine::Replayer::new(&book, None, ReplayOptions::STATES);
    r.set_aside();
    if let Some(clients) = only {
        r.only(clients);
    }
    for e in crate::testing::entries(&book, journal) {
        r.push(e)
            .expect("a replayer setting clients aside never says out of order");
    }
    let aside = r
        .aside_late()
        .map(|(id, days)| (id.to_string(), days))
        .collect();
    (aside, r.finish().expect("in order"))
}

#[test]
fn a_line_recorded_late_runs_in_its_place_while_no_later_date_of_its_client_has_run() {
    // Yesterday's work logged after today's: the 19th has not run when it comes (only the
    // 5th has), so it runs in its place, and the client is not set aside.
    let j = "
        2026-01-02 buy acme 5 @ 100
        2026-01-05 log acme 1h
        2026-01-20 log acme 30m today
        2026-01-19 log acme 30m yesterday
    ";
    let (aside, streamed) = streamed(j, None);
    assert!(aside.is_empty(), "{aside:?}");
    let (_, batch) = replay_str(BOOK, j, "");
    assert_eq!(
        client(&streamed, "acme").balance(),
        client(&batch, "acme").balance()
    );
    assert_eq!(client(&streamed, "acme").balance(), dec(180));
}

#[test]
fn a_client_set_aside_runs_again_alone_with_its_dates_waiting_as_long_as_its_lines_came_late() {
    // The buy of the 2nd comes after the 20th has run: `acme` is set aside, its lines noted
    // as coming up to 23 days late (the buy, read after the 25th; the log of the 22nd, read
    // after 10 February, 19). Read again with its dates waiting 23 days, every line runs in
    // its place: the batch replay.
    let j = "
        2026-01-05 log acme 1h
        2026-01-20 log acme 30m
        2026-01-21 log beta 1h
        2026-01-25 log acme 15m
        2026-01-02 buy acme 5 @ 100
        2026-02-10 log acme 15m
        2026-01-22 log acme 15m
    ";
    let (aside, first) = streamed(j, None);
    assert_eq!(aside, [("acme".to_string(), 23)]);
    assert!(!first.clients.contains_key("acme"));
    assert_eq!(client(&first, "beta").overage, dec(60));
    let (still, again) = streamed(j, Some(&aside));
    assert!(still.is_empty(), "{still:?}");
    assert_eq!(again.clients.keys().collect::<Vec<_>>(), ["acme"]);
    let (_, batch) = replay_str(BOOK, j, "");
    let (acme, whole) = (client(&again, "acme"), client(&batch, "acme"));
    assert_eq!(
        (acme.balance(), acme.overage),
        (whole.balance(), whole.overage)
    );
    assert_eq!(acme.balance(), dec(180));
    // Without waiting, the buy comes too late again.
    let (still, _) = streamed(j, Some(&[("acme".to_string(), 0)]));
    assert_eq!(still, [("acme".to_string(), 23)]);
}

#[test]
fn a_client_with_many_lines_waiting_replays_its_earliest_dates_sooner() {
    // 600 lines within a week, waiting up to 100 days: beyond 512 waiting, the earliest dates
    // run, so a line dated on one of them comes too late; the lines of one date all wait.
    let acme = [("acme".to_string(), 100)];
    let mut j = String::from("2026-01-01 buy acme 500 @ 100\n");
    for day in 2..=7 {
        j += &format!("2026-01-{day:02} log acme 1m\n").repeat(100);
    }
    let (aside, _) = streamed(
        &format!("{j}2026-01-07 log acme 1m same date\n"),
        Some(&acme),
    );
    assert!(aside.is_empty(), "{aside:?}");
    let (aside, _) = streamed(&format!("{j}2026-01-02 log acme 1m late\n"), Some(&acme));
    assert_eq!(aside.len(), 1);
    let (aside, _) = streamed(&format!("{j}2026-01-06 log acme 1m late\n"), Some(&acme));
    assert!(aside.is_empty(), "{aside:?}");
    let one_date =
        "2026-01-01 buy acme 500 @ 100\n".to_string() + &"2026-01-02 log acme 1m\n".repeat(700);
    let (aside, r) = streamed(
        &format!("{one_date}2026-01-02 log acme 1m more\n"),
        Some(&acme),
    );
    assert!(aside.is_empty(), "{aside:?}");
    assert_eq!(client(&r, "acme").totals.logged, dec(701));
}
