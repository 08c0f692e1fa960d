//! Every command in every `--format` it claims, on a demo book (`journals/anytime`, copied to a
//! temporary folder for each run, so writing commands write to a copy): JSON parses, CSV has
//! a header and lines of as many fields, Markdown holds a table, text is not empty. Every
//! format a command does not claim is bad usage (exit 2) that prints nothing on stdout and
//! leaves the journal as it was.
//!
//! The commands come from clap's own list (`Cli::command()`), and their formats from the one
//! table the binary uses (`credits::cli::formats::of`): a new command that is missing from that
//! table, or from [`RUNS`] here, fails this test with a message that says where to add it.

use super::support::command;
use clap::CommandFactory;
use credits::cli::{Cli, Format, formats};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// The date the demo book is read on.
const AS_OF: &str = "2026-11-22";

/// How to run one command on the demo book: commands to run first (in text), then the
/// command's arguments, `--format` added.
struct Run {
    setup: &'static [&'static [&'static str]],
    args: &'static [&'static str],
}

const fn run(args: &'static [&'static str]) -> Run {
    Run { setup: &[], args }
}

const QUOTED: &[&[&str]] = &[&["quote", "bakery", "QF1", "1h", "Formats test"]];
const APPROVED: &[&[&str]] = &[
    &["quote", "bakery", "QF1", "1h", "Formats test"],
    &["approve", "bakery", "QF1"],
];
const BOUGHT: &[&[&str]] = &[&["buy", "bakery", "five", "--ref", "FMT-1"]];
const TIMING: &[&[&str]] = &[&["start", "bakery", "--at", "09:00", "Formats test"]];

/// Each command by name, and the runs that exercise it.
fn runs(name: &str) -> Option<Vec<Run>> {
    Some(match name {
        "balance" => vec![run(&["balance"]), run(&["balance", "bakery"])],
        "check" => vec![run(&["check"])],
        "clients" => vec![run(&["clients"])],
        "expiring" => vec![run(&["expiring", "--within", "24mo"])],
        "usage" => vec![run(&["usage"]), run(&["usage", "bakery", "--by", "week"])],
        "quotes" => vec![run(&["quotes"])],
        "statement" => vec![
            run(&["statement", "bakery", "--month", "2026-10"]),
            run(&["statement", "yoga", "--month", "2026-03"]),
        ],
        "status" => vec![
            run(&["status"]),
            Run {
                setup: TIMING,
                args: &["status"],
            },
        ],
        "log" => vec![run(&["log", "bakery", "15m", "Formats test"])],
        "buy" => vec![run(&["buy", "bakery", "five", "--ref", "FMT-1"])],
        "debit" => vec![run(&["debit", "bakery", "1h", "Formats test"])],
        "quote" => vec![run(&["quote", "bakery", "QF1", "1h", "Formats test"])],
        "estimate" => vec![run(&["estimate", "bakery", "EF1", "2h", "Formats test"])],
        "approve" => vec![Run {
            setup: QUOTED,
            args: &["approve", "bakery", "QF1"],
        }],
        "reject" => vec![Run {
            setup: QUOTED,
            args: &["reject", "bakery", "QF1"],
        }],
        "done" => vec![Run {
            setup: APPROVED,
            args: &["done", "bakery", "QF1"],
        }],
        "apply" => vec![Run {
            setup: BOUGHT,
            args: &["apply", "bakery", "100", "--project", "formats"],
        }],
        "refund" => vec![Run {
            setup: BOUGHT,
            args: &["refund", "bakery", "FMT-1", "1h"],
        }],
        "adjust" => vec![run(&["adjust", "bakery", "+1h", "Formats test"])],
        "plan" => vec![run(&["plan", "bakery", "concierge"])],
        "bill" => vec![run(&["bill", "bakery", "--ref", "INV-FMT"])],
        "assert" => vec![run(&["assert", "bakery", "ASSERT"])],
        "start" => vec![run(&["start", "bakery", "--at", "09:00", "Formats test"])],
        "stop" => vec![Run {
            setup: TIMING,
            args: &["stop", "--at", "10:00"],
        }],
        "init" => vec![run(&["init", "newbook"])],
        "merge" => vec![run(&[
            "merge",
            "base.credits",
            "ours.credits",
            "theirs.credits",
        ])],
        "completions" => vec![run(&["completions", "bash"])],
        "man" => vec![run(&["man"])],
        "undo" => vec![Run {
            setup: BOUGHT,
            args: &["undo"],
        }],
        "cancel" => vec![Run {
            setup: TIMING,
            args: &["cancel"],
        }],
        "register" => vec![
            run(&["register"]),
            run(&["register", "bakery", "--month", "2026-03", "--tag", "call"]),
        ],
        "export" => vec![
            run(&["export", "csv"]),
            run(&["export", "hledger", "-p", "2026-03"]),
            run(&["export", "json", "bakery", "--tag", "call"]),
        ],
        "projects" => vec![
            run(&["projects"]),
            run(&["projects", "bakery", "-p", "2026"]),
        ],
        _ => return None,
    })
}

