//! The book read in parts in date order, as both readings of `credits export` read it: each
//! part replays its own clients (as `balance` does), and before the first entry of each new
//! date of a part the reading's own step runs (settling the part's histories before that date
//! and making transactions of them). At the end it tells whether the whole book came in date
//! order, from the runs of one date each part read ([`Runs`]).

use super::Runs;
use crate::engine::{Disordered, Partition, Replayer};
use crate::load;
use crate::model::Entry;
use chrono::NaiveDate;
use std::ops::ControlFlow;

/// One part of a reading in date order: its replayer, the runs of one date it read, and what
/// the reading keeps beside them.
pub(super) struct Dated<'b, X> {
    pub(super) replayer: Replayer<'b>,
    pub(super) runs: Runs,
    /// An entry came dated before the part's last: the reading stopped.
    stopped: bool,
    pub(super) with: X,
}

impl<'b, X> Dated<'b, X> {
    pub(super) fn new(replayer: Replayer<'b>, with: X) -> Dated<'b, X> {
        Dated {
            replayer,
            runs: Runs::default(),
            stopped: false,
            with,
        }
    }
}

/// Read the book through `as_of` into `parts` (one per part of `partition`): `new_date(i,
/// part, entry)` runs before part `i` takes the first entry of each new date of its own.
/// `None` when the reading did not go through the book; else the parts, their replayers not
/// yet joined, and whether every entry came in date order (within each part, and across the
/// parts by read order).
pub(super) fn read<'b, X: Send>(
    read: &mut load::ReadAll<'_>,
    partition: Partition,
    as_of: NaiveDate,
    mut parts: Vec<Dated<'b, X>>,
    new_date: &(dyn Fn(usize, &mut Dated<'b, X>, &Entry) + Sync),
) -> Option<(Vec<Dated<'b, X>>, bool)> {
    let mut takers: Vec<_> = parts
        .iter_mut()
        .enumerate()
        .map(|(i, part)| {
            move |e: Entry| {
                if e.date <= as_of {
                    match part.runs.0.last() {
                        // Out of order in the part: out of order in the book.
                        Some(run) if e.date < run.2 => {
                            part.stopped = true;
                            return ControlFlow::Break(());
                        }
                        Some(run) if e.date > run.2 => new_date(i, part, &e),
                        _ => {}
                    }
                    part.runs.add(e.seq, e.date);
                }
                match part.replayer.push(e) {
                    Ok(()) => ControlFlow::Continue(()),
                    Err(Disordered) => ControlFlow::Break(()),
                }
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
