//! Checking a new line against the book and appending it: print the entry with the canonical
//! printer, parse the line back (it must read back as the same entry), read the book as it
//! will be with the line appended ([`crate::load::load`]), replay all of it, and append only
//! when nothing blocks it ([`crate::rules::write_blockers`]); then print the line, the journal
//! and the client's new balance. A refused line leaves the journal byte for byte as it was.

use crate::cli::{Context, Fail, append, os};
use crate::diagnostic::{self, Diagnostic};
use crate::engine;
use crate::load::{self, Loaded};
use crate::model::{Entry, Minutes};
use crate::render::{hmm, words};
use crate::report;
use crate::rules::write_blockers;
use crate::source::{FileId, Span};
use crate::syntax::{journal, print};
use chrono::NaiveDate;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// Validate `entry` against the whole book and append it to the book's first journal; print
/// the line, the journal and the client's new balance. The caller holds the book's lock.
/// `loaded` needs only the book: the journals are read here, once, with the new line.
pub fn commit(
    ctx: &Context,
    book_path: &Path,
    loaded: &Loaded,
    entry: &Entry,
) -> Result<(), anyhow::Error> {
    write_entry(ctx, book_path, loaded, entry)?.print(ctx)
}

/// An entry written: what to print about it.
#[derive(Debug)]
pub struct Written {
    /// The line, the journal and the new balance, as printed.
    pub out: String,
    /// The journal written to, as messages name it.
    pub journal: String,
}

impl Written {
    /// Print what was written. When stdout fails (but for a broken pipe, which is quiet), the
    /// error says that the entry was written all the same, so that nobody writes it again.
    pub fn print(&self, ctx: &Context) -> anyhow::Result<()> {
        let note = format!(
            "the entry was written to {}; only printing the new balance failed",
            self.journal
        );
        print_or_note(ctx, &self.out, &note)
    }
}

/// Print `out` for a command that changed something; when stdout fails (but for a broken
/// pipe, which is quiet), print the error and `note` (what was done all the same) on stderr
/// and fail with exit 1.
pub fn print_or_note(ctx: &Context, out: &str, note: &str) -> anyhow::Result<()> {
    match ctx.print(out) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(e.into()),
        Err(e) => {
            let d = Diagnostic::bare(e.to_string());
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(
                diagnostic::render(&d, &crate::source::SourceMap::default(), ctx.color_err)
                    .as_bytes(),
            );
            let _ = writeln!(err, "note: {note}");
            Err(Fail::printed().into())
        }
    }
}

/// [`commit`] but for the printing: validate and append `entry`, and return what to print.
pub fn write_entry(
    ctx: &Context,
    book_path: &Path,
    loaded: &Loaded,
    entry: &Entry,
) -> Result<Written, anyhow::Error> {
    let unit = loaded.book.unit_minutes;

    // One printer, one parser: the line must read back as the entry that was asked for.
    let line = print::entry(entry, unit);
    let parsed = journal::parse(&line, FileId(0), unit);
    let same = match (&parsed.entries[..], parsed.diagnostics.is_empty()) {
        ([back], true) if parsed.includes.is_empty() => {
            let mut back = back.clone();
            back.seq = entry.seq;
            back.span = entry.span;
            back.client_span = entry.client_span;
            back.canon.clone_from(&entry.canon);
            back == *entry
        }
        _ => false,
    };
    if !same {
        return Err(Fail::request(
            format!("`{line}` would not read back as the entry asked for"),
            Some("write the entry into the journal by hand".into()),
        )
        .into());
    }

    if line.len() > append::MAX_LINE {
        return Err(append::too_long(&line).into());
    }

    // The book as it will be, read and replayed once: validated exactly as `credits check`
    // will see it. A journal that ends in a torn line is refused first: the new line would
    // make that line an entry.
    let target = &loaded.write_target;
    let journal = os::shown(target, &ctx.cwd);
    let existing = append::current(target, &journal)?;
    existing.refuse_torn(&journal, ctx.color_err)?;
    let addition = append::addition(&existing.sketch, &line);
    let after = with_line(ctx, book_path, &addition, &entry.client, loaded)?;
    // The new line's entries: those of the write target past its present text.
    let (target_file, boundary) = after
        .loaded
        .appended
        .as_ref()
        .map_or((None, 0), |(f, at, _)| (Some(*f), *at));
    let is_new = |e: &Entry| Some(e.span.file) == target_file && e.span.start as usize >= boundary;

    // SPEC §7.19 ([`write_blockers`]): a book with problems is not written to, and the line
    // may not add one. This client's problems without the line come from its own entries
    // replayed without it.
    let lean = engine::ReplayOptions::STATES;
    let mine: HashSet<Span> = after
        .own
        .iter()
        .flat_map(|e| [e.span, e.client_span])
        .collect();
    let before_own: Vec<Entry> = after.own.iter().filter(|e| !is_new(e)).cloned().collect();
    // Only this client's balance is shown after the write, and clients never touch each
    // other's lots: its entries alone are replayed for it, on a second thread, while the
    // replay without the new line runs here.
    let as_of = ctx.today.max(entry.date);
    let (before, now) = std::thread::scope(|s| {
        // JSON always carries the client; text shows it unless `-q`.
        let json = ctx.format == crate::cli::Format::Json;
        let now = (!ctx.quiet || json).then(|| {
            s.spawn(|| {
                let opts = lean.with_forecast(as_of);
                engine::replay_with(&after.loaded.book, &after.own, Some(as_of), opts)
            })
        });
        let before = engine::replay_with(&after.loaded.book, &before_own, None, lean);
        let now = now.map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        (before, now)
    });
    let verdict = write_blockers::verdict(&write_blockers::WithLine {
        read: &after.loaded.problems,
        replay: &after.replay.problems,
        client_spans: &mine,
        client_before: &before.problems,
    });
    match verdict {
        write_blockers::Verdict::Write => {}
        write_blockers::Verdict::BookHasProblems(mut problems) => {
            print_errors(ctx, &after.loaded.full_sources(), &mut problems);
            return Err(Fail::request(
                "the book has problems: fix them before writing to it",
                Some("`credits check` lists them".into()),
            )
            .into());
        }
        write_blockers::Verdict::LineAddsProblems(mut problems) => {
            // A problem with the new line is said in the command line's words.
            let new_line = |s: Span| Some(s.file) == target_file && s.start as usize >= boundary;
            for d in &mut problems {
                if d.span.is_some_and(new_line) {
                    crate::cli::words::in_command_words(d, ctx.today);
                }
            }
            print_errors(ctx, &after.loaded.full_sources(), &mut problems);
            return Err(Fail::request(
                format!("not written: `{line}` would make the book fail `credits check`"),
                None,
            )
            .into());
        }
    }

    append::append_undoable(
        target,
        &journal,
        &line,
        ctx.color_err,
        book_path,
        &entry.client,
    )?;

    let shown = after
        .loaded
        .sources
        .files
        .iter()
        .skip(1)
        .map(|f| f.name.as_str())
        .next()
        .unwrap_or_default()
        .to_string();
    let mut out = format!("{line}\n→ {shown}\n");
    if ctx.format == crate::cli::Format::Json {
        // The first journal is a plain file name in the book's folder.
        let file = target
            .file_name()
            .map_or_else(|| shown.clone(), |f| f.to_string_lossy().into_owned());
        let b = now
            .as_ref()
            .map(|now| report::balance(&after.loaded.book, now, as_of, Some(&entry.client)));
        out = crate::render::json::written(&line, &file, b.as_ref());
    } else if let Some(now) = &now {
        out.push_str(&balance_text(&after.loaded.book, now, as_of, &entry.client));
    }
    // The process ends soon after this: freeing every client's lots and quotes one at a time
    // would cost about a millisecond on a 100k-entry book, for nothing.
    std::mem::forget(after);
    std::mem::forget(now);
    Ok(Written { out, journal })
}

