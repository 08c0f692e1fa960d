//! The command line's words: a refusal of a writing command speaks of the options and
//! commands the user typed (`--price`, `credits approve acme Q2`), not of journal syntax.
//!
//! The rules stay where they are: the engine and the readers judge a line and say what is wrong
//! in the journal's words, for `credits check`. A problem with the line a command is about to
//! write is then rendered here in the command line's context ([`in_command_words`]): each piece
//! of journal syntax a message may hold has its command-line form in one table. Also here: the
//! explanation of a negative duration given to `log` ([`negative_duration`], before clap's
//! own "use `-- -1`"), and the warning for a `--date` far from today ([`far_date`]).

use crate::diagnostic::Diagnostic;
use crate::model::{Entry, Minutes};
use crate::syntax::value;
use chrono::NaiveDate;

/// Journal syntax in a message, and how the command line says it. A `{}` in the journal form
/// is a value, carried over to the same place in the command form.
const TABLE: &[(&str, &str)] = &[
    (
        "write `@ PRICE` per unit or `for TOTAL`",
        "give `--price PRICE` per unit or `--total TOTAL`",
    ),
    (
        "write either `@ PRICE` per unit or `for TOTAL`",
        "give either `--price` or `--total`",
    ),
    (
        "write the last usable day, on or after the purchase date",
        "give `--expires` the last usable day, on or after the purchase date",
    ),
    ("remove `quote:{}`", "leave out `--quote {}`"),
    ("`quote:{}`", "`--quote {}`"),
    ("`task:{}`", "`--task {}`"),
    ("`ref:{}`", "`--ref {}`"),
    ("`due:{}`", "`--due {}`"),
    ("`project:{}`", "`--project {}`"),
    ("its `ref:`", "its ref"),
];

/// `text` with every journal form of `TABLE` in its command-line form, and every journal
/// line in backticks (`` `2026-01-07 approve acme Q1` ``) as the command that writes it
/// (`` `credits approve acme Q1 --date 2026-01-07` ``; no `--date` for `today`).
#[must_use]
pub fn command_words(text: &str, today: NaiveDate) -> String {
    let mut out = text.to_string();
    for (journal, command) in TABLE {
        out = match journal.split_once("{}") {
            None => out.replace(journal, command),
            Some((before, after)) => replace_with_value(&out, before, after, command),
        };
    }
    journal_lines_as_commands(&out, today)
}

/// Replace each `before VALUE after` (VALUE one word) in `text` by `command` with its `{}`
/// made VALUE.
fn replace_with_value(text: &str, before: &str, after: &str, command: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(before) {
        let tail = &rest[i + before.len()..];
        let end = tail
            .find(|c: char| c.is_whitespace() || c == '`')
            .unwrap_or(tail.len());
        let value = &tail[..end];
        if value.is_empty() || !tail[end..].starts_with(after) {
            out.push_str(&rest[..i + before.len()]);
            rest = tail;
            continue;
        }
        out.push_str(&rest[..i]);
        out.push_str(&command.replace("{}", value));
        rest = &tail[end + after.len()..];
    }
    out.push_str(rest);
    out
}

/// Every backticked journal line (a date, then a verb) in `text` as the command that writes it.
fn journal_lines_as_commands(text: &str, today: NaiveDate) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('`');
        }
        // Odd parts are inside backticks (when they are closed).
        let inside = i % 2 == 1 && i + 1 < parts.len();
        match inside.then(|| as_command(part, today)).flatten() {
            Some(command) => out.push_str(&command),
            None => out.push_str(part),
        }
    }
    out
}

fn as_command(line: &str, today: NaiveDate) -> Option<String> {
    let (date, rest) = line.split_once(' ')?;
    let date = value::date(date).ok()?;
    let verb = rest.split_whitespace().next()?;
    if !verb.chars().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    Some(if date == today {
        format!("credits {rest}")
    } else {
        format!("credits {rest} --date {date}")
    })
}

/// `d`, a problem with the line a command is about to write, said in the command line's words.
pub fn in_command_words(d: &mut Diagnostic, today: NaiveDate) {
    d.message = command_words(&d.message, today);
    if let Some(help) = &mut d.help {
        *help = command_words(help, today);
    }
}

