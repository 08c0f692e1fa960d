//! Value words: `15m` `1h30m` `1.5h` `3cr` `09:15-10:40` `$120` `12mo` `30%` → model values.
//!
//! THE one reader of quantities, money, dates and spans: the journal parser, the book parser
//! and the writing commands all call the public functions here and nothing else.
//!
//! Pure; no I/O. Errors are [`ValueError`]s that the caller pins to the word's span.
//!
//! Speed: the journal parser is the hot path of every command, so the usual shapes (`15m`,
//! `1h30m`, `1.5h`, `09:15-10:40`, `120`) are read by private fast branches at the top of the
//! public functions, without allocating; anything else (and every error) goes the general way.
//! A property test at the bottom checks that both ways give the same value, to the same scale.

use crate::model::{Currency, DateSpan, LineExpiry, Minutes, Money};
use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::str::FromStr;

/// Largest number accepted in a quantity or an amount: keeps every sum far from overflow.
const MAX_NUMBER: i64 = 1_000_000_000_000;

/// Largest quantity accepted, in minutes (about 19,000 years of work): products of a
/// quantity and a price stay far inside `Decimal`'s range.
pub const MAX_MINUTES: i64 = 10_000_000_000;

/// Why a word is not the value expected, with an optional fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueError {
    /// Lowercase, no final period.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl ValueError {
    fn new(message: impl Into<String>) -> ValueError {
        ValueError {
            message: message.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> ValueError {
        self.help = Some(help.into());
        self
    }
}

/// A plain non-negative decimal: digits with at most one `.`; no sign, no exponent.
/// Normalised (`1.50` is `1.5`).
#[inline]
pub fn number(s: &str) -> Result<Decimal, ValueError> {
    match fast_number(s.as_bytes()) {
        Some((mantissa, scale)) => Ok(Decimal::new(mantissa, scale).normalize()),
        None => number_general(s),
    }
}

#[inline(never)]
fn number_general(s: &str) -> Result<Decimal, ValueError> {
    let b = s.as_bytes();
    let mut dot = false;
    let mut digits = 0;
    for &c in b {
        match c {
            b'0'..=b'9' => digits += 1,
            b'.' if !dot => dot = true,
            _ => return Err(ValueError::new(format!("`{s}` is not a number"))),
        }
    }
    if digits == 0 || b.first() == Some(&b'.') || b.last() == Some(&b'.') {
        return Err(ValueError::new(format!("`{s}` is not a number")));
    }
    let frac = s.find('.').map_or(0, |i| s.len() - i - 1);
    if frac > 10 {
        return Err(ValueError::new(format!("`{s}` has more than 10 decimals")));
    }
    let d = Decimal::from_str(s).map_err(|_| ValueError::new(format!("`{s}` is out of range")))?;
    if d > Decimal::from(MAX_NUMBER) {
        return Err(ValueError::new(format!("`{s}` is out of range")));
    }
    Ok(d.normalize())
}

/// A date `YYYY-MM-DD`.
pub fn date(s: &str) -> Result<NaiveDate, ValueError> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(
            ValueError::new(format!("`{s}` is not a date")).help("write dates as YYYY-MM-DD")
        );
    }
    // Every byte but the dashes is a digit (the shape says so): the numbers, read without
    // `str::parse`.
    let digits = |from: usize, to: usize| {
        b.get(from..to)
            .unwrap_or_default()
            .iter()
            .fold(0u32, |n, &c| n * 10 + u32::from(c - b'0'))
    };
    let y = i32::try_from(digits(0, 4)).unwrap_or(0);
    let (m, d) = (digits(5, 7), digits(8, 10));
    let day = NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| ValueError::new(format!("`{s}` is not a day of the calendar")))?;
    // Four digits stop at 9999-12-31; the lower end is checked here.
    if y < FIRST_YEAR {
        return Err(ValueError::new(format!(
            "`{s}` is out of range: dates run from 1900-01-01 to 9999-12-31"
        ))
        .help("write a date from 1900 on"));
    }
    Ok(day)
}

/// The first year a date may have: dates run from 1900-01-01 to 9999-12-31, which every
/// export format can read.
pub const FIRST_YEAR: i32 = 1900;

