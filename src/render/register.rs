//! `credits register` as text, JSON (`{"rows": [{"date", "client", "kind", "description",
//! "tags", "logged_minutes", "debited_minutes", "amount", "balance_minutes"}], "totals":
//! {"logged_minutes", "debited_minutes", "amounts": {CURRENCY: "..."}}}`), CSV and Markdown.

use super::csv_line::{self, Cell};
use super::text::money;
use super::text_table::table;
use super::{hmm, md, minutes};
use crate::report::{Register, RegisterRow, RegisterTotals};
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
fn amounts(totals: &RegisterTotals) -> String {
    totals
        .amounts
        .iter()
        .map(|(c, a)| money(*c, *a))
        .collect::<Vec<_>>()
        .join(", ")
}

fn count(rows: usize) -> String {
    match rows {
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
        count(reg.rows.len()),
        String::new(),
        hmm(reg.totals.logged),
        hmm(reg.totals.debited),
        amounts(&reg.totals),
        String::new(),
    ]);
    t.finish()
}

/// The formats a register is written in a row at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowFormat {
    /// `--format csv`: a header, one line per row (no total line: a sheet sums).
    Csv,
    /// `--format json`: `{"rows": [...], "totals": {...}}`.
    Json,
    /// `--format md`: one Markdown table with its total row.
    Md,
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

