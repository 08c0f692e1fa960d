//! `credits projects [CLIENT] [period] [filters]`.

use super::filter::FilterArgs;
use super::period::PeriodArgs;
use super::{Context, Format};
use crate::render;
use crate::report;
use clap::Args;
use std::process::ExitCode;

/// Show time and money per project: the entries' `project:` values
///
/// For each client and `project:` value: the time logged on it, the time debited (as the
/// statement counts it), the money applied with `apply … project:P`, and the first and
/// last date. The period and the filters choose the entries counted. Without a period, the
/// whole history through today.
///
/// Examples:
///
///   credits projects
///   credits projects acme -p this-year --format csv
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct ProjectsArgs {
    /// Only this client
    pub client: Option<String>,

    /// `-p`, `--month`, `--from`, `--to` [default: all time].
    #[command(flatten)]
    pub period: PeriodArgs,

    /// `--tag`, `--project`, `--quote`, `--kind`, `--grep`.
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// Run `credits projects`.
pub fn run(args: &ProjectsArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let period = args.period.resolve(ctx.today)?;
    let (loaded, replay, from, to) =
        ctx.events_of(period.as_ref(), args.client.as_deref(), true)?;
    let p = report::projects(
        &loaded.book,
        &replay,
        args.client.as_deref(),
        from,
        to,
        &args.filter.filter(),
        render::words::event,
    );
    let text = match ctx.format {
        Format::Json => render::projects::json(&p),
        Format::Csv => render::projects::csv(&p),
        Format::Md => render::projects::md(&p),
        _ => render::projects::text(&p, ctx.text()),
    };
    ctx.print(&text)?;
    Ok(ExitCode::SUCCESS)
}
