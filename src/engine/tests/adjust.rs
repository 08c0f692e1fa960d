//! Adjustments and assertions.

use super::*;

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
