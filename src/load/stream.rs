//! The streaming reader: one journal read a chunk of whole lines at a time, its text not
//! kept (it is read again to show a problem), so that a large book is never held whole.

use super::LoadError;
use super::files::{decode, not_utf8, open_regular, read_shared};
use super::reader::{Reader, Sink};
use crate::source::{SourceFile, Span};
use crate::syntax::journal::Item;
use std::path::{Path, PathBuf};

/// How much of a journal the streaming reader reads at a time.
pub(super) const CHUNK: usize = 1 << 20;

impl Reader<'_> {
    /// Read a journal a chunk of whole lines at a time, keeping none of its text, so that a
    /// large book is never held in memory whole. A file that is not valid UTF-8 is read
    /// whole from the first chunk that is not, as the batch reader does, so the result is the
    /// same.
    pub(super) fn read_chunks(
        &mut self,
        path: &Path,
        shown: &str,
        what: &'static str,
        chunk: usize,
        sink: &mut Sink<'_>,
    ) -> Result<(), LoadError> {
        use std::io::Read as _;
        let file = self.sources.add(shown.to_string(), String::new());
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
pub(super) fn split_point(buf: &[u8], eof: bool) -> Option<usize> {
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
pub(super) fn shifted(mut item: Item, base: u32) -> Item {
    shift(&mut item, base);
    item
}

/// Move the spans of `item` `base` bytes on, in place (an entry is large to move).
pub(super) fn shift(item: &mut Item, base: u32) {
    if base == 0 {
        return;
    }
    each_span(item, |s| {
        s.start = s.start.saturating_add(base);
        s.end = s.end.saturating_add(base);
    });
}

/// Apply `to` to every span of `item`: an entry's verb and client words, an include's, a
/// problem's.
pub(super) fn each_span(item: &mut Item, mut to: impl FnMut(&mut Span)) {
    match item {
        Item::Entry(e) => {
            to(&mut e.span);
            to(&mut e.client_span);
        }
        Item::Include(i) => to(&mut i.span),
        Item::Problem(d) => {
            if let Some(s) = &mut d.span {
                to(s);
            }
        }
    }
}
