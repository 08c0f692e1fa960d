//! The writing reading in parts, on threads, of a report printed while the book is read
//! (`credits export`'s transactions, `credits register`'s rows): each part replays its own
//! clients (as `balance` does), and before each new date of its entries its [`Maker`] turns
//! their settled histories into pieces of text in a [`Batch`]; a [`Merge`] puts the parts'
//! pieces in the report's one order (by date, then client in id order, then the order made),
//! which a merge of the parts' streams gives exactly, since parts own disjoint clients and
//! each part's stream is in that order.
//!
//! A part's batch says the date before which its part has given everything (its watermark):
//! a piece is put once every other part either has a later piece waiting or has a watermark
//! after its date. The parts read the journal a chunk at a time in step, and each sends a
//! batch at least every [`BATCH_LINES`] lines read, so their watermarks stay close; a part
//! waits while its batches are not put ([`MAX_QUEUED`]), unless the merge waits for another
//! part, which it then may not block. A part that reads none of its own entries for long says
//! nothing of how far it has come, and the others' text waits for it: a book where a part is
//! silent for more than [`MAX_SILENCE`] lines (the first reading tells) is written on one
//! thread.

use super::Reading;
use crate::cli::dated::{self, Dated};
use crate::engine::{ClientState, Partition, Replay, ReplayOptions, Replayer};
use crate::load;
use crate::model::{Book, Entry};
use chrono::{Days, NaiveDate};
use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// The text of some pieces of one part (transactions, rows), in order, and the part's
/// watermark.
#[derive(Debug, Default)]
pub(in crate::cli) struct Batch {
    text: String,
    /// (date, client's place, end of its text in `text`) of each transaction.
    marks: Vec<(NaiveDate, usize, usize)>,
    /// Every transaction the part gives after this batch is dated on or after this day.
    after: NaiveDate,
}

impl Batch {
    /// Add a piece dated `date` of the client at `place` (among the book's clients in id
    /// order), its text written by `write`.
    pub(in crate::cli) fn piece(
        &mut self,
        date: NaiveDate,
        place: usize,
        write: impl FnOnce(&mut String),
    ) {
        write(&mut self.text);
        self.marks.push((date, place, self.text.len()));
    }
}

/// What a part of a writing reading makes of its clients' histories once they are settled:
/// pieces of text, each dated and placed by its client, in the order they are to be printed
/// among the part's own.
pub(in crate::cli) trait Maker: Send {
    /// Add to `batch` the pieces of `histories` (the part's clients in id order) settled
    /// before `before` (`None`: the replay ended, all of them), and clear what was used.
    fn make<'s>(
        &mut self,
        histories: &mut dyn Iterator<Item = (&'s str, &'s mut ClientState)>,
        before: Option<NaiveDate>,
        batch: &mut Batch,
    );
}

/// Makes one [`Maker`] per part, for a reading of `book`.
pub(in crate::cli) trait Makes: Sync {
    /// What each part makes its pieces with.
    type Maker<'b>: Maker
    where
        Self: 'b;

    /// A maker for one part of a reading of `book`.
    fn maker<'b>(&'b self, book: &'b Book) -> Self::Maker<'b>;
}

/// Text a batch holds before it is sent at a new date (in tests, small books send many).
const BATCH_BYTES: usize = if cfg!(test) { 200 } else { 64 << 10 };

/// Lines of the journal (by `seq`) a batch spans at most before it is sent, so that a part
/// with little to write still says how far it has come.
const BATCH_LINES: u32 = if cfg!(test) { 2 } else { 4096 };

/// The most lines of the journal one part may read none of its own entries for: the other
/// parts' text of those lines waits for it. A book with a longer silence (a part whose
/// clients all stop for long) is written on one thread, so that an export holds little.
pub(in crate::cli) const MAX_SILENCE: u32 = 1 << 16;

/// Batches of a part sent and not yet put: the part waits for the merge beyond these.
const MAX_QUEUED: usize = if cfg!(test) { 1 } else { 8 };

