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
//! [`write`] and the functions that return a `String` write the same text through it.

use super::csv_line::{self, Cell};
use crate::model::Currency;
use crate::report::export::{Account, COMMODITY, Export, Posting, Quantity, Transaction};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// An exact decimal, without trailing zeros or `-0`.
fn num(d: Decimal) -> String {
    let mut d = d.normalize();
    if d.is_zero() {
        d.set_sign_positive(true);
    }
    d.to_string()
}

/// `hledger:acme` style path: `assets:prepaid:acme`.
fn colon_path(a: Account, client: &str) -> String {
    let [top, mid] = a.path();
    format!("{top}:{mid}:{client}")
}

/// Beancount wants capitalised components of letters, digits and `-`.
fn bean_path(a: Account, client: &str) -> String {
    let cap = |s: &str| {
        let mut c = s.chars();
        c.next().map_or_else(String::new, |f| {
            f.to_uppercase().chain(c).collect::<String>()
        })
    };
    let [top, mid] = a.path();
    let client: String = client
        .chars()
        .map(|c| if c == '_' { '-' } else { c })
        .collect();
    format!("{}:{}:{}", cap(top), cap(mid), cap(&client))
}

/// Descriptions on a transaction line: one line, and no `;` (a comment in hledger and ledger).
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ").replace(';', ",")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tool {
    Hledger,
    Ledger,
    Beancount,
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
    opens: BTreeMap<String, chrono::NaiveDate>,
}

impl Opens {
    /// Note what `t` needs opened (transactions come in date order).
    pub fn add(&mut self, t: &Transaction) {
        let code = t.currency.code();
        if !self.codes.iter().any(|c| c == code) {
            self.codes.push(code.to_string());
        }
        for p in &t.postings {
            let path = bean_path(p.account, &t.client);
            self.opens.entry(path).or_insert(t.date);
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
        for (path, date) in other.opens {
            let first = self.opens.entry(path).or_insert(date);
            *first = (*first).min(date);
        }
    }
}

/// An export written one transaction at a time ([`Writer::begin`], then
/// [`Writer::transaction`] for each, then [`Writer::end`]): the text [`write`] writes.
#[derive(Debug)]
pub struct Writer {
    target: Target,
    /// A transaction was written (JSON separates them with commas).
    any: bool,
    /// One transaction's text.
    text: String,
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
        self.text.clear();
        match self.target {
            Target::Hledger => plain_text(&mut self.text, t, Tool::Hledger),
            Target::Ledger => plain_text(&mut self.text, t, Tool::Ledger),
            Target::Beancount => bean_transaction(&mut self.text, t),
            Target::Csv => csv_transaction(&mut self.text, t),
            Target::Json => json_transaction(&mut self.text, t, self.any),
        }
        self.any = true;
        out.write_str(&self.text)
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
    let s = s.replace(['\n', '\r'], " ");
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
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
    if !opens.opens.is_empty() {
        text.push('\n');
    }
    for (account, date) in &opens.opens {
        let _ = writeln!(text, "{date} open {account}");
    }
    text
}

fn bean_transaction(text: &mut String, t: &Transaction) {
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

/// A posting's quantity and commodity: minutes in `MIN`, money in the client's currency.
fn quantity(p: &Posting, currency: Currency) -> (String, String) {
    match p.quantity {
        Quantity::Minutes(m) => (num(m), COMMODITY.to_string()),
        Quantity::Money(v) => (num(v), currency.code().to_string()),
    }
}

/// One CSV line per posting: `date,client,kind,description,ref,account,quantity,commodity,cost`
/// (`cost` in the client's currency, for minutes at a cost).
#[must_use]
pub fn csv(x: &Export) -> String {
    whole(x, Target::Csv)
}

fn csv_transaction(text: &mut String, t: &Transaction) {
    let (date, kind) = (t.date.to_string(), t.kind.to_string());
    for p in &t.postings {
        let (q, commodity) = quantity(p, t.currency);
        let (account, cost) = (
            colon_path(p.account, &t.client),
            p.cost.map_or_else(String::new, num),
        );
        text.push_str(&csv_line::line(&[
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
        ]));
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

/// The transactions as JSON: quantities and costs are exact decimal strings.
#[must_use]
pub fn json(x: &Export) -> String {
    whole(x, Target::Json)
}

/// A JSON string, quoted and escaped.
fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

/// One transaction of the document `serde_json::to_string_pretty` writes for `{as_of, book,
/// commodity, unit_minutes, transactions: [...]}`: its own pretty document, indented two
/// levels, after a comma when `after` (a transaction came before).
fn json_transaction(text: &mut String, t: &Transaction, after: bool) {
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
    let pretty = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    text.push_str(if after { ",\n" } else { "\n" });
    for (k, line) in pretty.lines().enumerate() {
        if k > 0 {
            text.push('\n');
        }
        text.push_str("    ");
        text.push_str(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
