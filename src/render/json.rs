//! JSON output (`--format json`), exactly the keys and order of SPEC §6: quantities are
//! minutes as decimal strings, money is a string with the currency's decimals, `null` for none.

use super::minutes;
use crate::diagnostic::Diagnostic;
use crate::model::Currency;
use crate::report::{Balance, ClientBalance, ClientList, Statement};
use crate::source::SourceMap;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Serialize)]
struct BalanceJson<'a> {
    as_of: String,
    unit: &'a str,
    unit_minutes: String,
    clients: Vec<ClientJson<'a>>,
}

#[derive(Serialize)]
struct ClientJson<'a> {
    id: &'a str,
    name: &'a str,
    plan: Option<&'a str>,
    currency: &'a str,
    balance_minutes: String,
    pending_minutes: String,
    reserved_minutes: String,
    available_minutes: String,
    included_left_minutes: String,
    overage_minutes: String,
    value: String,
    lots: Vec<LotJson<'a>>,
    warnings: Vec<WarningJson>,
    forecast: ForecastJson,
}

/// The forecast (SPEC §8.6): minutes a month, and the day the time runs out.
#[derive(Serialize)]
struct ForecastJson {
    burn_minutes_per_month: String,
    runs_out: Option<String>,
}

fn forecast(f: &crate::report::Forecast) -> ForecastJson {
    ForecastJson {
        burn_minutes_per_month: minutes(f.burn_per_month),
        runs_out: f.runs_out.map(date),
    }
}

#[derive(Serialize)]
struct LotJson<'a> {
    #[serde(rename = "ref")]
    reference: Option<&'a str>,
    date: String,
    kind: &'static str,
    purchased_minutes: String,
    remaining_minutes: String,
    unit_price: Option<String>,
    expires: Option<String>,
}

#[derive(Serialize)]
struct WarningJson {
    kind: &'static str,
    date: Option<String>,
    minutes: String,
    message: String,
}

#[derive(Serialize)]
struct ClientsJson<'a> {
    clients: Vec<ClientLineJson<'a>>,
}

#[derive(Serialize)]
struct ClientLineJson<'a> {
    id: &'a str,
    name: &'a str,
    plan: Option<&'a str>,
    currency: &'a str,
    rate: Option<String>,
    email: Option<&'a str>,
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn money(c: Currency, amount: Decimal) -> String {
    c.format(amount)
}

/// The one writer of a JSON document: pretty, two spaces, a final newline. Every
/// `--format json` is a view struct of `render` (strings, numbers, `null`) written by it.
pub(super) fn finish<T: Serialize>(value: &T) -> String {
    // Serialising plain structs of strings cannot fail; an empty object is the fallback.
    let mut s = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

/// One client's object of `credits balance --format json` (of `b`): also a writing command's
/// `client`.
fn client_json<'a>(b: &Balance, c: &'a ClientBalance) -> ClientJson<'a> {
    ClientJson {
        id: &c.id,
        name: &c.name,
        plan: c.plan.as_deref(),
        currency: c.currency.code(),
        balance_minutes: minutes(c.balance),
        pending_minutes: minutes(c.pending),
        reserved_minutes: minutes(c.reserved),
        available_minutes: minutes(c.available),
        included_left_minutes: minutes(c.included_left),
        overage_minutes: minutes(c.overage),
        value: money(c.currency, c.value),
        lots: c
            .lots
            .iter()
            .map(|l| LotJson {
                reference: l.reference.as_deref(),
                date: date(l.date),
                kind: l.kind.word(),
                purchased_minutes: minutes(l.purchased),
                remaining_minutes: minutes(l.remaining),
                unit_price: l.unit_price.map(|p| money(c.currency, p)),
                expires: l.expires.map(date),
            })
            .collect(),
        warnings: c
            .warnings
            .iter()
            .map(|w| WarningJson {
                kind: w.kind.word(),
                date: w.date.map(date),
                minutes: minutes(w.minutes),
                message: super::words::warning(&b.unit, b.unit_minutes, w),
            })
            .collect(),
        forecast: forecast(&c.forecast),
    }
}

/// `credits balance --format json` (all clients, or one: same shape).
#[must_use]
pub fn balance(b: &Balance) -> String {
    finish(&BalanceJson {
        as_of: date(b.as_of),
        unit: &b.unit,
        unit_minutes: minutes(b.unit_minutes),
        clients: b.clients.iter().map(|c| client_json(b, c)).collect(),
    })
}

#[derive(Serialize)]
struct WrittenJson<'a> {
    entry: Option<&'a str>,
    file: Option<&'a str>,
    client: Option<ClientJson<'a>>,
}

