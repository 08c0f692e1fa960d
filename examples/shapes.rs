//! Generate the benchmark shapes: small books, each built to stress one part of the replay.
//!
//! ```sh
//! cargo run --release --example shapes -- --out target/bench-shapes
//! credits -f target/bench-shapes/a-50000 balance --today "$(cat target/bench-shapes/a-50000/TODAY)"
//! ```
//!
//! Each shape is one folder (`credits.toml`, `journal.credits`, and `TODAY`, the date to
//! report as of). The same arguments always give the same bytes (no randomness at all).
//!
//! - `a-N`: one client buys N one-hour lots, all open at once, then `debit 10h` drains them
//!   ten at a time.
//! - `b-N`: N pairs of `buy 2h` and `debit 1h`: about N/2 lots stay open as the pairs go on.
//! - `c-N`: N lots bought with `expires 30d` and never used: each expires on its own day.
//! - `d`: one client on a plan whose grants last `1000y`, from 1900, as of 9999-12-31: every
//!   month's grant stays open.
//! - `e`: 200 clients on a monthly plan from 2000, as of 9999-12-31.
//! - `f-N`: N lines of 20 clients in date order, 10 a day, but every 50th line recorded late
//!   (dated three days before the lines around it): two clients are read again on their own.
//! - `g-N`: the lines of `f-N` without the late ones, cut in five: the last fifth in
//!   `journal.credits` (where new entries go), the four before it in `archive/*.credits`,
//!   listed after it.
//! - `h-N`: N lines of 200 clients in date order, 40 a day, each client buying 10h then
//!   logging 30m at a time; every 50th line of each client is recorded a month late (dated 30
//!   days before the lines around it): every client is read again, its days waiting a month.

use chrono::{Days, NaiveDate};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The book's `credits.toml`: one currency, the given policy lines, plans and clients.
fn toml(policy: &str, plans: &str, clients: &[String]) -> String {
    let mut s = String::from(
        "[book]\nname = \"Shape\"\nunit = \"hour\"\nunit_minutes = 60\ncurrency = \"USD\"\n\
         journals = [\"journal.credits\"]\n\n[policy]\n",
    );
    s.push_str(policy);
    s.push('\n');
    s.push_str(plans);
    for c in clients {
        let _ = write!(s, "\n[clients.{c}]\nname = \"{c}\"\n");
    }
    s
}

fn day(start: NaiveDate, n: u64) -> NaiveDate {
    start
        .checked_add_days(Days::new(n))
        .unwrap_or(NaiveDate::MAX)
}

/// A book: its toml, its journal, its archives (file name under `archive/`, text) and its
/// today.
struct Shape {
    name: String,
    toml: String,
    journal: String,
    archives: Vec<(String, String)>,
    today: String,
}

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// (a) N one-hour lots, then debits of 10h until they are gone: 100 buys a day.
fn drained(n: u64) -> Shape {
    let mut j = String::new();
    for i in 0..n {
        let _ = writeln!(j, "{} buy acme 1h @ 100", day(start(), i / 100));
    }
    let first_debit = n / 100 + 1;
    for i in 0..n / 10 {
        let _ = writeln!(j, "{} debit acme 10h", day(start(), first_debit + i / 100));
    }
    let today = day(start(), first_debit + n / 1000 + 1);
    Shape {
        name: format!("a-{n}"),
        toml: toml("overdraft = \"deny\"\n", "", &["acme".to_string()]),
        journal: j,
        archives: Vec::new(),
        today: today.to_string(),
    }
}

/// (b) N pairs of `buy 2h` and `debit 1h`, 50 pairs a day.
fn pairs(n: u64) -> Shape {
    let mut j = String::new();
    for i in 0..n {
        let d = day(start(), i / 50);
        let _ = writeln!(j, "{d} buy acme 2h @ 100");
        let _ = writeln!(j, "{d} debit acme 1h");
    }
    Shape {
        name: format!("b-{n}"),
        toml: toml("overdraft = \"deny\"\n", "", &["acme".to_string()]),
        journal: j,
        archives: Vec::new(),
        today: day(start(), n / 50 + 1).to_string(),
    }
}

/// (c) N lots that expire 30 days after purchase, 10 bought a day, none used.
fn expiring(n: u64) -> Shape {
    let mut j = String::new();
    for i in 0..n {
        let _ = writeln!(j, "{} buy acme 1h @ 100 expires 30d", day(start(), i / 10));
    }
    Shape {
        name: format!("c-{n}"),
        toml: toml("", "", &["acme".to_string()]),
        journal: j,
        archives: Vec::new(),
        today: day(start(), n / 10 + 60).to_string(),
    }
}

/// (d) one client on a plan from 1900 whose grants last 1000 years, as of 9999-12-31.
fn long_grants() -> Shape {
    let plans = "[plans.forever]\nmonthly = \"1h\"\nmonthly_expires = \"1000y\"\n";
    Shape {
        name: "d".to_string(),
        toml: toml("", plans, &["acme".to_string()]),
        journal: "1900-01-01 plan acme forever\n".to_string(),
        archives: Vec::new(),
        today: "9999-12-31".to_string(),
    }
}