const ALL: [Format; 5] = [
    Format::Text,
    Format::Json,
    Format::Csv,
    Format::Md,
    Format::Html,
];

fn copy_book(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("journals/anytime");
    for e in fs::read_dir(&from)
        .expect("the demo book")
        .filter_map(Result::ok)
    {
        if e.path().is_file() {
            fs::copy(e.path(), to.join(e.file_name())).expect("copy the demo book");
        }
    }
    for f in ["base.credits", "ours.credits", "theirs.credits"] {
        fs::write(to.join(f), "2026-01-05 buy bakery 1\n").expect("a file to merge");
    }
}

/// Run `credits` in `dir` on `AS_OF`; (exit code, stdout, stderr).
fn credits(dir: &Path, args: &[String]) -> (i32, String, String) {
    let out = command(dir, dir)
        .env("CREDITS_TODAY", AS_OF)
        .env("CREDITS_NOW", format!("{AS_OF}T12:00"))
        .args(args)
        .output()
        .expect("run credits");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The arguments of `r`: `ASSERT` is the bakery's balance now, in minutes.
fn words(dir: &Path, args: &[&str]) -> Vec<String> {
    args.iter()
        .map(|a| {
            if *a != "ASSERT" {
                return (*a).to_string();
            }
            let (_, out, _) = credits(
                dir,
                &[
                    "balance".into(),
                    "bakery".into(),
                    "--format".into(),
                    "json".into(),
                ],
            );
            let v: serde_json::Value = serde_json::from_str(&out).expect("balance json");
            format!(
                "{}m",
                v["clients"][0]["balance_minutes"]
                    .as_str()
                    .expect("minutes")
            )
        })
        .collect()
}

/// The records of a CSV text (RFC 4180: quoted fields may hold commas, quotes doubled and
/// line breaks; lines end with LF or CRLF).
fn csv_records(text: &str) -> Result<Vec<Vec<String>>, String> {
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') if field.is_empty() => quoted = true,
            (false, '"') => return Err(format!("a quote inside an unquoted field: {field:?}")),
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (_, c) => field.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed".into());
    }
    if !field.is_empty() || !record.is_empty() {
        return Err("the last line has no line end".into());
    }
    Ok(records)
}

/// The number of cells of a Markdown table row (`|` escaped as `\|` is text).
fn md_cells(line: &str) -> usize {
    let mut n: usize = 0;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    n.saturating_sub(1)
}

fn is_separator(line: &str) -> bool {
    let cells: Vec<&str> = line.trim().trim_matches('|').split('|').collect();
    line.trim_start().starts_with('|')
        && cells.iter().all(|c| {
            let c = c.trim().trim_start_matches(':').trim_end_matches(':');
            !c.is_empty() && c.chars().all(|x| x == '-')
        })
}

