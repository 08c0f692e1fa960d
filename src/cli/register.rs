//! `credits register [CLIENT] [period] [filters]` (alias `reg`).

use super::dated;
use super::export::{self, merge, merge::Merge};
use super::filter::FilterArgs;
use super::period::PeriodArgs;
use super::{Context, Fail, Format, known_client};
use crate::engine::ClientState;
use crate::load;
use crate::model::{Book, Entry};
use crate::render;
use crate::render::register::{self as rows_out, RowFormat, TextWidths};
use crate::report::{self, RegisterRow, RegisterTotals};
use chrono::NaiveDate;
use clap::Args;
use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::{Mutex, PoisonError};

/// List every event, one row each, with the client's balance after it
///
/// One row per event of the period that passes the filters: date, client, kind,
/// description, tags, time logged and debited, money, and the client's real balance after
/// the event (every event counted, shown or not); then a total row. Logged and debited add up
/// as the statement adds them: overage and time used by `apply` are not debited. Without a
/// period, the whole history through today.
///
/// Examples:
///
///   credits register acme -p last-month
///   credits register --tag support --from -30d
///   credits reg acme --kind log --grep header --format csv
#[derive(Debug, Args)]
#[command(verbatim_doc_comment, visible_alias = "reg")]
pub struct RegisterArgs {
    /// Only this client
    pub client: Option<String>,

    /// `-p`, `--month`, `--from`, `--to` [default: all time].
    #[command(flatten)]
    pub period: PeriodArgs,

