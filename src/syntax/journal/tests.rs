//! The journal parser's tests: tables of exact `(line, col, len, message)` errors, and
//! property tests (no input panics, the tokenizer agrees with a plain search).

use super::checks::*;
use super::tokenize::*;
use super::verbs::*;
use super::*;
use crate::model::DateSpan;
use crate::model::{Currency, LineExpiry, LotRef, Meta, MetaKey, Money, Price, Qty, Verb};
use crate::source::SourceFile;
use chrono::{NaiveDate, NaiveTime};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn unit() -> Minutes {
    Minutes::from(60)
}

fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn usd(n: i64) -> Money {
    Money {
        amount: d(n),
        currency: Currency::from_code("USD"),
    }
}

/// `(line, col, len, message)` of every diagnostic, as a user sees them.
fn errors(text: &str) -> Vec<(usize, usize, usize, String)> {
    let p = parse(text, FileId(0), unit());
    let f = SourceFile::new("j".into(), text.into());
    p.diagnostics
        .iter()
        .map(|x| {
            let s = x.span.unwrap();
            let (line, col) = f.line_col(s.start);
            let len = text[s.start as usize..s.end as usize].chars().count();
            (line, col, len, x.message.clone())
        })
        .collect()
}

/// A good line: the text, then the entry's verb, tags, metadata and description.
type Case<'a> = (&'a str, Verb, Vec<&'a str>, Vec<Meta>, &'a str);

fn one(line: &str) -> Entry {
    let p = parse(line, FileId(0), unit());
    assert_eq!(p.diagnostics, [], "{line}");
    assert_eq!(p.entries.len(), 1, "{line}");
    p.entries.into_iter().next().unwrap()
}

/// The problems expected of a text: `(line, col, len, message)`.
type Want<'a> = Vec<(usize, usize, usize, &'a str)>;

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

