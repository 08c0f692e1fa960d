//! The read edge: what a journal, an include, the book and the environment may be, on every
//! path the loader has (one thread, and in parts on two).

use super::support::{BOOK, Case, command};
use std::fmt::Write as _;
use std::time::Duration;

/// Every way the book is read: one thread, and in parts on two.
const THREADS: [&str; 2] = ["1", "2"];

/// The reading commands that load the book, each by its own path.
const READERS: [&[&str]; 4] = [&["check"], &["balance"], &["balance", "acme"], &["quotes"]];

#[test]
fn a_stray_cr_is_an_error_at_its_column_and_never_merges_two_entries() {
    for threads in THREADS {
        for args in READERS {
            let case = Case::new().book(BOOK);
            std::fs::write(
                case.path().join("journal.credits"),
                "2026-01-05 buy acme 10h @ 100\r2026-01-06 log acme 1h\r",
            )
            .unwrap();
            case.env("CREDITS_THREADS", threads)
                .args(args.iter().copied())
                .code(1)
                .stdout("")
                .stderr_has("journal.credits:1:30: a carriage return (U+000D) that is not followed by a line feed\n")
                .run();
        }
    }
}

#[test]
fn a_cr_at_the_very_end_of_the_file_is_an_error_and_crlf_is_fine() {
    for threads in THREADS {
        let case = Case::new().book(BOOK);
        std::fs::write(
            case.path().join("journal.credits"),
            "2026-01-05 buy acme 10h @ 100\r\n2026-01-06 log acme 1h\r",
        )
        .unwrap();
        case.env("CREDITS_THREADS", threads)
            .args(["check"])
            .code(1)
            .stderr_has("journal.credits:2:23: a carriage return (U+000D)")
            .run();
        let case = Case::new().book(BOOK);
        std::fs::write(
            case.path().join("journal.credits"),
            "2026-01-05 buy acme 10h @ 100\r\n2026-01-06 log acme 1h\t#dev\r\n",
        )
        .unwrap();
        case.env("CREDITS_THREADS", threads)
            .args(["check"])
            .stdout("ok: 2 clients, 2 entries in 1 journal\n")
            .run();
    }
}

#[test]
fn control_characters_and_conflict_markers_are_errors_on_every_path() {
    let journal = "2026-01-05 buy acme 10h @ 100\n\
                   <<<<<<< ours\n\
                   2026-01-06 log acme 1h Fix\u{202e}ed\n\
                   =======\n\
                   2026-01-06 log acme 2h a\u{7}b\n\
                   >>>>>>> theirs\n";
    for threads in THREADS {
        for args in READERS {
            let out = Case::new()
                .book(BOOK)
                .journal(journal)
                .env("CREDITS_THREADS", threads)
                .args(args.iter().copied())
                .code(1)
                .stdout("")
                .run();
            let located: Vec<&str> = out
                .stderr
                .lines()
                .filter(|l| l.starts_with("journal.credits:"))
                .collect();
            assert_eq!(
                located,
                [
                    "journal.credits:2:1: unresolved merge conflict",
                    "journal.credits:3:27: a bidirectional control character (U+202E) in the text",
                    "journal.credits:4:1: unresolved merge conflict",
                    "journal.credits:5:25: a control character (U+0007) in the text",
                    "journal.credits:6:1: unresolved merge conflict",
                ],
                "{threads} {args:?}"
            );
        }
    }
}

#[test]
fn minutes_after_hours_are_below_sixty_in_journals_and_on_the_command_line() {
    for threads in THREADS {
        Case::new()
            .book(BOOK)
            .journal("2026-01-05 buy acme 10h @ 100\n2026-01-06 log acme 1h70m\n")
            .env("CREDITS_THREADS", threads)
            .args(["balance"])
            .code(1)
            .stderr_has("journal.credits:2:21: `1h70m` has 70 minutes after the hours, but minutes after hours are 0 to 59\n")
            .run();
    }
    Case::new()
        .book(BOOK)
        .journal("2026-01-05 buy acme 10h @ 100\n")
        .args(["log", "acme", "1h70m"])
        .code(2)
        .stdout("")
        .stderr(
            "error: `1h70m` has 70 minutes after the hours, but minutes after hours are 0 to 59\n  \
                 = help: write `2h10m`\n",
        )
        .run();
}

