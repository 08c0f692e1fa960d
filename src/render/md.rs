//! Markdown output (`--format md`): GitHub-flavoured tables, to paste into an email, a wiki or
//! a pull request. Every user string is escaped, so a description cannot add markup.

use super::summary;
use crate::report::Statement;
use std::fmt::Write as _;

/// `text` with the characters Markdown (or inline HTML) would read as markup escaped by a
/// backslash, and line breaks folded into spaces, so that it stays inside one table cell.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '&' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn row(out: &mut String, cells: &[String]) {
    out.push('|');
    for c in cells {
        let _ = write!(out, " {c} |");
    }
    out.push('\n');
}

/// `credits statement --format md`.
#[must_use]
pub fn statement(s: &Statement) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}", escape(&summary::title(s)));
    out.push('\n');
    let _ = writeln!(out, "**{}** · {}", escape(&s.book), summary::period(s));
    out.push('\n');
    let header: Vec<String> = summary::HEADER.iter().map(|h| (*h).to_string()).collect();
    row(&mut out, &header);
    let align: Vec<String> = (0..header.len())
        .map(|i| if i >= 3 { "---:" } else { "---" }.to_string())
        .collect();
    row(&mut out, &align);
    row(
        &mut out,
        &[
            s.from.to_string(),
            String::new(),
            "opening balance".into(),
            String::new(),
            String::new(),
            String::new(),
            super::hmm(s.opening),
            String::new(),
        ],
    );
    for l in &s.lines {
        let [logged, debited, added, balance, amount] = summary::cells(s, l);
        row(
            &mut out,
            &[
                l.date.to_string(),
                l.kind.word().to_string(),
                escape(&l.description),
                logged,
                debited,
                added,
                balance,
                amount,
            ],
        );
    }
    if s.lines.is_empty() {
        out.push_str("\nNo activity in this period.\n");
    }
    out.push_str("\n## Summary\n\n| | |\n|---|---:|\n");
    for (k, v) in summary::rows(s) {
        row(&mut out, &[k.to_string(), escape(&v)]);
    }
    let expiring = summary::expiring(s);
    if !expiring.is_empty() {
        let _ = writeln!(out, "\n## {}\n", summary::expiring_heading(s));
        for e in expiring {
            let _ = writeln!(out, "- {}", escape(&e));
        }
    }
    let quotes = summary::quotes(s);
    if !quotes.is_empty() {
        out.push_str("\n## Open quotes\n\n");
        for q in quotes {
            let _ = writeln!(out, "- {}", escape(&q));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_a_description_is_escaped_and_stays_in_its_cell() {
        assert_eq!(
            escape("<script>a|b</script> *x* [l](u)"),
            "\\<script\\>a\\|b\\</script\\> \\*x\\* \\[l\\](u)"
        );
        assert_eq!(escape("two\nlines"), "two lines");
    }
}
