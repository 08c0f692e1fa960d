//! `credits balance`, `clients` and `status` as CSV and Markdown, and the one Markdown table
//! every report's `--format md` is made of.
//!
//! CSV: a header, then one line per row (see [`super::csv_line`]: free-text columns
//! neutralised, numbers never touched); minutes are exact decimals and money has the
//! currency's decimals, as in JSON. Markdown: GitHub tables, every user string escaped.

use super::csv_line::{self, Cell};
use super::{hmm, md, minutes};
use crate::report::{Balance, ClientList};
use chrono::NaiveDateTime;
use serde::Serialize;
use std::fmt::Write as _;

/// A Markdown table: the header, the alignment row (columns `right` aligned right), then
/// `rows`. Cells are written as given: the caller escapes user strings with [`md::escape`].
#[must_use]
pub fn md_table(header: &[&str], right: &[usize], rows: &[Vec<String>]) -> String {
    let mut out = String::new();
    let line = |out: &mut String, cells: &mut dyn Iterator<Item = String>| {
        out.push('|');
        for c in cells {
            let _ = write!(out, " {c} |");
        }
        out.push('\n');
    };
    line(&mut out, &mut header.iter().map(|h| md::escape(h)));
    line(
        &mut out,
        &mut (0..header.len()).map(|i| {
            if right.contains(&i) {
                "---:".to_string()
            } else {
                "---".to_string()
            }
        }),
    );
    for r in rows {
        line(&mut out, &mut r.iter().cloned());
    }
    out
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map_or_else(String::new, |d| d.to_string())
}

/// `credits balance --format csv`: one line per client (the numbers of `balance --format
/// json`, without the lots and warnings, which have shapes of their own).
#[must_use]
pub fn balance_csv(b: &Balance) -> String {
    let mut out = csv_line::header(&[
        "client",
        "name",
        "plan",
        "currency",
        "balance_minutes",
        "pending_minutes",
        "reserved_minutes",
        "available_minutes",
        "included_left_minutes",
        "overage_minutes",
        "value",
        "next_expiry",
        "burn_minutes_per_month",
        "runs_out",
    ]);
    for c in &b.clients {
        let values = [
            minutes(c.balance),
            minutes(c.pending),
            minutes(c.reserved),
            minutes(c.available),
            minutes(c.included_left),
            minutes(c.overage),
            c.currency.format(c.value),
            date(c.next_expiry),
            minutes(c.forecast.burn_per_month),
            date(c.forecast.runs_out),
        ];
        let mut cells = vec![
            Cell::Text(&c.id),
            Cell::Text(&c.name),
            Cell::Text(c.plan.as_deref().unwrap_or_default()),
            Cell::Value(c.currency.code()),
        ];
        cells.extend(values.iter().map(|v| Cell::Value(v)));
        out.push_str(&csv_line::line(&cells));
    }
    out
}

/// `credits balance --format md`: a table of the clients; for one client, its open lots and
/// warnings after it.
#[must_use]
pub fn balance_md(b: &Balance, detail: bool) -> String {
    let rows: Vec<Vec<String>> = b
        .clients
        .iter()
        .map(|c| {
            vec![
                md::escape(&c.id),
                md::escape(&c.name),
                md::escape(c.plan.as_deref().unwrap_or_default()),
                hmm(c.balance),
                hmm(c.pending),
                hmm(c.reserved),
                hmm(c.available),
                hmm(c.overage),
                md::escape(&super::text::money(c.currency, c.value)),
                date(c.next_expiry),
                hmm(c.forecast.burn_per_month),
                date(c.forecast.runs_out),
            ]
        })
        .collect();
    let mut out = md_table(
        &[
            "client",
            "name",
            "plan",
            "balance",
            "pending",
            "reserved",
            "available",
            "overage",
            "value",
            "next expiry",
            "a month",
            "runs out",
        ],
        &[3, 4, 5, 6, 7, 8, 10],
        &rows,
    );
    for c in b.clients.iter().filter(|_| detail) {
        if !c.lots.is_empty() {
            let rows: Vec<Vec<String>> = c
                .lots
                .iter()
                .map(|l| {
                    vec![
                        md::escape(l.reference.as_deref().unwrap_or_default()),
                        l.date.to_string(),
                        l.kind.word().to_string(),
                        hmm(l.purchased),
                        hmm(l.remaining),
                        l.unit_price.map_or_else(String::new, |p| {
                            md::escape(&super::text::money(c.currency, p))
                        }),
                        l.expires
                            .map_or_else(|| "never".to_string(), |d| d.to_string()),
                    ]
                })
                .collect();
            out.push('\n');
            out.push_str(&md_table(
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
                &rows,
            ));
        }
        if !c.warnings.is_empty() {
            out.push('\n');
            for w in &c.warnings {
                let _ = writeln!(
                    out,
                    "- warning: {}",
                    md::escape(&super::words::warning(&b.unit, b.unit_minutes, w))
                );
            }
        }
    }
    out
}

/// `credits clients --format csv`.
#[must_use]
pub fn clients_csv(list: &ClientList) -> String {
    let mut out = csv_line::header(&["client", "name", "plan", "currency", "rate", "email"]);
    for c in &list.clients {
        let rate = c.rate.map_or_else(String::new, |r| c.currency.format(r));
        out.push_str(&csv_line::line(&[
            Cell::Text(&c.id),
            Cell::Text(&c.name),
            Cell::Text(c.plan.as_deref().unwrap_or_default()),
            Cell::Value(c.currency.code()),
            Cell::Value(&rate),
            Cell::Text(c.email.as_deref().unwrap_or_default()),
        ]));
    }
    out
}

