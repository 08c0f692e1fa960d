//! One client's replay: [`Run`], its state and the caches the rules keep in step, and what
//! every rule uses (errors, events).

use crate::diagnostic::Diagnostic;
use crate::engine::lots::OpenLots;
use crate::engine::partition::Fnv;
use crate::engine::{ClientState, Draw, Event, EventKind, LotKind, Num, Quote, ReplayOptions};
use crate::model::{Book, Client, Minutes, Plan, Policy};
use crate::source::Span;
use chrono::NaiveDate;
use compact_str::CompactString;
use rust_decimal::Decimal;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::hash::BuildHasherDefault;

/// The lots that carry one `ref:`.
pub(super) struct Refs {
    /// The first of them.
    pub(super) first: usize,
    /// How many.
    pub(super) count: usize,
    /// One of them is a purchase.
    pub(super) purchase: bool,
}

pub(super) struct Run<'a> {
    pub(super) book: &'a Book,
    pub(super) client: &'a Client,
    pub(super) plan: Option<&'a Plan>,
    pub(super) policy: Policy,
    pub(super) currency: crate::model::Currency,
    pub(super) state: ClientState,
    pub(super) opts: ReplayOptions,
    /// The consumption order of the open lots, grants included, while `order_valid` (a new
    /// policy makes it stale): a lot opened is put in its place, a lot closed is skipped, and
    /// dropped once it reaches the front.
    pub(super) order: VecDeque<usize>,
    pub(super) order_valid: bool,
    /// The problems this client's entries raised, in the order found.
    pub(super) problems: Vec<Diagnostic>,
    /// Sum of `remaining` over all lots.
    pub(super) held: Num,
    /// The part of `held` in grants: what a debit finds in included time, without a sum over
    /// the open lots.
    pub(super) held_in_grants: Num,
    /// The open lots (time left, not expired), in the order they were made.
    pub(super) open: OpenLots,
    /// Grants closed since closed grants last left memory (see [`Run::forget_closed_grants`]).
    pub(super) closed_grants: usize,
    /// Lots made so far: the next lot's `seq`.
    pub(super) lots_made: u32,
    /// The last date whose start (expiries, grants) has been processed.
    pub(super) done_through: Option<NaiveDate>,
    /// Quotes by id while replaying (hashed: ids are looked up on every answer); they go to
    /// `ClientState::quotes`, in id order, when the replay ends.
    pub(super) quotes: HashMap<String, Quote, BuildHasherDefault<Fnv>>,
    /// (last usable day, lot) of every lot that expires, the earliest first: closed lots are
    /// dropped when they reach the top.
    pub(super) expiries: BinaryHeap<Reverse<(NaiveDate, usize)>>,
    /// (plan, year, month) already granted: a plan grants once a month, never twice. Only
    /// the current month's are kept: a few at most, so a list, and the plan's name borrowed.
    pub(super) granted: Vec<(&'a str, i32, u32)>,
    /// A date and the first of the month after it, from the last time that was asked: the
    /// same answer for any date from it to the end of its month.
    pub(super) month: (NaiveDate, NaiveDate),
    /// The date a plan's first day still owes a grant.
    pub(super) plan_started: Option<NaiveDate>,
    /// Lots drained since the last event: (lot, minutes, money), given to the next event.
    pub(super) drawn: Vec<(usize, Num, Num)>,
    /// With `ReplayOptions::projects`: the events before this index are the ones kept (each
    /// has a `project:`); those after it are not judged yet.
    pub(super) projects_kept: usize,
    /// Minutes reserved by approved quotes (`ClientState::reserved`, kept as it changes).
    pub(super) reserved: Minutes,
    /// Every `ref:` of a lot so far: the lots that carry it, for refunds, and whether a
    /// purchase does (refs of purchases are unique per client).
    pub(super) refs: HashMap<CompactString, Refs, BuildHasherDefault<Fnv>>,
}