/// What is wrong with `out` as `format`, if anything.
fn check_output(format: Format, out: &str) -> Result<(), String> {
    match format {
        Format::Text => (!out.trim().is_empty())
            .then_some(())
            .ok_or_else(|| "no text".to_string()),
        Format::Json => serde_json::from_str::<serde_json::Value>(out)
            .map(|_| ())
            .map_err(|e| format!("not JSON: {e}")),
        Format::Csv => {
            let records = csv_records(out)?;
            let header = records.first().ok_or("no header")?;
            if header.iter().any(String::is_empty) {
                return Err(format!("a header with an empty name: {header:?}"));
            }
            match records.iter().find(|r| r.len() != header.len()) {
                Some(r) => Err(format!(
                    "{} fields under a header of {}: {r:?}",
                    r.len(),
                    header.len()
                )),
                None => Ok(()),
            }
        }
        Format::Md => {
            let lines: Vec<&str> = out.lines().collect();
            let mut tables = 0;
            for (i, pair) in lines.windows(2).enumerate() {
                if !(pair[0].trim_start().starts_with('|') && is_separator(pair[1])) {
                    continue;
                }
                tables += 1;
                let width = md_cells(pair[0]);
                let rows = lines[i..]
                    .iter()
                    .take_while(|l| l.trim_start().starts_with('|'));
                if let Some(bad) = rows.clone().find(|l| md_cells(l) != width) {
                    return Err(format!("a row of another width than its header: {bad}"));
                }
            }
            (tables > 0)
                .then_some(())
                .ok_or_else(|| "no Markdown table".to_string())
        }
        Format::Html => (out.contains("<html") && out.trim_end().ends_with("</html>"))
            .then_some(())
            .ok_or_else(|| "not an HTML page".to_string()),
    }
}

/// The text of every journal file in `dir`.
fn journals(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .expect("the book's folder")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "credits"))
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, fs::read(e.path()).expect("a journal"))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_command_prints_every_format_it_claims_and_refuses_the_others() {
    let mut failures = String::new();
    let mut ran = 0;
    for sub in Cli::command()
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
    {
        let name = sub.get_name();
        let Some(claimed) = formats::of(name) else {
            let _ = writeln!(
                failures,
                "`{name}` has no formats: add it to `src/cli/formats.rs`"
            );
            continue;
        };
        let Some(runs) = runs(name) else {
            let _ = writeln!(
                failures,
                "`{name}` is not run: add it to `runs` in `tests/cli/formats.rs`"
            );
            continue;
        };
        for r in &runs {
            for format in ALL {
                let tmp = tempfile::tempdir().expect("a temporary folder");
                let dir = tmp.path();
                copy_book(dir);
                for s in r.setup {
                    let (code, _, err) = credits(dir, &words(dir, s));
                    assert_eq!(code, 0, "setup `credits {}` failed:\n{err}", s.join(" "));
                }
                let mut args = words(dir, r.args);
                args.extend(["--format".to_string(), format.to_string()]);
                let before = journals(dir);
                let (code, out, err) = credits(dir, &args);
                let shown = args.join(" ");
                ran += 1;
                if !claimed.contains(&format) {
                    if code != 2 || !out.is_empty() || journals(dir) != before {
                        let _ = writeln!(
                            failures,
                            "`credits {shown}`: exit {code} (expected 2), stdout {out:?}, stderr {err}"
                        );
                    }
                    continue;
                }
                if code != 0 {
                    let _ = writeln!(failures, "`credits {shown}`: exit {code}\n{err}");
                    continue;
                }
                // A merge driver prints nothing when the merge is clean, as git expects.
                if name == "merge" && format == Format::Text && out.is_empty() {
                    continue;
                }
                if let Err(why) = check_output(format, &out) {
                    let _ = writeln!(failures, "`credits {shown}`: {why}\n{out}");
                    continue;
                }
                // A command that appends a line says which, where, and the client after it (the keys
                // of a `serde_json` object come sorted).
                let writes = claimed == [Format::Text, Format::Json] && name != "check";
                if writes && format == Format::Json && name == "undo" {
                    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
                    let keys: Vec<&String> = v
                        .as_object()
                        .map(|o| o.keys().collect())
                        .unwrap_or_default();
                    if keys != ["client", "file", "removed"] || !v["client"].is_object() {
                        let _ = writeln!(
                            failures,
                            "`credits {shown}`: not {{\"removed\", \"file\", \"client\"}}\n{out}"
                        );
                    }
                } else if writes && format == Format::Json {
                    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
                    let keys: Vec<&String> = v
                        .as_object()
                        .map(|o| o.keys().collect())
                        .unwrap_or_default();
                    if keys != ["client", "entry", "file"] || !v["entry"].is_string() {
                        let _ = writeln!(
                            failures,
                            "`credits {shown}`: not {{\"entry\", \"file\", \"client\"}}\n{out}"
                        );
                    }
                }
            }
        }
    }
    assert!(ran > 100, "only {ran} runs");
    assert!(failures.is_empty(), "{failures}");
}

