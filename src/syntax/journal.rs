//! One journal file's text → entries (SPEC §3 and §7.17).
//!
//! A hand-written single-pass tokenizer, in the manner of klog's `parser/txt`: each line is cut
//! into words that borrow the text (a `"quoted"` run is one word), the words are read against the
//! verb's argument table, and every bad line becomes one [`Diagnostic`] pinned to the offending
//! word (or to the end of the line when an argument is missing). Only an entry's own fields
//! (client, tags, metadata, description) are allocated.
//!
//! Pure: imports `source`, `diagnostic`, `model` and `syntax::value`; never the file system.

use super::value::{self, ValueError};
use crate::diagnostic::Diagnostic;
use crate::model::{
    Currency, Entry, LineExpiry, LotRef, Meta, MetaKey, Minutes, Money, Price, Qty, Verb,
};
use crate::source::{FileId, Span};
use crate::suggest;
use chrono::NaiveDate;
use compact_str::CompactString;
use std::borrow::Cow;
use std::cell::Cell;
use std::ops::ControlFlow;

/// Every journal verb, in the order of SPEC §3.
pub const VERBS: [&str; 14] = [
    "buy", "log", "debit", "quote", "estimate", "approve", "reject", "done", "apply", "refund",
    "adjust", "plan", "bill", "assert",
];

/// An `include PATH` line, where it stands among the entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    /// Number of entries of this file before the include.
    pub at: usize,
    /// The path as written (relative to the including file).
    pub path: String,
    /// The path word.
    pub span: Span,
}

/// A parsed journal file.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// Entries in file order (`seq` = index in this file; `load` renumbers).
    pub entries: Vec<Entry>,
    /// `include` lines.
    pub includes: Vec<Include>,
    /// Every bad line.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parse one journal file. `unit_minutes` turns bare numbers and `3cr` into minutes.
///
/// Never panics; a bad line yields one diagnostic and parsing goes on with the next line.
///
/// # Examples
///
/// ```
/// use credits::source::FileId;
/// use credits::syntax::journal::parse;
/// use rust_decimal::Decimal;
///
/// let p = parse("2026-01-06 log acme 15m Fixed header #dev\n", FileId(0), Decimal::from(60));
/// assert_eq!(p.entries[0].description, "Fixed header");
/// assert_eq!(p.entries[0].tags, ["dev"]);
/// ```
#[must_use]
pub fn parse(text: &str, file: FileId, unit_minutes: Minutes) -> Parsed {
    let mut out = Parsed::default();
    // One entry per line at most: reserving up front spares copying a large vector as it grows.
    out.entries.reserve(count_lines(text.as_bytes()));
    parse_each(text, file, unit_minutes, ParseOptions::default(), |item| {
        match item {
            Item::Entry(e) => out.entries.push(e),
            Item::Include(i) => out.includes.push(i),
            Item::Problem(d) => out.diagnostics.push(d),
        }
        ControlFlow::Continue(())
    });
    out
}

/// What [`parse_each`] finds, line by line, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// An entry (`seq` = its index among this file's entries).
    Entry(Entry),
    /// An `include` line.
    Include(Include),
    /// A bad line.
    Problem(Diagnostic),
}

/// What the parser keeps of each line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseOptions {
    /// Keep each entry's description. Without it, `description` is left empty (a string
    /// less per line) except on `quote` lines, whose description is part of the quote's state
    /// and shown by `balance`. Tags and metadata are kept either way.
    pub descriptions: bool,
}

impl Default for ParseOptions {
    /// Everything kept.
    fn default() -> ParseOptions {
        ParseOptions { descriptions: true }
    }
}

/// [`parse`], handing each entry, include and problem to `sink` as soon as its line is read,
/// so that a caller need not hold every entry at once. `sink` returns
/// [`ControlFlow::Break`] to stop reading.
pub fn parse_each(
    text: &str,
    file: FileId,
    unit_minutes: Minutes,
    opts: ParseOptions,
    sink: impl FnMut(Item) -> ControlFlow<()>,
) {
    parse_lines::<false>(text, file, unit_minutes, opts, |_| None, sink);
}

/// [`parse_each`] of only some lines: `skip` sees the text from the start of every line (to
/// the end of `text`), in order, before the line is read, and says `Some(len)` to skip the
/// line unread (`len`: its length, up to its `\n` or the end), `None` to read it. Several
/// threads can share a journal this way, each reading its own lines.
pub fn parse_each_where(
    text: &str,
    file: FileId,
    unit_minutes: Minutes,
    opts: ParseOptions,
    skip: impl FnMut(&str) -> Option<usize>,
    sink: impl FnMut(Item) -> ControlFlow<()>,
) {
    parse_lines::<true>(text, file, unit_minutes, opts, skip, sink);
}

/// The reading loop; `FILTER` is false when every line is kept, which then costs nothing.
fn parse_lines<const FILTER: bool>(
    text: &str,
    file: FileId,
    unit_minutes: Minutes,
    opts: ParseOptions,
    mut skip: impl FnMut(&str) -> Option<usize>,
    mut sink: impl FnMut(Item) -> ControlFlow<()>,
) {
    let mut toks: Vec<Tok<'_>> = Vec::new();
    let mut scratch = Scratch::default();
    let last_date = Cell::new(None);
    let mut entries = 0usize;
    let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    loop {
        if FILTER && let Some(len) = skip(text.get(start..).unwrap_or_default()) {
            let eol = start + len;
            if eol >= text.len() {
                break;
            }
            start = eol + 1;
            continue;
        }
        toks.clear();
        let mut elided = Elided::default();
        let mut regular = true;
        let (end, cut) = tokenize(
            text,
            start,
            file,
            &mut toks,
            last_date.get().map(|(raw, _)| raw),
            (!opts.descriptions).then_some(&mut elided),
            &mut regular,
        );
        let read = match line_problem(text, start, end, file) {
            Some(d) => Err(d),
            None => cut,
        };
        let read = read.and_then(|()| {
            let eol = toks.last().map_or(start, Tok::end).max(elided.end);
            let line = Line {
                text,
                toks: &toks,
                file,
                unit: unit_minutes,
                eol,
                last_date: &last_date,
                descriptions: opts.descriptions,
                elided: elided.words,
                verb: elided.verb,
                regular,
            };
            line.statement(&mut scratch, entries, &mut sink)
        });
        let flow = match read {
            Ok(Read::Nothing) => ControlFlow::Continue(()),
            Ok(Read::Entry(flow)) => {
                entries += 1;
                flow
            }
            Ok(Read::Include(flow)) => flow,
            Err(d) => sink(Item::Problem(d)),
        };
        if flow.is_break() {
            return;
        }
        if end >= text.len() {
            break;
        }
        start = end + 1;
    }
}

/// The problem of the line `start..end` of `text` (`end`: its `\n` or the end of the text)
/// that no word of it can cause: a git conflict marker at its start, or a character a journal
/// may not hold ([`forbidden_at`]).
fn line_problem(text: &str, start: usize, end: usize, file: FileId) -> Option<Diagnostic> {
    let line = text.as_bytes().get(start..end)?;
    if let [c @ (b'<' | b'=' | b'>' | b'|'), ..] = line
        && line.len() >= 7
        && line[..7].iter().all(|b| b == c)
        && matches!(line.get(7), None | Some(b' ' | b'\r'))
    {
        return Some(
            Diagnostic::error(
                Span::new(file, start, start + 7),
                "unresolved merge conflict",
            )
            .with_help(
                "keep the lines you want from each side and remove the `<<<<<<<`, \
                     `|||||||`, `=======` and `>>>>>>>` lines",
            ),
        );
    }
    let at = forbidden_at(line, end < text.len())?;
    let c = text.get(start + at..)?.chars().next()?;
    let (name, help) = forbidden_name(c);
    let message = if c == '\r' {
        format!("{name} that is not followed by a line feed")
    } else {
        format!("{name} in the text")
    };
    Some(
        Diagnostic::error(
            Span::new(file, start + at, start + at + c.len_utf8()),
            message,
        )
        .with_help(help),
    )
}

/// Where the first character a journal may not hold is in `line` (one line, without its
/// `\n`; `lf`: a `\n` follows it): a carriage return that is not the CR of a CRLF, any
/// other control character but tab (NUL, C0, DEL, C1), the line and paragraph separators
/// U+2028 and U+2029, and the bidirectional controls U+202A–U+202E and U+2066–U+2069.
/// Eight bytes at a time: a chunk of printable ASCII is passed over at once.
#[must_use]
pub fn forbidden_at(line: &[u8], lf: bool) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut i = 0;
    while i < line.len() {
        if let Some(chunk) = line.get(i..).and_then(<[u8]>::first_chunk::<8>) {
            let x = u64::from_le_bytes(*chunk);
            let del = x ^ (ONES * 0x7f);
            // Bytes below a space, DEL, and bytes with the high bit (non-ASCII): looked at
            // one by one; a chunk without them holds nothing to look at.
            let odd = (x.wrapping_sub(ONES * 0x20) & !x) | (del.wrapping_sub(ONES) & !del) | x;
            if odd & HIGH == 0 {
                i += 8;
                continue;
            }
        }
        let stop = (i + 8).min(line.len());
        while i < stop {
            let bad = match line[i] {
                b'\t' => false,
                b'\r' => !(lf && i + 1 == line.len()),
                0..=0x1f | 0x7f => true,
                0xc2 => matches!(line.get(i + 1), Some(0x80..=0x9f)),
                0xe2 => matches!(
                    (line.get(i + 1), line.get(i + 2)),
                    (Some(0x80), Some(0xa8..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
                ),
                _ => false,
            };
            if bad {
                return Some(i);
            }
            i += 1;
        }
    }
    None
}

/// What a character [`forbidden_at`] finds is called (`a carriage return (U+000D)`), and the
/// help that says what to do with it.
#[must_use]
pub fn forbidden_name(c: char) -> (String, &'static str) {
    let code = format!("U+{:04X}", u32::from(c));
    match c {
        '\r' => (
            format!("a carriage return ({code})"),
            "lines end with LF or CRLF: end the line with a line feed or remove the carriage return",
        ),
        '\n' => (format!("a line feed ({code})"), "an entry is one line"),
        '\0' => (
            format!("a NUL character ({code})"),
            "remove it: a journal is plain text",
        ),
        '\u{2028}' | '\u{2029}' => (
            format!(
                "a {} separator ({code})",
                if c == '\u{2028}' { "line" } else { "paragraph" }
            ),
            "remove it: only a line feed ends a line",
        ),
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => (
            format!("a bidirectional control character ({code})"),
            "remove it: it can make a line show something other than what it holds",
        ),
        _ => (
            format!("a control character ({code})"),
            "remove it: tab is the only control character allowed",
        ),
    }
}

/// What a line gave: the item is handed to the sink as soon as it is built (an entry is large:
/// built in place, not moved through a result), with the sink's answer.
enum Read {
    /// A blank or comment line.
    Nothing,
    /// An entry.
    Entry(ControlFlow<()>),
    /// An include.
    Include(ControlFlow<()>),
}

/// Lines in `b` (newlines + 1), counted by blocks of bytes so that the loop vectorises.
fn count_lines(b: &[u8]) -> usize {
    b.chunks(255)
        .map(|block| usize::from(block.iter().fold(0u8, |n, &c| n + u8::from(c == b'\n'))))
        .sum::<usize>()
        + 1
}

/// Is `s` a catalogue name (package, task, plan): `[a-z0-9][a-z0-9_-]*`?
#[must_use]
pub fn is_name(s: &str) -> bool {
    let b = s.as_bytes();
    b.first()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && b.iter().all(|&c| NAME_BYTE[c as usize])
}

/// Is `s` a name that starts with a letter (`[a-z][a-z0-9_-]*`)? Such a name never reads as a
/// quantity: the usual client ids, packages and tasks.
fn is_lettered_name(s: &str) -> bool {
    let b = s.as_bytes();
    b.first().is_some_and(u8::is_ascii_lowercase) && b.iter().all(|&c| NAME_BYTE[c as usize])
}

/// The bytes of a name (`[a-z0-9_-]`), as a table: one look per byte.
const NAME_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_';
        c += 1;
    }
    t
};

