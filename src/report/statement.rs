//! `credits statement`: one client's period, line by line, with a summary (SPEC §5–7, §7.13).
//!
//! A statement is a slice of the client's event history: the replay runs as of the period's
//! last day (cut at today), and the lines are the events dated inside the period. The opening
//! balance is the balance after the last event before the period, so grants and expiries on
//! its first day are lines of the period.

use super::balance::QuoteLine;
use crate::engine::{ClientState, Detail, EventKind, LotKind, QuoteState, Replay};
use crate::model::{Book, Currency, DebitPolicy, Minutes};
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

/// One client's statement for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The book's name (`[book] name`).
    pub book: String,
    /// Client id.
    pub client: String,
    /// The client's display name.
    pub name: String,
    /// The client's email, for the header.
    pub email: Option<String>,
    /// The client's currency.
    pub currency: Currency,
    /// Hourly rate overage is billed at.
    pub rate: Option<Decimal>,
    /// The book's unit name, singular.
    pub unit: String,
    /// Minutes in one unit.
    pub unit_minutes: Minutes,
    /// First day of the period.
    pub from: NaiveDate,
    /// Last day of the period, cut at today.
    pub to: NaiveDate,
    /// True when the period asked for ran past today and was cut.
    pub cut: bool,
    /// The plan in force at the end of the period.
    pub plan: Option<String>,
    /// Balance at the end of the day before `from`.
    pub opening: Minutes,
    /// Balance at the end of `to`.
    pub closing: Minutes,
    /// Logged time waiting to complete a unit at the end of `to`.
    pub pending: Minutes,
    /// Money value of the purchased time left at the end of `to` (exact).
    pub value: Decimal,
    /// Overage not yet marked by `bill` at the end of `to`.
    pub overage: Minutes,
    /// `overage` at the client's hourly `rate` (exact); `None` without a rate.
    pub overage_due: Option<Decimal>,
    /// The period's movements, summed by kind.
    pub totals: StatementTotals,
    /// Every event of the period, in order.
    pub lines: Vec<StatementLine>,
    /// `warn_days` in force for the client at the end of the period.
    pub warn_days: u32,
    /// Open purchased and `adjust +` lots whose last usable day falls within `warn_days`
    /// after the period, earliest first.
    pub expiring: Vec<ExpiringLot>,
    /// Quotes pending or approved at the end of the period.
    pub quotes: Vec<QuoteLine>,
    /// The pace of the 90 days that end with the period, and the day the time runs out at
    /// it (from the end of the period, cut at today). Read from a replay made with
    /// `ReplayOptions::with_forecast(to)`; without it, no pace and no date.
    pub forecast: super::Forecast,
    /// Who issues the statement (`[book] issuer`), one line each; empty when not set.
    pub issuer: Vec<String>,
    /// The issuer's address (`[book] email`).
    pub issuer_email: Option<String>,
    /// Payment terms or a note (`[book] footer`), one line each.
    pub footer: Vec<String>,
    /// The day the statement is made (today).
    pub issued: NaiveDate,
    /// The title of the plan in force at the end of the period (`title`), if it has one.
    pub plan_title: Option<String>,
    /// True when the client's logs are debited under `accumulate` at the end of the period:
    /// time under one unit is carried until it adds up to a whole unit.
    pub carries: bool,
    /// The step work is rounded up to when the client's logs are debited under `round-up` at
    /// the end of the period.
    pub rounds_to: Option<Minutes>,
}

/// The period's movements, in minutes (and the money that moved).
///
/// `opening + bought + granted + adjusted − debited − expired − refunded − applied = closing`:
/// covered time and overage are counted apart, as no lot pays for them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatementTotals {
    /// Minutes bought.
    pub bought: Minutes,
    /// Minutes granted by a plan.
    pub granted: Minutes,
    /// Minutes added by `adjust +`.
    pub adjusted: Minutes,
    /// Minutes taken from lots (or carried as debt) by logs, debits, `done` and `adjust −`.
    pub debited: Minutes,
    /// Minutes of covered work (logged, never debited).
    pub covered: Minutes,
    /// Minutes forfeited at expiry.
    pub expired: Minutes,
    /// Minutes refunded.
    pub refunded: Minutes,
    /// Minutes used by `apply`.
    pub applied: Minutes,
    /// Minutes logged (covered or not).
    pub logged: Minutes,
    /// Minutes charged past the purchased time, to be billed at the rate.
    pub overage: Minutes,
    /// Money paid for the time bought.
    pub paid: Decimal,
    /// Money refunded.
    pub money_refunded: Decimal,
    /// Money applied to projects.
    pub money_applied: Decimal,
}

