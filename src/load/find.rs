//! Finding the book: `--file` / `CREDITS_FILE` or the nearest `credits.toml` upward, and how
//! paths are made absolute and named in messages.

use super::LoadError;
use super::files::regular;
use std::path::{Component, Path, PathBuf};

/// The name of the book file.
pub const BOOK_FILE: &str = "credits.toml";

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

/// `path` joined to `base` when relative, with `.` and `..` resolved without touching the disk.
pub(super) fn absolute(base: &Path, path: &Path) -> PathBuf {
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
