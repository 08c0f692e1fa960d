//! Errors from the operating system, named for the user, and standard output.
//!
//! Every error from the operating system names the path and the operation, in the house's
//! words: `cannot append to journal.credits: permission denied` (the OS text lowercased,
//! without its "(os error N)"). Standard output follows the SPEC's rule: a reader that went
//! away (a broken pipe) is quiet; a closed or unwritable stdout is an error.

use super::Fail;
use std::io::{self, Write as _};
use std::path::Path;

/// The operating system's text for `e`, lowercased, without its "(os error N)".
///
/// # Examples
///
/// ```
/// use credits::cli::os::os_text;
/// let e = std::io::Error::from_raw_os_error(13);
/// assert_eq!(os_text(&e), "permission denied");
/// ```
#[must_use]
pub fn os_text(e: &io::Error) -> String {
    let text = e.to_string();
    let text = match text.rfind(" (os error ") {
        Some(i) if text.ends_with(')') => &text[..i],
        _ => &text,
    };
    text.to_lowercase()
}

/// `cannot {op} {name}: {os text}`: an error from the operating system as a request failure
/// (exit 1). `op` is the operation in words (`append to`, `lock`, `create the folder`).
#[must_use]
pub fn fail(op: &str, name: &str, e: &io::Error) -> Fail {
    Fail::request(format!("cannot {op} {name}: {}", os_text(e)), None)
}

/// How a path is named in messages: relative to `cwd` when under it, else as given (the way
/// `load` names journals).
#[must_use]
pub fn shown(path: &Path, cwd: &Path) -> String {
    match path.strip_prefix(cwd) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        _ => path.display().to_string(),
    }
}

/// True when standard output was closed when `credits` started (`credits … >&-`).
///
/// The Rust runtime reopens a closed stdout on `/dev/null` for reading and writing before
/// `main`, so that later files never take its number; writes to it then succeed and vanish.
/// A shell's `>/dev/null` opens it for writing only, so `/dev/null` opened read-write is how
/// a closed stdout looks from inside (Linux; elsewhere this is never true).
#[must_use]
pub fn stdout_closed() -> bool {
    static CLOSED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *CLOSED.get_or_init(|| {
        if !cfg!(target_os = "linux") {
            return false;
        }
        let null = std::fs::read_link("/proc/self/fd/1").is_ok_and(|p| p == Path::new("/dev/null"));
        null && std::fs::read_to_string("/proc/self/fdinfo/1").is_ok_and(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("flags:"))
                .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
                .is_some_and(|flags| flags & 0o3 == 0o2)
        })
    })
}

/// Write `text` to standard output. The error, if any, says so in words and keeps its kind
/// (a broken pipe stays [`io::ErrorKind::BrokenPipe`], which exits quietly).
pub fn print(text: &str) -> io::Result<()> {
    if stdout_closed() {
        return Err(io::Error::other(
            "cannot write to standard output: it is closed",
        ));
    }
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot write to standard output: {}", os_text(&e)),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_read_lowercase_without_their_number() {
        assert_eq!(
            os_text(&io::Error::from_raw_os_error(2)),
            "no such file or directory"
        );
        assert_eq!(os_text(&io::Error::from_raw_os_error(21)), "is a directory");
        assert_eq!(os_text(&io::Error::other("Odd (x)")), "odd (x)");
        let f = fail(
            "append to",
            "journal.credits",
            &io::Error::from_raw_os_error(13),
        );
        assert_eq!(
            f.to_string(),
            "cannot append to journal.credits: permission denied"
        );
    }

    #[test]
    fn paths_are_shown_from_the_current_folder() {
        let cwd = Path::new("/books/studio");
        assert_eq!(
            shown(Path::new("/books/studio/journal.credits"), cwd),
            "journal.credits"
        );
        assert_eq!(
            shown(Path::new("/elsewhere/j.credits"), cwd),
            "/elsewhere/j.credits"
        );
        assert_eq!(shown(cwd, cwd), "/books/studio");
    }
}
