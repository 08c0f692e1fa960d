//! `credits merge`, the git merge driver, through real `git merge` in temporary repositories;
//! `init`'s git setup; the hint when the driver is not configured; `check`'s `merge=union`
//! warning.
//!
//! Git is isolated from the developer's configuration (`GIT_CONFIG_GLOBAL=/dev/null`,
//! `GIT_CONFIG_NOSYSTEM=1`, fixed author and committer) and finds the built `credits` first on
//! `PATH`, as the driver line `credits merge %O %A %B %P` expects.

use crate::support::{Case, command};
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

const BOOK: &str = r#"[book]
name = "Studio"
currency = "USD"
journals = ["journal.credits"]

[policy]
unit_price = "140"

[packages]
five = { units = 5, price = "600" }

[clients.acme]
name = "Acme Corp"
rate = "150"
"#;

const BASE: &str = "2026-01-05 buy acme 10h @ 120 ref:INV-1\n\
                    2026-01-06 log acme 45m Plugin update\n";

const TODAY: &str = "2026-01-31";

/// `PATH` with the built binary's folder first.
fn path_with_credits() -> String {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_credits"));
    let dir = bin.parent().expect("the binary's folder").to_path_buf();
    let mut paths = vec![dir];
    if let Some(old) = std::env::var_os("PATH") {
        paths.extend(std::env::split_paths(&old));
    }
    std::env::join_paths(paths)
        .expect("a PATH")
        .to_string_lossy()
        .into_owned()
}

const GIT_ENV: &[(&str, &str)] = &[
    ("GIT_CONFIG_GLOBAL", "/dev/null"),
    ("GIT_CONFIG_NOSYSTEM", "1"),
    ("GIT_AUTHOR_NAME", "Jane"),
    ("GIT_AUTHOR_EMAIL", "jane@example.com"),
    ("GIT_COMMITTER_NAME", "Jane"),
    ("GIT_COMMITTER_EMAIL", "jane@example.com"),
    ("GIT_AUTHOR_DATE", "2026-01-31T12:00:00Z"),
    ("GIT_COMMITTER_DATE", "2026-01-31T12:00:00Z"),
];

fn have_git() -> bool {
    let ok = std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("note: git is not installed; skipping a merge-driver test");
    }
    ok
}

/// A git repository holding a book, set up by `credits init --git`.
struct Repo {
    dir: TempDir,
}

