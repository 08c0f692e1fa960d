//! `credits statement CLIENT|--all [-p PERIOD | --month YYYY-MM | --from D [--to D]] [--out DIR]`.

use super::period::{Period, PeriodArgs, PeriodWord, Unit};
use super::{Context, Fail, Format, known_client, os};
use crate::engine::ReplayOptions;
use crate::render;
use crate::report::{self, Statement};
use chrono::NaiveDate;
use clap::{ArgGroup, Args};
use std::path::PathBuf;
use std::process::ExitCode;

/// Print a client's statement for a period
///
/// Every event of the period in order (what was bought, logged, debited, expired, refunded
/// or applied), logged and debited time side by side with the running balance, then a
/// summary: opening and closing balance, pending time, value remaining, overage and what is
/// due at the client's rate, lots expiring soon after the period, open quotes. A period that
/// runs past today is cut at today. Without a period, the statement covers last month.
///
/// Formats: text, md, html (one self-contained page that prints to PDF), csv, json.
/// With `--out DIR`, each statement is written to `DIR/<client>-<period>.<ext>`, the period
/// named as asked (`2026-10`, `2026`, `2026-W05`, `<from>_<to>` for `--from/--to`), and the
/// paths are printed.
///
/// Examples:
///
///   credits statement acme
///   credits statement acme -p 2026-10
///   credits statement --all -p last-month --format html --out statements/
///   credits statement acme --from 2026-01-01 --to 2026-06-30 --format md
#[derive(Debug, Args)]
#[command(
    verbatim_doc_comment,
    group(ArgGroup::new("who").required(true).args(["client", "all"]))
)]
pub struct StatementArgs {
    /// The client
    pub client: Option<String>,

    /// Every client of the book
    #[arg(long, conflicts_with = "client")]
    pub all: bool,

    /// `-p`, `--month`, `--from`, `--to` [default: last month].
    #[command(flatten)]
    pub period: PeriodArgs,

    /// Write one file per client into this folder (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// The period asked for (last month when none), and the name files get: `2026-10`, `2026`,
/// `2026-W05` or `2026-01-01_2026-06-30`.
fn period(args: &StatementArgs, today: NaiveDate) -> Result<Period, Fail> {
    if let Some(p) = args.period.resolve(today)? {
        return Ok(p);
    }
    PeriodWord::Last(Unit::Month)
        .resolve(today)
        .ok_or_else(|| Fail::usage("there is no month before this one", None))
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
    let Period { from, to, name } = period(args, ctx.today)?;
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
        burn_from: None,
        projects: false,
    }
    .with_forecast(to.min(ctx.today));
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
