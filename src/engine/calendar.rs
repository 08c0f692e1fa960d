//! The calendar of one client: the start of each day (expiries, and the included time that
//! rolls over), and the monthly grants of its plan, processed up to each entry's date.
//!
//! Idle months cost nothing when no history is kept: a stretch of months with no entry is
//! passed over in closed form ([`Run::skip_idle_months`]): the grants that lapse within it
//! are counted, not made, so a replay's cost grows with the grants still open at its end, not
//! with how far `as_of` lies past the last entry. With history kept, every month is stepped
//! (each makes its lines). Tests force stepping with `stepping` and compare.

use crate::engine::run::Run;
use crate::engine::{EventKind, Lapse, Lot, LotKind, Num};
use crate::model::{GrantLapse, Minutes, Plan, add_span};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::cmp::Reverse;

pub(super) fn day_after(d: NaiveDate) -> NaiveDate {
    // `succ_opt` is `checked_add_days(1)` without the general day arithmetic.
    d.succ_opt().unwrap_or(d)
}

pub(super) fn first_of_next_month(d: NaiveDate) -> NaiveDate {
    // What `add_months(first of d's month, 1)` gives, built at once: this runs for every date
    // of a client on a monthly plan.
    let next = if d.month() == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
    };
    next.unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
thread_local! {
    /// Tests only: step through every month, as if no month were idle.
    static FORCE_STEPPING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether idle months must be stepped one by one (tests compare both ways).
fn stepping_forced() -> bool {
    #[cfg(test)]
    return FORCE_STEPPING.with(std::cell::Cell::get);
    #[cfg(not(test))]
    false
}

/// Run `f` with idle months stepped one by one on this thread (the general path the closed
/// form is tested against).
#[cfg(test)]
pub(super) fn stepping<T>(f: impl FnOnce() -> T) -> T {
    FORCE_STEPPING.with(|c| c.set(true));
    let out = f();
    FORCE_STEPPING.with(|c| c.set(false));
    out
}

/// The last usable day of a grant of `plan` made on `date`; `None` past 9999-12-31 (it never
/// lapses).
fn grant_lapse(plan: &Plan, date: NaiveDate) -> Option<NaiveDate> {
    match plan.monthly_expires {
        GrantLapse::MonthEnd => Some(last_of_month(date)),
        GrantLapse::Span(s) => add_span(date, s),
    }
}

/// How a grant of `plan` lapses: at month end, with the plan's `rollover`, or after a span.
fn grant_terms(plan: &Plan) -> Lapse {
    match plan.monthly_expires {
        GrantLapse::MonthEnd => Lapse::MonthEnd {
            rollover: plan.rollover,
        },
        GrantLapse::Span(_) => Lapse::Day,
    }
}

/// The last 1st of a month the calendar processes up to `until` (inclusive when `inclusive`).
fn last_month_start(until: NaiveDate, inclusive: bool) -> NaiveDate {
    let start = until.with_day(1).unwrap_or(until);
    if start == until && !inclusive {
        // The month before `until`'s.
        let prev = until.pred_opt().unwrap_or(until);
        return prev.with_day(1).unwrap_or(prev);
    }
    start
}

/// How many months from the 1st `a` to the 1st `b` (`None` when `b` is before `a`).
fn months_between(a: NaiveDate, b: NaiveDate) -> Option<u32> {
    let months = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    u32::try_from(months(b) - months(a)).ok()
}

pub(super) fn last_of_month(d: NaiveDate) -> NaiveDate {
    first_of_next_month(d).pred_opt().unwrap_or(d)
}

impl<'a> Run<'a> {
    /// Process the start of every day up to `until` (inclusive when `inclusive`): expiries
    /// and the 1st-of-month grants, in date order.
    #[inline]
    pub(super) fn catch_up(&mut self, until: NaiveDate, inclusive: bool) {
        // Most dates of a client come with nothing due since the last: no call for that.
        if !inclusive && self.quiet_before(until) {
            return;
        }
        self.catch_up_days(until, inclusive);
    }

    /// No lot lapses and no month starts after `done_through` and before `until`: the loop
    /// of [`Run::catch_up_days`] would stop at once.
    #[inline]
    pub(super) fn quiet_before(&mut self, until: NaiveDate) -> bool {
        if self.done_through.is_some_and(|d| day_after(d) >= until) {
            return true;
        }
        if self.next_last_day().is_some_and(|l| day_after(l) < until) {
            return false;
        }
        match (self.plan.and_then(|p| p.monthly), self.done_through) {
            (Some(_), Some(d)) => self.next_month(d) >= until,
            _ => true,
        }
    }

    #[inline(never)]
    pub(super) fn catch_up_days(&mut self, until: NaiveDate, inclusive: bool) {
        loop {
            let from = self.done_through.map(day_after);
            let next_expiry = self.next_last_day().map(day_after);
            let next_month = match (self.plan.and_then(|p| p.monthly), self.done_through) {
                (Some(_), Some(d)) => Some(self.next_month(d)),
                _ => None,
            };
            let next = match (next_expiry, next_month) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => match a.or(b) {
                    Some(n) => n,
                    None => break,
                },
            };
            let next = from.map_or(next, |f| next.max(f));
            if next > until || (next == until && !inclusive) {
                break;
            }
            if next_month == Some(next) && self.skip_idle_months(next, until, inclusive) {
                // The idle months are behind: the loop goes on from the last month start.
                continue;
            }
            self.start_of_day(next);
            self.grant_if_due(next);
            self.done_through = Some(next);
        }
        if inclusive {
            self.done_through = Some(self.done_through.map_or(until, |d| d.max(until)));
        }
    }

    /// Idle months in closed form: from the month start `first` to the last month start the
    /// loop would process before `until`, no entry comes, so nothing happens but the plan's
    /// grant on each 1st and the lapse of lots. When no history is kept, the order of those
    /// lapses is read by nothing: each adds its lot's time and money to the totals. So the
    /// grants of the months from `first` to the one before the last that lapse before that
    /// last month start are counted at once (granted and expired whole); those still open
    /// then are made, as stepping makes them; and the loop resumes on the last month start,
    /// where every lot due lapses and its grant opens. The lots that lapse on `first` lapse
    /// first, as stepping has them, so that the time they roll over lands in `first`'s month;
    /// a plan whose grants roll over goes on in [`Run::skip_rolling_months`]. `false` (and
    /// nothing done) when history is kept or fewer than two months are idle.
    fn skip_idle_months(&mut self, first: NaiveDate, until: NaiveDate, inclusive: bool) -> bool {
        if self.opts.events || stepping_forced() {
            return false;
        }
        let Some(plan) = self.plan else { return false };
        let Some(monthly) = plan.monthly else {
            return false;
        };
        let last = last_month_start(until, inclusive);
        let Some(months) = months_between(first, last) else {
            return false;
        };
        if months < 2 || self.plan_started.is_some_and(|d| first <= d && d <= last) {
            return false;
        }
        // The lots that lapse on `first` (last month's grants) lapse now, and roll over as on
        // any 1st: after that, nothing made before `first` rolls over any more.
        self.start_of_day(first);
        if let Lapse::MonthEnd { rollover } = grant_terms(plan)
            && rollover > Decimal::ZERO
        {
            return self.skip_rolling_months(monthly, rollover.min(monthly), first, last, months);
        }
        let month = |k: u32| crate::model::add_months(first, k);
        // Lapse days grow with the month: the months whose grant lapses before `last` come first.
        let still_open =
            |k: u32| month(k).is_none_or(|d| grant_lapse(plan, d).is_none_or(|l| l >= last));
        let (mut lo, mut hi) = (0, months);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if still_open(mid) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        let (Some(idle), Some(made)) = (
            monthly.checked_mul(Decimal::from(lo)),
            self.lots_made.checked_add(lo),
        ) else {
            return false;
        };
        self.state.totals.granted += idle;
        self.state.totals.expired += idle;
        self.lots_made = made;
        let mut date = month(lo).unwrap_or(last);
        for _ in lo..months {
            let lot = self.grant_lot(monthly, date, grant_lapse(plan, date), grant_terms(plan));
            self.open_lot(lot);
            self.state.totals.granted += monthly;
            date = first_of_next_month(date);
        }
        self.done_through = last.pred_opt();
        true
    }

    /// [`Run::skip_idle_months`] for a plan whose grants roll `rolls` over (its `rollover`, at
    /// most its `monthly`) and lapse at month end. Every idle month is alike: its grant is made
    /// whole, `rolls` of last month's grant rolls into it, and the rest of last month's grant
    /// and all of last month's rolled time lapse. So the `months` grants are counted, and the
    /// time that lapsed in between: the rest of every grant but the last, and the rolled time
    /// of every month but the first (whose rolled time, if any, came from before `first` and
    /// lapses with the lots of before) and the last. The last idle month's two lots are made,
    /// as stepping makes them (rolled time first), with the `seq` stepping gives them; the
    /// loop resumes on `last`, where they lapse and roll over.
    fn skip_rolling_months(
        &mut self,
        monthly: Minutes,
        rolls: Minutes,
        first: NaiveDate,
        last: NaiveDate,
        months: u32,
    ) -> bool {
        let Some(plan) = self.plan else { return false };
        let n = |k: u32| Decimal::from(k);
        // Grants made; lapsed: (months − 1) rests of `monthly − rolls`, (months − 2) rolled.
        let granted = monthly.checked_mul(n(months));
        let lapsed = (monthly - rolls)
            .checked_mul(n(months - 1))
            .zip(rolls.checked_mul(n(months - 2)))
            .and_then(|(a, b)| a.checked_add(b));
        // Stepping makes a grant every month and rolled time every month but the first.
        let made = (months.checked_mul(2)).and_then(|k| self.lots_made.checked_add(k - 3));
        let (Some(granted), Some(lapsed), Some(made), Some(date)) = (
            granted,
            lapsed,
            made,
            crate::model::add_months(first, months - 1),
        ) else {
            return false;
        };
        self.state.totals.granted += granted;
        self.state.totals.expired += lapsed;
        self.lots_made = made;
        let lapse = grant_lapse(plan, date);
        self.open_lot(self.grant_lot(rolls, date, lapse, Lapse::Rolled));
        self.open_lot(self.grant_lot(monthly, date, lapse, grant_terms(plan)));
        self.done_through = last.pred_opt();
        true
    }

    /// A plan's monthly time granted on `date` (or rolled over into its month), lapsing after
    /// `last_day` as `lapse` says.
    fn grant_lot(
        &self,
        monthly: Minutes,
        date: NaiveDate,
        last_day: Option<NaiveDate>,
        lapse: Lapse,
    ) -> Lot {
        Lot {
            reference: None,
            date,
            kind: LotKind::Grant,
            minutes: monthly,
            remaining: monthly.into(),
            paid: Decimal::ZERO,
            value: Num::ZERO,
            last_day,
            refund_until: None,
            seq: 0,
            span: self.client.span,
            lapse,
        }
    }

    /// The first of the month after `d`, as [`first_of_next_month`]: computed once a month.
    pub(super) fn next_month(&mut self, d: NaiveDate) -> NaiveDate {
        let (from, next) = self.month;
        if from <= d && d < next {
            return next;
        }
        let next = first_of_next_month(d);
        self.month = (d, next);
        next
    }

    /// The earliest last usable day among open lots, or an earlier day (never a later one):
    /// days before it need no look for expiries.
    pub(super) fn next_last_day(&self) -> Option<NaiveDate> {
        self.expiries.peek().map(|Reverse((l, _))| *l)
    }

    /// Expire every lot whose last usable day is before `date`.
    #[inline]
    pub(super) fn start_of_day(&mut self, date: NaiveDate) {
        // Most days expire nothing: the test is made where it is called.
        if self.next_last_day().is_some_and(|l| l < date) {
            self.expire(date);
        }
    }

    #[inline(never)]
    pub(super) fn expire(&mut self, date: NaiveDate) {
        // The open lots whose last usable day is before `date`, the earliest first.
        let mut expired = Vec::new();
        while let Some(&Reverse((last, i))) = self.expiries.peek() {
            if last >= date {
                break;
            }
            self.expiries.pop();
            if self.open.contains(i) {
                expired.push(i);
            }
        }
        for &i in &expired {
            self.close_lot(i);
        }
        for i in expired {
            self.roll_over(i);
            let lot = &mut self.state.lots[i];
            let minutes = lot.remaining;
            let money = lot.value;
            let kind = lot.kind;
            let rolled = lot.lapse == Lapse::Rolled;
            let last = lot.last_day.unwrap_or(date);
            let reference = lot.reference.clone();
            let granted = lot.date;
            lot.remaining = Num::ZERO;
            lot.value = Num::ZERO;
            if minutes.is_zero() {
                // All of it rolled over: nothing lapses.
                continue;
            }
            self.drawn.push((i, minutes, money));
            self.held -= minutes;
            if kind == LotKind::Grant {
                self.held_in_grants -= minutes;
            }
            self.state.totals.expired += minutes;
            self.state.totals.money_expired += money;
            if let Some(ev) = self.push_event(day_after(last), EventKind::Expire, None) {
                ev.credited = Some((-minutes).dec());
                ev.detail = super::Detail {
                    reference,
                    lot: Some(kind),
                    rolled,
                    since: Some(granted),
                    until: Some(last),
                    ..super::Detail::default()
                };
                if !money.is_zero() {
                    ev.amount = Some(money.dec());
                }
            }
        }
        self.forget_closed_grants();
    }

    /// Lot `i` lapses at its month's end: up to its `rollover` of what is left moves to a new
    /// grant usable through the next month's end (made now, so drained before that month's own
    /// grant), and a `rollover` line says so; the rest is left to lapse. The balance does not
    /// move, and nothing is granted: the time only changes lots.
    fn roll_over(&mut self, i: usize) {
        let lot = &self.state.lots[i];
        let Lapse::MonthEnd { rollover } = lot.lapse else {
            return;
        };
        let moved = Num::from(rollover).min(lot.remaining);
        let (Some(last), true) = (lot.last_day, moved > Num::ZERO) else {
            return;
        };
        let from = lot.date;
        let first = day_after(last);
        let through = last_of_month(first);
        self.state.lots[i].remaining -= moved;
        // Read by the rollover line only when the history is kept.
        if self.opts.events {
            self.drawn.push((i, moved, Num::ZERO));
        }
        self.held -= moved;
        self.held_in_grants -= moved;
        let rolled = self.grant_lot(moved.dec(), first, Some(through), Lapse::Rolled);
        self.open_lot(rolled);
        if let Some(ev) = self.push_event(first, EventKind::Rollover, None) {
            ev.detail = super::Detail {
                lot: Some(LotKind::Grant),
                since: Some(from),
                until: Some(through),
                minutes: Some(moved.dec()),
                ..super::Detail::default()
            };
        }
    }

    /// Grant the plan's monthly time on the 1st, or on the plan's first day.
    #[inline]
    pub(super) fn grant_if_due(&mut self, date: NaiveDate) {
        // Most days grant nothing: the test is made where it is called.
        let Some(plan) = self.plan else { return };
        let Some(monthly) = plan.monthly else { return };
        if date.day() == 1 || self.plan_started == Some(date) {
            self.grant(plan, monthly, date);
        }
    }

    #[inline(never)]
    pub(super) fn grant(&mut self, plan: &'a Plan, monthly: Minutes, date: NaiveDate) {
        // Dates only move forward: grants of earlier months can never be asked about again.
        self.granted
            .retain(|(_, y, m)| (*y, *m) == (date.year(), date.month()));
        let key = (plan.name.as_str(), date.year(), date.month());
        if self.granted.contains(&key) {
            return;
        }
        self.granted.push(key);
        let last_day = grant_lapse(plan, date);
        self.open_lot(self.grant_lot(monthly, date, last_day, grant_terms(plan)));
        self.state.totals.granted += monthly;
        if let Some(ev) = self.push_event(date, EventKind::Grant, None) {
            ev.credited = Some(monthly);
            ev.detail = super::Detail {
                name: Some(plan.name.clone()),
                lot: Some(LotKind::Grant),
                since: Some(date),
                until: last_day,
                ..super::Detail::default()
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;

    #[test]
    fn the_calendar_steps_agree_with_the_general_date_arithmetic() {
        let mut d = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        while d.year() < 2029 {
            assert_eq!(day_after(d), d.checked_add_days(Days::new(1)).unwrap());
            let first = d.with_day(1).unwrap();
            assert_eq!(
                first_of_next_month(d),
                crate::model::add_months(first, 1).unwrap()
            );
            d = day_after(d);
        }
        assert_eq!(day_after(NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(first_of_next_month(NaiveDate::MAX), NaiveDate::MAX);
    }

    #[test]
    fn a_plan_from_1900_through_9999_grants_and_lapses_every_month_in_closed_form() {
        let book = crate::testing::book(
            "[book]\nname = \"B\"\ncurrency = \"USD\"\n[policy]\nunit_price = \"100\"\n\
             [plans.p]\nmonthly = \"1h\"\n[clients.acme]\n",
        );
        let entries = crate::testing::entries(
            &book,
            "1900-01-01 plan acme p\n1900-03-10 log acme 20m\n5000-06-01 log acme 15m",
        );
        let lean = crate::engine::ReplayOptions::STATES;
        let through = |d: &str| {
            let as_of = d.parse().ok();
            let skipped = crate::engine::replay_with(&book, &entries, as_of, lean);
            let stepped = stepping(|| crate::engine::replay_with(&book, &entries, as_of, lean));
            let (a, b) = (&skipped.clients["acme"], &stepped.clients["acme"]);
            assert_eq!(a.totals, b.totals);
            assert_eq!(a.balance(), b.balance());
            assert_eq!(a.lots.last(), b.lots.last());
            a.totals.clone()
        };
        // 8,100 years of months, the last still open; the two logs took from their months.
        let totals = through("9999-12-31");
        let hour = Decimal::from(60);
        assert_eq!(totals.granted, hour * Decimal::from(97_200));
        assert_eq!(
            totals.expired,
            hour * Decimal::from(97_199) - Decimal::from(35)
        );
        // On a 1st, inclusive: that month's grant is made.
        let totals = through("2000-01-01");
        assert_eq!(totals.granted, hour * Decimal::from(1_201));
    }
}
