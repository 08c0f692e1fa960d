//! `credits expiring` as text, JSON (SPEC §6: `lots` with `client`, `ref`, `date`, `expires`,
//! `remaining_minutes`, `value`), CSV and Markdown.

use super::csv_line::{self, Cell};
use super::text::money;
use super::text_table::table;
use super::{hmm, minutes, plural};
use crate::report::{Expiring, units};
use serde::Serialize;

fn horizon(e: &Expiring) -> String {
    e.within.map_or_else(
        || "each client's `warn_days`".to_string(),
        |w| w.to_string(),
    )
}

fn later(e: &Expiring) -> String {
    match e.later_entries {
        0 => String::new(),
        1 => format!("\n1 entry dated after {} is not counted\n", e.as_of),
        n => format!("\n{n} entries dated after {} are not counted\n", e.as_of),
    }
}

/// A table of the expiring lots, soonest first, then how many later entries were left out.
#[must_use]
pub fn text(e: &Expiring, layout: impl Into<super::text::Layout>) -> String {
    if e.lots.is_empty() {
        return format!("nothing expires within {}\n{}", horizon(e), later(e));
    }
    let units_header = plural(&e.unit);
    let mut t = table(
        &[
            "client",
            "lot",
            "bought",
            "kind",
            "expires",
            "days left",
            &units_header,
            "h:mm",
            "value",
        ],
        &[5, 6, 7, 8],
        layout,
    );
    for l in &e.lots {
        t.add_row(vec![
            l.client.clone(),
            l.reference.clone().unwrap_or_default(),
            l.date.to_string(),
            l.kind.word().to_string(),
            l.expires.to_string(),
            l.days_left.to_string(),
            units(l.remaining, e.unit_minutes).to_string(),
            hmm(l.remaining),
            l.value.map(|v| money(l.currency, v)).unwrap_or_default(),
        ]);
    }
    let mut out = t.finish();
    out.push_str(&later(e));
    out
}

#[derive(Serialize)]
struct ExpiringJson<'a> {
    as_of: String,
    within: Option<String>,
    lots: Vec<LotJson<'a>>,
}

#[derive(Serialize)]
struct LotJson<'a> {
    client: &'a str,
    #[serde(rename = "ref")]
    reference: Option<&'a str>,
    date: String,
    expires: String,
    remaining_minutes: String,
    value: Option<String>,
    currency: &'a str,
    kind: &'static str,
}

/// `credits expiring --format json`.
#[must_use]
pub fn json(e: &Expiring) -> String {
    let lots = e
        .lots
        .iter()
        .map(|l| LotJson {
            client: &l.client,
            reference: l.reference.as_deref(),
            date: l.date.to_string(),
            expires: l.expires.to_string(),
            remaining_minutes: minutes(l.remaining),
            value: l.value.map(|v| l.currency.format(v)),
            currency: l.currency.code(),
            kind: l.kind.word(),
        })
        .collect();
    let doc = ExpiringJson {
        as_of: e.as_of.to_string(),
        within: e.within.map(|w| w.to_string()),
        lots,
    };
    super::json::finish(&doc)
}

/// `credits expiring --format csv`: a header, then one line per lot.
#[must_use]
pub fn csv(e: &Expiring) -> String {
    let mut out = csv_line::header(&[
        "client",
        "ref",
        "date",
        "kind",
        "expires",
        "days_left",
        "remaining_minutes",
        "value",
        "currency",
    ]);
    for l in &e.lots {
        let (date, expires, days_left, remaining, value) = (
            l.date.to_string(),
            l.expires.to_string(),
            l.days_left.to_string(),
            minutes(l.remaining),
            l.value.map(|v| l.currency.format(v)).unwrap_or_default(),
        );
        out.push_str(&csv_line::line(&[
            Cell::Text(&l.client),
            Cell::Text(l.reference.as_deref().unwrap_or_default()),
            Cell::Value(&date),
            Cell::Value(l.kind.word()),
            Cell::Value(&expires),
            Cell::Value(&days_left),
            Cell::Value(&remaining),
            Cell::Value(&value),
            Cell::Value(l.currency.code()),
        ]));
    }
    out
}

/// `credits expiring --format md`: one Markdown table, soonest first, then how many later
/// entries were left out.
#[must_use]
pub fn md(e: &Expiring) -> String {
    let rows: Vec<Vec<String>> = e
        .lots
        .iter()
        .map(|l| {
            vec![
                super::md::escape(&l.client),
                super::md::escape(l.reference.as_deref().unwrap_or_default()),
                l.date.to_string(),
                l.kind.word().to_string(),
                l.expires.to_string(),
                l.days_left.to_string(),
                hmm(l.remaining),
                l.value.map(|v| money(l.currency, v)).unwrap_or_default(),
            ]
        })
        .collect();
    let mut out = super::tables::md_table(
        &[
            "client",
            "lot",
            "bought",
            "kind",
            "expires",
            "days left",
            "remaining",
            "value",
        ],
        &[5, 6, 7],
        &rows,
    );
    out.push_str(&later(e));
    out
}
