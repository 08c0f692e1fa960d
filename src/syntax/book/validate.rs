//! The `Raw*` words of each section → the model's [`crate::model::Book`] parts: every value
//! word read through [`crate::syntax::value`], every problem reported at its own span (and
//! reading goes on, so that all problems are reported at once).

use super::raw::{RawBook, RawClient, RawPlan, RawPolicy, RawTier, W};
use super::{Cx, Need, POLICY_KEYS, TIER_KEYS, list_or};
use crate::model::{
    Book, Client, Currency, DebitPolicy, Expiry, ExpiryTier, GrantLapse, Minutes, Order, Overdraft,
    Plan, Policy, PolicyOverride,
};
use crate::source::Span;
use crate::syntax::value::{self, QtyForm, ValueError};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

impl Cx {
    /// Report unknown keys of a table that takes `own` keys plus every policy key, and of its
    /// `[[…expiry_tiers]]` rows.
    pub(super) fn check_policy_keys(&mut self, table: &mut DeTable<'_>, what: &str, own: &[&str]) {
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
    pub(super) fn name_word(&mut self, name: &str, span: Range<usize>, kind: &str) {
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

    pub(super) fn book(&mut self, raw: RawBook, default_name: &str, has_book: bool) -> Book {
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
        let issuer = raw
            .issuer
            .map(|s| self.lines(&s, "issuer"))
            .unwrap_or_default();
        let email = raw.email.and_then(|e| self.text(&e, "email"));
        let footer = raw
            .footer
            .map(|s| self.lines(&s, "footer"))
            .unwrap_or_default();
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
            issuer,
            email,
            footer,
        }
    }

    /// A non-empty string on one line: it is shown in tables and statements, which a line
    /// break, a control character or a bidirectional control would break.
    pub(super) fn text(&mut self, s: &Spanned<String>, key: &str) -> Option<String> {
        let t = s.get_ref().trim();
        if t.is_empty() {
            self.error(&s.span(), format!("`{key}` is empty"), None);
            return None;
        }
        self.no_control(s, t, key, false).then(|| t.to_owned())
    }

    /// A non-empty string of one or more lines (a TOML multi-line string): the lines, trimmed,
    /// without the blank ones at either end. Each line is checked as [`Cx::text`] checks one.
    pub(super) fn lines(&mut self, s: &Spanned<String>, key: &str) -> Vec<String> {
        let t = s.get_ref().trim();
        if t.is_empty() {
            self.error(&s.span(), format!("`{key}` is empty"), None);
            return Vec::new();
        }
        if !self.no_control(s, t, key, true) {
            return Vec::new();
        }
        t.lines().map(|l| l.trim().to_owned()).collect()
    }

    /// True when `t` (the value of `s`) holds no control character, line separator or
    /// bidirectional control; else an error at the character. With `lines`, line ends (LF,
    /// CRLF) are allowed.
    fn no_control(&mut self, s: &Spanned<String>, t: &str, key: &str, lines: bool) -> bool {
        let t = if lines {
            t.replace("\r\n", "\n")
        } else {
            t.to_owned()
        };
        let bad = t.chars().find(|&c| {
            !(lines && c == '\n')
                && (c.is_control()
                    || matches!(c, '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        });
        if let Some(c) = bad {
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
            let (name, _) = crate::syntax::journal::forbidden_name(c);
            self.error(
                &at,
                format!("`{key}` holds {name}"),
                Some(if lines {
                    format!("write `{key}` without control characters: it is shown on statements")
                } else {
                    format!(
                        "write `{key}` on one line, without control characters: it is shown in tables"
                    )
                }),
            );
            return false;
        }
        true
    }

    /// The span of the table header `name` (`[book]`) at the start of a line, else `0..0`.
    pub(super) fn header(&self, name: &str) -> Range<usize> {
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

    pub(super) fn unit_minutes(&mut self, w: &W) -> Option<Minutes> {
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

    pub(super) fn currency(&mut self, w: &W) -> Option<Currency> {
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

    pub(super) fn journals(&mut self, list: Spanned<Vec<Spanned<String>>>) -> Vec<(String, Span)> {
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

    pub(super) fn policy(&mut self, raw: RawPolicy) -> PolicyOverride {
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
            minimum: raw
                .minimum
                .and_then(|w| self.quantity(&w, Need::ZeroOrMore)),
        }
    }

    pub(super) fn tiers(&mut self, rows: Vec<Spanned<RawTier>>) -> Vec<ExpiryTier> {
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

    pub(super) fn plan(
        &mut self,
        name: String,
        raw: RawPlan,
        policy: PolicyOverride,
        span: Span,
    ) -> Plan {
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
        let rollover = raw.rollover.and_then(|w| {
            let m = self.quantity(&w, Need::ZeroOrMore)?;
            if let GrantLapse::Span(_) = monthly_expires {
                self.error(
                    &w.span(),
                    format!("`rollover` needs `monthly_expires = \"month\"` in `[plans.{name}]`"),
                    Some("time rolls over from a grant that lapses at month end: remove `rollover`, or set `monthly_expires = \"month\"`".into()),
                );
                return None;
            }
            Some(m)
        });
        let title = raw.title.and_then(|t| self.text(&t, "title"));
        Plan {
            name,
            discount,
            monthly,
            monthly_expires,
            covered,
            rollover: rollover.unwrap_or(Decimal::ZERO),
            title,
            policy,
            span,
        }
    }

    pub(super) fn client(
        &mut self,
        id: String,
        raw: RawClient,
        policy: PolicyOverride,
        span: Span,
    ) -> Client {
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

    pub(super) fn ok<T>(&mut self, r: Range<usize>, v: Result<T, ValueError>) -> Option<T> {
        match v {
            Ok(v) => Some(v),
            Err(e) => {
                self.value_error(r, e);
                None
            }
        }
    }

    /// One of a few words: an error lists them all.
    pub(super) fn choice<T: Copy>(&mut self, w: &W, what: &str, words: &[(&str, T)]) -> Option<T> {
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

    pub(super) fn expiry(&mut self, w: &W) -> Option<Expiry> {
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

    /// A package's `expires`: what a `buy` line's `expires` takes (a date, a span or `never`).
    pub(super) fn package_expiry(&mut self, w: &W) -> Option<crate::model::LineExpiry> {
        let r = value::expiry(
            &w.get_ref().0,
            "write a span such as `12mo`, a date such as `2026-12-31`, or `never`",
        );
        self.ok(w.span(), r)
    }

    pub(super) fn days(&mut self, w: &W) -> Option<u32> {
        self.ok(w.span(), value::days(w.get_ref().0.as_str()))
    }

    pub(super) fn quantity(&mut self, w: &W, need: Need) -> Option<Minutes> {
        let s = w.get_ref().0.as_str();
        let r = match need {
            Need::Positive => value::positive_quantity(s, self.unit_minutes),
            Need::ZeroOrMore => value::quantity(s, self.unit_minutes).map(|(m, _)| m),
        };
        self.ok(w.span(), r)
    }

    pub(super) fn money(&mut self, w: &W) -> Option<crate::model::Money> {
        let r = value::money_text(&w.get_ref().0);
        self.ok(w.span(), r)
    }
}
