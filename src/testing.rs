//! Test helpers: engine tests are written as journal text (`#[cfg(test)]` only).

use crate::engine::{self, ClientState, Replay};
use crate::model::{Book, Entry};
use crate::source::{FileId, SourceMap};
use crate::syntax;
use rust_decimal::Decimal;

/// Parse a book, panicking with the rendered problems if it is bad. Without `[book]
/// currency`, it bills in USD.
pub fn book(toml: &str) -> Book {
    let mut map = SourceMap::default();
    let id = map.add("credits.toml".into(), toml.into());
    match syntax::book::parse_without_currency(toml, id) {
        Ok(b) => b,
        Err(problems) => panic!("{}", render(&problems, &map)),
    }
}

fn render(problems: &[crate::diagnostic::Diagnostic], map: &SourceMap) -> String {
    problems
        .iter()
        .map(|d| crate::diagnostic::render(d, map, false))
        .collect()
}

/// Parse journal text, panicking on any syntax problem.
pub fn entries(book: &Book, journal: &str) -> Vec<Entry> {
    let mut map = SourceMap::default();
    let _ = map.add("credits.toml".into(), String::new());
    let text = unindent(journal);
    let id = map.add("journal.credits".into(), text.clone());
    let parsed = syntax::journal::parse(&text, id, book.unit_minutes);
    assert!(
        parsed.diagnostics.is_empty(),
        "{}",
        render(&parsed.diagnostics, &map)
    );
    parsed.entries
}

/// `consumer` given `entries` as [`crate::load::load`] would give them read in `parts` parts
/// (each part's taker fed its clients' entries in read order, all on this thread).
pub fn take_in_parts<C: crate::load::Consume>(
    consumer: &mut C,
    book: &Book,
    entries: &[Entry],
    parts: usize,
) -> Option<C::Output> {
    consumer.take(book, parts, &mut |route, takers| {
        for e in entries {
            let k = route(&e.client).min(takers.len() - 1);
            if takers[k](e.clone()).is_break() {
                break;
            }
        }
        true
    })
}

/// Lines recorded late: each `(from, to)` takes a line out and writes it again at a place
/// drawn among the lines (further down or up: a journal in date order then has lines out of
/// it).
pub(crate) fn record_late(
    lines: &mut Vec<String>,
    moves: &[(proptest::sample::Index, proptest::sample::Index)],
) {
    for (from, to) in moves {
        if lines.is_empty() {
            return;
        }
        let line = lines.remove(from.index(lines.len()));
        let at = to.index(lines.len() + 1);
        lines.insert(at, line);
    }
}

/// A folded reading of `entries` in `parts` parts by the consumer `make(None)` makes, read
/// again by `make(Some(them))` when it set clients aside for lines recorded late, as
/// `Context::read_folded` does: what it gathered, or `None` when the entries are out of date
/// order otherwise; `report` makes the report of it. The second reading, with those
/// clients replayed apart as it reads, waiting as long as their lines came late, never sets
/// them aside again (the same entries in the same order), and its report is the one of a
/// reading with their entries, replayed whole.
pub(crate) fn folded_in_parts<C, T, R>(
    make: impl Fn(Option<crate::cli::dated::LateClients>) -> C,
    (book, entries, parts): (&Book, &[Entry], usize),
    report: impl Fn(T) -> R,
) -> Option<R>
where
    C: crate::load::Consume<Output = crate::cli::dated::Gathered<T>>,
    R: PartialEq + std::fmt::Debug,
{
    use crate::cli::dated::{Gathered, LateClients};
    let mut got = take_in_parts(&mut make(None), book, entries, parts)?;
    if let Gathered::Late(clients) = got {
        let waiting = LateClients {
            clients: clients.clone(),
            entries: None,
        };
        got = take_in_parts(&mut make(Some(waiting)), book, entries, parts)?;
        // Unless more than 512 lines of a client wait, as none does here.
        assert!(
            !matches!(got, Gathered::Late(_)),
            "a client set aside again while waiting"
        );
        let theirs = (entries.iter())
            .filter(|e| clients.iter().any(|(c, _)| *c == e.client))
            .cloned()
            .collect();
        let whole = LateClients {
            clients,
            entries: Some(theirs),
        };
        let whole = take_in_parts(&mut make(Some(whole)), book, entries, parts);
        let got = match (got, whole) {
            (Gathered::Read(_, t), Some(Gathered::Read(_, w))) => {
                let got = report(t);
                assert_eq!(got, report(w), "replayed apart and replayed whole");
                Some(got)
            }
            (Gathered::OutOfOrder, Some(Gathered::OutOfOrder)) => None,
            _ => panic!("replayed apart and replayed whole, read differently"),
        };
        return got;
    }
    match got {
        Gathered::Read(_, t) => Some(report(t)),
        Gathered::OutOfOrder | Gathered::Late(_) => None,
    }
}

/// Replay journal text against a book as of `as_of` (`""`: everything), checking the
/// invariant for every client.
pub fn replay_str(book_toml: &str, journal: &str, as_of: &str) -> (Book, Replay) {
    let book = book(book_toml);
    let entries = entries(&book, journal);
    let as_of = if as_of.is_empty() {
        None
    } else {
        Some(as_of.parse().expect("as_of date"))
    };
    let replay = engine::replay(&book, &entries, as_of);
    for (id, c) in &replay.clients {
        if let Err(e) = engine::invariant::check(c) {
            panic!("invariant broken for `{id}`: {e}");
        }
        check_draws(id, c);
    }
    (book, replay)
}

/// Every lot's draws add up to what left it, in minutes and money, and point at real events.
fn check_draws(id: &str, c: &ClientState) {
    for (i, lot) in c.lots.iter().enumerate() {
        let draws = c.draws.iter().filter(|d| d.lot == i);
        let (m, v) = draws.fold((Decimal::ZERO, Decimal::ZERO), |(m, v), d| {
            (m + d.minutes, v + d.money)
        });
        assert_eq!(
            lot.minutes - m,
            lot.remaining.dec(),
            "draws of lot {i} of `{id}`"
        );
        assert_eq!(
            lot.paid - v,
            lot.value.dec(),
            "money drawn from lot {i} of `{id}`"
        );
    }
    assert!(c.draws.iter().all(|d| d.event < c.events.len()));
}

/// The problems of a replay, rendered against the journal text, one per line (`line:col: message`).
pub fn problems(journal: &str, replay: &Replay) -> Vec<String> {
    let text = unindent(journal);
    let mut map = SourceMap::default();
    let _ = map.add("credits.toml".into(), String::new());
    let _ = map.add("journal.credits".into(), text);
    replay
        .problems
        .iter()
        .map(|d| match d.span {
            Some(s) if s.file == FileId(1) => {
                let (l, c) = map.line_col(s);
                format!("{l}:{c}: {}", d.message)
            }
            _ => d.message.clone(),
        })
        .collect()
}

/// A client's state, panicking if absent.
pub fn client<'r>(replay: &'r Replay, id: &str) -> &'r ClientState {
    replay
        .clients
        .get(id)
        .unwrap_or_else(|| panic!("no client `{id}`"))
}

/// `n` as a Decimal.
pub fn dec(n: i64) -> Decimal {
    Decimal::from(n)
}

/// A decimal from text, such as `"600.00"`.
pub fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

/// Remove the common leading indentation and a leading newline.
pub fn unindent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    text.lines()
        .map(|l| {
            if l.len() >= indent {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .fold(String::new(), |mut acc, l| {
            acc.push_str(l);
            acc.push('\n');
            acc
        })
}
