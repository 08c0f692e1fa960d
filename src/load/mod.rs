//! THE I/O EDGE for input: find `credits.toml`, read it and every journal it names.
//!
//! Imports `source`, `diagnostic`, `model` and `syntax`; uses `std::fs`. Never `engine`, never
//! clap. Journals are walked in the SPEC's order: `journals` in order, each glob's matches sorted,
//! an `include` spliced where it stands; files are numbered ([`FileId`]) and checked in that
//! order, and `seq` is renumbered across the whole book in read order. Read in parts, the
//! journals are read oldest first (by their first dates), so that a book listing past years
//! after this year's journal still comes in date order; no figure depends on the order.
//!
//! Each file is read once: a glob (or a repeated `journals` entry) that names a file already
//! read skips it silently, so `journals = ["journal.credits", "*.credits"]` does not read the
//! first journal twice; an `include` of a file already read is a problem.
//!
//! One entry: [`load`], given a [`Request`] and a [`Consume`] (what takes the entries). It
//! holds the one fallback chain: [`Strategy::Parts`] (several threads) gives way to
//! [`Strategy::Stream`] (one thread, a chunk at a time) when a journal holds an `include`,
//! bytes that are not UTF-8 or an entry whose client is not its line's third word; either
//! gives way to [`Strategy::Batch`] (every entry at once) when the consumer gives up, as a
//! replay does on entries out of date order. Every strategy gives the same result.
//!
//! The rooms: [`find`] (finding the book, naming paths), [`files`] (reading files safely),
//! `loaded` (what a read gives), `reader` (the walk over `journals`, globs and includes),
//! `batch`, `stream` and `parts` (the three ways of reading one journal's bytes).

use crate::model::{Book, Entry, Minutes};
use crate::source::{FileId, SourceMap};
use crate::syntax;
use crate::syntax::journal::{Item, ParseOptions};
use files::{decode, not_utf8, read_whole};
use find::{absolute, display};
use reader::{Reader, To};
use std::collections::HashSet;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use stream::CHUNK;

mod batch;
pub mod config;
pub mod files;
pub mod find;
mod interleave;
mod loaded;
mod parts;
mod reader;
mod stream;
#[cfg(test)]
mod tests;

pub use files::{MAX_INCLUDE_DEPTH, open_regular, read_shared};
pub use find::{BOOK_FILE, discover, find_book};
pub use loaded::{LoadError, Loaded};

/// How the journals are read: where [`load`]'s fallback chain starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Each journal read by this many threads, each parsing the lines of its share of the
    /// clients and handing their entries to its own taker; no journal text kept. The lines
    /// of several journals are read interleaved by date (one thread does it too). Gives way to
    /// [`Strategy::Stream`] for a journal with an `include`, bytes that are not UTF-8 or an
    /// entry whose client is not its line's third word.
    Parts(usize),
    /// One thread, each journal read a chunk of whole lines at a time, in the book's order;
    /// no journal text kept (the write target with an addition is read whole).
    Stream,
    /// Every journal read whole, its text kept, every entry kept in [`Loaded::entries`] and
    /// given to [`Consume::whole`] at once.
    Batch,
}

impl Strategy {
    /// The fastest strategy for `threads` threads: [`Strategy::Parts`] when there are
    /// several, else [`Strategy::Stream`].
    #[must_use]
    pub fn best(threads: usize) -> Strategy {
        if threads > 1 {
            Strategy::Parts(threads)
        } else {
            Strategy::Stream
        }
    }
}

/// What to read, and how.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The `credits.toml` (relative to `cwd`, or absolute).
    pub book: &'a Path,
    /// The current folder: file names in messages are relative to it when under it.
    pub cwd: &'a Path,
    /// Text read after the bytes of the write target (which need not exist yet), so that the
    /// new entries get the read order, line number and spans they will have in the file:
    /// what a writing command validates before it writes. [`Loaded::appended`] says where
    /// it starts.
    pub addition: Option<&'a str>,
    /// Where the fallback chain starts.
    pub strategy: Strategy,
    /// What the consumer needs of each entry (descriptions or not).
    pub opts: ParseOptions,
    /// The book as read before (by a writing command that builds its line from it): when
    /// its `credits.toml` has not changed, it is not parsed again.
    pub known: Option<&'a Loaded>,
}

impl<'a> Request<'a> {
    /// Read the book at `book` from `cwd` in a batch, every entry with its description.
    #[must_use]
    pub fn new(book: &'a Path, cwd: &'a Path) -> Request<'a> {
        Request {
            book,
            cwd,
            addition: None,
            strategy: Strategy::Batch,
            opts: ParseOptions::default(),
            known: None,
        }
    }
}

/// Takes the entries of one part, in read order, on its own thread. Returns
/// [`ControlFlow::Break`] to stop the read (every part stops).
pub type Taker<'c> = dyn FnMut(Entry) -> ControlFlow<()> + Send + 'c;

