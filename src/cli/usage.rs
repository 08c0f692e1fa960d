//! `credits usage [CLIENT] [--by month|week] [--from D --to D]`.

use super::dated;
use super::filter::FilterArgs;
use super::period::PeriodArgs;
use super::{Context, Fail, Format, known_client};
use crate::engine::{Event, ReplayOptions};
use crate::load;
use crate::model::{Book, Entry};
use crate::render;
use crate::report::{self, Period, Tally};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use std::process::ExitCode;

/// Show time logged, debited and covered per month or week
///
/// For one CLIENT, or summed over every client of the book. Logged is the work written with
/// `log` (covered or not); debited is what `log`, `debit`, `done` and `adjust -` charged;
/// covered is logged work a plan covers. Weeks are ISO weeks, Monday to Sunday (`2026-W05`).
/// Periods with nothing in them are shown; the period ends at today at the latest.
///
/// Examples:
///
///   credits usage
///   credits usage acme --by week --from 2026-01-01 --to 2026-03-31
///   credits usage -p this-year --tag support
///   credits usage acme --format csv
#[derive(Debug, Args)]
#[command(verbatim_doc_comment)]
pub struct UsageArgs {
    /// Only this client
    pub client: Option<String>,

    /// Group by calendar month or ISO week
    #[arg(long, value_enum, value_name = "PERIOD", default_value_t = By::Month)]
    pub by: By,

    /// `-p`, `--month`, `--from`, `--to` [default: from the first log or debit to today].
    #[command(flatten)]
    pub period: PeriodArgs,

    /// `--tag`, `--project`, `--quote`, `--kind`, `--grep`.
    #[command(flatten)]
    pub filter: FilterArgs,
}

/// `--by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// Calendar months.
    Month,
    /// ISO weeks, Monday to Sunday.
    Week,
}

