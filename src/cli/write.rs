//! The writing verbs: `credits log`, `buy`, `debit`, `quote`, `estimate`, `approve`, `reject`,
//! `done`, `apply`, `refund`, `adjust`, `plan`, `bill`, `assert` (SPEC §5), and the one path
//! they share.
//!
//! Each verb builds a `model::Entry` from its arguments (here, with the quantity readers);
//! `commit` then prints it with the canonical printer, parses the line back with the journal
//! parser (it must read back as the same entry), reads the book as it will be with the line
//! appended, replays all of it, and appends only when nothing new is wrong (STYLE §4.9). A
//! refused line leaves the journal byte for byte as it was. The rooms: `args` (what clap
//! reads for each verb), this file (building the line), `commit` (checking, appending,
//! printing).

use super::{Context, Fail, append, known_client, os};
use crate::load::Loaded;
use crate::model::{Entry, LineExpiry, LotRef, Meta, MetaKey, Minutes, Money, Price, Qty, Verb};
use crate::rules::client_resolution;
use crate::source::Span;
use crate::syntax::journal::looks_numeric;
use crate::syntax::{journal, value};
use compact_str::CompactString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod args;
mod commit;

pub use args::*;
pub use commit::{Written, balance_text, commit, print_or_note, write_entry};

/// Run a writing command.
pub fn run(w: &Write<'_>, ctx: &Context) -> anyhow::Result<ExitCode> {
    let book_path = ctx.book_path()?;
    let _lock = append::lock_book(&book_path, &os::shown(&book_path, &ctx.cwd))?;
    let loaded = ctx.load_book()?;
    let entry = build(w, ctx, &loaded)?;
    commit(ctx, &book_path, &loaded, &entry)?;
    // A date far from today is written, and a warning says so: it may be a typo.
    if let Some(d) = super::words::far_date(&entry, ctx.today)
        && !ctx.quiet
    {
        let shown =
            crate::diagnostic::render(&d, &crate::source::SourceMap::default(), ctx.color_err);
        let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), shown.as_bytes());
    }
    Ok(ExitCode::SUCCESS)
}

