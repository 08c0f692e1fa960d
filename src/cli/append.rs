//! Appending to a journal: the only code that writes to one.
//!
//! I/O, so it lives in `cli`. These rules keep a journal safe:
//!
//! * **One writer at a time.** A writing command holds an exclusive `flock` on `credits.toml`
//!   from the moment it reads the book to the moment its line is on disk ([`BookLock`]), so it
//!   validates against every line appended before it. The operating system drops the lock
//!   when the process ends, however it ends: there is never a stale lock to clean up.
//! * **The file the path names.** The append itself happens under an exclusive lock on the
//!   journal file ([`Journal::open`]); `load` reads every journal under a shared one. Editors
//!   and git replace a file by renaming a new one over it: after taking the lock, the writer
//!   checks that the path still names the file it locked, and opens and locks again if not,
//!   so a rewriter that locks the journal the same way loses nothing.
//! * **Only a regular file.** A journal that is a folder, a FIFO or a device (through a
//!   symlink too) is refused before anything is read from it or written to it.
//! * **Old bytes never change.** The file is opened with `O_APPEND` (through a symlink, to its
//!   target; never replaced, so its inode, mode and owner stay) and the whole addition goes out
//!   in one `write_all`, then `sync_data`. A failed or short write, or a failed sync, is undone:
//!   the file is truncated to its old length and synced again. A CRLF journal gets CRLF; a
//!   journal whose last line is a comment or blank without a line end gets one; a byte-order
//!   mark stays where it is.
//! * **A torn line stays visible.** A journal whose last line is an entry without a line end
//!   may hold a write that was killed halfway; appending after it would turn it into an entry
//!   of its own. The writer refuses and points at it ([`Tail::torn`]).
//! * **Lines are short.** A written line is at most [`MAX_LINE`] bytes.

use super::{Fail, os};
use crate::diagnostic::{self, Diagnostic};
use crate::source::{SourceMap, Span};
use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::os::unix::fs::{FileExt as _, MetadataExt as _};
use std::path::Path;

/// The longest line a command writes, in bytes, without its line ending.
pub const MAX_LINE: usize = 4096;

/// The help of a refusal to append after a torn last line.
pub const TORN_HELP: &str =
    "the last line may be an interrupted write: check it, then end it with a newline";

/// An exclusive lock on the book, held for a writing command's whole read → validate → append.
#[derive(Debug)]
pub struct BookLock {
    _file: File,
}

/// Take the writers' lock on the book at `book_path` (`name` in messages), waiting for another
/// writer to finish.
pub fn lock_book(book_path: &Path, name: &str) -> Result<BookLock, Fail> {
    let file = File::open(book_path).map_err(|e| os::fail("lock", name, &e))?;
    file.lock().map_err(|e| os::fail("lock", name, &e))?;
    Ok(BookLock { _file: file })
}

/// A journal's last line when it is an entry without a line end: maybe a write that was
/// killed halfway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornLine {
    /// Its 1-based line number.
    pub line: usize,
    /// Its text (at most the first 8 KiB, lossily decoded).
    pub text: String,
}

/// What a writer needs of a journal's end.
#[derive(Debug, Clone, Default)]
pub struct Tail {
    /// What [`addition`] needs ([`sketch`]).
    pub sketch: Vec<u8>,
    /// The last line, when it is an entry without a line end.
    pub torn: Option<TornLine>,
}

impl Tail {
    /// `Err` (printed already) when the journal ends in a torn line: the refusal, at its line.
    pub fn refuse_torn(&self, name: &str, color: bool) -> Result<(), Fail> {
        let Some(torn) = &self.torn else {
            return Ok(());
        };
        // Never `eprint!`: it panics when stderr cannot be written to.
        let _ = io::stderr().write_all(torn_report(name, torn, color).as_bytes());
        Err(Fail::printed())
    }
}

/// The refusal to append after `torn`, the last line of the journal `name`, as printed.
#[must_use]
pub fn torn_report(name: &str, torn: &TornLine, color: bool) -> String {
    // A source holding the line at its line number, so that it renders as `file:line:1`.
    let mut text = "\n".repeat(torn.line.saturating_sub(1));
    let start = text.len();
    text.push_str(&torn.text);
    let mut sources = SourceMap::default();
    let id = sources.add(name.to_string(), text);
    let end = sources.file(id).text.len();
    let d = Diagnostic::error(
        Span::new(id, start, end),
        "the journal ends in an entry without a line end: nothing was written",
    )
    .with_help(TORN_HELP);
    diagnostic::render(&d, &sources, color)
}

