//! `credits export --to hledger|ledger|beancount|csv|json`: the export's transactions as a
//! journal those tools read, or as postings for scripts.
//!
//! Time is the commodity `MIN` (minutes, exact). A posting of minutes at a cost carries its
//! total cost, `@@ 1200 USD`, in all three tools (ledger records it as the lot's price).
//! Amounts are written exactly (no rounding), so every transaction balances to the cent
//! and beyond.

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

fn header(x: &Export, comment: &str) -> String {
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

fn plain_text(x: &Export, tool: Tool) -> String {
    let mut out = header(x, ";");
    for t in &x.transactions {
        out.push('\n');
        let desc = one_line(&t.description);
        let first = match tool {
            Tool::Hledger => format!("{} {} | {desc}", t.date, t.client),
            _ => format!("{} {}: {desc}", t.date, t.client),
        };
        let tail = t
            .reference
            .as_ref()
            .map_or_else(String::new, |r| format!("  ; ref:{}", one_line(r)));
        let _ = writeln!(out, "{first}{tail}");
        let _ = writeln!(out, "    ; kind:{}", t.kind);
        postings(&mut out, tool, t, "    ");
    }
    out
}

/// An hledger journal: `@@` total costs.
#[must_use]
pub fn hledger(x: &Export) -> String {
    plain_text(x, Tool::Hledger)
}

/// A ledger journal: the same transactions; ledger keeps each `@@` cost as the lot's price.
#[must_use]
pub fn ledger(x: &Export) -> String {
    plain_text(x, Tool::Ledger)
}

fn bean_string(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ");
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A beancount ledger: `open` directives for every account, then the transactions.
#[must_use]
pub fn beancount(x: &Export) -> String {
    let mut out = header(x, ";");
    let _ = writeln!(out, "\noption \"title\" {}", bean_string(&x.book));
    // Costs are exact, but beancount turns `@@` into a per-minute price with 28 digits.
    let _ = writeln!(out, "option \"inferred_tolerance_default\" \"*:0.000001\"");
    let mut currencies: Vec<&str> = x.transactions.iter().map(|t| t.currency.code()).collect();
    currencies.sort_unstable();
    currencies.dedup();
    for c in currencies {
        let _ = writeln!(out, "option \"operating_currency\" \"{c}\"");
    }
    let mut opens: BTreeMap<String, chrono::NaiveDate> = BTreeMap::new();
    for t in &x.transactions {
        for p in &t.postings {
            opens
                .entry(bean_path(p.account, &t.client))
                .or_insert(t.date);
        }
    }
    if !opens.is_empty() {
        out.push('\n');
    }
    for (account, date) in &opens {
        let _ = writeln!(out, "{date} open {account}");
    }
    for t in &x.transactions {
        out.push('\n');
        let _ = writeln!(
            out,
            "{} * {} {}",
            t.date,
            bean_string(&t.client),
            bean_string(&t.description)
        );
        let _ = writeln!(out, "  kind: {}", bean_string(t.kind));
        if let Some(r) = &t.reference {
            let _ = writeln!(out, "  ref: {}", bean_string(r));
        }
        postings(&mut out, Tool::Beancount, t, "  ");
    }
    out
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
    let mut out = csv_line::header(&[
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
    ]);
    for t in &x.transactions {
        let (date, kind) = (t.date.to_string(), t.kind.to_string());
        for p in &t.postings {
            let (q, commodity) = quantity(p, t.currency);
            let (account, cost) = (
                colon_path(p.account, &t.client),
                p.cost.map_or_else(String::new, num),
            );
            out.push_str(&csv_line::line(&[
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
    out
}

#[derive(Serialize)]
struct ExportJson<'a> {
    as_of: String,
    book: &'a str,
    commodity: &'static str,
    unit_minutes: String,
    transactions: Vec<TransactionJson<'a>>,
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
    let transactions = x
        .transactions
        .iter()
        .map(|t| TransactionJson {
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
        })
        .collect();
    let doc = ExportJson {
        as_of: x.as_of.to_string(),
        book: &x.book,
        commodity: COMMODITY,
        unit_minutes: num(x.unit_minutes),
        transactions,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
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
