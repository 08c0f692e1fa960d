//! Characters a journal may not hold, and the chunked search that finds them.

use super::*;

#[test]
fn characters_a_journal_may_not_hold_are_reported_at_their_line_and_column() {
    let cr = "a carriage return (U+000D) that is not followed by a line feed";
    let cases: &[(&str, Want<'_>)] = &[
        // A CR alone does not end a line: the two entries are not read as one.
        (
            "2026-01-05 buy acme 10h\r2026-01-06 log acme 1h\r",
            vec![(1, 24, 1, cr)],
        ),
        // At the very end of the file, after a good line.
        (
            "2026-01-05 buy acme 10h\n2026-01-06 log acme 1h\r",
            vec![(2, 23, 1, cr)],
        ),
        ("; comment\rtext\n", vec![(1, 10, 1, cr)]),
        (
            "2026-01-06 log acme 1h a\0b\n",
            vec![(1, 25, 1, "a NUL character (U+0000) in the text")],
        ),
        (
            "2026-01-06 log acme 1h é\u{7}\n",
            vec![(1, 25, 1, "a control character (U+0007) in the text")],
        ),
        (
            "2026-01-06\u{b}log acme 1h\n",
            vec![(1, 11, 1, "a control character (U+000B) in the text")],
        ),
        (
            "2026-01-06 log acme 1h x\u{7f}\n",
            vec![(1, 25, 1, "a control character (U+007F) in the text")],
        ),
        (
            "2026-01-06 log acme 1h x\u{85}\n",
            vec![(1, 25, 1, "a control character (U+0085) in the text")],
        ),
        (
            "2026-01-06 log acme 1h ab\u{2028}c\n",
            vec![(1, 26, 1, "a line separator (U+2028) in the text")],
        ),
        (
            "2026-01-06 log acme 1h\u{2029}\n",
            vec![(1, 23, 1, "a paragraph separator (U+2029) in the text")],
        ),
        (
            "2026-01-06 log acme 1h 日本\u{202e}x\r\n",
            vec![(
                1,
                26,
                1,
                "a bidirectional control character (U+202E) in the text",
            )],
        ),
        (
            "x\n2026-01-06 log acme 1h \u{2066}x\n",
            vec![
                (1, 1, 1, "`x` is not a date"),
                (
                    2,
                    24,
                    1,
                    "a bidirectional control character (U+2066) in the text",
                ),
            ],
        ),
        (
            "<<<<<<< ours\n2026-01-06 log acme 1h\n||||||| base\n=======\r\n>>>>>>> theirs\n",
            vec![
                (1, 1, 7, "unresolved merge conflict"),
                (3, 1, 7, "unresolved merge conflict"),
                (4, 1, 7, "unresolved merge conflict"),
                (5, 1, 7, "unresolved merge conflict"),
            ],
        ),
    ];
    for (text, want) in cases {
        let got = errors(text);
        let got: Vec<_> = got
            .iter()
            .map(|(l, c, n, m)| (*l, *c, *n, m.as_str()))
            .collect();
        assert_eq!(&got, want, "{text:?}");
    }
    // Allowed: tab, CRLF, a CR before the LF of the last line, other non-ASCII text.
    for text in [
        "2026-01-06 log acme 1h\ta\tb\r\n2026-01-07 log acme 1h — €5 日本\r\n",
        "2026-01-06 log acme 1h \u{2027}\u{202f}\u{2065}\u{206a}\n",
        "<<<<<<<x\n",
    ] {
        let p = parse(text, FileId(0), unit());
        let msgs: Vec<_> = p.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert!(
            msgs.iter()
                .all(|m| !m.contains("U+") && !m.contains("conflict")),
            "{text:?}: {msgs:?}"
        );
    }
    // A line with such a character gives no entry.
    assert!(
        parse(
            "2026-01-05 buy acme 10h\r2026-01-06 log acme 1h\n",
            FileId(0),
            unit()
        )
        .entries
        .is_empty()
    );
}

#[test]
fn the_chunked_search_agrees_with_a_char_by_char_one() {
    let hidden = |c: char, at_end: bool| {
        (c.is_control() && c != '\t' && !(c == '\r' && at_end))
            || matches!(c, '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    for line in [
        "abcdefghijklmnop\u{7}",
        "abcdefgh\r",
        "abcdefg\u{85}hij",
        "é\u{2028}abcdefgh",
        "abcdefghijklmnopqrst",
        "abcdefghijklmnopqrs\u{7f}",
        "日本語日本語日本語\u{2069}",
    ] {
        for lf in [false, true] {
            let want = line
                .char_indices()
                .find(|&(i, c)| hidden(c, lf && i + 1 == line.len()))
                .map(|(i, _)| i);
            assert_eq!(forbidden_at(line.as_bytes(), lf), want, "{line:?} {lf}");
        }
    }
}
