//! Streaming, reading in parts and in chunks: each gives what reading whole files gives.

use super::*;

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

/// `book` read whole by `load`, and its problems sorted: what every other way of reading it
/// must give.
fn read_whole(book: &Path, dir: &Path) -> (Loaded, Vec<String>) {
    let whole = load(book, dir).unwrap();
    let mut problems = problems(&whole);
    problems.sort();
    (whole, problems)
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
             2026-01-10 log acme 15\n2026-01-10 log acme 1h a\u{0}b\n\
             2026-01-10 log acme 1h \u{2028}\n2026-01-10 log acme 1h x\ry\n2026-01-11 log",
        ),
        (
            "more/a.credits",
            "2026-02-01 log acme 1h\n2026-02-01 log nobody 1h \"Q\"\n",
        ),
    ]);
    let book = dir.path().join(BOOK_FILE);
    let (whole, want_problems) = read_whole(&book, dir.path());
    assert_eq!(whole.entries.len(), 6);
    // The characters a journal may not hold are found whichever way the book is read (a
    // chunk whose bytes hold none is not looked at line by line).
    assert_eq!(want_problems.len(), 7, "{want_problems:?}");
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

/// Entries by their place in the book (file, offset), `seq` cleared.
fn by_place(entries: impl IntoIterator<Item = Entry>) -> Vec<Entry> {
    let mut all: Vec<Entry> = entries.into_iter().collect();
    all.sort_by_key(|e| (e.span.file, e.span.start));
    for e in &mut all {
        e.seq = 0;
    }
    all
}

/// The book read in parts (`l`, each part's entries `seen`) holds what it holds read whole:
/// each entry in its file, the files numbered and listed in the book's order, the same
/// problems.
fn same_as_whole(
    (l, seen): (&Loaded, Vec<Vec<Entry>>),
    (whole, want_problems): (&Loaded, &[String]),
    what: &str,
) {
    assert_eq!(names(l), names(whole), "{what}");
    assert_eq!(l.journal_paths, whole.journal_paths, "{what}");
    assert_eq!(
        by_place(seen.into_iter().flatten()),
        by_place(whole.entries.clone()),
        "{what}"
    );
    let mut got_problems = problems(l);
    got_problems.sort();
    assert_eq!(got_problems, want_problems, "{what}");
}

#[test]
fn journals_listed_newest_first_are_read_in_parts_oldest_first_with_the_books_file_ids() {
    // New entries go to the first journal: the archives of past years come after it.
    let dir = tree(&[
        (
            BOOK_FILE,
            "[book]\njournals = [\"journal.credits\", \"archive/*.credits\", \"gone.credits\"]\n\
             currency = \"USD\"\n",
        ),
        (
            "journal.credits",
            "; this year\n2026-01-05 log acme 1h\n2026-01-06 frob acme\n2026-02-01 log be 2h\n",
        ),
        (
            "archive/2024.credits",
            "2024-03-01 buy acme 10h @ 120\n2024-03-02 buy be 5h @ 100\n",
        ),
        (
            "archive/2025.credits",
            "2025-06-01 log acme 15 bad\n2025-06-02 log be 30m\n",
        ),
        ("archive/notes.credits", "; nothing dated\n"),
    ]);
    let book = dir.path().join(BOOK_FILE);
    let (whole, want_problems) = read_whole(&book, dir.path());
    assert_eq!(whole.entries.len(), 5);
    assert_eq!(want_problems.len(), 3, "{want_problems:?}");
    for parts in 1..=3 {
        for chunk in [1, 16, CHUNK] {
            let (l, read_whole, seen) = read_in_parts(&book, dir.path(), None, parts, chunk);
            assert!(read_whole, "{parts} parts, chunk {chunk}");
            for part in &seen {
                assert!(
                    part.is_sorted_by_key(|e| e.date),
                    "{parts} parts, chunk {chunk}: {:?}",
                    part.iter().map(|e| e.date).collect::<Vec<_>>()
                );
            }
            let what = format!("{parts} parts, chunk {chunk}");
            same_as_whole((&l, seen), (&whole, &want_problems), &what);
        }
    }
}

