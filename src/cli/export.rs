//! `credits export hledger|ledger|beancount|csv|json [CLIENT] [period] [filters]`.

use super::filter::FilterArgs;
use super::period::PeriodArgs;
use super::{Context, Fail, Format, known_client};
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
/// FORMAT is a word: hledger, ledger, beancount, csv or json. A period limits the export to
/// its transactions; a journal for hledger, ledger or beancount then opens with each
/// client's balance brought forward (against `equity:opening:CLIENT`), so that `bal` still
/// matches `credits balance`. The filters (`--tag`, `--project`, `--quote`, `--kind`,
/// `--grep`) apply to csv and json. Without a period, all time through today.
///
/// Examples:
///
///   credits export hledger > credits.journal && hledger -f credits.journal bal
///   credits export ledger -p 2026 > 2026.ledger && ledger -f 2026.ledger bal
///   credits export beancount > credits.beancount && bean-check credits.beancount
///   credits export csv acme -p last-month --tag support
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ExportArgs {
    /// The format to write
    #[arg(value_enum, value_name = "FORMAT")]
    pub tool: To,

    /// Only this client
    pub client: Option<String>,

    /// `-p`, `--month`, `--from`, `--to` [default: all time].
    #[command(flatten)]
    pub period: PeriodArgs,

    /// `--tag`, `--project`, `--quote`, `--kind`, `--grep` (csv and json).
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// The export's format word.
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
            "`export` takes its format as a word, not `--format`",
            Some(format!("write `credits export {}`", ctx.format)),
        )
        .into());
    }
    let journal = matches!(args.tool, To::Hledger | To::Ledger | To::Beancount);
    let filter = args.filter.filter();
    if journal && !filter.is_empty() {
        return Err(Fail::usage(
            format!(
                "`export {}` takes no filter: a filtered journal would not add up to the balance",
                args.tool.word()
            ),
            Some("filter `export csv` or `export json`, or limit the journal with `-p`".into()),
        )
        .into());
    }
    let period = args.period.resolve(ctx.today)?;
    let to = period.as_ref().map_or(ctx.today, |p| p.to.min(ctx.today));
    // Replayed as the entries are read: the history is held, the entries never all at once;
    // the transactions are made and written one at a time, never all held.
    let (loaded, replay) = ctx.load_replayed(Some(to), ReplayOptions::default())?;
    if let Some(id) = &args.client {
        known_client(&loaded, id)?;
    }
    let replay = ctx.checked(&loaded, replay)?;
    let head = render::export::Head {
        book: &loaded.book.name,
        as_of: to,
        unit_minutes: loaded.book.unit_minutes,
    };
    let target = match args.tool {
        To::Hledger => Target::Hledger,
        To::Ledger => Target::Ledger,
        To::Beancount => Target::Beancount,
        To::Csv => Target::Csv,
        To::Json => Target::Json,
    };
    let window = report::export::Window {
        client: args.client.as_deref(),
        from: period.as_ref().map(|p| p.from),
        bring_forward: journal,
        filter: (!filter.is_empty()).then_some(&filter),
        words: Some(render::words::event),
    };
    let mut out = Chunks {
        ctx,
        text: String::new(),
        error: None,
    };
    let transactions = || report::export::transactions_in(&loaded.book, &replay, &window);
    let written = render::export::write(target, &head, transactions, &mut out);
    if written.is_ok() {
        out.flush();
    }
    if let Some(e) = out.error {
        return Err(e.into());
    }
    Ok(ExitCode::SUCCESS)
}

impl To {
    /// The format word.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            To::Hledger => "hledger",
            To::Ledger => "ledger",
            To::Beancount => "beancount",
            To::Csv => "csv",
            To::Json => "json",
        }
    }
}
