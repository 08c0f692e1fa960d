//! `credits export --to hledger|ledger|beancount|csv|json`.

use super::{Context, Fail, Format};
use crate::engine::ReplayOptions;
use crate::render;
use crate::report;
use clap::{Args, ValueEnum};
use std::process::ExitCode;

/// Export the book's purchases and consumption for an accounting tool
///
/// Every purchase, grant, adjustment, debit, expiry, refund, applied amount, carried debt
/// and overage through today becomes a balanced transaction. Time is the commodity `MIN`
/// (minutes, so that every quantity is exact); a purchase enters
/// `assets:prepaid:CLIENT` at its cost, and time leaves it at the cost of the lot it came
/// from, to `expenses:consumed`, `expenses:expired`, `expenses:refunded` or
/// `expenses:applied`. The balance of `assets:prepaid:CLIENT` is the client's balance, and
/// its cost (`hledger bal -B`) is the value `credits balance` shows.
///
/// Examples:
///
///   credits export --to hledger > credits.journal && hledger -f credits.journal bal
///   credits export --to ledger > credits.ledger && ledger -f credits.ledger bal
///   credits export --to beancount > credits.beancount && bean-check credits.beancount
///   credits export --to csv
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ExportArgs {
    /// The format to write
    #[arg(long, value_enum, value_name = "TOOL")]
    pub to: To,
}

/// `--to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum To {
    /// An hledger journal.
    Hledger,
    /// A ledger journal.
    Ledger,
    /// A beancount ledger.
    Beancount,
    /// One CSV line per posting.
    Csv,
    /// The transactions as JSON.
    Json,
}

/// Run `credits export`.
pub fn run(args: &ExportArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    if ctx.format != Format::Text {
        return Err(Fail::usage(
            "`export` takes `--to`, not `--format`",
            Some(format!("use `--to {}`", ctx.format)),
        )
        .into());
    }
    // Replayed as the entries are read: the history is held, the entries never all at once.
    let (loaded, replay) = ctx.load_replayed(Some(ctx.today), ReplayOptions::default())?;
    let replay = ctx.checked(&loaded, replay)?;
    let x = report::export::export(&loaded.book, &replay, ctx.today);
    let text = match args.to {
        To::Hledger => render::export::hledger(&x),
        To::Ledger => render::export::ledger(&x),
        To::Beancount => render::export::beancount(&x),
        To::Csv => render::export::csv(&x),
        To::Json => render::export::json(&x),
    };
    ctx.print(&text)?;
    Ok(ExitCode::SUCCESS)
}
