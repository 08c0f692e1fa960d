//! Journal entries: one dated line each.

use super::Canon;
use super::value::{DateSpan, Minutes, Money};
use crate::source::Span;
use chrono::{NaiveDate, NaiveTime};
use compact_str::CompactString;
use std::cmp::Ordering;

/// A quantity or a name from the book's catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Qty {
    /// A quantity of time (`3`, `3cr`, `90m`, `1.5h`), in minutes.
    Minutes(Minutes),
    /// A package (for `buy`) or a task (for `debit` and `quote`).
    Named(CompactString),
}

/// A `buy` price: `@ PRICE` per unit or `for TOTAL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Price {
    /// `@ PRICE`: per unit.
    Each(Money),
    /// `for TOTAL`: for the whole lot.
    Total(Money),
}

/// `expires DATE|SPAN|never` on a `buy` line (or `expires:` metadata).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineExpiry {
    /// The last usable day.
    Date(NaiveDate),
    /// A span from the purchase date.
    Span(DateSpan),
    /// Never expires.
    Never,
}

/// How a `refund` names its lot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LotRef {
    /// The lot's `ref:`.
    Ref(CompactString),
    /// The lot's purchase date.
    Date(NaiveDate),
}

/// The verb of an entry with its required arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verb {
    /// `buy CLIENT QTY [@ PRICE | for TOTAL] [expires …]` or `buy CLIENT PACKAGE`.
    Buy {
        /// Minutes bought, or a package name.
        qty: Qty,
        /// An explicit price.
        price: Option<Price>,
        /// An explicit expiry.
        expires: Option<LineExpiry>,
    },
    /// `log CLIENT DURATION`.
    Log {
        /// Minutes worked.
        minutes: Minutes,
        /// The clock range, when written as `09:15-10:40`.
        clock: Option<(NaiveTime, NaiveTime)>,
    },
    /// `debit CLIENT QTY|TASK`.
    Debit {
        /// What is debited.
        qty: Qty,
    },
    /// `quote CLIENT ID QTY|TASK`.
    Quote {
        /// The quote's id, unique per client.
        id: CompactString,
        /// Its cost.
        qty: Qty,
    },
    /// `estimate CLIENT ID QTY|TASK`: charged on the time actually logged against it.
    Estimate {
        /// The estimate's id, unique per client among quotes and estimates.
        id: CompactString,
        /// The time it is expected to take.
        qty: Qty,
    },
    /// `approve CLIENT ID`.
    Approve {
        /// The quote's id.
        id: CompactString,
    },
    /// `reject CLIENT ID`.
    Reject {
        /// The quote's id.
        id: CompactString,
    },
    /// `done CLIENT ID`.
    Done {
        /// The quote's id.
        id: CompactString,
    },
    /// `apply CLIENT MONEY`.
    Apply {
        /// The amount to cover.
        amount: Money,
    },
    /// `refund CLIENT LOT [QTY]`.
    Refund {
        /// The lot.
        lot: LotRef,
        /// How much (all that is unused when absent).
        qty: Option<Minutes>,
    },
    /// `adjust CLIENT +QTY|-QTY`.
    Adjust {
        /// Signed minutes: `+` a free lot, `-` an exact debit.
        minutes: Minutes,
    },
    /// `plan CLIENT PLAN|none`.
    Plan {
        /// The plan, `None` for `none`.
        plan: Option<CompactString>,
    },
    /// `bill CLIENT`.
    Bill,
    /// `assert CLIENT QTY` (signed).
    Assert {
        /// The expected balance.
        minutes: Minutes,
    },
}

impl Verb {
    /// The journal word for this verb.
    #[must_use]
    pub fn word(&self) -> &'static str {
        match self {
            Verb::Buy { .. } => "buy",
            Verb::Log { .. } => "log",
            Verb::Debit { .. } => "debit",
            Verb::Quote { .. } => "quote",
            Verb::Estimate { .. } => "estimate",
            Verb::Approve { .. } => "approve",
            Verb::Reject { .. } => "reject",
            Verb::Done { .. } => "done",
            Verb::Apply { .. } => "apply",
            Verb::Refund { .. } => "refund",
            Verb::Adjust { .. } => "adjust",
            Verb::Plan { .. } => "plan",
            Verb::Bill => "bill",
            Verb::Assert { .. } => "assert",
        }
    }

    /// Where the entry runs among the entries of its client and date: `plan` entries first
    /// (0, before the date's grant), then the classes 1 to 8 of the same-day order
    /// (1 `buy` and `adjust +`; 2 `quote` and `estimate`; 3 `approve`, `reject`; 4 `log`, `debit`, `apply`,
    /// `adjust -` and `adjust 0`; 5 `done`; 6 `refund`; 7 `bill`; 8 `assert`). Within a
    /// class, the canonical text decides ([`Entry::canon`]).
    #[must_use]
    pub fn class(&self) -> u8 {
        match self {
            Verb::Plan { .. } => 0,
            Verb::Buy { .. } => 1,
            Verb::Adjust { minutes } if minutes.is_sign_positive() && !minutes.is_zero() => 1,
            Verb::Quote { .. } | Verb::Estimate { .. } => 2,
            Verb::Approve { .. } | Verb::Reject { .. } => 3,
            Verb::Log { .. } | Verb::Debit { .. } | Verb::Apply { .. } | Verb::Adjust { .. } => 4,
            Verb::Done { .. } => 5,
            Verb::Refund { .. } => 6,
            Verb::Bill => 7,
            Verb::Assert { .. } => 8,
        }
    }
}

