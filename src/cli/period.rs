//! Periods and dates typed on the command line: `--month`, `--from`, `--to`, `-p/--period`
//! ([`PeriodArgs`], flattened into every command that covers a span), and the one reader of a
//! date option ([`typed`]: `2026-03-01`, `today`, `yesterday`, `tomorrow`, `-7d`, `+30d`).
//!
//! Reading is clap's; resolving ([`PeriodArgs::resolve`], [`TypedDate::resolve`]) is pure:
//! it takes today as an argument, never from the clock. Journals never read relative dates.

use super::Fail;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use clap::Args;

/// A date as typed after a date option: a day, or a number of days from today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypedDate {
    /// `YYYY-MM-DD`.
    Day(NaiveDate),
    /// `today` (0), `yesterday` (-1), `tomorrow` (1), `-Nd`, `+Nd`.
    FromToday(i64),
}

impl TypedDate {
    /// The day meant, counted from `today`; a day outside 1900-01-01..9999-12-31 is bad usage.
    pub fn resolve(self, today: NaiveDate) -> Result<NaiveDate, Fail> {
        let n = match self {
            TypedDate::Day(d) => return Ok(d),
            TypedDate::FromToday(n) => n,
        };
        let first = NaiveDate::from_ymd_opt(crate::syntax::value::FIRST_YEAR, 1, 1);
        let day = if n >= 0 {
            today.checked_add_days(Days::new(n.unsigned_abs()))
        } else {
            today.checked_sub_days(Days::new(n.unsigned_abs()))
        };
        day.filter(|d| d.year() <= 9999 && Some(*d) >= first)
            .ok_or_else(|| {
                Fail::usage(
                    format!("{n:+} days from {today} is out of range: dates run from 1900-01-01 to 9999-12-31"),
                    Some("count fewer days, or write the date as YYYY-MM-DD".into()),
                )
            })
    }
}

/// An absolute date, `YYYY-MM-DD` (`--today` itself): [`crate::syntax::value::date`].
pub fn absolute(s: &str) -> Result<NaiveDate, String> {
    crate::syntax::value::date(s).map_err(|e| match e.help {
        Some(h) => format!("{}; {h}", e.message),
        None => e.message,
    })
}

/// The reader of every date option but `--today`: `YYYY-MM-DD`, `today`, `yesterday`,
/// `tomorrow`, `-Nd` or `+Nd` (counted from `--today`).
pub fn typed(s: &str) -> Result<TypedDate, String> {
    match s {
        "today" => return Ok(TypedDate::FromToday(0)),
        "yesterday" => return Ok(TypedDate::FromToday(-1)),
        "tomorrow" => return Ok(TypedDate::FromToday(1)),
        // `export --to hledger` was the export's old form.
        "hledger" | "ledger" | "beancount" | "csv" | "json" => {
            return Err(format!(
                "`{s}` is not a date; an export's format is a word now: `credits export {s}`"
            ));
        }
        _ => {}
    }
    if let Some(rest) = s.strip_prefix(['+', '-'])
        && let Some(digits) = rest.strip_suffix('d')
    {
        let n =
            (!digits.is_empty() && digits.len() <= 7 && digits.bytes().all(|b| b.is_ascii_digit()))
                .then(|| digits.parse::<i64>().ok())
                .flatten()
                .ok_or_else(|| format!("`{s}` is not a number of days; write `-7d` or `+30d`"))?;
        return Ok(TypedDate::FromToday(if s.starts_with('-') {
            -n
        } else {
            n
        }));
    }
    crate::syntax::value::date(s)
        .map(TypedDate::Day)
        .map_err(|e| {
            format!(
                "{}; write YYYY-MM-DD, `today`, `yesterday`, `tomorrow`, `-7d` or `+30d`",
                e.message
            )
        })
}

/// A unit of the calendar a relative period word counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A calendar month.
    Month,
    /// An ISO week, Monday to Sunday.
    Week,
    /// A calendar year.
    Year,
}