/// Which part (`0..parts`) takes the entries of a client.
pub type Route<'r> = dyn Fn(&str) -> usize + Sync + 'r;

/// What [`Consume::take`] is given: reads every journal, dealing each entry out by `route` to
/// one of the takers. False when the book could not be read this way: the takers saw only
/// some of the entries, and whatever the consumer returns is set aside ([`load`] reads the
/// book again the next way).
pub type ReadAll<'r> = dyn FnMut(&Route<'_>, &mut [&mut Taker<'_>]) -> bool + 'r;

/// Call `read` with `takers`, one per part (each a closure of its own type): the one place
/// the closures become the [`Taker`]s `read` takes.
pub fn deal<F>(read: &mut ReadAll<'_>, route: &Route<'_>, takers: &mut [F]) -> bool
where
    F: FnMut(Entry) -> ControlFlow<()> + Send,
{
    let mut takers: Vec<&mut Taker<'_>> = takers.iter_mut().map(|c| c as &mut Taker<'_>).collect();
    read(route, &mut takers)
}

/// What takes the entries of a book as [`load`] reads them, and what it makes of them.
pub trait Consume {
    /// What it makes of the entries.
    type Output;

    /// Take the entries as they are read: call `read` once (or not at all, to read
    /// `credits.toml` alone) with `parts` takers, each of which gets, in read order, the
    /// entries of the clients `route` gives it (with [`Strategy::Parts`], each on its own
    /// thread). `None` gives up: [`load`] then reads every entry and calls
    /// [`Consume::whole`].
    fn take(&mut self, book: &Book, parts: usize, read: &mut ReadAll<'_>) -> Option<Self::Output>;

    /// Take every entry at once, in read order.
    fn whole(&mut self, book: &Book, entries: &[Entry]) -> Self::Output;
}

/// The consumer that keeps every entry in [`Loaded::entries`] (with [`Strategy::Batch`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Entries;

impl Consume for Entries {
    type Output = ();
    fn take(&mut self, _: &Book, _: usize, _: &mut ReadAll<'_>) -> Option<()> {
        None
    }
    fn whole(&mut self, _: &Book, _: &[Entry]) {}
}

/// The consumer that reads `credits.toml` alone, none of its journals (`entries`,
/// `journal_paths` and `problems` stay empty; with [`Strategy::Stream`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct BookOnly;

impl Consume for BookOnly {
    type Output = ();
    fn take(&mut self, _: &Book, _: usize, _: &mut ReadAll<'_>) -> Option<()> {
        Some(())
    }
    fn whole(&mut self, _: &Book, _: &[Entry]) {}
}

/// Read the book `request` names and hand its entries to `consumer`: the one way into a
/// book. The strategy falls back along parts → stream → batch (see [`Strategy`]) until one
/// reads the whole book and the consumer takes it.
///
/// # Errors
///
/// [`LoadError`] when the book cannot be read at all: no `credits.toml`, a file that cannot
/// be read, a bad `credits.toml`. Problems in the journals are in [`Loaded::problems`].
///
/// # Examples
///
/// ```no_run
/// use credits::load::{Entries, Request, load};
/// use std::path::Path;
///
/// let (loaded, ()) = load(&Request::new(Path::new("credits.toml"), Path::new(".")), Entries)?;
/// println!("{} entries", loaded.entries.len());
/// # Ok::<(), credits::load::LoadError>(())
/// ```
pub fn load<C: Consume>(
    request: &Request<'_>,
    consumer: C,
) -> Result<(Loaded, C::Output), LoadError> {
    load_using(request, consumer, parse_journal, CHUNK)
}

/// [`load`] with the journal parser `parse` (a test double in tests), reading `chunk` bytes
/// at a time.
fn load_using<C: Consume>(
    request: &Request<'_>,
    mut consumer: C,
    parse: ParseFn,
    chunk: usize,
) -> Result<(Loaded, C::Output), LoadError> {
    let mut strategy = request.strategy;
    loop {
        let (mut loaded, out, whole) = match strategy {
            Strategy::Batch => {
                let (mut loaded, entries, _) = read_once(request, parse, None, |_, read| {
                    let mut entries = Vec::new();
                    read(&mut To::Each(&mut |e| {
                        entries.push(e);
                        ControlFlow::Continue(())
                    }));
                    entries
                })?;
                let out = consumer.whole(&loaded.book, &entries);
                loaded.entries = entries;
                return Ok((loaded, out));
            }
            Strategy::Parts(threads) => read_once(request, parse, Some(chunk), |book, read| {
                consumer.take(book, threads.max(1), &mut |route, takers| {
                    read(&mut To::Parts {
                        route,
                        consumers: takers,
                    })
                })
            })?,
            Strategy::Stream => read_once(request, parse, Some(chunk), |book, read| {
                consumer.take(book, 1, &mut |route, takers| match takers {
                    [one] => read(&mut To::Each(&mut **one)),
                    _ => {
                        let last = takers.len().saturating_sub(1);
                        read(&mut To::Each(&mut |e: Entry| match takers
                            .get_mut(route(&e.client).min(last))
                        {
                            Some(taker) => taker(e),
                            None => ControlFlow::Continue(()),
                        }))
                    }
                })
            })?,
        };
        match (whole, out) {
            (true, Some(out)) => {
                loaded.read_as = strategy;
                return Ok((loaded, out));
            }
            (false, _) => strategy = Strategy::Stream,
            (true, None) => strategy = Strategy::Batch,
        }
    }
}

/// The journal parser `load` uses (a test double in tests).
type ParseFn = fn(&str, FileId, Minutes, ParseOptions, &mut dyn FnMut(Item) -> ControlFlow<()>);

fn parse_journal(
    text: &str,
    file: FileId,
    unit: Minutes,
    opts: ParseOptions,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) {
    syntax::journal::parse_each(text, file, unit, opts, sink);
}

/// Reads every journal into a [`To`]; false when they could not be read in parts.
type ReadInto<'r> = dyn FnMut(&mut To<'_, '_, '_, '_>) -> bool + 'r;

/// Read the book once, with one reader: the journals' bytes whole (`chunked` `None`) or a
/// chunk of about `chunked` bytes at a time, parsed by `parse`; `consume` gets the book and
/// what reads every journal into a [`To`]. The flag is false when the journals could not be
/// read in parts.
fn read_once<T>(
    request: &Request<'_>,
    parse: ParseFn,
    chunked: Option<usize>,
    consume: impl FnOnce(&Book, &mut ReadInto<'_>) -> T,
) -> Result<(Loaded, T, bool), LoadError> {
    let Request {
        book: book_path,
        cwd,
        addition,
        opts,
        known,
        ..
    } = *request;
    let book_path = absolute(cwd, book_path);
    let cwd = absolute(cwd, Path::new("."));
    let bytes = read_whole(&book_path).map_err(|error| LoadError::Io {
        path: PathBuf::from(display(&book_path, &cwd)),
        what: "book",
        error,
    })?;
    let mut sources = SourceMap::default();
    let (text, bad_utf8) = decode(bytes);
    let name = display(&book_path, &cwd);
    let book_id = sources.add(name.clone(), text);
    if let Some(pos) = bad_utf8 {
        let problems = vec![not_utf8(book_id, &name, pos)];
        return Err(LoadError::Book { sources, problems });
    }
    let dir = book_path
        .parent()
        .map_or_else(|| cwd.clone(), Path::to_path_buf);
    let folder_name = dir.file_name().map_or_else(
        || syntax::book::DEFAULT_NAME.to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    let text = &sources.file(book_id).text;
    // The same file, with the same text, already read: its book, not parsed again.
    let same = known.filter(|k| {
        k.book_path == book_path && k.sources.files.first().is_some_and(|f| f.text == *text)
    });
    let book = match same {
        Some(k) => k.book.clone(),
        None => match syntax::book::parse_named(text, book_id, &folder_name) {
            Ok(book) => book,
            Err(problems) => return Err(LoadError::Book { sources, problems }),
        },
    };
    let write_target = book.journals.first().map_or_else(
        || dir.join("journal.credits"),
        |(first, _)| absolute(&dir, Path::new(first)),
    );

    let mut reader = Reader {
        cwd: &cwd,
        unit_minutes: book.unit_minutes,
        parse,
        opts,
        sources,
        read: 0,
        stopped: false,
        journal_paths: Vec::new(),
        problems: Vec::new(),
        seen: HashSet::new(),
        stack: Vec::new(),
        addition: addition.map(|a| (write_target.clone(), a)),
        chunked,
        deferred: Vec::new(),
        unsupported: false,
        appended_at: None,
        lines_read: 0,
    };
    let mut failed = None;
    let out = consume(&book, &mut |to| {
        if let Err(e) = reader.journals(&book.journals, &dir, to) {
            failed = Some(e);
        }
        !reader.unsupported
    });
    if let Some(e) = failed {
        return Err(e);
    }
    let Reader {
        sources,
        read,
        journal_paths,
        problems,
        deferred,
        appended_at,
        unsupported,
        ..
    } = reader;
    let appended = appended_at
        .zip(addition)
        .map(|((f, at), a)| (f, at, a.to_string()));
    let loaded = Loaded {
        book,
        book_path,
        sources,
        entries: Vec::new(),
        entry_count: read,
        journal_paths,
        write_target,
        problems,
        deferred,
        appended,
        // Set by the caller, which knows.
        read_as: Strategy::Batch,
    };
    Ok((loaded, out, !unsupported))
}
