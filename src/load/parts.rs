//! The parts reader: one journal read by several threads at once ([`super::Strategy::Parts`]).
//!
//! The file is read a chunk of lines at a time, and each chunk once: one thread reads it,
//! checks that it is UTF-8 and lists its lines by part (a line goes to the part of its third
//! word, the client of an entry; part 0 for a line with fewer words). Then every thread parses
//! the lines of its own part in that chunk. The threads take turns at reading and scanning,
//! a little ahead of the parsing, so that neither waits for the other; what they do with the
//! entries (a replay, split by client) needs nothing from the other threads until the end.
//! Each line is parsed by exactly one thread, so every entry and every problem is found once.
//!
//! An entry's `seq` is the ordinal of its line in the file (from `first_seq`): the read order
//! of a single reader, with gaps.
//!
//! A book of several journals is read the same way, as one: each chunk holds the next lines
//! of every journal in date order ([`super::interleave`]), a run of lines of one journal
//! after a run of another's, and each run is parsed as its own journal's.
//!
//! A chunk that is not UTF-8 or holds an `include` line cannot be read this way (the file an
//! include names must be read where it stands), and neither can an entry whose client is not
//! its line's third word: the read stops and says [`Outcome::Unsupported`], and the caller
//! reads the book on one thread instead.

