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
}

impl Loaded {
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
        /// The file.
        path: PathBuf,
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
            LoadError::Io { path, error } => {
                write!(f, "cannot read `{}`: {error}", path.display())
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
        let meta = std::fs::metadata(&path).map_err(|error| LoadError::Io {
            path: path.clone(),
            error,
        })?;
        if !meta.is_dir() {
            return Ok(path);
        }
        let inside = path.join(BOOK_FILE);
        return match std::fs::metadata(&inside) {
            Ok(m) if m.is_file() => Ok(inside),
            Ok(_) => Err(LoadError::Io {
                path: inside,
                error: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file"),
            }),
            Err(error) => Err(LoadError::Io {
                path: inside,
                error,
            }),
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
/// need never hold every entry at once. `Loaded::entries` stays empty; the journals' text is
/// kept in `sources`, for the problems.
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
    load_core(book_path, cwd, parse_journal, None, opts, consume)
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
    load_core(book_path, cwd, parse_journal, Some(addition), opts, consume)
}

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
    let mut file = std::fs::File::open(path)?;
    let locked = file.lock_shared().is_ok();
    let mut bytes = Vec::new();
    let read = file.read_to_end(&mut bytes);
    if locked {
        let _ = file.unlock();
    }
    read.map(|_| bytes)
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
        |_, read| {
            let mut entries = Vec::new();
            read(&mut |e| {
                entries.push(e);
                ControlFlow::Continue(())
            });
            entries
        },
    )?;
    loaded.entries = entries;
    Ok(loaded)
}

