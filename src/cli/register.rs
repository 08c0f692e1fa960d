//! `credits register [CLIENT] [period] [filters]` (alias `reg`).

use super::dated::{self, Dated};
use super::filter::FilterArgs;
use super::period::PeriodArgs;
use super::{Context, Fail, Format, known_client};
use crate::engine::{ClientState, Partition, Replay, ReplayOptions, Replayer};
use crate::load;
use crate::model::{Book, Entry};
use crate::render;
use crate::report::{self, RegisterRow};
use chrono::NaiveDate;
use clap::Args;
use std::process::ExitCode;

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
    let path = ctx.book_path()?;
    let request = load::Request {
        strategy: load::Strategy::best(ctx.threads),
        ..load::Request::new(&path, &ctx.cwd)
    };
    let rows = Rows {
        from,
        to,
        client,
        filter,
    };
    let (loaded, got) = load::load(&request, rows).map_err(|e| ctx.load_fail(e))?;
    let Some((replay, rows)) = got else {
        return Ok(None);
    };
    if let Some(id) = client {
        known_client(&loaded, id)?;
    }
    ctx.checked(&loaded, replay)?;
    Ok(Some(report::Register::of_rows(from, to, rows)))
}

/// The consumer of [`in_parts`]: the replay (its histories dropped) and the rows.
struct Rows<'a> {
    from: Option<NaiveDate>,
    to: NaiveDate,
    client: Option<&'a str>,
    filter: &'a report::Filter,
}

impl load::Consume for Rows<'_> {
    type Output = Option<(Replay, Vec<RegisterRow>)>;

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
        } = *self;
        let partition = Partition::new(parts);
        let opts = ReplayOptions {
            events: true,
            ..ReplayOptions::default()
        };
        // The rows of the histories given, which are then dropped.
        let rows_of = |histories: &mut dyn Iterator<Item = (&str, &mut ClientState)>,
                       rows: &mut Vec<RegisterRow>| {
            for (id, state) in histories {
                if client.is_none_or(|c| c == id) {
                    let span = (from, to);
                    report::rows_of(
                        book,
                        id,
                        &state.events,
                        span,
                        filter,
                        render::words::event,
                        rows,
                    );
                }
                state.events.clear();
                state.draws.clear();
            }
        };
        let states = (0..parts)
            .map(|i| {
                Dated::new(
                    Replayer::part(book, Some(to), opts, &partition, i),
                    Vec::new(),
                )
            })
            .collect();
        let (states, ordered) = dated::read(read, partition, to, states, &|_, part, e| {
            part.replayer.settle_before(e.date);
            rows_of(&mut part.replayer.histories(), &mut part.with);
        })?;
        let mut replayers = Vec::new();
        let mut rows = Vec::new();
        for part in states {
            replayers.push(part.replayer);
            rows.extend(part.with);
        }
        let Ok(mut replay) = Replayer::join(replayers) else {
            return Some(None);
        };
        if !ordered {
            return Some(None);
        }
        // The rest of every history.
        rows_of(
            &mut replay.clients.iter_mut().map(|(id, s)| (id.as_str(), s)),
            &mut rows,
        );
        Some(Some((replay, rows)))
    }

    fn whole(&mut self, _: &Book, _: &[Entry]) -> Self::Output {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::proptests::{line, policies};
    use crate::testing;
    use proptest::prelude::*;

    /// The rows [`Rows`] makes of `entries` read in `parts` parts (each part fed its clients'
    /// entries in read order), put in order; `None` when it finds them out of date order.
    fn in_parts(
        book: &Book,
        entries: &[Entry],
        span: (Option<NaiveDate>, NaiveDate),
        client: Option<&str>,
        filter: &report::Filter,
        parts: usize,
    ) -> Option<report::Register> {
        let mut rows = Rows {
            from: span.0,
            to: span.1,
            client,
            filter,
        };
        let read = testing::take_in_parts(&mut rows, book, entries, parts);
        let (_, rows) = read??;
        Some(report::Register::of_rows(span.0, span.1, rows))
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
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
            to in prop_oneof![Just("2026-03-15"), Just("2026-12-31")],
            from in prop_oneof![Just(None), Just(Some("2026-02-01")), Just(Some("2026-03-07")), Just(Some("2027-01-01"))],
            client in prop_oneof![Just(None), Just(Some("acme")), Just(Some("beta"))],
            filtered in any::<bool>(),
        ) {
            // A third client with no entry at all.
            let book = testing::book(&format!("{toml}\n[clients.zed]\n"));
            // Dates in order, lines of one date in the order drawn.
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
            for parts in [1, 2, 3] {
                let got = in_parts(&book, &entries, (from, to), client, &filter, parts);
                prop_assert_eq!(got.as_ref(), Some(&want), "{} parts", parts);
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
        for parts in [1, 2] {
            let span = (None, date("2026-12-31"));
            assert_eq!(in_parts(&book, &entries, span, None, &filter, parts), None);
        }
    }
}
