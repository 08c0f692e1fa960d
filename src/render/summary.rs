//! The words and numbers a statement shows, shared by the text, Markdown and HTML renderers
//! so that the three say the same thing. Plain strings: each renderer escapes them.

use super::{hmm, plural};
use crate::model::Minutes;
use crate::report::{Statement, StatementLine, units};
use rust_decimal::Decimal;

/// `1150.00 USD`, `24000 JPY`.
pub fn money(s: &Statement, amount: Decimal) -> String {
    format!("{} {}", s.currency.format(amount), s.currency.code())
}

/// `7 credits (7:00)`, `1 credit (1:00)`, `0.5 credits (0:30)`.
pub fn both(s: &Statement, m: Minutes) -> String {
    let n = units(m, s.unit_minutes);
    let name = if n.abs() == Decimal::ONE {
        s.unit.clone()
    } else {
        plural(&s.unit)
    };
    format!("{n} {name} ({})", hmm(m))
}

/// The period as people say it: `2026-03-01 to 2026-03-31`, with a note when it was cut.
pub fn period(s: &Statement) -> String {
    if s.cut {
        format!("{} to {} (today)", s.from, s.to)
    } else {
        format!("{} to {}", s.from, s.to)
    }
}

/// `Statement for Acme Corp (acme)`.
pub fn title(s: &Statement) -> String {
    if s.name == s.client {
        format!("Statement for {}", s.client)
    } else {
        format!("Statement for {} ({})", s.name, s.client)
    }
}

/// A line's cells: logged, debited, added (time in, or out without a debit), balance, amount;
/// empty when they do not apply.
pub fn cells(s: &Statement, l: &StatementLine) -> [String; 5] {
    let debited = match (l.debited, l.overage) {
        (Some(d), Some(o)) => format!("{} ({} over)", hmm(d), hmm(o)),
        (Some(d), None) => hmm(d),
        (None, _) => String::new(),
    };
    let added = match l.credited {
        Some(c) if c > Decimal::ZERO => format!("+{}", hmm(c)),
        Some(c) if c < Decimal::ZERO => hmm(c),
        _ => String::new(),
    };
    [
        l.logged.map(hmm).unwrap_or_default(),
        debited,
        added,
        hmm(l.balance),
        l.amount.map(|a| money(s, a)).unwrap_or_default(),
    ]
}

/// The column headers of the lines, matching [`cells`] after date, kind and description.
pub const HEADER: [&str; 8] = [
    "date",
    "kind",
    "description",
    "logged",
    "debited",
    "added",
    "balance",
    "amount",
];

/// The summary: (label, value) rows in the order a statement shows them.
pub fn rows(s: &Statement) -> Vec<(&'static str, String)> {
    let t = &s.totals;
    let with_money = |m: Minutes, amount: Decimal, what: &str| {
        if amount.is_zero() {
            both(s, m)
        } else {
            format!("{} — {} {what}", both(s, m), money(s, amount))
        }
    };
    let mut rows = vec![
        ("Opening balance", both(s, s.opening)),
        ("Bought", with_money(t.bought, t.paid, "paid")),
        ("Included (granted)", both(s, t.granted)),
    ];
    if !t.adjusted.is_zero() {
        rows.push(("Adjusted", both(s, t.adjusted)));
    }
    rows.extend([
        ("Used", both(s, t.debited)),
        ("Covered by the plan", hmm(t.covered)),
        ("Expired", both(s, t.expired)),
        (
            "Refunded",
            with_money(t.refunded, t.money_refunded, "refunded"),
        ),
        (
            "Applied to projects",
            with_money(t.applied, t.money_applied, "applied"),
        ),
        ("Closing balance", both(s, s.closing)),
        ("Pending (not yet debited)", hmm(s.pending)),
        ("Value remaining", money(s, s.value)),
    ]);
    let overage = match (s.overage_due, s.rate) {
        (Some(due), Some(rate)) if !s.overage.is_zero() => format!(
            "{} — {} due at {}/h",
            hmm(s.overage),
            money(s, due),
            money(s, rate)
        ),
        _ => hmm(s.overage),
    };
    rows.push(("Overage to bill", overage));
    rows
}

/// `1.5 credits of lot INV-7 (bought 2026-01-05) expire after 2026-12-01 — 180.00 USD`.
pub fn expiring(s: &Statement) -> Vec<String> {
    s.expiring
        .iter()
        .map(|l| {
            let lot = l
                .reference
                .as_ref()
                .map_or_else(|| format!("bought {}", l.date), |r| format!("lot {r}"));
            let value = if l.value.is_zero() {
                String::new()
            } else {
                format!(" — {}", money(s, l.value))
            };
            format!(
                "{} of {lot} expire after {}{value}",
                both(s, l.remaining),
                l.expires
            )
        })
        .collect()
}

/// `Q8 (2 credits, approved, due 2026-11-10): Banner refresh`.
pub fn quotes(s: &Statement) -> Vec<String> {
    s.quotes
        .iter()
        .map(|q| {
            let state = if q.approved { "approved" } else { "pending" };
            let due = q.due.map(|d| format!(", due {d}")).unwrap_or_default();
            let desc = if q.description.is_empty() {
                String::new()
            } else {
                format!(": {}", q.description)
            };
            format!("{} ({}, {state}{due}){desc}", q.id, both(s, q.minutes))
        })
        .collect()
}

/// The heading above the expiring lots.
pub fn expiring_heading(s: &Statement) -> String {
    format!("Expiring within {} days after {}", s.warn_days, s.to)
}
