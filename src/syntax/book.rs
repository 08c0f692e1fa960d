//! `credits.toml` → [`Book`]. Pure: takes the text and its `FileId`, never a path.
//!
//! Imports `source`, `diagnostic`, `model` and `syntax::value` only; no fs, no env.
//!
//! The text is read in three steps, so that every problem is reported at once and each at its
//! own `file:line:col`:
//! 1. toml parses it into a table that keeps the span of every key and value;
//! 2. a walk over that table reports every unknown key (with the nearest valid one) and drops it;
//! 3. each section (and each plan, package, task and client on its own) is deserialised with serde
//!    into `Raw*` structs that keep values as [`Spanned`] words, then every word goes through
//!    [`crate::syntax::value`].
//!
//! TOML floats are turned back into their text before serde sees them (`units = 2.5` is read as
//! the word `2.5`), so no float ever exists.

use crate::diagnostic::{self, Diagnostic};
use crate::model::{
    Book, Client, Currency, DebitPolicy, Expiry, ExpiryTier, GrantLapse, Minutes, Order, Overdraft,
    Package, Plan, Policy, PolicyOverride, Task,
};
use crate::source::{FileId, Span};
use crate::suggest;
use crate::syntax::value::{self, QtyForm, ValueError};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The book's name when `[book] name` is not written and no other default is given.
pub const DEFAULT_NAME: &str = "credits";

const TOP_KEYS: &[&str] = &["book", "policy", "plans", "packages", "tasks", "clients"];
const BOOK_KEYS: &[&str] = &["name", "unit", "unit_minutes", "currency", "journals"];
const POLICY_KEYS: &[&str] = &[
    "debit",
    "round_to",
    "order",
    "expires",
    "refund_days",
    "overdraft",
    "unit_price",
    "warn_days",
    "low_balance",
    "expiry_tiers",
];
const TIER_KEYS: &[&str] = &["from", "expires"];
const PLAN_KEYS: &[&str] = &["discount", "monthly", "monthly_expires", "covered"];
const PACKAGE_KEYS: &[&str] = &["units", "price"];
const TASK_KEYS: &[&str] = &["units", "title"];
const CLIENT_KEYS: &[&str] = &["name", "currency", "rate", "email", "dirs"];

/// Parse `credits.toml`. `[book] name` defaults to [`DEFAULT_NAME`].
pub fn parse(text: &str, file: FileId) -> Result<Book, Vec<Diagnostic>> {
    parse_named(text, file, DEFAULT_NAME)
}

/// Parse `credits.toml`, with `default_name` as the book's name when `[book] name` is not written
/// (`load` passes the book's folder name).
pub fn parse_named(text: &str, file: FileId, default_name: &str) -> Result<Book, Vec<Diagnostic>> {
    parse_book(text, file, default_name, true)
}

/// [`parse`] with `[book] currency` not required, for the tests whose books leave it out.
#[cfg(test)]
pub(crate) fn parse_without_currency(text: &str, file: FileId) -> Result<Book, Vec<Diagnostic>> {
    parse_book(text, file, DEFAULT_NAME, false)
}

/// [`parse_named`]; without `currency_required`, a book without `currency` bills in USD (for
/// the tests of other keys, whose books leave it out).
fn parse_book(
    text: &str,
    file: FileId,
    default_name: &str,
    currency_required: bool,
) -> Result<Book, Vec<Diagnostic>> {
    let mut cx = Cx {
        file,
        diags: Vec::new(),
        unit_minutes: Decimal::from(60),
        source: text.to_owned(),
        currency_required,
    };
    let root = match DeTable::parse(text) {
        Ok(root) => root,
        Err(e) => return Err(vec![cx.toml_error(&e)]),
    };
    let mut root = root.into_inner();
    for (_, v) in &mut root {
        floats_to_text(v.get_mut());
    }
    cx.drop_unknown(&mut root, TOP_KEYS, "the book", Some(top_level_help));

    let mut sections: BTreeMap<String, Spanned<DeValue<'_>>> = BTreeMap::new();
    for (k, v) in root {
        sections.insert(k.into_inner().into_owned(), v);
    }
    let mut take = |name: &str| sections.remove(name);

    let book_part = take("book").and_then(|v| cx.table(v, "[book]"));
    let has_book = book_part.is_some();
    let raw_book: RawBook = match book_part {
        Some((span, t)) => {
            let mut t = t;
            cx.drop_unknown(&mut t, BOOK_KEYS, "`[book]`", None);
            cx.de(span, t).unwrap_or_default()
        }
        None => RawBook::default(),
    };
    let mut book = cx.book(raw_book, default_name, has_book);
    cx.unit_minutes = book.unit_minutes;

    if let Some((span, mut t)) = take("policy").and_then(|v| cx.table(v, "[policy]")) {
        cx.check_policy_keys(&mut t, "[policy]", &[]);
        if let Some(raw) = cx.de::<RawPolicy>(span, t) {
            cx.policy(raw).apply_to(&mut book.policy);
        }
    }

    for (name, span, t) in cx.named_tables(take("plans"), "plans") {
        cx.name_word(&name, span.clone(), "plan");
        let mut t = t;
        let what = format!("[plans.{name}]");
        cx.check_policy_keys(&mut t, &what, PLAN_KEYS);
        let (policy_part, own_part) = split(t, POLICY_KEYS);
        let raw_policy = cx.de::<RawPolicy>(span.clone(), policy_part);
        let raw_plan = cx.de::<RawPlan>(span.clone(), own_part);
        if let (Some(rp), Some(plan)) = (raw_policy, raw_plan) {
            let policy = cx.policy(rp);
            let plan = cx.plan(name.clone(), plan, policy, cx.span(&span));
            book.plans.insert(name, plan);
        }
    }

    for (name, span, t) in cx.named_tables(take("packages"), "packages") {
        cx.name_word(&name, span.clone(), "package");
        let mut t = t;
        cx.drop_unknown(&mut t, PACKAGE_KEYS, &format!("`[packages.{name}]`"), None);
        if let Some(raw) = cx.de::<RawPackage>(span.clone(), t) {
            let minutes = cx.quantity(&raw.units, Need::Positive);
            let price = cx.money(&raw.price);
            if let (Some(minutes), Some(price)) = (minutes, price) {
                let span = cx.span(&span);
                book.packages.insert(
                    name.clone(),
                    Package {
                        name,
                        minutes,
                        price,
                        span,
                    },
                );
            }
        }
    }

    for (name, span, t) in cx.named_tables(take("tasks"), "tasks") {
        cx.name_word(&name, span.clone(), "task");
        let mut t = t;
        cx.drop_unknown(&mut t, TASK_KEYS, &format!("`[tasks.{name}]`"), None);
        if let Some(raw) = cx.de::<RawTask>(span, t) {
            let title = match raw.title {
                Some(t) => cx.text(&t, "title").unwrap_or_default(),
                None => name.clone(),
            };
            if let Some(minutes) = cx.quantity(&raw.units, Need::Positive) {
                book.tasks.insert(
                    name.clone(),
                    Task {
                        name,
                        minutes,
                        title,
                    },
                );
            }
        }
    }

    for (id, span, t) in cx.named_tables(take("clients"), "clients") {
        if let Err(e) = value::client_id(&id) {
            cx.value_error(span.clone(), e);
        }
        let mut t = t;
        let what = format!("[clients.{id}]");
        cx.check_policy_keys(&mut t, &what, CLIENT_KEYS);
        let (policy_part, own_part) = split(t, POLICY_KEYS);
        let raw_policy = cx.de::<RawPolicy>(span.clone(), policy_part);
        let raw_client = cx.de::<RawClient>(span.clone(), own_part);
        if let (Some(rp), Some(c)) = (raw_policy, raw_client) {
            let policy = cx.policy(rp);
            let client = cx.client(id.clone(), c, policy, cx.span(&span));
            book.clients.insert(id, client);
        }
    }

    if cx.diags.is_empty() {
        Ok(book)
    } else {
        diagnostic::sort(&mut cx.diags);
        Err(cx.diags)
    }
}

