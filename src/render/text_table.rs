//! The text tables of every report: columns two spaces apart, a rule of dashes under the
//! header, no borders, trailing blanks cut.
//!
//! A [`TextTable`] holds its cells in one string. When it is finished it is laid out one of
//! two ways, with the same bytes:
//! - a table fitted to a width (a terminal's) or in colour is laid out by comfy-table, which
//!   wraps cells and styles them;
//! - a plain one (no width, no colour, no cell of more than one line: any piped output) is
//!   laid out here, each column as wide as its widest cell, each line written once. A report of
//!   a million rows then holds its cells once, not comfy-table's cells, lines and layout.
//!
//! A property test lays out plain tables both ways and requires the same text.

use super::text::Layout;
use comfy_table::{
    Attribute, Cell, CellAlignment, ColumnConstraint, ContentArrangement, LineStyle, Table,
    TableStyle, Width,
};
use unicode_width::UnicodeWidthStr as _;

/// Columns two spaces apart, a rule of dashes under the header, no borders.
const STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('-').junction(' '));

/// A table of text: its header, the columns aligned right, its layout and its rows.
#[derive(Debug)]
pub(crate) struct TextTable {
    header: Vec<String>,
    /// Per column: aligned right.
    right: Vec<bool>,
    layout: Layout,
    /// Every cell's text, row after row.
    text: String,
    /// Where each cell ends in `text`.
    ends: Vec<usize>,
    /// Where each row's cells end in `ends`.
    rows: Vec<usize>,
}

/// A table with `header`, the columns in `right` aligned right, fitted to `layout`'s width.
pub(crate) fn table(header: &[&str], right: &[usize], layout: impl Into<Layout>) -> TextTable {
    TextTable {
        header: header.iter().map(|h| (*h).to_string()).collect(),
        right: (0..header.len()).map(|i| right.contains(&i)).collect(),
        layout: layout.into(),
        text: String::new(),
        ends: Vec::new(),
        rows: Vec::new(),
    }
}

impl TextTable {
    /// Add a row of cells.
    pub(crate) fn add_row(&mut self, cells: Vec<String>) {
        for c in cells {
            self.text.push_str(&c);
            self.ends.push(self.text.len());
        }
        self.rows.push(self.ends.len());
    }

    /// The cells of row `r`.
    fn row(&self, r: usize) -> impl Iterator<Item = &str> {
        let first = if r == 0 { 0 } else { self.rows[r - 1] };
        (first..self.rows[r]).map(|i| {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            &self.text[start..self.ends[i]]
        })
    }

    /// The table's lines, without trailing blanks, each ending with a newline.
    pub(crate) fn finish(&self) -> String {
        if self.layout.width.is_none()
            && !self.layout.color
            && let Some(widths) = self.plain_widths()
        {
            return self.laid_out(&widths);
        }
        finish(&self.comfy())
    }

    /// Each column's width when the table is plain (every row as long as the header, every
    /// cell one line), as comfy-table measures it: the widest cell, at least 1.
    fn plain_widths(&self) -> Option<Vec<usize>> {
        let header: Vec<&str> = self.header.iter().map(String::as_str).collect();
        let mut widths = Some(plain_widths(&header));
        // A header of more than one line is not plain either.
        measure(&mut widths, &header);
        for r in 0..self.rows.len() {
            let cells: Vec<&str> = self.row(r).collect();
            measure(&mut widths, &cells);
        }
        widths
    }

    /// The plain table laid out to `widths`.
    fn laid_out(&self, widths: &[usize]) -> String {
        let line_width = widths.iter().map(|w| w + 2).sum::<usize>();
        let mut out = String::with_capacity((self.rows.len() + 2) * line_width);
        let header: Vec<&str> = self.header.iter().map(String::as_str).collect();
        plain_head(widths, &self.right, &header, &mut out);
        for r in 0..self.rows.len() {
            plain_line(widths, &self.right, self.row(r), &mut out);
        }
        out
    }

