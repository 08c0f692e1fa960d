//! Quantities, money, currencies and date spans.

use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;
use std::fmt;

/// Time in minutes, exact. Negative only for `adjust`/`assert` amounts and carried debt.
pub type Minutes = Decimal;

/// An ISO 4217 currency code, three capital letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Currency(pub [u8; 3]);

impl Currency {
    /// Parse a three-letter capital code such as `USD`.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Currency> {
        let b = code.as_bytes();
        if b.len() == 3 && b.iter().all(u8::is_ascii_uppercase) {
            Some(Currency([b[0], b[1], b[2]]))
        } else {
            None
        }
    }

    /// The currency a symbol stands for: `$` USD, `¥` JPY, `€` EUR, `£` GBP.
    #[must_use]
    pub fn from_symbol(sym: char) -> Option<Currency> {
        match sym {
            '$' => Currency::from_code("USD"),
            '¥' | '￥' => Currency::from_code("JPY"),
            '€' => Currency::from_code("EUR"),
            '£' => Currency::from_code("GBP"),
            _ => None,
        }
    }

    /// The code as text.
    #[must_use]
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// The currency's usual number of decimals (JPY 0, USD 2).
    #[must_use]
    pub fn decimals(&self) -> u32 {
        match self.code() {
            "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "HUF" | "TWD" | "UGX" | "XOF" | "XAF"
            | "PYG" | "IDR" => 0,
            "BHD" | "KWD" | "OMR" | "JOD" | "TND" | "LYD" | "IQD" => 3,
            _ => 2,
        }
    }

    /// `amount` rounded half-up (away from zero) to this currency's decimals.
    #[must_use]
    pub fn round(&self, amount: Decimal) -> Decimal {
        amount.round_dp_with_strategy(
            self.decimals(),
            rust_decimal::RoundingStrategy::MidpointAwayFromZero,
        )
    }

    /// `amount` rounded and printed with exactly this currency's decimals: `840.00`, `24000`.
    #[must_use]
    pub fn format(&self, amount: Decimal) -> String {
        let mut r = self.round(amount);
        r.rescale(self.decimals());
        if r.is_zero() {
            r.set_sign_positive(true);
        }
        r.to_string()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An amount of money; `currency` is `None` when written bare (the client's currency).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    /// Exact amount.
    pub amount: Decimal,
    /// Currency as written, if any.
    pub currency: Option<Currency>,
}

/// A calendar span: `30d`, `12mo`, `2y` (= `24mo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateSpan {
    /// A number of days.
    Days(u32),
    /// A number of months (years are stored as months).
    Months(u32),
}

impl fmt::Display for DateSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateSpan::Days(d) => write!(f, "{d}d"),
            DateSpan::Months(m) if m % 12 == 0 && *m > 0 => write!(f, "{}y", m / 12),
            DateSpan::Months(m) => write!(f, "{m}mo"),
        }
    }
}

/// `date` plus `months`, keeping the day of month, clamped to the month's last day.
/// `None` past chrono's range.
#[must_use]
pub fn add_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    let total = i64::from(date.year()) * 12 + i64::from(date.month0()) + i64::from(months);
    let year = i32::try_from(total.div_euclid(12)).ok()?;
    let month0 = total.rem_euclid(12) as u32;
    let mut day = date.day();
    loop {
        if let Some(d) = NaiveDate::from_ymd_opt(year, month0 + 1, day) {
            return Some(d);
        }
        if day <= 28 {
            return None;
        }
        day -= 1;
    }
}

/// `date` plus a span. `None` past 9999-12-31, the last day a date may be: a lot whose last
/// usable day would come after it never expires.
#[must_use]
pub fn add_span(date: NaiveDate, span: DateSpan) -> Option<NaiveDate> {
    let day = match span {
        DateSpan::Days(d) => date.checked_add_days(Days::new(u64::from(d))),
        DateSpan::Months(m) => add_months(date, m),
    }?;
    (day <= LAST_DAY).then_some(day)
}

/// Minutes as a journal writes a duration: `1h30m`, `45m`, `-2h`, `12.5m`, `0m`. The one
/// writer of this form: messages (`engine`), canonical lines (`syntax::print`) and the words
/// of `render` use it.
#[must_use]
pub fn duration(m: Minutes) -> String {
    let sign = if m < Decimal::ZERO { "-" } else { "" };
    let a = m.abs();
    let sixty = Decimal::from(60);
    let hours = (a / sixty).trunc().normalize();
    let rest = (a - hours * sixty).normalize();
    match (hours.is_zero(), rest.is_zero()) {
        (true, _) => format!("{sign}{rest}m"),
        (false, true) => format!("{sign}{hours}h"),
        (false, false) => format!("{sign}{hours}h{rest}m"),
    }
}

/// The last day a date may be.
pub const LAST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn adding_months_clamps_to_the_last_day() {
        assert_eq!(add_months(d("2026-01-31"), 1), Some(d("2026-02-28")));
        assert_eq!(add_months(d("2024-01-31"), 1), Some(d("2024-02-29")));
        assert_eq!(add_months(d("2026-03-15"), 12), Some(d("2027-03-15")));
        assert_eq!(
            add_span(d("2026-01-05"), DateSpan::Days(90)),
            Some(d("2026-04-05"))
        );
    }

    #[test]
    fn a_span_past_the_last_day_gives_no_last_usable_day() {
        assert_eq!(
            add_span(d("9999-01-01"), DateSpan::Days(364)),
            Some(LAST_DAY)
        );
        assert_eq!(add_span(d("9999-01-01"), DateSpan::Days(365)), None);
        assert_eq!(add_span(d("2026-01-05"), DateSpan::Days(u32::MAX)), None);
        assert_eq!(add_span(d("2026-01-05"), DateSpan::Months(u32::MAX)), None);
    }

    #[test]
    fn durations_are_written_as_a_journal_writes_them() {
        let m = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(duration(m("90")), "1h30m");
        assert_eq!(duration(m("45")), "45m");
        assert_eq!(duration(m("-120")), "-2h");
        assert_eq!(duration(m("12.5")), "12.5m");
        assert_eq!(duration(m("0")), "0m");
        assert_eq!(duration(m("6000.00")), "100h");
        assert_eq!(duration(m("-0.5")), "-0.5m");
    }

    #[test]
    fn currencies_print_their_usual_decimals() {
        let usd = Currency::from_code("USD").unwrap();
        let jpy = Currency::from_symbol('¥').unwrap();
        assert_eq!(usd.format(Decimal::new(840, 0)), "840.00");
        assert_eq!(usd.format(Decimal::new(1005, 3)), "1.01");
        assert_eq!(jpy.format(Decimal::new(240_005, 1)), "24001");
        assert_eq!(Currency::from_code("usd"), None);
    }
}
