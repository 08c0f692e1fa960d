//! `cargo bench`: parsing, replay and `balance` end to end on generated books.
//!
//! Books of 10k and 100k entries (and 1M with `CREDITS_BENCH_1M=1`, which takes minutes) are
//! written once by the generator in `examples/generate.rs` into a temporary folder. Whole-process
//! timings and peak memory are in `bench/run.sh`.

#[path = "../examples/generate.rs"]
#[allow(dead_code)] // its `main` is for `cargo run --example generate`
mod example;

use credits::engine::{ReplayOptions, Replayer, replay_with};
use credits::load::{Entries, Loaded, Request, Strategy, load};
use credits::source::FileId;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

fn main() {
    divan::main();
}

fn sizes() -> Vec<usize> {
    let mut s = vec![10_000, 100_000];
    if std::env::var_os("CREDITS_BENCH_1M").is_some() {
        s.push(1_000_000);
    }
    s
}

/// The folder of the generated book of `n` entries, and its last date.
fn book(n: usize) -> (PathBuf, chrono::NaiveDate) {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    static MADE: OnceLock<Mutex<HashMap<usize, chrono::NaiveDate>>> = OnceLock::new();
    let root = DIR.get_or_init(|| tempfile::tempdir().expect("a temporary folder"));
    let dir = root.path().join(n.to_string());
    let mut made = MADE
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .expect("not poisoned");
    let last = *made.entry(n).or_insert_with(|| {
        example::write_book(n, 1, &dir)
            .expect("the book is written")
            .1
    });
    (dir, last)
}

fn loaded(n: usize) -> (Loaded, chrono::NaiveDate) {
    let (dir, last) = book(n);
    (
        load(&Request::new(&dir.join("credits.toml"), &dir), Entries)
            .expect("the book loads")
            .0,
        last,
    )
}

/// The journal parser alone, on the journal's text.
#[divan::bench(args = sizes(), sample_count = 10)]
fn parse(bencher: divan::Bencher, n: usize) {
    let (dir, _) = book(n);
    let text = std::fs::read_to_string(dir.join("journal.credits")).expect("the journal");
    let unit = rust_decimal::Decimal::from(60);
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| credits::syntax::journal::parse(divan::black_box(&text), FileId(1), unit));
}

/// The engine alone, as `balance` runs it (no history).
#[divan::bench(args = sizes(), sample_count = 10)]
fn replay(bencher: divan::Bencher, n: usize) {
    let (l, last) = loaded(n);
    let opts = ReplayOptions::STATES;
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| replay_with(&l.book, &l.entries, Some(last), opts));
}

/// The engine fed one entry at a time (`Replayer`), as `balance` runs it.
#[divan::bench(args = sizes(), sample_count = 10)]
fn replay_streamed(bencher: divan::Bencher, n: usize) {
    let (l, last) = loaded(n);
    let opts = ReplayOptions::STATES;
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .with_inputs(|| l.entries.clone())
        .bench_local_values(|entries| {
            let mut r = Replayer::new(&l.book, Some(last), opts);
            for e in entries {
                r.push(e).expect("the generated book is in date order");
            }
            r.finish().expect("in date order")
        });
}

/// The engine with every client's history, as statements need it.
#[divan::bench(args = sizes(), sample_count = 10)]
fn replay_with_history(bencher: divan::Bencher, n: usize) {
    let (l, last) = loaded(n);
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| replay_with(&l.book, &l.entries, Some(last), ReplayOptions::default()));
}

/// `credits balance` in process, as the command runs it: read and replay in one pass
/// (the streaming reader feeding a `Replayer`), report, render.
#[divan::bench(args = sizes(), sample_count = 10)]
fn balance(bencher: divan::Bencher, n: usize) {
    let (dir, last) = book(n);
    let toml = dir.join("credits.toml");
    let parse = credits::syntax::journal::ParseOptions {
        descriptions: false,
    };
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| {
            let request = Request {
                strategy: Strategy::Stream,
                opts: parse,
                ..Request::new(&toml, &dir)
            };
            let replaying = credits::cli::Replaying {
                as_of: Some(last),
                opts: ReplayOptions::STATES,
                keep: None,
            };
            let (l, r, _) = replaying.load(&request).expect("the book loads");
            let b = credits::report::balance(&l.book, &r, last, None);
            credits::render::text::balance(&b, false)
        });
}

/// `credits balance` in process as the command runs it on a machine with two or more cores:
/// the book read and replayed by two threads (`Strategy::Parts`), each replaying its share of
/// the clients.
#[divan::bench(args = sizes(), sample_count = 10)]
fn balance_two_threads(bencher: divan::Bencher, n: usize) {
    let (dir, last) = book(n);
    let toml = dir.join("credits.toml");
    let opts = ReplayOptions::STATES;
    bencher
        .counter(divan::counter::ItemsCount::new(n))
        .bench(|| {
            let request = Request {
                strategy: Strategy::Parts(2),
                opts: credits::syntax::journal::ParseOptions {
                    descriptions: false,
                },
                ..Request::new(&toml, &dir)
            };
            let replaying = credits::cli::Replaying {
                as_of: Some(last),
                opts,
                keep: None,
            };
            let (l, r, _) = replaying.load(&request).expect("the book loads");
            let b = credits::report::balance(&l.book, &r, last, None);
            credits::render::text::balance(&b, false)
        });
}
