//! `credits export hledger|ledger|beancount|csv|json`: the export's transactions as a
//! journal those tools read, or as postings for scripts.
//!
//! Time is the commodity `MIN` (minutes, exact). A posting of minutes at a cost carries its
//! total cost, `@@ 1200 USD`, in all three tools (ledger records it as the lot's price).
//! Amounts are written exactly (no rounding), so every transaction balances to the cent
//! and beyond.
//!
//! [`Writer`] writes any of them one transaction at a time, as they come, into any
//! `fmt::Write` (the command line's standard output, in chunks): an export is never held.
//! [`write`](fn@write) and the functions that return a `String` write the same text through it.

use super::csv_line::{self, Cell};
use crate::model::Currency;
use crate::report::export::{Account, COMMODITY, Export, Posting, Quantity, Transaction};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// An exact decimal, without trailing zeros or `-0`.
fn num(d: Decimal) -> String {
    let mut s = String::new();
    push_num(&mut s, d);
    s
}

/// [`num`], written at the end of `out`.
fn push_num(out: &mut String, d: Decimal) {
    let mut d = d.normalize();
    if d.is_zero() {
        d.set_sign_positive(true);
    }
    let _ = write!(out, "{d}");
}

/// A date as `YYYY-MM-DD` (chrono's form), written at the end of `out`.
fn push_date(out: &mut String, d: chrono::NaiveDate) {
    use chrono::Datelike as _;
    let (y, m, day) = (d.year(), d.month(), d.day());
    let digits = |out: &mut String, n: u32, width: u32| {
        for k in (0..width).rev() {
            out.push(char::from_digit(n / 10u32.pow(k) % 10, 10).unwrap_or('0'));
        }
    };
    match u32::try_from(y) {
        Ok(y) if y <= 9999 => {
            digits(out, y, 4);
            out.push('-');
            digits(out, m, 2);
            out.push('-');
            digits(out, day, 2);
        }
        _ => {
            let _ = write!(out, "{d}");
        }
    }
}

/// `hledger:acme` style path: `assets:prepaid:acme`.
#[cfg(test)]
fn colon_path(a: Account, client: &str) -> String {
    let mut s = String::new();
    push_colon_path(&mut s, a, client);
    s
}

/// `colon_path`, written at the end of `out`.
fn push_colon_path(out: &mut String, a: Account, client: &str) {
    let [top, mid] = a.path();
    out.push_str(top);
    out.push(':');
    out.push_str(mid);
    out.push(':');
    out.push_str(client);
}

/// Beancount wants capitalised components of letters, digits and `-`.
#[cfg(test)]
fn bean_path(a: Account, client: &str) -> String {
    let mut s = String::new();
    push_bean_path(&mut s, a, client);
    s
}

/// `bean_path`, written at the end of `out`.
fn push_bean_path(out: &mut String, a: Account, client: &str) {
    let [top, mid] = a.path();
    let cap = |out: &mut String, s: &mut dyn Iterator<Item = char>| {
        if let Some(f) = s.next() {
            out.extend(f.to_uppercase());
            out.extend(s);
        }
    };
    cap(out, &mut top.chars());
    out.push(':');
    cap(out, &mut mid.chars());
    out.push(':');
    cap(
        out,
        &mut client.chars().map(|c| if c == '_' { '-' } else { c }),
    );
}

/// How many characters [`push_bean_path`] or [`push_colon_path`] writes for `a`, for a
/// client of `chars` characters that starts with `first`.
fn path_width(tool: Tool, a: Account, first: Option<char>, chars: usize) -> usize {
    let [top, mid] = a.path();
    let client = match (tool, first) {
        (Tool::Beancount, Some(f)) => {
            let f = if f == '_' { '-' } else { f };
            chars - 1 + f.to_uppercase().count()
        }
        _ => chars,
    };
    top.chars().count() + mid.chars().count() + 2 + client
}

