//! The statement as the client reads it: render every format, read the text back, and find
//! the issuer, the client's name, signed money, the overage row, the footnote on carried time
//! and the footer, and none of the book's internal ids or verbs.

use super::support::Case;
use std::path::Path;
use std::process::Command;

const BOOK: &str = r#"
    [book]
    name = "studio"
    unit = "hour"
    currency = "USD"
    journals = ["journal.credits"]
    issuer = """
    Jane Doe Web Services
    12 Harbour Street, Portsmouth
    """
    email = "billing@janedoe.example"
    footer = "Payment within 14 days. Thank you!"

    [policy]
    debit = "accumulate"
    overdraft = "bill"

    [plans.retainer]
    title = "Website Care"
    monthly = "1h"

    [packages.ten]
    units = 10
    price = "1500"
    title = "10-hour block"

    [clients.northwind]
    name = "Northwind Traders"
    rate = "100"
"#;

// March: 1 hour included, a 10-hour block bought and 2 hours of it refunded; 10:15 of work:
// 10 hours charged (the last one runs over the 9 hours there were), 0:15 carried. A quote
// made and rejected moves nothing.
const JOURNAL: &str = "
    2026-03-01 plan northwind retainer
    2026-03-02 buy northwind ten ref:INV-2026-001
    2026-03-03 quote northwind Q7 2h Landing page
    2026-03-04 reject northwind Q7
    2026-03-05 refund northwind INV-2026-001 2h
    2026-03-10 log northwind 5h Shop migration
    2026-03-20 log northwind 5h15m Checkout fixes
";

fn statement(format: &str) -> String {
    Case::new()
        .book(BOOK)
        .journal(JOURNAL)
        .today("2026-04-02")
        .args([
            "statement",
            "northwind",
            "--month",
            "2026-03",
            "--format",
            format,
        ])
        .run()
        .stdout
}

/// What a reader sees of an HTML page: the text between the tags, entities decoded, spaces
/// folded (the `<style>` and the chart's `<title>`s left out).
fn text_of_html(page: &str) -> String {
    let body = page.split("</style>").nth(1).unwrap_or(page);
    let mut out = String::new();
    let mut in_tag = false;
    let mut skip = false;
    let mut tag = String::new();
    for c in body.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                if tag.starts_with("svg") {
                    skip = true;
                } else if tag.starts_with("/svg") {
                    skip = false;
                }
                out.push(' ');
            }
            (true, c) => tag.push(c),
            (false, c) if !skip => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#9679;", "●")
        .replace("&#9670;", "◆")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What every format must say, and must not.
fn reads_as_a_client_document(text: &str, minus: &str) {
    for want in [
        "Jane Doe Web Services",
        "12 Harbour Street, Portsmouth",
        "billing@janedoe.example",
        "Northwind Traders",
        "2026-03-01 to 2026-03-31",
        "2026-04-02",
        "Website Care",
        "10-hour block (ref INV-2026-001)",
        "Unused time of purchase INV-2026-001",
        "Payment within 14 days. Thank you!",
    ] {
        assert!(text.contains(want), "`{want}` is missing from:\n{text}");
    }
    assert!(text.contains("+1500.00 USD"), "{text}");
    assert!(text.contains(&format!("{minus}300.00 USD")), "{text}");
    for leak in [
        "northwind ",
        "package ten",
        "plan retainer",
        "from lot",
        "Landing page",
        "Q7",
    ] {
        assert!(!text.contains(leak), "`{leak}` leaks into:\n{text}");
    }
}

#[test]
fn the_text_statement_reads_as_a_client_document() {
    let text = statement("text");
    reads_as_a_client_document(&text, "\u{2212}");
    let rows = folded(&text);
    assert!(
        rows.contains("Overage 1 hour (1:00) — 100.00 USD at 100.00 USD/hour"),
        "{text}"
    );
    assert!(
        rows.contains("Overage not yet invoiced 1 hour (1:00) — 100.00 USD due"),
        "{text}"
    );
    assert!(
        rows.contains("Carried (not yet charged) 0.25 hours (0:15) *"),
        "{text}"
    );
    assert!(rows.contains(
        "* Work is charged in whole hours: time under one hour is carried until it adds up to a \
         whole hour, then one hour is charged. Carried at the end of this period: 0:15."
    ), "{text}");
    // Lines with no time or money effect are left out; kinds are the client's words.
    assert!(
        !text.contains("Rejected") && !text.contains("reject"),
        "{text}"
    );
    for word in ["Purchase", "Included time", "Refund", "Work"] {
        assert!(
            text.contains(&format!("  {word}  ")),
            "no `{word}` line:\n{text}"
        );
    }
    // Summary rows that are zero are left out (the balances stay).
    for zero in [
        "Expired",
        "Project credit",
        "Adjusted",
        "Covered work",
        "Value remaining",
    ] {
        assert!(!text.contains(zero), "`{zero}` in:\n{text}");
    }
    assert!(rows.contains("Closing balance 0 hours (0:00)"), "{text}");
}

