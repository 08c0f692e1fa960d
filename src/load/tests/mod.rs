//! The loader's tests: every reader against the others, on real files in temporary folders.

use super::files::reason;
use super::*;
use crate::diagnostic::Diagnostic;
use crate::model::Verb;
use crate::source::Span;
use crate::syntax::journal::Include;
use chrono::NaiveDate;
use std::fs;

/// A stand-in for the journal parser: `include PATH` lines are includes, `!…` lines are
/// problems, any other non-blank line is an entry whose client is the line's text.
fn fake_parse(
    text: &str,
    file: FileId,
    _: Minutes,
    _: ParseOptions,
    sink: &mut dyn FnMut(Item) -> ControlFlow<()>,
) {
    let mut entries = 0;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let word = line.trim();
        let span = Span::new(file, start, start + word.len());
        if let Some(path) = word.strip_prefix("include ") {
            let at = start + "include ".len();
            let flow = sink(Item::Include(Include {
                at: entries,
                path: path.to_owned(),
                span: Span::new(file, at, at + path.len()),
            }));
            if flow.is_break() {
                return;
            }
        } else if word.starts_with('!') {
            let _ = sink(Item::Problem(Diagnostic::error(span, "bad line")));
        } else if !word.is_empty() {
            entries += 1;
            let flow = sink(Item::Entry(Entry {
                date: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                seq: 99,
                span,
                client_span: span,
                client: word.into(),
                verb: Verb::Bill,
                tags: Vec::new(),
                meta: Vec::new(),
                description: String::new(),
                canon: word.into(),
            }));
            if flow.is_break() {
                return;
            }
        }
        start += line.len();
    }
}

/// A temporary folder holding `files` (`path`, `text`).
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
    dir
}

