//! `credits undo`: take back the last line a writing command appended to this book.
//!
//! After each append, [`super::append::append_undoable`] records in `.credits-undo` beside
//! `credits.toml` (written atomically) which journal it wrote to, its length before, the bytes
//! it added (the line, its line end, and a line end it added before it), and which file that
//! was (device and inode). `undo` cuts the journal back to that length, under the book's
//! writers' lock and the journal's own lock, only while the journal is that same file, that
//! long, and ends in those bytes: a hand edit, a merge or a rewrite since makes it refuse and
//! say why. It first replays the book without the line, and refuses when that book would fail
//! `credits check`. One level: the record is removed once used, so a second `undo` refuses.

use super::write::{balance_text, print_or_note};
use super::{Context, Fail, Format, append, os};
use crate::engine;
use crate::model::Entry;
use clap::Args;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The undo record's name, beside `credits.toml`.
pub const UNDO_FILE: &str = ".credits-undo";

/// Take back the last line a `credits` command wrote to this book
///
/// Removes the line the last writing command (`log`, `buy`, `stop`, ...) appended, while it
/// is still the last line of its journal, byte for byte as written; then prints it and the
/// client's new balance. It refuses when the journal changed since (an edit, a merge, another
/// line after it), and when the book would fail `credits check` without the line. One level:
/// a second `undo` refuses; edit the journal by hand to go further back.
///
/// Examples:
///
///   credits log acme 15m "Fixed the header"
///   credits undo                  the log line is gone again
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct UndoArgs {}

/// What `.credits-undo` holds: the last append to a journal of the book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The journal written to (absolute).
    pub journal: String,
    /// Its length before the append.
    pub before: u64,
    /// The bytes appended.
    pub added: String,
    /// The line written, without its line end.
    pub line: String,
    /// The line's client.
    pub client: String,
    /// The journal's device when it was written to.
    pub dev: u64,
    /// The journal's inode when it was written to.
    pub ino: u64,
}

fn undo_path(book_path: &Path) -> PathBuf {
    book_path.parent().unwrap_or(Path::new(".")).join(UNDO_FILE)
}

