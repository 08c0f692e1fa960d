//! A builder for one run of `credits` in a fresh folder, in the style of just's `Test`.
//!
//! `Case::new().book(BOOK).journal("…").args(["balance"]).today("2026-01-06").stdout("…").code(0)
//! .run()` writes the files (unindented) into a temporary folder, runs the binary there with
//! `--today` (never the real clock), `NO_COLOR`, `HOME` pointing into the folder and no
//! `CREDITS_*` variables from outside, then checks what was asked.

use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The date every case runs on unless it says otherwise.
pub const TODAY: &str = "2026-01-06";

/// Variables that must not leak in from the developer's shell.
pub const CLEARED: &[&str] = &[
    "CREDITS_FILE",
    "CREDITS_TODAY",
    "CREDITS_CLIENT",
    "CREDITS_BLESS",
    "CREDITS_THREADS",
    "CREDITS_NOW",
    "XDG_CONFIG_HOME",
    "COLUMNS",
    "LINES",
];

/// A small book with two clients, for tests that need one.
pub const BOOK: &str = r#"
    [book]
    name = "Jane Doe Web Services"
    currency = "USD"
    journals = ["journal.credits"]

    [clients.acme]
    name = "Acme Corp"
    rate = "150"
    email = "ops@acme.example"

    [clients.globex]
    name = "Globex"
"#;

/// Remove the indentation common to every non-blank line, a first empty line, and the blanks
/// of a last line: lets expected text be written indented inside a test.
pub fn unindent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
        lines.push("");
    }
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    lines
        .iter()
        .map(|l| {
            if l.trim().is_empty() {
                ""
            } else {
                &l[indent..]
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a run printed (the exit code was checked already).
pub struct Output {
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// One run of `credits`.
pub struct Case {
    dir: TempDir,
    args: Vec<String>,
    today: Option<String>,
    env: Vec<(String, String)>,
    cwd: PathBuf,
    stdout: Option<String>,
    stderr: Option<String>,
    stdout_has: Vec<String>,
    stderr_has: Vec<String>,
    code: i32,
}

impl Case {
    /// An empty folder; `--today 2026-01-06`; expects exit 0 and nothing else.
    pub fn new() -> Case {
        Case {
            dir: tempfile::tempdir().expect("a temporary folder"),
            args: Vec::new(),
            today: Some(TODAY.to_string()),
            env: Vec::new(),
            cwd: PathBuf::new(),
            stdout: None,
            stderr: None,
            stdout_has: Vec::new(),
            stderr_has: Vec::new(),
            code: 0,
        }
    }

    /// The temporary folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Write `credits.toml`.
    pub fn book(self, toml: &str) -> Case {
        self.file("credits.toml", toml)
    }

    /// Write `journal.credits`.
    pub fn journal(self, text: &str) -> Case {
        self.file("journal.credits", text)
    }

    /// Write any file (folders are created), unindented.
    pub fn file(self, path: &str, text: &str) -> Case {
        let path = self.dir.path().join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create a folder");
        }
        std::fs::write(&path, unindent(text)).expect("write a file");
        self
    }

    /// The command-line arguments.
    pub fn args<I: IntoIterator<Item = S>, S: Into<String>>(mut self, args: I) -> Case {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    /// Run as of `date` (passed as `--today`).
    pub fn today(mut self, date: &str) -> Case {
        self.today = Some(date.to_string());
        self
    }

    /// Pass no `--today` (the case then sets `CREDITS_TODAY` or expects a failure first).
    pub fn no_today(mut self) -> Case {
        self.today = None;
        self
    }

    /// Set an environment variable.
    pub fn env(mut self, key: &str, value: &str) -> Case {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Run inside this sub-folder of the temporary folder (created).
    pub fn current_dir(mut self, sub: &str) -> Case {
        std::fs::create_dir_all(self.dir.path().join(sub)).expect("create a folder");
        self.cwd = PathBuf::from(sub);
        self
    }

    /// Expect exactly this on stdout (unindented).
    pub fn stdout(mut self, text: &str) -> Case {
        self.stdout = Some(unindent(text));
        self
    }

    /// Expect exactly this on stderr (unindented).
    pub fn stderr(mut self, text: &str) -> Case {
        self.stderr = Some(unindent(text));
        self
    }

    /// Expect stdout to contain `text`.
    pub fn stdout_has(mut self, text: &str) -> Case {
        self.stdout_has.push(text.to_string());
        self
    }

    /// Expect stderr to contain `text`.
    pub fn stderr_has(mut self, text: &str) -> Case {
        self.stderr_has.push(text.to_string());
        self
    }

    /// Expect this exit code.
    pub fn code(mut self, code: i32) -> Case {
        self.code = code;
        self
    }

    /// Run and check; panics with both outputs on a mismatch.
    #[track_caller]
    pub fn run(self) -> Output {
        let mut cmd = command(self.dir.path(), &self.dir.path().join(&self.cwd));
        if let Some(today) = &self.today {
            cmd.arg("--today").arg(today);
        }
        cmd.args(&self.args);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run credits");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let code = out.status.code().unwrap_or(-1);
        let shown = format!(
            "credits {:?}\n--- code: {code}\n--- stdout:\n{stdout}--- stderr:\n{stderr}",
            self.args
        );
        assert_eq!(code, self.code, "unexpected exit code\n{shown}");
        if let Some(expected) = &self.stdout {
            assert_eq!(&stdout, expected, "unexpected stdout\n{shown}");
        }
        if let Some(expected) = &self.stderr {
            assert_eq!(&stderr, expected, "unexpected stderr\n{shown}");
        }
        for part in &self.stdout_has {
            assert!(stdout.contains(part), "stdout lacks {part:?}\n{shown}");
        }
        for part in &self.stderr_has {
            assert!(stderr.contains(part), "stderr lacks {part:?}\n{shown}");
        }
        assert!(!stderr.contains("panicked"), "credits panicked\n{shown}");
        Output { stdout, stderr }
    }
}

/// `credits` ready to run in `cwd`, with a clean environment: `NO_COLOR`, `HOME` set to
/// `home`, no `CREDITS_*`, no backtraces.
pub fn command(home: &Path, cwd: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_credits"));
    cmd.current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("HOME", home)
        .env_remove("RUST_BACKTRACE");
    for k in CLEARED {
        cmd.env_remove(k);
    }
    cmd
}

#[test]
fn unindent_strips_the_common_indentation() {
    assert_eq!(unindent("\n    a\n      b\n\n    c\n    "), "a\n  b\n\nc\n");
    assert_eq!(unindent("ok: 1\n"), "ok: 1\n");
    assert_eq!(unindent(""), "");
}