/// The batches on their way from the parts to the writer.
#[derive(Default)]
pub(in crate::cli) struct Merge {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    /// The parts began: `queues`, `queued`, `after` and `spare` have one slot per part.
    begun: bool,
    queues: Vec<VecDeque<Batch>>,
    /// Batches sent and not yet given back.
    queued: Vec<usize>,
    /// Batches put, to be filled again by their part.
    spare: Vec<Vec<Batch>>,
    /// The merge waits for a part that has sent nothing it can put: no part may wait.
    starved: bool,
    /// The reading ended (whatever it gave), or the merge stopped: nothing waits any more.
    ended: bool,
}

impl Merge {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The reading is in `parts` parts.
    fn begin(&self, parts: usize) {
        let mut s = self.lock();
        s.begun = true;
        s.queues = (0..parts).map(|_| VecDeque::new()).collect();
        s.queued = vec![0; parts];
        s.spare = (0..parts).map(|_| Vec::new()).collect();
        self.changed.notify_all();
    }

    /// No more batches will come (the reading ended, or failed).
    pub(in crate::cli) fn end(&self) {
        self.lock().ended = true;
        self.changed.notify_all();
    }

    /// [`Merge::end`] when the guard is dropped, even by a panic (so that no thread waits
    /// for one that is gone).
    pub(in crate::cli) fn ends(&self) -> Ends<'_> {
        Ends(self)
    }

    /// Send `batch` of `part`; an empty batch to fill comes back. Waits while the part has
    /// [`MAX_QUEUED`] batches not yet put and the merge is not waiting for another part.
    fn send(&self, part: usize, batch: Batch) -> Batch {
        let mut s = self.lock();
        while s.queued[part] >= MAX_QUEUED && !s.starved && !s.ended {
            s = self.changed.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
        s.queued[part] += 1;
        s.queues[part].push_back(batch);
        let spare = s.spare[part].pop().unwrap_or_default();
        drop(s);
        self.changed.notify_all();
        spare
    }

    /// Put every piece in order, with `put`, as the batches come, until every part has
    /// sent its last (watermark `NaiveDate::MAX`) or the reading ended.
    pub(in crate::cli) fn run(&self, mut put: impl FnMut(&str)) {
        // Whatever happens here, the parts must not wait for it.
        let _ends = self.ends();
        let mut held: Vec<VecDeque<Batch>> = Vec::new();
        // Where the first batch held of each part is read up to: (mark, byte).
        let mut at: Vec<(usize, usize)> = Vec::new();
        let mut after: Vec<NaiveDate> = Vec::new();
        let mut done: Vec<(usize, Batch)> = Vec::new();
        loop {
            // Put what can be put.
            loop {
                let mut first: Option<(NaiveDate, usize, usize)> = None;
                for (i, q) in held.iter().enumerate() {
                    if let Some(&(date, k, _)) = q.front().and_then(|b| b.marks.get(at[i].0))
                        && first.is_none_or(|(d, c, _)| (date, k) < (d, c))
                    {
                        first = Some((date, k, i));
                    }
                }
                let Some((date, _, i)) = first else { break };
                // A part with nothing held may still give a piece of this date.
                if (0..held.len()).any(|j| held[j].is_empty() && after[j] <= date) {
                    break;
                }
                let Some(batch) = held[i].front() else { break };
                let (mark, start) = at[i];
                let Some(&(_, _, end)) = batch.marks.get(mark) else {
                    break;
                };
                put(batch.text.get(start..end).unwrap_or_default());
                at[i] = (mark + 1, end);
                if mark + 1 == batch.marks.len() {
                    at[i] = (0, 0);
                    if let Some(b) = held[i].pop_front() {
                        done.push((i, b));
                    }
                    // Batches without a piece carry only a watermark.
                    while held[i].front().is_some_and(|b| b.marks.is_empty()) {
                        if let Some(b) = held[i].pop_front() {
                            done.push((i, b));
                        }
                    }
                }
            }
            let mut s = self.lock();
            for (i, mut b) in done.drain(..) {
                b.text.clear();
                b.marks.clear();
                s.queued[i] -= 1;
                s.spare[i].push(b);
            }
            loop {
                if s.begun && held.is_empty() {
                    let parts = s.queues.len();
                    held = (0..parts).map(|_| VecDeque::new()).collect();
                    at = vec![(0, 0); parts];
                    after = vec![NaiveDate::MIN; parts];
                }
                let mut came = false;
                for (i, q) in s.queues.iter_mut().enumerate() {
                    while let Some(b) = q.pop_front() {
                        came = true;
                        after[i] = b.after;
                        if b.marks.is_empty() && held[i].is_empty() {
                            done.push((i, b));
                        } else {
                            held[i].push_back(b);
                        }
                    }
                }
                if came {
                    s.starved = false;
                    break;
                }
                if s.begun
                    && after.iter().all(|&a| a == NaiveDate::MAX)
                    && held.iter().all(VecDeque::is_empty)
                {
                    return;
                }
                if s.ended {
                    return;
                }
                s.starved = true;
                self.changed.notify_all();
                s = self.changed.wait(s).unwrap_or_else(PoisonError::into_inner);
            }
            // Batches that came empty are given back at once.
            for (i, mut b) in done.drain(..) {
                b.text.clear();
                s.queued[i] -= 1;
                s.spare[i].push(b);
            }
            drop(s);
            self.changed.notify_all();
        }
    }
}

