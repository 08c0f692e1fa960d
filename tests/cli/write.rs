//! The writing verbs: what they print, what they append, and that a refused line, a crowd of
//! writers or a killed writer never changes a byte it should not.

use super::support::{TODAY, command, unindent};
use proptest::prelude::*;
use std::path::Path;
use tempfile::TempDir;

/// A book with one client per overdraft rule, a package, a task and a plan.
const BOOK: &str = r#"
    [book]
    name = "Studio"
    currency = "USD"
    journals = ["journal.credits"]

    [policy]
    unit_price = "140"
    low_balance = "2h"

    [plans.care]
    discount = "10%"

    [packages]
    five = { units = 5, price = "600" }

    [tasks]
    banner = { units = 1, title = "Design a new web banner" }

    [clients.acme]
    name = "Acme Corp"
    rate = "150"
    dirs = ["~/work/acme", "~/work/acme/deep"]

    [clients.globex]
    name = "Globex"
    overdraft = "deny"
    dirs = ["~/work"]
"#;

const JOURNAL: &str = "\
; the studio's journal
2026-01-05 buy acme 10h @ 120 USD ref:INV-1
2026-01-05 buy globex 2h @ 100 USD ref:G-1
";

/// A book in a temporary folder, run as many times as a test likes.
struct Book {
    dir: TempDir,
}

/// What one run gave.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Book {
    fn new(book: &str, journal: &[u8]) -> Book {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(dir.path().join("credits.toml"), unindent(book)).expect("write the book");
        std::fs::write(dir.path().join("journal.credits"), journal).expect("write the journal");
        Book { dir }
    }

    fn studio() -> Book {
        Book::new(BOOK, JOURNAL.as_bytes())
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn journal(&self) -> Vec<u8> {
        std::fs::read(self.path().join("journal.credits")).expect("read the journal")
    }

    fn text(&self) -> String {
        String::from_utf8(self.journal()).expect("UTF-8 journal")
    }

    fn run_in(&self, cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = command(self.path(), cwd);
        // The time of day for timers: late enough that any `--at` in a test is not later.
        cmd.env("CREDITS_NOW", format!("{TODAY}T23:59"));
        if !args.contains(&"--today") {
            cmd.arg("--today").arg(TODAY);
        }
        cmd.args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run credits");
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert!(
            !run.stderr.contains("panicked"),
            "credits panicked: {run:?}"
        );
        run
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_in(self.path(), args, &[])
    }

    /// Run a command that must succeed; returns its stdout.
    #[track_caller]
    fn ok(&self, args: &[&str]) -> String {
        let r = self.run(args);
        assert_eq!(r.code, 0, "credits {args:?} failed: {r:?}");
        r.stdout
    }

    /// Run a command that must be refused with exit `code`, leaving the journal's bytes as they
    /// were; returns its stderr.
    #[track_caller]
    fn refused(&self, args: &[&str], code: i32) -> String {
        let before = self.journal();
        let r = self.run(args);
        assert_eq!(r.code, code, "credits {args:?}: {r:?}");
        assert_eq!(r.stdout, "", "credits {args:?} printed on stdout");
        assert_eq!(
            self.journal(),
            before,
            "credits {args:?} changed the journal"
        );
        r.stderr
    }

    fn check_is_clean(&self) {
        let r = self.run(&["check"]);
        assert_eq!(r.code, 0, "check failed: {r:?}\n{}", self.text());
    }
}

/// The journal after a successful command is the old bytes plus exactly `line` and LF.
#[track_caller]
fn appends(args: &[&str], line: &str) -> String {
    let book = Book::studio();
    let out = book.ok(args);
    assert_eq!(
        book.text(),
        format!("{JOURNAL}{line}\n"),
        "credits {args:?}"
    );
    assert!(
        out.starts_with(&format!("{line}\n→ journal.credits\n")),
        "{out}"
    );
    book.check_is_clean();
    out
}