/// One line of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementLine {
    /// Its date.
    pub date: NaiveDate,
    /// Its kind (SPEC §6 words).
    pub kind: EventKind,
    /// Minutes worked (logs).
    pub logged: Option<Minutes>,
    /// Minutes charged (overage included).
    pub debited: Option<Minutes>,
    /// The part of `debited` that ran into overage.
    pub overage: Option<Minutes>,
    /// Minutes added (positive) or removed without a debit (expiries, refunds: negative).
    pub credited: Option<Minutes>,
    /// The balance after the line.
    pub balance: Minutes,
    /// Money that moved, exact, signed from the account's point of view: purchases positive;
    /// refunds, applied amounts and the value of expired time negative. `None` on `bill`.
    pub amount: Option<Decimal>,
    /// The overage money a `bill` line invoiced (exact).
    pub invoiced: Option<Decimal>,
    /// The title of the package, plan or task the line names (`title` in the book).
    pub title: Option<String>,
    /// What the line is about, as data.
    pub detail: Detail,
}

/// A lot that expires soon after the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiringLot {
    /// Its `ref:`.
    pub reference: Option<String>,
    /// Purchase date.
    pub date: NaiveDate,
    /// Minutes left.
    pub remaining: Minutes,
    /// Last usable day.
    pub expires: NaiveDate,
    /// Money value of the minutes left (exact).
    pub value: Decimal,
}

