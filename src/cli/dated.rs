//! The book read in parts in date order, as both readings of `credits export` and `credits
//! register` read it: each
//! part replays its own clients (as `balance` does), and before the first entry of each new
//! date of a part the reading's own step runs (settling the part's histories before that date
//! and making transactions of them). At the end it tells whether the whole book came in date
//! order, from the runs of one date each part read ([`Runs`]). [`folded`] is such a reading
//! that keeps what it makes of the histories instead of them.
//!
//! A line recorded late (dated before a date its part has read) comes after its client's
//! replay was settled past it: the reading stops ([`Late::Stop`]), or sets that client aside
//! and goes on ([`Late::SetAside`]), noting how many days late its lines came; a later
//! reading then skips it ([`Late::Skip`]) in its part's replay while a replay of its own,
//! settled that many days behind, takes its lines ([`folded`]), or its whole replay, from its
//! own entries, is merged in.

use crate::engine::{ClientState, Partition, Replay, ReplayOptions, Replayer};
use crate::load;
use crate::model::{Book, Entry};
use chrono::{Days, Months, NaiveDate};
use std::ops::ControlFlow;

/// One part of a reading in date order: its replayer, the runs of one date it read, and what
/// the reading keeps beside them.
pub(super) struct Dated<'b, X> {
    pub(super) replayer: Replayer<'b>,
    pub(super) runs: Runs,
    /// An entry came dated before the part's last: the reading stopped.
    stopped: bool,
    /// Clients set aside: an entry of theirs came dated before the part's last (a line
    /// recorded late). Their replay is dropped and their entries are no longer taken.
    aside: Vec<String>,
    /// The replay of the clients [`Late::Skip`] skips, their dates waiting as long as their
    /// lines came late ([`Replayer::only`]): it takes their entries, and is settled with the
    /// part.
    pub(super) late: Option<Replayer<'b>>,
    /// The latest date of the entries the part read (through `as_of`, every client's).
    read_to: Option<NaiveDate>,
    pub(super) with: X,
}

