//! The words a client reads: an event's description ([`event`]: `register`, `export`,
//! `--grep`), line kinds, minutes as `H:MM`, units and their plurals, signed money, and every
//! line and row of a statement. One place, shared by the text, Markdown, HTML, CSV and JSON
//! forms (and `H:MM` by every report), so that they say the same thing. Plain strings: each
//! renderer escapes them.
//!
//! The engine writes no words into an event: every line is worded here from the event's kind,
//! its quantities and its [`Detail`](crate::engine::Detail) (names, titles, references, dates).

use crate::engine::{Event, EventKind, LotKind, QuoteKind};
use crate::model::{Book, Currency, Minutes};
use crate::report::{Forecast, Statement, StatementLine, Warning, WarningKind, units};
use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt::Write as _;

/// Minutes as `h:mm`: `7:00`, `0:15`, `-1:30`, and `0:12.5` for a fraction of a minute.
#[must_use]
pub fn hmm(minutes: Minutes) -> String {
    let sign = if minutes < Decimal::ZERO { "-" } else { "" };
    let abs = minutes.abs();
    let whole = abs.trunc();
    let frac = (abs - whole).normalize();
    let hours = (whole / Decimal::from(60)).trunc().normalize();
    let mins = (whole % Decimal::from(60)).normalize();
    let frac = if frac.is_zero() {
        String::new()
    } else {
        frac.to_string().trim_start_matches('0').to_string()
    };
    format!("{sign}{hours}:{:0>2}{frac}", mins.to_string())
}

/// Minutes as a journal writes them: `1h30m`, `45m`, `12.5m` (what messages and an event's
/// description say; reports' columns say [`hmm`]).
pub use crate::model::duration;

/// `5 credits`, `1 credit`: minutes in the book's units when that is exact to a hundredth,
/// else as a duration (`20m`).
#[must_use]
pub fn units_of(book: &Book, m: Minutes) -> String {
    match m.checked_div(book.unit_minutes).map(|n| n.normalize()) {
        Some(n) if n.scale() <= 2 => format!("{n} {}", book.unit_plural(n)),
        _ => duration(m),
    }
}

