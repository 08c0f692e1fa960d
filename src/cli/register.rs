//! `credits register [CLIENT] [period] [filters]` (alias `reg`).

use super::filter::FilterArgs;
use super::period::PeriodArgs;
use super::{Context, Format};
use crate::render;
use crate::report;
use clap::Args;
use std::process::ExitCode;

/// List every event, one row each, with the client's balance after it
///
/// One row per event of the period that passes the filters: date, client, kind,
/// description, tags, time logged and debited, money, and the client's real balance after
/// the event (every event counted, shown or not); then a total row. Logged and debited add up
/// as the statement adds them: overage and time used by `apply` are not debited. Without a
/// period, the whole history through today.
///
/// Examples:
///
///   credits register acme -p last-month
///   credits register --tag support --from -30d
///   credits reg acme --kind log --grep header --format csv
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, visible_alias = "reg")]
pub struct RegisterArgs {
    /// Only this client
    pub client: Option<String>,

    /// `-p`, `--month`, `--from`, `--to` [default: all time].
    #[command(flatten)]
    pub period: PeriodArgs,

    /// `--tag`, `--project`, `--quote`, `--kind`, `--grep`.
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// Run `credits register`.
pub fn run(args: &RegisterArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let period = args.period.resolve(ctx.today)?;
    let (loaded, replay, from, to) =
        ctx.events_of(period.as_ref(), args.client.as_deref(), false)?;
    let reg = report::register(
        &loaded.book,
        &replay,
        args.client.as_deref(),
        from,
        to,
        &args.filter.filter(),
        render::words::event,
    );
    let text = match ctx.format {
        Format::Json => render::register::json(&reg),
        Format::Csv => render::register::csv(&reg),
        Format::Md => render::register::md(&reg),
        _ => render::register::text(&reg, ctx.text()),
    };
    ctx.print(&text)?;
    Ok(ExitCode::SUCCESS)
}
