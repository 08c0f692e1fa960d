//! The forecast (SPEC §8.6, §8.11.10): how fast a client uses its time, and the day it runs
//! out at that pace.
//!
//! The burn is the time `log`, `debit`, `done` and `adjust -` took from lots and grants in the
//! 90 days that end "today" (the engine sums it as it replays: `ClientState::burn`), divided
//! by 3. Overage and carried debt do not count: no lot paid for them.

use crate::engine::FORECAST_DAYS;
use crate::model::Minutes;
use chrono::{Days, NaiveDate};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

/// A client's pace and the day its time runs out at that pace.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forecast {
    /// Minutes taken in the window ÷ 3, rounded half-up to 2 decimals.
    pub burn_per_month: Minutes,
    /// Today + ⌈available × 90 ÷ minutes taken in the window⌉ days; `None` when nothing was
    /// taken, when nothing is available, or past 9999-12-31.
    pub runs_out: Option<NaiveDate>,
}

/// The forecast of a client that took `taken` minutes in the 90 days through `today` and has
/// `available` minutes (balance − pending − reserved) at the end of `today`.
#[must_use]
pub fn forecast(taken: Minutes, available: Minutes, today: NaiveDate) -> Forecast {
    let days = Decimal::from(FORECAST_DAYS);
    let months = Decimal::from(FORECAST_DAYS / 30);
    let mut burn_per_month = (taken / months)
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    if burn_per_month.is_zero() {
        burn_per_month.set_sign_positive(true);
    }
    let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
    let runs_out = (taken > Decimal::ZERO && available > Decimal::ZERO)
        .then(|| available.checked_mul(days)?.checked_div(taken))
        .flatten()
        .and_then(|d| d.ceil().to_u64())
        .and_then(|d| today.checked_add_days(Days::new(d)))
        .filter(|&d| d <= last);
    Forecast {
        burn_per_month,
        runs_out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn m(s: &str) -> Minutes {
        s.parse().unwrap()
    }

    #[test]
    fn burn_is_a_third_of_the_window_rounded_half_up_to_two_places() {
        let today = d("2026-11-22");
        assert_eq!(
            forecast(m("1140"), m("600"), today).burn_per_month,
            m("380")
        );
        // 100 ÷ 3 = 33.333…
        assert_eq!(
            forecast(m("100"), m("600"), today).burn_per_month,
            m("33.33")
        );
        // 0.05 ÷ 3 = 0.01666… → 0.02; 0.025 → 0.01 (0.00833…)
        assert_eq!(forecast(m("0.05"), m("1"), today).burn_per_month, m("0.02"));
        // 200 ÷ 3 = 66.666… → 66.67
        assert_eq!(forecast(m("200"), m("1"), today).burn_per_month, m("66.67"));
        assert_eq!(
            forecast(m("0"), m("1"), today).burn_per_month.to_string(),
            "0"
        );
    }

    #[test]
    fn runs_out_is_today_plus_available_times_90_over_taken_rounded_up() {
        let today = d("2026-11-22");
        // 600 × 90 ÷ 1140 = 47.37 → 48 days after 2026-11-22.
        assert_eq!(
            forecast(m("1140"), m("600"), today).runs_out,
            Some(d("2027-01-09"))
        );
        // Exactly 30 days: 300 × 90 ÷ 900.
        assert_eq!(
            forecast(m("900"), m("300"), today).runs_out,
            Some(d("2026-12-22"))
        );
        // A fraction of a minute available still counts one day.
        assert_eq!(
            forecast(m("900"), m("0.5"), today).runs_out,
            Some(d("2026-11-23"))
        );
    }

    #[test]
    fn runs_out_is_none_without_burn_without_time_or_past_9999() {
        let today = d("2026-11-22");
        assert_eq!(forecast(m("0"), m("600"), today).runs_out, None);
        assert_eq!(forecast(m("60"), m("0"), today).runs_out, None);
        assert_eq!(forecast(m("60"), m("-30"), today).runs_out, None);
        assert_eq!(
            forecast(m("0.01"), Decimal::MAX, today).runs_out,
            None,
            "an overflow is no date"
        );
        assert_eq!(
            forecast(m("0.01"), m("100000000"), today).runs_out,
            None,
            "past 9999-12-31"
        );
    }
}