/// A clock time `HH:MM`.
fn clock(s: &str) -> Option<NaiveTime> {
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    if !h.bytes().chain(m.bytes()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

/// A clock range `09:15-10:40` on one day: `Ok(None)` if `s` is not shaped like one.
pub fn clock_range(s: &str) -> Result<Option<(NaiveTime, NaiveTime)>, ValueError> {
    let Some((a, b)) = s.split_once('-') else {
        return Ok(None);
    };
    if !a.contains(':') || !b.contains(':') {
        return Ok(None);
    }
    let (Some(from), Some(to)) = (clock(a), clock(b)) else {
        return Err(ValueError::new(format!("`{s}` is not a clock range"))
            .help("write a range as HH:MM-HH:MM, such as `09:15-10:40`"));
    };
    if to <= from {
        return Err(
            ValueError::new(format!("the clock range `{s}` ends before it starts")).help(
                "a range must not cross midnight: log the time after midnight on the next day",
            ),
        );
    }
    Ok(Some((from, to)))
}

/// Minutes between the two ends of a clock range.
#[must_use]
pub fn clock_minutes(range: (NaiveTime, NaiveTime)) -> Minutes {
    Decimal::from((range.1 - range.0).num_minutes())
}

/// The time a `log` takes: a clock range `09:15-10:40` (its minutes, and the range) or a
/// positive duration `15m` (its minutes, no range). A bare number is refused as in
/// [`duration`].
#[inline]
pub fn log_time(
    s: &str,
    unit_minutes: Minutes,
) -> Result<(Minutes, Option<(NaiveTime, NaiveTime)>), ValueError> {
    // A clock range first: its shape is told by its length, and no duration has a `:` (so
    // the order does not change what a word reads as).
    if let Some((range, minutes)) = fast_clock(s) {
        return Ok((minutes, Some(range)));
    }
    if let Some(minutes) = fast_minutes(s) {
        return Ok((minutes, None));
    }
    log_time_general(s, unit_minutes)
}

#[inline(never)]
fn log_time_general(
    s: &str,
    unit_minutes: Minutes,
) -> Result<(Minutes, Option<(NaiveTime, NaiveTime)>), ValueError> {
    match clock_range(s)? {
        Some(range) => Ok((clock_minutes(range), Some(range))),
        None => Ok((duration(s, unit_minutes, "log")?, None)),
    }
}

/// What kind of quantity word was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QtyForm {
    /// `15m`, `1h30m`, `1.5h`, or a clock range.
    Duration,
    /// `3cr`.
    Units,
    /// `3`.
    Bare,
}

/// A quantity word, unsigned, as minutes with the form it was written in. Zero is allowed here;
/// more than [`MAX_MINUTES`] is out of range.
pub fn quantity(s: &str, unit_minutes: Minutes) -> Result<(Minutes, QtyForm), ValueError> {
    let (m, form) = quantity_any(s, unit_minutes)?;
    if m > Decimal::from(MAX_MINUTES) {
        return Err(ValueError::new(format!("`{s}` is out of range"))
            .help(format!("a quantity is at most {MAX_MINUTES} minutes")));
    }
    Ok((m, form))
}

fn quantity_any(s: &str, unit_minutes: Minutes) -> Result<(Minutes, QtyForm), ValueError> {
    let too_big = || ValueError::new(format!("`{s}` is out of range"));
    if let Some(range) = clock_range(s)? {
        return Ok((clock_minutes(range), QtyForm::Duration));
    }
    let bad = || {
        ValueError::new(format!("`{s}` is not a quantity"))
            .help("write a quantity as `15m`, `1h30m`, `1.5h`, `3cr` or `3`")
    };
    if s.is_empty() {
        return Err(bad());
    }
    if s.bytes().all(|c| c.is_ascii_digit() || c == b'.') {
        let m = number(s)?.checked_mul(unit_minutes).ok_or_else(too_big)?;
        return Ok((m, QtyForm::Bare));
    }
    if let Some(n) = s.strip_suffix("cr") {
        let n = number(n).map_err(|_| bad())?;
        let m = n.checked_mul(unit_minutes).ok_or_else(too_big)?;
        return Ok((m, QtyForm::Units));
    }
    // `1h30m`, `1h`, `90m`, `1.5h`
    let mut total = Decimal::ZERO;
    let mut rest = s;
    let mut seen_h = false;
    let mut seen_m = false;
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        if end == 0 {
            return Err(bad());
        }
        let n = number(&rest[..end]).map_err(|_| bad())?;
        let unit = rest.as_bytes()[end];
        match unit {
            b'h' if !seen_h && !seen_m => {
                seen_h = true;
                total += n * Decimal::from(60);
            }
            b'm' if !seen_m => {
                seen_m = true;
                if seen_h && n >= Decimal::from(60) {
                    let fixed = hours_minutes(total + n);
                    return Err(ValueError::new(format!(
                        "`{s}` has {n} minutes after the hours, but minutes after hours are 0 to 59"
                    ))
                    .help(match fixed {
                        Some(f) => format!("write `{f}`"),
                        None => format!("write the minutes alone, such as `{}m`", total + n),
                    }));
                }
                total += n;
            }
            _ => return Err(bad()),
        }
        rest = &rest[end + 1..];
    }
    Ok((total, QtyForm::Duration))
}

