//! Quotes and estimates: their lifecycle, reservations, and the logs that name them.

use super::*;

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
        .map(|e| {
            let d = &e.detail;
            (d.name.as_deref(), d.text.as_str(), e.logged, e.debited)
        })
        .collect();
    assert_eq!(
        quoted,
        [
            (Some("Q1"), "Build", Some(dec(120)), None),
            (Some("Q1"), "Review", Some(dec(30)), None),
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
