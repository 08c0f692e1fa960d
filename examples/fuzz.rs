//! A fuzz harness on the stable toolchain: seeded, structure-aware mutation of the demo books
//! and golden cases, run in-process against four targets.
//!
//! ```text
//! cargo run --release --example fuzz -- --cases 1000000 --seed 1 --jobs 2
//! cargo run --release --example fuzz -- --replay fuzz/crashes/engine-1-4711.case
//! cargo run --release --example fuzz -- --minimize fuzz/crashes/engine-1-4711.case
//! cargo run --release --example fuzz -- --seed 1 --case 4711 --save case.case
//! ```
//!
//! Each case picks one target: (1) `book`: `credits.toml` text → `Book` or diagnostics; (2)
//! `journal`: journal text → entries and diagnostics, every diagnostic rendered, every entry
//! printed back and read again; (3) `engine`: a book and a journal replayed with and without
//! `as_of`, the invariant checked for every client of every replay, and every report rendered
//! (each in one format the case picks); (4) `write`: a command line parsed by the real `Cli` and run by `cli::run`
//! against a book in a temporary folder (`/dev/shm` when there is one): a refused command (exit
//! code not 0) and every reading command must leave every file byte for byte as it was, and an
//! accepted one must only append one line that reads back as one entry.
//!
//! Case `N` of seed `S` is generated from `(S, N)` alone, so `--seed S --case N` regenerates it.
//! The cases run in a worker process (this program with `--worker`) whose standard output
//! carries the harness's reports and the commands' output (which is dropped); a supervisor
//! watches it: a case running over 2 s is reported with its seed and case number (and the worker
//! is restarted past it after `--kill-after` seconds), a worker above `--max-rss` MiB is stopped
//! and its case run alone (a failure only if the case alone needs that much), and a worker that
//! dies (a stack overflow aborts, and cannot be caught)
//! is restarted past the case it died on. Every failing input is saved to `fuzz/crashes/`
//! (at most three per distinct failure) for `--replay`. `bench/README.md` tells what it found.

#[path = "../tests/cli/cmd_words.rs"]
pub mod cmd_words;

use chrono::NaiveDate;
use clap::Parser;
use cmd_words::words;
use credits::cli::{Cli, Command};
use credits::diagnostic;
use credits::engine::{self, ReplayOptions};
use credits::model::Book;
use credits::render;
use credits::report::{self, Period};
use credits::source::{FileId, SourceMap};
use credits::syntax::{book, journal, print};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader, Write as _};
use std::os::unix::fs::FileExt;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Marks the harness's own lines on the worker's standard output.
const MARK: &str = "\u{1e}FUZZ ";
/// Largest file a case writes or parses, in bytes: keeps memory and time per case bounded.
const MAX_FILE: usize = 64 * 1024;
/// Most words on a generated command line.
const MAX_WORDS: usize = 40;
/// Saved inputs per distinct failure.
const SAVE_PER_FAILURE: usize = 3;

// ---------------------------------------------------------------------------------------------
// Random numbers: SplitMix64, seeded per case from (seed, case).

struct Rng(u64);

