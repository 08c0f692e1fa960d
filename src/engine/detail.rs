//! What an event is about, as data: the names, references and dates its line speaks of, so
//! that a report can word it for its reader (`render/words.rs`) without parsing
//! [`Event::description`](super::Event::description).

use super::LotKind;
use chrono::NaiveDate;

/// The structured side of an event; every field is empty when it does not apply.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detail {
    /// The words written for it: the entry's own description (for `done`, else the quote's).
    pub text: String,
    /// What it names: the package (`buy`), the plan (grants, `plan`, expiries of grants), the
    /// task (`debit`, `quote`), the quote id (work on a quote, `done`, answers) or the project
    /// (`apply`).
    pub name: Option<String>,
    /// A reference: the entry's `ref:` (`buy`, `adjust +`, `bill`), else the lot's (expiries,
    /// refunds).
    pub reference: Option<String>,
    /// The kind of lot an expiry or a refund took time from.
    pub lot: Option<LotKind>,
    /// The date of that lot (its purchase or grant).
    pub since: Option<NaiveDate>,
    /// A last usable day: of a grant, or of the lot that expired.
    pub until: Option<NaiveDate>,
    /// A debit of the time carried under `accumulate`, made when the client left it.
    pub carried: bool,
    /// The time a `rollover` moved from the lapsing grant to the next month's.
    pub moved: Option<crate::model::Minutes>,
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
