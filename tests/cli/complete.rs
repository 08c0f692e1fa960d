//! Completion of the book's ids: `credits __complete KIND` and the scripts that call it.

use super::support::{BOOK, Case, unindent};
use std::process::Command;

const JOURNAL: &str = "
    2026-01-02 buy acme 10h @ 120 ref:INV-1041
    2026-01-03 buy acme 5h @ 120
    2026-01-04 quote acme Q7 2h Landing page
    2026-01-04 estimate globex E3 3h Migration
";

#[test]
fn complete_lists_the_clients_of_the_book_found_as_usual() {
    Case::new()
        .book(BOOK)
        .args(["__complete", "clients"])
        .stdout("acme\nglobex\n")
        .run();
    Case::new()
        .book(BOOK)
        .args(["__complete", "clients", "gl"])
        .stdout("globex\n")
        .run();
}

#[test]
fn complete_lists_a_clients_quotes_and_lots() {
    Case::new()
        .book(BOOK)
        .journal(JOURNAL)
        .args(["__complete", "quotes", "--client", "acme"])
        .stdout("Q7\n")
        .run();
    Case::new()
        .book(BOOK)
        .journal(JOURNAL)
        .args(["__complete", "quotes"])
        .stdout("E3\nQ7\n")
        .run();
    Case::new()
        .book(BOOK)
        .journal(JOURNAL)
        .args(["__complete", "lots", "--client", "acme"])
        .stdout("2026-01-03\nINV-1041\n")
        .run();
}

#[test]
fn complete_without_a_book_prints_nothing_and_succeeds() {
    Case::new()
        .args(["__complete", "clients"])
        .stdout("")
        .stderr("")
        .run();
    Case::new()
        .book("[book]\ncurrency = \n")
        .args(["__complete", "clients"])
        .stdout("")
        .stderr("")
        .run();
}

#[test]
fn complete_is_not_in_the_help() {
    let out = Case::new().args(["--help"]).run().stdout;
    assert!(!out.contains("__complete"), "{out}");
}

#[test]
fn the_scripts_call_complete() {
    for shell in ["bash", "zsh", "fish"] {
        let out = Case::new().args(["completions", shell]).run().stdout;
        assert!(out.contains("__complete"), "{shell}");
    }
}

/// Run bash's completion for `words` (the last one being completed) in a book folder.
fn bash_complete(dir: &std::path::Path, words: &[&str]) -> Option<Vec<String>> {
    let bin = env!("CARGO_BIN_EXE_credits");
    let script = dir.join("credits.bash");
    let out = super::support::command(dir, dir)
        .args(["completions", "bash"])
        .output()
        .expect("credits completions bash");
    std::fs::write(&script, &out.stdout).expect("write the script");
    let quoted: Vec<String> = std::iter::once(bin)
        .chain(words.iter().copied())
        .map(|w| format!("'{w}'"))
        .collect();
    let line = format!(
        "source ./credits.bash; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE=\"${{COMP_WORDS[*]}}\"; \
         COMP_POINT=${{#COMP_LINE}}; _credits_ids credits '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        quoted.join(" "),
        words.len(),
        words.last().copied().unwrap_or_default(),
        words
            .get(words.len().wrapping_sub(2))
            .copied()
            .unwrap_or(bin),
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(line)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CREDITS_FILE")
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

#[test]
fn bash_completes_client_ids_quote_ids_and_lots_from_the_book() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("credits.toml"), unindent(BOOK)).expect("book");
    std::fs::write(dir.path().join("journal.credits"), unindent(JOURNAL)).expect("journal");
    let Some(ids) = bash_complete(dir.path(), &["balance", "gl"]) else {
        return; // no bash here
    };
    assert_eq!(ids, ["globex"]);
    let ids = bash_complete(dir.path(), &["log", ""]).expect("bash");
    assert_eq!(ids, ["acme", "globex"]);
    let ids = bash_complete(dir.path(), &["approve", "acme", ""]).expect("bash");
    assert_eq!(ids, ["Q7"]);
    let ids = bash_complete(dir.path(), &["refund", "acme", "IN"]).expect("bash");
    assert_eq!(ids, ["INV-1041"]);
    let ids = bash_complete(dir.path(), &["log", "15m", "--client", "a"]).expect("bash");
    assert_eq!(ids, ["acme"]);
    // A value of another option is not an id.
    let ids = bash_complete(dir.path(), &["log", "--date", ""]).expect("bash");
    assert!(!ids.contains(&"acme".to_string()), "{ids:?}");
}

/// A book folder with the journal above, a `bin/credits` link to the binary, and the script of
/// `shell` in `credits.SHELL`.
fn shell_book(shell: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("credits.toml"), unindent(BOOK)).expect("book");
    std::fs::write(dir.path().join("journal.credits"), unindent(JOURNAL)).expect("journal");
    std::fs::create_dir(dir.path().join("bin")).expect("bin");
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_credits"),
        dir.path().join("bin/credits"),
    )
    .expect("link the binary");
    let out = super::support::command(dir.path(), dir.path())
        .args(["completions", shell])
        .output()
        .expect("credits completions");
    std::fs::write(dir.path().join(format!("credits.{shell}")), &out.stdout).expect("script");
    dir
}

/// Run `script` with `shell -c` in `dir`, `bin/credits` first on PATH; `None` without the shell.
fn in_shell(dir: &std::path::Path, shell: &str, flags: &[&str], script: &str) -> Option<String> {
    let path = format!(
        "{}:{}",
        dir.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new(shell)
        .args(flags)
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env_remove("CREDITS_FILE")
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn zsh_completes_ids_from_the_book() {
    let dir = shell_book("zsh");
    // `compadd` and clap's own function stubbed: what would be offered is printed.
    let run = |words: &str, current: usize| {
        let script = format!(
            "compdef() {{ :; }}; source ./credits.zsh; \
             compadd() {{ [[ $1 == -a ]] && print -l -- ${{(P)2}}; }}; \
             _credits_clap() {{ print CLAP; }}; words=({words}); CURRENT={current}; _credits"
        );
        in_shell(dir.path(), "zsh", &["-f"], &script)
    };
    let Some(out) = run("credits balance ''", 3) else {
        return; // no zsh here
    };
    assert_eq!(out, "acme\nglobex\n");
    assert_eq!(run("credits approve acme ''", 4).expect("zsh"), "Q7\n");
    assert_eq!(
        run("credits log 15m --client g", 5).expect("zsh"),
        "globex\n"
    );
    assert_eq!(run("credits log --date ''", 4).expect("zsh"), "CLAP\n");
}

#[test]
fn fish_completes_ids_from_the_book() {
    let dir = shell_book("fish");
    let run = |line: &str| {
        let script = format!("source credits.fish; complete -C '{line}'");
        in_shell(dir.path(), "fish", &["--no-config"], &script)
    };
    let Some(out) = run("credits balance ") else {
        return; // no fish here
    };
    assert_eq!(out, "acme\nglobex\n");
    assert_eq!(run("credits refund acme IN").expect("fish"), "INV-1041\n");
    assert_eq!(run("credits log 15m --client g").expect("fish"), "globex\n");
}
