//! Which problems stop a writing command (SPEC §7.19): a book with problems is not written
//! to, and the new line may not add a problem. Only errors block; warnings never do.
//!
//! Clients never touch each other's lots, so the book as it is differs from the book with
//! the line only for the line's client: the other clients' problems are those of the replay
//! with the line, and the line's client's are those of its own entries replayed without it.

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use std::collections::HashSet;

/// What a writing command knows of the book once it has read and replayed it with the new
/// line appended.
#[derive(Debug, Clone, Copy)]
pub struct WithLine<'a> {
    /// The problems of reading the book with the line (bad lines, missing journals, ...).
    pub read: &'a [Diagnostic],
    /// The problems of replaying the book with the line.
    pub replay: &'a [Diagnostic],
    /// The spans (entry and client) of every entry of the line's client, the line's included:
    /// a replay problem at one of them is that client's.
    pub client_spans: &'a HashSet<Span>,
    /// The problems of the line's client's entries replayed without the line.
    pub client_before: &'a [Diagnostic],
}

/// Whether the line may be written.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Nothing blocks it.
    Write,
    /// The book as it is has these errors: fix them before writing to it.
    BookHasProblems(Vec<Diagnostic>),
    /// The line would add these errors (the book as it is has none).
    LineAddsProblems(Vec<Diagnostic>),
}

/// Whether the line may be written: the book's own errors first (every read problem, the
/// other clients' replay problems, the line's client's problems without the line), then the
/// errors of the replay with the line.
#[must_use]
pub fn verdict(book: &WithLine<'_>) -> Verdict {
    let others = book
        .replay
        .iter()
        .filter(|d| !d.span.is_some_and(|s| book.client_spans.contains(&s)));
    let before: Vec<Diagnostic> = book
        .read
        .iter()
        .chain(others)
        .chain(book.client_before)
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    if !before.is_empty() {
        return Verdict::BookHasProblems(before);
    }
    let added: Vec<Diagnostic> = book
        .replay
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    if added.is_empty() {
        Verdict::Write
    } else {
        Verdict::LineAddsProblems(added)
    }
}

/// The problems of reading a book that should stop a writing command: all of them but the
/// missing write target's (`missing_target`: the span of the first `journals` entry when that
/// file does not exist yet), which the command is about to create.
pub fn read_blockers(
    problems: &[Diagnostic],
    missing_target: Option<Span>,
) -> impl Iterator<Item = &Diagnostic> {
    problems
        .iter()
        .filter(move |d| missing_target.is_none() || d.span != missing_target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn at(start: usize) -> Span {
        Span::new(FileId(1), start, start + 1)
    }

    fn error(start: usize) -> Diagnostic {
        Diagnostic::error(at(start), format!("error at {start}"))
    }

    fn warning(start: usize) -> Diagnostic {
        Diagnostic {
            severity: crate::diagnostic::Severity::Warning,
            ..error(start)
        }
    }

    fn starts(ds: &[Diagnostic]) -> Vec<usize> {
        ds.iter().map(|d| d.span.unwrap().start as usize).collect()
    }

    #[test]
    fn a_clean_book_and_a_clean_line_are_written_whatever_the_warnings() {
        let mine = HashSet::from([at(10)]);
        let book = WithLine {
            read: &[warning(1)],
            replay: &[warning(10), warning(20)],
            client_spans: &mine,
            client_before: &[warning(10)],
        };
        assert_eq!(verdict(&book), Verdict::Write);
    }

    #[test]
    fn any_error_of_the_book_as_it_is_refuses_the_write() {
        let mine = HashSet::from([at(10)]);
        // A bad line, another client's error, this client's error without the line.
        for (read, replay, before, want) in [
            (vec![error(1)], vec![], vec![], 1),
            (vec![], vec![error(20)], vec![], 20),
            (vec![], vec![], vec![error(10)], 10),
        ] {
            let book = WithLine {
                read: &read,
                replay: &replay,
                client_spans: &mine,
                client_before: &before,
            };
            match verdict(&book) {
                Verdict::BookHasProblems(ds) => assert_eq!(starts(&ds), [want]),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn an_error_only_with_the_line_is_the_line_s() {
        // This client's entries have an error with the line and none without it.
        let mine = HashSet::from([at(10), at(30)]);
        let book = WithLine {
            read: &[],
            replay: &[error(30), warning(20)],
            client_spans: &mine,
            client_before: &[],
        };
        match verdict(&book) {
            Verdict::LineAddsProblems(ds) => assert_eq!(starts(&ds), [30]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_missing_write_target_does_not_block_but_other_read_problems_do() {
        let problems = [error(1), error(5)];
        let blocking: Vec<&Diagnostic> = read_blockers(&problems, Some(at(1))).collect();
        assert_eq!(blocking, [&problems[1]]);
        assert_eq!(read_blockers(&problems, None).count(), 2);
    }
}
