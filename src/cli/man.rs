//! The manual pages of `credits man`: `credits.1`, one `credits-COMMAND.1` per command (from
//! the clap definitions, so they cannot drift from the commands), and `credits-journal.5` and
//! `credits-book.5` (from `docs/journal.md` and `docs/book.md`, the one source of that text).
//! The FILES, ENVIRONMENT and EXIT STATUS sections come from `docs/environment.md`.
//!
//! Building the pages is pure (text in, text out); writing them is `shell.rs`'s.

use super::Cli;
use clap::CommandFactory;
use std::fmt::Write as _;

const JOURNAL_MD: &str = include_str!("../../docs/journal.md");
const BOOK_MD: &str = include_str!("../../docs/book.md");
const ENVIRONMENT_MD: &str = include_str!("../../docs/environment.md");

/// One manual page: its file name (`credits-log.1`) and its roff text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The file name, `NAME.SECTION`.
    pub file: String,
    /// The page, in roff (man macros).
    pub text: String,
}

/// Every page `credits man --out DIR` writes, `credits.1` first.
///
/// # Errors
///
/// Only when `clap_mangen` cannot write to memory, which does not happen.
pub fn pages() -> std::io::Result<Vec<Page>> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let commands: Vec<clap::Command> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .cloned()
        .collect();
    let mut see_also: Vec<String> = commands
        .iter()
        .map(|c| format!("credits-{}(1)", c.get_name()))
        .collect();
    see_also.push("credits-journal(5)".to_string());
    see_also.push("credits-book(5)".to_string());

    let mut pages = vec![Page {
        file: "credits.1".to_string(),
        text: command_page(&cmd, &see_also)?,
    }];
    for sub in commands {
        let name = format!("credits-{}", sub.get_name());
        let text = command_page(&sub, &["credits(1)".to_string()])?;
        pages.push(Page {
            file: format!("{name}.1"),
            text,
        });
    }
    let formats = ["credits(1)".to_string(), "credits-book(5)".to_string()];
    pages.push(Page {
        file: "credits-journal.5".to_string(),
        text: format_page(
            "credits-journal",
            "the journal format of credits (*.credits)",
            JOURNAL_MD,
            &formats,
        ),
    });
    let formats = ["credits(1)".to_string(), "credits-journal(5)".to_string()];
    pages.push(Page {
        file: "credits-book.5".to_string(),
        text: format_page(
            "credits-book",
            "the book of credits (credits.toml)",
            BOOK_MD,
            &formats,
        ),
    });
    Ok(pages)
}

/// A command's page: `clap_mangen`'s sections, then FILES, ENVIRONMENT, EXIT STATUS, SEE ALSO.
fn command_page(cmd: &clap::Command, see_also: &[String]) -> std::io::Result<String> {
    let man = clap_mangen::Man::new(cmd.clone())
        .manual("credits manual")
        .source(format!("credits {}", env!("CARGO_PKG_VERSION")));
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out)?;
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        man.render_subcommands_section(&mut out)?;
    }
    // clap_mangen passes characters outside ASCII through, which troff may not read.
    // Each section comes with roff's two-line preamble: keep the first.
    let rendered = String::from_utf8_lossy(&out);
    let preamble = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let rendered = match rendered.split_once(preamble) {
        Some((before, after)) => format!("{before}{preamble}{}", after.replace(preamble, "")),
        None => rendered.into_owned(),
    };
    let mut text = String::new();
    for c in rendered.chars() {
        if c.is_ascii() {
            text.push(c);
        } else {
            let _ = write!(text, "\\[u{:04X}]", u32::from(c));
        }
    }
    text.push_str(&markdown(ENVIRONMENT_MD, 2));
    see_also_section(&mut text, see_also);
    Ok(text)
}

/// A file format's page (section 5) from its docs page.
fn format_page(name: &str, what: &str, md: &str, see_also: &[String]) -> String {
    let mut text = format!(
        ".TH {} 5 \"\" \"credits {}\" \"credits manual\"\n.SH NAME\n{} \\- {}\n.SH DESCRIPTION\n",
        name.to_uppercase(),
        env!("CARGO_PKG_VERSION"),
        escape(name),
        escape(what)
    );
    text.push_str(&markdown(md, 1));
    see_also_section(&mut text, see_also);
    text
}

fn see_also_section(text: &mut String, pages: &[String]) {
    let refs: Vec<String> = pages
        .iter()
        .map(|p| {
            let (name, section) = p.split_once('(').unwrap_or((p, ")"));
            format!("\\fB{}\\fR({section}", escape(name))
        })
        .collect();
    let _ = writeln!(text, ".SH \"SEE ALSO\"\n{}", refs.join(", "));
}