/// The entry a command asks for, not yet checked against the book.
fn build(w: &Write<'_>, ctx: &Context, loaded: &Loaded) -> Result<Entry, Fail> {
    let unit = loaded.book.unit_minutes;
    let (common, client, verb, description, mut meta): (_, String, Verb, &[String], Vec<Meta>) =
        match w {
            Write::Log(a) => {
                let (client, rest) = log_client(&a.words, a.client.as_deref(), ctx, loaded)?;
                let (dur, desc) = rest
                    .split_first()
                    .ok_or_else(|| Fail::usage("`log` needs a duration", Some(LOG_HELP.into())))?;
                if let Some((message, help)) =
                    super::words::negative_duration(dur, Some(&client), unit)
                {
                    return Err(Fail::usage(message, Some(help)));
                }
                let verb = log_verb(dur, unit)?;
                let mut meta = Vec::new();
                push_meta(&mut meta, MetaKey::Quote, a.quote.as_deref())?;
                push_meta(&mut meta, MetaKey::Task, a.task.as_deref())?;
                (&a.common, client, verb, desc, meta)
            }
            Write::Buy(a) => {
                let qty = qty_or_name(&a.qty, unit)?;
                let price = match (&a.price, &a.total) {
                    (Some(p), _) => Some(Price::Each(money(p)?)),
                    (None, Some(t)) => Some(Price::Total(money(t)?)),
                    (None, None) => None,
                };
                let expires = a.expires.as_deref().map(line_expiry).transpose()?;
                let verb = Verb::Buy {
                    qty,
                    price,
                    expires,
                };
                (
                    &a.common,
                    a.client.clone(),
                    verb,
                    &a.description[..],
                    vec![],
                )
            }
            Write::Debit(a) => {
                let verb = Verb::Debit {
                    qty: qty_or_name(&a.qty, unit)?,
                };
                (
                    &a.common,
                    a.client.clone(),
                    verb,
                    &a.description[..],
                    vec![],
                )
            }
            Write::Quote(a) => {
                let verb = Verb::Quote {
                    id: one_word("quote id", &a.id)?,
                    qty: qty_or_name(&a.qty, unit)?,
                };
                let mut meta = Vec::new();
                let due = match a.due {
                    Some(d) => Some(d.resolve(ctx.today)?.format("%Y-%m-%d").to_string()),
                    None => None,
                };
                push_meta(&mut meta, MetaKey::Due, due.as_deref())?;
                (&a.common, a.client.clone(), verb, &a.description[..], meta)
            }
            Write::Estimate(a) => {
                let verb = Verb::Estimate {
                    id: one_word("estimate id", &a.id)?,
                    qty: qty_or_name(&a.qty, unit)?,
                };
                let mut meta = Vec::new();
                let due = match a.due {
                    Some(d) => Some(d.resolve(ctx.today)?.format("%Y-%m-%d").to_string()),
                    None => None,
                };
                push_meta(&mut meta, MetaKey::Due, due.as_deref())?;
                (&a.common, a.client.clone(), verb, &a.description[..], meta)
            }
            Write::Approve(a) | Write::Reject(a) | Write::Done(a) => {
                let id = one_word("quote id", &a.id)?;
                let verb = match w {
                    Write::Approve(_) => Verb::Approve { id },
                    Write::Reject(_) => Verb::Reject { id },
                    _ => Verb::Done { id },
                };
                (
                    &a.common,
                    a.client.clone(),
                    verb,
                    &a.description[..],
                    vec![],
                )
            }
            Write::Apply(a) => {
                let mut amount = money(&a.amount)?;
                let mut desc = &a.description[..];
                // `credits apply acme 240 USD`: a code right after a bare amount is its currency,
                // as in the journal.
                if amount.currency.is_none()
                    && let Some((code, rest)) = desc.split_first()
                    && let Some(c) = crate::model::Currency::from_code(code)
                {
                    amount.currency = Some(c);
                    desc = rest;
                }
                let mut meta = Vec::new();
                push_meta(&mut meta, MetaKey::Project, a.project.as_deref())?;
                (
                    &a.common,
                    a.client.clone(),
                    Verb::Apply { amount },
                    desc,
                    meta,
                )
            }
            Write::Refund(a) => {
                let lot = match value::date(&a.lot) {
                    Ok(d) => LotRef::Date(d),
                    Err(_) => LotRef::Ref(one_word("lot", &a.lot)?),
                };
                let qty = a
                    .qty
                    .as_deref()
                    .map(|q| value::positive_quantity(q, unit).map_err(value_fail))
                    .transpose()?;
                (
                    &a.common,
                    a.client.clone(),
                    Verb::Refund { lot, qty },
                    &[][..],
                    vec![],
                )
            }
            Write::Adjust(a) => {
                let minutes = signed(&a.qty, unit, "adjust")?;
                let verb = Verb::Adjust { minutes };
                (
                    &a.common,
                    a.client.clone(),
                    verb,
                    &a.description[..],
                    vec![],
                )
            }
            Write::Plan(a) => {
                let plan = if a.plan == "none" {
                    None
                } else {
                    Some(one_word("plan", &a.plan)?)
                };
                (
                    &a.common,
                    a.client.clone(),
                    Verb::Plan { plan },
                    &[][..],
                    vec![],
                )
            }
            Write::Bill(a) => (
                &a.common,
                a.client.clone(),
                Verb::Bill,
                &a.description[..],
                vec![],
            ),
            Write::Assert(a) => {
                let minutes = signed(&a.qty, unit, "assert")?;
                (
                    &a.common,
                    a.client.clone(),
                    Verb::Assert { minutes },
                    &[][..],
                    vec![],
                )
            }
        };
    known_client(loaded, &client)?;
    for word in description {
        typed_text("description", word)?;
    }
    push_meta(&mut meta, MetaKey::Ref, common.reference.as_deref())?;
    meta.sort_by_key(|m| m.key);
    let tags = common
        .tags
        .iter()
        .map(|t| one_word("tag", t.strip_prefix('#').unwrap_or(t)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Entry {
        date: match common.date {
            Some(d) => d.resolve(ctx.today)?,
            None => ctx.today,
        },
        seq: 0,
        span: Span::default(),
        client_span: Span::default(),
        client: client.into(),
        verb,
        tags,
        meta,
        description: crate::syntax::print::one_line(&description.join(" ")),
        canon: crate::model::Canon::EMPTY,
    })
}

const LOG_HELP: &str = "write `credits log [CLIENT] DURATION [DESCRIPTION]`, such as `credits log acme 15m Fixed the header`";

/// The `log` verb for a duration word.
fn log_verb(word: &str, unit: Minutes) -> Result<Verb, Fail> {
    let (minutes, clock) = value::log_time(word, unit).map_err(value_fail)?;
    Ok(Verb::Log { minutes, clock })
}

/// Who a `log` is for, and the words after the client.
fn log_client<'w>(
    words: &'w [String],
    flag: Option<&str>,
    ctx: &Context,
    loaded: &Loaded,
) -> Result<(String, &'w [String]), Fail> {
    if let Some((first, rest)) = words.split_first()
        && !looks_numeric(first)
        && value::quantity(first, loaded.book.unit_minutes).is_err()
        && super::words::negative_duration(first, None, loaded.book.unit_minutes).is_none()
    {
        return Ok((first.clone(), rest));
    }
    Ok((resolve_client(flag, ctx, loaded)?, words))
}