    /// `--tag`, `--project`, `--quote`, `--kind`, `--grep`.
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// Run `credits register`.
pub fn run(args: &RegisterArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let period = args.period.resolve(ctx.today)?;
    let filter = args.filter.filter();
    let client = args.client.as_deref();
    let format = match ctx.format {
        Format::Csv => Some(RowFormat::Csv),
        Format::Json => Some(RowFormat::Json),
        Format::Md => Some(RowFormat::Md),
        _ => None,
    };
    // Over all time and every client the register is as long as the book: it is printed as
    // the book is read, never held (text too when it is a plain table: no width to fit, no
    // colour). A period or a client makes it short: it is held, which takes one reading
    // instead of two or three.
    let layout = ctx.text();
    let plain = layout.width.is_none() && !layout.color;
    if period.is_none()
        && client.is_none()
        && (format.is_some() || plain)
        && let Some(code) = printed_as_read(ctx, period.as_ref(), client, &filter, format)?
    {
        return Ok(code);
    }
    let reg = match in_parts(ctx, period.as_ref(), client, &filter)? {
        Some(reg) => reg,
        // Not in date order: replayed whole, its history held.
        None => {
            let (loaded, replay, from, to) = ctx.events_of(period.as_ref(), client, false)?;
            let words = render::words::event;
            report::register(&loaded.book, &replay, client, from, to, &filter, words)
        }
    };
    let text = match ctx.format {
        Format::Json => render::register::json(&reg),
        Format::Csv => render::register::csv(&reg),
        Format::Md => render::register::md(&reg),
        _ => render::register::text(&reg, ctx.text()),
    };
    ctx.print(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The register in CSV, JSON or Markdown (`format`), or as a plain text table (`None`),
/// printed while the book is read, as `export` is: a first reading finds the book's problems
/// (a book with problems prints none of it) and how to read it; in the last, each part makes
/// its clients' rows before each new date and a thread prints every part's rows in order as
/// they come, so that neither the history nor the rows are held. Text needs its columns'
/// widths first: a reading between the two makes the rows and measures them. `None` when the
/// book's lines are not in date order, or a text cell is not plain (then the register is made
/// whole).
fn printed_as_read(
    ctx: &Context,
    period: Option<&super::period::Period>,
    client: Option<&str>,
    filter: &report::Filter,
    format: Option<RowFormat<'_>>,
) -> anyhow::Result<Option<ExitCode>> {
    let from = period.map(|p| p.from);
    let to = period.map_or(ctx.today, |p| p.to.min(ctx.today));
    let (loaded, (first, _, parts, aside)) = export::check(ctx, to, None)?;
    let export::Reading::Replayed(mut replay) = first else {
        return Ok(None);
    };
    if let Some(id) = client {
        known_client(&loaded, id)?;
    }
    // Read again as the first reading read the book (on one thread when a part would hold
    // back the others' text): a reading that writes as it reads cannot start over.
    let strategy = match loaded.read_as {
        load::Strategy::Parts(_) => load::Strategy::Parts(parts),
        _ => load::Strategy::Stream,
    };
    // Clients with lines recorded late: replayed apart as the book is read, or whole on their
    // own, and printed among the others.
    let theirs = if aside.is_empty() {
        None
    } else {
        let book = (&loaded.book, to);
        let (theirs, mut problems, _) = export::late_ones(ctx, book, &aside, strategy, None)?;
        replay.problems.append(&mut problems);
        Some(theirs)
    };
    ctx.checked(&loaded, replay)?;
    let registering = |format| Registering {
        span: (from, to),
        client,
        filter,
        format,
        totals: Mutex::default(),
        measured: Mutex::default(),
    };
    let widths;
    let format = match format {
        Some(format) => format,
        None => {
            let measuring = registering(None);
            let merge = Merge::default();
            let (again, second) = std::thread::scope(|scope| {
                // Nothing to print: the merge only lets the parts go on.
                scope.spawn(|| merge.run(|_| {}));
                let _ends = merge.ends();
                export::write(
                    ctx,
                    (to, theirs.clone()),
                    strategy,
                    client,
                    &measuring,
                    &merge,
                )
            })?;
            changed_since(ctx, &again, second)?;
            let totals = into_inner(measuring.totals);
            let (measured, rows) = into_inner(measuring.measured);
            if rows == 0 {
                ctx.print(&render::register::no_events(from, to))?;
                return Ok(Some(ExitCode::SUCCESS));
            }
            let Some(w) = measured.finish(rows, &totals) else {
                return Ok(None);
            };
            widths = w;
            RowFormat::Text(&widths)
        }
    };
    let printing = registering(Some(format));
    let merge = Merge::default();
    let (again, second, rows, mut out) = std::thread::scope(|scope| {
        let writing = scope.spawn(|| {
            let mut out = export::Chunks::new(ctx);
            let mut rows = rows_out::Rows::begin(format, &mut out).ok();
            merge.run(|piece| {
                if let Some(r) = &mut rows
                    && r.put(piece, &mut out).is_err()
                {
                    rows = None;
                }
            });
            (rows, out)
        });
        let read = {
            // The printing thread stops when the reading ends, however it ends.
            let _ends = merge.ends();
            export::write(ctx, (to, theirs), strategy, client, &printing, &merge)
        };
        let (rows, out) = writing
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        read.map(|(again, second)| (again, second, rows, out))
    })?;
    changed_since(ctx, &again, second)?;
    let totals = into_inner(printing.totals);
    if let Some(r) = rows
        && r.end(&totals, &mut out).is_ok()
    {
        out.flush();
    }
    out.done()?;
    Ok(Some(ExitCode::SUCCESS))
}

/// A reading after the first: the entries were in date order a moment ago, and its problems
/// (none a moment ago) are printed.
fn changed_since(ctx: &Context, loaded: &load::Loaded, read: export::Reading) -> Result<(), Fail> {
    let export::Reading::Replayed(replay) = read else {
        return Err(Fail::request(
            "the journal changed while the register was printed",
            Some("run it again".into()),
        ));
    };
    ctx.checked(loaded, replay)?;
    Ok(())
}

fn into_inner<T>(m: Mutex<T>) -> T {
    m.into_inner().unwrap_or_else(PoisonError::into_inner)
}

/// The rows of a register printed as the book is read ([`printed_as_read`]): each part's
/// rows, made in `format` (`None`: only measured, as a text table's), and the sums of every
/// part's rows once it ends.
struct Registering<'a> {
    span: (Option<NaiveDate>, NaiveDate),
    client: Option<&'a str>,
    filter: &'a report::Filter,
    format: Option<RowFormat<'a>>,
    totals: Mutex<RegisterTotals>,
    /// Without a format: the text columns' widths and the count of every part's rows.
    measured: Mutex<(TextWidths, usize)>,
}

/// One part's maker of [`Registering`].
struct RegisterMaker<'b> {
    of: &'b Registering<'b>,
    book: &'b Book,
    /// Each client's place among the book's clients in id order.
    places: HashMap<&'b str, usize>,
    /// The rows of one call, with their client's place, put in order.
    rows: Vec<(usize, RegisterRow)>,
    /// Scratch for one client's rows.
    made: Vec<RegisterRow>,
    totals: RegisterTotals,
    /// Without a format: the rows measured, and how many.
    measured: (TextWidths, usize),
}

impl merge::Makes for Registering<'_> {
    type Maker<'b>
        = RegisterMaker<'b>
    where
        Self: 'b;

