//! Several journals read as one, their lines interleaved by date: the parts reader's source
//! when a book has more than one journal ([`super::parts`]).
//!
//! A consultant may keep one journal per client, or per year, or both: each is in date order,
//! but one after the other they are not, and a reading in date order across clients (a
//! register, an export, the months of `usage`) would hold the whole book until the last
//! journal is read. Interleaved, the lines come in date order across journals, and every
//! reading streams.
//!
//! Each journal is a cursor over its lines. The next run of lines is taken from the journal
//! whose next line has the earliest date (ties in the book's order of the journals), up to the
//! first line dated after the next line of another journal. A line's date is its first ten
//! bytes when they have the shape of one; any other line (a comment, a line that is not an
//! entry) goes with the line before it. The order of lines changes no figure: it only lets a
//! replay stream.

use crate::source::FileId;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::os::unix::fs::FileExt as _;
use std::sync::{Condvar, Mutex};

/// At most this many journals are interleaved (each holds a file open and a buffer); a book
/// with more is read a journal at a time.
pub(super) const MAX_JOURNALS: usize = 256;

/// How much of a journal a cursor reads at a time.
const BLOCK: usize = 4 << 10;

/// One journal to interleave.
pub(super) struct Journal<'f> {
    pub file: &'f File,
    pub id: FileId,
    /// Its length when the read began (it is locked: it does not change).
    pub length: u64,
}

/// Lines of one journal, one after another in a chunk's text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Run {
    pub file: FileId,
    /// The offset in the file of the run's first byte.
    pub base: u64,
    /// Where the run is in the chunk's text: `from..to`. A journal's last line without a
    /// `\n` is followed by one in the text, which `to` leaves out.
    pub from: usize,
    pub to: usize,
}

/// What a chunk got.
pub(super) enum Filled {
    /// Lines (none at the end); `last`: no line is left after them.
    Lines { last: bool },
    /// A journal's line, not its first, starts with a byte-order mark (the parser would skip
    /// it at the start of a chunk), or its last line ends with a carriage return and no `\n`
    /// (the `\n` put after it would make it a CRLF): the book is read another way.
    Unsupported,
    /// The read was halted.
    Halted,
}

/// The journals of a book, read as one.
pub(super) struct Interleave<'f> {
    /// The journals' bytes, all told.
    length: u64,
    journals: Vec<Journal<'f>>,
    state: Mutex<State>,
    /// A chunk was filled (or the read halted).
    filled: Condvar,
}

struct State {
    /// One per journal, in the same order.
    cursors: Vec<Cursor>,
    /// (date of the next line, journal) of every journal with lines left: the earliest first.
    next: BinaryHeap<Reverse<(Key, usize)>>,
    /// `next` holds every journal's first line (read at the first chunk's turn).
    started: bool,
    /// The chunk whose turn it is.
    turn: u64,
    /// No line is left.
    done: bool,
}

/// A line's date, as written: its first ten bytes.
type Key = [u8; 10];

struct Cursor {
    /// The journal's length (the part of it read, if it became shorter).
    length: u64,
    /// Bytes read, from the file's offset `at`; those from `pos` on are not taken yet.
    buf: Vec<u8>,
    pos: usize,
    at: u64,
    /// The date of the last dated line taken (or seen next): that of a line without one.
    key: Key,
    /// What [`Cursor::line`] found at `pos`, until `pos` moves.
    seen: Option<(usize, bool)>,
}

impl Cursor {
    /// The next line of `file`, `buf[pos..end]` without its `\n`, and whether one follows
    /// it; `None` at the end of the file.
    fn line(&mut self, file: &File) -> std::io::Result<Option<(usize, bool)>> {
        if self.seen.is_some() {
            return Ok(self.seen);
        }
        self.seen = self.find_line(file)?;
        Ok(self.seen)
    }

    /// Take the line [`Cursor::line`] gave: the next one starts at `pos`.
    fn advance(&mut self, pos: usize) {
        self.pos = pos;
        self.seen = None;
    }