    /// The same table as comfy-table's, to fit a width or to style.
    fn comfy(&self) -> Table {
        let Layout { color, width } = self.layout;
        let mut t = Table::new();
        t.load_style(STYLE);
        match width {
            Some(w) => t
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(w),
            None => t.set_content_arrangement(ContentArrangement::Disabled),
        };
        if color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        let cells = self.header.iter().map(|h| {
            let c = Cell::new(h);
            if color {
                c.add_attribute(Attribute::Bold)
            } else {
                c
            }
        });
        t.set_header(cells.collect::<Vec<_>>());
        let last = self.header.len().saturating_sub(1);
        for (i, col) in t.column_iter_mut().enumerate() {
            // Fitted to a width, the last column has no padding to pass the edge with.
            col.set_padding((0, u16::from(width.is_none() || i != last)));
            if self.right.get(i).copied().unwrap_or(false) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        for r in 0..self.rows.len() {
            t.add_row(self.row(r).collect::<Vec<_>>());
        }
        t
    }
}

/// The widths of a plain table's columns with only its `header` (of one line each): each
/// header's, at least 1. [`measure`] widens them to each row's cells.
pub(crate) fn plain_widths(header: &[&str]) -> Vec<usize> {
    header.iter().map(|h| h.width().max(1)).collect()
}

/// Widen `widths` to the `cells` of a row, as comfy-table measures them; `None` once the
/// table cannot be laid out plainly (a row not as long as the header, a cell of more than one
/// line or too wide for comfy-table's counts).
pub(crate) fn measure(widths: &mut Option<Vec<usize>>, cells: &[&str]) {
    let Some(w) = widths else { return };
    if cells.len() != w.len() {
        *widths = None;
        return;
    }
    for (c, cell) in cells.iter().enumerate() {
        let n = cell.width();
        // comfy-table counts widths in `u16`.
        if cell.contains('\n') || n >= usize::from(u16::MAX) {
            *widths = None;
            return;
        }
        w[c] = w[c].max(n);
    }
}

/// The header of a plain table laid out to `widths` (columns `right` aligned right), and the
/// rule under it, at the end of `out`.
pub(crate) fn plain_head(widths: &[usize], right: &[bool], header: &[&str], out: &mut String) {
    plain_line(widths, right, header.iter().copied(), out);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(w + 1)).collect();
    out.push_str(rule.join(" ").trim_end());
    out.push('\n');
}

/// One line of a plain table laid out to `widths`, at the end of `out`: each cell padded to its
/// column's width (on the left in a column aligned right) and followed by one space of
/// padding, the columns one space apart, trailing blanks cut.
pub(crate) fn plain_line<'c>(
    widths: &[usize],
    right: &[bool],
    cells: impl Iterator<Item = &'c str>,
    out: &mut String,
) {
    let start = out.len();
    for (c, cell) in cells.enumerate() {
        if c > 0 {
            out.push(' ');
        }
        // Never short of the cell (a table measured on other cells: the journal changed
        // between a reading that measured it and the one that prints it).
        let pad = widths[c].saturating_sub(cell.width());
        if right[c] {
            spaces(out, pad);
            out.push_str(cell);
        } else {
            out.push_str(cell);
            spaces(out, pad);
        }
        out.push(' ');
    }
    let kept = start + out[start..].trim_end().len();
    out.truncate(kept);
    out.push('\n');
}

fn spaces(s: &mut String, n: usize) {
    s.extend(std::iter::repeat_n(' ', n));
}

/// Two columns of names and values, two spaces apart, without a header.
pub(crate) fn key_values<K: ToString, V: ToString>(
    rows: impl IntoIterator<Item = (K, V)>,
) -> String {
    let mut kv = Table::new();
    kv.load_style(TableStyle::new())
        .set_content_arrangement(ContentArrangement::Disabled);
    kv.force_no_tty();
    for (k, v) in rows {
        kv.add_row(vec![k.to_string(), v.to_string()]);
    }
    for col in kv.column_iter_mut() {
        col.set_padding((0, 2));
    }
    finish(&kv)
}

/// A comfy-table's lines, without trailing blanks, ending with a newline.
fn finish(t: &Table) -> String {
    let mut fitted;
    let t = if t.width().is_some()
        && !matches!(t.content_arrangement(), ContentArrangement::Disabled)
    {
        fitted = t.clone();
        fit(&mut fitted);
        &fitted
    } else {
        t
    };
    let mut s = t.trim_fmt();
    s.push('\n');
    s
}

