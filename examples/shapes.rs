//! Books of one shape each, for measuring how the engine grows with a book: the time of a
//! shape at N and at 10×N should differ by about 10×.
//!
//! `cargo run --example shapes -- SHAPE N OUT_DIR` writes `OUT_DIR/credits.toml` and
//! `OUT_DIR/journal.credits`:
//!
//! - `big-debits`: N lots bought, then ten debits that drain all of them;
//! - `plan-logs`: a client on a plan with N open purchases, then N logs (each asks for the
//!   included time);
//! - `plan-9999`: N clients on a plan whose included time lapses every month, from 1900
//!   through 9999-12-31 (`credits check` replays every month).

use std::fmt::Write as _;
use std::path::PathBuf;

const USAGE: &str = "usage: shapes big-debits|plan-logs|plan-9999 N OUT_DIR";

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [shape, n, out] = args.as_slice() else {
        return Err(USAGE.into());
    };
    let n: usize = n.parse().map_err(|_| USAGE.to_string())?;
    let (book, journal) = match shape.as_str() {
        "big-debits" => big_debits(n),
        "plan-logs" => plan_logs(n),
        "plan-9999" => plan_9999(n),
        _ => return Err(USAGE.into()),
    };
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    std::fs::write(out.join("credits.toml"), book).map_err(|e| e.to_string())?;
    std::fs::write(out.join("journal.credits"), journal).map_err(|e| e.to_string())?;
    Ok(())
}

const HEAD: &str = "[book]\nname = \"Shape\"\ncurrency = \"USD\"\njournals = [\"journal.credits\"]\n\n\
                    [policy]\nunit_price = \"100\"\ndebit = \"exact\"\n\n\
                    [plans.p]\nmonthly = \"1h\"\n\n";

/// The `i`th day from 2001-01-01, `per` entries a day.
fn day(i: usize, per: usize) -> chrono::NaiveDate {
    let start = chrono::NaiveDate::from_ymd_opt(2001, 1, 1).unwrap_or_default();
    start
        .checked_add_days(chrono::Days::new((i / per) as u64))
        .unwrap_or(start)
}

fn big_debits(n: usize) -> (String, String) {
    let mut j = String::new();
    for i in 0..n {
        let _ = writeln!(j, "{} buy acme 1h @ 100", day(i, 20));
    }
    for _ in 0..10 {
        let _ = writeln!(j, "{} debit acme {}m", day(n + 20, 20), n * 6);
    }
    (format!("{HEAD}[clients.acme]\n"), j)
}

fn plan_logs(n: usize) -> (String, String) {
    let mut j = format!("{} plan acme p\n", day(0, 1));
    for i in 0..n {
        let _ = writeln!(j, "{} buy acme 10h @ 100", day(i, 50));
    }
    for i in 0..n {
        let _ = writeln!(j, "{} log acme 1m", day(n + i, 50));
    }
    (format!("{HEAD}[clients.acme]\n"), j)
}

fn plan_9999(n: usize) -> (String, String) {
    let (mut book, mut j) = (HEAD.to_string(), String::new());
    for i in 0..n {
        let _ = writeln!(book, "[clients.c{i}]");
        let _ = writeln!(j, "1900-01-01 plan c{i} p");
        let _ = writeln!(j, "9999-12-31 log c{i} 1m");
    }
    (book, j)
}
