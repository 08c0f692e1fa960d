//! Entry → its canonical journal line: what the writing commands append (STYLE §4.9).
//!
//! The output always parses back to the same entry (`parse(print(e)) == e`, spans and `seq`
//! aside) and is always one line: control characters in user text become spaces, and a
//! description that would read as anything but a description is put in double quotes.
//!
//! Pure: imports `model` and `syntax`.

use super::journal::{is_sep, looks_numeric};
use crate::model::{Entry, LineExpiry, LotRef, MetaKey, Minutes, Money, Price, Qty, Verb};
use chrono::NaiveTime;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// Largest number the journal reads in a quantity (see `syntax::value`).
const MAX_NUMBER: i64 = 1_000_000_000_000;

/// The canonical journal line of `e`, without a newline: date, verb, client, arguments, then
/// tags, metadata and the description.
///
/// # Examples
///
/// ```
/// use credits::source::FileId;
/// use credits::syntax::{journal, print};
/// use rust_decimal::Decimal;
///
/// let u = Decimal::from(60);
/// let p = journal::parse("2026-01-06  log acme 90m #dev  Fixed ; note", FileId(0), u);
/// assert_eq!(print::entry(&p.entries[0], u), "2026-01-06 log acme 1h30m #dev Fixed");
/// ```
#[must_use]
pub fn entry(e: &Entry, unit_minutes: Minutes) -> String {
    let mut out = String::with_capacity(64 + e.description.len());
    let _ = write!(
        out,
        "{} {} {}",
        e.date.format("%Y-%m-%d"),
        e.verb.word(),
        word(&e.client)
    );
    let mut ctx = Context::default();
    match &e.verb {
        Verb::Buy {
            qty,
            price,
            expires,
        } => {
            ctx.buy = true;
            out.push(' ');
            out.push_str(&self::qty(qty, unit_minutes));
            match price {
                Some(Price::Each(m)) => {
                    let _ = write!(out, " @ {}", money(m));
                    ctx.after_money = m.currency.is_none();
                }
                Some(Price::Total(m)) => {
                    let _ = write!(out, " for {}", money(m));
                    ctx.after_money = m.currency.is_none();
                }
                None => {}
            }
            if let Some(x) = expires.filter(|_| e.meta(MetaKey::Expires).is_none()) {
                let _ = write!(out, " expires {}", expiry(x));
            }
        }
        Verb::Log { minutes, clock } => {
            out.push(' ');
            match clock {
                Some((a, b)) => {
                    let _ = write!(out, "{}-{}", hhmm(*a), hhmm(*b));
                }
                None => out.push_str(&quantity(*minutes, unit_minutes)),
            }
        }
        Verb::Debit { qty } => {
            out.push(' ');
            out.push_str(&self::qty(qty, unit_minutes));
        }
        Verb::Quote { id, qty } => {
            let _ = write!(out, " {} {}", word(id), self::qty(qty, unit_minutes));
        }
        Verb::Approve { id } | Verb::Reject { id } | Verb::Done { id } => {
            out.push(' ');
            out.push_str(&word(id));
        }
        Verb::Apply { amount } => {
            out.push(' ');
            out.push_str(&money(amount));
            ctx.after_money = amount.currency.is_none();
        }
        Verb::Refund { lot, qty } => {
            out.push(' ');
            match lot {
                LotRef::Ref(r) => out.push_str(&word(r)),
                LotRef::Date(d) => {
                    let _ = write!(out, "{}", d.format("%Y-%m-%d"));
                }
            }
            match qty {
                Some(q) => {
                    out.push(' ');
                    out.push_str(&quantity(*q, unit_minutes));
                }
                None => ctx.optional_qty = true,
            }
        }
        Verb::Adjust { minutes } => {
            out.push(' ');
            if minutes.is_sign_positive() && !minutes.is_zero() {
                out.push('+');
            }
            out.push_str(&signed_quantity(*minutes, unit_minutes));
        }
        Verb::Plan { plan } => {
            out.push(' ');
            out.push_str(plan.as_deref().map_or("none".into(), word).as_str());
        }
        Verb::Bill => {}
        Verb::Assert { minutes } => {
            out.push(' ');
            out.push_str(&signed_quantity(*minutes, unit_minutes));
        }
    }
    for t in &e.tags {
        out.push_str(" #");
        out.push_str(&word(t));
    }
    for m in &e.meta {
        let _ = write!(out, " {}:{}", m.key.word(), word(&m.value));
    }
    let d = render_description(&e.description, ctx);
    if !d.is_empty() {
        out.push(' ');
        out.push_str(&d);
    }
    out
}