#[test]
fn every_bad_word_is_reported_at_its_line_column_and_width() {
    let cases: &[(&str, usize, usize, usize, &str)] = &[
        (
            "2026-01-06 log acme 15 Fixed header alignment",
            1,
            21,
            2,
            "`15` is a number of credits, but `log` takes a duration",
        ),
        (
            "; c\r\n2026-01-06 log acme\r\n",
            2,
            20,
            0,
            "`log` needs a duration",
        ),
        (
            "2026-01-06 log café 15m",
            1,
            16,
            4,
            "`café` is not a client id",
        ),
        (
            "2026-01-06 log acme 1h Réunion @ 日本語",
            1,
            32,
            1,
            "`@` is only for `buy`, not `log`",
        ),
        (
            "2026-01-06 debit acme 2h Réunion quote:Q7",
            1,
            34,
            8,
            "`quote:` is only for `log`, not `debit`",
        ),
        (
            "2026-01-06 done acme quote:Q7\r\n",
            1,
            22,
            8,
            "`quote:` is only for `log`, not `done`",
        ),
        (
            "2026-01-06 estimate acme E1",
            1,
            28,
            0,
            "`estimate` needs a quantity or a task",
        ),
        (
            "2026-01-06 debit acme 1h café @ noon\r\n",
            1,
            31,
            1,
            "`@` is only for `buy`, not `debit`",
        ),
        (
            "2026-01-06 log acme 1h \"café ; x  \r\n",
            1,
            24,
            9,
            "the quoted text is not closed",
        ),
        (
            "2026-02-30 log acme 1h",
            1,
            1,
            10,
            "`2026-02-30` is not a day of the calendar",
        ),
        ("hello world", 1, 1, 5, "`hello` is not a date"),
        (
            "  2026-1-6 log acme 1h",
            1,
            3,
            8,
            "`2026-1-6` is not a date",
        ),
        (
            "2026-01-06",
            1,
            11,
            0,
            "an entry needs a verb after its date",
        ),
        ("2026-01-06 lgo acme 15m", 1, 12, 3, "unknown verb `lgo`"),
        ("2026-01-06 include x", 1, 12, 7, "unknown verb `include`"),
        ("2026-01-06 bill", 1, 16, 0, "`bill` needs a client"),
        (
            "2026-01-06 log Acme 1h",
            1,
            16,
            4,
            "`Acme` is not a client id",
        ),
        (
            "2026-01-06 log 15m 1h",
            1,
            16,
            3,
            "the client id `15m` reads as a quantity",
        ),
        (
            "2026-01-06 buy acme",
            1,
            20,
            0,
            "`buy` needs a quantity or a package",
        ),
        (
            "2026-01-06 buy acme 10h @",
            1,
            26,
            0,
            "`buy` needs a price after `@`",
        ),
        (
            "2026-01-06 buy acme 10h for",
            1,
            28,
            0,
            "`buy` needs a total after `for`",
        ),
        (
            "2026-01-06 buy acme 10h for 12a",
            1,
            29,
            3,
            "`12a` is not an amount of money",
        ),
        (
            "2026-01-06 buy acme 10h expires",
            1,
            32,
            0,
            "`buy` needs a date, a span or `never` after `expires`",
        ),
        (
            "2026-01-06 buy acme 10h expires soon",
            1,
            33,
            4,
            "`soon` is not a date, a span or `never`",
        ),
        (
            "2026-01-06 buy acme 10h expires 2026-02-30",
            1,
            33,
            10,
            "`2026-02-30` is not a day of the calendar",
        ),
        (
            "2026-01-06 buy acme 10h expires 90d expires:12mo",
            1,
            25,
            7,
            "`expires` is given twice",
        ),
        (
            "2026-01-06 buy acme 10h expires:soon",
            1,
            33,
            4,
            "`soon` is not a date, a span or `never`",
        ),
        (
            "2026-01-06 buy acme 0",
            1,
            21,
            1,
            "`0` is zero, but a quantity must be positive",
        ),
        (
            "2026-01-06 buy acme 10hh",
            1,
            21,
            4,
            "`10hh` is not a quantity",
        ),
        (
            "2026-01-06 buy acme 10h @ 100 for 1000",
            1,
            31,
            3,
            "a `buy` takes one price",
        ),
        ("2026-01-06 log acme", 1, 20, 0, "`log` needs a duration"),
        (
            "2026-01-06 log acme 10:00-09:00",
            1,
            21,
            11,
            "the clock range `10:00-09:00` ends before it starts",
        ),
        (
            "2026-01-06 log acme 0m",
            1,
            21,
            2,
            "`0m` is zero, but a quantity must be positive",
        ),
        (
            "2026-01-06 debit acme",
            1,
            22,
            0,
            "`debit` needs a quantity or a task",
        ),
        (
            "2026-01-06 debit acme -2h",
            1,
            23,
            3,
            "`-2h` is not a quantity",
        ),
        (
            "2026-01-06 quote acme",
            1,
            22,
            0,
            "`quote` needs a quote id",
        ),
        (
            "2026-01-06 quote acme Q7",
            1,
            25,
            0,
            "`quote` needs a quantity or a task",
        ),
        (
            "2026-01-06 quote acme \"Q 7\" 3h",
            1,
            23,
            5,
            "`\"Q 7\"` is not a quote id",
        ),
        (
            "2026-01-06 quote acme Q7 3h due:soon",
            1,
            33,
            4,
            "`soon` is not a date",
        ),
        (
            "2026-01-06 approve acme",
            1,
            24,
            0,
            "`approve` needs a quote id",
        ),
        (
            "2026-01-06 reject acme ; no id",
            1,
            23,
            0,
            "`reject` needs a quote id",
        ),
        ("2026-01-06 done acme", 1, 21, 0, "`done` needs a quote id"),
        (
            "2026-01-06 apply acme",
            1,
            22,
            0,
            "`apply` needs an amount of money",
        ),
        (
            "2026-01-06 apply acme 3h",
            1,
            23,
            2,
            "`3h` is not an amount of money",
        ),
        (
            "2026-01-06 apply acme $120 EUR",
            1,
            28,
            3,
            "`EUR` does not match the currency of `$120`",
        ),
        (
            "2026-01-06 refund acme",
            1,
            23,
            0,
            "`refund` needs a lot (its `ref:` or its date)",
        ),
        (
            "2026-01-06 refund acme 2026-13-01",
            1,
            24,
            10,
            "`2026-13-01` is not a day of the calendar",
        ),
        (
            "2026-01-06 refund acme INV-1 0",
            1,
            30,
            1,
            "`0` is zero, but a quantity must be positive",
        ),
        (
            "2026-01-06 adjust acme",
            1,
            23,
            0,
            "`adjust` needs a quantity such as `+1h` or `-30m`",
        ),
        (
            "2026-01-06 adjust acme +1h #fix",
            1,
            32,
            0,
            "`adjust` needs a description that says why",
        ),
        (
            "2026-01-06 adjust acme +x goodwill",
            1,
            24,
            2,
            "`x` is not a quantity",
        ),
        (
            "2026-01-06 plan acme",
            1,
            21,
            0,
            "`plan` needs a plan name or `none`",
        ),
        (
            "2026-01-06 plan acme Gold",
            1,
            22,
            4,
            "`Gold` is not a plan name",
        ),
        (
            "2026-01-06 assert acme",
            1,
            23,
            0,
            "`assert` needs a quantity",
        ),
        (
            "2026-01-06 assert acme 3x",
            1,
            24,
            2,
            "`3x` is not a quantity",
        ),
        (
            "2026-01-06 log acme 1h ref:",
            1,
            24,
            4,
            "`ref:` needs a value",
        ),
        (
            "2026-01-06 log acme 1h ref:a ref:b",
            1,
            30,
            5,
            "`ref:` is given twice",
        ),
        (
            "2026-01-06 log acme 1h expires:90d",
            1,
            24,
            11,
            "`expires:` is only for `buy`",
        ),
        (
            "2026-01-06 log acme 1h 日本語 #t due:2026-02-30",
            1,
            35,
            10,
            "`2026-02-30` is not a day of the calendar",
        ),
        ("include", 1, 8, 0, "`include` needs a path"),
        ("include \"\"", 1, 11, 0, "`include` needs a path"),
        (
            "include a b",
            1,
            11,
            1,
            "unexpected `b` after the include path",
        ),
    ];
    for &(text, line, col, len, message) in cases {
        assert_eq!(
            errors(text),
            [(line, col, len, message.to_string())],
            "{text:?}"
        );
    }
}