#[test]
fn a_writing_command_in_json_prints_the_line_its_journal_and_the_client() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let dir = tmp.path();
    copy_book(dir);
    let args: Vec<String> = ["log", "bakery", "15m", "Formats test", "--format", "json"]
        .map(String::from)
        .to_vec();
    let (code, out, err) = credits(dir, &args);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(v["entry"], "2026-11-22 log bakery 15m Formats test");
    assert_eq!(v["file"], "2026.credits");
    let journal = fs::read_to_string(dir.join("2026.credits")).expect("the journal");
    assert!(journal.ends_with("2026-11-22 log bakery 15m Formats test\n"));
    // The client is the object `balance --format json` shows, forecast included.
    let balance: Vec<String> = ["balance", "bakery", "--format", "json"]
        .map(String::from)
        .to_vec();
    let (_, b, _) = credits(dir, &balance);
    let b: serde_json::Value = serde_json::from_str(&b).expect("JSON");
    assert_eq!(v["client"], b["clients"][0]);
    assert!(v["client"]["forecast"]["burn_minutes_per_month"].is_string());
}

#[test]
fn a_refusal_under_json_prints_nothing_on_stdout() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let dir = tmp.path();
    copy_book(dir);
    let before = journals(dir);
    let args: Vec<String> = ["done", "bakery", "NOPE", "--format", "json"]
        .map(String::from)
        .to_vec();
    let (code, out, err) = credits(dir, &args);
    assert_eq!((code, out.as_str()), (1, ""), "{err}");
    assert!(err.contains("NOPE"), "{err}");
    assert_eq!(journals(dir), before);
}

#[test]
fn the_csv_reader_of_these_tests_reads_quotes_and_counts_fields() {
    assert_eq!(
        csv_records("a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\n").unwrap(),
        vec![vec!["a", "b"], vec!["x, \"y\"", "two\nlines"]]
    );
    assert!(csv_records("a,b\n1,2,3\n").is_ok_and(|r| r[1].len() == 3));
    assert!(check_output(Format::Csv, "a,b\n1,2,3\n").is_err());
    assert!(check_output(Format::Csv, "a,b\n\"1,2\n").is_err());
    assert!(check_output(Format::Md, "| a | b |\n| --- | ---: |\n| 1 \\| 2 | 3 |\n").is_ok());
    assert!(check_output(Format::Md, "| a | b |\n| --- | --- |\n| 1 | 2 | 3 |\n").is_err());
    assert!(check_output(Format::Md, "no table\n").is_err());
    assert!(check_output(Format::Json, "{\"a\": 1").is_err());
}