/// A description as it is written in a journal: as is when every word reads as description
/// text, else in double quotes with `\"` and `\\` escapes. Control characters (newline, tab…)
/// become one space, so the text can never start a second line. This is the cautious form,
/// fit for any verb; [`entry`] quotes only where its verb needs it.
#[must_use]
pub fn description(s: &str) -> String {
    render_description(
        s,
        Context {
            buy: true,
            after_money: true,
            optional_qty: true,
        },
    )
}

/// A quantity in its shortest exact form: `15m`, `1h30m`, `10h`, `12.5m` (`3cr` only for
/// amounts too large to write in hours). Negative quantities get a `-`.
#[must_use]
pub fn quantity(m: Minutes, unit_minutes: Minutes) -> String {
    let sign = if m.is_sign_negative() && !m.is_zero() {
        "-"
    } else {
        ""
    };
    let a = m.abs();
    if a.is_zero() {
        return "0m".into();
    }
    let sixty = Decimal::from(60);
    let hours = (a / sixty).trunc().normalize();
    let rest = (a - hours * sixty).normalize();
    if hours > Decimal::from(MAX_NUMBER) && !unit_minutes.is_zero() {
        let units = a.checked_div(unit_minutes).unwrap_or_default().normalize();
        if units.checked_mul(unit_minutes) == Some(a) && units.scale() <= 10 {
            return format!("{sign}{units}cr");
        }
    }
    match (hours.is_zero(), rest.is_zero()) {
        (true, _) => format!("{sign}{rest}m"),
        (false, true) => format!("{sign}{hours}h"),
        (false, false) => format!("{sign}{hours}h{rest}m"),
    }
}

/// A signed quantity as `adjust` and `assert` read it: `3h`, `-30m`, `0m` (no `+`).
#[must_use]
pub fn signed_quantity(m: Minutes, unit_minutes: Minutes) -> String {
    quantity(m, unit_minutes)
}

/// Money as written in a journal: `120`, `120.5 USD` (a symbol is written as its code).
#[must_use]
pub fn money(m: &Money) -> String {
    match m.currency {
        Some(c) => format!("{} {c}", m.amount.normalize()),
        None => m.amount.normalize().to_string(),
    }
}

fn qty(q: &Qty, unit_minutes: Minutes) -> String {
    match q {
        Qty::Minutes(m) => quantity(*m, unit_minutes),
        Qty::Named(n) => word(n),
    }
}

fn expiry(x: LineExpiry) -> String {
    match x {
        LineExpiry::Date(d) => d.format("%Y-%m-%d").to_string(),
        LineExpiry::Span(s) => s.to_string(),
        LineExpiry::Never => "never".into(),
    }
}

fn hhmm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// One word of user text (a client, an id, a tag, a metadata value): a blank or a control
/// character would split it or end the line, so it becomes `_`.
fn word(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || (c.is_ascii() && is_sep(c as u8)) {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// What the words right after the arguments could be mistaken for.
#[derive(Debug, Clone, Copy, Default)]
struct Context {
    /// `@`, `for` and `expires` are keywords.
    buy: bool,
    /// The arguments end with an amount without a code: a first word `USD` would be its code.
    after_money: bool,
    /// An optional quantity may follow (`refund` without `QTY`).
    optional_qty: bool,
}

/// Control characters → one space per run.
fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_run = false;
    for c in s.chars() {
        if c.is_control() {
            if !in_run {
                out.push(' ');
            }
            in_run = true;
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out
}

fn render_description(s: &str, ctx: Context) -> String {
    let s = clean(s);
    if s.is_empty() || !needs_quotes(&s, ctx) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

fn needs_quotes(s: &str, ctx: Context) -> bool {
    if s.starts_with(' ') || s.ends_with(' ') || s.contains("  ") {
        return true;
    }
    for (i, w) in s.split(' ').enumerate() {
        let first = i == 0;
        let special = w.starts_with(['#', '"', ';', '@'])
            || w.split_once(':')
                .is_some_and(|(k, _)| MetaKey::from_word(k).is_some())
            || (ctx.buy && (w == "for" || w == "expires"))
            || (first && ctx.after_money && crate::model::Currency::from_code(w).is_some())
            || (first
                && ctx.optional_qty
                && (looks_numeric(w) || w.starts_with(|c: char| c.is_ascii_digit())));
        if special {
            return true;
        }
    }
    false
}