    fn find_line(&mut self, file: &File) -> std::io::Result<Option<(usize, bool)>> {
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.buf[self.pos..]) {
                return Ok(Some((self.pos + i, true)));
            }
            let read_to = self.at + self.buf.len() as u64;
            if read_to >= self.length {
                return Ok((self.pos < self.buf.len()).then_some((self.buf.len(), false)));
            }
            // Keep the part of a line read so far; read on after it.
            self.buf.drain(..self.pos);
            self.at += self.pos as u64;
            self.pos = 0;
            let want = usize::try_from(self.length - read_to)
                .unwrap_or(usize::MAX)
                .min(BLOCK.max(self.buf.len()));
            let seen = self.buf.len();
            self.buf.resize(seen + want, 0);
            let mut got = 0;
            while got < want {
                match file.read_at(&mut self.buf[seen + got..], read_to + got as u64) {
                    Ok(0) => break,
                    Ok(n) => got += n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            self.buf.truncate(seen + got);
            if got == 0 {
                // Shorter than it was: what there is is the last line.
                self.length = read_to;
            }
        }
    }

    /// The date of the line that starts at `buf[pos]` (that of the line before when it has
    /// none).
    fn key_at(&self, pos: usize) -> Key {
        match self.buf.get(pos..pos + 10) {
            Some(w) if is_date_shape(w) => w.try_into().unwrap_or(self.key),
            _ => self.key,
        }
    }

    /// The offset in the file of `buf[pos]`.
    fn offset(&self) -> u64 {
        self.at + self.pos as u64
    }
}