/// A metadata key (`key:value` words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MetaKey {
    /// `ref:` a lot's or an invoice's reference.
    Ref,
    /// `quote:` the quote or estimate a log is work on (only on `log`).
    Quote,
    /// `project:` the project an `apply` pays for.
    Project,
    /// `task:` the catalogue task a log did.
    Task,
    /// `due:` a quote's due date (informational).
    Due,
    /// `expires:` a buy's expiry (same as the `expires` keyword).
    Expires,
}

impl MetaKey {
    /// The key as written, without the colon.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            MetaKey::Ref => "ref",
            MetaKey::Quote => "quote",
            MetaKey::Project => "project",
            MetaKey::Task => "task",
            MetaKey::Due => "due",
            MetaKey::Expires => "expires",
        }
    }

    /// The key for a word such as `ref`.
    #[must_use]
    pub fn from_word(w: &str) -> Option<MetaKey> {
        Some(match w {
            "ref" => MetaKey::Ref,
            "quote" => MetaKey::Quote,
            "project" => MetaKey::Project,
            "task" => MetaKey::Task,
            "due" => MetaKey::Due,
            "expires" => MetaKey::Expires,
            _ => return None,
        })
    }
}

/// One `key:value` metadata pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// The key.
    pub key: MetaKey,
    /// The value as written.
    pub value: CompactString,
}

/// One journal entry: `DATE VERB CLIENT ARGS... [#tag...] [key:value...] [; comment]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The entry's date.
    pub date: NaiveDate,
    /// Read order across the whole book (files in `journals` order, includes in place; read
    /// in parts, journals oldest first). Only its order counts: `load` numbers entries `0..`,
    /// a book read in parts numbers lines. It never decides the order entries run in
    /// ([`Entry::run_order`]).
    pub seq: u32,
    /// The verb word, where errors about the entry point.
    pub span: Span,
    /// The client id word.
    pub client_span: Span,
    /// The client id (inline: ids are short, and a journal has one per line).
    pub client: CompactString,
    /// The verb and its arguments.
    pub verb: Verb,
    /// `#tags`, without the `#`.
    pub tags: Vec<CompactString>,
    /// `key:value` metadata, in order written.
    pub meta: Vec<Meta>,
    /// The description (words joined by one space, quoted runs literal); may be empty.
    pub description: String,
    /// The canonical text: the words after the date as written, joined by one space, without
    /// the comment, a quoted run written back in double quotes with `\"` and `\\` escaped.
    /// Within a date and a class, entries run in its byte order, never in file order. Empty
    /// for an entry not read from a journal.
    pub canon: Canon,
}

impl Entry {
    /// The value of the first `key:` metadata.
    #[must_use]
    pub fn meta(&self, key: MetaKey) -> Option<&str> {
        self.meta
            .iter()
            .find(|m| m.key == key)
            .map(|m| m.value.as_str())
    }

    /// The order in which entries run: by date, then [`Verb::class`], then the canonical text.
    /// Entries equal by this key are the same line (their effects are the same); only the
    /// place of their diagnostics tells them apart.
    #[must_use]
    pub fn run_order(&self, other: &Entry) -> Ordering {
        self.date
            .cmp(&other.date)
            .then_with(|| self.verb.class().cmp(&other.verb.class()))
            .then_with(|| self.canon.as_bytes().cmp(other.canon.as_bytes()))
    }

    /// [`Entry::run_order`], then the place in the book (file, offset): a total order, so
    /// that of two identical lines the same one is reported whatever the files' order.
    #[must_use]
    pub fn run_order_then_place(&self, other: &Entry) -> Ordering {
        self.run_order(other).then_with(|| {
            (self.span.file, self.span.start).cmp(&(other.span.file, other.span.start))
        })
    }

    /// True when the entry carries `#tag`.
    #[must_use]
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }
}
