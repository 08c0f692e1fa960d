//! CSV lines (RFC 4180): a field with a comma, a quote or a line break is quoted, and its
//! quotes doubled. Lines end with `\n`.
//!
//! Formula injection is neutralised by column, never by what a cell looks like: a cell of a
//! free-text column (description, name, ref, client, tags: [`Cell::Text`]) that starts with
//! `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so that a spreadsheet
//! shows it instead of running it, even when it reads as a number (`-30` typed as a
//! description); a number column ([`Cell::Value`]) is never touched, so `-30` minutes stays a
//! number.

use std::borrow::Cow;

/// One cell of a CSV line: the kind of its column decides whether it is neutralised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell<'a> {
    /// Free text from the book or a journal: description, name, ref, client, tags.
    Text(&'a str),
    /// What credits writes itself: a number, a date, a kind, a currency code, a header.
    Value(&'a str),
}

/// The text of `cell` as a spreadsheet may read it: a [`Cell::Text`] that starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return, with a leading `'`.
#[must_use]
pub fn neutral(cell: Cell<'_>) -> Cow<'_, str> {
    match cell {
        Cell::Text(t) if t.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
            Cow::Owned(format!("'{t}"))
        }
        Cell::Text(t) | Cell::Value(t) => Cow::Borrowed(t),
    }
}

/// `cell` neutralised, then quoted when it holds a comma, a quote or a line break.
#[must_use]
pub fn field(cell: Cell<'_>) -> String {
    let mut out = String::new();
    push_field(&mut out, cell);
    out
}

/// [`field`], written at the end of `out`.
fn push_field(out: &mut String, cell: Cell<'_>) {
    let f = neutral(cell);
    if f.contains([',', '"', '\n', '\r']) {
        out.push('"');
        for (k, piece) in f.split('"').enumerate() {
            if k > 0 {
                out.push_str("\"\"");
            }
            out.push_str(piece);
        }
        out.push('"');
    } else {
        out.push_str(&f);
    }
}

/// One CSV line from `cells`, ended with `\n`.
#[must_use]
pub fn line(cells: &[Cell<'_>]) -> String {
    let mut out = String::new();
    push_line(&mut out, cells);
    out
}

/// [`line()`], written at the end of `out`.
pub fn push_line(out: &mut String, cells: &[Cell<'_>]) {
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, *c);
    }
    out.push('\n');
}

/// A header line: every name as a [`Cell::Value`].
#[must_use]
pub fn header(names: &[&str]) -> String {
    let cells: Vec<Cell<'_>> = names.iter().map(|n| Cell::Value(n)).collect();
    line(&cells)
}

#[cfg(test)]
mod tests {
    use super::Cell::{Text, Value};
    use super::*;

    #[test]
    fn fields_with_commas_quotes_or_newlines_are_quoted() {
        assert_eq!(line(&[Text("a"), Text("b c"), Value("")]), "a,b c,\n");
        assert_eq!(
            line(&[Text("x,y"), Text("say \"hi\""), Text("two\nlines")]),
            "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
        );
    }

    #[test]
    fn free_text_is_neutralised_by_column_and_numbers_never() {
        assert_eq!(
            field(Text("=HYPERLINK(\"x\")")),
            "\"'=HYPERLINK(\"\"x\"\")\""
        );
        assert_eq!(field(Text("+1 call")), "'+1 call");
        assert_eq!(field(Text("@SUM(A1)")), "'@SUM(A1)");
        assert_eq!(field(Text("\tx")), "'\tx");
        assert_eq!(field(Text("\rx")), "\"'\rx\"");
        // Free text that reads as a number is still neutralised: it is not a number column.
        assert_eq!(field(Text("-30")), "'-30");
        assert_eq!(field(Text("+1e3")), "'+1e3");
        assert_eq!(field(Text("plain")), "plain");
        // Numbers are never touched.
        assert_eq!(field(Value("-30")), "-30");
        assert_eq!(field(Value("-12.50")), "-12.50");
    }
}
