//! The pure pipeline without the command line: journal text → entries → replay → report.
//!
//! `cargo run --example replay` prints where Acme stands after the SPEC's example journal.

use credits::engine;
use credits::report;
use credits::source::SourceMap;
use credits::syntax::{book, journal};

const BOOK: &str = r#"
[book]
name = "Jane Doe Web Services"
currency = "USD"

[tasks]
complex-plugin = { units = 2, title = "Install and test a complex plugin" }

[clients.acme]
name = "Acme Corp"
rate = "150"
"#;

const JOURNAL: &str = "\
2026-01-05 buy acme 10h @ 120 USD ref:INV-1041
2026-01-06 log acme 15m Fixed header alignment #dev
2026-01-09 log acme 45m Plugin update #dev
2026-01-12 debit acme complex-plugin Install and test SEO plugin
2026-02-03 apply acme 240 USD project:redesign
";

fn main() {
    let mut sources = SourceMap::default();
    let book_id = sources.add("credits.toml".into(), BOOK.into());
    let book = match book::parse(BOOK, book_id) {
        Ok(b) => b,
        Err(problems) => {
            for p in &problems {
                eprint!("{}", credits::diagnostic::render(p, &sources, false));
            }
            std::process::exit(1);
        }
    };
    let journal_id = sources.add("journal.credits".into(), JOURNAL.into());
    let parsed = journal::parse(JOURNAL, journal_id, book.unit_minutes);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 2, 10).expect("a date");
    let replay = engine::replay(&book, &parsed.entries, Some(as_of));
    let balance = report::balance(&book, &replay, as_of, None);
    for c in &balance.clients {
        println!(
            "{}: {} minutes left, worth {} {}",
            c.id,
            c.balance,
            c.currency.format(c.value),
            c.currency
        );
    }
}