#[test]
fn helps_suggest_the_fix() {
    let help = |text: &str| {
        parse(text, FileId(0), unit()).diagnostics[0]
            .help
            .clone()
            .unwrap()
    };
    assert_eq!(
        help("2026-01-06 log acme 15 x"),
        "write `15m` for 15 minutes"
    );
    assert_eq!(help("2026-01-06 lgo acme 15m"), "did you mean `log`?");
    assert_eq!(help("2026-01-06 LOG acme 15m"), "did you mean `log`?");
    assert_eq!(help("2026-01-06 aprove acme Q7"), "did you mean `approve`?");
    assert!(help("2026-01-06 frobnicate acme").starts_with("a verb is one of `buy`, `log`"));
    assert_eq!(
        help("2026-01-06 include x"),
        "`include` takes no date: write `include PATH` alone on its line"
    );
    assert_eq!(
        help("2026-01-06 quote acme"),
        "write `quote CLIENT ID QTY|TASK`, such as `quote acme Q7 3h`"
    );
    assert_eq!(
        help("2026-01-06 log acme 1h @ x"),
        "put the description in double quotes to keep an `@` in it"
    );
}

#[test]
fn every_bad_line_is_reported_and_the_good_ones_kept() {
    let text = "2026-01-05 buy acme 10h\n2026-01-06 log acme 15\n\n2026-01-07 lgo acme 1h\n\
                2026-01-08 log acme 1h ok\n2026-01-09 plan acme Gold\n";
    let p = parse(text, FileId(0), unit());
    let lines: Vec<usize> = errors(text).iter().map(|e| e.0).collect();
    assert_eq!(lines, [2, 4, 6]);
    assert_eq!(p.entries.len(), 2);
    assert_eq!(p.entries[1].seq, 1);
    assert_eq!(p.entries[1].description, "ok");
}

#[test]
fn comments_blank_lines_bom_crlf_and_includes() {
    let text = "\u{feff}; a comment\r\n   # another\r\n\r\n\t\r\n2026-01-05 buy acme 10h ; bought\r\n\
                include \"old year.credits\" ; kept\r\ninclude next.credits\r\n2026-01-06 log acme 1h #a;b x;y\r\n";
    let p = parse(text, FileId(3), unit());
    assert_eq!(p.diagnostics, []);
    assert_eq!(p.entries.len(), 2);
    assert_eq!(p.entries[0].description, "");
    assert_eq!(p.entries[1].tags, ["a;b"]);
    assert_eq!(p.entries[1].description, "x;y");
    let inc: Vec<(usize, &str)> = p.includes.iter().map(|i| (i.at, i.path.as_str())).collect();
    assert_eq!(inc, [(1, "old year.credits"), (1, "next.credits")]);
    let s = p.includes[0].span;
    assert_eq!(
        &text[s.start as usize..s.end as usize],
        "\"old year.credits\""
    );
    assert_eq!(s.file, FileId(3));
}

