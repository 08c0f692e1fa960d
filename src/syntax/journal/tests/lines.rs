//! Whole lines and files: suggested fixes, bad lines beside good ones, comments, BOM, CRLF, includes and spans.

use super::*;

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