#[test]
fn journals_whose_dates_overlap_are_read_in_parts_interleaved_by_date() {
    // A journal per client: each in date order, their dates overlapping.
    let dir = tree(&[
        (
            BOOK_FILE,
            "[book]\njournals = [\"acme.credits\", \"clients/*.credits\"]\n\
             currency = \"USD\"\n",
        ),
        (
            "acme.credits",
            "\u{feff}; Acme\n2026-01-05 buy acme 10h @ 120\r\n2026-01-07 log acme 1h\r\n\
             2026-02-01 log acme 15 bad\n  indented\n2026-03-01 log acme 1h\r\n\
             2026-03-02 log acme 1h\rx",
        ),
        (
            "clients/be.credits",
            "2026-01-05 buy be 5h @ 100\n2026-01-06 log be 30m\n; note\n\
             2026-01-07 frob be\n2026-02-02 log be 1h a\u{0}b\n2026-02-02 log be 2h\n",
        ),
        (
            "clients/gamma.credits",
            "2026-01-01 buy gamma 1h @ 90\n2026-03-01 log gamma 30m",
        ),
    ]);
    let book = dir.path().join(BOOK_FILE);
    let (whole, want_problems) = read_whole(&book, dir.path());
    assert_eq!(whole.entries.len(), 8);
    assert_eq!(want_problems.len(), 5, "{want_problems:?}");
    for parts in 1..=3 {
        for chunk in [1, 16, 64, CHUNK] {
            let (l, read_whole, seen) = read_in_parts(&book, dir.path(), None, parts, chunk);
            assert!(read_whole, "{parts} parts, chunk {chunk}");
            // Across every journal, in date order; of one date, in the journals' order.
            let mut read: Vec<&Entry> = seen.iter().flatten().collect();
            read.sort_by_key(|e| e.seq);
            let order: Vec<(NaiveDate, FileId)> =
                read.iter().map(|e| (e.date, e.span.file)).collect();
            assert!(order.is_sorted(), "{parts} parts, chunk {chunk}: {order:?}");
            let what = format!("{parts} parts, chunk {chunk}");
            same_as_whole((&l, seen), (&whole, &want_problems), &what);
            assert_eq!(l.deferred.len(), 3);
        }
    }
}

#[test]
fn a_byte_order_mark_inside_a_journal_or_a_carriage_return_at_its_end_give_way_to_one_reader() {
    // The parser skips a mark at the start of the text only, and interleaved lines each end
    // with a `\n`: a line that starts with a mark inside a journal, or a journal that ends
    // with a carriage return, is read by the one-thread reader, which finds what it is.
    for a in [
        "2026-01-05 buy acme 10h @ 120\n\u{feff}2026-01-07 log acme 1h\n",
        "2026-01-05 buy acme 10h @ 120\n2026-01-07 log acme 1h\r",
    ] {
        let dir = tree(&[
            (
                BOOK_FILE,
                "[book]\njournals = [\"a.credits\", \"b.credits\"]\ncurrency = \"USD\"\n",
            ),
            ("a.credits", a),
            ("b.credits", "2026-01-06 buy be 5h @ 100\n"),
        ]);
        let book = dir.path().join(BOOK_FILE);
        let (_, read_whole, _) = read_in_parts(&book, dir.path(), None, 2, CHUNK);
        assert!(!read_whole, "{a:?}");
    }
}

#[test]
fn a_journals_first_date_is_its_first_dated_line_in_its_first_4_kb() {
    let long = format!("; {}\n2020-01-01 log acme 1h\n", "x".repeat(5000));
    let dir = tree(&[
        (
            "a.credits",
            "\u{feff}2026-01-05 log acme 1h\n2020-01-01 log acme 1h\n",
        ),
        (
            "b.credits",
            "; note\n\n  indented\ninclude x.credits\n2025-12-31\tbill acme\r\n",
        ),
        ("c.credits", "; nothing dated\n2026-13-01 log acme 1h\n"),
        ("d.credits", &long),
        ("e.credits", ""),
    ]);
    let first = |name: &str| super::super::reader::first_date(&dir.path().join(name));
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
    assert_eq!(first("a.credits"), day(2026, 1, 5));
    assert_eq!(first("b.credits"), day(2025, 12, 31));
    assert_eq!(first("c.credits"), None);
    assert_eq!(first("d.credits"), None, "past the first 4 KB");
    assert_eq!(first("e.credits"), None);
    assert_eq!(first("missing.credits"), None);
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