/// An event's description, as `register`, `export` and `--grep` read it: the entry's own
/// words, else words made from its kind and [`Detail`](crate::engine::Detail).
#[must_use]
pub fn event(book: &Book, e: &Event) -> String {
    let d = &e.detail;
    let own = |fallback: String| {
        if d.text.is_empty() || d.borrowed {
            fallback
        } else {
            d.text.clone()
        }
    };
    let name = d.name.as_deref().unwrap_or("");
    let quote = d.quote.map_or("quote", QuoteKind::word);
    let month = |date: Option<NaiveDate>| date.map(|d| d.format("%Y-%m").to_string());
    let month = |date| month(date).unwrap_or_default();
    let until = d.until.map(|u| u.to_string()).unwrap_or_default();
    match e.kind {
        EventKind::Buy => {
            let got = units_of(book, e.credited.unwrap_or_default());
            own(match &d.name {
                Some(package) => format!("package {package}: {got}"),
                None => got,
            })
        }
        EventKind::Grant => match d.until {
            Some(u) => format!("included time of plan {name}, usable through {u}"),
            None => format!("included time of plan {name}, usable with no end"),
        },
        EventKind::Log => own("work".into()),
        EventKind::Covered => own("covered work".into()),
        EventKind::Quoted if d.text.is_empty() => format!("Work on quote {name}"),
        EventKind::Quoted => format!("Work on quote {name}: {}", d.text),
        EventKind::Debit if d.carried => "pending time debited on leaving accumulate".into(),
        EventKind::Debit => {
            let title = d.name.as_ref().and_then(|t| book.tasks.get(t.as_str()));
            own(match title {
                Some(t) if !t.title.is_empty() => t.title.clone(),
                _ => "debit".into(),
            })
        }
        EventKind::Done if d.borrowed => format!("{quote} {name}: {}", d.text),
        EventKind::Done => own(format!("{quote} {name} done")),
        EventKind::Expire => {
            let gone = units_of(book, -e.credited.unwrap_or_default());
            match (d.lot, &d.reference) {
                (Some(LotKind::Grant), _) if d.rolled => format!(
                    "included time rolled over into {} lapsed after {until}",
                    month(d.since)
                ),
                (Some(LotKind::Grant), _) => {
                    format!("included time of {} lapsed after {until}", month(d.since))
                }
                (_, Some(r)) => format!("{gone} of lot {r} expired after {until}"),
                (_, None) => format!("{gone} expired after {until}"),
            }
        }
        EventKind::Refund => {
            let lot = match &d.name {
                Some(r) => r.replace('`', ""),
                None => format!(
                    "bought {}",
                    d.since.map(|s| s.to_string()).unwrap_or_default()
                ),
            };
            let back = units_of(book, -e.credited.unwrap_or_default());
            own(format!("refund of {back} from lot {lot}"))
        }
        EventKind::Apply => own(match &d.name {
            Some(p) => format!("project {p}"),
            None => "applied to a project".into(),
        }),
        EventKind::Adjust => own("adjustment".into()),
        EventKind::Quote | EventKind::Estimate => {
            let quoted = units_of(book, d.minutes.unwrap_or_default());
            let line = format!("{} {name}: {quoted} — {}", e.kind.word(), d.text);
            line.trim_end_matches([' ', '—']).to_string()
        }
        EventKind::Approve => own(format!("{quote} {name} approved")),
        EventKind::Reject => own(format!("{quote} {name} rejected")),
        EventKind::Plan => own(format!("plan {}", d.name.as_deref().unwrap_or("none"))),
        EventKind::Bill => {
            let m = duration(d.minutes.unwrap_or_default());
            own(match &d.reference {
                Some(r) => format!("overage of {m} invoiced ({r})"),
                None => format!("overage of {m} invoiced"),
            })
        }
        EventKind::Rollover => format!(
            "{} of included time of {} rolled over, usable through {until}",
            duration(d.minutes.unwrap_or_default()),
            month(d.since)
        ),
    }
}

/// The plural of a unit name (`credit` → `credits`), for headers: [`crate::model::unit_name`]
/// of more than one.
#[must_use]
pub fn plural(unit: &str) -> String {
    crate::model::unit_name(unit, Decimal::TWO)
}

/// `3 credits`, `1 credit`, `0.5 credits`: minutes in the statement's units.
#[must_use]
pub fn count(s: &Statement, m: Minutes) -> String {
    let n = units(m, s.unit_minutes);
    format!("{n} {}", crate::model::unit_name(&s.unit, n))
}

/// `7 credits`, `1 credit`, `-1 credit`: minutes in units of `unit_minutes` (to a
/// hundredth), named by [`crate::model::unit_name`] (singular for one unit, or minus one).
#[must_use]
pub fn in_units(unit: &str, unit_minutes: Minutes, m: Minutes) -> String {
    let n = crate::report::units(m, unit_minutes);
    format!("{n} {}", crate::model::unit_name(unit, n))
}

/// A balance warning for people: `7 credits expire after 2026-12-01`, `the balance of 1
/// credit is below 2 credits`, `0.5 credits of overage not billed yet`, `the balance is
/// negative: -2.5 credits`, `estimate E1 was due 2026-01-20`.
#[must_use]
pub fn warning(unit: &str, unit_minutes: Minutes, w: &Warning) -> String {
    let count = |m: Minutes| in_units(unit, unit_minutes, m);
    let day = w.date.map(|d| d.to_string()).unwrap_or_default();
    match w.kind {
        WarningKind::Expiring => {
            let one = crate::report::units(w.minutes, unit_minutes) == Decimal::ONE;
            let verb = if one { "expires" } else { "expire" };
            format!("{} {verb} after {day}", count(w.minutes))
        }
        WarningKind::LowBalance => format!(
            "the balance of {} is below {}",
            count(w.minutes),
            count(w.threshold.unwrap_or_default())
        ),
        WarningKind::Overage => format!("{} of overage not billed yet", count(w.minutes)),
        WarningKind::Negative => format!("the balance is negative: {}", count(w.minutes)),
        WarningKind::Overdue => match &w.quote {
            Some((kind, id)) => format!("{} {id} was due {day}", kind.word()),
            None => format!("due {day}"),
        },
    }
}