impl<'a> Run<'a> {
    pub(super) fn new(book: &'a Book, client: &'a Client, opts: ReplayOptions) -> Run<'a> {
        Run {
            book,
            client,
            plan: None,
            policy: book.policy_for(&client.id, None),
            currency: book.currency_of(&client.id),
            state: ClientState::default(),
            opts,
            order: VecDeque::new(),
            order_valid: false,
            problems: Vec::new(),
            held: Num::ZERO,
            held_in_grants: Num::ZERO,
            open: OpenLots::default(),
            closed_grants: 0,
            lots_made: 0,
            done_through: None,
            granted: Vec::new(),
            month: (NaiveDate::MAX, NaiveDate::MIN),
            expiries: BinaryHeap::new(),
            quotes: HashMap::default(),
            plan_started: None,
            drawn: Vec::new(),
            projects_kept: 0,
            reserved: Decimal::ZERO,
            refs: HashMap::default(),
        }
    }

    /// Remember the `ref:` of lot `i`, if it has one.
    pub(super) fn note_ref(&mut self, i: usize) {
        let lot = &self.state.lots[i];
        let Some(r) = &lot.reference else { return };
        let purchase = lot.kind == LotKind::Purchase;
        match self.refs.get_mut(r.as_str()) {
            Some(f) => {
                f.count += 1;
                f.purchase |= purchase;
            }
            None => {
                let f = Refs {
                    first: i,
                    count: 1,
                    purchase,
                };
                self.refs.insert(r.as_str().into(), f);
            }
        }
    }

    pub(super) fn error(&mut self, span: Span, message: String, help: Option<String>) {
        let mut d = Diagnostic::error(span, message);
        d.help = help;
        self.problems.push(d);
    }

    pub(super) fn balance(&self) -> Minutes {
        (self.held - self.state.debt.into()).dec()
    }

    pub(super) fn money(&self, amount: Decimal) -> String {
        format!("{} {}", self.currency.format(amount), self.currency)
    }

    /// Add an event to the history, given the lots drained since the last one; the caller
    /// fills in its amounts. `None` when no history is kept: then nothing is built, and the
    /// callers skip the sums only an event would show.
    #[inline]
    pub(super) fn push_event(
        &mut self,
        date: NaiveDate,
        kind: EventKind,
        seq: Option<u32>,
    ) -> Option<&mut Event> {
        // With `projects`, only the events of entries with a `project:` are kept: the
        // calendar's (no entry) never are.
        if !self.opts.events || (self.opts.projects && seq.is_none()) {
            // Expiries and `apply` note their draws either way.
            self.drawn.clear();
            return None;
        }
        if self.opts.events_from.is_some_and(|from| date < from) {
            // Before the kept period only the last event stays: its balance opens the period.
            self.state.events.clear();
            self.state.draws.clear();
        }
        if self.opts.sums {
            // Only sums are kept: the last event is complete now, and added to them.
            if let Some(last) = self.state.events.pop() {
                super::EventSum::add(&mut self.state.sums, &last);
            }
            self.state.draws.clear();
        }
        self.push_kept_event(date, kind, seq)
    }

    #[inline(never)]
    pub(super) fn push_kept_event(
        &mut self,
        date: NaiveDate,
        kind: EventKind,
        seq: Option<u32>,
    ) -> Option<&mut Event> {
        let event = Event {
            date,
            kind,
            logged: None,
            debited: None,
            overage: None,
            credited: None,
            balance: self.balance(),
            amount: None,
            seq,
            labels: None,
            detail: super::Detail::default(),
        };
        let index = self.state.events.len();
        for (lot, minutes, money) in self.drawn.drain(..) {
            self.state.draws.push(Draw {
                event: index,
                lot,
                minutes: minutes.dec(),
                money: money.dec(),
            });
        }
        self.state.events.push(event);
        self.state.events.last_mut()
    }

    /// Give the events `e` just made (the last ones, of its `seq`) its tags, `project:` and
    /// quote, which filters read. Nothing when no history is kept.
    pub(super) fn label(&mut self, e: &crate::model::Entry) {
        use crate::model::{MetaKey, Verb};
        if !self.opts.events {
            return;
        }
        let quote = e.meta(MetaKey::Quote).or(match &e.verb {
            Verb::Quote { id, .. }
            | Verb::Estimate { id, .. }
            | Verb::Approve { id }
            | Verb::Reject { id }
            | Verb::Done { id } => Some(id.as_str()),
            _ => None,
        });
        let project = e.meta(MetaKey::Project);
        if !(e.tags.is_empty() && project.is_none() && quote.is_none()) {
            let labels = super::Labels {
                tags: e.tags.clone(),
                project: project.map(CompactString::from),
                quote: quote.map(CompactString::from),
            };
            for ev in self
                .state
                .events
                .iter_mut()
                .rev()
                .take_while(|ev| ev.seq == Some(e.seq))
            {
                ev.labels = Some(Box::new(labels.clone()));
            }
        }
        if self.opts.projects {
            self.keep_projects();
        }
    }

    /// With `ReplayOptions::projects`: of the events made since the last call (all labelled
    /// by now), keep only those with a `project:`, in order; no draws are kept.
    fn keep_projects(&mut self) {
        let events = &mut self.state.events;
        // Before a kept period the history is cleared (`events_from`): start again from 0.
        let start = self.projects_kept.min(events.len());
        let mut kept = start;
        for i in start..events.len() {
            if events[i].project().is_some() {
                events.swap(kept, i);
                kept += 1;
            }
        }
        events.truncate(kept);
        self.projects_kept = kept;
        self.state.draws.clear();
    }
}