use super::files::open_regular;
use super::interleave::{Filled, Interleave, Journal, Run};
use super::reader::Reader;
use super::stream::{CHUNK, each_span};
use super::{LoadError, Route, Taker};
use crate::diagnostic::Diagnostic;
use crate::model::Minutes;
use crate::source::FileId;
use crate::syntax::journal::{
    Item, ParseOptions, is_sep, may_hold_forbidden, parse_each_where, word_end,
};
use std::cell::Cell;
use std::fs::File;
use std::ops::ControlFlow;
use std::os::unix::fs::FileExt as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, RwLock};

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
    /// Several journals read as one, their lines interleaved by date (`file`, `addition`
    /// and `file_id` are then not read).
    pub interleave: Option<&'a Interleave<'a>>,
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
///
/// The file is cut into chunks of `job.chunk` bytes; chunk `k` holds the lines that start in
/// its bytes. Each chunk is read and scanned once, by one thread (chunk `k` by thread
/// `k % parts`, a few chunks ahead of where the threads are parsing): the scan checks that it
/// is UTF-8 and lists, for every part, where its lines start. Then every thread parses its own
/// lines of the chunk. A chunk's slot is reused once every thread has parsed it, so only a
/// few chunks are held at once, however long the file.
pub(super) fn read(
    job: &Job<'_>,
    route: &Route<'_>,
    consumers: &mut [&mut Taker<'_>],
) -> std::io::Result<Outcome> {
    let parts = consumers.len().max(1);
    let length = match (job.interleave, job.file) {
        (Some(i), _) => i.length(),
        (None, Some(f)) => f.metadata()?.len(),
        (None, None) => 0,
    };
    let total = length + job.addition.map_or(0, |a| a.len() as u64);
    // Chunks of a sixteenth of a thread's share, so that a book of a few megabytes does not
    // fault in a large buffer per slot, from `MIN_CHUNK` (whose hand-overs cost nothing next
    // to their parsing) to `MAX_CHUNK`; smaller when the job asks for it.
    let chunk =
        (job.chunk.max(1) as u64).min((total / (16 * parts as u64)).clamp(MIN_CHUNK, MAX_CHUNK));
    let shared = Shared {
        job,
        route,
        parts,
        length,
        total,
        chunk,
        // Interleaved journals end with the chunk that takes their last line.
        chunks: if job.interleave.is_some() {
            u64::MAX
        } else {
            total.div_ceil(chunk)
        },
        // Chunk `k` is scanned while the threads parse chunk `k - AHEAD * parts` or later; its
        // slot is the one of chunk `k - slots`, which every thread has parsed by then.
        slots: (0..=(AHEAD + 1) * parts).map(|_| Slot::default()).collect(),
        halt: AtomicBool::new(false),
    };
    let results: Vec<std::io::Result<Part>> = std::thread::scope(|s| {
        let threads: Vec<_> = consumers
            .iter_mut()
            .enumerate()
            .map(|(part, consumer)| {
                let shared = &shared;
                s.spawn(move || {
                    let out = read_part(shared, part, &mut **consumer);
                    if !matches!(&out, Ok(p) if p.whole) {
                        // An error, a stop, or a book that cannot be read in parts: the other
                        // threads need not go on (and must not wait for this one's chunks).
                        shared.stop();
                    }
                    out
                })
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
    let mut stopped = false;
    let mut unsupported = false;
    for r in results {
        let p = r?;
        unsupported |= p.unsupported;
        entries += p.entries;
        lines = lines.max(p.lines);
        problems.extend(p.problems);
        stopped |= p.stopped;
    }
    if unsupported {
        return Ok(Outcome::Unsupported);
    }
    problems.sort_by_key(|d| d.span.map(|s| (s.file, s.start)));
    Ok(Outcome::Read {
        entries,
        lines,
        problems,
        length: usize::try_from(length).unwrap_or(usize::MAX),
        stopped,
    })
}

/// The smallest chunk worth a hand-over between threads, in bytes (unless the job asks for
/// smaller ones).
const MIN_CHUNK: u64 = 64 << 10;

/// The largest chunk, in bytes: a few of them stay in a core's cache between the thread that
/// reads one and the threads that parse it, and fewer bytes are held. At 1M entries 256 KiB
/// and 1 MiB ran within 3% of each other, either way round, in interleaved runs.
const MAX_CHUNK: u64 = 256 << 10;

/// How many chunks ahead of the one it parses a thread scans its next chunk, in rounds of
/// `parts` chunks: one round keeps a scanned chunk waiting for every thread.
const AHEAD: usize = 1;

/// A line of a chunk, listed for the part of its third word.
struct Listed {
    /// Where it starts, in the chunk's text.
    start: u32,
    /// Its ordinal among the chunk's lines.
    ordinal: u32,
    /// Where its third word is, in the chunk's text (empty when it has fewer words).
    client: std::ops::Range<u32>,
}

/// What one thread read.
#[derive(Default)]
struct Part {
    entries: usize,
    lines: usize,
    problems: Vec<Diagnostic>,
    stopped: bool,
    unsupported: bool,
    /// Every chunk was parsed.
    whole: bool,
}

/// What the threads share.
struct Shared<'j, 'r> {
    job: &'j Job<'j>,
    route: &'r Route<'r>,
    parts: usize,
    /// The file's length when the read began (the file is locked: it does not change).
    length: u64,
    /// With the addition.
    total: u64,
    chunk: u64,
    chunks: u64,
    slots: Vec<Slot>,
    /// Set when a thread stops early: the others stop too.
    halt: AtomicBool,
}

/// One scanned chunk at a time.
#[derive(Default)]
struct Slot {
    scanned: RwLock<Scanned>,
    state: Mutex<SlotState>,
    changed: Condvar,
}

#[derive(Default)]
struct SlotState {
    /// The chunk the slot holds, once scanned.
    chunk: Option<u64>,
    /// How many threads have parsed it.
    parsed: usize,
}

/// A chunk, read and scanned.
#[derive(Default)]
struct Scanned {
    /// The bytes read. Those before `start` belong to the line the chunk before ends with;
    /// they are overwritten with `\n`, so that the text is UTF-8 whatever they were.
    text: String,
    /// Where the chunk's text starts: the `\n` before its first line (or 0 in the first).
    start: usize,
    /// The offset in the file of `text[start]`.
    base: u64,
    /// For every part, its lines.
    lines: Vec<Vec<Listed>>,
    /// How many lines start in the chunk.
    count: usize,
    /// The chunk is not UTF-8.
    bad: bool,
    /// No line of the chunk holds a character a journal may not hold (the scan found none of
    /// their bytes), so the parser need not look at each line's characters.
    plain: bool,
    /// Interleaved journals: the runs of each journal's lines (`start` is 0). Reading one
    /// journal: empty, the text is one run.
    runs: Vec<Run>,
    /// Interleaved journals: no line is left after this chunk's.
    last: bool,
}

impl Shared<'_, '_> {
    fn slot(&self, chunk: u64) -> &Slot {
        &self.slots[usize::try_from(chunk % self.slots.len() as u64).unwrap_or(0)]
    }

    fn halted(&self) -> bool {
        self.halt.load(Ordering::Acquire)
    }

    /// Make every thread stop at its next wait or chunk.
    fn stop(&self) {
        self.halt.store(true, Ordering::Release);
        if let Some(i) = self.job.interleave {
            i.wake();
        }
        for slot in &self.slots {
            // Taken so that no thread misses the wake-up between its check and its wait.
            let _state = lock(&slot.state);
            slot.changed.notify_all();
        }
    }

    /// Read and scan chunk `k` into its slot, once every thread has parsed the chunk the slot
    /// held. False when the read was halted.
    fn scan(&self, k: u64) -> std::io::Result<bool> {
        let slot = self.slot(k);
        let before = k.checked_sub(self.slots.len() as u64);
        {
            let mut state = lock(&slot.state);
            while !(state.chunk == before && (before.is_none() || state.parsed == self.parts)) {
                if self.halted() {
                    return Ok(false);
                }
                state = slot
                    .changed
                    .wait(state)
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
            }
        }
        {
            let mut scanned = slot
                .scanned
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            self.fill(k, &mut scanned)?;
        }
        let mut state = lock(&slot.state);
        state.chunk = Some(k);
        state.parsed = 0;
        slot.changed.notify_all();
        Ok(true)
    }

    /// Read chunk `k` into `out` and list the lines of every part.
    fn fill(&self, k: u64, out: &mut Scanned) -> std::io::Result<()> {
        if let Some(interleave) = self.job.interleave {
            return self.fill_interleaved(interleave, k, out);
        }
        let from = (k * self.chunk).saturating_sub(1);
        let to = ((k + 1) * self.chunk).min(self.total);
        let mut bytes = std::mem::take(&mut out.text).into_bytes();
        self.read_into(&mut bytes, 0, from, to)?;
        for list in &mut out.lines {
            list.clear();
        }
        out.lines.resize_with(self.parts, Vec::new);
        out.count = 0;
        out.bad = false;
        out.plain = false;
        // The first line that starts in the chunk: after the first `\n` (the byte before the
        // chunk is read for that), if that is still in the chunk.
        let first = if k == 0 {
            Some(0)
        } else {
            memchr::memchr(b'\n', &bytes)
                .filter(|&i| from + i as u64 + 1 < to)
                .map(|i| i + 1)
        };
        let Some(first) = first else {
            // No line starts here (the middle of a long one): nothing to list, and the buffer
            // is kept, empty, for the next chunk.
            bytes.clear();
            out.start = 0;
            out.base = from;
            out.text = String::from_utf8(bytes).unwrap_or_default();
            return Ok(());
        };
        // The last line that starts in the chunk ends after it, at the next `\n`.
        if bytes.last() != Some(&b'\n') && to < self.total {
            let mut at = to;
            let mut step = 4096;
            while at < self.total {
                let seen = bytes.len();
                let until = (at + step).min(self.total);
                self.read_into(&mut bytes, seen, at, until)?;
                at = until;
                step *= 2;
                if let Some(i) = memchr::memchr(b'\n', &bytes[seen..]) {
                    bytes.truncate(seen + i + 1);
                    break;
                }
            }
        }
        let start = first.saturating_sub(1);
        bytes[..start].fill(b'\n');
        out.start = start;
        out.base = from + start as u64;
        let Ok(text) = String::from_utf8(bytes) else {
            // The read ends here: the buffer need not be kept.
            out.bad = true;
            return Ok(());
        };
        self.list(&text, start, first, out);
        out.plain = !may_hold_forbidden(text.as_bytes().get(start..).unwrap_or_default());
        out.text = text;
        Ok(())
    }

    /// Fill chunk `k` with the next lines of interleaved journals, and list them by part.
    fn fill_interleaved(
        &self,
        interleave: &Interleave<'_>,
        k: u64,
        out: &mut Scanned,
    ) -> std::io::Result<()> {
        let mut bytes = std::mem::take(&mut out.text).into_bytes();
        for list in &mut out.lines {
            list.clear();
        }
        out.lines.resize_with(self.parts, Vec::new);
        (out.count, out.start, out.base, out.bad, out.plain) = (0, 0, 0, false, false);
        let chunk = usize::try_from(self.chunk).unwrap_or(usize::MAX);
        match interleave.fill(k, chunk, &mut bytes, &mut out.runs, || self.halted())? {
            Filled::Lines { last } => out.last = last,
            // Halted: the thread that halted the read says how it ended.
            Filled::Halted => out.last = true,
            Filled::Unsupported => out.bad = true,
        }
        let Ok(text) = String::from_utf8(bytes) else {
            out.bad = true;
            return Ok(());
        };
        self.list(&text, 0, 0, out);
        out.plain = !may_hold_forbidden(text.as_bytes());
        out.text = text;
        Ok(())
    }

    /// List the lines of `text` from `first` on, by part; offsets are from `start`.
    fn list(&self, text: &str, start: usize, first: usize, out: &mut Scanned) {
        const BOM: &str = "\u{feff}";
        let b = text.as_bytes();
        // The parser skips a byte-order mark at the start of the file, and so does the scan.
        let mut at = if start == 0 && text.starts_with(BOM) {
            BOM.len()
        } else {
            first
        };
        let mut ordinal = 0u32;
        while at < b.len() {
            let (client, end) = client_word(&text[at..]);
            let part = client.map_or(0, |c| (self.route)(c).min(self.parts - 1));
            let offset = |i: usize| u32::try_from(i - start).unwrap_or(u32::MAX);
            out.lines[part].push(Listed {
                start: offset(at),
                ordinal,
                client: client.map_or(0..0, |c| offset(at + end - c.len())..offset(at + end)),
            });
            ordinal += 1;
            match memchr::memchr(b'\n', &b[at + end..]) {
                Some(i) => at += end + i + 1,
                None => break,
            }
        }
        out.count = ordinal as usize;
    }

    /// Put the bytes `from..to` of the file, addition and all, after the first `keep` bytes of
    /// `bytes` (what follows them is overwritten: a buffer reused from chunk to chunk is not
    /// zeroed again).
    fn read_into(
        &self,
        bytes: &mut Vec<u8>,
        keep: usize,
        from: u64,
        to: u64,
    ) -> std::io::Result<()> {
        let mut len = keep;
        let mut at = from;
        while at < to.min(self.length) {
            let Some(file) = self.job.file else { break };
            let want = usize::try_from(to.min(self.length) - at).unwrap_or(usize::MAX);
            if bytes.len() < len + want {
                bytes.resize(len + want, 0);
            }
            match file.read_at(&mut bytes[len..len + want], at) {
                // Shorter than it was: read what there is.
                Ok(0) => break,
                Ok(n) => {
                    len += n;
                    at += n as u64;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        bytes.truncate(len);
        if to > self.length
            && let Some(a) = self.job.addition
        {
            let a = a.as_bytes();
            let lo = usize::try_from(from.max(self.length) - self.length).unwrap_or(a.len());
            let hi = usize::try_from(to - self.length).unwrap_or(a.len());
            bytes.extend_from_slice(a.get(lo..hi.min(a.len())).unwrap_or_default());
        }
        Ok(())
    }

    /// Wait until chunk `k` is scanned; `None` when the read was halted.
    fn scanned(&self, k: u64) -> Option<std::sync::RwLockReadGuard<'_, Scanned>> {
        let slot = self.slot(k);
        let mut state = lock(&slot.state);
        while state.chunk != Some(k) {
            if self.halted() {
                return None;
            }
            state = slot
                .changed
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        drop(state);
        Some(
            slot.scanned
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// This thread is done with chunk `k`.
    fn parsed(&self, k: u64) {
        let slot = self.slot(k);
        let mut state = lock(&slot.state);
        state.parsed += 1;
        if state.parsed == self.parts {
            slot.changed.notify_all();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// One thread: scan its chunks, parse the lines of `part` in every chunk.
fn read_part(sh: &Shared<'_, '_>, part: usize, consumer: &mut Taker<'_>) -> std::io::Result<Part> {
    let job = sh.job;
    let parts = sh.parts as u64;
    let mut out = Part::default();
    let mut next_scan = part as u64;
    let mut lines_before = 0usize;
    for k in 0..sh.chunks {
        while next_scan < sh.chunks && next_scan <= k + AHEAD as u64 * parts {
            if !sh.scan(next_scan)? {
                return Ok(out);
            }
            next_scan += parts;
        }
        let Some(scanned) = sh.scanned(k) else {
            return Ok(out);
        };
        if scanned.bad {
            out.unsupported = true;
            return Ok(out);
        }
        let first_seq = job.first_seq + lines_before;
        lines_before += scanned.count;
        let mine = &scanned.lines[part];
        if !mine.is_empty() {
            parse_lines(job, sh, part, &scanned, mine, first_seq, consumer, &mut out);
        }
        let last = scanned.last;
        drop(scanned);
        sh.parsed(k);
        if out.unsupported || out.stopped {
            return Ok(out);
        }
        if last {
            break;
        }
    }
    out.lines = lines_before;
    out.whole = true;
    Ok(out)
}

/// Parse the lines `mine` of a scanned chunk, handing their entries to `consumer`. The chunk
/// is one run of its journal's lines, or runs of several journals' ([`Scanned::runs`]): it is
/// parsed at once, and each item is moved to its journal and its place there.
#[allow(clippy::too_many_arguments)]
fn parse_lines(
    job: &Job<'_>,
    sh: &Shared<'_, '_>,
    part: usize,
    scanned: &Scanned,
    mine: &[Listed],
    first_seq: usize,
    consumer: &mut Taker<'_>,
    out: &mut Part,
) {
    let text = &scanned.text[scanned.start..];
    let one = [Run {
        file: job.file_id,
        base: scanned.base,
        from: 0,
        to: text.len(),
    }];
    let runs = if scanned.runs.is_empty() {
        &one[..]
    } else {
        &scanned.runs[..]
    };
    let mut next = 0;
    // The line being read, and the run it is in.
    let line: Cell<Option<(&Listed, Run)>> = Cell::new(None);
    let mut run = 0;
    let strayed = Cell::new(false);
    parse_each_where(
        text,
        job.file_id,
        job.unit,
        job.opts,
        scanned.plain,
        |rest| {
            let at = text.len() - rest.len();
            match mine.get(next) {
                Some(l) if l.start as usize == at => {
                    next += 1;
                    while runs.get(run).is_some_and(|r| r.to <= at) {
                        run += 1;
                    }
                    line.set(runs.get(run).map(|&r| (l, r)));
                    None
                }
                // On to the next line of the part: the parser goes on after the `\n` before it.
                Some(l) if l.start as usize > at => Some(l.start as usize - at - 1),
                Some(_) => {
                    // The parser went past a listed line: never, as lines end at `\n`.
                    strayed.set(true);
                    Some(rest.len())
                }
                None => Some(rest.len()),
            }
        },
        |mut item| {
            let Some((l, run)) = line.get() else {
                out.unsupported = true;
                return ControlFlow::Break(());
            };
            relocate(&mut item, run);
            match item {
                Item::Entry(mut e) => {
                    // The line went to this part by its third word: when that is the client (a
                    // few bytes compared), so is the entry; else the client's own part decides.
                    let client = text.get(l.client.start as usize..l.client.end as usize);
                    if client != Some(e.client.as_str())
                        && (sh.route)(&e.client).min(sh.parts - 1) != part
                    {
                        out.unsupported = true;
                        return ControlFlow::Break(());
                    }
                    e.seq = u32::try_from(first_seq + l.ordinal as usize).unwrap_or(u32::MAX);
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
            }
        },
    );
    out.unsupported |= strayed.get();
}

/// Move the spans of `item`, read in a chunk's text, to `run`'s journal and their place in it.
fn relocate(item: &mut Item, run: Run) {
    let from = u32::try_from(run.from).unwrap_or(u32::MAX);
    let base = u32::try_from(run.base).unwrap_or(u32::MAX);
    each_span(item, |s| {
        s.file = run.file;
        s.start = s.start.saturating_sub(from).saturating_add(base);
        s.end = s.end.saturating_sub(from).saturating_add(base);
    });
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

impl Reader<'_> {
    /// Read one journal, already admitted and numbered `file_id`, on several threads,
    /// dealing its entries out to `consumers` ([`super::Strategy::Parts`]). Its text is not kept: it is read again to show a
    /// problem, as the streaming reader's, with the `addition` after it. `(shown, what)`: the file as shown, and what
    /// it is to the book (`journal`, `include`).
    pub(super) fn read_parts(
        &mut self,
        path: &Path,
        file_id: FileId,
        (shown, what): (&str, &'static str),
        appended: Option<&str>,
        route: &Route<'_>,
        consumers: &mut [&mut Taker<'_>],
    ) -> Result<(), LoadError> {
        let io = |error| LoadError::Io {
            path: PathBuf::from(shown),
            what,
            error,
        };
        let file = match open_regular(path) {
            Ok(f) => {
                // Held until the file is closed, after every thread has read it.
                let _ = f.lock_shared();
                Some(f)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && appended.is_some() => None,
            Err(e) => return Err(io(e)),
        };
        let job = Job {
            file: file.as_ref(),
            addition: appended,
            file_id,
            unit: self.unit_minutes,
            opts: self.opts,
            first_seq: self.lines_read,
            interleave: None,
            // A small journal needs no chunk-sized buffer per thread.
            chunk: self.chunked.unwrap_or(CHUNK).min(
                file.as_ref()
                    .and_then(|f| f.metadata().ok())
                    .map_or(0, |m| usize::try_from(m.len()).unwrap_or(usize::MAX))
                    .saturating_add(appended.map_or(0, str::len))
                    .saturating_add(1),
            ),
        };
        let outcome = read(&job, route, consumers).map_err(io)?;
        drop(file);
        match outcome {
            Outcome::Unsupported => {
                self.unsupported = true;
                self.stopped = true;
            }
            Outcome::Read {
                entries,
                lines,
                problems,
                length,
                stopped,
            } => {
                self.read += entries;
                self.lines_read += lines;
                self.problems.extend(problems);
                self.stopped |= stopped;
                self.deferred.push((file_id, path.to_path_buf()));
                if appended.is_some() {
                    self.appended_at = Some((file_id, length));
                }
            }
        }
        Ok(())
    }
}

impl Reader<'_> {
    /// Read several journals, already admitted and numbered, as one: their lines interleaved
    /// by date ([`super::interleave`]), on several threads as [`Reader::read_parts`] reads
    /// one. `journals`: (path, name as shown, file id), in the book's order. A journal that
    /// cannot be read gives way to the one-thread reader, which says which and why.
    pub(super) fn read_interleaved(
        &mut self,
        journals: &[(PathBuf, String, FileId)],
        route: &Route<'_>,
        consumers: &mut [&mut Taker<'_>],
    ) {
        let opened: std::io::Result<Vec<(File, u64)>> = (journals.iter())
            .map(|(path, ..)| {
                let f = open_regular(path)?;
                // Held until the files are closed, after every thread has read them.
                let _ = f.lock_shared();
                let length = f.metadata()?.len();
                Ok((f, length))
            })
            .collect();
        let Ok(opened) = opened else {
            self.unsupported = true;
            self.stopped = true;
            return;
        };
        let interleave = Interleave::new(
            (opened.iter().zip(journals))
                .map(|((file, length), (_, _, id))| Journal {
                    file,
                    id: *id,
                    length: *length,
                })
                .collect(),
        );
        let job = Job {
            file: None,
            addition: None,
            file_id: journals.first().map_or(FileId(0), |j| j.2),
            unit: self.unit_minutes,
            opts: self.opts,
            first_seq: self.lines_read,
            chunk: self.chunked.unwrap_or(CHUNK).min(
                usize::try_from(interleave.length())
                    .unwrap_or(usize::MAX)
                    .saturating_add(1),
            ),
            interleave: Some(&interleave),
        };
        match read(&job, route, consumers) {
            Ok(Outcome::Read {
                entries,
                lines,
                problems,
                stopped,
                ..
            }) => {
                self.read += entries;
                self.lines_read += lines;
                self.problems.extend(problems);
                self.stopped |= stopped;
                for (path, _, id) in journals {
                    self.deferred.push((*id, path.clone()));
                }
            }
            Ok(Outcome::Unsupported) | Err(_) => {
                self.unsupported = true;
                self.stopped = true;
            }
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