/// `7 credits (7:00)`, `1 credit (1:00)`, `-1 credits (-1:00)`: minutes in units of
/// `unit_minutes` (to a hundredth), and as `H:MM`, what `balance` and a writing command
/// print. The name is singular for exactly one unit only (a statement's [`both`] says
/// `-1 credit`).
#[must_use]
pub fn units_and_time(unit: &str, unit_minutes: Minutes, m: Minutes) -> String {
    format!("{} ({})", in_units(unit, unit_minutes, m), hmm(m))
}

/// `7 credits (7:00)`, `1 credit (1:00)`, `0.5 credits (0:30)`.
#[must_use]
pub fn both(s: &Statement, m: Minutes) -> String {
    format!("{} ({})", count(s, m), hmm(m))
}

/// `1150.00 USD`, `24000 JPY`.
#[must_use]
pub fn money(s: &Statement, amount: Decimal) -> String {
    format!("{} {}", s.currency.format(amount), s.currency.code())
}

/// Money with its sign for people: `+1150.00 USD`, `−230.00 USD` (a true minus sign).
#[must_use]
pub fn signed(s: &Statement, amount: Decimal) -> String {
    let abs = money(s, amount.abs());
    if s.currency.round(amount).is_zero() {
        abs
    } else if amount < Decimal::ZERO {
        format!("\u{2212}{abs}")
    } else {
        format!("+{abs}")
    }
}

/// Money with its sign for machines (JSON, CSV): `1150.00`, `-230.00`, so amounts add up.
#[must_use]
pub fn signed_plain(currency: Currency, amount: Decimal) -> String {
    currency.format(amount)
}

/// What a client calls a line's kind.
#[must_use]
pub fn kind(kind: EventKind) -> &'static str {
    // By the kind's word, so that a kind added to the engine reads as itself until it is
    // given a name here.
    match kind.word() {
        "buy" => "Purchase",
        "grant" => "Included time",
        "rollover" => "Rollover",
        // Work on a fixed quote reads "Work on quote Q7".
        "log" | "quoted" => "Work",
        "covered" => "Covered work",
        "debit" => "Fixed task",
        "done" => "Quote delivered",
        "expire" => "Expired",
        "refund" => "Refund",
        "apply" => "Project credit",
        "adjust" => "Adjustment",
        "bill" => "Overage invoiced",
        "quote" => "Quote",
        "estimate" => "Estimate",
        "approve" => "Approved",
        "reject" => "Rejected",
        "plan" => "Plan",
        other => other,
    }
}

/// Whether a line moves time or money, and so is shown on a statement a client reads
/// (quotes, estimates, their answers and plan changes are not; JSON keeps every line).
#[must_use]
pub fn shown(kind: EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Quote
            | EventKind::Estimate
            | EventKind::Approve
            | EventKind::Reject
            | EventKind::Plan
    )
}

/// `March 2026`.
fn month(d: NaiveDate) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let name = NAMES.get(d.month0() as usize).copied().unwrap_or("");
    format!("{name} {}", d.year())
}

/// `a`, `a: b` or `b`, leaving out what is empty.
fn join(a: &str, b: &str, sep: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.to_string(),
        (false, true) => a.to_string(),
        (false, false) => format!("{a}{sep}{b}"),
    }
}

/// ` (ref INV-7)` when there is a reference.
fn with_ref(text: String, reference: Option<&str>) -> String {
    match reference {
        Some(r) if text.is_empty() => format!("ref {r}"),
        Some(r) => format!("{text} (ref {r})"),
        None => text,
    }
}