/// Set each column's narrowest width for fitting the table to its width, keeping as much
/// whole as fits, in this order of giving way: a header word breaks first, then an amount
/// wraps at its space (`2700.00` over `AUD`), then a word of text breaks. Until then, text
/// wraps at spaces, and a column of figures, dates or amounts (every cell starts with a digit
/// or a sign) keeps its cells whole.
fn fit(t: &mut Table) {
    let Some(width) = t.width() else {
        return;
    };
    let count = t.column_count();
    let chars = |s: &str| u16::try_from(s.chars().count()).unwrap_or(u16::MAX);
    let longest_word = |s: &str| s.split_whitespace().map(chars).max().unwrap_or(0);
    let longest_line = |s: &str| s.lines().map(chars).max().unwrap_or(0);
    // Per column: figures or not, its longest cell, its longest word, its header's longest word.
    let mut columns = Vec::with_capacity(count);
    for i in 0..count {
        let cells: Vec<String> = t
            .column_cells_iter(i)
            .flatten()
            .map(Cell::content)
            .collect();
        let figures = cells.iter().all(|c| {
            c.is_empty()
                || c.starts_with(|ch: char| {
                    ch.is_ascii_digit() || matches!(ch, '-' | '+' | '$' | '€' | '£' | '¥' | '−')
                })
        });
        let whole = cells.iter().map(|c| longest_line(c)).max().unwrap_or(0);
        let word = cells.iter().map(|c| longest_word(c)).max().unwrap_or(0);
        let head = t
            .header()
            .and_then(|r| r.cell_iter().nth(i))
            .map_or(0, |c| longest_word(&c.content()));
        columns.push((figures, whole, word, head));
    }
    // Each column but the last takes its padding, and one space stands between two columns.
    let spacing = u16::try_from(count.saturating_sub(1) * 2).unwrap_or(u16::MAX);
    let total = |lower: &[u16]| lower.iter().fold(spacing, |a: u16, w| a.saturating_add(*w));
    let mut lower = Vec::new();
    for tier in 0..4 {
        lower = columns.iter().map(|c| narrowest(*c, tier)).collect();
        if total(&lower) <= width {
            break;
        }
    }
    // Room left over keeps whole the header words that need the least of it.
    let mut spare = width.saturating_sub(total(&lower));
    let mut short: Vec<(u16, usize)> = columns
        .iter()
        .zip(&lower)
        .enumerate()
        .filter(|(_, ((_, _, _, head), low))| head > *low)
        .map(|(i, ((_, _, _, head), low))| (head - low, i))
        .collect();
    short.sort_unstable();
    for (need, i) in short {
        if need > spare {
            break;
        }
        spare -= need;
        lower[i] += need;
    }
    for (col, w) in t.column_iter_mut().zip(lower) {
        // A constraint's width counts the column's padding.
        let w = w.max(1).saturating_add(col.padding_width());
        col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(w)));
    }
}

/// The narrowest width of a column, `(figures, longest cell, longest word, longest header
/// word)`, at each step of giving way (0: everything whole, 3: text words break).
fn narrowest((figures, whole, word, head): (bool, u16, u16, u16), tier: u8) -> u16 {
    match tier {
        0 => if figures { whole } else { word }.max(head),
        1 => {
            if figures {
                whole
            } else {
                word
            }
        }
        2 => word,
        _ => {
            if figures {
                word
            } else {
                1
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Cell text: letters, blanks of every kind, control characters, wide and zero-width
    /// characters, and now and then a newline.
    fn cell() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                8 => proptest::char::range('a', 'z'),
                2 => Just(' '),
                1 => proptest::sample::select(vec![
                    '\t', '\r', '\x0b', '\x1b', '\u{a0}', '\u{3000}', '\u{2028}', '\u{200b}',
                    '\u{301}', 'é', '—', '漢', '😀', '-', '|', '0', '9', '\n',
                ]),
            ],
            0..12,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    fn plain_table() -> impl Strategy<Value = TextTable> {
        (1usize..6)
            .prop_flat_map(|n| {
                (
                    proptest::collection::vec(cell(), n),
                    proptest::collection::vec(any::<bool>(), n),
                    proptest::collection::vec(proptest::collection::vec(cell(), n), 0..6),
                )
            })
            .prop_map(|(header, right, rows)| {
                let header: Vec<&str> = header.iter().map(String::as_str).collect();
                let right: Vec<usize> = (0..right.len()).filter(|&i| right[i]).collect();
                let mut t = table(&header, &right, false);
                for r in rows {
                    t.add_row(r);
                }
                t
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// A plain table laid out here is comfy-table's, byte for byte.
        #[test]
        fn a_plain_table_is_laid_out_as_comfy_table_lays_it_out(t in plain_table()) {
            let comfy = finish(&t.comfy());
            match t.plain_widths() {
                Some(widths) => prop_assert_eq!(t.laid_out(&widths), comfy),
                None => prop_assert_eq!(t.finish(), comfy),
            }
        }
    }

    #[test]
    fn a_table_with_a_cell_of_two_lines_or_in_colour_is_comfy_tables() {
        let mut t = table(&["a", "b"], &[1], false);
        t.add_row(vec!["x\ny".into(), "1".into()]);
        assert!(t.plain_widths().is_none());
        assert_eq!(t.finish(), "a  b\n-- --\nx  1\ny\n");
        let mut t = table(&["a", "b"], &[1], true);
        t.add_row(vec!["x".into(), "1".into()]);
        assert!(t.finish().contains("\x1b[1m"), "the header in bold");
    }

    #[test]
    fn columns_are_as_wide_as_their_widest_cell_two_spaces_apart() {
        let mut t = table(&["date", "n", "what"], &[1], false);
        t.add_row(vec!["2026-01-05".into(), "7".into(), "fix".into()]);
        t.add_row(vec!["2026-01-06".into(), "12".into(), "漢字".into()]);
        assert_eq!(
            t.finish(),
            "date         n  what\n\
             ----------- --- -----\n\
             2026-01-05   7  fix\n\
             2026-01-06  12  漢字\n"
        );
    }
}