#[test]
fn log_appends_its_line_and_prints_the_journal_and_the_new_balance() {
    let out = appends(
        &[
            "log",
            "acme",
            "15m",
            "Fixed header alignment",
            "--tag",
            "dev",
        ],
        "2026-01-06 log acme 15m #dev Fixed header alignment",
    );
    assert_eq!(
        out,
        "2026-01-06 log acme 15m #dev Fixed header alignment\n\
         → journal.credits\n\
         acme: balance 10 credits (10:00), pending 0:15, available 9.75 credits (9:45) as of 2026-01-06\n"
    );
}

#[test]
fn every_verb_writes_the_journals_words_in_the_journals_order() {
    appends(
        &[
            "buy",
            "acme",
            "5h",
            "--price",
            "110 USD",
            "--expires",
            "12mo",
            "--ref",
            "INV-2",
        ],
        "2026-01-06 buy acme 5h @ 110 USD expires 1y ref:INV-2",
    );
    appends(&["buy", "acme", "five"], "2026-01-06 buy acme five");
    appends(
        &["buy", "acme", "2h", "--total", "250"],
        "2026-01-06 buy acme 2h for 250",
    );
    appends(
        &["debit", "acme", "banner", "Spring banner"],
        "2026-01-06 debit acme banner Spring banner",
    );
    appends(&["debit", "acme", "2"], "2026-01-06 debit acme 2h");
    appends(
        &[
            "quote",
            "acme",
            "Q7",
            "3",
            "--due",
            "2026-02-01",
            "Landing page",
        ],
        "2026-01-06 quote acme Q7 3h due:2026-02-01 Landing page",
    );
    appends(
        &["apply", "acme", "240", "USD", "--project", "redesign"],
        "2026-01-06 apply acme 240 USD project:redesign",
    );
    appends(
        &["refund", "acme", "INV-1", "2h"],
        "2026-01-06 refund acme INV-1 2h",
    );
    appends(
        &["refund", "acme", "2026-01-05"],
        "2026-01-06 refund acme 2026-01-05",
    );
    appends(
        &["adjust", "acme", "-30m", "Call logged twice"],
        "2026-01-06 adjust acme -30m Call logged twice",
    );
    appends(
        &["adjust", "acme", "+1h", "Goodwill"],
        "2026-01-06 adjust acme +1h Goodwill",
    );
    appends(&["plan", "acme", "care"], "2026-01-06 plan acme care");
    appends(&["plan", "acme", "none"], "2026-01-06 plan acme none");
    appends(
        &["bill", "acme", "--ref", "INV-9", "March overage"],
        "2026-01-06 bill acme ref:INV-9 March overage",
    );
    appends(
        &["assert", "acme", "10h", "--date", "2026-01-05"],
        "2026-01-05 assert acme 10h",
    );
}

#[test]
fn the_quote_answers_follow_the_quote() {
    let book = Book::studio();
    book.ok(&["quote", "acme", "Q7", "3"]);
    book.ok(&["approve", "acme", "Q7"]);
    let out = book.ok(&["done", "acme", "Q7", "--date", "2026-01-07"]);
    assert!(out.starts_with("2026-01-07 done acme Q7\n"), "{out}");
    book.ok(&["quote", "acme", "Q8", "1h"]);
    book.ok(&["reject", "acme", "Q8"]);
    assert!(book.text().ends_with(
        "2026-01-06 quote acme Q7 3h\n2026-01-06 approve acme Q7\n2026-01-07 done acme Q7\n\
         2026-01-06 quote acme Q8 1h\n2026-01-06 reject acme Q8\n"
    ));
    book.check_is_clean();
}

#[test]
fn warnings_come_with_the_balance() {
    let book = Book::studio();
    let out = book.ok(&["debit", "acme", "9h"]);
    assert!(out.contains("warning: "), "{out}");
    assert!(out.contains("acme: balance 1 credit (1:00)"), "{out}");
}