/// `credits clients --format md`.
#[must_use]
pub fn clients_md(list: &ClientList) -> String {
    let rows: Vec<Vec<String>> = list
        .clients
        .iter()
        .map(|c| {
            vec![
                md::escape(&c.id),
                md::escape(&c.name),
                md::escape(c.plan.as_deref().unwrap_or_default()),
                c.currency.code().to_string(),
                c.rate.map_or_else(String::new, |r| c.currency.format(r)),
                md::escape(c.email.as_deref().unwrap_or_default()),
            ]
        })
        .collect();
    md_table(
        &["client", "name", "plan", "currency", "rate", "email"],
        &[4],
        &rows,
    )
}

/// A running timer, for `credits status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimerRow<'a> {
    /// The client.
    pub client: &'a str,
    /// When it started, local time.
    pub start: NaiveDateTime,
    /// The description of the entry it will log.
    pub description: &'a str,
    /// Its tags.
    pub tags: &'a [String],
    /// Minutes it has run.
    pub minutes: crate::model::Minutes,
}

#[derive(Serialize)]
struct StatusJson<'a> {
    running: bool,
    timer: Option<TimerJson<'a>>,
}

#[derive(Serialize)]
struct TimerJson<'a> {
    client: &'a str,
    start: String,
    description: &'a str,
    tags: &'a [String],
    minutes: String,
}

fn stamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// `credits status --format json`: `{"running", "timer"}`, the timer `null` when none runs.
#[must_use]
pub fn status_json(t: Option<&TimerRow<'_>>) -> String {
    let v = StatusJson {
        running: t.is_some(),
        timer: t.map(|t| TimerJson {
            client: t.client,
            start: stamp(t.start),
            description: t.description,
            tags: t.tags,
            minutes: minutes(t.minutes),
        }),
    };
    super::json::finish(&v)
}

const STATUS_HEADER: [&str; 5] = ["client", "start", "description", "tags", "minutes"];

/// `credits status --format csv`: the header, and one line when a timer runs.
#[must_use]
pub fn status_csv(t: Option<&TimerRow<'_>>) -> String {
    let mut out = csv_line::header(&STATUS_HEADER);
    if let Some(t) = t {
        let (start, tags, m) = (stamp(t.start), t.tags.join(" "), minutes(t.minutes));
        out.push_str(&csv_line::line(&[
            Cell::Text(t.client),
            Cell::Value(&start),
            Cell::Text(t.description),
            Cell::Text(&tags),
            Cell::Value(&m),
        ]));
    }
    out
}

/// `credits status --format md`: a table with a row when a timer runs.
#[must_use]
pub fn status_md(t: Option<&TimerRow<'_>>) -> String {
    let rows: Vec<Vec<String>> = t
        .iter()
        .map(|t| {
            vec![
                md::escape(t.client),
                t.start.format("%Y-%m-%d %H:%M").to_string(),
                md::escape(t.description),
                md::escape(&t.tags.join(" ")),
                hmm(t.minutes),
            ]
        })
        .collect();
    md_table(
        &["client", "since", "description", "tags", "run"],
        &[4],
        &rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::fixture::sample;

    #[test]
    fn balance_csv_has_a_line_per_client_with_json_numbers() {
        assert_eq!(
            balance_csv(&sample()),
            "client,name,plan,currency,balance_minutes,pending_minutes,reserved_minutes,\
             available_minutes,included_left_minutes,overage_minutes,value,next_expiry,\
             burn_minutes_per_month,runs_out\n\
             acme,Acme Corp,concierge,USD,420,15,0,405,0,30,840.00,2026-12-01,380,2027-01-09\n"
        );
    }

    #[test]
    fn balance_md_is_a_table_then_the_lots_and_warnings_of_one_client() {
        let md = balance_md(&sample(), true);
        let lines: Vec<&str> = md.lines().collect();
        assert!(lines[0].starts_with("| client | name | plan | balance |"));
        assert!(lines[1].starts_with("| --- | --- | --- | ---: |"));
        assert_eq!(
            lines[2],
            "| acme | Acme Corp | concierge | 7:00 | 0:15 | 0:00 | 6:45 | 0:30 | 840.00 USD \
             | 2026-12-01 | 6:20 | 2027-01-09 |"
        );
        assert!(md.contains("| INV-1041 | 2026-01-05 | purchase | 10:00 | 7:00 |"));
        assert!(md.ends_with("- warning: 7 credits expire after 2026-12-01\n"));
        assert!(!balance_md(&sample(), false).contains("INV-1041"));
    }

    #[test]
    fn a_timer_is_a_row_and_no_timer_is_a_header_alone() {
        let tags = vec!["dev".to_string()];
        let t = TimerRow {
            client: "acme",
            start: "2026-01-06T09:15:00".parse().unwrap(),
            description: "=cmd, \"quoted\"",
            tags: &tags,
            minutes: "85".parse().unwrap(),
        };
        assert_eq!(
            status_csv(Some(&t)),
            "client,start,description,tags,minutes\n\
             acme,2026-01-06T09:15,\"'=cmd, \"\"quoted\"\"\",dev,85\n"
        );
        assert_eq!(status_csv(None), "client,start,description,tags,minutes\n");
        let v: serde_json::Value = serde_json::from_str(&status_json(Some(&t))).unwrap();
        assert_eq!(v["timer"]["minutes"], "85");
        assert_eq!(v["running"], true);
        let v: serde_json::Value = serde_json::from_str(&status_json(None)).unwrap();
        assert_eq!(v, serde_json::json!({"running": false, "timer": null}));
        assert!(
            status_md(Some(&t))
                .ends_with("| acme | 2026-01-06 09:15 | =cmd, \"quoted\" | dev | 1:25 |\n")
        );
    }
}
