//! The arguments of every writing verb, as clap reads them (their `--help` is here), and the
//! [`Write`] that names the verb run. Building the line from them is [`super`]'s; checking and
//! appending it is [`super::commit`](mod@super::commit)'s.

use crate::cli::period::{TypedDate, typed};
use clap::Args;

/// Flags every writing verb takes.
#[derive(Debug, Clone, Default, Args)]
pub struct Common {
    /// The entry's date: YYYY-MM-DD, today, yesterday, -2d… [default: today]
    #[arg(long, value_name = "DATE", value_parser = typed, allow_hyphen_values = true)]
    pub date: Option<TypedDate>,

    /// A tag, written `#TAG` (repeat for more)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// A reference, written `ref:REF`: an invoice number, a lot's name
    #[arg(long = "ref", value_name = "REF")]
    pub reference: Option<String>,
}

/// `credits log --help`: clap's own layout, with the words `log` reads listed by hand.
const LOG_HELP: &str = "\
{about-with-newline}
{usage-heading} {usage}

Arguments:
  [CLIENT]          The client; left out: `--client`, `CREDITS_CLIENT`, `dirs` or the only one
  DURATION          The time worked: `15m`, `1h30m`, `1.5h` or `09:15-10:40`
  [DESCRIPTION]...  A description, taken literally

{all-args}{after-help}";

/// Record work done for a client: `credits log acme 15m "Fixed the header"`
///
/// DURATION is `15m`, `1h30m`, `1.5h` or a clock range `09:15-10:40` (never a bare number).
/// Without a CLIENT, the client is `--client`, else `CREDITS_CLIENT`, else the client whose
/// `dirs` hold the current folder (the deepest match wins), else the book's only client.
/// The words after the duration are the description, taken literally; a description that
/// starts with `-` goes after `--`.
///
/// Examples:
///
///   credits log acme 15m "Fixed header alignment" --tag dev
///   credits log 45m Plugin update                  inside a folder listed in acme's `dirs`
///   credits log acme 09:15-10:40 Call --date 2026-01-05
///   credits log acme 30m -- "-20% banner"
#[derive(Debug, Args)]
#[command(
    verbatim_doc_comment,
    override_usage = "credits log [OPTIONS] [CLIENT] DURATION [DESCRIPTION]...",
    help_template = LOG_HELP
)]
pub struct LogArgs {
    /// `[CLIENT] DURATION [DESCRIPTION]...`, told apart by `write` (the client is optional in
    /// front, which clap cannot say): hidden from the help, whose template lists the three.
    #[arg(value_name = "WORDS", required = true, num_args = 1.., hide = true)]
    pub words: Vec<String>,

    /// The client, when the words do not name one
    #[arg(long, value_name = "CLIENT", env = "CREDITS_CLIENT")]
    pub client: Option<String>,

    /// The approved quote or estimate the work is on, written `quote:ID`: work on a quote is
    /// not debited (its `done` is); work on an estimate is
    #[arg(long, value_name = "ID")]
    pub quote: Option<String>,