    fn maker<'b>(&'b self, book: &'b Book) -> RegisterMaker<'b> {
        RegisterMaker {
            of: self,
            book,
            places: (book.clients.keys().enumerate())
                .map(|(k, id)| (id.as_str(), k))
                .collect(),
            rows: Vec::new(),
            made: Vec::new(),
            totals: RegisterTotals::default(),
            measured: (TextWidths::default(), 0),
        }
    }
}

impl merge::Maker for RegisterMaker<'_> {
    fn make<'s>(
        &mut self,
        histories: &mut dyn Iterator<Item = (&'s str, &'s mut ClientState)>,
        before: Option<NaiveDate>,
        batch: &mut merge::Batch,
    ) {
        let of = self.of;
        for (id, state) in histories {
            if of.client.is_none_or(|c| c == id) {
                report::rows_of(
                    self.book,
                    id,
                    &state.events,
                    of.span,
                    of.filter,
                    render::words::event,
                    &mut self.made,
                );
                let place = self.places.get(id).copied().unwrap_or(usize::MAX);
                self.rows.extend(self.made.drain(..).map(|r| (place, r)));
            }
            state.events.clear();
            state.draws.clear();
        }
        // The clients' rows of several dates, put in the register's order (stable: the rows
        // of one client and date in the order their events ran).
        self.rows.sort_by_key(|(place, r)| (r.date, *place));
        for (place, r) in self.rows.drain(..) {
            self.totals.add(&r);
            match of.format {
                Some(format) => batch.piece(r.date, place, |text| {
                    render::register::row(format, &r, text);
                }),
                None => {
                    self.measured.0.add(&r);
                    self.measured.1 += 1;
                }
            }
        }
        if before.is_none() {
            let mut all = of.totals.lock().unwrap_or_else(PoisonError::into_inner);
            all.join(&std::mem::take(&mut self.totals));
            let mut measured = of.measured.lock().unwrap_or_else(PoisonError::into_inner);
            measured.0.join(&self.measured.0);
            measured.1 += self.measured.1;
        }
    }
}

/// The register read in parts on threads, as `balance` reads the book: before each new date
/// of its entries, a part makes the rows of its clients' events before that date and drops
/// the events, so that only rows are held, never the history. `None` when the book's lines
/// are not in date order (then the history is held: [`Context::events_of`]).
fn in_parts(
    ctx: &Context,
    period: Option<&super::period::Period>,
    client: Option<&str>,
    filter: &report::Filter,
) -> Result<Option<report::Register>, Fail> {
    let from = period.map(|p| p.from);
    let to = period.map_or(ctx.today, |p| p.to.min(ctx.today));
    let rows = |late| Rows {
        from,
        to,
        client,
        filter,
        late,
    };
    let got = ctx.read_folded(rows, true, client)?;
    Ok(got.map(|(_, rows)| report::Register::of_rows(from, to, rows)))
}

/// The consumer of [`in_parts`]: the replay (its histories dropped) and the rows.
struct Rows<'a> {
    from: Option<NaiveDate>,
    to: NaiveDate,
    client: Option<&'a str>,
    filter: &'a report::Filter,
    /// Clients with lines recorded late, replayed apart (or whole).
    late: Option<dated::LateClients>,
}

