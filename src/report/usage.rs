//! `credits usage`: time logged, debited and covered per month or ISO week, for one client or
//! the whole book, summed per period ([`Tally`]) from the engine's per-client events (or their
//! sums per date and kind, `ReplayOptions::sums`), whole or as they come.

use crate::engine::{Event, EventKind, Replay};
use crate::model::{Book, Minutes, add_months};
use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// How `usage` groups dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// Calendar months, labelled `2026-01`.
    Month,
    /// ISO weeks (Monday to Sunday), labelled `2026-W05`.
    Week,
}

impl Period {
    /// `month` or `week`.
    #[must_use]
    pub fn word(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Week => "week",
        }
    }

    /// The first day of the period holding `d`.
    #[must_use]
    pub fn start(self, d: NaiveDate) -> NaiveDate {
        match self {
            Period::Month => d.with_day(1).unwrap_or(d),
            Period::Week => d
                .checked_sub_days(Days::new(u64::from(d.weekday().num_days_from_monday())))
                .unwrap_or(d),
        }
    }

    /// The first day of the next period after the one starting on `start`.
    fn next(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::Month => add_months(start, 1),
            Period::Week => start.checked_add_days(Days::new(7)),
        }
    }

    /// The label of the period starting on `start`: `2026-01` or `2026-W05`.
    #[must_use]
    pub fn label(self, start: NaiveDate) -> String {
        match self {
            Period::Month => start.format("%Y-%m").to_string(),
            Period::Week => {
                let w = start.iso_week();
                format!("{}-W{:02}", w.year(), w.week())
            }
        }
    }
}

/// The usage report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage {
    /// The date replayed through.
    pub as_of: NaiveDate,
    /// The client, or `None` for every client of the book.
    pub client: Option<String>,
    /// Months or weeks.
    pub by: Period,
    /// First day counted.
    pub from: NaiveDate,
    /// Last day counted.
    pub to: NaiveDate,
    /// The book's unit name, singular.
    pub unit: String,
    /// Minutes in one unit.
    pub unit_minutes: Minutes,
    /// Every period from `from` to `to`, empty ones included.
    pub periods: Vec<PeriodUsage>,
    /// Sums over the periods.
    pub total: PeriodUsage,
}

/// One month or week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodUsage {
    /// `2026-01` or `2026-W05` (`total` for the sum).
    pub period: String,
    /// First day counted in it.
    pub from: NaiveDate,
    /// Last day counted in it.
    pub to: NaiveDate,
    /// Minutes of work logged (`log` entries, covered or not).
    pub logged: Minutes,
    /// Minutes charged: by `log`, `debit`, `done` and `adjust -`.
    pub debited: Minutes,
    /// Minutes of logged work covered by a plan (never debited).
    pub covered: Minutes,
}

