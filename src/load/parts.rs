//! One journal read by several threads at once ([`super::load_in_parts`]).
//!
//! Every thread reads the whole file, a chunk of whole lines at a time, but parses only the
//! lines of its own part: a line goes to the part of its third word (the client of an entry;
//! part 0 for a line with fewer words). Only the client word of the other lines is looked at,
//! so the parsing and what the consumers do with the entries are shared out, and nothing
//! passes between the threads until the end. Each line is read by exactly one thread, so every
//! entry and every problem is found once.
//!
//! An entry's `seq` is the ordinal of its line in the file (from `first_seq`), which every
//! thread counts alike: the read order of a single reader, with gaps.
//!
//! A chunk that is not UTF-8 or holds an `include` line cannot be read this way (the file an
//! include names must be read where it stands), and neither can an entry whose client is not
//! its line's third word: the read stops and says [`Outcome::Unsupported`], and the caller
//! reads the book on one thread instead.

use super::{Consumer, Route, shifted, split_point};
use crate::diagnostic::Diagnostic;
use crate::model::Minutes;
use crate::source::FileId;
use crate::syntax::journal::{Item, ParseOptions, is_sep, parse_each_where, word_end};
use std::cell::Cell;
use std::fs::File;
use std::ops::ControlFlow;
use std::os::unix::fs::FileExt as _;
use std::sync::atomic::{AtomicBool, Ordering};

/// What to read.
pub(super) struct Job<'a> {
    /// The open journal, locked by the caller (`None`: it does not exist yet, only
    /// `addition` is read).
    pub file: Option<&'a File>,
    /// Text read after the file's bytes (a writing command's new line).
    pub addition: Option<&'a str>,
    pub file_id: FileId,
    pub unit: Minutes,
    pub opts: ParseOptions,
    /// The `seq` of the file's first line.
    pub first_seq: usize,
    /// About how many bytes a chunk holds.
    pub chunk: usize,
}

/// How a read ended.
pub(super) enum Outcome {
    /// Every line was read (or a consumer asked to stop).
    Read {
        /// Entries read.
        entries: usize,
        /// Line ordinals used: the next file's `first_seq` is `first_seq + lines`.
        lines: usize,
        /// Parse problems, in file order.
        problems: Vec<Diagnostic>,
        /// The file's length (where the addition starts).
        length: usize,
        /// A consumer returned [`ControlFlow::Break`].
        stopped: bool,
    },
    /// A chunk was not UTF-8, held an `include`, or an entry's client was not its line's
    /// third word: read the book on one thread instead.
    Unsupported,
}

