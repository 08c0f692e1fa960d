//! The forecast in words, for the text views (SPEC §8.6): one line.

use super::hmm;
use crate::report::Forecast;
use rust_decimal::RoundingStrategy;

/// `At 6:20 a month (last 90 days), runs out around 2027-02-14` (the pace to the minute);
/// without a date, why not.
#[must_use]
pub fn line(f: &Forecast) -> String {
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

#[cfg(test)]
mod tests {
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
            line(&f("380", Some("2027-02-14"))),
            "At 6:20 a month (last 90 days), runs out around 2027-02-14"
        );
        assert_eq!(
            line(&f("33.33", None)),
            "At 0:33 a month (last 90 days), no time left to run out"
        );
        assert_eq!(
            line(&f("233.5", Some("2027-01-09"))),
            "At 3:54 a month (last 90 days), runs out around 2027-01-09"
        );
        assert_eq!(
            line(&f("0", None)),
            "No time used in the last 90 days: no run-out date"
        );
    }
}
