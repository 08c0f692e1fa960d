//! Golden cases, like hledger's shelltests and trycmd: every folder under `tests/golden/` that
//! holds a `cmd` file is one case.
//!
//! A case folder holds the book (`credits.toml`, journals, any sub-folders), `cmd` (the
//! arguments on one line, shell-like words: `balance acme --format json`), the expected
//! `stdout`, and `stderr` and `code` when they are not empty and 0. A `book-from` file naming a
//! folder of the repository (`journals/anytime`) runs the case on that demo book. The book files are copied
//! to a temporary folder and `credits` runs there with `CREDITS_TODAY=2026-01-06` (a `--today`
//! in `cmd` wins), `NO_COLOR` and a clean environment. The temporary folder's path is shown
//! as `[ROOT]` in the outputs.
//!
//! `CREDITS_BLESS=1 cargo test --test cli golden` rewrites the expected files from what the
//! binary prints; review the diff before committing it.

use super::fuzz::cmd_words::words;
use super::support::{TODAY, command};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

const EXPECTED: &[&str] = &["cmd", "stdout", "stderr", "code", "book-from"];

fn cases(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    if dir.join("cmd").is_file() {
        found.push(dir.to_path_buf());
        return;
    }
    for e in entries.into_iter().filter(|e| e.is_dir()) {
        cases(&e, found);
    }
}

fn copy_book(from: &Path, to: &Path) {
    let Ok(entries) = fs::read_dir(from) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        let (path, name) = (e.path(), e.file_name());
        let target = to.join(&name);
        if path.is_dir() {
            fs::create_dir_all(&target).expect("create a folder");
            copy_book(&path, &target);
        } else if !EXPECTED.iter().any(|x| name == *x) {
            fs::copy(&path, &target).expect("copy a book file");
        }
    }
}

fn read(path: &Path) -> Option<String> {
    fs::read_to_string(path).ok()
}

/// Run one case with `CREDITS_THREADS=threads`; `Err` with a description of every difference.
fn run_case(case: &Path, bless: bool, threads: &str) -> Result<(), String> {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let root = tmp
        .path()
        .canonicalize()
        .expect("canonical temporary folder");
    if let Some(from) = read(&case.join("book-from")) {
        // A demo book of the repository (`journals/anytime`), copied under the case's files.
        copy_book(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join(from.trim()),
            &root,
        );
    }
    copy_book(case, &root);
    let cmd_line = read(&case.join("cmd")).unwrap_or_default();
    let out = command(&root, &root)
        .env("CREDITS_TODAY", TODAY)
        .env("CREDITS_THREADS", threads)
        .args(words(&cmd_line))
        .output()
        .expect("run credits");
    let clean = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .replace(&root.display().to_string(), "[ROOT]")
            .replace(&tmp.path().display().to_string(), "[ROOT]")
    };
    let stdout = clean(&out.stdout);
    let stderr = clean(&out.stderr);
    let code = out.status.code().unwrap_or(-1);
    let code_text = if code == 0 {
        String::new()
    } else {
        format!("{code}\n")
    };

    if bless {
        let put = |name: &str, text: &str, keep_empty: bool| {
            let path = case.join(name);
            if text.is_empty() && !keep_empty {
                let _ = fs::remove_file(path);
            } else {
                fs::write(path, text).expect("bless an expected file");
            }
        };
        put("stdout", &stdout, true);
        put("stderr", &stderr, false);
        put("code", &code_text, false);
        return Ok(());
    }

    let mut diffs = String::new();
    for (name, actual) in [
        ("stdout", &stdout),
        ("stderr", &stderr),
        ("code", &code_text),
    ] {
        let expected = read(&case.join(name)).unwrap_or_default();
        if &expected != actual {
            let _ = write!(
                diffs,
                "--- {name} expected:\n{expected}--- {name} actual:\n{actual}--- end {name}\n"
            );
        }
    }
    if stderr.contains("panicked") {
        diffs.push_str("credits panicked\n");
    }
    if diffs.is_empty() { Ok(()) } else { Err(diffs) }
}

#[test]
fn every_golden_case_prints_what_it_expects() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut found = Vec::new();
    cases(&root, &mut found);
    assert!(
        !found.is_empty(),
        "no golden cases under {}",
        root.display()
    );
    let bless = std::env::var_os("CREDITS_BLESS").is_some_and(|v| v == "1");
    let mut failures = String::new();
    // One thread, and books read in three parts (`load::Strategy::Parts`): the same bytes either way.
    for threads in ["1", "3"] {
        for case in &found {
            if bless && threads != "1" {
                continue;
            }
            if let Err(diff) = run_case(case, bless, threads) {
                let name = case.strip_prefix(&root).unwrap_or(case).display();
                let _ = writeln!(
                    failures,
                    "=== golden case `{name}` (CREDITS_THREADS={threads}) differs:\n{diff}"
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{failures}\nrun `CREDITS_BLESS=1 cargo test --test cli golden` to accept the new output"
    );
}

#[test]
fn cmd_words_split_like_a_shell() {
    assert_eq!(
        words(" balance  acme --format json\n"),
        ["balance", "acme", "--format", "json"]
    );
    assert_eq!(
        words(r#"log acme 15m "fixed \"the\" header" 'a b'"#),
        ["log", "acme", "15m", "fixed \"the\" header", "a b"]
    );
}