/// Read the book once with one reader (the batch reader when `chunked` is `None`), as
/// [`load`]'s strategies do, without its fallback chain.
#[allow(clippy::too_many_arguments)]
fn load_core<T>(
    book: &Path,
    cwd: &Path,
    parse: ParseFn,
    addition: Option<&str>,
    opts: ParseOptions,
    chunked: Option<usize>,
    known: Option<&Loaded>,
    consume: impl FnOnce(&Book, &mut ReadInto<'_>) -> T,
) -> Result<(Loaded, T), LoadError> {
    let request = Request {
        book,
        cwd,
        addition,
        strategy: Strategy::Batch,
        opts,
        known,
    };
    read_once(&request, parse, chunked, consume).map(|(l, t, _)| (l, t))
}

/// Every entry kept, read by `parse`, with `addition` after the write target.
fn load_with(
    book: &Path,
    cwd: &Path,
    parse: ParseFn,
    addition: Option<&str>,
) -> Result<Loaded, LoadError> {
    let request = Request {
        addition,
        ..Request::new(book, cwd)
    };
    load_using(&request, Entries, parse, CHUNK).map(|(l, ())| l)
}

fn load(book: &Path, cwd: &Path) -> Result<Loaded, LoadError> {
    load_with(book, cwd, parse_journal, None)
}

fn load_appending(book: &Path, cwd: &Path, addition: &str) -> Result<Loaded, LoadError> {
    load_with(book, cwd, parse_journal, Some(addition))
}

fn load_fake(dir: &Path) -> Loaded {
    load_with(&dir.join(BOOK_FILE), dir, fake_parse, None).unwrap()
}

fn clients(l: &Loaded) -> Vec<&str> {
    l.entries.iter().map(|e| e.client.as_str()).collect()
}

fn names(l: &Loaded) -> Vec<&str> {
    l.sources.files.iter().map(|f| f.name.as_str()).collect()
}

/// Every problem as `file:line:col: message`.
fn problems(l: &Loaded) -> Vec<String> {
    let sources = l.full_sources();
    l.problems
        .iter()
        .map(|d| {
            let s = d.span.unwrap();
            let (line, col) = sources.line_col(s);
            format!("{}:{line}:{col}: {}", sources.file(s.file).name, d.message)
        })
        .collect()
}

/// Every problem of the book at `dir`, read whole and in chunks.
fn both_ways(dir: &Path) -> [(usize, Vec<String>); 2] {
    let whole = load_fake(dir);
    let (chunked, n) = load_core(
        &dir.join(BOOK_FILE),
        dir,
        fake_parse,
        None,
        ParseOptions::default(),
        Some(CHUNK),
        None,
        |_, read| {
            let mut n = 0;
            read(&mut To::Each(&mut |_| {
                n += 1;
                ControlFlow::Continue(())
            }));
            n
        },
    )
    .unwrap();
    [
        (whole.entries.len(), problems(&whole)),
        (n, problems(&chunked)),
    ]
}

mod files;
mod find;
mod includes;
mod parts;

// The tests that call the loader's own `load` as `super::load` stay here: from this module
// that path names the loader; from a topic file it would name the `load` helper above.

#[test]
fn a_book_read_before_is_reused_only_while_its_text_is_the_same() {
    let dir = tree(&[
        (BOOK_FILE, "[book]\nunit_minutes = 60\ncurrency = \"USD\"\n"),
        ("journal.credits", "2026-01-05 buy acme 10h\n"),
    ]);
    let book = dir.path().join(BOOK_FILE);
    let read = |known: Option<&Loaded>| {
        let request = Request {
            strategy: Strategy::Parts(2),
            known,
            ..Request::new(&book, dir.path())
        };
        super::load(&request, BookOnly).unwrap().0
    };
    let mut before = read(None);
    assert_eq!(before.book.unit_minutes, Minutes::from(60));
    // A stand-in for the parsed book: reused as it is while the text has not changed...
    before.book.name = "reused".into();
    assert_eq!(read(Some(&before)).book.name, "reused");
    // ...and parsed again once it has.
    std::fs::write(&book, "[book]\nunit_minutes = 30\ncurrency = \"USD\"\n").unwrap();
    let after = read(Some(&before));
    assert_eq!(after.book.unit_minutes, Minutes::from(30));
    assert_ne!(after.book.name, "reused");
}

/// A consumer that records how [`load`] called it: the `parts` of every [`Consume::take`]
/// (0 for [`Consume::whole`]), and the clients it was given, in read order. With `give_up`,
/// every take gives up.
struct Recorder {
    calls: Vec<usize>,
    give_up: bool,
}

impl Consume for Recorder {
    type Output = (Vec<usize>, Vec<String>);

    fn take(
        &mut self,
        _: &Book,
        parts: usize,
        read: &mut ReadAll<'_>,
    ) -> Option<(Vec<usize>, Vec<String>)> {
        self.calls.push(parts);
        let seen = std::sync::Mutex::new(Vec::new());
        let mut takers: Vec<_> = (0..parts)
            .map(|_| {
                let seen = &seen;
                move |e: Entry| {
                    seen.lock().unwrap().push(e);
                    ControlFlow::Continue(())
                }
            })
            .collect();
        let mut refs: Vec<&mut Taker<'_>> =
            takers.iter_mut().map(|t| t as &mut Taker<'_>).collect();
        let whole = read(&|c: &str| c.len() % parts, &mut refs);
        drop(refs);
        drop(takers);
        let mut seen = seen.into_inner().unwrap();
        seen.sort_by_key(|e| e.seq);
        let clients = seen.iter().map(|e| e.client.to_string()).collect();
        (whole && !self.give_up).then(|| (self.calls.clone(), clients))
    }

    fn whole(&mut self, _: &Book, entries: &[Entry]) -> (Vec<usize>, Vec<String>) {
        self.calls.push(0);
        let clients = entries.iter().map(|e| e.client.to_string()).collect();
        (self.calls.clone(), clients)
    }
}

/// How `load` read the book at `dir` starting with `strategy`: the recorder's calls, the
/// clients in read order, and the problems.
fn read_by(
    dir: &Path,
    strategy: Strategy,
    give_up: bool,
) -> (Vec<usize>, Vec<String>, Vec<String>) {
    let book = dir.join(BOOK_FILE);
    let request = Request {
        strategy,
        ..Request::new(&book, dir)
    };
    let recorder = Recorder {
        calls: Vec::new(),
        give_up,
    };
    let (loaded, (calls, clients)) = super::load(&request, recorder).unwrap();
    (calls, clients, problems(&loaded))
}

#[test]
fn the_fallback_chain_goes_parts_then_stream_then_batch_with_the_same_entries() {
    let plain = tree(&[
        (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
        (
            "journal.credits",
            "2026-01-05 log acme 1h\n2026-01-06 log be 15m\n2026-01-07 log acme 30m\nbad\n",
        ),
    ]);
    let (calls, want, want_problems) = read_by(plain.path(), Strategy::Batch, false);
    assert_eq!(calls, [0]);
    assert_eq!(want, ["acme", "be", "acme"]);
    assert_eq!(want_problems.len(), 1);
    // Read in parts when it can be; given up on, read whole: parts never fall to a stream
    // that would give up the same way.
    for (strategy, give_up, calls) in [
        (Strategy::Parts(2), false, vec![2]),
        (Strategy::Parts(3), true, vec![3, 0]),
        (Strategy::Stream, false, vec![1]),
        (Strategy::Stream, true, vec![1, 0]),
    ] {
        let got = read_by(plain.path(), strategy, give_up);
        assert_eq!(
            got,
            (calls, want.clone(), want_problems.clone()),
            "{strategy:?}"
        );
    }

    // A journal with an `include` or bytes that are not UTF-8 cannot be read in parts: it is
    // streamed instead.
    for text in [
        &b"2026-01-05 log acme 1h\ninclude more.credits\n"[..],
        b"2026-01-05 log acme 1h\n2026-01-06 log be 15m \xff\n",
    ] {
        let dir = tree(&[
            (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
            ("more.credits", "2026-01-07 log be 15m\n"),
        ]);
        fs::write(dir.path().join("journal.credits"), text).unwrap();
        let (_, want, want_problems) = read_by(dir.path(), Strategy::Batch, false);
        let got = read_by(dir.path(), Strategy::Parts(3), false);
        assert_eq!(
            got,
            (vec![3, 1], want.clone(), want_problems.clone()),
            "{text:?}"
        );
        let got = read_by(dir.path(), Strategy::Parts(3), true);
        assert_eq!(got, (vec![3, 1, 0], want, want_problems), "{text:?}");
    }
}

#[test]
fn the_book_alone_reads_no_journal() {
    let dir = tree(&[
        (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
        ("journal.credits", "2026-01-05 log acme 1h\nbad\n"),
    ]);
    let book = dir.path().join(BOOK_FILE);
    for strategy in [Strategy::Parts(2), Strategy::Stream] {
        let request = Request {
            strategy,
            ..Request::new(&book, dir.path())
        };
        let (loaded, ()) = super::load(&request, BookOnly).unwrap();
        assert!(loaded.journal_paths.is_empty());
        assert!(loaded.problems.is_empty());
        assert_eq!(loaded.entry_count, 0);
    }
}
