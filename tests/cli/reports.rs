//! The reports (`expiring`, `usage`, `register`, `projects`, `export`) on the demo books in `journals/`, in every
//! format, against the files in `tests/demos/<book>/<case>` (golden files; rewrite them with
//! `CREDITS_BLESS=1 cargo test --test cli reports`, then review the diff). And the export read
//! by the real hledger, ledger and bean-check, whose balances must be `credits balance`'s.

use super::support::command;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The date the demo books are reported on: late in the year, so every book has history.
const AS_OF: &str = "2026-11-22";

const BOOKS: &[&str] = &["anytime", "support", "blockhours"];

const CASES: &[(&str, &[&str])] = &[
    ("expiring.txt", &["expiring"]),
    ("expiring-12mo.txt", &["expiring", "--within", "12mo"]),
    ("expiring.json", &["expiring", "--format", "json"]),
    ("expiring.csv", &["expiring", "--format", "csv"]),
    ("usage.txt", &["usage"]),
    (
        "usage-week.txt",
        &["usage", "--by", "week", "--from", "2026-09-01"],
    ),
    ("usage.json", &["usage", "--format", "json"]),
    ("usage.csv", &["usage", "--format", "csv"]),
    ("register-2026-03.txt", &["register", "-p", "2026-03"]),
    (
        "register-2026-03.json",
        &["register", "-p", "2026-03", "--format", "json"],
    ),
    (
        "register-2026-03.csv",
        &["register", "-p", "2026-03", "--format", "csv"],
    ),
    (
        "register-2026-03.md",
        &["register", "-p", "2026-03", "--format", "md"],
    ),
    ("projects.txt", &["projects"]),
    ("projects.json", &["projects", "--format", "json"]),
    ("projects.csv", &["projects", "--format", "csv"]),
    ("projects.md", &["projects", "--format", "md"]),
    ("export.journal", &["export", "hledger"]),
    ("export.ledger", &["export", "ledger"]),
    ("export.beancount", &["export", "beancount"]),
    ("export.csv", &["export", "csv"]),
    ("export.json", &["export", "json"]),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn credits(book: &Path, args: &[&str]) -> String {
    credits_on(book, AS_OF, args)
}

fn credits_on(book: &Path, today: &str, args: &[&str]) -> String {
    let out = command(book, book)
        .arg("--file")
        .arg(book)
        .args(["--today", today])
        .args(args)
        .output()
        .expect("run credits");
    assert!(
        out.status.success(),
        "credits {args:?} on {} failed:\n{}",
        book.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

#[test]
fn every_report_on_every_demo_book_prints_its_golden_file() {
    let bless = std::env::var_os("CREDITS_BLESS").is_some_and(|v| v == "1");
    let mut failures = String::new();
    for book in BOOKS {
        let dir = root().join("journals").join(book);
        let expected_dir = root().join("tests/demos").join(book);
        for (name, args) in CASES {
            let actual = credits(&dir, args);
            let path = expected_dir.join(name);
            if bless {
                fs::create_dir_all(&expected_dir).expect("create tests/demos/BOOK");
                fs::write(&path, &actual).expect("bless a demo file");
                continue;
            }
            let expected = fs::read_to_string(&path).unwrap_or_default();
            if expected != actual {
                let _ = writeln!(
                    failures,
                    "=== {book}/{name} differs:\n--- expected:\n{expected}--- actual:\n{actual}"
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{failures}\nrun `CREDITS_BLESS=1 cargo test --test cli reports` to accept the new output"
    );
}

/// `credits balance --format json`: each client's balance in minutes.
fn balances(book: &Path) -> BTreeMap<String, String> {
    balances_on(book, AS_OF)
}

/// [`balances`] as of `today`.
fn balances_on(book: &Path, today: &str) -> BTreeMap<String, String> {
    let v: serde_json::Value =
        serde_json::from_str(&credits_on(book, today, &["balance", "--format", "json"]))
            .expect("json");
    v["clients"]
        .as_array()
        .expect("clients")
        .iter()
        .map(|c| {
            let id = c["id"].as_str().expect("id").to_string();
            let m = c["balance_minutes"].as_str().expect("minutes");
            (id, normal(m))
        })
        .collect()
}

/// A decimal written without trailing zeros: `410.0` → `410`, `142.50` → `142.5`.
fn normal(s: &str) -> String {
    let s = s.trim().replace(',', "");
    if !s.contains('.') {
        return if s == "-0" { "0".into() } else { s };
    }
    let t = s.trim_end_matches('0').trim_end_matches('.').to_string();
    if t == "-0" || t.is_empty() {
        "0".into()
    } else {
        t
    }
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Run `tool args…` on `file`; its stdout.
fn run_tool(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool)
        .args(args)
        .output()
        .expect("run the tool");
    assert!(
        out.status.success(),
        "{tool} {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Lines such as `   -100.0 MIN  assets:prepaid:carry` → {carry: "-100"}. Clients whose
/// balance is zero are not printed by the tools; they count as 0.
fn prepaid(output: &str) -> BTreeMap<String, String> {
    output
        .lines()
        .filter_map(|l| {
            let (amount, account) = l.trim().split_once("  ")?;
            let client = account.trim().strip_prefix("assets:prepaid:")?;
            let q = amount.trim().strip_suffix("MIN")?;
            Some((client.to_string(), normal(q)))
        })
        .collect()
}

fn compare(
    tool: &str,
    book: &str,
    got: &BTreeMap<String, String>,
    want: &BTreeMap<String, String>,
) {
    for (client, minutes) in want {
        let g = got.get(client).map_or("0", String::as_str);
        assert_eq!(
            g, minutes,
            "{tool} says `{client}` of {book} has {g} MIN, `credits balance` says {minutes}"
        );
    }
    for client in got.keys() {
        assert!(want.contains_key(client), "{tool} invented `{client}`");
    }
}

/// The demo books and a hand-made book with carried debt, overage, refunds, an apply and JPY.
fn books() -> Vec<(String, PathBuf)> {
    let mut v: Vec<(String, PathBuf)> = BOOKS
        .iter()
        .map(|b| ((*b).to_string(), root().join("journals").join(b)))
        .collect();
    v.push((
        "edge cases".into(),
        root().join("tests/golden/export/hledger"),
    ));
    v
}

#[test]
fn hledger_reads_the_export_and_agrees_with_credits_balance() {
    if !have("hledger") {
        eprintln!("note: hledger is not installed; skipping the hledger comparison");
        return;
    }
    for (name, book) in books() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let file = tmp.path().join("export.journal");
        fs::write(&file, credits(&book, &["export", "hledger"])).expect("write");
        let f = file.to_str().expect("utf-8 path");
        let out = run_tool(
            "hledger",
            &[
                "-f",
                f,
                "bal",
                "--flat",
                "-N",
                "assets:prepaid",
                "-e",
                "2100-01-01",
            ],
        );
        compare("hledger", &name, &prepaid(&out), &balances(&book));
    }
}

/// Periods an export is limited to, and the day each ends (the balance to compare with).
const PERIODS: &[(&str, &str)] = &[
    ("2026-03", "2026-03-31"),
    ("2026-10", "2026-10-31"),
    ("2026-W30", "2026-07-26"),
    ("last-month", "2026-10-31"),
    ("this-year", AS_OF),
];

#[test]
fn a_period_limited_export_opens_with_the_balance_so_the_tools_agree_with_credits() {
    let tools: Vec<&str> = ["hledger", "ledger"]
        .into_iter()
        .filter(|t| have(t))
        .collect();
    if tools.is_empty() {
        eprintln!("note: neither hledger nor ledger is installed; skipping");
        return;
    }
    for (name, book) in books() {
        for (period, end) in PERIODS {
            let tmp = tempfile::tempdir().expect("temp dir");
            let file = tmp.path().join("export.journal");
            let text = credits(&book, &["export", "hledger", "-p", period]);
            fs::write(&file, &text).expect("write");
            let f = file.to_str().expect("utf-8 path");
            let want = balances_on(&book, end);
            let what = format!("{name} -p {period}");
            for tool in &tools {
                let out = match *tool {
                    "hledger" => run_tool(
                        "hledger",
                        &[
                            "-f",
                            f,
                            "bal",
                            "--flat",
                            "-N",
                            "assets:prepaid",
                            "-e",
                            "2100-01-01",
                        ],
                    ),
                    _ => run_tool(
                        "ledger",
                        &["-f", f, "bal", "--flat", "--no-total", "assets:prepaid"],
                    ),
                };
                compare(tool, &what, &prepaid(&out), &want);
            }
        }
    }
}

#[test]
fn ledger_reads_the_export_and_agrees_with_credits_balance() {
    if !have("ledger") {
        eprintln!("note: ledger is not installed; skipping the ledger comparison");
        return;
    }
    for (name, book) in books() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let file = tmp.path().join("export.ledger");
        fs::write(&file, credits(&book, &["export", "ledger"])).expect("write");
        let f = file.to_str().expect("utf-8 path");
        let out = run_tool(
            "ledger",
            &["-f", f, "bal", "--flat", "--no-total", "assets:prepaid"],
        );
        compare("ledger", &name, &prepaid(&out), &balances(&book));
    }
}

#[test]
fn bean_check_accepts_the_beancount_export() {
    if !have("bean-check")
        && !Command::new("bean-check")
            .arg("--help")
            .output()
            .is_ok_and(|o| o.status.success())
    {
        eprintln!("note: bean-check is not installed; skipping the beancount check");
        return;
    }
    for (_, book) in books() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let file = tmp.path().join("export.beancount");
        fs::write(&file, credits(&book, &["export", "beancount"])).expect("write");
        run_tool("bean-check", &[file.to_str().expect("utf-8 path")]);
    }
}
