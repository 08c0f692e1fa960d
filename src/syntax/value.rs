//! Value words: `15m` `1h30m` `1.5h` `3cr` `09:15-10:40` `$120` `12mo` `30%` → model values.
//!
//! Pure; no I/O. Errors are [`ValueError`]s that the caller pins to the word's span.

use crate::model::{Currency, DateSpan, Minutes, Money};
use chrono::{NaiveDate, NaiveTime};
use rust_decimal::Decimal;
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
pub fn number(s: &str) -> Result<Decimal, ValueError> {
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
    let hours = (total / Decimal::from(60)).trunc();
    let minutes = total - hours * Decimal::from(60);
    Some(if minutes.is_zero() {
        format!("{hours}h")
    } else {
        format!("{hours}h{minutes}m")
    })
}

/// A positive duration (`log`): a bare number is refused with a hint to write `15m`.
pub fn duration(s: &str, unit_minutes: Minutes, verb: &str) -> Result<Minutes, ValueError> {
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
pub fn positive_quantity(s: &str, unit_minutes: Minutes) -> Result<Minutes, ValueError> {
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
pub fn signed_quantity(s: &str, unit_minutes: Minutes) -> Result<Minutes, ValueError> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (m, _) = quantity(body, unit_minutes)?;
    Ok(if neg { -m } else { m })
}

/// A money word: `120`, `120.50`, `$120`, `¥8000`, `€95` (the code, if any, is a separate word).
pub fn money(s: &str) -> Result<Money, ValueError> {
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
    let digits: String = digits.chars().filter(|&c| c != ',').collect();
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
        assert!(client_id("15m").is_err());
        assert!(client_id("3").is_err());
        assert!(client_id("Acme").is_err());
        assert!(client_id("acme-2").is_ok());
    }

    proptest::proptest! {
        #[test]
        fn dates_read_as_their_digits_say(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}") {
            let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap();
            let want = NaiveDate::from_ymd_opt(s[0..4].parse().unwrap(), n(5..7), n(8..10))
                .filter(|d| d.year() >= FIRST_YEAR);
            proptest::prop_assert_eq!(date(&s).ok(), want);
        }
    }
}
