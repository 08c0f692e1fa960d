//! `credits usage` as text (with a bar column), JSON, CSV and Markdown.

use super::csv_line::{self, Cell};
use super::text_table::table;
use super::{hmm, minutes};
use crate::report::{PeriodUsage, Usage};
use rust_decimal::Decimal;
use serde::Serialize;

/// The widest bar, in blocks.
const BAR: u32 = 30;

/// A bar of `value` against `max`: `ceil(value × 30 / max)` full blocks, so any time at all
/// shows, and the busiest period fills the column. Exact decimal arithmetic.
#[must_use]
pub fn bar(value: Decimal, max: Decimal) -> String {
    if value <= Decimal::ZERO || max <= Decimal::ZERO {
        return String::new();
    }
    let n = (value * Decimal::from(BAR) / max)
        .ceil()
        .min(Decimal::from(BAR));
    let n = usize::try_from(n.mantissa() / 10i128.pow(n.scale())).unwrap_or(0);
    "█".repeat(n)
}

/// A table of the periods: logged, debited and covered time as `h:mm`, and a bar of the time
/// logged (or debited, when nothing was logged), then the total.
#[must_use]
pub fn text(u: &Usage, layout: impl Into<super::text::Layout>) -> String {
    let size = |p: &PeriodUsage| p.logged.max(p.debited);
    let max = u.periods.iter().map(size).max().unwrap_or_default();
    let mut t = table(
        &[u.by.word(), "logged", "debited", "covered", ""],
        &[1, 2, 3],
        layout,
    );
    for p in &u.periods {
        t.add_row(vec![
            p.period.clone(),
            hmm(p.logged),
            hmm(p.debited),
            hmm(p.covered),
            bar(size(p), max),
        ]);
    }
    t.add_row(vec![
        "total".to_string(),
        hmm(u.total.logged),
        hmm(u.total.debited),
        hmm(u.total.covered),
        String::new(),
    ]);
    let who = u.client.as_deref().unwrap_or("all clients");
    format!("{who}, {} to {}\n\n{}", u.from, u.to, t.finish())
}

#[derive(Serialize)]
struct UsageJson<'a> {
    as_of: String,
    client: Option<&'a str>,
    by: &'static str,
    from: String,
    to: String,
    periods: Vec<PeriodJson<'a>>,
    total: PeriodJson<'a>,
}

#[derive(Serialize)]
struct PeriodJson<'a> {
    period: &'a str,
    from: String,
    to: String,
    logged_minutes: String,
    debited_minutes: String,
    covered_minutes: String,
}

fn period_json(p: &PeriodUsage) -> PeriodJson<'_> {
    PeriodJson {
        period: &p.period,
        from: p.from.to_string(),
        to: p.to.to_string(),
        logged_minutes: minutes(p.logged),
        debited_minutes: minutes(p.debited),
        covered_minutes: minutes(p.covered),
    }
}

/// `credits usage --format json`: minutes as decimal strings (SPEC §6).
#[must_use]
pub fn json(u: &Usage) -> String {
    let doc = UsageJson {
        as_of: u.as_of.to_string(),
        client: u.client.as_deref(),
        by: u.by.word(),
        from: u.from.to_string(),
        to: u.to.to_string(),
        periods: u.periods.iter().map(period_json).collect(),
        total: period_json(&u.total),
    };
    super::json::finish(&doc)
}

/// `credits usage --format csv`: a header, then one line per period (no total line).
#[must_use]
pub fn csv(u: &Usage) -> String {
    let mut out = csv_line::header(&[
        "period",
        "from",
        "to",
        "logged_minutes",
        "debited_minutes",
        "covered_minutes",
    ]);
    for p in &u.periods {
        let cells = [
            p.from.to_string(),
            p.to.to_string(),
            minutes(p.logged),
            minutes(p.debited),
            minutes(p.covered),
        ];
        out.push_str(&csv_line::line(&[
            Cell::Value(&p.period),
            Cell::Value(&cells[0]),
            Cell::Value(&cells[1]),
            Cell::Value(&cells[2]),
            Cell::Value(&cells[3]),
            Cell::Value(&cells[4]),
        ]));
    }
    out
}

/// `credits usage --format md`: one Markdown table of the periods, then the total row.
#[must_use]
pub fn md(u: &Usage) -> String {
    let row = |name: &str, p: &PeriodUsage| {
        vec![
            super::md::escape(name),
            p.from.to_string(),
            p.to.to_string(),
            hmm(p.logged),
            hmm(p.debited),
            hmm(p.covered),
        ]
    };
    let mut rows: Vec<Vec<String>> = u.periods.iter().map(|p| row(&p.period, p)).collect();
    rows.push(row("total", &u.total));
    super::tables::md_table(
        &[u.by.word(), "from", "to", "logged", "debited", "covered"],
        &[3, 4, 5],
        &rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_and_never_wider_than_thirty() {
        let m = Decimal::from;
        assert_eq!(bar(m(120), m(120)).chars().count(), 30);
        assert_eq!(bar(m(60), m(120)).chars().count(), 15);
        assert_eq!(bar(m(1), m(120)).chars().count(), 1);
        assert_eq!(bar(m(0), m(120)), "");
        assert_eq!(bar(m(5), m(0)), "");
    }
}
