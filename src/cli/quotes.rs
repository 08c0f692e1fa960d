//! `credits quotes [CLIENT]`.

use super::period::PeriodArgs;
use super::{Context, Format, known_client};
use crate::engine::ReplayOptions;
use crate::render;
use crate::report;
use clap::Args;
use std::process::ExitCode;

/// List quotes and estimates: status, quantity, the time logged on each, due date
///
/// A quote is a fixed price: work logged on it (`log … quote:ID`) is recorded but never
/// debited, and `done` debits the quote. An estimate is charged on the time actually logged
/// on it; its `done` debits nothing. A quote or estimate is overdue when it is approved, not
/// done, and its `due:` date is before today. A period keeps the quotes and estimates whose
/// `quote` or `estimate` entry is dated in it.
///
/// Examples:
///
///   credits quotes
///   credits quotes acme --format json
///   credits quotes -p this-year
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct QuotesArgs {
    /// Only this client
    pub client: Option<String>,

    /// `-p`, `--month`, `--from`, `--to`: the quotes and estimates made in the period
    /// [default: all].
    #[command(flatten)]
    pub period: PeriodArgs,
}

/// Run `credits quotes`.
pub fn run(args: &QuotesArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let period = args.period.resolve(ctx.today)?;
    // Quotes are states, not history: replayed without it as the entries are read, as
    // `balance` is (a quote's description is read all the same).
    let (loaded, replay) = ctx.load_replayed(Some(ctx.today), ReplayOptions::STATES)?;
    if let Some(id) = &args.client {
        known_client(&loaded, id)?;
    }
    let replay = ctx.checked(&loaded, replay)?;
    let mut q = report::quotes(&loaded.book, &replay, ctx.today, args.client.as_deref());
    // A quote is in a period when its `quote` or `estimate` entry is dated in it.
    if let Some(p) = &period {
        q.quotes.retain(|r| (p.from..=p.to).contains(&r.date));
    }
    let text = match ctx.format {
        Format::Json => render::quotes::json(&q),
        Format::Csv => render::quotes::csv(&q),
        Format::Md => render::quotes::md(&q),
        _ => render::quotes::text(&q, ctx.text()),
    };
    ctx.print(&text)?;
    Ok(ExitCode::SUCCESS)
}
