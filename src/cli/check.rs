//! `credits check`.

use super::{Context, Format};
use clap::Args;
use std::process::ExitCode;

/// Check the whole book, every entry whatever its date, and print every problem
///
/// Each problem is printed as `file:line:col: message`, with the line and a caret under the
/// fault; the exit code is 1 when any is an error. Run it before committing the book.
///
/// Examples:
///
///   credits check
///   credits check -q            print nothing when all is well
///   credits -f ~/books/jane check
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct CheckArgs {}

/// Run `credits check`.
pub fn run(_args: &CheckArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    ctx.require_format("check", &[Format::Text])?;
    let opts = crate::engine::ReplayOptions { events: false };
    let (loaded, replay) = ctx.load_replayed(None, opts)?;
    let (attributes, mut warnings) = super::git::union_warnings(&loaded.journal_paths, &ctx.cwd);
    ctx.print_problems(&attributes, &mut warnings);
    ctx.checked(&loaded, replay)?;
    if !ctx.quiet {
        let clients = loaded.book.clients.len();
        let entries = loaded.entry_count;
        let journals = loaded.journal_paths.len();
        let count = |n: usize, one: &str, many: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {many}")
            }
        };
        ctx.print(&format!(
            "ok: {}, {} in {}\n",
            count(clients, "client", "clients"),
            count(entries, "entry", "entries"),
            count(journals, "journal", "journals")
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