/// A writing command's `--format json`: `{"entry", "file", "client"}`, the line appended, the
/// journal it went to (relative to the book's folder) and the client's object (the first of
/// `balance`) as `credits balance --format json` gives it.
#[must_use]
pub fn written(entry: &str, file: &str, balance: Option<&Balance>) -> String {
    finish(&WrittenJson {
        entry: Some(entry),
        file: Some(file),
        client: first_client(balance),
    })
}

/// The object of the first client of `balance`, if any.
fn first_client(balance: Option<&Balance>) -> Option<ClientJson<'_>> {
    let b = balance?;
    b.clients.first().map(|c| client_json(b, c))
}

#[derive(Serialize)]
struct UndoneJson<'a> {
    removed: &'a str,
    file: &'a str,
    client: Option<ClientJson<'a>>,
}

/// `credits undo --format json`: `{"removed", "file", "client"}`, the line taken back, the
/// journal it was in (relative to the book's folder) and the client's object after it (the
/// first of `balance`), as `credits balance --format json` gives it (`null` when the client
/// is gone from the book).
#[must_use]
pub fn undone(removed: &str, file: &str, balance: Option<&Balance>) -> String {
    finish(&UndoneJson {
        removed,
        file,
        client: first_client(balance),
    })
}

/// [`written`] when a writing command wrote nothing (`credits stop --cancel`): every key
/// `null`.
#[must_use]
pub fn nothing_written() -> String {
    finish(&WrittenJson {
        entry: None,
        file: None,
        client: None,
    })
}

#[derive(Serialize)]
struct CheckJson<'a> {
    ok: bool,
    problems: Vec<ProblemJson<'a>>,
}

#[derive(Serialize)]
struct ProblemJson<'a> {
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
}

/// `credits check --format json`: `{"ok", "problems"}`, every problem with its file (as the
/// text form names it), line and column (`null` for a problem of no place), `severity`
/// (`error` or `warning`), message and help. `ok` is false when any is an error.
#[must_use]
/// The problems come in groups, each with the files its spans point into.
pub fn check(groups: &[(&[Diagnostic], &SourceMap)]) -> String {
    let problems: Vec<ProblemJson<'_>> = groups
        .iter()
        .flat_map(|(problems, sources)| problems.iter().map(move |d| (d, *sources)))
        .map(|(d, sources)| {
            let place = d.span.and_then(|span| {
                let file = sources.files.get(span.file.0 as usize)?;
                let (line, column) = file.line_col(span.start);
                Some((file.name.as_str(), line, column))
            });
            ProblemJson {
                file: place.map(|p| p.0),
                line: place.map(|p| p.1),
                column: place.map(|p| p.2),
                severity: if d.is_error() { "error" } else { "warning" },
                message: &d.message,
                help: d.help.as_deref(),
            }
        })
        .collect();
    finish(&CheckJson {
        ok: !problems.iter().any(|p| p.severity == "error"),
        problems,
    })
}

/// `credits clients --format json`.
#[must_use]
pub fn clients(list: &ClientList) -> String {
    let clients = list
        .clients
        .iter()
        .map(|c| ClientLineJson {
            id: &c.id,
            name: &c.name,
            plan: c.plan.as_deref(),
            currency: c.currency.code(),
            rate: c.rate.map(|r| money(c.currency, r)),
            email: c.email.as_deref(),
        })
        .collect();
    finish(&ClientsJson { clients })
}

#[derive(Serialize)]
struct StatementJson<'a> {
    client: &'a str,
    from: String,
    to: String,
    opening_minutes: String,
    closing_minutes: String,
    pending_minutes: String,
    value: String,
    overage_minutes: String,
    overage_due: Option<String>,
    lines: Vec<StatementLineJson>,
    totals: TotalsJson,
    name: &'a str,
    currency: &'a str,
    expiring: Vec<ExpiringJson<'a>>,
    quotes: Vec<QuoteJson<'a>>,
    issuer: Option<IssuerJson<'a>>,
    issued: String,
    footer: Option<&'a [String]>,
    forecast: ForecastJson,
}

#[derive(Serialize)]
struct IssuerJson<'a> {
    lines: &'a [String],
    email: Option<&'a str>,
}

#[derive(Serialize)]
struct StatementLineJson {
    date: String,
    kind: &'static str,
    description: String,
    logged_minutes: Option<String>,
    debited_minutes: Option<String>,
    balance_minutes: String,
    amount: Option<String>,
    label: &'static str,
    invoiced: Option<String>,
}