/// The client of a command that names none ([`client_resolution`]): `--client` /
/// `CREDITS_CLIENT`, then the client whose `dirs` hold the current folder (deepest match),
/// then the only client; else an exit-1 error that lists the clients.
pub fn resolve_client(flag: Option<&str>, ctx: &Context, loaded: &Loaded) -> Result<String, Fail> {
    let env = std::env::var("CREDITS_CLIENT").ok();
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let inputs = client_resolution::Inputs {
        flag,
        env: env.as_deref(),
        cwd: &ctx.cwd,
        home: home.as_deref(),
        book_dir: loaded.book_path.parent().unwrap_or(Path::new("/")),
    };
    let canonical = |p: PathBuf| std::fs::canonicalize(&p).unwrap_or(p);
    if let Ok(id) = client_resolution::resolve(&inputs, loaded.book.clients.values(), canonical) {
        return Ok(id);
    }
    let help = match super::context::client_list(loaded) {
        Some(list) => format!(
            "name one (the clients are {list}), or use `--client`, `CREDITS_CLIENT` or a client's `dirs`"
        ),
        None => super::context::NO_CLIENTS.to_string(),
    };
    Err(Fail::request(
        "which client? none is named and none was found for this folder",
        Some(help),
    ))
}

fn value_fail(e: value::ValueError) -> Fail {
    Fail::usage(e.message, e.help)
}

fn money(s: &str) -> Result<Money, Fail> {
    value::money_text(s).map_err(value_fail)
}

fn signed(s: &str, unit: Minutes, verb: &str) -> Result<Minutes, Fail> {
    let m = value::signed_quantity(s, unit).map_err(value_fail)?;
    if verb == "adjust" && !s.starts_with(['+', '-']) && !m.is_zero() {
        return Err(Fail::usage(
            format!("`{s}` has no sign, but `adjust` adds or takes away"),
            Some(format!(
                "write `+{s}` to add a free lot, or `-{s}` to debit"
            )),
        ));
    }
    Ok(m)
}

fn qty_or_name(s: &str, unit: Minutes) -> Result<Qty, Fail> {
    if looks_numeric(s) {
        value::positive_quantity(s, unit)
            .map(Qty::Minutes)
            .map_err(value_fail)
    } else {
        one_word("name", s).map(Qty::Named)
    }
}

fn line_expiry(s: &str) -> Result<LineExpiry, Fail> {
    value::expiry(
        s,
        "write `--expires 2026-12-31`, `--expires 12mo` or `--expires never`",
    )
    .map_err(value_fail)
}

/// A value written as one word in the journal (an id, a tag, a ref): no blanks, no control
/// characters, not empty.
/// Typed text a journal line may not hold (a line break, a control character, a bidirectional
/// control: see `syntax::journal::forbidden_at`) is refused here, naming what was typed.
fn typed_text(what: &str, s: &str) -> Result<(), Fail> {
    let Some(c) = journal::forbidden_at(s.as_bytes(), false)
        .and_then(|at| s.get(at..))
        .and_then(|r| r.chars().next())
    else {
        return Ok(());
    };
    let (name, _) = journal::forbidden_name(c);
    Err(Fail::usage(
        format!("the {what} `{}` holds {name}", s.escape_debug()),
        Some(format!(
            "type the {what} without it: a journal line is plain text on one line"
        )),
    ))
}

fn one_word(what: &str, s: &str) -> Result<CompactString, Fail> {
    typed_text(what, s)?;
    if s.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control()) || s.starts_with('"')
    {
        return Err(Fail::usage(
            format!(
                "the {what} `{}` cannot be written as one word",
                s.escape_debug()
            ),
            Some("use letters, digits and punctuation, without spaces".into()),
        ));
    }
    Ok(s.into())
}

fn push_meta(meta: &mut Vec<Meta>, key: MetaKey, value: Option<&str>) -> Result<(), Fail> {
    if let Some(v) = value {
        let value = one_word(&format!("`--{}` value", key.word()), v)?;
        meta.push(Meta { key, value });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    #[test]
    fn adjust_needs_a_sign_but_assert_does_not() {
        let u = Minutes::from(60);
        assert!(signed("1h", u, "adjust").is_err());
        assert_eq!(signed("-30m", u, "adjust").ok(), Some(Minutes::from(-30)));
        assert_eq!(signed("1h", u, "assert").ok(), Some(Minutes::from(60)));
        assert_eq!(signed("0", u, "adjust").ok(), Some(Minutes::ZERO));
    }

    #[test]
    fn one_word_values_refuse_blanks_and_line_breaks() {
        assert!(one_word("tag", "dev").is_ok());
        assert!(one_word("tag", "a b").is_err());
        assert!(one_word("tag", "a\nb").is_err());
        assert!(one_word("tag", "").is_err());
    }

    #[test]
    fn the_time_words_read_as_log_verbs() {
        let u = Minutes::from(60);
        let clock = (
            NaiveTime::from_hms_opt(9, 15, 0).unwrap(),
            NaiveTime::from_hms_opt(10, 40, 0).unwrap(),
        );
        assert_eq!(
            log_verb("09:15-10:40", u).ok(),
            Some(Verb::Log {
                minutes: Minutes::from(85),
                clock: Some(clock)
            })
        );
        assert!(log_verb("15", u).is_err());
    }
}
