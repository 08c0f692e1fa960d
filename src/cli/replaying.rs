//! Replaying a book as it is read ([`Replaying`]): one replayer per part, a client whose
//! lines come late set aside and replayed again on its own, and the consumers of those second
//! readings.

use crate::engine::{self, Replay};
use crate::load::{self, LoadError, Loaded};
use crate::model::Entry;
use chrono::NaiveDate;
use std::ops::ControlFlow;

/// The consumer that replays a book as [`load::load`] reads it: one [`engine::Replayer`] per
/// part, each replaying its share of the clients ([`engine::Partition`]), joined at the end.
/// A client whose entries come out of date order is set aside and, once the book is read,
/// replayed from its own entries, read again ([`Replaying::load`]).
#[derive(Debug, Clone, Copy)]
pub struct Replaying<'k> {
    /// Replay through this date (`None`: through the last entry).
    pub as_of: Option<NaiveDate>,
    /// The replay's options.
    pub opts: engine::ReplayOptions,
    /// A client whose entries are kept too, in read order (a writing command's).
    pub keep: Option<&'k str>,
}

/// What [`Replaying`] made of one reading.
pub struct Replayed {
    /// The replay, without the clients set aside.
    replay: Replay,
    /// The entries of `keep`, in read order.
    own: Vec<Entry>,
    /// The clients whose entries came out of date order, left out of `replay`, each with how
    /// many days late its lines came ([`engine::Replayer::aside_late`]).
    aside: Vec<(String, u64)>,
    /// The day the replay was finished through.
    end: Option<NaiveDate>,
}

impl Replaying<'_> {
    /// Read the book `request` names and replay it ([`load::load`]); the clients set aside
    /// for entries out of date order are then read again, alone, and replayed whole through
    /// the same day as the others, so that the replay is the one of the whole book. Returns
    /// the book, the replay and the entries of `keep`.
    ///
    /// # Errors
    ///
    /// As [`load::load`].
    pub fn load(
        self,
        request: &load::Request<'_>,
    ) -> Result<(Loaded, Replay, Vec<Entry>), LoadError> {
        let (loaded, got) = load::load(request, self)?;
        let Replayed {
            mut replay,
            own,
            aside,
            end,
        } = got;
        if aside.is_empty() {
            return Ok((loaded, replay, own));
        }
        // The book as read the first time: its problems are the ones shown. The clients set
        // aside are read again, alone, their dates waiting as long as their lines came late.
        let again = Again {
            as_of: self.as_of,
            opts: self.opts,
            end,
            clients: &aside,
        };
        let (_, (mut again, still)) = load::load(request, again)?;
        if !still.is_empty() {
            // Too many lines waited (or the book changed): those clients replayed whole.
            let (_, entries) = load::load(request, Only { clients: &still })?;
            let whole = engine::replay_through(&loaded.book, &entries, self.as_of, end, self.opts);
            again.clients.extend(whole.clients);
            again.problems.extend(whole.problems);
        }
        for (id, _) in &aside {
            if let Some(state) = again.clients.remove(id) {
                replay.clients.insert(id.clone(), state);
            }
        }
        replay.problems.append(&mut again.problems);
        crate::diagnostic::sort(&mut replay.problems);
        Ok((loaded, replay, own))
    }
}

/// Give `entry` to `replayer`: a reading stops at an entry out of date order (when the
/// replayer does not set its client aside).
pub(crate) fn push(replayer: &mut engine::Replayer<'_>, entry: Entry) -> ControlFlow<()> {
    match replayer.push(entry) {
        Ok(()) => ControlFlow::Continue(()),
        Err(engine::Disordered) => ControlFlow::Break(()),
    }
}

/// The consumer of a second reading: the clients a first one set aside for lines recorded
/// late, replayed alone, each one's dates waiting as many days as its lines came late
/// ([`engine::Replayer::only`]), through the day the first reading was finished through.
/// Returns their replay, and the clients set aside again (a line later still).
struct Again<'c> {
    as_of: Option<NaiveDate>,
    opts: engine::ReplayOptions,
    end: Option<NaiveDate>,
    clients: &'c [(String, u64)],
}

