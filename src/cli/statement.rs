//! `credits statement CLIENT|--all (--month YYYY-MM | --from D --to D) [--out DIR]`.

use super::{Context, Fail, Format, known_client, os};
use crate::engine::ReplayOptions;
use crate::render;
use crate::report::{self, Statement};
use chrono::{Datelike, NaiveDate};
use clap::{ArgGroup, Args};
use std::path::PathBuf;
use std::process::ExitCode;

/// Print a client's statement for a period
///
/// Every event of the period in order (what was bought, logged, debited, expired, refunded
/// or applied), logged and debited time side by side with the running balance, then a
/// summary: opening and closing balance, pending time, value remaining, overage and what is
/// due at the client's rate, lots expiring soon after the period, open quotes. A period that
/// runs past today is cut at today.
///
/// Formats: text, md, html (one self-contained page that prints to PDF), csv, json.
/// With `--out DIR`, each statement is written to `DIR/<client>-<YYYY-MM>.<ext>`
/// (`<client>-<from>_<to>.<ext>` for `--from/--to`) and the paths are printed.
///
/// Examples:
///
///   credits statement acme --month 2026-10
///   credits statement acme --from 2026-01-01 --to 2026-06-30 --format md
///   credits statement --all --month 2026-10 --format html --out statements/
#[derive(Debug, Args)]
#[command(
    verbatim_doc_comment,
    group(ArgGroup::new("who").required(true).args(["client", "all"])),
    group(ArgGroup::new("period").required(true).args(["month", "from"]))
)]
pub struct StatementArgs {
    /// The client
    pub client: Option<String>,

    /// Every client of the book
    #[arg(long, conflicts_with = "client")]
    pub all: bool,

    /// The month, YYYY-MM
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month, conflicts_with_all = ["from", "to"])]
    pub month: Option<NaiveDate>,

    /// First day of the period, YYYY-MM-DD
    #[arg(long, value_name = "DATE", value_parser = parse_date, requires = "to")]
    pub from: Option<NaiveDate>,

    /// Last day of the period, YYYY-MM-DD
    #[arg(long, value_name = "DATE", value_parser = parse_date, requires = "from")]
    pub to: Option<NaiveDate>,

    /// Write one file per client into this folder (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    crate::syntax::value::date(s).map_err(|e| match e.help {
        Some(h) => format!("{}; {h}", e.message),
        None => e.message,
    })
}

fn parse_month(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d")
        .ok()
        .filter(|_| s.len() == 7)
        .ok_or_else(|| format!("`{s}` is not a month; write it as YYYY-MM, e.g. `2026-10`"))
}

/// The period asked for, and the name files get: `2026-10` or `2026-01-01_2026-06-30`.
fn period(args: &StatementArgs) -> Result<(NaiveDate, NaiveDate, String), Fail> {
    if let Some(first) = args.month {
        let next = crate::model::add_months(first, 1).unwrap_or(NaiveDate::MAX);
        let last = next.pred_opt().unwrap_or(first);
        let name = format!("{:04}-{:02}", first.year(), first.month());
        return Ok((first, last, name));
    }
    match (args.from, args.to) {
        (Some(from), Some(to)) if from <= to => Ok((from, to, format!("{from}_{to}"))),
        (Some(from), Some(to)) => Err(Fail::usage(
            format!("`--from {from}` is after `--to {to}`"),
            Some("the period runs from its first day to its last".into()),
        )),
        _ => Err(Fail::usage(
            "name the period with `--month YYYY-MM` or `--from D --to D`",
            None,
        )),
    }
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Text => "txt",
        Format::Json => "json",
        Format::Csv => "csv",
        Format::Md => "md",
        Format::Html => "html",
    }
}

fn render_one(s: &Statement, ctx: &Context, layout: render::text::Layout) -> String {
    match ctx.format {
        Format::Text => render::text::statement(s, layout),
        Format::Json => render::json::statement(s),
        Format::Csv => render::csv::statements(std::slice::from_ref(s)),
        Format::Md => render::md::statement(s),
        Format::Html => render::html::statement(s),
    }
}

/// Run `credits statement`.
pub fn run(args: &StatementArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let (from, to, name) = period(args)?;
    if ctx.format == Format::Html && args.all && args.out.is_none() {
        return Err(Fail::usage(
            "`--all --format html` writes one page per client",
            Some("add `--out DIR`".into()),
        )
        .into());
    }
    // Only the period's history is kept (and the balance that opens it), replayed as the
    // entries are read: a statement needs the memory of its period, not of the book.
    let opts = ReplayOptions {
        events: true,
        events_from: Some(from),
        sums: false,
    };
    let (loaded, replay) = ctx.load_replayed(Some(to.min(ctx.today)), opts)?;
    if let Some(id) = &args.client {
        known_client(&loaded, id)?;
    }
    if from > ctx.today {
        return Err(Fail::request(
            format!("the period starts on {from}, after today ({})", ctx.today),
            Some("a statement covers what has happened: choose a period up to today".into()),
        )
        .into());
    }
    let replay = ctx.checked(&loaded, replay)?;
    let ids: Vec<&String> = match &args.client {
        Some(id) => vec![id],
        None => loaded.book.clients.keys().collect(),
    };
    let statements: Vec<Statement> = ids
        .iter()
        .map(|id| report::statement(&loaded.book, &replay, id, from, to, ctx.today))
        .collect();

    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir)
            .map_err(|e| os::fail("create the folder", &dir.display().to_string(), &e))?;
        let mut written = String::new();
        for s in &statements {
            let path = dir.join(format!("{}-{name}.{}", s.client, extension(ctx.format)));
            std::fs::write(&path, render_one(s, ctx, false.into()))
                .map_err(|e| os::fail("write", &path.display().to_string(), &e))?;
            written.push_str(&path.display().to_string());
            written.push('\n');
        }
        ctx.print(&written)?;
        return Ok(ExitCode::SUCCESS);
    }

    let text = match (ctx.format, args.all) {
        (Format::Json, true) => render::json::statements(&statements),
        (Format::Csv, _) => render::csv::statements(&statements),
        (Format::Md, true) => statements
            .iter()
            .map(render::md::statement)
            .collect::<Vec<_>>()
            .join("\n---\n\n"),
        _ => statements
            .iter()
            .map(|s| render_one(s, ctx, ctx.text()))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    ctx.print(&text)?;
    Ok(ExitCode::SUCCESS)
}