/// (e) 200 clients on a monthly plan from 2000, as of 9999-12-31.
fn many_plans() -> Shape {
    let plans = "[plans.monthly]\nmonthly = \"3h\"\nmonthly_expires = \"month\"\n";
    let clients: Vec<String> = (0..200).map(|i| format!("c{i:03}")).collect();
    let mut j = String::new();
    for c in &clients {
        let _ = writeln!(j, "2000-01-01 plan {c} monthly");
    }
    Shape {
        name: "e".to_string(),
        toml: toml("", plans, &clients),
        journal: j,
        archives: Vec::new(),
        today: "9999-12-31".to_string(),
    }
}

/// (f) N lines of 20 clients, 10 a day, each client buying 10h then logging 30m at a time;
/// every 50th line is dated three days before the lines around it (clients `c09` and `c19`).
fn recorded_late(n: u64) -> Shape {
    let clients: Vec<String> = (0..20).map(|i| format!("c{i:02}")).collect();
    let mut j = String::new();
    for i in 0..n {
        let mut d = day(start(), 3 + i / 10);
        if i % 50 == 49 {
            d = d.checked_sub_days(Days::new(3)).unwrap_or(d);
        }
        let c = &clients[(i % 20) as usize];
        if i % 200 < 20 {
            let _ = writeln!(j, "{d} buy {c} 10h @ 100");
        } else {
            let _ = writeln!(j, "{d} log {c} 30m work");
        }
    }
    Shape {
        name: format!("f-{n}"),
        toml: toml("", "", &clients),
        journal: j,
        archives: Vec::new(),
        today: day(start(), 3 + n / 10 + 1).to_string(),
    }
}

/// (g) The lines of (f) in date order, cut in five journals: this year's first, where new
/// entries go, then the archive of the years before.
fn archived(n: u64) -> Shape {
    let clients: Vec<String> = (0..20).map(|i| format!("c{i:02}")).collect();
    let mut slices = vec![String::new(); 5];
    for i in 0..n {
        let d = day(start(), 3 + i / 10);
        let c = &clients[(i % 20) as usize];
        let j = &mut slices[(i * 5 / n.max(1)) as usize];
        if i % 200 < 20 {
            let _ = writeln!(j, "{d} buy {c} 10h @ 100");
        } else {
            let _ = writeln!(j, "{d} log {c} 30m work");
        }
    }
    let journal = slices.pop().unwrap_or_default();
    let archives = (slices.into_iter().enumerate())
        .map(|(k, text)| (format!("part-{}.credits", k + 1), text))
        .collect();
    Shape {
        name: format!("g-{n}"),
        toml: toml("", "", &clients).replace(
            "journals = [\"journal.credits\"]",
            "journals = [\"journal.credits\", \"archive/*.credits\"]",
        ),
        journal,
        archives,
        today: day(start(), 3 + n / 10 + 1).to_string(),
    }
}

/// (h) N lines of 200 clients, 40 a day, each client buying 10h then logging 30m at a time;
/// every 50th line of each client is dated 30 days before the lines around it.
fn late_everywhere(n: u64) -> Shape {
    let clients: Vec<String> = (0..200).map(|i| format!("c{i:03}")).collect();
    let mut j = String::new();
    for i in 0..n {
        let (c, k) = (&clients[(i % 200) as usize], i / 200);
        let mut d = day(start(), 30 + i / 40);
        if k % 50 == 49 {
            d = d.checked_sub_days(Days::new(30)).unwrap_or(d);
        }
        if k % 20 == 0 {
            let _ = writeln!(j, "{d} buy {c} 10h @ 100");
        } else {
            let _ = writeln!(j, "{d} log {c} 30m work");
        }
    }
    Shape {
        name: format!("h-{n}"),
        toml: toml("", "", &clients),
        journal: j,
        archives: Vec::new(),
        today: day(start(), 30 + n / 40 + 1).to_string(),
    }
}

fn write(dir: &Path, s: &Shape) -> std::io::Result<()> {
    let folder = dir.join(&s.name);
    std::fs::create_dir_all(&folder)?;
    std::fs::write(folder.join("credits.toml"), &s.toml)?;
    std::fs::write(folder.join("journal.credits"), &s.journal)?;
    for (name, text) in &s.archives {
        std::fs::create_dir_all(folder.join("archive"))?;
        std::fs::write(folder.join("archive").join(name), text)?;
    }
    std::fs::write(folder.join("TODAY"), &s.today)?;
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = match args.as_slice() {
        [flag, dir] if flag == "--out" => PathBuf::from(dir),
        _ => {
            eprintln!("usage: shapes --out DIR");
            return ExitCode::from(2);
        }
    };
    let shapes = [
        drained(5_000),
        drained(50_000),
        pairs(5_000),
        pairs(50_000),
        expiring(5_000),
        expiring(50_000),
        long_grants(),
        many_plans(),
        recorded_late(5_000),
        recorded_late(50_000),
        archived(5_000),
        archived(50_000),
        late_everywhere(50_000),
        late_everywhere(1_000_000),
    ];
    for s in &shapes {
        if let Err(e) = write(&out, s) {
            eprintln!("error: cannot write {}: {e}", out.join(&s.name).display());
            return ExitCode::FAILURE;
        }
        println!("{}", out.join(&s.name).display());
    }
    ExitCode::SUCCESS
}