/// Descriptions on a transaction line: one line, and no `;` (a comment in hledger and ledger),
/// written at the end of `out`.
fn push_one_line(out: &mut String, s: &str) {
    if !s.contains(['\n', '\r', ';']) {
        out.push_str(s);
        return;
    }
    out.extend(s.chars().map(|c| match c {
        '\n' | '\r' => ' ',
        ';' => ',',
        c => c,
    }));
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tool {
    Hledger,
    Ledger,
    Beancount,
}

/// A posting's amount (`600 MIN @@ 1200 USD`), written at the end of `out`.
fn push_amount(out: &mut String, p: &Posting, currency: Currency) {
    let cur = currency.code();
    match (p.quantity, p.cost) {
        (Quantity::Minutes(m), cost) => {
            push_num(out, m);
            out.push(' ');
            out.push_str(COMMODITY);
            if let Some(c) = cost {
                out.push_str(" @@ ");
                push_num(out, c.abs());
                out.push(' ');
                out.push_str(cur);
            }
        }
        (Quantity::Money(v), _) => {
            push_num(out, v);
            out.push(' ');
            out.push_str(cur);
        }
    }
}

fn header(x: &Head<'_>, comment: &str) -> String {
    format!(
        "{comment} {} as of {}, exported by credits.\n\
         {comment} Time is in minutes (commodity {COMMODITY}; {} {COMMODITY} make one unit); money is in\n\
         {comment} each client's currency. assets:prepaid:CLIENT holds the balance, at the cost of its lots.\n",
        x.book,
        x.as_of,
        num(x.unit_minutes)
    )
}

/// The postings of `t`, one a line, their amounts aligned after the longest account.
fn postings(out: &mut String, tool: Tool, t: &Transaction, indent: &str) {
    let first = t.client.chars().next();
    let chars = t.client.chars().count();
    let width = t
        .postings
        .iter()
        .map(|p| path_width(tool, p.account, first, chars))
        .max()
        .unwrap_or(0);
    for p in &t.postings {
        out.push_str(indent);
        match tool {
            Tool::Beancount => push_bean_path(out, p.account, &t.client),
            _ => push_colon_path(out, p.account, &t.client),
        }
        let pad = width - path_width(tool, p.account, first, chars);
        out.extend(std::iter::repeat_n(' ', pad + 2));
        push_amount(out, p, t.currency);
        out.push('\n');
    }
}

/// What an export says before its transactions.
#[derive(Debug, Clone, Copy)]
pub struct Head<'a> {
    /// The book's name.
    pub book: &'a str,
    /// The date replayed through.
    pub as_of: chrono::NaiveDate,
    /// Minutes in one unit.
    pub unit_minutes: Decimal,
}

impl<'a> Head<'a> {
    /// The head of `x`.
    #[must_use]
    pub fn of(x: &'a Export) -> Head<'a> {
        Head {
            book: &x.book,
            as_of: x.as_of,
            unit_minutes: x.unit_minutes,
        }
    }
}

/// The formats an export is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// An hledger journal.
    Hledger,
    /// A ledger journal.
    Ledger,
    /// A beancount ledger.
    Beancount,
    /// One CSV line per posting.
    Csv,
    /// The transactions as JSON.
    Json,
}

/// Write the export in `target` to `out` as it goes, one transaction at a time, from
/// `transactions` (called once, or twice for beancount, whose `open` directives come
/// first): the same text as [`hledger`], [`ledger`], [`beancount`], [`csv`] and [`json`] of
/// the whole export, without holding it.
pub fn write<I, W>(
    target: Target,
    head: &Head<'_>,
    transactions: impl Fn() -> I,
    out: &mut W,
) -> std::fmt::Result
where
    I: Iterator<Item = Transaction>,
    W: std::fmt::Write,
{
    let opens = (target == Target::Beancount).then(|| {
        let mut opens = Opens::default();
        for t in transactions() {
            opens.add(&t);
        }
        opens
    });
    let mut writer = Writer::begin(target, head, opens.as_ref(), out)?;
    for t in transactions() {
        writer.transaction(&t, out)?;
    }
    writer.end(out)
}

/// What a beancount ledger opens before its transactions: the currencies, and each account
/// on the date of its first posting. Made by a first reading of the transactions.
#[derive(Debug, Clone, Default)]
pub struct Opens {
    codes: Vec<String>,
    accounts: BTreeMap<String, chrono::NaiveDate>,
    /// An account's path, written to be looked up.
    path: String,
}

impl Opens {
    /// Note what `t` needs opened (transactions come in date order).
    pub fn add(&mut self, t: &Transaction) {
        let code = t.currency.code();
        if !self.codes.iter().any(|c| c == code) {
            self.codes.push(code.to_string());
        }
        for p in &t.postings {
            self.path.clear();
            push_bean_path(&mut self.path, p.account, &t.client);
            if !self.accounts.contains_key(&self.path) {
                self.accounts.insert(self.path.clone(), t.date);
            }
        }
    }
}

