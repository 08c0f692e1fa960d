//! Files and their problems: special files, system errors, write targets, names, parse problems and bad bytes.

use super::*;

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
