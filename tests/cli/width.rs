//! Text tables fit the terminal's width; piped output is never cut.

use super::support::command;
use std::path::Path;
use std::process::Command;

fn book() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("journals/blockhours")
        .display()
        .to_string()
}

const COMMANDS: &[&str] = &[
    "balance",
    "expiring --within 2y",
    "statement acme --from 2025-01-01 --to 2026-12-31",
    "statement greenleaf --from 2025-01-01 --to 2026-12-31",
];

fn widest(text: &str) -> usize {
    text.lines()
        .map(|l| l.trim_end_matches('\r').chars().count())
        .max()
        .unwrap_or(0)
}

/// `credits ARGS` on a terminal of `COLUMNS=80` (through `script`, which gives it one), or
/// `None` where `script` is missing.
fn on_a_terminal(args: &str) -> Option<String> {
    let line = format!("{} --file {} {args}", env!("CARGO_BIN_EXE_credits"), book());
    let out = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("COLUMNS", "80")
        .env("NO_COLOR", "1")
        .env("CREDITS_TODAY", "2026-03-15")
        .env_remove("CREDITS_FILE")
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).replace('\r', ""))
}

fn piped(args: &str, columns: Option<&str>) -> String {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut cmd = command(dir.path(), dir.path());
    cmd.env("CREDITS_TODAY", "2026-03-15")
        .args(["--file", &book()])
        .args(args.split(' '));
    if let Some(c) = columns {
        cmd.env("COLUMNS", c);
    }
    let out = cmd.output().expect("run credits");
    assert!(out.status.success(), "{args}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn on_an_80_column_terminal_no_table_line_is_wider_than_80() {
    for args in COMMANDS {
        let Some(out) = on_a_terminal(args) else {
            return; // no `script` here: the render tests cover the fitting
        };
        assert!(widest(&out) <= 80, "`{args}` on 80 columns:\n{out}");
        assert!(out.lines().count() > 3, "`{args}`:\n{out}");
    }
}

#[test]
fn piped_output_is_not_cut_whatever_columns_says() {
    let mut wider = false;
    for args in COMMANDS {
        let out = piped(args, Some("80"));
        assert_eq!(out, piped(args, None), "{args}");
        wider |= widest(&out) > 80;
    }
    assert!(
        wider,
        "some table of the demo book is wider than 80 columns"
    );
}