/// The purchase a lot came from: `purchase INV-7` or `purchase of 2026-01-05`.
fn purchase(l: &StatementLine) -> String {
    match (&l.detail.reference, l.detail.since) {
        (Some(r), _) => format!("purchase {r}"),
        (None, Some(d)) => format!("purchase of {d}"),
        (None, None) => "a purchase".to_string(),
    }
}

/// A line's description, for the client: the words written for it, with the titles of the
/// package, plan or task it names and its reference; never an internal id.
#[must_use]
pub fn describe(s: &Statement, l: &StatementLine) -> String {
    let d = &l.detail;
    let text = d.text.as_str();
    let title = l.title.as_deref().unwrap_or("");
    let name = d.name.as_deref().unwrap_or("");
    match l.kind {
        EventKind::Buy => {
            let what = if title.is_empty() {
                count(s, l.credited.unwrap_or_default())
            } else {
                title.to_string()
            };
            with_ref(join(&what, text, ": "), d.reference.as_deref())
        }
        EventKind::Grant => match (title.is_empty(), d.until) {
            (true, Some(u)) => format!("Usable through {u}"),
            (false, Some(u)) => format!("{title}, usable through {u}"),
            (_, None) => title.to_string(),
        },
        EventKind::Log | EventKind::Covered => text.to_string(),
        EventKind::Adjust => with_ref(text.to_string(), d.reference.as_deref()),
        EventKind::Quoted => join(&format!("Work on quote {name}"), text, ": "),
        EventKind::Debit if d.carried => {
            format!("Time under one {} carried until now, charged", s.unit)
        }
        EventKind::Debit => {
            if text.is_empty() {
                title.to_string()
            } else {
                text.to_string()
            }
        }
        EventKind::Done => join(&format!("Quote {name}"), text, ": "),
        EventKind::Rollover => format!(
            "Included time of {} carried over ({}), usable through {}",
            d.since.map(month).unwrap_or_default(),
            hmm(d.minutes.unwrap_or_default()),
            d.until.map(|u| u.to_string()).unwrap_or_default()
        ),
        EventKind::Expire => match (d.lot, d.until) {
            (Some(LotKind::Grant), _) => format!(
                "Included time of {}, unused",
                d.since.map(month).unwrap_or_default()
            ),
            (Some(LotKind::Adjust), Some(u)) => format!("Unused free time, usable through {u}"),
            (_, Some(u)) => format!("Unused time of {}, usable through {u}", purchase(l)),
            _ => format!("Unused time of {}", purchase(l)),
        },
        EventKind::Refund => {
            let what = format!("Unused time of {}", purchase(l));
            join(&what, text, ": ")
        }
        EventKind::Apply => {
            let project = if name.is_empty() {
                String::new()
            } else {
                format!("Project {name}")
            };
            join(&project, text, ": ")
        }
        EventKind::Bill => {
            let invoice = d
                .reference
                .as_ref()
                .map_or_else(String::new, |r| format!("Invoice {r}"));
            let amount = l.invoiced.map_or_else(String::new, |a| money(s, a));
            join(&join(&invoice, &amount, ": "), text, " — ")
        }
        EventKind::Quote | EventKind::Estimate => {
            let what = if l.kind == EventKind::Quote {
                "Quote"
            } else {
                "Estimate"
            };
            // A task's title stands in for a quote's own words only in its description.
            let own = if d.borrowed { "" } else { text };
            join(&format!("{what} {name}"), own, ": ")
        }
        EventKind::Approve | EventKind::Reject => {
            let verb = if l.kind == EventKind::Approve {
                "approved"
            } else {
                "rejected"
            };
            join(&format!("{name} {verb}"), text, ": ")
        }
        EventKind::Plan => {
            if name.is_empty() {
                "Plan ended".to_string()
            } else if title.is_empty() {
                "Plan changed".to_string()
            } else {
                format!("Plan: {title}")
            }
        }
    }
}

