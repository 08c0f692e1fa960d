//! `credits register` and `credits projects` on the demo books: their totals agree with the
//! statement's for the same client and period, and the filters keep what they name.

use super::support::{Case, command};
use serde_json::Value;
use std::path::{Path, PathBuf};

const AS_OF: &str = "2026-11-22";

fn demo(book: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("journals")
        .join(book)
}

fn json(book: &Path, args: &[&str]) -> Value {
    let args: Vec<&str> = ["--format", "json"]
        .into_iter()
        .chain(args.iter().copied())
        .collect();
    serde_json::from_str(&run(book, "2", &args)).expect("JSON")
}

fn num(v: &Value) -> rust_decimal::Decimal {
    v.as_str().unwrap_or("0").parse().expect("a decimal string")
}

fn clients(book: &Path) -> Vec<String> {
    json(book, &["clients"])["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn register_totals_are_the_statements_on_every_demo_book_and_month() {
    for name in ["anytime", "support", "blockhours"] {
        let book = demo(name);
        for client in clients(&book) {
            for month in 1..=11 {
                let p = format!("2026-{month:02}");
                let st = json(&book, &["statement", &client, "-p", &p]);
                let reg = json(&book, &["register", &client, "-p", &p]);
                let logged: rust_decimal::Decimal = st["lines"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| num(&l["logged_minutes"]))
                    .sum();
                let what = format!("{name} {client} {p}");
                assert_eq!(num(&reg["totals"]["logged_minutes"]), logged, "{what}");
                assert_eq!(
                    num(&reg["totals"]["debited_minutes"]),
                    num(&st["totals"]["debited"]),
                    "{what}"
                );
                // The last row's balance is the statement's closing balance.
                let rows = reg["rows"].as_array().unwrap();
                if let Some(last) = rows.last() {
                    assert_eq!(
                        num(&last["balance_minutes"]),
                        num(&st["closing_minutes"]),
                        "{what}"
                    );
                }
            }
        }
    }
}

const BOOK: &str = r#"
    [book]
    name = "Filters"
    currency = "USD"
    journals = ["journal.credits"]

    [policy]
    debit = "exact"

    [clients.acme]
    name = "Acme Corp"

    [clients.beta]
    name = "Beta"
"#;

const JOURNAL: &str = "
    2026-01-05 buy acme 10h @ 100 ref:INV-1
    2026-01-05 buy beta 5h @ 100
    2026-01-06 log acme 1h Fixed the Header #web
    2026-01-07 log beta 2h Server move #ops
    2026-01-08 log acme 30m Footer #web #ops project:site
    2026-01-09 quote acme Q1 3h Banner
    2026-01-09 approve acme Q1
    2026-01-10 log acme 1h Banner work quote:Q1
";

fn rows(args: &[&str]) -> Vec<String> {
    let out = Case::new()
        .book(BOOK)
        .journal(JOURNAL)
        .today("2026-01-31")
        .args(["register", "--format", "csv"])
        .args(args.iter().copied())
        .run();
    out.stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(4).collect::<Vec<_>>().join(","))
        .collect()
}

#[test]
fn the_filters_keep_what_they_name() {
    assert_eq!(
        rows(&["--tag", "ops"]),
        [
            "2026-01-07,beta,log,Server move",
            "2026-01-08,acme,log,Footer"
        ]
    );
    assert_eq!(
        rows(&["--tag", "ops", "--tag", "web"]).len(),
        3,
        "any of the tags"
    );
    assert_eq!(rows(&["--project", "site"]), ["2026-01-08,acme,log,Footer"]);
    assert_eq!(
        rows(&["--quote", "Q1"]),
        [
            "2026-01-09,acme,quote,quote Q1: 3 credits — Banner",
            "2026-01-09,acme,approve,quote Q1 approved",
            "2026-01-10,acme,quoted,Work on quote Q1: Banner work"
        ]
    );
    assert_eq!(rows(&["--kind", "quoted"]).len(), 1);
    assert_eq!(
        rows(&["--grep", "HEADER"]),
        ["2026-01-06,acme,log,Fixed the Header"]
    );
    assert_eq!(rows(&["--kind", "buy"]).len(), 2);
    assert_eq!(rows(&["acme", "--kind", "buy"]).len(), 1);
    assert!(rows(&["--grep", "nothing like it"]).is_empty());
}