impl Opens {
    /// Add what `other` opens, noted from other clients' transactions.
    pub fn join(&mut self, other: Opens) {
        for code in other.codes {
            if !self.codes.contains(&code) {
                self.codes.push(code);
            }
        }
        for (path, date) in other.accounts {
            let first = self.accounts.entry(path).or_insert(date);
            *first = (*first).min(date);
        }
    }
}

/// An export written one transaction at a time ([`Writer::begin`], then
/// [`Writer::transaction`] for each, then [`Writer::end`]): the text [`write`](fn@write) writes.
#[derive(Debug)]
pub struct Writer {
    target: Target,
    /// A transaction was written (JSON separates them with commas).
    any: bool,
    /// One transaction's text.
    text: String,
    pieces: Pieces,
}

/// Writes the text of one transaction after another, without what separates them (JSON's
/// commas): a piece of an export that a [`Writer`] puts in place ([`Writer::put`]). Pieces
/// can be written on other threads than the writer's.
#[derive(Debug)]
pub struct Pieces {
    target: Target,
    /// The cells of a CSV line that are written, not borrowed.
    cells: [String; 4],
}

impl Pieces {
    /// Pieces of an export in `target`.
    #[must_use]
    pub fn new(target: Target) -> Pieces {
        Pieces {
            target,
            cells: Default::default(),
        }
    }

    /// Write the text of `t` at the end of `out`.
    pub fn write(&mut self, t: &Transaction, out: &mut String) {
        match self.target {
            Target::Hledger => plain_text(out, t, Tool::Hledger),
            Target::Ledger => plain_text(out, t, Tool::Ledger),
            Target::Beancount => bean_transaction(out, t),
            Target::Csv => csv_transaction(out, t, &mut self.cells),
            Target::Json => json_transaction(out, t),
        }
    }
}

impl Writer {
    /// Write what comes before the transactions; a beancount ledger needs its [`Opens`]
    /// (none: nothing opened).
    ///
    /// # Errors
    ///
    /// When `out` fails.
    pub fn begin(
        target: Target,
        head: &Head<'_>,
        opens: Option<&Opens>,
        out: &mut impl std::fmt::Write,
    ) -> Result<Writer, std::fmt::Error> {
        match target {
            Target::Hledger | Target::Ledger => out.write_str(&header(head, ";"))?,
            Target::Beancount => {
                out.write_str(&beancount_head(head, opens.unwrap_or(&Opens::default())))?;
            }
            Target::Csv => out.write_str(&csv_line::header(&[
                "date",
                "client",
                "kind",
                "description",
                "ref",
                "account",
                "quantity",
                "commodity",
                "cost",
                "currency",
            ]))?,
            Target::Json => write!(
                out,
                "{{\n  \"as_of\": {},\n  \"book\": {},\n  \"commodity\": {},\n  \"unit_minutes\": {},\n  \"transactions\": [",
                json_string(&head.as_of.to_string()),
                json_string(head.book),
                json_string(COMMODITY),
                json_string(&num(head.unit_minutes)),
            )?,
        }
        Ok(Writer {
            target,
            any: false,
            text: String::new(),
            pieces: Pieces::new(target),
        })
    }

    /// Write one transaction.
    ///
    /// # Errors
    ///
    /// When `out` fails.
    pub fn transaction(
        &mut self,
        t: &Transaction,
        out: &mut impl std::fmt::Write,
    ) -> std::fmt::Result {
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        self.pieces.write(t, &mut text);
        let put = self.put(&text, out);
        self.text = text;
        put
    }

    /// Write the text [`Pieces::write`] wrote of one transaction, as [`Writer::transaction`]
    /// would write the transaction.
    ///
    /// # Errors
    ///
    /// When `out` fails.
    pub fn put(&mut self, piece: &str, out: &mut impl std::fmt::Write) -> std::fmt::Result {
        if self.target == Target::Json {
            out.write_str(if self.any { ",\n" } else { "\n" })?;
        }
        self.any = true;
        out.write_str(piece)
    }

    /// Write what comes after the transactions.
    ///
    /// # Errors
    ///
    /// When `out` fails.
    pub fn end(self, out: &mut impl std::fmt::Write) -> std::fmt::Result {
        match self.target {
            Target::Json => out.write_str(if self.any { "\n  ]\n}\n" } else { "]\n}\n" }),
            _ => Ok(()),
        }
    }
}