/// `130` minutes as `2h10m` (whole minutes only), for a help line.
fn hours_minutes(total: Minutes) -> Option<String> {
    if !total.fract().is_zero() {
        return None;
    }
    Some(crate::model::duration(total))
}

/// A positive duration (`log`): a bare number is refused with a hint to write `15m`.
#[inline]
pub fn duration(s: &str, unit_minutes: Minutes, verb: &str) -> Result<Minutes, ValueError> {
    match fast_minutes(s) {
        Some(m) => Ok(m),
        None => duration_general(s, unit_minutes, verb),
    }
}

#[inline(never)]
fn duration_general(s: &str, unit_minutes: Minutes, verb: &str) -> Result<Minutes, ValueError> {
    let (m, form) = quantity(s, unit_minutes)?;
    if form == QtyForm::Bare {
        let n = number(s)?;
        let help = if n <= Decimal::from(10) && n > Decimal::ZERO {
            format!(
                "write `{s}h` for {s} hour{}, or `{}m` for minutes",
                if n == Decimal::ONE { "" } else { "s" },
                s
            )
        } else {
            format!("write `{s}m` for {s} minutes")
        };
        return Err(ValueError::new(format!(
            "`{s}` is a number of credits, but `{verb}` takes a duration"
        ))
        .help(help));
    }
    positive(s, m)
}

/// A positive quantity (`buy`, `debit`, `quote`, `refund`): durations, `3cr` and bare units.
#[inline]
pub fn positive_quantity(s: &str, unit_minutes: Minutes) -> Result<Minutes, ValueError> {
    if let Some(m) = fast_minutes(s) {
        return Ok(m);
    }
    match fast_number(s.as_bytes()) {
        // A bare number is a number of units.
        Some((m, k)) if m > 0 => match Decimal::new(m, k).checked_mul(unit_minutes) {
            Some(q) if q <= Decimal::from(MAX_MINUTES) => Ok(q),
            _ => positive_quantity_general(s, unit_minutes),
        },
        _ => positive_quantity_general(s, unit_minutes),
    }
}

#[inline(never)]
fn positive_quantity_general(s: &str, unit_minutes: Minutes) -> Result<Minutes, ValueError> {
    let (m, _) = quantity(s, unit_minutes)?;
    positive(s, m)
}

fn positive(s: &str, m: Minutes) -> Result<Minutes, ValueError> {
    if m.is_zero() {
        return Err(ValueError::new(format!(
            "`{s}` is zero, but a quantity must be positive"
        )));
    }
    Ok(m)
}

/// A signed quantity (`adjust`, `assert`): `+2h`, `-30m`, `0`, `3`.
#[inline]
pub fn signed_quantity(s: &str, unit_minutes: Minutes) -> Result<Minutes, ValueError> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(body) => (true, body),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    match fast_minutes(body) {
        Some(m) if neg => Ok(-m),
        Some(m) => Ok(m),
        None => signed_quantity_general(s, unit_minutes),
    }
}

#[inline(never)]
fn signed_quantity_general(s: &str, unit_minutes: Minutes) -> Result<Minutes, ValueError> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (m, _) = quantity(body, unit_minutes)?;
    Ok(if neg { -m } else { m })
}

/// A money word: `120`, `120.50`, `$120`, `¥8000`, `€95` (the code, if any, is a separate word).
#[inline]
pub fn money(s: &str) -> Result<Money, ValueError> {
    // A plain amount (`120`, `120.50`), the usual word: [`number`] without the general path.
    if let Some((mantissa, scale)) = fast_number(s.as_bytes()) {
        return Ok(Money {
            amount: Decimal::new(mantissa, scale).normalize(),
            currency: None,
        });
    }
    money_general(s)
}

