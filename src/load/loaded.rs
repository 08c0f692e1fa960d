//! What a read of a book gives: [`Loaded`] (the book, its sources, its entries or how many
//! there were, its problems), or [`LoadError`] when it could not be read at all.

use super::BOOK_FILE;
use super::files::{decode, read_shared, reason};
use crate::diagnostic::Diagnostic;
use crate::model::{Book, Entry};
use crate::source::{FileId, SourceFile, SourceMap};
use std::fmt;
use std::path::PathBuf;

/// A book and its journals, read.
#[derive(Debug)]
pub struct Loaded {
    /// The parsed `credits.toml`.
    pub book: Book,
    /// The `credits.toml` (absolute).
    pub book_path: PathBuf,
    /// `credits.toml` is `FileId(0)`, then the journals in read order.
    pub sources: SourceMap,
    /// Every entry, `seq` assigned `0..` in read order; empty unless read with
    /// [`super::Strategy::Batch`]: the others hand the entries over one by one instead.
    pub entries: Vec<Entry>,
    /// How many entries were read (kept in `entries` or handed over).
    pub entry_count: usize,
    /// Every journal file read, in read order (absolute).
    pub journal_paths: Vec<PathBuf>,
    /// The first `journals` entry resolved against the book's folder (may not exist yet).
    pub write_target: PathBuf,
    /// Every parse error of every journal, missing journals, include cycles, bad UTF-8.
    pub problems: Vec<Diagnostic>,
    /// Journals read in chunks or in parts, whose text is not kept in `sources`
    /// (it is read again by [`Loaded::full_sources`] when a problem must be shown).
    pub deferred: Vec<(FileId, PathBuf)>,
    /// Where [`super::Request::addition`] was read: the write target and
    /// the offset of the addition's first byte (the length of the file as it was).
    pub appended: Option<(FileId, usize, String)>,
    /// How the journals were read: the strategy the fallback chain ended with. A reading
    /// that must give the same entries in the same order (one that writes as it reads) asks
    /// for it again.
    pub read_as: super::Strategy,
}

impl Loaded {
    /// `sources` with the text of every journal the streaming or parts reader did not keep read again,
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
    /// target, which that command is about to create ([`crate::rules::write_blockers`]).
    #[must_use]
    pub fn write_problems(&self) -> Vec<&Diagnostic> {
        let missing = self.missing_write_target();
        let target_span = self.book.journals.first().map(|(_, s)| *s);
        crate::rules::write_blockers::read_blockers(&self.problems, target_span.filter(|_| missing))
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