/// Does `s` look like an attempt at a quantity (`3`, `15m`, `10hh`, `09:15-10:40`)? Such a word
/// is never taken for a package or task name, nor for the first word of a description where an
/// optional quantity may stand.
pub(crate) fn looks_numeric(s: &str) -> bool {
    let b = s.as_bytes();
    b.first().is_some_and(|c| c.is_ascii_digit() || *c == b'.')
        && b.iter().all(|c| {
            matches!(
                c,
                b'0'..=b'9' | b'.' | b'h' | b'm' | b'c' | b'r' | b':' | b'-'
            )
        })
}

/// The bytes that separate words. A CR before LF is one of them, so it never ends up in a word.
pub(crate) const fn is_sep(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | 0x0b | 0x0c)
}

/// The bytes that end a word: the separators and `\n`, as a table for the tokenizer's inner loop.
const ENDS_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = is_sep(i as u8) || i == b'\n' as usize;
        i += 1;
    }
    t
};

/// The separators, as a table (no branches) for the tokenizer.
const SEP: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = is_sep(i as u8);
        i += 1;
    }
    t
};

fn ends_word(c: u8) -> bool {
    ENDS_WORD[c as usize]
}

/// Where the word that goes on at byte `i` of `b` ends: its first separator or `\n` from `i`
/// on, or the end of `b`. Eight bytes at a time: every byte that ends a word is below `!`, and
/// a word byte below it (a control character) is rare.
pub(crate) fn word_end(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    while let Some(chunk) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let x = u64::from_le_bytes(*chunk);
        // The high bit of each byte below `!` (0x21), exact up to the first such byte.
        let low = x.wrapping_sub(ONES * 0x21) & !x & HIGH;
        if low == 0 {
            i += 8;
            continue;
        }
        // The first such byte, taken from `x` itself (no second look into `b`).
        let bit = low.trailing_zeros();
        let k = i + (bit / 8) as usize;
        // `bit & 0x38`: the first bit of that byte.
        if ends_word((x >> (bit & 0x38)) as u8) {
            return k;
        }
        // A control character inside the word: go on after it.
        i = k + 1;
    }
    while b.get(i).is_some_and(|&c| !ends_word(c)) {
        i += 1;
    }
    i
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A run of non-blank bytes.
    Word,
    /// A `"quoted"` run (with whatever follows its closing quote up to the next blank).
    Quoted,
}

#[derive(Debug)]
struct Tok<'a> {
    /// Absolute byte offset in the file.
    start: usize,
    /// The source bytes, quotes and all.
    raw: &'a str,
    kind: Kind,
}

impl<'a> Tok<'a> {
    /// Absolute byte offset of the end, in the file.
    fn end(&self) -> usize {
        self.start + self.raw.len()
    }

    /// The word's text: `raw` for a word, the unescaped content for a quoted run (unescaped
    /// when asked: quoted runs are rare).
    fn text(&self) -> Cow<'a, str> {
        match self.kind {
            Kind::Word => Cow::Borrowed(self.raw),
            Kind::Quoted => unquote(self.raw),
        }
    }
}

/// The text of a closed quoted run `raw` (as [`tokenize`] cut it): the content with `\"` and
/// `\\` unescaped, then whatever follows the closing quote.
fn unquote(raw: &str) -> Cow<'_, str> {
    let b = raw.as_bytes();
    let mut owned: Option<String> = None;
    let mut i = 1;
    let mut seg = i;
    loop {
        match b.get(i) {
            None | Some(b'"') => break,
            Some(b'\\') if matches!(b.get(i + 1), Some(b'"' | b'\\')) => {
                let s = owned.get_or_insert_with(String::new);
                s.push_str(sub(raw, seg, i));
                s.push_str(sub(raw, i + 1, i + 2));
                i += 2;
                seg = i;
            }
            Some(_) => i += 1,
        }
    }
    let inner_end = i;
    let tail = (i + 1).min(raw.len());
    match owned {
        None if tail == raw.len() => Cow::Borrowed(sub(raw, seg, inner_end)),
        owned => {
            let mut s = owned.unwrap_or_default();
            s.push_str(sub(raw, seg, inner_end));
            s.push_str(sub(raw, tail, raw.len()));
            Cow::Owned(s)
        }
    }
}

fn sub(s: &str, a: usize, b: usize) -> &str {
    s.get(a..b).unwrap_or("")
}

