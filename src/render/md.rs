//! Markdown output (`--format md`): GitHub-flavoured tables, to paste into an email, a wiki or
//! a pull request. Every user string is escaped, so a description cannot add markup.

use super::words;
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

/// `credits statement --format md`: the same document as the text form.
#[must_use]
pub fn statement(s: &Statement) -> String {
    let mut out = String::new();
    out.push_str("# Statement\n");
    out.push('\n');
    // Issuer lines end with two spaces: a Markdown line break inside one paragraph.
    let mut from: Vec<String> = words::issuer(s).iter().map(|l| escape(l)).collect();
    if let Some(first) = from.first_mut() {
        *first = format!("**{first}**");
    }
    if let Some(email) = &s.issuer_email {
        from.push(escape(email));
    }
    let _ = writeln!(out, "{}", from.join("  \n"));
    out.push('\n');
    let mut to = vec![format!("For: **{}**", escape(&s.name))];
    if let Some(email) = &s.email {
        to.push(escape(email));
    }
    if let Some(plan) = &s.plan_title {
        to.push(format!("Plan: {}", escape(plan)));
    }
    to.push(format!("Period: {}", words::period(s)));
    to.push(format!("Issued: {}", s.issued));
    let _ = writeln!(out, "{}", to.join("  \n"));
    out.push('\n');
    let header: Vec<String> = words::HEADER.iter().map(|h| (*h).to_string()).collect();
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
            "Opening balance".into(),
            String::new(),
            String::new(),
            String::new(),
            super::hmm(s.opening),
            String::new(),
        ],
    );
    let mut any = false;
    for l in s.lines.iter().filter(|l| words::shown(l.kind)) {
        any = true;
        let [logged, debited, added, balance, amount] = words::cells(s, l);
        row(
            &mut out,
            &[
                l.date.to_string(),
                words::kind(l.kind).to_string(),
                escape(&words::describe(s, l)),
                logged,
                escape(&debited),
                added,
                balance,
                amount,
            ],
        );
    }
    if !any {
        out.push_str("\nNo activity in this period.\n");
    }
    out.push_str("\n## Summary\n\n| | |\n|---|---:|\n");
    for (k, v) in words::rows(s) {
        row(&mut out, &[k.to_string(), escape(&v)]);
    }
    if let Some(note) = words::footnote(s) {
        let _ = writeln!(out, "\n{}", escape(&note));
    }
    let expiring = words::expiring(s);
    if !expiring.is_empty() {
        let _ = writeln!(out, "\n## {}\n", words::expiring_heading(s));
        for e in expiring {
            let _ = writeln!(out, "- {}", escape(&e));
        }
    }
    let quotes = words::quotes(s);
    if !quotes.is_empty() {
        out.push_str("\n## Open quotes\n\n");
        for q in quotes {
            let _ = writeln!(out, "- {}", escape(&q));
        }
    }
    if !s.footer.is_empty() {
        out.push_str("\n---\n\n");
        let footer: Vec<String> = s.footer.iter().map(|l| escape(l)).collect();
        let _ = writeln!(out, "{}", footer.join("  \n"));
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