/// When `word` is a negative duration (`-15m`), the refusal that explains it: `log` records
/// time worked, and `adjust` corrects a balance. `client` is the client typed, if any.
#[must_use]
pub fn negative_duration(
    word: &str,
    client: Option<&str>,
    unit: Minutes,
) -> Option<(String, String)> {
    let positive = word.strip_prefix('-')?;
    value::log_time(positive, unit).ok()?;
    let client = client.unwrap_or("CLIENT");
    Some((
        format!("`{word}` is a negative duration, but `log` records time worked"),
        format!(
            "to take time off a balance, use `credits adjust {client} {word} REASON`; to take back the last line, `credits undo`"
        ),
    ))
}

/// The warning for an entry dated more than 31 days from `today`: written all the same.
#[must_use]
pub fn far_date(entry: &Entry, today: NaiveDate) -> Option<Diagnostic> {
    let days = (entry.date - today).num_days();
    if days.abs() <= 31 {
        return None;
    }
    let (n, side) = if days > 0 {
        (days, "after")
    } else {
        (-days, "before")
    };
    let mut d = Diagnostic::bare(format!(
        "the entry is dated {}, {n} days {side} today ({today})",
        entry.date
    ))
    .with_help("if the date is a typo, `credits undo` takes the line back");
    d.severity = crate::diagnostic::Severity::Warning;
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        value::date(s).unwrap()
    }

    #[test]
    fn journal_syntax_becomes_options_and_commands() {
        let today = day("2026-01-06");
        let w = |s: &str| command_words(s, today);
        assert_eq!(
            w("write `@ PRICE` per unit or `for TOTAL`, or set `unit_price` in credits.toml"),
            "give `--price PRICE` per unit or `--total TOTAL`, or set `unit_price` in credits.toml"
        );
        assert_eq!(
            w(
                "`acme` has no approved quote or estimate: remove `quote:Q2`, or write and approve one first"
            ),
            "`acme` has no approved quote or estimate: leave out `--quote Q2`, or write and approve one first"
        );
        assert_eq!(
            w("`quote:Q1` names quote `Q1`, which is pending, not approved"),
            "`--quote Q1` names quote `Q1`, which is pending, not approved"
        );
        assert_eq!(
            w("approve it first: `2026-01-06 approve acme Q1`"),
            "approve it first: `credits approve acme Q1`"
        );
        assert_eq!(
            w("approve it first: `2026-01-02 approve acme Q1`"),
            "approve it first: `credits approve acme Q1 --date 2026-01-02`"
        );
        assert_eq!(
            w("`acme` already has a lot with `ref:INV-1`"),
            "`acme` already has a lot with `--ref INV-1`"
        );
        // Nothing else changes.
        for same in [
            "set `overdraft = \"bill\"` for `acme`",
            "unused time is refundable within `refund_days` of the purchase",
            "`2026-13-01` is not a day",
            "unterminated `",
        ] {
            assert_eq!(w(same), same);
        }
    }

    #[test]
    fn a_date_more_than_31_days_away_either_way_is_warned_about() {
        let book = crate::testing::book("[clients.acme]\n");
        let entry = |date: &str| {
            crate::testing::entries(&book, &format!("{date} log acme 15m\n")).remove(0)
        };
        let today = day("2026-01-06");
        assert!(far_date(&entry("2026-02-06"), today).is_none());
        assert!(far_date(&entry("2025-12-06"), today).is_none());
        let d = far_date(&entry("2026-02-07"), today).unwrap();
        assert_eq!(
            d.message,
            "the entry is dated 2026-02-07, 32 days after today (2026-01-06)"
        );
        assert!(!d.is_error());
        let d = far_date(&entry("2025-12-05"), today).unwrap();
        assert_eq!(
            d.message,
            "the entry is dated 2025-12-05, 32 days before today (2026-01-06)"
        );
    }

    #[test]
    fn a_negative_duration_is_explained() {
        let u = Minutes::from(60);
        let (message, help) = negative_duration("-15m", Some("acme"), u).unwrap();
        assert_eq!(
            message,
            "`-15m` is a negative duration, but `log` records time worked"
        );
        assert!(
            help.starts_with("to take time off a balance, use `credits adjust acme -15m REASON`")
        );
        assert!(negative_duration("-x", None, u).is_none());
        assert!(negative_duration("15m", None, u).is_none());
        assert!(negative_duration("--tag", None, u).is_none());
    }
}
