//! The fuzz harness (`examples/fuzz.rs`) and the inputs it found.
//!
//! The harness is compiled here so that its case format and its generator are tested; the
//! inputs it found are kept as regression tests, each with the minimized input.

#[path = "../../examples/fuzz.rs"]
#[allow(dead_code)] // its `main` is for `cargo run --example fuzz`
mod example;

/// The one splitter of a golden case's `cmd` line, which the harness brings along.
pub use example::cmd_words;

use credits::source::FileId;
use credits::syntax::journal;
use rust_decimal::Decimal;
use std::path::Path;

fn corpus() -> example::Corpus {
    example::Corpus::load(Path::new(env!("CARGO_MANIFEST_DIR")))
}

#[test]
fn a_case_is_the_same_for_the_same_seed_and_number_and_reads_back_from_its_file() {
    let corpus = corpus();
    assert!(
        corpus.clean.len() > 10,
        "the demo books and golden cases are the corpus"
    );
    let mut targets = std::collections::BTreeSet::new();
    for n in 0..200 {
        let a = example::generate(&corpus, 7, n);
        let b = example::generate(&corpus, 7, n);
        assert_eq!(a.encode(), b.encode(), "case {n} of seed 7");
        let back = example::Case::decode(&a.encode()).expect("a saved case reads back");
        assert_eq!(back.encode(), a.encode(), "case {n} of seed 7");
        targets.insert(a.target.word());
    }
    assert_eq!(
        targets.into_iter().collect::<Vec<_>>(),
        ["book", "engine", "journal", "write"]
    );
    assert_ne!(
        example::generate(&corpus, 7, 1).encode(),
        example::generate(&corpus, 8, 1).encode()
    );
}

#[test]
fn a_refused_write_and_an_accepted_one_pass_the_write_oracle() {
    let mut case = example::Case::decode(b"credits-fuzz 1\ntarget 5\nwrite\n").expect("a case");
    case.today = "2026-02-01".into();
    case.files = vec![
        (
            "credits.toml".into(),
            b"[book]\ncurrency = \"USD\"\n[policy]\noverdraft = \"deny\"\n[clients.acme]\n"
                .to_vec(),
        ),
        (
            "journal.credits".into(),
            b"2026-01-05 buy acme 1h @ 100\n".to_vec(),
        ),
    ];
    for args in [
        &["log", "acme", "15m", "Fixed"][..],
        &["log", "acme", "9h", "Too much"],
    ] {
        case.args = args.iter().map(|a| (*a).to_string()).collect();
        assert_eq!(example::run_case(&case), Ok(()), "{args:?}");
    }
}

/// A journal line holding a control character (other than tab) is an error at its line and
/// column; found by the fuzz harness as entries whose printed line read back differently.
#[test]
fn a_control_character_in_a_journal_line_is_an_error() {
    for line in [
        "2026-03-03 buy acme 2 \0\n",
        "2026-02-28 bill acme \u{2}\n",
        "2026-01-05 buy acme 2 \u{e}\n",
        "2026-01-06 log acme 5m \u{7f}\n",
        "2026-01-08 done acme \u{1b}[31mQ1\n",
    ] {
        let p = journal::parse(line, FileId(0), Decimal::from(60));
        assert_eq!(p.entries.len(), 0, "{line:?}");
        assert_eq!(p.diagnostics.len(), 1, "{line:?}");
    }
}