fn load_core<T>(
    book_path: &Path,
    cwd: &Path,
    parse: ParseFn,
    addition: Option<&str>,
    opts: ParseOptions,
    consume: impl FnOnce(&Book, &mut ReadJournals<'_>) -> T,
) -> Result<(Loaded, T), LoadError> {
    let book_path = absolute(cwd, book_path);
    let cwd = absolute(cwd, Path::new("."));
    let bytes = std::fs::read(&book_path).map_err(|error| LoadError::Io {
        path: book_path.clone(),
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
    let book = match syntax::book::parse_named(&sources.file(book_id).text, book_id, &folder_name) {
        Ok(book) => book,
        Err(problems) => return Err(LoadError::Book { sources, problems }),
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
    };
    let mut failed = None;
    let out = consume(&book, &mut |sink| {
        if let Err(e) = reader.journals(&book.journals, &dir, sink) {
            failed = Some(e);
        }
    });
    if let Some(e) = failed {
        return Err(e);
    }
    let Reader {
        sources,
        read,
        journal_paths,
        problems,
        ..
    } = reader;
    let loaded = Loaded {
        book,
        book_path,
        sources,
        entries: Vec::new(),
        entry_count: read,
        journal_paths,
        write_target,
        problems,
    };
    Ok((loaded, out))
}

/// Who names a journal: the book's `journals` list or an `include` line.
#[derive(Clone, Copy)]
enum Origin<'a> {
    Journals { written: &'a str, span: Span },
    Include { written: &'a str, span: Span },
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
}

/// What takes each entry read.
type Sink<'s> = dyn FnMut(Entry) -> ControlFlow<()> + 's;

impl Reader<'_> {
    /// Read every journal of the book's `journals`, in order.
    fn journals(
        &mut self,
        journals: &[(String, Span)],
        dir: &Path,
        sink: &mut Sink<'_>,
    ) -> Result<(), LoadError> {
        for (written, span) in journals {
            if self.stopped {
                break;
            }
            if written.contains(['*', '?', '[']) {
                self.glob(dir, written, *span, sink)?;
            } else {
                let path = absolute(dir, Path::new(written));
                self.read(
                    &path,
                    Origin::Journals {
                        written,
                        span: *span,
                    },
                    sink,
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
        sink: &mut Sink<'_>,
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
            self.read(&path, Origin::Journals { written, span }, sink)?;
        }
        Ok(())
    }

    /// Read one journal and, recursively, what it includes.
    fn read(
        &mut self,
        path: &Path,
        from: Origin<'_>,
        sink: &mut Sink<'_>,
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
            Ok(m) if m.is_dir() => {
                self.problems.push(Diagnostic::error(
                    span,
                    format!("{what} `{written}` is a folder"),
                ));
                return Ok(());
            }
            _ => {}
        }
        let mut bytes = match read_shared(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && appended.is_some() => Vec::new(),
            read => read.map_err(|error| LoadError::Io {
                path: path.to_path_buf(),
                error,
            })?,
        };
        if let Some(a) = appended {
            bytes.extend_from_slice(a.as_bytes());
        }
        let (text, bad_utf8) = decode(bytes);
        // The id is taken now, in read order; the text goes in once parsed, as the parser
        // borrows it while the files it includes are read.
        let file = self.sources.add(shown.clone(), String::new());
        if let Some(pos) = bad_utf8 {
            self.problems.push(not_utf8(file, &shown, pos));
        }
        self.journal_paths.push(path.to_path_buf());
        self.seen.insert(id.clone());
        self.stack.push((id, shown.clone()));

        let here = path
            .parent()
            .map_or_else(|| self.cwd.to_path_buf(), Path::to_path_buf);
        let (parse, unit, opts) = (self.parse, self.unit_minutes, self.opts);
        let mut failed = Ok(());
        parse(&text, file, unit, opts, &mut |item| match item {
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
                if let Err(e) = self.read(&target, origin, sink) {
                    failed = Err(e);
                    return ControlFlow::Break(());
                }
                if self.stopped {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            }
        });
        self.sources.files[file.0 as usize] = SourceFile::new(shown, text);
        self.stack.pop();
        failed
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
                    client: word.to_owned(),
                    verb: Verb::Bill,
                    tags: Vec::new(),
                    meta: Vec::new(),
                    description: String::new(),
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
        l.problems
            .iter()
            .map(|d| {
                let s = d.span.unwrap();
                let (line, col) = l.sources.line_col(s);
                format!(
                    "{}:{line}:{col}: {}",
                    l.sources.file(s.file).name,
                    d.message
                )
            })
            .collect()
    }

    #[test]
    fn the_book_is_found_in_the_nearest_folder_upward() {
        let dir = tree(&[(BOOK_FILE, ""), ("a/b/notes.txt", "")]);
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
            Err(LoadError::Io { path, .. }) if path == root.join("books/credits.toml")
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
                "[book]\njournals = [\"main.credits\", \"years/*.credits\", \"*.credits\", \"none/*.x\"]\n",
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
                "[book]\njournals = [\"journal.credits\", \"last.credits\"]\n",
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
                "[book]\njournals = [\"journal.credits\", \"last.credits\"]\n",
            ),
            ("journal.credits", "a1\ninclude sub/x.credits\na2\n"),
            ("sub/x.credits", "x1\n!bad\nx2\n"),
            ("last.credits", "l1\n"),
        ]);
        let kept = load_fake(dir.path());
        let book = dir.path().join(BOOK_FILE);
        let opts = ParseOptions::default();
        let stream = |stop_after: usize| {
            load_core(&book, dir.path(), fake_parse, None, opts, |_, read| {
                let mut seen = Vec::new();
                read(&mut |e| {
                    seen.push(e);
                    if seen.len() == stop_after {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                });
                seen
            })
            .unwrap()
        };
        let (streamed, all) = stream(usize::MAX);
        assert_eq!(all, kept.entries);
        assert!(streamed.entries.is_empty());
        assert_eq!(streamed.entry_count, 5);
        assert_eq!(problems(&streamed), problems(&kept));
        assert_eq!(streamed.sources.file(FileId(2)).text, "x1\n!bad\nx2\n");
        assert_eq!(names(&streamed), names(&kept));

        // Stopped after `x1`: nothing more is read, not even the next journal.
        let (stopped, some) = stream(2);
        let got: Vec<&str> = some.iter().map(|e| e.client.as_str()).collect();
        assert_eq!(got, ["a1", "x1"]);
        assert_eq!(stopped.journal_paths.len(), 2);
    }

    #[test]
    fn an_include_cycle_is_a_problem_at_the_include_that_closes_it() {
        let dir = tree(&[
            (BOOK_FILE, ""),
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

    #[test]
    fn including_a_file_already_read_is_a_problem() {
        let dir = tree(&[
            (
                BOOK_FILE,
                "[book]\njournals = [\"journal.credits\", \"old.credits\"]\n",
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
            "[book]\njournals = [\"new.credits\", \"gone.credits\"]\n",
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
            (BOOK_FILE, "[book]\nunit = \"hour\"\n"),
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
            (BOOK_FILE, ""),
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
                "[book]\njournals = [\"a.credits\", \"b.credits\"]\n",
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
        let dir = tree(&[(BOOK_FILE, "")]);
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
        let dir = tree(&[(BOOK_FILE, "[policy]\ndebit = \"weekly\"\n")]);
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
        let dir = tree(&[(BOOK_FILE, ""), ("journal.credits", "")]);
        let l = load(&dir.path().join(BOOK_FILE), dir.path()).unwrap();
        assert_eq!(l.journal_paths, vec![dir.path().join("journal.credits")]);
        assert_eq!(l.sources.files.len(), 2);
    }
}
