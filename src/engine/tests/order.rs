//! Order: which lots drain first, and the order entries of one date run in.

use super::*;

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
        let left: Vec<_> = c.lots.iter().map(|l| (l.seq, l.remaining.dec())).collect();
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