/// The statement of `client` for `from..=to`, from a `replay` made as of `min(to, as_of)`.
///
/// The period is cut at `as_of` (today). A client the replay never saw (no entries) gets an
/// empty statement. Pure: the caller checks that `client` is a client of `book`.
#[must_use]
pub fn statement(
    book: &Book,
    replay: &Replay,
    client: &str,
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
) -> Statement {
    let empty = ClientState::default();
    let state = replay.clients.get(client).unwrap_or(&empty);
    let end = to.min(as_of);
    let info = book.clients.get(client);
    let policy = book.policy_for(client, state.plan.as_deref());

    let opening = state
        .events
        .iter()
        .rev()
        .find(|e| e.date < from)
        .map_or(Decimal::ZERO, |e| e.balance);
    let mut totals = StatementTotals::default();
    let mut lines = Vec::new();
    let mut closing = opening;
    for e in state
        .events
        .iter()
        .filter(|e| e.date >= from && e.date <= end)
    {
        let credited = e.credited.unwrap_or_default();
        let charged = e.debited.unwrap_or_default();
        let overage = e.overage.unwrap_or_default();
        match e.kind {
            EventKind::Buy => {
                totals.bought += credited;
                totals.paid += e.amount.unwrap_or_default();
            }
            EventKind::Grant => totals.granted += credited,
            EventKind::Covered => totals.covered += e.logged.unwrap_or_default(),
            EventKind::Expire => totals.expired -= credited,
            EventKind::Refund => {
                totals.refunded -= credited;
                totals.money_refunded += e.amount.unwrap_or_default();
            }
            EventKind::Apply => {
                totals.applied += charged;
                totals.money_applied += e.amount.unwrap_or_default();
            }
            EventKind::Adjust | EventKind::Log | EventKind::Debit | EventKind::Done => {
                totals.adjusted += credited;
                totals.debited += charged - overage;
                totals.overage += overage;
            }
            EventKind::Quoted
            | EventKind::Quote
            | EventKind::Estimate
            | EventKind::Approve
            | EventKind::Reject
            | EventKind::Plan
            | EventKind::Bill
            | EventKind::Rollover => {}
        }
        totals.logged += e.logged.unwrap_or_default();
        closing = e.balance;
        let (amount, invoiced) = match e.kind {
            EventKind::Bill => (None, e.amount),
            EventKind::Refund | EventKind::Apply | EventKind::Expire => {
                (e.amount.map(|a| -a), None)
            }
            _ => (e.amount, None),
        };
        lines.push(StatementLine {
            date: e.date,
            kind: e.kind,
            logged: e.logged,
            debited: e.debited,
            overage: e.overage,
            credited: e.credited,
            balance: e.balance,
            amount,
            invoiced,
            title: title_of(book, e.kind, &e.detail),
            detail: e.detail.clone(),
        });
    }

    let horizon = end
        .checked_add_days(Days::new(u64::from(policy.warn_days)))
        .unwrap_or(NaiveDate::MAX);
    let mut expiring: Vec<ExpiringLot> = state
        .lots
        .iter()
        .filter(|l| l.kind != LotKind::Grant && l.is_open())
        .filter_map(|l| {
            let day = l.last_day?;
            (day >= end && day <= horizon).then(|| ExpiringLot {
                reference: l.reference.clone(),
                date: l.date,
                remaining: l.remaining.dec(),
                expires: day,
                value: l.value.dec(),
            })
        })
        .collect();
    expiring.sort_by_key(|l| (l.expires, l.date));

    let rate = info.and_then(|c| c.rate).map(|m| m.amount);
    let plan_title = state
        .plan
        .as_deref()
        .and_then(|p| book.plans.get(p))
        .and_then(|p| p.title.clone());
    Statement {
        book: book.name.clone(),
        client: client.to_string(),
        name: info.map_or_else(|| client.to_string(), |c| c.name.clone()),
        email: info.and_then(|c| c.email.clone()),
        currency: book.currency_of(client),
        rate,
        unit: book.unit.clone(),
        unit_minutes: book.unit_minutes,
        from,
        to: end,
        cut: end < to,
        plan: state.plan.clone(),
        opening,
        closing,
        pending: state.pending,
        value: state.value(),
        overage: state.overage,
        overage_due: rate.map(|r| state.overage * r / Decimal::from(60)),
        totals,
        lines,
        warn_days: policy.warn_days,
        expiring,
        quotes: state
            .quotes
            .values()
            .filter(|q| matches!(q.state, QuoteState::Pending | QuoteState::Approved))
            .map(|q| QuoteLine {
                id: q.id.clone(),
                date: q.date,
                due: q.due,
                minutes: q.minutes,
                approved: q.state == QuoteState::Approved,
                description: q.description.clone(),
            })
            .collect(),
        forecast: super::forecast(
            state.burn,
            state.balance() - state.pending - state.reserved(),
            end,
        ),
        issuer: book.issuer.clone(),
        issuer_email: book.email.clone(),
        footer: book.footer.clone(),
        issued: as_of,
        plan_title,
        carries: policy.debit == DebitPolicy::Accumulate,
        rounds_to: (policy.debit == DebitPolicy::RoundUp).then_some(policy.round_to),
    }
}

/// The book's title of the package (`buy`), plan (grants, `plan`) or task (`debit`, quotes)
/// an event names; `None` when it names none or the thing has no title.
fn title_of(book: &Book, kind: EventKind, detail: &Detail) -> Option<String> {
    let name = detail.name.as_deref()?;
    match kind {
        EventKind::Buy => book.packages.get(name)?.title.clone(),
        EventKind::Grant | EventKind::Plan => book.plans.get(name)?.title.clone(),
        EventKind::Debit => Some(book.tasks.get(name)?.title.clone()),
        _ => None,
    }
}

impl Statement {
    /// `opening + bought + granted + adjusted − debited − expired − refunded − applied`: what
    /// the closing balance must be.
    #[must_use]
    pub fn expected_closing(&self) -> Minutes {
        let t = &self.totals;
        self.opening + t.bought + t.granted + t.adjusted
            - t.debited
            - t.expired
            - t.refunded
            - t.applied
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine;
    use crate::testing::{book, dec, entries, replay_str};
    use proptest::prelude::*;

    const BOOK: &str = r#"
[book]
name = "Test Book"
currency = "USD"

[policy]
unit_price = "100"
debit = "exact"
warn_days = 30

[plans.performance]
monthly = "3h"
monthly_expires = "month"
covered = ["support"]

[clients.acme]
name = "Acme Corp"
rate = "150"

[clients.quiet]
name = "Quiet Ltd"
"#;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn of(journal: &str, client: &str, from: &str, to: &str, today: &str) -> Statement {
        let end = d(to).min(d(today)).to_string();
        let (b, r) = replay_str(BOOK, journal, &end);
        statement(&b, &r, client, d(from), d(to), d(today))
    }