/// The whole text of `x` in `target`.
fn whole(x: &Export, target: Target) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write(
        target,
        &Head::of(x),
        || x.transactions.iter().cloned(),
        &mut out,
    );
    out
}

fn plain_text(text: &mut String, t: &Transaction, tool: Tool) {
    text.push('\n');
    push_date(text, t.date);
    text.push(' ');
    text.push_str(&t.client);
    text.push_str(if tool == Tool::Hledger { " | " } else { ": " });
    push_one_line(text, &t.description);
    if let Some(r) = &t.reference {
        text.push_str("  ; ref:");
        push_one_line(text, r);
    }
    text.push_str("\n    ; kind:");
    text.push_str(t.kind);
    text.push('\n');
    postings(text, tool, t, "    ");
}

/// An hledger journal: `@@` total costs.
#[must_use]
pub fn hledger(x: &Export) -> String {
    whole(x, Target::Hledger)
}

/// A ledger journal: the same transactions; ledger keeps each `@@` cost as the lot's price.
#[must_use]
pub fn ledger(x: &Export) -> String {
    whole(x, Target::Ledger)
}

fn bean_string(s: &str) -> String {
    let mut out = String::new();
    push_bean_string(&mut out, s);
    out
}

/// [`bean_string`], written at the end of `out`: one line, quoted, `\\` and `"` escaped.
fn push_bean_string(out: &mut String, s: &str) {
    out.push('"');
    if s.contains(['\n', '\r', '\\', '"']) {
        for c in s.chars() {
            match c {
                '\n' | '\r' => out.push(' '),
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                c => out.push(c),
            }
        }
    } else {
        out.push_str(s);
    }
    out.push('"');
}

/// A beancount ledger: `open` directives for every account, then the transactions.
#[must_use]
pub fn beancount(x: &Export) -> String {
    whole(x, Target::Beancount)
}

/// What a beancount ledger says before its transactions: options, currencies, `open`s.
fn beancount_head(head: &Head<'_>, opens: &Opens) -> String {
    let mut text = header(head, ";");
    let _ = writeln!(text, "\noption \"title\" {}", bean_string(head.book));
    // Costs are exact, but beancount turns `@@` into a per-minute price with 28 digits.
    let _ = writeln!(text, "option \"inferred_tolerance_default\" \"*:0.000001\"");
    let mut codes = opens.codes.clone();
    codes.sort_unstable();
    for c in codes {
        let _ = writeln!(text, "option \"operating_currency\" \"{c}\"");
    }
    if !opens.accounts.is_empty() {
        text.push('\n');
    }
    for (account, date) in &opens.accounts {
        let _ = writeln!(text, "{date} open {account}");
    }
    text
}

fn bean_transaction(text: &mut String, t: &Transaction) {
    text.push('\n');
    push_date(text, t.date);
    text.push_str(" * ");
    push_bean_string(text, &t.client);
    text.push(' ');
    push_bean_string(text, &t.description);
    text.push_str("\n  kind: ");
    push_bean_string(text, t.kind);
    text.push('\n');
    if let Some(r) = &t.reference {
        text.push_str("  ref: ");
        push_bean_string(text, r);
        text.push('\n');
    }
    postings(text, Tool::Beancount, t, "  ");
}

/// A posting's quantity, written at the end of `out`, and its commodity: minutes in `MIN`,
/// money in the client's currency.
fn push_quantity<'c>(out: &mut String, p: &Posting, currency: &'c Currency) -> &'c str {
    match p.quantity {
        Quantity::Minutes(m) => {
            push_num(out, m);
            COMMODITY
        }
        Quantity::Money(v) => {
            push_num(out, v);
            currency.code()
        }
    }
}

/// One CSV line per posting: `date,client,kind,description,ref,account,quantity,commodity,cost`
/// (`cost` in the client's currency, for minutes at a cost).
#[must_use]
pub fn csv(x: &Export) -> String {
    whole(x, Target::Csv)
}