/// A period word: `2026`, `2026-03`, `2026-W05`, `this-month`, `last-week`…
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodWord {
    /// `YYYY`.
    Year(i32),
    /// `YYYY-MM`.
    Month(i32, u32),
    /// `YYYY-Www` (ISO year and week).
    Week(i32, u32),
    /// `this-month`, `this-week`, `this-year`.
    This(Unit),
    /// `last-month`, `last-week`, `last-year`.
    Last(Unit),
}

const PERIOD_HELP: &str = "write `YYYY`, `YYYY-MM`, `YYYY-Www`, `this-month`, `last-month`, \
                           `this-week`, `last-week`, `this-year` or `last-year`";

fn digits(s: &str) -> Option<u32> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn year(s: &str) -> Option<i32> {
    let y = digits(s).filter(|_| s.len() == 4)?;
    i32::try_from(y)
        .ok()
        .filter(|y| *y >= crate::syntax::value::FIRST_YEAR)
}

/// Read `-p/--period`.
pub fn period_word(s: &str) -> Result<PeriodWord, String> {
    let word = match s {
        "this-month" => Some(PeriodWord::This(Unit::Month)),
        "last-month" => Some(PeriodWord::Last(Unit::Month)),
        "this-week" => Some(PeriodWord::This(Unit::Week)),
        "last-week" => Some(PeriodWord::Last(Unit::Week)),
        "this-year" => Some(PeriodWord::This(Unit::Year)),
        "last-year" => Some(PeriodWord::Last(Unit::Year)),
        _ => match s.split_once('-') {
            None => year(s).map(PeriodWord::Year),
            Some((y, rest)) => year(y).and_then(|y| match rest.strip_prefix('W') {
                Some(w) => digits(w)
                    .filter(|_| w.len() == 2)
                    .filter(|w| NaiveDate::from_isoywd_opt(y, *w, Weekday::Mon).is_some())
                    .map(|w| PeriodWord::Week(y, w)),
                None => digits(rest)
                    .filter(|m| rest.len() == 2 && (1..=12).contains(m))
                    .map(|m| PeriodWord::Month(y, m)),
            }),
        },
    };
    word.ok_or_else(|| format!("`{s}` is not a period; {PERIOD_HELP}"))
}

/// Read `--month YYYY-MM`.
pub fn month_word(s: &str) -> Result<PeriodWord, String> {
    match period_word(s) {
        Ok(w @ PeriodWord::Month(..)) => Ok(w),
        _ => Err(format!(
            "`{s}` is not a month; write it as YYYY-MM, e.g. `2026-10`"
        )),
    }
}

/// The options that name a period; flatten into a command's arguments.
#[derive(Debug, Clone, Default, Args)]
pub struct PeriodArgs {
    /// The period: YYYY, YYYY-MM, YYYY-Www, this-month, last-month, this-week, last-week,
    /// this-year or last-year
    #[arg(short = 'p', long = "period", value_name = "PERIOD", value_parser = period_word,
          conflicts_with_all = ["month", "from", "to"])]
    pub period: Option<PeriodWord>,

    /// The month, YYYY-MM (same as `-p YYYY-MM`)
    #[arg(long, value_name = "YYYY-MM", value_parser = month_word, conflicts_with_all = ["from", "to"])]
    pub month: Option<PeriodWord>,

    /// First day: YYYY-MM-DD, today, yesterday, -7d… [`--to` default: today]
    #[arg(long, value_name = "DATE", value_parser = typed, allow_hyphen_values = true)]
    pub from: Option<TypedDate>,

    /// Last day (needs `--from`): YYYY-MM-DD, today, yesterday, -7d…
    #[arg(long, value_name = "DATE", value_parser = typed, requires = "from", allow_hyphen_values = true)]
    pub to: Option<TypedDate>,
}

/// A period resolved to days: first and last day, and the name its files get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// `2026`, `2026-03`, `2026-W05`, or `<from>_<to>` for a range.
    pub name: String,
}

fn month(y: i32, m: u32) -> Option<Period> {
    let from = NaiveDate::from_ymd_opt(y, m, 1)?;
    let next = crate::model::add_months(from, 1);
    let to = next.and_then(|n| n.pred_opt()).unwrap_or(NaiveDate::MAX);
    Some(Period {
        from,
        to,
        name: format!("{y:04}-{m:02}"),
    })
}

