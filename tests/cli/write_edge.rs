//! The write edge: what happens when the disk is full, a write is cut short, a file is not
//! what it should be, another program rewrites the journal, permissions refuse, or stdout is
//! gone. In every case a refused or failed write leaves the journal byte for byte as it was,
//! and every error from the operating system names the path and the operation.
//!
//! Short writes are forced without privileges: `prlimit --fsize=N` makes the write fail with
//! `EFBIG` at byte N (with `SIGXFSZ` ignored by the shell that execs it). As root, a tiny
//! tmpfs makes a real "disk full", and the permission tests run as `nobody` (root ignores
//! file modes).

use super::support::{TODAY, command, unindent};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BOOK: &str = r#"
    [book]
    name = "Studio"
    currency = "USD"
    journals = ["journal.credits"]

    [policy]
    unit_price = "140"

    [clients.acme]
    name = "Acme Corp"
"#;

const JOURNAL: &str = "\
; the studio's journal
2026-01-05 buy acme 10h @ 120 USD ref:INV-1
";

const BIN: &str = env!("CARGO_BIN_EXE_credits");

/// A book in a temporary folder.
struct Book {
    dir: tempfile::TempDir,
}

/// What one run gave.
#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Book {
    fn new() -> Book {
        Book::in_folder(tempfile::tempdir().expect("a temporary folder"))
    }

    fn in_folder(dir: tempfile::TempDir) -> Book {
        std::fs::write(dir.path().join("credits.toml"), unindent(BOOK)).expect("write the book");
        std::fs::write(dir.path().join("journal.credits"), JOURNAL).expect("write the journal");
        Book { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn journal_path(&self) -> PathBuf {
        self.path().join("journal.credits")
    }

    fn journal(&self) -> Vec<u8> {
        std::fs::read(self.journal_path()).expect("read the journal")
    }

    /// `credits --today TODAY ARGS` in the book's folder.
    fn run(&self, args: &[&str]) -> Run {
        let out = command(self.path(), self.path())
            .env("CREDITS_NOW", format!("{TODAY}T23:59"))
            .arg("--today")
            .arg(TODAY)
            .args(args)
            .output()
            .expect("run credits");
        finish(&out)
    }

    /// `sh -c SCRIPT` in the book's folder, with `$0` the binary and `$@` the arguments after
    /// `--today TODAY`.
    fn sh(&self, script: &str, args: &[&str]) -> Run {
        let out = Command::new("sh")
            .current_dir(self.path())
            .env("HOME", self.path())
            .env("NO_COLOR", "1")
            .env_remove("CREDITS_THREADS")
            .arg("-c")
            .arg(script)
            .arg(BIN)
            .arg("--today")
            .arg(TODAY)
            .args(args)
            .output()
            .expect("run sh");
        finish(&out)
    }

    /// `credits ARGS` with the file size limit at `limit` bytes: a write past it fails with
    /// "file too large".
    fn limited(&self, limit: u64, args: &[&str]) -> Run {
        let script = format!("trap '' XFSZ; exec prlimit --fsize={limit}:{limit} -- \"$0\" \"$@\"");
        self.sh(&script, args)
    }
}

fn finish(out: &std::process::Output) -> Run {
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

fn has(tool: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn a_short_write_at_any_byte_is_undone_and_named() {
    if !has("prlimit") {
        eprintln!("note: `prlimit` (util-linux) is missing: short writes are not tested");
        return;
    }
    let book = Book::new();
    let old = book.journal();
    let line = "2026-01-06 buy acme 100h @ 120 USD\n";
    let len = old.len() as u64;
    for limit in len.saturating_sub(2)..len + line.len() as u64 {
        let r = book.limited(limit, &["buy", "acme", "100h", "--price", "120 USD"]);
        assert_eq!(r.code, 1, "limit {limit}: {r:?}");
        assert_eq!(
            book.journal(),
            old,
            "limit {limit} left a partial line: {r:?}"
        );
        assert_eq!(r.stdout, "", "limit {limit}");
        assert!(
            r.stderr
                .contains("error: cannot append to journal.credits: file too large\n"),
            "limit {limit}: {r:?}"
        );
    }
    // At the limit that fits the line, it is written.
    let r = book.limited(
        len + line.len() as u64,
        &["buy", "acme", "100h", "--price", "120 USD"],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(book.journal(), [old, line.as_bytes().to_vec()].concat());
}

#[test]
fn a_short_write_after_a_last_comment_line_takes_back_its_line_end_too() {
    if !has("prlimit") {
        eprintln!("note: `prlimit` (util-linux) is missing: short writes are not tested");
        return;
    }
    let book = Book::new();
    std::fs::write(book.journal_path(), format!("{JOURNAL}; no line end")).unwrap();
    let old = book.journal();
    let len = old.len() as u64;
    for limit in [len, len + 1, len + 10] {
        let r = book.limited(limit, &["log", "acme", "15m"]);
        assert_eq!(r.code, 1, "limit {limit}: {r:?}");
        assert_eq!(book.journal(), old, "limit {limit}");
    }
}

/// Wait for `child` at most `secs` seconds; kill it and fail past that.
fn wait_for(mut child: std::process::Child, secs: u64, what: &str) -> Run {
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait for credits").is_some() {
            return finish(&child.wait_with_output().expect("collect the output"));
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: credits still ran after {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn spawn_log(book: &Book) -> std::process::Child {
    Command::new(BIN)
        .current_dir(book.path())
        .env("HOME", book.path())
        .env("NO_COLOR", "1")
        .args(["--today", TODAY, "log", "acme", "15m"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn credits")
}

#[test]
fn a_journal_that_is_a_device_a_fifo_or_a_folder_is_refused_at_once() {
    let book = Book::new();
    let journal = book.journal_path();

    std::fs::remove_file(&journal).unwrap();
    std::os::unix::fs::symlink("/dev/full", &journal).unwrap();
    let r = wait_for(spawn_log(&book), 20, "a journal linked to /dev/full");
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr
            .contains("the journal `journal.credits` is a device, not a regular file"),
        "{r:?}"
    );

    std::fs::remove_file(&journal).unwrap();
    if has("mkfifo") {
        let made = Command::new("mkfifo").arg(&journal).status().unwrap();
        assert!(made.success());
        let r = wait_for(spawn_log(&book), 20, "a journal that is a FIFO");
        assert_eq!(r.code, 1, "{r:?}");
        assert!(r.stderr.contains("is a FIFO, not a regular file"), "{r:?}");
        std::fs::remove_file(&journal).unwrap();
    }

    std::fs::create_dir(&journal).unwrap();
    let r = wait_for(spawn_log(&book), 20, "a journal that is a folder");
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("is a folder, not a regular file"),
        "{r:?}"
    );
    assert_eq!(std::fs::read_dir(&journal).unwrap().count(), 0);
}

#[test]
fn a_rewriter_that_renames_over_the_journal_loses_no_line_a_writer_reported() {
    use std::io::Read as _;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let book = Book::new();
    let journal = book.journal_path();
    let stop = Arc::new(AtomicBool::new(false));
    // An editor or git that locks the journal, reads it and renames a copy over it.
    let rewriter = {
        let (journal, stop) = (journal.clone(), stop.clone());
        std::thread::spawn(move || {
            let tmp = journal.with_extension("tmp");
            let mut round = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let mut file = std::fs::File::open(&journal).expect("open the journal");
                file.lock().expect("lock the journal");
                let mut text = Vec::new();
                file.read_to_end(&mut text).expect("read the journal");
                if round.is_multiple_of(3) {
                    text.extend_from_slice(format!("; rewritten {round}\n").as_bytes());
                }
                std::fs::write(&tmp, &text).expect("write the copy");
                std::fs::rename(&tmp, &journal).expect("rename the copy over the journal");
                drop(file);
                round += 1;
                std::thread::sleep(Duration::from_millis(1));
            }
            round
        })
    };
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let home = book.path().to_path_buf();
            std::thread::spawn(move || {
                let mut written = Vec::new();
                for i in 0..8 {
                    let out = command(&home, &home)
                        .args(["--today", TODAY, "log", "acme", "1m"])
                        .arg(format!("writer {w} entry {i}"))
                        .output()
                        .expect("run credits");
                    assert_eq!(out.status.code(), Some(0), "{out:?}");
                    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
                    written.push(stdout.lines().next().unwrap_or_default().to_string());
                }
                written
            })
        })
        .collect();
    let written: Vec<String> = writers
        .into_iter()
        .flat_map(|t| t.join().expect("a writer failed"))
        .collect();
    stop.store(true, Ordering::Relaxed);
    let rounds = rewriter.join().expect("the rewriter failed");
    assert!(rounds > 0);
    let text = std::fs::read_to_string(&journal).unwrap();
    assert_eq!(written.len(), 32);
    for line in &written {
        assert!(
            text.contains(&format!("{line}\n")),
            "`{line}` was reported written but is not in the journal:\n{text}"
        );
    }
    assert!(text.starts_with(JOURNAL), "{text}");
}

#[test]
fn a_closed_or_full_stdout_fails_after_saying_the_entry_was_written() {
    let book = Book::new();
    let r = book.sh("exec \"$0\" \"$@\" >&-", &["log", "acme", "15m"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stderr,
        "error: cannot write to standard output: it is closed\n\
         note: the entry was written to journal.credits; only printing the new balance failed\n"
    );
    let r = book.sh("exec \"$0\" \"$@\" >/dev/full", &["log", "acme", "30m"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stderr,
        "error: cannot write to standard output: no space left on device\n\
         note: the entry was written to journal.credits; only printing the new balance failed\n"
    );
    let text = String::from_utf8(book.journal()).unwrap();
    assert_eq!(
        text,
        format!("{JOURNAL}2026-01-06 log acme 15m\n2026-01-06 log acme 30m\n")
    );

    // A reading command fails the same way, without a note.
    let r = book.sh("exec \"$0\" \"$@\" >&-", &["balance"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stderr,
        "error: cannot write to standard output: it is closed\n"
    );
    let r = book.sh("exec \"$0\" \"$@\" >/dev/full", &["balance"]);
    assert_eq!(r.code, 1, "{r:?}");

    // `>/dev/null` is not closed: it succeeds.
    let r = book.sh("exec \"$0\" \"$@\" >/dev/null", &["balance"]);
    assert_eq!(r.code, 0, "{r:?}");
    let status = Command::new(BIN)
        .current_dir(book.path())
        .env("HOME", book.path())
        .args(["--today", TODAY, "balance"])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0), "{status:?}");
}

#[test]
fn a_reader_that_went_away_is_quiet_and_the_entry_stays_written() {
    let book = Book::new();
    let mut child = Command::new(BIN)
        .current_dir(book.path())
        .env("HOME", book.path())
        .env("NO_COLOR", "1")
        .args(["--today", TODAY, "log", "acme", "15m"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn credits");
    drop(child.stdout.take());
    let r = finish(&child.wait_with_output().unwrap());
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(r.stderr, "", "{r:?}");
    assert!(
        String::from_utf8(book.journal())
            .unwrap()
            .ends_with("2026-01-06 log acme 15m\n")
    );
}

#[test]
fn a_failed_start_leaves_no_temporary_timer_file() {
    if !has("prlimit") {
        eprintln!("note: `prlimit` (util-linux) is missing: short writes are not tested");
        return;
    }
    let book = Book::new();
    let r = book.limited(5, &["start", "acme", "Plugin update"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stderr,
        "error: cannot write .credits-timer.tmp: file too large\n"
    );
    assert!(!book.path().join(".credits-timer.tmp").exists());
    assert!(!book.path().join(".credits-timer").exists());
    let r = book.run(&["start", "acme"]);
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn a_failed_init_writes_none_of_its_files() {
    if !has("prlimit") {
        eprintln!("note: `prlimit` (util-linux) is missing: short writes are not tested");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let book = Book { dir };
    let r = book.limited(100, &["init", "new"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stderr,
        "error: cannot write new/credits.toml: file too large\n"
    );
    assert_eq!(
        std::fs::read_dir(book.path().join("new")).unwrap().count(),
        0
    );
    let r = book.run(&["init", "new"]);
    assert_eq!(r.code, 0, "{r:?}");
}

/// A command that runs `credits` as an unprivileged user: as root, through `setpriv` as
/// `nobody` (root ignores file modes); otherwise directly. `None` when root cannot drop.
fn unprivileged(book: &Book) -> Option<Command> {
    use std::os::unix::fs::PermissionsExt as _;
    if !is_root() {
        return Some(Command::new(BIN));
    }
    if !has("setpriv") {
        eprintln!("note: `setpriv` is missing: permission tests are skipped as root");
        return None;
    }
    // `nobody` must reach the folder.
    std::fs::set_permissions(book.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut cmd = Command::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(BIN);
    Some(cmd)
}

fn run_unprivileged(book: &Book, cwd: &Path, args: &[&str]) -> Option<Run> {
    let mut cmd = unprivileged(book)?;
    let out = cmd
        .current_dir(cwd)
        .env("HOME", book.path())
        .env("NO_COLOR", "1")
        .env_remove("CREDITS_THREADS")
        .env("CREDITS_NOW", format!("{TODAY}T23:59"))
        .args(["--today", TODAY])
        .args(args)
        .output()
        .expect("run credits");
    Some(finish(&out))
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn permission_errors_name_the_path_and_the_operation() {
    // A read-only journal.
    let book = Book::new();
    chmod(&book.journal_path(), 0o444);
    let old = book.journal();
    let Some(r) = run_unprivileged(&book, book.path(), &["log", "acme", "15m"]) else {
        return;
    };
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stderr,
        "error: cannot append to journal.credits: permission denied\n"
    );
    assert_eq!(book.journal(), old);

    // A book the writer may not open to lock.
    let book = Book::new();
    chmod(&book.path().join("credits.toml"), 0o000);
    let r = run_unprivileged(&book, book.path(), &["log", "acme", "15m"]).unwrap();
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stderr,
        "error: cannot lock credits.toml: permission denied\n"
    );

    // A folder where nothing may be created: the missing journal, the timer, `init`,
    // `statement --out`.
    let book = Book::new();
    std::fs::remove_file(book.journal_path()).unwrap();
    chmod(book.path(), 0o555);
    let r = run_unprivileged(&book, book.path(), &["buy", "acme", "1h"]).unwrap();
    chmod(book.path(), 0o755);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stderr,
        "error: cannot append to journal.credits: permission denied\n"
    );
    assert!(!book.journal_path().exists());

    let book = Book::new();
    chmod(book.path(), 0o555);
    let timer = run_unprivileged(&book, book.path(), &["start", "acme"]).unwrap();
    let init = run_unprivileged(&book, book.path(), &["init", "."]);
    chmod(book.path(), 0o755);
    assert_eq!(timer.code, 1, "{timer:?}");
    assert_eq!(
        timer.stderr,
        "error: cannot create .credits-timer.tmp: permission denied\n"
    );
    let init = init.unwrap();
    assert_eq!(init.code, 1, "{init:?}");

    // A timer stopped in a folder where its file cannot be removed: the entry is written, and
    // the error says so (a second `stop` would log the time twice).
    let book = Book::new();
    assert_eq!(book.run(&["start", "acme", "--at", "09:00"]).code, 0);
    chmod(&book.journal_path(), 0o666);
    chmod(book.path(), 0o555);
    let stop = run_unprivileged(&book, book.path(), &["stop", "--at", "09:30"]).unwrap();
    chmod(book.path(), 0o755);
    assert_eq!(stop.code, 1, "{stop:?}");
    assert_eq!(
        stop.stderr,
        "warning: the line was written, but `credits undo` cannot take it back: cannot write .credits-undo: permission denied\n\
         error: cannot remove .credits-timer: permission denied\n  \
         = help: the entry was written to journal.credits: remove the timer file by hand, not with `credits stop`\n"
    );
    assert!(
        String::from_utf8(book.journal())
            .unwrap()
            .ends_with("2026-01-06 log acme 09:00-09:30\n")
    );

    let empty = Book {
        dir: tempfile::tempdir().unwrap(),
    };
    chmod(empty.path(), 0o555);
    let init = run_unprivileged(&empty, empty.path(), &["init"]).unwrap();
    chmod(empty.path(), 0o755);
    assert_eq!(init.code, 1, "{init:?}");
    assert_eq!(
        init.stderr,
        "error: cannot create credits.toml: permission denied\n"
    );

    let book = Book::new();
    std::fs::create_dir(book.path().join("ro")).unwrap();
    chmod(&book.path().join("ro"), 0o555);
    let r = run_unprivileged(
        &book,
        book.path(),
        &["statement", "acme", "--month", "2026-01", "--out", "ro"],
    )
    .unwrap();
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stderr,
        "error: cannot write ro/acme-2026-01.txt: permission denied\n"
    );
}

/// A tmpfs of `size` mounted on `dir` for the life of the value (root only).
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs {
            dir: dir.to_path_buf(),
        })
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.dir).status();
    }
}

#[test]
fn a_full_disk_leaves_the_journal_as_it_was() {
    use std::io::Write as _;
    if !is_root() {
        eprintln!("note: not root: the tmpfs disk-full test is skipped");
        return;
    }
    let outer = tempfile::tempdir().unwrap();
    let Some(fs) = Tmpfs::mount(outer.path(), "64k") else {
        eprintln!("note: cannot mount a tmpfs here: the disk-full test is skipped");
        return;
    };
    let book = Book {
        dir: tempfile::tempdir_in(&fs.dir).unwrap(),
    };
    std::fs::write(book.path().join("credits.toml"), unindent(BOOK)).unwrap();
    // A journal that ends 10 bytes before a page ends: the new line needs a page more.
    let mut text = JOURNAL.to_string();
    while text.len() < 4086 {
        let room = 4086 - text.len();
        if room < 3 {
            text.push('\n');
            continue;
        }
        let n = room.min(80);
        text.push_str("; ");
        text.push_str(&"x".repeat(n - 3));
        text.push('\n');
    }
    assert_eq!(text.len(), 4086);
    assert!(text.ends_with('\n'), "{text:?}");
    std::fs::write(book.journal_path(), &text).unwrap();
    // Fill the disk.
    let mut filler = std::fs::File::create(fs.dir.join("filler")).unwrap();
    while filler.write_all(&[0; 4096]).is_ok() {}
    let r = book.run(&["buy", "acme", "100h", "--price", "120 USD"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stderr,
        "error: cannot append to journal.credits: no space left on device\n"
    );
    assert_eq!(std::fs::read_to_string(book.journal_path()).unwrap(), text);
    drop(filler);
    drop(book);
    drop(fs);
}

#[test]
fn check_warns_about_a_torn_last_line_in_any_journal_and_still_passes() {
    for threads in ["1", "3"] {
        let book = Book::new();
        let toml = unindent(BOOK).replace(
            r#"journals = ["journal.credits"]"#,
            r#"journals = ["journal.credits", "b.credits"]"#,
        );
        std::fs::write(book.path().join("credits.toml"), toml).unwrap();
        std::fs::write(
            book.journal_path(),
            format!("{JOURNAL}include inc.credits\n; after the include\n"),
        )
        .unwrap();
        std::fs::write(
            book.path().join("inc.credits"),
            "; one\n\n2026-01-06 log acme 15m",
        )
        .unwrap();
        std::fs::write(
            book.path().join("b.credits"),
            "2026-01-06 log acme 30m\n; fine",
        )
        .unwrap();
        let out = command(book.path(), book.path())
            .env("CREDITS_THREADS", threads)
            .args(["--today", TODAY, "check"])
            .output()
            .unwrap();
        let r = finish(&out);
        assert_eq!(r.code, 0, "{r:?}");
        assert_eq!(
            r.stderr,
            "inc.credits:3:1: warning: the journal's last line is an entry without a line end\n\
             3 | 2026-01-06 log acme 15m\n  \
             | ^^^^^^^^^^^^^^^^^^^^^^^\n  \
             = help: the last line may be an interrupted write: check it, then end it with a newline\n",
            "CREDITS_THREADS={threads}"
        );
        assert_eq!(r.stdout, "ok: 1 client, 3 entries in 3 journals\n");
    }
}

#[test]
fn a_current_folder_that_was_removed_is_named() {
    let book = Book::new();
    std::fs::create_dir(book.path().join("gone")).unwrap();
    let r = book.sh(
        "cd gone && rmdir ../gone && exec \"$0\" \"$@\"",
        &["balance"],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(
        r.stderr,
        "error: cannot read the current folder: no such file or directory\n"
    );
}