/// `YYYY-MM-DD`, digits and dashes: the date an entry line starts with (whether it is a real
/// date is the parser's to say; here it only orders lines).
fn is_date_shape(w: &[u8]) -> bool {
    w.len() == 10
        && w.iter().enumerate().all(|(i, &b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

impl<'f> Interleave<'f> {
    /// The journals, in the book's order (which decides between lines of the same date).
    pub(super) fn new(journals: Vec<Journal<'f>>) -> Interleave<'f> {
        let length = journals.iter().map(|j| j.length).sum();
        let cursors: Vec<Cursor> = (journals.iter())
            .map(|journal| Cursor {
                length: journal.length,
                buf: Vec::new(),
                pos: 0,
                at: 0,
                key: [0; 10],
                seen: None,
            })
            .collect();
        Interleave {
            length,
            journals,
            state: Mutex::new(State {
                cursors,
                next: BinaryHeap::new(),
                started: false,
                turn: 0,
                done: false,
            }),
            filled: Condvar::new(),
        }
    }

    /// The journals' bytes, all told.
    pub(super) fn length(&self) -> u64 {
        self.length
    }

    /// Wake every thread waiting for its turn (the read halts).
    pub(super) fn wake(&self) {
        let _state = self.lock();
        self.filled.notify_all();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Fill chunk `k` (after chunk `k - 1`, on whatever thread): the next lines in date order,
    /// about `chunk` bytes of them, into `bytes` (cleared first), and their runs into `runs`.
    pub(super) fn fill(
        &self,
        k: u64,
        chunk: usize,
        bytes: &mut Vec<u8>,
        runs: &mut Vec<Run>,
        halted: impl Fn() -> bool,
    ) -> std::io::Result<Filled> {
        bytes.clear();
        runs.clear();
        let mut state = self.lock();
        while state.turn != k && !state.done {
            if halted() {
                return Ok(Filled::Halted);
            }
            state = self
                .filled
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        if state.done {
            return Ok(Filled::Lines { last: true });
        }
        let filled = take(&self.journals, &mut state, chunk, bytes, runs);
        state.turn = k + 1;
        state.done |= !matches!(filled, Ok(Filled::Lines { last: false }));
        self.filled.notify_all();
        filled
    }
}

/// A byte-order mark: the parser skips one at the start of a file.
const BOM: &[u8] = "\u{feff}".as_bytes();

/// Take the next lines in date order into `bytes` until it holds `chunk` bytes or none is
/// left.
fn take(
    journals: &[Journal<'_>],
    state: &mut State,
    chunk: usize,
    bytes: &mut Vec<u8>,
    runs: &mut Vec<Run>,
) -> std::io::Result<Filled> {
    if !state.started {
        state.started = true;
        for (i, (cursor, journal)) in state.cursors.iter_mut().zip(journals).enumerate() {
            if cursor.line(journal.file)?.is_some() {
                let first = cursor.buf.strip_prefix(BOM).map_or(0, |_| BOM.len());
                state.next.push(Reverse((cursor.key_at(first), i)));
            }
        }
    }
    while bytes.len() < chunk {
        let Some(Reverse((_, i))) = state.next.pop() else {
            return Ok(Filled::Lines { last: true });
        };
        // The earliest of the other journals: this one's lines go until one is dated after it.
        let bound = state.next.peek().map(|Reverse(b)| *b);
        let cursor = &mut state.cursors[i];
        let file = journals[i].file;
        let from = bytes.len();
        let mut base = cursor.offset();
        let mut to = from;
        let mut more = true;
        loop {
            let Some((end, lf)) = cursor.line(file)? else {
                more = false;
                break;
            };
            let mut start = cursor.pos;
            if cursor.buf[start..].starts_with(BOM) {
                if cursor.offset() != 0 {
                    return Ok(Filled::Unsupported);
                }
                // The parser skips a byte-order mark at the start of a file: the run starts
                // after it.
                start += BOM.len();
                base += BOM.len() as u64;
            }
            let key = cursor.key_at(start);
            if bytes.len() > from && bound.is_some_and(|b| (key, i) > b) {
                // Lines left, dated after another journal's next one: its turn.
                cursor.key = key;
                break;
            }
            if !lf && end > start && cursor.buf[end - 1] == b'\r' {
                // Followed by the `\n` put after it, its carriage return would pass for the
                // CR of a CRLF.
                return Ok(Filled::Unsupported);
            }
            cursor.key = key;
            bytes.extend_from_slice(&cursor.buf[start..end]);
            to = bytes.len();
            bytes.push(b'\n');
            if lf {
                to += 1;
                cursor.advance(end + 1);
            } else {
                cursor.advance(end);
            }
            if bytes.len() >= chunk {
                // Whether lines are left is known at the next look.
                break;
            }
        }
        if bytes.len() > from {
            runs.push(Run {
                file: journals[i].id,
                base,
                from,
                to,
            });
        }
        if more {
            let key = match cursor.line(file)? {
                Some(_) => cursor.key_at(cursor.pos),
                None => continue,
            };
            state.next.push(Reverse((key, i)));
        }
    }
    Ok(Filled::Lines {
        last: state.next.is_empty(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A journal's lines: dated (a day of January 2026, in order), comments, long lines (past
    /// a cursor's block), the last one with or without its `\n`.
    fn journal() -> impl Strategy<Value = String> {
        (
            prop::collection::vec((0u32..5, 0usize..3, 0usize..6000), 0..40),
            any::<bool>(),
        )
            .prop_map(|(lines, end)| {
                let mut day = 1;
                let mut text = String::new();
                for (step, kind, len) in lines {
                    day = (day + step).min(28);
                    let words = match kind {
                        0 => "; a note".to_string(),
                        1 => format!("2026-01-{day:02} log acme {}", "x".repeat(len)),
                        _ => format!("2026-01-{day:02} log acme 1h"),
                    };
                    text.push_str(&words);
                    text.push('\n');
                }
                if !end {
                    text.pop();
                }
                text
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Every journal's bytes come out whole, in its own order, its runs where they are in
        /// the file; every dated line in date order across the journals (ties in their order).
        #[test]
        fn the_journals_come_out_whole_and_in_date_order(
            texts in prop::collection::vec(journal(), 1..5),
            chunk in 1usize..20_000,
        ) {
            let dir = tempfile::tempdir().unwrap();
            let files: Vec<File> = texts
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let path = dir.path().join(format!("{i}.credits"));
                    std::fs::write(&path, t).unwrap();
                    File::open(&path).unwrap()
                })
                .collect();
            let interleave = Interleave::new(
                (files.iter().zip(&texts).enumerate())
                    .map(|(i, (file, t))| Journal {
                        file,
                        id: FileId(u32::try_from(i).unwrap()),
                        length: t.len() as u64,
                    })
                    .collect(),
            );
            let mut got = vec![String::new(); texts.len()];
            let mut dates: Vec<(String, u32)> = Vec::new();
            let (mut bytes, mut runs) = (Vec::new(), Vec::new());
            for k in 0.. {
                let filled = interleave.fill(k, chunk, &mut bytes, &mut runs, || false).unwrap();
                let Filled::Lines { last } = filled else {
                    panic!("only plain lines");
                };
                prop_assert!(last || bytes.len() >= chunk);
                for run in &runs {
                    let i = run.file.0 as usize;
                    prop_assert_eq!(run.base as usize, got[i].len(), "where the run starts");
                    let text = std::str::from_utf8(&bytes[run.from..run.to]).unwrap();
                    got[i].push_str(text);
                    for line in text.lines().filter(|l| l.starts_with("2026")) {
                        dates.push((line[..10].to_string(), run.file.0));
                    }
                }
                if last {
                    break;
                }
            }
            prop_assert_eq!(&got, &texts);
            prop_assert!(dates.is_sorted(), "{:?}", dates);
        }
    }
}