#[test]
fn a_kind_that_is_no_kind_is_bad_usage_with_the_nearest() {
    Case::new()
        .book(BOOK)
        .journal(JOURNAL)
        .args(["register", "--kind", "lgo"])
        .code(2)
        .stderr_has("did you mean `log`?")
        .run();
}

#[test]
fn register_json_keeps_the_real_balance_under_a_filter() {
    let out = Case::new()
        .book(BOOK)
        .journal(JOURNAL)
        .today("2026-01-31")
        .args(["reg", "acme", "--tag", "ops", "--format", "json"])
        .run();
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    let row = &v["rows"][0];
    assert_eq!(row["tags"], serde_json::json!(["web", "ops"]));
    // 10h bought, 1h then 30m logged: 8h30m left, though only this row is shown.
    assert_eq!(row["balance_minutes"], "510");
    assert_eq!(v["totals"]["logged_minutes"], "30");
    assert_eq!(v["totals"]["debited_minutes"], "30");
    assert_eq!(v["totals"]["amounts"], serde_json::json!({}));
}

#[test]
fn usage_counts_only_the_events_the_filters_keep() {
    let out = Case::new()
        .book(BOOK)
        .journal(JOURNAL)
        .today("2026-01-31")
        .args(["usage", "--tag", "ops", "--format", "json"])
        .run();
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    // 2h (beta) and 30m (acme) are tagged #ops; 1h #web and the quote's hour are not.
    assert_eq!(v["total"]["logged_minutes"], "150", "{v}");
    let all = Case::new()
        .book(BOOK)
        .journal(JOURNAL)
        .today("2026-01-31")
        .args(["usage", "--format", "json"])
        .run();
    let all: Value = serde_json::from_str(&all.stdout).unwrap();
    assert_eq!(all["total"]["logged_minutes"], "270", "{all}");
}

#[test]
fn each_project_agrees_with_the_register_of_its_entries_on_every_demo_book() {
    let mut seen = 0;
    for name in ["anytime", "support", "blockhours"] {
        let book = demo(name);
        for p in json(&book, &["projects"])["projects"].as_array().unwrap() {
            let (client, project) = (
                p["client"].as_str().unwrap(),
                p["project"].as_str().unwrap(),
            );
            let reg = json(&book, &["register", client, "--project", project]);
            let what = format!("{name} {client} {project}");
            let t = &reg["totals"];
            assert_eq!(
                num(&p["logged_minutes"]),
                num(&t["logged_minutes"]),
                "{what}"
            );
            assert_eq!(
                num(&p["debited_minutes"]),
                num(&t["debited_minutes"]),
                "{what}"
            );
            // The register signs applied money `-`; the projects report counts it applied.
            let applied: rust_decimal::Decimal =
                t["amounts"].as_object().unwrap().values().map(num).sum();
            assert_eq!(num(&p["applied"]), -applied, "{what}");
            let rows = reg["rows"].as_array().unwrap();
            assert_eq!(p["first"], rows[0]["date"], "{what}");
            assert_eq!(p["last"], rows[rows.len() - 1]["date"], "{what}");
            seen += 1;
        }
    }
    assert!(seen >= 4, "the demo books have projects");
}

