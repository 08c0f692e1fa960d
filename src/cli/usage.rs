//! `credits usage [CLIENT] [--by month|week] [--from D --to D]`.

use super::{Context, Fail, Format, known_client};
use crate::engine::ReplayOptions;
use crate::render;
use crate::report::{self, Period};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use std::process::ExitCode;

/// Show time logged, debited and covered per month or week
///
/// For one CLIENT, or summed over every client of the book. Logged is the work written with
/// `log` (covered or not); debited is what `log`, `debit`, `done` and `adjust -` charged;
/// covered is logged work a plan covers. Weeks are ISO weeks, Monday to Sunday (`2026-W05`).
/// Periods with nothing in them are shown; the period ends at today at the latest.
///
/// Examples:
///
///   credits usage
///   credits usage acme --by week --from 2026-01-01 --to 2026-03-31
///   credits usage acme --format csv
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct UsageArgs {
    /// Only this client
    pub client: Option<String>,

    /// Group by calendar month or ISO week
    #[arg(long, value_enum, value_name = "PERIOD", default_value_t = By::Month)]
    pub by: By,

    /// First day, YYYY-MM-DD [default: the first log or debit]
    #[arg(long, value_name = "DATE", value_parser = super::parse_today)]
    pub from: Option<NaiveDate>,

    /// Last day, YYYY-MM-DD [default: today]
    #[arg(long, value_name = "DATE", value_parser = super::parse_today)]
    pub to: Option<NaiveDate>,
}

/// `--by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// Calendar months.
    Month,
    /// ISO weeks, Monday to Sunday.
    Week,
}

/// Run `credits usage`.
pub fn run(args: &UsageArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    ctx.require_format("usage", &[Format::Text, Format::Json, Format::Csv])?;
    if let (Some(f), Some(t)) = (args.from, args.to)
        && f > t
    {
        return Err(Fail::request(
            format!("`--from {f}` is after `--to {t}`"),
            Some("give the first day, then the last".to_string()),
        )
        .into());
    }
    if let Some(f) = args.from
        && f > ctx.today
    {
        return Err(Fail::request(
            format!("`--from {f}` is after today ({})", ctx.today),
            Some("reports stop at today; pass `--today` to report as of a later date".into()),
        )
        .into());
    }
    // The history as sums per date, replayed as the entries are read (never all held).
    let opts = ReplayOptions {
        events: true,
        events_from: None,
        sums: true,
    };
    let (loaded, replay) = ctx.load_replayed(Some(ctx.today), opts)?;
    if let Some(id) = &args.client {
        known_client(&loaded, id)?;
    }
    let replay = ctx.checked(&loaded, replay)?;
    let by = match args.by {
        By::Month => Period::Month,
        By::Week => Period::Week,
    };
    let u = report::usage(
        &loaded.book,
        &replay,
        ctx.today,
        args.client.as_deref(),
        by,
        args.from,
        args.to,
    );
    let text = match ctx.format {
        Format::Json => render::usage::json(&u),
        Format::Csv => render::usage::csv(&u),
        _ => render::usage::text(&u, ctx.text()),
    };
    ctx.print(&text)?;
    Ok(ExitCode::SUCCESS)
}
