//! Batch replay: every entry of the book at once, grouped by client, then each client's
//! dates in the SPEC's order (see [`super::day`]).

use crate::diagnostic::Diagnostic;
use crate::engine::partition::Fnv;
use crate::engine::run::Run;
use crate::engine::{Replay, ReplayOptions, invariant};
use crate::model::{Book, Entry, Verb};
use crate::source::Span;
use chrono::NaiveDate;
use compact_str::CompactString;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// Replay `entries` (any order) against `book`, through `as_of`.
///
/// With `as_of`, entries dated after it are left out (and counted), and expiries and grants
/// are processed through it. With `None`, everything is replayed, through the last entry's
/// date (what `check` and the validation of a new line do). Keeps every client's history
/// (`events`); [`replay_with`] can leave it out.
#[must_use]
pub fn replay(book: &Book, entries: &[Entry], as_of: Option<NaiveDate>) -> Replay {
    replay_with(book, entries, as_of, ReplayOptions::default())
}

/// [`replay`], with options: `events: false` builds no history (and no details),
/// for the commands that show only the state (`balance`, `check`). Totals, quotes, problems
/// and open lots are the same either way; without a history, closed grants (lapsed or used
/// up: no time, no money, no event to point at them) leave the list of lots once they are
/// half of it, so that a plan replayed over centuries holds its open grants only.
#[must_use]
pub fn replay_with(
    book: &Book,
    entries: &[Entry],
    as_of: Option<NaiveDate>,
    opts: ReplayOptions,
) -> Replay {
    replay_grouped(book, entries, as_of, opts, |last| as_of.or(last))
}

/// [`replay_with`], each client's calendar processed through `end` rather than through
/// `as_of` or the last entry of `entries`: the clients a [`Replayer`](super::Replayer) set
/// aside, replayed from their own entries through the day its other clients were finished
/// through ([`Replayer::end`](super::Replayer::end)), are what a replay of the whole book
/// makes of them.
#[must_use]
pub fn replay_through(
    book: &Book,
    entries: &[Entry],
    as_of: Option<NaiveDate>,
    end: Option<NaiveDate>,
    opts: ReplayOptions,
) -> Replay {
    replay_grouped(book, entries, as_of, opts, |_| end)
}

/// The batch replay, through the day `end` makes of the last entry's date.
fn replay_grouped(
    book: &Book,
    entries: &[Entry],
    as_of: Option<NaiveDate>,
    opts: ReplayOptions,
    end: impl FnOnce(Option<NaiveDate>) -> Option<NaiveDate>,
) -> Replay {
    let mut out = Replay {
        as_of,
        ..Replay::default()
    };
    // Group the entries by client with a counting sort over one flat list: no map lookup by
    // string comparison and no per-client vector growing entry by entry.
    let ids: Vec<&str> = book.clients.keys().map(String::as_str).collect();
    let index: HashMap<&str, u32, BuildHasherDefault<Fnv>> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i as u32))
        .collect();
    let mut which: Vec<u32> = Vec::with_capacity(entries.len());
    let mut counts = vec![0usize; ids.len() + 1];
    let mut last = None;
    let mut cached: Option<(&str, u32)> = None;
    for e in entries {
        if as_of.is_some_and(|d| e.date > d) {
            out.later_entries += 1;
            which.push(u32::MAX);
            continue;
        }
        last = last.max(Some(e.date));
        let found = match cached {
            Some((id, i)) if id == e.client => Some(i),
            _ => index.get(e.client.as_str()).copied(),
        };
        match found {
            Some(i) => {
                cached = Some((e.client.as_str(), i));
                counts[i as usize + 1] += 1;
                which.push(i);
            }
            None => {
                out.problems.push(unknown_client(book, e));
                which.push(u32::MAX);
            }
        }
    }
    for i in 1..counts.len() {
        counts[i] += counts[i - 1];
    }
    let mut fill = counts.clone();
    let mut flat: Vec<&Entry> = vec![entries.first().unwrap_or(&PLACEHOLDER); counts[ids.len()]];
    for (e, &w) in entries.iter().zip(&which) {
        if w != u32::MAX {
            let slot = &mut fill[w as usize];
            flat[*slot] = e;
            *slot += 1;
        }
    }
    drop(which);
    let end = end(last);
    for (ci, id) in ids.iter().enumerate() {
        let list = &mut flat[counts[ci]..counts[ci + 1]];
        // The SPEC's order: by date, then within a date by class and canonical text (then
        // place, so that of two identical lines the same one is reported), never by read
        // order. Journals are mostly in date order already: checking costs less than sorting,
        // and each date's few entries are sorted on their own.
        if !list.is_sorted_by_key(|e| e.date) {
            list.sort_by_key(|e| e.date);
        }
        let Some(client) = book.clients.get(*id) else {
            continue;
        };
        let mut run = Run::new(book, client, opts);
        for group in list.chunk_by_mut(|a, b| a.date == b.date) {
            if !group.is_sorted_by(|a, b| a.run_order_then_place(b) != Ordering::Greater) {
                group.sort_unstable_by(|a, b| a.run_order_then_place(b));
            }
            run.date(group);
        }
        if let Some(end) = end {
            run.catch_up(end, true);
        }
        out.problems.append(&mut run.problems);
        let mut state = run.state;
        state.quotes = run.quotes.into_iter().collect();
        debug_assert_eq!(
            invariant::check(&state),
            Ok(()),
            "invariant broken for `{id}`"
        );
        out.clients.insert((*id).to_string(), state);
    }
    crate::diagnostic::sort(&mut out.problems);
    out
}

/// Fills the grouped list before the entries are placed; never read.
static PLACEHOLDER: Entry = Entry {
    date: NaiveDate::MIN,
    seq: 0,
    span: Span {
        file: crate::source::FileId(0),
        start: 0,
        end: 0,
    },
    client_span: Span {
        file: crate::source::FileId(0),
        start: 0,
        end: 0,
    },
    client: CompactString::const_new(""),
    verb: Verb::Bill,
    tags: Vec::new(),
    meta: Vec::new(),
    description: String::new(),
    canon: crate::model::Canon::EMPTY,
};

pub(super) fn unknown_client(book: &Book, e: &Entry) -> Diagnostic {
    let d = Diagnostic::error(e.client_span, format!("unknown client `{}`", e.client));
    match crate::suggest::nearest(&e.client, book.clients.keys().map(String::as_str)) {
        Some(k) => d.with_help(crate::suggest::did_you_mean(k)),
        None if book.clients.is_empty() => {
            d.with_help("add a `[clients.ID]` table to credits.toml")
        }
        None => d.with_help(format!(
            "the book's clients are {}; add `[clients.{}]` to credits.toml for a new one",
            book.clients
                .keys()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", "),
            e.client
        )),
    }
}