#[inline(never)]
fn money_general(s: &str) -> Result<Money, ValueError> {
    let mut chars = s.chars();
    let (currency, digits) = match chars.next() {
        Some(c) if !c.is_ascii_digit() => match Currency::from_symbol(c) {
            Some(cur) => (Some(cur), chars.as_str()),
            None => {
                return Err(ValueError::new(format!("`{s}` is not an amount of money"))
                    .help("write money as `120`, `120.50`, `120 USD`, `$120` or `¥8000`"));
            }
        },
        _ => (None, s),
    };
    let digits: Cow<'_, str> = if digits.contains(',') {
        digits
            .chars()
            .filter(|&c| c != ',')
            .collect::<String>()
            .into()
    } else {
        digits.into()
    };
    let amount = number(&digits).map_err(|e| {
        if e.message.contains("out of range") {
            e
        } else {
            ValueError::new(format!("`{s}` is not an amount of money"))
                .help("write money as `120`, `120.50`, `120 USD`, `$120` or `¥8000`")
        }
    })?;
    Ok(Money { amount, currency })
}

/// Money written as one string, as in `credits.toml`: `"140"`, `"120 USD"`, `"$120"`.
pub fn money_text(s: &str) -> Result<Money, ValueError> {
    let mut words = s.split_whitespace();
    let first = words
        .next()
        .ok_or_else(|| ValueError::new("an amount of money is empty"))?;
    let mut m = money(first)?;
    if let Some(code) = words.next() {
        let cur = Currency::from_code(code).ok_or_else(|| {
            ValueError::new(format!("`{code}` is not a currency code"))
                .help("write a three-letter ISO code in capitals, such as `USD`")
        })?;
        if m.currency.is_some_and(|c| c != cur) {
            return Err(ValueError::new(format!("`{s}` names two currencies")));
        }
        m.currency = Some(cur);
    }
    if words.next().is_some() {
        return Err(ValueError::new(format!("`{s}` is not an amount of money")));
    }
    Ok(m)
}

/// A span: `30d`, `12mo`, `2y`.
pub fn span(s: &str) -> Result<DateSpan, ValueError> {
    let bad = || {
        ValueError::new(format!("`{s}` is not a span"))
            .help("write a span as days, months or years: `90d`, `12mo`, `2y`")
    };
    let end = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    if end == 0 {
        return Err(bad());
    }
    // A span too long for a `u32` reaches past 9999-12-31 from any date, as its largest value
    // does: a lot it dates never expires (see `model::add_span`).
    let n = s[..end].bytes().fold(0u32, |n, c| {
        n.saturating_mul(10).saturating_add(u32::from(c - b'0'))
    });
    match &s[end..] {
        "d" => Ok(DateSpan::Days(n)),
        "mo" => Ok(DateSpan::Months(n)),
        "y" => Ok(DateSpan::Months(n.saturating_mul(12))),
        _ => Err(bad()),
    }
}

/// An expiry `DATE|SPAN|never` (`expires 12mo`, `expires:2026-12-31`, `--expires never`).
/// `help` is the fix shown when the word is none of the three (it names the caller's syntax).
pub fn expiry(s: &str, help: &str) -> Result<LineExpiry, ValueError> {
    if s == "never" {
        return Ok(LineExpiry::Never);
    }
    if let Ok(x) = span(s) {
        return Ok(LineExpiry::Span(x));
    }
    if s.len() == 10 && s.bytes().take(4).all(|c| c.is_ascii_digit()) {
        return date(s).map(LineExpiry::Date);
    }
    Err(ValueError::new(format!("`{s}` is not a date, a span or `never`")).help(help))
}

/// A whole number of days (`refund_days = 30`): digits only.
pub fn days(s: &str) -> Result<u32, ValueError> {
    match s.parse::<u32>() {
        Ok(n) if s.bytes().all(|c| c.is_ascii_digit()) => Ok(n),
        _ => Err(ValueError::new(format!("`{s}` is not a number of days"))
            .help("write a whole number such as `30`")),
    }
}

/// A percentage `30%` as a fraction (0.30), from 0% to 100%.
pub fn percent(s: &str) -> Result<Decimal, ValueError> {
    let bad = || ValueError::new(format!("`{s}` is not a percentage")).help("write it as `30%`");
    let n = s.strip_suffix('%').ok_or_else(bad)?;
    let n = number(n.trim()).map_err(|_| bad())?;
    if n > Decimal::from(100) {
        return Err(ValueError::new(format!("`{s}` is more than 100%")));
    }
    Ok(n / Decimal::from(100))
}

/// A client id `[a-z0-9][a-z0-9_-]*` that does not read as a quantity.
pub fn client_id(s: &str) -> Result<(), ValueError> {
    let b = s.as_bytes();
    let shape = !b.is_empty()
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'_');
    if !shape {
        return Err(ValueError::new(format!("`{s}` is not a client id"))
            .help("a client id is lowercase letters, digits, `-` and `_`, starting with a letter or digit"));
    }
    if quantity(s, Decimal::ONE).is_ok() {
        return Err(
            ValueError::new(format!("the client id `{s}` reads as a quantity"))
                .help("choose an id that is not a number or a duration"),
        );
    }
    Ok(())
}

