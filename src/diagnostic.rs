//! Problems found in a book, as plain data, and their one rendering.
//!
//! Imports only `source`. Every layer returns `Diagnostic`s; only `cli` prints them.

use crate::source::{SourceMap, Span};
use std::fmt::Write as _;

/// How bad a problem is. Warnings never change the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The book is wrong: `check` fails, writing commands refuse.
    Error,
    /// Worth a look; changes nothing.
    Warning,
}

/// One problem, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Lowercase, no final period; names in backticks.
    pub message: String,
    /// The bytes at fault, when a line is at fault.
    pub span: Option<Span>,
    /// At most one suggestion that tells how to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    #[must_use]
    pub fn error(span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: Some(span),
            help: None,
        }
    }

    /// An error that no line is at fault for.
    #[must_use]
    pub fn bare(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: None,
            help: None,
        }
    }

    /// The same diagnostic with a `help` line.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// True for errors.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sort diagnostics by (file, offset), spanless ones last, keeping ties in order.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by_key(|d| d.span.map_or((u32::MAX, u32::MAX), |s| (s.file.0, s.start)));
}

/// `text` with every character that would move the cursor, hide text or turn it around on a
/// terminal (control characters but tab, line and paragraph separators, bidirectional
/// controls) shown as `U+FFFD`, one for one, so that the caret stays under its character.
fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if text.chars().any(hidden) {
        text.chars()
            .map(|c| if hidden(c) { '\u{fffd}' } else { c })
            .collect()
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Render as `file:line:col: message`, the line, a caret under the fault, then `= help: …`.
#[must_use]
pub fn render(d: &Diagnostic, sources: &SourceMap, color: bool) -> String {
    let (red, bold, blue, reset) = if color {
        ("\x1b[1;31m", "\x1b[1m", "\x1b[1;34m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    let label = match d.severity {
        Severity::Error => "",
        Severity::Warning => "warning: ",
    };
    let mut out = String::new();
    let Some(span) = d.span else {
        let label = if label.is_empty() { "error: " } else { label };
        let _ = writeln!(out, "{red}{label}{reset}{bold}{}{reset}", d.message);
        if let Some(h) = &d.help {
            let _ = writeln!(out, "  = help: {h}");
        }
        return out;
    };
    let file = sources.file(span.file);
    let (line, col) = file.line_col(span.start);
    let _ = writeln!(
        out,
        "{bold}{}:{line}:{col}:{reset} {red}{label}{reset}{bold}{}{reset}",
        file.name, d.message
    );
    let text = file.line_text(line);
    let num = line.to_string();
    let pad = " ".repeat(num.len());
    let _ = writeln!(out, "{blue}{num} |{reset} {}", visible(text));
    let (_, end_col) = file.line_col(span.end.max(span.start));
    let (end_line, _) = file.line_col(span.end.max(span.start));
    let width = if end_line == line && end_col > col {
        end_col - col
    } else {
        (text.chars().count() + 1).saturating_sub(col).max(1)
    };
    let _ = writeln!(
        out,
        "{blue}{pad} |{reset} {}{red}{}{reset}",
        " ".repeat(col - 1),
        "^".repeat(width)
    );
    if let Some(h) = &d.help {
        let _ = writeln!(out, "{blue}{pad} ={reset} help: {h}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_house_format_with_caret_and_help() {
        let mut map = SourceMap::default();
        let text = "; head\n2026-01-06 log acme 15 Fixed header alignment\r\n";
        let id = map.add("journal.credits".into(), text.into());
        let start = text.find("15 ").unwrap();
        let d = Diagnostic::error(
            Span::new(id, start, start + 2),
            "`15` is a number of credits, but `log` takes a duration",
        )
        .with_help("write `15m` for fifteen minutes");
        assert_eq!(
            render(&d, &map, false),
            "journal.credits:2:21: `15` is a number of credits, but `log` takes a duration\n\
             2 | 2026-01-06 log acme 15 Fixed header alignment\n  |                     ^^\n  \
             = help: write `15m` for fifteen minutes\n"
        );
    }
}