#[test]
fn projects_count_logs_and_applied_money_per_project() {
    let out = Case::new()
        .book(BOOK)
        .journal(&format!(
            "{JOURNAL}    2026-01-12 apply acme 50 project:site Site credit\n"
        ))
        .today("2026-01-31")
        .args(["projects", "--format", "json"])
        .run();
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"projects": [{
            "client": "acme", "project": "site", "logged_minutes": "30",
            "debited_minutes": "30", "applied": "50.00",
            "first": "2026-01-08", "last": "2026-01-12"
        }]})
    );
}

/// The month-end commands the documentation gives, on a demo book: the statements of last
/// month, what expires, and last month's work of one tag.
#[test]
fn the_month_end_commands_run_on_a_demo_book() {
    let book = demo("anytime");
    let out = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let o = command(&book, &book)
            .arg("--file")
            .arg(&book)
            .args(["--today", "2026-11-03"])
            .args(args)
            .output()
            .expect("run credits");
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    };
    let dir = out.path().join("statements");
    let dir_s = dir.display().to_string();
    let written = run(&[
        "statement",
        "--all",
        "-p",
        "last-month",
        "--format",
        "html",
        "--out",
        &dir_s,
    ]);
    assert!(written.contains("outfitters-2026-10.html"), "{written}");
    assert!(dir.join("bakery-2026-10.html").is_file());
    run(&["expiring"]);
    let reg = run(&["register", "-p", "last-month", "--tag", "dev"]);
    assert!(
        reg.contains("Black Friday preparation") && reg.contains("1 row"),
        "{reg}"
    );
}

/// `credits quotes` agrees with the register on every demo book: a quote's actual time is the
/// time logged on it (`register --quote ID`), and a delivered fixed quote's `done` row debits
/// exactly its quantity, however long the work took.
#[test]
fn each_quote_agrees_with_the_register_of_its_entries_on_every_demo_book() {
    let mut seen = 0;
    for name in ["anytime", "support", "blockhours"] {
        let book = demo(name);
        for q in json(&book, &["quotes"])["quotes"].as_array().unwrap() {
            let (client, id) = (q["client"].as_str().unwrap(), q["id"].as_str().unwrap());
            let what = format!("{name} {client} {id}");
            let reg = json(&book, &["register", client, "--quote", id]);
            assert_eq!(
                num(&q["actual_minutes"]),
                num(&reg["totals"]["logged_minutes"]),
                "{what}"
            );
            if q["kind"] == "quote" && q["status"] == "done" {
                let done: Vec<&Value> = reg["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|r| r["kind"] == "done")
                    .collect();
                assert_eq!(done.len(), 1, "{what}");
                assert_eq!(
                    num(&done[0]["debited_minutes"]),
                    num(&q["quantity_minutes"]),
                    "{what}"
                );
            }
            seen += 1;
        }
    }
    assert!(seen >= 4, "the demo books have quotes");
}

/// The stdout of `credits ARGS` on the demo `book` as of `AS_OF`, read on `threads` threads;
/// the command must succeed.
fn run(book: &Path, threads: &str, args: &[&str]) -> String {
    let out = command(book, book)
        .arg("--file")
        .arg(book)
        .args(["--today", AS_OF])
        .env("CREDITS_THREADS", threads)
        .args(args)
        .output()
        .expect("run credits");
    assert!(
        out.status.success(),
        "credits {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn the_register_printed_as_read_is_the_register_held_whole() {
    // Over all time and every client the register is printed as the book is read; from a day
    // before the first entry it is the same register, held and printed at the end.
    for book in ["anytime", "blockhours", "support"] {
        let book = demo(book);
        for format in ["text", "csv", "json", "md"] {
            let held = run(
                &book,
                "1",
                &["register", "--from", "2000-01-01", "--format", format],
            );
            assert!(held.lines().count() > 10, "{format}: {held}");
            for threads in ["1", "2", "3"] {
                let printed = run(&book, threads, &["register", "--format", format]);
                assert_eq!(
                    printed,
                    held,
                    "{} {format}, {threads} threads",
                    book.display()
                );
            }
        }
    }
}