/// The canonical text of an entry whose words after the date are `raw` (from the verb to the
/// end of the last word, the comment left out): the words joined by one space, each quoted run
/// written back in double quotes with `\"` and `\\` escaped. Most lines are already so
/// (`regular`, as [`tokenize`] found), and are copied as they are.
fn canonical(raw: &str, regular: bool) -> CompactString {
    if regular {
        return CompactString::from(raw);
    }
    let b = raw.as_bytes();
    let mut out = String::with_capacity(raw.len() + 2);
    let mut i = 0;
    loop {
        while b.get(i).is_some_and(|&c| SEP[c as usize]) {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        let word = i;
        if b[i] == b'"' {
            // As the tokenizer cut it: to the closing quote, then on to the next blank.
            i += 1;
            loop {
                match b.get(i) {
                    None => break,
                    Some(b'\\') if matches!(b.get(i + 1), Some(b'"' | b'\\')) => i += 2,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            while b.get(i).is_some_and(|&c| !ends_word(c)) {
                i += 1;
            }
            out.push('"');
            for c in unquote(sub(raw, word, i)).chars() {
                if matches!(c, '"' | '\\') {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
        } else {
            i = word_end(b, i + 1);
            out.push_str(sub(raw, word, i));
        }
    }
    CompactString::from(out)
}

/// Cut the line that starts at byte `start` of `text` into words, stopping at a comment.
/// Returns where the line ends (its `\n`, or the end of the text) with the words or the error.
/// `last_date`: the date word of the last line that had a good one.
/// With `lean` (descriptions not kept), once the first [`HEAD`] words show that the plain
/// words after them are only counted ([`only_counts_the_rest`]), those are counted in `lean`
/// and left out of `out`.
/// `regular` is cleared when a word after the verb does not follow exactly one space, or is
/// quoted: the line's canonical text is then not its own bytes.
/// This is the one pass over the bytes: lines are found as their words are.
// Called from one place, once a line: inlined, the call and the handing back of its result
// are spared (measured: about 0.5% fewer instructions in parsing; a plain `#[inline]` is not
// taken).
#[allow(clippy::inline_always)]
#[inline(always)]
fn tokenize<'a>(
    text: &'a str,
    start: usize,
    file: FileId,
    out: &mut Vec<Tok<'a>>,
    last_date: Option<[u8; 10]>,
    lean: Option<&mut Elided>,
    regular: &mut bool,
) -> (usize, Result<(), Diagnostic>) {
    let b = text.as_bytes();
    // Most lines start with the date of the line before: those ten bytes (a date that was
    // read, so digits and `-`, none that ends a word) and then a byte that ends a word are
    // that word, found without a search.
    if let Some(raw) = last_date
        && let Some((head, _)) = b.get(start..).and_then(<[u8]>::split_first_chunk::<11>)
        && head[..10] == raw
        && ends_word(head[10])
    {
        out.push(Tok {
            start,
            raw: sub(text, start, start + 10),
            kind: Kind::Word,
        });
    }
    let start = out.last().map_or(start, Tok::end);
    let to_eol = |i: usize| {
        text.get(i..)
            .and_then(|r| r.find('\n'))
            .map_or(text.len(), |n| i + n)
    };
    // Set once the first words show that the plain words after them are only counted.
    let mut elided: Option<&mut Elided> = None;
    let mut lean = lean;
    let mut i = start;
    // Words so far (the date among them), and where the last one ended.
    let mut words = out.len();
    let mut last_end = start;
    loop {
        let first = loop {
            match b.get(i) {
                Some(&c) if SEP[c as usize] => i += 1,
                Some(&c) => break c,
                None => return (i, Ok(())),
            }
        };
        let word = i;
        // After the verb, a word that does not follow exactly one space (the end of the line
        // and a comment are no words).
        let spaced = words >= 2 && (word != last_end + 1 || b.get(last_end) != Some(&b' '));
        // One look at a table sends the few bytes that can mean more than a plain word
        // (the end of the line, a comment, a quote) out of the way of the usual words.
        if MAY_START_MORE[first as usize] {
            if first == b'\n' {
                return (i, Ok(()));
            }
            if first == b';' || (first == b'#' && out.is_empty()) {
                return (to_eol(i), Ok(()));
            }
            if first == b'"' {
                i += 1;
                let closed = loop {
                    match b.get(i) {
                        None | Some(b'\n') => break false,
                        Some(b'\\') if matches!(b.get(i + 1), Some(b'"' | b'\\')) => i += 2,
                        Some(b'"') => break true,
                        Some(_) => i += 1,
                    }
                };
                if !closed {
                    let line = sub(text, word, i);
                    let end = word
                        + line
                            .trim_end_matches(|c: char| c.is_ascii() && is_sep(c as u8))
                            .len();
                    let d = Diagnostic::error(
                        Span::new(file, word, end),
                        "the quoted text is not closed",
                    )
                    .with_help("end it with `\"`; inside quotes write `\\\"` for a quote");
                    return (i, Err(d));
                }
                i += 1;
                while b.get(i).is_some_and(|&c| !ends_word(c)) {
                    i += 1;
                }
                out.push(Tok {
                    start: word,
                    raw: sub(text, word, i),
                    kind: Kind::Quoted,
                });
                *regular = false;
                words += 1;
                last_end = i;
                continue;
            }
        }
        if spaced {
            *regular = false;
        }
        // The first byte is not a word's end: the search starts after it.
        i = word_end(b, i + 1);
        words += 1;
        last_end = i;
        if let Some(e) = elided.as_deref_mut()
            && (!MAY_BE_MORE_THAN_POSITIONAL[first as usize] || positional(sub(text, word, i)))
        {
            e.words += 1;
            e.end = i;
            continue;
        }
        out.push(Tok {
            start: word,
            raw: sub(text, word, i),
            kind: Kind::Word,
        });
        // Looked at once, when the first words are in (a line whose fourth word is quoted
        // is read whole).
        if out.len() == HEAD
            && let Some(e) = lean.take()
            && let Some(verb) = only_counts_the_rest(out)
        {
            e.verb = Some(verb);
            elided = Some(e);
        }
    }
}

/// How many words [`tokenize`] reads before it looks whether the rest's plain words are only
/// counted: the date, the verb, the client and one argument.
const HEAD: usize = 4;

/// The plain description words [`tokenize`] left out of a line's words, as
/// [`Line::statement`] would only count them: how many, and where the last one ends.
#[derive(Default)]
struct Elided {
    words: usize,
    end: usize,
    /// The line's verb, as [`only_counts_the_rest`] read it (set when words are left out).
    verb: Option<VerbWord>,
}

/// The verb of a line whose plain words after `head` (its first [`HEAD`] words) are only
/// counted, else `None`. So they are when descriptions are not kept, for a verb that takes at
/// most one argument (given, and positional, in `head`) and never looks at the words after
/// it: they are all description words. (`buy`, `apply` and `refund` look further; a `quote`
/// keeps its description.)
fn only_counts_the_rest(head: &[Tok<'_>]) -> Option<VerbWord> {
    let [_, verb, _, arg] = head else {
        return None;
    };
    let which = VerbWord::of(verb.raw)?;
    match which {
        VerbWord::Bill => Some(which),
        VerbWord::Log
        | VerbWord::Debit
        | VerbWord::Approve
        | VerbWord::Reject
        | VerbWord::Done
        | VerbWord::Plan
        | VerbWord::Adjust
        | VerbWord::Assert => (arg.kind == Kind::Word && positional(arg.raw)).then_some(which),
        _ => None,
    }
}

/// Does [`Line::statement`] read the word `w` (not quoted, after the client) as a positional
/// word: neither a tag, nor metadata, nor an `@` (which it turns down on any verb but `buy`)?
fn positional(w: &str) -> bool {
    !(w.len() > 1 && w.starts_with('#')) && w != "@" && meta_word(w).is_none()
}

/// The first bytes of the words that may not be positional ([`positional`]): `#` (a tag),
/// `@`, and the first letters of the metadata keys.
const MAY_BE_MORE_THAN_POSITIONAL: [bool; 256] = {
    let mut t = [false; 256];
    let starts = b"#@rqptde";
    let mut i = 0;
    while i < starts.len() {
        t[starts[i] as usize] = true;
        i += 1;
    }
    t
};

/// The first bytes of a word that [`tokenize`] looks at twice: `\n` (no word: the end of the
/// line), `;` (a comment), `#` (a comment if first on its line) and `"` (a quoted run).
const MAY_START_MORE: [bool; 256] = {
    let mut t = [false; 256];
    t[b'\n' as usize] = true;
    t[b';' as usize] = true;
    t[b'#' as usize] = true;
    t[b'"' as usize] = true;
    t
};

/// The verbs, as the parser tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VerbWord {
    Buy,
    Log,
    Debit,
    Quote,
    Estimate,
    Approve,
    Reject,
    Done,
    Apply,
    Refund,
    Adjust,
    Plan,
    Bill,
    Assert,
}

impl VerbWord {
    fn of(w: &str) -> Option<VerbWord> {
        Some(match w {
            "buy" => VerbWord::Buy,
            "log" => VerbWord::Log,
            "debit" => VerbWord::Debit,
            "quote" => VerbWord::Quote,
            "estimate" => VerbWord::Estimate,
            "approve" => VerbWord::Approve,
            "reject" => VerbWord::Reject,
            "done" => VerbWord::Done,
            "apply" => VerbWord::Apply,
            "refund" => VerbWord::Refund,
            "adjust" => VerbWord::Adjust,
            "plan" => VerbWord::Plan,
            "bill" => VerbWord::Bill,
            "assert" => VerbWord::Assert,
            _ => return None,
        })
    }

    /// The word, as in [`VERBS`].
    fn word(self) -> &'static str {
        VERBS[self as usize]
    }
}

/// Lists reused from line to line: word indices of a line's arguments, tags and metadata.
#[derive(Default)]
struct Scratch {
    positional: Vec<usize>,
    tags: Vec<usize>,
    meta: Vec<(MetaKey, usize)>,
}

/// One line's words, and where to report a missing argument.
struct Line<'t, 'a> {
    /// The whole file (the canonical text is cut from it).
    text: &'a str,
    toks: &'t [Tok<'a>],
    file: FileId,
    unit: Minutes,
    /// End of the last word: a missing argument is reported here.
    eol: usize,
    /// The last date read: journals repeat dates, and this spares parsing them again.
    last_date: &'t Cell<Option<([u8; 10], NaiveDate)>>,
    /// Keep descriptions ([`ParseOptions::descriptions`]).
    descriptions: bool,
    /// Description words not in `toks`, only counted ([`Elided`]).
    elided: usize,
    /// The verb, when the tokenizer has read it already.
    verb: Option<VerbWord>,
    /// Every word after the verb follows one space and none is quoted: the canonical text is
    /// the line's own bytes.
    regular: bool,
}

/// The words after the client that are neither tags nor metadata, read in order.
struct Args<'t, 'a> {
    toks: &'t [Tok<'a>],
    idx: &'t [usize],
    next: usize,
}

impl<'t, 'a> Args<'t, 'a> {
    fn peek(&self) -> Option<&'t Tok<'a>> {
        self.idx.get(self.next).and_then(|&i| self.toks.get(i))
    }

    fn next(&mut self) -> Option<&'t Tok<'a>> {
        let t = self.peek();
        if t.is_some() {
            self.next += 1;
        }
        t
    }
}

/// The description: the remaining words joined by one space.
struct Description {
    text: String,
    pieces: usize,
    /// Build `text` (else only count the pieces).
    keep: bool,
}

impl Description {
    fn push(&mut self, t: &Tok<'_>, eol: usize) {
        if !self.keep {
            self.pieces += 1;
            return;
        }
        if self.pieces == 0 {
            self.text = String::with_capacity(eol.saturating_sub(t.start));
        } else {
            self.text.push(' ');
        }
        self.text.push_str(&t.text());
        self.pieces += 1;
    }
}

/// How to fix a `quote:` on another verb than `log`.
fn quote_meta_help(which: VerbWord) -> &'static str {
    match which {
        VerbWord::Quote | VerbWord::Estimate => {
            "the id is the word after the client: remove `quote:`"
        }
        VerbWord::Approve | VerbWord::Reject | VerbWord::Done => {
            "the quote's id is the word after the client: remove `quote:`"
        }
        _ => "`quote:` marks work logged on a quote: remove it, or log the work with `log`",
    }
}

fn usage(verb: &str) -> &'static str {
    match verb {
        "buy" => {
            "write `buy CLIENT QTY [@ PRICE | for TOTAL] [expires DATE|SPAN|never]` or `buy CLIENT PACKAGE`"
        }
        "log" => "write `log CLIENT DURATION`, such as `log acme 15m`",
        "debit" => "write `debit CLIENT QTY|TASK`, such as `debit acme 2h`",
        "quote" => "write `quote CLIENT ID QTY|TASK`, such as `quote acme Q7 3h`",
        "estimate" => "write `estimate CLIENT ID QTY|TASK`, such as `estimate acme E7 3h`",
        "approve" => "write `approve CLIENT ID`, such as `approve acme Q7`",
        "reject" => "write `reject CLIENT ID`, such as `reject acme Q7`",
        "done" => "write `done CLIENT ID`, such as `done acme Q7`",
        "apply" => "write `apply CLIENT MONEY`, such as `apply acme 240 USD`",
        "refund" => "write `refund CLIENT LOT [QTY]`, where LOT is the lot's `ref:` or its date",
        "adjust" => {
            "write `adjust CLIENT +QTY|-QTY DESCRIPTION`, such as `adjust acme +1h goodwill`"
        }
        "plan" => "write `plan CLIENT PLAN` or `plan CLIENT none`",
        "bill" => "write `bill CLIENT`",
        _ => "write `assert CLIENT QTY`, such as `assert acme 3h`",
    }
}