impl<'b, X> Dated<'b, X> {
    pub(super) fn new(replayer: Replayer<'b>, with: X) -> Dated<'b, X> {
        Dated {
            replayer,
            runs: Runs::default(),
            stopped: false,
            aside: Vec::new(),
            late: None,
            read_to: None,
            with,
        }
    }
}

/// What a reading in date order does with the lines recorded late.
#[derive(Clone, Copy)]
pub(super) enum Late<'l> {
    /// The first one stops the reading (it is not in date order).
    Stop,
    /// Their clients are set aside ([`Dated`]); the reading goes on with the others.
    SetAside,
    /// These clients (with how many days late their lines came) are replayed elsewhere, or
    /// by the part's own replay of them ([`Dated`]): the part's replay does not take their
    /// entries, and any other line recorded late stops the reading.
    Skip(&'l [(String, u64)]),
}

/// What a reading does before a part with a replay of the clients skipped apart reads a new
/// latest date ([`read`]).
pub(super) type LateDate<'f, 'b, X> = dyn Fn(&mut Dated<'b, X>, NaiveDate) + Sync + 'f;

/// Read the book through `as_of` into `parts` (one per part of `partition`): `new_date(i,
/// part, entry)` runs before part `i` takes the first entry of each new date of its own;
/// `late_date(part, date)`, before a part with a replay of the clients skipped apart
/// ([`Dated`]) reads the first entry of any client of each new latest date.
/// `None` when the reading did not go through the book; else the parts, their replayers not
/// yet joined, and whether every entry came in date order (within each part, and across the
/// parts by read order).
pub(super) fn read<'b, X: Send>(
    read: &mut load::ReadAll<'_>,
    (partition, late): (Partition, Late<'_>),
    as_of: NaiveDate,
    mut parts: Vec<Dated<'b, X>>,
    new_date: &(dyn Fn(usize, &mut Dated<'b, X>, &Entry) + Sync),
    late_date: Option<&LateDate<'_, 'b, X>>,
) -> Option<(Vec<Dated<'b, X>>, bool)> {
    let skipped: &[(String, u64)] = match late {
        Late::Skip(clients) => clients,
        Late::Stop | Late::SetAside => &[],
    };
    if !skipped.is_empty() {
        for part in &mut parts {
            for (id, _) in skipped {
                part.replayer.set_client_aside(id, None);
            }
        }
    }
    let mut takers: Vec<_> = parts
        .iter_mut()
        .enumerate()
        .map(|(i, part)| {
            move |e: Entry| {
                // The replayer drops the entries of a client set aside (and counts those
                // after `as_of`); they make no run and no new date.
                let skip = !skipped.is_empty() && skipped.iter().any(|(c, _)| *c == e.client);
                let aside =
                    skip || (!part.aside.is_empty() && part.aside.iter().any(|c| *c == e.client));
                let recorded_late = matches!(part.runs.0.last(), Some(run) if e.date < run.2);
                let read_to = part.read_to;
                if e.date <= as_of && read_to.is_none_or(|d| e.date > d) {
                    if let (Some(f), true) = (late_date, part.late.is_some()) {
                        f(part, e.date);
                    }
                    part.read_to = Some(e.date);
                }
                let set_aside = matches!(late, Late::SetAside) && (recorded_late || aside);
                if e.date <= as_of && set_aside {
                    // Its client's replay has been settled past it: the client is set aside,
                    // noting how many days before the latest read its lines come (a replay
                    // of its own, settled that many days behind, takes them in their places).
                    if recorded_late || read_to.is_some_and(|d| e.date < d) {
                        let days = read_to.map_or(0, |d| (d - e.date).num_days());
                        let days = u64::try_from(days).unwrap_or(0);
                        part.replayer.set_client_aside(&e.client, Some(days));
                    }
                    if !aside {
                        part.aside.push(e.client.to_string());
                    }
                } else if e.date <= as_of && !aside {
                    match part.runs.0.last() {
                        // Out of order in the part: out of order in the book.
                        Some(_) if recorded_late => {
                            part.stopped = true;
                            return ControlFlow::Break(());
                        }
                        Some(run) if e.date > run.2 => new_date(i, part, &e),
                        _ => {}
                    }
                    part.runs.add(e.seq, e.date);
                }
                if skip && let Some(theirs) = &mut part.late {
                    // Set aside, so never `Disordered`: a line later still sets its client
                    // aside in that replay too.
                    let _ = theirs.push(e.clone());
                }
                super::push(&mut part.replayer, e)
            }
        })
        .collect();
    let whole = load::deal(read, &|client: &str| partition.of(client), &mut takers);
    drop(takers);
    if !whole {
        return None;
    }
    let ordered = parts.iter().all(|p| !p.stopped) && Runs::in_order(parts.iter().map(|p| &p.runs));
    Some((parts, ordered))
}

/// The days, a year apart, at which a reading settles its replay after the last entry it read
/// (`last`), through `as_of`: after it only the calendar runs (a plan's months through a far
/// `as_of`), and its history is made and let go a year at a time, never held whole.
pub(super) fn after_last(
    last: Option<NaiveDate>,
    as_of: NaiveDate,
) -> impl Iterator<Item = NaiveDate> {
    std::iter::successors(last, |d| d.checked_add_months(Months::new(12)))
        .skip(1)
        .take_while(move |d| *d <= as_of)
}

/// The histories of a reading, one client at a time (id, state).
pub(super) type Histories<'h, 's> = dyn Iterator<Item = (&'s str, &'s mut ClientState)> + 'h;

/// A reading in parts in date order that keeps, instead of the histories, what `fold` makes
/// of them: before each new date of its entries a part settles its clients' histories
/// (`Replayer::settle_before`) and folds them into its own `X` (made by `start`), which must
/// clear what it used; once the replay ends, the rest of every history is folded into one
/// more `X`, last (and, with `late`, the replay of those clients into one more).
/// `None` when the reading did not go through the book. What `register`
/// keeps (rows) and `usage` (a tally).
///
/// With `late` and no entries of theirs, each part replays those clients apart as it reads,
/// settled as many days behind the day read as their lines came late, and folds their
/// histories too; when a line comes later still, [`Gathered::Late`] says to read again with
/// their entries, replayed whole.
pub(super) fn folded<'b, X: Send>(
    read: &mut load::ReadAll<'_>,
    book: &'b Book,
    (parts, as_of, late): (usize, NaiveDate, Option<&LateClients>),
    start: &dyn Fn() -> X,
    fold: &(dyn Fn(&mut Histories<'_, '_>, &mut X) + Sync),
) -> Option<Gathered<Vec<X>>> {
    let partition = Partition::new(parts);
    let opts = ReplayOptions {
        events: true,
        ..ReplayOptions::default()
    };
    let how = match late {
        None => Late::SetAside,
        Some(l) => Late::Skip(&l.clients),
    };
    let waiting = late.filter(|l| l.entries.is_none());
    let states = (0..parts)
        .map(|i| {
            let replayer = Replayer::part(book, Some(as_of), opts, &partition, i);
            let mut part = Dated::new(replayer, start());
            if let Some(late) = waiting {
                part.late = Some(theirs(book, (as_of, opts), partition, i, &late.clients));
            }
            part
        })
        .collect();
    let settle = |part: &mut Dated<'b, X>, date| {
        part.replayer.settle_before(date);
        fold(&mut part.replayer.histories(), &mut part.with);
    };
    let settle_theirs = |part: &mut Dated<'b, X>, date| {
        if let Some(theirs) = &mut part.late {
            theirs.settle_before(date);
            fold(&mut theirs.histories(), &mut part.with);
        }
    };
    let (mut states, ordered) = self::read(
        read,
        (partition, how),
        as_of,
        states,
        &|_, part, e| settle(part, e.date),
        Some(&settle_theirs),
    )?;
    // The clients set aside; with `late`, those of theirs set aside again (a line came later
    // still than the days they wait).
    let mut aside: Vec<(String, u64)> = (states.iter())
        .filter_map(|part| match late {
            None => Some(&part.replayer),
            Some(_) => part.late.as_ref(),
        })
        .flat_map(Replayer::aside_late)
        .map(|(id, days)| (id.to_string(), days))
        .collect();
    if !aside.is_empty() {
        // What was folded of them is not theirs to keep: read again, without them.
        aside.sort();
        return Some(Gathered::Late(aside));
    }
    for part in &mut states {
        // The part's replay took every entry it read (dropping those of clients set aside).
        for next in after_last(part.replayer.last(), as_of) {
            settle(part, next);
            settle_theirs(part, next);
        }
    }
    let mut replayers = Vec::new();
    let mut theirs = Vec::new();
    let mut kept = Vec::new();
    for part in states {
        replayers.push(part.replayer);
        theirs.extend(part.late);
        kept.push(part.with);
    }
    let Ok(mut replay) = Replayer::join(replayers) else {
        return Some(Gathered::OutOfOrder);
    };
    if !ordered {
        return Some(Gathered::OutOfOrder);
    }
    // The rest of every history.
    let mut rest = start();
    fold(
        &mut replay.clients.iter_mut().map(|(id, s)| (id.as_str(), s)),
        &mut rest,
    );
    kept.push(rest);
    if let Some(late) = late {
        // The clients with lines recorded late: the rest of their replay of their own, or
        // their whole replay from their own entries.
        let mut theirs = match &late.entries {
            None => Replayer::join(theirs).ok()?,
            Some(entries) => crate::engine::replay_with(book, entries, Some(as_of), opts),
        };
        let mut folded = start();
        let mut histories = (theirs.clients.iter_mut())
            .filter(|(id, _)| late.clients.iter().any(|(c, _)| c == *id))
            .map(|(id, s)| (id.as_str(), s));
        fold(&mut histories, &mut folded);
        kept.push(folded);
        for (id, _) in &late.clients {
            if let Some(state) = theirs.clients.remove(id) {
                replay.clients.insert(id.clone(), state);
            }
        }
        replay.problems.append(&mut theirs.problems);
        crate::diagnostic::sort(&mut replay.problems);
    }
    Some(Gathered::Read(replay, kept))
}

/// The replay of `clients` alone (each with the days its lines came late), apart: for each
/// part, as [`read`] with [`Late::Skip`] reads it, a replay that waits those days
/// ([`Replayer::only`]), settled before each new latest date of the part's entries (less those
/// days) and folded by `fold` into the part's `X` (made by `start`), told the day before which
/// every history of theirs is final (the date less the most days); once the book is read,
/// the rest of each part's histories is folded into its `X` (told `None`). Returns their
/// replay, the `X`s, and the clients set aside again (a line came later than their days):
/// none when the book is read as the reading that measured those days read it. The other
/// clients are not replayed. `None` when the reading did not go through the book.
pub(super) fn apart<'b, X: Send>(
    read: &mut load::ReadAll<'_>,
    book: &'b Book,
    (parts, as_of, clients): (usize, NaiveDate, &[(String, u64)]),
    (opts, start): (ReplayOptions, &dyn Fn() -> X),
    fold: &(dyn Fn(&mut Histories<'_, '_>, Option<NaiveDate>, &mut X) + Sync),
) -> Option<(Replay, Vec<X>, Vec<String>)> {
    let partition = Partition::new(parts);
    let days = Days::new(clients.iter().map(|(_, d)| *d).max().unwrap_or(0));
    let states = (0..parts)
        .map(|i| {
            // The part's own replay passes over every client.
            let mut none = Replayer::part(book, Some(as_of), opts, &partition, i);
            none.only(&[]);
            let mut part = Dated::new(none, start());
            part.late = Some(theirs(book, (as_of, opts), partition, i, clients));
            part
        })
        .collect();
    let settle = |part: &mut Dated<'b, X>, date: NaiveDate| {
        if let Some(theirs) = &mut part.late {
            theirs.settle_before(date);
            let before = date.checked_sub_days(days).unwrap_or(NaiveDate::MIN);
            fold(&mut theirs.histories(), Some(before), &mut part.with);
        }
    };
    let how = (partition, Late::Skip(clients));
    let (mut states, _) = self::read(read, how, as_of, states, &|_, _, _| {}, Some(&settle))?;
    for part in &mut states {
        for next in after_last(part.replayer.last(), as_of) {
            settle(part, next);
        }
    }
    let still = (states.iter().filter_map(|part| part.late.as_ref()))
        .flat_map(Replayer::aside)
        .map(str::to_string)
        .collect();
    let mut replayers = Vec::new();
    let mut kept = Vec::new();
    for part in states {
        replayers.extend(part.late);
        kept.push(part.with);
    }
    let mut replay = Replayer::join(replayers).ok()?;
    for (k, with) in kept.iter_mut().enumerate() {
        // The rest of the histories of the part's clients.
        let mut histories = (replay.clients.iter_mut())
            .filter(|(id, _)| partition.of(id) == k)
            .map(|(id, s)| (id.as_str(), s));
        fold(&mut histories, None, with);
    }
    Some((replay, kept, still))
}

