//! THE I/O EDGE for input: find `credits.toml`, read it and every journal it names.
//!
//! Imports `source`, `diagnostic`, `model` and `syntax`; uses `std::fs`. Never `engine`, never
//! clap. Journals are read in the SPEC's order: `journals` in order, each glob's matches sorted,
//! an `include` spliced where it stands; `seq` is renumbered across the whole book in that order.
//!
//! Each file is read once: a glob (or a repeated `journals` entry) that names a file already
//! read skips it silently, so `journals = ["journal.credits", "*.credits"]` does not read the
//! first journal twice; an `include` of a file already read is a problem.

use crate::diagnostic::Diagnostic;
use crate::model::{Book, Entry, Minutes};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::syntax;
use crate::syntax::journal::{Item, ParseOptions};
use std::collections::HashSet;
use std::fmt;
use std::ops::ControlFlow;
use std::path::{Component, Path, PathBuf};

mod parts;

/// The name of the book file.
pub const BOOK_FILE: &str = "credits.toml";

/// A book and its journals, read.
#[derive(Debug)]
pub struct Loaded {
    /// The parsed `credits.toml`.
    pub book: Book,
    /// The `credits.toml` (absolute).
    pub book_path: PathBuf,
    /// `credits.toml` is `FileId(0)`, then the journals in read order.
    pub sources: SourceMap,
    /// Every entry, `seq` assigned `0..` in read order; empty after [`load_streaming`], which
    /// hands the entries over one by one instead.
    pub entries: Vec<Entry>,
    /// How many entries were read (kept in `entries` or handed over).
    pub entry_count: usize,
    /// Every journal file read, in read order (absolute).
    pub journal_paths: Vec<PathBuf>,
    /// The first `journals` entry resolved against the book's folder (may not exist yet).
    pub write_target: PathBuf,
    /// Every parse error of every journal, missing journals, include cycles, bad UTF-8.
    pub problems: Vec<Diagnostic>,
    /// Journals read in chunks by [`load_streaming`], whose text is not kept in `sources`
    /// (it is read again by [`Loaded::full_sources`] when a problem must be shown).
    pub deferred: Vec<(FileId, PathBuf)>,
    /// Where the addition of [`load_appending`] (and its kin) was read: the write target and
    /// the offset of the addition's first byte (the length of the file as it was).
    pub appended: Option<(FileId, usize, String)>,
}

impl Loaded {
    /// `sources` with the text of every journal [`load_streaming`] did not keep read again,
    /// to show problems with their lines. Journals are only ever appended to, so the bytes a
    /// problem points at are still where they were.
    #[must_use]
    pub fn full_sources(&self) -> SourceMap {
        let mut sources = self.sources.clone();
        for (file, path) in &self.deferred {
            let appended = self.appended.as_ref().filter(|a| a.0 == *file);
            let bytes = match (read_shared(path), appended) {
                (Ok(mut bytes), Some((_, at, addition))) => {
                    bytes.truncate(*at);
                    bytes.extend_from_slice(addition.as_bytes());
                    bytes
                }
                // The write target does not exist yet: it is the addition alone.
                (Err(_), Some((_, _, addition))) => addition.as_bytes().to_vec(),
                (Ok(bytes), None) => bytes,
                (Err(_), None) => continue,
            };
            let name = sources.file(*file).name.clone();
            sources.files[file.0 as usize] = SourceFile::new(name, decode(bytes).0);
        }
        sources
    }

    /// True when the journal new entries go to does not exist yet: its "does not exist"
    /// problem is then in `problems`, and the first write creates the file.
    #[must_use]
    pub fn missing_write_target(&self) -> bool {
        !self.journal_paths.contains(&self.write_target)
    }

    /// The problems that should stop a writing command: all of them except the missing write
    /// target, which that command is about to create.
    #[must_use]
    pub fn write_problems(&self) -> Vec<&Diagnostic> {
        let target_span = self.book.journals.first().map(|(_, s)| *s);
        let skip = self.missing_write_target();
        self.problems
            .iter()
            .filter(|d| !(skip && d.span.is_some() && d.span == target_span))
            .collect()
    }
}