/// Usage of `client` (or of every client) per `by`, from `from` (default: the first log or
/// debit) to `to` (default and at most: `as_of`).
#[must_use]
pub fn usage(
    book: &Book,
    replay: &Replay,
    as_of: NaiveDate,
    client: Option<&str>,
    by: Period,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Usage {
    let mut tally = Tally::new(by, from, to.map_or(as_of, |t| t.min(as_of)));
    for (_, state) in super::clients_shown(book, replay, client) {
        // A replay keeps the history as events, or as sums (then its last event apart).
        for s in &state.sums {
            tally.add(s.date, s.kind, s.logged, s.debited);
        }
        tally.add_events(&state.events, |_| true);
    }
    tally.usage(book, as_of, client)
}

/// The time logged, debited and covered of the events that count, summed per period as they
/// come: all that `usage` needs of a history, whatever its length. Tallies of different
/// clients (or of the same clients' events, split) add up with [`Tally::join`], in any order:
/// the sums are exact.
#[derive(Debug, Clone)]
pub struct Tally {
    by: Period,
    /// The first day counted, when given.
    from: Option<NaiveDate>,
    /// The last day counted.
    to: NaiveDate,
    /// (logged, debited, covered) per period, by its first day.
    per: BTreeMap<NaiveDate, (Minutes, Minutes, Minutes)>,
    /// The first day with a move counted.
    first: Option<NaiveDate>,
}

impl Tally {
    /// Nothing counted yet, per `by`, from `from` (`None`: the first move) through `to`.
    #[must_use]
    pub fn new(by: Period, from: Option<NaiveDate>, to: NaiveDate) -> Tally {
        Tally {
            by,
            from,
            to,
            per: BTreeMap::new(),
            first: None,
        }
    }

    /// Count what an event of `kind` on `date` logged and charged, when it counts.
    pub fn add(&mut self, date: NaiveDate, kind: EventKind, logged: Minutes, charged: Minutes) {
        let m = match kind {
            EventKind::Log => (logged, charged, Decimal::ZERO),
            EventKind::Covered => (logged, Decimal::ZERO, logged),
            // Work on a fixed quote: logged, and charged by the quote's `done`.
            EventKind::Quoted => (logged, Decimal::ZERO, Decimal::ZERO),
            EventKind::Debit | EventKind::Done | EventKind::Adjust => {
                (Decimal::ZERO, charged, Decimal::ZERO)
            }
            _ => return,
        };
        if m == (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO) {
            return;
        }
        // The first move, counted or not, is where the report starts without a `from`.
        self.first = Some(self.first.map_or(date, |f| f.min(date)));
        if date > self.to || self.from.is_some_and(|f| date < f) {
            return;
        }
        let sums = self.per.entry(self.by.start(date)).or_default();
        sums.0 += m.0;
        sums.1 += m.1;
        sums.2 += m.2;
    }

    /// Count the `events` that `keep` keeps.
    pub fn add_events(&mut self, events: &[Event], mut keep: impl FnMut(&Event) -> bool) {
        for e in events.iter().filter(|e| keep(e)) {
            let logged = e.logged.unwrap_or_default();
            self.add(e.date, e.kind, logged, e.debited.unwrap_or_default());
        }
    }

    /// Count `other`'s moves too (a tally of the same periods).
    pub fn join(&mut self, other: Tally) {
        self.first = match (self.first, other.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        for (start, m) in other.per {
            let sums = self.per.entry(start).or_default();
            sums.0 += m.0;
            sums.1 += m.1;
            sums.2 += m.2;
        }
    }

    /// The usage report of what was counted, of `client` (or of every client), as of `as_of`:
    /// every period from `from` (or the first move) through `to`, empty ones included.
    #[must_use]
    pub fn usage(self, book: &Book, as_of: NaiveDate, client: Option<&str>) -> Usage {
        let Tally {
            by,
            from,
            to,
            per,
            first,
        } = self;
        let from = from.or(first).unwrap_or_else(|| by.start(to));
        let mut periods = Vec::new();
        let mut start = by.start(from);
        while start <= to {
            let next = by.next(start);
            let last = next.and_then(|n| n.pred_opt()).unwrap_or(NaiveDate::MAX);
            let (logged, debited, covered) = per.get(&start).copied().unwrap_or_default();
            periods.push(PeriodUsage {
                period: by.label(start),
                from: start.max(from),
                to: last.min(to),
                logged,
                debited,
                covered,
            });
            match next {
                Some(n) => start = n,
                None => break,
            }
        }
        let total = PeriodUsage {
            period: "total".to_string(),
            from,
            to,
            logged: periods.iter().map(|p| p.logged).sum(),
            debited: periods.iter().map(|p| p.debited).sum(),
            covered: periods.iter().map(|p| p.covered).sum(),
        };
        Usage {
            as_of,
            client: client.map(str::to_string),
            by,
            from,
            to,
            unit: book.unit.clone(),
            unit_minutes: book.unit_minutes,
            periods,
            total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{dec, replay_str};
    use proptest::prelude::*;

    const BOOK: &str = r#"
[book]
name = "Test"
currency = "USD"

[policy]
debit = "round-up"
round_to = "15m"

[plans.care]
covered = ["support"]

[clients.acme]
name = "Acme"

[clients.beta]
name = "Beta"
"#;

    const JOURNAL: &str = "
        2026-01-05 buy acme 10h @ 100
        2026-01-05 plan acme care
        2026-01-06 log acme 20m Fix
        2026-01-07 log acme 1h Call #support
        2026-03-02 debit acme 2h Task
        2026-03-03 adjust acme -30m Correction
        2026-03-03 adjust acme +1h Goodwill
        2026-01-12 buy beta 1h @ 100
        2026-01-12 log beta 10m Call
    ";

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn months_count_logged_debited_and_covered_time_and_keep_empty_months() {
        let (book, r) = replay_str(BOOK, JOURNAL, "2026-03-10");
        let u = usage(
            &book,
            &r,
            d("2026-03-10"),
            Some("acme"),
            Period::Month,
            None,
            None,
        );
        let rows: Vec<_> = u
            .periods
            .iter()
            .map(|p| (p.period.as_str(), p.logged, p.debited, p.covered))
            .collect();
        assert_eq!(
            rows,
            [
                ("2026-01", dec(80), dec(30), dec(60)),
                ("2026-02", dec(0), dec(0), dec(0)),
                ("2026-03", dec(0), dec(150), dec(0)),
            ]
        );
        assert_eq!((u.from, u.to), (d("2026-01-06"), d("2026-03-10")));
        assert_eq!(u.total.debited, dec(180));
    }

    #[test]
    fn weeks_are_iso_weeks_starting_on_monday_and_cut_at_from_and_to() {
        let (book, r) = replay_str(BOOK, JOURNAL, "2026-03-10");
        let u = usage(
            &book,
            &r,
            d("2026-03-10"),
            None,
            Period::Week,
            Some(d("2026-01-07")),
            Some(d("2026-01-14")),
        );
        let rows: Vec<_> = u
            .periods
            .iter()
            .map(|p| (p.period.as_str(), p.from, p.to, p.logged))
            .collect();
        assert_eq!(
            rows,
            [
                ("2026-W02", d("2026-01-07"), d("2026-01-11"), dec(60)),
                ("2026-W03", d("2026-01-12"), d("2026-01-14"), dec(10)),
            ]
        );
        assert_eq!(Period::Week.start(d("2026-01-11")), d("2026-01-05"));
        assert_eq!(Period::Week.label(d("2020-12-28")), "2020-W53");
    }

    #[test]
    fn to_is_never_after_today_and_no_activity_gives_one_empty_period() {
        let (book, r) = replay_str(BOOK, "", "2026-03-10");
        let u = usage(
            &book,
            &r,
            d("2026-03-10"),
            None,
            Period::Month,
            None,
            Some(d("2027-01-01")),
        );
        assert_eq!(u.to, d("2026-03-10"));
        assert_eq!(u.periods.len(), 1);
        assert_eq!(u.total.logged, dec(0));
    }
    fn line() -> impl Strategy<Value = String> {
        let verb = prop_oneof![
            (1u32..8).prop_map(|h| format!("buy acme {h}h @ 90")),
            (1u32..200, 0u32..3).prop_map(|(m, t)| format!(
                "log {} {m}m Work{}",
                if t == 2 { "beta" } else { "acme" },
                ["", " #support", " quote:Q1"][t as usize]
            )),
            (1u32..180).prop_map(|m| format!("debit acme {m}m Task")),
            (1u32..90, prop::bool::ANY)
                .prop_map(|(m, up)| format!("adjust acme {}{m}m Fix", if up { "+" } else { "-" })),
            Just("quote acme Q1 2h Page".to_string()),
            Just("approve acme Q1".to_string()),
            Just("done acme Q1".to_string()),
            Just("plan acme care".to_string()),
        ];
        (0u32..120, verb).prop_map(|(day, verb)| {
            let date = d("2026-01-01") + Days::new(u64::from(day));
            format!("{date} {verb}")
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The fast path `usage` runs on: a replay that keeps sums per date and kind instead
        /// of the events gives the same usage, for every client, grouping and period.
        #[test]
        fn sums_give_the_usage_of_the_events(
            lines in prop::collection::vec(line(), 0..40),
            week in prop::bool::ANY,
            from in prop::option::of(0u32..120),
        ) {
            let bk = crate::testing::book(BOOK);
            let es = crate::testing::entries(&bk, &lines.join("\n"));
            let today = d("2026-05-31");
            let full = crate::engine::replay(&bk, &es, Some(today));
            let opts = crate::engine::ReplayOptions { events: true, events_from: None, sums: true, burn_from: None, projects: false };
            let summed = crate::engine::replay_with(&bk, &es, Some(today), opts);
            let by = if week { Period::Week } else { Period::Month };
            let from = from.map(|n| d("2026-01-01") + Days::new(u64::from(n)));
            for client in [None, Some("acme"), Some("beta")] {
                prop_assert_eq!(
                    usage(&bk, &summed, today, client, by, from, None),
                    usage(&bk, &full, today, client, by, from, None)
                );
            }
            for state in summed.clients.values() {
                prop_assert!(state.events.len() <= 1);
            }
        }
    }
}
