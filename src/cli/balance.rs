//! `credits balance [CLIENT]`.

use super::{Context, Format, known_client};
use crate::render;
use crate::report;
use clap::Args;
use std::process::ExitCode;

/// Show every client's balance as of today, or one client's in detail
///
/// Entries dated after today are left out (the output says how many); `--today` moves
/// "today". With a CLIENT, also lists the open lots in the order they are drawn from, the
/// open quotes, and the warnings.
///
/// Examples:
///
///   credits balance
///   credits balance acme
///   credits balance acme --today 2026-12-31 --format json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct BalanceArgs {
    /// Only this client, in detail
    pub client: Option<String>,
}

/// Run `credits balance`.
pub fn run(args: &BalanceArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    // The balance shows states, never history: replay without it (faster, less memory), as
    // the entries are read, never holding them all.
    let opts = crate::engine::ReplayOptions::STATES.with_forecast(ctx.today);
    let (loaded, replay) = ctx.load_replayed(Some(ctx.today), opts)?;
    if let Some(id) = &args.client {
        known_client(&loaded, id)?;
    }
    let replay = ctx.checked(&loaded, replay)?;
    let balance = report::balance(&loaded.book, &replay, ctx.today, args.client.as_deref());
    let text = match (ctx.format, &args.client) {
        (Format::Json, _) => render::json::balance(&balance),
        (Format::Csv, _) => render::tables::balance_csv(&balance),
        (Format::Md, _) => render::tables::balance_md(&balance, args.client.is_some()),
        (_, Some(_)) => render::text::balance_detail(&balance, ctx.text()),
        (_, None) => render::text::balance(&balance, ctx.text()),
    };
    ctx.print(&text)?;
    // The process ends here: freeing a million entries one by one would only cost time
    // (about 5% of the run), as compilers that skip their final frees know.
    std::mem::forget(replay);
    std::mem::forget(loaded);
    Ok(ExitCode::SUCCESS)
}