impl load::Consume for Again<'_> {
    type Output = (Replay, Vec<String>);

    fn take(
        &mut self,
        book: &crate::model::Book,
        parts: usize,
        read: &mut load::ReadAll<'_>,
    ) -> Option<(Replay, Vec<String>)> {
        let partition = engine::Partition::new(parts);
        let mut replayers: Vec<engine::Replayer<'_>> = (0..parts)
            .map(|i| {
                let mut r = engine::Replayer::part(book, self.as_of, self.opts, &partition, i);
                r.set_aside();
                r.only(self.clients);
                r
            })
            .collect();
        let mut takers: Vec<_> = (replayers.iter_mut())
            .map(|r| move |e: Entry| push(r, e))
            .collect();
        let whole = load::deal(read, &|client: &str| partition.of(client), &mut takers);
        drop(takers);
        if !whole {
            return None;
        }
        let still = (replayers.iter())
            .flat_map(|r| r.aside().map(str::to_string))
            .collect();
        let replay = engine::Replayer::join_through(replayers, self.end).ok()?;
        Some((replay, still))
    }

    fn whole(&mut self, book: &crate::model::Book, entries: &[Entry]) -> (Replay, Vec<String>) {
        let theirs: Vec<Entry> = (entries.iter())
            .filter(|e| self.clients.iter().any(|(c, _)| *c == e.client))
            .cloned()
            .collect();
        let replay = engine::replay_through(book, &theirs, self.as_of, self.end, self.opts);
        (replay, Vec::new())
    }
}

/// The consumer that keeps the entries of some clients only, in read order.
pub(crate) struct Only<'c> {
    pub(crate) clients: &'c [String],
}

impl Only<'_> {
    fn wants(&self, e: &Entry) -> bool {
        self.clients.iter().any(|c| *c == e.client)
    }
}

impl load::Consume for Only<'_> {
    type Output = Vec<Entry>;

    fn take(
        &mut self,
        _: &crate::model::Book,
        parts: usize,
        read: &mut load::ReadAll<'_>,
    ) -> Option<Vec<Entry>> {
        let this = &*self;
        let mut kept: Vec<Vec<Entry>> = (0..parts).map(|_| Vec::new()).collect();
        let mut takers: Vec<_> = kept
            .iter_mut()
            .map(|kept| {
                move |e: Entry| {
                    if this.wants(&e) {
                        kept.push(e);
                    }
                    ControlFlow::Continue(())
                }
            })
            .collect();
        let partition = engine::Partition::new(parts);
        let whole = load::deal(read, &|client: &str| partition.of(client), &mut takers);
        drop(takers);
        whole.then(|| kept.into_iter().flatten().collect())
    }

    fn whole(&mut self, _: &crate::model::Book, entries: &[Entry]) -> Vec<Entry> {
        entries.iter().filter(|e| self.wants(e)).cloned().collect()
    }
}

impl load::Consume for Replaying<'_> {
    /// The replay, and the entries of `keep`.
    type Output = Replayed;

    fn take(
        &mut self,
        book: &crate::model::Book,
        parts: usize,
        read: &mut load::ReadAll<'_>,
    ) -> Option<Replayed> {
        let Replaying { as_of, opts, keep } = *self;
        let partition = engine::Partition::new(parts);
        let mut states: Vec<(engine::Replayer<'_>, Vec<Entry>)> = (0..parts)
            .map(|i| {
                let mut r = engine::Replayer::part(book, as_of, opts, &partition, i);
                r.set_aside();
                (r, Vec::new())
            })
            .collect();
        let mut takers: Vec<_> = states
            .iter_mut()
            .map(|(r, own)| {
                move |e: Entry| {
                    if keep == Some(e.client.as_str()) {
                        own.push(e.clone());
                    }
                    push(r, e)
                }
            })
            .collect();
        let whole = load::deal(read, &|client: &str| partition.of(client), &mut takers);
        drop(takers);
        if !whole {
            return None;
        }
        let (replayers, owns): (Vec<_>, Vec<_>) = states.into_iter().unzip();
        let aside = (replayers.iter())
            .flat_map(|r| r.aside_late().map(|(id, days)| (id.to_string(), days)))
            .collect();
        let end = engine::Replayer::end(&replayers);
        let replay = engine::Replayer::join(replayers).ok()?;
        Some(Replayed {
            replay,
            own: owns.into_iter().flatten().collect(),
            aside,
            end,
        })
    }

    fn whole(&mut self, book: &crate::model::Book, entries: &[Entry]) -> Replayed {
        let replay = engine::replay_with(book, entries, self.as_of, self.opts);
        let own = self.keep.map_or_else(Vec::new, |c| {
            entries.iter().filter(|e| e.client == c).cloned().collect()
        });
        Replayed {
            replay,
            own,
            aside: Vec::new(),
            end: None,
        }
    }
}