/// Ends a [`Merge`] when dropped.
pub(in crate::cli) struct Ends<'m>(&'m Merge);

impl Drop for Ends<'_> {
    fn drop(&mut self) {
        self.0.end();
    }
}

/// The consumer of the writing reading: one [`Replayer`] per part, as `balance` replays;
/// before each new date of its entries, a part makes the pieces of its clients' histories of
/// the dates before (with its [`Maker`]) and sends them to the [`Merge`].
pub(in crate::cli) struct Parted<'m, 'k, K> {
    pub as_of: NaiveDate,
    /// Only this client's pieces are made (a part without it sends nothing until the end).
    pub client: Option<&'k str>,
    pub makes: &'k K,
    pub merge: &'m Merge,
    /// `take` was called before: the reading fell back to another way after some of it was
    /// sent (the journal changed since the first reading, which read it this way).
    pub again: bool,
    /// The clients with lines recorded late: their entries are not taken by the parts'
    /// replays.
    pub late: Option<Late>,
}

/// How [`Parted`] replays the clients a first reading set aside for lines recorded late.
#[derive(Clone)]
pub(in crate::cli) enum Late {
    /// Replayed whole before the reading ([`super::late`]): their pieces, all made at once,
    /// are one more part's.
    Whole(Replay),
    /// Replayed apart in each part as the book is read, their dates waiting the days given
    /// (the same for all: [`super::late_ones`]): each part's pieces of theirs, settled that
    /// many days behind the day read, go to the merge as one more part's.
    Apart(Vec<(String, u64)>),
}

/// What one part of [`Parted`] keeps beside its replayer.
struct Part<M> {
    maker: M,
    batch: Batch,
    /// The `seq` of the entry the batch was last sent at.
    sent: u32,
    /// No client made pieces of is in this part's replay (none, or only clients apart): it
    /// gives no piece before the end, and says so at once (a watermark at the end of time).
    idle: bool,
    /// With [`Late::Apart`]: the maker and batch of the clients replayed apart, sent to the
    /// merge as part `parts + index`, and whether none of them is made pieces of (then it
    /// says so at once, as an idle part).
    theirs: Option<(M, Batch, bool)>,
    index: usize,
}

impl<K: Makes> load::Consume for Parted<'_, '_, K> {
    type Output = Reading;

