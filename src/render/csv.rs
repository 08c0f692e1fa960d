//! CSV output (`--format csv`): RFC 4180 (comma-separated, CRLF line ends, a header row, a
//! field quoted when it holds a comma, a quote or a line break, quotes doubled), with
//! spreadsheet formula injection neutralised: a text cell that begins with `=`, `+`, `-`,
//! `@`, a tab or a carriage return gets a leading `'`. Numbers we write (`-30`) are left alone.

use super::minutes;
use crate::report::Statement;
use rust_decimal::Decimal;

/// The header of a statement CSV.
const HEADER: [&str; 9] = [
    "client",
    "date",
    "kind",
    "description",
    "logged_minutes",
    "debited_minutes",
    "balance_minutes",
    "amount",
    "currency",
];

/// One field, neutralised and quoted as RFC 4180 asks.
#[must_use]
pub fn field(text: &str) -> String {
    let risky =
        text.starts_with(['=', '+', '-', '@', '\t', '\r']) && text.parse::<Decimal>().is_err();
    let text = if risky {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

fn record(out: &mut String, cells: &[String]) {
    let fields: Vec<String> = cells.iter().map(|c| field(c)).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

/// `credits statement --format csv`: a header, then for each statement an `opening` row, one
/// row per line of the period and a `closing` row. Minutes are exact decimals, money has the
/// currency's decimals; empty fields where a value does not apply.
#[must_use]
pub fn statements(list: &[Statement]) -> String {
    let mut out = String::new();
    record(
        &mut out,
        &HEADER.iter().map(|h| (*h).to_string()).collect::<Vec<_>>(),
    );
    for s in list {
        let cur = s.currency.code().to_string();
        let edge = |date: String, kind: &str, balance| {
            vec![
                s.client.clone(),
                date,
                kind.to_string(),
                format!("{kind} balance"),
                String::new(),
                String::new(),
                minutes(balance),
                String::new(),
                cur.clone(),
            ]
        };
        record(&mut out, &edge(s.from.to_string(), "opening", s.opening));
        for l in &s.lines {
            record(
                &mut out,
                &[
                    s.client.clone(),
                    l.date.to_string(),
                    l.kind.word().to_string(),
                    l.description.clone(),
                    l.logged.map(minutes).unwrap_or_default(),
                    l.debited.map(minutes).unwrap_or_default(),
                    minutes(l.balance),
                    l.amount.map(|a| s.currency.format(a)).unwrap_or_default(),
                    cur.clone(),
                ],
            );
        }
        record(&mut out, &edge(s.to.to_string(), "closing", s.closing));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_as_rfc_4180_asks() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised() {
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("+1 call"), "'+1 call");
        assert_eq!(field("-rm"), "'-rm");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("-30"), "-30");
        assert_eq!(field("-12.5"), "-12.5");
    }
}