impl<'a> Line<'_, 'a> {
    fn at(&self, t: &Tok<'_>) -> Span {
        Span::new(self.file, t.start, t.end())
    }

    fn word_err(&self, t: &Tok<'_>, e: ValueError) -> Diagnostic {
        value_err(self.at(t), e)
    }

    fn missing(&self, verb: &str, what: &str) -> Diagnostic {
        Diagnostic::error(
            Span::new(self.file, self.eol, self.eol),
            format!("`{verb}` needs {what}"),
        )
        .with_help(usage(verb))
    }

    /// Read the line: nothing (blank or comment), an include, or an entry, handed to `sink`.
    /// `entries`: how many entries of this file came before the line.
    fn statement(
        &self,
        scratch: &mut Scratch,
        entries: usize,
        sink: &mut impl FnMut(Item) -> ControlFlow<()>,
    ) -> Result<Read, Diagnostic> {
        let Some(first) = self.toks.first() else {
            return Ok(Read::Nothing);
        };
        if first.kind == Kind::Word && first.raw == "include" {
            return self
                .include(entries)
                .map(|i| Read::Include(sink(Item::Include(i))));
        }
        // Compared as arrays, which the compiler does inline, not as slices through `memcmp`.
        let word10 = <[u8; 10]>::try_from(first.raw.as_bytes()).ok();
        let cached = self.last_date.get().filter(|(raw, _)| word10 == Some(*raw));
        let date = match cached {
            Some((_, date)) => Ok(date),
            None => value::date(first.raw),
        };
        let date = date.map_err(|e| {
            let shaped = first.raw.len() == 10 && first.raw.bytes().take(4).all(|c| c.is_ascii_digit());
            if shaped {
                self.word_err(first, e)
            } else {
                Diagnostic::error(self.at(first), format!("`{}` is not a date", first.raw))
                    .with_help("an entry starts with a date, such as `2026-01-06 log acme 15m`; a comment starts with `;`")
            }
        })?;
        if let Some(raw) = word10 {
            self.last_date.set(Some((raw, date)));
        }
        let Some(vt) = self.toks.get(1) else {
            return Err(Diagnostic::error(
                Span::new(self.file, self.eol, self.eol),
                "an entry needs a verb after its date",
            )
            .with_help("write `DATE VERB CLIENT …`, such as `2026-01-06 log acme 15m`"));
        };
        // A match on the word, not a search of `VERBS`: the compiler compares fixed lengths.
        let Some(which) = self.verb.or_else(|| VerbWord::of(vt.raw)) else {
            return Err(self.unknown_verb(vt));
        };
        let verb = which.word();
        let Some(ct) = self.toks.get(2) else {
            return Err(self.missing(verb, "a client"));
        };
        // Fast path: a name that starts with a letter never reads as a quantity.
        if !is_lettered_name(ct.raw) {
            value::client_id(ct.raw).map_err(|e| self.word_err(ct, e))?;
        }

        // Tags and metadata may stand anywhere after the client; the other words are
        // positional (arguments, then the description).
        let buy = which == VerbWord::Buy;
        // One pass reads them (the words of a line borrow the text until the entry is built);
        // then each list is allocated at its size.
        let mut meta_expiry = None;
        let Scratch {
            positional,
            tags: tag_words,
            meta: meta_words,
        } = scratch;
        positional.clear();
        tag_words.clear();
        meta_words.clear();
        // When the tokenizer read the verb of one that takes an argument, it found the fourth
        // word a positional one (that argument): only the words after it need a look.
        let mut looked = 3;
        if self.verb.is_some_and(|v| v != VerbWord::Bill) {
            positional.push(3);
            looked = 4;
        }
        for (i, t) in self.toks.iter().enumerate().skip(looked) {
            if t.kind == Kind::Quoted {
                positional.push(i);
                continue;
            }
            let w = t.raw;
            if w.len() > 1 && w.starts_with('#') {
                tag_words.push(i);
            } else if let Some((key, val)) = meta_word(w) {
                let vstart = t.start + key.word().len() + 1;
                let vspan = Span::new(self.file, vstart, t.end());
                if val.is_empty() {
                    return Err(
                        Diagnostic::error(self.at(t), format!("`{w}` needs a value")).with_help(
                            format!(
                                "write it without spaces, such as `{}:{}`",
                                key.word(),
                                example(key)
                            ),
                        ),
                    );
                }
                if meta_words.iter().any(|&(k, _)| k == key) {
                    return Err(Diagnostic::error(
                        self.at(t),
                        format!("`{}:` is given twice", key.word()),
                    ));
                }
                match key {
                    MetaKey::Due => {
                        value::date(val).map_err(|e| value_err(vspan, e))?;
                    }
                    MetaKey::Expires if !buy => {
                        return Err(Diagnostic::error(
                            self.at(t),
                            "`expires:` is only for `buy`",
                        ));
                    }
                    MetaKey::Expires => meta_expiry = Some(expiry(val, vspan)?),
                    MetaKey::Quote if which != VerbWord::Log => {
                        return Err(Diagnostic::error(
                            self.at(t),
                            format!("`quote:` is only for `log`, not `{verb}`"),
                        )
                        .with_help(quote_meta_help(which)));
                    }
                    _ => {}
                }
                meta_words.push((key, i));
            } else if w == "@" && !buy {
                return Err(Diagnostic::error(
                    self.at(t),
                    format!("`@` is only for `buy`, not `{verb}`"),
                )
                .with_help("put the description in double quotes to keep an `@` in it"));
            } else {
                positional.push(i);
            }
        }

        // Most lines have neither: no iterator to set up for nothing. Otherwise each list is
        // allocated once at its size (a `collect` of a slice's words knows it).
        let tags: Vec<CompactString> = if tag_words.is_empty() {
            Vec::new()
        } else {
            tag_words
                .iter()
                .map(|&i| {
                    let w = self.toks.get(i).map_or("", |t| t.raw);
                    CompactString::from(sub(w, 1, w.len()))
                })
                .collect()
        };
        let meta: Vec<Meta> = if meta_words.is_empty() {
            Vec::new()
        } else {
            meta_words
                .iter()
                .map(|&(key, i)| Meta {
                    key,
                    value: CompactString::from(
                        self.toks
                            .get(i)
                            .map_or("", |t| sub(t.raw, key.word().len() + 1, t.raw.len())),
                    ),
                })
                .collect()
        };
        let mut args = Args {
            toks: self.toks,
            idx: positional,
            next: 0,
        };
        let mut desc = Description {
            text: String::new(),
            pieces: 0,
            keep: self.descriptions || matches!(which, VerbWord::Quote | VerbWord::Estimate),
        };
        let verb = match which {
            VerbWord::Buy => self.buy(&mut args, &mut desc, meta_expiry)?,
            VerbWord::Log => {
                let t = args
                    .next()
                    .ok_or_else(|| self.missing(verb, "a duration"))?;
                let (minutes, clock) =
                    value::log_time(t.raw, self.unit).map_err(|e| self.word_err(t, e))?;
                Verb::Log { minutes, clock }
            }
            VerbWord::Debit => {
                let t = args
                    .next()
                    .ok_or_else(|| self.missing(verb, "a quantity or a task"))?;
                Verb::Debit {
                    qty: self.qty_or_name(t)?,
                }
            }
            VerbWord::Quote | VerbWord::Estimate => {
                let id = self.id(args.next(), verb)?;
                let t = args
                    .next()
                    .ok_or_else(|| self.missing(verb, "a quantity or a task"))?;
                let qty = self.qty_or_name(t)?;
                if which == VerbWord::Quote {
                    Verb::Quote { id, qty }
                } else {
                    Verb::Estimate { id, qty }
                }
            }
            VerbWord::Approve => Verb::Approve {
                id: self.id(args.next(), verb)?,
            },
            VerbWord::Reject => Verb::Reject {
                id: self.id(args.next(), verb)?,
            },
            VerbWord::Done => Verb::Done {
                id: self.id(args.next(), verb)?,
            },
            VerbWord::Apply => {
                let t = args
                    .next()
                    .ok_or_else(|| self.missing(verb, "an amount of money"))?;
                Verb::Apply {
                    amount: self.money(t, &mut args)?,
                }
            }
            VerbWord::Refund => self.refund(&mut args)?,
            VerbWord::Adjust => {
                let t = args
                    .next()
                    .ok_or_else(|| self.missing(verb, "a quantity such as `+1h` or `-30m`"))?;
                Verb::Adjust {
                    minutes: value::signed_quantity(t.raw, self.unit)
                        .map_err(|e| self.word_err(t, e))?,
                }
            }
            VerbWord::Plan => {
                let t = args
                    .next()
                    .ok_or_else(|| self.missing(verb, "a plan name or `none`"))?;
                if t.raw == "none" {
                    Verb::Plan { plan: None }
                } else if t.kind == Kind::Word && is_name(t.raw) {
                    Verb::Plan {
                        plan: Some(t.raw.into()),
                    }
                } else {
                    return Err(Diagnostic::error(self.at(t), format!("`{}` is not a plan name", t.raw))
                        .with_help("a plan name is lowercase letters, digits, `-` and `_`; write `none` to leave a plan"));
                }
            }
            VerbWord::Bill => Verb::Bill,
            VerbWord::Assert => {
                let t = args
                    .next()
                    .ok_or_else(|| self.missing(verb, "a quantity"))?;
                Verb::Assert {
                    minutes: value::signed_quantity(t.raw, self.unit)
                        .map_err(|e| self.word_err(t, e))?,
                }
            }
        };
        if desc.keep {
            while let Some(t) = args.next() {
                desc.push(t, self.eol);
            }
        } else {
            // Only counted: the words left, and those the tokenizer left out.
            desc.pieces += args.idx.len().saturating_sub(args.next) + self.elided;
        }
        if matches!(verb, Verb::Adjust { .. }) && desc.pieces == 0 {
            return Err(self.missing("adjust", "a description that says why"));
        }
        Ok(Read::Entry(sink(Item::Entry(Entry {
            date,
            seq: entries as u32,
            span: self.at(vt),
            client_span: self.at(ct),
            client: ct.raw.into(),
            verb,
            tags,
            meta,
            description: desc.text,
            canon: canonical(sub(self.text, vt.start, self.eol), self.regular),
        }))))
    }

    fn include(&self, entries: usize) -> Result<Include, Diagnostic> {
        let Some(p) = self.toks.get(1).filter(|p| !p.text().is_empty()) else {
            return Err(Diagnostic::error(
                Span::new(self.file, self.eol, self.eol),
                "`include` needs a path",
            )
            .with_help("write `include PATH`, such as `include 2025.credits`"));
        };
        if let Some(extra) = self.toks.get(2) {
            return Err(Diagnostic::error(
                self.at(extra),
                format!("unexpected `{}` after the include path", extra.raw),
            )
            .with_help("put a path with spaces in double quotes"));
        }
        Ok(Include {
            at: entries,
            path: p.text().into_owned(),
            span: self.at(p),
        })
    }

    fn unknown_verb(&self, vt: &Tok<'_>) -> Diagnostic {
        let d = Diagnostic::error(self.at(vt), format!("unknown verb `{}`", vt.raw));
        if vt.raw == "include" {
            return d.with_help("`include` takes no date: write `include PATH` alone on its line");
        }
        match suggest::nearest(vt.raw, VERBS) {
            Some(v) => d.with_help(suggest::did_you_mean(v)),
            None => d.with_help(format!(
                "a verb is one of {}",
                VERBS.map(|v| format!("`{v}`")).join(", ")
            )),
        }
    }

    fn buy(
        &self,
        args: &mut Args<'_, 'a>,
        desc: &mut Description,
        meta_expiry: Option<LineExpiry>,
    ) -> Result<Verb, Diagnostic> {
        let t = args
            .next()
            .ok_or_else(|| self.missing("buy", "a quantity or a package"))?;
        let qty = self.qty_or_name(t)?;
        let mut price = None;
        let mut expires = meta_expiry;
        while let Some(t) = args.next() {
            if t.kind == Kind::Quoted {
                desc.push(t, self.eol);
                continue;
            }
            match t.raw {
                "@" | "for" => {
                    if price.is_some() {
                        return Err(Diagnostic::error(self.at(t), "a `buy` takes one price")
                            .with_help("write either `@ PRICE` per unit or `for TOTAL`"));
                    }
                    let what = if t.raw == "@" {
                        "a price after `@`"
                    } else {
                        "a total after `for`"
                    };
                    let v = args.next().ok_or_else(|| self.missing("buy", what))?;
                    let m = self.money(v, args)?;
                    price = Some(if t.raw == "@" {
                        Price::Each(m)
                    } else {
                        Price::Total(m)
                    });
                }
                "expires" => {
                    if expires.is_some() {
                        return Err(Diagnostic::error(self.at(t), "`expires` is given twice"));
                    }
                    let v = args.next().ok_or_else(|| {
                        self.missing("buy", "a date, a span or `never` after `expires`")
                    })?;
                    expires = Some(expiry(v.raw, self.at(v))?);
                }
                w if w.starts_with('@') => {
                    // `@120`: the same as `@ 120`.
                    if price.is_some() {
                        return Err(Diagnostic::error(self.at(t), "a `buy` takes one price")
                            .with_help("write either `@ PRICE` per unit or `for TOTAL`"));
                    }
                    let inner = Tok {
                        start: t.start + 1,
                        raw: sub(w, 1, w.len()),
                        kind: Kind::Word,
                    };
                    price = Some(Price::Each(self.money(&inner, args)?));
                }
                _ => desc.push(t, self.eol),
            }
        }
        Ok(Verb::Buy {
            qty,
            price,
            expires,
        })
    }

    fn refund(&self, args: &mut Args<'_, 'a>) -> Result<Verb, Diagnostic> {
        let t = args
            .next()
            .ok_or_else(|| self.missing("refund", "a lot (its `ref:` or its date)"))?;
        let b = t.raw.as_bytes();
        // `YYYY-MM-DD` is a date (and a bad one an error); anything else, `2026-001` included,
        // is a ref.
        let date_shaped = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        let lot = if date_shaped {
            LotRef::Date(value::date(t.raw).map_err(|e| self.word_err(t, e))?)
        } else if t.kind == Kind::Word {
            LotRef::Ref(t.raw.into())
        } else {
            return Err(
                Diagnostic::error(self.at(t), format!("`{}` is not a lot", t.raw))
                    .with_help("name the lot by its `ref:` or its purchase date"),
            );
        };
        let qty = match args.peek() {
            Some(q) if q.kind == Kind::Word && looks_numeric(q.raw) => {
                args.next();
                Some(value::positive_quantity(q.raw, self.unit).map_err(|e| self.word_err(q, e))?)
            }
            _ => None,
        };
        Ok(Verb::Refund { lot, qty })
    }

    fn id(&self, t: Option<&Tok<'_>>, verb: &str) -> Result<CompactString, Diagnostic> {
        let t = t.ok_or_else(|| self.missing(verb, "a quote id"))?;
        if t.kind == Kind::Quoted {
            return Err(
                Diagnostic::error(self.at(t), format!("`{}` is not a quote id", t.raw))
                    .with_help("a quote id is one word, such as `Q7`"),
            );
        }
        Ok(t.raw.into())
    }

    fn qty_or_name(&self, t: &Tok<'_>) -> Result<Qty, Diagnostic> {
        // A quantity starts with a digit or a `.`: a name that starts with a letter is a name.
        if t.kind == Kind::Word && is_lettered_name(t.raw) {
            return Ok(Qty::Named(t.raw.into()));
        }
        match value::positive_quantity(t.raw, self.unit) {
            Ok(m) => Ok(Qty::Minutes(m)),
            Err(_) if t.kind == Kind::Word && is_name(t.raw) && !looks_numeric(t.raw) => {
                Ok(Qty::Named(t.raw.into()))
            }
            Err(e) => Err(self.word_err(t, e)),
        }
    }

    /// A money word, then an optional currency code word.
    fn money(&self, t: &Tok<'_>, args: &mut Args<'_, 'a>) -> Result<Money, Diagnostic> {
        let mut m = value::money(t.raw).map_err(|e| self.word_err(t, e))?;
        if let Some((c, code)) = args
            .peek()
            .filter(|c| c.kind == Kind::Word)
            .and_then(|c| Some((c, Currency::from_code(c.raw)?)))
        {
            args.next();
            if m.currency.is_some_and(|have| have != code) {
                return Err(Diagnostic::error(
                    self.at(c),
                    format!("`{}` does not match the currency of `{}`", c.raw, t.raw),
                )
                .with_help("write one currency: a symbol or a code"));
            }
            m.currency = Some(code);
        }
        Ok(m)
    }
}
/// `expires DATE|SPAN|never` (and `expires:`).
fn expiry(s: &str, span: Span) -> Result<LineExpiry, Diagnostic> {
    value::expiry(
        s,
        "write a last usable day such as `2026-12-31`, a span such as `12mo`, or `never`",
    )
    .map_err(|e| value_err(span, e))
}