    fn take(&mut self, book: &Book, parts: usize, read: &mut load::ReadAll<'_>) -> Option<Reading> {
        if std::mem::replace(&mut self.again, true) {
            return Some(Reading::OutOfOrder);
        }
        let as_of = self.as_of;
        let merge = self.merge;
        let late = self.late.take();
        merge.begin(match &late {
            None => parts,
            Some(Late::Whole(_)) => parts + 1,
            Some(Late::Apart(_)) => 2 * parts,
        });
        let mut skipped = Vec::new();
        let apart = matches!(late, Some(Late::Apart(_)));
        match late {
            Some(Late::Whole(mut theirs)) => {
                // Their pieces, every one, sent at once: a part that has given everything.
                let mut maker = self.makes.maker(book);
                let mut batch = Batch::default();
                let mut histories = (theirs.clients.iter_mut()).map(|(id, s)| (id.as_str(), s));
                maker.make(&mut histories, None, &mut batch);
                batch.after = NaiveDate::MAX;
                merge.send(parts, batch);
                skipped = theirs.clients.into_keys().map(|id| (id, 0)).collect();
            }
            Some(Late::Apart(clients)) => skipped = clients,
            None => {}
        }
        // How many days behind the day read the clients apart are settled.
        let days = Days::new(skipped.iter().map(|(_, d)| *d).max().unwrap_or(0));
        let how = if skipped.is_empty() {
            dated::Late::Stop
        } else {
            dated::Late::Skip(&skipped)
        };
        let partition = Partition::new(parts);
        let client = self.client;
        let opts = ReplayOptions::default();
        // Whether part `i` has a client pieces are made of, among those apart or not.
        let has = |i: usize, apart: bool| {
            (book.clients.keys())
                .filter(|id| client.is_none_or(|c| c == id.as_str()))
                .filter(|id| skipped.iter().any(|(c, _)| c == *id) == apart)
                .any(|id| partition.of(id) == i)
        };
        let the_end = || Batch {
            after: NaiveDate::MAX,
            ..Batch::default()
        };
        let states = (0..parts)
            .map(|i| {
                let replayer = Replayer::part(book, Some(as_of), opts, &partition, i);
                let idle = !has(i, false);
                if idle {
                    merge.send(i, the_end());
                }
                let theirs = apart.then(|| {
                    let idle = !has(i, true);
                    if idle {
                        merge.send(parts + i, the_end());
                    }
                    (self.makes.maker(book), Batch::default(), idle)
                });
                let part = Part {
                    maker: self.makes.maker(book),
                    batch: Batch::default(),
                    sent: 0,
                    idle,
                    theirs,
                    index: i,
                };
                let mut dated = Dated::new(replayer, part);
                if apart {
                    let theirs = dated::theirs(book, (as_of, opts), partition, i, &skipped);
                    dated.late = Some(theirs);
                }
                dated
            })
            .collect();
        // The clients apart: settled before each new latest date of the part (less `days`),
        // their pieces sent with that watermark.
        let settle_theirs = |dated: &mut Dated<'_, Part<K::Maker<'_>>>, date: NaiveDate| {
            let Dated {
                late: Some(replayer),
                with: part,
                ..
            } = dated
            else {
                return;
            };
            let Some((maker, batch, idle)) = &mut part.theirs else {
                return;
            };
            replayer.settle_before(date);
            let before = date.checked_sub_days(days).unwrap_or(NaiveDate::MIN);
            maker.make(&mut replayer.histories(), Some(before), batch);
            if !*idle {
                batch.after = before;
                let full = std::mem::take(batch);
                *batch = merge.send(parts + part.index, full);
            }
        };
        let (mut states, ordered) = dated::read(
            read,
            (partition, how),
            as_of,
            states,
            &|i, dated, e| {
                let Dated {
                    replayer,
                    with: part,
                    ..
                } = dated;
                replayer.settle_before(e.date);
                part.maker
                    .make(&mut replayer.histories(), Some(e.date), &mut part.batch);
                if !part.idle
                    && (part.batch.text.len() >= BATCH_BYTES
                        || e.seq.saturating_sub(part.sent) >= BATCH_LINES)
                {
                    part.batch.after = e.date;
                    let full = std::mem::take(&mut part.batch);
                    part.batch = merge.send(i, full);
                    part.sent = e.seq;
                }
            },
            apart.then_some(&settle_theirs),
        )?;
        if ordered {
            // After the last entry, every part in turn, a year at a time.
            let last = states.iter().filter_map(|p| p.replayer.last()).max();
            for next in dated::after_last(last, as_of) {
                for (i, dated) in states.iter_mut().enumerate() {
                    let Dated {
                        replayer,
                        with: part,
                        ..
                    } = dated;
                    replayer.settle_before(next);
                    part.maker
                        .make(&mut replayer.histories(), Some(next), &mut part.batch);
                    if !part.idle {
                        part.batch.after = next;
                        let full = std::mem::take(&mut part.batch);
                        part.batch = merge.send(i, full);
                    }
                    settle_theirs(dated, next);
                }
            }
        }
        // A client apart set aside again: a line came later than when the book was checked
        // (it changed since).
        let again =
            (states.iter().filter_map(|d| d.late.as_ref())).any(|r| r.aside().next().is_some());
        let mut replayers = Vec::new();
        let mut theirs = Vec::new();
        let mut rest = Vec::new();
        for part in states {
            replayers.push(part.replayer);
            theirs.extend(part.late);
            rest.push(part.with);
        }
        let Ok(mut replay) = Replayer::join(replayers) else {
            return Some(Reading::OutOfOrder);
        };
        if !ordered || again {
            return Some(Reading::OutOfOrder);
        }
        let mut apart = Replayer::join(theirs).ok()?;
        for (k, mut part) in rest.into_iter().enumerate() {
            // The rest of the part's own clients' histories.
            let mut histories = replay
                .clients
                .iter_mut()
                .filter(|(id, _)| partition.of(id) == k)
                .map(|(id, s)| (id.as_str(), s));
            part.maker.make(&mut histories, None, &mut part.batch);
            part.batch.after = NaiveDate::MAX;
            merge.send(k, part.batch);
            if let Some((mut maker, mut batch, _)) = part.theirs {
                // The rest of the histories of the part's clients apart.
                let mut histories = (apart.clients.iter_mut())
                    .filter(|(id, _)| partition.of(id) == k)
                    .map(|(id, s)| (id.as_str(), s));
                maker.make(&mut histories, None, &mut batch);
                batch.after = NaiveDate::MAX;
                merge.send(parts + k, batch);
            }
        }
        Some(Reading::Replayed(replay))
    }

