//! Property tests: no input makes the parser panic, and the fast searches agree with plain ones.

use super::*;

fn soup() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("2026-01-05".to_string()),
        Just("include".to_string()),
        prop::sample::select(VERBS.to_vec()).prop_map(str::to_string),
        prop::sample::select(vec![
            "acme",
            "15m",
            "3",
            "0",
            "-2h",
            "+1h",
            "@",
            "@12",
            "for",
            "expires",
            "never",
            "12mo",
            "$120",
            "USD",
            "ref:",
            "ref:x",
            "due:x",
            "expires:9d",
            "#",
            "#t",
            "\"",
            "\"a b\"",
            "\\\"",
            ";",
            ";c",
            "09:15-10:40",
            "10:00-09:00",
            "none",
            "Q7",
            "café",
            "日本語",
            "\r",
            "\n",
            "\t",
            " ",
            "  ",
            "\u{feff}",
            "2026-02-30",
        ])
        .prop_map(str::to_string),
        "\\PC{0,6}",
    ];
    prop::collection::vec(word, 0..14).prop_map(|ws| ws.join(" "))
}

/// A line shaped like an entry (so that the tokenizer may leave words out when
/// descriptions are not kept), with words of every kind after the client.
fn lean_line() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        4 => prop::sample::select(vec![
            "fix", "review", "team", "deploy", "patch", "email", "r", "q:", "#", "@",
            "ref:x", "ref:", "due:2026-01-05", "due:x", "expires:9d", "project:p", "task:t",
            "quote:Q1", "#dev", "#", "\"a b\"", "\"x", ";c", "15m", "Q7", "none", "café",
            "\t", "  ", "\r", "refx:1", "tag", "p", "dues",
        ])
        .prop_map(str::to_string),
        1 => "\\PC{0,4}",
    ];
    (
        prop::sample::select(vec!["2026-01-05", "2026-02-30", "x"]),
        prop::sample::select(VERBS.to_vec()),
        prop::sample::select(vec!["acme", "Acme", "15m"]),
        prop::sample::select(vec![
            "15m",
            "1h30m",
            "-30m",
            "+1h",
            "0",
            "Q7",
            "none",
            "plan-a",
            "#t",
            "ref:r",
            "@",
            "\"q\"",
            "x:",
            "",
            "09:15-10:40",
            "3",
        ]),
        prop::collection::vec(word, 0..6),
    )
        .prop_map(|(date, verb, client, arg, rest)| {
            format!("{date} {verb} {client} {arg} {}", rest.join(" "))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn no_text_makes_the_parser_panic(s in "\\PC*|(.|\n|\r)*") {
        let p = parse(&s, FileId(0), unit());
        for x in p.diagnostics {
            let sp = x.span.unwrap();
            prop_assert!(s.get(sp.start as usize..sp.end as usize).is_some());
        }
    }

    #[test]
    fn forbidden_at_agrees_with_a_char_by_char_search(line in "(.|\r|[\u{0}-\u{1f}\u{7f}-\u{9f}\u{2028}-\u{202f}\u{2065}-\u{206a}]){0,30}", lf: bool) {
        let hidden = |c: char, at_end: bool| {
            (c.is_control() && c != '\t' && !(c == '\r' && at_end))
                || matches!(c, '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        };
        let want = line
            .char_indices()
            .find(|&(i, c)| hidden(c, lf && i + 1 == line.len()))
            .map(|(i, _)| i);
        prop_assert_eq!(forbidden_at(line.as_bytes(), lf), want);
    }

    #[test]
    fn a_text_without_a_forbidden_byte_has_no_forbidden_line(
        text in "(.|\n|\r|\t|[a-z ]{8,70}|[\u{0}-\u{1f}\u{7f}-\u{9f}\u{2028}-\u{202f}\u{2065}-\u{206a}]){0,200}",
    ) {
        // The scan of a chunk (`may_hold_forbidden`) stands for the per-line look: whenever it
        // finds nothing, no line holds anything that look would find.
        let lines: Vec<&str> = text.split('\n').collect();
        let found = lines
            .iter()
            .enumerate()
            .any(|(i, l)| forbidden_at(l.as_bytes(), i + 1 < lines.len()).is_some());
        if found {
            prop_assert!(may_hold_forbidden(text.as_bytes()));
        }
        prop_assert_eq!(may_hold_forbidden(text.as_bytes()), text.bytes().any(|b| {
            (b < 0x20 && b != b'\n' && b != b'\t') || matches!(b, 0x7f | 0xc2 | 0xe2)
        }));
    }

    #[test]
    fn word_end_agrees_with_a_byte_by_byte_search(
        b in prop::collection::vec(prop::sample::select(vec![b'a', b' ', b'\n', b'\t', b'\r', 0x01, 0x1f, 0x20, 0x21, 0x80, 0xe9]), 0..40),
        from in 0usize..41,
    ) {
        let from = from.min(b.len());
        let want = (from..b.len()).find(|&i| ends_word(b[i])).unwrap_or(b.len());
        prop_assert_eq!(word_end(&b, from), want);
    }

    #[test]
    fn lean_reading_gives_the_full_reading_without_descriptions(lines in prop::collection::vec(lean_line(), 0..6)) {
        let s = lines.join("\n");
        let lean = ParseOptions { descriptions: false };
        let mut got = Vec::new();
        parse_each(&s, FileId(0), unit(), lean, |item| {
            got.push(item);
            ControlFlow::Continue(())
        });
        let mut want = Vec::new();
        parse_each(&s, FileId(0), unit(), ParseOptions::default(), |item| {
            want.push(item);
            ControlFlow::Continue(())
        });
        for item in &mut want {
            if let Item::Entry(e) = item
                && !matches!(e.verb, Verb::Quote { .. } | Verb::Estimate { .. })
            {
                e.description.clear();
            }
        }
        prop_assert_eq!(got, want, "{:?}", s);
    }

    /// The tokenizer's word that a line is regular (its canonical text is its own bytes)
    /// is right: the general path gives the same text.
    #[test]
    fn a_regular_line_is_its_own_canonical_text(
        words in prop::collection::vec(
            prop::sample::select(vec!["acme", "15m", "x", "#t", "\"a  b\"", "say\"so", "ref:R", "\"\\\"\""]),
            0..6,
        ),
        seps in prop::collection::vec(prop::sample::select(vec![" ", "  ", "\t", " \t"]), 8),
        tail in prop::sample::select(vec!["", " ", " ; c", "\t;c", "\r"]),
        descriptions in any::<bool>(),
    ) {
        let mut line = format!("2026-01-06{}log", seps[7]);
        for (w, sep) in words.iter().zip(&seps) {
            line.push_str(sep);
            line.push_str(w);
        }
        line.push_str(tail);
        let mut canon = None;
        parse_each(&line, FileId(0), Decimal::from(60), ParseOptions { descriptions }, |item| {
            if let Item::Entry(e) = item {
                canon = Some(e.canon);
            }
            ControlFlow::Continue(())
        });
        if let Some(canon) = canon {
            let end = line.find(" ;").or_else(|| line.find("\t;")).unwrap_or(line.len());
            let raw = line[11..end].trim_end_matches([' ', '\t', '\r']).trim_start();
            prop_assert_eq!(canon, canonical(raw, false), "{:?}", line);
        }
    }

    #[test]
    fn the_last_date_cuts_the_same_words(
        date in prop::sample::select(vec!["2026-01-05", "2026-01-06", "2026-01-0"]),
        rest in prop::sample::select(vec!["", " log acme 1h", "\tx", "\n", "5 log", "\u{1}", "é", ";c", "\r\n"]),
        cached in prop::sample::select(vec!["2026-01-05", "2026-12-31"]),
    ) {
        let text = format!("{date}{rest}");
        let raw = <[u8; 10]>::try_from(cached.as_bytes()).ok();
        let words = |last_date| {
            let mut out = Vec::new();
            let (end, cut) = tokenize(&text, 0, FileId(0), &mut out, last_date, None::<Lean<'_, fn(&[Tok<'_>]) -> bool>>, &mut true);
            (end, cut, out.iter().map(|t| (t.start, t.raw, t.kind)).collect::<Vec<_>>())
        };
        prop_assert_eq!(words(raw), words(None));
    }

    #[test]
    fn no_bytes_make_the_parser_panic(b in prop::collection::vec(any::<u8>(), 0..200)) {
        let s = String::from_utf8_lossy(&b);
        let _ = parse(&s, FileId(0), Minutes::from(7));
    }

    #[test]
    fn no_word_soup_makes_the_parser_panic(lines in prop::collection::vec(soup(), 0..6)) {
        let s = lines.join("\n");
        let p = parse(&s, FileId(0), unit());
        for x in p.diagnostics {
            let sp = x.span.unwrap();
            prop_assert!(s.get(sp.start as usize..sp.end as usize).is_some(), "{s:?} {x:?}");
        }
    }
}
