//! `credits register` as text, JSON (`{"rows": [{"date", "client", "kind", "description",
//! "tags", "logged_minutes", "debited_minutes", "amount", "balance_minutes"}], "totals":
//! {"logged_minutes", "debited_minutes", "amounts": {CURRENCY: "..."}}}`), CSV and Markdown.

use super::csv_line::{self, Cell};
use super::text::money;
use super::text_table::table;
use super::{hmm, md, minutes};
use crate::report::{Register, RegisterRow};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

fn opt_hmm(m: Option<crate::model::Minutes>) -> String {
    m.map(hmm).unwrap_or_default()
}

fn tags(r: &RegisterRow) -> String {
    r.tags
        .iter()
        .map(|t| format!("#{t}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The money of the total row: one amount per currency, `840.00 USD, 120 JPY`.
fn amounts(reg: &Register) -> String {
    reg.totals
        .amounts
        .iter()
        .map(|(c, a)| money(*c, *a))
        .collect::<Vec<_>>()
        .join(", ")
}

fn count(reg: &Register) -> String {
    match reg.rows.len() {
        1 => "1 row".to_string(),
        n => format!("{n} rows"),
    }
}

fn period(reg: &Register) -> String {
    match reg.from {
        Some(from) => format!("from {from} to {}", reg.to),
        None => format!("through {}", reg.to),
    }
}

/// A table of the rows (times as `h:mm`), then the total row.
#[must_use]
pub fn text(reg: &Register, layout: impl Into<super::text::Layout>) -> String {
    if reg.rows.is_empty() {
        return format!("no events {}\n", period(reg));
    }
    let mut t = table(
        &[
            "date",
            "client",
            "kind",
            "description",
            "tags",
            "logged",
            "debited",
            "amount",
            "balance",
        ],
        &[5, 6, 7, 8],
        layout,
    );
    for r in &reg.rows {
        t.add_row(vec![
            r.date.to_string(),
            r.client.clone(),
            r.kind.word().to_string(),
            r.description.clone(),
            tags(r),
            opt_hmm(r.logged),
            opt_hmm(r.debited),
            r.amount.map(|a| money(r.currency, a)).unwrap_or_default(),
            hmm(r.balance),
        ]);
    }
    t.add_row(vec![
        "total".to_string(),
        String::new(),
        String::new(),
        count(reg),
        String::new(),
        hmm(reg.totals.logged),
        hmm(reg.totals.debited),
        amounts(reg),
        String::new(),
    ]);
    t.finish()
}

#[derive(Serialize)]
struct RegisterJson<'a> {
    rows: Vec<RowJson<'a>>,
    totals: TotalsJson,
}

#[derive(Serialize)]
struct RowJson<'a> {
    date: String,
    client: &'a str,
    kind: &'static str,
    description: &'a str,
    tags: &'a [String],
    logged_minutes: Option<String>,
    debited_minutes: Option<String>,
    amount: Option<String>,
    balance_minutes: String,
}

#[derive(Serialize)]
struct TotalsJson {
    logged_minutes: String,
    debited_minutes: String,
    amounts: BTreeMap<String, String>,
}

/// `credits register --format json`.
#[must_use]
pub fn json(reg: &Register) -> String {
    let rows = reg
        .rows
        .iter()
        .map(|r| RowJson {
            date: r.date.to_string(),
            client: &r.client,
            kind: r.kind.word(),
            description: &r.description,
            tags: &r.tags,
            logged_minutes: r.logged.map(minutes),
            debited_minutes: r.debited.map(minutes),
            amount: r.amount.map(|a| r.currency.format(a)),
            balance_minutes: minutes(r.balance),
        })
        .collect();
    let amounts = reg
        .totals
        .amounts
        .iter()
        .map(|(c, a)| (c.code().to_string(), c.format(*a)))
        .collect();
    let totals = TotalsJson {
        logged_minutes: minutes(reg.totals.logged),
        debited_minutes: minutes(reg.totals.debited),
        amounts,
    };
    super::json::finish(&RegisterJson { rows, totals })
}

/// `credits register --format csv`: a header, one line per row (no total line: a sheet sums).
#[must_use]
pub fn csv(reg: &Register) -> String {
    const HEADER: [&str; 10] = [
        "date",
        "client",
        "kind",
        "description",
        "tags",
        "logged_minutes",
        "debited_minutes",
        "amount",
        "currency",
        "balance_minutes",
    ];
    let mut out = csv_line::line(&HEADER.map(Cell::Value));
    for r in &reg.rows {
        let (date, tags, logged, debited, amount, balance) = (
            r.date.to_string(),
            r.tags.join(" "),
            r.logged.map(minutes).unwrap_or_default(),
            r.debited.map(minutes).unwrap_or_default(),
            r.amount.map(|a| r.currency.format(a)).unwrap_or_default(),
            minutes(r.balance),
        );
        out.push_str(&csv_line::line(&[
            Cell::Value(&date),
            Cell::Text(&r.client),
            Cell::Value(r.kind.word()),
            Cell::Text(&r.description),
            Cell::Text(&tags),
            Cell::Value(&logged),
            Cell::Value(&debited),
            Cell::Value(&amount),
            Cell::Value(r.currency.code()),
            Cell::Value(&balance),
        ]));
    }
    out
}

/// `credits register --format md`: one Markdown table with its total row.
#[must_use]
pub fn md(reg: &Register) -> String {
    let mut out = String::from(
        "| date | client | kind | description | tags | logged | debited | amount | balance |\n\
         |---|---|---|---|---|--:|--:|--:|--:|\n",
    );
    for r in &reg.rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.date,
            md::escape(&r.client),
            r.kind.word(),
            md::escape(&r.description),
            md::escape(&tags(r)),
            opt_hmm(r.logged),
            opt_hmm(r.debited),
            r.amount.map(|a| money(r.currency, a)).unwrap_or_default(),
            hmm(r.balance),
        );
    }
    let _ = writeln!(
        out,
        "| **total** | | | {} | | {} | {} | {} | |",
        count(reg),
        hmm(reg.totals.logged),
        hmm(reg.totals.debited),
        amounts(reg),
    );
    out
}