#[test]
fn dates_run_from_1900_to_9999_everywhere_they_are_typed() {
    for threads in THREADS {
        Case::new()
            .book(BOOK)
            .journal("0000-01-05 buy acme 10h @ 100\n")
            .env("CREDITS_THREADS", threads)
            .args(["balance"])
            .code(1)
            .stderr_has("journal.credits:1:1: `0000-01-05` is out of range: dates run from 1900-01-01 to 9999-12-31\n")
            .run();
    }
    Case::new()
        .book(BOOK)
        .journal("2026-01-05 buy acme 10h @ 100 due:1899-01-01\n")
        .args(["check"])
        .code(1)
        .stderr_has("`1899-01-01` is out of range")
        .run();
    Case::new()
        .book(BOOK)
        .journal("")
        .no_today()
        .args(["--today", "1899-12-31", "balance"])
        .code(2)
        .stderr_has("`1899-12-31` is out of range: dates run from 1900-01-01 to 9999-12-31")
        .run();
    for args in [
        &["log", "acme", "15m", "--date", "0000-01-01"][..],
        &[
            "buy",
            "acme",
            "1h",
            "--price",
            "100",
            "--expires",
            "1899-01-01",
        ],
    ] {
        Case::new()
            .book(BOOK)
            .journal("")
            .args(args.iter().copied())
            .code(2)
            .stderr_has("is out of range: dates run from 1900-01-01 to 9999-12-31")
            .run();
    }
}

#[test]
fn a_last_usable_day_past_9999_means_the_lot_never_expires() {
    for expires in ["999999999d", "8000y", "99999999999999mo"] {
        Case::new()
            .book(BOOK)
            .journal(&format!(
                "2026-01-05 buy acme 10h @ 100 expires {expires}\n"
            ))
            .today("9999-12-31")
            .args(["balance", "acme"])
            .stdout_has("balance        10 credits (10:00)")
            .run();
    }
}

#[test]
fn a_fifo_journal_is_an_error_naming_it_and_is_never_opened() {
    for threads in THREADS {
        let case = Case::new().book(BOOK);
        let made = std::process::Command::new("mkfifo")
            .arg(case.path().join("journal.credits"))
            .status()
            .unwrap();
        assert!(made.success());
        // Opening a FIFO without a writer waits for ever: the timeout catches that.
        let out = command(case.path(), case.path())
            .env("CREDITS_THREADS", threads)
            .args(["--today", "2026-01-06", "balance"])
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(
                "credits.toml:4:13: journal `journal.credits` is a FIFO, not a regular file"
            ),
            "{stderr}"
        );
    }
}

#[test]
fn an_endless_device_is_never_read_as_a_journal_or_a_book() {
    for threads in THREADS {
        let case = Case::new()
            .book(BOOK)
            .journal("2026-01-05 buy acme 10h @ 100\ninclude /dev/zero\n");
        let out = command(case.path(), case.path())
            .env("CREDITS_THREADS", threads)
            .args(["--today", "2026-01-06", "check"])
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("journal.credits:2:9: included journal `/dev/zero` is a character device, not a regular file"),
            "{stderr}"
        );
        let out = command(case.path(), case.path())
            .env("CREDITS_THREADS", threads)
            .args(["-f", "/dev/zero", "--today", "2026-01-06", "check"])
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "error: cannot read book `/dev/zero`: it is a character device, not a regular file\n"
        );
    }
}

#[test]
fn an_invalid_credits_threads_is_bad_usage_naming_the_variable() {
    for bad in ["0", "65", "two", "-1", "1.5"] {
        Case::new()
            .book(BOOK)
            .journal("")
            .env("CREDITS_THREADS", bad)
            .args(["balance"])
            .code(2)
            .stdout("")
            .stderr(&format!(
                "error: `CREDITS_THREADS` is `{bad}`, but it must be a whole number from 1 to 64\n  \
                 = help: set it to a number of threads such as `2`, or unset it to use one per core\n"
            ))
            .run();
    }
    for good in ["1", "64", ""] {
        Case::new()
            .book(BOOK)
            .journal("")
            .env("CREDITS_THREADS", good)
            .args(["check"])
            .run();
    }
}

#[test]
fn the_first_journal_must_be_a_file_in_the_books_folder() {
    Case::new()
        .book(&BOOK.replace("[\"journal.credits\"]", "[\"../x.credits\"]"))
        .args(["check"])
        .code(1)
        .stderr_has(
            "credits.toml:4:13: the first journal `../x.credits` must be a plain file name\n",
        )
        .run();
}

#[test]
fn a_book_without_currency_is_refused_at_its_book_table() {
    Case::new()
        .book(&BOOK.replace("currency = \"USD\"\n", ""))
        .journal("")
        .args(["balance"])
        .code(1)
        .stdout("")
        .stderr_has("credits.toml:1:1: `[book]` has no `currency`\n")
        .run();
}