    #[test]
    fn opening_is_the_balance_before_the_period_and_lines_are_its_events() {
        let j = "
            2026-01-05 buy acme 10h @ 100 ref:INV-1
            2026-01-20 log acme 1h Setup
            2026-02-03 log acme 30m Fix <b>header</b>
            2026-02-10 debit acme 2h Banner
            2026-03-01 log acme 1h Later
        ";
        let s = of(j, "acme", "2026-02-01", "2026-02-28", "2026-06-01");
        assert_eq!(s.opening, dec(540));
        assert_eq!(s.closing, dec(390));
        assert_eq!(s.lines.len(), 2);
        assert_eq!(s.lines[0].detail.text, "Fix <b>header</b>");
        assert_eq!(s.lines[1].balance, dec(390));
        assert_eq!(s.totals.debited, dec(150));
        assert_eq!(s.expected_closing(), s.closing);
        assert_eq!(s.value, dec(650));
        assert!(!s.cut);
    }

    #[test]
    fn grants_and_expiries_on_the_first_day_are_lines_of_the_period() {
        let j = "
            2026-01-01 plan acme performance
            2026-01-10 log acme 1h Work
        ";
        let s = of(j, "acme", "2026-02-01", "2026-02-28", "2026-03-15");
        assert_eq!(s.opening, dec(120));
        let kinds: Vec<_> = s.lines.iter().map(|l| l.kind.word()).collect();
        assert_eq!(kinds, ["expire", "grant"]);
        assert_eq!((s.totals.expired, s.totals.granted), (dec(120), dec(180)));
        assert_eq!(s.closing, dec(180));
    }

    #[test]
    fn a_period_past_today_is_cut_at_today() {
        let j = "
            2026-01-05 buy acme 2h @ 100
            2026-01-20 log acme 1h Done
        ";
        let s = of(j, "acme", "2026-01-01", "2026-01-31", "2026-01-10");
        assert!(s.cut);
        assert_eq!(s.to, d("2026-01-10"));
        assert_eq!((s.lines.len(), s.closing), (1, dec(120)));
    }

    #[test]
    fn overage_is_counted_apart_and_due_at_the_hourly_rate() {
        let j = "
            2026-01-05 buy acme 1h @ 100
            2026-01-06 log acme 90m Ran over
        ";
        let s = of(j, "acme", "2026-01-01", "2026-01-31", "2026-02-01");
        assert_eq!((s.totals.debited, s.totals.overage), (dec(60), dec(30)));
        assert_eq!(s.overage_due, Some(dec(75)));
        assert_eq!(s.lines[1].debited, Some(dec(90)));
        assert_eq!(s.closing, dec(0));
        let quiet = of("", "quiet", "2026-01-01", "2026-01-31", "2026-02-01");
        assert_eq!(quiet.overage_due, None);
        assert!(quiet.lines.is_empty());
    }

    #[test]
    fn lots_expiring_within_warn_days_after_the_period_are_listed() {
        let j = "
            2026-01-05 buy acme 1h @ 100 expires 2026-02-15 ref:SOON
            2026-01-05 buy acme 1h @ 100 expires 2026-04-15 ref:LATER
            2026-01-05 quote acme Q1 2h Landing page
        ";
        let s = of(j, "acme", "2026-01-01", "2026-01-31", "2026-02-01");
        let refs: Vec<_> = s.expiring.iter().map(|l| l.reference.as_deref()).collect();
        assert_eq!(refs, [Some("SOON")]);
        assert_eq!(s.quotes.len(), 1);
    }