fn example(key: MetaKey) -> &'static str {
    match key {
        MetaKey::Ref => "INV-1041",
        MetaKey::Quote => "Q7",
        MetaKey::Project => "redesign",
        MetaKey::Task => "banner",
        MetaKey::Due => "2026-02-01",
        MetaKey::Expires => "12mo",
    }
}

/// `key:value` with a known key, split.
#[inline]
fn meta_word(w: &str) -> Option<(MetaKey, &str)> {
    let key = match w.as_bytes().first()? {
        b'r' => MetaKey::Ref,
        b'q' => MetaKey::Quote,
        b'p' => MetaKey::Project,
        b't' => MetaKey::Task,
        b'd' => MetaKey::Due,
        b'e' => MetaKey::Expires,
        _ => return None,
    };
    let n = key.word().len();
    if w.as_bytes().get(n) == Some(&b':') && w.get(..n) == Some(key.word()) {
        Some((key, w.get(n + 1..).unwrap_or("")))
    } else {
        None
    }
}

fn value_err(span: Span, e: ValueError) -> Diagnostic {
    let d = Diagnostic::error(span, e.message);
    match e.help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DateSpan;
    use crate::source::SourceFile;
    use chrono::{NaiveDate, NaiveTime};
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn unit() -> Minutes {
        Minutes::from(60)
    }

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn usd(n: i64) -> Money {
        Money {
            amount: d(n),
            currency: Currency::from_code("USD"),
        }
    }

    /// `(line, col, len, message)` of every diagnostic, as a user sees them.
    fn errors(text: &str) -> Vec<(usize, usize, usize, String)> {
        let p = parse(text, FileId(0), unit());
        let f = SourceFile::new("j".into(), text.into());
        p.diagnostics
            .iter()
            .map(|x| {
                let s = x.span.unwrap();
                let (line, col) = f.line_col(s.start);
                let len = text[s.start as usize..s.end as usize].chars().count();
                (line, col, len, x.message.clone())
            })
            .collect()
    }

    /// A good line: the text, then the entry's verb, tags, metadata and description.
    type Case<'a> = (&'a str, Verb, Vec<&'a str>, Vec<Meta>, &'a str);

    fn one(line: &str) -> Entry {
        let p = parse(line, FileId(0), unit());
        assert_eq!(p.diagnostics, [], "{line}");
        assert_eq!(p.entries.len(), 1, "{line}");
        p.entries.into_iter().next().unwrap()
    }

    /// The problems expected of a text: `(line, col, len, message)`.
    type Want<'a> = Vec<(usize, usize, usize, &'a str)>;

    #[test]
    fn characters_a_journal_may_not_hold_are_reported_at_their_line_and_column() {
        let cr = "a carriage return (U+000D) that is not followed by a line feed";
        let cases: &[(&str, Want<'_>)] = &[
            // A CR alone does not end a line: the two entries are not read as one.
            (
                "2026-01-05 buy acme 10h\r2026-01-06 log acme 1h\r",
                vec![(1, 24, 1, cr)],
            ),
            // At the very end of the file, after a good line.
            (
                "2026-01-05 buy acme 10h\n2026-01-06 log acme 1h\r",
                vec![(2, 23, 1, cr)],
            ),
            ("; comment\rtext\n", vec![(1, 10, 1, cr)]),
            (
                "2026-01-06 log acme 1h a\0b\n",
                vec![(1, 25, 1, "a NUL character (U+0000) in the text")],
            ),
            (
                "2026-01-06 log acme 1h é\u{7}\n",
                vec![(1, 25, 1, "a control character (U+0007) in the text")],
            ),
            (
                "2026-01-06\u{b}log acme 1h\n",
                vec![(1, 11, 1, "a control character (U+000B) in the text")],
            ),
            (
                "2026-01-06 log acme 1h x\u{7f}\n",
                vec![(1, 25, 1, "a control character (U+007F) in the text")],
            ),
            (
                "2026-01-06 log acme 1h x\u{85}\n",
                vec![(1, 25, 1, "a control character (U+0085) in the text")],
            ),
            (
                "2026-01-06 log acme 1h ab\u{2028}c\n",
                vec![(1, 26, 1, "a line separator (U+2028) in the text")],
            ),
            (
                "2026-01-06 log acme 1h\u{2029}\n",
                vec![(1, 23, 1, "a paragraph separator (U+2029) in the text")],
            ),
            (
                "2026-01-06 log acme 1h 日本\u{202e}x\r\n",
                vec![(
                    1,
                    26,
                    1,
                    "a bidirectional control character (U+202E) in the text",
                )],
            ),
            (
                "x\n2026-01-06 log acme 1h \u{2066}x\n",
                vec![
                    (1, 1, 1, "`x` is not a date"),
                    (
                        2,
                        24,
                        1,
                        "a bidirectional control character (U+2066) in the text",
                    ),
                ],
            ),
            (
                "<<<<<<< ours\n2026-01-06 log acme 1h\n||||||| base\n=======\r\n>>>>>>> theirs\n",
                vec![
                    (1, 1, 7, "unresolved merge conflict"),
                    (3, 1, 7, "unresolved merge conflict"),
                    (4, 1, 7, "unresolved merge conflict"),
                    (5, 1, 7, "unresolved merge conflict"),
                ],
            ),
        ];
        for (text, want) in cases {
            let got = errors(text);
            let got: Vec<_> = got
                .iter()
                .map(|(l, c, n, m)| (*l, *c, *n, m.as_str()))
                .collect();
            assert_eq!(&got, want, "{text:?}");
        }
        // Allowed: tab, CRLF, a CR before the LF of the last line, other non-ASCII text.
        for text in [
            "2026-01-06 log acme 1h\ta\tb\r\n2026-01-07 log acme 1h — €5 日本\r\n",
            "2026-01-06 log acme 1h \u{2027}\u{202f}\u{2065}\u{206a}\n",
            "<<<<<<<x\n",
        ] {
            let p = parse(text, FileId(0), unit());
            let msgs: Vec<_> = p.diagnostics.iter().map(|d| d.message.as_str()).collect();
            assert!(
                msgs.iter()
                    .all(|m| !m.contains("U+") && !m.contains("conflict")),
                "{text:?}: {msgs:?}"
            );
        }
        // A line with such a character gives no entry.
        assert!(
            parse(
                "2026-01-05 buy acme 10h\r2026-01-06 log acme 1h\n",
                FileId(0),
                unit()
            )
            .entries
            .is_empty()
        );
    }

    #[test]
    fn the_chunked_search_agrees_with_a_char_by_char_one() {
        let hidden = |c: char, at_end: bool| {
            (c.is_control() && c != '\t' && !(c == '\r' && at_end))
                || matches!(c, '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        };
        for line in [
            "abcdefghijklmnop\u{7}",
            "abcdefgh\r",
            "abcdefg\u{85}hij",
            "é\u{2028}abcdefgh",
            "abcdefghijklmnopqrst",
            "abcdefghijklmnopqrs\u{7f}",
            "日本語日本語日本語\u{2069}",
        ] {
            for lf in [false, true] {
                let want = line
                    .char_indices()
                    .find(|&(i, c)| hidden(c, lf && i + 1 == line.len()))
                    .map(|(i, _)| i);
                assert_eq!(forbidden_at(line.as_bytes(), lf), want, "{line:?} {lf}");
            }
        }
    }

    #[test]
    fn every_bad_word_is_reported_at_its_line_column_and_width() {
        let cases: &[(&str, usize, usize, usize, &str)] = &[
            (
                "2026-01-06 log acme 15 Fixed header alignment",
                1,
                21,
                2,
                "`15` is a number of credits, but `log` takes a duration",
            ),
            (
                "; c\r\n2026-01-06 log acme\r\n",
                2,
                20,
                0,
                "`log` needs a duration",
            ),
            (
                "2026-01-06 log café 15m",
                1,
                16,
                4,
                "`café` is not a client id",
            ),
            (
                "2026-01-06 log acme 1h Réunion @ 日本語",
                1,
                32,
                1,
                "`@` is only for `buy`, not `log`",
            ),
            (
                "2026-01-06 debit acme 2h Réunion quote:Q7",
                1,
                34,
                8,
                "`quote:` is only for `log`, not `debit`",
            ),
            (
                "2026-01-06 done acme quote:Q7\r\n",
                1,
                22,
                8,
                "`quote:` is only for `log`, not `done`",
            ),
            (
                "2026-01-06 estimate acme E1",
                1,
                28,
                0,
                "`estimate` needs a quantity or a task",
            ),
            (
                "2026-01-06 debit acme 1h café @ noon\r\n",
                1,
                31,
                1,
                "`@` is only for `buy`, not `debit`",
            ),
            (
                "2026-01-06 log acme 1h \"café ; x  \r\n",
                1,
                24,
                9,
                "the quoted text is not closed",
            ),
            (
                "2026-02-30 log acme 1h",
                1,
                1,
                10,
                "`2026-02-30` is not a day of the calendar",
            ),
            ("hello world", 1, 1, 5, "`hello` is not a date"),
            (
                "  2026-1-6 log acme 1h",
                1,
                3,
                8,
                "`2026-1-6` is not a date",
            ),
            (
                "2026-01-06",
                1,
                11,
                0,
                "an entry needs a verb after its date",
            ),
            ("2026-01-06 lgo acme 15m", 1, 12, 3, "unknown verb `lgo`"),
            ("2026-01-06 include x", 1, 12, 7, "unknown verb `include`"),
            ("2026-01-06 bill", 1, 16, 0, "`bill` needs a client"),
            (
                "2026-01-06 log Acme 1h",
                1,
                16,
                4,
                "`Acme` is not a client id",
            ),
            (
                "2026-01-06 log 15m 1h",
                1,
                16,
                3,
                "the client id `15m` reads as a quantity",
            ),
            (
                "2026-01-06 buy acme",
                1,
                20,
                0,
                "`buy` needs a quantity or a package",
            ),
            (
                "2026-01-06 buy acme 10h @",
                1,
                26,
                0,
                "`buy` needs a price after `@`",
            ),
            (
                "2026-01-06 buy acme 10h for",
                1,
                28,
                0,
                "`buy` needs a total after `for`",
            ),
            (
                "2026-01-06 buy acme 10h for 12a",
                1,
                29,
                3,
                "`12a` is not an amount of money",
            ),
            (
                "2026-01-06 buy acme 10h expires",
                1,
                32,
                0,
                "`buy` needs a date, a span or `never` after `expires`",
            ),
            (
                "2026-01-06 buy acme 10h expires soon",
                1,
                33,
                4,
                "`soon` is not a date, a span or `never`",
            ),
            (
                "2026-01-06 buy acme 10h expires 2026-02-30",
                1,
                33,
                10,
                "`2026-02-30` is not a day of the calendar",
            ),
            (
                "2026-01-06 buy acme 10h expires 90d expires:12mo",
                1,
                25,
                7,
                "`expires` is given twice",
            ),
            (
                "2026-01-06 buy acme 10h expires:soon",
                1,
                33,
                4,
                "`soon` is not a date, a span or `never`",
            ),
            (
                "2026-01-06 buy acme 0",
                1,
                21,
                1,
                "`0` is zero, but a quantity must be positive",
            ),
            (
                "2026-01-06 buy acme 10hh",
                1,
                21,
                4,
                "`10hh` is not a quantity",
            ),
            (
                "2026-01-06 buy acme 10h @ 100 for 1000",
                1,
                31,
                3,
                "a `buy` takes one price",
            ),
            ("2026-01-06 log acme", 1, 20, 0, "`log` needs a duration"),
            (
                "2026-01-06 log acme 10:00-09:00",
                1,
                21,
                11,
                "the clock range `10:00-09:00` ends before it starts",
            ),
            (
                "2026-01-06 log acme 0m",
                1,
                21,
                2,
                "`0m` is zero, but a quantity must be positive",
            ),
            (
                "2026-01-06 debit acme",
                1,
                22,
                0,
                "`debit` needs a quantity or a task",
            ),
            (
                "2026-01-06 debit acme -2h",
                1,
                23,
                3,
                "`-2h` is not a quantity",
            ),
            (
                "2026-01-06 quote acme",
                1,
                22,
                0,
                "`quote` needs a quote id",
            ),
            (
                "2026-01-06 quote acme Q7",
                1,
                25,
                0,
                "`quote` needs a quantity or a task",
            ),
            (
                "2026-01-06 quote acme \"Q 7\" 3h",
                1,
                23,
                5,
                "`\"Q 7\"` is not a quote id",
            ),
            (
                "2026-01-06 quote acme Q7 3h due:soon",
                1,
                33,
                4,
                "`soon` is not a date",
            ),
            (
                "2026-01-06 approve acme",
                1,
                24,
                0,
                "`approve` needs a quote id",
            ),
            (
                "2026-01-06 reject acme ; no id",
                1,
                23,
                0,
                "`reject` needs a quote id",
            ),
            ("2026-01-06 done acme", 1, 21, 0, "`done` needs a quote id"),
            (
                "2026-01-06 apply acme",
                1,
                22,
                0,
                "`apply` needs an amount of money",
            ),
            (
                "2026-01-06 apply acme 3h",
                1,
                23,
                2,
                "`3h` is not an amount of money",
            ),
            (
                "2026-01-06 apply acme $120 EUR",
                1,
                28,
                3,
                "`EUR` does not match the currency of `$120`",
            ),
            (
                "2026-01-06 refund acme",
                1,
                23,
                0,
                "`refund` needs a lot (its `ref:` or its date)",
            ),
            (
                "2026-01-06 refund acme 2026-13-01",
                1,
                24,
                10,
                "`2026-13-01` is not a day of the calendar",
            ),
            (
                "2026-01-06 refund acme INV-1 0",
                1,
                30,
                1,
                "`0` is zero, but a quantity must be positive",
            ),
            (
                "2026-01-06 adjust acme",
                1,
                23,
                0,
                "`adjust` needs a quantity such as `+1h` or `-30m`",
            ),
            (
                "2026-01-06 adjust acme +1h #fix",
                1,
                32,
                0,
                "`adjust` needs a description that says why",
            ),
            (
                "2026-01-06 adjust acme +x goodwill",
                1,
                24,
                2,
                "`x` is not a quantity",
            ),
            (
                "2026-01-06 plan acme",
                1,
                21,
                0,
                "`plan` needs a plan name or `none`",
            ),
            (
                "2026-01-06 plan acme Gold",
                1,
                22,
                4,
                "`Gold` is not a plan name",
            ),
            (
                "2026-01-06 assert acme",
                1,
                23,
                0,
                "`assert` needs a quantity",
            ),
            (
                "2026-01-06 assert acme 3x",
                1,
                24,
                2,
                "`3x` is not a quantity",
            ),
            (
                "2026-01-06 log acme 1h ref:",
                1,
                24,
                4,
                "`ref:` needs a value",
            ),
            (
                "2026-01-06 log acme 1h ref:a ref:b",
                1,
                30,
                5,
                "`ref:` is given twice",
            ),
            (
                "2026-01-06 log acme 1h expires:90d",
                1,
                24,
                11,
                "`expires:` is only for `buy`",
            ),
            (
                "2026-01-06 log acme 1h 日本語 #t due:2026-02-30",
                1,
                35,
                10,
                "`2026-02-30` is not a day of the calendar",
            ),
            ("include", 1, 8, 0, "`include` needs a path"),
            ("include \"\"", 1, 11, 0, "`include` needs a path"),
            (
                "include a b",
                1,
                11,
                1,
                "unexpected `b` after the include path",
            ),
        ];
        for &(text, line, col, len, message) in cases {
            assert_eq!(
                errors(text),
                [(line, col, len, message.to_string())],
                "{text:?}"
            );
        }
    }

    #[test]
    fn helps_suggest_the_fix() {
        let help = |text: &str| {
            parse(text, FileId(0), unit()).diagnostics[0]
                .help
                .clone()
                .unwrap()
        };
        assert_eq!(
            help("2026-01-06 log acme 15 x"),
            "write `15m` for 15 minutes"
        );
        assert_eq!(help("2026-01-06 lgo acme 15m"), "did you mean `log`?");
        assert_eq!(help("2026-01-06 LOG acme 15m"), "did you mean `log`?");
        assert_eq!(help("2026-01-06 aprove acme Q7"), "did you mean `approve`?");
        assert!(help("2026-01-06 frobnicate acme").starts_with("a verb is one of `buy`, `log`"));
        assert_eq!(
            help("2026-01-06 include x"),
            "`include` takes no date: write `include PATH` alone on its line"
        );
        assert_eq!(
            help("2026-01-06 quote acme"),
            "write `quote CLIENT ID QTY|TASK`, such as `quote acme Q7 3h`"
        );
        assert_eq!(
            help("2026-01-06 log acme 1h @ x"),
            "put the description in double quotes to keep an `@` in it"
        );
    }

    #[test]
    fn every_bad_line_is_reported_and_the_good_ones_kept() {
        let text = "2026-01-05 buy acme 10h\n2026-01-06 log acme 15\n\n2026-01-07 lgo acme 1h\n\
                    2026-01-08 log acme 1h ok\n2026-01-09 plan acme Gold\n";
        let p = parse(text, FileId(0), unit());
        let lines: Vec<usize> = errors(text).iter().map(|e| e.0).collect();
        assert_eq!(lines, [2, 4, 6]);
        assert_eq!(p.entries.len(), 2);
        assert_eq!(p.entries[1].seq, 1);
        assert_eq!(p.entries[1].description, "ok");
    }

    #[test]
    fn comments_blank_lines_bom_crlf_and_includes() {
        let text = "\u{feff}; a comment\r\n   # another\r\n\r\n\t\r\n2026-01-05 buy acme 10h ; bought\r\n\
                    include \"old year.credits\" ; kept\r\ninclude next.credits\r\n2026-01-06 log acme 1h #a;b x;y\r\n";
        let p = parse(text, FileId(3), unit());
        assert_eq!(p.diagnostics, []);
        assert_eq!(p.entries.len(), 2);
        assert_eq!(p.entries[0].description, "");
        assert_eq!(p.entries[1].tags, ["a;b"]);
        assert_eq!(p.entries[1].description, "x;y");
        let inc: Vec<(usize, &str)> = p.includes.iter().map(|i| (i.at, i.path.as_str())).collect();
        assert_eq!(inc, [(1, "old year.credits"), (1, "next.credits")]);
        let s = p.includes[0].span;
        assert_eq!(
            &text[s.start as usize..s.end as usize],
            "\"old year.credits\""
        );
        assert_eq!(s.file, FileId(3));
    }

    #[test]
    fn entry_spans_point_at_the_verb_and_the_client() {
        let text = "; x\n2026-01-06 log café-free 1h\n2026-01-06  log   acme 1h\n";
        let p = parse(text, FileId(0), unit());
        let e = &p.entries[0];
        assert_eq!(&text[e.span.start as usize..e.span.end as usize], "log");
        assert_eq!(
            &text[e.client_span.start as usize..e.client_span.end as usize],
            "acme"
        );
        assert_eq!(
            SourceFile::new("j".into(), text.into()).line_col(e.client_span.start),
            (3, 19)
        );
    }

    #[test]
    fn good_lines_read_as_the_entries_they_say() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        let meta = |key, v: &str| Meta {
            key,
            value: v.into(),
        };
        let cases: Vec<Case> = vec![
            (
                "2026-01-05 buy acme 10h @ 120 USD ref:INV-1041",
                Verb::Buy {
                    qty: Qty::Minutes(d(600)),
                    price: Some(Price::Each(usd(120))),
                    expires: None,
                },
                vec![],
                vec![meta(MetaKey::Ref, "INV-1041")],
                "",
            ),
            (
                "2026-01-05 buy acme five",
                Verb::Buy {
                    qty: Qty::Named("five".into()),
                    price: None,
                    expires: None,
                },
                vec![],
                vec![],
                "",
            ),
            (
                "2026-01-05 buy acme 5pack",
                Verb::Buy {
                    qty: Qty::Named("5pack".into()),
                    price: None,
                    expires: None,
                },
                vec![],
                vec![],
                "",
            ),
            (
                "2026-01-05 buy acme 10 for $1,000 expires 12mo Team pack",
                Verb::Buy {
                    qty: Qty::Minutes(d(600)),
                    price: Some(Price::Total(usd(1000))),
                    expires: Some(LineExpiry::Span(DateSpan::Months(12))),
                },
                vec![],
                vec![],
                "Team pack",
            ),
            (
                "2026-01-05 buy acme 2h Team expires never for 250 pack",
                Verb::Buy {
                    qty: Qty::Minutes(d(120)),
                    price: Some(Price::Total(Money {
                        amount: d(250),
                        currency: None,
                    })),
                    expires: Some(LineExpiry::Never),
                },
                vec![],
                vec![],
                "Team pack",
            ),
            (
                "2026-01-05 buy acme 10h @120 expires:2026-12-31",
                Verb::Buy {
                    qty: Qty::Minutes(d(600)),
                    price: Some(Price::Each(Money {
                        amount: d(120),
                        currency: None,
                    })),
                    expires: Some(LineExpiry::Date(date("2026-12-31"))),
                },
                vec![],
                vec![meta(MetaKey::Expires, "2026-12-31")],
                "",
            ),
            (
                "2026-01-06 log acme 09:15-10:40 Call",
                Verb::Log {
                    minutes: d(85),
                    clock: Some((t(9, 15), t(10, 40))),
                },
                vec![],
                vec![],
                "Call",
            ),
            (
                "2026-01-06 log acme 1.5h \"#not-a-tag ref:1 ; @\" #real",
                Verb::Log {
                    minutes: d(90),
                    clock: None,
                },
                vec!["real"],
                vec![],
                "#not-a-tag ref:1 ; @",
            ),
            (
                "2026-01-06 log acme 15m Fixed \"the  header\" now ; comment \"x",
                Verb::Log {
                    minutes: d(15),
                    clock: None,
                },
                vec![],
                vec![],
                "Fixed the  header now",
            ),
            (
                r#"2026-01-06 log acme 15m a;b x"y "say \"hi\" \\ok\x""#,
                Verb::Log {
                    minutes: d(15),
                    clock: None,
                },
                vec![],
                vec![],
                r#"a;b x"y say "hi" \ok\x"#,
            ),
            (
                "  2026-01-06\tlog acme 15m café  日本語 #dév",
                Verb::Log {
                    minutes: d(15),
                    clock: None,
                },
                vec!["dév"],
                vec![],
                "café 日本語",
            ),
            (
                "2026-01-06 log acme 1h for the team expires soon @john # https://x.example/a",
                Verb::Log {
                    minutes: d(60),
                    clock: None,
                },
                vec![],
                vec![],
                "for the team expires soon @john # https://x.example/a",
            ),
            (
                "2026-01-12 debit acme complex-plugin Install",
                Verb::Debit {
                    qty: Qty::Named("complex-plugin".into()),
                },
                vec![],
                vec![],
                "Install",
            ),
            (
                "2026-01-12 debit acme 3cr",
                Verb::Debit {
                    qty: Qty::Minutes(d(180)),
                },
                vec![],
                vec![],
                "",
            ),
            (
                "2026-01-20 quote acme Q7 3 due:2026-02-01 Custom landing page",
                Verb::Quote {
                    id: "Q7".into(),
                    qty: Qty::Minutes(d(180)),
                },
                vec![],
                vec![meta(MetaKey::Due, "2026-02-01")],
                "Custom landing page",
            ),
            (
                "2026-01-20 quote acme #big Q8 ref:R1 banner",
                Verb::Quote {
                    id: "Q8".into(),
                    qty: Qty::Named("banner".into()),
                },
                vec!["big"],
                vec![meta(MetaKey::Ref, "R1")],
                "",
            ),
            (
                "2026-01-20 estimate acme E1 2h30m due:2026-02-01 Shop migration",
                Verb::Estimate {
                    id: "E1".into(),
                    qty: Qty::Minutes(d(150)),
                },
                vec![],
                vec![meta(MetaKey::Due, "2026-02-01")],
                "Shop migration",
            ),
            (
                "2026-01-20 log acme 45m quote:E1 Migration",
                Verb::Log {
                    minutes: d(45),
                    clock: None,
                },
                vec![],
                vec![meta(MetaKey::Quote, "E1")],
                "Migration",
            ),
            (
                "2026-01-21 approve acme Q7",
                Verb::Approve { id: "Q7".into() },
                vec![],
                vec![],
                "",
            ),
            (
                "2026-01-21 reject acme Q7 too dear",
                Verb::Reject { id: "Q7".into() },
                vec![],
                vec![],
                "too dear",
            ),
            (
                "2026-02-01 done acme Q7",
                Verb::Done { id: "Q7".into() },
                vec![],
                vec![],
                "",
            ),
            (
                "2026-02-03 apply acme 240 USD project:redesign",
                Verb::Apply { amount: usd(240) },
                vec![],
                vec![meta(MetaKey::Project, "redesign")],
                "",
            ),
            (
                "2026-02-03 apply acme ¥8000 JPY usd",
                Verb::Apply {
                    amount: Money {
                        amount: d(8000),
                        currency: Currency::from_code("JPY"),
                    },
                },
                vec![],
                vec![],
                "usd",
            ),
            (
                "2026-03-01 refund acme 2026-001 2h Unused",
                Verb::Refund {
                    lot: LotRef::Ref("2026-001".into()),
                    qty: Some(d(120)),
                },
                vec![],
                vec![],
                "Unused",
            ),
            (
                "2026-03-01 refund acme 2026-01-05 Client left",
                Verb::Refund {
                    lot: LotRef::Date(date("2026-01-05")),
                    qty: None,
                },
                vec![],
                vec![],
                "Client left",
            ),
            (
                "2026-03-01 adjust acme -30m Double-logged",
                Verb::Adjust { minutes: d(-30) },
                vec![],
                vec![],
                "Double-logged",
            ),
            (
                "2026-03-01 adjust acme 2h goodwill",
                Verb::Adjust { minutes: d(120) },
                vec![],
                vec![],
                "goodwill",
            ),
            (
                "2026-03-01 adjust acme +0 \"\"",
                Verb::Adjust { minutes: d(0) },
                vec![],
                vec![],
                "",
            ),
            (
                "2026-03-01 plan acme none",
                Verb::Plan { plan: None },
                vec![],
                vec![],
                "",
            ),
            (
                "2026-03-01 plan acme concierge",
                Verb::Plan {
                    plan: Some("concierge".into()),
                },
                vec![],
                vec![],
                "",
            ),
            (
                "2026-03-01 bill acme ref:INV-2001 March overage",
                Verb::Bill,
                vec![],
                vec![meta(MetaKey::Ref, "INV-2001")],
                "March overage",
            ),
            (
                "2026-03-01 assert acme -30m",
                Verb::Assert { minutes: d(-30) },
                vec![],
                vec![],
                "",
            ),
            (
                "2026-03-01 assert acme 0",
                Verb::Assert { minutes: d(0) },
                vec![],
                vec![],
                "",
            ),
        ];
        for (line, verb, tags, meta, description) in cases {
            let e = one(line);
            assert_eq!(e.client, "acme", "{line}");
            assert_eq!(e.verb, verb, "{line}");
            assert_eq!(e.tags, tags, "{line}");
            assert_eq!(e.meta, meta, "{line}");
            assert_eq!(e.description, description, "{line}");
        }
    }

    #[test]
    fn without_descriptions_only_quotes_keep_theirs_and_a_break_stops_the_reading() {
        let text = "2026-01-06 log acme 15m Fixed header #dev\n\
                    2026-01-07 quote acme Q7 3 Landing page\n\
                    2026-01-08 adjust acme -30m double log\n\
                    2026-01-09 bill acme\n";
        let lean = ParseOptions {
            descriptions: false,
        };
        let mut seen = Vec::new();
        parse_each(text, FileId(0), unit(), lean, |item| {
            seen.push(item);
            if seen.len() == 3 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        let full = parse(text, FileId(0), unit()).entries;
        assert_eq!(seen.len(), 3, "a break stops the reading");
        for (item, want) in seen.iter().zip(&full) {
            let Item::Entry(e) = item else {
                panic!("{item:?}")
            };
            let mut want = want.clone();
            if !matches!(want.verb, Verb::Quote { .. } | Verb::Estimate { .. }) {
                want.description.clear();
            }
            assert_eq!(*e, want);
        }
        assert_eq!(full[1].description, "Landing page");
        // An `adjust` still needs its description, kept or not.
        let mut problems = Vec::new();
        parse_each(
            "2026-01-08 adjust acme -30m\n",
            FileId(0),
            unit(),
            lean,
            |item| {
                problems.push(item);
                ControlFlow::Continue(())
            },
        );
        assert!(matches!(&problems[..], [Item::Problem(_)]), "{problems:?}");
    }

    #[test]
    fn the_spec_example_parses_without_a_problem() {
        let text = "2026-01-05 buy acme 10h @ 120 USD ref:INV-1041\n\
                    2026-01-06 log acme 15m Fixed header alignment #dev\n\
                    2026-01-09 log acme 45m Plugin update #dev\n\
                    2026-01-12 debit acme complex-plugin Install and test SEO plugin\n\
                    2026-01-20 quote acme Q7 3 due:2026-02-01 Custom landing page\n\
                    2026-01-21 approve acme Q7\n\
                    2026-02-01 done acme Q7\n\
                    2026-02-03 apply acme 240 USD project:redesign\n\
                    2026-02-10 assert acme 3h\n";
        let p = parse(text, FileId(0), unit());
        assert_eq!(p.diagnostics, []);
        assert_eq!(p.entries.len(), 9);
        assert_eq!(
            p.entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
            (0..9).collect::<Vec<_>>()
        );
    }

    #[test]
    fn every_verb_word_reads_as_itself() {
        for v in VERBS {
            assert_eq!(VerbWord::of(v).map(VerbWord::word), Some(v));
        }
        assert_eq!(VerbWord::of("buys"), None);
    }

    fn soup() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            Just("2026-01-05".to_string()),
            Just("include".to_string()),
            prop::sample::select(VERBS.to_vec()).prop_map(str::to_string),
            prop::sample::select(vec![
                "acme",
                "15m",
                "3",
                "0",
                "-2h",
                "+1h",
                "@",
                "@12",
                "for",
                "expires",
                "never",
                "12mo",
                "$120",
                "USD",
                "ref:",
                "ref:x",
                "due:x",
                "expires:9d",
                "#",
                "#t",
                "\"",
                "\"a b\"",
                "\\\"",
                ";",
                ";c",
                "09:15-10:40",
                "10:00-09:00",
                "none",
                "Q7",
                "café",
                "日本語",
                "\r",
                "\n",
                "\t",
                " ",
                "  ",
                "\u{feff}",
                "2026-02-30",
            ])
            .prop_map(str::to_string),
            "\\PC{0,6}",
        ];
        prop::collection::vec(word, 0..14).prop_map(|ws| ws.join(" "))
    }

    /// A line shaped like an entry (so that the tokenizer may leave words out when
    /// descriptions are not kept), with words of every kind after the client.
    fn lean_line() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            4 => prop::sample::select(vec![
                "fix", "review", "team", "deploy", "patch", "email", "r", "q:", "#", "@",
                "ref:x", "ref:", "due:2026-01-05", "due:x", "expires:9d", "project:p", "task:t",
                "quote:Q1", "#dev", "#", "\"a b\"", "\"x", ";c", "15m", "Q7", "none", "café",
                "\t", "  ", "\r", "refx:1", "tag", "p", "dues",
            ])
            .prop_map(str::to_string),
            1 => "\\PC{0,4}",
        ];
        (
            prop::sample::select(vec!["2026-01-05", "2026-02-30", "x"]),
            prop::sample::select(VERBS.to_vec()),
            prop::sample::select(vec!["acme", "Acme", "15m"]),
            prop::sample::select(vec![
                "15m",
                "1h30m",
                "-30m",
                "+1h",
                "0",
                "Q7",
                "none",
                "plan-a",
                "#t",
                "ref:r",
                "@",
                "\"q\"",
                "x:",
                "",
                "09:15-10:40",
                "3",
            ]),
            prop::collection::vec(word, 0..6),
        )
            .prop_map(|(date, verb, client, arg, rest)| {
                format!("{date} {verb} {client} {arg} {}", rest.join(" "))
            })
    }

    #[test]
    fn a_line_of_single_spaces_and_no_quotes_is_found_regular() {
        let cases = [
            ("2016-01-11 log c033 3h12m migration patch #updates\n", true),
            ("2016-01-11  log c033 3h12m migration\r\n", true),
            ("2016-01-11 log c033 3h12m a b   ; comment\n", true),
            ("2016-01-11 bill c033", true),
            ("2016-01-11 log  c033 3h12m a\n", false),
            ("2016-01-11 log c033 3h12m\ta\n", false),
            ("2016-01-11 log c033 3h12m a  b\n", false),
            ("2016-01-11 log c033 3h12m \"a\"\n", false),
        ];
        for (text, want) in cases {
            for last_date in [None, Some(*b"2016-01-11")] {
                for lean in [false, true] {
                    let (mut toks, mut elided, mut regular) = (Vec::new(), Elided::default(), true);
                    let lean = lean.then_some(&mut elided);
                    let _ = tokenize(text, 0, FileId(0), &mut toks, last_date, lean, &mut regular);
                    assert_eq!(regular, want, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn the_canonical_text_is_the_words_after_the_date_joined_by_one_space() {
        let cases = [
            (
                "2026-01-06 log acme 15m Fixed it #dev",
                "log acme 15m Fixed it #dev",
            ),
            (
                "2026-01-06  log\tacme   15m  Fixed it ; a comment",
                "log acme 15m Fixed it",
            ),
            (
                "2026-01-06 log acme 15m Fixed it   \r\n",
                "log acme 15m Fixed it",
            ),
            (
                "2026-01-06 log acme 15m \"two  spaces\" x",
                "log acme 15m \"two  spaces\" x",
            ),
            // A quoted run is written back with `\"` and `\\` escaped, whatever followed it.
            (
                r#"2026-01-06 log acme 15m "a \"b\" \\ c"d"#,
                r#"log acme 15m "a \"b\" \\ cd""#,
            ),
            (r#"2026-01-06 log acme 15m "a\b""#, r#"log acme 15m "a\\b""#),
            (
                r#"2026-01-06 log acme 15m say"so" #x"#,
                r#"log acme 15m say"so" #x"#,
            ),
            // Nothing else is normalised.
            ("2026-01-06 log acme 60m #dev fix", "log acme 60m #dev fix"),
            ("2026-01-06 bill acme", "bill acme"),
        ];
        for (line, canon) in cases {
            for descriptions in [true, false] {
                let mut got = Vec::new();
                parse_each(
                    line,
                    FileId(0),
                    Decimal::from(60),
                    ParseOptions { descriptions },
                    |item| {
                        got.push(item);
                        ControlFlow::Continue(())
                    },
                );
                match &got[..] {
                    [Item::Entry(e)] => assert_eq!(e.canon, canon, "{line:?}"),
                    other => panic!("{line:?}: {other:?}"),
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn no_text_makes_the_parser_panic(s in "\\PC*|(.|\n|\r)*") {
            let p = parse(&s, FileId(0), unit());
            for x in p.diagnostics {
                let sp = x.span.unwrap();
                prop_assert!(s.get(sp.start as usize..sp.end as usize).is_some());
            }
        }

        #[test]
        fn forbidden_at_agrees_with_a_char_by_char_search(line in "(.|\r|[\u{0}-\u{1f}\u{7f}-\u{9f}\u{2028}-\u{202f}\u{2065}-\u{206a}]){0,30}", lf: bool) {
            let hidden = |c: char, at_end: bool| {
                (c.is_control() && c != '\t' && !(c == '\r' && at_end))
                    || matches!(c, '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            };
            let want = line
                .char_indices()
                .find(|&(i, c)| hidden(c, lf && i + 1 == line.len()))
                .map(|(i, _)| i);
            prop_assert_eq!(forbidden_at(line.as_bytes(), lf), want);
        }

        #[test]
        fn word_end_agrees_with_a_byte_by_byte_search(
            b in prop::collection::vec(prop::sample::select(vec![b'a', b' ', b'\n', b'\t', b'\r', 0x01, 0x1f, 0x20, 0x21, 0x80, 0xe9]), 0..40),
            from in 0usize..41,
        ) {
            let from = from.min(b.len());
            let want = (from..b.len()).find(|&i| ends_word(b[i])).unwrap_or(b.len());
            prop_assert_eq!(word_end(&b, from), want);
        }

        #[test]
        fn lean_reading_gives_the_full_reading_without_descriptions(lines in prop::collection::vec(lean_line(), 0..6)) {
            let s = lines.join("\n");
            let lean = ParseOptions { descriptions: false };
            let mut got = Vec::new();
            parse_each(&s, FileId(0), unit(), lean, |item| {
                got.push(item);
                ControlFlow::Continue(())
            });
            let mut want = Vec::new();
            parse_each(&s, FileId(0), unit(), ParseOptions::default(), |item| {
                want.push(item);
                ControlFlow::Continue(())
            });
            for item in &mut want {
                if let Item::Entry(e) = item
                    && !matches!(e.verb, Verb::Quote { .. } | Verb::Estimate { .. })
                {
                    e.description.clear();
                }
            }
            prop_assert_eq!(got, want, "{:?}", s);
        }

        /// The tokenizer's word that a line is regular (its canonical text is its own bytes)
        /// is right: the general path gives the same text.
        #[test]
        fn a_regular_line_is_its_own_canonical_text(
            words in prop::collection::vec(
                prop::sample::select(vec!["acme", "15m", "x", "#t", "\"a  b\"", "say\"so", "ref:R", "\"\\\"\""]),
                0..6,
            ),
            seps in prop::collection::vec(prop::sample::select(vec![" ", "  ", "\t", " \t"]), 8),
            tail in prop::sample::select(vec!["", " ", " ; c", "\t;c", "\r"]),
            descriptions in any::<bool>(),
        ) {
            let mut line = format!("2026-01-06{}log", seps[7]);
            for (w, sep) in words.iter().zip(&seps) {
                line.push_str(sep);
                line.push_str(w);
            }
            line.push_str(tail);
            let mut canon = None;
            parse_each(&line, FileId(0), Decimal::from(60), ParseOptions { descriptions }, |item| {
                if let Item::Entry(e) = item {
                    canon = Some(e.canon);
                }
                ControlFlow::Continue(())
            });
            if let Some(canon) = canon {
                let end = line.find(" ;").or_else(|| line.find("\t;")).unwrap_or(line.len());
                let raw = line[11..end].trim_end_matches([' ', '\t', '\r']).trim_start();
                prop_assert_eq!(canon, canonical(raw, false), "{:?}", line);
            }
        }

        #[test]
        fn the_last_date_cuts_the_same_words(
            date in prop::sample::select(vec!["2026-01-05", "2026-01-06", "2026-01-0"]),
            rest in prop::sample::select(vec!["", " log acme 1h", "\tx", "\n", "5 log", "\u{1}", "é", ";c", "\r\n"]),
            cached in prop::sample::select(vec!["2026-01-05", "2026-12-31"]),
        ) {
            let text = format!("{date}{rest}");
            let raw = <[u8; 10]>::try_from(cached.as_bytes()).ok();
            let words = |last_date| {
                let mut out = Vec::new();
                let (end, cut) = tokenize(&text, 0, FileId(0), &mut out, last_date, None, &mut true);
                (end, cut, out.iter().map(|t| (t.start, t.raw, t.kind)).collect::<Vec<_>>())
            };
            prop_assert_eq!(words(raw), words(None));
        }

        #[test]
        fn no_bytes_make_the_parser_panic(b in prop::collection::vec(any::<u8>(), 0..200)) {
            let s = String::from_utf8_lossy(&b);
            let _ = parse(&s, FileId(0), Minutes::from(7));
        }

        #[test]
        fn no_word_soup_makes_the_parser_panic(lines in prop::collection::vec(soup(), 0..6)) {
            let s = lines.join("\n");
            let p = parse(&s, FileId(0), unit());
            for x in p.diagnostics {
                let sp = x.span.unwrap();
                prop_assert!(s.get(sp.start as usize..sp.end as usize).is_some(), "{s:?} {x:?}");
            }
        }
    }
}