/// Run `credits usage`.
pub fn run(args: &UsageArgs, ctx: &Context) -> anyhow::Result<ExitCode> {
    let period = args.period.resolve(ctx.today)?;
    let (from, to) = (
        period.as_ref().map(|p| p.from),
        period.as_ref().map(|p| p.to),
    );
    if let Some(f) = from
        && f > ctx.today
    {
        return Err(Fail::request(
            format!("`--from {f}` is after today ({})", ctx.today),
            Some("reports stop at today; pass `--today` to report as of a later date".into()),
        )
        .into());
    }
    let filter = args.filter.filter();
    let by = match args.by {
        By::Month => Period::Month,
        By::Week => Period::Week,
    };
    let client = args.client.as_deref();
    let to = to.map_or(ctx.today, |t| t.min(ctx.today));
    let u = match in_parts(ctx, client, &filter, &Tally::new(by, from, to))? {
        Some(u) => u,
        // Not in date order: replayed whole, the history kept as sums per date (or, filtered,
        // as events: a filter reads each event's tags and description).
        None => {
            let opts = ReplayOptions {
                events: true,
                events_from: None,
                sums: filter.is_empty(),
                burn_from: None,
                projects: false,
            };
            let (loaded, replay) = ctx.load_replayed(Some(ctx.today), opts)?;
            if let Some(id) = client {
                known_client(&loaded, id)?;
            }
            let mut replay = ctx.checked(&loaded, replay)?;
            filter.retain(&loaded.book, &mut replay, render::words::event);
            let book = &loaded.book;
            report::usage(book, &replay, ctx.today, client, by, from, Some(to))
        }
    };
    let text = match ctx.format {
        Format::Json => render::usage::json(&u),
        Format::Csv => render::usage::csv(&u),
        Format::Md => render::usage::md(&u),
        _ => render::usage::text(&u, ctx.text()),
    };
    ctx.print(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Usage read in parts on threads, as `balance` reads the book: before each new date of its
/// entries, a part counts its clients' events before that date in its [`Tally`] and drops
/// them, so that neither the history nor its sums are held; the clients of lines recorded
/// late are read again apart, counted the same way a few days behind (or replayed whole).
/// `None` when the book's lines are not in date order otherwise.
fn in_parts(
    ctx: &Context,
    client: Option<&str>,
    filter: &report::Filter,
    tally: &Tally,
) -> Result<Option<report::Usage>, Fail> {
    let counting = |late| Counting {
        as_of: ctx.today,
        client,
        filter,
        tally: tally.clone(),
        late,
    };
    // Descriptions only for a filter (`--grep` reads them).
    let got = ctx.read_folded(counting, !filter.is_empty(), client)?;
    Ok(got.map(|(loaded, tally)| tally.usage(&loaded.book, ctx.today, client)))
}

/// The consumer of [`in_parts`]: the replay (its histories dropped) and the tally.
struct Counting<'a> {
    as_of: NaiveDate,
    client: Option<&'a str>,
    filter: &'a report::Filter,
    /// Nothing counted: what each part starts from.
    tally: Tally,
    /// Clients with lines recorded late, replayed apart (or whole).
    late: Option<dated::LateClients>,
}

impl load::Consume for Counting<'_> {
    type Output = dated::Gathered<Tally>;

    fn take(
        &mut self,
        book: &Book,
        parts: usize,
        read: &mut load::ReadAll<'_>,
    ) -> Option<Self::Output> {
        let Counting {
            as_of,
            client,
            filter,
            ..
        } = *self;
        // Count the events of the histories given, which are then dropped.
        let count = |histories: &mut dated::Histories<'_, '_>, tally: &mut Tally| {
            for (id, state) in histories {
                if client.is_none_or(|c| c == id) {
                    let keep = |e: &Event| filter.matches(e, || render::words::event(book, e));
                    tally.add_events(&state.events, keep);
                }
                state.events.clear();
                state.draws.clear();
            }
        };
        let start = || self.tally.clone();
        let late = (parts, as_of, self.late.as_ref());
        let tallies = dated::folded(read, book, late, &start, &count)?;
        Some(tallies.map(|tallies| {
            let mut tally = self.tally.clone();
            for t in tallies {
                tally.join(t);
            }
            tally
        }))
    }

    fn whole(&mut self, _: &Book, _: &[Entry]) -> Self::Output {
        dated::Gathered::OutOfOrder
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::proptests::{line, policies};
    use crate::testing;
    use proptest::prelude::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// The usage [`Counting`] makes of `entries` read in `parts` parts (each part fed its
    /// clients' entries in read order), read again with the clients of lines recorded late
    /// replayed apart, as `Context::read_folded` does; `None` when it finds them out of date
    /// order otherwise.
    fn in_parts(
        book: &Book,
        entries: &[Entry],
        as_of: NaiveDate,
        client: Option<&str>,
        filter: &report::Filter,
        (tally, parts): (Tally, usize),
    ) -> Option<report::Usage> {
        let counting = |late| Counting {
            as_of,
            client,
            filter,
            tally: tally.clone(),
            late,
        };
        let usage = |tally: Tally| tally.usage(book, as_of, client);
        testing::folded_in_parts(counting, (book, entries, parts), usage)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Counted in parts, each day's events dropped once counted, usage is the one of the
        /// whole history: by month or week, from the first move or a day, for one client or
        /// all, filtered or not.
        #[test]
        fn usage_counted_in_parts_is_the_usage_of_the_whole_history(
            toml in policies(),
            mut lines in prop::collection::vec(line(), 0..60),
            // Years after the last line: the calendar alone, settled a year at a time.
            as_of in prop_oneof![Just("2026-03-15"), Just("2026-12-31"), Just("2029-06-30")],
            from in prop_oneof![Just(None), Just(Some("2026-02-04")), Just(Some("2026-03-07"))],
            to in prop_oneof![Just(None), Just(Some("2026-02-20"))],
            week in any::<bool>(),
            client in prop_oneof![Just(None), Just(Some("acme")), Just(Some("beta"))],
            filtered in any::<bool>(),
            late in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..3),
        ) {
            let book = testing::book(&format!("{toml}\n[clients.zed]\n"));
            lines.sort_by(|a, b| a[..10].cmp(&b[..10]));
            // A few lines recorded late (moved further down).
            let in_order = late.is_empty();
            testing::record_late(&mut lines, &late);
            let entries = testing::entries(&book, &lines.join("\n"));
            let as_of = date(as_of);
            let (from, to) = (from.map(date), to.map_or(as_of, date).min(as_of));
            let by = if week { Period::Week } else { Period::Month };
            let filter = report::Filter {
                tags: if filtered { vec!["care".into()] } else { Vec::new() },
                ..report::Filter::default()
            };
            let opts = ReplayOptions { events: true, ..ReplayOptions::default() };
            let mut replay = crate::engine::replay_with(&book, &entries, Some(as_of), opts);
            filter.retain(&book, &mut replay, render::words::event);
            let want = report::usage(&book, &replay, as_of, client, by, from, Some(to));
            for parts in [1, 2, 3] {
                let tally = Tally::new(by, from, to);
                let got = in_parts(&book, &entries, as_of, client, &filter, (tally, parts));
                // Lines recorded late are always counted in one part (their clients replayed
                // whole); in more, the parts may not be in date order across them.
                if in_order || parts == 1 || got.is_some() {
                    prop_assert_eq!(got.as_ref(), Some(&want), "{} parts", parts);
                }
            }
        }
    }

    /// The usage by month of the whole history of `entries`, replayed at once.
    fn monthly(book: &Book, entries: &[Entry], as_of: NaiveDate) -> report::Usage {
        let opts = ReplayOptions {
            events: true,
            ..ReplayOptions::default()
        };
        let replay = crate::engine::replay_with(book, entries, Some(as_of), opts);
        report::usage(book, &replay, as_of, None, Period::Month, None, Some(as_of))
    }

    /// A line recorded late: read in one part, its client is replayed whole and counted; in
    /// more, the same, or (when the clients are in different parts) `None`: the parts' lines
    /// are not in date order across them, and the whole history is held instead.
    #[test]
    fn a_line_recorded_late_is_counted_with_its_client_replayed_whole() {
        let book = testing::book("[clients.acme]\n[clients.beta]\n");
        let entries = testing::entries(
            &book,
            "2026-01-05 buy acme 10h @ 100\n2026-01-06 log beta 1h\n2026-01-03 buy beta 10h @ 100\n",
        );
        let filter = report::Filter::default();
        let as_of = date("2026-12-31");
        let want = monthly(&book, &entries, as_of);
        let tally = || Tally::new(Period::Month, None, as_of);
        let got = in_parts(&book, &entries, as_of, None, &filter, (tally(), 1));
        assert_eq!(got.as_ref(), Some(&want));
        for parts in [2, 3] {
            let got = in_parts(&book, &entries, as_of, None, &filter, (tally(), parts));
            assert!(got.is_none_or(|g| g == want), "{parts} parts");
        }
    }

    /// A client set aside for a line recorded late is counted, in the next reading, by a
    /// replay of its own that waits as many days behind the day read as its lines came late:
    /// that reading gathers the usage (no third reading with its entries held), the usage of
    /// the whole history. Here acme's line of the 5th comes after the 10th was read (beta's),
    /// though after acme's own 1st: five days.
    #[test]
    fn a_client_set_aside_is_counted_apart_waiting_as_long_as_its_lines_came_late() {
        use crate::cli::dated::{Gathered, LateClients};
        let book = testing::book("[clients.acme]\n[clients.beta]\n");
        let text = "2026-01-01 buy acme 10h @ 100\n2026-01-02 buy beta 10h @ 100\n\
                    2026-01-10 log beta 1h\n2026-01-05 log acme 2h late\n\
                    2026-01-12 log acme 1h\n2026-02-01 log beta 30m\n";
        let entries = testing::entries(&book, text);
        let filter = report::Filter::default();
        let as_of = date("2026-12-31");
        let want = monthly(&book, &entries, as_of);
        let counting = |late| Counting {
            as_of,
            client: None,
            filter: &filter,
            tally: Tally::new(Period::Month, None, as_of),
            late,
        };
        let first = testing::take_in_parts(&mut counting(None), &book, &entries, 1);
        let Some(Gathered::Late(clients)) = first else {
            panic!("acme is set aside");
        };
        assert_eq!(clients, [("acme".to_string(), 5)]);
        let waiting = LateClients {
            clients: clients.clone(),
            entries: None,
        };
        let got = testing::take_in_parts(&mut counting(Some(waiting)), &book, &entries, 1);
        let Some(Gathered::Read(_, tally)) = got else {
            panic!("acme is counted apart, waiting five days");
        };
        assert_eq!(tally.usage(&book, as_of, None), want);
        // Waiting a day less, the line comes too late again.
        let short = LateClients {
            clients: vec![("acme".to_string(), 4)],
            entries: None,
        };
        let got = testing::take_in_parts(&mut counting(Some(short)), &book, &entries, 1);
        assert!(matches!(got, Some(Gathered::Late(c)) if c[0].0 == "acme"));
    }
}
