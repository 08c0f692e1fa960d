//! Regular lines and their canonical text.

use super::*;

#[test]
fn a_line_of_single_spaces_and_no_quotes_is_found_regular() {
    let cases = [
        ("2016-01-11 log c033 3h12m migration patch #updates\n", true),
        ("2016-01-11  log c033 3h12m migration\r\n", true),
        ("2016-01-11 log c033 3h12m a b   ; comment\n", true),
        ("2016-01-11 bill c033", true),
        ("2016-01-11 log  c033 3h12m a\n", false),
        ("2016-01-11 log c033 3h12m\ta\n", false),
        ("2016-01-11 log c033 3h12m a  b\n", false),
        ("2016-01-11 log c033 3h12m \"a\"\n", false),
    ];
    for (text, want) in cases {
        for last_date in [None, Some(*b"2016-01-11")] {
            for lean in [false, true] {
                let (mut toks, mut elided, mut regular) = (Vec::new(), Elided::default(), true);
                let lean = lean.then_some(Lean {
                    head: HEAD,
                    rest_counted: |head: &[Tok<'_>]| only_counts_the_rest(head).is_some(),
                    elided: &mut elided,
                });
                let _ = tokenize(text, 0, FileId(0), &mut toks, last_date, lean, &mut regular);
                assert_eq!(regular, want, "{text:?}");
            }
        }
    }
}

#[test]
fn the_canonical_text_is_the_words_after_the_date_joined_by_one_space() {
    let cases = [
        (
            "2026-01-06 log acme 15m Fixed it #dev",
            "log acme 15m Fixed it #dev",
        ),
        (
            "2026-01-06  log\tacme   15m  Fixed it ; a comment",
            "log acme 15m Fixed it",
        ),
        (
            "2026-01-06 log acme 15m Fixed it   \r\n",
            "log acme 15m Fixed it",
        ),
        (
            "2026-01-06 log acme 15m \"two  spaces\" x",
            "log acme 15m \"two  spaces\" x",
        ),
        // A quoted run is written back with `\"` and `\\` escaped, whatever followed it.
        (
            r#"2026-01-06 log acme 15m "a \"b\" \\ c"d"#,
            r#"log acme 15m "a \"b\" \\ cd""#,
        ),
        (r#"2026-01-06 log acme 15m "a\b""#, r#"log acme 15m "a\\b""#),
        (
            r#"2026-01-06 log acme 15m say"so" #x"#,
            r#"log acme 15m say"so" #x"#,
        ),
        // Nothing else is normalised.
        ("2026-01-06 log acme 60m #dev fix", "log acme 60m #dev fix"),
        ("2026-01-06 bill acme", "bill acme"),
    ];
    for (line, canon) in cases {
        for descriptions in [true, false] {
            let mut got = Vec::new();
            parse_each(
                line,
                FileId(0),
                Decimal::from(60),
                ParseOptions { descriptions },
                |item| {
                    got.push(item);
                    ControlFlow::Continue(())
                },
            );
            match &got[..] {
                [Item::Entry(e)] => assert_eq!(e.canon.as_str(), canon, "{line:?}"),
                other => panic!("{line:?}: {other:?}"),
            }
        }
    }
}