/// Refuse a file that is not a regular one (symlinks followed): `name` is a folder, a FIFO, a
/// device or a socket. A missing file is fine (the first write creates it).
fn regular(meta: &std::fs::Metadata, name: &str) -> Result<(), Fail> {
    use std::os::unix::fs::FileTypeExt as _;
    let t = meta.file_type();
    let what = if t.is_file() {
        return Ok(());
    } else if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "a special file"
    };
    Err(Fail::request(
        format!("the journal `{name}` is {what}, not a regular file: nothing was written"),
        Some("`journals` in `credits.toml` must name plain files".into()),
    ))
}

/// What [`addition`] needs of the journal at `path` (`name` in messages) as it is now, read
/// under a shared lock; empty when it does not exist yet. A journal that is not a regular file
/// is refused before anything is read from it.
pub fn current(path: &Path, name: &str) -> Result<Tail, Fail> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Tail::default()),
        Err(e) => return Err(os::fail("read", name, &e)),
        Ok(meta) => regular(&meta, name)?,
    }
    let file = match File::open(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Tail::default()),
        open => open.map_err(|e| os::fail("read", name, &e))?,
    };
    regular(
        &file.metadata().map_err(|e| os::fail("read", name, &e))?,
        name,
    )?;
    let locked = file.lock_shared().is_ok();
    let read = tail(&file);
    if locked {
        let _ = file.unlock();
    }
    read.map_err(|e| os::fail("read", name, &e))
}

/// The journal at `path` as it ends now, read under a shared lock: its last line when that is
/// an entry without a line end (`credits check` warns about it). `None` for a missing file or
/// one that is not a regular file.
pub fn torn_tail(path: &Path) -> io::Result<Option<TornLine>> {
    let file = match File::open(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        open => open?,
    };
    if !file.metadata()?.is_file() {
        return Ok(None);
    }
    let locked = file.lock_shared().is_ok();
    let read = tail(&file);
    if locked {
        let _ = file.unlock();
    }
    read.map(|t| t.torn)
}

/// The [`Tail`] of `file`: its sketch and, when its last line is an entry without a line end,
/// that line. Reads the first line, the last line, and (only for a torn last line) the rest,
/// to count lines.
pub fn tail(file: &File) -> io::Result<Tail> {
    let sketch = sketch(file)?;
    let len = file.metadata()?.len();
    // Ended, empty, or ended by the CR of a CRLF that lost its LF: completed as before.
    if matches!(sketch.last(), None | Some(b'\n' | b'\r')) {
        return Ok(Tail { sketch, torn: None });
    }
    let start = last_line_start(file, len)?;
    let mut head = vec![0; usize::try_from((len - start).min(8192)).unwrap_or(8192)];
    let n = read_full(file, &mut head, start)?;
    head.truncate(n);
    let body = if start == 0 {
        head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&head)
    } else {
        &head[..]
    };
    let first = body.iter().find(|&&b| b != b' ' && b != b'\t');
    if matches!(first, None | Some(b';' | b'#')) {
        // A blank or comment line: the new line ends it, as it always did.
        return Ok(Tail { sketch, torn: None });
    }
    let line = count_lines(file, start)? + 1;
    let text = String::from_utf8_lossy(body).into_owned();
    Ok(Tail {
        sketch,
        torn: Some(TornLine { line, text }),
    })
}

