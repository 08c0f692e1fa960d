//! `credits quotes` as text, JSON (`{"quotes": [{"id", "client", "kind", "status",
//! "quantity_minutes", "actual_minutes", "due", "overdue"}]}`), CSV and Markdown.

use super::csv_line::{self, Cell};
use super::text_table::table;
use super::{hmm, md, minutes};
use crate::report::Quotes;
use serde::Serialize;
use std::fmt::Write as _;

fn later(q: &Quotes) -> String {
    match q.later_entries {
        0 => String::new(),
        1 => format!("\n1 entry dated after {} is not counted\n", q.as_of),
        n => format!("\n{n} entries dated after {} are not counted\n", q.as_of),
    }
}

fn due(q: &crate::report::QuoteRow) -> String {
    q.due.map_or_else(String::new, |d| d.to_string())
}

fn overdue(q: &crate::report::QuoteRow) -> &'static str {
    if q.overdue { "overdue" } else { "" }
}

/// A table of the quotes and estimates: quantity and actual time as `h:mm`.
#[must_use]
pub fn text(q: &Quotes, layout: impl Into<super::text::Layout>) -> String {
    if q.quotes.is_empty() {
        return format!("no quotes or estimates\n{}", later(q));
    }
    let mut t = table(
        &[
            "quote",
            "client",
            "kind",
            "status",
            "date",
            "quantity",
            "actual",
            "due",
            "overdue",
            "description",
        ],
        &[5, 6],
        layout,
    );
    for r in &q.quotes {
        t.add_row(vec![
            r.id.clone(),
            r.client.clone(),
            r.kind.word().to_string(),
            r.status.word().to_string(),
            r.date.to_string(),
            hmm(r.quantity),
            hmm(r.actual),
            due(r),
            overdue(r).to_string(),
            r.description.clone(),
        ]);
    }
    let mut out = t.finish();
    out.push_str(&later(q));
    out
}

#[derive(Serialize)]
struct QuotesJson<'a> {
    quotes: Vec<QuoteJson<'a>>,
}

#[derive(Serialize)]
struct QuoteJson<'a> {
    id: &'a str,
    client: &'a str,
    kind: &'static str,
    status: &'static str,
    quantity_minutes: String,
    actual_minutes: String,
    due: Option<String>,
    overdue: bool,
}

/// `credits quotes --format json`.
#[must_use]
pub fn json(q: &Quotes) -> String {
    let quotes = q
        .quotes
        .iter()
        .map(|r| QuoteJson {
            id: &r.id,
            client: &r.client,
            kind: r.kind.word(),
            status: r.status.word(),
            quantity_minutes: minutes(r.quantity),
            actual_minutes: minutes(r.actual),
            due: r.due.map(|d| d.to_string()),
            overdue: r.overdue,
        })
        .collect();
    super::json::finish(&QuotesJson { quotes })
}

/// `credits quotes --format csv`: a header, then one line per quote or estimate.
#[must_use]
pub fn csv(q: &Quotes) -> String {
    const HEADER: [&str; 10] = [
        "id",
        "client",
        "kind",
        "status",
        "date",
        "quantity_minutes",
        "actual_minutes",
        "due",
        "overdue",
        "description",
    ];
    let mut out = csv_line::line(&HEADER.map(Cell::Value));
    for r in &q.quotes {
        let (date, quantity, actual, due, overdue) = (
            r.date.to_string(),
            minutes(r.quantity),
            minutes(r.actual),
            due(r),
            r.overdue.to_string(),
        );
        out.push_str(&csv_line::line(&[
            Cell::Text(&r.id),
            Cell::Text(&r.client),
            Cell::Value(r.kind.word()),
            Cell::Value(r.status.word()),
            Cell::Value(&date),
            Cell::Value(&quantity),
            Cell::Value(&actual),
            Cell::Value(&due),
            Cell::Value(&overdue),
            Cell::Text(&r.description),
        ]));
    }
    out
}

/// `credits quotes --format md`: one Markdown table, every user string escaped.
#[must_use]
pub fn md(q: &Quotes) -> String {
    let mut out = String::from(
        "| quote | client | kind | status | date | quantity | actual | due | overdue | description |\n\
         |---|---|---|---|---|--:|--:|---|---|---|\n",
    );
    for r in &q.quotes {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            md::escape(&r.id),
            md::escape(&r.client),
            r.kind.word(),
            r.status.word(),
            r.date,
            hmm(r.quantity),
            hmm(r.actual),
            due(r),
            overdue(r),
            md::escape(&r.description),
        );
    }
    out.push_str(&later(q));
    out
}