impl load::Consume for Rows<'_> {
    type Output = dated::Gathered<Vec<RegisterRow>>;

    fn take(
        &mut self,
        book: &Book,
        parts: usize,
        read: &mut load::ReadAll<'_>,
    ) -> Option<Self::Output> {
        let Rows {
            from,
            to,
            client,
            filter,
            ..
        } = *self;
        // The rows of the histories given, which are then dropped.
        let rows_of = |histories: &mut dated::Histories<'_, '_>, rows: &mut Vec<RegisterRow>| {
            for (id, state) in histories {
                if client.is_none_or(|c| c == id) {
                    let (words, span) = (render::words::event, (from, to));
                    report::rows_of(book, id, &state.events, span, filter, words, rows);
                }
                state.events.clear();
                state.draws.clear();
            }
        };
        let late = (parts, to, self.late.as_ref());
        Some(dated::folded(read, book, late, &Vec::new, &rows_of)?.map(|rows| rows.concat()))
    }

    fn whole(&mut self, _: &Book, _: &[Entry]) -> Self::Output {
        dated::Gathered::OutOfOrder
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ReplayOptions;
    use crate::engine::proptests::{line, policies};
    use crate::testing;
    use proptest::prelude::*;

    /// The rows [`Rows`] makes of `entries` read in `parts` parts (each part fed its clients'
    /// entries in read order), read again with the clients of lines recorded late replayed
    /// apart, as `Context::read_folded` does, put in order; `None` when it finds them out of
    /// date order otherwise.
    fn in_parts(
        book: &Book,
        entries: &[Entry],
        span: (Option<NaiveDate>, NaiveDate),
        client: Option<&str>,
        filter: &report::Filter,
        parts: usize,
    ) -> Option<report::Register> {
        let rows = |late| Rows {
            from: span.0,
            to: span.1,
            client,
            filter,
            late,
        };
        let put = |rows| report::Register::of_rows(span.0, span.1, rows);
        testing::folded_in_parts(rows, (book, entries, parts), put)
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// One reading of `entries` by [`merge::Parted`] with `registering`'s makers, in `parts`
    /// parts (each part fed its clients' entries in read order, all on this thread), its
    /// pieces put in order by a [`Merge`] on another thread and given to `put`; false when
    /// it finds them out of order.
    fn parted(
        book: &Book,
        entries: &[Entry],
        (registering, parts): (&Registering<'_>, usize),
        put: &mut (dyn FnMut(&str) + Send),
    ) -> bool {
        let merge = Merge::default();
        std::thread::scope(|scope| {
            let writing = scope.spawn(|| merge.run(put));
            let mut parted = merge::Parted {
                as_of: registering.span.1,
                client: registering.client,
                makes: registering,
                merge: &merge,
                again: false,
                late: None,
            };
            let read = {
                let _ends = merge.ends();
                testing::take_in_parts(&mut parted, book, entries, parts)
            };
            writing.join().unwrap();
            matches!(read, Some(export::Reading::Replayed(_)))
        })
    }

    /// The register of `entries` in `format` (`None`: a plain text table) printed as
    /// [`printed_as_read`] prints it, from readings by [`parted`]; `None` when it finds them
    /// out of order.
    fn printed(
        book: &Book,
        entries: &[Entry],
        span: (Option<NaiveDate>, NaiveDate),
        client: Option<&str>,
        filter: &report::Filter,
        (format, parts): (Option<RowFormat>, usize),
    ) -> Option<String> {
        let registering = |format| Registering {
            span,
            client,
            filter,
            format,
            totals: Mutex::default(),
            measured: Mutex::default(),
        };
        let widths;
        let format = match format {
            Some(format) => format,
            None => {
                let measuring = registering(None);
                if !parted(book, entries, (&measuring, parts), &mut |_| {}) {
                    return None;
                }
                let totals = into_inner(measuring.totals);
                let (measured, rows) = into_inner(measuring.measured);
                if rows == 0 {
                    return Some(render::register::no_events(span.0, span.1));
                }
                widths = measured.finish(rows, &totals).expect("plain cells");
                RowFormat::Text(&widths)
            }
        };
        let printing = registering(Some(format));
        let mut out = String::new();
        let mut rows = rows_out::Rows::begin(format, &mut out).unwrap();
        let mut pieces = String::new();
        let read = parted(book, entries, (&printing, parts), &mut |piece| {
            pieces.push_str(piece);
            pieces.push('\u{0}');
        });
        for piece in pieces.split_terminator('\u{0}') {
            rows.put(piece, &mut out).unwrap();
        }
        rows.end(&into_inner(printing.totals), &mut out).unwrap();
        read.then_some(out)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Read in parts, each day's events dropped once their rows are made, the register is
        /// the one made from the whole history: every row and total, in or out of a period,
        /// for one client or all, filtered or not.
        #[test]
        fn the_register_read_in_parts_is_the_one_of_the_whole_history(
            toml in policies(),
            mut lines in prop::collection::vec(line(), 0..60),
            // Years after the last line: the calendar alone, settled a year at a time.
            to in prop_oneof![Just("2026-03-15"), Just("2026-12-31"), Just("2029-06-30")],
            from in prop_oneof![Just(None), Just(Some("2026-02-01")), Just(Some("2026-03-07")), Just(Some("2027-01-01"))],
            client in prop_oneof![Just(None), Just(Some("acme")), Just(Some("beta"))],
            filtered in any::<bool>(),
            late in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..3),
        ) {
            // A third client with no entry at all.
            let book = testing::book(&format!("{toml}\n[clients.zed]\n"));
            // Dates in order, lines of one date in the order drawn; then a few lines recorded
            // late (moved further down).
            lines.sort_by(|a, b| a[..10].cmp(&b[..10]));
            let in_order = late.is_empty();
            testing::record_late(&mut lines, &late);
            let entries = testing::entries(&book, &lines.join("\n"));
            let (from, to) = (from.map(date), date(to));
            let filter = report::Filter {
                tags: if filtered { vec!["care".into()] } else { Vec::new() },
                ..report::Filter::default()
            };
            let opts = ReplayOptions { events: true, events_from: from, ..ReplayOptions::default() };
            let replay = crate::engine::replay_with(&book, &entries, Some(to), opts);
            let want = report::register(&book, &replay, client, from, to, &filter, render::words::event);
            for parts in [1, 2, 3] {
                let got = in_parts(&book, &entries, (from, to), client, &filter, parts);
                // Lines recorded late are always read in one part (their clients replayed
                // whole); in more, the parts may not be in date order across them.
                if in_order || parts == 1 || got.is_some() {
                    prop_assert_eq!(got.as_ref(), Some(&want), "{} parts", parts);
                }
            }
        }

        /// Printed as the book is read, a part's rows put in order among the others' as they
        /// come, the register is the text of the one made from the whole history, in CSV,
        /// JSON, Markdown and as a plain text table (its columns measured in a reading before).
        #[test]
        fn the_register_printed_as_read_is_the_text_of_the_whole_one(
            toml in policies(),
            mut lines in prop::collection::vec(line(), 0..60),
            // Years after the last line: the calendar alone, made a year at a time.
            to in prop_oneof![Just("2026-03-15"), Just("2026-12-31"), Just("2029-06-30")],
            from in prop_oneof![Just(None), Just(Some("2026-02-01")), Just(Some("2026-03-07"))],
            client in prop_oneof![Just(None), Just(Some("acme")), Just(Some("beta"))],
            filtered in any::<bool>(),
        ) {
            let book = testing::book(&format!("{toml}\n[clients.zed]\n"));
            lines.sort_by(|a, b| a[..10].cmp(&b[..10]));
            let entries = testing::entries(&book, &lines.join("\n"));
            let (from, to) = (from.map(date), date(to));
            let filter = report::Filter {
                tags: if filtered { vec!["care".into()] } else { Vec::new() },
                ..report::Filter::default()
            };
            let opts = ReplayOptions { events: true, events_from: from, ..ReplayOptions::default() };
            let replay = crate::engine::replay_with(&book, &entries, Some(to), opts);
            let want = report::register(&book, &replay, client, from, to, &filter, render::words::event);
            for (format, text) in [
                (Some(RowFormat::Csv), render::register::csv(&want)),
                (Some(RowFormat::Json), render::register::json(&want)),
                (Some(RowFormat::Md), render::register::md(&want)),
                (None, render::register::text(&want, false)),
            ] {
                for parts in [1, 2, 3] {
                    let got = printed(&book, &entries, (from, to), client, &filter, (format, parts));
                    prop_assert_eq!(got.as_ref(), Some(&text), "{:?} in {} parts", format, parts);
                }
            }
        }
    }

    #[test]
    fn a_book_out_of_date_order_is_not_read_in_parts() {
        let book = testing::book("[clients.acme]\n[clients.beta]\n");
        // Each client's entries in order, but not the book's: its history is held instead.
        let entries = testing::entries(
            &book,
            "2026-01-05 buy acme 10h @ 100\n2026-01-03 buy beta 10h @ 100\n",
        );
        let filter = report::Filter::default();
        let span = (None, date("2026-12-31"));
        for parts in [1, 2] {
            let csv = (Some(RowFormat::Csv), parts);
            assert_eq!(printed(&book, &entries, span, None, &filter, csv), None);
            let text = (None, parts);
            assert_eq!(printed(&book, &entries, span, None, &filter, text), None);
        }
        // Rows held: read in one part, the line recorded late has its client replayed whole;
        // in more, the same, or `None` when the clients' parts are not in date order across
        // them.
        let opts = ReplayOptions {
            events: true,
            ..ReplayOptions::default()
        };
        let replay = crate::engine::replay_with(&book, &entries, Some(span.1), opts);
        let words = render::words::event;
        let want = report::register(&book, &replay, None, None, span.1, &filter, words);
        let got = in_parts(&book, &entries, span, None, &filter, 1);
        assert_eq!(got.as_ref(), Some(&want));
        for parts in [2, 3] {
            let got = in_parts(&book, &entries, span, None, &filter, parts);
            assert!(got.is_none_or(|g| g == want), "{parts} parts");
        }
    }
}