/// True when the line is work whose charge differs from its time because time under one
/// unit is carried (`accumulate`) or work is rounded up (`round-up`): it gets the footnote's
/// mark.
#[must_use]
pub fn carried(s: &Statement, l: &StatementLine) -> bool {
    (s.carries || s.rounds_to.is_some())
        && l.kind == EventKind::Log
        && l.logged.unwrap_or_default() != l.debited.unwrap_or_default()
}

/// The footnote mark.
pub const MARK: &str = "*";

/// The footnote about carried time, when the statement needs one: time is pending at its
/// end, or a line of work was charged more or less than its time; under `round-up`, about
/// the rounding, when a line was rounded.
#[must_use]
pub fn footnote(s: &Statement) -> Option<String> {
    if let Some(step) = s.rounds_to {
        return s.lines.iter().any(|l| carried(s, l)).then(|| {
            format!(
                "{MARK} Work is charged in steps of {}: each piece of work is rounded up to the \
                 next step.",
                hmm(step)
            )
        });
    }
    let needed = s.carries && (s.pending > Decimal::ZERO || s.lines.iter().any(|l| carried(s, l)));
    needed.then(|| {
        let mut note = format!(
            "{MARK} Work is charged in whole {units}: time under one {unit} is carried until it \
             adds up to a whole {unit}, then one {unit} is charged.",
            units = plural(&s.unit),
            unit = s.unit
        );
        if s.pending > Decimal::ZERO {
            let _ = write!(
                note,
                " Carried at the end of this period: {}.",
                hmm(s.pending)
            );
        }
        note
    })
}

/// The period as people say it: `2026-03-01 to 2026-03-31`, with a note when it was cut.
#[must_use]
pub fn period(s: &Statement) -> String {
    if s.cut {
        format!("{} to {} (today)", s.from, s.to)
    } else {
        format!("{} to {}", s.from, s.to)
    }
}

/// `Statement for Acme Corp`.
#[must_use]
pub fn title(s: &Statement) -> String {
    format!("Statement for {}", s.name)
}

/// Who issues the statement: the `issuer` lines, else the book's name.
#[must_use]
pub fn issuer(s: &Statement) -> Vec<String> {
    if s.issuer.is_empty() {
        vec![s.book.clone()]
    } else {
        s.issuer.clone()
    }
}

/// The line's cells after date, kind and description: worked, charged, added (time in, or
/// out without a charge), balance, amount; empty when they do not apply.
#[must_use]
pub fn cells(s: &Statement, l: &StatementLine) -> [String; 5] {
    let mut debited = match (l.debited, l.overage) {
        (Some(d), Some(o)) => format!("{} ({} over)", hmm(d), hmm(o)),
        (Some(d), None) => hmm(d),
        (None, _) => String::new(),
    };
    if carried(s, l) {
        if debited.is_empty() {
            debited = hmm(Decimal::ZERO);
        }
        debited = format!("{debited} {MARK}");
    }
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
        l.amount.map(|a| signed(s, a)).unwrap_or_default(),
    ]
}

/// The column headers of the lines, matching [`cells`] after date, kind and description.
pub const HEADER: [&str; 8] = [
    "Date", "Item", "Details", "Worked", "Charged", "Added", "Balance", "Amount",
];