impl Repo {
    /// `credits init --git`, then the test's book and `BASE`, committed on `main`.
    fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().expect("a temporary folder"),
        };
        let out = repo.credits(&["init", "--git", "."]);
        assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
        assert!(String::from_utf8_lossy(&out.stdout).contains("merge driver"));
        std::fs::write(repo.path().join("credits.toml"), BOOK).unwrap();
        std::fs::write(repo.path().join("journal.credits"), BASE).unwrap();
        repo.git_ok(&["checkout", "-q", "-b", "main"]);
        repo.git_ok(&["add", "-A"]);
        repo.git_ok(&["commit", "-q", "-m", "book"]);
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str]) -> Output {
        let mut cmd = std::process::Command::new("git");
        cmd.current_dir(self.path())
            .args(args)
            .env("PATH", path_with_credits())
            .env("HOME", self.path())
            .env("NO_COLOR", "1");
        for (k, v) in GIT_ENV {
            cmd.env(k, v);
        }
        cmd.output().expect("run git")
    }

    #[track_caller]
    fn git_ok(&self, args: &[&str]) -> String {
        let out = self.git(args);
        assert_eq!(out.status.code(), Some(0), "git {args:?}\n{}", shown(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn credits(&self, args: &[&str]) -> Output {
        let mut cmd = command(self.path(), self.path());
        cmd.env("PATH", path_with_credits());
        for (k, v) in GIT_ENV {
            cmd.env(k, v);
        }
        cmd.arg("--today").arg(TODAY).args(args);
        cmd.output().expect("run credits")
    }

    #[track_caller]
    fn credits_ok(&self, args: &[&str]) -> String {
        let out = self.credits(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "credits {args:?}\n{}",
            shown(&out)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn journal(&self) -> String {
        std::fs::read_to_string(self.path().join("journal.credits")).unwrap()
    }

    /// Branch `name` from `main`, run `work` on it and commit.
    fn branch(&self, name: &str, work: impl FnOnce(&Repo)) {
        self.git_ok(&["checkout", "-q", "-b", name, "main"]);
        work(self);
        self.git_ok(&["commit", "-q", "-a", "-m", name]);
    }

    /// Check out a new branch at `ours` and merge `theirs` into it.
    fn merge(&self, ours: &str, theirs: &str) -> Output {
        let at = format!("{ours}-then-{theirs}");
        self.git_ok(&["checkout", "-q", "-f", "-B", &at, ours]);
        self.git(&["merge", "--no-edit", theirs])
    }
}

fn shown(out: &Output) -> String {
    format!(
        "--- code: {:?}\n--- stdout:\n{}--- stderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Jane and Bob's work of the same date, each on a branch.
fn jane_and_bob(repo: &Repo) {
    repo.branch("jane", |r| {
        r.credits_ok(&["log", "acme", "1h", "--date", "2026-01-08", "Landing page"]);
        r.credits_ok(&["bill", "acme", "--date", "2026-01-08", "--ref", "INV-2"]);
    });
    repo.branch("bob", |r| {
        r.credits_ok(&["log", "acme", "45m", "--date", "2026-01-08", "Backups"]);
        r.credits_ok(&["buy", "acme", "five", "--date", "2026-01-08"]);
    });
}

#[test]
fn the_same_dates_work_of_two_people_merges_cleanly_both_ways_keeping_every_line() {
    if !have_git() {
        return;
    }
    let repo = Repo::new();
    jane_and_bob(&repo);
    let added = [
        "2026-01-08 log acme 1h Landing page\n",
        "2026-01-08 bill acme ref:INV-2\n",
        "2026-01-08 log acme 45m Backups\n",
        "2026-01-08 buy acme five\n",
    ];
    for (ours, theirs) in [("jane", "bob"), ("bob", "jane")] {
        let out = repo.merge(ours, theirs);
        assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
        let text = repo.journal();
        assert!(text.starts_with(BASE), "{text}");
        for line in added {
            assert_eq!(text.matches(line).count(), 1, "{line:?} in\n{text}");
        }
        assert_eq!(text.lines().count(), 6, "{text}");
        assert!(!text.contains("<<<<<<<"), "{text}");
        repo.credits_ok(&["check"]);
    }
}

#[test]
fn the_same_dates_work_merged_either_way_gives_the_same_balance() {
    if !have_git() {
        return;
    }
    let repo = Repo::new();
    jane_and_bob(&repo);
    let mut balances = Vec::new();
    for (ours, theirs) in [("jane", "bob"), ("bob", "jane")] {
        let out = repo.merge(ours, theirs);
        assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
        balances.push(repo.credits_ok(&["balance", "--format", "json"]));
    }
    assert_eq!(balances[0], balances[1]);
}

#[test]
fn one_line_changed_differently_on_both_sides_is_a_conflict_and_charges_nothing_twice() {
    if !have_git() {
        return;
    }
    let repo = Repo::new();
    repo.branch("bob", |r| {
        let text = r
            .journal()
            .replace("45m Plugin update", "30m Plugin update");
        std::fs::write(r.path().join("journal.credits"), text).unwrap();
    });
    repo.branch("jane", |r| {
        let text = r.journal().replace("Plugin update", "Plugin update #dev");
        std::fs::write(r.path().join("journal.credits"), text).unwrap();
    });
    for (ours, theirs, first, second) in [
        ("jane", "bob", "45m Plugin update #dev", "30m Plugin update"),
        ("bob", "jane", "30m Plugin update", "45m Plugin update #dev"),
    ] {
        let out = repo.merge(ours, theirs);
        assert_ne!(out.status.code(), Some(0), "{}", shown(&out));
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("CONFLICT"),
            "{}",
            shown(&out)
        );
        assert_eq!(
            repo.journal(),
            format!(
                "2026-01-05 buy acme 10h @ 120 ref:INV-1\n\
                 <<<<<<< ours:journal.credits\n\
                 2026-01-06 log acme {first}\n\
                 =======\n\
                 2026-01-06 log acme {second}\n\
                 >>>>>>> theirs:journal.credits\n"
            )
        );
        // The book refuses to report until the conflict is resolved: neither version counts.
        let out = repo.credits(&["balance"]);
        assert_eq!(out.status.code(), Some(1), "{}", shown(&out));
        let out = repo.credits(&["log", "acme", "15m"]);
        assert_eq!(out.status.code(), Some(1), "{}", shown(&out));
        // Resolved: one line, as the README says.
        std::fs::write(
            repo.path().join("journal.credits"),
            "2026-01-05 buy acme 10h @ 120 ref:INV-1\n2026-01-06 log acme 30m Plugin update #dev\n",
        )
        .unwrap();
        repo.git_ok(&["commit", "-q", "-a", "-m", "resolved"]);
        let json = repo.credits_ok(&["balance", "--format", "json"]);
        assert!(json.contains(r#""balance_minutes": "600""#), "{json}");
        assert!(json.contains(r#""pending_minutes": "30""#), "{json}");
    }
}

#[test]
fn appends_on_both_sides_merge_cleanly_both_ways() {
    if !have_git() {
        return;
    }
    let repo = Repo::new();
    repo.branch("laptop", |r| {
        r.credits_ok(&[
            "log",
            "acme",
            "15m",
            "--date",
            "2026-01-07",
            "on the laptop",
        ]);
        r.credits_ok(&["log", "acme", "30m", "--date", "2026-01-09", "laptop again"]);
    });
    repo.branch("desktop", |r| {
        r.credits_ok(&[
            "log",
            "acme",
            "45m",
            "--date",
            "2026-01-08",
            "on the desktop",
        ]);
    });
    for (ours, theirs) in [("laptop", "desktop"), ("desktop", "laptop")] {
        let out = repo.merge(ours, theirs);
        assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
        let text = repo.journal();
        for part in ["on the laptop", "laptop again", "on the desktop"] {
            assert_eq!(text.matches(part).count(), 1, "{text}");
        }
        let out = repo.credits_ok(&["check"]);
        assert_eq!(out, "ok: 1 client, 5 entries in 1 journal\n");
        let json = repo.credits_ok(&["balance", "--format", "json"]);
        // 10h less 45m + 15m + 45m + 30m = 2h15m, debited a whole unit at a time.
        assert!(json.contains(r#""balance_minutes": "480""#), "{json}");
        assert!(json.contains(r#""pending_minutes": "15""#), "{json}");
    }
}

#[test]
fn a_line_edited_on_one_side_only_is_taken_both_ways() {
    if !have_git() {
        return;
    }
    let repo = Repo::new();
    repo.branch("bob", |r| {
        let text = r
            .journal()
            .replace("45m Plugin update", "30m Plugin update");
        std::fs::write(r.path().join("journal.credits"), text).unwrap();
    });
    repo.branch("jane", |r| {
        r.credits_ok(&["log", "acme", "1h", "--date", "2026-01-08", "Landing page"]);
    });
    for (ours, theirs) in [("jane", "bob"), ("bob", "jane")] {
        let out = repo.merge(ours, theirs);
        assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
        assert_eq!(
            repo.journal(),
            "2026-01-05 buy acme 10h @ 120 ref:INV-1\n\
             2026-01-06 log acme 30m Plugin update\n\
             2026-01-08 log acme 1h Landing page\n"
        );
    }
}

#[test]
fn a_repository_that_names_the_driver_without_configuring_it_gets_one_hint() {
    if !have_git() {
        return;
    }
    let repo = Repo::new();
    let out = repo.credits(&["balance"]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    repo.git_ok(&["config", "--unset", "merge.credits.driver"]);
    let out = repo.credits(&["balance"]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("warning:").count(), 1, "{stderr}");
    assert!(
        stderr.contains(
            r#"run `git config merge.credits.name "credits journal merge"` and `git config merge.credits.driver "credits merge %O %A %B %P"`"#
        ),
        "{stderr}"
    );
    let out = repo.credits(&["-q", "balance"]);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    // The help's commands set it up.
    repo.git_ok(&[
        "config",
        "merge.credits.driver",
        "credits merge %O %A %B %P",
    ]);
    let out = repo.credits(&["balance"]);
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn init_writes_the_driver_attributes_the_ignore_file_and_the_git_config() {
    if !have_git() {
        return;
    }
    let repo = Repo::new();
    assert_eq!(
        std::fs::read_to_string(repo.path().join(".gitattributes")).unwrap(),
        "*.credits merge=credits\n"
    );
    assert_eq!(
        std::fs::read_to_string(repo.path().join(".gitignore")).unwrap(),
        ".credits-timer\n.credits-timer.tmp\n.credits-undo\n.credits-undo.tmp\n"
    );
    assert_eq!(
        repo.git_ok(&["config", "--get", "merge.credits.driver"]),
        "credits merge %O %A %B %P\n"
    );
    assert_eq!(
        repo.git_ok(&["config", "--get", "merge.credits.name"]),
        "credits journal merge\n"
    );
    // The timer's file stays out of the repository.
    repo.credits_ok(&["start", "acme"]);
    assert_eq!(repo.git_ok(&["status", "--porcelain"]), "");
}

#[test]
fn init_in_a_folder_with_git_files_adds_only_the_missing_lines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".gitignore"), "target/\n.credits-undo").unwrap();
    std::fs::write(dir.path().join(".gitattributes"), "*.md text\n").unwrap();
    let out = command(dir.path(), dir.path())
        .args(["init"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".gitignore")).unwrap(),
        "target/\n.credits-undo\n.credits-timer\n.credits-timer.tmp\n.credits-undo.tmp\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".gitattributes")).unwrap(),
        "*.md text\n*.credits merge=credits\n"
    );
}

/// Run `credits ARGS` in `dir`: (exit code, stderr).
fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let out = command(dir, dir).args(args).output().expect("run credits");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_driver_writes_the_merge_over_ours_and_exits_one_on_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("base", "2026-01-05 buy acme 10h\r\n");
    write("ours", "2026-01-05 buy acme 12h\r\n");
    write("theirs", "2026-01-05 buy acme 11h\r\n");
    let args = ["merge", "base", "ours", "theirs", "books/journal.credits"];
    assert_eq!(
        run_in(dir.path(), &args),
        (
            Some(1),
            "warning: 1 conflict in `books/journal.credits`: lines changed differently on both \
             sides\n  = help: keep the right lines between `<<<<<<<` and `>>>>>>>`, delete the \
             markers, then run `credits check`\n"
                .to_string()
        )
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ours")).unwrap(),
        "<<<<<<< ours:books/journal.credits\r\n2026-01-05 buy acme 12h\r\n=======\r\n\
         2026-01-05 buy acme 11h\r\n>>>>>>> theirs:books/journal.credits\r\n"
    );
    // Clean: exit 0, the merge written over ours, nothing said.
    write(
        "ours",
        "2026-01-05 buy acme 10h\r\n2026-01-06 log acme 1h\r\n",
    );
    write(
        "theirs",
        "2026-01-05 buy acme 10h\r\n2026-01-06 log acme 2h\r\n",
    );
    assert_eq!(run_in(dir.path(), &args), (Some(0), String::new()));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ours")).unwrap(),
        "2026-01-05 buy acme 10h\r\n2026-01-06 log acme 1h\r\n2026-01-06 log acme 2h\r\n"
    );
}

#[test]
fn the_driver_names_a_file_it_cannot_read_and_leaves_ours_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ours"), "2026-01-05 buy acme 12h\n").unwrap();
    std::fs::write(dir.path().join("theirs"), "").unwrap();
    assert_eq!(
        run_in(dir.path(), &["merge", "missing", "ours", "theirs"]),
        (
            Some(1),
            "error: cannot read missing: no such file or directory\n".to_string()
        )
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ours")).unwrap(),
        "2026-01-05 buy acme 12h\n"
    );
}

#[test]
fn check_warns_when_journals_are_still_merged_with_union() {
    Case::new()
        .book(BOOK)
        .journal(BASE)
        .file(".gitattributes", "*.md text\n*.credits merge=union\n")
        .args(["check"])
        .stdout("ok: 1 client, 2 entries in 1 journal\n")
        .stderr(
            r#"
            .gitattributes:2:11: warning: journal `journal.credits` is merged with `merge=union`, which keeps both versions of a line changed on two sides: one entry would count twice
            2 | *.credits merge=union
              |           ^^^^^^^^^^^
              = help: write `*.credits merge=credits` instead, then run `git config merge.credits.name "credits journal merge"` and `git config merge.credits.driver "credits merge %O %A %B %P"`
            "#,
        )
        .run();
    // A later line that names the driver wins, as in git.
    Case::new()
        .book(BOOK)
        .journal(BASE)
        .file(
            ".gitattributes",
            "*.credits merge=union\n*.credits merge=credits\n",
        )
        .args(["check"])
        .stderr("")
        .run();
}

#[test]
fn init_inside_a_repository_sets_the_driver_up_without_being_asked() {
    if !have_git() {
        return;
    }
    let repo = Repo {
        dir: tempfile::tempdir().unwrap(),
    };
    repo.git_ok(&["init", "-q"]);
    let out = repo.credits(&["init", "book"]);
    assert_eq!(out.status.code(), Some(0), "{}", shown(&out));
    assert_eq!(
        repo.git_ok(&["config", "--get", "merge.credits.driver"]),
        "credits merge %O %A %B %P\n"
    );
}

#[test]
fn without_git_init_warns_init_git_refuses_and_no_command_hints() {
    let dir = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = command(dir.path(), dir.path())
            .env("PATH", empty.path())
            .args(args)
            .output()
            .expect("run credits");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stderr) = run(&["init", "--git", "book"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("cannot run `git init --quiet`"), "{stderr}");
    assert!(!dir.path().join("book/credits.toml").exists());
    // A repository git cannot reach: the files are written, the driver is a warning.
    std::fs::create_dir_all(dir.path().join("book/.git")).unwrap();
    let (code, stderr) = run(&["init", "book"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.starts_with("warning: cannot run `git config"),
        "{stderr}"
    );
    assert!(
        stderr.contains("git config merge.credits.driver"),
        "{stderr}"
    );
    let (code, stderr) = run(&["-f", "book", "check"]);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
}