const CSV_HEADER: [&str; 10] = [
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

/// The text of `r` as a row of a register in `format`, at the end of `out`: rows can be made
/// on other threads than the one that puts them in place ([`Rows::put`]).
pub fn row(format: RowFormat, r: &RegisterRow, out: &mut String) {
    match format {
        RowFormat::Csv => {
            let (date, tags, logged, debited, amount, balance) = (
                r.date.to_string(),
                r.tags.join(" "),
                r.logged.map(minutes).unwrap_or_default(),
                r.debited.map(minutes).unwrap_or_default(),
                r.amount.map(|a| r.currency.format(a)).unwrap_or_default(),
                minutes(r.balance),
            );
            csv_line::push_line(
                out,
                &[
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
                ],
            );
        }
        RowFormat::Json => {
            let json = RowJson {
                date: r.date.to_string(),
                client: &r.client,
                kind: r.kind.word(),
                description: &r.description,
                tags: &r.tags,
                logged_minutes: r.logged.map(minutes),
                debited_minutes: r.debited.map(minutes),
                amount: r.amount.map(|a| r.currency.format(a)),
                balance_minutes: minutes(r.balance),
            };
            // An element of `rows`, two levels in: its lines indented by four spaces (a JSON
            // string holds no line break of its own).
            let text = serde_json::to_string_pretty(&json).unwrap_or_else(|_| "{}".to_string());
            for (i, line) in text.split('\n').enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str("    ");
                out.push_str(line);
            }
        }
        RowFormat::Md => {
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
    }
}

/// A register written a row at a time: [`Rows::begin`], then each row's text ([`row`]) with
/// [`Rows::put`], in the register's order, then [`Rows::end`] with the sums of the rows. The
/// whole register's CSV, JSON and Markdown are written this way, and so is a register printed
/// while the book is read.
#[derive(Debug)]
pub struct Rows {
    format: RowFormat,
    count: usize,
}

impl Rows {
    /// Write what comes before the rows.
    pub fn begin(
        format: RowFormat,
        out: &mut dyn std::fmt::Write,
    ) -> Result<Rows, std::fmt::Error> {
        match format {
            RowFormat::Csv => out.write_str(&csv_line::line(&CSV_HEADER.map(Cell::Value)))?,
            RowFormat::Json => out.write_str("{\n  \"rows\": [")?,
            RowFormat::Md => out.write_str(
                "| date | client | kind | description | tags | logged | debited | amount | balance |\n\
                 |---|---|---|---|---|--:|--:|--:|--:|\n",
            )?,
        }
        Ok(Rows { format, count: 0 })
    }

    /// Write the next row, whose text [`row`] made.
    pub fn put(&mut self, row: &str, out: &mut dyn std::fmt::Write) -> std::fmt::Result {
        if self.format == RowFormat::Json {
            out.write_str(if self.count == 0 { "\n" } else { ",\n" })?;
        }
        self.count += 1;
        out.write_str(row)
    }

    /// Write what comes after the rows: the total row of `totals`, the sums of the rows put.
    pub fn end(&self, totals: &RegisterTotals, out: &mut dyn std::fmt::Write) -> std::fmt::Result {
        match self.format {
            RowFormat::Csv => Ok(()),
            RowFormat::Json => {
                out.write_str(if self.count == 0 { "]" } else { "\n  ]" })?;
                let amounts = (totals.amounts.iter())
                    .map(|(c, a)| (c.code().to_string(), c.format(*a)))
                    .collect();
                let json = TotalsJson {
                    logged_minutes: minutes(totals.logged),
                    debited_minutes: minutes(totals.debited),
                    amounts,
                };
                let text = serde_json::to_string_pretty(&json).unwrap_or_else(|_| "{}".to_string());
                out.write_str(",\n  \"totals\": ")?;
                out.write_str(&text.replace('\n', "\n  "))?;
                out.write_str("\n}\n")
            }
            RowFormat::Md => writeln!(
                out,
                "| **total** | | | {} | | {} | {} | {} | |",
                count(self.count),
                hmm(totals.logged),
                hmm(totals.debited),
                amounts(totals),
            ),
        }
    }
}

/// The whole register `reg` in `format`, written as [`Rows`] writes it.
fn written(format: RowFormat, reg: &Register) -> String {
    let mut out = String::new();
    let mut piece = String::new();
    if let Ok(mut rows) = Rows::begin(format, &mut out) {
        for r in &reg.rows {
            piece.clear();
            row(format, r, &mut piece);
            let _ = rows.put(&piece, &mut out);
        }
        let _ = rows.end(&reg.totals, &mut out);
    }
    out
}

/// `credits register --format json`.
#[must_use]
pub fn json(reg: &Register) -> String {
    written(RowFormat::Json, reg)
}

/// `credits register --format csv`: a header, one line per row (no total line: a sheet sums).
#[must_use]
pub fn csv(reg: &Register) -> String {
    written(RowFormat::Csv, reg)
}

/// `credits register --format md`: one Markdown table with its total row.
#[must_use]
pub fn md(reg: &Register) -> String {
    written(RowFormat::Md, reg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{self, Filter};
    use crate::testing::replay_str;

    /// `credits register --format json` as it was made before it was written a row at a
    /// time: the whole register serialised at once.
    fn json_whole(reg: &Register) -> String {
        #[derive(Serialize)]
        struct RegisterJson<'a> {
            rows: Vec<RowJson<'a>>,
            totals: TotalsJson,
        }
        let rows = (reg.rows.iter())
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
        let amounts = (reg.totals.amounts.iter())
            .map(|(c, a)| (c.code().to_string(), c.format(*a)))
            .collect();
        let totals = TotalsJson {
            logged_minutes: minutes(reg.totals.logged),
            debited_minutes: minutes(reg.totals.debited),
            amounts,
        };
        super::super::json::finish(&RegisterJson { rows, totals })
    }

    fn registers() -> Vec<Register> {
        let mut out = Vec::new();
        for (book, journal, today) in [
            (
                include_str!("../../journals/support/credits.toml"),
                include_str!("../../journals/support/support.credits"),
                "2026-06-30",
            ),
            (
                include_str!("../../journals/anytime/credits.toml"),
                concat!(
                    include_str!("../../journals/anytime/2026.credits"),
                    include_str!("../../journals/anytime/gallery.credits"),
                    include_str!("../../journals/anytime/outfitters.credits"),
                ),
                "2026-12-31",
            ),
            (
                "[book]\ncurrency = \"USD\"\n[policy]\nunit_price = \"100\"\n\
                 [clients.acme]\nname = \"Acme\"\n\
                 [clients.kyoto]\nname = \"Kyoto \\\"K\\\"\"\ncurrency = \"JPY\"\n",
                "2026-01-05 buy acme 10h\n2026-01-05 buy kyoto 2h @ 9000 \"Q\\\"1\\\\x\" #a #b\n\
                 2026-01-06 log kyoto 30m déjà vu\n2026-01-07 refund kyoto 2026-01-05 1h\n",
                "2026-01-31",
            ),
        ] {
            let (book, replay) = replay_str(book, journal, today);
            let to = today.parse().unwrap();
            let words = crate::render::words::event;
            let filter = Filter::default();
            out.push(report::register(
                &book, &replay, None, None, to, &filter, words,
            ));
            // No rows.
            let from = Some(to);
            let none = Filter {
                grep: Some("no event says this".into()),
                ..Filter::default()
            };
            out.push(report::register(
                &book, &replay, None, from, to, &none, words,
            ));
        }
        out
    }

    #[test]
    fn json_written_a_row_at_a_time_is_the_whole_register_serialised() {
        let regs = registers();
        assert!(regs.iter().any(|r| r.rows.len() > 20));
        assert!(regs.iter().any(|r| r.totals.amounts.len() > 1), "{regs:#?}");
        assert!(regs.iter().any(|r| r.rows.is_empty()));
        for reg in &regs {
            assert_eq!(json(reg), json_whole(reg));
        }
    }

    #[test]
    fn a_register_without_rows_still_has_its_header_and_total_row() {
        let reg = registers().into_iter().find(|r| r.rows.is_empty()).unwrap();
        assert_eq!(csv(&reg).lines().count(), 1);
        let md = md(&reg);
        assert_eq!(md.lines().count(), 3);
        assert!(
            md.ends_with("| **total** | | | 0 rows | | 0:00 | 0:00 |  | |\n"),
            "{md}"
        );
    }
}