#[test]
fn the_markdown_statement_reads_as_a_client_document() {
    let md = statement("md");
    // As it reads once rendered: without the escapes.
    let md = md.replace('\\', "");
    reads_as_a_client_document(&md, "\u{2212}");
    assert!(
        md.contains("| Overage | 1 hour (1:00) — 100.00 USD at 100.00 USD/hour |"),
        "{md}"
    );
    assert!(md.contains("* Work is charged in whole hours"), "{md}");
}

#[test]
fn the_csv_statement_is_worded_and_its_amounts_add_up() {
    let csv = statement("csv");
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    let kinds: Vec<&str> = rows.iter().skip(1).map(|r| r[2]).collect();
    // (the kind column comes before any description, so splitting on commas finds it)
    assert_eq!(
        kinds,
        [
            "Opening balance",
            "Included time",
            "Purchase",
            "Refund",
            "Work",
            "Work",
            "Closing balance"
        ],
        "{csv}"
    );
    // Counted from the end: a description with a comma is one quoted field.
    let amounts: Vec<&str> = rows
        .iter()
        .map(|r| r[r.len() - 2])
        .filter(|a| !a.is_empty())
        .collect();
    assert_eq!(amounts, ["amount", "1500.00", "-300.00"]);
    let sum: f64 = amounts[1..].iter().map(|a| a.parse::<f64>().unwrap()).sum();
    assert!((sum - 1200.0).abs() < 1e-9);
    assert!(csv.contains("10-hour block (ref INV-2026-001)"), "{csv}");
}

#[test]
fn the_json_statement_keeps_every_line_and_signs_money() {
    let json: serde_json::Value = serde_json::from_str(&statement("json")).unwrap();
    assert_eq!(json["issuer"]["lines"][0], "Jane Doe Web Services");
    assert_eq!(json["issuer"]["email"], "billing@janedoe.example");
    assert_eq!(json["issued"], "2026-04-02");
    assert_eq!(json["footer"][0], "Payment within 14 days. Thank you!");
    let lines = json["lines"].as_array().unwrap();
    let kinds: Vec<&str> = lines.iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "plan", "grant", "buy", "quote", "reject", "refund", "log", "log"
        ]
    );
    let refund = &lines[5];
    assert_eq!(refund["amount"], "-300.00");
    assert_eq!(refund["label"], "Refund");
    assert_eq!(lines[2]["amount"], "1500.00");
    assert_eq!(json["overage_minutes"], "60");
    assert_eq!(json["overage_due"], "100.00");
    assert_eq!(lines[4]["description"], "Q7 rejected");
}

fn chromium() -> Option<&'static str> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
}

#[test]
fn the_html_statement_reads_as_a_client_document() {
    let page = statement("html");
    // In a browser when there is one: the DOM it built, read as text.
    let dom = chromium().map(|chromium| {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("s.html");
        std::fs::write(&file, &page).unwrap();
        let out = Command::new(chromium)
            .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
            .arg(format!(
                "--user-data-dir={}",
                dir.path().join("p").display()
            ))
            .arg(format!("file://{}", file.display()))
            .output()
            .expect("run chromium");
        String::from_utf8_lossy(&out.stdout).into_owned()
    });
    for html in std::iter::once(page.clone()).chain(dom) {
        let text = text_of_html(&html);
        reads_as_a_client_document(&text, "\u{2212}");
        assert!(
            text.contains("Overage 1 hour (1:00) — 100.00 USD at 100.00 USD/hour"),
            "{text}"
        );
        assert!(text.contains("Overage due 100.00 USD"), "{text}");
        assert!(text.contains("* Work is charged in whole hours"), "{text}");
        assert!(!text.contains("Client:"), "{text}");
        // The legend names only the marks the chart draws: a purchase, no expiry.
        assert!(
            text.contains("● purchase") && !text.contains("expired time"),
            "{text}"
        );
    }
    assert!(page.contains("@media print") && page.contains("@page"));
}
