//! Globs and includes: their order, splicing, cycles, nesting depth and files read twice.

use super::*;

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
