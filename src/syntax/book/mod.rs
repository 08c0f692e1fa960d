//! `credits.toml` → [`Book`]. Pure: takes the text and its `FileId`, never a path.
//!
//! Imports `source`, `diagnostic`, `model`, `suggest` and `syntax::value` only; no fs, no env.
//!
//! The rooms: this file walks the TOML table (unknown keys, sections, the order of the
//! steps below); `raw.rs` holds the serde shapes of each section (`Raw*`, every value kept as
//! its spanned word); `validate.rs` turns those words into the [`Book`] of `model`, each
//! problem at its own span; `tests.rs` holds the tables of exact errors.
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
use crate::model::{Book, Minutes, Package, Task};
use crate::source::{FileId, Span};
use crate::suggest;
use crate::syntax::value::{self, ValueError};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

mod raw;
mod validate;

#[cfg(test)]
mod tests;

use raw::{RawBook, RawClient, RawPackage, RawPlan, RawPolicy, RawTask};

/// The book's name when `[book] name` is not written and no other default is given.
pub const DEFAULT_NAME: &str = "credits";

const TOP_KEYS: &[&str] = &["book", "policy", "plans", "packages", "tasks", "clients"];
const BOOK_KEYS: &[&str] = &[
    "name",
    "unit",
    "unit_minutes",
    "currency",
    "journals",
    "issuer",
    "email",
    "footer",
];
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
    "minimum",
];
const TIER_KEYS: &[&str] = &["from", "expires"];
const PLAN_KEYS: &[&str] = &[
    "discount",
    "monthly",
    "monthly_expires",
    "covered",
    "rollover",
    "title",
];
const PACKAGE_KEYS: &[&str] = &["units", "price", "expires", "title"];
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
            let title = raw.title.and_then(|t| cx.text(&t, "title"));
            let expires = raw.expires.map(|w| cx.package_expiry(&w));
            if let (Some(minutes), Some(price), None | Some(Some(_))) = (minutes, price, expires) {
                let expires = expires.flatten();
                let span = cx.span(&span);
                book.packages.insert(
                    name.clone(),
                    Package {
                        name,
                        minutes,
                        price,
                        expires,
                        title,
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
