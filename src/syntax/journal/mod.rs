//! One journal file's text → entries (SPEC §3 and §7.17). Start here: [`parse`] and
//! [`parse_each`] run the reading loop below, one line at a time, through these rooms:
//!
//! - `checks.rs`: the character rules of a line (CR, control characters, conflict markers);
//! - `tokenize.rs`: the line's words (quotes, comments, tags and metadata), one pass over its
//!   bytes, borrowing the text;
//! - `line.rs`: the words → an [`Entry`] (date, verb, client, tags, metadata, description);
//! - `verbs.rs`: each verb's arguments, read through [`crate::syntax::value`];
//! - `tests.rs`: their tests, as tables of exact errors and property tests.
//!
//! Every bad line becomes one [`Diagnostic`] and reading goes on with the next line. Only an
//! entry's own fields (client, tags, metadata, description) are allocated.
//!
//! Pure: imports `source`, `diagnostic`, `model`, `suggest` and `syntax::value`; never the
//! file system.

mod checks;
mod line;
mod tokenize;
mod verbs;

#[cfg(test)]
mod tests;

pub use checks::{forbidden_at, forbidden_name, may_hold_forbidden};
pub(crate) use tokenize::{is_sep, word_end};
pub use verbs::is_name;
pub(crate) use verbs::looks_numeric;

use super::value;
use crate::diagnostic::Diagnostic;
use crate::model::{Entry, Minutes};
use crate::source::{FileId, Span};
use checks::line_problem;
use line::{Line, Scratch};
use std::cell::Cell;
use std::ops::ControlFlow;
use tokenize::{Elided, Lean, Tok, tokenize};
use verbs::{HEAD, only_counts_the_rest};

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
    parse_lines::<false>(text, file, unit_minutes, opts, false, |_| None, sink);
}

/// [`parse_each`] of only some lines: `skip` sees the text from the start of every line (to
/// the end of `text`), in order, before the line is read, and says `Some(len)` to skip the
/// line unread (`len`: its length, up to its `\n` or the end), `None` to read it. Several
/// threads can share a journal this way, each reading its own lines. `plain`: the caller
/// found that `text` holds no character a journal may not ([`may_hold_forbidden`] is false),
/// so the lines' characters are not looked at again.
pub fn parse_each_where(
    text: &str,
    file: FileId,
    unit_minutes: Minutes,
    opts: ParseOptions,
    plain: bool,
    skip: impl FnMut(&str) -> Option<usize>,
    sink: impl FnMut(Item) -> ControlFlow<()>,
) {
    parse_lines::<true>(text, file, unit_minutes, opts, plain, skip, sink);
}

/// The reading loop; `FILTER` is false when every line is kept, which then costs nothing.
fn parse_lines<const FILTER: bool>(
    text: &str,
    file: FileId,
    unit_minutes: Minutes,
    opts: ParseOptions,
    plain: bool,
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
        // With descriptions not kept, the words after the first few are only counted for a
        // verb that takes at most one argument (the verb's rule, read in `verbs`).
        let mut verb = None;
        let lean = (!opts.descriptions).then_some(Lean {
            head: HEAD,
            rest_counted: |head: &[Tok<'_>]| {
                verb = only_counts_the_rest(head);
                verb.is_some()
            },
            elided: &mut elided,
        });
        let (end, cut) = tokenize(
            text,
            start,
            file,
            &mut toks,
            last_date.get().map(|(raw, _)| raw),
            lean,
            &mut regular,
        );
        let read = match line_problem(text, start, end, file, plain) {
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
                verb,
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

/// What a line gave: the item is handed to the sink as soon as it is built (an entry is large:
/// built in place, not moved through a result), with the sink's answer.
pub(super) enum Read {
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