// The fast shapes: private branches of the public readers above, each `None` for anything
// it does not read exactly as the general path would.

/// A plain number `12`, `1.25` as (mantissa, scale), when it is one [`number`]
/// takes without question (at most 12 whole digits, at most 6 decimals); else `None`.
fn fast_number(b: &[u8]) -> Option<(i64, u32)> {
    let mut mantissa = 0i64;
    let mut whole = 0;
    let mut scale: Option<u32> = None;
    for &c in b {
        match (c, scale) {
            (b'0'..=b'9', None) if whole < 12 => whole += 1,
            (b'0'..=b'9', Some(k)) if k < 6 => scale = Some(k + 1),
            (b'.', None) if whole > 0 => {
                scale = Some(0);
                continue;
            }
            _ => return None,
        }
        mantissa = mantissa * 10 + i64::from(c - b'0');
    }
    match scale {
        Some(0) => None,
        _ if whole == 0 => None,
        k => Some((mantissa, k.unwrap_or(0))),
    }
}

/// `15m`, `2h`, `1.5h`, `1h30m`, positive: the common quantities, read without the general
/// parser. `None` for anything else (which then goes the general way, errors and all).
#[inline]
fn fast_minutes(s: &str) -> Option<Minutes> {
    match whole_minutes(s.as_bytes()) {
        // What the general case gives for whole numbers: scale 0.
        Some(total) => match u64::try_from(total) {
            Ok(t) if t > 0 && total <= MAX_MINUTES => {
                Some(Decimal::from_parts(t as u32, (t >> 32) as u32, 0, false, 0))
            }
            _ => None,
        },
        None => decimal_minutes(s),
    }
}

/// [`fast_minutes`] of other shapes (`1.5h`, `90.5m`), out of line.
#[inline(never)]
fn decimal_minutes(s: &str) -> Option<Minutes> {
    let b = s.as_bytes();
    let h = b.iter().position(|&c| c == b'h');
    let (hours, rest) = match h {
        Some(i) => (Some(fast_number(b.get(..i)?)?), b.get(i + 1..)?),
        None => (None, b),
    };
    let minutes = match rest {
        [] if hours.is_some() => None,
        [digits @ .., b'm'] => Some(fast_number(digits)?),
        _ => return None,
    };
    // In integers: what `hours × 60 + minutes` in `Decimal` gives, scale and all, without its
    // multiplication and addition. `Decimal` drops the scale of a zero term (a zero product is
    // `0`, and `x + 0` is `x`), else takes the larger one. Both parts have at most 12 whole
    // digits and 6 decimals, so nothing here overflows an `i128`.
    let (hm, hk) = hours.map_or((0, 0), |(m, k)| (i128::from(m) * 60, k));
    let (mm, mk) = minutes.unwrap_or((0, 0));
    // Minutes after hours are 0 to 59: `1h70m` is left to the general reader's error.
    if hours.is_some() && i128::from(mm) >= 60 * 10i128.pow(mk) {
        return None;
    }
    if hk == 0 && mk == 0 {
        // Whole hours and minutes (the usual words): scale 0, and at most 12 digits each, so
        // the sum fits 64 bits.
        let total = i64::try_from(hm).ok()? + mm;
        return match u64::try_from(total) {
            Ok(t) if t > 0 && total <= MAX_MINUTES => {
                Some(Decimal::from_parts(t as u32, (t >> 32) as u32, 0, false, 0))
            }
            _ => None,
        };
    }
    let k = match (hm, mm) {
        (0, _) => mk,
        (_, 0) => hk,
        _ => hk.max(mk),
    };
    let at_k = |m: i128, from: u32| if m == 0 { 0 } else { m * 10i128.pow(k - from) };
    let total = at_k(hm, hk) + at_k(i128::from(mm), mk);
    let max = i128::from(MAX_MINUTES) * 10i128.pow(k);
    (total > 0 && total <= max).then(|| Decimal::from_i128_with_scale(total, k))
}

