//! `credits expiring [--within SPAN]`.

use super::{Context, Format};
use crate::engine::ReplayOptions;
use crate::model::DateSpan;
use crate::render;
use crate::report;
use clap::Args;
use std::process::ExitCode;

/// List purchased and `adjust +` time that expires soon, across all clients
///
/// A lot is listed when it still has time left and its last usable day is within SPAN of
/// today (by default each client's `warn_days`: client, else plan, else book). Included time
/// from plans (grants) is never listed. Soonest first; `--today` moves "today".
///
/// Examples:
///
///   credits expiring
///   credits expiring --within 90d
///   credits expiring --within 6mo --format csv
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ExpiringArgs {
    /// How far ahead to look: `30d`, `12mo`, `1y` [default: each client's `warn_days`]
    #[arg(long, value_name = "SPAN", value_parser = parse_span)]
    pub within: Option<DateSpan>,
}

fn parse_span(s: &str) -> Result<DateSpan, String> {
    crate::syntax::value::span(s).map_err(|e| match e.help {
        Some(h) => format!("{}; {h}", e.message),
        None => e.message,
    })
}

/// Run `credits expiring`.
pub fn run(args: &ExpiringArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    // Lots and policies, never history: replayed as the entries are read.
    let (loaded, replay) = ctx.load_replayed(Some(ctx.today), ReplayOptions::STATES)?;
    let replay = ctx.checked(&loaded, replay)?;
    let e = report::expiring(&loaded.book, &replay, ctx.today, args.within);
    let text = match ctx.format {
        Format::Json => render::expiring::json(&e),
        Format::Csv => render::expiring::csv(&e),
        Format::Md => render::expiring::md(&e),
        _ => render::expiring::text(&e, ctx.text()),
    };
    ctx.print(&text)?;
    Ok(ExitCode::SUCCESS)
}
