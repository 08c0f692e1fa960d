//! The writing verbs: `credits log`, `buy`, `debit`, `quote`, `estimate`, `approve`, `reject`,
//! `done`, `apply`, `refund`, `adjust`, `plan`, `bill`, `assert` (SPEC §5), and the one path
//! they share.
//!
//! Each verb builds a `model::Entry` from its arguments; [`commit`] then prints it with the
//! canonical printer, parses the line back with the journal parser (it must read back as the
//! same entry), reads the book as it will be with the line appended, replays all of it, and
//! appends only when nothing new is wrong (STYLE §4.9). A refused line leaves the journal byte
//! for byte as it was.

use super::{Context, Fail, append, known_client, os, parse_today};
use crate::diagnostic::{self, Diagnostic};
use crate::engine;
use crate::load::{self, Loaded};
use crate::model::{Entry, LineExpiry, LotRef, Meta, MetaKey, Minutes, Money, Price, Qty, Verb};
use crate::render::hmm;
use crate::report::{self, units};
use crate::source::{FileId, Span};
use crate::syntax::journal::looks_numeric;
use crate::syntax::{journal, print, value};
use chrono::NaiveDate;
use clap::Args;
use compact_str::CompactString;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Flags every writing verb takes.
#[derive(Debug, Clone, Default, Args)]
pub struct Common {
    /// The entry's date, YYYY-MM-DD [default: today]
    #[arg(long, value_name = "DATE", value_parser = parse_today)]
    pub date: Option<NaiveDate>,

    /// A tag, written `#TAG` (repeat for more)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// A reference, written `ref:REF`: an invoice number, a lot's name
    #[arg(long = "ref", value_name = "REF")]
    pub reference: Option<String>,
}

/// Record work done for a client: `credits log acme 15m "Fixed the header"`
///
/// DURATION is `15m`, `1h30m`, `1.5h` or a clock range `09:15-10:40` (never a bare number).
/// Without a CLIENT, the client is `--client`, else `CREDITS_CLIENT`, else the client whose
/// `dirs` hold the current folder (the deepest match wins), else the book's only client.
/// The words after the duration are the description, taken literally; a description that
/// starts with `-` goes after `--`.
///
/// Examples:
///
///   credits log acme 15m "Fixed header alignment" --tag dev
///   credits log 45m Plugin update                  inside a folder listed in acme's `dirs`
///   credits log acme 09:15-10:40 Call --date 2026-01-05
///   credits log acme 30m -- "-20% banner"
#[derive(Debug, Args)]
#[command(
    verbatim_doc_comment,
    override_usage = "credits log [OPTIONS] [CLIENT] DURATION [DESCRIPTION]..."
)]
pub struct LogArgs {
    /// [CLIENT] DURATION [DESCRIPTION]...
    #[arg(value_name = "WORDS", required = true, num_args = 1..)]
    pub words: Vec<String>,

    /// The client, when the words do not name one
    #[arg(long, value_name = "CLIENT", env = "CREDITS_CLIENT")]
    pub client: Option<String>,

    /// The approved quote or estimate the work is on, written `quote:ID`: work on a quote is
    /// not debited (its `done` is); work on an estimate is
    #[arg(long, value_name = "ID")]
    pub quote: Option<String>,