#[test]
fn lines_that_would_fail_check_are_refused_and_the_journal_is_untouched() {
    let book = Book::studio();
    let err = book.refused(&["done", "acme", "Q1"], 1);
    assert!(err.contains("unknown quote `Q1`"), "{err}");
    assert!(err.contains("not written"), "{err}");

    book.ok(&["quote", "acme", "Q1", "1h"]);
    let err = book.refused(&["done", "acme", "Q1"], 1);
    assert!(err.contains("journal.credits:5:12:"), "{err}");
    assert!(err.contains("5 | 2026-01-06 done acme Q1"), "{err}");
    assert!(err.contains("help: approve it first"), "{err}");

    let err = book.refused(&["log", "globex", "3h", "too much"], 1);
    assert!(err.contains("`deny`"), "{err}");

    let err = book.refused(&["apply", "acme", "5000"], 1);
    assert!(err.contains("apply at most"), "{err}");

    let err = book.refused(&["refund", "acme", "INV-1", "--date", "2026-03-01"], 1);
    assert!(err.contains("could be refunded only through"), "{err}");

    let err = book.refused(&["log", "initech", "15m"], 1);
    assert!(err.contains("no client `initech`"), "{err}");
    assert!(err.contains("`acme`, `globex`"), "{err}");

    let err = book.refused(&["assert", "acme", "3h"], 1);
    assert!(err.contains("assert"), "{err}");

    let err = book.refused(&["plan", "acme", "gold"], 1);
    assert!(err.contains("gold"), "{err}");
}

#[test]
fn a_line_that_breaks_a_later_assertion_is_refused() {
    let book = Book::new(
        BOOK,
        format!("{JOURNAL}2026-01-10 assert acme 10h\n").as_bytes(),
    );
    let err = book.refused(&["debit", "acme", "1h"], 1);
    assert!(err.contains("journal.credits:4:"), "{err}");
}

#[test]
fn bad_words_are_usage_errors_that_say_how_to_fix_them() {
    let book = Book::studio();
    let err = book.refused(&["log", "acme", "15"], 2);
    assert!(
        err.contains("`15` is a number of credits, but `log` takes a duration"),
        "{err}"
    );
    assert!(err.contains("help: write `15m`"), "{err}");
    let err = book.refused(&["adjust", "acme", "1h", "why"], 2);
    assert!(err.contains("has no sign"), "{err}");
    book.refused(&["log", "acme", "15m", "--tag", "two words"], 2);
    book.refused(&["log", "acme", "15m", "--date", "2026-13-01"], 2);
    book.refused(&["buy", "acme", "0h"], 2);
    book.refused(&["buy", "acme", "1h", "--expires", "soon"], 2);
}

#[test]
fn a_book_with_problems_is_not_written_to() {
    let broken = format!("{JOURNAL}2026-01-05 log acme 15 oops\n");
    let book = Book::new(BOOK, broken.as_bytes());
    let err = book.refused(&["log", "acme", "15m"], 1);
    assert!(err.contains("journal.credits:4:21:"), "{err}");
    assert!(err.contains("fix them before writing"), "{err}");

    let failing = format!("{JOURNAL}2026-01-05 assert acme 1h\n");
    let book = Book::new(BOOK, failing.as_bytes());
    let err = book.refused(&["log", "acme", "15m"], 1);
    assert!(err.contains("fix them before writing"), "{err}");
}

#[test]
fn a_line_that_would_mend_the_book_is_refused_until_the_book_is_fixed() {
    // The assertion fails now; a purchase on its date would make it pass.
    let failing = format!("{JOURNAL}2026-01-06 assert acme 12h\n");
    let book = Book::new(BOOK, failing.as_bytes());
    let err = book.refused(&["buy", "acme", "2h", "--date", "2026-01-06"], 1);
    assert!(err.contains("journal.credits:4:"), "{err}");
    assert!(err.contains("fix them before writing"), "{err}");

    // Another client's problem stops a line for acme too.
    let other = format!("{JOURNAL}2026-01-06 assert globex 5h\n");
    let book = Book::new(BOOK, other.as_bytes());
    let err = book.refused(&["log", "acme", "15m"], 1);
    assert!(err.contains("journal.credits:4:"), "{err}");
    assert!(err.contains("fix them before writing"), "{err}");
}

