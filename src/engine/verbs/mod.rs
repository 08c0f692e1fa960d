//! The verbs of the journal, one file each, and what several of them share.

use crate::engine::run::Run;
use crate::model::{Entry, Minutes, Money, Qty};

mod adjust;
mod apply;
mod assert;
mod bill;
mod buy;
mod debit;
mod log;
mod plan;
mod quotes;
mod refund;

impl<'a> Run<'a> {
    pub(in crate::engine) fn check_currency(&mut self, e: &Entry, m: Money, what: &str) -> bool {
        match m.currency {
            Some(c) if c != self.currency => {
                self.error(
                    e.span,
                    format!(
                        "{what} is in {c}, but `{}` pays in {}",
                        self.client.id, self.currency
                    ),
                    Some(format!(
                        "write the amount in {}: there are no exchange rates",
                        self.currency
                    )),
                );
                false
            }
            _ => true,
        }
    }

    /// The help for an unknown plan, package or task named `typed`: the nearest name when one
    /// is close (the one "did you mean"), else every name the book defines.
    pub(in crate::engine) fn names_help<'k>(
        typed: &str,
        keys: impl Iterator<Item = &'k String> + Clone,
        what: &str,
        table: &str,
    ) -> String {
        if let Some(near) = crate::suggest::nearest(typed, keys.clone().map(String::as_str)) {
            return crate::suggest::did_you_mean(near);
        }
        let names: Vec<String> = keys.map(|k| format!("`{k}`")).collect();
        if names.is_empty() {
            format!("the book defines no {what}: add them under `{table}` in credits.toml")
        } else {
            format!("the book's {what} are {}", names.join(", "))
        }
    }

    /// The minutes of a quantity or a task, with the task's title (borrowed from the book:
    /// most often not shown).
    pub(in crate::engine) fn task_minutes(
        &mut self,
        e: &Entry,
        qty: &Qty,
    ) -> Option<(Minutes, &'a str)> {
        match qty {
            Qty::Minutes(m) => Some((*m, "")),
            Qty::Named(name) => {
                let book = self.book;
                if let Some(t) = book.tasks.get(name.as_str()) {
                    return Some((t.minutes, t.title.as_str()));
                }
                let help = Self::names_help(name, self.book.tasks.keys(), "tasks", "[tasks]");
                self.error(e.span, format!("unknown task `{name}`"), Some(help));
                None
            }
        }
    }
}