/// The summary: (label, value) rows in the order a statement shows them. Rows that are zero
/// are left out, but for the opening and closing balances.
#[must_use]
pub fn rows(s: &Statement) -> Vec<(&'static str, String)> {
    let t = &s.totals;
    let with_money = |m: Minutes, amount: Decimal| {
        if amount.is_zero() {
            both(s, m)
        } else {
            format!("{} {}", both(s, m), signed(s, amount))
        }
    };
    let mut rows = vec![("Opening balance", both(s, s.opening))];
    let mut add = |label: &'static str, m: Minutes, value: String| {
        if !m.is_zero() {
            rows.push((label, value));
        }
    };
    add("Purchased", t.bought, with_money(t.bought, t.paid));
    add("Included time", t.granted, both(s, t.granted));
    add("Adjusted", t.adjusted, both(s, t.adjusted));
    add("Work charged", t.debited, both(s, t.debited));
    add("Covered work (not charged)", t.covered, both(s, t.covered));
    add("Expired", t.expired, both(s, t.expired));
    add(
        "Refunded",
        t.refunded,
        with_money(t.refunded, -t.money_refunded),
    );
    add(
        "Project credit",
        t.applied,
        with_money(t.applied, -t.money_applied),
    );
    let over = |m: Minutes| match s.rate {
        Some(rate) => format!(
            "{} — {} at {}/hour",
            both(s, m),
            money(s, m * rate / Decimal::from(60)),
            money(s, rate)
        ),
        None => format!("{} — no hourly rate set", both(s, m)),
    };
    add("Overage", t.overage, over(t.overage));
    rows.push(("Closing balance", both(s, s.closing)));
    if !s.overage.is_zero() {
        let due = match s.overage_due {
            Some(due) => format!("{} — {} due", both(s, s.overage), money(s, due)),
            None => both(s, s.overage),
        };
        rows.push(("Overage not yet invoiced", due));
    }
    if !s.pending.is_zero() {
        rows.push((
            "Carried (not yet charged)",
            format!("{} {MARK}", both(s, s.pending)),
        ));
    }
    if !s.value.is_zero() {
        rows.push(("Value remaining", money(s, s.value)));
    }
    // The forecast closes the summary.
    rows.push(("Forecast", forecast(&s.forecast)));
    rows
}

/// `At 6:20 a month (last 90 days), runs out around 2027-02-14` (the pace to the minute);
/// without a date, why not.
#[must_use]
pub fn forecast(f: &Forecast) -> String {
    if f.burn_per_month.is_zero() {
        return "No time used in the last 90 days: no run-out date".to_string();
    }
    // To the minute for people (JSON keeps the hundredths).
    let minute = f
        .burn_per_month
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    let pace = format!("At {} a month (last 90 days)", hmm(minute));
    match f.runs_out {
        Some(day) => format!("{pace}, runs out around {day}"),
        None => format!("{pace}, no time left to run out"),
    }
}