/// Lines of two clients in date order, the same lines out of it (each client's in order, so
/// the book is still replayed as it is read), and a problem on the last line.
const IN_ORDER: &str = "2026-01-05 buy acme 10h @ 120 ref:A-1\n2026-01-06 buy globex 5h @ 100\n2026-01-07 log acme 1h Audit\n2026-02-03 log globex 2h Setup\n2026-02-10 log acme 30m Call\n";
const OUT_OF_ORDER: &str = "2026-01-06 buy globex 5h @ 100\n2026-02-03 log globex 2h Setup\n2026-01-05 buy acme 10h @ 120 ref:A-1\n2026-01-07 log acme 1h Audit\n2026-02-10 log acme 30m Call\n";

#[test]
fn an_export_is_the_same_whatever_the_order_of_the_lines_and_on_every_path() {
    for format in ["hledger", "ledger", "beancount", "csv", "json"] {
        for period in [&[][..], &["--from", "2026-01-07"][..]] {
            let run = |journal: &str, threads: &str| {
                Case::new()
                    .book(BOOK)
                    .journal(journal)
                    .today("2026-03-01")
                    .env("CREDITS_THREADS", threads)
                    .args(["export", format])
                    .args(period.iter().copied())
                    .run()
                    .stdout
            };
            let want = run(IN_ORDER, "1");
            assert!(want.contains("Setup"), "{want}");
            for threads in THREADS {
                assert_eq!(run(OUT_OF_ORDER, threads), want, "{format} {period:?}");
                assert_eq!(run(IN_ORDER, threads), want, "{format} {period:?}");
            }
        }
    }
}

#[test]
fn a_book_with_a_problem_exports_nothing_even_when_the_problem_comes_last() {
    for journal in [IN_ORDER, OUT_OF_ORDER] {
        for format in ["hledger", "beancount", "csv", "json"] {
            Case::new()
                .book(BOOK)
                .journal(&format!("{journal}2026-02-20 assert acme 1h\n"))
                .today("2026-03-01")
                .args(["export", format])
                .code(1)
                .stdout("")
                .stderr_has("1 problem in the book")
                .run();
        }
    }
    // Megabytes of transactions come before the problem: none is printed.
    let mut journal = String::from("2026-01-05 buy acme 100000h @ 120\n");
    for day in 1..=28 {
        for _ in 0..1000 {
            let _ = writeln!(journal, "2026-02-{day:02} log acme 1h Audit");
        }
    }
    journal.push_str("2026-02-28 assert acme 1h\n");
    Case::new()
        .book(BOOK)
        .journal(&journal)
        .today("2026-03-01")
        .args(["export", "hledger"])
        .code(1)
        .stdout("")
        .stderr_has("1 problem in the book")
        .run();
}

/// A book of many clients and many days, long enough that the export written in parts sends
/// many batches from every part: the same bytes on one thread, two and three, in every format,
/// for all time and for a period; a client whose part falls silent halfway through too.
#[test]
fn an_export_written_in_parts_is_the_one_written_on_one_thread() {
    let clients: Vec<String> = (0..12).map(|c| format!("c{c:02}")).collect();
    let mut toml = BOOK.to_string();
    for c in &clients {
        let _ = writeln!(toml, "\n[clients.{c}]");
    }
    let mut journal = String::new();
    for c in &clients {
        let _ = writeln!(journal, "2026-01-01 buy {c} 5000h @ 100");
        let _ = writeln!(journal, "2026-01-01 buy {c} 10h @ 80 expires 2026-03-31");
    }
    for i in 0..12_000u32 {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()
            + chrono::Days::new(u64::from(i / 40));
        // After the first half, only the first four clients log.
        let c = if i < 6000 { i % 12 } else { i % 4 };
        let _ = writeln!(journal, "{day} log c{c:02} 1h Work {i}");
        if i % 500 == 0 {
            let _ = writeln!(journal, "{day} buy c{c:02} 10h @ 90 ref:R-{i}");
        }
    }
    for format in ["hledger", "beancount", "csv", "json"] {
        for period in [&[][..], &["-p", "2026-06"][..]] {
            let run = |threads: &str| {
                Case::new()
                    .book(&toml)
                    .journal(&journal)
                    .today("2026-12-31")
                    .env("CREDITS_THREADS", threads)
                    .args(["export", format])
                    .args(period.iter().copied())
                    .run()
                    .stdout
            };
            let want = run("1");
            assert!(want.contains("Work 6000"), "{format} {period:?}");
            for threads in ["2", "3"] {
                assert_eq!(run(threads), want, "{format} {period:?} {threads} threads");
            }
        }
    }
}