    fn whole(&mut self, _: &Book, _: &[Entry]) -> Reading {
        Reading::OutOfOrder
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(pieces: &[(&str, usize, &str)], after: NaiveDate) -> Batch {
        let mut b = Batch {
            after,
            ..Batch::default()
        };
        for (date, k, text) in pieces {
            b.text.push_str(text);
            b.marks.push((date.parse().unwrap(), *k, b.text.len()));
        }
        b
    }

    /// A part whose watermark is a piece's date may still give a piece of that date, of a
    /// client before it: the merge waits for it.
    #[test]
    fn a_piece_waits_for_every_part_that_may_give_one_of_its_date() {
        let merge = Merge::default();
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let out = std::thread::scope(|scope| {
            let putting = scope.spawn(|| {
                let mut out = String::new();
                merge.run(|p| out.push_str(p));
                out
            });
            merge.begin(2);
            merge.send(1, batch(&[("2026-01-01", 1, "b1 ")], day("2026-01-02")));
            merge.send(0, batch(&[], day("2026-01-02")));
            merge.send(1, batch(&[("2026-01-02", 3, "d2 ")], NaiveDate::MAX));
            // Time enough for a merge that would not wait to put `d2` first.
            std::thread::sleep(std::time::Duration::from_millis(50));
            merge.send(0, batch(&[("2026-01-02", 0, "a2 ")], NaiveDate::MAX));
            putting.join().unwrap()
        });
        assert_eq!(out, "b1 a2 d2 ");
    }
}
