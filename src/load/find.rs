//! Finding the book, in one place ([`discover`]): `--file` / `CREDITS_FILE`, the nearest
//! `credits.toml` from the current folder up, then the book of the user configuration
//! ([`super::config`]) one of whose clients' `dirs` holds the current folder (the deepest
//! match), then the first configured book. And how paths are made absolute and named in
//! messages.

use super::LoadError;
use super::config::{self, Config, Place};
use super::files::regular;
use crate::source::FileId;
use std::path::{Component, Path, PathBuf};

/// The name of the book file.
pub const BOOK_FILE: &str = "credits.toml";

/// The book named by `flag` (`--file` / `CREDITS_FILE`: a `credits.toml`, or the folder that
/// holds one, relative to `cwd`); else search from `cwd` upward. The path returned is absolute
/// when `cwd` is. [`discover`] adds the user configuration.
pub fn find_book(flag: Option<&Path>, cwd: &Path) -> Result<PathBuf, LoadError> {
    discover(flag, cwd, &Place::default())
}

/// Find the book: `flag` (`--file` / `CREDITS_FILE`), else the nearest `credits.toml` from
/// `cwd` up, else the configured book (the configuration at `place`, read only now) one of
/// whose clients' `dirs` holds `cwd` (the deepest match; the first book on a tie), else the
/// first configured book.
///
/// # Errors
///
/// [`LoadError::NotFound`] when there is no book by any of these; [`LoadError::Io`] or
/// [`LoadError::Book`] when a file on the way cannot be read or is not valid (a configured
/// book that is missing is an error at its line of the configuration).
pub fn discover(flag: Option<&Path>, cwd: &Path, place: &Place) -> Result<PathBuf, LoadError> {
    match nearest(flag, cwd) {
        Err(LoadError::NotFound { searched_from }) => match config::read(place, cwd)? {
            Some(config) if !config.books.is_empty() => configured(&config, cwd, place),
            _ => Err(LoadError::NotFound { searched_from }),
        },
        found => found,
    }
}

/// The configured book for `cwd`: the one with the deepest client `dirs` holding it, else the
/// first.
fn configured(config: &Config, cwd: &Path, place: &Place) -> Result<PathBuf, LoadError> {
    let canonical = |p: PathBuf| std::fs::canonicalize(&p).unwrap_or(p);
    let here = canonical(absolute(cwd, Path::new(".")));
    let mut best: Option<(usize, PathBuf)> = None;
    let mut first = None;
    for b in &config.books {
        let path = match std::fs::metadata(&b.path) {
            Ok(m) if m.is_dir() => b.path.join(BOOK_FILE),
            Ok(_) => b.path.clone(),
            Err(e) => return Err(missing(config, b, &e)),
        };
        let text = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => return Err(missing(config, b, &e)),
        };
        let book = crate::syntax::book::parse(&text, FileId(0)).map_err(|problems| {
            let mut sources = crate::source::SourceMap::default();
            sources.add(display(&path, cwd), text.clone());
            LoadError::Book { sources, problems }
        })?;
        let dir = path.parent().unwrap_or(Path::new("/"));
        for client in book.clients.values() {
            for d in &client.dirs {
                let held = canonical(crate::rules::client_resolution::expand_dir(
                    d,
                    place.home.as_deref(),
                    dir,
                ));
                let depth = held.components().count();
                if here.starts_with(&held) && best.as_ref().is_none_or(|(b, _)| depth > *b) {
                    best = Some((depth, path.clone()));
                }
            }
        }
        first.get_or_insert(path);
    }
    best.map(|(_, p)| p)
        .or(first)
        .ok_or_else(|| LoadError::NotFound {
            searched_from: absolute(cwd, Path::new(".")),
        })
}

/// A configured book that cannot be read: an error at its line of the configuration.
fn missing(config: &Config, book: &config::Configured, e: &std::io::Error) -> LoadError {
    let what = if e.kind() == std::io::ErrorKind::NotFound {
        "does not exist".to_string()
    } else {
        format!("cannot be read: {}", super::files::reason(e))
    };
    let d = crate::diagnostic::Diagnostic::error(
        book.span,
        format!("the book `{}` {what}", book.written),
    )
    .with_help("name a folder that holds a `credits.toml`, or remove the entry from `books`");
    LoadError::Book {
        sources: config.sources.clone(),
        problems: vec![d],
    }
}

/// `flag`, else the nearest `credits.toml` from `cwd` up.
fn nearest(flag: Option<&Path>, cwd: &Path) -> Result<PathBuf, LoadError> {
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

/// `path` joined to `base` when relative, with `.` and `..` resolved without touching the disk.
#[must_use]
pub fn absolute(base: &Path, path: &Path) -> PathBuf {
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
pub(super) fn display(path: &Path, cwd: &Path) -> String {
    match path.strip_prefix(cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().into_owned(),
        _ => path.to_string_lossy().into_owned(),
    }
}