    /// The catalogue task the work did, written `task:NAME`
    #[arg(long, value_name = "NAME")]
    pub task: Option<String>,

    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Record a purchase: a new lot of time
///
/// QTY is `10h`, `90m`, `5cr` or a bare number of units; or name a package of the book.
/// Without `--price` or `--total`, the price is the package's or the policy's `unit_price`
/// (less the plan's discount).
///
/// Examples:
///
///   credits buy acme 10h --price "120 USD" --ref INV-1041
///   credits buy acme five
///   credits buy acme 20h --total 2000 --expires 12mo
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct BuyArgs {
    /// The client
    pub client: String,
    /// The quantity bought, or a package name
    #[arg(value_name = "QTY|PACKAGE")]
    pub qty: String,
    /// A description, taken literally
    #[arg(value_name = "DESCRIPTION")]
    pub description: Vec<String>,
    /// The price of one unit, written `@ PRICE` (`120`, `"120 USD"`, `$120`)
    #[arg(long, value_name = "PRICE", conflicts_with = "total")]
    pub price: Option<String>,
    /// The price of the whole lot, written `for TOTAL`
    #[arg(long, value_name = "TOTAL")]
    pub total: Option<String>,
    /// The lot's last usable day: a date, a span (`90d`, `12mo`) or `never`
    #[arg(long, value_name = "DATE|SPAN|never")]
    pub expires: Option<String>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Debit a fixed cost: a task from the book's catalogue, or a quantity
///
/// Examples:
///
///   credits debit acme complex-plugin "Install and test SEO plugin"
///   credits debit acme 2h Migration
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct DebitArgs {
    /// The client
    pub client: String,
    /// The quantity, or a task name
    #[arg(value_name = "QTY|TASK")]
    pub qty: String,
    /// A description, taken literally
    #[arg(value_name = "DESCRIPTION")]
    pub description: Vec<String>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Quote work to a client at a fixed price: it waits for `approve` or `reject`
///
/// Once approved, its time is reserved. Work logged on it (`credits log … --quote ID`) is
/// recorded but never debited; `done` debits the quote's price. (An `estimate` is charged on
/// the time actually logged instead.)
///
/// Examples:
///
///   credits quote acme Q7 3 --due 2026-02-01 "Custom landing page"
///   credits quote acme Q8 banner
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct QuoteArgs {
    /// The client
    pub client: String,
    /// The quote's id, unique for the client
    pub id: String,
    /// Its cost: a quantity or a task name
    #[arg(value_name = "QTY|TASK")]
    pub qty: String,
    /// A description, taken literally
    #[arg(value_name = "DESCRIPTION")]
    pub description: Vec<String>,
    /// When the work is due, written `due:DATE` (informational)
    #[arg(long, value_name = "DATE", value_parser = typed, allow_hyphen_values = true)]
    pub due: Option<TypedDate>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Estimate work to a client: charged on the time actually logged on it
///
/// Once approved, its time is reserved; each `credits log … --quote ID` is debited like any
/// work and uses up that much of the reservation; `done` debits nothing and releases the
/// rest. (A `quote` is a fixed price instead: work logged on it is never debited, and `done`
/// debits the quote.)
///
/// Examples:
///
///   credits estimate acme E3 5h --due 2026-03-31 "Shop migration"
///   credits log acme 2h --quote E3 "Export of the old shop"
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct EstimateArgs {
    /// The client
    pub client: String,
    /// The estimate's id, unique for the client among its quotes and estimates
    pub id: String,
    /// The time it should take: a quantity or a task name
    #[arg(value_name = "QTY|TASK")]
    pub qty: String,
    /// A description, taken literally
    #[arg(value_name = "DESCRIPTION")]
    pub description: Vec<String>,
    /// When the work is due, written `due:DATE`
    #[arg(long, value_name = "DATE", value_parser = typed, allow_hyphen_values = true)]
    pub due: Option<TypedDate>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// The arguments of `approve`, `reject` and `done`; each one's help is on its
/// [`crate::cli::Command`] variant.
#[derive(Debug, Args)]
pub struct QuoteAnswerArgs {
    /// The client
    pub client: String,
    /// The quote's or estimate's id
    pub id: String,
    /// A description, taken literally
    #[arg(value_name = "DESCRIPTION")]
    pub description: Vec<String>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Spend the money value of a client's purchased time on a fixed-price project
///
/// Examples:
///
///   credits apply acme 240 --project redesign
///   credits apply acme "240 USD" --project redesign "Deposit"
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ApplyArgs {
    /// The client
    pub client: String,
    /// The amount: `240`, `"240 USD"`, `$240`
    pub amount: String,
    /// A description, taken literally
    #[arg(value_name = "DESCRIPTION")]
    pub description: Vec<String>,
    /// The project paid for, written `project:NAME`
    #[arg(long, value_name = "NAME")]
    pub project: Option<String>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Refund unused time of a lot (all of it, or QTY), within the refund window
///
/// LOT is the lot's `ref:` or its purchase date.
///
/// Examples:
///
///   credits refund acme INV-1041
///   credits refund acme 2026-01-05 2h
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct RefundArgs {
    /// The client
    pub client: String,
    /// The lot: its `ref:` or its purchase date
    pub lot: String,
    /// How much (all that is unused when left out)
    pub qty: Option<String>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Correct a balance: `+QTY` adds a free lot, `-QTY` debits exactly; say why
///
/// Examples:
///
///   credits adjust acme +1h "Goodwill for the outage"
///   credits adjust acme -30m "Call logged twice"
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct AdjustArgs {
    /// The client
    pub client: String,
    /// The signed quantity: `+1h`, `-30m`
    #[arg(value_name = "+QTY|-QTY", allow_hyphen_values = true)]
    pub qty: String,
    /// Why, taken literally
    #[arg(value_name = "DESCRIPTION", required = true)]
    pub description: Vec<String>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Put a client on a plan from a date (`none`: off any plan)
///
/// Examples:
///
///   credits plan acme concierge
///   credits plan acme none --date 2026-10-01
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct PlanArgs {
    /// The client
    pub client: String,
    /// The plan's name, or `none`
    #[arg(value_name = "PLAN|none")]
    pub plan: String,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Mark the client's overage so far as invoiced
///
/// Examples:
///
///   credits bill acme --ref INV-1100 "March overage"
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct BillArgs {
    /// The client
    pub client: String,
    /// A description, taken literally
    #[arg(value_name = "DESCRIPTION")]
    pub description: Vec<String>,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// Assert a client's balance after all of a date's entries
///
/// Examples:
///
///   credits assert acme 3h
///   credits assert acme -30m --date 2026-02-10
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct AssertArgs {
    /// The client
    pub client: String,
    /// The expected balance (signed)
    #[arg(value_name = "QTY", allow_hyphen_values = true)]
    pub qty: String,
    /// `--date`, `--tag`, `--ref`.
    #[command(flatten)]
    pub common: Common,
}

/// A writing command, parsed.
#[derive(Debug)]
pub enum Write<'a> {
    /// `credits log`.
    Log(&'a LogArgs),
    /// `credits buy`.
    Buy(&'a BuyArgs),
    /// `credits debit`.
    Debit(&'a DebitArgs),
    /// `credits quote`.
    Quote(&'a QuoteArgs),
    /// `credits estimate`.
    Estimate(&'a EstimateArgs),
    /// `credits approve`.
    Approve(&'a QuoteAnswerArgs),
    /// `credits reject`.
    Reject(&'a QuoteAnswerArgs),
    /// `credits done`.
    Done(&'a QuoteAnswerArgs),
    /// `credits apply`.
    Apply(&'a ApplyArgs),
    /// `credits refund`.
    Refund(&'a RefundArgs),
    /// `credits adjust`.
    Adjust(&'a AdjustArgs),
    /// `credits plan`.
    Plan(&'a PlanArgs),
    /// `credits bill`.
    Bill(&'a BillArgs),
    /// `credits assert`.
    Assert(&'a AssertArgs),
}