/// A scalar written as a string or an integer, kept as its text (`"15m"`, `60`, `"140"`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word(String);

impl<'de> Deserialize<'de> for Word {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Word, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Word;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a string")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Word, E> {
                Ok(Word(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Word, E> {
                Ok(Word(v.to_string()))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Word, E> {
                Ok(Word(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

type W = Spanned<Word>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBook {
    name: Option<Spanned<String>>,
    unit: Option<Spanned<String>>,
    unit_minutes: Option<W>,
    currency: Option<W>,
    journals: Option<Spanned<Vec<Spanned<String>>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPolicy {
    debit: Option<W>,
    round_to: Option<W>,
    order: Option<W>,
    expires: Option<W>,
    refund_days: Option<W>,
    overdraft: Option<W>,
    unit_price: Option<W>,
    warn_days: Option<W>,
    low_balance: Option<W>,
    expiry_tiers: Option<Vec<Spanned<RawTier>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTier {
    from: W,
    expires: W,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlan {
    discount: Option<W>,
    monthly: Option<W>,
    monthly_expires: Option<W>,
    covered: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPackage {
    units: W,
    price: W,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTask {
    units: W,
    title: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClient {
    name: Option<Spanned<String>>,
    currency: Option<W>,
    rate: Option<W>,
    email: Option<Spanned<String>>,
    dirs: Option<Vec<Spanned<String>>>,
}

/// Which quantities a key accepts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Need {
    /// More than zero (`units`, `monthly`).
    Positive,
    /// Zero or more (`from`, `low_balance`).
    ZeroOrMore,
}

/// The parse in progress: where we are and what went wrong so far.
struct Cx {
    file: FileId,
    diags: Vec<Diagnostic>,
    unit_minutes: Minutes,
    /// The book's text, to point at a character inside a string value.
    source: String,
    /// `[book] currency` must be written.
    currency_required: bool,
}

impl Cx {
    fn span(&self, r: &Range<usize>) -> Span {
        Span::new(self.file, r.start, r.end)
    }

    fn error(&mut self, r: &Range<usize>, message: impl Into<String>, help: Option<String>) {
        let mut d = Diagnostic::error(self.span(r), message);
        d.help = help;
        self.diags.push(d);
    }

    fn value_error(&mut self, r: Range<usize>, e: ValueError) {
        self.error(&r, e.message, e.help);
    }

    fn toml_error(&self, e: &toml::de::Error) -> Diagnostic {
        let r = e.span().unwrap_or(0..0);
        let msg = e.message().trim().trim_end_matches('.').to_owned();
        Diagnostic::error(self.span(&r), msg)
    }

    /// Deserialise one table; a type error is collected and gives `None`.
    fn de<'i, T: Deserialize<'i>>(&mut self, span: Range<usize>, table: DeTable<'i>) -> Option<T> {
        match T::deserialize(toml::de::Deserializer::from(Spanned::new(span, table))) {
            Ok(v) => Some(v),
            Err(e) => {
                let d = self.toml_error(&e);
                self.diags.push(d);
                None
            }
        }
    }

    /// The table behind a section, or an error when it is something else.
    fn table<'i>(
        &mut self,
        v: Spanned<DeValue<'i>>,
        what: &str,
    ) -> Option<(Range<usize>, DeTable<'i>)> {
        let span = v.span();
        match v.into_inner() {
            DeValue::Table(t) => Some((span, t)),
            other => {
                let msg = format!("`{what}` must be a table, not {}", other.type_str());
                self.error(&span, msg, None);
                None
            }
        }
    }

    /// The `NAME = { … }` tables of `[plans]`, `[packages]`, `[tasks]` or `[clients]`:
    /// `(name, span of the name, table)`.
    fn named_tables<'i>(
        &mut self,
        section: Option<Spanned<DeValue<'i>>>,
        what: &str,
    ) -> Vec<(String, Range<usize>, DeTable<'i>)> {
        let Some((_, t)) = section.and_then(|v| self.table(v, &format!("[{what}]"))) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, v) in t {
            let span = k.span();
            let name = k.into_inner().into_owned();
            if let Some((_, t)) = self.table(v, &format!("{what}.{name}")) {
                out.push((name, span, t));
            }
        }
        out
    }

    /// Report every key of `table` not in `allowed`, and remove it.
    fn drop_unknown(
        &mut self,
        table: &mut DeTable<'_>,
        allowed: &[&str],
        what: &str,
        extra_help: Option<fn(&str) -> Option<String>>,
    ) {
        let mut unknown = Vec::new();
        for (k, _) in table.iter() {
            if !allowed.contains(&k.get_ref().as_ref()) {
                unknown.push((k.get_ref().to_string(), k.span()));
            }
        }
        for (key, span) in unknown {
            let help = extra_help
                .and_then(|f| f(&key))
                .or_else(|| {
                    suggest::nearest(&key, allowed.iter().copied()).map(suggest::did_you_mean)
                })
                .or_else(|| Some(format!("valid keys are {}", list(allowed))));
            self.error(&span, format!("unknown key `{key}` in {what}"), help);
            table.remove(key.as_str());
        }
    }
}

impl Cx {
    /// Report unknown keys of a table that takes `own` keys plus every policy key, and of its
    /// `[[…expiry_tiers]]` rows.
    fn check_policy_keys(&mut self, table: &mut DeTable<'_>, what: &str, own: &[&str]) {
        let allowed: Vec<&str> = own.iter().chain(POLICY_KEYS).copied().collect();
        self.drop_unknown(table, &allowed, &format!("`{what}`"), None);
        if let Some(DeValue::Array(rows)) = table.get_mut("expiry_tiers").map(Spanned::get_mut) {
            let row_what = format!("`[[{}.expiry_tiers]]`", what.trim_matches(['[', ']']));
            for row in rows.iter_mut() {
                if let DeValue::Table(t) = row.get_mut() {
                    self.drop_unknown(t, TIER_KEYS, &row_what, None);
                }
            }
        }
    }

    /// A plan, package or task name: `[a-z0-9][a-z0-9_-]*`, and not a word the journal reads
    /// as something else (a quantity; `none` for plans).
    fn name_word(&mut self, name: &str, span: Range<usize>, kind: &str) {
        let b = name.as_bytes();
        let shape = b
            .first()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && b.iter()
                .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'_');
        if !shape {
            self.error(
                &span,
                format!("`{name}` is not a valid {kind} name"),
                Some("a name is lowercase letters, digits, `-` and `_`, starting with a letter or digit".into()),
            );
        } else if kind == "plan" && name == "none" {
            self.error(
                &span,
                "a plan may not be called `none`",
                Some("`plan CLIENT none` ends a plan: choose another name".into()),
            );
        } else if kind != "plan" && value::quantity(name, Decimal::ONE).is_ok() {
            self.error(
                &span,
                format!("the {kind} name `{name}` reads as a quantity"),
                Some("choose a name that is not a number or a duration".into()),
            );
        }
    }

    fn book(&mut self, raw: RawBook, default_name: &str, has_book: bool) -> Book {
        let name = raw
            .name
            .and_then(|n| self.text(&n, "name"))
            .unwrap_or_else(|| default_name.into());
        let unit = raw
            .unit
            .and_then(|u| self.text(&u, "unit"))
            .unwrap_or_else(|| "credit".into());
        let unit_minutes = raw
            .unit_minutes
            .and_then(|w| self.unit_minutes(&w))
            .unwrap_or(Decimal::from(60));
        if raw.currency.is_none() && self.currency_required {
            // Required: a bare amount in a journal is in this currency, and guessing one
            // would put a wrong currency on every such amount.
            let at = if has_book {
                self.header("[book]")
            } else {
                0..0
            };
            self.error(
                &at,
                "`[book]` has no `currency`",
                Some("add the code of the currency you bill in, such as `currency = \"USD\"`, under `[book]`".into()),
            );
        }
        let currency = raw
            .currency
            .and_then(|w| self.currency(&w))
            .or_else(|| Currency::from_code("USD"))
            .unwrap_or(Currency(*b"USD"));
        let journals = match raw.journals {
            None => vec![("journal.credits".to_owned(), Span::new(self.file, 0, 0))],
            Some(list) => self.journals(list),
        };
        Book {
            name,
            unit,
            unit_minutes,
            currency,
            journals,
            policy: Policy::default(),
            plans: BTreeMap::new(),
            packages: BTreeMap::new(),
            tasks: BTreeMap::new(),
            clients: BTreeMap::new(),
        }
    }

    /// A non-empty string on one line: it is shown in tables and statements, which a line
    /// break, a control character or a bidirectional control would break.
    fn text(&mut self, s: &Spanned<String>, key: &str) -> Option<String> {
        let t = s.get_ref().trim();
        if t.is_empty() {
            self.error(&s.span(), format!("`{key}` is empty"), None);
            return None;
        }
        if let Some(c) = t.chars().find(|&c| {
            c.is_control() || matches!(c, '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        }) {
            let span = s.span();
            // The character itself when it is written as it is, else the whole string (it is
            // written as an escape such as `\n`).
            let at = self
                .source
                .get(span.clone())
                .and_then(|raw| {
                    // A multi-line string drops the line break right after its opening quotes.
                    let skip = ["'''\r\n", "'''\n", "\"\"\"\r\n", "\"\"\"\n"]
                        .iter()
                        .find(|open| raw.starts_with(**open))
                        .map_or(0, |open| open.len());
                    raw.get(skip..)?.find(c).map(|i| i + skip)
                })
                .map_or(span.clone(), |i| {
                    span.start + i..span.start + i + c.len_utf8()
                });
            let (name, _) = super::journal::forbidden_name(c);
            self.error(
                &at,
                format!("`{key}` holds {name}"),
                Some(format!(
                    "write `{key}` on one line, without control characters: it is shown in tables"
                )),
            );
            return None;
        }
        Some(t.to_owned())
    }

    /// The span of the table header `name` (`[book]`) at the start of a line, else `0..0`.
    fn header(&self, name: &str) -> Range<usize> {
        self.source
            .match_indices(name)
            .map(|(i, _)| i)
            .find(|&i| {
                self.source[..i]
                    .rsplit('\n')
                    .next()
                    .is_some_and(|l| l.trim().is_empty())
            })
            .map_or(0..0, |i| i..i + name.len())
    }

    fn unit_minutes(&mut self, w: &W) -> Option<Minutes> {
        let s = w.get_ref().0.as_str();
        let m = value::number(s).or_else(|_| match value::quantity(s, Decimal::ONE) {
            Ok((m, QtyForm::Duration)) => Ok(m),
            _ => Err(()),
        });
        match m {
            Ok(m) if m > Decimal::ZERO => Some(m),
            Ok(_) => {
                self.error(&w.span(), "`unit_minutes` must be more than zero", None);
                None
            }
            Err(()) => {
                self.error(
                    &w.span(),
                    format!("`{s}` is not a number of minutes"),
                    Some("write the minutes in one unit, such as `unit_minutes = 60`".into()),
                );
                None
            }
        }
    }

    fn currency(&mut self, w: &W) -> Option<Currency> {
        let s = w.get_ref().0.as_str();
        let c = Currency::from_code(s);
        if c.is_none() {
            self.error(
                &w.span(),
                format!("`{s}` is not a currency code"),
                Some("write a three-letter ISO code in capitals, such as `USD`".into()),
            );
        }
        c
    }

    fn journals(&mut self, list: Spanned<Vec<Spanned<String>>>) -> Vec<(String, Span)> {
        let span = list.span();
        let list = list.into_inner();
        if list.is_empty() {
            self.error(
                &span,
                "`journals` is empty",
                Some("name the journal new entries go to, such as `journals = [\"journal.credits\"]`".into()),
            );
            return vec![("journal.credits".to_owned(), self.span(&span))];
        }
        let mut out = Vec::new();
        for (i, j) in list.into_iter().enumerate() {
            let r = j.span();
            let name = j.into_inner();
            if name.trim().is_empty() {
                self.error(&r, "a journal name is empty", None);
                continue;
            }
            // A plain file name in the book's folder: not a glob, not a path.
            if i == 0 && (name.contains(['*', '?', '[', '/', '\\']) || name == "." || name == "..")
            {
                self.error(
                    &r,
                    format!("the first journal `{name}` must be a plain file name"),
                    Some("new entries go to the first journal: put a file name such as `journal.credits` first".into()),
                );
            }
            out.push((name, self.span(&r)));
        }
        out
    }

    fn policy(&mut self, raw: RawPolicy) -> PolicyOverride {
        PolicyOverride {
            debit: raw.debit.and_then(|w| {
                self.choice(
                    &w,
                    "a debit policy",
                    &[
                        ("accumulate", DebitPolicy::Accumulate),
                        ("exact", DebitPolicy::Exact),
                        ("round-up", DebitPolicy::RoundUp),
                    ],
                )
            }),
            round_to: raw.round_to.and_then(|w| {
                let r = value::duration(&w.get_ref().0, self.unit_minutes, "round_to");
                self.ok(w.span(), r)
            }),
            order: raw.order.and_then(|w| {
                self.choice(
                    &w,
                    "a consumption order",
                    &[
                        ("fifo", Order::Fifo),
                        ("expiring-first", Order::ExpiringFirst),
                    ],
                )
            }),
            expires: raw.expires.and_then(|w| self.expiry(&w)),
            refund_days: raw.refund_days.and_then(|w| self.days(&w)),
            overdraft: raw.overdraft.and_then(|w| {
                self.choice(
                    &w,
                    "an overdraft policy",
                    &[
                        ("bill", Overdraft::Bill),
                        ("carry", Overdraft::Carry),
                        ("deny", Overdraft::Deny),
                    ],
                )
            }),
            unit_price: raw.unit_price.and_then(|w| self.money(&w)),
            warn_days: raw.warn_days.and_then(|w| self.days(&w)),
            low_balance: raw
                .low_balance
                .and_then(|w| self.quantity(&w, Need::ZeroOrMore)),
            expiry_tiers: raw.expiry_tiers.map(|rows| self.tiers(rows)),
        }
    }

    fn tiers(&mut self, rows: Vec<Spanned<RawTier>>) -> Vec<ExpiryTier> {
        let mut tiers: Vec<(ExpiryTier, Range<usize>)> = Vec::new();
        for row in rows {
            let from_span = row.get_ref().from.span();
            let row = row.into_inner();
            let from = self.quantity(&row.from, Need::ZeroOrMore);
            let expires = self.expiry(&row.expires);
            if let (Some(from), Some(expires)) = (from, expires) {
                if tiers.iter().any(|(t, _)| t.from == from) {
                    let msg = format!("two expiry tiers start at `{}`", row.from.get_ref().0);
                    self.error(&from_span, msg, None);
                } else {
                    tiers.push((ExpiryTier { from, expires }, from_span));
                }
            }
        }
        tiers.sort_by_key(|(t, _)| t.from);
        tiers.into_iter().map(|(t, _)| t).collect()
    }

    fn plan(&mut self, name: String, raw: RawPlan, policy: PolicyOverride, span: Span) -> Plan {
        let discount = raw
            .discount
            .and_then(|w| {
                let r = value::percent(&w.get_ref().0);
                self.ok(w.span(), r)
            })
            .unwrap_or(Decimal::ZERO);
        let monthly = raw.monthly.and_then(|w| self.quantity(&w, Need::Positive));
        let monthly_expires = raw
            .monthly_expires
            .and_then(|w| {
                let s = w.get_ref().0.as_str();
                if s == "month" {
                    return Some(GrantLapse::MonthEnd);
                }
                match value::span(s) {
                    Ok(sp) => Some(GrantLapse::Span(sp)),
                    Err(e) => {
                        let help = "write `month` or a span such as `90d`, `12mo`, `2y`".to_owned();
                        self.error(&w.span(), e.message, Some(help));
                        None
                    }
                }
            })
            .unwrap_or(GrantLapse::MonthEnd);
        let mut covered = Vec::new();
        for tag in raw.covered.unwrap_or_default() {
            let t = tag.get_ref().trim();
            let t = t.strip_prefix('#').unwrap_or(t);
            if t.is_empty() || t.contains(char::is_whitespace) {
                let msg = format!("`{}` is not a tag", tag.get_ref());
                let help = "write a tag without spaces, such as `support`".to_owned();
                self.error(&tag.span(), msg, Some(help));
            } else {
                covered.push(t.to_owned());
            }
        }
        Plan {
            name,
            discount,
            monthly,
            monthly_expires,
            covered,
            policy,
            span,
        }
    }

    fn client(&mut self, id: String, raw: RawClient, policy: PolicyOverride, span: Span) -> Client {
        let name = raw
            .name
            .and_then(|n| self.text(&n, "name"))
            .unwrap_or_else(|| id.clone());
        let currency = raw.currency.and_then(|w| self.currency(&w));
        let rate = raw.rate.and_then(|w| self.money(&w));
        let email = raw.email.and_then(|e| self.text(&e, "email"));
        let mut dirs = Vec::new();
        for d in raw.dirs.unwrap_or_default() {
            if let Some(d) = self.text(&d, "dirs") {
                dirs.push(d);
            }
        }
        Client {
            id,
            name,
            currency,
            rate,
            email,
            dirs,
            policy,
            span,
        }
    }

    fn ok<T>(&mut self, r: Range<usize>, v: Result<T, ValueError>) -> Option<T> {
        match v {
            Ok(v) => Some(v),
            Err(e) => {
                self.value_error(r, e);
                None
            }
        }
    }

    /// One of a few words: an error lists them all.
    fn choice<T: Copy>(&mut self, w: &W, what: &str, words: &[(&str, T)]) -> Option<T> {
        let s = w.get_ref().0.as_str();
        if let Some((_, v)) = words.iter().find(|(k, _)| *k == s) {
            return Some(*v);
        }
        let names: Vec<&str> = words.iter().map(|(k, _)| *k).collect();
        self.error(
            &w.span(),
            format!("`{s}` is not {what}"),
            Some(format!("write {}", list_or(&names))),
        );
        None
    }

    fn expiry(&mut self, w: &W) -> Option<Expiry> {
        let s = w.get_ref().0.as_str();
        if s == "never" {
            return Some(Expiry::Never);
        }
        match value::span(s) {
            Ok(sp) => Some(Expiry::Span(sp)),
            Err(e) => {
                let help = "write `never` or a span such as `90d`, `12mo`, `2y`".to_owned();
                self.error(&w.span(), e.message, Some(help));
                None
            }
        }
    }

    fn days(&mut self, w: &W) -> Option<u32> {
        let s = w.get_ref().0.as_str();
        match s.parse::<u32>() {
            Ok(n) if s.bytes().all(|c| c.is_ascii_digit()) => Some(n),
            _ => {
                let msg = format!("`{s}` is not a number of days");
                self.error(
                    &w.span(),
                    msg,
                    Some("write a whole number such as `30`".into()),
                );
                None
            }
        }
    }

    fn quantity(&mut self, w: &W, need: Need) -> Option<Minutes> {
        let s = w.get_ref().0.as_str();
        let r = match need {
            Need::Positive => value::positive_quantity(s, self.unit_minutes),
            Need::ZeroOrMore => value::quantity(s, self.unit_minutes).map(|(m, _)| m),
        };
        self.ok(w.span(), r)
    }

    fn money(&mut self, w: &W) -> Option<crate::model::Money> {
        let r = value::money_text(&w.get_ref().0);
        self.ok(w.span(), r)
    }
}

/// Split a table into the keys in `keys` and the others.
fn split<'i>(table: DeTable<'i>, keys: &[&str]) -> (DeTable<'i>, DeTable<'i>) {
    let mut inside = DeTable::new();
    let mut outside = DeTable::new();
    for (k, v) in table {
        if keys.contains(&k.get_ref().as_ref()) {
            inside.insert(k, v);
        } else {
            outside.insert(k, v);
        }
    }
    (inside, outside)
}

/// A top-level key that belongs in a section.
fn top_level_help(key: &str) -> Option<String> {
    if POLICY_KEYS.contains(&key) {
        Some(format!("write `{key}` under `[policy]`"))
    } else if BOOK_KEYS.contains(&key) {
        Some(format!("write `{key}` under `[book]`"))
    } else {
        None
    }
}

/// Floats become their text, so that `2.5` is read exactly and no float is ever made.
fn floats_to_text(v: &mut DeValue<'_>) {
    if let DeValue::Float(f) = v {
        let text = f.as_str().to_owned();
        *v = DeValue::String(Cow::Owned(text));
        return;
    }
    match v {
        DeValue::Array(a) => {
            for x in a.iter_mut() {
                floats_to_text(x.get_mut());
            }
        }
        DeValue::Table(t) => {
            for (_, x) in t.iter_mut() {
                floats_to_text(x.get_mut());
            }
        }
        _ => {}
    }
}

/// `` `a`, `b` and `c` ``.
fn list(words: &[&str]) -> String {
    join(words, "and")
}

/// `` `a`, `b` or `c` ``.
fn list_or(words: &[&str]) -> String {
    join(words, "or")
}

fn join(words: &[&str], last: &str) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((only, [])) => only.clone(),
        Some((end, rest)) => format!("{} {last} {end}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The book parser, with `[book] currency` not required: the books of these tests leave
    /// it out unless they test it (`currency_is_required_at_the_book_table`).
    fn parse(text: &str, file: FileId) -> Result<Book, Vec<Diagnostic>> {
        parse_book(text, file, DEFAULT_NAME, false)
    }
    use crate::model::{DateSpan, Money};
    use crate::source::SourceMap;

    const SPEC_BOOK: &str = r#"[book]
name = "Jane Doe Web Services"
unit = "credit"               # singular name used in output
unit_minutes = 60
currency = "USD"
journals = ["journal.credits"] # relative to this file; globs allowed; new entries go to the first

[policy]                      # defaults; a plan, then a client, may override any key
debit = "accumulate"          # accumulate | exact | round-up
round_to = "15m"              # round-up: what a log debits is rounded up to a multiple of this
order = "fifo"                # fifo | expiring-first
expires = "never"             # never | a span such as "90d", "12mo"
refund_days = 30              # unused credits of a lot refundable within this many days
overdraft = "bill"            # bill | carry | deny
unit_price = "140"            # price of one unit when a buy names no price and no package
warn_days = 30                # expiry warnings this far ahead
low_balance = "2h"            # warn when the balance falls below this

[[policy.expiry_tiers]]       # optional: expiry by quantity bought; largest `from` <= qty wins
from = "0h"
expires = "12mo"
[[policy.expiry_tiers]]
from = "40h"
expires = "24mo"

[plans.concierge]
discount = "30%"              # off package prices and unit_price
[plans.performance]
discount = "30%"
monthly = "3h"                # included time granted every month
monthly_expires = "month"     # "month" (lapses at month end) or a span such as "90d"
covered = ["support", "security", "updates"]   # logs with any of these tags are never debited

[packages]                    # `credits buy acme five`
single = { units = 1, price = "140" }
five   = { units = 5, price = "600" }

[tasks]                       # standard costs, for `debit` and `quote`
banner = { units = 1, title = "Design a new web banner" }
complex-plugin = { units = 2, title = "Install and test a complex plugin" }

[clients.acme]
name = "Acme Corp"
currency = "USD"
rate = "150"                  # standard hourly rate: overage is billed at it
email = "ops@acme.example"
dirs = ["~/work/acme-site"]   # `credits log 15m` run inside these folders logs for acme
"#;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    fn usd(n: i64) -> Money {
        Money {
            amount: d(n),
            currency: Currency::from_code("USD"),
        }
    }

    fn bare(n: i64) -> Money {
        Money {
            amount: d(n),
            currency: None,
        }
    }

    /// Where `needle` starts in `text`, as a span of its length.
    fn at(text: &str, needle: &str) -> Span {
        let i = text.find(needle).unwrap();
        Span::new(FileId(0), i, i + needle.len())
    }

    /// The first word of `needle`, found in `text`, as a span.
    fn word(text: &str, needle: &str) -> Span {
        let i = text.find(needle).unwrap();
        let len = needle.find([' ', ']']).unwrap_or(needle.len());
        Span::new(FileId(0), i, i + len)
    }

    fn ok(text: &str) -> Book {
        match parse(text, FileId(0)) {
            Ok(b) => b,
            Err(e) => panic!("{e:?}"),
        }
    }

    /// Every problem as `(line, col, message, help)`.
    fn errors(text: &str) -> Vec<(usize, usize, String, Option<String>)> {
        let diags = parse(text, FileId(0)).expect_err("the book should be refused");
        let mut map = SourceMap::default();
        map.add("credits.toml".into(), text.into());
        diags
            .into_iter()
            .map(|d| {
                let (line, col) = map.line_col(d.span.unwrap());
                (line, col, d.message, d.help)
            })
            .collect()
    }

    /// The single problem of `text`, as `(line, col, message)`.
    fn error(text: &str) -> (usize, usize, String) {
        let e = errors(text);
        assert_eq!(e.len(), 1, "{e:?}");
        let (l, c, m, _) = e.into_iter().next().unwrap();
        (l, c, m)
    }

    fn help(text: &str) -> Option<String> {
        errors(text).into_iter().next().unwrap().3
    }

    #[test]
    fn the_spec_example_book_is_read_in_full() {
        let t = SPEC_BOOK;
        let plan_policy = PolicyOverride::default();
        let want = Book {
            name: "Jane Doe Web Services".into(),
            unit: "credit".into(),
            unit_minutes: d(60),
            currency: Currency(*b"USD"),
            journals: vec![("journal.credits".into(), at(t, "\"journal.credits\""))],
            policy: Policy {
                unit_price: Some(bare(140)),
                low_balance: Some(d(120)),
                expiry_tiers: vec![
                    ExpiryTier {
                        from: d(0),
                        expires: Expiry::Span(DateSpan::Months(12)),
                    },
                    ExpiryTier {
                        from: d(2400),
                        expires: Expiry::Span(DateSpan::Months(24)),
                    },
                ],
                ..Policy::default()
            },
            plans: BTreeMap::from([
                (
                    "concierge".into(),
                    Plan {
                        name: "concierge".into(),
                        discount: Decimal::new(30, 2),
                        monthly: None,
                        monthly_expires: GrantLapse::MonthEnd,
                        covered: vec![],
                        policy: plan_policy.clone(),
                        span: at(t, "concierge"),
                    },
                ),
                (
                    "performance".into(),
                    Plan {
                        name: "performance".into(),
                        discount: Decimal::new(30, 2),
                        monthly: Some(d(180)),
                        monthly_expires: GrantLapse::MonthEnd,
                        covered: vec!["support".into(), "security".into(), "updates".into()],
                        policy: plan_policy,
                        span: at(t, "performance"),
                    },
                ),
            ]),
            packages: BTreeMap::from([
                (
                    "single".into(),
                    Package {
                        name: "single".into(),
                        minutes: d(60),
                        price: bare(140),
                        span: word(t, "single ="),
                    },
                ),
                (
                    "five".into(),
                    Package {
                        name: "five".into(),
                        minutes: d(300),
                        price: bare(600),
                        span: word(t, "five "),
                    },
                ),
            ]),
            tasks: BTreeMap::from([
                (
                    "banner".into(),
                    Task {
                        name: "banner".into(),
                        minutes: d(60),
                        title: "Design a new web banner".into(),
                    },
                ),
                (
                    "complex-plugin".into(),
                    Task {
                        name: "complex-plugin".into(),
                        minutes: d(120),
                        title: "Install and test a complex plugin".into(),
                    },
                ),
            ]),
            clients: BTreeMap::from([(
                "acme".into(),
                Client {
                    id: "acme".into(),
                    name: "Acme Corp".into(),
                    currency: Currency::from_code("USD"),
                    rate: Some(bare(150)),
                    email: Some("ops@acme.example".into()),
                    dirs: vec!["~/work/acme-site".into()],
                    policy: PolicyOverride::default(),
                    span: word(t, "acme]"),
                },
            )]),
        };
        let got = ok(t);
        assert_eq!(got, want);
    }

    #[test]
    fn currency_is_required_at_the_book_table() {
        let cases: [(&str, (usize, usize, usize)); 3] = [
            ("", (1, 1, 0)),
            (
                "[clients.a]\nname = \"A\"\n\n[book]\nname = \"x\"\n",
                (4, 1, 6),
            ),
            ("# [book]\n  [book]\n", (2, 3, 6)),
        ];
        for (text, (line, col, len)) in cases {
            let e = parse_named(text, FileId(0), "b").unwrap_err();
            assert_eq!(e.len(), 1, "{e:?}");
            let mut map = SourceMap::default();
            map.add("credits.toml".into(), text.into());
            let s = e[0].span.unwrap();
            assert_eq!(map.line_col(s), (line, col), "{text:?}");
            assert_eq!((s.end - s.start) as usize, len, "{text:?}");
            assert_eq!(e[0].message, "`[book]` has no `currency`");
            assert_eq!(
                e[0].help.as_deref(),
                Some(
                    "add the code of the currency you bill in, such as `currency = \"USD\"`, under `[book]`"
                )
            );
        }
        assert!(parse_named("[book]\ncurrency = \"JPY\"\n", FileId(0), "b").is_ok());
    }

    #[test]
    fn the_first_journal_is_a_plain_file_name_in_the_books_folder() {
        for bad in [
            "../x.credits",
            "sub/x.credits",
            "/abs/x.credits",
            "*.credits",
            "..",
            "a\\b",
        ] {
            let text = format!("[book]\njournals = [{bad:?}]\n");
            let e = errors(&text);
            assert_eq!(e.len(), 1, "{bad}: {e:?}");
            assert_eq!(
                (e[0].0, e[0].1, e[0].2.as_str()),
                (
                    2,
                    13,
                    format!("the first journal `{bad}` must be a plain file name").as_str()
                )
            );
        }
        // Only the first: the others may be paths and globs.
        let b = ok("[book]\njournals = [\"j.credits\", \"../old/*.credits\", \"sub/x.credits\"]\n");
        assert_eq!(b.journals.len(), 3);
    }

    #[test]
    fn strings_shown_in_tables_hold_no_line_break_or_control_character() {
        let cases = [
            (
                "[book]\nname = \"a\\nb\"\n",
                (2, 8),
                "`name` holds a line feed (U+000A)",
            ),
            (
                "[book]\nname = '''\na\nb'''\n",
                (3, 2),
                "`name` holds a line feed (U+000A)",
            ),
            (
                "[clients.a]\nname = \"A\tB\"\n",
                (2, 10),
                "`name` holds a control character (U+0009)",
            ),
            (
                "[clients.a]\nemail = \"a\u{202e}b\"\n",
                (2, 11),
                "`email` holds a bidirectional control character (U+202E)",
            ),
            (
                "[tasks]\nfix = { units = 1, title = \"a\\u0007\" }\n",
                (2, 28),
                "`title` holds a control character (U+0007)",
            ),
            (
                "[clients.p]\nname = \"x\u{2028}y\"\n",
                (2, 10),
                "`name` holds a line separator (U+2028)",
            ),
        ];
        for (text, (line, col), msg) in cases {
            let e = errors(text);
            assert_eq!(e.len(), 1, "{text:?}: {e:?}");
            assert_eq!(
                (e[0].0, e[0].1, e[0].2.as_str()),
                (line, col, msg),
                "{text:?}"
            );
        }
    }

    #[test]
    fn an_empty_book_takes_every_default() {
        let b = ok("");
        assert_eq!(b.name, "credits");
        assert_eq!(b.unit, "credit");
        assert_eq!(b.unit_minutes, d(60));
        assert_eq!(b.currency.code(), "USD");
        assert_eq!(b.journals.len(), 1);
        assert_eq!(b.journals[0].0, "journal.credits");
        assert_eq!(b.policy, Policy::default());
        assert!(b.plans.is_empty() && b.clients.is_empty());
        assert_eq!(
            parse_named("[book]\ncurrency = \"USD\"\n", FileId(0), "acme-books")
                .unwrap()
                .name,
            "acme-books"
        );
    }

    #[test]
    fn plans_and_clients_override_policy_keys_written_in_their_own_table() {
        let b = ok(
            "[plans.care]\ndebit = \"exact\"\nmonthly = 2\nmonthly_expires = \"90d\"\n\
             [[plans.care.expiry_tiers]]\nfrom = 0\nexpires = \"6mo\"\n\
             [clients.acme]\noverdraft = \"deny\"\nunit_price = \"$150\"\nrefund_days = 14\n\
             order = \"expiring-first\"\nround_to = \"6m\"\n",
        );
        let plan = &b.plans["care"];
        assert_eq!(plan.policy.debit, Some(DebitPolicy::Exact));
        assert_eq!(plan.monthly, Some(d(120)));
        assert_eq!(plan.monthly_expires, GrantLapse::Span(DateSpan::Days(90)));
        assert_eq!(plan.policy.expiry_tiers.as_ref().map(Vec::len), Some(1));
        let c = &b.clients["acme"];
        assert_eq!(c.name, "acme");
        assert_eq!(c.policy.overdraft, Some(Overdraft::Deny));
        assert_eq!(c.policy.unit_price, Some(usd(150)));
        assert_eq!(c.policy.refund_days, Some(14));
        assert_eq!(c.policy.order, Some(Order::ExpiringFirst));
        assert_eq!(c.policy.round_to, Some(d(6)));
        let p = b.policy_for("acme", Some("care"));
        assert_eq!(
            (p.debit, p.overdraft),
            (DebitPolicy::Exact, Overdraft::Deny)
        );
    }

    #[test]
    fn units_are_read_in_the_books_unit_and_decimals_stay_exact() {
        let b = ok("[book]\nunit = \"block\"\nunit_minutes = 30\n[packages]\n\
             half = { units = 2.5, price = \"¥8000\" }\nday = { units = \"8h\", price = \"1000 EUR\" }\n\
             [tasks]\nfix = { units = \"45m\" }\n");
        assert_eq!(b.packages["half"].minutes, d(75));
        assert_eq!(
            b.packages["half"].price.currency.map(|c| c.0),
            Some(*b"JPY")
        );
        assert_eq!(b.packages["day"].minutes, d(480));
        assert_eq!(b.tasks["fix"].minutes, d(45));
        assert_eq!(b.tasks["fix"].title, "fix");
    }

    #[test]
    fn expiry_tiers_are_sorted_by_their_start() {
        let b = ok(
            "[[policy.expiry_tiers]]\nfrom = \"40h\"\nexpires = \"2y\"\n\
             [[policy.expiry_tiers]]\nfrom = \"0h\"\nexpires = \"never\"\n",
        );
        let froms: Vec<Minutes> = b.policy.expiry_tiers.iter().map(|t| t.from).collect();
        assert_eq!(froms, vec![d(0), d(2400)]);
        assert_eq!(b.policy.expiry_tiers[0].expires, Expiry::Never);
    }

    #[test]
    fn every_problem_is_reported_at_its_own_line_and_column() {
        let e = errors(
            "[book]\nunit_minutes = 0\ncurrency = \"usd\"\n[policy]\ndebit = \"weekly\"\nexpires = \"90\"\n\
             [clients.15m]\nrate = \"abc\"\n",
        );
        let at: Vec<(usize, usize)> = e.iter().map(|(l, c, _, _)| (*l, *c)).collect();
        assert_eq!(at, vec![(2, 16), (3, 12), (5, 9), (6, 11), (7, 10), (8, 8)]);
    }

    #[test]
    fn error_catalogue() {
        let cases: &[(&str, (usize, usize, &str))] = &[
            ("[book\n", (1, 6, "unclosed table, expected `]`")),
            (
                "debit = \"exact\"\n",
                (1, 1, "unknown key `debit` in the book"),
            ),
            (
                "[book]\nnmae = \"x\"\n",
                (2, 1, "unknown key `nmae` in `[book]`"),
            ),
            (
                "[policy]\ndebti = \"exact\"\n",
                (2, 1, "unknown key `debti` in `[policy]`"),
            ),
            (
                "[[policy.expiry_tiers]]\nfrom = 0\nexpires = \"1y\"\nuntil = 3\n",
                (4, 1, "unknown key `until` in `[[policy.expiry_tiers]]`"),
            ),
            (
                "[plans.gold]\nmontly = \"3h\"\n",
                (2, 1, "unknown key `montly` in `[plans.gold]`"),
            ),
            (
                "[packages]\nfive = { units = 5, price = 1, cost = \"600\" }\n",
                (2, 32, "unknown key `cost` in `[packages.five]`"),
            ),
            (
                "[tasks]\nfix = { units = 1, name = \"x\" }\n",
                (2, 20, "unknown key `name` in `[tasks.fix]`"),
            ),
            (
                "[clients.acme]\nmail = \"a@b\"\n",
                (2, 1, "unknown key `mail` in `[clients.acme]`"),
            ),
            (
                "book = 3\n",
                (1, 8, "`[book]` must be a table, not integer"),
            ),
            (
                "[plans]\ngold = 3\n",
                (2, 8, "`plans.gold` must be a table, not integer"),
            ),
            (
                "[book]\nname = 3\n",
                (2, 8, "invalid type: integer `3`, expected a string"),
            ),
            (
                "[book]\nunit_minutes = true\n",
                (
                    2,
                    16,
                    "invalid type: boolean `true`, expected a number or a string",
                ),
            ),
            (
                "[packages]\nfive = { units = 5 }\n",
                (2, 1, "missing field `price`"),
            ),
            ("[book]\nname = \" \"\n", (2, 8, "`name` is empty")),
            (
                "[book]\nunit_minutes = 0\n",
                (2, 16, "`unit_minutes` must be more than zero"),
            ),
            (
                "[book]\nunit_minutes = \"an hour\"\n",
                (2, 16, "`an hour` is not a number of minutes"),
            ),
            (
                "[book]\ncurrency = \"usd\"\n",
                (2, 12, "`usd` is not a currency code"),
            ),
            ("[book]\njournals = []\n", (2, 12, "`journals` is empty")),
            (
                "[book]\njournals = [\"\"]\n",
                (2, 13, "a journal name is empty"),
            ),
            (
                "[book]\njournals = [\"*.credits\"]\n",
                (
                    2,
                    13,
                    "the first journal `*.credits` must be a plain file name",
                ),
            ),
            (
                "[policy]\ndebit = \"weekly\"\n",
                (2, 9, "`weekly` is not a debit policy"),
            ),
            (
                "[policy]\norder = \"lifo\"\n",
                (2, 9, "`lifo` is not a consumption order"),
            ),
            (
                "[policy]\noverdraft = \"free\"\n",
                (2, 13, "`free` is not an overdraft policy"),
            ),
            (
                "[policy]\nround_to = \"0m\"\n",
                (2, 12, "`0m` is zero, but a quantity must be positive"),
            ),
            (
                "[policy]\nround_to = 15\n",
                (
                    2,
                    12,
                    "`15` is a number of credits, but `round_to` takes a duration",
                ),
            ),
            (
                "[policy]\nexpires = \"90\"\n",
                (2, 11, "`90` is not a span"),
            ),
            (
                "[policy]\nrefund_days = -3\n",
                (2, 15, "`-3` is not a number of days"),
            ),
            (
                "[policy]\nwarn_days = 7.5\n",
                (2, 13, "`7.5` is not a number of days"),
            ),
            (
                "[policy]\nunit_price = \"12a\"\n",
                (2, 14, "`12a` is not an amount of money"),
            ),
            (
                "[policy]\nunit_price = \"120 usd\"\n",
                (2, 14, "`usd` is not a currency code"),
            ),
            (
                "[policy]\nlow_balance = \"2x\"\n",
                (2, 15, "`2x` is not a quantity"),
            ),
            (
                "[[policy.expiry_tiers]]\nfrom = 0\nexpires = \"1y\"\n[[policy.expiry_tiers]]\nfrom = \"0h\"\nexpires = \"2y\"\n",
                (5, 8, "two expiry tiers start at `0h`"),
            ),
            (
                "[plans.gold]\ndiscount = \"30\"\n",
                (2, 12, "`30` is not a percentage"),
            ),
            (
                "[plans.gold]\ndiscount = \"130%\"\n",
                (2, 12, "`130%` is more than 100%"),
            ),
            (
                "[plans.gold]\nmonthly = \"0h\"\n",
                (2, 11, "`0h` is zero, but a quantity must be positive"),
            ),
            (
                "[plans.gold]\nmonthly_expires = \"weekly\"\n",
                (2, 19, "`weekly` is not a span"),
            ),
            (
                "[plans.gold]\ncovered = [\"two words\"]\n",
                (2, 12, "`two words` is not a tag"),
            ),
            ("[plans.Gold]\n", (1, 8, "`Gold` is not a valid plan name")),
            ("[plans.none]\n", (1, 8, "a plan may not be called `none`")),
            (
                "[packages]\n\"5h\" = { units = 5, price = \"600\" }\n",
                (2, 1, "the package name `5h` reads as a quantity"),
            ),
            (
                "[tasks]\n\"big task\" = { units = 1 }\n",
                (2, 1, "`big task` is not a valid task name"),
            ),
            (
                "[packages]\nfive = { units = 0, price = \"600\" }\n",
                (2, 18, "`0` is zero, but a quantity must be positive"),
            ),
            ("[clients.Acme]\n", (1, 10, "`Acme` is not a client id")),
            (
                "[clients.15m]\n",
                (1, 10, "the client id `15m` reads as a quantity"),
            ),
            (
                "[clients.3]\n",
                (1, 10, "the client id `3` reads as a quantity"),
            ),
            (
                "[clients.acme]\nrate = \"$x\"\n",
                (2, 8, "`$x` is not an amount of money"),
            ),
        ];
        let mut wrong = Vec::new();
        for (text, (line, col, msg)) in cases {
            let got = errors(text);
            let want = vec![(*line, *col, (*msg).to_owned())];
            let got: Vec<_> = got.into_iter().map(|(l, c, m, _)| (l, c, m)).collect();
            if got != want {
                wrong.push(format!("{text:?}\n  got  {got:?}\n  want {want:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn unknown_keys_suggest_the_nearest_valid_key_or_list_them() {
        assert_eq!(
            help("[policy]\ndebti = 1\n").as_deref(),
            Some("did you mean `debit`?")
        );
        assert_eq!(
            help("[plans.gold]\nmontly = 1\n").as_deref(),
            Some("did you mean `monthly`?")
        );
        assert_eq!(
            help("[clients.a]\nrat = 1\n").as_deref(),
            Some("did you mean `rate`?")
        );
        assert_eq!(
            help("debit = 1\n").as_deref(),
            Some("write `debit` under `[policy]`")
        );
        assert_eq!(
            help("[packages]\nx = { units = 1, price = 1, zzzzzz = 1 }\n").as_deref(),
            Some("valid keys are `units` and `price`")
        );
        assert_eq!(
            help("[policy]\ndebit = \"x\"\n").as_deref(),
            Some("write `accumulate`, `exact` or `round-up`")
        );
    }

    #[test]
    fn several_unknown_keys_and_bad_values_are_all_reported() {
        let e = errors(
            "[book]\nfoo = 1\nbar = 2\n[policy]\ndebit = \"x\"\n[clients.a]\nbaz = 1\nrate = \"?\"\n",
        );
        let msgs: Vec<&str> = e.iter().map(|(_, _, m, _)| m.as_str()).collect();
        assert_eq!(
            msgs,
            vec![
                "unknown key `foo` in `[book]`",
                "unknown key `bar` in `[book]`",
                "`x` is not a debit policy",
                "unknown key `baz` in `[clients.a]`",
                "`?` is not an amount of money",
            ]
        );
    }

    #[test]
    fn crlf_and_non_ascii_text_keep_columns_in_chars() {
        let e = error("[clients.acme]\r\nname = \"Café Ünïcode\"\r\nrate = \"€x\"\r\n");
        assert_eq!(e, (3, 8, "`€x` is not an amount of money".to_owned()));
    }

    proptest::proptest! {
        #[test]
        fn no_text_makes_the_parser_panic(
            lines in proptest::collection::vec(
                "(\\[(book|policy|plans\\.[a-z]{1,3}|packages|clients\\.[a-z0-9]{1,3})\\]|[a-z_]{1,12} = (\"[0-9a-z%$. ]{0,6}\"|-?[0-9]{1,20}|[0-9]\\.[0-9]{1,12}|true|\\[\\]|\\{ units = [0-9], price = \"1\" \\})|\\[\\[policy.expiry_tiers\\]\\])",
                0..12,
            )
        ) {
            let text = lines.join("\n");
            let _ = parse(&text, FileId(0));
        }
    }
}