impl Rng {
    fn for_case(seed: u64, case: u64) -> Rng {
        let mut r = Rng(seed ^ 0x9E37_79B9_7F4A_7C15_u64.wrapping_mul(case.wrapping_add(1)));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True one time in `n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// Dictionaries.

/// Words of the journal grammar, and values at its edges.
const JOURNAL_WORDS: &[&str] = &[
    "buy",
    "log",
    "debit",
    "quote",
    "estimate",
    "approve",
    "reject",
    "done",
    "apply",
    "refund",
    "adjust",
    "plan",
    "bill",
    "assert",
    "include",
    "acme",
    "globex",
    "initech",
    "Q1",
    "Q7",
    "INV-1",
    "L1",
    "none",
    "@",
    "for",
    "expires",
    "never",
    "15m",
    "90m",
    "1h",
    "1h30m",
    "1h70m",
    "1.5h",
    "2.25h",
    "3cr",
    "3",
    "0",
    "0m",
    "-3",
    "+2h",
    "-30m",
    "+0",
    "99999999999h",
    "79228162514264337593543950335",
    "0.0000000000000000000000000001h",
    "1e5",
    ".5h",
    "5.h",
    "09:15-10:40",
    "23:00-01:00",
    "00:00-24:00",
    "10:40-09:15",
    "9:5-10:0",
    "120",
    "120.50",
    "$120",
    "¥8000",
    "€95",
    "USD",
    "JPY",
    "EUR",
    "usd",
    "-5",
    "0.001",
    "$-1",
    "$",
    "€",
    "99999999999999999999999999999",
    "2026-01-05",
    "0000-01-01",
    "9999-12-31",
    "2026-02-30",
    "1899-12-31",
    "1900-01-01",
    "2026-13-01",
    "2026-1-1",
    "+262143-01-01",
    "30d",
    "12mo",
    "2y",
    "9000y",
    "0d",
    "-1mo",
    "month",
    "#dev",
    "#support",
    "#",
    "##",
    "ref:INV-9",
    "ref:",
    "quote:Q1",
    "project:redesign",
    "task:banner",
    "due:2026-02-01",
    "due:9999-12-31",
    "expires:2026-03-01",
    "key:value",
    ":",
    "\"quoted words\"",
    "\"unterminated",
    "\"esc \\\" \\\\ \"",
    "\"\"",
    ";",
    "; comment",
    "a;b",
    "\r",
    "\0",
    "\t",
    "\u{2028}",
    "\u{202e}",
    "\u{feff}",
    "\u{7f}",
    "\u{1b}[31m",
    "<<<<<<< HEAD",
    "=======",
    ">>>>>>> b",
    "a.credits",
    "../x.credits",
    "/dev/null",
    "journal.credits",
    "complex-plugin",
    "banner",
    "five",
    "single",
    "concierge",
    "performance",
];

/// Lines that `credits.toml` may hold, and values at its edges.
const BOOK_LINES: &[&str] = &[
    "[book]",
    "[policy]",
    "[plans.p]",
    "[packages]",
    "[tasks]",
    "[clients.acme]",
    "[clients.globex]",
    "[clients.15m]",
    "[[policy.expiry_tiers]]",
    "[plans.p.x]",
    "unit_minutes = 0",
    "unit_minutes = -60",
    "unit_minutes = 1",
    "unit_minutes = 45",
    "unit_minutes = 4294967296",
    "unit_minutes = 1e300",
    "unit_minutes = \"60\"",
    "unit = \"\"",
    "currency = \"JPY\"",
    "currency = \"XXX\"",
    "currency = \"usd\"",
    "journals = []",
    "journals = [\"*.credits\"]",
    "journals = [\"../x.credits\"]",
    "journals = [\"sub/j.credits\", \"[\"]",
    "journals = [\"journal.credits\", \"journal.credits\"]",
    "debit = \"round-up\"",
    "debit = \"exact\"",
    "debit = \"accumulate\"",
    "round_to = \"0m\"",
    "round_to = \"7m\"",
    "round_to = \"1h70m\"",
    "order = \"expiring-first\"",
    "expires = \"9000y\"",
    "expires = \"0d\"",
    "expires = \"1d\"",
    "refund_days = 0",
    "refund_days = -1",
    "refund_days = 99999999999",
    "overdraft = \"carry\"",
    "overdraft = \"deny\"",
    "unit_price = \"0\"",
    "unit_price = \"-1\"",
    "unit_price = \"99999999999999999999999999999\"",
    "warn_days = 99999999",
    "low_balance = \"0m\"",
    "minimum = \"30m\"",
    "from = \"0h\"",
    "from = \"40h\"",
    "discount = \"100%\"",
    "discount = \"150%\"",
    "discount = \"-5%\"",
    "monthly = \"3h\"",
    "monthly = \"0.0001m\"",
    "monthly_expires = \"month\"",
    "monthly_expires = \"9000y\"",
    "monthly_expires = \"1d\"",
    "rollover = \"1h\"",
    "covered = [\"support\", \"dev\"]",
    "five = { units = 5, price = \"600\" }",
    "huge = { units = 79228162514264337593543950335, price = \"1\" }",
    "zero = { units = 0, price = \"0\" }",
    "banner = { units = 1, title = \"Design\" }",
    "rate = \"150\"",
    "rate = \"0\"",
    "dirs = [\"~/work\"]",
    "plan = \"p\"",
    "name = \"\u{2028}\"",
    "name = \"a\\u0000b\"",
];

/// Words for command lines: verbs, flags and values.
const CMD_WORDS: &[&str] = &[
    "log",
    "buy",
    "debit",
    "quote",
    "approve",
    "reject",
    "done",
    "apply",
    "refund",
    "adjust",
    "plan",
    "bill",
    "assert",
    "balance",
    "check",
    "clients",
    "statement",
    "expiring",
    "export",
    "usage",
    "acme",
    "globex",
    "--date",
    "--tag",
    "--ref",
    "--client",
    "--quote",
    "--task",
    "--price",
    "--total",
    "--expires",
    "--due",
    "--project",
    "--format",
    "json",
    "csv",
    "md",
    "html",
    "text",
    "-q",
    "--",
    "--all",
    "--month",
    "--from",
    "--to",
    "--within",
    "--by",
    "week",
    "hledger",
    "ledger",
    "beancount",
    "2026-01-31",
    "2026-02",
    "15m",
    "1h70m",
    "-3",
    "0",
    "+1h",
    "-1h",
    "1.5h",
    "3cr",
    "09:15-10:40",
    "23:00-01:00",
    "120",
    "$120",
    "€95",
    "99999999999h",
    "9999-12-31",
    "1900-01-01",
    "1899-12-31",
    "2026-02-30",
    "never",
    "12mo",
    "Q1",
    "INV-1",
    "five",
    "banner",
    "concierge",
    "none",
    "#dev",
    "ref:x",
    "include",
    "a\nb",
    "\r",
    "\0",
    "\u{2028}",
    ";",
    "\"",
    "x y",
    "register",
    "reg",
    "projects",
    "quotes",
    "-p",
    "--period",
    "last-month",
    "this-week",
    "2026-W05",
    "2026-W53",
    "2026",
    "yesterday",
    "-7d",
    "+30d",
    "-99999999d",
    "--kind",
    "--grep",
];

// ---------------------------------------------------------------------------------------------
// The corpus.

/// One book folder of the corpus: relative path → bytes, and the golden command if any.
struct Folder {
    files: Vec<(String, Vec<u8>)>,
    cmd: Option<Vec<String>>,
}

#[derive(Default)]
pub(crate) struct Corpus {
    folders: Vec<Folder>,
    books: Vec<String>,
    journals: Vec<String>,
    cmds: Vec<Vec<String>>,
    journal_lines: Vec<String>,
    /// Folders whose book reads and replays without a problem (writes there can be accepted).
    pub(crate) clean: Vec<usize>,
}

/// True when the book of `files` parses and replays without a problem.
fn is_clean(files: &[(String, Vec<u8>)]) -> bool {
    let Some((_, toml)) = files.iter().find(|(n, _)| n == "credits.toml") else {
        return false;
    };
    let Some(book) = parse_book(&String::from_utf8_lossy(toml)) else {
        return false;
    };
    let mut entries = Vec::new();
    for (name, bytes) in files {
        if name.ends_with(".credits") {
            let text = String::from_utf8_lossy(bytes);
            let p = journal::parse(&text, FileId(1), book.unit_minutes);
            if !p.diagnostics.is_empty() {
                return false;
            }
            entries.extend(p.entries);
        }
    }
    engine::replay(&book, &entries, None).problems.is_empty()
}

/// Files of a golden case that are expectations, not part of the book.
const EXPECTED: &[&str] = &["cmd", "stdout", "stderr", "code", "book-from"];

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(read) = fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = read.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        if path.is_dir() {
            collect_files(root, &path, out);
        } else if path.is_file()
            && !(dir == root && EXPECTED.contains(&rel.as_str()))
            && let Ok(bytes) = fs::read(&path)
        {
            out.push((rel, bytes));
        }
    }
}

fn book_folders(dir: &Path, out: &mut Vec<PathBuf>) {
    if dir.join("credits.toml").is_file() {
        out.push(dir.to_path_buf());
        return;
    }
    let Ok(read) = fs::read_dir(dir) else { return };
    let mut dirs: Vec<_> = read
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for d in dirs {
        book_folders(&d, out);
    }
}

impl Corpus {
    pub(crate) fn load(root: &Path) -> Corpus {
        let mut dirs = Vec::new();
        book_folders(&root.join("journals"), &mut dirs);
        book_folders(&root.join("tests/golden"), &mut dirs);
        let mut c = Corpus::default();
        for dir in dirs {
            let mut files = Vec::new();
            if let Ok(from) = fs::read_to_string(dir.join("book-from")) {
                let base = root.join(from.trim());
                collect_files(&base, &base, &mut files);
            }
            let mut own = Vec::new();
            collect_files(&dir, &dir, &mut own);
            for (name, bytes) in own {
                files.retain(|(n, _)| *n != name);
                files.push((name, bytes));
            }
            for (name, bytes) in &files {
                let text = String::from_utf8_lossy(bytes).into_owned();
                if name.ends_with("credits.toml") {
                    c.books.push(text);
                } else if name.ends_with(".credits") {
                    c.journal_lines.extend(text.lines().map(str::to_string));
                    c.journals.push(text);
                }
            }
            let cmd = fs::read_to_string(dir.join("cmd")).ok().map(|l| words(&l));
            if let Some(w) = &cmd {
                c.cmds.push(w.clone());
            }
            if is_clean(&files) {
                c.clean.push(c.folders.len());
            }
            c.folders.push(Folder { files, cmd });
        }
        c
    }
}

// ---------------------------------------------------------------------------------------------
// Cases.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Book,
    Journal,
    Engine,
    Write,
}

const TARGETS: [Target; 4] = [Target::Book, Target::Journal, Target::Engine, Target::Write];

impl Target {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Target::Book => "book",
            Target::Journal => "journal",
            Target::Engine => "engine",
            Target::Write => "write",
        }
    }

    fn from_word(w: &str) -> Option<Target> {
        TARGETS.into_iter().find(|t| t.word() == w)
    }
}

/// One input: everything a target needs, and nothing else.
#[derive(Debug, Clone)]
pub(crate) struct Case {
    pub(crate) target: Target,
    /// Relative path → bytes (`credits.toml`, journals, includes).
    pub(crate) files: Vec<(String, Vec<u8>)>,
    /// Command words after `credits` (the `write` target).
    pub(crate) args: Vec<String>,
    /// Today / `as_of`.
    pub(crate) today: String,
    /// Minutes in a unit (the `journal` target).
    pub(crate) unit: u32,
    /// Chooses among the variants of a target (which replay is reported, in which formats).
    pub(crate) pick: u64,
}

impl Case {
    fn file(&self, name: &str) -> &[u8] {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map_or(&[][..], |(_, b)| b)
    }

    /// The case as bytes: records `NAME LEN\n<LEN bytes>\n`.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = b"credits-fuzz 1\n".to_vec();
        let mut put = |name: &str, bytes: &[u8]| {
            out.extend_from_slice(format!("{name} {}\n", bytes.len()).as_bytes());
            out.extend_from_slice(bytes);
            out.push(b'\n');
        };
        put("target", self.target.word().as_bytes());
        put("today", self.today.as_bytes());
        put("unit", self.unit.to_string().as_bytes());
        put("pick", self.pick.to_string().as_bytes());
        for a in &self.args {
            put("arg", a.as_bytes());
        }
        for (n, b) in &self.files {
            put(&format!("file:{n}"), b);
        }
        out
    }

    pub(crate) fn decode(bytes: &[u8]) -> Result<Case, String> {
        let rest = bytes
            .strip_prefix(b"credits-fuzz 1\n")
            .ok_or("not a saved case: the first line is not `credits-fuzz 1`")?;
        let mut case = Case {
            target: Target::Journal,
            files: Vec::new(),
            args: Vec::new(),
            today: "2026-06-15".into(),
            unit: 60,
            pick: 0,
        };
        let mut at = 0;
        while at < rest.len() {
            let eol = rest[at..]
                .iter()
                .position(|&b| b == b'\n')
                .ok_or("a record head without a line end")?;
            let head = String::from_utf8_lossy(&rest[at..at + eol]).into_owned();
            let (name, len) = head
                .rsplit_once(' ')
                .ok_or("a record head without a length")?;
            let len: usize = len.parse().map_err(|_| format!("bad length in `{head}`"))?;
            let start = at + eol + 1;
            let body = rest.get(start..start + len).ok_or("a record cut short")?;
            let text = String::from_utf8_lossy(body).into_owned();
            match name {
                "target" => case.target = Target::from_word(&text).ok_or("unknown target")?,
                "today" => case.today = text,
                "unit" => case.unit = text.parse().map_err(|_| "bad unit")?,
                "pick" => case.pick = text.parse().map_err(|_| "bad pick")?,
                "arg" => case.args.push(text),
                n => match n.strip_prefix("file:") {
                    Some(f) => case.files.push((f.to_string(), body.to_vec())),
                    None => return Err(format!("unknown record `{n}`")),
                },
            }
            at = start + len + 1;
        }
        Ok(case)
    }
}

/// Cut `bytes` to at most `max`, then back to a char boundary when it is UTF-8.
fn cap(bytes: &mut Vec<u8>, max: usize) {
    if bytes.len() > max {
        bytes.truncate(max);
    }
}

/// Lines of `bytes`, each with its line end.
fn lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

/// A special string: a dictionary word, a long word, or a line from the corpus.
fn word<'a>(rng: &mut Rng, dict: &[&'a str], donors: &'a [String]) -> std::borrow::Cow<'a, str> {
    match rng.below(20) {
        0 => "x".repeat(1 + rng.below(5000)).into(),
        1 if !donors.is_empty() => {
            let line = rng.pick(donors);
            let toks: Vec<&str> = line.split(' ').collect();
            (*rng.pick(&toks)).into()
        }
        2 => char::from_u32(rng.below(0x11_0000) as u32)
            .unwrap_or('\u{fffd}')
            .to_string()
            .into(),
        _ => (*rng.pick(dict)).into(),
    }
}

/// Mutate `bytes` in place, structure-aware (lines and words) and byte by byte.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>, dict: &[&str], donors: &[String]) {
    let rounds = 1 + rng.below(6);
    for _ in 0..rounds {
        match rng.below(14) {
            // Lines: delete, duplicate, swap, insert from the corpus, replace.
            0..=4 => {
                let mut ls = lines(bytes);
                if let Some(last) = ls.last_mut()
                    && last.last() != Some(&b'\n')
                {
                    last.push(b'\n');
                }
                let n = ls.len();
                match rng.below(5) {
                    0 if n > 0 => {
                        ls.remove(rng.below(n));
                    }
                    1 if n > 0 => {
                        let l = ls[rng.below(n)].clone();
                        ls.insert(rng.below(n + 1), l);
                    }
                    2 if n > 1 => {
                        let (a, b) = (rng.below(n), rng.below(n));
                        ls.swap(a, b);
                    }
                    3 if !donors.is_empty() => {
                        let mut l = rng.pick(donors).clone().into_bytes();
                        l.push(b'\n');
                        ls.insert(rng.below(n + 1), l);
                    }
                    _ if n > 0 && !donors.is_empty() => {
                        let mut l = rng.pick(donors).clone().into_bytes();
                        l.push(b'\n');
                        let i = rng.below(n);
                        ls[i] = l;
                    }
                    _ => {}
                }
                *bytes = ls.concat();
            }
            // Words: replace, insert or delete one word of one line.
            5..=9 => {
                let mut ls = lines(bytes);
                if ls.is_empty() {
                    ls.push(Vec::new());
                }
                let i = rng.below(ls.len());
                let line = String::from_utf8_lossy(&ls[i]).into_owned();
                let (body, end) = match line.strip_suffix('\n') {
                    Some(b) => (b, "\n"),
                    None => (line.as_str(), ""),
                };
                let mut toks: Vec<String> = body.split(' ').map(str::to_string).collect();
                let w = word(rng, dict, donors).into_owned();
                let t = rng.below(toks.len());
                match rng.below(4) {
                    0 | 1 => toks[t] = w,
                    2 => toks.insert(rng.below(toks.len() + 1), w),
                    _ => {
                        toks.remove(t);
                    }
                }
                ls[i] = format!("{}{end}", toks.join(" ")).into_bytes();
                *bytes = ls.concat();
            }
            // Bytes: flip, insert, delete, truncate, splice a word.
            10 if !bytes.is_empty() => {
                let i = rng.below(bytes.len());
                bytes[i] ^= 1 << rng.below(8);
            }
            11 => {
                let i = rng.below(bytes.len() + 1);
                let special: &[u8] = rng.pick::<&[u8]>(&[
                    &b"\r"[..],
                    b"\0",
                    b"\t",
                    b"\n",
                    b"\r\n",
                    b" ",
                    b"\"",
                    b";",
                    b"#",
                    b":",
                    b"\xff",
                    "\u{2028}".as_bytes(),
                    "é".as_bytes(),
                ]);
                bytes.splice(i..i, special.iter().copied());
            }
            12 if !bytes.is_empty() => {
                let i = rng.below(bytes.len());
                let j = (i + 1 + rng.below(16)).min(bytes.len());
                if rng.one_in(4) {
                    bytes.truncate(i);
                } else {
                    bytes.drain(i..j);
                }
            }
            _ => {
                let i = rng.below(bytes.len() + 1);
                let w = word(rng, dict, donors);
                bytes.splice(i..i, w.bytes());
            }
        }
    }
    cap(bytes, MAX_FILE);
}

fn random_today(rng: &mut Rng) -> String {
    match rng.below(64) {
        0 => "1900-01-01".into(),
        1 => "9999-12-31".into(),
        2..=5 => "2025-12-31".into(),
        _ => format!("2026-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
    }
}

/// Generate case `n` of `seed`.
pub(crate) fn generate(corpus: &Corpus, seed: u64, n: u64) -> Case {
    let mut rng = Rng::for_case(seed, n);
    // Shares: book 20%, journal 30%, engine 35%, write 15%.
    let target = match rng.below(20) {
        0..=3 => Target::Book,
        4..=9 => Target::Journal,
        10..=16 => Target::Engine,
        _ => Target::Write,
    };
    let today = random_today(&mut rng);
    let unit = *rng.pick(&[60, 60, 60, 1, 45, 90, 7]);
    let mut case = Case {
        target,
        files: Vec::new(),
        args: Vec::new(),
        today,
        unit,
        pick: rng.next(),
    };
    let folder = match target {
        Target::Write if !corpus.clean.is_empty() && !rng.one_in(4) => {
            &corpus.folders[*rng.pick(&corpus.clean)]
        }
        _ => rng.pick(&corpus.folders),
    };
    match target {
        Target::Book => {
            let mut text = rng.pick(&corpus.books).clone().into_bytes();
            let donors: Vec<String> = BOOK_LINES.iter().map(|s| (*s).to_string()).collect();
            mutate(&mut rng, &mut text, BOOK_LINES, &donors);
            case.files.push(("credits.toml".into(), text));
        }
        Target::Journal => {
            let mut text = rng.pick(&corpus.journals).clone().into_bytes();
            mutate(&mut rng, &mut text, JOURNAL_WORDS, &corpus.journal_lines);
            case.files.push(("journal.credits".into(), text));
        }
        Target::Engine => {
            let mut book = folder_file(folder, "credits.toml");
            if rng.one_in(4) {
                let donors: Vec<String> = BOOK_LINES.iter().map(|s| (*s).to_string()).collect();
                mutate(&mut rng, &mut book, BOOK_LINES, &donors);
            }
            let mut text: Vec<u8> = folder
                .files
                .iter()
                .filter(|(n, _)| n.ends_with(".credits"))
                .flat_map(|(_, b)| b.iter().copied().chain(std::iter::once(b'\n')))
                .collect();
            if rng.one_in(3) {
                text.extend_from_slice(rng.pick(&corpus.journals).as_bytes());
            }
            if !rng.one_in(8) {
                mutate(&mut rng, &mut text, JOURNAL_WORDS, &corpus.journal_lines);
            }
            case.files.push(("credits.toml".into(), book));
            case.files.push(("journal.credits".into(), text));
        }
        Target::Write => {
            case.files.clone_from(&folder.files);
            if rng.one_in(5) {
                let donors: Vec<String> = BOOK_LINES.iter().map(|s| (*s).to_string()).collect();
                if let Some((_, b)) = case.files.iter_mut().find(|(n, _)| n == "credits.toml") {
                    mutate(&mut rng, b, BOOK_LINES, &donors);
                }
            }
            if rng.one_in(3) {
                let journals: Vec<usize> = (0..case.files.len())
                    .filter(|&i| case.files[i].0.ends_with(".credits"))
                    .collect();
                if !journals.is_empty() {
                    let i = *rng.pick(&journals);
                    mutate(
                        &mut rng,
                        &mut case.files[i].1,
                        JOURNAL_WORDS,
                        &corpus.journal_lines,
                    );
                }
            }
            case.args = command(&mut rng, corpus, folder);
        }
    }
    case
}

fn folder_file(folder: &Folder, name: &str) -> Vec<u8> {
    folder
        .files
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, b)| b.clone())
        .unwrap_or_default()
}

/// A command line: a golden one, or one built from a verb's usual words, then mutated word by word.
fn command(rng: &mut Rng, corpus: &Corpus, folder: &Folder) -> Vec<String> {
    let book = String::from_utf8_lossy(&folder_file(folder, "credits.toml")).into_owned();
    let mut clients: Vec<&str> = book
        .lines()
        .filter_map(|l| l.trim().strip_prefix("[clients.")?.strip_suffix(']'))
        .collect();
    if clients.is_empty() || rng.one_in(8) {
        clients.push("acme");
    }
    let mut args: Vec<String> = match (&folder.cmd, rng.below(5)) {
        (Some(cmd), 0) => cmd.clone(),
        (_, 1) if !corpus.cmds.is_empty() => rng.pick(&corpus.cmds).clone(),
        _ => {
            let client = (*rng.pick(&clients)).to_string();
            let qty =
                (*rng.pick(&["15m", "1h", "10h", "3", "1h30m", "09:15-10:40", "2cr"])).to_string();
            let s = |v: &[&str]| v.iter().map(|w| (*w).to_string()).collect::<Vec<_>>();
            match rng.below(14) {
                0 => s(&["log", &client, &qty, "Fixed", "the", "header"]),
                1 => s(&["buy", &client, &qty, "--price", "120"]),
                2 => s(&["debit", &client, &qty, "Task"]),
                3 => s(&["quote", &client, "Q9", &qty, "--due", "2026-03-01"]),
                4 => s(&["approve", &client, "Q1"]),
                5 => s(&["done", &client, "Q1"]),
                6 => s(&["apply", &client, "120", "--project", "p"]),
                7 => s(&["refund", &client, "2026-01-05", &qty]),
                8 => s(&["adjust", &client, "+1h", "Goodwill"]),
                9 => s(&["plan", &client, "none"]),
                10 => s(&["bill", &client, "--ref", "INV-9"]),
                11 => s(&["assert", &client, &qty]),
                12 => s(&["balance", &client, "--format", "json"]),
                _ => s(&["statement", &client, "--month", "2026-02"]),
            }
        }
    };
    let rounds = if rng.one_in(2) { 0 } else { 1 + rng.below(3) };
    for _ in 0..rounds {
        let w = word(rng, CMD_WORDS, &[]).into_owned();
        match rng.below(4) {
            0 if !args.is_empty() => {
                let i = rng.below(args.len());
                args[i] = w;
            }
            1 if args.len() > 1 => {
                args.remove(1 + rng.below(args.len() - 1));
            }
            _ => args.insert(1.min(args.len()) + rng.below(args.len()), w),
        }
    }
    if rng.one_in(3) {
        args.push("--date".into());
        args.push(random_today(rng));
    }
    args.truncate(MAX_WORDS);
    args
}

// ---------------------------------------------------------------------------------------------
// Targets and oracles. A target returns `Err(what)` when an oracle fails; a panic is caught
// around it.

fn run_book(case: &Case) -> Result<(), String> {
    let text = String::from_utf8_lossy(case.file("credits.toml")).into_owned();
    let mut sources = SourceMap::default();
    let id = sources.add("credits.toml".into(), text.clone());
    if let Err(problems) = book::parse(&text, id) {
        if problems.is_empty() {
            return Err("the book was refused without a diagnostic".into());
        }
        for d in &problems {
            let _ = diagnostic::render(d, &sources, false);
            let _ = diagnostic::render(d, &sources, true);
        }
    }
    Ok(())
}

fn run_journal(case: &Case) -> Result<(), String> {
    let text = String::from_utf8_lossy(case.file("journal.credits")).into_owned();
    let unit = Decimal::from(case.unit);
    let mut sources = SourceMap::default();
    let id = sources.add("journal.credits".into(), text.clone());
    let parsed = journal::parse(&text, id, unit);
    for d in &parsed.diagnostics {
        let _ = diagnostic::render(d, &sources, false);
    }
    // Every entry prints to one line that reads back as the same entry (positions aside).
    for e in &parsed.entries {
        let line = print::entry(e, unit);
        let back = journal::parse(&line, FileId(9), unit);
        let same =
            back.entries.len() == 1 && back.diagnostics.is_empty() && back.includes.is_empty() && {
                let b = &back.entries[0];
                b.date == e.date
                    && b.client == e.client
                    && b.verb == e.verb
                    && b.tags == e.tags
                    && b.meta
                        .iter()
                        .map(|m| (m.key, &m.value))
                        .eq(e.meta.iter().map(|m| (m.key, &m.value)))
                    && b.description == e.description
            };
        if !same {
            let (l, _) = sources.line_col(e.span);
            // A line with a character that journals must refuse is another failure than a
            // printer that loses text.
            let kind = if sources.file(id).line_text(l).chars().any(refused_char) {
                "print round trip of a line with a control character"
            } else {
                "print round trip"
            };
            return Err(format!(
                "{kind}: line {l} printed as {line:?} reads back as {:?} with {:?}",
                back.entries
                    .first()
                    .map(|b| (&b.verb, &b.description, &b.tags)),
                back.diagnostics.first().map(|d| &d.message)
            ));
        }
    }
    Ok(())
}

/// A character a journal line may not hold: a control character but tab, U+2028, U+2029,
/// or a bidi control.
fn refused_char(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn parse_book(text: &str) -> Option<Book> {
    book::parse(text, FileId(0)).ok()
}

fn run_engine(case: &Case) -> Result<(), String> {
    let book_text = String::from_utf8_lossy(case.file("credits.toml")).into_owned();
    let Some(book) = parse_book(&book_text) else {
        return Ok(());
    };
    let text = String::from_utf8_lossy(case.file("journal.credits")).into_owned();
    let mut sources = SourceMap::default();
    sources.add("credits.toml".into(), book_text);
    let id = sources.add("journal.credits".into(), text.clone());
    let parsed = journal::parse(&text, id, book.unit_minutes);
    let today = credits::syntax::value::date(&case.today).unwrap_or(NaiveDate::MIN);
    for as_of in [None, Some(today)] {
        for events in [true, false] {
            let replay = engine::replay_with(
                &book,
                &parsed.entries,
                as_of,
                ReplayOptions {
                    events,
                    ..ReplayOptions::default()
                },
            );
            for (client, state) in &replay.clients {
                engine::invariant::check(state).map_err(|e| {
                    format!("invariant: client `{client}`, as_of {as_of:?}, events {events}: {e}")
                })?;
            }
            for d in &replay.problems {
                let _ = diagnostic::render(d, &sources, false);
            }
            // Reports on one of the two full replays, in formats the case picks.
            if events && as_of.is_some() == case.pick.is_multiple_of(2) {
                reports(&book, &replay, as_of.unwrap_or(today), case.pick);
            }
        }
    }
    Ok(())
}

/// Every report of `replay`, each rendered in one format that `pick` chooses (rendering is
/// most of a case's time: one format per report keeps the cases many).
fn reports(book: &Book, replay: &engine::Replay, as_of: NaiveDate, pick: u64) {
    let mut pick = Rng(pick);
    let b = report::balance(book, replay, as_of, None);
    let _ = match pick.below(2) {
        0 => render::json::balance(&b),
        _ => render::text::balance(&b, pick.one_in(2)),
    };
    let mut statements = Vec::new();
    let from = as_of
        .checked_sub_days(chrono::Days::new(45))
        .unwrap_or(as_of);
    for id in book.clients.keys() {
        let one = report::balance(book, replay, as_of, Some(id));
        let _ = match pick.below(2) {
            0 => render::json::balance(&one),
            _ => render::text::balance_detail(&one, pick.one_in(2)),
        };
        let (f, t) = match pick.below(3) {
            0 => (NaiveDate::MIN, NaiveDate::MAX),
            _ => (from, as_of),
        };
        let s = report::statement(book, replay, id, f, t, as_of);
        let _ = match pick.below(4) {
            0 => render::json::statement(&s),
            1 => render::text::statement(&s, pick.one_in(2)),
            2 => render::md::statement(&s),
            _ => render::html::statement(&s),
        };
        statements.push(s);
    }
    let _ = match pick.below(2) {
        0 => render::csv::statements(&statements),
        _ => render::json::statements(&statements),
    };
    let within = match pick.below(3) {
        0 => Some(credits::model::DateSpan::Days(9_999_999)),
        1 => Some(credits::model::DateSpan::Months(1)),
        _ => None,
    };
    let e = report::expiring(book, replay, as_of, within);
    let _ = match pick.below(3) {
        0 => render::expiring::text(&e, false),
        1 => render::expiring::json(&e),
        _ => render::expiring::csv(&e),
    };
    let by = *pick.pick(&[Period::Month, Period::Week]);
    // From a year back: weeks from 2026 to a `--today` of 9999 are 416,000 rows.
    let from = as_of.checked_sub_days(chrono::Days::new(366));
    let u = report::usage(book, replay, as_of, None, by, from, None);
    let _ = match pick.below(3) {
        0 => render::usage::text(&u, false),
        1 => render::usage::json(&u),
        _ => render::usage::csv(&u),
    };
    let x = report::export::export(book, replay, as_of);
    let _ = match pick.below(5) {
        0 => render::export::hledger(&x),
        1 => render::export::ledger(&x),
        2 => render::export::beancount(&x),
        3 => render::export::csv(&x),
        _ => render::export::json(&x),
    };
    let c = report::clients(book, replay);
    let _ = match pick.below(2) {
        0 => render::json::clients(&c),
        _ => render::text::clients(&c, false),
    };
}

/// Where the `write` target builds its book.
fn scratch_root() -> PathBuf {
    scratch_of(std::process::id())
}

/// The scratch folder of process `pid`.
fn scratch_of(pid: u32) -> PathBuf {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    base.join(format!("credits-fuzz-{pid}"))
}

/// Every regular file under `dir` (relative path → bytes), but the book's lock and state files.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = Vec::new();
    collect_files(dir, dir, &mut files);
    // `credits undo`'s record of the last append: state beside the book, not a journal.
    files.retain(|(name, _)| name != ".credits-undo");
    files.into_iter().collect()
}

fn run_write(case: &Case) -> Result<(), String> {
    let mut argv = vec!["credits".to_string(), "--today".into(), case.today.clone()];
    argv.extend(case.args.iter().cloned());
    let Ok(mut cli) = Cli::try_parse_from(&argv) else {
        outcome(3);
        return Ok(());
    };
    let writes = match &cli.command {
        Command::Log(_)
        | Command::Buy(_)
        | Command::Debit(_)
        | Command::Quote(_)
        | Command::Approve(_)
        | Command::Reject(_)
        | Command::Done(_)
        | Command::Apply(_)
        | Command::Refund(_)
        | Command::Adjust(_)
        | Command::Plan(_)
        | Command::Bill(_)
        | Command::Assert(_) => true,
        Command::Statement(a) if a.out.is_none() => false,
        Command::Balance(_)
        | Command::Check(_)
        | Command::Clients(_)
        | Command::Expiring(_)
        | Command::Export(_)
        | Command::Usage(_) => false,
        // Timers, `init`, `man`, `completions` and `--out` write outside the book's journals.
        _ => {
            outcome(3);
            return Ok(());
        }
    };
    let root = scratch_root();
    let _ = fs::remove_dir_all(&root);
    for (name, bytes) in &case.files {
        let path = root.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("scratch folder: {e}"))?;
        }
        fs::write(&path, bytes).map_err(|e| format!("scratch file: {e}"))?;
    }
    fs::create_dir_all(&root).map_err(|e| format!("scratch folder: {e}"))?;
    cli.file = Some(root.join("credits.toml"));
    let before = snapshot(&root);
    let code = credits::cli::run(cli);
    let after = snapshot(&root);
    let _ = fs::remove_dir_all(&root);
    let changed: Vec<&String> = after
        .iter()
        .filter(|(n, b)| before.get(*n) != Some(*b))
        .map(|(n, _)| n)
        .chain(before.keys().filter(|n| !after.contains_key(*n)))
        .collect();
    let ok = code == ExitCode::SUCCESS;
    outcome(match (writes, ok) {
        (true, true) => 0,
        (true, false) => 1,
        _ => 2,
    });
    if !writes || !ok {
        if let Some(name) = changed.first() {
            let what = if writes { "refused" } else { "reading" };
            return Err(format!(
                "a {what} command changed a file: {code:?}, `{name}`, {}",
                case.args.join(" ")
            ));
        }
        return Ok(());
    }
    // Accepted: one journal grew by one line that reads back as one entry.
    match changed.as_slice() {
        [] => Err("an accepted write changed no file: exit 0".into()),
        [name] => {
            let old = before.get(*name).map_or(&[][..], Vec::as_slice);
            let new = &after[*name];
            let Some(added) = new.strip_prefix(old) else {
                return Err(format!(
                    "an accepted write rewrote a file instead of appending: `{name}`"
                ));
            };
            let added = match added.strip_prefix(b"\n") {
                Some(rest) if !old.is_empty() && !old.ends_with(b"\n") => rest,
                _ => added,
            };
            let text = String::from_utf8_lossy(added);
            let unit = parse_book(&String::from_utf8_lossy(case.file("credits.toml")))
                .map_or(Decimal::from(60), |b| b.unit_minutes);
            let p = journal::parse(&text, FileId(0), unit);
            if p.entries.len() != 1 || !p.diagnostics.is_empty() || !text.ends_with('\n') {
                return Err(format!(
                    "an accepted write appended a bad line: {text:?} reads as {} entries and {:?}",
                    p.entries.len(),
                    p.diagnostics.first().map(|d| &d.message)
                ));
            }
            Ok(())
        }
        many => Err(format!("an accepted write changed several files: {many:?}")),
    }
}

// ---------------------------------------------------------------------------------------------
// Running cases.

/// Outcomes of the `write` target's commands: accepted writes, refused writes, reading
/// commands, and command lines that clap refused or that the harness does not run.
static OUTCOMES: [AtomicU64; 4] = [const { AtomicU64::new(0) }; 4];

fn outcome(i: usize) {
    OUTCOMES[i].fetch_add(1, Ordering::Relaxed);
}

/// The message and place of the last panic on this process, set by the hook.
static PANIC: Mutex<Option<String>> = Mutex::new(None);

fn install_hook(quiet: bool) {
    panic::set_hook(Box::new(move |info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let text = format!("panic at {place}: {msg}");
        if !quiet {
            eprintln!("{text}\n{}", std::backtrace::Backtrace::force_capture());
        }
        if let Ok(mut p) = PANIC.lock() {
            *p = Some(text);
        }
    }));
}

/// Run one case: `Ok` or the failure (a panic or an oracle).
pub(crate) fn run_case(case: &Case) -> Result<(), String> {
    let result = panic::catch_unwind(AssertUnwindSafe(|| match case.target {
        Target::Book => run_book(case),
        Target::Journal => run_journal(case),
        Target::Engine => run_engine(case),
        Target::Write => run_write(case),
    }));
    match result {
        Ok(r) => r,
        Err(_) => Err(PANIC
            .lock()
            .ok()
            .and_then(|mut p| p.take())
            .unwrap_or_else(|| "panic".into())),
    }
}

/// A short key for a failure: a panic's place and message, or an oracle's name (the words
/// before its first `:`), without numbers.
fn signature(failure: &str) -> String {
    let head = if failure.starts_with("panic at ") {
        failure
    } else {
        failure.split(':').next().unwrap_or(failure)
    };
    head.chars()
        .filter(|c| !c.is_ascii_digit())
        .take(100)
        .collect()
}

fn crash_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/crashes")
}

/// Save `case` as `fuzz/crashes/TARGET-SEED-N.case`; its path.
fn save(case: &Case, seed: u64, n: u64) -> PathBuf {
    let dir = crash_dir();
    let _ = fs::create_dir_all(&dir);
    let path = dir.join(format!("{}-{seed}-{n}.case", case.target.word()));
    let _ = fs::write(&path, case.encode());
    path
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "\n{MARK}{line}");
    let _ = out.flush();
}

/// The worker: run cases `start..end` (every `step`-th), report failures on stdout.
fn worker(opts: &Opts, progress: &Path) -> ExitCode {
    install_hook(true);
    let corpus = Corpus::load(Path::new(env!("CARGO_MANIFEST_DIR")));
    let progress = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(progress)
        .ok();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut counts = [0u64; 4];
    let mut failures = 0u64;
    let started = Instant::now();
    let mut n = opts.start;
    while n < opts.end {
        if let Some(p) = &progress {
            let _ = p.write_at(&n.to_le_bytes(), 0);
        }
        let case = generate(&corpus, opts.seed, n);
        counts[case.target as usize] += 1;
        if let Err(failure) = run_case(&case) {
            failures += 1;
            let key = format!("{} {}", case.target.word(), signature(&failure));
            let times = seen.entry(key.clone()).or_insert(0);
            *times += 1;
            let saved = if *times <= SAVE_PER_FAILURE {
                save(&case, opts.seed, n).display().to_string()
            } else {
                "not saved: seen before".into()
            };
            say(&format!(
                "FAIL\t{key}\tFAIL seed {} case {n} target {}: {failure} [{saved}]",
                opts.seed,
                case.target.word()
            ));
        }
        n += 1;
    }
    let _ = fs::remove_dir_all(scratch_root());
    say(&format!(
        "DONE {} cases in {:.1} s: book {}, journal {}, engine {}, write {} ({} accepted, {} refused, {} reading, {} not run); {failures} failures",
        opts.end - opts.start,
        started.elapsed().as_secs_f64(),
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        OUTCOMES[0].load(Ordering::Relaxed),
        OUTCOMES[1].load(Ordering::Relaxed),
        OUTCOMES[2].load(Ordering::Relaxed),
        OUTCOMES[3].load(Ordering::Relaxed),
    ));
    ExitCode::SUCCESS
}

// ---------------------------------------------------------------------------------------------
// The supervisor.

fn rss_mib(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

/// This process's peak resident memory, in MiB.
fn peak_mib() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

fn read_progress(path: &Path) -> Option<u64> {
    let bytes = fs::read(path).ok()?;
    Some(u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?))
}

/// The worker's reports, counted by kind of failure; the first few of each kind are printed.
#[derive(Default)]
struct Tally {
    failures: u64,
    kinds: BTreeMap<String, u64>,
}

impl Tally {
    fn note(&mut self, msg: &str) {
        let mut parts = msg.splitn(3, '\t');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("FAIL"), Some(key), Some(text)) => {
                self.failures += 1;
                let count = self.kinds.entry(key.to_string()).or_insert(0);
                *count += 1;
                if *count <= SAVE_PER_FAILURE as u64 {
                    eprintln!("{text}");
                }
            }
            _ => eprintln!("{msg}"),
        }
    }
}

fn supervise(opts: &Opts) -> ExitCode {
    let corpus = Corpus::load(Path::new(env!("CARGO_MANIFEST_DIR")));
    if corpus.folders.is_empty() {
        eprintln!("error: no corpus found under `journals/` and `tests/golden/`");
        return ExitCode::from(2);
    }
    eprintln!(
        "fuzzing cases {}..{} of seed {} with {} worker(s) ({} folders, {} clean, {} journals, {} books in the corpus)",
        opts.start,
        opts.end,
        opts.seed,
        opts.jobs,
        corpus.folders.len(),
        corpus.clean.len(),
        corpus.journals.len(),
        corpus.books.len()
    );
    let started = Instant::now();
    let tally = Mutex::new(Tally::default());
    let jobs = opts.jobs.max(1);
    let chunk = (opts.end - opts.start).div_ceil(jobs);
    let (failures, aborted) = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..jobs)
            .map(|k| {
                let start = opts.start + k * chunk;
                let end = (start + chunk).min(opts.end);
                let (corpus, tally) = (&corpus, &tally);
                scope.spawn(move || supervise_range(opts, corpus, start, end, k, tally))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or((1, 1)))
            .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    let tally = tally.into_inner().unwrap_or_default();
    let failures = failures + tally.failures;
    for (key, count) in &tally.kinds {
        eprintln!("{count:>8} x {key}");
    }
    eprintln!(
        "{} cases of seed {} in {:.1} s; {failures} failures ({aborted} worker restarts)",
        opts.end - opts.start,
        opts.seed,
        started.elapsed().as_secs_f64()
    );
    if failures > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Run cases `start..end` in worker processes, one after another while they die; the failures
/// the supervisor itself found (hangs, memory, deaths) and the number of restarts.
fn supervise_range(
    opts: &Opts,
    corpus: &Corpus,
    mut start: u64,
    end: u64,
    job: u64,
    tally: &Mutex<Tally>,
) -> (u64, u64) {
    let exe = std::env::current_exe().expect("the harness's own path");
    let progress = std::env::temp_dir().join(format!(
        "credits-fuzz-{}-{job}.progress",
        std::process::id()
    ));
    let mut failures = 0u64;
    let mut aborted = 0u64;
    let opts = &Opts { end, ..*opts };
    while start < opts.end {
        let _ = fs::write(&progress, start.to_le_bytes());
        let mut child = std::process::Command::new(&exe)
            .args([
                "--worker",
                "--seed",
                &opts.seed.to_string(),
                "--start",
                &start.to_string(),
                "--end",
                &opts.end.to_string(),
                "--progress",
                &progress.display().to_string(),
            ])
            .env_remove("CREDITS_FILE")
            .env_remove("CREDITS_TODAY")
            .env_remove("CREDITS_CLIENT")
            .env_remove("CREDITS_NOW")
            .env("CREDITS_FUZZ_JOB", job.to_string())
            .env("CREDITS_THREADS", opts.threads.to_string())
            .env("NO_COLOR", "1")
            .env("HOME", std::env::temp_dir())
            .env(
                "XDG_CONFIG_HOME",
                std::env::temp_dir().join("credits-fuzz-config"),
            )
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start a worker");
        let (tx, rx) = mpsc::channel::<String>();
        let stdout = child.stdout.take().expect("the worker's stdout");
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).split(b'\n').map_while(Result::ok) {
                let line = String::from_utf8_lossy(&line);
                if let Some(at) = line.find(MARK) {
                    let _ = tx.send(line[at + MARK.len()..].to_string());
                }
            }
        });
        let mut last = (u64::MAX, Instant::now());
        let mut reported_slow = false;
        let status = loop {
            for msg in rx.try_iter() {
                if let Ok(mut t) = tally.lock() {
                    t.note(&msg);
                }
            }
            if let Ok(Some(status)) = child.try_wait() {
                break Some(status);
            }
            let now = read_progress(&progress).unwrap_or(start);
            if now != last.0 {
                last = (now, Instant::now());
                reported_slow = false;
            }
            let running = last.1.elapsed();
            let stop = |why: &str, child: &mut std::process::Child| {
                let case = generate(corpus, opts.seed, now);
                let path = save(&case, opts.seed, now);
                eprintln!(
                    "FAIL seed {} case {now} target {}: {why} [{}]",
                    opts.seed,
                    case.target.word(),
                    path.display()
                );
                let _ = child.kill();
                let _ = child.wait();
            };
            if running > Duration::from_secs(2) && !reported_slow {
                reported_slow = true;
                eprintln!(
                    "SLOW seed {} case {now}: running for over 2 s (`--seed {} --case {now}` replays it)",
                    opts.seed, opts.seed
                );
            }
            if running > Duration::from_secs(opts.kill_after) {
                failures += 1;
                stop(&format!("hang: over {} s", opts.kill_after), &mut child);
                start = now + 1;
                break None;
            }
            if let Some(mib) = rss_mib(child.id())
                && mib > opts.max_rss
            {
                // A worker's heap keeps what large cases freed: run the case alone to tell a
                // case that needs too much from a worker that grew over many.
                let _ = child.kill();
                let _ = child.wait();
                let alone = std::process::Command::new(&exe)
                    .args(["--seed", &opts.seed.to_string(), "--case", &now.to_string()])
                    .env("CREDITS_THREADS", opts.threads.to_string())
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .output()
                    .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
                    .unwrap_or_default();
                let peak = alone
                    .rsplit_once("peak ")
                    .and_then(|(_, p)| p.split_whitespace().next()?.parse::<u64>().ok());
                if peak.is_none_or(|p| p > opts.max_rss) {
                    failures += 1;
                    stop(
                        &format!("memory: the case alone peaks at {peak:?} MiB"),
                        &mut child,
                    );
                } else {
                    eprintln!(
                        "NOTE seed {} case {now}: the worker grew to {mib} MiB; the case alone peaks at {} MiB, under `--max-rss`",
                        opts.seed,
                        peak.unwrap_or(0)
                    );
                }
                start = now + 1;
                break None;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let _ = reader.join();
        // A worker that was stopped or died leaves its scratch folder behind.
        let _ = fs::remove_dir_all(scratch_of(child.id()));
        for msg in rx.try_iter() {
            if let Ok(mut t) = tally.lock() {
                t.note(&msg);
            }
        }
        match status {
            Some(s) if s.success() => break,
            Some(s) => {
                let now = read_progress(&progress).unwrap_or(start);
                let case = generate(corpus, opts.seed, now);
                let path = save(&case, opts.seed, now);
                failures += 1;
                aborted += 1;
                eprintln!(
                    "FAIL seed {} case {now} target {}: the worker died ({s}) [{}]",
                    opts.seed,
                    case.target.word(),
                    path.display()
                );
                start = now + 1;
            }
            None => aborted += 1,
        }
    }
    let _ = fs::remove_file(&progress);
    (failures, aborted)
}

// ---------------------------------------------------------------------------------------------
// Replaying and minimizing one case.

fn replay(path: &Path) -> ExitCode {
    install_hook(false);
    let case = match fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|b| Case::decode(&b))
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: cannot read `{}`: {e}", path.display());
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let result = run_case(&case);
    let took = started.elapsed();
    match result {
        Ok(()) => {
            eprintln!(
                "ok: {} case passed in {took:?}, peak {} MiB",
                case.target.word(),
                peak_mib().unwrap_or(0)
            );
            ExitCode::SUCCESS
        }
        Err(f) => {
            eprintln!("FAIL {} case in {took:?}: {f}", case.target.word());
            ExitCode::from(1)
        }
    }
}

/// Shrink a failing case while it fails the same way: drop files, lines, words, then bytes.
fn minimize(path: &Path) -> ExitCode {
    install_hook(true);
    let Ok(mut case) = fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|b| Case::decode(&b))
    else {
        eprintln!("error: cannot read `{}`", path.display());
        return ExitCode::from(2);
    };
    let Err(failure) = run_case(&case) else {
        eprintln!("the case passes: nothing to minimize");
        return ExitCode::from(1);
    };
    let key = signature(&failure);
    let fails = |c: &Case| run_case(c).err().is_some_and(|f| signature(&f) == key);
    // Whole files (but the book).
    let mut i = 0;
    while i < case.files.len() {
        let mut c = case.clone();
        c.files.remove(i);
        if case.files[i].0 != "credits.toml" && fails(&c) {
            case = c;
        } else {
            i += 1;
        }
    }
    for f in 0..case.files.len() {
        for unit in [0u8, 1, 2] {
            let mut k = 0;
            loop {
                let pieces: Vec<Vec<u8>> = match unit {
                    0 => lines(&case.files[f].1),
                    1 => case.files[f]
                        .1
                        .split_inclusive(|&b| b == b' ' || b == b'\n')
                        .map(<[u8]>::to_vec)
                        .collect(),
                    _ => case.files[f].1.iter().map(|&b| vec![b]).collect(),
                };
                if k >= pieces.len() {
                    break;
                }
                let mut c = case.clone();
                let mut rest = pieces.clone();
                rest.remove(k);
                c.files[f].1 = rest.concat();
                if fails(&c) {
                    case = c;
                } else {
                    k += 1;
                }
            }
        }
    }
    let mut k = 0;
    while k < case.args.len() {
        let mut c = case.clone();
        c.args.remove(k);
        if fails(&c) {
            case = c;
        } else {
            k += 1;
        }
    }
    let out = path.with_extension("min.case");
    let _ = fs::write(&out, case.encode());
    eprintln!("{key}\nminimized to `{}`:", out.display());
    for (n, b) in &case.files {
        eprintln!("--- {n}\n{}", String::from_utf8_lossy(b));
    }
    if !case.args.is_empty() {
        eprintln!("--- args\n{:?}", case.args);
    }
    ExitCode::SUCCESS
}

// ---------------------------------------------------------------------------------------------
// Options.

#[derive(Clone, Copy)]
struct Opts {
    jobs: u64,
    seed: u64,
    start: u64,
    end: u64,
    threads: usize,
    kill_after: u64,
    max_rss: u64,
}

const USAGE: &str = "\
usage: fuzz [--cases N] [--seed S] [--start N] [--jobs J] [--threads T] [--kill-after SECS] [--max-rss MIB]
       fuzz --seed S --case N [--save FILE]   run (or save) one generated case
       fuzz --replay FILE                     run one saved case, with its output
       fuzz --minimize FILE                   shrink a saved failing case to FILE.min.case";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut opts = Opts {
        jobs: 1,
        seed: 1,
        start: 0,
        end: 10_000,
        threads: 1,
        kill_after: 30,
        max_rss: 2048,
    };
    let mut cases = None;
    let mut one = None;
    let mut save_to = None;
    let mut progress = None;
    let mut worker_mode = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().cloned().unwrap_or_default();
        let num = |v: String| v.parse::<u64>().ok();
        match a.as_str() {
            "--cases" => cases = num(value()),
            "--jobs" => opts.jobs = num(value()).unwrap_or(1),
            "--seed" => opts.seed = num(value()).unwrap_or(1),
            "--start" => opts.start = num(value()).unwrap_or(0),
            "--end" => opts.end = num(value()).unwrap_or(0),
            "--threads" => opts.threads = num(value()).map_or(1, |t| t as usize),
            "--kill-after" => opts.kill_after = num(value()).unwrap_or(30),
            "--max-rss" => opts.max_rss = num(value()).unwrap_or(2048),
            "--case" => one = num(value()),
            "--save" => save_to = Some(PathBuf::from(value())),
            "--progress" => progress = Some(PathBuf::from(value())),
            "--worker" => worker_mode = true,
            "--replay" => return replay(Path::new(&value())),
            "--minimize" => return minimize(Path::new(&value())),
            _ => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    if let Some(n) = cases {
        opts.end = opts.start + n;
    }
    if let Some(n) = one {
        let corpus = Corpus::load(Path::new(env!("CARGO_MANIFEST_DIR")));
        let case = generate(&corpus, opts.seed, n);
        if let Some(path) = save_to {
            let _ = fs::write(&path, case.encode());
            eprintln!(
                "saved case {n} of seed {} to `{}`",
                opts.seed,
                path.display()
            );
            return ExitCode::SUCCESS;
        }
        install_hook(false);
        let mut summary = String::new();
        let _ = write!(
            summary,
            "case {n} of seed {} ({})",
            opts.seed,
            case.target.word()
        );
        let result = run_case(&case);
        let _ = write!(summary, ", peak {} MiB", peak_mib().unwrap_or(0));
        return match result {
            Ok(()) => {
                eprintln!("ok: {summary}");
                ExitCode::SUCCESS
            }
            Err(f) => {
                eprintln!("FAIL {summary}: {f}");
                ExitCode::from(1)
            }
        };
    }
    if worker_mode {
        let progress =
            progress.unwrap_or_else(|| std::env::temp_dir().join("credits-fuzz.progress"));
        return worker(&opts, &progress);
    }
    supervise(&opts)
}