/// Write `record` as the book's undo record, atomically (a temporary file renamed over it).
pub fn save(book_path: &Path, record: &Record) -> std::io::Result<()> {
    use std::io::Write as _;
    let path = undo_path(book_path);
    let tmp = path.with_extension("tmp");
    let text = serde_json::to_string(record).map_err(std::io::Error::other)? + "\n";
    let written = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, &path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Remove the book's undo record, if any.
pub fn forget(book_path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(undo_path(book_path)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn refuse(message: String, help: &str) -> anyhow::Error {
    Fail::request(message, Some(help.to_string())).into()
}

const BY_HAND: &str = "remove the line from the journal by hand if it should go";

/// Run `credits undo`.
pub fn run(_args: &UndoArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let book_path = ctx.book_path()?;
    let _lock = append::lock_book(&book_path, &os::shown(&book_path, &ctx.cwd))?;
    let path = undo_path(&book_path);
    let record: Record = match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| {
            Fail::request(
                format!(
                    "`{}` is not an undo record: {e}",
                    os::shown(&path, &ctx.cwd)
                ),
                Some("remove it; `undo` then has nothing to undo".into()),
            )
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(refuse(
                "nothing to undo: no line written by `credits` is waiting to be taken back".into(),
                "`undo` takes back the last line a writing command wrote, once; edit the journal by hand to go further",
            ));
        }
        Err(e) => return Err(os::fail("read", &os::shown(&path, &ctx.cwd), &e).into()),
    };
    let journal_path = PathBuf::from(&record.journal);
    let name = os::shown(&journal_path, &ctx.cwd);

    // Still the last line, byte for byte, of the same file: checked now, and again under the
    // journal's lock before it is cut.
    let journal = match std::fs::metadata(&journal_path) {
        Ok(_) => append::Journal::open(&journal_path, &name)?,
        Err(_) => {
            return Err(refuse(
                format!(
                    "cannot undo `{}`: the journal `{name}` is gone",
                    record.line
                ),
                "nothing was changed",
            ));
        }
    };
    unchanged(&journal, &record, &name)?;
    drop(journal);

    // The book without the line must pass `credits check`.
    let loaded = ctx.load()?;
    let file = loaded
        .sources
        .files
        .iter()
        .position(|f| f.name == name)
        .and_then(|i| u32::try_from(i).ok());
    let removed =
        |e: &Entry| Some(e.span.file.0) == file && u64::from(e.span.start) >= record.before;
    let kept: Vec<Entry> = loaded
        .entries
        .iter()
        .filter(|e| !removed(e))
        .cloned()
        .collect();
    let mut problems: Vec<_> = loaded
        .problems
        .iter()
        .filter(|d| {
            !d.span
                .is_some_and(|s| Some(s.file.0) == file && u64::from(s.start) >= record.before)
        })
        .cloned()
        .collect();
    let replay = engine::replay_with(&loaded.book, &kept, None, engine::ReplayOptions::STATES);
    problems.extend(replay.problems);
    if problems.iter().any(crate::diagnostic::Diagnostic::is_error) {
        ctx.print_problems(&loaded.full_sources(), &mut problems);
        return Err(refuse(
            format!(
                "not undone: without `{}` the book would fail `credits check`",
                record.line
            ),
            BY_HAND,
        ));
    }

    let mut journal = append::Journal::open(&journal_path, &name)?;
    unchanged(&journal, &record, &name)?;
    journal.truncate(record.before)?;
    drop(journal);
    // The line is gone. A record that cannot be removed no longer matches the journal, so a
    // second `undo` refuses all the same.
    let _ = forget(&book_path);

    let file_in_book = book_path
        .parent()
        .and_then(|dir| journal_path.strip_prefix(dir).ok())
        .map_or_else(
            || record.journal.clone(),
            |p| p.to_string_lossy().into_owned(),
        );
    let known = loaded.book.clients.contains_key(record.client.as_str());
    let replay = known.then(|| {
        let own: Vec<Entry> = kept
            .into_iter()
            .filter(|e| e.client == record.client)
            .collect();
        engine::replay_with(
            &loaded.book,
            &own,
            Some(ctx.today),
            engine::ReplayOptions::STATES.with_forecast(ctx.today),
        )
    });
    let out = if ctx.format == Format::Json {
        let b = replay
            .as_ref()
            .map(|r| crate::report::balance(&loaded.book, r, ctx.today, Some(&record.client)));
        crate::render::json::undone(&record.line, &file_in_book, b.as_ref())
    } else {
        let mut out = format!("removed: {}\n← {name}\n", record.line);
        if let Some(replay) = replay.as_ref().filter(|_| !ctx.quiet) {
            out.push_str(&balance_text(
                &loaded.book,
                replay,
                ctx.today,
                &record.client,
            ));
        }
        out
    };
    print_or_note(
        ctx,
        &out,
        &format!("the line was removed from {name}; only printing it failed"),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `Ok` when the journal is the file `record` wrote to, as long as it left it, ending in the
/// bytes it added; else the refusal that says what changed.
fn unchanged(journal: &append::Journal, record: &Record, name: &str) -> Result<(), Fail> {
    let line = &record.line;
    let changed = |why: String| {
        Fail::request(
            format!("cannot undo `{line}`: {why}"),
            Some(format!("nothing was changed; {BY_HAND}")),
        )
    };
    if journal.identity()? != (record.dev, record.ino) {
        return Err(changed(format!(
            "`{name}` was replaced since (by an editor, git or a merge)"
        )));
    }
    let (len, tail) = journal.bytes_from(record.before)?;
    let end = record.before + record.added.len() as u64;
    if len > end && tail.starts_with(record.added.as_bytes()) {
        return Err(changed(format!(
            "it is no longer the last line of `{name}`: lines were added after it"
        )));
    }
    if len != end || tail != record.added.as_bytes() {
        return Err(changed(format!(
            "`{name}` was changed since it was written"
        )));
    }
    Ok(())
}