#[test]
fn entry_spans_point_at_the_verb_and_the_client() {
    let text = "; x\n2026-01-06 log café-free 1h\n2026-01-06  log   acme 1h\n";
    let p = parse(text, FileId(0), unit());
    let e = &p.entries[0];
    assert_eq!(&text[e.span.start as usize..e.span.end as usize], "log");
    assert_eq!(
        &text[e.client_span.start as usize..e.client_span.end as usize],
        "acme"
    );
    assert_eq!(
        SourceFile::new("j".into(), text.into()).line_col(e.client_span.start),
        (3, 19)
    );
}

#[test]
fn good_lines_read_as_the_entries_they_say() {
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let meta = |key, v: &str| Meta {
        key,
        value: v.into(),
    };
    let cases: Vec<Case> = vec![
        (
            "2026-01-05 buy acme 10h @ 120 USD ref:INV-1041",
            Verb::Buy {
                qty: Qty::Minutes(d(600)),
                price: Some(Price::Each(usd(120))),
                expires: None,
            },
            vec![],
            vec![meta(MetaKey::Ref, "INV-1041")],
            "",
        ),
        (
            "2026-01-05 buy acme five",
            Verb::Buy {
                qty: Qty::Named("five".into()),
                price: None,
                expires: None,
            },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-01-05 buy acme 5pack",
            Verb::Buy {
                qty: Qty::Named("5pack".into()),
                price: None,
                expires: None,
            },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-01-05 buy acme 10 for $1,000 expires 12mo Team pack",
            Verb::Buy {
                qty: Qty::Minutes(d(600)),
                price: Some(Price::Total(usd(1000))),
                expires: Some(LineExpiry::Span(DateSpan::Months(12))),
            },
            vec![],
            vec![],
            "Team pack",
        ),
        (
            "2026-01-05 buy acme 2h Team expires never for 250 pack",
            Verb::Buy {
                qty: Qty::Minutes(d(120)),
                price: Some(Price::Total(Money {
                    amount: d(250),
                    currency: None,
                })),
                expires: Some(LineExpiry::Never),
            },
            vec![],
            vec![],
            "Team pack",
        ),
        (
            "2026-01-05 buy acme 10h @120 expires:2026-12-31",
            Verb::Buy {
                qty: Qty::Minutes(d(600)),
                price: Some(Price::Each(Money {
                    amount: d(120),
                    currency: None,
                })),
                expires: Some(LineExpiry::Date(date("2026-12-31"))),
            },
            vec![],
            vec![meta(MetaKey::Expires, "2026-12-31")],
            "",
        ),
        (
            "2026-01-06 log acme 09:15-10:40 Call",
            Verb::Log {
                minutes: d(85),
                clock: Some((t(9, 15), t(10, 40))),
            },
            vec![],
            vec![],
            "Call",
        ),
        (
            "2026-01-06 log acme 1.5h \"#not-a-tag ref:1 ; @\" #real",
            Verb::Log {
                minutes: d(90),
                clock: None,
            },
            vec!["real"],
            vec![],
            "#not-a-tag ref:1 ; @",
        ),
        (
            "2026-01-06 log acme 15m Fixed \"the  header\" now ; comment \"x",
            Verb::Log {
                minutes: d(15),
                clock: None,
            },
            vec![],
            vec![],
            "Fixed the  header now",
        ),
        (
            r#"2026-01-06 log acme 15m a;b x"y "say \"hi\" \\ok\x""#,
            Verb::Log {
                minutes: d(15),
                clock: None,
            },
            vec![],
            vec![],
            r#"a;b x"y say "hi" \ok\x"#,
        ),
        (
            "  2026-01-06\tlog acme 15m café  日本語 #dév",
            Verb::Log {
                minutes: d(15),
                clock: None,
            },
            vec!["dév"],
            vec![],
            "café 日本語",
        ),
        (
            "2026-01-06 log acme 1h for the team expires soon @john # https://x.example/a",
            Verb::Log {
                minutes: d(60),
                clock: None,
            },
            vec![],
            vec![],
            "for the team expires soon @john # https://x.example/a",
        ),
        (
            "2026-01-12 debit acme complex-plugin Install",
            Verb::Debit {
                qty: Qty::Named("complex-plugin".into()),
            },
            vec![],
            vec![],
            "Install",
        ),
        (
            "2026-01-12 debit acme 3cr",
            Verb::Debit {
                qty: Qty::Minutes(d(180)),
            },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-01-20 quote acme Q7 3 due:2026-02-01 Custom landing page",
            Verb::Quote {
                id: "Q7".into(),
                qty: Qty::Minutes(d(180)),
            },
            vec![],
            vec![meta(MetaKey::Due, "2026-02-01")],
            "Custom landing page",
        ),
        (
            "2026-01-20 quote acme #big Q8 ref:R1 banner",
            Verb::Quote {
                id: "Q8".into(),
                qty: Qty::Named("banner".into()),
            },
            vec!["big"],
            vec![meta(MetaKey::Ref, "R1")],
            "",
        ),
        (
            "2026-01-20 estimate acme E1 2h30m due:2026-02-01 Shop migration",
            Verb::Estimate {
                id: "E1".into(),
                qty: Qty::Minutes(d(150)),
            },
            vec![],
            vec![meta(MetaKey::Due, "2026-02-01")],
            "Shop migration",
        ),
        (
            "2026-01-20 log acme 45m quote:E1 Migration",
            Verb::Log {
                minutes: d(45),
                clock: None,
            },
            vec![],
            vec![meta(MetaKey::Quote, "E1")],
            "Migration",
        ),
        (
            "2026-01-21 approve acme Q7",
            Verb::Approve { id: "Q7".into() },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-01-21 reject acme Q7 too dear",
            Verb::Reject { id: "Q7".into() },
            vec![],
            vec![],
            "too dear",
        ),
        (
            "2026-02-01 done acme Q7",
            Verb::Done { id: "Q7".into() },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-02-03 apply acme 240 USD project:redesign",
            Verb::Apply { amount: usd(240) },
            vec![],
            vec![meta(MetaKey::Project, "redesign")],
            "",
        ),
        (
            "2026-02-03 apply acme ¥8000 JPY usd",
            Verb::Apply {
                amount: Money {
                    amount: d(8000),
                    currency: Currency::from_code("JPY"),
                },
            },
            vec![],
            vec![],
            "usd",
        ),
        (
            "2026-03-01 refund acme 2026-001 2h Unused",
            Verb::Refund {
                lot: LotRef::Ref("2026-001".into()),
                qty: Some(d(120)),
            },
            vec![],
            vec![],
            "Unused",
        ),
        (
            "2026-03-01 refund acme 2026-01-05 Client left",
            Verb::Refund {
                lot: LotRef::Date(date("2026-01-05")),
                qty: None,
            },
            vec![],
            vec![],
            "Client left",
        ),
        (
            "2026-03-01 adjust acme -30m Double-logged",
            Verb::Adjust { minutes: d(-30) },
            vec![],
            vec![],
            "Double-logged",
        ),
        (
            "2026-03-01 adjust acme 2h goodwill",
            Verb::Adjust { minutes: d(120) },
            vec![],
            vec![],
            "goodwill",
        ),
        (
            "2026-03-01 adjust acme +0 \"\"",
            Verb::Adjust { minutes: d(0) },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-03-01 plan acme none",
            Verb::Plan { plan: None },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-03-01 plan acme concierge",
            Verb::Plan {
                plan: Some("concierge".into()),
            },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-03-01 bill acme ref:INV-2001 March overage",
            Verb::Bill,
            vec![],
            vec![meta(MetaKey::Ref, "INV-2001")],
            "March overage",
        ),
        (
            "2026-03-01 assert acme -30m",
            Verb::Assert { minutes: d(-30) },
            vec![],
            vec![],
            "",
        ),
        (
            "2026-03-01 assert acme 0",
            Verb::Assert { minutes: d(0) },
            vec![],
            vec![],
            "",
        ),
    ];
    for (line, verb, tags, meta, description) in cases {
        let e = one(line);
        assert_eq!(e.client, "acme", "{line}");
        assert_eq!(e.verb, verb, "{line}");
        assert_eq!(e.tags, tags, "{line}");
        assert_eq!(e.meta, meta, "{line}");
        assert_eq!(e.description, description, "{line}");
    }
}

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
                [Item::Entry(e)] => assert_eq!(e.canon, canon, "{line:?}"),
                other => panic!("{line:?}: {other:?}"),
            }
        }
    }
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