/// Why a book could not be read at all.
#[derive(Debug)]
pub enum LoadError {
    /// No `credits.toml` in the folder searched nor in any folder above it.
    NotFound {
        /// Where the search started.
        searched_from: PathBuf,
    },
    /// A file could not be read.
    Io {
        /// The file, as shown in messages.
        path: PathBuf,
        /// What the file is to the book: `book`, `journal`, `include`.
        what: &'static str,
        /// What went wrong.
        error: std::io::Error,
    },
    /// `credits.toml` itself is bad.
    Book {
        /// `credits.toml` as `FileId(0)`, for rendering the problems.
        sources: SourceMap,
        /// Every problem in it.
        problems: Vec<Diagnostic>,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::NotFound { searched_from } => write!(
                f,
                "no `{BOOK_FILE}` found in `{}` or any folder above it",
                searched_from.display()
            ),
            LoadError::Io { path, what, error } => {
                write!(
                    f,
                    "cannot read {what} `{}`: {}",
                    path.display(),
                    reason(error)
                )
            }
            LoadError::Book { sources, problems } => {
                let name = sources.files.first().map_or(BOOK_FILE, |s| s.name.as_str());
                let n = problems.len();
                write!(
                    f,
                    "`{name}` has {n} problem{}",
                    if n == 1 { "" } else { "s" }
                )
            }
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadError::Io { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// Find the book. `flag`: the `-f/--file` value or `CREDITS_FILE` (a `credits.toml` or its
/// folder, relative to `cwd`); else search from `cwd` upward. The path returned is absolute
/// when `cwd` is.
pub fn find_book(flag: Option<&Path>, cwd: &Path) -> Result<PathBuf, LoadError> {
    if let Some(flag) = flag {
        let path = absolute(cwd, flag);
        let io = |path: &Path, error| LoadError::Io {
            path: PathBuf::from(display(path, cwd)),
            what: "book",
            error,
        };
        let meta = std::fs::metadata(&path).map_err(|e| io(&path, e))?;
        if !meta.is_dir() {
            regular(&meta).map_err(|e| io(&path, e))?;
            return Ok(path);
        }
        let inside = path.join(BOOK_FILE);
        return match std::fs::metadata(&inside).and_then(|m| regular(&m)) {
            Ok(()) => Ok(inside),
            Err(e) => Err(io(&inside, e)),
        };
    }
    let start = absolute(cwd, Path::new("."));
    for dir in start.ancestors() {
        let candidate = dir.join(BOOK_FILE);
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    Err(LoadError::NotFound {
        searched_from: start,
    })
}

/// Read the book and every journal. File names in `sources` are shown relative to `cwd` when
/// the file is under it, else as the absolute path.
pub fn load(book_path: &Path, cwd: &Path) -> Result<Loaded, LoadError> {
    load_with(book_path, cwd, parse_journal, None)
}

/// Read the book, then hand each entry of its journals, in read order with `seq` assigned,
/// to a function instead of keeping them all: for the reading commands on large books, which
/// need never hold every entry at once. `Loaded::entries` stays empty. Journals are read a
/// chunk of whole lines at a time and their text is not kept: `sources` holds their names,
/// and [`Loaded::full_sources`] reads the text again to show a problem.
///
/// `consume` gets the book and a function that reads every journal: it calls that function
/// once, with what takes each entry (which returns [`ControlFlow::Break`] to stop reading),
/// and returns what it made of them.
///
/// # Errors
///
/// As [`load`].
///
/// # Examples
///
/// ```no_run
/// use credits::load::load_streaming;
/// use credits::syntax::journal::ParseOptions;
/// use std::ops::ControlFlow;
/// use std::path::Path;
///
/// let (loaded, logs) = load_streaming(
///     Path::new("credits.toml"),
///     Path::new("."),
///     ParseOptions::default(),
///     |_book, read| {
///         let mut logs = 0;
///         read(&mut |e| {
///             logs += usize::from(e.verb.word() == "log");
///             ControlFlow::Continue(())
///         });
///         logs
///     },
/// )?;
/// println!("{logs} of {} entries are logs", loaded.entry_count);
/// # Ok::<(), credits::load::LoadError>(())
/// ```
pub fn load_streaming<T>(
    book_path: &Path,
    cwd: &Path,
    opts: ParseOptions,
    consume: impl FnOnce(&Book, &mut ReadJournals<'_>) -> T,
) -> Result<(Loaded, T), LoadError> {
    load_core(
        book_path,
        cwd,
        parse_journal,
        None,
        opts,
        Some(CHUNK),
        None,
        |book, read| {
            consume(book, &mut |sink| {
                read(&mut To::Each(sink));
            })
        },
    )
}

/// [`load_streaming`] of the book as it will be once `addition` is appended to its write
/// target, as [`load_appending`] reads it: what a writing command validates before it writes.
///
/// # Errors
///
/// As [`load`].
pub fn load_streaming_appending<T>(
    book_path: &Path,
    cwd: &Path,
    addition: &str,
    opts: ParseOptions,
    consume: impl FnOnce(&Book, &mut ReadJournals<'_>) -> T,
) -> Result<(Loaded, T), LoadError> {
    load_core(
        book_path,
        cwd,
        parse_journal,
        Some(addition),
        opts,
        None,
        None,
        |book, read| {
            consume(book, &mut |sink| {
                read(&mut To::Each(sink));
            })
        },
    )
}

/// Takes the entries of one part, in read order, on its own thread ([`load_in_parts`]).
pub type Consumer<'c> = dyn FnMut(Entry) -> ControlFlow<()> + Send + 'c;

/// Which part (`0..parts`) takes the entries of a client ([`load_in_parts`]).
pub type Route<'r> = dyn Fn(&str) -> usize + Sync + 'r;

/// What [`load_in_parts`] gives its `consume`: reads every journal, dealing each entry out by
/// `route` to one of the consumers, each running on its own thread. False when the book
/// cannot be read that way (a journal holds an `include` or bytes that are not UTF-8): the
/// consumers then saw only some of the entries, and the book must be read with
/// [`load_streaming`] instead.
pub type ReadInParts<'r> = dyn FnMut(&Route<'_>, &mut [&mut Consumer<'_>]) -> bool + 'r;

/// [`load_streaming`] on several threads, one per consumer. Each journal is read a chunk at a
/// time, each chunk by one thread, and every thread parses only the lines of its part (the
/// clients `route` gives it), handing their entries to its consumer in read order: the
/// reading and parsing are shared out, and so is
/// whatever the consumers do (a replay, split by client). An entry's `seq` is its line's
/// ordinal in the book: read order, with gaps. With `addition`, the book is read as
/// [`load_streaming_appending`] reads it, and [`Loaded::appended`] says where the addition
/// starts; no journal's text is kept ([`Loaded::full_sources`] reads it again, addition and
/// all, to show a problem). `known`: the book as read before (by a writing command that
/// builds its line from it); when its `credits.toml` has not changed, it is not parsed again.
///
/// # Errors
///
/// As [`load`].
pub fn load_in_parts<T>(
    book_path: &Path,
    cwd: &Path,
    addition: Option<&str>,
    opts: ParseOptions,
    known: Option<&Loaded>,
    consume: impl FnOnce(&Book, &mut ReadInParts<'_>) -> T,
) -> Result<(Loaded, T), LoadError> {
    load_core(
        book_path,
        cwd,
        parse_journal,
        addition,
        opts,
        Some(CHUNK),
        known,
        |book, read| {
            consume(book, &mut |route, consumers| {
                read(&mut To::Parts { route, consumers })
            })
        },
    )
}

/// Reads every journal into a [`To`]; false when they could not be read in parts.
type ReadAll<'r> = dyn FnMut(&mut To<'_, '_, '_, '_>) -> bool + 'r;

/// What [`load_streaming`] gives its `consume`: reads every journal, handing each entry to
/// the function it is called with.
pub type ReadJournals<'r> = dyn FnMut(&mut dyn FnMut(Entry) -> ControlFlow<()>) + 'r;

/// Read the book as it will be once `addition` is appended to its write target: the bytes of
/// the first journal (empty when it does not exist yet) are read with `addition` after them,
/// so the new entries get the read order, line number and spans they will have in the file.
/// What a writing command validates before it writes.
pub fn load_appending(book_path: &Path, cwd: &Path, addition: &str) -> Result<Loaded, LoadError> {
    load_with(book_path, cwd, parse_journal, Some(addition))
}

/// The whole of the file at `path`, read under a shared lock (`flock`), so that a writing
/// command holding the exclusive lock is never seen halfway through its append. A file system
/// without locks is read without one.
pub fn read_shared(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut file = open_regular(path)?;
    let locked = file.lock_shared().is_ok();
    let mut bytes = Vec::new();
    let read = file.read_to_end(&mut bytes);
    if locked {
        let _ = file.unlock();
    }
    read.map(|_| bytes)
}

/// Open `path` for reading when it is a regular file (a symbolic link is followed). A FIFO, a
/// device, a socket or a folder is an error of kind `InvalidInput` saying what it is, and
/// nothing is read from it: its type is looked at before it is opened (opening a FIFO waits
/// for a writer), and again on the file opened (it may have been replaced in between).
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    regular(&std::fs::metadata(path)?)?;
    let file = std::fs::File::open(path)?;
    regular(&file.metadata()?)?;
    Ok(file)
}

/// `Ok` for a regular file; else an `InvalidInput` error saying what the file is.
fn regular(meta: &std::fs::Metadata) -> std::io::Result<()> {
    match file_kind(meta) {
        None => Ok(()),
        Some(kind) => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("it is {kind}, not a regular file"),
        )),
    }
}

/// What a file that is not a regular file is (`a FIFO`, `a folder`); `None` for a regular file.
fn file_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt as _;
    let t = meta.file_type();
    Some(if t.is_file() {
        return None;
    } else if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    })
}

/// What went wrong, in the words of a message: lowercase, without the operating system's
/// `(os error N)`.
fn reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let known = match e.kind() {
        K::NotFound => "it does not exist",
        K::PermissionDenied => "permission denied",
        K::IsADirectory => "it is a folder",
        K::NotADirectory => "a folder in its path is a file",
        K::InvalidData => "it is not valid UTF-8",
        K::OutOfMemory => "out of memory",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    let text = e.to_string();
    let text = match text.find(" (os error ") {
        Some(i) => &text[..i],
        None => &text,
    };
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_lowercase().chain(chars).collect::<String>()
    })
}

/// How deep includes may nest: a journal named in `journals` is at depth 0, what it includes
/// at depth 1. Reading recurses once a level, so this also bounds the stack.
pub const MAX_INCLUDE_DEPTH: usize = 64;

/// How much of a journal [`load_streaming`] reads at a time.
const CHUNK: usize = 1 << 20;

/// The whole of the regular file at `path`.
fn read_whole(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    open_regular(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
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

/// Every entry kept in `Loaded::entries`.
fn load_with(
    book_path: &Path,
    cwd: &Path,
    parse: ParseFn,
    addition: Option<&str>,
) -> Result<Loaded, LoadError> {
    let (mut loaded, entries) = load_core(
        book_path,
        cwd,
        parse,
        addition,
        ParseOptions::default(),
        None,
        None,
        |_, read| {
            let mut entries = Vec::new();
            read(&mut To::Each(&mut |e| {
                entries.push(e);
                ControlFlow::Continue(())
            }));
            entries
        },
    )?;
    loaded.entries = entries;
    Ok(loaded)
}

// Each argument is one of the ways the readers above differ.
#[allow(clippy::too_many_arguments)]
fn load_core<T>(
    book_path: &Path,
    cwd: &Path,
    parse: ParseFn,
    addition: Option<&str>,
    opts: ParseOptions,
    chunked: Option<usize>,
    known: Option<&Loaded>,
    consume: impl FnOnce(&Book, &mut ReadAll<'_>) -> T,
) -> Result<(Loaded, T), LoadError> {
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
    };
    Ok((loaded, out))
}

/// Who names a journal: the book's `journals` list or an `include` line.
#[derive(Clone, Copy)]
enum Origin<'a> {
    Journals { written: &'a str, span: Span },
    Include { written: &'a str, span: Span },
}

impl Origin<'_> {
    /// What the file is to the book, in messages.
    fn what(self) -> &'static str {
        match self {
            Origin::Journals { .. } => "journal",
            Origin::Include { .. } => "include",
        }
    }
}

struct Reader<'a> {
    cwd: &'a Path,
    unit_minutes: Minutes,
    parse: ParseFn,
    opts: ParseOptions,
    sources: SourceMap,
    /// Entries read so far: the next entry's `seq`.
    read: usize,
    /// The entries' taker asked to stop.
    stopped: bool,
    journal_paths: Vec<PathBuf>,
    problems: Vec<Diagnostic>,
    /// Identities (canonical paths) of every file read.
    seen: HashSet<PathBuf>,
    /// The files being read, outermost first: (identity, shown name).
    stack: Vec<(PathBuf, String)>,
    /// Text to read after the write target's bytes (`load_appending`).
    addition: Option<(PathBuf, &'a str)>,
    /// Read journals in chunks of about this many bytes and keep no text ([`load_streaming`]).
    chunked: Option<usize>,
    /// Journals whose text was not kept.
    deferred: Vec<(FileId, PathBuf)>,
    /// A journal could not be read in parts ([`load_in_parts`]); reading stopped.
    unsupported: bool,
    /// The write target and the length of its bytes, once read with the addition after them.
    appended_at: Option<(FileId, usize)>,
    /// Lines read in parts so far: the `seq` of the next file's first line.
    lines_read: usize,
}

/// Where the entries read go: one taker, or one per part, each on its own thread.
enum To<'s, 'c, 'm, 'd> {
    Each(&'s mut Sink<'c>),
    Parts {
        route: &'s Route<'s>,
        consumers: &'s mut [&'m mut Consumer<'d>],
    },
}

/// What takes each entry read.
type Sink<'s> = dyn FnMut(Entry) -> ControlFlow<()> + 's;

impl Reader<'_> {
    /// Read every journal of the book's `journals`, in order.
    fn journals(
        &mut self,
        journals: &[(String, Span)],
        dir: &Path,
        to: &mut To<'_, '_, '_, '_>,
    ) -> Result<(), LoadError> {
        for (written, span) in journals {
            if self.stopped {
                break;
            }
            if written.contains(['*', '?', '[']) {
                self.glob(dir, written, *span, to)?;
            } else {
                let path = absolute(dir, Path::new(written));
                self.read(
                    &path,
                    Origin::Journals {
                        written,
                        span: *span,
                    },
                    to,
                )?;
            }
        }
        Ok(())
    }

    /// Read every file a `journals` glob matches, in sorted order. Matching nothing is fine.
    fn glob(
        &mut self,
        dir: &Path,
        written: &str,
        span: Span,
        to: &mut To<'_, '_, '_, '_>,
    ) -> Result<(), LoadError> {
        let pattern = absolute(dir, Path::new(written));
        // The book's folder is taken literally, even if its name holds `[` or `*`.
        let pattern = match pattern.strip_prefix(dir) {
            Ok(rest) => format!(
                "{}/{}",
                glob::Pattern::escape(&dir.to_string_lossy()),
                rest.to_string_lossy()
            ),
            Err(_) => pattern.to_string_lossy().into_owned(),
        };
        let paths = match glob::glob(&pattern) {
            Ok(paths) => paths,
            Err(e) => {
                let msg = format!("`{written}` is not a valid glob pattern: {}", e.msg);
                self.problems.push(Diagnostic::error(span, msg));
                return Ok(());
            }
        };
        let mut found: Vec<PathBuf> = paths
            .filter_map(Result::ok)
            .filter(|p| p.is_file())
            .collect();
        found.sort();
        for path in found {
            if self.stopped {
                break;
            }
            self.read(&path, Origin::Journals { written, span }, to)?;
        }
        Ok(())
    }

    /// Read one journal and, recursively, what it includes.
    fn read(
        &mut self,
        path: &Path,
        from: Origin<'_>,
        to: &mut To<'_, '_, '_, '_>,
    ) -> Result<(), LoadError> {
        let id = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let shown = display(path, self.cwd);
        if let Origin::Include { span, .. } = from
            && let Some(i) = self.stack.iter().position(|(p, _)| *p == id)
        {
            let mut cycle: Vec<String> = self
                .stack
                .iter()
                .skip(i)
                .map(|(_, n)| format!("`{n}`"))
                .collect();
            cycle.push(format!("`{shown}`"));
            let msg = format!("include cycle: {}", cycle.join(" → "));
            self.problems.push(
                Diagnostic::error(span, msg).with_help("remove one of these `include` lines"),
            );
            return Ok(());
        }
        if let Origin::Include { span, .. } = from
            && self.stack.len() > MAX_INCLUDE_DEPTH
        {
            let mut chain: Vec<String> = self.stack.iter().map(|(_, n)| format!("`{n}`")).collect();
            chain.push(format!("`{shown}`"));
            let msg = format!(
                "includes nest more than {MAX_INCLUDE_DEPTH} deep: {}",
                chain.join(" → ")
            );
            self.problems
                .push(Diagnostic::error(span, msg).with_help(format!(
                    "include at most {MAX_INCLUDE_DEPTH} journals inside one another: \
                 include some of them from a journal higher up"
                )));
            return Ok(());
        }
        if self.seen.contains(&id) {
            if let Origin::Include { span, .. } = from {
                self.problems.push(
                    Diagnostic::error(span, format!("`{shown}` is read twice"))
                        .with_help("remove this `include`, or take the file out of `journals`"),
                );
            }
            return Ok(());
        }
        let appended = self
            .addition
            .as_ref()
            .filter(|(target, _)| target == path)
            .map(|(_, a)| *a);
        let meta = std::fs::metadata(path);
        let (written, span, what) = match from {
            Origin::Journals { written, span } => (written, span, "journal"),
            Origin::Include { written, span } => (written, span, "included journal"),
        };
        match meta {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && appended.is_none() => {
                let help = match from {
                    Origin::Journals { .. } => "create it, or fix `journals` in the book",
                    Origin::Include { .. } => {
                        "paths in `include` are relative to the including file"
                    }
                };
                self.problems.push(
                    Diagnostic::error(span, format!("{what} `{written}` does not exist"))
                        .with_help(help),
                );
                return Ok(());
            }
            Ok(m) if let Some(kind) = file_kind(&m) => {
                // Nothing is read from a FIFO, a device or a folder: opening a FIFO waits for
                // a writer, and a device may never end.
                self.problems.push(
                    Diagnostic::error(
                        span,
                        format!("{what} `{written}` is {kind}, not a regular file"),
                    )
                    .with_help("a journal is a plain text file: name a file"),
                );
                return Ok(());
            }
            _ => {}
        }
        let sink = match to {
            To::Each(sink) => &mut **sink,
            To::Parts { route, consumers } => {
                return self.read_parts(
                    path,
                    id,
                    (&shown, from.what()),
                    appended,
                    *route,
                    consumers,
                );
            }
        };
        if let (Some(chunk), None) = (self.chunked, appended) {
            let file = self.sources.add(shown.clone(), String::new());
            self.journal_paths.push(path.to_path_buf());
            self.seen.insert(id.clone());
            self.stack.push((id, shown.clone()));
            let result = self.read_chunks(path, file, &shown, from.what(), chunk, sink);
            self.stack.pop();
            return result;
        }
        let mut bytes = match read_shared(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && appended.is_some() => Vec::new(),
            read => read.map_err(|error| LoadError::Io {
                path: PathBuf::from(&shown),
                what: from.what(),
                error,
            })?,
        };
        let length = bytes.len();
        if let Some(a) = appended {
            bytes.extend_from_slice(a.as_bytes());
        }
        let (text, bad_utf8) = decode(bytes);
        // The id is taken now, in read order; the text goes in once parsed, as the parser
        // borrows it while the files it includes are read.
        let file = self.sources.add(shown.clone(), String::new());
        if appended.is_some() {
            self.appended_at = Some((file, length));
        }
        if let Some(pos) = bad_utf8 {
            self.problems.push(not_utf8(file, &shown, pos));
        }
        self.journal_paths.push(path.to_path_buf());
        self.seen.insert(id.clone());
        self.stack.push((id, shown.clone()));
        let failed = self.parse_text(&text, 0, file, path, sink);
        self.sources.files[file.0 as usize] = SourceFile::new(shown, text);
        self.stack.pop();
        failed
    }

    /// Read one journal on several threads, dealing its entries out to `consumers`
    /// ([`load_in_parts`]). Its text is not kept: it is read again to show a problem, as
    /// [`load_streaming`]'s, with the `addition` after it. `(shown, what)`: the file as shown, and what
    /// it is to the book (`journal`, `include`).
    fn read_parts(
        &mut self,
        path: &Path,
        id: PathBuf,
        (shown, what): (&str, &'static str),
        appended: Option<&str>,
        route: &Route<'_>,
        consumers: &mut [&mut Consumer<'_>],
    ) -> Result<(), LoadError> {
        let io = |error| LoadError::Io {
            path: PathBuf::from(shown),
            what,
            error,
        };
        let file = match open_regular(path) {
            Ok(f) => {
                // Held until the file is closed, after every thread has read it.
                let _ = f.lock_shared();
                Some(f)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && appended.is_some() => None,
            Err(e) => return Err(io(e)),
        };
        let file_id = self.sources.add(shown.to_string(), String::new());
        self.journal_paths.push(path.to_path_buf());
        self.seen.insert(id);
        let job = parts::Job {
            file: file.as_ref(),
            addition: appended,
            file_id,
            unit: self.unit_minutes,
            opts: self.opts,
            first_seq: self.lines_read,
            // A small journal needs no chunk-sized buffer per thread.
            chunk: self.chunked.unwrap_or(CHUNK).min(
                file.as_ref()
                    .and_then(|f| f.metadata().ok())
                    .map_or(0, |m| usize::try_from(m.len()).unwrap_or(usize::MAX))
                    .saturating_add(appended.map_or(0, str::len))
                    .saturating_add(1),
            ),
        };
        let outcome = parts::read(&job, route, consumers).map_err(io)?;
        drop(file);
        match outcome {
            parts::Outcome::Unsupported => {
                self.unsupported = true;
                self.stopped = true;
            }
            parts::Outcome::Read {
                entries,
                lines,
                problems,
                length,
                stopped,
            } => {
                self.read += entries;
                self.lines_read += lines;
                self.problems.extend(problems);
                self.stopped |= stopped;
                self.deferred.push((file_id, path.to_path_buf()));
                if appended.is_some() {
                    self.appended_at = Some((file_id, length));
                }
            }
        }
        Ok(())
    }

    /// Parse `text`, which starts at byte `base` of the journal `file` (at `path`), handing
    /// its entries to `sink` and reading its includes where they stand.
    fn parse_text(
        &mut self,
        text: &str,
        base: usize,
        file: FileId,
        path: &Path,
        sink: &mut Sink<'_>,
    ) -> Result<(), LoadError> {
        let here = path
            .parent()
            .map_or_else(|| self.cwd.to_path_buf(), Path::to_path_buf);
        let base = u32::try_from(base).unwrap_or(u32::MAX);
        let (parse, unit, opts) = (self.parse, self.unit_minutes, self.opts);
        let mut failed = Ok(());
        parse(
            text,
            file,
            unit,
            opts,
            &mut |item| match shifted(item, base) {
                Item::Entry(mut e) => {
                    e.seq = u32::try_from(self.read).unwrap_or(u32::MAX);
                    self.read += 1;
                    let flow = sink(e);
                    self.stopped |= flow.is_break();
                    flow
                }
                Item::Problem(d) => {
                    self.problems.push(d);
                    ControlFlow::Continue(())
                }
                Item::Include(inc) => {
                    let target = absolute(&here, Path::new(&inc.path));
                    let origin = Origin::Include {
                        written: &inc.path,
                        span: inc.span,
                    };
                    if let Err(e) = self.read(&target, origin, &mut To::Each(&mut *sink)) {
                        failed = Err(e);
                        return ControlFlow::Break(());
                    }
                    if self.stopped {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                }
            },
        );
        failed
    }

    /// Read a journal a chunk of whole lines at a time, keeping none of its text, so that a
    /// large book is never held in memory whole ([`load_streaming`]). A file that is not
    /// valid UTF-8 is read whole from the first chunk that is not, as [`Reader::read`] does,
    /// so the result is the same.
    fn read_chunks(
        &mut self,
        path: &Path,
        file: FileId,
        shown: &str,
        what: &'static str,
        chunk: usize,
        sink: &mut Sink<'_>,
    ) -> Result<(), LoadError> {
        use std::io::Read as _;
        let io = |error| LoadError::Io {
            path: PathBuf::from(shown),
            what,
            error,
        };
        let mut f = open_regular(path).map_err(io)?;
        let locked = f.lock_shared().is_ok();
        // A small file needs no chunk-sized buffer: with includes, one buffer is held for
        // every level of the chain being read.
        let size = f.metadata().map_or(0, |m| m.len());
        let chunk = chunk
            .min(
                usize::try_from(size)
                    .unwrap_or(usize::MAX)
                    .saturating_add(1),
            )
            .max(1);
        let mut buf: Vec<u8> = Vec::with_capacity(2 * chunk);
        let mut base = 0usize;
        let mut eof = false;
        let mut result = Ok(());
        while !(self.stopped || eof && buf.is_empty()) && result.is_ok() {
            if !eof {
                let before = buf.len();
                buf.resize(before + chunk, 0);
                let n = match f.read(&mut buf[before..]) {
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {
                        buf.truncate(before);
                        continue;
                    }
                    Err(e) => {
                        result = Err(io(e));
                        break;
                    }
                };
                buf.truncate(before + n);
                eof = n == 0;
            }
            let Some(split) = split_point(&buf, eof) else {
                continue;
            };
            if let Ok(text) = std::str::from_utf8(&buf[..split]) {
                result = self.parse_text(text, base, file, path, sink);
                buf.drain(..split);
                base += split;
                continue;
            }
            // Not UTF-8: read the whole file as `read` does and go on from here.
            if locked {
                let _ = f.unlock();
            }
            let bytes = read_shared(path).map_err(io)?;
            let (text, bad_utf8) = decode(bytes);
            if let Some(pos) = bad_utf8 {
                self.problems.push(not_utf8(file, shown, pos));
            }
            let rest = text.get(base..).unwrap_or("");
            let result = self.parse_text(rest, base, file, path, sink);
            self.sources.files[file.0 as usize] = SourceFile::new(shown.to_string(), text);
            return result;
        }
        if locked {
            let _ = f.unlock();
        }
        self.deferred.push((file, path.to_path_buf()));
        result
    }
}

/// Where to cut `buf` so that what comes before is whole lines (all of it at the end of the
/// file, `eof`), and what follows does not start with a byte-order mark (the parser skips one
/// only at the start of a file, so it must be seen to know it is not one). `None`: read more.
fn split_point(buf: &[u8], eof: bool) -> Option<usize> {
    const BOM: &[u8] = "\u{feff}".as_bytes();
    if eof {
        return (!buf.is_empty()).then_some(buf.len());
    }
    let mut split = buf.iter().rposition(|&b| b == b'\n')? + 1;
    while split > 0 && (buf.len() - split < BOM.len() || buf[split..].starts_with(BOM)) {
        split = buf[..split - 1]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
    }
    (split > 0).then_some(split)
}

/// `item` with its spans moved `base` bytes on: a chunk's offsets made the file's.
fn shifted(mut item: Item, base: u32) -> Item {
    shift(&mut item, base);
    item
}

/// Move the spans of `item` `base` bytes on, in place (an entry is large to move).
fn shift(item: &mut Item, base: u32) {
    if base == 0 {
        return;
    }
    let shift = |s: &mut Span| {
        s.start = s.start.saturating_add(base);
        s.end = s.end.saturating_add(base);
    };
    match item {
        Item::Entry(e) => {
            shift(&mut e.span);
            shift(&mut e.client_span);
        }
        Item::Include(i) => shift(&mut i.span),
        Item::Problem(d) => {
            if let Some(s) = &mut d.span {
                shift(s);
            }
        }
    }
}

/// The text of a file; invalid UTF-8 is replaced, and the offset of the first bad byte given.
fn decode(bytes: Vec<u8>) -> (String, Option<usize>) {
    match String::from_utf8(bytes) {
        Ok(s) => (s, None),
        Err(e) => {
            let pos = e.utf8_error().valid_up_to();
            (
                String::from_utf8_lossy(e.as_bytes()).into_owned(),
                Some(pos),
            )
        }
    }
}

fn not_utf8(file: FileId, name: &str, pos: usize) -> Diagnostic {
    let span = Span::new(file, pos, pos + '\u{FFFD}'.len_utf8());
    Diagnostic::error(span, format!("`{name}` is not valid UTF-8"))
        .with_help("save the file as UTF-8")
}

/// `path` joined to `base` when relative, with `.` and `..` resolved without touching the disk.
fn absolute(base: &Path, path: &Path) -> PathBuf {
    let joined = base.join(path);
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// How a file is named in messages: relative to `cwd` when under it, else its absolute path.
fn display(path: &Path, cwd: &Path) -> String {
    match path.strip_prefix(cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().into_owned(),
        _ => path.to_string_lossy().into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Verb;
    use crate::syntax::journal::Include;
    use chrono::NaiveDate;
    use std::fs;

    /// A stand-in for the journal parser: `include PATH` lines are includes, `!…` lines are
    /// problems, any other non-blank line is an entry whose client is the line's text.
    fn fake_parse(
        text: &str,
        file: FileId,
        _: Minutes,
        _: ParseOptions,
        sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
    ) {
        let mut entries = 0;
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            let word = line.trim();
            let span = Span::new(file, start, start + word.len());
            if let Some(path) = word.strip_prefix("include ") {
                let at = start + "include ".len();
                let flow = sink(Item::Include(Include {
                    at: entries,
                    path: path.to_owned(),
                    span: Span::new(file, at, at + path.len()),
                }));
                if flow.is_break() {
                    return;
                }
            } else if word.starts_with('!') {
                let _ = sink(Item::Problem(Diagnostic::error(span, "bad line")));
            } else if !word.is_empty() {
                entries += 1;
                let flow = sink(Item::Entry(Entry {
                    date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                    seq: 99,
                    span,
                    client_span: span,
                    client: word.into(),
                    verb: Verb::Bill,
                    tags: Vec::new(),
                    meta: Vec::new(),
                    description: String::new(),
                    canon: word.into(),
                }));
                if flow.is_break() {
                    return;
                }
            }
            start += line.len();
        }
    }

    /// A temporary folder holding `files` (`path`, `text`).
    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        dir
    }

    fn load_fake(dir: &Path) -> Loaded {
        load_with(&dir.join(BOOK_FILE), dir, fake_parse, None).unwrap()
    }

    fn clients(l: &Loaded) -> Vec<&str> {
        l.entries.iter().map(|e| e.client.as_str()).collect()
    }

    fn names(l: &Loaded) -> Vec<&str> {
        l.sources.files.iter().map(|f| f.name.as_str()).collect()
    }

    /// Every problem as `file:line:col: message`.
    fn problems(l: &Loaded) -> Vec<String> {
        let sources = l.full_sources();
        l.problems
            .iter()
            .map(|d| {
                let s = d.span.unwrap();
                let (line, col) = sources.line_col(s);
                format!("{}:{line}:{col}: {}", sources.file(s.file).name, d.message)
            })
            .collect()
    }

    #[test]
    fn the_book_is_found_in_the_nearest_folder_upward() {
        let dir = tree(&[
            (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
            ("a/b/notes.txt", ""),
        ]);
        let root = dir.path();
        assert_eq!(
            find_book(None, &root.join("a/b")).unwrap(),
            root.join(BOOK_FILE)
        );
        assert_eq!(find_book(None, root).unwrap(), root.join(BOOK_FILE));
        let inner = tree(&[("x/credits.toml", ""), ("x/y/z.txt", "")]);
        assert_eq!(
            find_book(None, &inner.path().join("x/y")).unwrap(),
            inner.path().join("x/credits.toml")
        );
    }

    #[test]
    fn no_book_anywhere_up_is_not_found_from_the_start_folder() {
        let dir = tree(&[("a/notes.txt", "")]);
        // A temp folder may sit under a folder holding a `credits.toml`; then this test has
        // nothing to check.
        if dir.path().ancestors().any(|d| d.join(BOOK_FILE).exists()) {
            return;
        }
        let start = dir.path().join("a");
        match find_book(None, &start) {
            Err(e @ LoadError::NotFound { .. }) => {
                let msg = e.to_string();
                assert!(msg.starts_with("no `credits.toml` found in `"), "{msg}");
                assert!(msg.ends_with("` or any folder above it"), "{msg}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_file_flag_takes_a_book_or_its_folder_relative_to_the_current_folder() {
        let dir = tree(&[
            ("books/acme/credits.toml", ""),
            ("books/acme/other.toml", ""),
        ]);
        let root = dir.path();
        let want = root.join("books/acme/credits.toml");
        assert_eq!(
            find_book(Some(Path::new("books/acme")), root).unwrap(),
            want
        );
        assert_eq!(
            find_book(Some(&root.join("books/acme/credits.toml")), Path::new("/")).unwrap(),
            want
        );
        assert_eq!(
            find_book(Some(Path::new("acme/other.toml")), &root.join("books")).unwrap(),
            root.join("books/acme/other.toml")
        );
        assert!(matches!(
            find_book(Some(Path::new("books")), root),
            Err(LoadError::Io { path, .. }) if path == Path::new("books/credits.toml")
        ));
        assert!(matches!(
            find_book(Some(Path::new("nope.toml")), root),
            Err(LoadError::Io { .. })
        ));
    }

    #[test]
    fn globs_are_read_sorted_after_the_files_before_them_and_never_twice() {
        let dir = tree(&[
            (
                BOOK_FILE,
                "[book]\njournals = [\"main.credits\", \"years/*.credits\", \"*.credits\", \"none/*.x\"]\ncurrency = \"USD\"\n",
            ),
            ("main.credits", "m1\n"),
            ("years/2025.credits", "y25\n"),
            ("years/2024.credits", "y24\n"),
            ("years/notes.txt", "ignored\n"),
            ("zz.credits", "z\n"),
        ]);
        let l = load_fake(dir.path());
        assert_eq!(clients(&l), vec!["m1", "y24", "y25", "z"]);
        assert_eq!(
            names(&l),
            vec![
                "credits.toml",
                "main.credits",
                "years/2024.credits",
                "years/2025.credits",
                "zz.credits"
            ]
        );
        assert_eq!(
            l.journal_paths.first(),
            Some(&dir.path().join("main.credits"))
        );
        assert!(l.problems.is_empty(), "{:?}", l.problems);
        let seqs: Vec<u32> = l.entries.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, vec![0, 1, 2, 3]);
    }

    #[test]
    fn an_include_is_spliced_where_it_stands_relative_to_its_file() {
        let dir = tree(&[
            (
                BOOK_FILE,
                "[book]\njournals = [\"journal.credits\", \"last.credits\"]\ncurrency = \"USD\"\n",
            ),
            ("journal.credits", "a1\ninclude sub/x.credits\na2\n"),
            ("sub/x.credits", "x1\ninclude ../y.credits\nx2\n"),
            ("y.credits", "y1\n"),
            ("last.credits", "l1\n"),
        ]);
        let l = load_fake(dir.path());
        assert_eq!(clients(&l), vec!["a1", "x1", "y1", "x2", "a2", "l1"]);
        let seqs: Vec<u32> = l.entries.iter().map(|e| e.seq).collect();
        assert_eq!(seqs, vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(
            names(&l),
            vec![
                "credits.toml",
                "journal.credits",
                "sub/x.credits",
                "y.credits",
                "last.credits"
            ]
        );
        let files: Vec<u32> = l.entries.iter().map(|e| e.span.file.0).collect();
        assert_eq!(files, vec![1, 2, 3, 2, 1, 4]);
        assert!(l.problems.is_empty());
        assert!(!l.missing_write_target());
    }

    #[test]
    fn streaming_hands_over_the_entries_load_keeps_in_the_same_order_and_can_stop() {
        let dir = tree(&[
            (
                BOOK_FILE,
                "[book]\njournals = [\"journal.credits\", \"last.credits\"]\ncurrency = \"USD\"\n",
            ),
            ("journal.credits", "a1\ninclude sub/x.credits\na2\n"),
            ("sub/x.credits", "x1\n!bad\nx2\n"),
            ("last.credits", "l1\n"),
        ]);
        let kept = load_fake(dir.path());
        let book = dir.path().join(BOOK_FILE);
        let opts = ParseOptions::default();
        let stream = |stop_after: usize| {
            load_core(
                &book,
                dir.path(),
                fake_parse,
                None,
                opts,
                Some(CHUNK),
                None,
                |_, read| {
                    let mut seen = Vec::new();
                    read(&mut To::Each(&mut |e| {
                        seen.push(e);
                        if seen.len() == stop_after {
                            ControlFlow::Break(())
                        } else {
                            ControlFlow::Continue(())
                        }
                    }));
                    seen
                },
            )
            .unwrap()
        };
        let (streamed, all) = stream(usize::MAX);
        assert_eq!(all, kept.entries);
        assert!(streamed.entries.is_empty());
        assert_eq!(streamed.entry_count, 5);
        assert_eq!(problems(&streamed), problems(&kept));
        // The journals were read in chunks: no text kept, read again to show a problem.
        assert!(streamed.sources.file(FileId(2)).text.is_empty());
        assert_eq!(streamed.deferred.len(), 3);
        assert_eq!(
            streamed.full_sources().file(FileId(2)).text,
            "x1\n!bad\nx2\n"
        );
        assert_eq!(names(&streamed), names(&kept));

        // Stopped after `x1`: nothing more is read, not even the next journal.
        let (stopped, some) = stream(2);
        let got: Vec<&str> = some.iter().map(|e| e.client.as_str()).collect();
        assert_eq!(got, ["a1", "x1"]);
        assert_eq!(stopped.journal_paths.len(), 2);
    }

    /// Read `book` in `parts` parts of chunks of `chunk` bytes (with `addition`), each part
    /// keeping what it is given. False when it could not be read in parts.
    fn read_in_parts(
        book: &Path,
        dir: &Path,
        addition: Option<&str>,
        parts: usize,
        chunk: usize,
    ) -> (Loaded, bool, Vec<Vec<Entry>>) {
        let (l, (whole, seen)) = load_core(
            book,
            dir,
            parse_journal,
            addition,
            ParseOptions::default(),
            Some(chunk),
            None,
            |_, read| {
                let route = |c: &str| c.len() % parts;
                let mut seen: Vec<Vec<Entry>> = vec![Vec::new(); parts];
                let mut consumers: Vec<_> = seen
                    .iter_mut()
                    .map(|v| {
                        move |e| {
                            v.push(e);
                            ControlFlow::Continue(())
                        }
                    })
                    .collect();
                let mut takers: Vec<&mut Consumer<'_>> = consumers
                    .iter_mut()
                    .map(|c| c as &mut Consumer<'_>)
                    .collect();
                let whole = read(&mut To::Parts {
                    route: &route,
                    consumers: &mut takers,
                });
                drop(consumers);
                (whole, seen)
            },
        )
        .unwrap();
        (l, whole, seen)
    }

    /// The entries of every part in read order, `seq` cleared (parts number lines, not entries).
    fn merged(parts: &[Vec<Entry>]) -> Vec<Entry> {
        let mut all: Vec<Entry> = parts.iter().flatten().cloned().collect();
        all.sort_by_key(|e| e.seq);
        for e in &mut all {
            e.seq = 0;
        }
        all
    }

    #[test]
    fn reading_in_parts_gives_each_part_its_clients_entries_as_one_reader_reads_them() {
        let dir = tree(&[
            (
                BOOK_FILE,
                "[book]\njournals = [\"journal.credits\", \"more/*.credits\"]\ncurrency = \"USD\"\n",
            ),
            (
                "journal.credits",
                "\u{feff}2026-01-05 buy acme 10h @ 120\r\n2026-01-06 log be 15m x\r\n; note\r\n\
                 2026-01-07 frob acme\r\n2026-01-07 log gamma 90m\r\n\r\n\
                 2026-01-08 log  acme\t1h #dev\n2026-01-09 log \"acme\" 1h\n\
                 2026-01-10 log acme 15\n2026-01-11 log",
            ),
            (
                "more/a.credits",
                "2026-02-01 log acme 1h\n2026-02-01 log nobody 1h \"Q\"\n",
            ),
        ]);
        let book = dir.path().join(BOOK_FILE);
        let whole = load(&book, dir.path()).unwrap();
        assert_eq!(whole.entries.len(), 6);
        let mut want_problems = problems(&whole);
        want_problems.sort();
        assert_eq!(want_problems.len(), 4, "{want_problems:?}");
        let mut want = whole.entries.clone();
        for e in &mut want {
            e.seq = 0;
        }
        for parts in 1..=3 {
            for chunk in [1, 7, 64, CHUNK] {
                let (l, read_whole, seen) = read_in_parts(&book, dir.path(), None, parts, chunk);
                assert!(read_whole, "{parts} parts, chunk {chunk}");
                for (i, part) in seen.iter().enumerate() {
                    assert!(part.iter().all(|e| e.client.len() % parts == i));
                    assert!(part.is_sorted_by_key(|e| e.seq));
                }
                assert_eq!(merged(&seen), want, "{parts} parts, chunk {chunk}");
                assert_eq!(l.entry_count, 6);
                let mut got_problems = problems(&l);
                got_problems.sort();
                assert_eq!(got_problems, want_problems, "{parts} parts, chunk {chunk}");
                assert_eq!(names(&l), names(&whole));
                assert_eq!(l.deferred.len(), 2);
            }
        }
    }

    #[test]
    fn a_book_read_before_is_reused_only_while_its_text_is_the_same() {
        let dir = tree(&[
            (BOOK_FILE, "[book]\nunit_minutes = 60\ncurrency = \"USD\"\n"),
            ("journal.credits", "2026-01-05 buy acme 10h\n"),
        ]);
        let book = dir.path().join(BOOK_FILE);
        let read = |known: Option<&Loaded>| {
            load_in_parts(
                &book,
                dir.path(),
                None,
                ParseOptions::default(),
                known,
                |_, _| (),
            )
            .unwrap()
            .0
        };
        let mut before = read(None);
        assert_eq!(before.book.unit_minutes, Minutes::from(60));
        // A stand-in for the parsed book: reused as it is while the text has not changed...
        before.book.name = "reused".into();
        assert_eq!(read(Some(&before)).book.name, "reused");
        // ...and parsed again once it has.
        std::fs::write(&book, "[book]\nunit_minutes = 30\ncurrency = \"USD\"\n").unwrap();
        let after = read(Some(&before));
        assert_eq!(after.book.unit_minutes, Minutes::from(30));
        assert_ne!(after.book.name, "reused");
    }

    #[test]
    fn reading_in_parts_with_an_addition_keeps_the_target_text_as_load_appending_does() {
        let dir = tree(&[
            (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
            (
                "journal.credits",
                "2026-01-05 buy acme 10h\n2026-01-06 log bo 1h",
            ),
        ]);
        let book = dir.path().join(BOOK_FILE);
        let addition = "\n2026-01-07 log acme 2h\n";
        let appended = load_appending(&book, dir.path(), addition).unwrap();
        let mut want = appended.entries.clone();
        for e in &mut want {
            e.seq = 0;
        }
        for chunk in [1, 5, CHUNK] {
            let (l, read_whole, seen) = read_in_parts(&book, dir.path(), Some(addition), 2, chunk);
            assert!(read_whole);
            assert_eq!(merged(&seen), want);
            // The text is not kept, but read again with the addition to show a problem.
            assert_eq!(
                l.full_sources().file(FileId(1)).text,
                appended.sources.file(FileId(1)).text
            );
            assert_eq!(l.appended, appended.appended);
            assert_eq!(l.appended, Some((FileId(1), 44, addition.to_string())));
        }
        // A write target that does not exist yet: only the addition is read.
        let dir = tree(&[(BOOK_FILE, "[book]\ncurrency = \"USD\"\n")]);
        let book = dir.path().join(BOOK_FILE);
        let (l, read_whole, seen) =
            read_in_parts(&book, dir.path(), Some("2026-01-07 log acme 2h\n"), 2, 64);
        assert!(read_whole);
        assert_eq!(merged(&seen).len(), 1);
        assert_eq!(
            l.full_sources().file(FileId(1)).text,
            "2026-01-07 log acme 2h\n"
        );
        assert_eq!(l.appended.as_ref().map(|a| a.1), Some(0));
    }

    #[test]
    fn a_book_with_an_include_or_bad_bytes_cannot_be_read_in_parts() {
        let dir = tree(&[
            (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
            (
                "journal.credits",
                "2026-01-05 buy acme 10h\ninclude x.credits\n",
            ),
            ("x.credits", "2026-01-06 log acme 1h\n"),
        ]);
        let book = dir.path().join(BOOK_FILE);
        for parts in 1..=2 {
            assert!(!read_in_parts(&book, dir.path(), None, parts, CHUNK).1);
        }
        let dir = tree(&[(BOOK_FILE, "[book]\ncurrency = \"USD\"\n")]);
        fs::write(
            dir.path().join("journal.credits"),
            b"2026-01-05 buy acme 10h\n2026-01-06 log acme \xff\n",
        )
        .unwrap();
        let book = dir.path().join(BOOK_FILE);
        assert!(!read_in_parts(&book, dir.path(), None, 2, CHUNK).1);
    }

    #[test]
    fn an_include_cycle_is_a_problem_at_the_include_that_closes_it() {
        let dir = tree(&[
            (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
            ("journal.credits", "j1\ninclude a.credits\n"),
            ("a.credits", "a1\ninclude b.credits\n"),
            (
                "b.credits",
                "b1\ninclude a.credits\ninclude ./journal.credits\n",
            ),
        ]);
        let l = load_fake(dir.path());
        assert_eq!(clients(&l), vec!["j1", "a1", "b1"]);
        assert_eq!(
            problems(&l),
            vec![
                "b.credits:2:9: include cycle: `a.credits` → `b.credits` → `a.credits`",
                "b.credits:3:9: include cycle: `journal.credits` → `a.credits` → `b.credits` → `journal.credits`",
            ]
        );
    }

    /// A book whose journal starts a chain of `depth` includes, one inside the other.
    fn chain(depth: usize) -> tempfile::TempDir {
        let dir = tree(&[
            (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
            ("journal.credits", "j\ninclude i1.credits\n"),
        ]);
        for i in 1..=depth {
            let next = if i < depth {
                format!("include i{}.credits\n", i + 1)
            } else {
                String::new()
            };
            fs::write(
                dir.path().join(format!("i{i}.credits")),
                format!("e{i}\n{next}"),
            )
            .unwrap();
        }
        dir
    }

    /// Every problem of the book at `dir`, read whole and in chunks.
    fn both_ways(dir: &Path) -> [(usize, Vec<String>); 2] {
        let whole = load_fake(dir);
        let (chunked, n) = load_core(
            &dir.join(BOOK_FILE),
            dir,
            fake_parse,
            None,
            ParseOptions::default(),
            Some(CHUNK),
            None,
            |_, read| {
                let mut n = 0;
                read(&mut To::Each(&mut |_| {
                    n += 1;
                    ControlFlow::Continue(())
                }));
                n
            },
        )
        .unwrap();
        [
            (whole.entries.len(), problems(&whole)),
            (n, problems(&chunked)),
        ]
    }

    #[test]
    fn includes_nest_64_deep_and_no_deeper() {
        let dir = chain(MAX_INCLUDE_DEPTH);
        for (n, problems) in both_ways(dir.path()) {
            assert_eq!((n, problems), (65, vec![]));
        }
        let dir = chain(MAX_INCLUDE_DEPTH + 1);
        for (n, problems) in both_ways(dir.path()) {
            assert_eq!(n, 65);
            assert_eq!(problems.len(), 1);
            let p = &problems[0];
            assert!(
                p.starts_with("i64.credits:2:9: includes nest more than 64 deep: `journal.credits` → `i1.credits` → `i2.credits` → "),
                "{p}"
            );
            assert!(p.ends_with(" → `i64.credits` → `i65.credits`"), "{p}");
        }
    }

    #[test]
    fn a_chain_of_3000_includes_is_an_error_not_a_crash() {
        let dir = chain(3000);
        for (n, problems) in both_ways(dir.path()) {
            assert_eq!(n, 65);
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert!(problems[0].contains("includes nest more than 64 deep"));
        }
    }

    #[test]
    fn a_fifo_a_device_or_a_folder_is_named_and_nothing_is_read_from_it() {
        let dir = tree(&[
            (
                BOOK_FILE,
                "[book]\njournals = [\"journal.credits\", \"pipe\"]\ncurrency = \"USD\"\n",
            ),
            (
                "journal.credits",
                "j\ninclude /dev/zero\ninclude sub\ninclude pipe2\n",
            ),
            ("sub/x", ""),
        ]);
        for fifo in ["pipe", "pipe2"] {
            let made = std::process::Command::new("mkfifo")
                .arg(dir.path().join(fifo))
                .status();
            assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        }
        // Reading a FIFO without a writer would wait for ever, `/dev/zero` would never end.
        for (n, problems) in both_ways(dir.path()) {
            assert_eq!(n, 1);
            assert_eq!(
                problems,
                vec![
                    "journal.credits:2:9: included journal `/dev/zero` is a character device, not a regular file",
                    "journal.credits:3:9: included journal `sub` is a folder, not a regular file",
                    "journal.credits:4:9: included journal `pipe2` is a FIFO, not a regular file",
                    "credits.toml:2:32: journal `pipe` is a FIFO, not a regular file",
                ]
            );
        }
        let e = find_book(Some(Path::new("/dev/zero")), dir.path()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read book `/dev/zero`: it is a character device, not a regular file"
        );
        let e = load(&dir.path().join("pipe"), dir.path()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read book `pipe`: it is a FIFO, not a regular file"
        );
    }

    #[test]
    fn errors_from_the_system_are_worded_without_their_number() {
        use std::io::{Error, ErrorKind};
        assert_eq!(
            reason(&Error::from(ErrorKind::PermissionDenied)),
            "permission denied"
        );
        assert_eq!(reason(&Error::from_raw_os_error(21)), "it is a folder");
        assert_eq!(reason(&Error::from_raw_os_error(5)), "input/output error");
        let e = LoadError::Io {
            path: "journal.credits".into(),
            what: "journal",
            error: Error::from_raw_os_error(13),
        };
        assert_eq!(
            e.to_string(),
            "cannot read journal `journal.credits`: permission denied"
        );
    }

    #[test]
    fn including_a_file_already_read_is_a_problem() {
        let dir = tree(&[
            (
                BOOK_FILE,
                "[book]\njournals = [\"journal.credits\", \"old.credits\"]\ncurrency = \"USD\"\n",
            ),
            ("journal.credits", "j1\n"),
            (
                "old.credits",
                "o1\ninclude journal.credits\ninclude gone.credits\n",
            ),
        ]);
        let l = load_fake(dir.path());
        assert_eq!(clients(&l), vec!["j1", "o1"]);
        assert_eq!(
            problems(&l),
            vec![
                "old.credits:2:9: `journal.credits` is read twice",
                "old.credits:3:9: included journal `gone.credits` does not exist",
            ]
        );
    }

    #[test]
    fn a_missing_write_target_is_a_problem_that_writing_commands_can_set_aside() {
        let dir = tree(&[(
            BOOK_FILE,
            "[book]\njournals = [\"new.credits\", \"gone.credits\"]\ncurrency = \"USD\"\n",
        )]);
        let l = load_fake(dir.path());
        assert!(l.missing_write_target());
        assert_eq!(l.write_target, dir.path().join("new.credits"));
        assert_eq!(
            problems(&l),
            vec![
                "credits.toml:2:13: journal `new.credits` does not exist",
                "credits.toml:2:28: journal `gone.credits` does not exist",
            ]
        );
        let blocking: Vec<&str> = l
            .write_problems()
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(blocking, vec!["journal `gone.credits` does not exist"]);
    }

    #[test]
    fn a_book_without_journals_key_reads_journal_credits_beside_it() {
        let dir = tree(&[
            (BOOK_FILE, "[book]\nunit = \"hour\"\ncurrency = \"USD\"\n"),
            ("journal.credits", "j\n"),
        ]);
        let l = load_fake(dir.path());
        assert_eq!(clients(&l), vec!["j"]);
        assert_eq!(l.write_target, dir.path().join("journal.credits"));
        let folder = dir.path().file_name().unwrap().to_string_lossy();
        assert_eq!(l.book.name, folder);
    }

    #[test]
    fn names_are_relative_to_the_current_folder_only_under_it() {
        let dir = tree(&[
            (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
            ("journal.credits", "j\n"),
            ("elsewhere/x", ""),
        ]);
        let root = dir.path();
        let from_inside = load_with(Path::new(BOOK_FILE), root, fake_parse, None).unwrap();
        assert_eq!(names(&from_inside), vec!["credits.toml", "journal.credits"]);
        let parent = root.parent().unwrap();
        let from_above = load_with(&root.join(BOOK_FILE), parent, fake_parse, None).unwrap();
        let sub = root.file_name().unwrap().to_string_lossy();
        assert_eq!(
            names(&from_above),
            vec![
                format!("{sub}/credits.toml"),
                format!("{sub}/journal.credits")
            ]
        );
        let from_aside = load_with(
            &root.join(BOOK_FILE),
            &root.join("elsewhere"),
            fake_parse,
            None,
        )
        .unwrap();
        assert_eq!(
            names(&from_aside),
            vec![
                root.join(BOOK_FILE).to_string_lossy().into_owned(),
                root.join("journal.credits").to_string_lossy().into_owned()
            ]
        );
    }

    #[test]
    fn parse_problems_of_every_journal_are_kept() {
        let dir = tree(&[
            (
                BOOK_FILE,
                "[book]\njournals = [\"a.credits\", \"b.credits\"]\ncurrency = \"USD\"\n",
            ),
            ("a.credits", "ok\n!bad\n"),
            ("b.credits", "!worse\n"),
        ]);
        let l = load_fake(dir.path());
        assert_eq!(
            problems(&l),
            vec!["a.credits:2:1: bad line", "b.credits:1:1: bad line"]
        );
    }

    #[test]
    fn invalid_utf8_is_a_problem_at_its_line_not_a_panic() {
        let dir = tree(&[(BOOK_FILE, "[book]\ncurrency = \"USD\"\n")]);
        fs::write(dir.path().join("journal.credits"), b"ok\nb\xffad\n").unwrap();
        let l = load_fake(dir.path());
        assert_eq!(
            problems(&l),
            vec!["journal.credits:2:2: `journal.credits` is not valid UTF-8"]
        );
        assert_eq!(clients(&l), vec!["ok", "b\u{fffd}ad"]);

        fs::write(dir.path().join(BOOK_FILE), b"[book]\nname = \"\xff\"\n").unwrap();
        match load_with(&dir.path().join(BOOK_FILE), dir.path(), fake_parse, None) {
            Err(LoadError::Book { sources, problems }) => {
                assert_eq!(problems.len(), 1);
                assert_eq!(problems[0].message, "`credits.toml` is not valid UTF-8");
                assert_eq!(sources.line_col(problems[0].span.unwrap()), (2, 9));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_bad_book_is_a_book_error_with_its_sources() {
        let dir = tree(&[(
            BOOK_FILE,
            "[policy]\ndebit = \"weekly\"\n\n[book]\ncurrency = \"USD\"\n",
        )]);
        match load(&dir.path().join(BOOK_FILE), dir.path()) {
            Err(e @ LoadError::Book { .. }) => {
                assert_eq!(e.to_string(), "`credits.toml` has 1 problem");
                let LoadError::Book { sources, problems } = e else {
                    unreachable!()
                };
                assert_eq!(sources.files.len(), 1);
                assert_eq!(problems[0].message, "`weekly` is not a debit policy");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_real_loader_reads_through_the_journal_parser() {
        let dir = tree(&[
            (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
            ("journal.credits", ""),
        ]);
        let l = load(&dir.path().join(BOOK_FILE), dir.path()).unwrap();
        assert_eq!(l.journal_paths, vec![dir.path().join("journal.credits")]);
        assert_eq!(l.sources.files.len(), 2);
    }

    #[test]
    fn reading_in_chunks_of_any_size_gives_what_reading_whole_files_gives() {
        let mut journal = b"\xef\xbb\xbf2026-01-05 buy acme 10h @ 120 USD ref:A\r\n".to_vec();
        for day in 6..=20 {
            journal.extend_from_slice(
                format!("2026-01-{day:02} log acme {day}m caf\u{e9} \"work {day}\" #dev\r\n")
                    .as_bytes(),
            );
        }
        journal
            .extend_from_slice(b"2026-01-21 log acme 15 bad\n\xef\xbb\xbf2026-01-22 bill acme\n");
        journal.extend_from_slice(b"include more.credits\n2026-01-23 log acme 1h after\n");
        journal.extend_from_slice(
            b"2026-01-24 log acme 1h ok\n2026-01-25 log acme 1h \xff bad byte\n",
        );
        journal.extend_from_slice(b"2026-01-26 log acme 2h last");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(BOOK_FILE),
            "[book]\ncurrency = \"USD\"\n[clients.acme]\nname = \"Acme\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("journal.credits"), &journal).unwrap();
        std::fs::write(
            dir.path().join("more.credits"),
            "2026-01-22 log acme 5m inc\n",
        )
        .unwrap();
        let book = dir.path().join(BOOK_FILE);
        let whole = load(&book, dir.path()).unwrap();
        // 1 buy, 15 logs, the included log, 4 more; the BOM-led line, `15` and the bad
        // byte are problems (the line with the bad byte still reads, as `load` reads it).
        assert_eq!(whole.entries.len(), 21);
        assert_eq!(whole.problems.len(), 3, "{:?}", problems(&whole));
        for chunk in [1, 7, 64, 1 << 20] {
            let (l, entries) = load_core(
                &book,
                dir.path(),
                parse_journal,
                None,
                ParseOptions::default(),
                Some(chunk),
                None,
                |_, read| {
                    let mut seen = Vec::new();
                    read(&mut To::Each(&mut |e| {
                        seen.push(e);
                        ControlFlow::Continue(())
                    }));
                    seen
                },
            )
            .unwrap();
            assert_eq!(entries, whole.entries, "chunk {chunk}");
            // The same problems (shown sorted by place, as the CLI prints them).
            let (mut got, mut want) = (problems(&l), problems(&whole));
            got.sort();
            want.sort();
            assert_eq!(got, want, "chunk {chunk}");
        }
    }
}
