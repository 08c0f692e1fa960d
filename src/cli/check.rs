//! `credits check`.

use super::{Context, Format, append};
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::load::LoadError;
use crate::load::Loaded;
use crate::source::SourceMap;
use crate::source::{FileId, Span};
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
    let opts = crate::engine::ReplayOptions::STATES;
    if ctx.format == Format::Json {
        return json(ctx, opts);
    }
    let (mut loaded, replay) = ctx.load_replayed(None, opts)?;
    torn_tails(&mut loaded);
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

/// `credits check --format json`: every problem, `credits.toml`'s own included, as one JSON
/// object on stdout (warnings too, whatever `-q`); exit 1 when any is an error.
fn json(ctx: &Context, opts: crate::engine::ReplayOptions) -> anyhow::Result<ExitCode> {
    let path = ctx.book_path()?;
    let (book_sources, mut problems, attributes, mut warnings) =
        match ctx.replayed(&path, None, opts) {
            Ok((mut loaded, mut replay)) => {
                torn_tails(&mut loaded);
                let (attributes, warnings) =
                    super::git::union_warnings(&loaded.journal_paths, &ctx.cwd);
                let mut problems = std::mem::take(&mut loaded.problems);
                problems.append(&mut replay.problems);
                (loaded.full_sources(), problems, attributes, warnings)
            }
            Err(LoadError::Book { sources, problems }) => {
                (sources, problems, SourceMap::default(), Vec::new())
            }
            Err(e) => return Err(ctx.load_fail(e).into()),
        };
    diagnostic::sort(&mut problems);
    diagnostic::sort(&mut warnings);
    let failed = problems.iter().any(Diagnostic::is_error);
    ctx.print(&crate::render::json::check(&[
        (&problems, &book_sources),
        (&warnings, &attributes),
    ]))?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Add a warning for each journal whose last line is an entry without a line end: maybe a
/// write that was killed halfway, which the next write would refuse. Only the end of each
/// journal is read; the text is read again only for a journal to warn about.
fn torn_tails(loaded: &mut Loaded) {
    let torn: Vec<usize> = loaded
        .journal_paths
        .iter()
        .enumerate()
        .filter(|(_, path)| append::torn_tail(path).is_ok_and(|t| t.is_some()))
        .map(|(i, _)| i)
        .collect();
    if torn.is_empty() {
        return;
    }
    let sources = loaded.full_sources();
    for i in torn {
        // `credits.toml` is file 0; the journals follow in read order.
        let Some(file) = sources.files.get(i + 1) else {
            continue;
        };
        let text = &file.text;
        let start = text.rfind('\n').map_or(0, |at| at + 1);
        let start = if start == 0 && text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            start
        };
        let span = Span::new(
            FileId(u32::try_from(i + 1).unwrap_or(u32::MAX)),
            start,
            text.len(),
        );
        loaded.problems.push(Diagnostic {
            severity: Severity::Warning,
            message: "the journal's last line is an entry without a line end".into(),
            span: Some(span),
            help: Some(append::TORN_HELP.into()),
        });
    }
}
