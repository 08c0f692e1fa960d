//! Reading files safely: regular files only (nothing is read from a FIFO, a device or a
//! folder), under a shared lock, with I/O errors worded for messages, and bytes that are not
//! UTF-8 made a problem at their place rather than a failure.

use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};
use std::path::Path;

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
pub(super) fn regular(meta: &std::fs::Metadata) -> std::io::Result<()> {
    match file_kind(meta) {
        None => Ok(()),
        Some(kind) => Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("it is {kind}, not a regular file"),
        )),
    }
}

/// What a file that is not a regular file is (`a FIFO`, `a folder`); `None` for a regular file.
pub(super) fn file_kind(meta: &std::fs::Metadata) -> Option<&'static str> {
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
pub(super) fn reason(e: &std::io::Error) -> String {
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

/// The whole of the regular file at `path`.
pub(super) fn read_whole(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    open_regular(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The text of a file; invalid UTF-8 is replaced, and the offset of the first bad byte given.
pub(super) fn decode(bytes: Vec<u8>) -> (String, Option<usize>) {
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

pub(super) fn not_utf8(file: FileId, name: &str, pos: usize) -> Diagnostic {
    let span = Span::new(file, pos, pos + '\u{FFFD}'.len_utf8());
    Diagnostic::error(span, format!("`{name}` is not valid UTF-8"))
        .with_help("save the file as UTF-8")
}