#[test]
fn a_backdated_line_is_validated_and_written_like_any_other() {
    let book = Book::studio();
    // Dated before the client's purchase: the journal is then out of date order.
    let out = book.ok(&["log", "acme", "30m", "--date", "2026-01-04", "early call"]);
    assert!(
        out.starts_with("2026-01-04 log acme 30m early call\n"),
        "{out}"
    );
    assert!(
        out.contains("acme: balance 10 credits (10:00), pending 0:30"),
        "{out}"
    );
    book.check_is_clean();
    let err = book.refused(&["debit", "globex", "3h", "--date", "2026-01-04"], 1);
    assert!(err.contains("`overdraft` is `deny`"), "{err}");
}

#[test]
fn user_text_stays_one_line_of_description() {
    let book = Book::studio();
    for text in [
        "a\ttab\t\tand two",
        "include other.credits",
        "; not a comment",
        "a ; b",
        "say \"hi\" \\ there",
        "#notatag ref:x",
        "2026-01-01 buy acme 100h",
        "   padded   ",
        "café ☕ ünïcödé",
    ] {
        book.ok(&["log", "acme", "15m", text]);
    }
    let r = book.run(&["check"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stdout, "ok: 2 clients, 11 entries in 1 journal\n");
    let text = book.text();
    assert_eq!(text.lines().count(), 3 + 9, "{text}");
    assert!(!text.contains("\ninclude"), "{text}");
}

#[test]
fn typed_text_a_journal_may_not_hold_is_refused_and_named() {
    let book = Book::studio();
    for (text, holds) in [
        ("two\nlines", "a line feed (U+000A)"),
        ("a\rb", "a carriage return (U+000D)"),
        ("bell\u{7}", "a control character (U+0007)"),
        ("a\u{2028}b", "a line separator (U+2028)"),
        (
            "abc\u{202e}def",
            "a bidirectional control character (U+202E)",
        ),
    ] {
        let err = book.refused(&["log", "acme", "15m", text], 2);
        let shown = text.escape_debug().to_string();
        assert!(
            err.starts_with(&format!("error: the description `{shown}` holds {holds}\n")),
            "{err}"
        );
    }
    let err = book.refused(&["log", "acme", "15m", "x", "--tag", "a\u{2066}b"], 2);
    assert!(
        err.contains("the tag `a\\u{2066}b` holds a bidirectional control"),
        "{err}"
    );
}

#[test]
fn appending_keeps_crlf_a_bom_and_ends_a_last_comment_line() {
    let crlf = "\u{feff}2026-01-05 buy acme 10h @ 120 USD\r\n; note";
    let book = Book::new(BOOK, crlf.as_bytes());
    book.ok(&["log", "acme", "15m"]);
    book.ok(&["log", "acme", "30m"]);
    assert_eq!(
        book.text(),
        format!("{crlf}\r\n2026-01-06 log acme 15m\r\n2026-01-06 log acme 30m\r\n")
    );

    let bare = "2026-01-05 buy acme 10h @ 120 USD\n; bare";
    let book = Book::new(BOOK, bare.as_bytes());
    book.ok(&["log", "acme", "15m"]);
    assert_eq!(book.text(), format!("{bare}\n2026-01-06 log acme 15m\n"));
}

#[test]
fn a_missing_journal_is_created_by_the_first_write() {
    let book = Book::studio();
    std::fs::remove_file(book.path().join("journal.credits")).unwrap();
    book.ok(&["buy", "acme", "1h"]);
    assert_eq!(book.text(), "2026-01-06 buy acme 1h\n");
}

#[cfg(unix)]
#[test]
fn appending_keeps_the_mode_and_writes_through_a_symlink() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let book = Book::studio();
    let real = book.path().join("real.credits");
    std::fs::rename(book.path().join("journal.credits"), &real).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    symlink(&real, book.path().join("journal.credits")).unwrap();
    book.ok(&["log", "acme", "15m"]);
    let meta = std::fs::symlink_metadata(book.path().join("journal.credits")).unwrap();
    assert!(meta.file_type().is_symlink());
    assert_eq!(
        std::fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert_eq!(
        std::fs::read_to_string(&real).unwrap(),
        format!("{JOURNAL}2026-01-06 log acme 15m\n")
    );
}

#[test]
fn the_client_is_found_from_the_flag_the_environment_the_folder_or_the_only_one() {
    let book = Book::studio();
    let home = book.path();
    let deep = home.join("work/acme/deep/src");
    std::fs::create_dir_all(&deep).unwrap();
    let file = home.join("credits.toml");
    let file = file.to_str().unwrap();

    let log = |cwd: &Path, extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec!["-f", file, "log", "15m", "x"];
        args.extend_from_slice(extra);
        let r = book.run_in(cwd, &args, env);
        assert_eq!(r.code, 0, "{r:?}");
        r.stdout.lines().next().unwrap_or_default().to_string()
    };
    assert_eq!(
        log(&deep, &[], &[]),
        "2026-01-06 log acme 15m x",
        "deepest dirs match wins over `~/work`"
    );
    assert_eq!(
        log(&home.join("work"), &[], &[]),
        "2026-01-06 log globex 15m x"
    );
    assert_eq!(
        log(&deep, &[], &[("CREDITS_CLIENT", "globex")]),
        "2026-01-06 log globex 15m x"
    );
    assert_eq!(
        log(
            &deep,
            &["--client", "globex"],
            &[("CREDITS_CLIENT", "acme")]
        ),
        "2026-01-06 log globex 15m x"
    );
    // An empty variable names nobody: the folder decides.
    assert_eq!(
        log(&deep, &[], &[("CREDITS_CLIENT", "")]),
        "2026-01-06 log acme 15m x"
    );

    let r = book.run_in(home, &["log", "15m", "x"], &[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("which client?"), "{r:?}");
    assert!(r.stderr.contains("`acme`, `globex`"), "{r:?}");

    let one = Book::new(
        "[book]\ncurrency = \"USD\"\n[clients.solo]\n",
        b"2026-01-01 buy solo 1h @ 100\n",
    );
    assert!(
        one.ok(&["log", "15m"])
            .starts_with("2026-01-06 log solo 15m\n")
    );
}

#[test]
fn a_timer_logs_its_clock_range_when_stopped() {
    let book = Book::studio();
    let out = book.ok(&["start", "acme", "Plugin", "update", "--at", "09:15"]);
    assert_eq!(
        out,
        "acme: running since 2026-01-06 09:15 (Plugin update)\n"
    );
    assert!(book.path().join(".credits-timer").is_file());
    let status = book.ok(&["status"]);
    assert!(
        status.starts_with("acme: running since 2026-01-06 09:15 (Plugin update), for "),
        "{status}"
    );
    let out = book.ok(&["stop", "--at", "10:40"]);
    assert!(
        out.starts_with("2026-01-06 log acme 09:15-10:40 Plugin update\n→ journal.credits\n"),
        "{out}"
    );
    assert!(!book.path().join(".credits-timer").exists());
    assert_eq!(book.ok(&["status"]), "no timer is running\n");
    book.refused(&["stop"], 1);
    book.check_is_clean();
}

#[test]
fn a_timer_past_midnight_logs_its_duration_on_the_start_date() {
    let book = Book::studio();
    book.ok(&["start", "acme", "--at", "23:30"]);
    let out = book.ok(&["--today", "2026-01-07", "stop", "--at", "00:15"]);
    assert!(out.starts_with("2026-01-06 log acme 45m\n"), "{out}");
}

#[test]
fn a_refused_stop_keeps_the_timer_and_cancel_drops_it() {
    let book = Book::studio();
    book.ok(&["start", "globex", "--at", "08:00"]);
    let err = book.refused(&["stop", "--at", "11:00"], 1);
    assert!(err.contains("`deny`"), "{err}");
    assert!(book.path().join(".credits-timer").is_file());
    book.ok(&["stop", "--cancel"]);
    assert!(!book.path().join(".credits-timer").exists());
}

#[test]
fn init_writes_a_book_that_checks_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        command(dir.path(), dir.path())
            .args(args)
            .output()
            .expect("run credits")
    };
    let out = run(&["init", "studio"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let book = dir.path().join("studio");
    assert_eq!(
        std::fs::read_to_string(book.join(".gitattributes")).unwrap(),
        "*.credits merge=credits\n"
    );
    assert_eq!(std::fs::read(book.join("journal.credits")).unwrap(), b"");
    let toml = std::fs::read_to_string(book.join("credits.toml")).unwrap();
    for key in [
        "debit",
        "round_to",
        "order",
        "expires",
        "refund_days",
        "overdraft",
        "unit_price",
        "warn_days",
        "low_balance",
        "expiry_tiers",
        "dirs",
    ] {
        assert!(toml.contains(key), "the book does not show `{key}`");
    }
    let out = run(&["-f", "studio", "check"]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    let out = run(&["init", "studio"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already has"));
    assert_eq!(
        std::fs::read_to_string(book.join("credits.toml")).unwrap(),
        toml
    );
}

#[test]
fn completions_and_the_man_page_come_from_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = command(dir.path(), dir.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&out.stdout).contains("credits"));
    }
    let out = command(dir.path(), dir.path()).arg("man").output().unwrap();
    let man = String::from_utf8_lossy(&out.stdout);
    assert!(man.contains(".TH credits"), "{man}");
    assert!(man.contains("log"), "{man}");
}

// ----- quotes and estimates -----------------------------------------------------------

/// The client's `balance_minutes`, `reserved_minutes` and `available_minutes`, from JSON.
fn minutes_of(book: &Book, client: &str, today: &str) -> (String, String, String) {
    let out = book.ok(&["balance", client, "--format", "json", "--today", today]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("balance JSON");
    let c = &v["clients"][0];
    let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
    (
        s("balance_minutes"),
        s("reserved_minutes"),
        s("available_minutes"),
    )
}

#[test]
fn work_logged_on_a_fixed_quote_is_charged_once_by_done() {
    let book = Book::studio();
    book.ok(&["quote", "acme", "Q1", "3h", "Landing page"]);
    book.ok(&["approve", "acme", "Q1"]);
    let out = book.ok(&["log", "acme", "2h", "--quote", "Q1", "Build"]);
    assert!(
        out.starts_with("2026-01-06 log acme 2h quote:Q1 Build\n"),
        "{out}"
    );
    assert_eq!(
        minutes_of(&book, "acme", TODAY),
        ("600".into(), "180".into(), "420".into()),
        "the work on the quote is not debited and nothing is pending"
    );
    book.ok(&["done", "acme", "Q1"]);
    assert_eq!(
        minutes_of(&book, "acme", TODAY),
        ("420".into(), "0".into(), "420".into()),
        "a 3-hour fixed quote debits 3 hours, not 5"
    );
    book.check_is_clean();
}

#[test]
fn log_on_an_unknown_or_unapproved_quote_is_refused_in_command_line_words() {
    let book = Book::studio();
    let err = book.refused(&["log", "acme", "30m", "--quote", "NOPE"], 1);
    assert!(
        err.contains("`--quote NOPE` names no quote or estimate of `acme`"),
        "{err}"
    );
    assert!(err.contains("help: `acme` has no approved quote or estimate: leave out `--quote NOPE`, or write and approve one first"), "{err}");
    book.ok(&["quote", "acme", "Q1", "3h"]);
    let err = book.refused(&["log", "acme", "30m", "--quote", "Q1"], 1);
    assert!(
        err.contains("`--quote Q1` names quote `Q1`, which is pending, not approved"),
        "{err}"
    );
    assert!(
        err.contains("help: approve it first: `credits approve acme Q1`"),
        "{err}"
    );
    book.check_is_clean();
}

#[test]
fn an_estimate_is_written_and_its_logs_are_debited_and_release_the_reservation() {
    let out = appends(
        &[
            "estimate",
            "acme",
            "E1",
            "2h",
            "--due",
            "2026-01-31",
            "Shop migration",
        ],
        "2026-01-06 estimate acme E1 2h due:2026-01-31 Shop migration",
    );
    assert!(out.contains("available 10 credits (10:00)"), "{out}");
    let book = Book::studio();
    book.ok(&["estimate", "acme", "E1", "2h"]);
    book.ok(&["approve", "acme", "E1"]);
    book.ok(&["log", "acme", "1h", "--quote", "E1"]);
    assert_eq!(
        minutes_of(&book, "acme", TODAY),
        ("540".into(), "60".into(), "480".into())
    );
    book.ok(&["done", "acme", "E1"]);
    assert_eq!(
        minutes_of(&book, "acme", TODAY),
        ("540".into(), "0".into(), "540".into()),
        "`done` on an estimate debits nothing and releases the rest"
    );
}

#[test]
fn under_deny_a_quote_beyond_the_available_time_cannot_be_approved() {
    let book = Book::studio();
    book.ok(&["quote", "globex", "Q1", "5h"]);
    let err = book.refused(&["approve", "globex", "Q1"], 1);
    assert!(
        err.contains("cannot approve quote `Q1`: it reserves 5h but `globex` has only 2h available, and `overdraft` is `deny`"),
        "{err}"
    );
}

#[test]
fn an_approved_quote_past_its_due_date_is_overdue_in_the_balance() {
    let book = Book::studio();
    book.ok(&["quote", "acme", "Q7", "3h", "--due", "2026-02-01"]);
    book.ok(&["approve", "acme", "Q7"]);
    let text = book.ok(&["balance", "acme", "--today", "2026-02-02"]);
    assert!(
        text.contains("warning: quote Q7 was due 2026-02-01"),
        "{text}"
    );
    let json = book.ok(&["balance", "--format", "json", "--today", "2026-02-02"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["clients"][0]["warnings"][0],
        serde_json::json!({"kind": "overdue", "date": "2026-02-01", "minutes": "180",
                           "message": "quote Q7 was due 2026-02-01"})
    );
    let on_time = book.ok(&["balance", "acme", "--today", "2026-02-01"]);
    assert!(
        !on_time.contains("overdue") && !on_time.contains("was due"),
        "{on_time}"
    );
}

#[test]
fn a_refund_cannot_take_the_time_pending_work_needs() {
    let book = Book::studio();
    book.ok(&["log", "acme", "45m"]);
    let err = book.refused(&["refund", "acme", "INV-1", "10h"], 1);
    assert!(
        err.contains("at most 9h15m of lot `INV-1` can be refunded: 45m of logged work is pending"),
        "{err}"
    );
    book.ok(&["refund", "acme", "INV-1", "9h15m"]);
    assert_eq!(
        minutes_of(&book, "acme", TODAY),
        ("45".into(), "0".into(), "0".into())
    );
}

/// How many entry lines a journal holds.
fn entry_lines(text: &str) -> usize {
    text.lines().filter(|l| l.starts_with("20")).count()
}

#[test]
fn sixteen_writers_at_once_append_exactly_four_hundred_entries() {
    let book = Book::studio();
    let bin = env!("CARGO_BIN_EXE_credits");
    let home = book.path().to_path_buf();
    let writers: Vec<_> = (0..16)
        .map(|w| {
            let home = home.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    let out = command(&home, &home)
                        .args(["--today", TODAY, "log", "acme", "1m"])
                        .arg(format!("writer {w} entry {i}"))
                        .output()
                        .expect("run credits");
                    assert_eq!(out.status.code(), Some(0), "{out:?}");
                }
            })
        })
        .collect();
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let home = home.clone();
            std::thread::spawn(move || {
                for _ in 0..40 {
                    let out = std::process::Command::new(bin)
                        .current_dir(&home)
                        .env("HOME", &home)
                        .env("NO_COLOR", "1")
                        .args(["--today", TODAY, "check", "-q"])
                        .output()
                        .expect("run credits");
                    assert_eq!(
                        out.status.code(),
                        Some(0),
                        "a reader saw a torn file: {out:?}"
                    );
                }
            })
        })
        .collect();
    for t in writers.into_iter().chain(readers) {
        t.join().expect("a thread failed");
    }
    let text = book.text();
    assert!(text.starts_with(JOURNAL));
    assert_eq!(entry_lines(&text), 2 + 400);
    for w in 0..16 {
        for i in 0..25 {
            assert!(text.contains(&format!("writer {w} entry {i}\n")));
        }
    }
    book.check_is_clean();
}

