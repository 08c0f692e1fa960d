//! `credits clients`.

use super::{Context, Format};
use crate::engine::ReplayOptions;
use crate::render;
use crate::report;
use clap::Args;
use std::process::ExitCode;

/// List the book's clients: id, name, plan as of today, currency, rate and email
///
/// Examples:
///
///   credits clients
///   credits clients --format json
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ClientsArgs {}

/// Run `credits clients`.
pub fn run(_args: &ClientsArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    // Plans as of today, never history: replayed as the entries are read.
    let (loaded, replay) = ctx.load_replayed(Some(ctx.today), ReplayOptions::STATES)?;
    let replay = ctx.checked(&loaded, replay)?;
    let list = report::clients(&loaded.book, &replay);
    let text = match ctx.format {
        Format::Json => render::json::clients(&list),
        Format::Csv => render::tables::clients_csv(&list),
        Format::Md => render::tables::clients_md(&list),
        _ => render::text::clients(&list, ctx.text()),
    };
    ctx.print(&text)?;
    Ok(ExitCode::SUCCESS)
}