fn csv_transaction(text: &mut String, t: &Transaction, cells: &mut [String; 4]) {
    let [date, quantity, account, cost] = cells;
    date.clear();
    push_date(date, t.date);
    for p in &t.postings {
        quantity.clear();
        account.clear();
        cost.clear();
        let commodity = push_quantity(quantity, p, &t.currency);
        push_colon_path(account, p.account, &t.client);
        if let Some(c) = p.cost {
            push_num(cost, c);
        }
        csv_line::push_line(
            text,
            &[
                Cell::Value(date),
                Cell::Text(&t.client),
                Cell::Value(t.kind),
                Cell::Text(&t.description),
                Cell::Text(t.reference.as_deref().unwrap_or_default()),
                Cell::Text(account),
                Cell::Value(quantity),
                Cell::Value(commodity),
                Cell::Value(cost),
                Cell::Value(t.currency.code()),
            ],
        );
    }
}

/// The transactions as JSON: quantities and costs are exact decimal strings.
#[must_use]
pub fn json(x: &Export) -> String {
    whole(x, Target::Json)
}

/// A JSON string, quoted and escaped.
fn json_string(s: &str) -> String {
    let mut out = String::new();
    push_json_string(&mut out, s);
    out
}

/// [`json_string`], written at the end of `out`: `serde_json`'s quoting.
fn push_json_string(out: &mut String, s: &str) {
    if s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string()));
    } else {
        out.push('"');
        out.push_str(s);
        out.push('"');
    }
}

