//! `credits usage [CLIENT] [--by month|week] [--from D --to D]`.

use super::filter::FilterArgs;
use super::period::PeriodArgs;
use super::{Context, Fail, Format, known_client};
use crate::engine::ReplayOptions;
use crate::render;
use crate::report::{self, Period};
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
///   credits usage -p this-year --tag support
///   credits usage acme --format csv
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct UsageArgs {
    /// Only this client
    pub client: Option<String>,

    /// Group by calendar month or ISO week
    #[arg(long, value_enum, value_name = "PERIOD", default_value_t = By::Month)]
    pub by: By,

    /// `-p`, `--month`, `--from`, `--to` [default: from the first log or debit to today].
    #[command(flatten)]
    pub period: PeriodArgs,

    /// `--tag`, `--project`, `--quote`, `--kind`, `--grep`.
    #[command(flatten)]
    pub filter: FilterArgs,
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
    let period = args.period.resolve(ctx.today)?;
    let (from, to) = (
        period.as_ref().map(|p| p.from),
        period.as_ref().map(|p| p.to),
    );
    if let Some(f) = from
        && f > ctx.today
    {
        return Err(Fail::request(
            format!("`--from {f}` is after today ({})", ctx.today),
            Some("reports stop at today; pass `--today` to report as of a later date".into()),
        )
        .into());
    }
    // The history as sums per date, replayed as the entries are read (never all held).
    // Filters read each event's tags and description: then the events are kept one by one.
    let filter = args.filter.filter();
    let opts = ReplayOptions {
        events: true,
        events_from: None,
        sums: filter.is_empty(),
        burn_from: None,
        projects: false,
    };
    let (loaded, replay) = ctx.load_replayed(Some(ctx.today), opts)?;
    if let Some(id) = &args.client {
        known_client(&loaded, id)?;
    }
    let mut replay = ctx.checked(&loaded, replay)?;
    filter.retain(&loaded.book, &mut replay, render::words::event);
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
        from,
        to,
    );
    let text = match ctx.format {
        Format::Json => render::usage::json(&u),
        Format::Csv => render::usage::csv(&u),
        Format::Md => render::usage::md(&u),
        _ => render::usage::text(&u, ctx.text()),
    };
    ctx.print(&text)?;
    Ok(ExitCode::SUCCESS)
}