#[derive(Serialize)]
struct TotalsJson {
    bought: String,
    granted: String,
    adjusted: String,
    debited: String,
    covered: String,
    expired: String,
    refunded: String,
    applied: String,
    overage: String,
}

#[derive(Serialize)]
struct ExpiringJson<'a> {
    #[serde(rename = "ref")]
    reference: Option<&'a str>,
    date: String,
    expires: String,
    remaining_minutes: String,
    value: String,
}

#[derive(Serialize)]
struct QuoteJson<'a> {
    id: &'a str,
    date: String,
    due: Option<String>,
    minutes: String,
    state: &'static str,
    description: &'a str,
}

#[derive(Serialize)]
struct StatementsJson<'a> {
    statements: Vec<StatementJson<'a>>,
}

fn statement_json(s: &Statement) -> StatementJson<'_> {
    let c = s.currency;
    let t = &s.totals;
    StatementJson {
        client: &s.client,
        from: date(s.from),
        to: date(s.to),
        opening_minutes: minutes(s.opening),
        closing_minutes: minutes(s.closing),
        pending_minutes: minutes(s.pending),
        value: money(c, s.value),
        overage_minutes: minutes(s.overage),
        overage_due: s.overage_due.map(|d| money(c, d)),
        lines: s
            .lines
            .iter()
            .map(|l| StatementLineJson {
                date: date(l.date),
                kind: l.kind.word(),
                description: super::words::describe(s, l),
                logged_minutes: l.logged.map(minutes),
                debited_minutes: l.debited.map(minutes),
                balance_minutes: minutes(l.balance),
                amount: l.amount.map(|a| super::words::signed_plain(c, a)),
                label: super::words::kind(l.kind),
                invoiced: l.invoiced.map(|a| money(c, a)),
            })
            .collect(),
        totals: TotalsJson {
            bought: minutes(t.bought),
            granted: minutes(t.granted),
            adjusted: minutes(t.adjusted),
            debited: minutes(t.debited),
            covered: minutes(t.covered),
            expired: minutes(t.expired),
            refunded: minutes(t.refunded),
            applied: minutes(t.applied),
            overage: minutes(t.overage),
        },
        name: &s.name,
        currency: s.currency.code(),
        expiring: s
            .expiring
            .iter()
            .map(|l| ExpiringJson {
                reference: l.reference.as_deref(),
                date: date(l.date),
                expires: date(l.expires),
                remaining_minutes: minutes(l.remaining),
                value: money(c, l.value),
            })
            .collect(),
        quotes: s
            .quotes
            .iter()
            .map(|q| QuoteJson {
                id: &q.id,
                date: date(q.date),
                due: q.due.map(date),
                minutes: minutes(q.minutes),
                state: if q.approved { "approved" } else { "pending" },
                description: &q.description,
            })
            .collect(),
        issuer: (!s.issuer.is_empty() || s.issuer_email.is_some()).then(|| IssuerJson {
            lines: &s.issuer,
            email: s.issuer_email.as_deref(),
        }),
        issued: date(s.issued),
        footer: (!s.footer.is_empty()).then_some(s.footer.as_slice()),
        forecast: forecast(&s.forecast),
    }
}

/// `credits statement CLIENT --format json` (SPEC §6, §7.13): the SPEC's keys, then `totals`,
/// then `name`, `currency`, `expiring`, `quotes` and `forecast`.
#[must_use]
pub fn statement(s: &Statement) -> String {
    finish(&statement_json(s))
}

/// `credits statement --all --format json`: `{"statements": [ … ]}`, one per client.
#[must_use]
pub fn statements(list: &[Statement]) -> String {
    finish(&StatementsJson {
        statements: list.iter().map(statement_json).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixture::sample;

    #[test]
    fn balance_json_is_the_spec_shape_with_money_strings() {
        let v: serde_json::Value = serde_json::from_str(&balance(&sample())).unwrap();
        let acme = &v["clients"][0];
        assert_eq!(v["as_of"], "2026-11-22");
        assert_eq!(acme["balance_minutes"], "420");
        assert_eq!(acme["available_minutes"], "405");
        assert_eq!(acme["value"], "840.00");
        assert_eq!(
            acme["lots"][0],
            serde_json::json!({ "ref": "INV-1041", "date": "2026-01-05", "kind": "purchase",
                "purchased_minutes": "600", "remaining_minutes": "420",
                "unit_price": "120.00", "expires": "2026-12-01" })
        );
        assert_eq!(
            acme["warnings"][0],
            serde_json::json!({ "kind": "expiring", "date": "2026-12-01", "minutes": "420",
                "message": "7 credits expire after 2026-12-01" })
        );
    }
}
