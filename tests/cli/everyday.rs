//! Everyday writing: the book found from any folder through the user configuration, `undo`,
//! timers that switch, and refusals in the command line's words.

use crate::support::{Case, command, unindent};
use std::path::{Path, PathBuf};

/// A home folder kept for several runs of `credits` (a [`Case`] is one run).
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn file(self, path: &str, text: &str) -> Home {
        let path = self.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, unindent(text)).unwrap();
        self
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.path().join(path)).unwrap()
    }

    /// Run in the folder `cwd` (created) with `env`: the exit code, stdout and stderr.
    fn run_env(&self, cwd: &str, env: &[(&str, &str)], args: &[&str]) -> (i32, String, String) {
        let cwd: PathBuf = self.path().join(cwd);
        std::fs::create_dir_all(&cwd).unwrap();
        let mut cmd = command(self.path(), &cwd);
        cmd.args(["--today", "2026-01-06"]).args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!stderr.contains("panicked"), "{stderr}");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr,
        )
    }

    /// Run in `cwd`; it must succeed; its stdout.
    #[track_caller]
    fn ok(&self, cwd: &str, args: &[&str]) -> String {
        let (code, out, err) = self.run_env(cwd, &[], args);
        assert_eq!(code, 0, "credits {args:?}\n{out}{err}");
        out
    }
}

/// A home folder with two books and a work folder outside both.
const STUDIO: &str = r#"
    [book]
    name = "Studio"
    currency = "USD"
    journals = ["journal.credits"]

    [clients.acme]
    dirs = ["~/work/acme-site"]

    [clients.globex]
    dirs = ["~/work"]
"#;

const SIDE: &str = r#"
    [book]
    name = "Side"
    currency = "USD"
    journals = ["journal.credits"]

    [clients.initech]
    dirs = ["~/work/acme-site/initech-fork"]
"#;

fn homes() -> Home {
    Home::new()
        .file("books/studio/credits.toml", STUDIO)
        .file("books/studio/journal.credits", "")
        .file("books/side/credits.toml", SIDE)
        .file("books/side/journal.credits", "")
        .file(
            ".config/credits/config.toml",
            "books = [\"~/books/studio\", \"~/books/side\"]\n",
        )
}

#[test]
fn a_folder_in_a_clients_dirs_finds_its_book_through_the_user_configuration() {
    let home = homes();
    let out = home.ok("work/acme-site", &["log", "15m", "Fixed", "the", "header"]);
    assert!(
        out.starts_with("2026-01-06 log acme 15m Fixed the header\n"),
        "{out}"
    );
    assert_eq!(
        home.read("books/studio/journal.credits"),
        "2026-01-06 log acme 15m Fixed the header\n"
    );
}

#[test]
fn the_deepest_dirs_match_wins_across_configured_books() {
    let home = homes();
    let out = home.ok("work/acme-site/initech-fork/src", &["log", "30m"]);
    assert!(out.starts_with("2026-01-06 log initech 30m\n"), "{out}");
    assert_eq!(
        home.read("books/side/journal.credits"),
        "2026-01-06 log initech 30m\n"
    );
    assert_eq!(home.read("books/studio/journal.credits"), "");
}

#[test]
fn a_folder_no_client_holds_uses_the_first_configured_book() {
    let out = homes().ok("elsewhere", &["clients"]);
    assert!(out.contains("acme"), "{out}");
}

