//! The README's tutorial runs as written, from an empty home folder: its `sh` blocks are run
//! in order by one `bash -eu` (so `cd` carries over and any failing command fails the test),
//! each `toml` block is written to the file its first line names (`# credits.toml`,
//! `# ~/.config/credits/config.toml`), and each `text` block whose first line names a
//! journal (`; journal.credits`) must equal that journal's entry lines at that point.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// The README's `## Tutorial` section, to the next `## ` heading.
fn tutorial() -> String {
    section("Tutorial")
}

/// The README's `## TITLE` section, to the next `## ` heading.
fn section(title: &str) -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let start = readme
        .find(&format!("\n## {title}\n"))
        .unwrap_or_else(|| panic!("a `## {title}` section"));
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    rest[..end].to_string()
}

/// A path as the tutorial writes it, for bash: `~/x` becomes `"$HOME"/x`.
fn shell_path(p: &str) -> String {
    match p.strip_prefix("~/") {
        Some(rest) => format!("\"$HOME\"/'{rest}'"),
        None => format!("'{p}'"),
    }
}

/// The tutorial as one bash script, and how many commands it runs.
fn script(text: &str) -> (String, usize) {
    let mut out = String::from("set -eu\n");
    let mut commands = 0;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let block: Vec<&str> = lines
            .by_ref()
            .take_while(|l| !l.starts_with("```"))
            .collect();
        match info.trim() {
            "sh" => {
                for l in &block {
                    if !l.trim().is_empty() && !l.trim_start().starts_with('#') {
                        commands += 1;
                    }
                    writeln!(out, "{l}").unwrap();
                }
            }
            "toml" => {
                // A block that names no file is an example to read, not a step.
                let Some(path) = block.first().and_then(|l| l.strip_prefix("# ")) else {
                    continue;
                };
                let path = shell_path(path.trim());
                writeln!(
                    out,
                    "mkdir -p \"$(dirname {path})\"\ncat > {path} <<'TUTORIAL_EOF'"
                )
                .unwrap();
                for l in &block {
                    writeln!(out, "{l}").unwrap();
                }
                writeln!(out, "TUTORIAL_EOF").unwrap();
            }
            "text" => {
                let Some(journal) = block.first().and_then(|l| l.strip_prefix("; ")) else {
                    continue;
                };
                let expected: Vec<&str> = block[1..]
                    .iter()
                    .copied()
                    .filter(|l| !l.trim().is_empty() && !l.starts_with(';'))
                    .collect();
                writeln!(
                    out,
                    "got=\"$(grep -v -e '^;' -e '^#' -e '^[[:space:]]*$' {} || true)\"",
                    shell_path(journal.trim())
                )
                .unwrap();
                writeln!(
                    out,
                    "want=$(cat <<'TUTORIAL_EOF'\n{}\nTUTORIAL_EOF\n)",
                    expected.join("\n")
                )
                .unwrap();
                writeln!(
                    out,
                    "[ \"$got\" = \"$want\" ] || {{ printf 'journal differs:\\n%s\\n--- expected:\\n%s\\n' \"$got\" \"$want\" >&2; exit 1; }}"
                )
                .unwrap();
            }
            _ => {}
        }
    }
    (out, commands)
}

#[test]
fn the_readme_tutorial_runs_as_written_from_an_empty_folder() {
    let (script, commands) = script(&tutorial());
    assert!(
        commands >= 8,
        "the tutorial runs only {commands} commands:\n{script}"
    );
    let home = tempfile::tempdir().expect("a temporary home");
    let bin = Path::new(env!("CARGO_BIN_EXE_credits"))
        .parent()
        .expect("the binary's folder")
        .to_path_buf();
    let path = format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display());
    let mut cmd = Command::new("bash");
    cmd.arg("-c").arg(&script).current_dir(home.path());
    for key in super::support::CLEARED {
        cmd.env_remove(key);
    }
    let out = cmd
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", home.path())
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env("CREDITS_TODAY", "2026-01-06")
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "the tutorial failed ({}):\n--- stderr:\n{}\n--- stdout:\n{}\n--- script:\n{script}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout),
    );
}

/// The README's month-end commands run as written in a copy of a demo book, on the 3rd of the
/// month after its last entries, and write what they say (one statement page per client).
#[test]
fn the_readme_month_end_commands_run_as_written_on_a_demo_book() {
    let (script, commands) = script(&section("Month end"));
    assert!(
        commands >= 4,
        "the month end runs only {commands} commands:\n{script}"
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("journals/anytime");
    let status = Command::new("cp")
        .arg("-R")
        .arg(&demo)
        .arg(dir.path().join("book"))
        .status()
        .expect("cp runs");
    assert!(status.success());
    let book = dir.path().join("book");
    let bin = Path::new(env!("CARGO_BIN_EXE_credits"))
        .parent()
        .expect("the binary's folder")
        .to_path_buf();
    let mut cmd = Command::new("bash");
    cmd.arg("-c").arg(&script).current_dir(&book);
    for key in super::support::CLEARED {
        cmd.env_remove(key);
    }
    let out = cmd
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", dir.path())
        .env(
            "PATH",
            format!("{}:/usr/local/bin:/usr/bin:/bin", bin.display()),
        )
        .env("NO_COLOR", "1")
        .env("CREDITS_TODAY", "2026-11-03")
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "the month end failed ({}):\n--- stderr:\n{}\n--- stdout:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    for client in ["bakery", "gallery", "hale", "outfitters", "yoga"] {
        let page = book.join(format!("statements/{client}-2026-10.html"));
        assert!(page.is_file(), "no {} in:\n{stdout}", page.display());
        assert!(
            stdout.contains(&format!("statements/{client}-2026-10.html")),
            "{stdout}"
        );
    }
    let journal = std::fs::read_to_string(book.join("accounts.journal")).expect("the export");
    assert!(journal.contains("assets:prepaid:bakery"), "{journal}");
}