/// Part `i`'s replay of `clients` alone, each one's dates waiting the days given: what
/// [`apart`], [`folded`] and the writing reading of `export` replay them with.
pub(super) fn theirs<'b>(
    book: &'b Book,
    (as_of, opts): (NaiveDate, ReplayOptions),
    partition: Partition,
    i: usize,
    clients: &[(String, u64)],
) -> Replayer<'b> {
    let mut theirs = Replayer::part(book, Some(as_of), opts, &partition, i);
    theirs.set_aside();
    theirs.only(clients);
    theirs
}

/// What a [`folded`] reading gathered (what each part kept, then what the rest of every
/// history made), or what its consumer made of that.
pub(crate) enum Gathered<T> {
    /// The replay (its histories folded and dropped) and what was made of them.
    Read(Replay, T),
    /// The book's lines are not in date order: what was kept is not to be used.
    OutOfOrder,
    /// These clients have lines recorded late (each with how many days late they came): what
    /// was kept is not to be used; read the book again with them apart ([`LateClients`]).
    Late(Vec<(String, u64)>),
}

impl<T> Gathered<T> {
    /// What was read, made into `U` by `f`.
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Gathered<U> {
        match self {
            Gathered::Read(replay, t) => Gathered::Read(replay, f(t)),
            Gathered::OutOfOrder => Gathered::OutOfOrder,
            Gathered::Late(clients) => Gathered::Late(clients),
        }
    }
}