#[test]
fn a_nearer_credits_toml_and_credits_file_come_before_the_configuration() {
    let home = homes()
        .file(
            "work/acme-site/credits.toml",
            "[book]\ncurrency = \"USD\"\n[clients.local]\n",
        )
        .file("work/acme-site/journal.credits", "");
    let out = home.ok("work/acme-site/sub", &["clients"]);
    assert!(out.contains("local") && !out.contains("acme"), "{out}");
    let (code, out, err) = home.run_env(
        "work/acme-site",
        &[("CREDITS_FILE", "../../books/side")],
        &["clients"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("initech"), "{out}");
}

#[test]
fn xdg_config_home_moves_the_configuration() {
    Case::new()
        .file("books/studio/credits.toml", STUDIO)
        .file("books/studio/journal.credits", "")
        .file("cfg/credits/config.toml", "books = [\"~/books/studio\"]\n")
        .current_dir("work/acme-site")
        .env("XDG_CONFIG_HOME", "/nonexistent-for-now")
        .args(["clients"])
        .code(1)
        .stderr_has("list your books in `/nonexistent-for-now/credits/config.toml`")
        .run();
    let case = Case::new()
        .file("books/studio/credits.toml", STUDIO)
        .file("books/studio/journal.credits", "")
        .file("cfg/credits/config.toml", "books = [\"~/books/studio\"]\n");
    let cfg = case.path().join("cfg");
    case.current_dir("work/acme-site")
        .env("XDG_CONFIG_HOME", cfg.to_str().unwrap())
        .args(["clients"])
        .stdout_has("acme")
        .run();
}

#[test]
fn a_bad_configuration_is_an_error_at_its_line() {
    Case::new()
        .file(
            ".config/credits/config.toml",
            "# my books\nbook = [\"~/books/studio\"]\n",
        )
        .current_dir("work")
        .args(["clients"])
        .code(1)
        .stderr_has(".config/credits/config.toml:2:1: unknown field `book`, expected `books`")
        .stderr_has("unknown field `book`")
        .run();
}

#[test]
fn a_missing_configured_book_is_an_error_at_its_line() {
    Case::new()
        .file(
            ".config/credits/config.toml",
            "books = [\n  \"~/books/gone\",\n]\n",
        )
        .current_dir("work")
        .args(["clients"])
        .code(1)
        .stderr_has(".config/credits/config.toml:2:3: the book `~/books/gone` does not exist")
        .run();
}

#[test]
fn init_prints_the_line_for_the_user_configuration() {
    let home = Home::new();
    let out = home.ok(".", &["init", "books/studio"]);
    assert!(
        out.ends_with(
            "to use this book from any folder, add it to ~/.config/credits/config.toml:\n  books = [\"~/books/studio\"]\n"
        ),
        "{out}"
    );
    assert!(
        !home.path().join(".config").exists(),
        "init edited the configuration"
    );
    let ignore = home.read("books/studio/.gitignore");
    assert!(ignore.contains(".credits-undo\n"), "{ignore}");
    assert!(ignore.contains(".credits-timer\n"), "{ignore}");
}

#[test]
fn credits_now_sets_today_and_a_bad_one_is_bad_usage() {
    Case::new()
        .book("[book]\ncurrency = \"USD\"\n[clients.acme]\n")
        .no_today()
        .env("CREDITS_NOW", "2026-03-02T09:15")
        .args(["log", "acme", "15m"])
        .stdout_has("2026-03-02 log acme 15m\n")
        .run();
    Case::new()
        .book("[book]\ncurrency = \"USD\"\n[clients.acme]\n")
        .no_today()
        .env("CREDITS_NOW", "2026-03-02 09:15")
        .args(["balance"])
        .code(2)
        .stderr_has(
            "`CREDITS_NOW` is `2026-03-02 09:15`, but it must be a date and time YYYY-MM-DDTHH:MM",
        )
        .run();
}

const BOOK: &str = r#"
    [book]
    currency = "USD"
    journals = ["journal.credits", "other.credits"]

    [clients.acme]

    [clients.globex]
"#;

fn book(journal: &str) -> Home {
    Home::new()
        .file("credits.toml", BOOK)
        .file("other.credits", "")
        .file("journal.credits", journal)
}

fn raw(home: &Home, path: &str, bytes: &[u8]) {
    std::fs::write(home.path().join(path), bytes).unwrap();
}

fn refused(home: &Home, args: &[&str]) -> String {
    let (code, out, err) = home.run_env(".", &[], args);
    assert_eq!(code, 1, "credits {args:?}\n{out}{err}");
    assert_eq!(out, "", "{err}");
    err
}

#[test]
fn undo_after_a_log_leaves_the_journal_byte_for_byte_as_it_was() {
    for before in [
        "2026-01-01 buy acme 10h @ 100\n",
        "2026-01-01 buy acme 10h @ 100\r\n",
        "2026-01-01 buy acme 10h @ 100\n; a comment without a line end",
        "",
    ] {
        let home = book("");
        raw(&home, "journal.credits", before.as_bytes());
        home.ok(".", &["log", "acme", "15m", "Fixed", "the", "header"]);
        assert_ne!(home.read("journal.credits"), before);
        let out = home.ok(".", &["undo"]);
        assert!(
            out.starts_with("removed: 2026-01-06 log acme 15m Fixed the header\n← journal.credits\nacme: balance "),
            "{out}"
        );
        assert_eq!(home.read("journal.credits"), before, "{before:?}");
        assert!(!home.path().join(".credits-undo").exists());
    }
}

#[test]
fn a_second_undo_refuses() {
    let home = book("2026-01-01 buy acme 10h @ 100\n");
    home.ok(".", &["log", "acme", "15m"]);
    home.ok(".", &["log", "acme", "30m"]);
    home.ok(".", &["undo"]);
    let err = refused(&home, &["undo"]);
    assert!(err.contains("error: nothing to undo"), "{err}");
    assert_eq!(
        home.read("journal.credits"),
        "2026-01-01 buy acme 10h @ 100\n2026-01-06 log acme 15m\n"
    );
}

#[test]
fn undo_after_a_hand_edit_refuses_and_changes_nothing() {
    let home = book("2026-01-01 buy acme 10h @ 100\n");
    home.ok(".", &["log", "acme", "15m"]);
    // The line itself edited (same length).
    let edited = "2026-01-01 buy acme 10h @ 100\n2026-01-06 log acme 25m\n";
    raw(&home, "journal.credits", edited.as_bytes());
    let err = refused(&home, &["undo"]);
    assert!(
        err.contains("error: cannot undo `2026-01-06 log acme 15m`: `journal.credits` was changed since it was written"),
        "{err}"
    );
    assert_eq!(home.read("journal.credits"), edited);

    // A line added after it by hand.
    let home = book("2026-01-01 buy acme 10h @ 100\n");
    home.ok(".", &["log", "acme", "15m"]);
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(home.path().join("journal.credits"))
        .unwrap();
    std::io::Write::write_all(&mut f, b"2026-01-06 log globex 1h\n").unwrap();
    let before = home.read("journal.credits");
    let err = refused(&home, &["undo"]);
    assert!(
        err.contains(
            "it is no longer the last line of `journal.credits`: lines were added after it"
        ),
        "{err}"
    );
    assert_eq!(home.read("journal.credits"), before);
}

#[test]
fn undo_after_a_merge_rewrote_the_journal_refuses() {
    let home = book("2026-01-01 buy acme 10h @ 100\n");
    home.ok(".", &["log", "acme", "15m"]);
    // A merge writes the result to a new file renamed over the journal, even when the line is
    // still last.
    let merged = home.read("journal.credits");
    raw(&home, "merged.tmp", merged.as_bytes());
    std::fs::rename(
        home.path().join("merged.tmp"),
        home.path().join("journal.credits"),
    )
    .unwrap();
    let err = refused(&home, &["undo"]);
    assert!(
        err.contains("`journal.credits` was replaced since (by an editor, git or a merge)"),
        "{err}"
    );
    assert_eq!(home.read("journal.credits"), merged);
}

#[test]
fn undo_refuses_when_the_book_would_fail_check_without_the_line() {
    let home = book("2026-01-01 buy acme 10h @ 100\n");
    home.ok(".", &["quote", "acme", "Q1", "2h"]);
    raw(&home, "other.credits", b"2026-01-06 approve acme Q1\n");
    let before = home.read("journal.credits");
    let err = refused(&home, &["undo"]);
    assert!(
        err.contains(
            "not undone: without `2026-01-06 quote acme Q1 2h` the book would fail `credits check`"
        ),
        "{err}"
    );
    assert_eq!(home.read("journal.credits"), before);
}

#[test]
fn undo_in_json_names_the_line_the_file_and_the_client() {
    let home = book("2026-01-01 buy acme 10h @ 100\n");
    home.ok(".", &["log", "acme", "15m"]);
    let out = home.ok(".", &["undo", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["removed"], "2026-01-06 log acme 15m");
    assert_eq!(v["file"], "journal.credits");
    // The client as `credits balance --format json` gives it, after the line is gone.
    assert_eq!(v["client"]["id"], "acme");
    assert_eq!(v["client"]["balance_minutes"], "600");
    assert_eq!(v["client"]["pending_minutes"], "0");
}

fn at(home: &Home, now: &str, args: &[&str]) -> (i32, String, String) {
    home.run_env(".", &[("CREDITS_NOW", now)], args)
}

#[test]
fn start_while_a_timer_runs_logs_that_one_and_starts_the_new_one() {
    let home = book("2026-01-01 buy acme 10h @ 100\n2026-01-01 buy globex 10h @ 100\n");
    let (code, out, err) = at(&home, "2026-01-06T09:15", &["start", "acme", "Call"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "acme: running since 2026-01-06 09:15 (Call)\n"),
        "{err}"
    );
    let (code, out, err) = at(&home, "2026-01-06T10:40", &["start", "globex", "Review"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("2026-01-06 log acme 09:15-10:40 Call\n→ journal.credits\nacme: balance "),
        "{out}"
    );
    assert!(
        out.ends_with("globex: running since 2026-01-06 10:40 (Review)\n"),
        "{out}"
    );
    let (code, out, _) = at(&home, "2026-01-06T11:00", &["stop"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("2026-01-06 log globex 10:40-11:00 Review\n"),
        "{out}"
    );
    assert_eq!(
        home.read("journal.credits"),
        "2026-01-01 buy acme 10h @ 100\n2026-01-01 buy globex 10h @ 100\n\
         2026-01-06 log acme 09:15-10:40 Call\n2026-01-06 log globex 10:40-11:00 Review\n"
    );
}

#[test]
fn a_switch_to_an_unknown_client_keeps_the_running_timer() {
    let home = book("2026-01-01 buy acme 10h @ 100\n");
    at(&home, "2026-01-06T09:15", &["start", "acme"]);
    let timer = home.read(".credits-timer");
    let (code, out, err) = at(&home, "2026-01-06T10:00", &["start", "--client", "acmee"]);
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    assert_eq!(home.read(".credits-timer"), timer);
    assert_eq!(
        home.read("journal.credits"),
        "2026-01-01 buy acme 10h @ 100\n"
    );
}

#[test]
fn cancel_and_stop_cancel_drop_the_timer_and_log_nothing() {
    let home = book("2026-01-01 buy acme 10h @ 100\n");
    for cancel in [&["cancel"][..], &["stop", "--cancel"][..]] {
        at(&home, "2026-01-06T09:15", &["start", "acme", "Call"]);
        let (code, out, err) = at(&home, "2026-01-06T10:00", cancel);
        assert_eq!(code, 0, "{err}");
        assert_eq!(
            out,
            "cancelled: acme: running since 2026-01-06 09:15 (Call)\n"
        );
        assert!(!home.path().join(".credits-timer").exists());
        let (code, _, err) = at(&home, "2026-01-06T10:00", cancel);
        assert_eq!(code, 1);
        assert!(err.contains("error: no timer is running"), "{err}");
    }
    assert_eq!(
        home.read("journal.credits"),
        "2026-01-01 buy acme 10h @ 100\n"
    );
}

#[test]
fn an_at_later_than_now_is_refused() {
    let home = book("2026-01-01 buy acme 10h @ 100\n");
    let (code, out, err) = at(
        &home,
        "2026-01-06T09:00",
        &["start", "acme", "--at", "09:30"],
    );
    assert_eq!((code, out.as_str()), (1, ""));
    assert_eq!(
        err,
        "error: `--at 09:30` is later than now (09:00): a timer cannot start in the future\n  \
         = help: leave out `--at` to start now, or give a time up to 09:00\n"
    );
    assert!(!home.path().join(".credits-timer").exists());
    at(
        &home,
        "2026-01-06T09:00",
        &["start", "acme", "--at", "08:30"],
    );
    let (code, _, err) = at(&home, "2026-01-06T09:00", &["stop", "--at", "09:01"]);
    assert_eq!(code, 1);
    assert!(err.contains("a timer cannot stop in the future"), "{err}");
    assert!(home.path().join(".credits-timer").exists());
    assert_eq!(
        home.read("journal.credits"),
        "2026-01-01 buy acme 10h @ 100\n"
    );
}

#[test]
fn undo_after_credits_merge_rewrote_the_journal_refuses() {
    let home = book("2026-01-01 buy acme 10h @ 100\n");
    let base = home.read("journal.credits");
    home.ok(".", &["log", "acme", "15m"]);
    raw(&home, "base.credits", base.as_bytes());
    raw(
        &home,
        "theirs.credits",
        format!("{base}2026-01-05 log globex 1h\n").as_bytes(),
    );
    home.ok(
        ".",
        &["merge", "base.credits", "journal.credits", "theirs.credits"],
    );
    let merged = home.read("journal.credits");
    assert!(merged.contains("2026-01-06 log acme 15m\n"), "{merged}");
    assert!(merged.contains("2026-01-05 log globex 1h\n"), "{merged}");
    let err = refused(&home, &["undo"]);
    assert!(
        err.contains("error: cannot undo `2026-01-06 log acme 15m`: "),
        "{err}"
    );
    assert_eq!(home.read("journal.credits"), merged);
}