/// Markdown (the subset `docs/` uses) as man macros. Headings of `level` (`##` for 2) become
/// sections (`.SH`, upper case), deeper ones subsections (so with `level` 1, every heading is
/// a subsection); the page's `#` title is left out.
/// Paragraphs, `*` and `1.` lists (one level of nesting), fenced code, definition lists
/// (`term` then `: text`) and tables (one tagged paragraph per row) are kept.
#[must_use]
pub fn markdown(md: &str, level: usize) -> String {
    let mut out = String::new();
    let mut lines = md.lines().peekable();
    let mut nested = false;
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(fence) = trimmed.strip_prefix("```") {
            let _ = fence;
            close_nested(&mut out, &mut nested);
            out.push_str(".PP\n.RS 4\n.nf\n");
            for code in lines.by_ref() {
                if code.trim_start().starts_with("```") {
                    break;
                }
                out.push_str(&line_start(&escape(code)));
                out.push('\n');
            }
            out.push_str(".fi\n.RE\n");
            continue;
        }
        if trimmed.starts_with('#') {
            close_nested(&mut out, &mut nested);
            let hashes = trimmed.chars().take_while(|c| *c == '#').count();
            let title = inline(trimmed[hashes..].trim());
            if hashes == 1 || hashes < level {
                continue;
            }
            if hashes == level {
                let _ = writeln!(
                    out,
                    ".SH \"{}\"",
                    title.to_uppercase().replace('"', "\\(dq")
                );
            } else {
                let _ = writeln!(out, ".SS \"{}\"", title.replace('"', "\\(dq"));
            }
            continue;
        }
        if trimmed.starts_with('|') {
            close_nested(&mut out, &mut nested);
            let header = cells(trimmed);
            // The separator row.
            if lines
                .peek()
                .is_some_and(|l| l.trim_start().starts_with("|-"))
            {
                lines.next();
            }
            while let Some(row) = lines.next_if(|l| l.trim_start().starts_with('|')) {
                let row = cells(row.trim_start());
                out.push_str(".TP 8\n");
                let _ = writeln!(
                    out,
                    "{}",
                    line_start(&inline(row.first().map_or("", String::as_str)))
                );
                let last = row.len().saturating_sub(1);
                for (i, cell) in row.iter().enumerate().skip(1) {
                    let head = header.get(i).map_or("", String::as_str);
                    let text = if i == last || head.is_empty() || head == "meaning" {
                        inline(cell)
                    } else {
                        format!("{}: {}", inline(head), inline(cell))
                    };
                    let _ = writeln!(out, "{}", line_start(&text));
                    if i != last {
                        out.push_str(".br\n");
                    }
                }
            }
            continue;
        }
        let (item, rest) = list_item(trimmed);
        let mut text = vec![inline(rest)];
        // The lines that continue this paragraph or item.
        while let Some(next) = lines.next_if(|l| {
            let t = l.trim_start();
            !t.is_empty()
                && list_item(t).0.is_none()
                && !t.starts_with('#')
                && !t.starts_with('|')
                && !t.starts_with("```")
                && !t.starts_with(": ")
        }) {
            text.push(inline(next.trim()));
        }
        let definition = lines
            .peek()
            .is_some_and(|l| l.trim_start().starts_with(": "));
        if definition {
            close_nested(&mut out, &mut nested);
            // `term` then `: text` (and its indented lines): a tagged paragraph.
            out.push_str(".TP 8\n");
            let _ = writeln!(out, "{}", line_start(&text.join(" ")));
            let first = lines.next().unwrap_or_default().trim_start();
            let mut body = vec![inline(first.trim_start_matches(": ").trim())];
            while let Some(next) = lines.next_if(|l| l.starts_with("  ") && !l.trim().is_empty()) {
                body.push(inline(next.trim()));
            }
            for b in body {
                let _ = writeln!(out, "{}", line_start(&b));
            }
            continue;
        }
        match item {
            Some(mark) => {
                if indent >= 2 && !nested {
                    out.push_str(".RS 2\n");
                    nested = true;
                } else if indent < 2 {
                    close_nested(&mut out, &mut nested);
                }
                let width = if mark == "\\(bu" { 2 } else { 4 };
                let _ = writeln!(out, ".IP {mark} {width}");
            }
            None if indent >= 2 => {
                close_nested(&mut out, &mut nested);
                out.push_str(".IP \"\" 2\n");
            }
            None => {
                close_nested(&mut out, &mut nested);
                out.push_str(".PP\n");
            }
        }
        for t in text {
            let _ = writeln!(out, "{}", line_start(&t));
        }
    }
    close_nested(&mut out, &mut nested);
    out
}

fn close_nested(out: &mut String, nested: &mut bool) {
    if *nested {
        out.push_str(".RE\n");
        *nested = false;
    }
}

