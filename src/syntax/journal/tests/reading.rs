//! Reading options and whole texts: descriptions left out, breaks, the spec example, verb words.

use super::*;

#[test]
fn without_descriptions_only_quotes_keep_theirs_and_a_break_stops_the_reading() {
    let text = "2026-01-06 log acme 15m Fixed header #dev\n\
                2026-01-07 quote acme Q7 3 Landing page\n\
                2026-01-08 adjust acme -30m double log\n\
                2026-01-09 bill acme\n";
    let lean = ParseOptions {
        descriptions: false,
    };
    let mut seen = Vec::new();
    parse_each(text, FileId(0), unit(), lean, |item| {
        seen.push(item);
        if seen.len() == 3 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    let full = parse(text, FileId(0), unit()).entries;
    assert_eq!(seen.len(), 3, "a break stops the reading");
    for (item, want) in seen.iter().zip(&full) {
        let Item::Entry(e) = item else {
            panic!("{item:?}")
        };
        let mut want = want.clone();
        if !matches!(want.verb, Verb::Quote { .. } | Verb::Estimate { .. }) {
            want.description.clear();
        }
        assert_eq!(*e, want);
    }
    assert_eq!(full[1].description, "Landing page");
    // An `adjust` still needs its description, kept or not.
    let mut problems = Vec::new();
    parse_each(
        "2026-01-08 adjust acme -30m\n",
        FileId(0),
        unit(),
        lean,
        |item| {
            problems.push(item);
            ControlFlow::Continue(())
        },
    );
    assert!(matches!(&problems[..], [Item::Problem(_)]), "{problems:?}");
}

#[test]
fn the_spec_example_parses_without_a_problem() {
    let text = "2026-01-05 buy acme 10h @ 120 USD ref:INV-1041\n\
                2026-01-06 log acme 15m Fixed header alignment #dev\n\
                2026-01-09 log acme 45m Plugin update #dev\n\
                2026-01-12 debit acme complex-plugin Install and test SEO plugin\n\
                2026-01-20 quote acme Q7 3 due:2026-02-01 Custom landing page\n\
                2026-01-21 approve acme Q7\n\
                2026-02-01 done acme Q7\n\
                2026-02-03 apply acme 240 USD project:redesign\n\
                2026-02-10 assert acme 3h\n";
    let p = parse(text, FileId(0), unit());
    assert_eq!(p.diagnostics, []);
    assert_eq!(p.entries.len(), 9);
    assert_eq!(
        p.entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (0..9).collect::<Vec<_>>()
    );
}

#[test]
fn every_verb_word_reads_as_itself() {
    for v in VERBS {
        assert_eq!(VerbWord::of(v).map(VerbWord::word), Some(v));
    }
    assert_eq!(VerbWord::of("buys"), None);
}