    #[test]
    fn money_is_signed_from_the_account_and_lines_carry_titles_and_refs() {
        let toml = format!(
            "{BOOK}\n[packages.five]\nunits = 5\nprice = \"450\"\ntitle = \"5-hour block\"\n\
             [tasks.banner]\nunits = 1\ntitle = \"Web banner\"\n"
        )
        .replace(
            "covered = [\"support\"]",
            "covered = [\"support\"]\ntitle = \"Care\"",
        );
        let j = "
            2026-01-01 plan acme performance
            2026-01-05 buy acme five ref:INV-9
            2026-01-06 buy acme 1h @ 100 expires 2026-01-20
            2026-01-07 refund acme INV-9 1h
            2026-01-08 apply acme 90 project:site
            2026-01-09 debit acme banner
            2026-01-10 log acme 20h Big job
            2026-01-11 bill acme ref:INV-10
        ";
        let end = "2026-01-31";
        let (b, r) = replay_str(&toml, j, end);
        let s = statement(&b, &r, "acme", d("2026-01-01"), d(end), d("2026-02-01"));
        let line = |k: EventKind| s.lines.iter().find(|l| l.kind == k).unwrap();
        assert_eq!(line(EventKind::Buy).amount, Some(dec(450)));
        assert_eq!(line(EventKind::Buy).title.as_deref(), Some("5-hour block"));
        assert_eq!(
            line(EventKind::Buy).detail.reference.as_deref(),
            Some("INV-9")
        );
        assert_eq!(line(EventKind::Refund).amount, Some(dec(-90)));
        assert_eq!(
            line(EventKind::Refund).detail.reference.as_deref(),
            Some("INV-9")
        );
        assert_eq!(line(EventKind::Apply).amount, Some(dec(-90)));
        assert_eq!(line(EventKind::Apply).detail.name.as_deref(), Some("site"));
        assert_eq!(line(EventKind::Debit).title.as_deref(), Some("Web banner"));
        assert_eq!(line(EventKind::Grant).title.as_deref(), Some("Care"));
        let bill = line(EventKind::Bill);
        assert_eq!(
            (bill.amount, bill.detail.reference.as_deref()),
            (None, Some("INV-10"))
        );
        assert!(bill.invoiced.is_some_and(|a| a > Decimal::ZERO));
        assert_eq!(s.plan_title.as_deref(), Some("Care"));
        assert_eq!(s.issued, d("2026-02-01"));
        assert!(!s.carries);
    }

    #[test]
    fn expired_value_is_negative_and_the_expiry_names_its_lot() {
        let j = "2026-01-05 buy acme 1h @ 100 expires 2026-01-20 ref:L1";
        let s = of(j, "acme", "2026-01-01", "2026-01-31", "2026-02-01");
        let e = s
            .lines
            .iter()
            .find(|l| l.kind == EventKind::Expire)
            .unwrap();
        assert_eq!(e.amount, Some(dec(-100)));
        assert_eq!(e.detail.reference.as_deref(), Some("L1"));
        assert_eq!(
            (e.detail.since, e.detail.until),
            (Some(d("2026-01-05")), Some(d("2026-01-20")))
        );
    }

    // ----- the numbers add up, over random journals ---------------------------------------

    fn line() -> impl Strategy<Value = String> {
        let day = 0u32..150;
        let verb = prop_oneof![
            (1u32..8, prop::bool::ANY, 0u32..4).prop_map(|(h, exp, r)| format!(
                "buy acme {h}h @ 90{} ref:R{r}",
                if exp { " expires 40d" } else { "" }
            )),
            (1u32..200, prop::bool::ANY).prop_map(|(m, s)| format!(
                "log acme {m}m Work{}",
                if s { " #support" } else { "" }
            )),
            (1u32..180).prop_map(|m| format!("debit acme {m}m Task")),
            (1u32..90, prop::bool::ANY)
                .prop_map(|(m, up)| format!("adjust acme {}{m}m Fix", if up { "+" } else { "-" })),
            (1u32..200).prop_map(|a| format!("apply acme {a} project:x")),
            (0u32..4, 0u32..90).prop_map(|(r, m)| if m == 0 {
                format!("refund acme R{r}")
            } else {
                format!("refund acme R{r} {m}m")
            }),
            prop_oneof![Just("performance"), Just("none")].prop_map(|p| format!("plan acme {p}")),
            Just("bill acme".to_string()),
            (0u32..3, 1u32..4).prop_map(|(q, h)| format!("quote acme Q{q} {h}h Page")),
            (0u32..3).prop_map(|q| format!("approve acme Q{q}")),
            (0u32..3).prop_map(|q| format!("done acme Q{q}")),
        ];
        (day, verb).prop_map(|(day, verb)| {
            let date = d("2026-01-01") + chrono::Days::new(u64::from(day));
            format!("{date} {verb}")
        })
    }

