//! Appending to a journal: the only code that writes to one.
//!
//! I/O, so it lives in `cli`. Three rules keep a journal safe:
//!
//! * **One writer at a time.** A writing command holds an exclusive `flock` on `credits.toml`
//!   from the moment it reads the book to the moment its line is on disk ([`BookLock`]), so it
//!   validates against every line appended before it. The operating system drops the lock
//!   when the process ends, however it ends: there is never a stale lock to clean up.
//! * **Readers never see half a line.** The append itself happens under an exclusive lock on
//!   the journal, and `load` reads every journal under a shared one.
//! * **Old bytes never change.** The file is opened with `O_APPEND` (through a symlink, to its
//!   target; never replaced, so its inode, mode and owner stay) and the whole addition goes out
//!   in one `write_all`, then `sync_data`. A CRLF journal gets CRLF; a journal without a final
//!   newline gets one before the new line; a byte-order mark stays where it is.

use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::path::Path;

/// An exclusive lock on the book, held for a writing command's whole read → validate → append.
#[derive(Debug)]
pub struct BookLock {
    _file: File,
}

/// Take the writers' lock on the book at `book_path`, waiting for another writer to finish.
pub fn lock_book(book_path: &Path) -> io::Result<BookLock> {
    let file = File::open(book_path)?;
    file.lock()?;
    Ok(BookLock { _file: file })
}

/// What [`addition`] needs of the journal at `path` as it is now ([`sketch`]), read under a
/// shared lock; empty when it does not exist yet.
pub fn current(path: &Path) -> io::Result<Vec<u8>> {
    let file = match File::open(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        open => open?,
    };
    let locked = file.lock_shared().is_ok();
    let read = sketch(&file);
    if locked {
        let _ = file.unlock();
    }
    read
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

/// Append `line` (one journal line, no line ending) to the journal at `path`, creating it when
/// missing. Returns the bytes added.
pub fn append(path: &Path, line: &str) -> io::Result<String> {
    let mut file = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .open(path)?;
    // Readers hold a shared lock while they read: wait for them, and keep them out until the
    // line is whole. A file system without locks is written without one.
    let locked = file.lock().is_ok();
    let result = sketch(&file)
        .and_then(|existing| {
            let add = addition(&existing, line);
            file.write_all(add.as_bytes())?;
            Ok(add)
        })
        .and_then(|add| file.sync_data().map(|()| add));
    if locked {
        let _ = file.unlock();
    }
    result
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
        append(&path, "one").unwrap();
        std::fs::write(&path, b"\xef\xbb\xbfone\r\ntwo").unwrap();
        append(&path, "three").unwrap();
        assert_eq!(
            std::fs::read(&path).unwrap(),
            b"\xef\xbb\xbfone\r\ntwo\r\nthree\r\n"
        );
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