/// One transaction of the document `serde_json::to_string_pretty` writes for `{as_of, book,
/// commodity, unit_minutes, transactions: [...]}`: its pretty object, indented two levels
/// (the comma before it is the [`Writer`]'s).
fn json_transaction(text: &mut String, t: &Transaction) {
    text.push_str("    {\n      \"date\": \"");
    push_date(text, t.date);
    text.push_str("\",\n      \"client\": ");
    push_json_string(text, &t.client);
    text.push_str(",\n      \"kind\": ");
    push_json_string(text, t.kind);
    text.push_str(",\n      \"description\": ");
    push_json_string(text, &t.description);
    text.push_str(",\n      \"ref\": ");
    match &t.reference {
        Some(r) => push_json_string(text, r),
        None => text.push_str("null"),
    }
    text.push_str(",\n      \"currency\": ");
    push_json_string(text, t.currency.code());
    text.push_str(",\n      \"postings\": [");
    for (k, p) in t.postings.iter().enumerate() {
        text.push_str(if k > 0 { ",\n" } else { "\n" });
        text.push_str("        {\n          \"account\": ");
        let start = text.len();
        push_colon_path(text, p.account, &t.client);
        if text[start..]
            .bytes()
            .any(|b| b < 0x20 || b == b'"' || b == b'\\')
        {
            let account = text.split_off(start);
            push_json_string(text, &account);
        } else {
            text.insert(start, '"');
            text.push('"');
        }
        text.push_str(",\n          \"quantity\": \"");
        let commodity = push_quantity(text, p, &t.currency);
        text.push_str("\",\n          \"commodity\": ");
        push_json_string(text, commodity);
        text.push_str(",\n          \"cost\": ");
        match p.cost {
            Some(c) => {
                text.push('"');
                push_num(text, c);
                text.push('"');
            }
            None => text.push_str("null"),
        }
        text.push_str("\n        }");
    }
    text.push_str(if t.postings.is_empty() {
        "]"
    } else {
        "\n      ]"
    });
    text.push_str("\n    }");
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The text of one transaction as the export wrote it with `format!` and `serde_json`,
    /// before it was written in place: the oracle of the byte-for-byte tests below.
    mod formatted {
        use super::super::{COMMODITY, Tool, Transaction, bean_path, csv_line, num};
        use crate::model::Currency;
        use crate::report::export::{Account, Posting, Quantity};
        use serde::Serialize;
        use std::fmt::Write as _;

        fn colon_path(a: Account, client: &str) -> String {
            let [top, mid] = a.path();
            format!("{top}:{mid}:{client}")
        }

        fn one_line(s: &str) -> String {
            s.replace(['\n', '\r'], " ").replace(';', ",")
        }

        fn amount(p: &Posting, currency: Currency) -> String {
            let cur = currency.code();
            match (p.quantity, p.cost) {
                (Quantity::Minutes(m), None) => format!("{} {COMMODITY}", num(m)),
                (Quantity::Minutes(m), Some(c)) => {
                    format!("{} {COMMODITY} @@ {} {cur}", num(m), num(c.abs()))
                }
                (Quantity::Money(v), _) => format!("{} {cur}", num(v)),
            }
        }

        fn postings(out: &mut String, tool: Tool, t: &Transaction, indent: &str) {
            let paths: Vec<String> = t
                .postings
                .iter()
                .map(|p| match tool {
                    Tool::Beancount => bean_path(p.account, &t.client),
                    _ => colon_path(p.account, &t.client),
                })
                .collect();
            let width = paths.iter().map(|p| p.chars().count()).max().unwrap_or(0);
            for (p, path) in t.postings.iter().zip(&paths) {
                let _ = writeln!(out, "{indent}{path:<width$}  {}", amount(p, t.currency));
            }
        }

        pub fn plain_text(text: &mut String, t: &Transaction, tool: Tool) {
            text.push('\n');
            let desc = one_line(&t.description);
            let first = match tool {
                Tool::Hledger => format!("{} {} | {desc}", t.date, t.client),
                _ => format!("{} {}: {desc}", t.date, t.client),
            };
            let tail = t
                .reference
                .as_ref()
                .map_or_else(String::new, |r| format!("  ; ref:{}", one_line(r)));
            let _ = writeln!(text, "{first}{tail}");
            let _ = writeln!(text, "    ; kind:{}", t.kind);
            postings(text, tool, t, "    ");
        }

        fn bean_string(s: &str) -> String {
            let s = s.replace(['\n', '\r'], " ");
            format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
        }

        pub fn bean_transaction(text: &mut String, t: &Transaction) {
            text.push('\n');
            let _ = writeln!(
                text,
                "{} * {} {}",
                t.date,
                bean_string(&t.client),
                bean_string(&t.description)
            );
            let _ = writeln!(text, "  kind: {}", bean_string(t.kind));
            if let Some(r) = &t.reference {
                let _ = writeln!(text, "  ref: {}", bean_string(r));
            }
            postings(text, Tool::Beancount, t, "  ");
        }

        fn quantity(p: &Posting, currency: Currency) -> (String, String) {
            match p.quantity {
                Quantity::Minutes(m) => (num(m), COMMODITY.to_string()),
                Quantity::Money(v) => (num(v), currency.code().to_string()),
            }
        }

        pub fn csv_transaction(text: &mut String, t: &Transaction) {
            use csv_line::Cell;
            let (date, kind) = (t.date.to_string(), t.kind.to_string());
            for p in &t.postings {
                let (q, commodity) = quantity(p, t.currency);
                let (account, cost) = (
                    colon_path(p.account, &t.client),
                    p.cost.map_or_else(String::new, num),
                );
                let cells = [
                    Cell::Value(&date),
                    Cell::Text(&t.client),
                    Cell::Value(&kind),
                    Cell::Text(&t.description),
                    Cell::Text(t.reference.as_deref().unwrap_or_default()),
                    Cell::Text(&account),
                    Cell::Value(&q),
                    Cell::Value(&commodity),
                    Cell::Value(&cost),
                    Cell::Value(t.currency.code()),
                ];
                for (i, c) in cells.iter().enumerate() {
                    if i > 0 {
                        text.push(',');
                    }
                    let f = csv_line::neutral(*c);
                    if f.contains([',', '"', '\n', '\r']) {
                        let _ = write!(text, "\"{}\"", f.replace('"', "\"\""));
                    } else {
                        text.push_str(&f);
                    }
                }
                text.push('\n');
            }
        }

        #[derive(Serialize)]
        struct TransactionJson<'a> {
            date: String,
            client: &'a str,
            kind: &'a str,
            description: &'a str,
            #[serde(rename = "ref")]
            reference: Option<&'a str>,
            currency: &'a str,
            postings: Vec<PostingJson>,
        }

        #[derive(Serialize)]
        struct PostingJson {
            account: String,
            quantity: String,
            commodity: String,
            cost: Option<String>,
        }

        pub fn json_transaction(text: &mut String, t: &Transaction, after: bool) {
            let doc = TransactionJson {
                date: t.date.to_string(),
                client: &t.client,
                kind: t.kind,
                description: &t.description,
                reference: t.reference.as_deref(),
                currency: t.currency.code(),
                postings: t
                    .postings
                    .iter()
                    .map(|p| {
                        let (quantity, commodity) = quantity(p, t.currency);
                        PostingJson {
                            account: colon_path(p.account, &t.client),
                            quantity,
                            commodity,
                            cost: p.cost.map(num),
                        }
                    })
                    .collect(),
            };
            let pretty = serde_json::to_string_pretty(&doc).unwrap_or_default();
            text.push_str(if after { ",\n" } else { "\n" });
            for (k, line) in pretty.lines().enumerate() {
                if k > 0 {
                    text.push('\n');
                }
                text.push_str("    ");
                text.push_str(line);
            }
        }
    }

    fn accounts() -> impl Strategy<Value = Account> {
        prop_oneof![
            Just(Account::Prepaid),
            Just(Account::Sales),
            Just(Account::Granted),
            Just(Account::Consumed),
            Just(Account::OverageWorked),
            Just(Account::Receivable),
            Just(Account::Opening),
        ]
    }

    fn decimals() -> impl Strategy<Value = Decimal> {
        (any::<i64>(), 0u32..12, 0u8..3).prop_map(|(n, scale, size)| {
            let n = match size {
                0 => n % 1000,
                1 => n % 10_000_000,
                _ => n,
            };
            Decimal::new(n, scale)
        })
    }

    fn transactions() -> impl Strategy<Value = Transaction> {
        let text = "[a-z_ÿß;,\"\\\\=+\\-@\t\r\n\u{1}\u{7f}é ]{0,12}";
        let postings = prop::collection::vec(
            (
                accounts(),
                decimals(),
                any::<bool>(),
                prop::option::of(decimals()),
            )
                .prop_map(|(account, q, money, cost)| Posting {
                    account,
                    quantity: if money {
                        Quantity::Money(q)
                    } else {
                        Quantity::Minutes(q)
                    },
                    cost,
                }),
            0..5,
        );
        (
            -400_000i32..400_000,
            prop_oneof![
                Just("acme".to_string()),
                Just("rosa_bakery".to_string()),
                Just("ßtraße".to_string()),
                Just("_x".to_string()),
                "[a-zA-Z0-9_é,\"-]{1,8}",
            ],
            prop_oneof![Just("USD"), Just("JPY")],
            prop_oneof![Just("buy"), Just("log"), Just("opening")],
            text,
            prop::option::of(text),
            postings,
        )
            .prop_map(
                |(day, client, currency, kind, description, reference, postings)| Transaction {
                    date: chrono::NaiveDate::from_num_days_from_ce_opt(730_000 + day)
                        .unwrap_or_default(),
                    client,
                    currency: Currency::from_code(currency).unwrap_or(Currency(*b"USD")),
                    kind,
                    description,
                    reference,
                    postings,
                },
            )
    }

    proptest! {
        /// Written in place, every format's text of a transaction is the one `format!` and
        /// `serde_json` wrote, whatever its strings and numbers hold.
        #[test]
        fn transactions_are_written_as_they_were_formatted(
            ts in prop::collection::vec(transactions(), 1..4),
        ) {
            let head = Head {
                book: "Prop",
                as_of: chrono::NaiveDate::default(),
                unit_minutes: Decimal::ONE,
            };
            for target in [Target::Hledger, Target::Ledger, Target::Beancount, Target::Csv, Target::Json] {
                let (mut got, mut want) = (String::new(), String::new());
                let mut w = Writer::begin(target, &head, None, &mut got).unwrap();
                let _ = Writer::begin(target, &head, None, &mut want).unwrap();
                for (k, t) in ts.iter().enumerate() {
                    w.transaction(t, &mut got).unwrap();
                    match target {
                        Target::Hledger => formatted::plain_text(&mut want, t, Tool::Hledger),
                        Target::Ledger => formatted::plain_text(&mut want, t, Tool::Ledger),
                        Target::Beancount => formatted::bean_transaction(&mut want, t),
                        Target::Csv => formatted::csv_transaction(&mut want, t),
                        Target::Json => formatted::json_transaction(&mut want, t, k > 0),
                    }
                }
                prop_assert_eq!(got, want, "{:?}", target);
            }
        }
    }

    #[test]
    fn beancount_accounts_are_capitalised_and_have_no_underscores() {
        assert_eq!(
            bean_path(Account::Prepaid, "rosa_bakery"),
            "Assets:Prepaid:Rosa-bakery"
        );
        assert_eq!(bean_path(Account::Consumed, "3m"), "Expenses:Consumed:3m");
        assert_eq!(colon_path(Account::Sales, "acme"), "income:sales:acme");
    }

    #[test]
    fn numbers_are_exact_without_trailing_zeros() {
        assert_eq!(num("80.500000000000".parse().unwrap()), "80.5");
        assert_eq!(num("-0".parse().unwrap()), "0");
    }
}