/// The balance of `client` in `replay` as of `as_of`, as a writing command prints it after
/// its line: one line, then its warnings.
#[must_use]
pub fn balance_text(
    book: &crate::model::Book,
    replay: &engine::Replay,
    as_of: NaiveDate,
    client: &str,
) -> String {
    let mut out = String::new();
    let b = report::balance(book, replay, as_of, Some(client));
    for c in &b.clients {
        let both = |m: Minutes| words::units_and_time(&b.unit, b.unit_minutes, m);
        let _ = write!(
            out,
            "{}: balance {}, pending {}, available {}",
            c.id,
            both(c.balance),
            hmm(c.pending),
            both(c.available)
        );
        if !c.overage.is_zero() {
            let _ = write!(out, ", overage {}", hmm(c.overage));
        }
        let _ = writeln!(out, " as of {as_of}");
        for w in &c.warnings {
            let _ = writeln!(
                out,
                "warning: {}",
                words::warning(&b.unit, b.unit_minutes, w)
            );
        }
    }
    out
}

/// The book with a new line, read and replayed in one pass.
struct WithLine {
    /// The book, its sources and the problems of reading it; no entries kept.
    loaded: Loaded,
    /// The replay of every entry, without history.
    replay: engine::Replay,
    /// The entries of the new line's client, the new line's included.
    own: Vec<Entry>,
}

/// Read the book as it will be with `addition` appended to its write target, replaying every
/// entry as it is read and keeping only `client`'s ([`crate::cli::Replaying`]). `known` is the book as read to build the line: its
/// `credits.toml` is not parsed again.
fn with_line(
    ctx: &Context,
    book_path: &Path,
    addition: &str,
    client: &str,
    known: &Loaded,
) -> Result<WithLine, Fail> {
    let request = load::Request {
        addition: Some(addition),
        strategy: load::Strategy::best(ctx.threads),
        opts: journal::ParseOptions {
            descriptions: false,
        },
        known: Some(known),
        ..load::Request::new(book_path, &ctx.cwd)
    };
    let replaying = crate::cli::Replaying {
        as_of: None,
        opts: engine::ReplayOptions::STATES,
        keep: Some(client),
    };
    let (loaded, replay, own) = replaying.load(&request).map_err(|e| ctx.load_fail(e))?;
    Ok(WithLine {
        loaded,
        replay,
        own,
    })
}

fn print_errors(ctx: &Context, sources: &crate::source::SourceMap, problems: &mut [Diagnostic]) {
    diagnostic::sort(problems);
    let mut err = std::io::stderr().lock();
    for d in problems.iter() {
        let _ = err.write_all(diagnostic::render(d, sources, ctx.color_err).as_bytes());
    }
}