/// The mark of a list item (`\(bu` for `*` or `-`, `1.` for a numbered one) and its text.
fn list_item(line: &str) -> (Option<String>, &str) {
    if let Some(rest) = line.strip_prefix("* ").or_else(|| line.strip_prefix("- ")) {
        return (Some("\\(bu".to_string()), rest);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0
        && let Some(rest) = line[digits..].strip_prefix(". ")
    {
        return (Some(line[..=digits].to_string()), rest);
    }
    (None, line)
}

/// The cells of a table row `| a | b \| c |`, trimmed (`\|` is a `|` inside a cell).
fn cells(row: &str) -> Vec<String> {
    let row = row.trim().trim_start_matches('|').trim_end_matches('|');
    let mut cells = vec![String::new()];
    let mut chars = row.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                if let Some(cell) = cells.last_mut() {
                    cell.push('|');
                }
            }
            '|' => cells.push(String::new()),
            c => {
                if let Some(cell) = cells.last_mut() {
                    cell.push(c);
                }
            }
        }
    }
    cells.into_iter().map(|c| c.trim().to_string()).collect()
}

/// Text as roff: backslashes, hyphens and characters outside ASCII escaped.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\e"),
            '-' => out.push_str("\\-"),
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => {
                let _ = write!(out, "\\[u{:04X}]", u32::from(c));
            }
        }
    }
    out
}

/// Markdown inline text as roff: `code` and **strong** in bold, links as their text.
fn inline(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('`')
            && let Some(end) = after.find('`')
        {
            let _ = write!(out, "\\fB{}\\fR", escape(&after[..end]));
            rest = &after[end + 1..];
            continue;
        }
        if let Some(after) = rest.strip_prefix("**")
            && let Some(end) = after.find("**")
        {
            let _ = write!(out, "\\fB{}\\fR", inline(&after[..end]));
            rest = &after[end + 2..];
            continue;
        }
        if let Some(after) = rest.strip_prefix('[')
            && let Some((label, tail)) = after.split_once("](")
            && let Some(close) = tail.find(')')
            && !label.contains('[')
        {
            out.push_str(&inline(label));
            rest = &tail[close + 1..];
            continue;
        }
        let next = rest[1..]
            .find(['`', '*', '['])
            .map_or(rest.len(), |i| i + 1);
        out.push_str(&escape(&rest[..next]));
        rest = &rest[next..];
    }
    out
}

/// A text line that roff would take for a request (it starts with `.` or `'`) made plain.
fn line_start(line: &str) -> String {
    if line.starts_with('.') || line.starts_with('\'') {
        format!("\\&{line}")
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_page_and_the_formats_have_theirs() {
        let pages = pages().expect("pages");
        let files: Vec<&str> = pages.iter().map(|p| p.file.as_str()).collect();
        for f in [
            "credits.1",
            "credits-log.1",
            "credits-approve.1",
            "credits-balance.1",
            "credits-journal.5",
            "credits-book.5",
        ] {
            assert!(files.contains(&f), "{f} in {files:?}");
        }
        assert!(!files.iter().any(|f| f.contains("help")), "{files:?}");
    }

    #[test]
    fn see_also_names_only_pages_that_exist() {
        let pages = pages().expect("pages");
        let files: Vec<String> = pages.iter().map(|p| p.file.clone()).collect();
        for page in &pages {
            for section in ["FILES", "ENVIRONMENT", "EXIT STATUS", "SEE ALSO"] {
                if page.file.ends_with(".5") && section != "SEE ALSO" {
                    continue;
                }
                assert!(
                    page.text.contains(&format!(".SH \"{section}\"")),
                    "{} lacks {section}",
                    page.file
                );
            }
            // Every `name(N)` the page names, in SEE ALSO or in its list of commands.
            let plain = page
                .text
                .replace("\\fB", "")
                .replace("\\fR", "")
                .replace("\\-", "-");
            for (i, _) in plain.match_indices("credits") {
                let tail = &plain[i..];
                let name: String = tail
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                let section = tail[name.len()..]
                    .strip_prefix('(')
                    .and_then(|a| a.chars().next())
                    .filter(char::is_ascii_digit);
                if let Some(section) = section {
                    let file = format!("{name}.{section}");
                    assert!(files.contains(&file), "{} names {file}", page.file);
                }
            }
        }
    }

    #[test]
    fn markdown_becomes_man_macros() {
        let md = "# Title\n\nA `code` and **strong** [link](#x) - dash.\n\n## Keys\n\n| key | default | meaning |\n|---|---|---|\n| `a` | `1` | the a \\| b |\n\n* one\n  more\n  * nested\n\n```\n.dot \\ line\n```\n\n`TERM`\n: its text\n  goes on\n";
        let roff = markdown(md, 2);
        assert_eq!(
            roff,
            "\
.PP
A \\fBcode\\fR and \\fBstrong\\fR link \\- dash.
.SH \"KEYS\"
.TP 8
\\fBa\\fR
default: \\fB1\\fR
.br
the a | b
.IP \\(bu 2
one
more
.RS 2
.IP \\(bu 2
nested
.RE
.PP
.RS 4
.nf
\\&.dot \\e line
.fi
.RE
.TP 8
\\fBTERM\\fR
its text
goes on
"
        );
    }

    #[test]
    fn characters_outside_ascii_are_escaped() {
        assert_eq!(escape("10 − 1 ¥"), "10 \\[u2212] 1 \\[u00A5]");
    }
}