#[test]
fn a_writer_killed_at_any_moment_leaves_whole_lines_and_no_stale_lock() {
    let book = Book::studio();
    let bin = env!("CARGO_BIN_EXE_credits");
    let mut before = book.journal();
    // A cheap pseudo-random sequence of delays, from 0 to ~12 ms, without a clock seed.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for round in 0..60 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = std::time::Duration::from_micros(seed % 12_000);
        let mut child = std::process::Command::new(bin)
            .current_dir(book.path())
            .env("HOME", book.path())
            .args(["--today", TODAY, "log", "acme", "1m"])
            .arg(format!("round {round}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn credits");
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let after = book.journal();
        assert!(
            after.starts_with(&before),
            "round {round} changed old bytes"
        );
        let added = String::from_utf8(after[before.len()..].to_vec()).expect("UTF-8");
        assert!(
            added.is_empty() || added == format!("2026-01-06 log acme 1m round {round}\n"),
            "round {round} left {added:?}"
        );
        // The next command works at once: the lock died with the writer.
        let out = book.ok(&["log", "acme", "1m", "after", &round.to_string()]);
        assert!(out.starts_with("2026-01-06 log acme 1m after"), "{out}");
        before = book.journal();
    }
    book.check_is_clean();
}

/// A line of a random journal that `check` accepts: entries for acme, comments, blanks, odd
/// spacing and non-ASCII text.
fn journal_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2026-01-05 buy acme 10h @ 120 USD".to_string()),
        Just(String::new()),
        Just("   ".to_string()),
        "[a-zà-ÿ ☕]{0,20}".prop_map(|c| format!("; {c}")),
        "[a-zà-ÿ☕]{1,12}".prop_map(|c| format!("# {c}")),
        ("[ \t]{1,3}", "[a-zé ]{0,12}")
            .prop_map(|(sp, d)| format!("2026-01-0{}{sp}log{sp}acme  15m {d}", 3)),
        "[a-zé☕]{1,12}".prop_map(|d| format!("2026-01-04 log acme 1h ; {d}")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn a_log_keeps_any_journal_as_an_exact_prefix(
        lines in proptest::collection::vec(journal_line(), 0..8),
        crlf in any::<bool>(),
        final_newline in any::<bool>(),
        bom in any::<bool>(),
        description in "[^\u{0}-\u{1f}\u{7f}-\u{9f}\u{2028}-\u{202e}\u{2066}-\u{2069}]{0,30}",
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = String::new();
        if bom {
            text.push('\u{feff}');
        }
        text.push_str("2026-01-02 buy acme 1h @ 100 USD");
        for l in &lines {
            text.push_str(eol);
            text.push_str(l);
        }
        if final_newline {
            text.push_str(eol);
        }
        let book = Book::new(BOOK, text.as_bytes());
        let r = book.run(&["log", "acme", "1m", "--", &description]);
        // A last entry line without a line end may be a torn write: refused, untouched.
        let last = lines.last().map_or("2026-01-02 buy acme 1h", String::as_str);
        let first = last.trim_start_matches([' ', '\t']).chars().next();
        if !final_newline && !matches!(first, None | Some(';' | '#')) {
            prop_assert_eq!(r.code, 1, "{:?}", r);
            prop_assert!(r.stderr.contains("the last line may be an interrupted write"), "{:?}", r);
            prop_assert_eq!(book.journal(), text.as_bytes());
            return Ok(());
        }
        prop_assert_eq!(r.code, 0, "{:?}", r);
        let after = book.journal();
        prop_assert!(after.starts_with(text.as_bytes()));
        let added = String::from_utf8(after[text.len()..].to_vec()).unwrap();
        let line = r.stdout.lines().next().unwrap_or_default().to_string();
        // The first line's ending decides; a file of one line without one gets LF.
        let eol = if text.contains('\n') { eol } else { "\n" };
        let sep = if text.ends_with('\n') { "" } else { eol };
        prop_assert_eq!(added, format!("{sep}{line}{eol}"));
        // The description round-trips exactly.
        let check = book.run(&["check"]);
        prop_assert_eq!(check.code, 0, "{:?}", check);
        let parsed = credits::syntax::journal::parse(&line, credits::source::FileId(0), 60.into());
        prop_assert_eq!(parsed.entries.len(), 1);
        prop_assert_eq!(&parsed.entries[0].description, &description);
    }
}