/// `1.5 credits of purchase INV-7 expire after 2026-12-01 — 180.00 USD`.
#[must_use]
pub fn expiring(s: &Statement) -> Vec<String> {
    s.expiring
        .iter()
        .map(|l| {
            let lot = l.reference.as_ref().map_or_else(
                || format!("the purchase of {}", l.date),
                |r| format!("purchase {r}"),
            );
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
#[must_use]
pub fn quotes(s: &Statement) -> Vec<String> {
    s.quotes
        .iter()
        .map(|q| {
            let state = if q.approved {
                "approved"
            } else {
                "awaiting approval"
            };
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
#[must_use]
pub fn expiring_heading(s: &Statement) -> String {
    format!("Expiring within {} days after {}", s.warn_days, s.to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_hours_and_minutes_with_exact_fractions() {
        let m = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(hmm(m("420")), "7:00");
        assert_eq!(hmm(m("15")), "0:15");
        assert_eq!(hmm(m("-90")), "-1:30");
        assert_eq!(hmm(m("12.5")), "0:12.5");
        assert_eq!(hmm(m("0")), "0:00");
        assert_eq!(hmm(m("6000.00")), "100:00");
    }

    #[test]
    fn every_kind_has_a_client_word_and_only_moves_are_shown() {
        assert_eq!(kind(EventKind::Buy), "Purchase");
        assert_eq!(kind(EventKind::Log), "Work");
        assert_eq!(kind(EventKind::Done), "Quote delivered");
        assert_eq!(kind(EventKind::Apply), "Project credit");
        assert_eq!(kind(EventKind::Bill), "Overage invoiced");
        assert!(shown(EventKind::Expire) && shown(EventKind::Bill));
        assert!(!shown(EventKind::Quote) && !shown(EventKind::Approve) && !shown(EventKind::Plan));
    }

    /// `(kind, description)` of every event of `acme` after replaying `journal`.
    fn described(book: &str, journal: &str, as_of: &str) -> Vec<(&'static str, String)> {
        let (b, r) = crate::testing::replay_str(book, journal, as_of);
        crate::testing::client(&r, "acme")
            .events
            .iter()
            .map(|e| (e.kind.word(), event(&b, e)))
            .collect()
    }

    const BOOK: &str = r#"
[book]
name = "Test"
currency = "USD"

[policy]
unit_price = "140"
overdraft = "bill"
refund_days = 90

[plans.rolling]
monthly = "3h"
rollover = "1h"

[packages]
five = { units = 5, price = "600" }

[tasks]
banner = { units = 1, title = "Design a new web banner" }
untitled = { units = 1 }

[clients.acme]
name = "Acme Corp"
rate = "150"
"#;

    #[test]
    fn every_event_is_worded_from_its_kind_and_detail() {
        let j = "
            2026-01-05 buy acme five ref:INV-1
            2026-01-05 buy acme 1h30m expires:2026-01-20
            2026-01-06 log acme 30m Fixed the header
            2026-01-06 log acme 20m
            2026-01-07 debit acme banner
            2026-01-07 debit acme 30m Call
            2026-01-08 quote acme Q1 banner
            2026-01-08 estimate acme E1 2h Site audit
            2026-01-08 quote acme Q2 1h
            2026-01-09 approve acme Q1
            2026-01-09 reject acme E1
            2026-01-09 approve acme Q2 Yes please
            2026-01-10 log acme 1h quote:Q1 Drafts
            2026-01-10 log acme 10m quote:Q1
            2026-01-10 done acme Q1
            2026-01-10 done acme Q2
            2026-01-11 adjust acme +1h ref:GIFT goodwill
            2026-01-11 adjust acme -15m correction
            2026-01-12 refund acme INV-1 1h
            2026-01-13 apply acme 140 project:site
            2026-01-14 log acme 20h Big job
            2026-01-15 bill acme ref:INV-9
            2026-01-15 plan acme rolling
            2026-01-16 plan acme none
        ";
        let got = described(BOOK, j, "2026-02-02");
        let want: Vec<(&str, &str)> = vec![
            ("buy", "package five: 5 credits"),
            ("buy", "1.5 credits"),
            ("log", "Fixed the header"),
            ("log", "work"),
            ("debit", "Design a new web banner"),
            ("debit", "Call"),
            ("quote", "quote Q1: 1 credit — Design a new web banner"),
            ("estimate", "estimate E1: 2 credits — Site audit"),
            ("quote", "quote Q2: 1 credit"),
            ("approve", "quote Q1 approved"),
            ("reject", "estimate E1 rejected"),
            ("approve", "Yes please"),
            ("quoted", "Work on quote Q1: Drafts"),
            ("quoted", "Work on quote Q1"),
            ("done", "quote Q1: Design a new web banner"),
            ("done", "quote Q2 done"),
            ("adjust", "goodwill"),
            ("adjust", "correction"),
            ("refund", "refund of 1 credit from lot INV-1"),
            ("apply", "project site"),
            ("log", "Big job"),
            ("bill", "overage of 18h25m invoiced (INV-9)"),
            ("plan", "plan rolling"),
            (
                "grant",
                "included time of plan rolling, usable through 2026-01-31",
            ),
            ("plan", "plan none"),
            (
                "rollover",
                "1h of included time of 2026-01 rolled over, usable through 2026-02-28",
            ),
            ("expire", "included time of 2026-01 lapsed after 2026-01-31"),
        ];
        // Within a date, entries run in the one same-day order, not in the order written.
        let mut want: Vec<(&str, String)> = want.into_iter().map(|(k, d)| (k, d.into())).collect();
        let mut got = got;
        want.sort();
        got.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn expiries_rollovers_and_a_refund_by_date_are_worded_from_their_lots() {
        let j = "
            2026-01-01 plan acme rolling
            2026-01-05 buy acme 2h expires:2026-01-20
            2026-01-06 buy acme 1h ref:R-1 expires:2026-01-20
            2026-01-10 refund acme 2026-01-05 30m
            2026-01-11 log acme 1h30m
        ";
        let got = described(BOOK, j, "2026-03-02");
        let words: Vec<&str> = got.iter().map(|(_, d)| d.as_str()).collect();
        assert!(
            words.contains(&"refund of 0.5 credits from lot bought 2026-01-05"),
            "{words:?}"
        );
        assert!(
            words.contains(&"1.5 credits expired after 2026-01-20"),
            "{words:?}"
        );
        assert!(
            words.contains(&"1 credit of lot R-1 expired after 2026-01-20"),
            "{words:?}"
        );
        assert!(
            words
                .contains(&"1h of included time of 2026-01 rolled over, usable through 2026-02-28"),
            "{words:?}"
        );
        assert!(
            words.contains(&"included time of 2026-01 lapsed after 2026-01-31"),
            "{words:?}"
        );
        assert!(
            words.contains(&"included time rolled over into 2026-02 lapsed after 2026-02-28"),
            "{words:?}"
        );
    }

    #[test]
    fn units_fall_back_to_a_duration_when_not_exact_to_a_hundredth() {
        let b = crate::testing::book(BOOK);
        let m = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(units_of(&b, m("60")), "1 credit");
        assert_eq!(units_of(&b, m("90")), "1.5 credits");
        assert_eq!(units_of(&b, m("20")), "20m");
        assert_eq!(units_of(&b, m("-120")), "-2 credits");
    }

    #[test]
    fn warnings_are_worded_from_their_kind_and_quantities() {
        let m = |s: &str| s.parse::<Decimal>().unwrap();
        let w = |kind, minutes: &str| Warning {
            kind,
            date: "2026-12-01".parse().ok(),
            minutes: m(minutes),
            threshold: None,
            quote: None,
        };
        let say = |w: &Warning| warning("credit", m("60"), w);
        assert_eq!(
            say(&w(WarningKind::Expiring, "60")),
            "1 credit expires after 2026-12-01"
        );
        assert_eq!(
            say(&w(WarningKind::Expiring, "420")),
            "7 credits expire after 2026-12-01"
        );
        let low = Warning {
            threshold: Some(m("120")),
            ..w(WarningKind::LowBalance, "30")
        };
        assert_eq!(say(&low), "the balance of 0.5 credits is below 2 credits");
        assert_eq!(
            say(&w(WarningKind::Negative, "-60")),
            "the balance is negative: -1 credit"
        );
        let due = Warning {
            quote: Some((QuoteKind::Estimate, "E1".into())),
            ..w(WarningKind::Overdue, "90")
        };
        assert_eq!(say(&due), "estimate E1 was due 2026-12-01");
    }

    #[test]
    fn months_are_named() {
        assert_eq!(month("2026-03-01".parse().unwrap()), "March 2026");
        assert_eq!(month("2025-12-31".parse().unwrap()), "December 2025");
    }
}

#[cfg(test)]
mod forecast_tests {
    use super::*;

    fn f(burn: &str, runs_out: Option<&str>) -> Forecast {
        Forecast {
            burn_per_month: burn.parse().unwrap(),
            runs_out: runs_out.map(|d| d.parse().unwrap()),
        }
    }

    #[test]
    fn the_line_gives_the_pace_in_hours_and_the_day() {
        assert_eq!(
            forecast(&f("380", Some("2027-02-14"))),
            "At 6:20 a month (last 90 days), runs out around 2027-02-14"
        );
        assert_eq!(
            forecast(&f("33.33", None)),
            "At 0:33 a month (last 90 days), no time left to run out"
        );
        assert_eq!(
            forecast(&f("233.5", Some("2027-01-09"))),
            "At 3:54 a month (last 90 days), runs out around 2027-01-09"
        );
        assert_eq!(
            forecast(&f("0", None)),
            "No time used in the last 90 days: no run-out date"
        );
    }
}
