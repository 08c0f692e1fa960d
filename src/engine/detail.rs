//! What an event is about, as data: the names, references, dates and quantities its line
//! speaks of, so that a report can word it for its reader (`render/words.rs`). The engine
//! writes no words of its own into an event.

use super::{LotKind, QuoteKind};
use chrono::NaiveDate;

/// The structured side of an event; every field is empty when it does not apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detail {
    /// The words written for it: the entry's own description; when the entry has none, a
    /// `done`'s quote description or a `quote`'s task title (then `borrowed` is set).
    pub text: String,
    /// `text` is not the entry's own (see `text`).
    pub borrowed: bool,
    /// What it names: the package (`buy`), the plan (grants, `plan`), the task (`debit`),
    /// the quote id (`quote`, `estimate`, work on a quote, `done`, answers), the project
    /// (`apply`) or the `ref:` a `refund` named its lot by.
    pub name: Option<String>,
    /// A reference: the entry's `ref:` (`buy`, `adjust +`, `bill`), else the lot's (expiries,
    /// refunds).
    pub reference: Option<String>,
    /// The kind of lot an expiry or a refund took time from.
    pub lot: Option<LotKind>,
    /// The expired grant held time rolled over from the month before.
    pub rolled: bool,
    /// The kind of the quote an answer or a `done` is about.
    pub quote: Option<QuoteKind>,
    /// The date of that lot (its purchase or grant).
    pub since: Option<NaiveDate>,
    /// A last usable day: of a grant, or of the lot that expired.
    pub until: Option<NaiveDate>,
    /// A debit of the time carried under `accumulate`, made when the client left it.
    pub carried: bool,
    /// A quantity no other field holds: the time a `rollover` moved from the lapsing grant to
    /// the next month's, the overage a `bill` invoiced, the time of a `quote` or `estimate`.
    pub minutes: Option<crate::model::Minutes>,
}

impl Detail {
    /// The entry's own words, and its `ref:`.
    pub(super) fn of(e: &crate::model::Entry) -> Detail {
        Detail {
            text: e.description.clone(),
            reference: e.meta(crate::model::MetaKey::Ref).map(str::to_string),
            ..Detail::default()
        }
    }

    /// [`Detail::of`] naming `name`.
    pub(super) fn named(e: &crate::model::Entry, name: Option<&str>) -> Detail {
        Detail {
            name: name.map(str::to_string),
            ..Detail::of(e)
        }
    }
}