    fn policy() -> impl Strategy<Value = String> {
        (
            prop_oneof![Just("accumulate"), Just("exact"), Just("round-up")],
            prop_oneof![Just("bill"), Just("carry"), Just("deny")],
            prop_oneof![Just("fifo"), Just("expiring-first")],
        )
            .prop_map(|(debit, overdraft, order)| {
                format!("debit = \"{debit}\"\noverdraft = \"{overdraft}\"\norder = \"{order}\"")
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn opening_plus_movements_is_closing_and_periods_chain(
            policy in policy(),
            lines in prop::collection::vec(line(), 0..40),
            a in 0u32..170,
            b in 0u32..170,
            c in 0u32..170,
        ) {
            let toml = BOOK.replace("debit = \"exact\"", &policy);
            let bk = book(&toml);
            let es = entries(&bk, &lines.join("\n"));
            let mut cuts = [a, b, c];
            cuts.sort_unstable();
            let day = |n: u32| d("2026-01-01") + chrono::Days::new(u64::from(n));
            let (from, mid, to) = (day(cuts[0]), day(cuts[1]), day(cuts[2]));
            let replay = engine::replay(&bk, &es, Some(to));
            let state = replay.clients.get("acme").cloned().unwrap_or_default();

            let whole = statement(&bk, &replay, "acme", from, to, to);
            prop_assert_eq!(whole.expected_closing(), whole.closing);
            prop_assert_eq!(whole.closing, state.balance());

            // Two periods side by side chain and add up to the whole.
            let first = statement(&bk, &replay, "acme", from, mid, to);
            let second = statement(&bk, &replay, "acme", mid.succ_opt().unwrap(), to, to);
            prop_assert_eq!(first.expected_closing(), first.closing);
            prop_assert_eq!(first.closing, second.opening);
            prop_assert_eq!(first.lines.len() + second.lines.len(), whole.lines.len());
            prop_assert_eq!(first.totals.debited + second.totals.debited, whole.totals.debited);

            // From the start, the period's totals are the engine's.
            let all = statement(&bk, &replay, "acme", d("2025-12-31"), to, to);
            let t = &state.totals;
            prop_assert_eq!(all.opening, Decimal::ZERO);
            prop_assert_eq!(
                [all.totals.bought, all.totals.granted, all.totals.adjusted, all.totals.debited,
                 all.totals.expired, all.totals.refunded, all.totals.applied, all.totals.covered,
                 all.totals.logged, all.totals.overage],
                [t.bought, t.granted, t.adjusted_in, t.debited, t.expired, t.refunded, t.applied,
                 t.covered, t.logged, t.overage]
            );
            prop_assert_eq!(all.totals.paid, t.paid_in);
            prop_assert_eq!(all.totals.money_refunded, t.money_refunded);
            prop_assert_eq!(all.totals.money_applied, t.money_applied);
        }

        /// The fast path `statement` runs on: a replay that keeps only the period's history
        /// (and the event before it) gives the statement of the full replay, line for line.
        #[test]
        fn keeping_only_the_period_gives_the_same_statement(
            policy in policy(),
            lines in prop::collection::vec(line(), 0..40),
            a in 0u32..170,
            b in 0u32..170,
        ) {
            let toml = BOOK.replace("debit = \"exact\"", &policy);
            let bk = book(&toml);
            let es = entries(&bk, &lines.join("\n"));
            let day = |n: u32| d("2026-01-01") + chrono::Days::new(u64::from(n));
            let (from, to) = (day(a.min(b)), day(a.max(b)));
            let full = engine::replay(&bk, &es, Some(to));
            let opts = engine::ReplayOptions { events: true, events_from: Some(from), sums: false, burn_from: None, projects: false };
            let kept = engine::replay_with(&bk, &es, Some(to), opts);
            for client in ["acme", "quiet"] {
                prop_assert_eq!(
                    statement(&bk, &kept, client, from, to, to),
                    statement(&bk, &full, client, from, to, to)
                );
            }
            let state = kept.clients.get("acme").cloned().unwrap_or_default();
            prop_assert!(state.events.iter().skip(1).all(|e| e.date >= from));
        }
    }
}
