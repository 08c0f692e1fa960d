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

#[test]
fn the_book_is_found_in_the_nearest_folder_upward() {
    let dir = tree(&[
        (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
        ("a/b/notes.txt", ""),
    ]);
    let root = dir.path();
    assert_eq!(
        find_book(None, &root.join("a/b")).unwrap(),
        root.join(BOOK_FILE)
    );
    assert_eq!(find_book(None, root).unwrap(), root.join(BOOK_FILE));
    let inner = tree(&[("x/credits.toml", ""), ("x/y/z.txt", "")]);
    assert_eq!(
        find_book(None, &inner.path().join("x/y")).unwrap(),
        inner.path().join("x/credits.toml")
    );
}

#[test]
fn no_book_anywhere_up_is_not_found_from_the_start_folder() {
    let dir = tree(&[("a/notes.txt", "")]);
    // A temp folder may sit under a folder holding a `credits.toml`; then this test has
    // nothing to check.
    if dir.path().ancestors().any(|d| d.join(BOOK_FILE).exists()) {
        return;
    }
    let start = dir.path().join("a");
    match find_book(None, &start) {
        Err(e @ LoadError::NotFound { .. }) => {
            let msg = e.to_string();
            assert!(msg.starts_with("no `credits.toml` found in `"), "{msg}");
            assert!(msg.ends_with("` or any folder above it"), "{msg}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_file_flag_takes_a_book_or_its_folder_relative_to_the_current_folder() {
    let dir = tree(&[
        ("books/acme/credits.toml", ""),
        ("books/acme/other.toml", ""),
    ]);
    let root = dir.path();
    let want = root.join("books/acme/credits.toml");
    assert_eq!(
        find_book(Some(Path::new("books/acme")), root).unwrap(),
        want
    );
    assert_eq!(
        find_book(Some(&root.join("books/acme/credits.toml")), Path::new("/")).unwrap(),
        want
    );
    assert_eq!(
        find_book(Some(Path::new("acme/other.toml")), &root.join("books")).unwrap(),
        root.join("books/acme/other.toml")
    );
    assert!(matches!(
        find_book(Some(Path::new("books")), root),
        Err(LoadError::Io { path, .. }) if path == Path::new("books/credits.toml")
    ));
    assert!(matches!(
        find_book(Some(Path::new("nope.toml")), root),
        Err(LoadError::Io { .. })
    ));
}

#[test]
fn globs_are_read_sorted_after_the_files_before_them_and_never_twice() {
    let dir = tree(&[
        (
            BOOK_FILE,
            "[book]\njournals = [\"main.credits\", \"years/*.credits\", \"*.credits\", \"none/*.x\"]\ncurrency = \"USD\"\n",
        ),
        ("main.credits", "m1\n"),
        ("years/2025.credits", "y25\n"),
        ("years/2024.credits", "y24\n"),
        ("years/notes.txt", "ignored\n"),
        ("zz.credits", "z\n"),
    ]);
    let l = load_fake(dir.path());
    assert_eq!(clients(&l), vec!["m1", "y24", "y25", "z"]);
    assert_eq!(
        names(&l),
        vec![
            "credits.toml",
            "main.credits",
            "years/2024.credits",
            "years/2025.credits",
            "zz.credits"
        ]
    );
    assert_eq!(
        l.journal_paths.first(),
        Some(&dir.path().join("main.credits"))
    );
    assert!(l.problems.is_empty(), "{:?}", l.problems);
    let seqs: Vec<u32> = l.entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, vec![0, 1, 2, 3]);
}

#[test]
fn an_include_is_spliced_where_it_stands_relative_to_its_file() {
    let dir = tree(&[
        (
            BOOK_FILE,
            "[book]\njournals = [\"journal.credits\", \"last.credits\"]\ncurrency = \"USD\"\n",
        ),
        ("journal.credits", "a1\ninclude sub/x.credits\na2\n"),
        ("sub/x.credits", "x1\ninclude ../y.credits\nx2\n"),
        ("y.credits", "y1\n"),
        ("last.credits", "l1\n"),
    ]);
    let l = load_fake(dir.path());
    assert_eq!(clients(&l), vec!["a1", "x1", "y1", "x2", "a2", "l1"]);
    let seqs: Vec<u32> = l.entries.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, vec![0, 1, 2, 3, 4, 5]);
    assert_eq!(
        names(&l),
        vec![
            "credits.toml",
            "journal.credits",
            "sub/x.credits",
            "y.credits",
            "last.credits"
        ]
    );
    let files: Vec<u32> = l.entries.iter().map(|e| e.span.file.0).collect();
    assert_eq!(files, vec![1, 2, 3, 2, 1, 4]);
    assert!(l.problems.is_empty());
    assert!(!l.missing_write_target());
}

#[test]
fn streaming_hands_over_the_entries_load_keeps_in_the_same_order_and_can_stop() {
    let dir = tree(&[
        (
            BOOK_FILE,
            "[book]\njournals = [\"journal.credits\", \"last.credits\"]\ncurrency = \"USD\"\n",
        ),
        ("journal.credits", "a1\ninclude sub/x.credits\na2\n"),
        ("sub/x.credits", "x1\n!bad\nx2\n"),
        ("last.credits", "l1\n"),
    ]);
    let kept = load_fake(dir.path());
    let book = dir.path().join(BOOK_FILE);
    let opts = ParseOptions::default();
    let stream = |stop_after: usize| {
        load_core(
            &book,
            dir.path(),
            fake_parse,
            None,
            opts,
            Some(CHUNK),
            None,
            |_, read| {
                let mut seen = Vec::new();
                read(&mut To::Each(&mut |e| {
                    seen.push(e);
                    if seen.len() == stop_after {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                }));
                seen
            },
        )
        .unwrap()
    };
    let (streamed, all) = stream(usize::MAX);
    assert_eq!(all, kept.entries);
    assert!(streamed.entries.is_empty());
    assert_eq!(streamed.entry_count, 5);
    assert_eq!(problems(&streamed), problems(&kept));
    // The journals were read in chunks: no text kept, read again to show a problem.
    assert!(streamed.sources.file(FileId(2)).text.is_empty());
    assert_eq!(streamed.deferred.len(), 3);
    assert_eq!(
        streamed.full_sources().file(FileId(2)).text,
        "x1\n!bad\nx2\n"
    );
    assert_eq!(names(&streamed), names(&kept));

    // Stopped after `x1`: nothing more is read, not even the next journal.
    let (stopped, some) = stream(2);
    let got: Vec<&str> = some.iter().map(|e| e.client.as_str()).collect();
    assert_eq!(got, ["a1", "x1"]);
    assert_eq!(stopped.journal_paths.len(), 2);
}

/// Read `book` in `parts` parts of chunks of `chunk` bytes (with `addition`), each part
/// keeping what it is given. False when it could not be read in parts.
fn read_in_parts(
    book: &Path,
    dir: &Path,
    addition: Option<&str>,
    parts: usize,
    chunk: usize,
) -> (Loaded, bool, Vec<Vec<Entry>>) {
    let (l, (whole, seen)) = load_core(
        book,
        dir,
        parse_journal,
        addition,
        ParseOptions::default(),
        Some(chunk),
        None,
        |_, read| {
            let route = |c: &str| c.len() % parts;
            let mut seen: Vec<Vec<Entry>> = vec![Vec::new(); parts];
            let mut consumers: Vec<_> = seen
                .iter_mut()
                .map(|v| {
                    move |e| {
                        v.push(e);
                        ControlFlow::Continue(())
                    }
                })
                .collect();
            let mut takers: Vec<&mut Taker<'_>> =
                consumers.iter_mut().map(|c| c as &mut Taker<'_>).collect();
            let whole = read(&mut To::Parts {
                route: &route,
                consumers: &mut takers,
            });
            drop(consumers);
            (whole, seen)
        },
    )
    .unwrap();
    (l, whole, seen)
}

/// The entries of every part in read order, `seq` cleared (parts number lines, not entries).
fn merged(parts: &[Vec<Entry>]) -> Vec<Entry> {
    let mut all: Vec<Entry> = parts.iter().flatten().cloned().collect();
    all.sort_by_key(|e| e.seq);
    for e in &mut all {
        e.seq = 0;
    }
    all
}

#[test]
fn reading_in_parts_gives_each_part_its_clients_entries_as_one_reader_reads_them() {
    let dir = tree(&[
        (
            BOOK_FILE,
            "[book]\njournals = [\"journal.credits\", \"more/*.credits\"]\ncurrency = \"USD\"\n",
        ),
        (
            "journal.credits",
            "\u{feff}2026-01-05 buy acme 10h @ 120\r\n2026-01-06 log be 15m x\r\n; note\r\n\
             2026-01-07 frob acme\r\n2026-01-07 log gamma 90m\r\n\r\n\
             2026-01-08 log  acme\t1h #dev\n2026-01-09 log \"acme\" 1h\n\
             2026-01-10 log acme 15\n2026-01-11 log",
        ),
        (
            "more/a.credits",
            "2026-02-01 log acme 1h\n2026-02-01 log nobody 1h \"Q\"\n",
        ),
    ]);
    let book = dir.path().join(BOOK_FILE);
    let whole = load(&book, dir.path()).unwrap();
    assert_eq!(whole.entries.len(), 6);
    let mut want_problems = problems(&whole);
    want_problems.sort();
    assert_eq!(want_problems.len(), 4, "{want_problems:?}");
    let mut want = whole.entries.clone();
    for e in &mut want {
        e.seq = 0;
    }
    for parts in 1..=3 {
        for chunk in [1, 7, 64, CHUNK] {
            let (l, read_whole, seen) = read_in_parts(&book, dir.path(), None, parts, chunk);
            assert!(read_whole, "{parts} parts, chunk {chunk}");
            for (i, part) in seen.iter().enumerate() {
                assert!(part.iter().all(|e| e.client.len() % parts == i));
                assert!(part.is_sorted_by_key(|e| e.seq));
            }
            assert_eq!(merged(&seen), want, "{parts} parts, chunk {chunk}");
            assert_eq!(l.entry_count, 6);
            let mut got_problems = problems(&l);
            got_problems.sort();
            assert_eq!(got_problems, want_problems, "{parts} parts, chunk {chunk}");
            assert_eq!(names(&l), names(&whole));
            assert_eq!(l.deferred.len(), 2);
        }
    }
}

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

#[test]
fn reading_in_parts_with_an_addition_keeps_the_target_text_as_load_appending_does() {
    let dir = tree(&[
        (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
        (
            "journal.credits",
            "2026-01-05 buy acme 10h\n2026-01-06 log bo 1h",
        ),
    ]);
    let book = dir.path().join(BOOK_FILE);
    let addition = "\n2026-01-07 log acme 2h\n";
    let appended = load_appending(&book, dir.path(), addition).unwrap();
    let mut want = appended.entries.clone();
    for e in &mut want {
        e.seq = 0;
    }
    for chunk in [1, 5, CHUNK] {
        let (l, read_whole, seen) = read_in_parts(&book, dir.path(), Some(addition), 2, chunk);
        assert!(read_whole);
        assert_eq!(merged(&seen), want);
        // The text is not kept, but read again with the addition to show a problem.
        assert_eq!(
            l.full_sources().file(FileId(1)).text,
            appended.sources.file(FileId(1)).text
        );
        assert_eq!(l.appended, appended.appended);
        assert_eq!(l.appended, Some((FileId(1), 44, addition.to_string())));
    }
    // A write target that does not exist yet: only the addition is read.
    let dir = tree(&[(BOOK_FILE, "[book]\ncurrency = \"USD\"\n")]);
    let book = dir.path().join(BOOK_FILE);
    let (l, read_whole, seen) =
        read_in_parts(&book, dir.path(), Some("2026-01-07 log acme 2h\n"), 2, 64);
    assert!(read_whole);
    assert_eq!(merged(&seen).len(), 1);
    assert_eq!(
        l.full_sources().file(FileId(1)).text,
        "2026-01-07 log acme 2h\n"
    );
    assert_eq!(l.appended.as_ref().map(|a| a.1), Some(0));
}

#[test]
fn a_book_with_an_include_or_bad_bytes_cannot_be_read_in_parts() {
    let dir = tree(&[
        (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
        (
            "journal.credits",
            "2026-01-05 buy acme 10h\ninclude x.credits\n",
        ),
        ("x.credits", "2026-01-06 log acme 1h\n"),
    ]);
    let book = dir.path().join(BOOK_FILE);
    for parts in 1..=2 {
        assert!(!read_in_parts(&book, dir.path(), None, parts, CHUNK).1);
    }
    let dir = tree(&[(BOOK_FILE, "[book]\ncurrency = \"USD\"\n")]);
    fs::write(
        dir.path().join("journal.credits"),
        b"2026-01-05 buy acme 10h\n2026-01-06 log acme \xff\n",
    )
    .unwrap();
    let book = dir.path().join(BOOK_FILE);
    assert!(!read_in_parts(&book, dir.path(), None, 2, CHUNK).1);
}

#[test]
fn an_include_cycle_is_a_problem_at_the_include_that_closes_it() {
    let dir = tree(&[
        (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
        ("journal.credits", "j1\ninclude a.credits\n"),
        ("a.credits", "a1\ninclude b.credits\n"),
        (
            "b.credits",
            "b1\ninclude a.credits\ninclude ./journal.credits\n",
        ),
    ]);
    let l = load_fake(dir.path());
    assert_eq!(clients(&l), vec!["j1", "a1", "b1"]);
    assert_eq!(
        problems(&l),
        vec![
            "b.credits:2:9: include cycle: `a.credits` → `b.credits` → `a.credits`",
            "b.credits:3:9: include cycle: `journal.credits` → `a.credits` → `b.credits` → `journal.credits`",
        ]
    );
}

/// A book whose journal starts a chain of `depth` includes, one inside the other.
fn chain(depth: usize) -> tempfile::TempDir {
    let dir = tree(&[
        (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
        ("journal.credits", "j\ninclude i1.credits\n"),
    ]);
    for i in 1..=depth {
        let next = if i < depth {
            format!("include i{}.credits\n", i + 1)
        } else {
            String::new()
        };
        fs::write(
            dir.path().join(format!("i{i}.credits")),
            format!("e{i}\n{next}"),
        )
        .unwrap();
    }
    dir
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

#[test]
fn includes_nest_64_deep_and_no_deeper() {
    let dir = chain(MAX_INCLUDE_DEPTH);
    for (n, problems) in both_ways(dir.path()) {
        assert_eq!((n, problems), (65, vec![]));
    }
    let dir = chain(MAX_INCLUDE_DEPTH + 1);
    for (n, problems) in both_ways(dir.path()) {
        assert_eq!(n, 65);
        assert_eq!(problems.len(), 1);
        let p = &problems[0];
        assert!(
            p.starts_with("i64.credits:2:9: includes nest more than 64 deep: `journal.credits` → `i1.credits` → `i2.credits` → "),
            "{p}"
        );
        assert!(p.ends_with(" → `i64.credits` → `i65.credits`"), "{p}");
    }
}

#[test]
fn a_chain_of_3000_includes_is_an_error_not_a_crash() {
    let dir = chain(3000);
    for (n, problems) in both_ways(dir.path()) {
        assert_eq!(n, 65);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("includes nest more than 64 deep"));
    }
}

#[test]
fn a_fifo_a_device_or_a_folder_is_named_and_nothing_is_read_from_it() {
    let dir = tree(&[
        (
            BOOK_FILE,
            "[book]\njournals = [\"journal.credits\", \"pipe\"]\ncurrency = \"USD\"\n",
        ),
        (
            "journal.credits",
            "j\ninclude /dev/zero\ninclude sub\ninclude pipe2\n",
        ),
        ("sub/x", ""),
    ]);
    for fifo in ["pipe", "pipe2"] {
        let made = std::process::Command::new("mkfifo")
            .arg(dir.path().join(fifo))
            .status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    }
    // Reading a FIFO without a writer would wait for ever, `/dev/zero` would never end.
    for (n, problems) in both_ways(dir.path()) {
        assert_eq!(n, 1);
        assert_eq!(
            problems,
            vec![
                "journal.credits:2:9: included journal `/dev/zero` is a character device, not a regular file",
                "journal.credits:3:9: included journal `sub` is a folder, not a regular file",
                "journal.credits:4:9: included journal `pipe2` is a FIFO, not a regular file",
                "credits.toml:2:32: journal `pipe` is a FIFO, not a regular file",
            ]
        );
    }
    let e = find_book(Some(Path::new("/dev/zero")), dir.path()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot read book `/dev/zero`: it is a character device, not a regular file"
    );
    let e = load(&dir.path().join("pipe"), dir.path()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot read book `pipe`: it is a FIFO, not a regular file"
    );
}

#[test]
fn errors_from_the_system_are_worded_without_their_number() {
    use std::io::{Error, ErrorKind};
    assert_eq!(
        reason(&Error::from(ErrorKind::PermissionDenied)),
        "permission denied"
    );
    assert_eq!(reason(&Error::from_raw_os_error(21)), "it is a folder");
    assert_eq!(reason(&Error::from_raw_os_error(5)), "input/output error");
    let e = LoadError::Io {
        path: "journal.credits".into(),
        what: "journal",
        error: Error::from_raw_os_error(13),
    };
    assert_eq!(
        e.to_string(),
        "cannot read journal `journal.credits`: permission denied"
    );
}

#[test]
fn including_a_file_already_read_is_a_problem() {
    let dir = tree(&[
        (
            BOOK_FILE,
            "[book]\njournals = [\"journal.credits\", \"old.credits\"]\ncurrency = \"USD\"\n",
        ),
        ("journal.credits", "j1\n"),
        (
            "old.credits",
            "o1\ninclude journal.credits\ninclude gone.credits\n",
        ),
    ]);
    let l = load_fake(dir.path());
    assert_eq!(clients(&l), vec!["j1", "o1"]);
    assert_eq!(
        problems(&l),
        vec![
            "old.credits:2:9: `journal.credits` is read twice",
            "old.credits:3:9: included journal `gone.credits` does not exist",
        ]
    );
}

#[test]
fn a_missing_write_target_is_a_problem_that_writing_commands_can_set_aside() {
    let dir = tree(&[(
        BOOK_FILE,
        "[book]\njournals = [\"new.credits\", \"gone.credits\"]\ncurrency = \"USD\"\n",
    )]);
    let l = load_fake(dir.path());
    assert!(l.missing_write_target());
    assert_eq!(l.write_target, dir.path().join("new.credits"));
    assert_eq!(
        problems(&l),
        vec![
            "credits.toml:2:13: journal `new.credits` does not exist",
            "credits.toml:2:28: journal `gone.credits` does not exist",
        ]
    );
    let blocking: Vec<&str> = l
        .write_problems()
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(blocking, vec!["journal `gone.credits` does not exist"]);
}

#[test]
fn a_book_without_journals_key_reads_journal_credits_beside_it() {
    let dir = tree(&[
        (BOOK_FILE, "[book]\nunit = \"hour\"\ncurrency = \"USD\"\n"),
        ("journal.credits", "j\n"),
    ]);
    let l = load_fake(dir.path());
    assert_eq!(clients(&l), vec!["j"]);
    assert_eq!(l.write_target, dir.path().join("journal.credits"));
    let folder = dir.path().file_name().unwrap().to_string_lossy();
    assert_eq!(l.book.name, folder);
}

#[test]
fn names_are_relative_to_the_current_folder_only_under_it() {
    let dir = tree(&[
        (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
        ("journal.credits", "j\n"),
        ("elsewhere/x", ""),
    ]);
    let root = dir.path();
    let from_inside = load_with(Path::new(BOOK_FILE), root, fake_parse, None).unwrap();
    assert_eq!(names(&from_inside), vec!["credits.toml", "journal.credits"]);
    let parent = root.parent().unwrap();
    let from_above = load_with(&root.join(BOOK_FILE), parent, fake_parse, None).unwrap();
    let sub = root.file_name().unwrap().to_string_lossy();
    assert_eq!(
        names(&from_above),
        vec![
            format!("{sub}/credits.toml"),
            format!("{sub}/journal.credits")
        ]
    );
    let from_aside = load_with(
        &root.join(BOOK_FILE),
        &root.join("elsewhere"),
        fake_parse,
        None,
    )
    .unwrap();
    assert_eq!(
        names(&from_aside),
        vec![
            root.join(BOOK_FILE).to_string_lossy().into_owned(),
            root.join("journal.credits").to_string_lossy().into_owned()
        ]
    );
}

#[test]
fn parse_problems_of_every_journal_are_kept() {
    let dir = tree(&[
        (
            BOOK_FILE,
            "[book]\njournals = [\"a.credits\", \"b.credits\"]\ncurrency = \"USD\"\n",
        ),
        ("a.credits", "ok\n!bad\n"),
        ("b.credits", "!worse\n"),
    ]);
    let l = load_fake(dir.path());
    assert_eq!(
        problems(&l),
        vec!["a.credits:2:1: bad line", "b.credits:1:1: bad line"]
    );
}

#[test]
fn invalid_utf8_is_a_problem_at_its_line_not_a_panic() {
    let dir = tree(&[(BOOK_FILE, "[book]\ncurrency = \"USD\"\n")]);
    fs::write(dir.path().join("journal.credits"), b"ok\nb\xffad\n").unwrap();
    let l = load_fake(dir.path());
    assert_eq!(
        problems(&l),
        vec!["journal.credits:2:2: `journal.credits` is not valid UTF-8"]
    );
    assert_eq!(clients(&l), vec!["ok", "b\u{fffd}ad"]);

    fs::write(dir.path().join(BOOK_FILE), b"[book]\nname = \"\xff\"\n").unwrap();
    match load_with(&dir.path().join(BOOK_FILE), dir.path(), fake_parse, None) {
        Err(LoadError::Book { sources, problems }) => {
            assert_eq!(problems.len(), 1);
            assert_eq!(problems[0].message, "`credits.toml` is not valid UTF-8");
            assert_eq!(sources.line_col(problems[0].span.unwrap()), (2, 9));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_bad_book_is_a_book_error_with_its_sources() {
    let dir = tree(&[(
        BOOK_FILE,
        "[policy]\ndebit = \"weekly\"\n\n[book]\ncurrency = \"USD\"\n",
    )]);
    match load(&dir.path().join(BOOK_FILE), dir.path()) {
        Err(e @ LoadError::Book { .. }) => {
            assert_eq!(e.to_string(), "`credits.toml` has 1 problem");
            let LoadError::Book { sources, problems } = e else {
                unreachable!()
            };
            assert_eq!(sources.files.len(), 1);
            assert_eq!(problems[0].message, "`weekly` is not a debit policy");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_real_loader_reads_through_the_journal_parser() {
    let dir = tree(&[
        (BOOK_FILE, "[book]\ncurrency = \"USD\"\n"),
        ("journal.credits", ""),
    ]);
    let l = load(&dir.path().join(BOOK_FILE), dir.path()).unwrap();
    assert_eq!(l.journal_paths, vec![dir.path().join("journal.credits")]);
    assert_eq!(l.sources.files.len(), 2);
}

#[test]
fn reading_in_chunks_of_any_size_gives_what_reading_whole_files_gives() {
    let mut journal = b"\xef\xbb\xbf2026-01-05 buy acme 10h @ 120 USD ref:A\r\n".to_vec();
    for day in 6..=20 {
        journal.extend_from_slice(
            format!("2026-01-{day:02} log acme {day}m caf\u{e9} \"work {day}\" #dev\r\n")
                .as_bytes(),
        );
    }
    journal.extend_from_slice(b"2026-01-21 log acme 15 bad\n\xef\xbb\xbf2026-01-22 bill acme\n");
    journal.extend_from_slice(b"include more.credits\n2026-01-23 log acme 1h after\n");
    journal.extend_from_slice(b"2026-01-24 log acme 1h ok\n2026-01-25 log acme 1h \xff bad byte\n");
    journal.extend_from_slice(b"2026-01-26 log acme 2h last");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(BOOK_FILE),
        "[book]\ncurrency = \"USD\"\n[clients.acme]\nname = \"Acme\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("journal.credits"), &journal).unwrap();
    std::fs::write(
        dir.path().join("more.credits"),
        "2026-01-22 log acme 5m inc\n",
    )
    .unwrap();
    let book = dir.path().join(BOOK_FILE);
    let whole = load(&book, dir.path()).unwrap();
    // 1 buy, 15 logs, the included log, 4 more; the BOM-led line, `15` and the bad
    // byte are problems (the line with the bad byte still reads, as `load` reads it).
    assert_eq!(whole.entries.len(), 21);
    assert_eq!(whole.problems.len(), 3, "{:?}", problems(&whole));
    for chunk in [1, 7, 64, 1 << 20] {
        let (l, entries) = load_core(
            &book,
            dir.path(),
            parse_journal,
            None,
            ParseOptions::default(),
            Some(chunk),
            None,
            |_, read| {
                let mut seen = Vec::new();
                read(&mut To::Each(&mut |e| {
                    seen.push(e);
                    ControlFlow::Continue(())
                }));
                seen
            },
        )
        .unwrap();
        assert_eq!(entries, whole.entries, "chunk {chunk}");
        // The same problems (shown sorted by place, as the CLI prints them).
        let (mut got, mut want) = (problems(&l), problems(&whole));
        got.sort();
        want.sort();
        assert_eq!(got, want, "chunk {chunk}");
    }
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