/// `Nh`, `NhMm` or `Mm` in digits only (at most 12 each), the usual durations: the minutes
/// they make. `None` for any other shape.
#[inline]
fn whole_minutes(b: &[u8]) -> Option<i64> {
    let (n, i) = digits(b);
    if i == 0 {
        return None;
    }
    match b.get(i..)? {
        [b'm'] => Some(n),
        [b'h'] => Some(n * 60),
        // Minutes after hours are 0 to 59: `1h70m` is left to the general reader's error.
        [b'h', rest @ .., b'm'] => match digits(rest) {
            (m, j) if j > 0 && j == rest.len() && m < 60 => Some(n * 60 + m),
            _ => None,
        },
        _ => None,
    }
}

/// The number the leading digits of `b` make (at most 12 of them), and how many there are.
fn digits(b: &[u8]) -> (i64, usize) {
    let mut n = 0i64;
    let mut i = 0;
    while let Some(&c) = b.get(i).filter(|c| c.is_ascii_digit()) {
        if i == 12 {
            return (n, 0);
        }
        n = n * 10 + i64::from(c - b'0');
        i += 1;
    }
    (n, i)
}

/// A clock range in its usual shape `09:15-10:40`, valid and forward, with the minutes
/// between its ends (as [`clock_minutes`] gives them, from the digits already read);
/// `None` for anything else.
#[inline]
fn fast_clock(s: &str) -> Option<((NaiveTime, NaiveTime), Minutes)> {
    let b = s.as_bytes();
    let digit = |i: usize| {
        b.get(i)
            .filter(|c| c.is_ascii_digit())
            .map(|c| u32::from(c - b'0'))
    };
    if b.len() != 11
        || b.get(2) != Some(&b':')
        || b.get(5) != Some(&b'-')
        || b.get(8) != Some(&b':')
    {
        return None;
    }
    let time = |i: usize| {
        let (h, m) = (
            digit(i)? * 10 + digit(i + 1)?,
            digit(i + 3)? * 10 + digit(i + 4)?,
        );
        Some((NaiveTime::from_hms_opt(h, m, 0)?, h * 60 + m))
    };
    let ((from, a), (to, b)) = (time(0)?, time(6)?);
    (to > from).then(|| ((from, to), Decimal::from(b - a)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn durations_in_every_written_form() {
        let u = d(60);
        for (s, want) in [
            ("15m", d(15)),
            ("90m", d(90)),
            ("1h", d(60)),
            ("1h30m", d(90)),
            ("1.5h", d(90)),
            ("2.25h", d(135)),
            ("3cr", d(180)),
            ("09:15-10:40", d(85)),
            ("0.5m", Decimal::new(5, 1)),
        ] {
            assert_eq!(duration(s, u, "log"), Ok(want), "{s}");
        }
    }

    #[test]
    fn minutes_after_hours_are_below_sixty() {
        let e = duration("1h70m", d(60), "log").unwrap_err();
        assert_eq!(
            e.message,
            "`1h70m` has 70 minutes after the hours, but minutes after hours are 0 to 59"
        );
        assert_eq!(e.help.as_deref(), Some("write `2h10m`"));
        assert!(positive_quantity("1h60m", d(60)).is_err());
        assert!(signed_quantity("-2h90m", d(60)).is_err());
        assert_eq!(positive_quantity("1h59m", d(60)), Ok(d(119)));
        assert_eq!(positive_quantity("70m", d(60)), Ok(d(70)));
    }

    #[test]
    fn a_bare_number_for_a_duration_suggests_minutes() {
        let e = duration("15", d(60), "log").unwrap_err();
        assert_eq!(
            e.message,
            "`15` is a number of credits, but `log` takes a duration"
        );
        assert_eq!(e.help.as_deref(), Some("write `15m` for 15 minutes"));
    }

    #[test]
    fn bad_quantities_are_errors_not_panics() {
        for s in [
            "",
            "m",
            "h",
            "1x",
            "1m30h",
            "1h1h",
            "-3",
            "0",
            "0m",
            "1..5h",
            "99999999999999999999999999999999",
            "10:00-09:00",
            "25:00-26:00",
            "1e5",
        ] {
            assert!(positive_quantity(s, d(60)).is_err(), "{s}");
        }
        assert_eq!(signed_quantity("-30m", d(60)), Ok(d(-30)));
        // past MAX_MINUTES: out of range, not an overflow later in the engine
        assert!(positive_quantity("166666667h", d(60)).is_err());
        assert!(positive_quantity("999999999999", d(60)).is_err());
        assert!(positive_quantity("166666666h", d(60)).is_ok());
        assert_eq!(signed_quantity("0", d(60)), Ok(d(0)));
        assert_eq!(positive_quantity("3", d(60)), Ok(d(180)));
    }

    #[test]
    fn money_symbols_and_codes() {
        let usd = Currency::from_code("USD");
        assert_eq!(
            money("$120").unwrap(),
            Money {
                amount: d(120),
                currency: usd
            }
        );
        assert_eq!(money("120.50").unwrap().amount, Decimal::new(12050, 2));
        assert_eq!(money("¥8,000").unwrap().amount, d(8000));
        assert_eq!(
            money_text("120 USD").unwrap(),
            Money {
                amount: d(120),
                currency: usd
            }
        );
        assert!(money("12a").is_err());
        assert!(money_text("120 usd").is_err());
    }

    #[test]
    fn spans_dates_and_percentages() {
        assert_eq!(span("90d"), Ok(DateSpan::Days(90)));
        assert_eq!(span("12mo"), Ok(DateSpan::Months(12)));
        assert_eq!(span("2y"), Ok(DateSpan::Months(24)));
        assert!(span("12").is_err());
        assert!(span("12m").is_err());
        assert!(date("2026-02-30").is_err());
        assert!(date("2026-2-3").is_err());
        assert_eq!(
            date("1899-12-31").unwrap_err().message,
            "`1899-12-31` is out of range: dates run from 1900-01-01 to 9999-12-31"
        );
        assert!(date("0000-01-01").is_err());
        assert!(date("1900-01-01").is_ok());
        assert!(date("9999-12-31").is_ok());
        // A span too long for any date to hold is still a span (the lot never expires).
        assert_eq!(span("999999999d"), Ok(DateSpan::Days(999_999_999)));
        assert_eq!(span("99999999999999y"), Ok(DateSpan::Months(u32::MAX)));
        assert_eq!(percent("30%"), Ok(Decimal::new(30, 2)));
        let help = "write `never`, a date or a span";
        assert_eq!(expiry("never", help), Ok(LineExpiry::Never));
        assert_eq!(
            expiry("12mo", help),
            Ok(LineExpiry::Span(DateSpan::Months(12)))
        );
        assert_eq!(
            expiry("2026-12-31", help),
            Ok(LineExpiry::Date(
                NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
            ))
        );
        // Shaped like a date (ten characters, four digits first): the date's own error.
        assert_eq!(
            expiry("2026-02-30", help).map_err(|e| e.message),
            Err("`2026-02-30` is not a day of the calendar".to_string())
        );
        assert_eq!(
            expiry("soon", help),
            Err(ValueError::new("`soon` is not a date, a span or `never`").help(help))
        );
        assert_eq!(days("30"), Ok(30));
        assert_eq!(days("0"), Ok(0));
        for bad in ["", "+3", "-3", "3.5", "30d", "99999999999"] {
            assert_eq!(
                days(bad).map_err(|e| e.message),
                Err(format!("`{bad}` is not a number of days")),
                "{bad}"
            );
        }
        assert!(client_id("15m").is_err());
        assert!(client_id("3").is_err());
        assert!(client_id("Acme").is_err());
        assert!(client_id("acme-2").is_ok());
    }

    fn unit() -> Minutes {
        Minutes::from(60)
    }

    #[test]
    fn fast_minutes_keep_the_scale_of_decimal_arithmetic() {
        for (w, want) in [
            ("90m", "90"),
            ("1.5h", "90.0"),
            ("1h30m", "90"),
            ("0.0h30m", "30"),
            ("1h0.00m", "60"),
            ("0h5.5m", "5.5"),
            ("1.25h30.5m", "105.50"),
            ("2.000h", "120.000"),
        ] {
            assert_eq!(
                fast_minutes(w).map(|m| m.to_string()).as_deref(),
                Some(want),
                "{w}"
            );
            assert_eq!(
                duration(w, unit(), "log").map(|m| m.to_string()).as_deref(),
                Ok(want),
                "{w}"
            );
        }
        assert_eq!(fast_minutes("0h0m"), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn the_fast_paths_agree_with_the_general_path(s in "[0-9.hmcr:+-]{0,14}|[0-9]{1,2}:[0-9]{2}-[0-9]{1,2}:[0-9]{2}|[+-]?[0-9]{1,3}(\\.[0-9]{1,2})?h[0-9]{1,3}(\\.[0-9]{1,2})?m") {
            use proptest::{prop_assert, prop_assert_eq};
            if let Some(m) = fast_minutes(&s) {
                prop_assert_eq!(quantity(&s, unit()), Ok((m, QtyForm::Duration)), "{}", &s);
                // The integer sum keeps the scale that `Decimal` arithmetic gives.
                let b = s.as_bytes();
                let h = b.iter().position(|&c| c == b'h');
                let hours = h.and_then(|i| fast_number(&b[..i]));
                let rest = h.map_or(b, |i| &b[i + 1..]);
                let minutes = rest.strip_suffix(b"m").and_then(fast_number);
                let want = hours.map_or(Decimal::ZERO, |(m, k)| Decimal::new(m, k) * Decimal::from(60))
                    + minutes.map_or(Decimal::ZERO, |(m, k)| Decimal::new(m, k));
                prop_assert_eq!((m, m.scale()), (want, want.scale()), "{}", &s);
            }
            // Minutes after hours are 0 to 59, on every path.
            if let Some((h, m)) = s.trim_start_matches(['+', '-']).split_once('h')
                && let Some(m) = m.strip_suffix('m')
                && number(h).is_ok()
                && number(m).is_ok_and(|m| m >= Decimal::from(60))
            {
                prop_assert_eq!(fast_minutes(&s), None, "{}", &s);
                prop_assert!(positive_quantity(&s, unit()).is_err(), "{}", &s);
                prop_assert!(signed_quantity(&s, unit()).is_err(), "{}", &s);
                prop_assert!(duration(&s, unit(), "log").is_err(), "{}", &s);
                prop_assert!(log_time(&s, unit()).is_err(), "{}", &s);
            }
            if let Some((range, minutes)) = fast_clock(&s) {
                prop_assert_eq!(clock_range(&s), Ok(Some(range)), "{}", &s);
                prop_assert_eq!(clock_minutes(range), minutes, "{}", &s);
                prop_assert_eq!(fast_minutes(&s), None, "{}", &s);
            }
            prop_assert_eq!(log_time(&s, unit()), log_time_general(&s, unit()), "{}", &s);
            prop_assert_eq!(duration(&s, unit(), "log"), duration_general(&s, unit(), "log"), "{}", &s);
            prop_assert_eq!(positive_quantity(&s, unit()).ok(), positive_quantity_general(&s, unit()).ok(), "{}", &s);
            prop_assert_eq!(signed_quantity(&s, unit()).ok(), signed_quantity_general(&s, unit()).ok(), "{}", &s);
            // Errors come from the general path alone, so they are the same words.
            prop_assert_eq!(positive_quantity(&s, unit()).err(), positive_quantity_general(&s, unit()).err(), "{}", &s);
            prop_assert_eq!(signed_quantity(&s, unit()).err(), signed_quantity_general(&s, unit()).err(), "{}", &s);
            // As money reads it: the same number, to the same scale.
            if let Some((m, k)) = fast_number(s.as_bytes()) {
                let want = number_general(&s).ok().map(|d| (d, d.scale()));
                let got = Decimal::new(m, k).normalize();
                prop_assert_eq!(Some((got, got.scale())), want, "{}", &s);
            }
            prop_assert_eq!(
                fast_number(s.as_bytes()).map(|(m, k)| Decimal::new(m, k)),
                number_general(&s).ok().filter(|_| fast_number(s.as_bytes()).is_some()),
                "{}", &s
            );
            prop_assert_eq!(number(&s).map(|d| (d, d.scale())), number_general(&s).map(|d| (d, d.scale())), "{}", &s);
            prop_assert_eq!(money(&s).map(|m| (m.amount, m.amount.scale(), m.currency)), money_general(&s).map(|m| (m.amount, m.amount.scale(), m.currency)), "{}", &s);
        }

        #[test]
        fn plain_amounts_read_as_the_general_path_reads_them(s in "[$€]?[0-9]{1,13}(\\.[0-9]{0,7})?") {
            // Money's fast path: the same number, to the same scale (`normalize`d).
            if let Some((m, k)) = fast_number(s.as_bytes()) {
                let got = Decimal::new(m, k).normalize();
                let want = number_general(&s).ok().map(|d| (d, d.scale()));
                proptest::prop_assert_eq!(Some((got, got.scale())), want, "{}", &s);
            }
            proptest::prop_assert_eq!(
                money(&s).map(|m| (m.amount, m.amount.scale(), m.currency)),
                money_general(&s).map(|m| (m.amount, m.amount.scale(), m.currency)),
                "{}", &s
            );
        }

        #[test]
        fn dates_read_as_their_digits_say(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}") {
            let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap();
            let want = NaiveDate::from_ymd_opt(s[0..4].parse().unwrap(), n(5..7), n(8..10))
                .filter(|d| d.year() >= FIRST_YEAR);
            proptest::prop_assert_eq!(date(&s).ok(), want);
        }
    }
}
