//! HTML output (`--format html`): one self-contained page per statement (inline CSS, an
//! inline SVG chart, no scripts, no external assets) that prints cleanly to PDF. Every user
//! string goes through [`escape`]. Chart coordinates are exact decimals, rounded to 0.1.

use super::words;
use super::{hmm, plural};
use crate::engine::EventKind;
use crate::model::Minutes;
use crate::report::Statement;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// `text` safe inside HTML text and double- or single-quoted attributes.
#[must_use]
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #eef0f3; color: #1d2330;
  font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; }
main { max-width: 960px; margin: 24px auto; background: #fff; padding: 40px 48px;
  border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
header { display: flex; justify-content: space-between; align-items: flex-start; gap: 24px;
  border-bottom: 2px solid #1d2330; padding-bottom: 16px; margin-bottom: 16px; }
.issuer .book { font-size: 18px; font-weight: 700; }
.doc { text-align: right; }
h1 { font-size: 22px; letter-spacing: .04em; margin: 0 0 4px; }
.to { margin: 0 0 18px; }
.to .name { font-weight: 600; font-size: 16px; }
.label { font-size: .79em; text-transform: uppercase; letter-spacing: .06em; color: #5b6475; }
.muted { color: #5b6475; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; margin: 0 0 18px; }
.card { border: 1px solid #d9dde4; border-radius: 6px; padding: 10px 12px; }
.card .value { font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card.due .value { color: #a4361b; }
figure { margin: 0 0 18px; }
figcaption { font-size: .86em; color: #5b6475; margin-top: 4px; }
svg { width: 100%; height: auto; display: block; }
h2 { font-size: 15px; margin: 22px 0 8px; }
table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; border-bottom: 1px solid #e3e6eb; vertical-align: top; }
th { text-align: left; font-size: .79em; text-transform: uppercase; letter-spacing: .05em;
  color: #5b6475; border-bottom: 1px solid #9aa2b1; }
td.n, th.n { text-align: right; white-space: nowrap; }
td.date { white-space: nowrap; }
table.lines td.n, table.lines th.n, td.date, td.kind { width: 1%; }
tr.opening td { color: #5b6475; font-style: italic; }
td.kind { font-size: .86em; color: #5b6475; white-space: nowrap; }
tr.buy td.kind { color: #1f7a3a; font-weight: 600; }
tr.expire td.kind, tr.bill td.kind { color: #a4361b; font-weight: 600; }
.summary { width: auto; min-width: 60%; }
.summary td:first-child { color: #5b6475; padding-right: 32px; }
.summary tr.strong td { font-weight: 700; color: #1d2330; }
.summary tr.due td { font-weight: 700; color: #a4361b; }
.note { font-size: .86em; color: #5b6475; margin: 8px 0 0; }
ul { margin: 0; padding-left: 20px; }
footer { margin-top: 28px; padding-top: 10px; border-top: 1px solid #d9dde4; font-size: .86em; color: #3a4252; }
footer p { margin: 0; }
@page { margin: 14mm 12mm; }
@media print {
  body { background: #fff; font-size: 10.5px; }
  main { margin: 0; padding: 0; max-width: none; box-shadow: none; border-radius: 0; }
  header { padding-bottom: 10px; margin-bottom: 10px; }
  h1 { font-size: 18px; }
  h2 { margin: 14px 0 6px; }
  .cards { margin-bottom: 10px; }
  .card { padding: 6px 10px; }
  .card .value { font-size: 14px; }
  th, td { padding: 3px 6px; }
  svg { height: 40mm; }
  footer { margin-top: 16px; }
  thead { display: table-header-group; }
  tr, figure, .cards, header, .to, footer, .summary { break-inside: avoid; }
  h2 { break-after: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
";

/// Chart geometry, in SVG user units.
const W: i64 = 720;
const H: i64 = 220;
const LEFT: i64 = 56;
const RIGHT: i64 = 16;
const TOP: i64 = 14;
const BOTTOM: i64 = 30;

fn num(d: Decimal) -> String {
    let mut r = d.round_dp(1).normalize();
    if r.is_zero() {
        r.set_sign_positive(true);
    }
    r.to_string()
}

/// A step in units for the y axis: 1, 2, 5, 10, 20, 50… so that at most 5 steps cover `range`.
fn tick_step(range_units: Decimal) -> Decimal {
    let mut step = Decimal::ONE;
    let mut i = 0;
    while range_units / step > Decimal::from(5) && i < 30 {
        step *= [Decimal::from(2), Decimal::new(25, 1), Decimal::from(2)][i % 3];
        i += 1;
    }
    step
}

/// The balance through the period as a step line, purchases and expiries marked.
fn chart(s: &Statement) -> String {
    let unit = if s.unit_minutes.is_zero() {
        Decimal::from(60)
    } else {
        s.unit_minutes
    };
    let balances: Vec<Minutes> = std::iter::once(s.opening)
        .chain(s.lines.iter().map(|l| l.balance))
        .collect();
    let lo = balances
        .iter()
        .copied()
        .min()
        .unwrap_or_default()
        .min(Decimal::ZERO);
    let hi = balances.iter().copied().max().unwrap_or_default().max(unit);
    let step = tick_step((hi - lo) / unit);
    let ymin = (lo / unit / step).floor() * step;
    let ymax = ((hi / unit / step).ceil() * step).max(ymin + step);
    let (pw, ph) = (
        Decimal::from(W - LEFT - RIGHT),
        Decimal::from(H - TOP - BOTTOM),
    );
    let days = Decimal::from((s.to - s.from).num_days() + 1).max(Decimal::ONE);
    let x = |date: chrono::NaiveDate| {
        let d = Decimal::from((date - s.from).num_days()).max(Decimal::ZERO);
        Decimal::from(LEFT) + d * pw / days
    };
    let x_end = Decimal::from(LEFT) + pw;
    let y = |m: Minutes| Decimal::from(TOP) + (ymax - m / unit) * ph / (ymax - ymin);

    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {W} {H}\" role=\"img\" \
         aria-label=\"Balance from {} to {}\">",
        s.from, s.to
    );
    // Grid and y labels.
    let mut v = ymin;
    while v <= ymax {
        let yy = num(y(v * unit));
        let stroke = if v.is_zero() { "#9aa2b1" } else { "#e3e6eb" };
        let _ = write!(
            svg,
            "<line x1=\"{LEFT}\" y1=\"{yy}\" x2=\"{}\" y2=\"{yy}\" stroke=\"{stroke}\"/>\
             <text x=\"{}\" y=\"{yy}\" dy=\"4\" text-anchor=\"end\" font-size=\"11\" fill=\"#5b6475\">{}</text>",
            W - RIGHT,
            LEFT - 8,
            v.normalize()
        );
        v += step;
    }
    let _ = write!(
        svg,
        "<text x=\"12\" y=\"{}\" font-size=\"11\" fill=\"#5b6475\" transform=\"rotate(-90 12 {})\" \
         text-anchor=\"middle\">{}</text>",
        TOP + (H - TOP - BOTTOM) / 2,
        TOP + (H - TOP - BOTTOM) / 2,
        escape(&plural(&s.unit))
    );
    // x labels: the period's first and last days.
    let base = H - BOTTOM + 18;
    let _ = write!(
        svg,
        "<text x=\"{LEFT}\" y=\"{base}\" font-size=\"11\" fill=\"#5b6475\">{}</text>\
         <text x=\"{}\" y=\"{base}\" font-size=\"11\" fill=\"#5b6475\" text-anchor=\"end\">{}</text>",
        s.from,
        W - RIGHT,
        s.to
    );
    // The step line.
    let mut path = format!("M{} {}", LEFT, num(y(s.opening)));
    for l in &s.lines {
        let _ = write!(path, " H{} V{}", num(x(l.date)), num(y(l.balance)));
    }
    let _ = write!(path, " H{}", num(x_end));
    let _ = write!(
        svg,
        "<path d=\"{path}\" fill=\"none\" stroke=\"#2c5fa8\" stroke-width=\"2\" stroke-linejoin=\"round\"/>"
    );
    // Markers.
    for l in &s.lines {
        let (cx, cy) = (num(x(l.date)), num(y(l.balance)));
        let title = escape(&format!(
            "{} {}: {}",
            l.date,
            words::kind(l.kind),
            words::describe(s, l)
        ));
        match l.kind {
            EventKind::Buy => {
                let _ = write!(
                    svg,
                    "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"5\" fill=\"#1f7a3a\"><title>{title}</title></circle>"
                );
            }
            EventKind::Expire => {
                let _ = write!(
                    svg,
                    "<rect x=\"{}\" y=\"{}\" width=\"9\" height=\"9\" fill=\"#a4361b\" \
                     transform=\"rotate(45 {cx} {cy})\"><title>{title}</title></rect>",
                    num(x(l.date) - Decimal::new(45, 1)),
                    num(y(l.balance) - Decimal::new(45, 1))
                );
            }
            _ => {}
        }
    }
    svg.push_str("</svg>");
    svg
}

fn card(out: &mut String, class: &str, label: &str, value: &str) {
    let _ = write!(
        out,
        "<div class=\"card {class}\"><div class=\"label\">{}</div><div class=\"value\">{}</div></div>",
        escape(label),
        escape(value)
    );
}

/// The chart's legend: only the marks it draws.
fn legend(s: &Statement) -> String {
    let mut out = String::from("Balance through the period.");
    if s.lines.iter().any(|l| l.kind == EventKind::Buy) {
        out.push_str(" <span style=\"color:#1f7a3a\">&#9679;</span> purchase");
    }
    if s.lines.iter().any(|l| l.kind == EventKind::Expire) {
        out.push_str(" <span style=\"color:#a4361b\">&#9670;</span> expired time");
    }
    out
}

/// `credits statement --format html`: a complete page.
#[must_use]
pub fn statement(s: &Statement) -> String {
    let mut out = String::new();
    let u = |m: Minutes| words::count(s, m);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape(&format!(
            "{} — {} — {}",
            s.book,
            words::title(s),
            words::period(s)
        ))
    );
    out.push_str("<header><div class=\"issuer\">");
    for (i, line) in words::issuer(s).iter().enumerate() {
        let class = if i == 0 { "book" } else { "line" };
        let _ = write!(out, "<div class=\"{class}\">{}</div>", escape(line));
    }
    if let Some(email) = &s.issuer_email {
        let _ = write!(out, "<div class=\"muted\">{}</div>", escape(email));
    }
    let _ = writeln!(
        out,
        "</div><div class=\"doc\"><h1>Statement</h1>\
         <div>Period: {}</div><div class=\"muted\">Issued: {}</div></div></header>",
        escape(&words::period(s)),
        s.issued
    );
    let _ = write!(
        out,
        "<section class=\"to\"><div class=\"label\">Statement for</div><div class=\"name\">{}</div>",
        escape(&s.name)
    );
    if let Some(email) = &s.email {
        let _ = write!(out, "<div class=\"muted\">{}</div>", escape(email));
    }
    if let Some(plan) = &s.plan_title {
        let _ = write!(out, "<div class=\"muted\">Plan: {}</div>", escape(plan));
    }
    out.push_str("</section>\n<section class=\"cards\">");
    card(&mut out, "", "Opening balance", &u(s.opening));
    card(&mut out, "", "Closing balance", &u(s.closing));
    card(&mut out, "", "Value remaining", &words::money(s, s.value));
    let over = s.totals.overage;
    match (s.overage_due, s.rate) {
        (Some(due), _) if !s.overage.is_zero() => {
            card(&mut out, "due", "Overage due", &words::money(s, due));
        }
        (_, Some(rate)) if !over.is_zero() => {
            let money = words::money(s, over * rate / Decimal::from(60));
            card(&mut out, "due", "Overage this period", &money);
        }
        _ => card(&mut out, "", "Work charged", &u(s.totals.debited)),
    }
    out.push_str("</section>\n<figure>");
    out.push_str(&chart(s));
    let _ = writeln!(out, "<figcaption>{}</figcaption></figure>", legend(s));

    out.push_str("<h2>Activity</h2>\n<table class=\"lines\"><thead><tr>");
    for (i, h) in words::HEADER.iter().enumerate() {
        let class = match i {
            2 => " class=\"details\"",
            3.. => " class=\"n\"",
            _ => "",
        };
        let _ = write!(out, "<th{class}>{h}</th>");
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let _ = writeln!(
        out,
        "<tr class=\"opening\"><td class=\"date\">{}</td><td class=\"kind\"></td>\
         <td class=\"details\">Opening balance</td><td class=\"n\"></td><td class=\"n\"></td><td class=\"n\"></td>\
         <td class=\"n\">{}</td><td class=\"n\"></td></tr>",
        s.from,
        hmm(s.opening)
    );
    let mut any = false;
    for l in s.lines.iter().filter(|l| words::shown(l.kind)) {
        any = true;
        let cells = words::cells(s, l);
        let _ = write!(
            out,
            "<tr class=\"{}\"><td class=\"date\">{}</td><td class=\"kind\">{}</td><td class=\"details\">{}</td>",
            l.kind.word(),
            l.date,
            escape(words::kind(l.kind)),
            escape(&words::describe(s, l))
        );
        for c in cells {
            let _ = write!(out, "<td class=\"n\">{}</td>", escape(&c));
        }
        out.push_str("</tr>\n");
    }
    if !any {
        out.push_str(
            "<tr><td colspan=\"8\" class=\"muted\">No activity in this period.</td></tr>\n",
        );
    }
    out.push_str("</tbody></table>\n");

    out.push_str("<h2>Summary</h2>\n<table class=\"summary\"><tbody>\n");
    for (k, v) in words::rows(s) {
        let class = if k.starts_with("Closing") {
            " class=\"strong\""
        } else if k.starts_with("Overage") {
            " class=\"due\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "<tr{class}><td>{}</td><td class=\"n\">{}</td></tr>",
            escape(k),
            escape(&v)
        );
    }
    out.push_str("</tbody></table>\n");
    if let Some(note) = words::footnote(s) {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(&note));
    }
    let expiring = words::expiring(s);
    if !expiring.is_empty() {
        let _ = write!(
            out,
            "<h2>{}</h2>\n<ul>",
            escape(&words::expiring_heading(s))
        );
        for e in expiring {
            let _ = write!(out, "<li>{}</li>", escape(&e));
        }
        out.push_str("</ul>\n");
    }
    let quotes = words::quotes(s);
    if !quotes.is_empty() {
        out.push_str("<h2>Open quotes</h2>\n<ul>");
        for q in quotes {
            let _ = write!(out, "<li>{}</li>", escape(&q));
        }
        out.push_str("</ul>\n");
    }
    if !s.footer.is_empty() {
        out.push_str("<footer>");
        for line in &s.footer {
            let _ = write!(out, "<p>{}</p>", escape(line));
        }
        out.push_str("</footer>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_markup_character_is_escaped() {
        assert_eq!(
            escape("<script>alert('x & \"y\"')</script>"),
            "&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn the_y_axis_steps_are_round_numbers() {
        let step = |n: i64| tick_step(Decimal::from(n)).normalize().to_string();
        assert_eq!(step(3), "1");
        assert_eq!(step(9), "2");
        assert_eq!(step(20), "5");
        assert_eq!(step(45), "10");
        assert_eq!(step(240), "50");
    }
}
