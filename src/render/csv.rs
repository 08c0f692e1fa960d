//! CSV output (`--format csv`): RFC 4180 (comma-separated, CRLF line ends, a header row, a
//! field quoted when it holds a comma, a quote or a line break, quotes doubled), with
//! spreadsheet formula injection neutralised by column (see [`super::csv_line`]): the client
//! and description cells that begin with `=`, `+`, `-`, `@`, a tab or a carriage return get a
//! leading `'`. Numbers (`-30`) are never touched.

use super::csv_line::{Cell, field};
use super::{minutes, words};
use crate::report::Statement;

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

fn record(out: &mut String, cells: &[Cell<'_>]) {
    let fields: Vec<String> = cells.iter().map(|c| field(*c)).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

/// `credits statement --format csv`: a header, then for each statement an opening balance row,
/// one row per line of the period that moves time or money (worded for the client) and a
/// closing balance row. Minutes are exact decimals; money has the currency's decimals and a
/// sign (purchases positive; refunds, project credits and expired value negative), so the
/// column adds up; empty fields where a value does not apply.
#[must_use]
pub fn statements(list: &[Statement]) -> String {
    let mut out = String::new();
    let header: Vec<Cell<'_>> = HEADER.iter().map(|h| Cell::Value(h)).collect();
    record(&mut out, &header);
    for s in list {
        let cur = s.currency.code();
        let edge = |out: &mut String, date: String, kind: &str, balance| {
            let description = String::new();
            let balance = minutes(balance);
            record(
                out,
                &[
                    Cell::Text(&s.client),
                    Cell::Value(&date),
                    Cell::Value(kind),
                    Cell::Text(&description),
                    Cell::Value(""),
                    Cell::Value(""),
                    Cell::Value(&balance),
                    Cell::Value(""),
                    Cell::Value(cur),
                ],
            );
        };
        edge(&mut out, s.from.to_string(), "Opening balance", s.opening);
        for l in s.lines.iter().filter(|l| words::shown(l.kind)) {
            let (date, logged, debited, balance) = (
                l.date.to_string(),
                l.logged.map(minutes).unwrap_or_default(),
                l.debited.map(minutes).unwrap_or_default(),
                minutes(l.balance),
            );
            let amount = l
                .amount
                .map(|a| words::signed_plain(s.currency, a))
                .unwrap_or_default();
            let description = words::describe(s, l);
            record(
                &mut out,
                &[
                    Cell::Text(&s.client),
                    Cell::Value(&date),
                    Cell::Value(words::kind(l.kind)),
                    Cell::Text(&description),
                    Cell::Value(&logged),
                    Cell::Value(&debited),
                    Cell::Value(&balance),
                    Cell::Value(&amount),
                    Cell::Value(cur),
                ],
            );
        }
        edge(&mut out, s.to.to_string(), "Closing balance", s.closing);
    }
    out
}