/// The clients a [`folded`] reading set aside for lines recorded late (each with how many
/// days late its lines came): the next reading replays them apart as it reads, or, with
/// their entries (read again on their own), replays them whole.
pub(crate) struct LateClients {
    pub(crate) clients: Vec<(String, u64)>,
    pub(crate) entries: Option<Vec<Entry>>,
}

/// The entries one part read, as runs of one date: (first `seq`, last `seq`, date).
#[derive(Debug, Default)]
pub(super) struct Runs(Vec<(u32, u32, NaiveDate)>);

impl Runs {
    pub(super) fn add(&mut self, seq: u32, date: NaiveDate) {
        match self.0.last_mut() {
            Some(run) if run.2 == date => run.1 = seq,
            _ => self.0.push((seq, seq, date)),
        }
    }

    /// The most lines read (by `seq`, from the first entry read to the last) while one part
    /// read none of its own: how long a part may say nothing of how far it has come.
    pub(super) fn silence(parts: &[Runs]) -> u32 {
        let first = parts.iter().filter_map(|r| r.0.first()).map(|r| r.0).min();
        let last = parts.iter().filter_map(|r| r.0.last()).map(|r| r.1).max();
        let (Some(first), Some(last)) = (first, last) else {
            return 0;
        };
        parts
            .iter()
            .map(|part| {
                let mut at = first;
                let mut most = 0;
                for run in &part.0 {
                    most = most.max(run.0.saturating_sub(at));
                    at = run.1;
                }
                most.max(last.saturating_sub(at))
            })
            .max()
            .unwrap_or(0)
    }

