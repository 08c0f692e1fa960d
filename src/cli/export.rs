//! `credits export --to hledger|ledger|beancount|csv|json`.

use super::{Context, Fail, Format};
use crate::engine::ReplayOptions;
use crate::render;
use crate::render::export::Target;
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

/// Standard output in chunks of about a megabyte: an export is printed as it is written.
struct Chunks<'c> {
    ctx: &'c Context,
    text: String,
    /// The first error printing met; nothing is printed after it.
    error: Option<std::io::Error>,
}

impl Chunks<'_> {
    const SIZE: usize = 1 << 20;

    fn flush(&mut self) {
        if self.error.is_none()
            && !self.text.is_empty()
            && let Err(e) = self.ctx.print(&self.text)
        {
            self.error = Some(e);
        }
        self.text.clear();
    }
}

impl std::fmt::Write for Chunks<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.text.push_str(s);
        if self.text.len() >= Self::SIZE {
            self.flush();
        }
        // Stop writing once printing failed.
        if self.error.is_some() {
            return Err(std::fmt::Error);
        }
        Ok(())
    }
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
    // Replayed as the entries are read: the history is held, the entries never all at once;
    // the transactions are made and written one at a time, never all held.
    let (loaded, replay) = ctx.load_replayed(Some(ctx.today), ReplayOptions::default())?;
    let replay = ctx.checked(&loaded, replay)?;
    let head = render::export::Head {
        book: &loaded.book.name,
        as_of: ctx.today,
        unit_minutes: loaded.book.unit_minutes,
    };
    let target = match args.to {
        To::Hledger => Target::Hledger,
        To::Ledger => Target::Ledger,
        To::Beancount => Target::Beancount,
        To::Csv => Target::Csv,
        To::Json => Target::Json,
    };
    let mut out = Chunks {
        ctx,
        text: String::new(),
        error: None,
    };
    let transactions = || report::export::transactions(&loaded.book, &replay);
    let written = render::export::write(target, &head, transactions, &mut out);
    if written.is_ok() {
        out.flush();
    }
    if let Some(e) = out.error {
        return Err(e.into());
    }
    Ok(ExitCode::SUCCESS)
}
