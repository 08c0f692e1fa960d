//! Rendering: report structs → `String`. Never prints; no I/O, no clock.
//!
//! Imports `model`, `engine` and `report`. Only this module names comfy-table (in `text_table`). A currency's
//! decimals are applied here and nowhere else (STYLE §4.4).

pub mod csv;
pub mod csv_line;
pub mod expiring;
pub mod export;
#[cfg(test)]
mod fit_tests;
pub mod html;
pub mod json;
pub mod md;
pub mod projects;
pub mod quotes;
pub mod register;
pub mod tables;
pub mod text;
pub(crate) mod text_table;
pub mod usage;
pub mod words;

use crate::model::Minutes;

pub use words::{hmm, plural};

/// Minutes as an exact decimal string for JSON: `420`, `300.5`, never `-0`.
#[must_use]
pub fn minutes(m: Minutes) -> String {
    let mut m = m.normalize();
    if m.is_zero() {
        m.set_sign_positive(true);
    }
    m.to_string()
}

/// A balance with a lot, a quote and a warning, for the renderers' tests.
#[cfg(test)]
pub(crate) mod fixture {
    use crate::engine::LotKind;
    use crate::model::Currency;
    use crate::report::{Balance, ClientBalance, LotLine, QuoteLine, Warning, WarningKind};
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn m(n: i64) -> Decimal {
        Decimal::from(n)
    }

    pub fn sample() -> Balance {
        let acme = ClientBalance {
            id: "acme".into(),
            name: "Acme Corp".into(),
            plan: Some("concierge".into()),
            currency: Currency(*b"USD"),
            rate: Some(m(150)),
            balance: m(420),
            pending: m(15),
            reserved: m(0),
            available: m(405),
            included_left: m(0),
            overage: m(30),
            overage_due: Some(m(75)),
            value: m(840),
            next_expiry: Some(d("2026-12-01")),
            lots: vec![LotLine {
                reference: Some("INV-1041".into()),
                date: d("2026-01-05"),
                kind: LotKind::Purchase,
                purchased: m(600),
                remaining: m(420),
                unit_price: Some(m(120)),
                expires: Some(d("2026-12-01")),
            }],
            quotes: vec![QuoteLine {
                id: "Q8".into(),
                date: d("2026-11-02"),
                due: None,
                minutes: m(120),
                approved: false,
                description: "Banner refresh".into(),
            }],
            warnings: vec![Warning {
                kind: WarningKind::Expiring,
                date: Some(d("2026-12-01")),
                minutes: m(420),
                threshold: None,
                quote: None,
            }],
            forecast: crate::report::Forecast {
                burn_per_month: "380".parse().unwrap(),
                runs_out: Some(d("2027-01-09")),
            },
        };
        Balance {
            as_of: d("2026-11-22"),
            unit: "credit".into(),
            unit_minutes: m(60),
            clients: vec![acme],
            later_entries: 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_minutes_are_normalized_and_never_negative_zero() {
        assert_eq!(minutes("420.00".parse().unwrap()), "420");
        assert_eq!(minutes("300.50".parse().unwrap()), "300.5");
        assert_eq!(minutes("-0".parse().unwrap()), "0");
    }
}
