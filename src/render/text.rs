//! Text output: comfy-table tables with a fixed style. Colour only when asked; a width only
//! when the command line gives one (stdout is a terminal), so that piped output is never cut
//! and the same report always gives the same bytes (golden tests).

use super::words;
use super::{hmm, plural};
use crate::model::{Currency, Minutes};
use crate::report::{Balance, ClientBalance, ClientList, Statement, units};
use comfy_table::{
    Attribute, Cell, CellAlignment, ColumnConstraint, ContentArrangement, LineStyle, Table,
    TableStyle, Width,
};
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// Columns two spaces apart, a rule of dashes under the header, no borders.
const STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('-').junction(' '));

const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// How text is laid out: colour, and the width tables fit. A plain `bool` is colour alone,
/// tables as wide as their content.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Layout {
    /// ANSI colour and bold.
    pub color: bool,
    /// The columns a table may take, wrapping its cells (descriptions first) to fit; `None`:
    /// as wide as its content.
    pub width: Option<u16>,
}

impl From<bool> for Layout {
    fn from(color: bool) -> Layout {
        Layout { color, width: None }
    }
}

/// A table with `header`, the columns in `right` aligned right, fitted to `layout`'s width.
pub(crate) fn table(header: &[&str], right: &[usize], layout: impl Into<Layout>) -> Table {
    let Layout { color, width } = layout.into();
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
    let cells = header.iter().map(|h| {
        let c = Cell::new(h);
        if color {
            c.add_attribute(Attribute::Bold)
        } else {
            c
        }
    });
    t.set_header(cells.collect::<Vec<_>>());
    let last = header.len().saturating_sub(1);
    for (i, col) in t.column_iter_mut().enumerate() {
        // Fitted to a width, the last column has no padding to pass the edge with.
        col.set_padding((0, u16::from(width.is_none() || i != last)));
        if right.contains(&i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    t
}

/// The table's lines, without trailing blanks, ending with a newline.
pub(crate) fn finish(t: &Table) -> String {
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

fn paint(s: &str, code: &str, color: bool) -> String {
    if color {
        format!("{code}{s}{RESET}")
    } else {
        s.to_string()
    }
}

pub(crate) fn money(c: Currency, amount: Decimal) -> String {
    format!("{} {}", c.format(amount), c.code())
}

fn later_line(b: &Balance) -> Option<String> {
    match b.later_entries {
        0 => None,
        1 => Some(format!("1 entry dated after {} is not counted\n", b.as_of)),
        n => Some(format!(
            "{n} entries dated after {} are not counted\n",
            b.as_of
        )),
    }
}

/// `credits balance`: one row per client, then the warnings, then how many later entries
/// were left out.
#[must_use]
pub fn balance(b: &Balance, layout: impl Into<Layout>) -> String {
    let layout = layout.into();
    let color = layout.color;
    let u = |m: Minutes| units(m, b.unit_minutes).to_string();
    let units_header = plural(&b.unit);
    let mut t = table(
        &[
            "client",
            "name",
            &units_header,
            "h:mm",
            "pending",
            "available",
            "value",
            "next expiry",
            "warnings",
        ],
        &[2, 3, 4, 5, 6, 8],
        layout,
    );
    for c in &b.clients {
        t.add_row(vec![
            c.id.clone(),
            c.name.clone(),
            u(c.balance),
            hmm(c.balance),
            hmm(c.pending),
            u(c.available),
            money(c.currency, c.value),
            c.next_expiry.map_or_else(String::new, |d| d.to_string()),
            if c.warnings.is_empty() {
                String::new()
            } else {
                c.warnings.len().to_string()
            },
        ]);
    }
    let mut out = if b.clients.is_empty() {
        "no clients in the book\n".to_string()
    } else {
        finish(&t)
    };
    let warnings: Vec<_> = b
        .clients
        .iter()
        .flat_map(|c| c.warnings.iter().map(move |w| (&c.id, w)))
        .collect();
    if !warnings.is_empty() {
        out.push('\n');
        for (id, w) in warnings {
            let _ = writeln!(
                out,
                "{}",
                paint(
                    &format!(
                        "warning: {id}: {}",
                        words::warning(&b.unit, b.unit_minutes, w)
                    ),
                    YELLOW,
                    color
                )
            );
        }
    }
    if let Some(line) = later_line(b) {
        out.push('\n');
        out.push_str(&line);
    }
    out
}

/// `credits balance CLIENT`: the numbers, the open lots, the open quotes and the warnings of
/// each client in `b` (normally one).
#[must_use]
pub fn balance_detail(b: &Balance, layout: impl Into<Layout>) -> String {
    let layout = layout.into();
    let mut out = String::new();
    for (i, c) in b.clients.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        client_detail(&mut out, b, c, layout);
    }
    if let Some(line) = later_line(b) {
        out.push('\n');
        out.push_str(&line);
    }
    out
}

fn client_detail(out: &mut String, b: &Balance, c: &ClientBalance, layout: Layout) {
    let color = layout.color;
    let both = |m: Minutes| words::units_and_time(&b.unit, b.unit_minutes, m);
    let _ = writeln!(
        out,
        "{}",
        paint(&format!("{} ({})", c.id, c.name), BOLD, color)
    );
    let overage = match (c.overage_due, c.rate) {
        (Some(due), Some(rate)) => format!(
            "{} ({} due at {}/h)",
            hmm(c.overage),
            money(c.currency, due),
            money(c.currency, rate)
        ),
        _ => hmm(c.overage),
    };
    let rows = [
        ("plan", c.plan.clone().unwrap_or_else(|| "none".to_string())),
        ("balance", both(c.balance)),
        ("pending", hmm(c.pending)),
        ("reserved", hmm(c.reserved)),
        ("available", both(c.available)),
        ("included left", hmm(c.included_left)),
        ("overage", overage),
        ("value", money(c.currency, c.value)),
    ];
    let mut kv = Table::new();
    kv.load_style(TableStyle::new())
        .set_content_arrangement(ContentArrangement::Disabled);
    kv.force_no_tty();
    for (k, v) in rows {
        kv.add_row(vec![k.to_string(), v]);
    }
    for col in kv.column_iter_mut() {
        col.set_padding((0, 2));
    }
    out.push_str(&finish(&kv));

    out.push('\n');
    if c.lots.is_empty() {
        out.push_str("no open lots\n");
    } else {
        let mut t = table(
            &[
                "lot",
                "date",
                "kind",
                "bought",
                "remaining",
                "unit price",
                "expires",
            ],
            &[3, 4, 5],
            layout,
        );
        for l in &c.lots {
            t.add_row(vec![
                l.reference.clone().unwrap_or_default(),
                l.date.to_string(),
                l.kind.word().to_string(),
                units(l.purchased, b.unit_minutes).to_string(),
                units(l.remaining, b.unit_minutes).to_string(),
                l.unit_price
                    .map_or_else(String::new, |p| money(c.currency, p)),
                l.expires
                    .map_or_else(|| "never".to_string(), |d| d.to_string()),
            ]);
        }
        out.push_str(&finish(&t));
    }

    if !c.quotes.is_empty() {
        out.push('\n');
        let mut t = table(
            &[
                "quote",
                "date",
                "due",
                &plural(&b.unit),
                "state",
                "description",
            ],
            &[3],
            layout,
        );
        for q in &c.quotes {
            t.add_row(vec![
                q.id.clone(),
                q.date.to_string(),
                q.due.map_or_else(String::new, |d| d.to_string()),
                units(q.minutes, b.unit_minutes).to_string(),
                if q.approved { "approved" } else { "pending" }.to_string(),
                q.description.clone(),
            ]);
        }
        out.push_str(&finish(&t));
    }

    out.push('\n');
    let _ = writeln!(out, "{}", super::words::forecast(&c.forecast));

    if !c.warnings.is_empty() {
        out.push('\n');
        for w in &c.warnings {
            let _ = writeln!(
                out,
                "{}",
                paint(
                    &format!("warning: {}", words::warning(&b.unit, b.unit_minutes, w)),
                    YELLOW,
                    color
                )
            );
        }
    }
}

/// `credits clients`: id, name, plan, currency, rate, email.
#[must_use]
pub fn clients(list: &ClientList, layout: impl Into<Layout>) -> String {
    if list.clients.is_empty() {
        return "no clients in the book\n".to_string();
    }
    let mut t = table(
        &["client", "name", "plan", "currency", "rate", "email"],
        &[4],
        layout,
    );
    for c in &list.clients {
        t.add_row(vec![
            c.id.clone(),
            c.name.clone(),
            c.plan.clone().unwrap_or_default(),
            c.currency.code().to_string(),
            c.rate.map_or_else(String::new, |r| c.currency.format(r)),
            c.email.clone().unwrap_or_default(),
        ]);
    }
    finish(&t)
}

/// `text` cut into lines of at most `width` characters at spaces (a longer word stays whole).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// `credits statement`: the issuer, the client and the period, every line of the period that
/// moves time or money with the running balance, the summary and its footnote, the lots
/// expiring soon, the open quotes, and the footer.
#[must_use]
pub fn statement(s: &Statement, layout: impl Into<Layout>) -> String {
    let layout = layout.into();
    let color = layout.color;
    let mut out = String::new();
    for (i, line) in words::issuer(s).iter().enumerate() {
        let line = if i == 0 {
            paint(line, BOLD, color)
        } else {
            line.clone()
        };
        let _ = writeln!(out, "{line}");
    }
    if let Some(email) = &s.issuer_email {
        let _ = writeln!(out, "{email}");
    }
    out.push('\n');
    let _ = writeln!(out, "{}", paint(&words::title(s), BOLD, color));
    if let Some(email) = &s.email {
        let _ = writeln!(out, "{email}");
    }
    if let Some(plan) = &s.plan_title {
        let _ = writeln!(out, "Plan: {plan}");
    }
    let _ = writeln!(out, "Period: {}", words::period(s));
    let _ = writeln!(out, "Issued: {}", s.issued);
    out.push('\n');
    let mut t = table(&words::HEADER, &[3, 4, 5, 6, 7], layout);
    t.add_row(vec![
        s.from.to_string(),
        String::new(),
        "Opening balance".to_string(),
        String::new(),
        String::new(),
        String::new(),
        hmm(s.opening),
        String::new(),
    ]);
    let shown: Vec<_> = s.lines.iter().filter(|l| words::shown(l.kind)).collect();
    for l in &shown {
        let [logged, debited, added, balance, amount] = words::cells(s, l);
        t.add_row(vec![
            l.date.to_string(),
            words::kind(l.kind).to_string(),
            words::describe(s, l),
            logged,
            debited,
            added,
            balance,
            amount,
        ]);
    }
    out.push_str(&finish(&t));
    if shown.is_empty() {
        out.push_str("No activity in this period.\n");
    }
    out.push('\n');
    let _ = writeln!(out, "{}", paint("Summary", BOLD, color));
    let mut kv = Table::new();
    kv.load_style(TableStyle::new())
        .set_content_arrangement(ContentArrangement::Disabled);
    kv.force_no_tty();
    for (k, v) in words::rows(s) {
        kv.add_row(vec![k.to_string(), v]);
    }
    for col in kv.column_iter_mut() {
        col.set_padding((0, 2));
    }
    out.push_str(&finish(&kv));
    if let Some(note) = words::footnote(s) {
        out.push('\n');
        for line in wrap(&note, layout.width.map_or(96, |w| usize::from(w).min(96))) {
            let _ = writeln!(out, "{line}");
        }
    }
    let expiring = words::expiring(s);
    if !expiring.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", paint(&words::expiring_heading(s), BOLD, color));
        for e in expiring {
            let _ = writeln!(out, "{}", paint(&e, YELLOW, color));
        }
    }
    let quotes = words::quotes(s);
    if !quotes.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", paint("Open quotes", BOLD, color));
        for q in quotes {
            let _ = writeln!(out, "{q}");
        }
    }
    if !s.footer.is_empty() {
        out.push('\n');
        for line in &s.footer {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixture::sample;

    #[test]
    fn the_balance_table_has_a_row_per_client_then_warnings_then_later_entries() {
        assert_eq!(
            balance(&sample(), false),
            "\
client  name       credits  h:mm  pending  available       value  next expiry  warnings
------- ---------- -------- ----- -------- ---------- ----------- ------------ ---------
acme    Acme Corp        7  7:00     0:15       6.75  840.00 USD  2026-12-01          1

warning: acme: 7 credits expire after 2026-12-01

3 entries dated after 2026-11-22 are not counted
"
        );
    }

    #[test]
    fn the_detail_shows_numbers_lots_quotes_and_warnings() {
        assert_eq!(
            balance_detail(&sample(), false),
            "\
acme (Acme Corp)
plan           concierge
balance        7 credits (7:00)
pending        0:15
reserved       0:00
available      6.75 credits (6:45)
included left  0:00
overage        0:30 (75.00 USD due at 150.00 USD/h)
value          840.00 USD

lot       date        kind      bought  remaining  unit price  expires
--------- ----------- --------- ------- ---------- ----------- -----------
INV-1041  2026-01-05  purchase      10          7  120.00 USD  2026-12-01

quote  date        due  credits  state    description
------ ----------- ---- -------- -------- ---------------
Q8     2026-11-02             2  pending  Banner refresh

At 6:20 a month (last 90 days), runs out around 2027-01-09

warning: 7 credits expire after 2026-12-01

3 entries dated after 2026-11-22 are not counted
"
        );
    }

    #[test]
    fn a_long_note_wraps_at_spaces() {
        assert_eq!(wrap("aa bb cc dd", 5), ["aa bb", "cc dd"]);
        assert_eq!(wrap("aaaaaaa b", 3), ["aaaaaaa", "b"]);
        assert_eq!(wrap("", 3), [""]);
    }

    #[test]
    fn colour_is_off_unless_asked() {
        assert!(!balance(&sample(), false).contains('\x1b'));
        assert!(balance(&sample(), true).contains('\x1b'));
    }
}