    /// True when the entries of every part, put back in read order (`seq`), come in date
    /// order: no run begins before another ends with a later date.
    pub(super) fn in_order<'r>(parts: impl IntoIterator<Item = &'r Runs>) -> bool {
        let mut runs: Vec<(u32, u32, NaiveDate)> = parts
            .into_iter()
            .flat_map(|r| r.0.iter().copied())
            .collect();
        runs.sort_unstable();
        // The latest date of the runs up to each one.
        let latest: Vec<NaiveDate> = runs
            .iter()
            .scan(NaiveDate::MIN, |m, r| {
                *m = (*m).max(r.2);
                Some(*m)
            })
            .collect();
        runs.iter().all(|&(_, last, date)| {
            let begun = runs.partition_point(|r| r.0 < last);
            begun == 0 || latest[begun - 1] <= date
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The runs of the parts say "in order" exactly when the entries, put back in read
        /// order, are.
        #[test]
        fn the_runs_of_the_parts_tell_whether_the_book_is_in_date_order(
            entries in prop::collection::vec((0usize..3, 1u32..6), 0..30),
        ) {
            let mut parts: Vec<Runs> = (0..3).map(|_| Runs::default()).collect();
            for (seq, &(part, day)) in entries.iter().enumerate() {
                let date = NaiveDate::from_ymd_opt(2026, 1, day).unwrap_or_default();
                parts[part].add(u32::try_from(seq).unwrap_or_default(), date);
            }
            let sorted = entries.windows(2).all(|w| w[0].1 <= w[1].1);
            prop_assert_eq!(Runs::in_order(&parts), sorted);
        }
    }

    #[test]
    fn the_silence_of_the_parts_is_the_most_lines_one_read_none_of_its_own() {
        let date = NaiveDate::default();
        let runs = |seqs: &[(u32, u32)]| Runs(seqs.iter().map(|&(a, b)| (a, b, date)).collect());
        // Lines 10 to 100: part 0 reads 10..=20 and 90..=100, part 1 40..=50.
        let parts = [runs(&[(10, 20), (90, 100)]), runs(&[(40, 50)])];
        assert_eq!(Runs::silence(&parts), 70);
        assert_eq!(Runs::silence(&[runs(&[(10, 20)]), runs(&[])]), 10);
        assert_eq!(Runs::silence(&[runs(&[]), runs(&[])]), 0);
    }
}