/// Read into `buf` at `at` until it is full or the file ends; the bytes read.
fn read_full(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        match file.read_at(&mut buf[done..], at + done as u64) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

/// The offset where the last line of `file` (`len` bytes long) starts: one past its last
/// `\n` before the end, read backwards a block at a time.
fn last_line_start(file: &File, len: u64) -> io::Result<u64> {
    let mut block = vec![0; 8192];
    let mut end = len;
    while end > 0 {
        let from = end.saturating_sub(block.len() as u64);
        let want = usize::try_from(end - from).unwrap_or(0);
        let n = read_full(file, &mut block[..want], from)?;
        if let Some(i) = memchr::memrchr(b'\n', &block[..n]) {
            return Ok(from + i as u64 + 1);
        }
        end = from;
    }
    Ok(0)
}

/// How many `\n` the first `upto` bytes of `file` hold.
fn count_lines(file: &File, upto: u64) -> io::Result<usize> {
    let mut block = vec![0; 1 << 16];
    let mut at = 0;
    let mut lines = 0;
    while at < upto {
        let want = usize::try_from((upto - at).min(block.len() as u64)).unwrap_or(0);
        let n = read_full(file, &mut block[..want], at)?;
        if n == 0 {
            break;
        }
        lines += memchr::memchr_iter(b'\n', &block[..n]).count();
        at += n as u64;
    }
    Ok(lines)
}

/// A journal opened for appending, under an exclusive `flock` on the file its path names.
/// The lock is released when it is dropped.
#[derive(Debug)]
pub struct Journal {
    file: File,
    name: String,
}

/// How many times [`Journal::open`] follows a journal replaced while it waited for its lock.
const REOPENS: usize = 1000;

impl Journal {
    /// Open the journal at `path` (`name` in messages) for appending, creating it when
    /// missing, and take the exclusive lock on it; when the path no longer names the file
    /// locked (it was replaced by a rename meanwhile), open and lock again. Only a regular
    /// file (symlinks followed) is opened. A file system without locks is written without one.
    pub fn open(path: &Path, name: &str) -> Result<Journal, Fail> {
        let append = |e: &io::Error| os::fail("append to", name, e);
        for _ in 0..REOPENS {
            match std::fs::metadata(path) {
                Ok(meta) => regular(&meta, name)?,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(append(&e)),
            }
            let file = OpenOptions::new()
                .read(true)
                .append(true)
                .create(true)
                .open(path)
                .map_err(|e| append(&e))?;
            let meta = file.metadata().map_err(|e| append(&e))?;
            regular(&meta, name)?;
            match file.lock() {
                Ok(()) => {}
                Err(e)
                    if e.kind() == io::ErrorKind::Unsupported || e.raw_os_error() == Some(37) =>
                {
                    // No locks on this file system (ENOLCK, EOPNOTSUPP).
                }
                Err(e) => return Err(os::fail("lock", name, &e)),
            }
            let same = match std::fs::metadata(path) {
                Ok(now) => now.dev() == meta.dev() && now.ino() == meta.ino(),
                Err(e) if e.kind() == io::ErrorKind::NotFound => false,
                Err(e) => return Err(append(&e)),
            };
            if same {
                return Ok(Journal {
                    file,
                    name: name.to_string(),
                });
            }
            // Replaced while we waited: the lock is on a file no one will read again.
        }
        Err(Fail::request(
            format!(
                "cannot append to {name}: it was replaced {REOPENS} times while waiting for it"
            ),
            Some("stop the program that keeps rewriting it, then try again".into()),
        ))
    }

    /// The journal's [`Tail`], as it is under the lock.
    pub fn tail(&self) -> Result<Tail, Fail> {
        tail(&self.file).map_err(|e| os::fail("read", &self.name, &e))
    }

    /// Append `addition` (from [`addition`] of this journal's [`Journal::tail`]) and sync it;
    /// the journal's length before. On any failure the journal is truncated back to its old
    /// length and synced, so its bytes are as before.
    pub fn append(&mut self, addition: &str) -> Result<u64, Fail> {
        let old = self
            .file
            .metadata()
            .map_err(|e| os::fail("append to", &self.name, &e))?
            .len();
        let written = self
            .file
            .write_all(addition.as_bytes())
            .map_err(|e| ("append to", e))
            .and_then(|()| self.file.sync_data().map_err(|e| ("sync", e)));
        let Err((op, e)) = written else {
            return Ok(old);
        };
        let undone = self.file.set_len(old).and_then(|()| self.file.sync_data());
        let mut fail = os::fail(op, &self.name, &e);
        if let (Err(u), Some(d)) = (undone, fail.diagnostic.as_mut()) {
            d.message = format!(
                "{}; then cannot truncate it back to {old} bytes: {}",
                d.message,
                os::os_text(&u)
            );
            d.help = Some(format!(
                "the end of {} may hold part of a line: check it",
                self.name
            ));
        }
        Err(fail)
    }
}

impl Journal {
    /// The file's device and inode: which file the path named when it was locked.
    pub fn identity(&self) -> Result<(u64, u64), Fail> {
        let meta = self
            .file
            .metadata()
            .map_err(|e| os::fail("read", &self.name, &e))?;
        Ok((meta.dev(), meta.ino()))
    }

    /// The file's length and the bytes from `from` to its end (for `credits undo`).
    pub fn bytes_from(&self, from: u64) -> Result<(u64, Vec<u8>), Fail> {
        let fail = |e: &io::Error| os::fail("read", &self.name, e);
        let len = self.file.metadata().map_err(|e| fail(&e))?.len();
        let want = usize::try_from(len.saturating_sub(from).min(1 << 20)).unwrap_or(0);
        let mut buf = vec![0; want];
        let n = read_full(&self.file, &mut buf, from).map_err(|e| fail(&e))?;
        buf.truncate(n);
        Ok((len, buf))
    }

    /// Cut the journal back to `len` bytes and sync it (for `credits undo`).
    pub fn truncate(&mut self, len: u64) -> Result<(), Fail> {
        self.file
            .set_len(len)
            .and_then(|()| self.file.sync_data())
            .map_err(|e| os::fail("truncate", &self.name, &e))
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// The bytes of `file` that [`addition`] looks at, without reading a large journal whole: its
/// first line (through its first `\n`) and its last two bytes. `addition` of them is
/// `addition` of the whole file.
pub fn sketch(file: &File) -> io::Result<Vec<u8>> {
    sketch_by(file, 8192)
}

/// [`sketch`], reading the first line `block` bytes at a time.
fn sketch_by(file: &File, block: usize) -> io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt as _;
    let mut head = Vec::new();
    let mut block = vec![0; block.max(1)];
    loop {
        let n = match file.read_at(&mut block, head.len() as u64) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            read => read?,
        };
        if n == 0 {
            // No line ending anywhere: the whole file is read.
            return Ok(head);
        }
        let found = block[..n].iter().position(|&b| b == b'\n');
        head.extend_from_slice(&block[..found.map_or(n, |i| i + 1)]);
        if found.is_some() {
            break;
        }
    }
    let len = file.metadata()?.len();
    let from = len.saturating_sub(2).max(head.len() as u64);
    let mut tail = vec![0; usize::try_from(len - from).unwrap_or(0)];
    let mut at = 0;
    while at < tail.len() {
        match file.read_at(&mut tail[at..], from + at as u64) {
            Ok(0) => break,
            Ok(n) => at += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    head.extend_from_slice(&tail[..at]);
    Ok(head)
}

/// What appending `line` to a journal holding `existing` adds: a line ending first when the
/// last line has none, then the line and the file's line ending (CRLF when its first line ends
/// in CRLF, else LF).
///
/// # Examples
///
/// ```
/// use credits::cli::append::addition;
/// assert_eq!(addition(b"a\r\nb", "new"), "\r\nnew\r\n");
/// assert_eq!(addition(b"", "new"), "new\n");
/// ```
#[must_use]
pub fn addition(existing: &[u8], line: &str) -> String {
    let body = existing
        .strip_prefix("\u{feff}".as_bytes())
        .unwrap_or(existing);
    let crlf = body
        .iter()
        .position(|&b| b == b'\n')
        .is_some_and(|i| i > 0 && body[i - 1] == b'\r');
    let eol = if crlf { "\r\n" } else { "\n" };
    let prefix = match body.last() {
        None | Some(b'\n') => "",
        Some(b'\r') => "\n",
        Some(_) => eol,
    };
    format!("{prefix}{line}{eol}")
}

/// Append `line` (one journal line, no line ending, at most [`MAX_LINE`] bytes) to the
/// journal at `path` (`name` in messages), creating it when missing: under the journal's lock,
/// refusing a torn last line (printed in `color`), undone on any failure. Returns the bytes
/// added.
pub fn append(path: &Path, name: &str, line: &str, color: bool) -> Result<String, Fail> {
    appended(path, name, line, color).map(|a| a.added)
}

/// What [`append`] did: the bytes added, the journal's length before, and which file it was.
struct Appended {
    added: String,
    before: u64,
    dev: u64,
    ino: u64,
}

fn appended(path: &Path, name: &str, line: &str, color: bool) -> Result<Appended, Fail> {
    if line.len() > MAX_LINE {
        return Err(too_long(line));
    }
    let mut journal = Journal::open(path, name)?;
    let tail = journal.tail()?;
    tail.refuse_torn(name, color)?;
    let added = addition(&tail.sketch, line);
    let (dev, ino) = journal.identity()?;
    let before = journal.append(&added)?;
    Ok(Appended {
        added,
        before,
        dev,
        ino,
    })
}

/// [`append`], then record what was added for `credits undo` in the book's undo file (beside
/// `book_path`, written atomically): the journal, its length before, the bytes added, the
/// line and its `client`. The line is written whatever happens to the record: when the record
/// cannot be written, a warning on stderr says so (and an older record is removed, so that
/// `undo` never takes away a line it did not mean).
pub fn append_undoable(
    path: &Path,
    name: &str,
    line: &str,
    color: bool,
    book_path: &Path,
    client: &str,
) -> Result<String, Fail> {
    let Appended {
        added,
        before,
        dev,
        ino,
    } = appended(path, name, line, color)?;
    let record = super::undo::Record {
        journal: path.to_string_lossy().into_owned(),
        before,
        added: added.clone(),
        line: line.to_string(),
        client: client.to_string(),
        dev,
        ino,
    };
    if let Err(e) = super::undo::save(book_path, &record) {
        let _ = super::undo::forget(book_path);
        let d = Diagnostic {
            severity: diagnostic::Severity::Warning,
            message: format!(
                "the line was written, but `credits undo` cannot take it back: cannot write {}: {}",
                super::undo::UNDO_FILE,
                os::os_text(&e)
            ),
            span: None,
            help: None,
        };
        let _ =
            io::stderr().write_all(diagnostic::render(&d, &SourceMap::default(), color).as_bytes());
    }
    Ok(added)
}

/// The refusal of a line longer than [`MAX_LINE`].
#[must_use]
pub fn too_long(line: &str) -> Fail {
    Fail::request(
        format!(
            "the new line is {} bytes long, and a line `credits` writes is at most {MAX_LINE} bytes: nothing was written",
            line.len()
        ),
        Some("shorten the description".into()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_addition_follows_the_files_line_ending_and_closes_its_last_line() {
        assert_eq!(addition(b"", "x"), "x\n");
        assert_eq!(addition(b"a\n", "x"), "x\n");
        assert_eq!(addition(b"a", "x"), "\nx\n");
        assert_eq!(addition(b"a\r\nb\r\n", "x"), "x\r\n");
        assert_eq!(addition(b"a\r\nb", "x"), "\r\nx\r\n");
        assert_eq!(addition(b"a\r", "x"), "\nx\n");
        assert_eq!(addition("\u{feff}".as_bytes(), "x"), "x\n");
        assert_eq!(addition("\u{feff}a\r\n".as_bytes(), "x"), "x\r\n");
    }

    #[test]
    fn appending_keeps_the_old_bytes_and_creates_a_missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.credits");
        append(&path, "j.credits", "one", false).unwrap();
        std::fs::write(&path, b"\xef\xbb\xbfone\r\n; two").unwrap();
        append(&path, "j.credits", "three", false).unwrap();
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"\xef\xbb\xbfone\r\n; two\r\nthree\r\n"
        );
    }

    fn tail_of(bytes: &[u8]) -> Option<TornLine> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.credits");
        std::fs::write(&path, bytes).unwrap();
        tail(&File::open(&path).unwrap()).unwrap().torn
    }

    #[test]
    fn only_a_last_entry_line_without_a_line_end_is_torn() {
        let torn = |line: usize, text: &str| {
            Some(TornLine {
                line,
                text: text.into(),
            })
        };
        for ended in [
            &b""[..],
            b"a\n",
            b"x\n; comment",
            b"x\n  # comment",
            b"x\n \t ",
            b"x\r\ny\r",
            "\u{feff}".as_bytes(),
            "\u{feff}; c".as_bytes(),
        ] {
            assert_eq!(tail_of(ended), None, "{:?}", String::from_utf8_lossy(ended));
        }
        assert_eq!(tail_of(b"2026"), torn(1, "2026"));
        assert_eq!(
            tail_of(b"; a\n\n2026-02-01 buy acme 10"),
            torn(3, "2026-02-01 buy acme 10")
        );
        assert_eq!(tail_of("\u{feff}2026".as_bytes()), torn(1, "2026"));
        assert_eq!(tail_of(b"a\r\n  include x"), torn(2, "  include x"));
        // Lines and a last line longer than the blocks read.
        let mut long = "; line\n".repeat(20_000).into_bytes();
        long.extend(std::iter::repeat_n(b'x', 20_000));
        let t = tail_of(&long).unwrap();
        assert_eq!(t.line, 20_001);
        assert_eq!(t.text.len(), 8192);
    }

    #[test]
    fn a_torn_last_line_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.credits");
        std::fs::write(&path, "2026-01-05 buy acme 10h\n2026-02-01 buy acme 10").unwrap();
        assert!(append(&path, "j.credits", "2026-02-02 log acme 1h", false).is_err());
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"2026-01-05 buy acme 10h\n2026-02-01 buy acme 10"
        );
        let report = torn_report(
            "j.credits",
            &TornLine {
                line: 2,
                text: "2026-02-01 buy acme 10".into(),
            },
            false,
        );
        assert_eq!(
            report,
            "j.credits:2:1: the journal ends in an entry without a line end: nothing was written\n\
             2 | 2026-02-01 buy acme 10\n  \
             | ^^^^^^^^^^^^^^^^^^^^^^\n  \
             = help: the last line may be an interrupted write: check it, then end it with a newline\n"
        );
    }

    #[test]
    fn a_line_over_the_limit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.credits");
        let line = "x".repeat(MAX_LINE + 1);
        assert!(append(&path, "j.credits", &line, false).is_err());
        assert!(!path.exists());
        append(&path, "j.credits", &line[1..], false).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), MAX_LINE as u64 + 1);
    }

    #[test]
    fn a_journal_replaced_while_waiting_for_its_lock_is_opened_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.credits");
        std::fs::write(&path, "; old\n").unwrap();
        let old = File::open(&path).unwrap();
        old.lock().unwrap();
        let writer = {
            let path = path.clone();
            std::thread::spawn(move || append(&path, "j.credits", "new", false).unwrap())
        };
        std::thread::sleep(std::time::Duration::from_millis(100));
        let tmp = dir.path().join("j.tmp");
        std::fs::write(&tmp, "; replaced\n").unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        old.unlock().unwrap();
        writer.join().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "; replaced\nnew\n");
    }

    #[test]
    fn only_regular_files_are_journals() {
        let dir = tempfile::tempdir().unwrap();
        let err = |path: &Path| Journal::open(path, "j.credits").unwrap_err().to_string();
        assert_eq!(
            err(dir.path()),
            "the journal `j.credits` is a folder, not a regular file: nothing was written"
        );
        assert!(err(Path::new("/dev/null")).contains("is a device"));
        assert!(current(dir.path(), "j.credits").is_err());
        assert_eq!(torn_tail(dir.path()).unwrap(), None);
    }

    proptest! {
        /// The sketch of a journal gives the addition its whole bytes give.
        #[test]
        fn the_sketch_of_a_journal_gives_the_same_addition(
            old in proptest::collection::vec(prop_oneof![
                Just(b'\n'), Just(b'\r'), Just(b'a'), any::<u8>()
            ], 0..300),
            bom in any::<bool>(),
            block in prop_oneof![Just(1usize), Just(7), Just(8192)],
        ) {
            let mut old = old;
            if bom {
                old.splice(0..0, "\u{feff}".bytes());
            }
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("j.credits");
            std::fs::write(&path, &old).unwrap();
            let sketch = sketch_by(&File::open(&path).unwrap(), block).unwrap();
            prop_assert!(sketch.len() <= old.len());
            prop_assert_eq!(addition(&sketch, "x"), addition(&old, "x"));
        }

        #[test]
        fn the_old_bytes_are_always_a_prefix_and_one_line_is_added(
            old in proptest::collection::vec(any::<u8>(), 0..200),
            line in "[^\r\n]{1,40}",
        ) {
            let add = addition(&old, &line);
            let mut after = old.clone();
            after.extend_from_slice(add.as_bytes());
            prop_assert!(after.starts_with(&old));
            prop_assert!(after.ends_with(b"\n"));
            let text = String::from_utf8_lossy(&after).into_owned();
            let last: Vec<&str> = text.lines().collect();
            prop_assert_eq!(last.last().copied(), Some(line.as_str()));
        }
    }
}
