//! `credits quotes [CLIENT]`.

use super::{Context, Format, known_client};
use crate::render;
use crate::report;
use clap::Args;
use std::process::ExitCode;

/// List quotes and estimates: status, quantity, the time logged on each, due date
///
/// A quote is a fixed price: work logged on it (`log … quote:ID`) is recorded but never
/// debited, and `done` debits the quote. An estimate is charged on the time actually logged
/// on it; its `done` debits nothing. A quote or estimate is overdue when it is approved, not
/// done, and its `due:` date is before today.
///
/// Examples:
///
///   credits quotes
///   credits quotes acme --format json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct QuotesArgs {
    /// Only this client
    pub client: Option<String>,
}

/// Run `credits quotes`.
pub fn run(args: &QuotesArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    ctx.require_format(
        "quotes",
        &[Format::Text, Format::Json, Format::Csv, Format::Md],
    )?;
    let loaded = ctx.load()?;
    if let Some(id) = &args.client {
        known_client(&loaded, id)?;
    }
    let replay = ctx.replay(&loaded, Some(ctx.today))?;
    let q = report::quotes(&loaded.book, &replay, ctx.today, args.client.as_deref());
    let text = match ctx.format {
        Format::Json => render::quotes::json(&q),
        Format::Csv => render::quotes::csv(&q),
        Format::Md => render::quotes::md(&q),
        _ => render::quotes::text(&q, ctx.text()),
    };
    ctx.print(&text)?;
    Ok(ExitCode::SUCCESS)
}
