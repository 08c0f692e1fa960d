//! The one filter of the reading commands (`register`, `usage`, `projects`, `export csv|json`):
//! `--tag` (any of them), `--project`, `--quote`, `--kind`, `--grep`. PURE: it reads events.

use crate::engine::{Event, EventKind, Replay};
use crate::model::Book;

/// Every event kind, in the order of SPEC §6.
pub const KINDS: [EventKind; 17] = [
    EventKind::Buy,
    EventKind::Grant,
    EventKind::Log,
    EventKind::Covered,
    EventKind::Quoted,
    EventKind::Debit,
    EventKind::Done,
    EventKind::Expire,
    EventKind::Refund,
    EventKind::Apply,
    EventKind::Adjust,
    EventKind::Quote,
    EventKind::Estimate,
    EventKind::Approve,
    EventKind::Reject,
    EventKind::Plan,
    EventKind::Bill,
];

/// The kind named `word` (`log`, `buy`…), or why not, with the nearest kind when one is close.
pub fn kind(word: &str) -> Result<EventKind, String> {
    if let Some(k) = KINDS.iter().find(|k| k.word() == word) {
        return Ok(*k);
    }
    let words = KINDS.iter().map(|k| k.word());
    let help = match crate::suggest::nearest(word, words.clone()) {
        Some(near) => crate::suggest::did_you_mean(near),
        None => format!(
            "the kinds are {}",
            words
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Err(format!("`{word}` is not a kind of event; {help}"))
}

/// Which events a report keeps. The default keeps every event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Keep events of an entry carrying any of these tags (none: no condition).
    pub tags: Vec<String>,
    /// Keep events of entries with this `project:`.
    pub project: Option<String>,
    /// Keep events about this quote or estimate (its own entries, and the logs on it).
    pub quote: Option<String>,
    /// Keep events of this kind.
    pub kind: Option<EventKind>,
    /// Keep events whose description holds this text, whatever the case.
    pub grep: Option<String>,
}

impl Filter {
    /// True when the filter keeps every event.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// True when `e` passes every condition; `describe` gives its description (what
    /// `--grep` reads), asked for only then.
    #[must_use]
    pub fn matches(&self, e: &Event, describe: impl FnOnce() -> String) -> bool {
        (self.tags.is_empty() || self.tags.iter().any(|t| e.tags().iter().any(|et| et == t)))
            && self
                .project
                .as_ref()
                .is_none_or(|p| e.project() == Some(p.as_str()))
            && self
                .quote
                .as_ref()
                .is_none_or(|q| e.quote() == Some(q.as_str()))
            && self.kind.is_none_or(|k| e.kind == k)
            && self.grep.as_ref().is_none_or(|g| {
                describe()
                    .to_lowercase()
                    .contains(g.to_lowercase().as_str())
            })
    }

    /// Drop from `replay` every event the filter does not keep (the lots and balances stay);
    /// `words` describes an event of `book`.
    pub fn retain(&self, book: &Book, replay: &mut Replay, words: super::Words) {
        if self.is_empty() {
            return;
        }
        for state in replay.clients.values_mut() {
            state.events.retain(|e| self.matches(e, || words(book, e)));
            // Draws point into the events by index: they no longer match.
            state.draws.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn event(kind: EventKind, description: &str, tags: &[&str]) -> Event {
        Event {
            date: "2026-03-01".parse().unwrap(),
            kind,
            logged: None,
            debited: None,
            overage: None,
            credited: None,
            balance: Decimal::ZERO,
            amount: None,
            seq: Some(0),
            labels: Some(Box::new(crate::engine::Labels {
                tags: tags.iter().map(|t| (*t).into()).collect(),
                project: Some("site".into()),
                quote: None,
            })),
            detail: crate::engine::Detail {
                text: description.into(),
                ..crate::engine::Detail::default()
            },
        }
    }

    #[test]
    fn every_condition_must_hold_and_any_tag_will_do() {
        let e = event(EventKind::Log, "Fixed the Header", &["bug", "web"]);
        assert!(Filter::default().matches(&e, || e.detail.text.clone()));
        let tags = |t: &[&str]| Filter {
            tags: t.iter().map(ToString::to_string).collect(),
            ..Filter::default()
        };
        assert!(tags(&["ops", "web"]).matches(&e, || e.detail.text.clone()));
        assert!(!tags(&["ops"]).matches(&e, || e.detail.text.clone()));
        let grep = |g: &str| Filter {
            grep: Some(g.into()),
            ..Filter::default()
        };
        assert!(grep("header").matches(&e, || e.detail.text.clone()));
        assert!(grep("FIXED THE").matches(&e, || e.detail.text.clone()));
        assert!(!grep("footer").matches(&e, || e.detail.text.clone()));
        let both = Filter {
            kind: Some(EventKind::Debit),
            ..grep("header")
        };
        assert!(!both.matches(&e, || e.detail.text.clone()));
        let project = |p: &str| Filter {
            project: Some(p.into()),
            ..Filter::default()
        };
        assert!(project("site").matches(&e, || e.detail.text.clone()));
        assert!(!project("shop").matches(&e, || e.detail.text.clone()));
        let quote = Filter {
            quote: Some("Q1".into()),
            ..Filter::default()
        };
        assert!(!quote.matches(&e, || e.detail.text.clone()));
    }

    #[test]
    fn a_kind_is_one_of_the_statement_words_and_a_typo_is_named() {
        assert_eq!(kind("covered"), Ok(EventKind::Covered));
        assert_eq!(
            kind("lgo").unwrap_err(),
            "`lgo` is not a kind of event; did you mean `log`?"
        );
        assert!(
            kind("zzzzzz")
                .unwrap_err()
                .contains("the kinds are `buy`, `grant`")
        );
        for k in KINDS {
            assert_eq!(kind(k.word()), Ok(k));
        }
    }
}
