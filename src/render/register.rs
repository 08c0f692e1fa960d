//! `credits register` as text, JSON (`{"rows": [{"date", "client", "kind", "description",
//! "tags", "logged_minutes", "debited_minutes", "amount", "balance_minutes"}], "totals":
//! {"logged_minutes", "debited_minutes", "amounts": {CURRENCY: "..."}}}`), CSV and Markdown.

use super::csv_line::{self, Cell};
use super::text::money;
use super::text_table::{self, table};
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

/// A table of the rows (times as `h:mm`), then the total row.
#[must_use]
pub fn text(reg: &Register, layout: impl Into<super::text::Layout>) -> String {
    if reg.rows.is_empty() {
        return no_events(reg.from, reg.to);
    }
    let mut t = table(&TEXT_HEADER, &[5, 6, 7, 8], layout);
    for r in &reg.rows {
        t.add_row(text_cells(r).into());
    }
    t.add_row(total_cells(reg.rows.len(), &reg.totals).into());
    t.finish()
}

const TEXT_HEADER: [&str; 9] = [
    "date",
    "client",
    "kind",
    "description",
    "tags",
    "logged",
    "debited",
    "amount",
    "balance",
];

/// The text columns aligned right: the times and the money.
const TEXT_RIGHT: [bool; 9] = [false, false, false, false, false, true, true, true, true];

/// The cells of `r` in the text table.
fn text_cells(r: &RegisterRow) -> [String; 9] {
    [
        r.date.to_string(),
        r.client.clone(),
        r.kind.word().to_string(),
        r.description.clone(),
        tags(r),
        opt_hmm(r.logged),
        opt_hmm(r.debited),
        r.amount.map(|a| money(r.currency, a)).unwrap_or_default(),
        hmm(r.balance),
    ]
}

/// The cells of the text table's total row, of `rows` rows summed in `totals`.
fn total_cells(rows: usize, totals: &RegisterTotals) -> [String; 9] {
    [
        "total".to_string(),
        String::new(),
        String::new(),
        count(rows),
        String::new(),
        hmm(totals.logged),
        hmm(totals.debited),
        amounts(totals),
        String::new(),
    ]
}

/// The text of a register without rows.
#[must_use]
pub fn no_events(from: Option<chrono::NaiveDate>, to: chrono::NaiveDate) -> String {
    match from {
        Some(from) => format!("no events from {from} to {to}\n"),
        None => format!("no events through {to}\n"),
    }
}

/// The widths of the columns of a register as a plain text table (no width to fit, no
/// colour), measured a row at a time as its rows are made: what lets it be printed as the book
/// is read ([`RowFormat::Text`]). `None` once a cell cannot be laid out plainly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextWidths(Option<Vec<usize>>);

impl Default for TextWidths {
    fn default() -> TextWidths {
        TextWidths(Some(text_table::plain_widths(&TEXT_HEADER)))
    }
}

impl TextWidths {
    /// Widen the columns to `r`'s cells.
    pub fn add(&mut self, r: &RegisterRow) {
        let cells = text_cells(r);
        text_table::measure(&mut self.0, &cells.each_ref().map(String::as_str));
    }

    /// Widen the columns to `other`'s (measured on other rows).
    pub fn join(&mut self, other: &TextWidths) {
        self.0 = match (self.0.take(), &other.0) {
            (Some(a), Some(b)) => Some(a.iter().zip(b).map(|(x, y)| *x.max(y)).collect()),
            _ => None,
        };
    }

    /// The widths once the total row of `rows` rows summed in `totals` is measured too, or
    /// `None` when the table is not plain.
    #[must_use]
    pub fn finish(mut self, rows: usize, totals: &RegisterTotals) -> Option<Vec<usize>> {
        let cells = total_cells(rows, totals);
        text_table::measure(&mut self.0, &cells.each_ref().map(String::as_str));
        self.0
    }
}

/// The formats a register is written in a row at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowFormat<'w> {
    /// `--format csv`: a header, one line per row (no total line: a sheet sums).
    Csv,
    /// `--format json`: `{"rows": [...], "totals": {...}}`.
    Json,
    /// `--format md`: one Markdown table with its total row.
    Md,
    /// Text, a plain table (no width to fit, no colour) whose columns have these widths
    /// ([`TextWidths`]): the same text as [`text`]'s.
    Text(&'w [usize]),
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

impl RowJson<'_> {
    fn of(r: &RegisterRow) -> RowJson<'_> {
        RowJson {
            date: r.date.to_string(),
            client: &r.client,
            kind: r.kind.word(),
            description: &r.description,
            tags: &r.tags,
            logged_minutes: r.logged.map(minutes),
            debited_minutes: r.debited.map(minutes),
            amount: r.amount.map(|a| r.currency.format(a)),
            balance_minutes: minutes(r.balance),
        }
    }
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
pub fn row(format: RowFormat<'_>, r: &RegisterRow, out: &mut String) {
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
            let json = RowJson::of(r);
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
        RowFormat::Text(widths) => {
            let cells = text_cells(r);
            text_table::plain_line(widths, &TEXT_RIGHT, cells.iter().map(String::as_str), out);
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
pub struct Rows<'w> {
    format: RowFormat<'w>,
    count: usize,
}

impl<'w> Rows<'w> {
    /// Write what comes before the rows.
    pub fn begin(
        format: RowFormat<'w>,
        out: &mut dyn std::fmt::Write,
    ) -> Result<Rows<'w>, std::fmt::Error> {
        match format {
            RowFormat::Csv => out.write_str(&csv_line::line(&CSV_HEADER.map(Cell::Value)))?,
            RowFormat::Json => out.write_str("{\n  \"rows\": [")?,
            RowFormat::Md => out.write_str(
                "| date | client | kind | description | tags | logged | debited | amount | balance |\n\
                 |---|---|---|---|---|--:|--:|--:|--:|\n",
            )?,
            RowFormat::Text(widths) => {
                let mut head = String::new();
                text_table::plain_head(widths, &TEXT_RIGHT, &TEXT_HEADER, &mut head);
                out.write_str(&head)?;
            }
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
            RowFormat::Text(widths) => {
                let cells = total_cells(self.count, totals);
                let mut line = String::new();
                text_table::plain_line(
                    widths,
                    &TEXT_RIGHT,
                    cells.iter().map(String::as_str),
                    &mut line,
                );
                out.write_str(&line)
            }
        }
    }
}

/// The whole register `reg` in `format`, written as [`Rows`] writes it.
fn written(format: RowFormat<'_>, reg: &Register) -> String {
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
        let rows = reg.rows.iter().map(RowJson::of).collect();
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