    /// The catalogue task the work did, written `task:NAME`
    #[arg(long, value_name = "NAME")]
    pub task: Option<String>,

    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Record a purchase: a new lot of time
///
/// QTY is `10h`, `90m`, `5cr` or a bare number of units; or name a package of the book.
/// Without `--price` or `--total`, the price is the package's or the policy's `unit_price`
/// (less the plan's discount).
///
/// Examples:
///
///   credits buy acme 10h --price "120 USD" --ref INV-1041
///   credits buy acme five
///   credits buy acme 20h --total 2000 --expires 12mo
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct BuyArgs {
    /// The client
    pub client: String,
    /// The quantity bought, or a package name
    #[arg(value_name = "QTY|PACKAGE")]
    pub qty: String,
    /// A description, taken literally
    #[arg(value_name = "DESCRIPTION")]
    pub description: Vec<String>,
    /// The price of one unit, written `@ PRICE` (`120`, `"120 USD"`, `$120`)
    #[arg(long, value_name = "PRICE", conflicts_with = "total")]
    pub price: Option<String>,
    /// The price of the whole lot, written `for TOTAL`
    #[arg(long, value_name = "TOTAL")]
    pub total: Option<String>,
    /// The lot's last usable day: a date, a span (`90d`, `12mo`) or `never`
    #[arg(long, value_name = "DATE|SPAN|never")]
    pub expires: Option<String>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Debit a fixed cost: a task from the book's catalogue, or a quantity
///
/// Examples:
///
///   credits debit acme complex-plugin "Install and test SEO plugin"
///   credits debit acme 2h Migration
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct DebitArgs {
    /// The client
    pub client: String,
    /// The quantity, or a task name
    #[arg(value_name = "QTY|TASK")]
    pub qty: String,
    /// A description, taken literally
    #[arg(value_name = "DESCRIPTION")]
    pub description: Vec<String>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Quote work to a client at a fixed price: it waits for `approve` or `reject`
///
/// Once approved, its time is reserved. Work logged on it (`credits log … --quote ID`) is
/// recorded but never debited; `done` debits the quote's price. (An `estimate` is charged on
/// the time actually logged instead.)
///
/// Examples:
///
///   credits quote acme Q7 3 --due 2026-02-01 "Custom landing page"
///   credits quote acme Q8 banner
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct QuoteArgs {
    /// The client
    pub client: String,
    /// The quote's id, unique for the client
    pub id: String,
    /// Its cost: a quantity or a task name
    #[arg(value_name = "QTY|TASK")]
    pub qty: String,
    /// A description, taken literally
    #[arg(value_name = "DESCRIPTION")]
    pub description: Vec<String>,
    /// When the work is due, written `due:DATE` (informational)
    #[arg(long, value_name = "DATE", value_parser = parse_today)]
    pub due: Option<NaiveDate>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Estimate work to a client: charged on the time actually logged on it
///
/// Once approved, its time is reserved; each `credits log … --quote ID` is debited like any
/// work and uses up that much of the reservation; `done` debits nothing and releases the
/// rest. (A `quote` is a fixed price instead: work logged on it is never debited, and `done`
/// debits the quote.)
///
/// Examples:
///
///   credits estimate acme E3 5h --due 2026-03-31 "Shop migration"
///   credits log acme 2h --quote E3 "Export of the old shop"
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct EstimateArgs {
    /// The client
    pub client: String,
    /// The estimate's id, unique for the client among its quotes and estimates
    pub id: String,
    /// The time it should take: a quantity or a task name
    #[arg(value_name = "QTY|TASK")]
    pub qty: String,
    /// A description, taken literally
    #[arg(value_name = "DESCRIPTION")]
    pub description: Vec<String>,
    /// When the work is due, written `due:DATE`
    #[arg(long, value_name = "DATE", value_parser = parse_today)]
    pub due: Option<NaiveDate>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// A client's answer to a quote, or its delivery: `approve` reserves its time, `reject` drops
/// it, `done` debits it
///
/// Examples:
///
///   credits approve acme Q7
///   credits done acme Q7 --date 2026-02-01
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct QuoteAnswerArgs {
    /// The client
    pub client: String,
    /// The quote's id
    pub id: String,
    /// A description, taken literally
    #[arg(value_name = "DESCRIPTION")]
    pub description: Vec<String>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Spend the money value of a client's purchased time on a fixed-price project
///
/// Examples:
///
///   credits apply acme 240 --project redesign
///   credits apply acme "240 USD" --project redesign "Deposit"
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ApplyArgs {
    /// The client
    pub client: String,
    /// The amount: `240`, `"240 USD"`, `$240`
    pub amount: String,
    /// A description, taken literally
    #[arg(value_name = "DESCRIPTION")]
    pub description: Vec<String>,
    /// The project paid for, written `project:NAME`
    #[arg(long, value_name = "NAME")]
    pub project: Option<String>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Refund unused time of a lot (all of it, or QTY), within the refund window
///
/// LOT is the lot's `ref:` or its purchase date.
///
/// Examples:
///
///   credits refund acme INV-1041
///   credits refund acme 2026-01-05 2h
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct RefundArgs {
    /// The client
    pub client: String,
    /// The lot: its `ref:` or its purchase date
    pub lot: String,
    /// How much (all that is unused when left out)
    pub qty: Option<String>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Correct a balance: `+QTY` adds a free lot, `-QTY` debits exactly; say why
///
/// Examples:
///
///   credits adjust acme +1h "Goodwill for the outage"
///   credits adjust acme -30m "Call logged twice"
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct AdjustArgs {
    /// The client
    pub client: String,
    /// The signed quantity: `+1h`, `-30m`
    #[arg(value_name = "+QTY|-QTY", allow_hyphen_values = true)]
    pub qty: String,
    /// Why, taken literally
    #[arg(value_name = "DESCRIPTION", required = true)]
    pub description: Vec<String>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Put a client on a plan from a date (`none`: off any plan)
///
/// Examples:
///
///   credits plan acme concierge
///   credits plan acme none --date 2026-10-01
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct PlanArgs {
    /// The client
    pub client: String,
    /// The plan's name, or `none`
    #[arg(value_name = "PLAN|none")]
    pub plan: String,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Mark the client's overage so far as invoiced
///
/// Examples:
///
///   credits bill acme --ref INV-1100 "March overage"
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct BillArgs {
    /// The client
    pub client: String,
    /// A description, taken literally
    #[arg(value_name = "DESCRIPTION")]
    pub description: Vec<String>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Assert a client's balance after all of a date's entries
///
/// Examples:
///
///   credits assert acme 3h
///   credits assert acme -30m --date 2026-02-10
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct AssertArgs {
    /// The client
    pub client: String,
    /// The expected balance (signed)
    #[arg(value_name = "QTY", allow_hyphen_values = true)]
    pub qty: String,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// A writing command, parsed.
#[derive(Debug)]
pub enum Write<'a> {
    /// `credits log`.
    Log(&'a LogArgs),
    /// `credits buy`.
    Buy(&'a BuyArgs),
    /// `credits debit`.
    Debit(&'a DebitArgs),
    /// `credits quote`.
    Quote(&'a QuoteArgs),
    /// `credits estimate`.
    Estimate(&'a EstimateArgs),
    /// `credits approve`.
    Approve(&'a QuoteAnswerArgs),
    /// `credits reject`.
    Reject(&'a QuoteAnswerArgs),
    /// `credits done`.
    Done(&'a QuoteAnswerArgs),
    /// `credits apply`.
    Apply(&'a ApplyArgs),
    /// `credits refund`.
    Refund(&'a RefundArgs),
    /// `credits adjust`.
    Adjust(&'a AdjustArgs),
    /// `credits plan`.
    Plan(&'a PlanArgs),
    /// `credits bill`.
    Bill(&'a BillArgs),
    /// `credits assert`.
    Assert(&'a AssertArgs),
}

/// Run a writing command.
pub fn run(w: &Write<'_>, ctx: &Context) -> anyhow::Result<ExitCode> {
    let book_path = ctx.book_path()?;
    let _lock = append::lock_book(&book_path, &os::shown(&book_path, &ctx.cwd))?;
    let loaded = ctx.load_book()?;
    let entry = build(w, ctx, &loaded)?;
    commit(ctx, &book_path, &loaded, &entry)?;
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
                let due = a.due.map(|d| d.format("%Y-%m-%d").to_string());
                push_meta(&mut meta, MetaKey::Due, due.as_deref())?;
                (&a.common, a.client.clone(), verb, &a.description[..], meta)
            }
            Write::Estimate(a) => {
                let verb = Verb::Estimate {
                    id: one_word("estimate id", &a.id)?,
                    qty: qty_or_name(&a.qty, unit)?,
                };
                let mut meta = Vec::new();
                let due = a.due.map(|d| d.format("%Y-%m-%d").to_string());
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
        date: common.date.unwrap_or(ctx.today),
        seq: 0,
        span: Span::default(),
        client_span: Span::default(),
        client: client.into(),
        verb,
        tags,
        meta,
        description: crate::syntax::print::one_line(&description.join(" ")),
        canon: CompactString::default(),
    })
}

const LOG_HELP: &str = "write `credits log [CLIENT] DURATION [DESCRIPTION]`, such as `credits log acme 15m Fixed the header`";

/// The `log` verb for a duration word.
fn log_verb(word: &str, unit: Minutes) -> Result<Verb, Fail> {
    let clock = value::clock_range(word).map_err(value_fail)?;
    let minutes = match clock {
        Some(range) => value::clock_minutes(range),
        None => value::duration(word, unit, "log").map_err(value_fail)?,
    };
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
    {
        return Ok((first.clone(), rest));
    }
    Ok((resolve_client(flag, ctx, loaded)?, words))
}

/// The client of a command that names none (SPEC §5, §7.20): `--client` / `CREDITS_CLIENT`,
/// then the client whose `dirs` hold the current folder (deepest match), then the only client.
pub fn resolve_client(flag: Option<&str>, ctx: &Context, loaded: &Loaded) -> Result<String, Fail> {
    if let Some(c) = flag {
        return Ok(c.to_string());
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let cwd = std::fs::canonicalize(&ctx.cwd).unwrap_or_else(|_| ctx.cwd.clone());
    let book_dir = loaded.book_path.parent().unwrap_or(Path::new("/"));
    let mut best: Option<(usize, &str)> = None;
    for c in loaded.book.clients.values() {
        for d in &c.dirs {
            let path = expand_dir(d, home.as_deref(), book_dir);
            let path = std::fs::canonicalize(&path).unwrap_or(path);
            if cwd.starts_with(&path) {
                let depth = path.components().count();
                if best.is_none_or(|(b, _)| depth > b) {
                    best = Some((depth, &c.id));
                }
            }
        }
    }
    if let Some((_, id)) = best {
        return Ok(id.to_string());
    }
    let mut ids = loaded.book.clients.keys();
    if let (Some(only), None) = (ids.next(), ids.next()) {
        return Ok(only.clone());
    }
    let list: Vec<String> = loaded
        .book
        .clients
        .keys()
        .map(|k| format!("`{k}`"))
        .collect();
    let help = if list.is_empty() {
        "the book has no clients yet: add a `[clients.ID]` table to `credits.toml`".to_string()
    } else {
        format!(
            "name one (the clients are {}), or use `--client`, `CREDITS_CLIENT` or a client's `dirs`",
            list.join(", ")
        )
    };
    Err(Fail::request(
        "which client? none is named and none was found for this folder",
        Some(help),
    ))
}

/// A `dirs` entry as a path: `~` is the home folder; a relative path is from the book's folder.
fn expand_dir(d: &str, home: Option<&Path>, book_dir: &Path) -> PathBuf {
    let p = match (d.strip_prefix('~'), home) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => {
            home.join(rest.trim_start_matches('/'))
        }
        _ => PathBuf::from(d),
    };
    if p.is_absolute() { p } else { book_dir.join(p) }
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
    if s == "never" {
        return Ok(LineExpiry::Never);
    }
    if let Ok(x) = value::span(s) {
        return Ok(LineExpiry::Span(x));
    }
    if s.len() == 10 && s.as_bytes().get(4) == Some(&b'-') {
        return value::date(s).map(LineExpiry::Date).map_err(value_fail);
    }
    value::span(s).map(LineExpiry::Span).map_err(|_| {
        Fail::usage(
            format!("`{s}` is not a date, a span or `never`"),
            Some("write `--expires 2026-12-31`, `--expires 12mo` or `--expires never`".into()),
        )
    })
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
        let value = one_word(&format!("`{}:` value", key.word()), v)?;
        meta.push(Meta { key, value });
    }
    Ok(())
}

/// Validate `entry` against the whole book and append it to the book's first journal; print
/// the line, the journal and the client's new balance. The caller holds the book's lock.
/// `loaded` needs only the book: the journals are read here, once, with the new line.
pub fn commit(
    ctx: &Context,
    book_path: &Path,
    loaded: &Loaded,
    entry: &Entry,
) -> Result<(), anyhow::Error> {
    write_entry(ctx, book_path, loaded, entry)?.print(ctx)
}

/// An entry written: what to print about it.
#[derive(Debug)]
pub struct Written {
    /// The line, the journal and the new balance, as printed.
    pub out: String,
    /// The journal written to, as messages name it.
    pub journal: String,
}

impl Written {
    /// Print what was written. When stdout fails (but for a broken pipe, which is quiet), the
    /// error says that the entry was written all the same, so that nobody writes it again.
    pub fn print(&self, ctx: &Context) -> anyhow::Result<()> {
        let note = format!(
            "the entry was written to {}; only printing the new balance failed",
            self.journal
        );
        print_or_note(ctx, &self.out, &note)
    }
}

/// Print `out` for a command that changed something; when stdout fails (but for a broken
/// pipe, which is quiet), print the error and `note` (what was done all the same) on stderr
/// and fail with exit 1.
pub fn print_or_note(ctx: &Context, out: &str, note: &str) -> anyhow::Result<()> {
    match ctx.print(out) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(e.into()),
        Err(e) => {
            let d = Diagnostic::bare(e.to_string());
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(
                diagnostic::render(&d, &crate::source::SourceMap::default(), ctx.color_err)
                    .as_bytes(),
            );
            let _ = writeln!(err, "note: {note}");
            Err(Fail::printed().into())
        }
    }
}

/// [`commit`] but for the printing: validate and append `entry`, and return what to print.
pub fn write_entry(
    ctx: &Context,
    book_path: &Path,
    loaded: &Loaded,
    entry: &Entry,
) -> Result<Written, anyhow::Error> {
    let unit = loaded.book.unit_minutes;

    // One printer, one parser: the line must read back as the entry that was asked for.
    let line = print::entry(entry, unit);
    let parsed = journal::parse(&line, FileId(0), unit);
    let same = match (&parsed.entries[..], parsed.diagnostics.is_empty()) {
        ([back], true) if parsed.includes.is_empty() => {
            let mut back = back.clone();
            back.seq = entry.seq;
            back.span = entry.span;
            back.client_span = entry.client_span;
            back.canon.clone_from(&entry.canon);
            back == *entry
        }
        _ => false,
    };
    if !same {
        return Err(Fail::request(
            format!("`{line}` would not read back as the entry asked for"),
            Some("write the entry into the journal by hand".into()),
        )
        .into());
    }

    if line.len() > append::MAX_LINE {
        return Err(append::too_long(&line).into());
    }

    // The book as it will be, read and replayed once: validated exactly as `credits check`
    // will see it. A journal that ends in a torn line is refused first: the new line would
    // make that line an entry.
    let target = &loaded.write_target;
    let journal = os::shown(target, &ctx.cwd);
    let existing = append::current(target, &journal)?;
    existing.refuse_torn(&journal, ctx.color_err)?;
    let addition = append::addition(&existing.sketch, &line);
    let mut after = with_line(ctx, book_path, &addition, &entry.client, loaded)?;
    // The new line's entries: those of the write target past its present text.
    let (target_file, boundary) = after
        .loaded
        .appended
        .as_ref()
        .map_or((None, 0), |(f, at, _)| (Some(*f), *at));
    let is_new = |e: &Entry| Some(e.span.file) == target_file && e.span.start as usize >= boundary;

    // SPEC §7.19: a book with problems is not written to. Clients never touch each other's
    // lots, so the book as it is differs from the book with the line only for this client:
    // the others' problems are those of the replay above, and this client's come from its
    // own entries replayed without the new line.
    let lean = engine::ReplayOptions::STATES;
    let mine: HashSet<Span> = after
        .own
        .iter()
        .flat_map(|e| [e.span, e.client_span])
        .collect();
    let before_own: Vec<Entry> = after.own.iter().filter(|e| !is_new(e)).cloned().collect();
    // Only this client's balance is shown after the write, and clients never touch each
    // other's lots: its entries alone are replayed for it, on a second thread, while the
    // replay without the new line runs here.
    let as_of = ctx.today.max(entry.date);
    let (before, now) = std::thread::scope(|s| {
        let now = (!ctx.quiet).then(|| {
            s.spawn(|| engine::replay_with(&after.loaded.book, &after.own, Some(as_of), lean))
        });
        let before = engine::replay_with(&after.loaded.book, &before_own, None, lean);
        let now = now.map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        (before, now)
    });
    let mut problems: Vec<Diagnostic> = after.loaded.problems.clone();
    problems.extend(
        after
            .replay
            .problems
            .iter()
            .filter(|d| !d.span.is_some_and(|s| mine.contains(&s)))
            .cloned(),
    );
    problems.extend(before.problems);
    problems.retain(Diagnostic::is_error);
    if !problems.is_empty() {
        print_errors(ctx, &after.loaded.full_sources(), &mut problems);
        return Err(Fail::request(
            "the book has problems: fix them before writing to it",
            Some("`credits check` lists them".into()),
        )
        .into());
    }

    let mut problems: Vec<Diagnostic> = std::mem::take(&mut after.replay.problems);
    problems.retain(Diagnostic::is_error);
    for d in &mut problems {
        if d.span.is_some_and(|s| s == entry_span(&after.own, &is_new)) {
            in_command_words(d, entry, ctx.today);
        }
    }
    if !problems.is_empty() {
        print_errors(ctx, &after.loaded.full_sources(), &mut problems);
        return Err(Fail::request(
            format!("not written: `{line}` would make the book fail `credits check`"),
            None,
        )
        .into());
    }

    append::append(target, &journal, &line, ctx.color_err)?;

    let shown = after
        .loaded
        .sources
        .files
        .iter()
        .skip(1)
        .map(|f| f.name.as_str())
        .next()
        .unwrap_or_default()
        .to_string();
    let mut out = format!("{line}\n→ {shown}\n");
    if let Some(now) = &now {
        let b = report::balance(&after.loaded.book, now, as_of, Some(&entry.client));
        for c in &b.clients {
            let both = |m: Minutes| {
                let n = units(m, b.unit_minutes);
                let name = if n == Minutes::ONE {
                    b.unit.clone()
                } else {
                    crate::render::plural(&b.unit)
                };
                format!("{n} {name} ({})", hmm(m))
            };
            let _ = write!(
                out,
                "{}: balance {}, pending {}, available {}",
                c.id,
                both(c.balance),
                hmm(c.pending),
                both(c.available)
            );
            if !c.overage.is_zero() {
                let _ = write!(out, ", overage {}", hmm(c.overage));
            }
            let _ = writeln!(out, " as of {as_of}");
            for w in &c.warnings {
                let _ = writeln!(out, "warning: {}", w.message);
            }
        }
    }
    // The process ends soon after this: freeing every client's lots and quotes one at a time
    // would cost about a millisecond on a 100k-entry book, for nothing.
    std::mem::forget(after);
    std::mem::forget(now);
    Ok(Written { out, journal })
}

/// The span of the new line's entry (its verb), where the engine reports it.
fn entry_span(own: &[Entry], is_new: &impl Fn(&Entry) -> bool) -> Span {
    own.iter()
        .rev()
        .find(|e| is_new(e))
        .map_or_else(Span::default, |e| e.span)
}

/// An engine problem with the new line, said in the words of the command line: the
/// journal's `quote:ID` is the option `--quote ID`, and a journal line to add is a command to
/// run.
fn in_command_words(d: &mut Diagnostic, entry: &Entry, today: NaiveDate) {
    let Some(id) = entry.meta(MetaKey::Quote) else {
        return;
    };
    let journal = format!("`quote:{id}`");
    let option = format!("`--quote {id}`");
    d.message = d.message.replace(&journal, &option);
    if let Some(help) = &mut d.help {
        let date = if entry.date == today {
            String::new()
        } else {
            format!(" --date {}", entry.date)
        };
        let journal_line = format!("`{} approve {} {id}`", entry.date, entry.client);
        let command = format!("`credits approve {} {id}{date}`", entry.client);
        *help = help
            .replace(&journal, &option)
            .replace(&journal_line, &command);
    }
}

/// The book with a new line, read and replayed in one pass.
struct WithLine {
    /// The book, its sources and the problems of reading it; no entries kept.
    loaded: Loaded,
    /// The replay of every entry, without history.
    replay: engine::Replay,
    /// The entries of the new line's client, the new line's included.
    own: Vec<Entry>,
}

/// Read the book as it will be with `addition` appended to its write target, replaying every
/// entry as it is read and keeping only `client`'s. A book out of date order is replayed as
/// a whole instead. `known` is the book as read to build the line: on the threaded path its
/// `credits.toml` is not parsed again (with `CREDITS_THREADS=1` it still is).
fn with_line(
    ctx: &Context,
    book_path: &Path,
    addition: &str,
    client: &str,
    known: &Loaded,
) -> Result<WithLine, Fail> {
    let lean = engine::ReplayOptions::STATES;
    if ctx.threads > 1 {
        let line = super::NewLine {
            addition,
            client,
            known,
        };
        let parted =
            super::replay_in_parts(book_path, &ctx.cwd, None, lean, ctx.threads, Some(&line));
        match parted.map_err(|e| Fail::request(e.to_string(), None))? {
            Some((loaded, Ok(replay), own)) => {
                return Ok(WithLine {
                    loaded,
                    replay,
                    own,
                });
            }
            // Out of date order, or a journal with an `include` or bad bytes: read on one
            // thread (which replays a book out of order as a whole).
            Some((_, Err(engine::Disordered), _)) | None => {}
        }
    }
    let opts = journal::ParseOptions {
        descriptions: false,
    };
    let read = load::load_streaming_appending(book_path, &ctx.cwd, addition, opts, |book, read| {
        let mut replayer = Some(engine::Replayer::new(book, None, lean));
        let mut own = Vec::new();
        read(&mut |e| {
            if e.client == client {
                own.push(e.clone());
            }
            if replayer.as_mut().is_some_and(|r| r.push(e).is_err()) {
                replayer = None;
            }
            ControlFlow::Continue(())
        });
        (replayer.map(engine::Replayer::finish), own)
    });
    let (loaded, (replay, own)) = read.map_err(|e| Fail::request(e.to_string(), None))?;
    let replay = match replay {
        Some(Ok(replay)) => replay,
        _ => {
            let all = load::load_appending(book_path, &ctx.cwd, addition)
                .map_err(|e| Fail::request(e.to_string(), None))?;
            engine::replay_with(&all.book, &all.entries, None, lean)
        }
    };
    Ok(WithLine {
        loaded,
        replay,
        own,
    })
}

fn print_errors(ctx: &Context, sources: &crate::source::SourceMap, problems: &mut [Diagnostic]) {
    diagnostic::sort(problems);
    let mut err = std::io::stderr().lock();
    for d in problems.iter() {
        let _ = err.write_all(diagnostic::render(d, sources, ctx.color_err).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    #[test]
    fn dirs_expand_the_home_folder_and_read_relative_paths_from_the_book() {
        let home = Path::new("/home/jane");
        let book = Path::new("/books/studio");
        assert_eq!(
            expand_dir("~/work/acme", Some(home), book),
            Path::new("/home/jane/work/acme")
        );
        assert_eq!(expand_dir("~", Some(home), book), home);
        assert_eq!(
            expand_dir("sites/acme", Some(home), book),
            Path::new("/books/studio/sites/acme")
        );
        assert_eq!(expand_dir("/srv/x", Some(home), book), Path::new("/srv/x"));
    }

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