fn week(y: i32, w: u32) -> Option<Period> {
    let from = NaiveDate::from_isoywd_opt(y, w, Weekday::Mon)?;
    let to = NaiveDate::from_isoywd_opt(y, w, Weekday::Sun)?;
    Some(Period {
        from,
        to,
        name: format!("{y:04}-W{w:02}"),
    })
}

fn whole_year(y: i32) -> Option<Period> {
    Some(Period {
        from: NaiveDate::from_ymd_opt(y, 1, 1)?,
        to: NaiveDate::from_ymd_opt(y, 12, 31)?,
        name: format!("{y:04}"),
    })
}

impl PeriodWord {
    /// The days this word names, counted from `today` when relative.
    #[must_use]
    pub fn resolve(self, today: NaiveDate) -> Option<Period> {
        match self {
            PeriodWord::Year(y) => whole_year(y),
            PeriodWord::Month(y, m) => month(y, m),
            PeriodWord::Week(y, w) => week(y, w),
            PeriodWord::This(Unit::Month) => month(today.year(), today.month()),
            PeriodWord::Last(Unit::Month) => {
                let (y, m) = if today.month() == 1 {
                    (today.year() - 1, 12)
                } else {
                    (today.year(), today.month() - 1)
                };
                month(y, m)
            }
            PeriodWord::This(Unit::Week) => {
                let w = today.iso_week();
                week(w.year(), w.week())
            }
            PeriodWord::Last(Unit::Week) => {
                let w = today.checked_sub_days(Days::new(7))?.iso_week();
                week(w.year(), w.week())
            }
            PeriodWord::This(Unit::Year) => whole_year(today.year()),
            PeriodWord::Last(Unit::Year) => whole_year(today.year() - 1),
        }
    }
}

