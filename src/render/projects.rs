//! `credits projects` as text, JSON (`{"projects": [{"client", "project", "logged_minutes",
//! "debited_minutes", "applied", "first", "last"}]}`), CSV and Markdown.

use super::csv_line::{self, Cell};
use super::text::money;
use super::text_table::table;
use super::{hmm, md, minutes};
use crate::report::Projects;
use serde::Serialize;
use std::fmt::Write as _;

/// A table of the projects: times as `h:mm`, money with its currency.
#[must_use]
pub fn text(p: &Projects, layout: impl Into<super::text::Layout>) -> String {
    if p.projects.is_empty() {
        return "no projects: tag entries with `project:NAME`\n".to_string();
    }
    let mut t = table(
        &[
            "client", "project", "logged", "debited", "applied", "first", "last",
        ],
        &[2, 3, 4],
        layout,
    );
    for r in &p.projects {
        t.add_row(vec![
            r.client.clone(),
            r.project.clone(),
            hmm(r.logged),
            hmm(r.debited),
            money(r.currency, r.applied),
            r.first.to_string(),
            r.last.to_string(),
        ]);
    }
    t.finish()
}

#[derive(Serialize)]
struct ProjectsJson<'a> {
    projects: Vec<ProjectJson<'a>>,
}

#[derive(Serialize)]
struct ProjectJson<'a> {
    client: &'a str,
    project: &'a str,
    logged_minutes: String,
    debited_minutes: String,
    applied: String,
    first: String,
    last: String,
}

/// `credits projects --format json`.
#[must_use]
pub fn json(p: &Projects) -> String {
    let projects = p
        .projects
        .iter()
        .map(|r| ProjectJson {
            client: &r.client,
            project: &r.project,
            logged_minutes: minutes(r.logged),
            debited_minutes: minutes(r.debited),
            applied: r.currency.format(r.applied),
            first: r.first.to_string(),
            last: r.last.to_string(),
        })
        .collect();
    super::json::finish(&ProjectsJson { projects })
}

/// `credits projects --format csv`: a header, then one line per project.
#[must_use]
pub fn csv(p: &Projects) -> String {
    const HEADER: [&str; 8] = [
        "client",
        "project",
        "logged_minutes",
        "debited_minutes",
        "applied",
        "currency",
        "first",
        "last",
    ];
    let mut out = csv_line::line(&HEADER.map(Cell::Value));
    for r in &p.projects {
        let (logged, debited, applied, first, last) = (
            minutes(r.logged),
            minutes(r.debited),
            r.currency.format(r.applied),
            r.first.to_string(),
            r.last.to_string(),
        );
        out.push_str(&csv_line::line(&[
            Cell::Text(&r.client),
            Cell::Text(&r.project),
            Cell::Value(&logged),
            Cell::Value(&debited),
            Cell::Value(&applied),
            Cell::Value(r.currency.code()),
            Cell::Value(&first),
            Cell::Value(&last),
        ]));
    }
    out
}

/// `credits projects --format md`: one Markdown table, every user string escaped.
#[must_use]
pub fn md(p: &Projects) -> String {
    let mut out = String::from(
        "| client | project | logged | debited | applied | first | last |\n\
         |---|---|--:|--:|--:|---|---|\n",
    );
    for r in &p.projects {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            md::escape(&r.client),
            md::escape(&r.project),
            hmm(r.logged),
            hmm(r.debited),
            money(r.currency, r.applied),
            r.first,
            r.last,
        );
    }
    out
}
