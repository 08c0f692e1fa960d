//! Text output: the reports as tables (`render::text_table`) and lines. Colour only when
//! asked; a width only when the command line gives one (stdout is a terminal), so that piped
//! output is never cut and the same report always gives the same bytes (golden tests).

use super::text_table::{key_values, table};
use super::words;
use super::{hmm, plural};
use crate::model::{Currency, Minutes};
use crate::report::{Balance, ClientBalance, ClientList, Statement, units};
use rust_decimal::Decimal;
use std::fmt::Write as _;

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
        t.finish()
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
    out.push_str(&key_values(rows));

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
        out.push_str(&t.finish());
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
        out.push_str(&t.finish());
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
    t.finish()
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
    out.push_str(&t.finish());
    if shown.is_empty() {
        out.push_str("No activity in this period.\n");
    }
    out.push('\n');
    let _ = writeln!(out, "{}", paint("Summary", BOLD, color));
    out.push_str(&key_values(words::rows(s)));
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