/// Read `job` with one thread per consumer: consumer `i` gets, in read order, the entries of
/// the clients `route` gives part `i`.
pub(super) fn read(
    job: &Job<'_>,
    route: &Route<'_>,
    consumers: &mut [&mut Consumer<'_>],
) -> std::io::Result<Outcome> {
    let parts = consumers.len().max(1);
    let halt = AtomicBool::new(false);
    let results: Vec<std::io::Result<Part>> = std::thread::scope(|s| {
        let threads: Vec<_> = consumers
            .iter_mut()
            .enumerate()
            .map(|(part, consumer)| {
                let halt = &halt;
                s.spawn(move || read_part(job, route, part, parts, &mut **consumer, halt))
            })
            .collect();
        threads
            .into_iter()
            .map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut entries = 0;
    let mut lines = 0;
    let mut problems = Vec::new();
    let mut length = 0;
    let mut stopped = false;
    for r in results {
        let p = r?;
        if p.unsupported {
            return Ok(Outcome::Unsupported);
        }
        entries += p.entries;
        lines = lines.max(p.lines);
        problems.extend(p.problems);
        stopped |= p.stopped;
        length = length.max(p.length);
    }
    problems.sort_by_key(|d| d.span.map(|s| s.start));
    Ok(Outcome::Read {
        entries,
        lines,
        problems,
        length,
        stopped,
    })
}

/// What one thread read.
#[derive(Default)]
struct Part {
    entries: usize,
    lines: usize,
    problems: Vec<Diagnostic>,
    length: usize,
    stopped: bool,
    unsupported: bool,
}

/// One thread: read every chunk, parse the lines of `part`.
fn read_part(
    job: &Job<'_>,
    route: &Route<'_>,
    part: usize,
    parts: usize,
    consumer: &mut Consumer<'_>,
    halt: &AtomicBool,
) -> std::io::Result<Part> {
    let mut input = Input {
        file: job.file,
        addition: job.addition,
        buf: Vec::new(),
        start: 0,
        filled: 0,
        pos: 0,
        base: 0,
        eof: false,
    };
    let mut out = Part::default();
    let line = Cell::new(0usize);
    loop {
        let (base, bytes) = match input.next_chunk(job.chunk.max(1)) {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => {
                // The read fails as a whole: the other threads need not go on.
                halt.store(true, Ordering::Relaxed);
                return Err(e);
            }
        };
        if halt.load(Ordering::Relaxed) {
            return Ok(out);
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            out.unsupported = true;
            halt.store(true, Ordering::Relaxed);
            return Ok(out);
        };
        let base = u32::try_from(base).unwrap_or(u32::MAX);
        parse_each_where(
            text,
            job.file_id,
            job.unit,
            job.opts,
            |rest| {
                line.set(line.get() + 1);
                let (client, end) = client_word(rest);
                let theirs = client.map_or(0, |c| route(c).min(parts - 1));
                (theirs != part).then(|| rest[end..].find('\n').map_or(rest.len(), |n| end + n))
            },
            |item| match shifted(item, base) {
                Item::Entry(mut e) => {
                    if route(&e.client).min(parts - 1) != part {
                        out.unsupported = true;
                        return ControlFlow::Break(());
                    }
                    e.seq = u32::try_from(job.first_seq + line.get() - 1).unwrap_or(u32::MAX);
                    out.entries += 1;
                    let flow = consumer(e);
                    out.stopped |= flow.is_break();
                    flow
                }
                Item::Problem(d) => {
                    out.problems.push(d);
                    ControlFlow::Continue(())
                }
                Item::Include(_) => {
                    out.unsupported = true;
                    ControlFlow::Break(())
                }
            },
        );
        if out.unsupported {
            halt.store(true, Ordering::Relaxed);
        }
        if out.unsupported || out.stopped {
            return Ok(out);
        }
    }
    out.lines = line.get();
    out.length = usize::try_from(input.pos).unwrap_or(usize::MAX);
    Ok(out)
}

/// The third word of the line `text` starts with, where an entry names its client, and where
/// the scan stopped (the end of that word, or the line's end when it has fewer words).
fn client_word(text: &str) -> (Option<&str>, usize) {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    let mut start = 0;
    for _ in 0..3 {
        while i < n && CLASS[b[i] as usize] == SEP {
            i += 1;
        }
        start = i;
        i = word_end(b, i);
        if i == start {
            return (None, i);
        }
    }
    (text.get(start..i), i)
}

/// What a byte is to [`client_word`]: part of a word, a separator, or the end of the line.
const WORD: u8 = 0;
const SEP: u8 = 1;
const END: u8 = 2;
const CLASS: [u8; 256] = {
    let mut t = [WORD; 256];
    let mut i = 0;
    while i < 256 {
        if i == b'\n' as usize {
            t[i] = END;
        } else if is_sep(i as u8) {
            t[i] = SEP;
        }
        i += 1;
    }
    t
};

/// The bytes of the file not yet handed out, read with `pread` so that every thread has its
/// own place in the one open file, into one buffer reused from chunk to chunk.
struct Input<'a> {
    file: Option<&'a File>,
    addition: Option<&'a str>,
    /// Bytes read; those not handed out yet are `buf[start..filled]`.
    buf: Vec<u8>,
    start: usize,
    filled: usize,
    /// Where the next read starts.
    pos: u64,
    /// The offset in the file of `buf[start]`.
    base: usize,
    eof: bool,
}

impl Input<'_> {
    /// The next chunk of whole lines and the offset of its first byte; `None` at the end.
    fn next_chunk(&mut self, chunk: usize) -> std::io::Result<Option<(usize, &[u8])>> {
        self.buf.copy_within(self.start..self.filled, 0);
        self.filled -= self.start;
        self.start = 0;
        loop {
            if !self.eof {
                // Grows (and zeroes) only the first time, or for a line longer than a chunk.
                if self.buf.len() < self.filled + chunk {
                    self.buf.resize(self.filled + chunk, 0);
                }
                let read = match self.file {
                    None => Ok(0),
                    Some(f) => f.read_at(&mut self.buf[self.filled..], self.pos),
                };
                let n = match read {
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                self.filled += n;
                self.pos += n as u64;
                if n == 0 {
                    self.eof = true;
                    if let Some(a) = self.addition.take() {
                        self.buf.truncate(self.filled);
                        self.buf.extend_from_slice(a.as_bytes());
                        self.filled = self.buf.len();
                    }
                }
            }
            if self.eof && self.filled == 0 {
                return Ok(None);
            }
            let Some(split) = split_point(&self.buf[..self.filled], self.eof) else {
                continue;
            };
            let bytes = &self.buf[..split];
            self.start = split;
            let base = self.base;
            self.base += split;
            return Ok(Some((base, bytes)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::client_word;

    #[test]
    fn the_client_is_the_third_word_of_the_line() {
        assert_eq!(client_word("2026-01-05 log acme 15m x"), (Some("acme"), 19));
        assert_eq!(client_word("  2026-01-05\tlog  acme"), (Some("acme"), 22));
        assert_eq!(
            client_word("2026-01-05 log acme\r\nnext"),
            (Some("acme"), 19)
        );
        assert_eq!(
            client_word("2026-01-05 bill\n2026-01-06 log acme"),
            (None, 15)
        );
        assert_eq!(client_word("; a comment"), (Some("comment"), 11));
        assert_eq!(client_word(""), (None, 0));
        assert_eq!(client_word("\n"), (None, 0));
    }
}