impl PeriodArgs {
    /// True when no period option was given.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.period.is_none() && self.month.is_none() && self.from.is_none() && self.to.is_none()
    }

    /// The period asked for, counted from `today`; `None` when none was asked for (the
    /// command's default applies). `--from` alone runs to today; `--to` alone, or a first
    /// day after the last, is bad usage (clap refuses `--to` alone before this).
    pub fn resolve(&self, today: NaiveDate) -> Result<Option<Period>, Fail> {
        if let Some(word) = self.period.or(self.month) {
            return word.resolve(today).map(Some).ok_or_else(|| {
                Fail::usage(
                    "the period runs past 9999-12-31",
                    Some("choose an earlier period".into()),
                )
            });
        }
        let Some(from) = self.from else {
            return match self.to {
                Some(_) => Err(Fail::usage(
                    "`--to` needs `--from`",
                    Some("give the first day with `--from`, or a whole period with `-p`".into()),
                )),
                None => Ok(None),
            };
        };
        let from = from.resolve(today)?;
        let Some(to) = self.to else {
            if from > today {
                return Err(Fail::usage(
                    format!("`--from {from}` is after today ({today})"),
                    Some("without `--to` the period runs to today: give `--to` too".into()),
                ));
            }
            return Ok(Some(Period {
                from,
                to: today,
                name: format!("{from}_{today}"),
            }));
        };
        let to = to.resolve(today)?;
        if from > to {
            return Err(Fail::usage(
                format!("`--from {from}` is after `--to {to}`"),
                Some("the period runs from its first day to its last".into()),
            ));
        }
        Ok(Some(Period {
            from,
            to,
            name: format!("{from}_{to}"),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn p(word: &str, today: &str) -> (NaiveDate, NaiveDate, String) {
        let r = period_word(word).unwrap().resolve(d(today)).unwrap();
        (r.from, r.to, r.name)
    }

    #[test]
    fn period_words_name_their_days_and_their_file_names() {
        let t = "2026-03-18";
        assert_eq!(
            p("2026", t),
            (d("2026-01-01"), d("2026-12-31"), "2026".into())
        );
        assert_eq!(
            p("2026-02", t),
            (d("2026-02-01"), d("2026-02-28"), "2026-02".into())
        );
        assert_eq!(
            p("2026-W05", t),
            (d("2026-01-26"), d("2026-02-01"), "2026-W05".into())
        );
        assert_eq!(
            p("this-month", t),
            (d("2026-03-01"), d("2026-03-31"), "2026-03".into())
        );
        assert_eq!(
            p("last-month", t),
            (d("2026-02-01"), d("2026-02-28"), "2026-02".into())
        );
        assert_eq!(
            p("last-month", "2026-01-10"),
            (d("2025-12-01"), d("2025-12-31"), "2025-12".into())
        );
        assert_eq!(
            p("this-week", t),
            (d("2026-03-16"), d("2026-03-22"), "2026-W12".into())
        );
        assert_eq!(
            p("last-week", t),
            (d("2026-03-09"), d("2026-03-15"), "2026-W11".into())
        );
        // The first days of January belong to the last ISO week of the year before.
        assert_eq!(
            p("this-week", "2027-01-01"),
            (d("2026-12-28"), d("2027-01-03"), "2026-W53".into())
        );
        assert_eq!(
            p("this-year", t),
            (d("2026-01-01"), d("2026-12-31"), "2026".into())
        );
        assert_eq!(
            p("last-year", t),
            (d("2025-01-01"), d("2025-12-31"), "2025".into())
        );
    }

    #[test]
    fn a_period_that_is_no_period_is_refused_with_the_forms() {
        for bad in [
            "",
            "26",
            "2026-13",
            "2026-00",
            "2026-3",
            "2026-W54",
            "2025-W53",
            "2026-W5",
            "1899",
            "this-day",
            "next-month",
            "2026-03-01",
            "+2026",
        ] {
            let e = period_word(bad).unwrap_err();
            assert!(
                e.starts_with(&format!("`{bad}` is not a period;")),
                "{bad:?}: {e}"
            );
        }
        assert!(period_word("2026-W53").is_ok());
        assert!(month_word("2026").is_err());
        assert!(month_word("2026-03").is_ok());
    }

    #[test]
    fn typed_dates_count_days_from_today() {
        let today = d("2026-03-01");
        let r = |s: &str| typed(s).unwrap().resolve(today).unwrap();
        assert_eq!(r("today"), today);
        assert_eq!(r("yesterday"), d("2026-02-28"));
        assert_eq!(r("tomorrow"), d("2026-03-02"));
        assert_eq!(r("-7d"), d("2026-02-22"));
        assert_eq!(r("+30d"), d("2026-03-31"));
        assert_eq!(r("+0d"), today);
        assert_eq!(r("2026-01-05"), d("2026-01-05"));
        for bad in [
            "7d",
            "-d",
            "-7",
            "+7w",
            "-1.5d",
            "Today",
            "2026-1-5",
            "-99999999d",
        ] {
            assert!(typed(bad).is_err(), "{bad:?}");
        }
        let far = typed("-9999999d").unwrap().resolve(today).unwrap_err();
        assert_eq!(far.code, 2);
    }

    #[test]
    fn from_alone_runs_to_today_and_a_reversed_range_is_bad_usage() {
        let today = d("2026-03-18");
        let args = PeriodArgs {
            from: Some(TypedDate::FromToday(-7)),
            ..PeriodArgs::default()
        };
        let r = args.resolve(today).unwrap().unwrap();
        assert_eq!((r.from, r.to), (d("2026-03-11"), today));
        assert_eq!(r.name, "2026-03-11_2026-03-18");
        let reversed = PeriodArgs {
            from: Some(TypedDate::Day(d("2026-03-10"))),
            to: Some(TypedDate::Day(d("2026-03-01"))),
            ..PeriodArgs::default()
        };
        assert_eq!(reversed.resolve(today).unwrap_err().code, 2);
        let to_alone = PeriodArgs {
            to: Some(TypedDate::FromToday(0)),
            ..PeriodArgs::default()
        };
        assert_eq!(to_alone.resolve(today).unwrap_err().code, 2);
        assert_eq!(PeriodArgs::default().resolve(today).unwrap(), None);
    }
}
